//! `authorship` — a rule engine that shows how different authorities decide
//! whether an AI-generated or AI-assisted work is protected by copyright, and
//! explains why.
//!
//! The pipeline has one module per stage, each with its own error type:
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | syntax | [`syntax`] | condition text → [`syntax::Expr`] |
//! | model | [`model`] | YAML files → validated [`Vocabulary`], [`Ruleset`], [`Case`] |
//! | eval | [`eval`] | ruleset + facts → [`Evaluation`] with its explanation ([`eval::compiled`]: rulesets compiled once, evaluated without lookups or allocation) |
//! | compare | [`compare`] | a case × every ruleset → [`Comparison`]; expectation checks |
//! | render | [`render`] | results → text, Markdown or JSON strings |
//! | batch | [`batch`] | a stream of fact patterns → one JSON line each, on several threads |
//!
//! The library never prints and never reads the clock; the binary does the I/O.
//! Legal content lives in YAML under `rules/` and `cases/`, never in this code.
//!
//! ```
//! use authorship::{compare, load_library, load_case};
//! let library = load_library("rules".as_ref()).unwrap();
//! let case = load_case("cases/li-v-liu.yaml".as_ref(), &library).unwrap();
//! let comparison = compare::compare(&case, &library, &compare::Options::default());
//! for ruleset in &library.rulesets {
//!     let evaluation = comparison.evaluation(&ruleset.id).unwrap();
//!     println!("{}: {}", ruleset.id, evaluation.verdict);
//! }
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
pub use eval::{Evaluation, Truth, Verdict, evaluate};
pub use load::{LoadError, LoadErrors, load_case, load_library};
pub use model::{Case, Facts, Library, Ruleset, Vocabulary};

pub use render::DISCLAIMER;
