//! Timing an in-process engine: one checked pass (which doubles as the
//! warm-up), then timed rounds over every pattern. Every timed round's
//! outcomes are compared with the checked pass too, so a fast wrong answer
//! cannot slip in.

use std::hint::black_box;
use std::time::Instant;

use crate::engines::Engine;
use crate::outcome::Outcome;

/// Every pattern's outcome, in pattern order; the first error names the pattern.
pub fn outcomes(engine: &mut dyn Engine, patterns: usize) -> Result<Vec<Outcome>, String> {
    (0..patterns)
        .map(|i| {
            engine
                .evaluate(i)
                .map_err(|e| format!("{}: pattern {i}: {e}", engine.label()))
        })
        .collect()
}

/// ns per evaluation for each of `rounds` rounds over every pattern.
pub fn rounds(
    engine: &mut dyn Engine,
    expected: &[Outcome],
    rounds: usize,
) -> Result<Vec<f64>, String> {
    let mut seen = Vec::with_capacity(expected.len());
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        seen.clear();
        let start = Instant::now();
        for i in 0..expected.len() {
            seen.push(black_box(engine.evaluate(black_box(i))));
        }
        let elapsed = start.elapsed();
        times.push(elapsed.as_nanos() as f64 / expected.len() as f64);
        for (i, (got, want)) in seen.iter().zip(expected).enumerate() {
            if got.as_ref() != Ok(want) {
                return Err(format!(
                    "{}: pattern {i}: a timed round returned {got:?}, the checked pass {want}",
                    engine.label()
                ));
            }
        }
    }
    Ok(times)
}

/// The median, min and max of a non-empty sample.
pub fn summary(sample: &[f64]) -> (f64, f64, f64) {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    (median, sorted[0], sorted[n - 1])
}
