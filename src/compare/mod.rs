//! The compare stage: one case against every ruleset of a library, side by
//! side, and the check of a case's stated expectations against the engine.
//!
//! Pure functions over loaded data; no files, no printing.

mod expect;

use serde::Serialize;

pub use expect::{Mismatch, check_expectations};

use crate::eval::{Evaluation, evaluate};
use crate::model::{Case, Facts, Library};

/// One ruleset's column: its outcome, or why it could not decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Column {
    /// The evaluation.
    Evaluated(Box<Evaluation>),
    /// The ruleset's rules contradict each other on these facts.
    Failed {
        /// The ruleset's id.
        ruleset: String,
        /// The error's message.
        error: String,
    },
}

/// A case compared across rulesets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The case's title.
    pub title: String,
    /// The case file.
    pub path: String,
    /// Citation of the real matter, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// The facts evaluated (after any overrides).
    pub facts: Facts,
    /// One column per ruleset, in ruleset id order.
    pub columns: Vec<Column>,
}

impl Comparison {
    /// The evaluation under a ruleset, if it succeeded.
    pub fn evaluation(&self, ruleset: &str) -> Option<&Evaluation> {
        self.columns.iter().find_map(|c| match c {
            Column::Evaluated(e) if e.ruleset == ruleset => Some(e.as_ref()),
            _ => None,
        })
    }
}

/// Evaluates a case under every ruleset of the library.
pub fn compare(case: &Case, library: &Library) -> Comparison {
    let columns = library
        .rulesets
        .iter()
        .map(|r| match evaluate(r, &library.vocabulary, &case.facts) {
            Ok(e) => Column::Evaluated(Box::new(e)),
            Err(e) => Column::Failed {
                ruleset: r.id.clone(),
                error: e.to_string(),
            },
        })
        .collect();
    Comparison {
        title: case.title.clone(),
        path: case.path.display().to_string(),
        citation: case.citation.clone(),
        facts: case.facts.clone(),
        columns,
    }
}
