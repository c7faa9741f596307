//! Issue 17, linear comparison: `compare` groups the authorities (and the
//! jurisdictions) by their answer on each issue instead of walking every
//! pair. These tests keep the old pairwise function as an oracle and check
//! that every pair's differences read off the groups
//! ([`Divergence::pairs`]) equal it: on every shipped case, on random fact
//! patterns (seeded, 0–100% of the facts unknown), and on generated
//! libraries of up to 200 rulesets (the shipped ones copied under new ids).

use std::collections::BTreeMap;

use authorship::compare::differ::{Divergence, Party};
use authorship::compare::{Comparison, Options, compare};
use authorship::model::{Case, FactType, FactValue, Facts, Library};
use authorship::render::{View, compare_text};

use crate::common::{Rng, case, case_files, library};

#[path = "../../benches/support/pairwise.rs"]
mod pairwise;

use pairwise::{authority_parties, jurisdiction_parties, oracle_pairs, scaled};

/// The groups are a partition of the parties on every issue they list,
/// with at least two answers each; and the pairs read off them equal the
/// oracle's. Returns how many pairs differ.
fn check_divergence(what: &str, d: &Divergence, parties: &[Party], library: &Library) -> usize {
    let who: Vec<&str> = parties.iter().map(|(w, _, _)| w.as_str()).collect();
    let listed: Vec<&str> = d.parties.iter().map(|p| p.who.as_str()).collect();
    assert_eq!(listed, who, "{what}: the parties, in order");
    for ig in &d.issues {
        assert!(ig.answers.len() >= 2, "{what}: {} has one answer", ig.issue);
        let mut members: Vec<&str> = ig
            .answers
            .iter()
            .flat_map(|g| {
                assert!(g.stances.iter().all(|s| s.answer == g.answer), "{what}");
                g.stances.iter().map(|s| s.who.as_str())
            })
            .collect();
        members.sort_unstable();
        let mut all = who.clone();
        all.sort_unstable();
        assert_eq!(members, all, "{what}: {} is not a partition", ig.issue);
    }
    let expected = oracle_pairs(library, parties);
    let got = d.pairs();
    assert_eq!(got.len(), expected.len(), "{what}: number of pairs");
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e, "{what}: {} / {}", e.a, e.b);
    }
    // One pair looked up by id is the same as in the list.
    if let Some(e) = expected.first() {
        assert_eq!(d.pair(&e.a, &e.b).as_ref(), Some(e), "{what}: pair()");
    }
    expected.len()
}

/// Checks both views of one comparison; returns the pairs that differ.
fn check(what: &str, c: &Comparison, library: &Library) -> usize {
    let a = check_divergence(
        &format!("{what} (authorities)"),
        &c.divergence,
        &authority_parties(c, library),
        library,
    );
    let j = check_divergence(
        &format!("{what} (jurisdictions)"),
        &c.jurisdiction_divergence,
        &jurisdiction_parties(c, library),
        library,
    );
    a + j
}

// ───────────────────────────── inputs ─────────────────────────────

/// A random pattern over the vocabulary: each fact unknown with
/// probability `unknown_pct`%, else a random valid value (text facts are
/// always unknown).
fn pattern(library: &Library, unknown_pct: u64, rng: &mut Rng) -> Facts {
    let mut facts = BTreeMap::new();
    for def in library.vocabulary.facts.values() {
        if rng.below(100) < unknown_pct {
            continue;
        }
        let value = match &def.ty {
            FactType::Bool => FactValue::Bool(rng.below(2) == 1),
            FactType::Enum { values } => {
                let i = rng.below(values.len() as u64) as usize;
                match values.get(i) {
                    Some((v, _)) => FactValue::Str(v.clone()),
                    None => continue,
                }
            }
            FactType::Integer { min, max } => {
                let lo = min.unwrap_or(0);
                let hi = max.unwrap_or(lo + 9).max(lo);
                FactValue::Int(lo + rng.below((hi - lo + 1) as u64) as i64)
            }
            FactType::Date | FactType::Text => continue,
        };
        facts.insert(def.id.clone(), value);
    }
    Facts(facts)
}

fn shipped_cases(library: &Library) -> Vec<Case> {
    case_files()
        .iter()
        .map(|p| case(p.to_str().unwrap(), library))
        .collect()
}

// ───────────────────────────── the tests ─────────────────────────────

/// Every shipped case, with and without the readings (variants), on the
/// shipped rules.
#[test]
fn pairs_read_off_the_groups_equal_the_pairwise_oracle_on_every_shipped_case() {
    let library = library();
    let mut differing = 0;
    for c in shipped_cases(library) {
        for variants in [false, true] {
            let options = Options {
                variants,
                ..Options::default()
            };
            let comparison = compare(&c, library, &options);
            differing += check(&c.path.display().to_string(), &comparison, library);
        }
    }
    // The corpus has cases on which the authorities part ways.
    assert!(differing > 100, "only {differing} differing pairs");
}

/// How many random patterns: `PERF_DIFF_PATTERNS`, else 120 (with many
/// facts unknown, a debug `compare` of one takes up to a second).
fn patterns() -> u64 {
    std::env::var("PERF_DIFF_PATTERNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120)
}

/// Seeded random patterns, 0–100% of the facts unknown, on the shipped
/// rules.
#[test]
fn pairs_read_off_the_groups_equal_the_pairwise_oracle_on_random_patterns() {
    let library = library();
    let template = case("cases/li-v-liu.yaml", library);
    let mut rng = Rng::new(17);
    let mut differing = 0;
    for i in 0..patterns() {
        let unknown = i % 101;
        let c = Case {
            facts: pattern(library, unknown, &mut rng),
            ..template.clone()
        };
        let comparison = compare(&c, library, &Options::default());
        differing += check(
            &format!("pattern {i} ({unknown}% unknown)"),
            &comparison,
            library,
        );
    }
    assert!(
        differing as u64 > patterns() / 2,
        "only {differing} differing pairs"
    );
}

/// Generated libraries of 52 and 208 rulesets (shipped, copied): every
/// shipped case at 52, a spread of them (and random patterns) at 208;
/// the text output grows linearly (one line per group, not per pair).
#[test]
fn pairs_read_off_the_groups_equal_the_pairwise_oracle_at_up_to_200_rulesets() {
    let shipped = library();
    let cases = shipped_cases(shipped);
    let n = shipped.rulesets.len();
    for copies in [1, 7] {
        let library = scaled(shipped, n * (copies + 1));
        assert_eq!(library.rulesets.len(), n * (copies + 1));
        let step = if copies > 1 { 8 } else { 1 };
        for c in cases.iter().step_by(step) {
            let comparison = compare(c, &library, &Options::default());
            check(
                &format!(
                    "{} at {} rulesets",
                    c.path.display(),
                    library.rulesets.len()
                ),
                &comparison,
                &library,
            );
        }
    }
    let library = scaled(shipped, n * 8);
    // The text grows with the rulesets, not with their pairs: eight times
    // the rulesets, at most nine times the text (it was quadratic).
    let li = case("cases/li-v-liu.yaml", shipped);
    let text = |l: &Library| {
        compare_text(
            &[compare(&li, l, &Options::default())],
            l,
            View::Authorities,
        )
        .len()
    };
    let (small, large) = (text(shipped), text(&library));
    assert!(
        large <= 9 * small,
        "{small} bytes at {n} rulesets, {large} at {}",
        n * 8
    );
    let template = cases.first().expect("a shipped case");
    let mut rng = Rng::new(200);
    for i in 0..20u64 {
        let unknown = (i * 5) % 101;
        let c = Case {
            facts: pattern(&library, unknown, &mut rng),
            ..template.clone()
        };
        let comparison = compare(&c, &library, &Options::default());
        check(
            &format!("pattern {i} at 208 rulesets"),
            &comparison,
            &library,
        );
    }
}
