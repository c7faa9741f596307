//! The precompiled built-in library (issue 17): the rules the program
//! decodes at start are the rules loaded from `rules/`, they evaluate as
//! the tree evaluator does on the shipped corpus and on random patterns,
//! and every output made with them is the output made from the directory.

use std::sync::OnceLock;

use authorship::Library;
use authorship::eval::{Context, candidate_values, reference};
use authorship::load::embedded;
use authorship::model::{Facts, RulesOrigin};
use serde_json::Value;

use crate::common;

/// The built-in rules as the program reads them: decoded, not parsed.
fn decoded() -> &'static Library {
    static DECODED: OnceLock<Library> = OnceLock::new();
    DECODED.get_or_init(|| embedded::library().expect("the precompiled rules decode"))
}

/// Every part but the origin, which names where the rules came from.
fn assert_same_rules(a: &Library, b: &Library) {
    assert_eq!(a.vocabulary, b.vocabulary);
    assert_eq!(a.rulesets.len(), b.rulesets.len());
    for (x, y) in a.rulesets.iter().zip(&b.rulesets) {
        assert_eq!(x, y, "ruleset {}", x.id);
        assert_eq!(x.index, y.index, "index of {}", x.id);
    }
    assert_eq!(a.jurisdictions, b.jurisdictions);
    assert_eq!(a.bibliography, b.bibliography);
}

#[test]
fn the_decoded_library_equals_the_rules_directory_loaded_from_yaml() {
    let decoded = decoded();
    assert_same_rules(decoded, common::library());
    let parsed = embedded::library_from_yaml().unwrap();
    assert_same_rules(decoded, &parsed);
    assert_eq!(decoded.origin, parsed.origin);
    assert_eq!(decoded.origin, embedded::origin());
    // The digest taken at build time is the digest of the files built in.
    let files: Vec<(&str, &str)> = embedded::rule_files()
        .iter()
        .copied()
        .filter(|(p, _)| p.ends_with(".yaml") && p.matches('/').count() == 1)
        .collect();
    assert!(files.len() > 13);
    let RulesOrigin::Embedded { digest, .. } = &decoded.origin else {
        panic!("not the built-in origin: {:?}", decoded.origin);
    };
    assert_eq!(*digest, embedded::digest(&files));
}

#[test]
fn the_decoded_library_evaluates_the_corpus_as_the_tree_evaluator_does() {
    let (decoded, parsed) = (decoded(), common::library());
    let mut compared = 0;
    for file in common::case_files() {
        let case = common::case(file.to_str().unwrap(), decoded);
        for (ruleset, yaml) in decoded.rulesets.iter().zip(&parsed.rulesets) {
            for ctx in common::contexts(decoded, ruleset) {
                let fast = decoded.evaluate(ruleset, &case.facts, &ctx);
                let slow = reference::evaluate(yaml, &parsed.vocabulary, &case.facts, &ctx);
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
    assert!(compared > 35 * 13 * 2, "only {compared} comparisons");
}

/// A small seeded generator (xorshift64*): the same patterns on every run.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn the_decoded_library_evaluates_random_patterns_as_the_tree_evaluator_does() {
    let (decoded, parsed) = (decoded(), common::library());
    let ctx = Context::as_of(decoded.latest_date().unwrap());
    let names: Vec<&String> = decoded.vocabulary.facts.keys().collect();
    let candidates: Vec<Vec<_>> = decoded
        .rulesets
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|n| candidate_values(r, &decoded.vocabulary, n))
                .collect()
        })
        .collect();
    let mut rng = Seeded(0x9e37_79b9_7f4a_7c15);
    let patterns = 3000;
    for i in 0..patterns {
        // From every fact known to every fact unknown, evenly over the run.
        let unknown_percent = i * 100 / (patterns - 1);
        for (r, ruleset) in decoded.rulesets.iter().enumerate() {
            let mut facts = Facts::default();
            for (name, values) in names.iter().zip(&candidates[r]) {
                if rng.below(100) >= unknown_percent && !values.is_empty() {
                    facts.set(name, values[rng.below(values.len())].clone());
                }
            }
            let fast = decoded.evaluate(ruleset, &facts, &ctx);
            let yaml = &parsed.rulesets[r];
            let slow = reference::evaluate(yaml, &parsed.vocabulary, &facts, &ctx);
            assert_eq!(fast, slow, "pattern {i} under {}", ruleset.id);
        }
    }
}

/// `compare --format json` of one case, with the built-in rules or a
/// directory; the `rule_set` objects (which name the rules' origin) are
/// returned apart from the rest.
fn compare_json(case: &str, rules: Option<&str>) -> (Value, Vec<Value>) {
    let mut command = common::authorship();
    command.env_remove("AUTHORSHIP_RULES");
    command.args(["compare", case, "--format", "json"]);
    if let Some(dir) = rules {
        command.args(["--rules", dir]);
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{case}: {}", common::stderr(&out));
    let mut json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let origins = json["cases"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .map(|c| c.as_object_mut().unwrap().remove("rule_set").unwrap())
        .collect();
    (json, origins)
}

#[test]
fn every_case_compares_the_same_with_the_built_in_rules_and_the_directory() {
    for file in common::case_files() {
        let case = file.to_str().unwrap();
        let (built_in, origins) = compare_json(case, None);
        let (directory, dir_origins) = compare_json(case, Some("rules"));
        assert_eq!(built_in, directory, "{case}");
        assert_eq!(origins[0]["source"], "embedded", "{case}");
        assert_eq!(
            origins[0]["digest"].as_str(),
            embedded::origin()
                .to_string()
                .split("digest ")
                .nth(1)
                .map(|d| d.trim_end_matches(')')),
        );
        assert_eq!(dir_origins[0]["source"], "directory", "{case}");
    }
}
