//! Facts that do not arise, on dense patterns: the vocabulary's `arises`
//! conditions compiled once against the slot table, so that a pattern can
//! be completed (each fact that does not arise set to its defined value)
//! without string lookups — before every evaluation and for every
//! completion of unknown facts the exact refinement tries.
//!
//! [`crate::model::Vocabulary::complete`] defines the semantics; this must
//! agree with it (tested on the fixture vocabularies).

use super::run::BitRows;
use super::value::{Kind, Pattern, Slots, Val};
use crate::model::{FactValue, Vocabulary};
use crate::syntax::{CmpOp, Expr, Literal};

/// Ranks as the compiled run uses them: false 0, unknown 1, true 2.
pub(super) const F: u8 = 0;
pub(super) const U: u8 = 1;
pub(super) const T: u8 = 2;

/// Every `arises` condition of a vocabulary, in dependency order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArisingCode {
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    /// The fact that may not arise.
    slot: u32,
    /// When it arises.
    cond: Cond,
    /// Its value when it does not.
    otherwise: Val,
    /// The condition as written (for explanations).
    when: String,
    /// The slots the condition reads.
    reads: Vec<u32>,
}

/// An `arises` condition over slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cond {
    Const(u8),
    Fact(u32),
    Not(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Compare(CmpOp, Operand, Operand),
    In(Operand, Vec<Val>, bool),
}

/// An operand of a comparison in a [`Cond`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operand {
    Slot(u32),
    Lit(Val),
    /// Never produced from a loaded vocabulary: unknown.
    Opaque,
}

impl ArisingCode {
    /// Compiles the vocabulary's conditions against `slots` (built from the
    /// same vocabulary, so it knows their strings).
    pub fn new(vocab: &Vocabulary, slots: &Slots) -> ArisingCode {
        let steps = vocab
            .arising_order()
            .into_iter()
            .filter_map(|def| {
                let a = def.arises.as_ref()?;
                Some(Step {
                    slot: slots.slot(&def.id)?,
                    cond: cond(&a.condition, slots),
                    otherwise: value(&a.otherwise, slots),
                    when: a.when.clone(),
                    reads: a
                        .condition
                        .facts_read()
                        .into_iter()
                        .filter_map(|f| slots.slot(f))
                        .collect(),
                })
            })
            .collect();
        ArisingCode { steps }
    }

    /// Whether no fact says when it arises (then nothing is ever completed).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Sets every fact of `p` that does not arise to its defined value;
    /// records each such slot with the value it had before in `defaulted`.
    pub fn apply(&self, p: &mut Pattern, defaulted: &mut Vec<(u32, Val)>) {
        for step in &self.steps {
            if eval(&step.cond, p) == F {
                defaulted.push((step.slot, p.get(step.slot)));
                p.put(step.slot, step.otherwise);
            }
        }
    }

    /// Whether some completion of `p`'s unknown facts may change a value
    /// `p` (completed) knows: a fact stated with a value other than its
    /// defined one, while it is unknown whether it arises, takes its
    /// defined value where it turns out not to. Otherwise completing only
    /// makes unknown values known, and three-valued logic never turns a
    /// known value around: what is settled on `p` stays settled on every
    /// completion (the exact refinement relies on it to skip questions).
    pub(super) fn may_override(&self, p: &Pattern) -> bool {
        self.steps.iter().any(|step| {
            let stated = p.get(step.slot);
            stated.is_known() && stated != step.otherwise && eval(&step.cond, p) == U
        })
    }

    /// When the fact in `slot` arises and its value when it does not, if
    /// it may not arise (the decision diagrams read it that way).
    pub(super) fn step(&self, slot: u32) -> Option<(&Cond, Val)> {
        self.steps
            .iter()
            .find(|s| s.slot == slot)
            .map(|s| (&s.cond, s.otherwise))
    }

    /// The condition under which the fact in `slot` arises, if it has one.
    pub fn when(&self, slot: u32) -> Option<&str> {
        self.steps
            .iter()
            .find(|s| s.slot == slot)
            .map(|s| s.when.as_str())
    }

    /// The first fact `p` states with a value other than its defined one
    /// although it does not arise, as a message (authored facts such as a
    /// batch record must not contradict themselves). `work` and `defaulted`
    /// are buffers; when some fact may not arise, `work` is left holding
    /// `p` completed, and `defaulted` what completing it set (batch
    /// evaluates that copy under every ruleset).
    #[cfg(feature = "batch")]
    pub fn contradiction(
        &self,
        slots: &Slots,
        p: &Pattern,
        work: &mut Option<Pattern>,
        defaulted: &mut Vec<(u32, Val)>,
    ) -> Option<String> {
        if self.steps.is_empty() {
            return None;
        }
        let mut copy = work.take().unwrap_or_else(|| p.clone());
        copy.clone_from(p);
        defaulted.clear();
        self.apply(&mut copy, defaulted);
        let found = defaulted.iter().find_map(|&(slot, before)| {
            let step = self.steps.iter().find(|s| s.slot == slot)?;
            if !before.is_known() || before == step.otherwise {
                return None;
            }
            let show = |pattern: &Pattern| {
                slots
                    .value(pattern, slot)
                    .map_or_else(String::new, |v| v.to_string())
            };
            Some(format!(
                "fact `{}` does not arise on these facts (`{}` is false), so it is {}, not {}",
                slots.name(slot).unwrap_or_default(),
                step.when,
                show(&copy),
                show(p)
            ))
        });
        *work = Some(copy);
        found
    }

    /// Adds to `row` of `rows` the unknown facts on which it depends whether
    /// the facts already in it arise (on a completed pattern), in turn.
    pub fn add_hinges(&self, p: &Pattern, rows: &mut BitRows, row: usize) {
        if self.steps.is_empty() {
            return;
        }
        let mut todo: Vec<u32> = rows
            .iter(row)
            .filter_map(|b| u32::try_from(b).ok())
            .collect();
        let mut seen: Vec<u32> = Vec::new();
        while let Some(slot) = todo.pop() {
            if seen.contains(&slot) {
                continue;
            }
            seen.push(slot);
            let Some(step) = self.steps.iter().find(|s| s.slot == slot) else {
                continue;
            };
            if eval(&step.cond, p) != U {
                continue;
            }
            for &r in &step.reads {
                if !p.get(r).is_known() {
                    rows.set(row, r as usize);
                    todo.push(r);
                }
            }
        }
    }
}

fn cond(expr: &Expr, slots: &Slots) -> Cond {
    match expr {
        Expr::Literal {
            value: Literal::Bool(b),
            ..
        } => Cond::Const(if *b { T } else { F }),
        Expr::Literal { .. } | Expr::Conclusion { .. } => Cond::Const(U),
        Expr::Fact { name, .. } => slots.slot(name).map_or(Cond::Const(U), Cond::Fact),
        Expr::Not { operand, .. } => Cond::Not(Box::new(cond(operand, slots))),
        Expr::And { operands, .. } => Cond::And(operands.iter().map(|o| cond(o, slots)).collect()),
        Expr::Or { operands, .. } => Cond::Or(operands.iter().map(|o| cond(o, slots)).collect()),
        Expr::Compare { op, lhs, rhs, .. } => {
            let (l, r) = (operand(lhs, slots), operand(rhs, slots));
            // String ids keep equality, not order (the type checker allows
            // ordering only on integers and dates).
            if op.is_ordering() && (is_string(l, slots) || is_string(r, slots)) {
                return Cond::Const(U);
            }
            Cond::Compare(*op, l, r)
        }
        Expr::In {
            negated,
            operand: o,
            list,
            ..
        } => Cond::In(
            operand(o, slots),
            list.iter().map(|l| slots.literal(&l.value)).collect(),
            *negated,
        ),
    }
}

fn operand(expr: &Expr, slots: &Slots) -> Operand {
    match expr {
        Expr::Fact { name, .. } => slots.slot(name).map_or(Operand::Opaque, Operand::Slot),
        Expr::Literal { value, .. } => Operand::Lit(slots.literal(value)),
        _ => Operand::Opaque,
    }
}

fn is_string(o: Operand, slots: &Slots) -> bool {
    match o {
        Operand::Lit(v) => v.kind == Kind::Str,
        Operand::Slot(s) => matches!(
            slots.fact_type(s),
            Some(crate::model::FactType::Enum { .. } | crate::model::FactType::Text)
        ),
        Operand::Opaque => false,
    }
}

fn value(v: &FactValue, slots: &Slots) -> Val {
    let lit = match v {
        FactValue::Bool(b) => Literal::Bool(*b),
        FactValue::Int(i) => Literal::Int(*i),
        FactValue::Date(d) => Literal::Date(*d),
        FactValue::Str(s) => Literal::Str(s.clone()),
    };
    slots.literal(&lit)
}

fn eval(c: &Cond, p: &Pattern) -> u8 {
    match c {
        Cond::Const(r) => *r,
        Cond::Fact(s) => p.rank(*s),
        Cond::Not(inner) => T.saturating_sub(eval(inner, p)),
        Cond::And(parts) => parts.iter().fold(T, |acc, o| acc.min(eval(o, p))),
        Cond::Or(parts) => parts.iter().fold(F, |acc, o| acc.max(eval(o, p))),
        Cond::Compare(op, a, b) => match (read(*a, p), read(*b, p)) {
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
        Cond::In(o, list, negated) => match read(*o, p) {
            Some(v) => {
                let found = list.iter().any(|l| l.kind == v.kind && l.bits == v.bits);
                if found != *negated { T } else { F }
            }
            None => U,
        },
    }
}

fn read(o: Operand, p: &Pattern) -> Option<Val> {
    match o {
        Operand::Slot(s) => Some(p.get(s)).filter(|v| v.is_known()),
        Operand::Lit(v) => Some(v),
        Operand::Opaque => None,
    }
}
