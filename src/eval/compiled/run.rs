//! Running a [`Program`] over a [`Pattern`]: one forward pass over each
//! rule's nodes in evaluation order fills the [`Record`] (every node's
//! value, every rule's `applies`). The facts an unknown value hinges on are
//! worked out afterwards, only when an open outcome needs them.

use std::cmp::Ordering;

use super::program::{Node, Operand, Program};
use super::value::{Kind, Pattern, Val};
use crate::eval::Truth;
use crate::syntax::CmpOp;

/// The compact record of one run: the value of every condition node and
/// whether each rule applies. The explanation is rebuilt from it on demand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Each node's value, indexed like [`Program::nodes`].
    pub nodes: Vec<Truth>,
    /// Whether each rule applies (`None`: not reached by the evaluation
    /// order, possible only in rulesets built by hand).
    pub applies: Vec<Option<Truth>>,
}

impl Record {
    /// Whether rule `i` applies (a rule never evaluated counts as unknown).
    #[inline]
    pub fn applies(&self, i: u32) -> Truth {
        self.applies
            .get(i as usize)
            .copied()
            .flatten()
            .unwrap_or(Truth::Unknown)
    }

    #[inline]
    fn node(&self, i: u32) -> Truth {
        self.nodes
            .get(i as usize)
            .copied()
            .unwrap_or(Truth::Unknown)
    }
}

/// Sets of fact slots, one row per node or rule, as bit words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BitRows {
    words: usize,
    data: Vec<u64>,
}

impl BitRows {
    /// `rows` empty rows over `bits` bits.
    pub fn reset(&mut self, rows: usize, bits: usize) {
        self.words = bits.div_ceil(64).max(1);
        self.data.clear();
        self.data.resize(rows.saturating_mul(self.words), 0);
    }

    fn at(&self, row: usize, w: usize) -> usize {
        row.saturating_mul(self.words).saturating_add(w)
    }

    /// Adds bit `bit` to `row`.
    pub fn set(&mut self, row: usize, bit: usize) {
        let at = self.at(row, bit / 64);
        if let Some(word) = self.data.get_mut(at) {
            *word |= 1u64 << (bit % 64);
        }
    }

    /// Adds `src`'s bits to `dst` (rows of this table).
    pub fn union(&mut self, dst: usize, src: usize) {
        for w in 0..self.words {
            let bits = self.data.get(self.at(src, w)).copied().unwrap_or(0);
            let at = self.at(dst, w);
            if let Some(word) = self.data.get_mut(at) {
                *word |= bits;
            }
        }
    }

    /// Adds `row` of `other` (with as many words) to `dst`.
    pub fn union_from(&mut self, dst: usize, other: &BitRows, row: usize) {
        for w in 0..self.words {
            let bits = other.data.get(other.at(row, w)).copied().unwrap_or(0);
            let at = self.at(dst, w);
            if let Some(word) = self.data.get_mut(at) {
                *word |= bits;
            }
        }
    }

    /// The bits set in `row`, ascending.
    pub fn iter(&self, row: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.words).flat_map(move |w| {
            let word = self.data.get(self.at(row, w)).copied().unwrap_or(0);
            (0..64usize)
                .filter(move |b| word & (1u64 << b) != 0)
                .map(move |b| w.saturating_mul(64).saturating_add(b))
        })
    }

    /// Empties `row`.
    pub fn clear_row(&mut self, row: usize) {
        for w in 0..self.words {
            let at = self.at(row, w);
            if let Some(word) = self.data.get_mut(at) {
                *word = 0;
            }
        }
    }

    /// Whether `row` is empty.
    pub fn is_empty(&self, row: usize) -> bool {
        (0..self.words).all(|w| self.data.get(self.at(row, w)).copied().unwrap_or(0) == 0)
    }
}

impl Program {
    /// Evaluates every rule over `pattern` into `rec`. `active[i]` says
    /// whether rule `i` can apply at all (in force, right reading).
    pub fn run(&self, pattern: &Pattern, active: &[bool], rec: &mut Record) {
        rec.nodes.clear();
        rec.nodes.resize(self.nodes.len(), Truth::Unknown);
        rec.applies.clear();
        rec.applies.resize(self.rules.len(), None);
        for &r in &self.order {
            let Some(rule) = self.rules.get(r as usize) else {
                continue;
            };
            for j in rule.start..rule.end {
                let value = match self.nodes.get(j as usize) {
                    Some(node) => self.node(*node, pattern, rec),
                    None => Truth::Unknown,
                };
                if let Some(slot) = rec.nodes.get_mut(j as usize) {
                    *slot = value;
                }
            }
            let cond = rec.node(rule.end.saturating_sub(1));
            let defeated = any(rule.exceptions.iter(), rec);
            // A rule not in force (or outside the chosen reading) never
            // applies; its condition is still recorded for the explanation.
            let applies = if active.get(r as usize).copied().unwrap_or(false) {
                cond.and(defeated.not())
            } else {
                Truth::False
            };
            if let Some(slot) = rec.applies.get_mut(r as usize) {
                *slot = Some(applies);
            }
        }
    }

    #[inline]
    fn node(&self, node: Node, pattern: &Pattern, rec: &Record) -> Truth {
        match node {
            Node::Const(t) => t,
            Node::Fact(s) => {
                let v = pattern.get(s);
                match v.kind {
                    Kind::Unknown => Truth::Unknown,
                    Kind::Bool => Truth::from_bool(v.bits == 1),
                    _ => Truth::False,
                }
            }
            Node::Conclusion(c) => any(self.conclusions.get(c as usize).into_iter().flatten(), rec),
            Node::Not(k) => rec.node(k).not(),
            Node::And(s, e) => self
                .kids_of(s, e)
                .fold(Truth::True, |acc, k| acc.and(rec.node(k))),
            Node::Or(s, e) => self
                .kids_of(s, e)
                .fold(Truth::False, |acc, k| acc.or(rec.node(k))),
            Node::Compare(op, a, b) => match (operand(a, pattern), operand(b, pattern)) {
                (Some(l), Some(r)) if l.kind == r.kind => {
                    Truth::from_bool(holds(op, l.bits.cmp(&r.bits)))
                }
                (Some(_), Some(_)) => Truth::False,
                _ => Truth::Unknown,
            },
            Node::In(o, s, e, negated) => match operand(o, pattern) {
                Some(v) => {
                    let found = self
                        .lits
                        .get(s as usize..e as usize)
                        .unwrap_or(&[])
                        .iter()
                        .any(|l| l.kind == v.kind && l.bits == v.bits);
                    Truth::from_bool(found != negated)
                }
                None => Truth::Unknown,
            },
        }
    }

    fn kids_of(&self, s: u32, e: u32) -> impl Iterator<Item = u32> + '_ {
        self.kids
            .get(s as usize..e as usize)
            .unwrap_or(&[])
            .iter()
            .copied()
    }

    /// Fills `rule_deps` (one row per rule) with the unknown facts each
    /// rule's `applies` hinges on, and `node_deps` likewise per node: the
    /// same sets the tree evaluator computes, from the record alone.
    pub fn dependencies(
        &self,
        pattern: &Pattern,
        rec: &Record,
        node_deps: &mut BitRows,
        rule_deps: &mut BitRows,
    ) {
        let bits = pattern.values().len();
        node_deps.reset(self.nodes.len(), bits);
        rule_deps.reset(self.rules.len(), bits);
        for &r in &self.order {
            let Some(rule) = self.rules.get(r as usize) else {
                continue;
            };
            for j in rule.start..rule.end {
                if rec.node(j) != Truth::Unknown {
                    continue;
                }
                let Some(node) = self.nodes.get(j as usize) else {
                    continue;
                };
                self.node_deps(*node, j as usize, pattern, rec, node_deps, rule_deps);
            }
            if rec.applies(r) != Truth::Unknown {
                continue;
            }
            let root = rule.end.saturating_sub(1);
            if rec.node(root) == Truth::Unknown {
                rule_deps.union_from(r as usize, node_deps, root as usize);
            }
            if any(rule.exceptions.iter(), rec) == Truth::Unknown {
                for &e in &rule.exceptions {
                    if rec.applies.get(e as usize).copied().flatten() == Some(Truth::Unknown) {
                        rule_deps.union(r as usize, e as usize);
                    }
                }
            }
        }
    }

    fn node_deps(
        &self,
        node: Node,
        j: usize,
        pattern: &Pattern,
        rec: &Record,
        node_deps: &mut BitRows,
        rule_deps: &BitRows,
    ) {
        let unknown_slot = |o: Operand| match o {
            Operand::Slot(s) if !pattern.get(s).is_known() => Some(s as usize),
            _ => None,
        };
        match node {
            Node::Const(_) => {}
            Node::Fact(s) => node_deps.set(j, s as usize),
            Node::Conclusion(c) => {
                for &h in self.conclusions.get(c as usize).into_iter().flatten() {
                    if rec.applies.get(h as usize).copied().flatten() == Some(Truth::Unknown) {
                        node_deps.union_from(j, rule_deps, h as usize);
                    }
                }
            }
            Node::Not(k) => node_deps.union(j, k as usize),
            Node::And(s, e) | Node::Or(s, e) => {
                for k in self.kids_of(s, e) {
                    node_deps.union(j, k as usize);
                }
            }
            Node::Compare(_, a, b) => {
                for s in [unknown_slot(a), unknown_slot(b)].into_iter().flatten() {
                    node_deps.set(j, s);
                }
            }
            Node::In(o, ..) => {
                if let Some(s) = unknown_slot(o) {
                    node_deps.set(j, s);
                }
            }
        }
    }
}

/// OR over the `applies` of rules already evaluated.
#[inline]
fn any<'a>(rules: impl Iterator<Item = &'a u32>, rec: &Record) -> Truth {
    rules
        .filter_map(|&h| rec.applies.get(h as usize).copied().flatten())
        .fold(Truth::False, Truth::or)
}

#[inline]
fn operand(o: Operand, pattern: &Pattern) -> Option<Val> {
    match o {
        Operand::Slot(s) => Some(pattern.get(s)).filter(|v| v.is_known()),
        Operand::Lit(v) => Some(v),
        Operand::Opaque => None,
    }
}

#[inline]
fn holds(op: CmpOp, o: Ordering) -> bool {
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}
