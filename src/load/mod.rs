//! The load stage: YAML files (or strings) in, validated model out — the
//! vocabulary, every ruleset, the jurisdictions and cases.
//!
//! This is the only module that reads files or knows YAML (through
//! [`yaml`]). It parses each rule's condition with [`crate::syntax`], checks
//! names and types against the shared vocabulary, links exceptions and
//! conclusions, and rejects cycles. Each loader collects every error it
//! finds and returns either a complete, validated result or all the errors —
//! never half of one. It evaluates nothing.

mod case;
mod check;
mod context;
mod error;
mod files;
mod jurisdictions;
mod library;
mod locate;
mod order;
mod raw;
mod ruleset;
pub mod schema;
mod time;
mod vocabulary;
pub mod yaml;

pub use case::{MAX_CASE_FACTS, load_case};
pub use error::{Excerpt, LoadError, LoadErrorKind, LoadErrors};
pub use files::{MAX_CASES, case_files, yaml_files};
pub use library::{JURISDICTIONS_FILE, MAX_RULESETS, VOCABULARY_FILE, load_library};
pub use ruleset::{MAX_RULES, load_ruleset};
pub use schema::schemas;
pub use vocabulary::load_vocabulary;
