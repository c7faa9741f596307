//! Facts that do not arise. A fact of the vocabulary may say when it arises
//! (`arises.when`, a condition over other facts) and what it is when it does
//! not (`arises.otherwise`): for a work with no AI material, "did a person
//! edit the AI output" does not arise, and is `false`.
//!
//! [`Vocabulary::complete`] is the one definition of what that means for a
//! set of facts: a fact whose condition is definitely false — in Kleene's
//! three-valued logic, over the known facts and, in turn, the values of
//! other facts that do not arise — takes its defined value, whatever the
//! facts state; a fact whose condition is unknown stays as stated (unknown
//! if not stated). Every evaluation completes its facts this way first
//! (the compiled evaluator reproduces it on its dense patterns and is
//! tested against this).
//!
//! This is the vocabulary's own meaning, not any authority's reading, so
//! it lives with the vocabulary: loading uses it to reject a case that
//! states a value a fact cannot have, and the eval stage to complete facts.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::case::Facts;
use super::vocab::{FactDef, FactValue, Vocabulary};
use crate::syntax::{Expr, Literal};

/// A fact that does not arise on some facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotArising {
    /// The fact.
    pub fact: String,
    /// The value it has: its `arises.otherwise`.
    pub value: FactValue,
    /// The condition under which it would arise (false here).
    pub arises_when: String,
    /// A different value the facts stated for it, set aside.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<FactValue>,
}

impl NotArising {
    /// Why it has its value, in words: "does not arise: `X` is false".
    pub fn reason(&self) -> String {
        format!("does not arise: `{}` is false", self.arises_when)
    }
}

/// Facts completed against the vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    /// The facts with every fact that does not arise set to its defined value.
    pub facts: Facts,
    /// The facts that do not arise, by id.
    pub not_arising: BTreeMap<String, NotArising>,
}

impl Completion {
    /// The facts that do not arise and for which a different value was
    /// stated: a contradiction in authored facts.
    pub fn contradictions(&self) -> impl Iterator<Item = &NotArising> {
        self.not_arising.values().filter(|n| n.stated.is_some())
    }
}

impl Vocabulary {
    /// Whether any fact says when it arises.
    pub fn has_arising(&self) -> bool {
        self.facts.values().any(|d| d.arises.is_some())
    }

    /// The facts that say when they arise, each after every fact its
    /// condition reads that says so too. Facts caught in a cycle (which
    /// loading rejects) are left out.
    pub fn arising_order(&self) -> Vec<&FactDef> {
        let mut order: Vec<&FactDef> = Vec::new();
        let mut placed: BTreeSet<&str> = BTreeSet::new();
        let mut waiting: Vec<&FactDef> =
            self.facts.values().filter(|d| d.arises.is_some()).collect();
        // Each pass places every fact whose prerequisites are placed; a pass
        // that places nothing leaves only cycles.
        loop {
            let before = waiting.len();
            waiting.retain(|d| {
                let ready = d.arises.as_ref().is_none_or(|a| {
                    a.condition.facts_read().iter().all(|f| {
                        placed.contains(f) || self.fact(f).is_none_or(|g| g.arises.is_none())
                    })
                });
                if ready {
                    placed.insert(d.id.as_str());
                    order.push(d);
                }
                !ready
            });
            if waiting.is_empty() || waiting.len() == before {
                return order;
            }
        }
    }

    /// Completes `facts`: every fact that does not arise takes its defined
    /// value (see the module documentation).
    pub fn complete(&self, facts: &Facts) -> Completion {
        self.complete_owned(facts.clone())
    }

    /// [`Vocabulary::complete`], reusing `facts`.
    pub fn complete_owned(&self, facts: Facts) -> Completion {
        let mut out = Completion {
            facts,
            not_arising: BTreeMap::new(),
        };
        for def in self.arising_order() {
            let Some(a) = &def.arises else { continue };
            if truth(&a.condition, &out.facts) != Some(false) {
                continue;
            }
            let stated = out
                .facts
                .get(&def.id)
                .filter(|v| **v != a.otherwise)
                .cloned();
            out.facts.set(&def.id, a.otherwise.clone());
            out.not_arising.insert(
                def.id.clone(),
                NotArising {
                    fact: def.id.clone(),
                    value: a.otherwise.clone(),
                    arises_when: a.when.clone(),
                    stated,
                },
            );
        }
        out
    }

    /// Whether `fact` arises on `completed` facts (as [`Vocabulary::complete`]
    /// returns them): `Some(true)` when it always does or its condition is
    /// true, `Some(false)` when not, `None` when that is unknown.
    pub fn arises(&self, completed: &Facts, fact: &str) -> Option<bool> {
        match self.fact(fact).and_then(|d| d.arises.as_ref()) {
            None => Some(true),
            Some(a) => truth(&a.condition, completed),
        }
    }

    /// The unknown facts on which it depends whether `fact` arises, on
    /// `completed` facts: those its condition reads, and in turn theirs
    /// (empty when it is settled whether it arises).
    pub fn arising_hinges_on(&self, completed: &Facts, fact: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut todo = vec![fact.to_string()];
        let mut seen = BTreeSet::new();
        while let Some(f) = todo.pop() {
            if !seen.insert(f.clone()) || self.arises(completed, &f).is_some() {
                continue;
            }
            let Some(a) = self.fact(&f).and_then(|d| d.arises.as_ref()) else {
                continue;
            };
            for read in a.condition.facts_read() {
                if completed.get(read).is_none() {
                    out.insert(read.to_string());
                    todo.push(read.to_string());
                }
            }
        }
        out
    }
}

/// A condition over facts in Kleene's logic: `None` is unknown. The same
/// semantics as the rule evaluator's (a known fact that is not a boolean
/// reads as false; values of different types are never equal; `@name`
/// cannot occur in a vocabulary's condition and reads as unknown).
pub fn truth(expr: &Expr, facts: &Facts) -> Option<bool> {
    match expr {
        Expr::Literal {
            value: Literal::Bool(b),
            ..
        } => Some(*b),
        Expr::Literal { .. } | Expr::Conclusion { .. } => None,
        Expr::Fact { name, .. } => facts.get(name).map(|v| matches!(v, FactValue::Bool(true))),
        Expr::Not { operand, .. } => truth(operand, facts).map(|b| !b),
        Expr::And { operands, .. } => chain(operands, facts, false),
        Expr::Or { operands, .. } => chain(operands, facts, true),
        Expr::Compare { op, lhs, rhs, .. } => {
            let (l, r) = (operand(lhs, facts)?, operand(rhs, facts)?);
            Some(FactValue::order(&l, &r).is_some_and(|o| op.holds(o)))
        }
        Expr::In {
            negated,
            operand: o,
            list,
            ..
        } => {
            let v = operand(o, facts)?;
            let found = list.iter().any(|item| {
                FactValue::order(&v, &FactValue::from_literal(&item.value)) == Some(Ordering::Equal)
            });
            Some(found != *negated)
        }
    }
}

// `and` (decisive false) / `or` (decisive true): a decisive operand settles
// it whatever the unknown ones are.
fn chain(operands: &[Expr], facts: &Facts, decisive: bool) -> Option<bool> {
    let mut unknown = false;
    for o in operands {
        match truth(o, facts) {
            Some(b) if b == decisive => return Some(decisive),
            Some(_) => {}
            None => unknown = true,
        }
    }
    (!unknown).then_some(!decisive)
}

fn operand(expr: &Expr, facts: &Facts) -> Option<FactValue> {
    match expr {
        Expr::Fact { name, .. } => facts.get(name).cloned(),
        Expr::Literal { value, .. } => Some(FactValue::from_literal(value)),
        _ => None,
    }
}
