//! Why authorities differ: every rule answers one legal question (its
//! issue), so two outcomes can be compared issue by issue — who says yes,
//! who says no, on which rules, facts and citations, and who does not reach
//! the question at all.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Serialize;

use crate::eval::{Evaluation, FactRead, Truth, Verdict};
use crate::model::{Library, Ruleset};

/// An authority's answer to an issue on the facts of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Its applying rules answer yes.
    Yes,
    /// Its applying rules answer no.
    No,
    /// Some applying rules answer yes and others no.
    Mixed,
    /// No applying rule answers the question.
    NotReached,
}

/// A rule behind an answer, with what a reader needs to check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ground {
    /// The rule.
    pub rule: String,
    /// Its plain-language reason.
    pub because: String,
    /// The source's title.
    pub source: String,
    /// Its formal citation.
    pub citation: String,
    /// Where in it.
    pub pinpoint: String,
    /// The facts it read.
    pub facts: Vec<FactRead>,
    /// Whether the rule is the encoder's interpretation.
    pub interpretation: bool,
}

/// One authority's (or jurisdiction's) stance on one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stance {
    /// The ruleset (or jurisdiction) id.
    pub who: String,
    /// For a jurisdiction, the authority whose rules give its stance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Its answer.
    pub answer: Answer,
    /// The applying rules that give it. Shared: a stance appears in the
    /// splits and in every pair it belongs to, and copying it copies only
    /// this pointer.
    #[serde(skip_serializing_if = "no_grounds")]
    pub grounds: Arc<[Ground]>,
}

/// An issue on which some authorities answer yes and others no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Split {
    /// The issue's id.
    pub issue: String,
    /// Its question.
    pub question: String,
    /// Every authority's stance, yes first, then no, mixed, not reached.
    pub stances: Vec<Stance>,
}

/// Why two outcomes differ (or agree for different reasons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairDifference {
    /// First authority or jurisdiction.
    pub a: String,
    /// Second.
    pub b: String,
    /// Their verdicts.
    pub verdicts: [Verdict; 2],
    /// True when the verdicts agree but the reasons differ.
    pub same_verdict: bool,
    /// The issues on which their stances differ: `[a's, b's]` stance each.
    pub issues: Vec<PairIssue>,
}

/// One issue on which a pair parts ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairIssue {
    /// The issue's id.
    pub issue: String,
    /// Its question.
    pub question: String,
    /// The two stances, in pair order.
    pub stances: [Stance; 2],
}

/// Every stance of one evaluation, by issue id.
pub fn stances(who: &str, eval: &Evaluation, ruleset: &Ruleset) -> BTreeMap<String, Stance> {
    let mut answers: BTreeMap<String, (Answer, Vec<Ground>)> = BTreeMap::new();
    for node in eval.rules.iter().filter(|n| n.applies == Truth::True) {
        let Some(answer) = ruleset.rule(&node.rule).and_then(|r| r.issue.as_ref()) else {
            continue;
        };
        let (stance, grounds) = answers
            .entry(answer.issue.clone())
            .or_insert_with(|| (Answer::NotReached, vec![]));
        let this = if answer.yes { Answer::Yes } else { Answer::No };
        *stance = match *stance {
            Answer::NotReached => this,
            a if a == this => a,
            _ => Answer::Mixed,
        };
        grounds.push(Ground {
            rule: node.rule.clone(),
            because: node.because.trim().to_string(),
            source: node.source.trim().to_string(),
            citation: node.citation.trim().to_string(),
            pinpoint: node.pinpoint.trim().to_string(),
            facts: node.facts.clone(),
            interpretation: node.interpretation.is_some(),
        });
    }
    answers
        .into_iter()
        .map(|(issue, (answer, grounds))| {
            let stance = Stance {
                who: who.to_string(),
                via: (who != ruleset.id).then(|| ruleset.id.clone()),
                answer,
                grounds: grounds.into(),
            };
            (issue, stance)
        })
        .collect()
}

/// An authority's stances as another party's — a jurisdiction it decides
/// for — sharing their grounds.
pub fn restate(
    stances: &BTreeMap<String, Stance>,
    who: &str,
    authority: &str,
) -> BTreeMap<String, Stance> {
    stances
        .iter()
        .map(|(issue, s)| {
            let stance = Stance {
                who: who.to_string(),
                via: (who != authority).then(|| authority.to_string()),
                answer: s.answer,
                grounds: Arc::clone(&s.grounds),
            };
            (issue.clone(), stance)
        })
        .collect()
}

fn no_grounds(grounds: &Arc<[Ground]>) -> bool {
    grounds.is_empty()
}

fn not_reached(who: &str) -> Stance {
    Stance {
        who: who.to_string(),
        via: None,
        answer: Answer::NotReached,
        grounds: Arc::new([]),
    }
}

/// The issues on which some of `parties` answer yes and others no.
pub fn splits(library: &Library, parties: &[(String, BTreeMap<String, Stance>)]) -> Vec<Split> {
    let issues: BTreeSet<&String> = parties.iter().flat_map(|(_, s)| s.keys()).collect();
    issues
        .into_iter()
        .filter_map(|issue| {
            let mut stances: Vec<Stance> = parties
                .iter()
                .map(|(who, s)| s.get(issue).cloned().unwrap_or_else(|| not_reached(who)))
                .collect();
            let has = |a| stances.iter().any(|s| s.answer == a);
            if !(has(Answer::Yes) && has(Answer::No)) {
                return None;
            }
            stances.sort_by(|x, y| (x.answer, &x.who).cmp(&(y.answer, &y.who)));
            Some(Split {
                issue: issue.clone(),
                question: question(library, issue),
                stances,
            })
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

/// For every pair whose verdicts differ, or agree on different grounds,
/// the issues on which their stances differ.
pub fn pairs(
    library: &Library,
    parties: &[(String, Verdict, BTreeMap<String, Stance>)],
) -> Vec<PairDifference> {
    let mut out = Vec::new();
    for (i, (a, va, sa)) in parties.iter().enumerate() {
        for (b, vb, sb) in parties.iter().skip(i.saturating_add(1)) {
            // Most pairs agree on verdict and grounds: they are skipped
            // before anything is built for them.
            let same = va == vb;
            if same && !reasons_differ(sa, sb) {
                continue;
            }
            let issues = pair_issues(library, (a, sa), (b, sb));
            if issues.is_empty() {
                continue;
            }
            out.push(PairDifference {
                a: a.clone(),
                b: b.clone(),
                verdicts: [*va, *vb],
                same_verdict: same,
                issues,
            });
        }
    }
    out
}

fn pair_issues(
    library: &Library,
    (a, sa): (&String, &BTreeMap<String, Stance>),
    (b, sb): (&String, &BTreeMap<String, Stance>),
) -> Vec<PairIssue> {
    let issues: BTreeSet<&String> = sa.keys().chain(sb.keys()).collect();
    issues
        .into_iter()
        .filter_map(|issue| {
            let (x, y) = (sa.get(issue), sb.get(issue));
            let answer = |s: Option<&Stance>| s.map_or(Answer::NotReached, |s| s.answer);
            // Stances are copied only for the issues that are kept.
            (answer(x) != answer(y)).then(|| PairIssue {
                issue: issue.clone(),
                question: question(library, issue),
                stances: [
                    x.cloned().unwrap_or_else(|| not_reached(a)),
                    y.cloned().unwrap_or_else(|| not_reached(b)),
                ],
            })
        })
        .collect()
}

// Same verdict, different grounds: they answer different questions, or
// the same question differently.
fn reasons_differ(a: &BTreeMap<String, Stance>, b: &BTreeMap<String, Stance>) -> bool {
    // Both maps are ordered by issue: compare them pairwise, no copies.
    a.len() != b.len()
        || a.iter()
            .zip(b)
            .any(|((ka, sa), (kb, sb))| ka != kb || sa.answer != sb.answer)
}
