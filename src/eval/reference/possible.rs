//! Exact "still possible" outcomes of an undetermined evaluation.
//!
//! Kleene logic alone over-approximates: two rules that exclude each other
//! (a rule and its exception) both look "maybe" and would suggest a
//! verdict no completion of the facts reaches. So the unknown facts an open
//! outcome depends on are enumerated over the values that can matter
//! (booleans, enum values, and for integers and dates the thresholds the
//! ruleset's conditions mention), and each completion is evaluated.
//! Bounded: beyond [`MAX_COMPLETIONS`] the Kleene approximation stands.
//! Each completion is completed against the vocabulary too, so a fact that
//! would not arise in it is read at its defined value: no impossible
//! combination (no AI material, yet the AI output edited) is counted.

use std::collections::{BTreeMap, BTreeSet};

use super::outcome::decide;
use super::rules::evaluate_rules;
use crate::eval::candidates::{MAX_COMPLETIONS, candidates};
use crate::eval::{Context, ElementStatus, Verdict};
use crate::model::{FactValue, Facts, Ruleset, Vocabulary};

/// What the completions of the unknown facts can lead to.
pub struct Possible {
    /// Verdicts reached by some completion.
    pub verdicts: Vec<Verdict>,
    /// For each element, the statuses some completion gives it
    /// (`None` = the rules do not reach it).
    pub elements: BTreeMap<String, BTreeSet<Option<ElementStatus>>>,
    /// Parties that are authors in some completion.
    pub authors: BTreeSet<String>,
}

type Choices = Vec<(String, Vec<FactValue>)>;

/// The values each unknown fact can take, and the number of completions;
/// `None` when there are more than [`MAX_COMPLETIONS`].
fn choices(ruleset: &Ruleset, vocab: &Vocabulary, unknown: &[String]) -> Option<(Choices, usize)> {
    let choices: Choices = unknown
        .iter()
        .map(|f| (f.clone(), candidates(ruleset, vocab, f)))
        .collect();
    let total = choices
        .iter()
        .try_fold(1usize, |acc, (_, c)| acc.checked_mul(c.len().max(1)))?;
    (total <= MAX_COMPLETIONS).then_some((choices, total))
}

/// Enumerates completions of `unknown`; `None` when there are too many.
pub fn enumerate(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    unknown: &[String],
) -> Option<Possible> {
    let (choices, total) = choices(ruleset, vocab, unknown)?;
    let mut possible = Possible {
        verdicts: vec![],
        elements: BTreeMap::new(),
        authors: BTreeSet::new(),
    };
    let mut verdicts = BTreeSet::new();
    for n in 0..total {
        let completed = vocab.complete_owned(complete(facts, &choices, n)).facts;
        let states = evaluate_rules(ruleset, &completed, ctx);
        // A completion on which the rules contradict each other reaches no
        // verdict; it is reported when it is the case's own facts.
        let Ok(decided) = decide(ruleset, vocab, &states) else {
            continue;
        };
        verdicts.insert(decided.verdict);
        record_elements(&mut possible, vocab, &decided.elements);
        possible.authors.extend(decided.authors);
    }
    possible.verdicts = verdicts.into_iter().collect();
    Some(possible)
}

/// The one verdict every completion of `unknown` reaches, if there is one.
/// Stops at the second distinct verdict, so an open outcome is recognised
/// after a few completions (what-if searches call this many times).
pub fn single_verdict(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    unknown: &[String],
) -> Option<Verdict> {
    let (choices, total) = choices(ruleset, vocab, unknown)?;
    let mut seen: Option<Verdict> = None;
    for n in 0..total {
        let completed = vocab.complete_owned(complete(facts, &choices, n)).facts;
        let states = evaluate_rules(ruleset, &completed, ctx);
        let Ok(decided) = decide(ruleset, vocab, &states) else {
            continue;
        };
        match seen {
            Some(v) if v != decided.verdict => return None,
            _ => seen = Some(decided.verdict),
        }
    }
    seen
}

fn record_elements(
    possible: &mut Possible,
    vocab: &Vocabulary,
    elements: &[crate::eval::ElementOutcome],
) {
    for element in vocab.elements.keys() {
        let status = elements
            .iter()
            .find(|e| &e.element == element)
            .map(|e| e.status);
        possible
            .elements
            .entry(element.clone())
            .or_default()
            .insert(status);
    }
}

// The n-th completion, counting in mixed radix over the choices.
fn complete(facts: &Facts, choices: &[(String, Vec<FactValue>)], mut n: usize) -> Facts {
    let mut out = facts.clone();
    for (fact, values) in choices {
        let radix = values.len().max(1);
        if let Some(v) = values.get(n.checked_rem(radix).unwrap_or(0)) {
            out.set(fact, v.clone());
        }
        n = n.checked_div(radix).unwrap_or(0);
    }
    out
}
