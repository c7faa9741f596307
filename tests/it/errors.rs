//! One invalid fixture per error kind, each with its rendered diagnostic
//! snapshotted: the file, line:column, rule id and field, a caret under the
//! offending part, and a hint where one helps. Nothing is half-loaded.

use crate::common;

use std::path::Path;

use authorship::load::{load_case, load_ruleset, load_vocabulary};
use authorship::render::diagnostic::render_all;

#[test]
fn invalid_rulesets() {
    common::snapshots!();
    let vocab = load_vocabulary(Path::new("tests/fixtures/vocab/facts.yaml")).unwrap();
    insta::glob!("../fixtures/invalid-rules", "*.yaml", |path| {
        let path = common::relative(path);
        let errors = load_ruleset(&path, &vocab).expect_err("fixture must be rejected");
        for e in errors.iter() {
            assert!(e.line > 0 && e.column > 0, "no position: {e}");
        }
        insta::assert_snapshot!(render_all(&errors));
    });
}

#[test]
fn invalid_cases() {
    common::snapshots!();
    let library = common::library();
    insta::glob!("../fixtures/invalid-cases", "*.yaml", |path| {
        let path = common::relative(path);
        let errors = load_case(&path, library).expect_err("fixture must be rejected");
        for e in errors.iter() {
            assert!(e.line > 0 && e.column > 0, "no position: {e}");
        }
        insta::assert_snapshot!(render_all(&errors));
    });
}

#[test]
fn a_file_reports_all_its_errors_together() {
    let vocab = load_vocabulary(Path::new("tests/fixtures/vocab/facts.yaml")).unwrap();
    let errors = load_ruleset(
        Path::new("tests/fixtures/invalid-rules/many-errors.yaml"),
        &vocab,
    )
    .unwrap_err();
    assert!(errors.0.len() >= 9, "{}", render_all(&errors));
    let library = common::library();
    let errors = load_case(
        Path::new("tests/fixtures/invalid-cases/wrong-types.yaml"),
        library,
    )
    .unwrap_err();
    assert_eq!(errors.0.len(), 5, "{}", render_all(&errors));
}

#[test]
fn misspelt_fact_is_located_with_rule_field_and_suggestion() {
    let vocab = load_vocabulary(Path::new("tests/fixtures/vocab/facts.yaml")).unwrap();
    let errors = load_ruleset(
        Path::new("tests/fixtures/invalid-rules/unknown-fact.yaml"),
        &vocab,
    )
    .unwrap_err();
    let e = errors.0.first().unwrap();
    assert_eq!(e.rule.as_deref(), Some("r1"));
    assert_eq!(e.field.as_deref(), Some("when"));
    assert_eq!(
        e.kind.help().as_deref(),
        Some("did you mean `selected_among_outputs`?")
    );
    let line = std::fs::read_to_string("tests/fixtures/invalid-rules/unknown-fact.yaml").unwrap();
    let text = line
        .lines()
        .nth(usize::try_from(e.line).unwrap() - 1)
        .unwrap();
    let col = usize::try_from(e.column).unwrap() - 1;
    assert!(
        text[col..].starts_with("selected_amongst_outputs"),
        "caret at {col} in {text:?}"
    );
}

/// 10,000 nested parentheses: a clear error, not a stack overflow, in a
/// debug build on a small (2 MiB) stack.
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            let vocab = load_vocabulary(Path::new("tests/fixtures/vocab/facts.yaml")).unwrap();
            load_ruleset(
                Path::new("tests/fixtures/invalid-rules/deep-nesting.yaml"),
                &vocab,
            )
            .unwrap_err()
        })
        .unwrap();
    let errors = handle.join().expect("no stack overflow");
    assert!(render_all(&errors).contains("nested deeper than"));
}
