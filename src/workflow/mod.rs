//! The rule-change workflow: which rules the case corpus exercises
//! (coverage), what changes between two versions of the rules (diff), and
//! the extra checks of `check --strict`.
//!
//! Builds on `model`, `eval` and `compare`; loads case files through
//! `model` like every other stage; prints nothing.

pub mod coverage;
pub mod diff;
pub mod strict;
