//! A ruleset compiled to flat arrays: each rule's condition as nodes in
//! post-order (children before parents, so one forward pass evaluates
//! them), fact references as slots, literals as [`Val`]s, and the rules each
//! element, party and conclusion depends on as index lists.

use std::collections::BTreeMap;

use super::value::{Slots, Val};
use crate::model::{Ruleset, Vocabulary};
use crate::syntax::{CmpOp, Expr, Literal};

/// A comparison operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A fact's slot.
    Slot(u32),
    /// A constant.
    Lit(Val),
    /// Anything else (never produced by type-checked rulesets): unknown.
    Opaque,
}

/// One condition node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// A constant truth value (`true`, `false`; other literals are unknown).
    Const(crate::eval::Truth),
    /// A boolean fact.
    Fact(u32),
    /// `@name`: index into [`Program::conclusions`].
    Conclusion(u32),
    /// `not` of a node.
    Not(u32),
    /// `and` of the nodes `kids[start..end]`.
    And(u32, u32),
    /// `or` of the nodes `kids[start..end]`.
    Or(u32, u32),
    /// A comparison.
    Compare(CmpOp, Operand, Operand),
    /// `[not] in [..]`: operand, `lits[start..end]`, negated.
    In(Operand, u32, u32, bool),
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
    /// Children of `and` / `or` nodes.
    pub kids: Vec<u32>,
    /// Literals of `in` lists.
    pub lits: Vec<Val>,
    /// The rules, in file order.
    pub rules: Vec<RuleCode>,
    /// Evaluation order (each rule after those it reads).
    pub order: Vec<u32>,
    /// For each conclusion read by some condition, the rules holding it.
    pub conclusions: Vec<Vec<u32>>,
    /// Elements some rule speaks about, in vocabulary order.
    pub elements: Vec<Subject>,
    /// Parties some rule speaks about, in vocabulary order.
    pub parties: Vec<Subject>,
    /// Named conclusions with their holders, in name order (the findings).
    pub findings: Vec<(String, Vec<u32>)>,
    /// For each fact slot, the values the exact enumeration tries.
    pub candidates: Vec<Vec<Val>>,
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
                lits: vec![],
                rules: vec![],
                order: vec![],
                conclusions: vec![],
                elements: vec![],
                parties: vec![],
                findings: vec![],
                candidates: vec![],
            },
        };
        for (i, rule) in ruleset.rules.iter().enumerate() {
            b.rule = &rule.id;
            let start = idx(b.p.nodes.len(), ruleset)?;
            b.expr(&rule.when)?;
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
        p.elements = subjects(ruleset, vocab.elements.keys(), |c| {
            (&c.protected, &c.not_protected)
        })?;
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

    // Post-order: every child is pushed before its parent.
    fn expr(&mut self, e: &Expr) -> Result<u32, CompileError> {
        let node = match e {
            Expr::Literal {
                value: Literal::Bool(b),
                ..
            } => Node::Const(crate::eval::Truth::from_bool(*b)),
            Expr::Literal { .. } => Node::Const(crate::eval::Truth::Unknown),
            Expr::Fact { name, .. } => Node::Fact(self.slot(name)?),
            Expr::Conclusion { name, .. } => Node::Conclusion(self.conclusion(name)?),
            Expr::Not { operand, .. } => Node::Not(self.expr(operand)?),
            Expr::And { operands, .. } => {
                let (s, t) = self.chain(operands)?;
                Node::And(s, t)
            }
            Expr::Or { operands, .. } => {
                let (s, t) = self.chain(operands)?;
                Node::Or(s, t)
            }
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
        self.push(node)
    }

    fn chain(&mut self, operands: &[Expr]) -> Result<(u32, u32), CompileError> {
        let ids = operands
            .iter()
            .map(|o| self.expr(o))
            .collect::<Result<Vec<_>, _>>()?;
        let start = idx(self.p.kids.len(), self.ruleset)?;
        self.p.kids.extend(ids);
        Ok((start, idx(self.p.kids.len(), self.ruleset)?))
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

    fn operand(&self, e: &Expr) -> Result<Operand, CompileError> {
        Ok(match e {
            Expr::Fact { name, .. } => Operand::Slot(self.slot(name)?),
            Expr::Literal { value, .. } => Operand::Lit(self.literal(value)?),
            _ => Operand::Opaque,
        })
    }

    fn is_string(&self, o: Operand) -> bool {
        match o {
            Operand::Lit(v) => v.kind == super::value::Kind::Str,
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

fn candidates(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    slots: &Slots,
) -> Result<Vec<Vec<Val>>, CompileError> {
    vocab
        .facts
        .keys()
        .map(|fact| {
            crate::eval::candidate_values(ruleset, vocab, fact)
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
