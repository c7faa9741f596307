//! The model stage: the domain types every later stage works on — the
//! fact vocabulary and its value table, rulesets and their rules, cases,
//! jurisdictions, the library that holds them, and the verdict vocabulary.
//!
//! Types only: this module reads no files and knows no YAML ([`crate::load`]
//! builds these types from files or strings), and evaluates no rule; the
//! one piece of logic it holds is the vocabulary's own: which facts do not
//! arise on given facts ([`arising`]).

pub mod arising;
pub mod bibliography;
pub mod case;
mod fnv;
pub mod jurisdiction;
pub mod library;
pub mod ruleset;
mod suggest;
mod value;
pub mod verdict;
pub mod vocab;

pub use arising::{Completion, NotArising};
pub use case::{Basis, Case, Disposition, Expectation, Facts};
pub use fnv::Fnv;
pub use jurisdiction::{AuthorityRank, Jurisdiction};
pub use library::{Library, RulesOrigin};
pub use ruleset::{
    AuthorityKind, Binding, Citation, Conclusions, Confidence, InForce, IssueAnswer, Limit, Rule,
    RuleIndex, Ruleset, Source, Variant, VariantStatus,
};
pub use suggest::suggest;
pub use value::{Checked, FactKind, Scalar, ScalarRef, ValueError, set_fact, unset_fact, visible};
pub use verdict::Verdict;
pub use vocab::{Arising, FactDef, FactType, FactValue, Vocabulary, Where};
