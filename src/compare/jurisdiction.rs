//! The outcome per jurisdiction: of the authorities in force that reach the
//! facts, the highest-ranked decides. Ranks are data
//! (`rules/jurisdictions.yaml`); file order never matters.
//!
//! Equal ranks are not ordered by date: a later first-instance judgment
//! does not overrule an earlier one. Where two or more authorities of the
//! top rank reach the facts and their outcomes differ (verdict, protected
//! or unprotected elements, or authors), the row is split between them
//! (`split_between`): its verdicts are theirs, `undetermined` when those
//! differ, and each of them may decide. Where they agree, the later one is
//! named as deciding (any of them would do; the later keeps it
//! deterministic).
//!
//! With unknown facts, *which* authority decides can itself depend on
//! them: the highest-ranked one may turn out not to reach the facts, and
//! then the next one decides. A row's possible verdicts are exactly the
//! row's outcomes over every completion of the unknown facts. They are
//! worked out from each authority's own possible verdicts and the facts
//! its outcome depends on (never by completing every fact):
//!
//! * authorities whose open outcomes depend on disjoint facts are
//!   independent, so authority *i* gives verdict *v* in some completion
//!   exactly when *v* is among its possibilities and every authority ranked
//!   above it can be `not_addressed`;
//! * where two authorities that could decide share an unknown fact, the
//!   row is split on that fact's values (a Shannon expansion), and only the
//!   authorities that read it are evaluated again, until no fact is shared;
//! * where two authorities of one rank could both reach the facts, whether
//!   they agree needs their whole outcomes, so the row is split on the
//!   facts of each that is still open until every one that can reach them
//!   is settled. In each completion the row is then either one decider's
//!   outcome or a split between equal authorities.
//!
//! The split is bounded by [`MAX_ROW_SPLITS`] leaves; beyond it the
//! independent combination stands, which can only add verdicts, deciders
//! and splits, never lose one. As in an authority's own column, a completion on which its rules
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
    /// When which authority decides depends on unknown facts, or equal
    /// authorities split: every one that decides in some completion (each
    /// side of a split included), highest-ranked first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_deciders: Vec<String>,
    /// When authorities of equal rank reach the facts and disagree (in
    /// some completion of the unknown facts): those authorities, highest
    /// rank first, then latest first. The law is contested between them;
    /// no one of them is picked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub split_between: Vec<String>,
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
    let chain: Vec<(&Ruleset, &Evaluation, u32)> = authorities
        .iter()
        .filter(|a| a.in_force && a.verdict.is_some())
        .filter_map(|a| {
            Some((
                library.ruleset(&a.ruleset)?,
                evaluation(&a.ruleset)?,
                a.rank,
            ))
        })
        .collect();
    let search = Search {
        library,
        ctx: Context::as_of(as_of),
        rulesets: chain.iter().map(|(r, _, _)| *r).collect(),
        ranks: chain.iter().map(|(_, _, rank)| *rank).collect(),
        touched: chain
            .iter()
            .map(|(r, _, _)| facts_touched(r, library))
            .collect(),
    };
    let states: Vec<State> = chain
        .iter()
        .enumerate()
        .map(|(i, (_, e, _))| search.state_of(i, e, facts))
        .collect();
    let mut found = Found::default();
    let mut leaves = 0;
    search.explore(facts, states, &mut leaves, &mut found);
    let deciders: Vec<&Evaluation> = found
        .deciders
        .iter()
        .filter_map(|&i| chain.get(i).map(|(_, e, _)| *e))
        .collect();
    let split_between: Vec<String> = found
        .splits
        .iter()
        .filter_map(|&i| chain.get(i).map(|(r, _, _)| r.id.clone()))
        .collect();
    // The facts of every authority up to the last that can decide.
    let last = found.deciders.last().copied().unwrap_or(0);
    let facts_of_chain: BTreeSet<&String> = chain
        .iter()
        .take(last.saturating_add(1))
        .flat_map(|(_, e, _)| &e.depends_on)
        .collect();
    let mut row = outcome(library, j, &found, &deciders, facts_of_chain, authorities);
    row.split_between = split_between;
    row
}

/// The facts a ruleset's outcome can turn on: those its conditions read
/// and, in turn, those that decide whether each of them arises.
fn facts_touched(ruleset: &Ruleset, library: &Library) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ruleset.facts_read().into_iter().map(String::from).collect();
    let mut todo: Vec<String> = out.iter().cloned().collect();
    while let Some(f) = todo.pop() {
        let Some(arises) = library.vocabulary.fact(&f).and_then(|d| d.arises.as_ref()) else {
            continue;
        };
        for g in arises.condition.facts_read() {
            if out.insert(g.to_string()) {
                todo.push(g.to_string());
            }
        }
    }
    out
}

/// What a row can turn out to be.
#[derive(Debug, Default)]
struct Found {
    /// The row's verdict in some completion.
    verdicts: BTreeSet<Verdict>,
    /// The authorities (by place in the chain) that decide in some
    /// completion, each side of a split included.
    deciders: BTreeSet<usize>,
    /// The authorities (by place in the chain) on a side of a split between
    /// equal ranks in some completion.
    splits: BTreeSet<usize>,
}

/// What an authority holds when its outcome is settled: the parts of it
/// on which two equal authorities can disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holding {
    verdict: Verdict,
    protected: Vec<String>,
    not_protected: Vec<String>,
    authors: Vec<String>,
}

/// One authority's possibilities at a node of the split.
#[derive(Debug, Clone)]
struct State {
    /// Its place in the chain.
    index: usize,
    /// Its rank.
    rank: u32,
    /// The verdicts some completion gives it (`None`: its rules contradict
    /// each other on every completion, so it is passed over).
    possible: Option<BTreeSet<Verdict>>,
    /// The unknown facts its verdict depends on.
    depends_on: BTreeSet<String>,
    /// Its whole outcome, when no unknown fact can change it.
    holding: Option<Holding>,
    /// Otherwise, the unknown facts that can, those of its verdict first.
    open_facts: Vec<String>,
}

impl State {
    fn of(index: usize, rank: u32, e: &Evaluation, unknown_touched: Vec<String>) -> State {
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
        let settled = e.verdict != Verdict::Undetermined
            && e.possible_authors.is_empty()
            && e.elements
                .iter()
                .all(|el| el.status != ElementStatus::Undetermined);
        let holding = settled.then(|| Holding {
            verdict: e.verdict,
            protected: with(e, ElementStatus::Protected),
            not_protected: with(e, ElementStatus::NotProtected),
            authors: e.authors.clone(),
        });
        let mut open_facts: Vec<String> = Vec::new();
        if !settled {
            let elements = e.elements.iter().flat_map(|el| &el.depends_on);
            for f in e.depends_on.iter().chain(elements).chain(&unknown_touched) {
                if !open_facts.contains(f) {
                    open_facts.push(f.clone());
                }
            }
        }
        State {
            index,
            rank,
            possible: Some(possible),
            depends_on: e.depends_on.iter().cloned().collect(),
            holding,
            open_facts,
        }
    }

    fn may_be_silent(&self) -> bool {
        self.possible
            .as_ref()
            .is_none_or(|p| p.contains(&Verdict::NotAddressed))
    }

    fn may_reach(&self) -> bool {
        self.possible
            .as_ref()
            .is_some_and(|p| p.iter().any(|v| *v != Verdict::NotAddressed))
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
    /// Their ranks.
    ranks: Vec<u32>,
    /// The facts each one's outcome can turn on.
    touched: Vec<BTreeSet<String>>,
}

impl Search<'_> {
    fn explore(
        &self,
        facts: &Facts,
        mut states: Vec<State>,
        leaves: &mut usize,
        found: &mut Found,
    ) {
        // Below the rank of the first authority that always reaches the
        // facts, nothing can decide.
        if let Some(stop) = states.iter().find(|s| !s.may_be_silent()).map(|s| s.rank) {
            states.retain(|s| s.rank >= stop);
        }
        let split = (*leaves < MAX_ROW_SPLITS)
            .then(|| shared_fact(&states).or_else(|| unsettled_fact(&states)))
            .flatten();
        let Some(fact) = split else {
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
                    if self.reads(s, &fact) {
                        self.state(s.index, &completed)
                    } else {
                        s.clone()
                    }
                })
                .collect();
            self.explore(&completed, next, leaves, found);
        }
    }

    fn reads(&self, s: &State, fact: &str) -> bool {
        self.touched.get(s.index).is_some_and(|t| t.contains(fact))
    }

    fn state_of(&self, index: usize, e: &Evaluation, facts: &Facts) -> State {
        let unknown: Vec<String> = self
            .touched
            .get(index)
            .into_iter()
            .flatten()
            .filter(|f| facts.get(f).is_none())
            .cloned()
            .collect();
        let rank = self.ranks.get(index).copied().unwrap_or(0);
        State::of(index, rank, e, unknown)
    }

    fn state(&self, index: usize, facts: &Facts) -> State {
        let evaluated = self
            .rulesets
            .get(index)
            .and_then(|r| self.library.evaluate(r, facts, &self.ctx).ok());
        match evaluated {
            Some(e) => self.state_of(index, &e, facts),
            None => State {
                index,
                rank: self.ranks.get(index).copied().unwrap_or(0),
                possible: None,
                depends_on: BTreeSet::new(),
                holding: None,
                open_facts: Vec::new(),
            },
        }
    }

    /// The values of `fact` that can make a difference to any authority
    /// that reads it.
    fn values(&self, fact: &str, states: &[State]) -> Vec<FactValue> {
        let mut out: Vec<FactValue> = Vec::new();
        for s in states.iter().filter(|s| self.reads(s, fact)) {
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

/// Where two authorities of one rank may both reach the facts, whether
/// they agree turns on their whole outcomes: a fact on which one of them
/// is still open, highest rank first.
fn unsettled_fact(states: &[State]) -> Option<String> {
    ranks(states).find_map(|group| {
        let reaching: Vec<&State> = group.iter().filter(|s| s.may_reach()).collect();
        if reaching.len() < 2 {
            return None;
        }
        reaching
            .iter()
            .filter(|s| s.holding.is_none())
            .find_map(|s| s.open_facts.first().cloned())
    })
}

/// The states grouped by rank, highest first (the chain is in rank order).
fn ranks(states: &[State]) -> impl Iterator<Item = &[State]> {
    states.chunk_by(|a, b| a.rank == b.rank)
}

/// The row's outcomes when the authorities' open facts are disjoint and
/// every authority of a rank that two may reach is settled: a rank decides
/// when every authority above it can be silent; within it, one authority
/// that reaches the facts decides alone, several decide together when they
/// agree (the later is named) and split the row when they do not.
fn combine(states: &[State], found: &mut Found) {
    for group in ranks(states) {
        let reaching: Vec<&State> = group.iter().filter(|s| s.may_reach()).collect();
        for s in &reaching {
            for v in s.possible.iter().flatten() {
                if *v != Verdict::NotAddressed {
                    found.verdicts.insert(*v);
                }
            }
        }
        match reaching.as_slice() {
            [] => {}
            [one] => {
                found.deciders.insert(one.index);
            }
            [first, rest @ ..] => {
                let agree =
                    first.holding.is_some() && rest.iter().all(|s| s.holding == first.holding);
                if agree {
                    found.deciders.insert(first.index);
                } else {
                    // Disagreeing, or (past the bound on splits) maybe so.
                    for s in &reaching {
                        found.deciders.insert(s.index);
                        found.splits.insert(s.index);
                    }
                }
            }
        }
        if !group.iter().all(State::may_be_silent) {
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
        split_between: Vec::new(),
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
