//! Evaluation speed: the compiled evaluator against the tree-walking
//! `eval::reference` evaluator (what evaluation was before compilation),
//! measured in the same run.
//!
//! Run: `cargo bench --bench eval`. Groups:
//!
//! - `eval/per_ruleset`: one pattern × one ruleset, per mode — `run` (the
//!   compact record of condition values), `verdict`, `summarize`, `explain`
//!   (full `Evaluation`) — and the reference evaluator's `ref_rule_values`,
//!   `ref_verdict`, `ref_evaluate`, plus `api_evaluate` (`eval::evaluate`,
//!   which compiles on every call). `all/<mode>` runs every shipped case ×
//!   every shipped ruleset (throughput in evaluations); `<case>/<ruleset>/
//!   <mode>` details single pairs for the cases in `EVAL_BENCH_CASES`
//!   (comma-separated file stems, `all` for every case; default
//!   `li-v-liu`).
//! - `eval/one_case_all_rulesets/<case>`: one case × all rulesets with full
//!   explanations: precompiled, `eval::evaluate` (compile + evaluate),
//!   `compare::compare` (what `authorship compare` does) and the reference.
//! - `eval/load_compile`: loading `rules/`, and building slots + compiling
//!   every ruleset; the built-in rules parsed from their YAML text
//!   (`load_yaml_built_in`, what every start did before issue 17) and
//!   decoded from their precompiled form (`decode_built_in`, what it does).
//! - `eval/whatif_flip`: single-fact flips of every bool fact of a case,
//!   each followed by a re-run of one ruleset (throughput in re-evaluations).
//!
//! Figures are machine-dependent: read them as ratios to the reference
//! measured in the same run (see BENCHMARKS.md).

#[path = "support/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use authorship::compare;
use authorship::eval::compiled::{Kind, Scratch, Slots, Val};
use authorship::eval::{self, reference};
use authorship::load::{embedded, load_library};
use authorship::model::FactValue;
use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};

use corpus::{Corpus, Prepared, compile_all};

fn short(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(1));
}

/// Compiled and reference evaluation of one (case, ruleset) pair must agree;
/// a mismatch is printed (the benchmark still runs: it measures speed).
fn check(corpus: &Corpus) {
    let vocab = &corpus.library.vocabulary;
    let mut s = Scratch::default();
    let mut bad = 0;
    for p in &corpus.cases {
        for (r, c) in corpus.library.rulesets.iter().zip(&p.compiled) {
            let fast = c.evaluate(r, &corpus.slots, &p.pattern, &mut s);
            let slow = reference::evaluate(r, vocab, &p.case.facts, &p.ctx);
            if fast != slow {
                bad += 1;
                eprintln!(
                    "MISMATCH {} / {}: compiled and reference evaluations differ",
                    p.name, r.id
                );
            }
        }
    }
    if bad > 0 {
        eprintln!("{bad} mismatching (case, ruleset) pairs");
    }
}

fn selected(corpus: &Corpus) -> Vec<&Prepared> {
    let wanted = std::env::var("EVAL_BENCH_CASES").unwrap_or_else(|_| "li-v-liu".into());
    if wanted == "all" {
        return corpus.cases.iter().collect();
    }
    wanted.split(',').map(|n| corpus.case(n.trim())).collect()
}

fn per_ruleset(c: &mut Criterion, corpus: &Corpus) {
    let vocab = &corpus.library.vocabulary;
    let slots = &corpus.slots;
    let rulesets = &corpus.library.rulesets;
    let mut group = c.benchmark_group("eval/per_ruleset");
    short(&mut group);

    // Every case × every ruleset, one mode per benchmark.
    group.throughput(Throughput::Elements(corpus.evaluations()));
    let mut s = Scratch::default();
    group.bench_function("all/run", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for c in &p.compiled {
                    black_box(c.run(black_box(&p.pattern), &mut s));
                }
            }
        })
    });
    group.bench_function("all/verdict", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for c in &p.compiled {
                    black_box(c.verdict(black_box(&p.pattern), &mut s).ok());
                }
            }
        })
    });
    group.bench_function("all/summarize", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for c in &p.compiled {
                    black_box(c.summarize(black_box(&p.pattern), &mut s).is_ok());
                }
            }
        })
    });
    group.bench_function("all/explain", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for (r, c) in rulesets.iter().zip(&p.compiled) {
                    black_box(c.evaluate(r, slots, &p.pattern, &mut s).ok());
                }
            }
        })
    });
    group.bench_function("all/api_evaluate", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for r in rulesets {
                    black_box(eval::evaluate(r, vocab, black_box(&p.case.facts), &p.ctx).ok());
                }
            }
        })
    });
    group.bench_function("all/ref_rule_values", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for r in rulesets {
                    black_box(reference::rule_values(r, black_box(&p.case.facts), &p.ctx));
                }
            }
        })
    });
    group.bench_function("all/ref_verdict", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for r in rulesets {
                    black_box(reference::verdict(r, vocab, black_box(&p.case.facts), &p.ctx).ok());
                }
            }
        })
    });
    group.bench_function("all/ref_evaluate", |b| {
        b.iter(|| {
            for p in &corpus.cases {
                for r in rulesets {
                    black_box(reference::evaluate(r, vocab, black_box(&p.case.facts), &p.ctx).ok());
                }
            }
        })
    });

    // Single pairs.
    group.throughput(Throughput::Elements(1));
    for p in selected(corpus) {
        for (r, c) in rulesets.iter().zip(&p.compiled) {
            let id = |mode: &str| format!("{}/{}/{mode}", p.name, r.id);
            let facts = &p.case.facts;
            group.bench_function(id("run"), |b| {
                b.iter(|| {
                    black_box(c.run(black_box(&p.pattern), &mut s));
                })
            });
            group.bench_function(id("verdict"), |b| {
                b.iter(|| black_box(c.verdict(black_box(&p.pattern), &mut s).ok()))
            });
            group.bench_function(id("summarize"), |b| {
                b.iter(|| black_box(c.summarize(black_box(&p.pattern), &mut s).is_ok()))
            });
            group.bench_function(id("explain"), |b| {
                b.iter(|| black_box(c.evaluate(r, slots, black_box(&p.pattern), &mut s).ok()))
            });
            group.bench_function(id("ref_rule_values"), |b| {
                b.iter(|| black_box(reference::rule_values(r, black_box(facts), &p.ctx)))
            });
            group.bench_function(id("ref_verdict"), |b| {
                b.iter(|| black_box(reference::verdict(r, vocab, black_box(facts), &p.ctx).ok()))
            });
            group.bench_function(id("ref_evaluate"), |b| {
                b.iter(|| black_box(reference::evaluate(r, vocab, black_box(facts), &p.ctx).ok()))
            });
        }
    }
    group.finish();
}

fn one_case_all_rulesets(c: &mut Criterion, corpus: &Corpus) {
    let vocab = &corpus.library.vocabulary;
    let rulesets = &corpus.library.rulesets;
    let mut group = c.benchmark_group("eval/one_case_all_rulesets");
    short(&mut group);
    // li-v-liu is the target's case; no-facts (everything unknown) is the
    // worst case for the exact refinement of open outcomes.
    for name in ["li-v-liu", "no-facts"] {
        let p = corpus.case(name);
        let facts = &p.case.facts;
        let mut s = Scratch::default();
        group.bench_function(format!("{name}/compiled"), |b| {
            b.iter(|| {
                let pattern = corpus.slots.encode(black_box(facts));
                for (r, c) in rulesets.iter().zip(&p.compiled) {
                    black_box(c.evaluate(r, &corpus.slots, &pattern, &mut s).ok());
                }
            })
        });
        group.bench_function(format!("{name}/api_evaluate"), |b| {
            b.iter(|| {
                for r in rulesets {
                    black_box(eval::evaluate(r, vocab, black_box(facts), &p.ctx).ok());
                }
            })
        });
        group.bench_function(format!("{name}/compare"), |b| {
            b.iter(|| {
                black_box(compare::compare(
                    black_box(&p.case),
                    &corpus.library,
                    &compare::Options::default(),
                ))
            })
        });
        group.bench_function(format!("{name}/reference"), |b| {
            b.iter(|| {
                for r in rulesets {
                    black_box(reference::evaluate(r, vocab, black_box(facts), &p.ctx).ok());
                }
            })
        });
    }
    group.finish();
}

fn load_compile(c: &mut Criterion, corpus: &Corpus) {
    let mut group = c.benchmark_group("eval/load_compile");
    short(&mut group);
    let library = &corpus.library;
    let ctx = &corpus.case("li-v-liu").ctx;
    group.bench_function("load", |b| {
        b.iter(|| black_box(load_library(black_box(Path::new("rules"))).expect("rules load")))
    });
    group.bench_function("load_yaml_built_in", |b| {
        b.iter(|| black_box(embedded::library_from_yaml().expect("rules load")))
    });
    group.bench_function("decode_built_in", |b| {
        b.iter(|| black_box(embedded::library().expect("rules decode")))
    });
    group.bench_function("load_and_compile", |b| {
        b.iter(|| {
            let library = load_library(black_box(Path::new("rules"))).expect("rules load");
            let refs: Vec<_> = library.rulesets.iter().collect();
            let slots = Slots::new(&library.vocabulary, &refs);
            black_box(compile_all(&library, &slots, ctx))
        })
    });
    group.bench_function("compile", |b| {
        b.iter(|| {
            let refs: Vec<_> = library.rulesets.iter().collect();
            let slots = Slots::new(&library.vocabulary, &refs);
            black_box(compile_all(library, &slots, ctx))
        })
    });
    group.finish();
}

fn whatif_flip(c: &mut Criterion, corpus: &Corpus) {
    let vocab = &corpus.library.vocabulary;
    let rulesets = &corpus.library.rulesets;
    let p = corpus.case("li-v-liu");
    // Every bool fact: flipped when known, set to true when unknown.
    let flips: Vec<(u32, &str, Val)> = vocab
        .facts
        .keys()
        .filter_map(|name| {
            let slot = corpus.slots.slot(name)?;
            let v = p.pattern.get(slot);
            match v.kind {
                Kind::Bool => Some((slot, name.as_str(), Val::bool(v.bits == 0))),
                Kind::Unknown
                    if matches!(vocab.facts[name].ty, authorship::model::FactType::Bool) =>
                {
                    Some((slot, name.as_str(), Val::bool(true)))
                }
                _ => None,
            }
        })
        .collect();
    let mut group = c.benchmark_group("eval/whatif_flip");
    short(&mut group);
    group.throughput(Throughput::Elements((flips.len() * rulesets.len()) as u64));
    let mut s = Scratch::default();
    let mut pattern = p.pattern.clone();
    group.bench_function("run", |b| {
        b.iter(|| {
            for c in &p.compiled {
                for &(slot, _, val) in &flips {
                    let old = pattern.get(slot);
                    pattern.put(slot, val);
                    black_box(c.run(black_box(&pattern), &mut s));
                    pattern.put(slot, old);
                }
            }
        })
    });
    group.bench_function("verdict", |b| {
        b.iter(|| {
            for c in &p.compiled {
                for &(slot, _, val) in &flips {
                    let old = pattern.get(slot);
                    pattern.put(slot, val);
                    black_box(c.verdict(black_box(&pattern), &mut s).ok());
                    pattern.put(slot, old);
                }
            }
        })
    });
    let mut facts = p.case.facts.clone();
    group.bench_function("ref_rule_values", |b| {
        b.iter(|| {
            for r in rulesets {
                for &(_, name, val) in &flips {
                    let old = facts.get(name).cloned();
                    facts.set(name, FactValue::Bool(val.bits == 1));
                    black_box(reference::rule_values(r, black_box(&facts), &p.ctx));
                    match old {
                        Some(v) => facts.set(name, v),
                        None => facts.unset(name),
                    }
                }
            }
        })
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let corpus = Corpus::load();
    check(&corpus);
    per_ruleset(c, &corpus);
    one_case_all_rulesets(c, &corpus);
    load_compile(c, &corpus);
    whatif_flip(c, &corpus);
}

criterion_group!(benches, bench);
criterion_main!(benches);
