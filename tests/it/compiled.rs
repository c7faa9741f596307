//! The compiled evaluator against the tree evaluator that defines the
//! semantics: the same `Evaluation` (outcome and explanation) on every
//! shipped case under every ruleset, reading and date — compiled per call
//! and through the library's cache of compiled programs — and on random
//! fact patterns over the shipped rulesets.

use crate::common;

use authorship::eval::{Context, candidate_values, reference};
use authorship::model::{FactValue, Facts};
use proptest::prelude::*;

use std::sync::OnceLock;

#[test]
fn every_case_ruleset_reading_and_date_matches_the_tree_evaluator() {
    let library = common::library();
    let mut compared = 0;
    for file in common::case_files() {
        let case = common::case(file.to_str().unwrap(), library);
        for ruleset in &library.rulesets {
            for ctx in common::contexts(library, ruleset) {
                let fast = authorship::evaluate(ruleset, &library.vocabulary, &case.facts, &ctx);
                let slow = reference::evaluate(ruleset, &library.vocabulary, &case.facts, &ctx);
                assert_eq!(
                    fast,
                    slow,
                    "{} under {} {ctx:?}",
                    file.display(),
                    ruleset.id
                );
                compared += 1;
            }
        }
    }
    // 35 cases × 13 rulesets × (2 dates × (1 + variants)).
    assert!(compared > 35 * 13 * 2, "only {compared} comparisons");
}

#[test]
fn the_librarys_cached_programs_give_the_same_answers_as_the_tree_evaluator() {
    let library = common::library();
    let mut compared = 0;
    // Twice over: the second round is served from the cache.
    for _ in 0..2 {
        for file in common::case_files() {
            let case = common::case(file.to_str().unwrap(), library);
            for ruleset in &library.rulesets {
                for ctx in common::contexts(library, ruleset) {
                    let cached = library.evaluate(ruleset, &case.facts, &ctx);
                    let fresh =
                        reference::evaluate(ruleset, &library.vocabulary, &case.facts, &ctx);
                    assert_eq!(
                        cached,
                        fresh,
                        "{} under {} {ctx:?}",
                        file.display(),
                        ruleset.id
                    );
                    let v = library.verdict(ruleset, &case.facts, &ctx);
                    assert_eq!(v, fresh.map(|e| e.verdict));
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 2 * 35 * 13 * 2, "only {compared} comparisons");
}

/// For each shipped ruleset, for each fact in vocabulary order, the values
/// that can matter to it (`candidate_values`): the same for every case of
/// the property below, so worked out once.
fn candidates() -> &'static [Vec<Vec<FactValue>>] {
    static CANDIDATES: OnceLock<Vec<Vec<Vec<FactValue>>>> = OnceLock::new();
    CANDIDATES.get_or_init(|| {
        let library = common::library();
        library
            .rulesets
            .iter()
            .map(|ruleset| {
                library
                    .vocabulary
                    .facts
                    .keys()
                    .map(|name| candidate_values(ruleset, &library.vocabulary, name))
                    .collect()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// Random patterns: each fact of the vocabulary unknown or one of the
    /// values that can matter to the ruleset. Values that contradict the
    /// vocabulary (stated for a fact that does not arise) are kept on
    /// purpose: both evaluators complete the facts themselves and must set
    /// such a value aside alike.
    #[test]
    fn random_patterns_match_the_tree_evaluator(
        picks in prop::collection::vec(0usize..8, common::library().vocabulary.facts.len())
    ) {
        let library = common::library();
        let ctx = Context::as_of(library.latest_date().unwrap());
        for (ruleset, candidates) in library.rulesets.iter().zip(candidates()) {
            let mut facts = Facts::default();
            let names = library.vocabulary.facts.keys();
            for ((name, pick), values) in names.zip(&picks).zip(candidates) {
                if let Some(v) = values.get(*pick) {
                    facts.set(name, v.clone());
                }
            }
            let fast = authorship::evaluate(ruleset, &library.vocabulary, &facts, &ctx);
            let slow = reference::evaluate(ruleset, &library.vocabulary, &facts, &ctx);
            prop_assert_eq!(&fast, &slow, "under {}", ruleset.id);
            let v = authorship::eval::verdict(ruleset, &library.vocabulary, &facts, &ctx);
            prop_assert_eq!(v, slow.map(|e| e.verdict));
        }
    }
}
