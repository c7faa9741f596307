//! A fact's values grouped by how a ruleset's conditions see them: two
//! values are in one class when every comparison the conditions make of
//! the fact (and a bare read of it) comes out the same for both. A class
//! is one value of the fact's variable in the diagram; a case's value is
//! mapped to its class, and the values the exact definition tries for an
//! unknown fact (`candidate_values`) to theirs.

use std::collections::HashMap;

use crate::eval::Truth;
use crate::eval::compiled::value::{Kind, Val};
use crate::syntax::CmpOp;

/// One comparison a condition makes of the fact: `fact op value`, or
/// `value op fact` when `fact_left` is false. `in [..]` is a test `==` per
/// listed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Test {
    /// The operator.
    pub op: CmpOp,
    /// The other side.
    pub value: Val,
    /// The fact is the left operand.
    pub fact_left: bool,
}

impl Test {
    /// Whether the comparison holds for the fact's value `v` (values of
    /// different kinds never compare, as in the program's run).
    pub fn passes(&self, v: Val) -> bool {
        if v.kind != self.value.kind {
            return false;
        }
        let o = if self.fact_left {
            v.bits.cmp(&self.value.bits)
        } else {
            self.value.bits.cmp(&v.bits)
        };
        self.op.holds(o)
    }
}

/// How a bare fact in a condition reads a value (as `Pattern::rank`).
pub(super) fn bare(v: Val) -> Truth {
    match v.kind {
        Kind::Unknown => Truth::Unknown,
        Kind::Bool if v.bits == 1 => Truth::True,
        _ => Truth::False,
    }
}

/// A fact as a variable of the diagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FactVar {
    /// The fact's slot.
    pub slot: u32,
    /// Every comparison the conditions make of it.
    tests: Vec<Test>,
    /// One value of each class; a class's index is its position, and the
    /// index after the last is "unknown".
    pub reps: Vec<Val>,
    /// The classes of the values the exact definition tries when the fact
    /// is unknown (just "unknown" when it tries none: it stays unknown).
    pub candidates: Vec<usize>,
    /// Those values with their classes: the commonest known values (every
    /// boolean and enum value), found without testing.
    known: Vec<(Val, usize)>,
    /// Each class by its signature (what the tests say of its values).
    by_signature: HashMap<Vec<u64>, usize>,
}

const KINDS: [Kind; 4] = [Kind::Bool, Kind::Int, Kind::Str, Kind::Date];

impl FactVar {
    /// The classes of a fact tested by `tests`, tried with `candidates`.
    pub fn new(slot: u32, tests: Vec<Test>, candidates: &[Val]) -> FactVar {
        let mut var = FactVar {
            slot,
            tests,
            reps: vec![],
            candidates: vec![],
            known: vec![],
            by_signature: HashMap::new(),
        };
        // One signature per sample, not a comparison with every class found
        // so far: a fact compared with a thousand values has thousands of
        // classes, and comparing each sample with each would cost their
        // product times the tests.
        for v in var.samples() {
            let signature = var.signature(v);
            if !var.by_signature.contains_key(&signature) {
                var.by_signature.insert(signature, var.reps.len());
                var.reps.push(v);
            }
        }
        for &v in candidates {
            let c = var.class_of(v);
            if !var.candidates.contains(&c) {
                var.candidates.push(c);
            }
            var.known.push((v, c));
        }
        if var.candidates.is_empty() {
            var.candidates.push(var.unknown());
        }
        var
    }

    /// The index of "unknown".
    pub fn unknown(&self) -> usize {
        self.reps.len()
    }

    /// How many values the variable has: the classes and "unknown".
    pub fn arity(&self) -> usize {
        self.reps.len().saturating_add(1)
    }

    /// The class of a value.
    pub fn class_of(&self, v: Val) -> usize {
        if !v.is_known() {
            return self.unknown();
        }
        if let Some(&(_, c)) = self.known.iter().find(|(k, _)| *k == v) {
            return c;
        }
        // `samples` has a value of every class, so every value finds one.
        self.find(v).unwrap_or(self.unknown())
    }

    fn find(&self, v: Val) -> Option<usize> {
        self.by_signature.get(&self.signature(v)).copied()
    }

    /// What the fact's bare read and each test make of `v`, as bits: two
    /// values are in one class exactly when their signatures are equal.
    fn signature(&self, v: Val) -> Vec<u64> {
        let bits = self.tests.len().saturating_add(2);
        let mut out = vec![0u64; bits.div_ceil(64)];
        let mut set = |i: usize| {
            if let Some(word) = out.get_mut(i / 64) {
                *word |= 1u64 << (i % 64);
            }
        };
        match bare(v) {
            Truth::True => set(0),
            Truth::False => set(1),
            Truth::Unknown => {}
        }
        for (i, t) in self.tests.iter().enumerate() {
            if t.passes(v) {
                set(i.saturating_add(2));
            }
        }
        out
    }

    // A value of every class. Per kind, a value's class depends only on
    // where its payload lies among the payloads the tests compare with
    // (and, for booleans, 1 = true): at one of them, or strictly between
    // two neighbours, or beyond the last; each breakpoint, its neighbours
    // and the extremes hit every such place.
    fn samples(&self) -> Vec<Val> {
        let mut out = Vec::new();
        for kind in KINDS {
            let mut points: Vec<i64> = self
                .tests
                .iter()
                .filter(|t| t.value.kind == kind)
                .map(|t| t.value.bits)
                .collect();
            if kind == Kind::Bool {
                points.extend([0, 1]);
            }
            out.push(Val {
                kind,
                bits: i64::MIN,
            });
            out.push(Val {
                kind,
                bits: i64::MAX,
            });
            for p in points {
                for bits in [p.saturating_sub(1), p, p.saturating_add(1)] {
                    out.push(Val { kind, bits });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i64) -> Val {
        Val::int(i)
    }

    #[test]
    fn thresholds_split_the_integers() {
        let t = |op, i| Test {
            op,
            value: int(i),
            fact_left: true,
        };
        let var = FactVar::new(
            0,
            vec![t(CmpOp::Lt, 5), t(CmpOp::Ge, 3)],
            &[int(0), int(4), int(5), int(6)],
        );
        // Integers: < 3, 3..4, >= 5; booleans, strings, dates: one each.
        assert_eq!(var.class_of(int(-100)), var.class_of(int(2)));
        assert_eq!(var.class_of(int(3)), var.class_of(int(4)));
        assert_ne!(var.class_of(int(4)), var.class_of(int(5)));
        assert_eq!(var.class_of(int(5)), var.class_of(int(i64::MAX)));
        assert_eq!(var.class_of(Val::UNKNOWN), var.unknown());
        // The four tried values fall into three classes.
        assert_eq!(var.candidates.len(), 3);
        // A boolean `true` reads as true, unlike every other value.
        assert_ne!(
            var.class_of(Val::bool(true)),
            var.class_of(Val::bool(false))
        );
        let text = Val {
            kind: Kind::Str,
            bits: 7,
        };
        assert_eq!(var.class_of(Val::bool(false)), var.class_of(text));
    }

    #[test]
    fn a_fact_tried_with_no_value_stays_unknown() {
        let var = FactVar::new(0, vec![], &[]);
        assert_eq!(var.candidates, vec![var.unknown()]);
    }
}
