//! Checking a case's `expect:` entries against the engine. This is what
//! keeps a legal result from flipping silently when a snapshot is accepted.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Options, as_of};
use crate::eval::{Context, ElementStatus, Evaluation};
use crate::model::{Case, Expectation, Library};

/// One way an outcome differs from what the case expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The expectation's key: a ruleset id, or `ruleset@variant`.
    pub ruleset: String,
    /// Which part: verdict, authors, protected, not_protected, findings, error.
    pub field: &'static str,
    /// Expected, as text.
    pub expected: String,
    /// Actual, as text.
    pub actual: String,
    /// The rules that decided the actual outcome.
    pub decided_by: Vec<String>,
}

/// Every mismatch between a case's expectations and the engine, each
/// evaluated as of the case's date (or the latest encoded one).
pub fn check_expectations(case: &Case, library: &Library) -> Vec<Mismatch> {
    let (date, _) = as_of(case, library, &Options::default());
    let mut out = Vec::new();
    for (key, expect) in &case.expect {
        let (id, variant) = match key.split_once('@') {
            Some((r, v)) => (r, Some(v.to_string())),
            None => (key.as_str(), None),
        };
        let ctx = Context {
            as_of: date,
            variant,
        };
        let result = library
            .ruleset(id)
            .ok_or_else(|| format!("no ruleset `{id}`"))
            .and_then(|r| {
                library
                    .evaluate(r, &case.facts, &ctx)
                    .map_err(|e| e.to_string())
            });
        match result {
            Ok(eval) => compare_one(key, expect, &eval, &mut out),
            Err(error) => out.push(Mismatch {
                ruleset: key.clone(),
                field: "error",
                expected: expect.verdict.to_string(),
                actual: error,
                decided_by: vec![],
            }),
        }
    }
    out
}

fn compare_one(key: &str, expect: &Expectation, eval: &Evaluation, out: &mut Vec<Mismatch>) {
    let mut push = |field, expected: String, actual: String| {
        if expected != actual {
            out.push(Mismatch {
                ruleset: key.to_string(),
                field,
                expected,
                actual,
                decided_by: eval.decided_by.clone(),
            });
        }
    };
    push(
        "verdict",
        expect.verdict.to_string(),
        eval.verdict.to_string(),
    );
    if let Some(authors) = &expect.authors {
        push("authors", set(authors.iter()), set(eval.authors.iter()));
    }
    let with = |status| {
        set(eval
            .elements
            .iter()
            .filter(|e| e.status == status)
            .map(|e| &e.element))
    };
    if let Some(p) = &expect.protected {
        push("protected", set(p.iter()), with(ElementStatus::Protected));
    }
    if let Some(n) = &expect.not_protected {
        push(
            "not_protected",
            set(n.iter()),
            with(ElementStatus::NotProtected),
        );
    }
    if let Some(f) = &expect.findings {
        let holding: BTreeSet<&String> = eval.findings.iter().map(|f| &f.conclusion).collect();
        let missing: Vec<&String> = f.iter().filter(|c| !holding.contains(c)).collect();
        if !missing.is_empty() {
            push("findings", set(f.iter()), set(holding.into_iter()));
        }
    }
}

fn set<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let sorted: BTreeSet<&str> = items.map(String::as_str).collect();
    let list: Vec<&str> = sorted.into_iter().collect();
    format!("[{}]", list.join(", "))
}

/// One case's expectation under one ruleset (or reading) that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestFailure {
    /// The case file.
    pub case: String,
    /// The expectation's key.
    pub ruleset: String,
    /// What differs.
    pub mismatches: Vec<Mismatch>,
}

/// The result of checking every expectation of a set of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TestReport {
    /// Expectations that hold.
    pub passed: usize,
    /// Expectations that do not.
    pub failed: Vec<TestFailure>,
}

/// Checks every expectation of `cases` whose case path or ruleset key
/// contains `filter` (all when `None`).
pub fn run_tests(cases: &[Case], library: &Library, filter: Option<&str>) -> TestReport {
    let mut report = TestReport::default();
    for case in cases {
        let path = case.path.display().to_string();
        let mismatches = check_expectations(case, library);
        for key in case.expect.keys() {
            if filter.is_some_and(|f| !path.contains(f) && !key.contains(f)) {
                continue;
            }
            let mine: Vec<Mismatch> = mismatches
                .iter()
                .filter(|m| &m.ruleset == key)
                .cloned()
                .collect();
            if mine.is_empty() {
                report.passed = report.passed.saturating_add(1);
            } else {
                report.failed.push(TestFailure {
                    case: path.clone(),
                    ruleset: key.clone(),
                    mismatches: mine,
                });
            }
        }
    }
    report
}
