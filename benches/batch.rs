//! Batch throughput: `batch::run` over 10^5 generated JSON Lines patterns
//! (10% of facts unknown, seed 1 — the same bytes as
//! `cargo run --release --example gen_patterns -- 100000`), every shipped
//! ruleset, no explanations, output to `io::sink()`, with 1 and 2 worker
//! threads.
//!
//! `batch/unknown/<pct>pct`: the same with one worker thread on corpora
//! that differ only in the share of facts left unknown — 0%, 10%, 70% and
//! 100% (seed 1, each the bytes of `gen_patterns 100000 --unknown PCT`) —
//! in one run, so the cost of open outcomes reads as a ratio to the 10%
//! row. `BATCH_UNKNOWN_RECORDS` sets the records per corpus (default
//! 10^5; fewer for a slow build).
//!
//! Run: `cargo bench --bench batch`. Throughput is reported both in
//! patterns (elements) and in input bytes. Baselines in the same run:
//! `batch/baseline/json_value` — every line parsed into a
//! `serde_json::Value` and dropped (generic JSON parsing alone, a floor);
//! `batch/baseline/reference_verdict` — what a batch cost before compiled
//! evaluation, on the first 2,000 records: each line parsed into `Facts`,
//! then `eval::reference::verdict` under every ruleset (verdicts only, less
//! than the batch writes).

#[path = "support/patterns.rs"]
mod patterns;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use authorship::batch::{self, Engine, Options};
use authorship::eval::{Context, reference};
use authorship::load_library;
use authorship::model::{FactType, FactValue, Facts, Vocabulary};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

/// Records per benchmark iteration.
const RECORDS: u64 = 100_000;

/// Records per iteration of the (slow) reference baseline.
const REFERENCE_RECORDS: usize = 2_000;

/// One generated line as `Facts` (the generator writes no dates or texts).
fn facts_of(line: &[u8], vocab: &Vocabulary) -> Facts {
    let v: serde_json::Value = serde_json::from_slice(line).expect("generated JSON");
    let mut facts = Facts::default();
    for (name, value) in v["facts"].as_object().expect("facts") {
        let value = match (&vocab.facts[name].ty, value) {
            (FactType::Bool, serde_json::Value::Bool(b)) => FactValue::Bool(*b),
            (FactType::Integer { .. }, serde_json::Value::Number(n)) => {
                FactValue::Int(n.as_i64().expect("integer"))
            }
            (FactType::Enum { .. }, serde_json::Value::String(s)) => FactValue::Str(s.clone()),
            (ty, v) => panic!("{name}: unexpected {v} for {ty:?}"),
        };
        facts.set(name, value);
    }
    facts
}

fn bench(c: &mut Criterion) {
    let library = load_library(Path::new("rules")).expect("shipped rules load");
    let ctx = Context::as_of(library.latest_date().expect("a dated ruleset"));
    let corpus = patterns::Generator::new(&library.vocabulary, 10, 1).corpus(RECORDS);
    let engine = Engine::new(&library, &[], ctx.clone()).expect("rulesets compile");

    let mut group = c.benchmark_group("batch");
    // One iteration is a whole corpus (a fraction of a second): flat
    // sampling, so every sample is one or a few iterations.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (unit, throughput) in [
        ("patterns", Throughput::Elements(RECORDS)),
        ("bytes", Throughput::Bytes(corpus.len() as u64)),
    ] {
        group.throughput(throughput);
        for threads in [1, 2] {
            let options = Options {
                threads,
                ..Options::default()
            };
            group.bench_function(format!("{unit}/all_rulesets/threads{threads}"), |b| {
                b.iter(|| {
                    let mut input: &[u8] = black_box(&corpus);
                    let stats = batch::run(
                        &engine,
                        &mut input,
                        &mut std::io::sink(),
                        &options,
                        &mut |_| {},
                    )
                    .expect("batch runs");
                    assert_eq!(stats.records, RECORDS);
                    assert_eq!(stats.errors, 0);
                })
            });
        }
    }

    unknown_shares(&mut group, &library, &engine);

    group.throughput(Throughput::Elements(RECORDS));
    group.bench_function("baseline/json_value", |b| {
        b.iter(|| {
            for line in black_box(&corpus)
                .split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
            {
                black_box(serde_json::from_slice::<serde_json::Value>(line).expect("JSON"));
            }
        })
    });
    let vocab = &library.vocabulary;
    let lines: Vec<&[u8]> = corpus
        .split(|b| *b == b'\n')
        .take(REFERENCE_RECORDS)
        .collect();
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("baseline/reference_verdict", |b| {
        b.iter(|| {
            for line in &lines {
                let facts = facts_of(black_box(line), vocab);
                for r in &library.rulesets {
                    black_box(reference::verdict(r, vocab, &facts, &ctx).ok());
                }
            }
        })
    });
    group.finish();
}

/// Shares of unknown facts for `batch/unknown`.
const UNKNOWN_SHARES: [u64; 4] = [0, 10, 70, 100];

fn unknown_shares(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    library: &authorship::Library,
    engine: &Engine,
) {
    let records = std::env::var("BATCH_UNKNOWN_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RECORDS);
    let options = Options {
        threads: 1,
        ..Options::default()
    };
    group.throughput(Throughput::Elements(records));
    for pct in UNKNOWN_SHARES {
        let corpus = patterns::Generator::new(&library.vocabulary, pct, 1).corpus(records);
        group.bench_function(format!("unknown/{pct}pct"), |b| {
            b.iter(|| {
                let mut input: &[u8] = black_box(&corpus);
                let stats = batch::run(
                    engine,
                    &mut input,
                    &mut std::io::sink(),
                    &options,
                    &mut |_| {},
                )
                .expect("batch runs");
                assert_eq!(stats.records, records);
                assert_eq!(stats.errors, 0);
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
