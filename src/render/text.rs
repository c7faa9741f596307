//! Plain-text rendering of comparisons for a terminal: one table per case,
//! by authority or by jurisdiction, with each outcome's reason.

use std::fmt::Write;

use super::DISCLAIMER;
use super::differ_text::differ_text;
use super::summary::{
    as_of_line, author_label, column_label, jurisdiction_author_label, jurisdiction_reason,
    other_deciders, reason,
};
use super::{View, table};
use crate::compare::{Column, Comparison, JurisdictionOutcome};
use crate::eval::{ElementStatus, Evaluation};
use crate::model::Library;

/// Renders comparisons as a table per case plus the reasons.
pub fn compare_text(comparisons: &[Comparison], library: &Library, view: View) -> String {
    let mut out = String::new();
    for c in comparisons {
        out.push_str(&compare_text_case(c, library, view));
    }
    out.push_str(&compare_text_end());
    out
}

/// One case of [`compare_text`].
pub(super) fn compare_text_case(c: &Comparison, library: &Library, view: View) -> String {
    let mut out = header(c);
    match view {
        View::Authorities => out.push_str(&by_authority(c, library)),
        View::Jurisdictions => out.push_str(&by_jurisdiction(c, library)),
    }
    out.push('\n');
    out
}

/// What [`compare_text`] ends with, after the last case.
pub(super) fn compare_text_end() -> String {
    format!("{DISCLAIMER}\n")
}

fn header(c: &Comparison) -> String {
    let mut out = format!("{}\n", c.title.trim());
    let _ = writeln!(out, "case: {}", c.path);
    if let Some(cite) = &c.citation {
        let _ = writeln!(out, "source: {cite}");
    }
    let _ = writeln!(out, "{}", as_of_line(c));
    let _ = writeln!(out, "{}", super::summary::rules_line(c));
    super::summary::write_not_arising(&mut out, c);
    out.push('\n');
    out
}

fn by_authority(c: &Comparison, library: &Library) -> String {
    let mut rows = vec![
        ["ruleset", "verdict", "author", "protected", "not protected"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(c.columns.iter().map(row));
    let mut out = table::render(&rows);
    out.push_str("\nwhy:\n");
    for column in &c.columns {
        out.push_str(&why(column, library));
    }
    out.push_str(&differ_text(&c.splits, &c.differences));
    out
}

fn row(column: &Column) -> Vec<String> {
    let label = column_label(column);
    match column {
        Column::Evaluated(e) => vec![
            label,
            e.verdict.to_string(),
            author_label(e),
            elements(e, ElementStatus::Protected),
            elements(e, ElementStatus::NotProtected),
        ],
        Column::Failed { .. } => vec![label, "error".into(), "—".into(), "—".into(), "—".into()],
    }
}

/// Elements with a status, one per line (undetermined ones marked `?`).
fn elements(e: &Evaluation, status: ElementStatus) -> String {
    let mut lines: Vec<String> = e
        .elements
        .iter()
        .filter(|el| el.status == status)
        .map(|el| el.element.clone())
        .collect();
    lines.extend(
        e.elements
            .iter()
            .filter(|el| el.status == ElementStatus::Undetermined && el.possible.contains(&status))
            .map(|el| format!("? {}", el.element)),
    );
    list(&lines)
}

fn list(lines: &[String]) -> String {
    if lines.is_empty() {
        "—".to_string()
    } else {
        lines.join("\n")
    }
}

fn why(column: &Column, library: &Library) -> String {
    let label = column_label(column);
    let (eval, ruleset) = match column {
        Column::Evaluated(e) => match library.ruleset(&e.ruleset) {
            Some(r) => (e, r),
            None => return String::new(),
        },
        Column::Failed { error, .. } => return format!("  {label}: error: {error}\n"),
    };
    let r = reason(eval, ruleset);
    let mut out = format!("  {label}: {}\n", r.text.trim());
    if let Some(cite) = r.cite {
        let rule = r.rule.map_or_else(String::new, |id| format!("[{id}] "));
        let mark = if r.interpretation {
            " (encoder's interpretation)"
        } else {
            ""
        };
        let _ = writeln!(out, "      {rule}{}{mark}", cite.trim());
    }
    out
}

fn by_jurisdiction(c: &Comparison, library: &Library) -> String {
    let mut rows = vec![
        [
            "jurisdiction",
            "verdict",
            "author",
            "decided by",
            "protected",
            "not protected",
        ]
        .map(String::from)
        .to_vec(),
    ];
    rows.extend(c.jurisdictions.iter().map(|j| {
        vec![
            j.jurisdiction.clone(),
            j.verdict.to_string(),
            jurisdiction_author_label(j),
            deciders(j),
            list(&j.protected),
            list(&j.not_protected),
        ]
    }));
    let mut out = table::render(&rows);
    out.push_str("\nwhy:\n");
    for j in &c.jurisdictions {
        out.push_str(&jurisdiction_why(c, j, library));
    }
    out.push_str(&differ_text(
        &c.jurisdiction_splits,
        &c.jurisdiction_differences,
    ));
    out
}

// The deciding ruleset; when that depends on unknown facts, each that may,
// one a line; a split between equal authorities as such.
fn deciders(j: &JurisdictionOutcome) -> String {
    match &j.decided_by {
        Some(id) => id.clone(),
        None if !j.split_between.is_empty() => {
            let mut out = format!("split: {}", j.split_between.join("\nvs "));
            for other in other_deciders(j) {
                out.push_str(&format!("\nor {other}"));
            }
            out
        }
        None if j.possible_deciders.is_empty() => "—".to_string(),
        None => j.possible_deciders.join("\nor "),
    }
}

fn jurisdiction_why(c: &Comparison, j: &JurisdictionOutcome, library: &Library) -> String {
    let considered: Vec<String> = j
        .authorities
        .iter()
        .map(|a| {
            let v = a.verdict.map_or("error".to_string(), |v| v.to_string());
            let state = if a.in_force {
                v
            } else {
                "not in force".to_string()
            };
            let standing = library
                .jurisdictions
                .iter()
                .find(|x| x.id == j.jurisdiction)
                .and_then(|x| x.authorities.iter().find(|r| r.ruleset == a.ruleset))
                .and_then(|r| r.standing.as_deref())
                .map_or(String::new(), |s| format!("; {}", s.trim()));
            format!("{} (rank {}{standing}): {state}", a.ruleset, a.rank)
        })
        .collect();
    let mut out = format!("  {} — {}: ", j.jurisdiction, j.name);
    match j
        .decided_by
        .as_deref()
        .and_then(|id| Some((c.evaluation(id)?, library.ruleset(id)?)))
    {
        Some((eval, ruleset)) => {
            let r = reason(eval, ruleset);
            let _ = writeln!(
                out,
                "decided by {} ({}). {}",
                ruleset.authority,
                ruleset.id,
                r.text.trim()
            );
            if let Some(cite) = r.cite {
                let _ = writeln!(out, "      {}", cite.trim());
            }
        }
        None => match jurisdiction_reason(j) {
            Some(why) => {
                let _ = writeln!(out, "{why}");
            }
            None => {
                let _ = writeln!(out, "no authority in force reaches these facts.");
                for a in &j.authorities {
                    let parts = c
                        .evaluation(&a.ruleset)
                        .and_then(super::summary::parts_only);
                    if let Some(parts) = parts {
                        let _ = writeln!(out, "      {}: {parts}", a.ruleset);
                    }
                }
            }
        },
    }
    let _ = writeln!(out, "      considered: {}", considered.join("; "));
    if let Some(note) = super::summary::row_note(library, &j.jurisdiction) {
        let _ = writeln!(out, "      note: {note}");
    }
    out
}
