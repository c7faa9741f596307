//! The results: one row per engine, printed as a table or as JSON.

use serde_json::{Value, json};

use crate::outcome::{Outcome, Verdict};
use crate::timing::summary;

/// One engine's result.
pub struct Row {
    /// The engine's label.
    pub engine: String,
    /// Its version.
    pub version: String,
    /// ns per evaluation per timed round, or why it was skipped.
    pub result: Result<Vec<f64>, String>,
}

/// Everything the report shows.
pub struct Report {
    /// CPUs available.
    pub cpus: usize,
    /// CPU model.
    pub cpu_model: String,
    /// Patterns evaluated per round.
    pub patterns: usize,
    /// Timed rounds per engine.
    pub rounds: usize,
    /// How often each verdict occurs among the patterns.
    pub verdicts: Vec<(Verdict, usize)>,
    /// The rows; the first is authorship, the baseline of the ratios.
    pub rows: Vec<Row>,
}

/// How often each verdict occurs.
pub fn verdict_counts(outcomes: &[Outcome]) -> Vec<(Verdict, usize)> {
    Verdict::ALL
        .into_iter()
        .map(|v| (v, outcomes.iter().filter(|o| o.verdict == v).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

impl Report {
    fn baseline(&self) -> Option<f64> {
        let first = self.rows.first()?.result.as_ref().ok()?;
        Some(summary(first).0)
    }

    /// The report as a text table.
    pub fn table(&self) -> String {
        let mut out = format!(
            "machine: {} CPUs, {}\npolicy: {} facts, {} rules, {} patterns (seed {:#x}); verdicts: {}\n\
             agreement: every engine run returned authorship's outcome (50 rule values + verdict) on all {} patterns\n\
             timing: {} rounds over all patterns after a checked warm-up pass; ns per evaluation\n\n",
            self.cpus,
            self.cpu_model,
            crate::policy::FACTS,
            crate::policy::RULES,
            self.patterns,
            crate::policy::SEED,
            self.verdicts
                .iter()
                .map(|(v, n)| format!("{v} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.patterns,
            self.rounds,
        );
        let header = ["engine", "version", "ns/eval (median)", "min–max", "ratio"];
        let mut lines = vec![header.map(str::to_string).to_vec()];
        for row in &self.rows {
            lines.push(self.cells(row));
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|c| {
                lines
                    .iter()
                    .map(|l| l[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for line in lines {
            let cells: Vec<String> = line
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (cell, w))| {
                    if c >= 2 {
                        format!("{cell:>w$}")
                    } else {
                        format!("{cell:<w$}")
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        out.push_str(
            "\nratio = engine's median / authorship's median (higher: authorship faster)\n",
        );
        out
    }

    fn cells(&self, row: &Row) -> Vec<String> {
        match &row.result {
            Ok(rounds) => {
                let (median, min, max) = summary(rounds);
                let ratio = self
                    .baseline()
                    .map_or("?".to_string(), |b| format!("{:.2}", median / b));
                vec![
                    row.engine.clone(),
                    row.version.clone(),
                    grouped(median),
                    format!("{}–{}", grouped(min), grouped(max)),
                    ratio,
                ]
            }
            Err(_) => vec![
                row.engine.clone(),
                row.version.clone(),
                "skipped".to_string(),
                String::new(),
                String::new(),
            ],
        }
    }

    /// The report as JSON.
    pub fn json(&self) -> Value {
        let baseline = self.baseline();
        let engines: Vec<Value> = self
            .rows
            .iter()
            .map(|row| match &row.result {
                Ok(rounds) => {
                    let (median, min, max) = summary(rounds);
                    json!({
                        "engine": row.engine,
                        "version": row.version,
                        "ns_per_eval": {"median": median, "min": min, "max": max, "rounds": rounds},
                        "ratio": baseline.map(|b| median / b),
                    })
                }
                Err(why) => json!({"engine": row.engine, "version": row.version, "skipped": why}),
            })
            .collect();
        json!({
            "machine": {"cpus": self.cpus, "cpu_model": self.cpu_model},
            "policy": {
                "facts": crate::policy::FACTS,
                "rules": crate::policy::RULES,
                "patterns": self.patterns,
                "seed": format!("{:#x}", crate::policy::SEED),
                "verdicts": self.verdicts.iter().map(|(v, n)| (v.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            },
            "rounds": self.rounds,
            "engines": engines,
        })
    }
}

/// `12345.6` → `12,346`.
fn grouped(ns: f64) -> String {
    let digits = format!("{:.0}", ns.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
