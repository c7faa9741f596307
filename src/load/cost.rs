//! What one evaluation of a ruleset may cost, estimated when it is loaded,
//! and the bound on it ([`MAX_EVAL_COST`]).
//!
//! The limits on files and conditions bound the size of a ruleset, not the
//! work of evaluating it: a conclusion read ten thousand times by rules
//! that each weigh hundreds of rules holding it, a fact compared with a
//! thousand values (each a class of its values for the exact analysis to
//! tell apart), or conditions nested so deep that the explanation repeats
//! their text sixty times, all fit within them and each cost seconds per
//! evaluation. The estimate follows the loops of the evaluator — the run
//! over the compiled conditions, the facts each unknown value hinges on,
//! the decision diagram of the outcomes still possible (built on the first
//! open case), and the explanation — in steps of roughly ten nanoseconds
//! of a release build, counting each loop at its worst. It is an upper
//! bound on the work those loops do on any case, except for one thing no
//! estimate made before building can bound: how large the decision
//! diagram grows, and how many steps combining its parts takes, which
//! `MAX_DIAGRAM_NODES` and `MAX_DIAGRAM_STEPS` bound as the diagram is
//! built (past either, an open outcome is an evaluation error).
//!
//! The stages after this one are not consulted (the load stage comes
//! first): each term below names the loop it stands for, and a change to
//! those loops should change it too.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::model::{FactType, Ruleset, Vocabulary};
use crate::syntax::{CmpOp, Expr, Literal};

/// Most steps (roughly ten nanoseconds each in a release build) that one
/// evaluation of a ruleset may cost by [`evaluation_cost`]: about 50 ms.
/// The shipped rulesets cost less than a tenth of it.
pub const MAX_EVAL_COST: u64 = 5_000_000;

/// Steps of one operation of the decision diagram (`and` or `or` of two
/// diagrams, each with a hash-table lookup): the diagram makes two per
/// operand of a three-valued `and`/`or`.
const APPLY: u64 = 8;
/// Steps per syntax node: parsed, compiled, run, given a row of the facts
/// it hinges on, and made a node of the explanation (with its value, the
/// facts it reads and the facts they hinge on), which is written out.
const NODE: u64 = 64;
/// Bytes of a sub-condition's text per step: printed once when compiled,
/// copied into each explanation and written out with it.
const TEXT_BYTES: u64 = 4;

/// What evaluating a ruleset costs: in all, and by its costliest rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cost {
    /// The whole estimate.
    pub total: u64,
    /// The costliest rule (index in the ruleset) and its share.
    pub heaviest: Option<(usize, u64)>,
    /// What most of that rule's share comes from.
    pub why: Why,
}

/// The largest term of a rule's cost, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Why {
    /// Its condition's size.
    #[default]
    Size,
    /// The conclusions it reads, each weighing every rule holding it.
    Conclusions,
    /// Facts compared with many values.
    Values,
    /// The text of nested sub-conditions, repeated by the explanation.
    Text,
    /// Its exceptions.
    Exceptions,
}

impl Why {
    /// Why, in the words of the error message.
    pub fn describe(self) -> &'static str {
        match self {
            Why::Size => "its condition's size",
            Why::Conclusions => {
                "the conclusions it reads (each reading weighs every rule that holds the conclusion)"
            }
            Why::Values => {
                "facts compared with many values (each value splits the fact for the exact analysis)"
            }
            Why::Text => {
                "its nested sub-conditions (the explanation carries each one's text, so the innermost text once per level)"
            }
            Why::Exceptions => "its exceptions",
        }
    }
}

/// The estimated cost of one evaluation of `ruleset` (see the module
/// documentation); [`MAX_EVAL_COST`] bounds it when the ruleset is loaded.
pub fn evaluation_cost(ruleset: &Ruleset, vocab: &Vocabulary) -> u64 {
    cost(ruleset, vocab).total
}

/// The cost of `ruleset`, with its costliest rule.
pub(crate) fn cost(ruleset: &Ruleset, vocab: &Vocabulary) -> Cost {
    let tests = Tests::of(ruleset, vocab);
    // A row of the facts a value hinges on is this many words long.
    let words = (vocab.facts.len().div_ceil(64)).max(1) as u64;
    let mut total = 0u64;
    let mut heaviest: Option<(usize, u64)> = None;
    let mut why = Why::Size;
    for (i, rule) in ruleset.rules.iter().enumerate() {
        let mut terms = Terms::default();
        let exceptions = ruleset.index.exceptions.get(i).map_or(0, Vec::len) as u64;
        terms.exceptions = exceptions.saturating_mul(APPLY.saturating_mul(2).saturating_add(words));
        terms.add(&rule.when, ruleset, vocab, &tests, words);
        let share = terms.sum();
        total = total.saturating_add(share);
        if heaviest.is_none_or(|(_, h)| share > h) {
            heaviest = Some((i, share));
            why = terms.largest();
        }
    }
    // The exact analysis splits each fact's values into classes: one
    // signature (every test of it) per sample value.
    for &t in tests.count.values() {
        total = total.saturating_add(samples(t).saturating_mul(t));
    }
    // Each fact read gets candidate values by a walk over every rule.
    let nodes: u64 = ruleset
        .rules
        .iter()
        .map(|r| node_count(&r.when))
        .fold(0, u64::saturating_add);
    let read = enumerable_facts(ruleset, vocab).len() as u64;
    total = total.saturating_add(read.saturating_mul(nodes));
    // Each element and party some rule speaks about is matched with every
    // rule.
    let subjects = (vocab.elements.len().saturating_add(vocab.parties.len())) as u64;
    total = total.saturating_add(subjects.saturating_mul(ruleset.rules.len() as u64));
    Cost {
        total,
        heaviest,
        why,
    }
}

/// A rule's cost by what it comes from.
#[derive(Debug, Default)]
struct Terms {
    size: u64,
    conclusions: u64,
    values: u64,
    text: u64,
    exceptions: u64,
}

impl Terms {
    fn sum(&self) -> u64 {
        [
            self.size,
            self.conclusions,
            self.values,
            self.text,
            self.exceptions,
        ]
        .into_iter()
        .fold(0, u64::saturating_add)
    }

    fn largest(&self) -> Why {
        [
            (self.size, Why::Size),
            (self.conclusions, Why::Conclusions),
            (self.values, Why::Values),
            (self.text, Why::Text),
            (self.exceptions, Why::Exceptions),
        ]
        .into_iter()
        .max_by_key(|(steps, _)| *steps)
        .map_or(Why::Size, |(_, why)| why)
    }

    /// Adds node `e` and its operands.
    fn add(&mut self, e: &Expr, ruleset: &Ruleset, vocab: &Vocabulary, tests: &Tests, words: u64) {
        let span = e.span();
        let text = span.end.saturating_sub(span.start) as u64;
        self.text = self.text.saturating_add(text.div_ceil(TEXT_BYTES));
        self.size = self.size.saturating_add(NODE.saturating_add(words));
        let arity = |fact: &str| arity(tests.count_of(fact));
        // Reading a fact that may not arise is a choice between its defined
        // value and itself: a few more operations.
        let arising = |fact: &str| {
            if vocab.fact(fact).is_some_and(|d| d.arises.is_some()) {
                APPLY.saturating_mul(6)
            } else {
                0
            }
        };
        match e {
            Expr::Literal { .. } | Expr::Fact { .. } => {}
            Expr::Conclusion { name, .. } => {
                let holders = ruleset.index.holders.get(name).map_or(0, Vec::len) as u64;
                let each = APPLY.saturating_mul(2).saturating_add(words);
                self.conclusions = self
                    .conclusions
                    .saturating_add(holders.saturating_mul(each));
            }
            Expr::Not { operand, .. } => {
                self.add(operand, ruleset, vocab, tests, words);
            }
            Expr::And { operands, .. } | Expr::Or { operands, .. } => {
                let each = APPLY.saturating_mul(2);
                self.size = self
                    .size
                    .saturating_add((operands.len() as u64).saturating_mul(each));
                for o in operands {
                    self.add(o, ruleset, vocab, tests, words);
                }
            }
            Expr::Compare { lhs, rhs, .. } => {
                let steps = match (lhs.as_ref(), rhs.as_ref()) {
                    // Two facts: every pair of their classes.
                    (Expr::Fact { name: x, .. }, Expr::Fact { name: y, .. }) => arity(x)
                        .saturating_mul(arity(y))
                        .saturating_mul(3)
                        .saturating_add(arity(x).saturating_mul(APPLY.saturating_mul(4)))
                        .saturating_add(arising(x))
                        .saturating_add(arising(y)),
                    (Expr::Fact { name, .. }, _) | (_, Expr::Fact { name, .. }) => {
                        arity(name).saturating_mul(2).saturating_add(arising(name))
                    }
                    _ => 0,
                };
                self.values = self.values.saturating_add(steps);
                for side in [lhs, rhs] {
                    self.add(side, ruleset, vocab, tests, words);
                }
            }
            Expr::In { operand, list, .. } => {
                let len = list.len() as u64;
                // Each of the fact's classes is looked up in the list, for
                // where it holds and where it does not.
                let steps = match operand.as_ref() {
                    Expr::Fact { name, .. } => arity(name)
                        .saturating_mul(len)
                        .saturating_mul(2)
                        .saturating_add(arising(name)),
                    _ => 0,
                };
                self.values = self.values.saturating_add(steps.saturating_add(len));
                self.add(operand, ruleset, vocab, tests, words);
            }
        }
    }
}

/// How many values of each fact the conditions compare it with (the
/// rulesets' and the vocabulary's `arises` conditions), counted once each.
struct Tests<'a> {
    count: BTreeMap<&'a str, u64>,
}

impl<'a> Tests<'a> {
    fn of(ruleset: &'a Ruleset, vocab: &'a Vocabulary) -> Tests<'a> {
        let mut distinct: HashSet<(&'a str, u8, &'a Literal)> = HashSet::new();
        let mut pairs: BTreeSet<(&'a str, &'a str)> = BTreeSet::new();
        for when in ruleset.conditions_with_arising(vocab) {
            when.visit(&mut |e| match e {
                Expr::Compare { op, lhs, rhs, .. } => match (lhs.as_ref(), rhs.as_ref()) {
                    (Expr::Fact { name: x, .. }, Expr::Fact { name: y, .. }) => {
                        pairs.insert((x.as_str(), y.as_str()));
                    }
                    (Expr::Fact { name, .. }, Expr::Literal { value, .. })
                    | (Expr::Literal { value, .. }, Expr::Fact { name, .. }) => {
                        distinct.insert((name.as_str(), op_code(*op), value));
                    }
                    _ => {}
                },
                Expr::In { operand, list, .. } => {
                    if let Expr::Fact { name, .. } = operand.as_ref() {
                        for item in list {
                            distinct.insert((name.as_str(), op_code(CmpOp::Eq), &item.value));
                        }
                    }
                }
                _ => {}
            });
        }
        let mut count: BTreeMap<&str, u64> = BTreeMap::new();
        for (fact, ..) in &distinct {
            let n = count.entry(fact).or_default();
            *n = n.saturating_add(1);
        }
        // A comparison of two facts tests each against every candidate
        // value of the other, and against its own.
        let candidates = |fact: &str, count: &BTreeMap<&str, u64>| -> u64 {
            let listed = match vocab.fact(fact).map(|d| &d.ty) {
                Some(FactType::Enum { values }) => values.len() as u64,
                _ => 0,
            };
            count
                .get(fact)
                .copied()
                .unwrap_or(0)
                .saturating_mul(3)
                .saturating_add(2)
                .saturating_add(listed)
        };
        let base = count.clone();
        for (x, y) in pairs {
            let both = candidates(x, &base).saturating_add(candidates(y, &base));
            for fact in [x, y] {
                let n = count.entry(fact).or_default();
                *n = n.saturating_add(both);
            }
        }
        Tests { count }
    }

    fn count_of(&self, fact: &str) -> u64 {
        self.count.get(fact).copied().unwrap_or(0)
    }
}

fn op_code(op: CmpOp) -> u8 {
    match op {
        CmpOp::Eq => 0,
        CmpOp::Ne => 1,
        CmpOp::Lt => 2,
        CmpOp::Le => 3,
        CmpOp::Gt => 4,
        CmpOp::Ge => 5,
    }
}

/// The values sampled to find a fact's classes, for `tests` tests: each
/// tested value and its two neighbours, two extremes per kind of value,
/// and the booleans.
fn samples(tests: u64) -> u64 {
    tests.saturating_add(2).saturating_mul(3).saturating_add(8)
}

/// At most how many values a fact's variable has in the diagram: each
/// tested value and the stretch beyond it, the other kinds of value, and
/// unknown.
fn arity(tests: u64) -> u64 {
    tests.saturating_mul(2).saturating_add(8)
}

fn node_count(e: &Expr) -> u64 {
    let mut n = 0u64;
    e.visit(&mut |_| n = n.saturating_add(1));
    n
}

/// The facts the ruleset's conditions and the vocabulary's `arises`
/// conditions read: those that get candidate values.
fn enumerable_facts<'a>(ruleset: &'a Ruleset, vocab: &'a Vocabulary) -> BTreeSet<&'a str> {
    let mut out = ruleset.facts_read();
    for a in vocab.facts.values().filter_map(|d| d.arises.as_ref()) {
        out.extend(a.condition.facts_read());
    }
    out
}
