//! The parts of an outcome both evaluators report: each element's status
//! and the named findings.

use serde::Serialize;

/// Whether an element is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElementStatus {
    /// Protected.
    Protected,
    /// Not protected.
    NotProtected,
    /// Depends on unknown facts.
    Undetermined,
}

/// One element's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementOutcome {
    /// The element's id.
    pub element: String,
    /// Its status.
    pub status: ElementStatus,
    /// When undetermined: the statuses still possible (`protected`,
    /// `not_protected`; absent when the rules may not reach it at all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible: Vec<ElementStatus>,
    /// The rules deciding it (those that apply; when undetermined, those that may).
    pub rules: Vec<String>,
    /// When undetermined: the facts it depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// A named conclusion that holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The conclusion's name.
    pub conclusion: String,
    /// The rules establishing it.
    pub rules: Vec<String>,
}
