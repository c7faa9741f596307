//! Running a [`Program`] over a [`Pattern`]: one forward pass over each
//! rule's nodes in evaluation order fills the [`Record`] (every node's
//! value, every rule's `applies`). The facts an unknown value hinges on are
//! worked out afterwards, only when an open outcome needs them.

use super::program::{Kid, KidRef, Mask, Node, Operand, Program};
use super::value::{Pattern, Val};
use crate::eval::Truth;

/// The compact record of one run: the value of every condition node and
/// whether each rule applies. The explanation is rebuilt from it on demand.
///
/// Values are kept as ranks (`false` 0 < unknown 1 < `true` 2), so Kleene's
/// `and` is `min`, `or` is `max` and `not` is `2 - x`: no branches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub(super) nodes: Vec<u8>,
    pub(super) applies: Vec<u8>,
    pub(super) any_unknown: bool,
}

/// Rank of `false`.
pub(super) const F: u8 = 0;
/// Rank of unknown.
pub(super) const U: u8 = 1;
/// Rank of `true`.
pub(super) const T: u8 = 2;

#[inline]
pub(super) fn rank(t: Truth) -> u8 {
    match t {
        Truth::False => F,
        Truth::Unknown => U,
        Truth::True => T,
    }
}

#[inline]
pub(super) fn truth(r: u8) -> Truth {
    match r {
        F => Truth::False,
        T => Truth::True,
        _ => Truth::Unknown,
    }
}

impl Record {
    /// Whether rule `i` applies.
    #[inline]
    pub fn applies(&self, i: u32) -> Truth {
        truth(self.applies_rank(i))
    }

    #[inline]
    pub(super) fn applies_rank(&self, i: u32) -> u8 {
        self.applies.get(i as usize).copied().unwrap_or(U)
    }

    /// The value of node `i`.
    #[inline]
    pub fn node(&self, i: u32) -> Truth {
        truth(self.node_rank(i))
    }

    #[inline]
    pub(super) fn node_rank(&self, i: u32) -> u8 {
        self.nodes.get(i as usize).copied().unwrap_or(U)
    }

    /// Whether some rule's `applies` is unknown (else nothing depends on
    /// an unknown fact).
    pub fn any_unknown(&self) -> bool {
        self.any_unknown
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

    /// Whether `bit` is set in `row`.
    pub fn contains(&self, row: usize, bit: usize) -> bool {
        let w = bit / 64;
        w < self.words
            && self
                .data
                .get(self.at(row, w))
                .is_some_and(|word| word & (1u64 << (bit % 64)) != 0)
    }

    /// The bits set in `row`, ascending.
    pub fn iter(&self, row: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.words).flat_map(move |w| {
            let mut word = self.data.get(self.at(row, w)).copied().unwrap_or(0);
            // One step per set bit, lowest first.
            std::iter::from_fn(move || {
                let b = word.trailing_zeros();
                (b < 64).then(|| {
                    word &= !(1u64 << b);
                    w.saturating_mul(64).saturating_add(b as usize)
                })
            })
        })
    }

    /// Adds the bits of `bits` to word `w` of `row`.
    pub fn or_word(&mut self, row: usize, w: usize, bits: u64) {
        let at = self.at(row, w);
        if w < self.words
            && let Some(word) = self.data.get_mut(at)
        {
            *word |= bits;
        }
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
}

impl Program {
    /// Evaluates every rule over `pattern` into `rec`. `active[i]` says
    /// whether rule `i` can apply at all (in force, right reading).
    pub fn run(&self, pattern: &Pattern, active: &[bool], rec: &mut Record) {
        // Every node of an ordered rule is written below; only a ruleset
        // built by hand leaves some (of unordered rules) at their last value,
        // and those are reset with their rules.
        rec.nodes.resize(self.nodes.len(), U);
        // Not yet evaluated counts as `false` in an OR (the tree evaluator
        // skips such rules); rules never evaluated are set unknown below.
        rec.applies.clear();
        rec.applies.resize(self.rules.len(), F);
        let mut any_unknown = false;
        for &r in &self.order {
            let Some(rule) = self.rules.get(r as usize) else {
                continue;
            };
            let nodes = self
                .nodes
                .get(rule.start as usize..rule.end as usize)
                .unwrap_or(&[]);
            for (j, node) in (rule.start as usize..).zip(nodes) {
                let value = self.node(*node, pattern, rec);
                if let Some(slot) = rec.nodes.get_mut(j) {
                    *slot = value;
                }
            }
            let cond = rec.node_rank(rule.end.saturating_sub(1));
            let defeated = any(&rule.exceptions, rec);
            // A rule not in force (or outside the chosen reading) never
            // applies; its condition is still recorded for the explanation.
            let applies = if active.get(r as usize).copied().unwrap_or(false) {
                cond.min(T.wrapping_sub(defeated))
            } else {
                F
            };
            any_unknown |= applies == U;
            if let Some(slot) = rec.applies.get_mut(r as usize) {
                *slot = applies;
            }
        }
        for &r in &self.unordered {
            if let Some(slot) = rec.applies.get_mut(r as usize) {
                *slot = U;
                any_unknown = true;
            }
            if let Some(rule) = self.rules.get(r as usize)
                && let Some(nodes) = rec.nodes.get_mut(rule.start as usize..rule.end as usize)
            {
                nodes.fill(U);
            }
        }
        rec.any_unknown = any_unknown;
    }

    #[inline]
    pub(super) fn node(&self, node: Node, pattern: &Pattern, rec: &Record) -> u8 {
        match node {
            Node::Const(t) => rank(t),
            Node::Leaf(k) => kid(k, pattern, rec),
            Node::Conclusion(c) => any(
                self.conclusions
                    .get(c as usize)
                    .map_or(&[][..], Vec::as_slice),
                rec,
            ),
            Node::Not(k) => T.wrapping_sub(kid(k, pattern, rec)),
            Node::And(c) => {
                let lits = self
                    .masks
                    .get(c.mask as usize)
                    .map_or(T, |m| and_bits(m, pattern));
                self.kids_of(c.start, c.end)
                    .fold(lits, |acc, k| acc.min(kid(k, pattern, rec)))
            }
            Node::Or(c) => {
                let lits = self
                    .masks
                    .get(c.mask as usize)
                    .map_or(F, |m| or_bits(m, pattern));
                self.kids_of(c.start, c.end)
                    .fold(lits, |acc, k| acc.max(kid(k, pattern, rec)))
            }
            Node::Compare(op, a, b) => match (self.operand(a, pattern), self.operand(b, pattern)) {
                (Some(l), Some(r)) if l.kind == r.kind => {
                    if op.holds(l.bits.cmp(&r.bits)) {
                        T
                    } else {
                        F
                    }
                }
                (Some(_), Some(_)) => F,
                _ => U,
            },
            Node::In(o, s, e, negated) => match self.operand(o, pattern) {
                Some(v) => {
                    let found = self
                        .lits
                        .get(s as usize..e as usize)
                        .unwrap_or(&[])
                        .iter()
                        .any(|l| l.kind == v.kind && l.bits == v.bits);
                    if found != negated { T } else { F }
                }
                None => U,
            },
        }
    }

    #[inline]
    fn operand(&self, o: Operand, pattern: &Pattern) -> Option<Val> {
        match o {
            Operand::Slot(s) => Some(pattern.get(s)).filter(|v| v.is_known()),
            Operand::Lit(i) => self.lits.get(i as usize).copied(),
            Operand::Opaque => None,
        }
    }

    #[inline]
    fn kids_of(&self, s: u32, e: u32) -> impl Iterator<Item = Kid> + '_ {
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
                if rec.node_rank(j) != U {
                    continue;
                }
                let Some(node) = self.nodes.get(j as usize) else {
                    continue;
                };
                self.node_deps(*node, j as usize, pattern, rec, node_deps, rule_deps);
            }
            if rec.applies_rank(r) != U {
                continue;
            }
            let root = rule.end.saturating_sub(1);
            if rec.node_rank(root) == U {
                rule_deps.union_from(r as usize, node_deps, root as usize);
            }
            if any(&rule.exceptions, rec) == U {
                for &e in &rule.exceptions {
                    if rec.applies_rank(e) == U {
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
            Node::Leaf(k) | Node::Not(k) => kid_deps(k, j, pattern, node_deps),
            Node::Conclusion(c) => {
                for &h in self.conclusions.get(c as usize).into_iter().flatten() {
                    if rec.applies_rank(h) == U {
                        node_deps.union_from(j, rule_deps, h as usize);
                    }
                }
            }
            Node::And(c) | Node::Or(c) => {
                if let Some(m) = self.masks.get(c.mask as usize) {
                    let (known, _) = pattern.words(m.word);
                    node_deps.or_word(j, m.word as usize, (m.pos | m.neg) & !known);
                }
                for k in self.kids_of(c.start, c.end) {
                    kid_deps(k, j, pattern, node_deps);
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

/// `and` of bare facts, a word at a time: false if one is known false,
/// true if all are known true, else unknown.
#[inline]
fn and_bits(m: &Mask, pattern: &Pattern) -> u8 {
    let (k, v) = pattern.words(m.word);
    if (m.pos & k & !v) | (m.neg & k & v) != 0 {
        F
    } else if (m.pos | m.neg) & !k == 0 {
        T
    } else {
        U
    }
}

/// `or` of bare facts: true if one is known true, false if all are known
/// false, else unknown.
#[inline]
fn or_bits(m: &Mask, pattern: &Pattern) -> u8 {
    let (k, v) = pattern.words(m.word);
    if (m.pos & k & v) | (m.neg & k & !v) != 0 {
        T
    } else if (m.pos | m.neg) & !k == 0 {
        F
    } else {
        U
    }
}

/// An operand's value: a bare fact read from the pattern, or a node's.
#[inline]
pub(super) fn kid(k: Kid, pattern: &Pattern, rec: &Record) -> u8 {
    match k.get() {
        KidRef::Fact(s) => pattern.rank(s),
        KidRef::NotFact(s) => T.wrapping_sub(pattern.rank(s)),
        KidRef::Node(i) => rec.node_rank(i),
    }
}

/// Adds an operand's unknown facts to node `j`'s set.
fn kid_deps(k: Kid, j: usize, pattern: &Pattern, node_deps: &mut BitRows) {
    match k.get() {
        KidRef::Fact(s) | KidRef::NotFact(s) => {
            if pattern.rank(s) == U {
                node_deps.set(j, s as usize);
            }
        }
        KidRef::Node(i) => node_deps.union(j, i as usize),
    }
}

/// OR over the `applies` of rules (those not yet evaluated count as false).
#[inline]
pub(super) fn any(rules: &[u32], rec: &Record) -> u8 {
    rules.iter().fold(F, |acc, &h| {
        acc.max(rec.applies.get(h as usize).copied().unwrap_or(F))
    })
}
