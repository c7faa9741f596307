//! Why authorities differ: every rule answers one legal question (its
//! issue), so two outcomes can be compared issue by issue — who says yes,
//! who says no, on which rules, facts and citations, and who does not reach
//! the question at all.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::eval::{Evaluation, FactRead, Truth, Verdict};
use crate::model::{Library, Ruleset};

/// An authority's answer to an issue on the facts of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

/// Why two outcomes differ (or agree for different reasons), as
/// [`Divergence::pairs`] reads it off the groups.
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
pub fn splits(library: &Library, parties: &[Party]) -> Vec<Split> {
    let issues: BTreeSet<&String> = parties.iter().flat_map(|(_, _, s)| s.keys()).collect();
    issues
        .into_iter()
        .filter_map(|issue| {
            let mut stances: Vec<Stance> = parties
                .iter()
                .map(|(who, _, s)| s.get(issue).cloned().unwrap_or_else(|| not_reached(who)))
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

/// One party to a comparison: an authority (or a jurisdiction), its
/// verdict and its stances by issue.
pub type Party = (String, Verdict, BTreeMap<String, Stance>);

/// Who answers what, on every issue on which the parties do not all give
/// the same answer, and who reached which verdict. It holds each party's
/// stance once per such issue, so it grows linearly with the parties,
/// while every pair's differences can still be read off it
/// ([`Divergence::pairs`], [`Divergence::pair`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// Every party and its verdict, in the comparison's order.
    pub parties: Vec<PartyVerdict>,
    /// The issues on which the parties' answers are not all the same
    /// (not reaching an issue counts as an answer), in issue id order.
    pub issues: Vec<IssueGroups>,
}

/// A party and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyVerdict {
    /// The ruleset (or jurisdiction) id.
    pub who: String,
    /// Its verdict.
    pub verdict: Verdict,
}

/// The parties grouped by their answer to one issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueGroups {
    /// The issue's id.
    pub issue: String,
    /// Its question.
    pub question: String,
    /// One group per answer given, yes first, then no, mixed, not reached;
    /// every party is in exactly one.
    pub answers: Vec<AnswerGroup>,
}

/// The parties that give one answer to an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerGroup {
    /// The answer.
    pub answer: Answer,
    /// Each party's stance (with its grounds), in the comparison's order.
    pub stances: Vec<Stance>,
}

/// Groups the parties by their answer on each issue on which they do not
/// all answer alike: one pass over the parties per issue.
pub fn divergence(library: &Library, parties: &[Party]) -> Divergence {
    let issues: BTreeSet<&String> = parties.iter().flat_map(|(_, _, s)| s.keys()).collect();
    let issues = issues
        .into_iter()
        .filter_map(|issue| {
            let mut groups: BTreeMap<Answer, Vec<Stance>> = BTreeMap::new();
            for (who, _, s) in parties {
                let stance = s.get(issue).cloned().unwrap_or_else(|| not_reached(who));
                groups.entry(stance.answer).or_default().push(stance);
            }
            (groups.len() > 1).then(|| IssueGroups {
                issue: issue.clone(),
                question: question(library, issue),
                answers: groups
                    .into_iter()
                    .map(|(answer, stances)| AnswerGroup { answer, stances })
                    .collect(),
            })
        })
        .collect();
    Divergence {
        parties: parties
            .iter()
            .map(|(who, verdict, _)| PartyVerdict {
                who: who.clone(),
                verdict: *verdict,
            })
            .collect(),
        issues,
    }
}

impl Divergence {
    /// For every pair of parties whose stances differ on some issue (their
    /// verdicts may differ or agree), in the comparison's order, the
    /// issues on which they part ways. There can be a quadratic number of
    /// them: for display, prefer the groups.
    pub fn pairs(&self) -> Vec<PairDifference> {
        let table = self.table();
        let mut out = Vec::new();
        for (i, a) in self.parties.iter().enumerate() {
            for (j, b) in self.parties.iter().enumerate().skip(i.saturating_add(1)) {
                out.extend(self.pair_at(&table, (i, a), (j, b)));
            }
        }
        out
    }

    /// The differences between two parties, by id (in that order); `None`
    /// when either is not a party or they answer every issue alike.
    pub fn pair(&self, a: &str, b: &str) -> Option<PairDifference> {
        let find = |who: &str| self.parties.iter().enumerate().find(|(_, p)| p.who == who);
        let (x, y) = (find(a)?, find(b)?);
        self.pair_at(&self.table(), x, y)
    }

    // Each issue's stances by party position: `table[issue][party]`.
    fn table(&self) -> Vec<Vec<Option<&Stance>>> {
        let position: HashMap<&str, usize> = self
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.who.as_str(), i))
            .collect();
        self.issues
            .iter()
            .map(|ig| {
                let mut row = vec![None; self.parties.len()];
                for s in ig.answers.iter().flat_map(|g| &g.stances) {
                    if let Some(slot) = position.get(s.who.as_str()).and_then(|&i| row.get_mut(i)) {
                        *slot = Some(s);
                    }
                }
                row
            })
            .collect()
    }

    fn pair_at(
        &self,
        table: &[Vec<Option<&Stance>>],
        (i, a): (usize, &PartyVerdict),
        (j, b): (usize, &PartyVerdict),
    ) -> Option<PairDifference> {
        let issues: Vec<PairIssue> = self
            .issues
            .iter()
            .zip(table)
            .filter_map(|(ig, row)| {
                let (x, y) = (
                    row.get(i).copied().flatten()?,
                    row.get(j).copied().flatten()?,
                );
                (x.answer != y.answer).then(|| PairIssue {
                    issue: ig.issue.clone(),
                    question: ig.question.clone(),
                    stances: [x.clone(), y.clone()],
                })
            })
            .collect();
        (!issues.is_empty()).then(|| PairDifference {
            a: a.who.clone(),
            b: b.who.clone(),
            verdicts: [a.verdict, b.verdict],
            same_verdict: a.verdict == b.verdict,
            issues,
        })
    }
}
