//! How `compare` scales with the number of rulesets (issue 17): the
//! shipped rulesets, copied under new ids up to 195 (see
//! `support/pairwise.rs`), against one case (`cases/li-v-liu.yaml`).
//!
//! Run: `cargo bench --bench scale`. Groups, each at 13, 26, 65, 130 and
//! 195 rulesets:
//!
//! - `scale/compare/<n>`: `compare::compare`, warm (the programs cached).
//! - `scale/text/<n>`: the same, rendered as text (`compare_text`).
//! - `scale/differ/<n>/groups`: `differ::divergence` on the authorities'
//!   stances — what `compare` does now — and `…/pairs`, the pairwise
//!   function it replaced, on the same stances, in the same run.
//!
//! Figures are machine-dependent: read them as ratios (to 13 rulesets,
//! and groups to pairs); see `docs/bench/diff.md`.

#[path = "support/pairwise.rs"]
mod pairwise;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use authorship::compare::{self, Options, differ};
use authorship::load::{load_case, load_library};
use authorship::render::{View, compare_text};
use criterion::{Criterion, criterion_group, criterion_main};

/// The numbers of rulesets measured (the shipped 26, half of them, and
/// 2.5, 5 and 7.5 times as many).
const SIZES: [usize; 5] = [13, 26, 65, 130, 195];

fn bench(c: &mut Criterion) {
    let shipped = load_library(Path::new("rules")).expect("the shipped rules load");
    let mut group = c.benchmark_group("scale");
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for n in SIZES {
        let library = pairwise::scaled(&shipped, n);
        let case = load_case(Path::new("cases/li-v-liu.yaml"), &library).expect("the case loads");
        let options = Options::default();
        let comparison = compare::compare(&case, &library, &options);
        let parties = pairwise::authority_parties(&comparison, &library);
        // The groups give the same pairs as the old function.
        assert_eq!(
            comparison.divergence.pairs(),
            pairwise::oracle_pairs(&library, &parties)
        );
        group.bench_function(format!("compare/{n}"), |b| {
            b.iter(|| compare::compare(black_box(&case), &library, &options));
        });
        group.bench_function(format!("text/{n}"), |b| {
            b.iter(|| {
                let c = compare::compare(black_box(&case), &library, &options);
                compare_text(&[c], &library, View::Authorities)
            });
        });
        group.bench_function(format!("differ/{n}/groups"), |b| {
            b.iter(|| differ::divergence(&library, black_box(&parties)));
        });
        group.bench_function(format!("differ/{n}/pairs"), |b| {
            b.iter(|| pairwise::oracle_pairs(&library, black_box(&parties)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
