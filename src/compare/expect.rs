//! Checking a case's `expect:` entries against the engine — under each
//! ruleset and, under `expect.jurisdictions`, in each jurisdiction's row.
//! This is what keeps a legal result from flipping silently when a
//! snapshot is accepted. Also: which cells of `compare`'s output a case
//! does not pin yet.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{JurisdictionOutcome, Options, as_of, compare};
use crate::eval::{Context, ElementStatus, Evaluation, Verdict};
use crate::model::{Case, Expectation, Library};

/// The key prefix of a jurisdiction row's expectation in reports:
/// `jurisdictions.CN`.
pub const ROW_KEY_PREFIX: &str = "jurisdictions.";

/// One way an outcome differs from what the case expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The expectation's key: a ruleset id, `ruleset@variant`, or
    /// `jurisdictions.<id>` for a jurisdiction's row.
    pub ruleset: String,
    /// Which part: verdict, decided_by, authors, protected, not_protected,
    /// findings, possible, depends_on, error.
    pub field: &'static str,
    /// Expected, as text.
    pub expected: String,
    /// Actual, as text.
    pub actual: String,
    /// The rules that decided the actual outcome (for a row: the rulesets
    /// that decide it).
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
            Ok(eval) => compare_one(key, expect, &Actual::of_evaluation(&eval), &mut out),
            Err(error) => out.push(Mismatch {
                ruleset: key.clone(),
                field: "error",
                expected: expect.verdict.to_string(),
                actual: error,
                decided_by: vec![],
            }),
        }
    }
    if !case.expect_jurisdictions.is_empty() {
        let c = compare(case, library, &Options::default());
        for (id, expect) in &case.expect_jurisdictions {
            let key = format!("{ROW_KEY_PREFIX}{id}");
            match c.jurisdictions.iter().find(|j| &j.jurisdiction == id) {
                Some(row) => compare_one(&key, expect, &Actual::of_row(row), &mut out),
                None => out.push(Mismatch {
                    ruleset: key,
                    field: "error",
                    expected: expect.verdict.to_string(),
                    actual: format!("no jurisdiction `{id}`"),
                    decided_by: vec![],
                }),
            }
        }
    }
    out
}

/// An outcome as the expectations see it, from an evaluation or a row.
struct Actual<'a> {
    verdict: Verdict,
    decided_by: Option<&'a str>,
    authors: &'a [String],
    protected: Vec<&'a String>,
    not_protected: Vec<&'a String>,
    findings: BTreeSet<&'a String>,
    possible: &'a [Verdict],
    depends_on: &'a [String],
    because: Vec<String>,
}

impl<'a> Actual<'a> {
    fn of_evaluation(eval: &'a Evaluation) -> Actual<'a> {
        let with = |status| {
            eval.elements
                .iter()
                .filter(|e| e.status == status)
                .map(|e| &e.element)
                .collect()
        };
        Actual {
            verdict: eval.verdict,
            decided_by: None,
            authors: &eval.authors,
            protected: with(ElementStatus::Protected),
            not_protected: with(ElementStatus::NotProtected),
            findings: eval.findings.iter().map(|f| &f.conclusion).collect(),
            possible: &eval.possible_verdicts,
            depends_on: &eval.depends_on,
            because: eval.decided_by.clone(),
        }
    }

    fn of_row(row: &'a JurisdictionOutcome) -> Actual<'a> {
        Actual {
            verdict: row.verdict,
            decided_by: row.decided_by.as_deref(),
            authors: &row.authors,
            protected: row.protected.iter().collect(),
            not_protected: row.not_protected.iter().collect(),
            findings: BTreeSet::new(),
            possible: &row.possible_verdicts,
            depends_on: &row.depends_on,
            because: row
                .decided_by
                .iter()
                .chain(&row.possible_deciders)
                .cloned()
                .collect(),
        }
    }
}

fn compare_one(key: &str, expect: &Expectation, actual: &Actual, out: &mut Vec<Mismatch>) {
    let mut push = |field, expected: String, actual_text: String| {
        if expected != actual_text {
            out.push(Mismatch {
                ruleset: key.to_string(),
                field,
                expected,
                actual: actual_text,
                decided_by: actual.because.clone(),
            });
        }
    };
    push(
        "verdict",
        expect.verdict.to_string(),
        actual.verdict.to_string(),
    );
    if let Some(by) = &expect.decided_by {
        push(
            "decided_by",
            by.clone(),
            actual.decided_by.unwrap_or("—").to_string(),
        );
    }
    if let Some(authors) = &expect.authors {
        push("authors", set(authors.iter()), set(actual.authors.iter()));
    }
    if let Some(p) = &expect.protected {
        push(
            "protected",
            set(p.iter()),
            set(actual.protected.iter().copied()),
        );
    }
    if let Some(n) = &expect.not_protected {
        push(
            "not_protected",
            set(n.iter()),
            set(actual.not_protected.iter().copied()),
        );
    }
    if let Some(f) = &expect.findings {
        let missing = f.iter().any(|c| !actual.findings.contains(c));
        if missing {
            push(
                "findings",
                set(f.iter()),
                set(actual.findings.iter().copied()),
            );
        }
    }
    if let Some(p) = &expect.possible {
        let names = |v: &[Verdict]| v.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        push(
            "possible",
            set(names(p).iter()),
            set(names(actual.possible).iter()),
        );
    }
    if let Some(d) = &expect.depends_on {
        push("depends_on", set(d.iter()), set(actual.depends_on.iter()));
    }
}

fn set<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let sorted: BTreeSet<&str> = items.map(String::as_str).collect();
    let list: Vec<&str> = sorted.into_iter().collect();
    format!("[{}]", list.join(", "))
}

/// One case's expectation under one ruleset (or reading, or in one
/// jurisdiction) that failed.
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

/// Every expectation key of a case, rulesets first, then rows
/// (`jurisdictions.<id>`).
fn keys(case: &Case) -> impl Iterator<Item = String> + '_ {
    case.expect.keys().cloned().chain(
        case.expect_jurisdictions
            .keys()
            .map(|j| format!("{ROW_KEY_PREFIX}{j}")),
    )
}

/// Checks every expectation of `cases` whose case path or key contains
/// `filter` (all when `None`).
pub fn run_tests(cases: &[Case], library: &Library, filter: Option<&str>) -> TestReport {
    let mut report = TestReport::default();
    for case in cases {
        let path = case.path.display().to_string();
        let mismatches = check_expectations(case, library);
        for key in keys(case) {
            if filter.is_some_and(|f| !path.contains(f) && !key.contains(f)) {
                continue;
            }
            let mine: Vec<Mismatch> = mismatches
                .iter()
                .filter(|m| m.ruleset == key)
                .cloned()
                .collect();
            if mine.is_empty() {
                report.passed = report.passed.saturating_add(1);
            } else {
                report.failed.push(TestFailure {
                    case: path.clone(),
                    ruleset: key,
                    mismatches: mine,
                });
            }
        }
    }
    report
}

/// A cell of `compare`'s output: one ruleset's outcome, or one
/// jurisdiction's row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Cell {
    /// Under a ruleset (the law as it stands, no variant).
    Ruleset(String),
    /// A jurisdiction's row.
    Jurisdiction(String),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Ruleset(id) => f.write_str(id),
            Cell::Jurisdiction(id) => write!(f, "{ROW_KEY_PREFIX}{id}"),
        }
    }
}

/// The cells `compare` prints for a case that its `expect:` does not pin:
/// every ruleset of the library, then every jurisdiction, in the library's
/// order. (Readings under `--variants` are not cells of the plain output.)
pub fn unpinned(case: &Case, library: &Library) -> Vec<Cell> {
    let rulesets = library
        .rulesets
        .iter()
        .filter(|r| !case.expect.contains_key(&r.id))
        .map(|r| Cell::Ruleset(r.id.clone()));
    let rows = library
        .jurisdictions
        .iter()
        .filter(|j| !case.expect_jurisdictions.contains_key(&j.id))
        .map(|j| Cell::Jurisdiction(j.id.clone()));
    rulesets.chain(rows).collect()
}

/// Every case's unpinned cells, for the cases whose path or a cell of which
/// contains `filter` (all when `None`); cases with none are left out.
pub fn unpinned_cells(
    cases: &[Case],
    library: &Library,
    filter: Option<&str>,
) -> Vec<(String, Vec<Cell>)> {
    cases
        .iter()
        .filter_map(|case| {
            let path = case.path.display().to_string();
            let cells: Vec<Cell> = unpinned(case, library)
                .into_iter()
                .filter(|c| filter.is_none_or(|f| path.contains(f) || c.to_string().contains(f)))
                .collect();
            (!cells.is_empty()).then_some((path, cells))
        })
        .collect()
}
