//! What-if search time for K = 1, 2, 3 on every shipped case, under every
//! shipped ruleset at once (one benchmark per case and K).
//!
//! Run: `cargo bench --bench whatif`. Figures are machine-dependent; report
//! them as ratios to `whatif/baseline/verdict`, one plain evaluation of the
//! same case under every ruleset, measured in the same run.

use std::hint::black_box;
use std::path::Path;

use authorship::compare::{Options, as_of};
use authorship::eval::{Context, verdict};
use authorship::load::{load_case, load_library};
use authorship::model::{Case, Library};
use authorship::whatif::{Query, what_if};
use criterion::{Criterion, criterion_group, criterion_main};

fn corpus() -> (Library, Vec<Case>) {
    let library = load_library(Path::new("rules")).expect("shipped rules load");
    let mut files: Vec<_> = std::fs::read_dir("cases")
        .expect("cases/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let cases = files
        .iter()
        .map(|f| load_case(f, &library).expect("shipped case loads"))
        .collect();
    (library, cases)
}

fn all_rulesets(library: &Library, case: &Case, k: usize) -> usize {
    let ctx = Context::as_of(as_of(case, library, &Options::default()).0);
    let query = Query {
        target: None,
        max_changes: k,
    };
    library
        .rulesets
        .iter()
        .map(|r| {
            what_if(r, &library.vocabulary, &case.facts, &ctx, &query)
                .map_or(0, |w| w.counterfactuals.len())
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let (library, cases) = corpus();
    let mut group = c.benchmark_group("whatif");
    group.sample_size(10);
    let first = cases.first().expect("a case");
    group.bench_function("baseline/verdict", |b| {
        let ctx = Context::as_of(as_of(first, &library, &Options::default()).0);
        b.iter(|| {
            for r in &library.rulesets {
                black_box(verdict(r, &library.vocabulary, &first.facts, &ctx).ok());
            }
        })
    });
    for case in &cases {
        let name = case
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("case")
            .to_string();
        for k in 1..=3 {
            group.bench_function(format!("{name}/k{k}"), |b| {
                b.iter(|| black_box(all_rulesets(&library, case, k)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
