//! Batch's fast paths (each record completed once for every ruleset; the
//! exact refinement walking only from the roots three-valued logic leaves
//! open) against the tree evaluator, `eval::reference::evaluate`: every
//! outcome slot a batch writes is the one the reference's evaluation makes
//! — on every shipped case under every ruleset, date and reading, and on
//! generated patterns (the benchmark corpus's own generator, several
//! seeds) from every fact known to every fact unknown.

use authorship::batch::{self, Engine, Options};
use authorship::eval::{Context, reference};
use authorship::model::{FactType, FactValue, Facts, Library, Ruleset, Vocabulary};
use authorship::syntax::Date;
use authorship::{compare, load_library};
use serde_json::{Value, json};

use super::batch::slot_of;
use crate::common;

/// Runs `input` through `engine` with one worker (and with two, which must
/// write the same bytes); returns the output records.
fn outcomes(engine: &Engine<'_>, input: &[u8]) -> Vec<Value> {
    let mut outs = Vec::new();
    for threads in [1, 2] {
        let mut out = Vec::new();
        let options = Options {
            threads,
            chunk_records: 7,
            ..Options::default()
        };
        let mut reader: &[u8] = input;
        let stats = batch::run(engine, &mut reader, &mut out, &options, &mut |_| {}).unwrap();
        assert_eq!(stats.errors, 0, "{}", String::from_utf8_lossy(&out));
        outs.push(out);
    }
    assert!(outs[0] == outs[1], "one and two workers differ");
    String::from_utf8(outs.swap_remove(0))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The slot the reference evaluator makes for `facts` under `ruleset`.
fn reference_slot(ruleset: &Ruleset, vocab: &Vocabulary, facts: &Facts, ctx: &Context) -> Value {
    match reference::evaluate(ruleset, vocab, facts, ctx) {
        Ok(e) => slot_of(&e),
        Err(err) => json!({ "error": err.to_string() }),
    }
}

#[test]
fn every_shipped_case_under_every_ruleset_and_reading_is_the_references() {
    let library = load_library("rules".as_ref()).unwrap();
    let vocab = &library.vocabulary;
    let (mut slots, mut open) = (0, 0);
    for path in common::case_files() {
        let path = path.to_str().unwrap();
        let case = common::case(path, &library);
        let record = format!("{}\n", json!({ "facts": case.facts }));
        let case_date = compare::as_of(&case, &library, &compare::Options::default()).0;
        let latest = library.latest_date().unwrap();
        for ruleset in &library.rulesets {
            for as_of in [case_date, latest] {
                for ctx in common::readings(ruleset, as_of) {
                    let engine =
                        Engine::new(&library, std::slice::from_ref(&ruleset.id), ctx.clone())
                            .unwrap();
                    let out = outcomes(&engine, record.as_bytes());
                    let slot = &out[0]["outcomes"][&ruleset.id];
                    let expected = reference_slot(ruleset, vocab, &case.facts, &ctx);
                    assert_eq!(slot, &expected, "{path} under {} ({ctx:?})", ruleset.id);
                    slots += 1;
                    open += usize::from(slot.get("possible").is_some());
                }
            }
        }
    }
    // The corpus exercises the exact refinement, not only settled outcomes.
    assert!(slots > 1_000 && open > 50, "{slots} slots, {open} open");
}

/// One generated line as `Facts`, as the batch reads it.
fn facts_of(line: &str, vocab: &Vocabulary) -> Facts {
    let v: Value = serde_json::from_str(line).unwrap();
    let mut facts = Facts::default();
    for (name, value) in v["facts"].as_object().unwrap() {
        let value = match (&vocab.facts[name].ty, value) {
            (FactType::Bool, Value::Bool(b)) => FactValue::Bool(*b),
            (FactType::Integer { .. }, Value::Number(n)) => FactValue::Int(n.as_i64().unwrap()),
            (FactType::Enum { .. }, Value::String(s)) => FactValue::Str(s.clone()),
            (FactType::Date, Value::String(s)) => FactValue::Date(Date::parse(s).unwrap()),
            (ty, v) => panic!("{name}: unexpected {v} for {ty:?}"),
        };
        facts.set(name, value);
    }
    facts
}

/// Generated patterns (`unknown`% of facts left out, seeded) under every
/// shipped ruleset: each slot is the reference's. Returns how many slots
/// were open.
fn generated_agree(library: &Library, unknown: u64, seed: u64, n: u64) -> usize {
    let vocab = &library.vocabulary;
    let ctx = Context::as_of(library.latest_date().unwrap());
    let engine = Engine::new(library, &[], ctx.clone()).unwrap();
    let corpus = common::patterns::Generator::new(vocab, unknown, seed).corpus(n);
    let out = outcomes(&engine, &corpus);
    let text = String::from_utf8(corpus).unwrap();
    assert_eq!(out.len() as u64, n);
    let mut open = 0;
    for (line, record) in text.lines().zip(&out) {
        let facts = facts_of(line, vocab);
        for ruleset in &library.rulesets {
            let slot = &record["outcomes"][&ruleset.id];
            let expected = reference_slot(ruleset, vocab, &facts, &ctx);
            assert_eq!(
                slot, &expected,
                "{unknown}% unknown, seed {seed}, {line}: {}",
                ruleset.id
            );
            open += usize::from(slot.get("possible").is_some());
        }
    }
    open
}

#[test]
fn generated_patterns_from_none_to_every_fact_unknown_get_the_references_outcomes() {
    let library = load_library("rules".as_ref()).unwrap();
    // 2,000 patterns: 400 at each share, two seeds each.
    let mut open = 0;
    for unknown in [0, 10, 40, 70, 100] {
        for seed in [1, 7] {
            open += generated_agree(&library, unknown, seed, 200);
        }
    }
    assert!(open > 500, "{open} open slots");
}
