//! The model stage: YAML files in, validated vocabulary, rulesets and cases
//! out.
//!
//! This is the only module that reads files or knows YAML (through
//! [`yaml`]). It parses each rule's condition with [`crate::syntax`], checks
//! names and types against the shared vocabulary, links exceptions and
//! conclusions, and rejects cycles. It does not evaluate anything.

mod check;
mod context;
mod error;
mod files;
pub mod jurisdiction;
mod load;
mod load_case;
mod load_ruleset;
mod load_time;
mod locate;
mod order;
mod raw;
pub mod schema;
pub mod yaml;

pub mod case;
pub mod ruleset;
pub mod vocab;

pub use case::{Basis, Case, Expectation, Facts};
pub use error::{Excerpt, LoadError, LoadErrorKind, LoadErrors};
pub use files::{MAX_CASES, case_files, yaml_files};
pub use jurisdiction::{AuthorityRank, Jurisdiction};
pub use load::{
    JURISDICTIONS_FILE, Library, MAX_RULESETS, VOCABULARY_FILE, fact_value, load_library,
    load_vocabulary, parse_fact_value, set_fact, unset_fact,
};
pub use load_case::{MAX_CASE_FACTS, load_case};
pub use load_ruleset::{MAX_RULES, conclusions_read, load_ruleset, visit};
pub use locate::suggest;
pub use ruleset::{
    AuthorityKind, Binding, Citation, Conclusions, Confidence, InForce, IssueAnswer, Limit, Rule,
    RuleIndex, Ruleset, Source, Variant, VariantStatus,
};
pub use schema::schemas;
pub use vocab::{FactDef, FactType, FactValue, Vocabulary, Where};
