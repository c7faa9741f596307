//! The tree-walking evaluator: the definition of the semantics the
//! compiled evaluator must reproduce (tests compare the two on every case
//! and on random facts). Slower: it allocates the explanation as it goes.

mod expr;
mod outcome;
mod possible;
mod rules;

use super::{Context, ElementStatus, EvalError, Evaluation, Truth, Verdict};
use crate::model::{Facts, Ruleset, Vocabulary};

/// The verdict alone (tree evaluator).
pub fn verdict(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Verdict, EvalError> {
    let states = rules::evaluate_rules(ruleset, facts, ctx);
    let outcome = outcome::decide(ruleset, vocab, &states)?;
    if outcome.verdict != Verdict::Undetermined {
        return Ok(outcome.verdict);
    }
    // Same answer as `evaluate`'s refinement.
    let p = possible::possible(ruleset, vocab, facts, ctx, &outcome.depends_on)
        .map_err(|_| too_complex(ruleset))?;
    Ok(match p.verdicts.as_slice() {
        [only] => *only,
        _ => Verdict::Undetermined,
    })
}

fn too_complex(ruleset: &Ruleset) -> EvalError {
    EvalError::TooComplex {
        ruleset: ruleset.id.clone(),
    }
}

/// Whether each rule applies, in file order (tree evaluator).
pub fn rule_values(ruleset: &Ruleset, facts: &Facts, ctx: &Context) -> Vec<Truth> {
    rules::evaluate_rules(ruleset, facts, ctx)
        .into_iter()
        .map(|s| s.applies)
        .collect()
}

/// Evaluates a case's facts under a ruleset (tree evaluator).
pub fn evaluate(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Evaluation, EvalError> {
    let states = rules::evaluate_rules(ruleset, facts, ctx);
    let mut outcome = outcome::decide(ruleset, vocab, &states)?;
    if outcome.verdict == Verdict::Undetermined {
        refine(&mut outcome, ruleset, vocab, facts, ctx)?;
    }
    let nodes = rules::explain(ruleset, facts, &states, ctx);
    let pick = |truth: Truth| -> Vec<String> {
        ruleset
            .rules
            .iter()
            .zip(&states)
            .filter(|(r, s)| s.applies == truth && r.then.decides_outcome())
            .map(|(r, _)| r.id.clone())
            .collect()
    };
    Ok(Evaluation {
        ruleset: ruleset.id.clone(),
        as_of: ctx.as_of,
        variant: ctx.variant.clone(),
        in_force: ruleset.in_force.covers(ctx.as_of),
        verdict: outcome.verdict,
        possible_verdicts: outcome.possible,
        authors: outcome.authors,
        possible_authors: outcome.possible_authors,
        not_authors: outcome.not_authors,
        elements: outcome.elements,
        findings: outcome.findings,
        depends_on: outcome.depends_on,
        decided_by: pick(Truth::True),
        open: pick(Truth::Unknown),
        rules: nodes,
    })
}

/// Replaces the Kleene approximation of what is still possible with the
/// exact set over the completions of the unknown facts it depends on.
fn refine(
    outcome: &mut outcome::Decided,
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<(), EvalError> {
    let p = possible::possible(ruleset, vocab, facts, ctx, &outcome.depends_on)
        .map_err(|_| too_complex(ruleset))?;
    if let [only] = p.verdicts.as_slice() {
        // Every way the unknown facts can turn out leads to one verdict.
        outcome.verdict = *only;
        outcome.possible.clear();
        outcome.depends_on.clear();
    } else {
        outcome.possible = p.verdicts;
    }
    for element in &mut outcome.elements {
        let Some(seen) = p.elements.get(&element.element) else {
            continue;
        };
        let statuses: Vec<ElementStatus> = seen.iter().flatten().copied().collect();
        match (statuses.as_slice(), seen.contains(&None)) {
            ([only], false) => {
                element.status = *only;
                element.possible.clear();
                element.depends_on.clear();
            }
            _ => element.possible = statuses,
        }
    }
    outcome.possible_authors.retain(|a| p.authors.contains(a));
    Ok(())
}
