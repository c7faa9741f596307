//! The pairwise "where they part ways" that `compare` used before issue 17
//! grouped the parties by answer, kept as the oracle of the groups (tests/
//! it/perf_diff.rs includes this file with `#[path]`) and as the baseline
//! of `benches/scale.rs`; and libraries scaled up by copying rulesets.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::Arc;

use authorship::compare::Column;
use authorship::compare::Comparison;
use authorship::compare::differ::{Answer, PairDifference, PairIssue, Party, Stance, stances};
use authorship::model::{Library, Ruleset};

/// The parties as `compare` sees them, rebuilt from a comparison's
/// columns: each in-force authority under the law as it stands.
pub fn authority_parties(c: &Comparison, library: &Library) -> Vec<Party> {
    c.columns
        .iter()
        .filter_map(|col| match col {
            Column::Evaluated(e) if e.variant.is_none() && e.in_force => {
                let r = library.ruleset(&e.ruleset)?;
                Some((e.ruleset.clone(), e.verdict, stances(&e.ruleset, e, r)))
            }
            _ => None,
        })
        .collect()
}

/// Each jurisdiction, with its deciding authority's stances.
pub fn jurisdiction_parties(c: &Comparison, library: &Library) -> Vec<Party> {
    c.jurisdictions
        .iter()
        .map(|j| {
            let s = j
                .decided_by
                .as_deref()
                .and_then(|id| {
                    let e = c.evaluation(id)?;
                    Some(stances(&j.jurisdiction, e, library.ruleset(id)?))
                })
                .unwrap_or_default();
            (j.jurisdiction.clone(), j.verdict, s)
        })
        .collect()
}

fn question(library: &Library, issue: &str) -> String {
    library
        .vocabulary
        .issues
        .get(issue)
        .cloned()
        .unwrap_or_else(|| issue.to_string())
}

fn not_reached(who: &str) -> Stance {
    Stance {
        who: who.to_string(),
        via: None,
        answer: Answer::NotReached,
        grounds: Arc::new([]),
    }
}

/// The old `differ::pairs`, in substance: for every pair of parties, every
/// issue either answers, those they answer differently.
pub fn oracle_pairs(library: &Library, parties: &[Party]) -> Vec<PairDifference> {
    let mut out = Vec::new();
    for (i, (a, va, sa)) in parties.iter().enumerate() {
        for (b, vb, sb) in parties.iter().skip(i + 1) {
            let issues: BTreeSet<&String> = sa.keys().chain(sb.keys()).collect();
            let issues: Vec<PairIssue> = issues
                .into_iter()
                .filter_map(|issue| {
                    let (x, y) = (sa.get(issue), sb.get(issue));
                    let answer = |s: Option<&Stance>| s.map_or(Answer::NotReached, |s| s.answer);
                    (answer(x) != answer(y)).then(|| PairIssue {
                        issue: issue.clone(),
                        question: question(library, issue),
                        stances: [
                            x.cloned().unwrap_or_else(|| not_reached(a)),
                            y.cloned().unwrap_or_else(|| not_reached(b)),
                        ],
                    })
                })
                .collect();
            if !issues.is_empty() {
                out.push(PairDifference {
                    a: a.clone(),
                    b: b.clone(),
                    verdicts: [*va, *vb],
                    same_verdict: va == vb,
                    issues,
                });
            }
        }
    }
    out
}

/// A library of the first `n` of `base`'s rulesets followed by copies of
/// them in turn under new ids (`<id>-copy<k>`), as
/// `examples/scale_rules.rs` writes them to a directory.
pub fn scaled(base: &Library, n: usize) -> Library {
    let count = base.rulesets.len().max(1);
    let rulesets: Vec<Ruleset> = (0..n)
        .filter_map(|i| {
            let r = base.rulesets.get(i % count)?;
            let copy = i / count;
            Some(if copy == 0 {
                r.clone()
            } else {
                Ruleset {
                    id: format!("{}-copy{copy}", r.id),
                    ..r.clone()
                }
            })
        })
        .collect();
    Library::new(
        base.origin.clone(),
        base.vocabulary.clone(),
        rulesets,
        base.jurisdictions.clone(),
    )
}
