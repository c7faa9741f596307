//! The outcome per jurisdiction: of the authorities in force that reach the
//! facts, the highest-ranked decides; between equal ranks, the later one.
//! Ranks are data (`rules/jurisdictions.yaml`); file order never matters.

use serde::Serialize;

use super::Column;
use crate::eval::{ElementStatus, Evaluation, Verdict};
use crate::model::{Jurisdiction, Library};
use crate::syntax::Date;

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
    /// The deciding authority's verdict, or `not_addressed`.
    pub verdict: Verdict,
    /// The ruleset that decided, if any reached the facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// That ruleset's authority (e.g. the court's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// The authors under the deciding authority.
    pub authors: Vec<String>,
    /// Parties who may be authors, depending on unknown facts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_authors: Vec<String>,
    /// Protected elements under the deciding authority.
    pub protected: Vec<String>,
    /// Unprotected elements under the deciding authority.
    pub not_protected: Vec<String>,
    /// When undetermined: the facts it depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Every authority considered, highest rank first, then latest first.
    pub authorities: Vec<AuthorityOutcome>,
}

/// Decides every jurisdiction from the (variant-free) columns.
pub fn decide_all(library: &Library, columns: &[Column]) -> Vec<JurisdictionOutcome> {
    library
        .jurisdictions
        .iter()
        .map(|j| decide(library, j, columns))
        .collect()
}

fn decide(library: &Library, j: &Jurisdiction, columns: &[Column]) -> JurisdictionOutcome {
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
    let decider = authorities
        .iter()
        .find(|a| a.in_force && a.verdict.is_some_and(|v| v != Verdict::NotAddressed))
        .and_then(|a| evaluation(&a.ruleset));
    outcome(library, j, decider, authorities)
}

fn outcome(
    library: &Library,
    j: &Jurisdiction,
    decider: Option<&Evaluation>,
    authorities: Vec<AuthorityOutcome>,
) -> JurisdictionOutcome {
    let with = |e: &Evaluation, s| {
        e.elements
            .iter()
            .filter(|el| el.status == s)
            .map(|el| el.element.clone())
            .collect()
    };
    JurisdictionOutcome {
        jurisdiction: j.id.clone(),
        name: j.name.clone(),
        verdict: decider.map_or(Verdict::NotAddressed, |e| e.verdict),
        decided_by: decider.map(|e| e.ruleset.clone()),
        authority: decider
            .and_then(|e| library.ruleset(&e.ruleset))
            .map(|r| r.authority.clone()),
        authors: decider.map(|e| e.authors.clone()).unwrap_or_default(),
        possible_authors: decider
            .map(|e| e.possible_authors.clone())
            .unwrap_or_default(),
        protected: decider
            .map(|e| with(e, ElementStatus::Protected))
            .unwrap_or_default(),
        not_protected: decider
            .map(|e| with(e, ElementStatus::NotProtected))
            .unwrap_or_default(),
        depends_on: decider.map(|e| e.depends_on.clone()).unwrap_or_default(),
        authorities,
    }
}
