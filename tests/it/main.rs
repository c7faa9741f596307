//! The integration tests, as one test binary: one crate to compile and link
//! instead of one per file (each file here is a module of it).
//!
//! Run one file's tests with a filter on its module, e.g.
//! `cargo test --test it properties::` or `cargo test --test it cli::`.
//!
//! Paths in the tests are relative to the crate root (where `cargo test`
//! runs them). Snapshots stay in `tests/snapshots/`, named
//! `it__<module>__<name>.snap` by insta; a test that asserts a file snapshot
//! first binds `common::snapshots!()`, since insta would otherwise look in
//! `tests/it/snapshots/`.

mod common;

mod arising;

mod batch;
mod browser;
mod cases;
mod cli;
mod compiled;
mod docs;
mod errors;
mod eval;
mod hard_budgets;
mod hard_files;
mod hard_server;
mod hard_term;
mod hard_validate;
mod hard_writes;
mod hostile;
mod interview;
mod layout;
mod perf_batch;
mod perf_diff;
mod perf_eval;
mod perf_pre;
mod pin;
mod possible;
mod properties;
mod report;
mod rows;
mod rules;
mod schema;
mod serve;
mod site;
mod syntax;
mod time;
mod ux_cli;
mod ux_embed;
mod ux_handout;
mod ux_term;
mod ux_web;
mod whatif;
mod workflow;
