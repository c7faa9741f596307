//! A compact digest of a comparison, for the per-case snapshots: what each
//! ruleset (and each named reading) decides, on which rules, and what each
//! jurisdiction ends up with — no prose, no explanation tree.
//!
//! Built here, in test code, from the library's public result types, so it
//! adds no product surface. Its layout serves review of a snapshot diff:
//!
//! * one fact of the outcome per line, never a table (a table's column
//!   widths would realign every row when one cell grows), so a changed
//!   rule changes exactly the lines of the outcomes it changes;
//! * lists in the library's own order (rule file order, vocabulary order),
//!   which is deterministic and does not depend on how the result was
//!   computed;
//! * an empty list is left out rather than shown as `—`, so an outcome that
//!   gains a field adds a line instead of rewriting one.
//!
//! The full output (reasons, condition values, facts read, citations, JSON)
//! is snapshotted for the fictional fixture cases (`tests/it/cases.rs`) and,
//! as the binary prints it, for a few real ones (`tests/it/cli.rs`,
//! `tests/it/report.rs`).

use std::fmt::Write as _;

use authorship::compare::differ::{Answer, Split};
use authorship::compare::{Column, Comparison, JurisdictionOutcome};
use authorship::eval::{ElementOutcome, ElementStatus, Evaluation};

/// The digest of one comparison: a header, one block per column (ruleset or
/// reading), one block per jurisdiction, and the issues they split on.
pub fn digest(c: &Comparison) -> String {
    let mut out = format!("{}\n", c.title.trim());
    let _ = writeln!(out, "case: {}", c.path);
    let _ = writeln!(out, "as of: {} ({})", c.as_of, as_of_source(c));
    out.push_str("\n## by authority\n");
    for column in &c.columns {
        out.push_str(&column_digest(column));
    }
    out.push_str("\n## by jurisdiction\n");
    for j in &c.jurisdictions {
        out.push_str(&jurisdiction_digest(j));
    }
    if !c.splits.is_empty() {
        out.push_str("\n## where the authorities part ways\n");
        for split in &c.splits {
            out.push_str(&split_digest(split));
        }
    }
    out
}

fn as_of_source(c: &Comparison) -> &'static str {
    use authorship::compare::AsOfSource;
    match c.as_of_source {
        AsOfSource::Option => "option",
        AsOfSource::Case => "the case's date",
        AsOfSource::LatestEncoded => "latest encoded date",
    }
}

/// `ruleset [variant]: verdict`, then an indented line per non-empty part
/// of the outcome.
fn column_digest(column: &Column) -> String {
    let label = match column.variant() {
        Some(v) => format!("{} [{v}]", column.ruleset()),
        None => column.ruleset().to_string(),
    };
    let e = match column {
        Column::Evaluated(e) => e,
        Column::Failed { error, .. } => return format!("{label}: error: {error}\n"),
    };
    let mut out = format!("{label}: {}", e.verdict);
    if !e.in_force {
        out.push_str(" (not in force)");
    }
    out.push('\n');
    out.push_str(&evaluation_lines(e));
    out
}

fn evaluation_lines(e: &Evaluation) -> String {
    let mut out = String::new();
    line(&mut out, "possible verdicts", &e.possible_verdicts);
    line(&mut out, "authors", &e.authors);
    line(&mut out, "possible authors", &e.possible_authors);
    line(&mut out, "not authors", &e.not_authors);
    for element in &e.elements {
        out.push_str(&element_line(element));
    }
    for finding in &e.findings {
        let _ = writeln!(
            out,
            "  finding: {} [{}]",
            finding.conclusion,
            finding.rules.join(", ")
        );
    }
    line(&mut out, "decided by", &e.decided_by);
    line(&mut out, "open", &e.open);
    line(&mut out, "depends on", &e.depends_on);
    out
}

/// `  protected: generated_output [rule, …]`; an undetermined element says
/// which statuses remain, and on the next line on which facts.
fn element_line(el: &ElementOutcome) -> String {
    let rules = if el.rules.is_empty() {
        String::new()
    } else {
        format!(" [{}]", el.rules.join(", "))
    };
    match el.status {
        ElementStatus::Undetermined => {
            let possible: Vec<&str> = el.possible.iter().map(|s| status(*s)).collect();
            let possible = if possible.is_empty() {
                "may not be reached".to_string()
            } else {
                format!("may be {}", possible.join(" or "))
            };
            format!(
                "  undetermined: {} ({possible}){rules}\n    depends on: {}\n",
                el.element,
                el.depends_on.join(", ")
            )
        }
        s => format!("  {}: {}{rules}\n", status(s), el.element),
    }
}

fn status(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Protected => "protected",
        ElementStatus::NotProtected => "not protected",
        ElementStatus::Undetermined => "undetermined",
    }
}

/// `XX: verdict by ruleset`, then the deciding authority's outcome.
fn jurisdiction_digest(j: &JurisdictionOutcome) -> String {
    let mut out = format!("{}: {}", j.jurisdiction, j.verdict);
    match &j.decided_by {
        Some(by) => {
            let _ = write!(out, " by {by}");
        }
        None if j.possible_deciders.is_empty() => {
            out.push_str(" (no authority in force reaches the facts)");
        }
        None => {
            let _ = write!(out, " by one of {}", j.possible_deciders.join(", "));
        }
    }
    out.push('\n');
    line(&mut out, "could be", &j.possible_verdicts);
    line(&mut out, "split between", &j.split_between);
    line(&mut out, "authors", &j.authors);
    line(&mut out, "possible authors", &j.possible_authors);
    line(&mut out, "protected", &j.protected);
    line(&mut out, "not protected", &j.not_protected);
    line(&mut out, "depends on", &j.depends_on);
    out
}

/// `issue:`, then `  yes: authority [rules]` per authority that reaches
/// it, in the library's order (one per line, so one authority's change is
/// one line); those that do not reach it are left out (they are every
/// other column).
fn split_digest(split: &Split) -> String {
    let mut out = format!("{}:\n", split.issue);
    for s in split
        .stances
        .iter()
        .filter(|s| s.answer != Answer::NotReached)
    {
        let rules: Vec<&str> = s.grounds.iter().map(|g| g.rule.as_str()).collect();
        let _ = writeln!(
            out,
            "  {}: {} [{}]",
            answer(s.answer),
            s.who,
            rules.join(", ")
        );
    }
    out
}

fn answer(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Mixed => "mixed",
        Answer::NotReached => "not reached",
    }
}

/// `  label: a, b` when the list is not empty.
fn line<T: std::fmt::Display>(out: &mut String, label: &str, items: &[T]) {
    if items.is_empty() {
        return;
    }
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    let _ = writeln!(out, "  {label}: {}", items.join(", "));
}
