//! A ruleset compiled to flat arrays: each rule's condition as nodes in
//! post-order (children before parents, so one forward pass evaluates
//! them), fact references as slots, literals as [`Val`]s, and the rules each
//! element, party and conclusion depends on as index lists.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::arising::ArisingCode;

use super::value::{Slots, Val};
use crate::model::{Ruleset, Vocabulary};
use crate::syntax::{CmpOp, Expr, Literal};

/// A comparison operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A fact's slot.
    Slot(u32),
    /// A constant: index into [`Program::lits`].
    Lit(u32),
    /// Anything else (never produced by type-checked rulesets): unknown.
    Opaque,
}

/// An operand of `and`, `or` and `not`: a bare fact, a negated bare fact,
/// or another node. Facts are read inline, so the commonest leaves cost no
/// node of their own (the explanation recomputes them from the pattern).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kid(u32);

impl Kid {
    const TAG: u32 = 30;
    const MASK: u32 = (1 << Kid::TAG) - 1;

    fn new(tag: u32, index: u32) -> Option<Kid> {
        (index <= Kid::MASK).then_some(Kid((tag << Kid::TAG) | index))
    }

    /// What it reads.
    #[inline]
    pub fn get(self) -> KidRef {
        let index = self.0 & Kid::MASK;
        match self.0 >> Kid::TAG {
            1 => KidRef::Fact(index),
            2 => KidRef::NotFact(index),
            _ => KidRef::Node(index),
        }
    }
}

/// A decoded [`Kid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KidRef {
    /// Node `i`'s value.
    Node(u32),
    /// A bare fact's slot.
    Fact(u32),
    /// A negated bare fact's slot.
    NotFact(u32),
}

/// One condition node (post-order: operands before the node).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// A constant truth value (`true`, `false`; other literals are unknown).
    Const(crate::eval::Truth),
    /// A rule's whole condition when it is a bare (or negated) fact.
    Leaf(Kid),
    /// `@name`: index into [`Program::conclusions`].
    Conclusion(u32),
    /// `not` of a node.
    Not(Kid),
    /// `and` of its operands.
    And(Chain),
    /// `or` of its operands.
    Or(Chain),
    /// A comparison.
    Compare(CmpOp, Operand, Operand),
    /// `[not] in [..]`: operand, `lits[start..end]`, negated.
    In(Operand, u32, u32, bool),
}

/// The operands of an `and` / `or`: bare facts of one 64-slot word as bit
/// masks (read a word at a time), the rest as kids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chain {
    /// Index into [`Program::masks`], or `u32::MAX` for none.
    pub mask: u32,
    /// The other operands are `kids[start..end]`.
    pub start: u32,
    /// One past the last.
    pub end: u32,
}

/// Bare facts as bits of one word of the pattern's bit sets: `pos` read
/// as they are, `neg` negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mask {
    /// Which word.
    pub word: u32,
    /// Facts read as they are.
    pub pos: u64,
    /// Facts read negated.
    pub neg: u64,
}

/// Whether a condition is read inline by its parent (a bare fact, or `not`
/// of one) rather than being a node: the compiler and the explanation must
/// agree on this.
pub fn is_inline(e: &Expr) -> bool {
    match e {
        Expr::Fact { .. } => true,
        Expr::Not { operand, .. } => matches!(operand.as_ref(), Expr::Fact { .. }),
        _ => false,
    }
}

/// One compiled rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCode {
    /// Its nodes are `nodes[start..end]`; the condition is `end - 1`.
    pub start: u32,
    /// One past its last node.
    pub end: u32,
    /// The rules that are exceptions to it.
    pub exceptions: Vec<u32>,
}

/// A rule's vote on one element or party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    /// The rule.
    pub rule: u32,
    /// It says yes (protected / an author).
    pub yes: bool,
    /// It says no.
    pub no: bool,
}

/// An element or party some rule speaks about, with its voters in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// Its id.
    pub id: String,
    /// The rules that speak about it.
    pub votes: Vec<Vote>,
}

/// A compiled ruleset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Every rule's nodes, rule after rule.
    pub nodes: Vec<Node>,
    /// Operands of `and` / `or` nodes.
    pub kids: Vec<Kid>,
    /// Bare-fact operands of `and` / `or` nodes, as bit masks.
    pub masks: Vec<Mask>,
    /// Literals of comparisons and `in` lists.
    pub lits: Vec<Val>,
    /// The rules, in file order.
    pub rules: Vec<RuleCode>,
    /// Evaluation order (each rule after those it reads).
    pub order: Vec<u32>,
    /// Rules the order leaves out (only in rulesets built by hand): unknown.
    pub unordered: Vec<u32>,
    /// For each conclusion read by some condition, the rules holding it.
    pub conclusions: Vec<Vec<u32>>,
    /// Elements some rule speaks about, in vocabulary order.
    pub elements: Vec<Subject>,
    /// For each of `elements`: the place in `elements` of the element it is
    /// part of (`usize::MAX` when no rule speaks about that one), or `None`
    /// for a main element (`Vocabulary::principals`).
    pub principals: Vec<Option<usize>>,
    /// Parties some rule speaks about, in vocabulary order.
    pub parties: Vec<Subject>,
    /// Named conclusions with their holders, in name order (the findings).
    pub findings: Vec<(String, Vec<u32>)>,
    /// For each fact slot, the values the exact refinement tries
    /// (`candidate_values`).
    pub candidates: Vec<Vec<Val>>,
    /// The vocabulary's `arises` conditions: each completion the exact
    /// enumeration tries is completed with them.
    pub arising: Arc<ArisingCode>,
}

/// Why a ruleset cannot be compiled (only for rulesets built by hand).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// A condition reads a fact the vocabulary does not have.
    #[error("ruleset `{ruleset}`, rule `{rule}`: unknown fact `{fact}`")]
    UnknownFact {
        /// The ruleset.
        ruleset: String,
        /// The rule.
        rule: String,
        /// The fact.
        fact: String,
    },
    /// A string the slot table was not built with.
    #[error("ruleset `{ruleset}`: the slot table was built without this ruleset's strings")]
    ForeignStrings {
        /// The ruleset.
        ruleset: String,
    },
    /// An ordering comparison of strings (the type checker rejects these).
    #[error("ruleset `{ruleset}`, rule `{rule}`: strings compared by order")]
    OrderedStrings {
        /// The ruleset.
        ruleset: String,
        /// The rule.
        rule: String,
    },
    /// More nodes than a `u32` counts.
    #[error("ruleset `{ruleset}` is too large to compile")]
    TooLarge {
        /// The ruleset.
        ruleset: String,
    },
}

fn idx(n: usize, ruleset: &Ruleset) -> Result<u32, CompileError> {
    u32::try_from(n).map_err(|_| CompileError::TooLarge {
        ruleset: ruleset.id.clone(),
    })
}

struct Builder<'a> {
    slots: &'a Slots,
    ruleset: &'a Ruleset,
    rule: &'a str,
    concl_ids: BTreeMap<&'a str, u32>,
    p: Program,
}

impl Program {
    /// Compiles `ruleset` against `slots` (which must have been built with it).
    pub fn compile(
        ruleset: &Ruleset,
        vocab: &Vocabulary,
        slots: &Slots,
    ) -> Result<Program, CompileError> {
        let mut b = Builder {
            slots,
            ruleset,
            rule: "",
            concl_ids: BTreeMap::new(),
            p: Program {
                nodes: vec![],
                kids: vec![],
                masks: vec![],
                lits: vec![],
                rules: vec![],
                order: vec![],
                unordered: vec![],
                conclusions: vec![],
                elements: vec![],
                principals: vec![],
                parties: vec![],
                findings: vec![],
                candidates: vec![],
                arising: Arc::clone(slots.arising()),
            },
        };
        for (i, rule) in ruleset.rules.iter().enumerate() {
            b.rule = &rule.id;
            let start = idx(b.p.nodes.len(), ruleset)?;
            let root = b.expr(&rule.when)?;
            // The rule's value is its last node's: a bare-fact condition
            // gets one.
            if is_inline(&rule.when) {
                b.push(Node::Leaf(root))?;
            }
            let end = idx(b.p.nodes.len(), ruleset)?;
            let exceptions = ruleset
                .index
                .exceptions
                .get(i)
                .map_or(Ok(vec![]), |e| e.iter().map(|&x| idx(x, ruleset)).collect())?;
            b.p.rules.push(RuleCode {
                start,
                end,
                exceptions,
            });
        }
        let mut p = b.p;
        p.order = ruleset
            .index
            .order
            .iter()
            .map(|&i| idx(i, ruleset))
            .collect::<Result<_, _>>()?;
        p.unordered = (0..ruleset.rules.len())
            .filter(|i| !ruleset.index.order.contains(i))
            .map(|i| idx(i, ruleset))
            .collect::<Result<_, _>>()?;
        p.elements = subjects(ruleset, vocab.elements.keys(), |c| {
            (&c.protected, &c.not_protected)
        })?;
        p.principals = p
            .elements
            .iter()
            .map(|e| {
                let principal = vocab.part_of.get(&e.id)?;
                Some(
                    p.elements
                        .iter()
                        .position(|x| &x.id == principal)
                        .unwrap_or(usize::MAX),
                )
            })
            .collect();
        p.parties = subjects(ruleset, vocab.parties.keys(), |c| {
            (&c.author, &c.not_author)
        })?;
        p.findings = ruleset
            .index
            .holders
            .iter()
            .map(|(name, h)| Ok((name.clone(), indexes(h, ruleset)?)))
            .collect::<Result<_, CompileError>>()?;
        p.candidates = candidates(ruleset, vocab, slots)?;
        Ok(p)
    }
}

impl Builder<'_> {
    fn push(&mut self, node: Node) -> Result<u32, CompileError> {
        let at = idx(self.p.nodes.len(), self.ruleset)?;
        self.p.nodes.push(node);
        Ok(at)
    }

    fn kid(&self, tag: u32, index: u32) -> Result<Kid, CompileError> {
        Kid::new(tag, index).ok_or_else(|| CompileError::TooLarge {
            ruleset: self.ruleset.id.clone(),
        })
    }

    // Post-order: every operand is pushed before its parent; bare facts
    // (and their negations) are not pushed at all.
    fn expr(&mut self, e: &Expr) -> Result<Kid, CompileError> {
        match e {
            Expr::Fact { name, .. } => return self.kid(1, self.slot(name)?),
            Expr::Not { operand, .. } if is_inline(e) => {
                if let Expr::Fact { name, .. } = operand.as_ref() {
                    return self.kid(2, self.slot(name)?);
                }
            }
            _ => {}
        }
        let node = match e {
            Expr::Literal {
                value: Literal::Bool(b),
                ..
            } => Node::Const(crate::eval::Truth::from_bool(*b)),
            Expr::Literal { .. } => Node::Const(crate::eval::Truth::Unknown),
            // Handled above.
            Expr::Fact { .. } => Node::Const(crate::eval::Truth::Unknown),
            Expr::Conclusion { name, .. } => Node::Conclusion(self.conclusion(name)?),
            Expr::Not { operand, .. } => Node::Not(self.expr(operand)?),
            Expr::And { operands, .. } => Node::And(self.chain(operands)?),
            Expr::Or { operands, .. } => Node::Or(self.chain(operands)?),
            Expr::Compare { op, lhs, rhs, .. } => {
                let (l, r) = (self.operand(lhs)?, self.operand(rhs)?);
                // String ids keep equality, not order; the type checker
                // allows ordering only on integers and dates.
                if op.is_ordering() && (self.is_string(l) || self.is_string(r)) {
                    return Err(CompileError::OrderedStrings {
                        ruleset: self.ruleset.id.clone(),
                        rule: self.rule.to_string(),
                    });
                }
                Node::Compare(*op, l, r)
            }
            Expr::In {
                negated,
                operand,
                list,
                ..
            } => {
                let operand = self.operand(operand)?;
                let start = idx(self.p.lits.len(), self.ruleset)?;
                for item in list {
                    let v = self.literal(&item.value)?;
                    self.p.lits.push(v);
                }
                let end = idx(self.p.lits.len(), self.ruleset)?;
                Node::In(operand, start, end, *negated)
            }
        };
        let at = self.push(node)?;
        self.kid(0, at)
    }

    // Bare facts of the first such fact's word go into one mask (order
    // does not matter: `and` and `or` are commutative, and the explanation
    // walks the condition as written).
    fn chain(&mut self, operands: &[Expr]) -> Result<Chain, CompileError> {
        let ids = operands
            .iter()
            .map(|o| self.expr(o))
            .collect::<Result<Vec<_>, _>>()?;
        let mut mask: Option<Mask> = None;
        let mut rest = Vec::new();
        for kid in ids {
            let (slot, negated) = match kid.get() {
                KidRef::Fact(s) => (s, false),
                KidRef::NotFact(s) => (s, true),
                KidRef::Node(_) => {
                    rest.push(kid);
                    continue;
                }
            };
            let (word, bit) = (slot / 64, 1u64 << (slot % 64));
            match &mut mask {
                Some(m) if m.word != word => rest.push(kid),
                Some(m) if negated => m.neg |= bit,
                Some(m) => m.pos |= bit,
                None => {
                    mask = Some(Mask {
                        word,
                        pos: if negated { 0 } else { bit },
                        neg: if negated { bit } else { 0 },
                    });
                }
            }
        }
        let mask = match mask {
            Some(m) => {
                self.p.masks.push(m);
                idx(self.p.masks.len().saturating_sub(1), self.ruleset)?
            }
            None => u32::MAX,
        };
        let start = idx(self.p.kids.len(), self.ruleset)?;
        self.p.kids.extend(rest);
        let end = idx(self.p.kids.len(), self.ruleset)?;
        Ok(Chain { mask, start, end })
    }

    fn slot(&self, name: &str) -> Result<u32, CompileError> {
        self.slots
            .slot(name)
            .ok_or_else(|| CompileError::UnknownFact {
                ruleset: self.ruleset.id.clone(),
                rule: self.rule.to_string(),
                fact: name.to_string(),
            })
    }

    fn conclusion(&mut self, name: &str) -> Result<u32, CompileError> {
        if let Some(&id) = self.concl_ids.get(name) {
            return Ok(id);
        }
        let holders = self
            .ruleset
            .index
            .holders
            .get(name)
            .map_or(Ok(vec![]), |h| indexes(h, self.ruleset))?;
        let id = idx(self.p.conclusions.len(), self.ruleset)?;
        self.p.conclusions.push(holders);
        // The key must outlive the builder's borrow of the ruleset; the
        // holder map's own key does.
        if let Some((key, _)) = self.ruleset.index.holders.get_key_value(name) {
            self.concl_ids.insert(key.as_str(), id);
        }
        Ok(id)
    }

    fn operand(&mut self, e: &Expr) -> Result<Operand, CompileError> {
        Ok(match e {
            Expr::Fact { name, .. } => Operand::Slot(self.slot(name)?),
            Expr::Literal { value, .. } => {
                let v = self.literal(value)?;
                let at = idx(self.p.lits.len(), self.ruleset)?;
                self.p.lits.push(v);
                Operand::Lit(at)
            }
            _ => Operand::Opaque,
        })
    }

    fn is_string(&self, o: Operand) -> bool {
        match o {
            Operand::Lit(i) => self
                .p
                .lits
                .get(i as usize)
                .is_some_and(|v| v.kind == super::value::Kind::Str),
            Operand::Slot(s) => matches!(
                self.slots.fact_type(s),
                Some(crate::model::FactType::Enum { .. } | crate::model::FactType::Text)
            ),
            Operand::Opaque => false,
        }
    }

    fn literal(&self, lit: &Literal) -> Result<Val, CompileError> {
        if let Literal::Str(s) = lit
            && self.slots.string_id(s).is_none()
        {
            return Err(CompileError::ForeignStrings {
                ruleset: self.ruleset.id.clone(),
            });
        }
        Ok(self.slots.literal(lit))
    }
}

fn indexes(h: &[usize], ruleset: &Ruleset) -> Result<Vec<u32>, CompileError> {
    h.iter().map(|&x| idx(x, ruleset)).collect()
}

fn subjects<'v>(
    ruleset: &Ruleset,
    ids: impl Iterator<Item = &'v String>,
    field: fn(&crate::model::Conclusions) -> (&Vec<String>, &Vec<String>),
) -> Result<Vec<Subject>, CompileError> {
    let mut out = Vec::new();
    for id in ids {
        let mut votes = Vec::new();
        for (i, rule) in ruleset.rules.iter().enumerate() {
            let (yes, no) = field(&rule.then);
            let vote = Vote {
                rule: idx(i, ruleset)?,
                yes: yes.iter().any(|s| s == id),
                no: no.iter().any(|s| s == id),
            };
            if vote.yes || vote.no {
                votes.push(vote);
            }
        }
        if !votes.is_empty() {
            out.push(Subject {
                id: id.clone(),
                votes,
            });
        }
    }
    Ok(out)
}

// Only facts a rule's or an `arises` condition reads can be among an open
// outcome's unknown facts, so only they need candidate values (computing
// them walks the conditions once). A fact left without candidates is
// never tried, so one missing here silently narrows the outcomes found
// possible.
fn candidates(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    slots: &Slots,
) -> Result<Vec<Vec<Val>>, CompileError> {
    use crate::eval::candidates::{candidates_from, literals_by_fact};
    // Every fact read has an entry, if only an empty one.
    let read = literals_by_fact(ruleset, vocab);
    vocab
        .facts
        .iter()
        .map(|(fact, def)| {
            let Some(compared) = read.get(fact) else {
                return Ok(vec![]);
            };
            candidates_from(def, compared)
                .iter()
                .map(|v| encode_constant(slots, v, ruleset))
                .collect()
        })
        .collect()
}

fn encode_constant(
    slots: &Slots,
    v: &crate::model::FactValue,
    ruleset: &Ruleset,
) -> Result<Val, CompileError> {
    use crate::model::FactValue;
    let lit = match v {
        FactValue::Bool(b) => Literal::Bool(*b),
        FactValue::Int(i) => Literal::Int(*i),
        FactValue::Date(d) => Literal::Date(*d),
        FactValue::Str(s) => {
            if slots.string_id(s).is_none() {
                return Err(CompileError::ForeignStrings {
                    ruleset: ruleset.id.clone(),
                });
            }
            Literal::Str(s.clone())
        }
    };
    Ok(slots.literal(&lit))
}
