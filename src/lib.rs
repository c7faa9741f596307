//! `authorship` — a rule engine that shows how different authorities decide
//! whether a work, above all an AI-generated or AI-assisted one, is protected
//! by copyright, and explains why.
//!
//! The pipeline has one module per stage; each imports only from the stages
//! above it in this table:
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | syntax | [`syntax`] | condition text → [`syntax::Expr`] |
//! | model | [`model`] | the domain types: [`Vocabulary`] and its fact-value table, [`Ruleset`], [`Case`], [`Library`], [`Verdict`] |
//! | load | [`load`] | YAML (files with the `fs` feature, or text in memory) → a validated [`Library`] and [`Case`]s, or every error with its file, line and column |
//! | eval | [`eval`] | ruleset + facts → [`Evaluation`] with its explanation ([`eval::reference`] defines the semantics; [`eval::compiled`] evaluates without lookups, and the library caches its programs) |
//! | analyses | [`compare`], [`whatif`], [`interview`], [`workflow`] | a case × every ruleset → [`Comparison`]; the smallest changes that flip an outcome; the questions worth asking; tests, coverage, diff, handouts |
//! | render | [`render`] | results → text, Markdown, JSON, HTML and diagrams |
//! | adapters | [`web`], `batch` (feature `batch`) | HTTP requests → responses (no I/O); a stream of fact patterns → JSON lines on several threads |
//!
//! The library never prints and never reads the clock; the `authorship`
//! program (feature `cli`) does the I/O. Legal content lives in YAML under
//! `rules/` and `cases/`, never in this code. With no default features the
//! library builds alone, for `wasm32-unknown-unknown` too.
//!
//! Everything can be loaded from text in memory — here a one-fact
//! vocabulary, one ruleset and one case:
//!
//! ```
//! use authorship::compare::{Options, compare};
//! use authorship::{Case, Library, Verdict};
//!
//! let facts = r#"
//! facts:
//!   human_made: {type: bool, description: A person made it., question: Did a person make it?}
//! elements:
//!   work: {description: The whole work.}
//! parties:
//!   person: {description: The person who made it.}
//! "#;
//! let ruleset = r#"
//! id: example
//! title: An example authority
//! jurisdiction: XX
//! authority: {name: Example court, kind: court}
//! binding: persuasive_decision
//! in_force: {from: 2020-01-01}
//! summary: Protects what a person made.
//! sources:
//!   - {id: s, title: A source, citation: Example v. Example}
//! rules:
//!   - id: human-work
//!     title: A person's work is protected
//!     when: human_made
//!     then: {protected: [work], author: [person]}
//!     because: A person made it.
//!     source: s
//!     pinpoint: para. 1
//!     quote: Works of persons are protected.
//!     confidence: P
//! "#;
//! let library = Library::from_sources([("facts.yaml", facts), ("example.yaml", ruleset)])
//!     .expect("the rules load");
//! let case = Case::from_source("case.yaml", "title: A drawing\nsummary: Drawn by hand.\nfacts: {human_made: true}\n", &library)
//!     .expect("the case loads");
//! let comparison = compare(&case, &library, &Options::default());
//! assert_eq!(comparison.evaluation("example").unwrap().verdict, Verdict::Protected);
//! ```
//!
//! Output explains encoded sources; it is not legal advice.

#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Library code must not panic on any input. These lints keep out of it
// (tests may use them): `unwrap`, `expect` and `panic!`; indexing and
// slicing that can go out of bounds (use `get`); arithmetic that can
// overflow or divide by zero (use `saturating_*`, `checked_*`); and stray
// debugging. No exception is allowed in `src/`.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::arithmetic_side_effects,
        clippy::dbg_macro
    )
)]

#[cfg(feature = "batch")]
pub mod batch;
pub mod compare;
pub mod eval;
pub mod interview;
pub mod load;
pub mod model;
pub mod render;
pub mod syntax;
pub mod web;
pub mod whatif;
pub mod workflow;

pub use compare::Comparison;
pub use eval::{Evaluation, Truth, evaluate};
pub use load::{LoadError, LoadErrors};
#[cfg(feature = "fs")]
pub use load::{load_case, load_library};
pub use model::{Case, Facts, Library, Ruleset, Verdict, Vocabulary};

pub use render::DISCLAIMER;
