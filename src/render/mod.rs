//! The render stage: comparisons and explanations to text, Markdown or JSON.
//!
//! Pure string building, deterministic (no clock, no hash order): the same
//! input renders to the same bytes. Every rendering ends with the notice
//! that it explains encoded sources and is not legal advice.

pub mod diagnostic;
pub mod diagram;
mod differ_text;
mod explain_text;
pub mod inert;
mod json;
mod markdown;
mod references;
mod report;
mod stream;
mod style;
mod summary;
mod table;
mod text;
mod whatif;
mod workflow;

pub use explain_text::{explain_text, explain_with_references, explain_with_references_styled};
pub use json::{JSON_SCHEMA_COMPARE, JSON_SCHEMA_EXPLAIN, compare_json, explain_json};
pub use markdown::{compare_markdown, explain_markdown};
pub use references::{
    References, collect as collect_references, references_text, sections as reference_sections,
    sources_of,
};
pub use report::{ReportOptions, report_html, report_markdown};
pub use stream::{CompareFormat, CompareStream};
pub use style::{MIN_WIDTH, TextStyle, fit, paint, verdict_words};
pub use summary::{
    Reason, author_label, jurisdiction_author_label, jurisdiction_decider_label,
    jurisdiction_reason, jurisdiction_split, reason,
};
pub use text::{compare_text, compare_text_styled};
pub use whatif::{
    CaseFile, JSON_SCHEMA_WHATIF, WhatIfAsked, case_yaml, changes_text, counterfactual_yaml,
    whatif_json, whatif_text,
};
pub use workflow::{
    coverage_text, diff_markdown, diff_text, pin_text, strict_text, test_text, unpinned_text,
};

/// The notice every output carries.
pub const DISCLAIMER: &str = "This explains encoded legal sources; it is not legal advice.";

/// How a comparison is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// One row per authority (ruleset), and per reading when asked for.
    #[default]
    Authorities,
    /// One row per jurisdiction, naming the authority that decided.
    Jurisdictions,
}
