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
    /// Timed rounds per engine.
    pub rounds: usize,
    /// One table per policy: every fact known, then some unknown.
    pub sections: Vec<Section>,
}

/// One policy's table.
pub struct Section {
    /// What the patterns are.
    pub title: String,
    /// Patterns evaluated per round.
    pub patterns: usize,
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

impl Section {
    fn baseline(&self) -> Option<f64> {
        let first = self.rows.first()?.result.as_ref().ok()?;
        Some(summary(first).0)
    }

    fn verdict_mix(&self) -> String {
        self.verdicts
            .iter()
            .map(|(v, n)| format!("{v} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// authorship's median over each limit's: how far from the limit.
    fn ratios_to_limits(&self) -> Vec<(String, f64)> {
        let Some(ours) = self.baseline() else {
            return vec![];
        };
        self.rows
            .iter()
            .filter(|r| r.engine.starts_with("limit"))
            .filter_map(|r| {
                let theirs = summary(r.result.as_ref().ok()?).0;
                Some((r.engine.clone(), ours / theirs))
            })
            .collect()
    }

    fn table(&self, out: &mut String) {
        out.push_str(&format!(
            "== {}\n{} patterns; verdicts: {}\n\n",
            self.title,
            self.patterns,
            self.verdict_mix()
        ));
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
        for row in &self.rows {
            if let Err(why) = &row.result {
                out.push_str(&format!("{} skipped: {why}\n", row.engine));
            }
        }
        for (limit, times) in self.ratios_to_limits() {
            out.push_str(&format!("authorship ÷ {limit}: ×{times:.2}\n"));
        }
        out.push('\n');
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

    fn json(&self) -> Value {
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
            "title": self.title,
            "patterns": self.patterns,
            "verdicts": self.verdicts.iter().map(|(v, n)| (v.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "engines": engines,
            "authorship_over_limits": self.ratios_to_limits().into_iter().map(|(l, x)| (l, json!(x))).collect::<serde_json::Map<_, _>>(),
        })
    }
}

impl Report {
    /// The report as text tables, one per policy.
    pub fn table(&self) -> String {
        let mut out = format!(
            "machine: {} CPUs, {}\npolicy: {} facts, {} rules (seed {:#x})\n\
             agreement: every engine run returned authorship's outcome (50 rule values + verdict) on every pattern, \
             in the checked pass and in every timed round\n\
             timing: {} rounds over all patterns after a checked warm-up pass; ns per evaluation, \
             the result read back into the same outcome (rule bits + verdict) inside the timer\n\n",
            self.cpus,
            self.cpu_model,
            crate::policy::FACTS,
            crate::policy::RULES,
            crate::policy::SEED,
            self.rounds,
        );
        for section in &self.sections {
            section.table(&mut out);
        }
        out.push_str("ratio = engine's median / authorship's median (higher: authorship faster)\n");
        out
    }

    /// The report as JSON.
    pub fn json(&self) -> Value {
        json!({
            "machine": {"cpus": self.cpus, "cpu_model": self.cpu_model},
            "policy": {
                "facts": crate::policy::FACTS,
                "rules": crate::policy::RULES,
                "seed": format!("{:#x}", crate::policy::SEED),
            },
            "rounds": self.rounds,
            "sections": self.sections.iter().map(Section::json).collect::<Vec<_>>(),
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
