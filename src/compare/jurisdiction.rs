//! The outcome per jurisdiction: of the authorities in force that reach the
//! facts, the highest-ranked decides; between equal ranks, the later one.
//! Ranks are data (`rules/jurisdictions.yaml`); file order never matters.
//!
//! With unknown facts, *which* authority decides can itself depend on
//! them: the highest-ranked one may turn out not to reach the facts, and
//! then the next one decides. A row's possible verdicts are exactly the
//! row's outcomes over every completion of the unknown facts. They are
//! worked out from each authority's own possible verdicts and the facts
//! its outcome depends on (never by completing every fact):
//!
//! * authorities whose open outcomes depend on disjoint facts are
//!   independent, so authority *i* decides verdict *v* in some completion
//!   exactly when *v* is among its possibilities and every authority above
//!   it can be `not_addressed`;
//! * where two authorities that could decide share an unknown fact, the
//!   row is split on that fact's values (a Shannon expansion), and only the
//!   authorities that read it are evaluated again, until no fact is shared.
//!
//! The split is bounded by [`MAX_ROW_SPLITS`] leaves; beyond it the
//! independent combination stands, which can only add verdicts, never lose
//! one. As in an authority's own column, a completion on which its rules
//! contradict each other gives it no verdict, and an authority whose rules
//! contradict each other on the facts as stated is passed over.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Column;
use crate::eval::{Context, ElementStatus, Evaluation, Verdict, candidate_values};
use crate::model::{FactValue, Facts, Jurisdiction, Library, Ruleset};
use crate::syntax::Date;

/// Most leaves the split on shared facts may reach for one row.
pub const MAX_ROW_SPLITS: usize = 4096;

/// One authority's outcome within a jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorityOutcome {
    /// The ruleset.
    pub ruleset: String,
    /// Its rank in the jurisdiction.
    pub rank: u32,
    /// When it started to speak.
    pub since: Date,
    /// Whether it is in force on the as-of date.
    pub in_force: bool,
    /// Its verdict (`None` if its rules contradicted each other).
    pub verdict: Option<Verdict>,
}

/// A jurisdiction's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JurisdictionOutcome {
    /// The jurisdiction's id, e.g. `US`.
    pub jurisdiction: String,
    /// Its name.
    pub name: String,
    /// The verdict: the one every completion of the unknown facts gives the
    /// row, else `undetermined`; `not_addressed` when no authority reaches
    /// the facts.
    pub verdict: Verdict,
    /// When undetermined: the row's verdicts over every completion of the
    /// unknown facts, whichever authority then decides.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_verdicts: Vec<Verdict>,
    /// The ruleset that decides, when one authority decides whatever the
    /// unknown facts turn out to be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// When which authority decides depends on unknown facts: every one
    /// that decides in some completion, highest-ranked first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_deciders: Vec<String>,
    /// That ruleset's authority (e.g. the court's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// The authors (under every authority that may decide).
    pub authors: Vec<String>,
    /// Parties who may be authors, depending on unknown facts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_authors: Vec<String>,
    /// Protected elements (under every authority that may decide).
    pub protected: Vec<String>,
    /// Unprotected elements (under every authority that may decide).
    pub not_protected: Vec<String>,
    /// When undetermined: the facts it depends on — those of every
    /// authority that could decide.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Every authority considered, highest rank first, then latest first.
    pub authorities: Vec<AuthorityOutcome>,
}

/// Decides every jurisdiction from the (variant-free) columns of `facts`
/// evaluated as of `as_of`.
pub fn decide_all(
    library: &Library,
    columns: &[Column],
    facts: &Facts,
    as_of: Date,
) -> Vec<JurisdictionOutcome> {
    library
        .jurisdictions
        .iter()
        .map(|j| decide(library, j, columns, facts, as_of))
        .collect()
}

fn decide(
    library: &Library,
    j: &Jurisdiction,
    columns: &[Column],
    facts: &Facts,
    as_of: Date,
) -> JurisdictionOutcome {
    let evaluation = |id: &str| {
        columns.iter().find_map(|c| match c {
            Column::Evaluated(e) if e.ruleset == id && e.variant.is_none() => Some(e.as_ref()),
            _ => None,
        })
    };
    let mut authorities: Vec<AuthorityOutcome> = j
        .authorities
        .iter()
        .filter_map(|a| {
            let ruleset = library.ruleset(&a.ruleset)?;
            let e = evaluation(&a.ruleset);
            Some(AuthorityOutcome {
                ruleset: a.ruleset.clone(),
                rank: a.rank,
                since: ruleset.in_force.from,
                in_force: e.is_some_and(|e| e.in_force),
                verdict: e.map(|e| e.verdict),
            })
        })
        .collect();
    authorities.sort_by(|a, b| (b.rank, b.since, &a.ruleset).cmp(&(a.rank, a.since, &b.ruleset)));
    // The chain of authorities that can decide, in order; an authority not
    // in force, or whose rules contradict each other, is passed over.
    let chain: Vec<(&Ruleset, &Evaluation)> = authorities
        .iter()
        .filter(|a| a.in_force && a.verdict.is_some())
        .filter_map(|a| Some((library.ruleset(&a.ruleset)?, evaluation(&a.ruleset)?)))
        .collect();
    let search = Search {
        library,
        ctx: Context::as_of(as_of),
        rulesets: chain.iter().map(|(r, _)| *r).collect(),
    };
    let states: Vec<State> = chain
        .iter()
        .enumerate()
        .map(|(i, (_, e))| State::of(i, e))
        .collect();
    let mut found = Found::default();
    let mut leaves = 0;
    search.explore(facts, states, &mut leaves, &mut found);
    let deciders: Vec<&Evaluation> = found
        .deciders
        .iter()
        .filter_map(|&i| chain.get(i).map(|(_, e)| *e))
        .collect();
    // The facts of every authority up to the last that can decide.
    let last = found.deciders.last().copied().unwrap_or(0);
    let facts_of_chain: BTreeSet<&String> = chain
        .iter()
        .take(last.saturating_add(1))
        .flat_map(|(_, e)| &e.depends_on)
        .collect();
    outcome(library, j, &found, &deciders, facts_of_chain, authorities)
}

/// What a row can turn out to be.
#[derive(Debug, Default)]
struct Found {
    /// The row's verdict in some completion.
    verdicts: BTreeSet<Verdict>,
    /// The authorities (by place in the chain) that decide in some completion.
    deciders: BTreeSet<usize>,
}

/// One authority's possibilities at a node of the split.
#[derive(Debug, Clone)]
struct State {
    /// Its place in the chain.
    index: usize,
    /// The verdicts some completion gives it (`None`: its rules contradict
    /// each other on every completion, so it is passed over).
    possible: Option<BTreeSet<Verdict>>,
    /// The unknown facts its verdict depends on.
    depends_on: BTreeSet<String>,
}

impl State {
    fn of(index: usize, e: &Evaluation) -> State {
        let possible = match e.verdict {
            // Without an enumeration of its own the authority could be
            // anything; never the case for an evaluation, kept for safety.
            Verdict::Undetermined if e.possible_verdicts.is_empty() => Verdict::ALL
                .into_iter()
                .filter(|v| *v != Verdict::Undetermined)
                .collect(),
            Verdict::Undetermined => e.possible_verdicts.iter().copied().collect(),
            v => BTreeSet::from([v]),
        };
        State {
            index,
            possible: Some(possible),
            depends_on: e.depends_on.iter().cloned().collect(),
        }
    }

    fn may_be_silent(&self) -> bool {
        self.possible
            .as_ref()
            .is_none_or(|p| p.contains(&Verdict::NotAddressed))
    }

    fn is_open(&self) -> bool {
        self.possible.as_ref().is_some_and(|p| p.len() > 1)
    }
}

struct Search<'l> {
    library: &'l Library,
    ctx: Context,
    /// The chain's rulesets, highest-ranked first.
    rulesets: Vec<&'l Ruleset>,
}

impl Search<'_> {
    fn explore(
        &self,
        facts: &Facts,
        mut states: Vec<State>,
        leaves: &mut usize,
        found: &mut Found,
    ) {
        // Below the first authority that always reaches the facts, nothing
        // can decide.
        if let Some(stop) = states.iter().position(|s| !s.may_be_silent()) {
            states.truncate(stop.saturating_add(1));
        }
        let shared = (*leaves < MAX_ROW_SPLITS)
            .then(|| shared_fact(&states))
            .flatten();
        let Some(fact) = shared else {
            *leaves = leaves.saturating_add(1);
            combine(&states, found);
            return;
        };
        for value in self.values(&fact, &states) {
            let mut completed = facts.clone();
            completed.set(&fact, value);
            let next = states
                .iter()
                .map(|s| {
                    if s.depends_on.contains(&fact) {
                        self.state(s.index, &completed)
                    } else {
                        s.clone()
                    }
                })
                .collect();
            self.explore(&completed, next, leaves, found);
        }
    }

    fn state(&self, index: usize, facts: &Facts) -> State {
        let evaluated = self
            .rulesets
            .get(index)
            .and_then(|r| self.library.evaluate(r, facts, &self.ctx).ok());
        match evaluated {
            Some(e) => State::of(index, &e),
            None => State {
                index,
                possible: None,
                depends_on: BTreeSet::new(),
            },
        }
    }

    /// The values of `fact` that can make a difference to any authority
    /// that reads it.
    fn values(&self, fact: &str, states: &[State]) -> Vec<FactValue> {
        let mut out: Vec<FactValue> = Vec::new();
        for s in states.iter().filter(|s| s.depends_on.contains(fact)) {
            let Some(r) = self.rulesets.get(s.index) else {
                continue;
            };
            for v in candidate_values(r, &self.library.vocabulary, fact) {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }
}

/// A fact that two open authorities of the chain both depend on: the first
/// of the highest-ranked such authority, so that the split settles first
/// whether the top of the chain reaches the facts.
fn shared_fact(states: &[State]) -> Option<String> {
    let open: Vec<&State> = states.iter().filter(|s| s.is_open()).collect();
    open.iter().enumerate().find_map(|(i, s)| {
        s.depends_on
            .iter()
            .find(|f| {
                open.iter()
                    .enumerate()
                    .any(|(k, o)| k != i && o.depends_on.contains(*f))
            })
            .cloned()
    })
}

/// The row's outcomes when the authorities' open facts are disjoint: an
/// authority decides a verdict when every authority above it can be silent.
fn combine(states: &[State], found: &mut Found) {
    for s in states {
        let Some(possible) = &s.possible else {
            continue;
        };
        for v in possible.iter().filter(|v| **v != Verdict::NotAddressed) {
            found.verdicts.insert(*v);
            found.deciders.insert(s.index);
        }
        if !possible.contains(&Verdict::NotAddressed) {
            return;
        }
    }
    found.verdicts.insert(Verdict::NotAddressed);
}

fn outcome(
    library: &Library,
    j: &Jurisdiction,
    found: &Found,
    deciders: &[&Evaluation],
    facts_of_chain: BTreeSet<&String>,
    authorities: Vec<AuthorityOutcome>,
) -> JurisdictionOutcome {
    let verdict = match found.verdicts.len() {
        0 => Verdict::NotAddressed,
        1 => found
            .verdicts
            .first()
            .copied()
            .unwrap_or(Verdict::NotAddressed),
        _ => Verdict::Undetermined,
    };
    let possible_verdicts: Vec<Verdict> = if verdict == Verdict::Undetermined {
        found.verdicts.iter().copied().collect()
    } else {
        Vec::new()
    };
    let mut row = JurisdictionOutcome {
        jurisdiction: j.id.clone(),
        name: j.name.clone(),
        verdict,
        possible_verdicts,
        decided_by: None,
        possible_deciders: Vec::new(),
        authority: None,
        authors: Vec::new(),
        possible_authors: Vec::new(),
        protected: Vec::new(),
        not_protected: Vec::new(),
        depends_on: Vec::new(),
        authorities,
    };
    match deciders {
        [] => {}
        [one] => {
            // One authority decides in every completion: the row is its column.
            row.decided_by = Some(one.ruleset.clone());
            row.authority = library.ruleset(&one.ruleset).map(|r| r.authority.clone());
            row.authors.clone_from(&one.authors);
            row.possible_authors.clone_from(&one.possible_authors);
            row.protected = with(one, ElementStatus::Protected);
            row.not_protected = with(one, ElementStatus::NotProtected);
            row.depends_on.clone_from(&one.depends_on);
        }
        several => {
            row.possible_deciders = several.iter().map(|e| e.ruleset.clone()).collect();
            row.authors = in_all(several, |e| e.authors.clone());
            row.protected = in_all(several, |e| with(e, ElementStatus::Protected));
            row.not_protected = in_all(several, |e| with(e, ElementStatus::NotProtected));
            let maybe: BTreeSet<&String> = several
                .iter()
                .flat_map(|e| e.authors.iter().chain(&e.possible_authors))
                .filter(|p| !row.authors.contains(p))
                .collect();
            row.possible_authors = maybe.into_iter().cloned().collect();
            if verdict == Verdict::Undetermined {
                row.depends_on = facts_of_chain.into_iter().cloned().collect();
            }
        }
    }
    row
}

fn with(e: &Evaluation, s: ElementStatus) -> Vec<String> {
    e.elements
        .iter()
        .filter(|el| el.status == s)
        .map(|el| el.element.clone())
        .collect()
}

/// The items every evaluation lists, in the first one's order.
fn in_all(evals: &[&Evaluation], items: impl Fn(&Evaluation) -> Vec<String>) -> Vec<String> {
    let lists: Vec<Vec<String>> = evals.iter().map(|e| items(e)).collect();
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|x| rest.iter().all(|l| l.contains(x)))
        .cloned()
        .collect()
}
