//! Generators' helpers for random fact patterns: what makes a pattern one
//! the loader (and the batch mode) accepts.

use std::collections::BTreeSet;

use authorship::model::{Facts, Vocabulary};

/// Leaves out of `facts` every fact stated with a value it cannot have: it
/// does not arise on the other facts and the value is not its defined one
/// (`arises.otherwise`), which the loader rejects (E011) and the batch mode
/// refuses. Returns the facts left out. One pass suffices (a fact left out
/// still reads at its defined value, so no other fact's arising changes);
/// the loop makes sure.
pub fn drop_contradictions(vocab: &Vocabulary, facts: &mut Facts) -> Vec<String> {
    let mut dropped = Vec::new();
    loop {
        let bad: Vec<String> = vocab
            .complete(facts)
            .contradictions()
            .map(|c| c.fact.clone())
            .collect();
        if bad.is_empty() {
            return dropped;
        }
        for fact in bad {
            facts.0.remove(&fact);
            dropped.push(fact);
        }
    }
}

/// `facts` and every fact on which it depends, through the vocabulary's
/// `arises` conditions and in turn theirs, whether one of them arises: the
/// facts whose values can change how `facts` read once completed.
pub fn with_arising_conditions<'a>(
    vocab: &Vocabulary,
    facts: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = facts.into_iter().map(str::to_string).collect();
    while let Some(f) = todo.pop() {
        if !out.insert(f.clone()) {
            continue;
        }
        if let Some(a) = vocab.fact(&f).and_then(|d| d.arises.as_ref()) {
            todo.extend(a.condition.facts_read().into_iter().map(str::to_string));
        }
    }
    out
}
