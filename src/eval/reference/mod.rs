//! The tree-walking evaluator: the definition of the semantics the
//! compiled evaluator must reproduce (tests compare the two on every case
//! and on random facts). Slower: it allocates the explanation as it goes.
//!
//! Facts are first completed against the vocabulary
//! ([`Vocabulary::complete`]): a fact that does not arise is read at its
//! defined value, and each completion of unknown facts tried when refining
//! an open outcome is completed the same way.

mod expr;
mod outcome;
mod possible;
mod rules;
mod tried;

use std::collections::BTreeSet;

use super::{Context, ElementStatus, EvalError, Evaluation, Truth, Verdict};
use crate::model::{Facts, Ruleset, Vocabulary};

/// The verdict alone (tree evaluator).
pub fn verdict(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Verdict, EvalError> {
    let completion = vocab.complete(facts);
    let facts = &completion.facts;
    let states = rules::evaluate_rules(ruleset, facts, ctx);
    let mut outcome = outcome::decide(ruleset, vocab, &states)?;
    if outcome.verdict != Verdict::Undetermined {
        return Ok(outcome.verdict);
    }
    with_arising(vocab, facts, &mut outcome.depends_on);
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

/// Adds to `deps` (unknown facts an outcome depends on) the unknown facts
/// on which it depends whether each of them arises: learning that there is
/// no AI material settles a question about editing the AI output.
pub(crate) fn with_arising(vocab: &Vocabulary, completed: &Facts, deps: &mut Vec<String>) {
    let more: BTreeSet<String> = deps
        .iter()
        .flat_map(|f| vocab.arising_hinges_on(completed, f))
        .collect();
    if more.is_empty() {
        return;
    }
    deps.extend(more);
    deps.sort();
    deps.dedup();
}

/// Whether each rule applies, in file order (tree evaluator), on the facts
/// as given: complete them first ([`Vocabulary::complete`]) for facts that
/// may not arise.
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
    let completion = vocab.complete(facts);
    let facts = &completion.facts;
    let states = rules::evaluate_rules(ruleset, facts, ctx);
    let mut outcome = outcome::decide(ruleset, vocab, &states)?;
    with_arising(vocab, facts, &mut outcome.depends_on);
    for e in &mut outcome.elements {
        with_arising(vocab, facts, &mut e.depends_on);
    }
    if outcome.verdict == Verdict::Undetermined {
        refine(&mut outcome, ruleset, vocab, facts, ctx)?;
    }
    let nodes = rules::explain(ruleset, &completion, &states, ctx);
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
    let open = outcome.depends_on.clone();
    let p =
        possible::possible(ruleset, vocab, facts, ctx, &open).map_err(|_| too_complex(ruleset))?;
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
    if outcome.possible_authors.is_empty() {
        return Ok(());
    }
    // Who may be the author also turns on the facts of the rules that may
    // make them one, which need not decide any element.
    let mut wider = open.clone();
    wider.extend(outcome.author_depends_on.iter().cloned());
    with_arising(vocab, facts, &mut wider);
    wider.sort();
    wider.dedup();
    let authors = if wider == open {
        p.authors
    } else {
        possible::possible(ruleset, vocab, facts, ctx, &wider)
            .map_err(|_| too_complex(ruleset))?
            .authors
    };
    outcome.possible_authors.retain(|a| authors.contains(a));
    Ok(())
}
