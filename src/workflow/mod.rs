//! The rule-change workflow: which rules the case corpus exercises
//! (coverage), what changes between two versions of the rules (diff), the
//! extra checks of `check --strict`, pinning the engine's outcomes as a
//! case's expectations (pin); and what a class handout shows.
//!
//! Builds on `model`, `eval`, `compare` and `whatif`; loads case files
//! through `load`; returns data and prints nothing.

pub mod coverage;
pub mod diff;
pub mod handout;
pub mod pin;
pub mod strict;
