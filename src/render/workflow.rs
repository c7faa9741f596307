//! The rule-change workflow's reports as text (and `diff` as Markdown for a
//! pull-request comment): `test` (and `test --unpinned`), `pin`,
//! `coverage`, the strict findings of `check --strict`, and `diff`.

use std::fmt::Write as _;

use crate::compare::{Cell, TestReport};
use crate::eval::Truth;
use crate::workflow::coverage::RulesetCoverage;
use crate::workflow::diff;
use crate::workflow::pin::Pinned;
use crate::workflow::strict::Finding;

/// `authorship test`: one line per failed expectation, then `N passed, M failed`.
pub fn test_text(report: &TestReport) -> String {
    let mut out = String::new();
    for f in &report.failed {
        for m in &f.mismatches {
            let by = if m.decided_by.is_empty() {
                String::new()
            } else {
                format!(" (decided by {})", m.decided_by.join(", "))
            };
            let _ = writeln!(
                out,
                "FAIL {} {}: {} expected {}, got {}{by}",
                f.case, f.ruleset, m.field, m.expected, m.actual
            );
        }
    }
    let _ = writeln!(
        out,
        "{} passed, {} failed",
        report.passed,
        report.failed.len()
    );
    out
}

/// `authorship test --unpinned`: per case, the cells of `compare`'s output
/// its `expect:` does not pin; then how many.
pub fn unpinned_text(cells: &[(String, Vec<Cell>)]) -> String {
    let mut out = String::new();
    for (case, list) in cells {
        let names: Vec<String> = list.iter().map(Cell::to_string).collect();
        let _ = writeln!(out, "{case}: {} unpinned: {}", list.len(), names.join(", "));
    }
    let total: usize = cells.iter().map(|(_, l)| l.len()).sum();
    let _ = writeln!(out, "{total} unpinned cell(s) in {} case(s)", cells.len());
    if total > 0 {
        let _ = writeln!(
            out,
            "`authorship pin CASE…` writes the engine's outcomes for them, for review"
        );
    }
    out
}

/// `authorship pin`: what was pinned in one case file (with `dry_run`,
/// what would be, and the lines that would be added).
pub fn pin_text(case: &str, p: &Pinned, dry_run: bool) -> String {
    let mut out = String::new();
    if p.pinned.is_empty() {
        let _ = writeln!(out, "{case}: nothing to pin");
    } else {
        let names: Vec<String> = p.pinned.iter().map(Cell::to_string).collect();
        let verb = if dry_run { "would pin" } else { "pinned" };
        let _ = writeln!(
            out,
            "{case}: {verb} {}: {}",
            p.pinned.len(),
            names.join(", ")
        );
        if dry_run {
            for line in &p.added {
                let _ = writeln!(out, "  + {line}");
            }
        }
    }
    for (cell, why) in &p.skipped {
        let _ = writeln!(out, "{case}: not pinned: {cell}: {why}");
    }
    out
}

/// `authorship coverage`: per ruleset, the share of rules and exception
/// links the cases exercise, and what they miss.
pub fn coverage_text(report: &[RulesetCoverage], min: Option<f64>) -> String {
    let mut out = String::new();
    let low = crate::workflow::coverage::below(report, min);
    for r in report {
        let _ = writeln!(
            out,
            "{:6.1}%  {} ({}/{} rules and exception links)",
            r.percent, r.ruleset, r.covered, r.items
        );
        for g in &r.gaps {
            let _ = writeln!(out, "         not covered: {} — {}", g.item, g.missing);
        }
    }
    if let Some(m) = min {
        let _ = writeln!(
            out,
            "{}",
            if low {
                format!("coverage below {m}% for some ruleset")
            } else {
                format!("every ruleset at or above {m}%")
            }
        );
    }
    out
}

/// The strict findings, one per line.
pub fn strict_text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{}: {}: {}\n    hint: {}",
            f.at, f.code, f.message, f.hint
        );
    }
    let _ = writeln!(out, "{} strict finding(s)", findings.len());
    out
}

/// `authorship diff` as text.
pub fn diff_text(d: &diff::Diff, before: &str, after: &str) -> String {
    let mut out = format!("rules before: {before}\nrules after:  {after}\n\n");
    for c in &d.changes {
        let _ = writeln!(
            out,
            "{} under {}: {} changed",
            c.case,
            c.ruleset,
            c.what.join(", ")
        );
        let _ = writeln!(out, "  before: {}", cell(&c.before));
        let _ = writeln!(out, "  after:  {}", cell(&c.after));
        for r in &c.rules {
            let cond = match (&r.condition_before, &r.condition_after) {
                (Some(b), Some(a)) if b != a => format!("condition `{b}` → `{a}`"),
                (None, Some(a)) => format!("new rule, condition `{a}`"),
                (Some(b), None) => format!("removed rule, condition was `{b}`"),
                _ => "condition unchanged".to_string(),
            };
            let applies = |t: Option<Truth>| t.map_or("—".to_string(), |t| t.to_string());
            let _ = writeln!(
                out,
                "    {}: {cond}; applies {} → {} [{}]",
                r.rule,
                applies(r.applies_before),
                applies(r.applies_after),
                r.cite
            );
        }
    }
    let _ = writeln!(
        out,
        "{} changed, {} unchanged ({} cells compared)",
        d.changes.len(),
        d.unchanged,
        d.compared
    );
    if d.changes.is_empty() {
        out.push_str("nothing changed\n");
    }
    out
}

fn cell(c: &diff::Cell) -> String {
    match (&c.error, c.verdict) {
        (Some(e), _) => format!("no evaluation ({e})"),
        (None, Some(v)) => {
            let list = |l: &[String]| {
                if l.is_empty() {
                    "—".to_string()
                } else {
                    l.join(", ")
                }
            };
            format!(
                "{v}; authors {}; protected {}; not protected {}; decided by {}",
                list(&c.authors),
                list(&c.protected),
                list(&c.not_protected),
                list(&c.decided_by)
            )
        }
        (None, None) => "no evaluation".to_string(),
    }
}

/// `authorship diff` as Markdown, for a pull-request comment.
pub fn diff_markdown(d: &diff::Diff, before: &str, after: &str) -> String {
    let mut out = format!("### Rule changes: `{before}` → `{after}`\n\n");
    if d.changes.is_empty() {
        let _ = writeln!(out, "Nothing changed ({} cells compared).", d.compared);
        return out;
    }
    out.push_str("| Case | Ruleset | Changed | Before | After |\n|---|---|---|---|---|\n");
    for c in &d.changes {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | {} |",
            c.case,
            c.ruleset,
            c.what.join(", "),
            esc(&cell(&c.before)),
            esc(&cell(&c.after))
        );
    }
    let _ = writeln!(
        out,
        "\n{} changed, {} unchanged.",
        d.changes.len(),
        d.unchanged
    );
    out
}

fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('<', "&lt;")
}
