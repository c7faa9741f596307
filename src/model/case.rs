//! Fact patterns: a case's facts (absent = unknown) and what it expects
//! under each ruleset and in each jurisdiction.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::verdict::Verdict;
use super::vocab::FactValue;

/// The known facts of a case. A fact that is not here is unknown — never
/// false.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts(pub BTreeMap<String, FactValue>);

impl Facts {
    /// The fact's value, or `None` when unknown.
    pub fn get(&self, id: &str) -> Option<&FactValue> {
        self.0.get(id)
    }

    /// Sets a fact (validation is the caller's business).
    pub fn set(&mut self, id: &str, value: FactValue) {
        self.0.insert(id.to_string(), value);
    }

    /// Makes a fact unknown.
    pub fn unset(&mut self, id: &str) {
        self.0.remove(id);
    }
}

/// Why a case expects an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The authority itself decided these facts.
    Decision,
    /// The encoder's reasoned prediction.
    Prediction,
}

/// The outcome a case expects under one ruleset, or in one jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// The verdict.
    pub verdict: Verdict,
    /// In a jurisdiction: the ruleset that decides, when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// The authors, when stated (checked as a set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<Vec<String>>,
    /// The protected elements, when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protected: Option<Vec<String>>,
    /// The unprotected elements, when stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_protected: Option<Vec<String>>,
    /// Named conclusions that must hold (others may hold too); rulesets only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<String>>,
    /// With verdict `undetermined`: the verdicts still possible, when
    /// stated (checked as a set, exactly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub possible: Option<Vec<Verdict>>,
    /// With verdict `undetermined`: the facts it depends on, when stated
    /// (checked as a set, exactly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<String>>,
    /// Decision or prediction.
    pub basis: Basis,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a decided matter was disposed of (holdings beyond protection, and
/// remedies), as its sources report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Disposition {
    /// The ruleset of the deciding authority.
    pub decided_by: String,
    /// Its holdings beyond protection.
    pub holding: String,
    /// What it ordered.
    pub remedies: Vec<String>,
}

/// A fact pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The file it came from (empty for cases built in code).
    pub path: PathBuf,
    /// Title.
    pub title: String,
    /// Neutral summary.
    pub summary: String,
    /// Citation of the real matter, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// A note on the source, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
    /// How the matter was disposed of, for a decided one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Disposition>,
    /// The date to take the law as of, if the case sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<crate::syntax::Date>,
    /// The facts.
    pub facts: Facts,
    /// Facts the file states as unknown (`null`), e.g. unconfirmed ones.
    pub stated_unknown: Vec<String>,
    /// Where each stated fact is written.
    #[serde(skip)]
    pub fact_at: BTreeMap<String, super::vocab::Where>,
    /// Expected outcomes by ruleset id, or `ruleset@variant` for the
    /// outcome under a named reading.
    pub expect: BTreeMap<String, Expectation>,
    /// Expected outcomes by jurisdiction id (`expect.jurisdictions`).
    pub expect_jurisdictions: BTreeMap<String, Expectation>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Case {
    /// This case with `facts` in place of its own, as the what-if page and
    /// the Python package evaluate it: its name, summary, citation and date
    /// kept, its title marked "(what-if)" when the facts differ, and
    /// nothing of the file (expectations, notes, where facts are written).
    pub fn with_facts(&self, facts: Facts) -> Case {
        Case {
            path: self.path.clone(),
            title: if self.facts == facts {
                self.title.trim().to_string()
            } else {
                format!("{} (what-if)", self.title.trim())
            },
            summary: self.summary.clone(),
            citation: self.citation.clone(),
            as_of: self.as_of,
            facts,
            ..Case::default()
        }
    }
}
