//! The rule-change workflow commands: `test`, `diff`, `coverage`, and the
//! strict part of `check`. Printing and exit status only; the work is the
//! library's (`authorship::workflow`, `authorship::compare::run_tests`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use authorship::compare::{TestReport, run_tests};
use authorship::model::{Case, Library, load_case};
use authorship::workflow::{coverage, diff, strict};

/// What a workflow command concludes.
pub enum Outcome {
    /// Everything holds: exit 0.
    Pass,
    /// The gate fails (a test fails, something changed, coverage is low,
    /// a strict finding): exit 1, after the report.
    Fail,
}

/// Loads every case, collecting load errors as text.
pub fn load_cases(library: &Library, files: &[PathBuf]) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load_case(f, library) {
            Ok(c) => cases.push(c),
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(authorship::diagnostic::render_all(
            &authorship::model::LoadErrors(errors),
        ))
    }
}

/// `authorship test`: one line per failed expectation, then `N passed, M failed`.
pub fn test(library: &Library, cases: &[Case], filter: Option<&str>) -> (String, Outcome) {
    let report: TestReport = run_tests(cases, library, filter);
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
    let outcome = if report.failed.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail
    };
    (out, outcome)
}

/// `authorship coverage`: per ruleset, the share of rules and exception
/// links the cases exercise, and what they miss.
pub fn coverage_report(library: &Library, cases: &[Case], min: Option<f64>) -> (String, Outcome) {
    let report = coverage::coverage(library, cases);
    let mut out = String::new();
    let mut low = false;
    for r in &report {
        let _ = writeln!(
            out,
            "{:6.1}%  {} ({}/{} rules and exception links)",
            r.percent, r.ruleset, r.covered, r.items
        );
        for g in &r.gaps {
            let _ = writeln!(out, "         not covered: {} — {}", g.item, g.missing);
        }
        low |= min.is_some_and(|m| r.percent < m);
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
    (out, if low { Outcome::Fail } else { Outcome::Pass })
}

/// The strict findings, one per line.
pub fn strict_report(library: &Library, cases: &[Case]) -> (String, Outcome) {
    let findings = strict::strict(library, cases);
    let mut out = String::new();
    for f in &findings {
        let _ = writeln!(
            out,
            "{}: {}: {}\n    hint: {}",
            f.at, f.code, f.message, f.hint
        );
    }
    let _ = writeln!(out, "{} strict finding(s)", findings.len());
    (
        out,
        if findings.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Fail
        },
    )
}

/// A rules directory for a diff side: a directory as is, or a git revision
/// of this repository, read with `git show` into a temporary directory (no
/// checkout). Returns the directory and whether it is temporary.
pub fn materialize(reference: &str, rules: &Path) -> Result<(PathBuf, bool), String> {
    let as_dir = Path::new(reference);
    if as_dir.is_dir() {
        return Ok((as_dir.to_path_buf(), false));
    }
    let prefix = rules.to_string_lossy().trim_end_matches('/').to_string();
    let listing =
        git(&["ls-tree", "--name-only", &format!("{reference}:{prefix}")]).map_err(|e| {
            format!("`{reference}` is neither a directory nor a git revision with `{prefix}/`: {e}")
        })?;
    let dir = std::env::temp_dir().join(format!(
        "authorship-diff-{}-{}",
        std::process::id(),
        sanitize(reference)
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for name in listing.lines().filter(|n| n.ends_with(".yaml")) {
        let text = git(&["show", &format!("{reference}:{prefix}/{name}")])?;
        std::fs::write(dir.join(name), text).map_err(|e| e.to_string())?;
    }
    Ok((dir, true))
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
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
            let applies =
                |t: Option<authorship::Truth>| t.map_or("—".to_string(), |t| t.to_string());
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
