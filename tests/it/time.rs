//! Legal time, named readings and jurisdictions on a fixture library:
//! rules apply only while in force, as of one stated date (never the
//! clock); variants apply only when asked for; a jurisdiction is decided by
//! its highest-ranked authority that reaches the facts, then the latest.

use std::path::Path;

use authorship::Verdict;
use authorship::compare::{AsOfSource, Options, compare};
use authorship::load::{load_case, load_library};
use authorship::model::{Case, Library};
use authorship::syntax::Date;

fn setup() -> (Library, Case) {
    let library = load_library(Path::new("tests/fixtures/time")).unwrap();
    let case = load_case(Path::new("tests/fixtures/time-case.yaml"), &library).unwrap();
    (library, case)
}

fn at(date: &str) -> Options {
    Options {
        as_of: Date::parse(date),
        variants: false,
    }
}

#[test]
fn the_case_date_is_used_unless_overridden() {
    let (library, case) = setup();
    let c = compare(&case, &library, &Options::default());
    assert_eq!(
        (c.as_of.to_string(), c.as_of_source),
        ("2022-06-01".into(), AsOfSource::Case)
    );
    let c = compare(&case, &library, &at("2024-01-01"));
    assert_eq!(c.as_of_source, AsOfSource::Option);
}

#[test]
fn without_any_date_the_latest_encoded_date_is_used() {
    let (library, mut case) = setup();
    case.as_of = None;
    let c = compare(&case, &library, &Options::default());
    assert_eq!(c.as_of.to_string(), "2024-06-01");
    assert_eq!(c.as_of_source, AsOfSource::LatestEncoded);
}

#[test]
fn rules_apply_only_while_in_force() {
    let (library, case) = setup();
    let agency = |date| {
        compare(&case, &library, &at(date))
            .evaluation("agency")
            .unwrap()
            .clone()
    };
    let early = agency("2022-06-01");
    assert_eq!(early.verdict, Verdict::Protected);
    assert_eq!(early.decided_by, ["old-practice"]);
    let late = agency("2023-01-01");
    assert_eq!(late.verdict, Verdict::NotProtected);
    assert_eq!(late.decided_by, ["new-practice"]);
    let old = late.rule("old-practice").unwrap();
    assert!(
        old.inactive
            .as_deref()
            .unwrap()
            .contains("not in force on 2023-01-01")
    );
}

#[test]
fn a_ruleset_not_yet_in_force_does_not_address_the_case() {
    let (library, case) = setup();
    let c = compare(&case, &library, &at("2019-12-31"));
    let e = c.evaluation("agency").unwrap();
    assert!(!e.in_force);
    assert_eq!(e.verdict, Verdict::NotAddressed);
}

#[test]
fn a_variant_applies_only_when_asked_for() {
    let (library, case) = setup();
    let plain = compare(&case, &library, &at("2024-01-01"));
    assert!(plain.evaluation_under("agency", Some("reform")).is_none());
    assert_eq!(
        plain.evaluation("agency").unwrap().verdict,
        Verdict::NotProtected
    );
    let reform = Options {
        variants: true,
        ..at("2024-01-01")
    };
    let c = compare(&case, &library, &reform);
    let e = c.evaluation_under("agency", Some("reform")).unwrap();
    assert_eq!(
        e.verdict,
        Verdict::Protected,
        "the reform replaces new-practice"
    );
    assert_eq!(e.decided_by, ["reformed"]);
    assert!(
        e.rule("new-practice")
            .unwrap()
            .inactive
            .as_deref()
            .unwrap()
            .contains("replaced")
    );
    // The law in force is unchanged by asking for variants.
    assert_eq!(
        c.evaluation("agency").unwrap().verdict,
        Verdict::NotProtected
    );
}

#[test]
fn the_highest_ranked_authority_that_reaches_the_facts_decides() {
    let (library, case) = setup();
    let xx = |date| compare(&case, &library, &at(date)).jurisdictions[0].clone();
    // 2024-07: the court (rank 3) is in force and reaches `c`.
    let j = xx("2024-07-01");
    assert_eq!(
        (j.decided_by.as_deref(), j.verdict),
        (Some("court"), Verdict::NotProtected)
    );
    // 2022: the court is not yet in force; agency and lower court share rank
    // 1, so neither prevails for being later: both say protected but differ
    // on the authors, and the row is split between them (the later first).
    let j = xx("2022-06-01");
    assert_eq!(
        (j.decided_by.as_deref(), j.verdict),
        (None, Verdict::Protected)
    );
    assert_eq!(j.split_between, ["lower-court", "agency"]);
    assert!(j.authors.is_empty(), "{:?}", j.authors);
    assert_eq!(j.authorities[0].ruleset, "court");
    assert!(!j.authorities[0].in_force);
}

#[test]
fn no_authority_reaching_the_facts_leaves_the_jurisdiction_unaddressed() {
    let (library, mut case) = setup();
    case.facts = Default::default();
    authorship::model::set_fact(&library.vocabulary, &mut case.facts, "a", "false").unwrap();
    authorship::model::set_fact(&library.vocabulary, &mut case.facts, "c", "false").unwrap();
    let j = compare(&case, &library, &at("2024-07-01")).jurisdictions[0].clone();
    assert_eq!((j.decided_by, j.verdict), (None, Verdict::NotAddressed));
}
