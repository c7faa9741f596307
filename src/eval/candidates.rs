//! The values of an unknown fact that can make a difference to a ruleset:
//! the completions over which both evaluators find the outcomes still
//! possible when facts are unknown (without trying them one by one: see
//! `diagram`), and what the what-if search and the interview try.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{FactDef, FactType, FactValue, Ruleset, Vocabulary};
use crate::syntax::{Date, Expr, Literal};

/// The facts that can be among an open outcome's unknown facts, and so
/// may be given values to try: those the ruleset's conditions read, and
/// those an `arises` condition of the vocabulary reads (an outcome also
/// depends on the unknown facts on which it depends whether the facts it
/// reads arise: a ruleset that never reads `generative_ai_used` still
/// turns on it when it reads a fact that arises only where AI was used).
pub(crate) fn enumerable_facts<'a>(
    ruleset: &'a Ruleset,
    vocab: &'a Vocabulary,
) -> BTreeSet<&'a str> {
    let mut out = ruleset.facts_read();
    for a in vocab.facts.values().filter_map(|d| d.arises.as_ref()) {
        out.extend(a.condition.facts_read());
    }
    out
}

/// The values of a fact that can make a difference to this ruleset:
/// both booleans, every enum value, and for integers and dates each
/// threshold its conditions mention with its neighbours.
pub fn candidates(ruleset: &Ruleset, vocab: &Vocabulary, fact: &str) -> Vec<FactValue> {
    let Some(def) = vocab.fact(fact) else {
        return vec![];
    };
    candidates_from(def, &literals_compared_with(ruleset, vocab, fact))
}

/// Every fact the ruleset's conditions and the vocabulary's `arises`
/// conditions read ([`enumerable_facts`]), with the literals they compare
/// it with: what [`candidates`] reads for one fact, for all of them in one
/// walk over the conditions (a program compiles the candidates of every
/// fact it reads; walking the conditions once per fact, and once more for
/// the facts read, was a sixth of a `compare`).
pub(crate) fn literals_by_fact(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
) -> BTreeMap<String, Vec<Literal>> {
    let mut out: BTreeMap<String, Vec<Literal>> = BTreeMap::new();
    each_read(ruleset, vocab, &mut |name, literal| {
        let to = out.entry(name.to_string()).or_default();
        to.extend(literal.cloned());
    });
    out
}

// Every fact the ruleset's and the vocabulary's `arises` conditions read
// (`f(name, None)`), and every literal they compare one with (`f(name,
// Some(literal))`): the thresholds of both (a value on either side of one
// may make a fact arise or not).
fn each_read(ruleset: &Ruleset, vocab: &Vocabulary, f: &mut impl FnMut(&str, Option<&Literal>)) {
    for when in ruleset.conditions_with_arising(vocab) {
        when.visit(&mut |e| match e {
            Expr::Compare { lhs, rhs, .. } => {
                for (a, b) in [(lhs, rhs), (rhs, lhs)] {
                    if let (Expr::Fact { name, .. }, Expr::Literal { value, .. }) =
                        (a.as_ref(), b.as_ref())
                    {
                        f(name, Some(value));
                    }
                }
            }
            Expr::In { operand, list, .. } => {
                if let Expr::Fact { name, .. } = operand.as_ref() {
                    for l in list {
                        f(name, Some(&l.value));
                    }
                }
            }
            Expr::Fact { name, .. } => f(name, None),
            _ => {}
        });
    }
}

/// The candidate values of a fact of type `def` compared with `literals`.
pub(crate) fn candidates_from(def: &FactDef, literals: &[Literal]) -> Vec<FactValue> {
    match &def.ty {
        FactType::Bool => vec![FactValue::Bool(false), FactValue::Bool(true)],
        FactType::Enum { values } => values
            .iter()
            .map(|(v, _)| FactValue::Str(v.clone()))
            .collect(),
        FactType::Integer { min, max } => integers(literals, *min, *max),
        FactType::Date => dates(literals),
        FactType::Text => texts(literals),
    }
}

// The literals `fact` is compared with (see `each_read`).
fn literals_compared_with(ruleset: &Ruleset, vocab: &Vocabulary, fact: &str) -> Vec<Literal> {
    let mut out = Vec::new();
    each_read(ruleset, vocab, &mut |name, literal| {
        if name == fact {
            out.extend(literal.cloned());
        }
    });
    out
}

// Each threshold, one below and one above, within the fact's bounds.
fn integers(literals: &[Literal], min: Option<i64>, max: Option<i64>) -> Vec<FactValue> {
    let mut values = BTreeSet::new();
    values.insert(min.unwrap_or(0));
    for lit in literals {
        if let Literal::Int(i) = lit {
            values.extend([i.saturating_sub(1), *i, i.saturating_add(1)]);
        }
    }
    values
        .into_iter()
        .filter(|v| min.is_none_or(|m| *v >= m) && max.is_none_or(|m| *v <= m))
        .map(FactValue::Int)
        .collect()
}

fn dates(literals: &[Literal]) -> Vec<FactValue> {
    let mut values = BTreeSet::new();
    values.extend(Date::new(1, 1, 1));
    values.extend(Date::new(9999, 12, 31));
    for lit in literals {
        if let Literal::Date(d) = lit {
            values.extend([d.pred(), Some(*d), d.succ()].into_iter().flatten());
        }
    }
    values.into_iter().map(FactValue::Date).collect()
}

fn texts(literals: &[Literal]) -> Vec<FactValue> {
    let mut values: BTreeSet<String> = literals
        .iter()
        .filter_map(|l| match l {
            Literal::Str(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    // One value equal to none of the literals.
    let other = (0..)
        .map(|i| format!("other-{i}"))
        .find(|s| !values.contains(s));
    values.extend(other);
    values.into_iter().map(FactValue::Str).collect()
}

#[cfg(all(test, feature = "embedded"))]
mod tests {
    use super::*;

    /// The one-walk form a program compiles with gives, for every fact of
    /// every shipped ruleset, what the per-fact form gives.
    #[test]
    fn one_walk_equals_one_fact_at_a_time() {
        let lib = crate::load::embedded::library().unwrap();
        let vocab = &lib.vocabulary;
        let mut compared = 0;
        for ruleset in &lib.rulesets {
            let literals = literals_by_fact(ruleset, vocab);
            let read: BTreeSet<&str> = literals.keys().map(String::as_str).collect();
            assert_eq!(read, enumerable_facts(ruleset, vocab), "{}", ruleset.id);
            for (fact, def) in &vocab.facts {
                let compared_with = literals.get(fact).map_or(&[][..], Vec::as_slice);
                assert_eq!(
                    candidates_from(def, compared_with),
                    candidates(ruleset, vocab, fact),
                    "{} {fact}",
                    ruleset.id
                );
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}
