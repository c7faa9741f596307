//! Checking a case's `expect:` entries against the engine. This is what
//! keeps a legal result from flipping silently when a snapshot is accepted.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Comparison;
use crate::eval::ElementStatus;
use crate::model::Case;

/// One way an outcome differs from what the case expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The ruleset.
    pub ruleset: String,
    /// Which part: verdict, authors, protected, not_protected, or error.
    pub field: &'static str,
    /// Expected, as text.
    pub expected: String,
    /// Actual, as text.
    pub actual: String,
    /// The rules that decided the actual outcome.
    pub decided_by: Vec<String>,
}

/// Every mismatch between a case's expectations and its comparison.
pub fn check_expectations(case: &Case, comparison: &Comparison) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (ruleset, expect) in &case.expect {
        let Some(eval) = comparison.evaluation(ruleset) else {
            out.push(Mismatch {
                ruleset: ruleset.clone(),
                field: "error",
                expected: expect.verdict.to_string(),
                actual: "no evaluation (missing ruleset or conflicting rules)".to_string(),
                decided_by: vec![],
            });
            continue;
        };
        let mut push = |field, expected: String, actual: String| {
            if expected != actual {
                out.push(Mismatch {
                    ruleset: ruleset.clone(),
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
    }
    out
}

fn set<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let sorted: BTreeSet<&str> = items.map(String::as_str).collect();
    let list: Vec<&str> = sorted.into_iter().collect();
    format!("[{}]", list.join(", "))
}
