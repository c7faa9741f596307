//! The outcomes still possible on an open case found by trying each
//! completion of its facts in turn, with the tree evaluator itself: the
//! fallback when the case's diagrams ([`super::possible`]) pass their
//! budget. The definition, enumerated: each fact to try takes each of its
//! values, the facts are completed (facts that do not arise at their
//! defined values), the rules evaluated and the outcome decided;
//! completions on which two applying rules contradict each other are
//! dropped.

use std::collections::BTreeMap;

use super::possible::Possible;
use super::{outcome, rules};
use crate::eval::diagram::TooLarge;
use crate::eval::{Context, MAX_COMPLETIONS};
use crate::model::{FactValue, Facts, Ruleset, Vocabulary};

/// What the completions of the facts `names` (each over its `values`)
/// reach; `Err` past [`MAX_COMPLETIONS`] completions.
pub(super) fn possible(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    names: &[String],
    values: &[Vec<FactValue>],
) -> Result<Possible, TooLarge> {
    let count = values
        .iter()
        .try_fold(1usize, |n, v| n.checked_mul(v.len()))
        .filter(|&n| n <= MAX_COMPLETIONS)
        .ok_or(TooLarge)?;
    let mut out = Possible {
        verdicts: vec![],
        elements: BTreeMap::new(),
        authors: Default::default(),
    };
    for index in 0..count {
        let mut completion = facts.clone();
        let mut rest = index;
        for (name, vals) in names.iter().zip(values) {
            let n = vals.len().max(1);
            if let Some(v) = rest.checked_rem(n).and_then(|i| vals.get(i)) {
                completion.set(name, v.clone());
            }
            rest = rest.checked_div(n).unwrap_or(0);
        }
        gather(ruleset, vocab, ctx, &completion, &mut out);
    }
    out.verdicts.sort();
    out.verdicts.dedup();
    Ok(out)
}

/// Adds the outcome of one completion (if it reaches one) to `out`.
fn gather(ruleset: &Ruleset, vocab: &Vocabulary, ctx: &Context, facts: &Facts, out: &mut Possible) {
    let completed = vocab.complete(facts);
    let states = rules::evaluate_rules(ruleset, &completed.facts, ctx);
    let Ok(decided) = outcome::decide(ruleset, vocab, &states) else {
        return;
    };
    out.verdicts.push(decided.verdict);
    for element in vocab.elements.keys() {
        let status = decided
            .elements
            .iter()
            .find(|e| &e.element == element)
            .map(|e| e.status);
        out.elements
            .entry(element.clone())
            .or_default()
            .insert(status);
    }
    out.authors.extend(decided.authors);
}

#[cfg(all(test, feature = "embedded"))]
mod tests {
    use super::super::possible::{Vars, over_diagrams};
    use super::*;

    /// On every shipped ruleset with no facts at all (the widest cases),
    /// at both ends of the library's dates, trying each completion gives
    /// what the diagrams give, wherever the completions are few enough.
    #[test]
    fn trying_completions_equals_the_diagrams() {
        let lib = crate::load::embedded::library().unwrap();
        let vocab = &lib.vocabulary;
        let none = Facts::default();
        let mut compared = 0;
        for ruleset in &lib.rulesets {
            for as_of in [
                crate::syntax::Date::new(2023, 6, 1).unwrap(),
                lib.latest_date().unwrap(),
            ] {
                let ctx = Context::as_of(as_of);
                let states = rules::evaluate_rules(ruleset, &none, &ctx);
                let decided = outcome::decide(ruleset, vocab, &states).unwrap();
                let vars = Vars::new(ruleset, vocab, &decided.depends_on);
                // Up to 4,096 completions: the tree evaluator is slow unoptimised.
                let count: usize = vars.values.iter().map(Vec::len).product();
                if count > 1 << 12 {
                    continue;
                }
                let Ok(tried) = possible(ruleset, vocab, &none, &ctx, &vars.names, &vars.values)
                else {
                    continue;
                };
                let diagrams = over_diagrams(ruleset, vocab, &none, &ctx, &vars).unwrap();
                assert_eq!(tried, diagrams, "{} as of {as_of}", ruleset.id);
                compared += 1;
            }
        }
        eprintln!("{compared} compared");
        assert!(compared >= 10, "only {compared} compared");
    }
}
