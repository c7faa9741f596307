//! Plain-text rendering of comparisons for a terminal: one table per case,
//! by authority or by jurisdiction, with each outcome's reason.

use std::fmt::Write;

use super::DISCLAIMER;
use super::differ_text::differ_text;
use super::style::{TextStyle, verdict_words};
use super::summary::{
    as_of_line, author_label, column_label, jurisdiction_author_label, jurisdiction_reason,
    other_deciders, reason,
};
use super::{View, table};
use crate::compare::{Column, Comparison, JurisdictionOutcome};
use crate::eval::{ElementStatus, Evaluation};
use crate::model::Library;

/// Renders comparisons as a table per case plus the reasons, every line
/// whole and uncoloured ([`compare_text_styled`] with the default style).
pub fn compare_text(comparisons: &[Comparison], library: &Library, view: View) -> String {
    compare_text_styled(comparisons, library, view, &TextStyle::default())
}

/// Renders comparisons as [`compare_text`] does, fitted to the style's
/// width and coloured if it says so.
pub fn compare_text_styled(
    comparisons: &[Comparison],
    library: &Library,
    view: View,
    style: &TextStyle,
) -> String {
    let mut out = String::new();
    for c in comparisons {
        out.push_str(&compare_text_case(c, library, view, style));
    }
    out.push_str(&style.finish(&compare_text_end()));
    out
}

/// One case of [`compare_text_styled`].
pub(super) fn compare_text_case(
    c: &Comparison,
    library: &Library,
    view: View,
    style: &TextStyle,
) -> String {
    let mut out = header(c);
    let width = style.width();
    match view {
        View::Authorities => out.push_str(&by_authority(c, library, width)),
        View::Jurisdictions => out.push_str(&by_jurisdiction(c, library, width)),
    }
    // The works cited by key and the tags used, each explained once (the
    // rules' own sources are named in full where they are cited).
    let refs = super::references::collect(library, Vec::new(), &out);
    out.push_str(&super::references::references_text(&refs));
    out.push('\n');
    style.finish(&out)
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
    if let Some(line) = super::summary::overrides_line(&c.overrides) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}", super::summary::rules_line(c));
    super::summary::write_not_arising(&mut out, c);
    out.push('\n');
    out
}

fn by_authority(c: &Comparison, library: &Library, width: Option<usize>) -> String {
    let mut rows = vec![
        ["ruleset", "verdict", "author", "protected", "not protected"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(c.columns.iter().map(row));
    let mut out = fitted_table(rows, width);
    out.push_str(&marker_legend(&out));
    // The key to `[id]` only where a deciding rule's id is printed.
    let key = if c.columns.iter().any(|col| cites_a_rule(col, library)) {
        "; [id] is the deciding rule"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "\nwhy (each authority's reason, then its source{key}):"
    );
    for column in &c.columns {
        out.push_str(&why(column, library));
    }
    out.push_str(&differ_text(&c.splits, &c.divergence));
    out
}

/// The table of rows whose columns are an id, the verdict, the author,
/// perhaps the deciders, then the protected and the not protected
/// elements. When it is wider than `width`, the author and the elements
/// become one column, "outcome", a line each with its status in words
/// (`author: human_user`, `generated_output: protected`), so that the
/// table fits in fewer, wider columns. The id, the verdict (and the
/// deciders) are kept whole where they can be.
fn fitted_table(rows: Vec<Vec<String>>, width: Option<usize>) -> String {
    let Some(w) = width.filter(|w| table::natural_width(&rows) > *w) else {
        return table::render(&rows, width, &[0, 1]);
    };
    let compact: Vec<Vec<String>> = rows
        .into_iter()
        .enumerate()
        .map(|(i, mut row)| {
            let not = row.pop().unwrap_or_default();
            let yes = row.pop().unwrap_or_default();
            let author = row.remove(2);
            row.push(if i == 0 {
                "outcome".to_string()
            } else {
                outcome_lines(&author, &yes, &not)
            });
            row
        })
        .collect();
    let whole: &[usize] = if compact.first().is_some_and(|r| r.len() > 3) {
        &[0, 1, 2]
    } else {
        &[0, 1]
    };
    table::render(&compact, Some(w), whole)
}

/// The legend of the `?` marker, when the table uses it.
fn marker_legend(table: &str) -> String {
    if table.lines().any(|l| l.contains("? ")) {
        "? = could be: the element's status is undetermined on these facts\n".to_string()
    } else {
        String::new()
    }
}

/// The author and the elements in one cell: `author: …`, then each element
/// once with its status in words ("—" when there is nothing to say).
fn outcome_lines(author: &str, protected: &str, not_protected: &str) -> String {
    let elements = element_lines(protected, not_protected);
    match (author, elements.as_str()) {
        ("—", e) => e.to_string(),
        (a, "—") => format!("author: {a}"),
        (a, e) => format!("author: {a}\n{e}"),
    }
}

/// The "protected" and "not protected" cells as one: each element once,
/// with its status in words; one that could be either is "undetermined".
fn element_lines(protected: &str, not_protected: &str) -> String {
    let items = |cell: &str| -> Vec<String> {
        cell.lines()
            .filter(|l| *l != "—")
            .map(str::to_string)
            .collect()
    };
    let (yes, not) = (items(protected), items(not_protected));
    let mut lines = Vec::new();
    for (list, other, word) in [(&yes, &not, "protected"), (&not, &yes, "not protected")] {
        for item in list {
            let line = match item.strip_prefix("? ") {
                Some(name) if other.contains(item) => {
                    if word == "not protected" {
                        continue;
                    }
                    format!("{name}: undetermined")
                }
                Some(name) => format!("{name}: could be {word}"),
                None => format!("{item}: {word}"),
            };
            lines.push(line);
        }
    }
    list(&lines)
}

fn row(column: &Column) -> Vec<String> {
    let label = column_label(column);
    match column {
        Column::Evaluated(e) => vec![
            label,
            verdict_words(e.verdict).to_string(),
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

/// Whether [`why`] prints a deciding rule's id (`[id]`) for `column`.
fn cites_a_rule(column: &Column, library: &Library) -> bool {
    let Column::Evaluated(e) = column else {
        return false;
    };
    library.ruleset(&e.ruleset).is_some_and(|r| {
        let r = reason(e, r);
        r.cite.is_some() && r.rule.is_some()
    })
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

fn by_jurisdiction(c: &Comparison, library: &Library, width: Option<usize>) -> String {
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
            verdict_words(j.verdict).to_string(),
            jurisdiction_author_label(j),
            deciders(j),
            list(&j.protected),
            list(&j.not_protected),
        ]
    }));
    let mut out = fitted_table(rows, width);
    out.push_str(&marker_legend(&out));
    out.push_str("\nwhy:\n");
    for j in &c.jurisdictions {
        out.push_str(&jurisdiction_why(c, j, library));
    }
    out.push_str(&differ_text(
        &c.jurisdiction_splits,
        &c.jurisdiction_divergence,
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
            let v = a
                .verdict
                .map_or("error".to_string(), |v| verdict_words(v).to_string());
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
