//! Every shipped case end to end: its stated expectations hold (checked as
//! data, apart from the snapshot), and a compact digest of its comparison is
//! snapshotted — per ruleset and per jurisdiction the verdict, authors,
//! elements and deciding rules (`common::digest`) — so a changed rule shows
//! as the few lines of the outcomes it changes. Accepting a snapshot can
//! never silently flip a legal result: the `expect:` check fails first.
//!
//! The full output (the comparison as text and JSON, every explanation) is
//! snapshotted for the cases of the fictional fixture library in
//! `tests/fixtures/compare`, which a change to the shipped rules never
//! touches; `cli.rs` and `report.rs` snapshot what the binary prints for
//! *Li v. Liu* and *Zarya of the Dawn*.

use std::path::Path;

use crate::common;

use authorship::Verdict;
use authorship::compare::{Options, check_expectations, compare};
use authorship::load::load_library;
use authorship::render::{View, compare_json, compare_text, explain_json, explain_text};

#[test]
fn every_case_meets_its_expectations() {
    let library = common::library();
    let mut failures = Vec::new();
    let mut checked = 0;
    for file in common::case_files() {
        let case = common::case(file.to_str().unwrap(), library);
        checked += case.expect.len();
        for m in check_expectations(&case, library) {
            failures.push(format!(
                "{}: {} {}: expected {}, got {} (decided by {})",
                file.display(),
                m.ruleset,
                m.field,
                m.expected,
                m.actual,
                m.decided_by.join(", ")
            ));
        }
    }
    assert!(checked >= 20, "too few expectations checked: {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every ruleset and every reading, as in `compare --variants`.
const ALL_READINGS: Options = Options {
    as_of: None,
    variants: true,
};

#[test]
fn comparison_digests() {
    common::snapshots!();
    let library = common::library();
    insta::glob!("../../cases", "*.yaml", |path| {
        let case = authorship::load_case(&common::relative(path), library).unwrap();
        let comparison = compare(&case, library, &ALL_READINGS);
        insta::assert_snapshot!(common::digest::digest(&comparison));
    });
}

/// The whole output for the fixture cases: the comparison by authority and
/// by jurisdiction, every ruleset's explanation as text, the comparison as
/// JSON (the only snapshot of its full shape) and one explanation as JSON.
#[test]
fn fixture_full_outputs() {
    common::snapshots!();
    let library = load_library(Path::new("tests/fixtures/compare")).unwrap();
    insta::glob!("../fixtures/compare-cases", "*.yaml", |path| {
        let case = authorship::load_case(&common::relative(path), &library).unwrap();
        let mismatches = check_expectations(&case, &library);
        assert!(mismatches.is_empty(), "{}: {mismatches:?}", path.display());
        let comparison = compare(&case, &library, &ALL_READINGS);
        let one = std::slice::from_ref(&comparison);
        let mut out = compare_text(one, &library, View::Authorities);
        out.push_str("\n=== by jurisdiction ===\n");
        out.push_str(&compare_text(one, &library, View::Jurisdictions));
        for column in &comparison.columns {
            let authorship::compare::Column::Evaluated(e) = column else {
                panic!("{} failed on a fixture case", column.ruleset());
            };
            let ruleset = library.ruleset(&e.ruleset).unwrap();
            let reading = e
                .variant
                .as_deref()
                .map_or(String::new(), |v| format!(" [{v}]"));
            out.push_str(&format!("\n=== explain {}{reading} ===\n", e.ruleset));
            out.push_str(&explain_text(&comparison, e, ruleset));
        }
        out.push_str("\n=== json ===\n");
        out.push_str(&compare_json(one, &library.rulesets));
        let court = comparison.evaluation("fixture-court").unwrap();
        let ruleset = library.ruleset("fixture-court").unwrap();
        out.push_str("\n=== explain fixture-court json ===\n");
        out.push_str(&explain_json(&comparison, court, ruleset));
        insta::assert_snapshot!(out);
    });
}

/// The acceptance outcomes of the three real matters, stated here too so
/// that a change to a case file's `expect:` cannot weaken them unnoticed.
#[test]
fn real_matters_keep_their_real_outcomes() {
    let library = common::library();
    let verdict = |case: &str, ruleset: &str| {
        let c = common::case(case, library);
        compare(&c, library, &Options::default())
            .evaluation(ruleset)
            .unwrap()
            .verdict
    };
    let li = "cases/li-v-liu.yaml";
    let zarya = "cases/zarya-of-the-dawn.yaml";
    let thaler = "cases/thaler-recent-entrance.yaml";
    assert_eq!(verdict(li, "beijing-internet-court"), Verdict::Protected);
    assert_eq!(verdict(li, "us-copyright-office"), Verdict::NotProtected);
    assert_eq!(verdict(li, "thaler-v-perlmutter"), Verdict::NotAddressed);
    assert_eq!(
        verdict(zarya, "us-copyright-office"),
        Verdict::PartiallyProtected
    );
    assert_eq!(verdict(zarya, "thaler-v-perlmutter"), Verdict::NotAddressed);
    assert_eq!(
        verdict(thaler, "thaler-v-perlmutter"),
        Verdict::NotProtected
    );
    assert_eq!(
        verdict(thaler, "us-copyright-office"),
        Verdict::NotProtected
    );
    assert_eq!(
        verdict(thaler, "beijing-internet-court"),
        Verdict::NotProtected
    );
}

/// An empty record settles nothing: every ruleset is undetermined (or does
/// not reach it), never `not_protected` by default, and names its facts.
#[test]
fn no_facts_is_never_a_default_refusal() {
    let library = common::library();
    let case = common::case("cases/no-facts.yaml", library);
    assert!(case.facts.0.is_empty());
    let comparison = compare(&case, library, &Options::default());
    for ruleset in &library.rulesets {
        let e = comparison.evaluation(&ruleset.id).unwrap();
        assert!(
            matches!(e.verdict, Verdict::Undetermined | Verdict::NotAddressed),
            "{}: {}",
            ruleset.id,
            e.verdict
        );
        if e.verdict == Verdict::Undetermined {
            assert!(!e.depends_on.is_empty(), "{} names no facts", ruleset.id);
            for fact in &e.depends_on {
                assert!(library.vocabulary.fact(fact).is_some(), "{fact}");
            }
        }
    }
}

/// Every rule of every shipped ruleset applies in at least one shipped case
/// (a variant's rules under that variant), so the corpus exercises all of
/// the encoded law.
#[test]
fn every_rule_applies_in_some_case() {
    let library = common::library();
    let comparisons: Vec<_> = common::case_files()
        .iter()
        .map(|f| common::case(f.to_str().unwrap(), library))
        .map(|c| compare(&c, library, &ALL_READINGS))
        .collect();
    let mut unused = Vec::new();
    for ruleset in &library.rulesets {
        for rule in &ruleset.rules {
            let fires = comparisons.iter().any(|c| {
                c.evaluation_under(&ruleset.id, rule.variant.as_deref())
                    .and_then(|e| e.rule(&rule.id))
                    .is_some_and(|n| n.applies == authorship::Truth::True)
            });
            if !fires {
                unused.push(format!("{}/{}", ruleset.id, rule.id));
            }
        }
    }
    assert!(unused.is_empty(), "rules no case makes apply: {unused:?}");
}
