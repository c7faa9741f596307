//! The load stage: YAML files (or strings) in, validated model out — the
//! vocabulary, every ruleset, the jurisdictions and cases.
//!
//! This is the only module that reads files (with the `fs` feature) or
//! knows YAML (through its `yaml` module); without `fs` it loads from text in memory
//! only. It parses each rule's condition with [`crate::syntax`], checks
//! names and types against the shared vocabulary, links exceptions and
//! conclusions, and rejects cycles. Each loader collects every error it
//! finds and returns either a complete, validated result or all the errors —
//! never half of one. It evaluates nothing. With the `embedded` feature,
//! [`embedded`] holds the shipped rules and example cases as text, built in,
//! and the rules also loaded at build time, precompiled.

mod bibliography;
mod case;
mod check;
mod context;
mod cost;
#[cfg(feature = "embedded")]
pub mod embedded;
mod error;
#[cfg(feature = "fs")]
mod files;
mod ids;
mod jurisdictions;
mod library;
mod locate;
mod order;
#[cfg(feature = "precompiled")]
pub(crate) mod precompiled;
mod raw;
mod ruleset;
mod schema;
mod time;
mod vocabulary;
pub(crate) mod yaml;

pub use case::MAX_CASE_FACTS;
#[cfg(feature = "fs")]
pub use case::{load_case, load_cases, load_cases_in};
pub use cost::{MAX_EVAL_COST, evaluation_cost};
pub use error::{Excerpt, LoadError, LoadErrorKind, LoadErrors};
#[cfg(feature = "fs")]
pub use files::{MAX_CASES, case_files, read_text, yaml_files};
#[cfg(feature = "fs")]
pub use library::load_library;
pub use library::{BIBLIOGRAPHY_FILE, JURISDICTIONS_FILE, MAX_RULESETS, VOCABULARY_FILE};
pub use ruleset::MAX_RULES;
#[cfg(feature = "fs")]
pub use ruleset::load_ruleset;
pub use schema::{schemas, schemas_for};
#[cfg(feature = "fs")]
pub use vocabulary::load_vocabulary;
pub use yaml::{
    MAX_FILE_BYTES, MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_DOCUMENTS, MAX_YAML_NODES, Pos,
    YamlError, parse as parse_yaml,
};
