//! Markdown rendering (handouts, pull-request comments). All text from
//! files is escaped so it cannot break the table or inject markup.

use std::fmt::Write;

use super::View;
use super::style::verdict_words;
use super::summary::{
    as_of_line, author_label, column_label, jurisdiction_author_label, other_deciders, reason,
    split_sides,
};
use crate::DISCLAIMER;
use crate::compare::{Column, Comparison, JurisdictionOutcome};
use crate::eval::{ElementStatus, Evaluation, Truth};
use crate::model::{Library, Ruleset};

/// Renders comparisons as Markdown tables with reasons.
pub fn compare_markdown(comparisons: &[Comparison], library: &Library, view: View) -> String {
    let mut out = String::new();
    for c in comparisons {
        out.push_str(&case_markdown(c, library, view));
    }
    out.push_str(&compare_markdown_end());
    out
}

/// What [`compare_markdown`] ends with, after the last case.
pub(super) fn compare_markdown_end() -> String {
    format!("_{DISCLAIMER}_\n")
}

/// One case of [`compare_markdown`].
pub(super) fn case_markdown(c: &Comparison, library: &Library, view: View) -> String {
    let mut out = format!("## {}\n\n", esc(c.title.trim()));
    let _ = writeln!(out, "Case file: `{}`", esc(&c.path));
    if let Some(cite) = &c.citation {
        let _ = writeln!(out, "\nSource: {}", esc(cite));
    }
    let _ = writeln!(out, "\n{}", esc(&as_of_line(c)));
    if let Some(line) = super::summary::overrides_line(&c.overrides) {
        let _ = writeln!(out, "\n**{}**", esc(&line));
    }
    let _ = writeln!(out, "\n{}", esc(&super::summary::rules_line(c)));
    match view {
        View::Authorities => {
            out.push_str("\n| Ruleset | Verdict | Author | Protected | Not protected | Why |\n|---|---|---|---|---|---|\n");
            for column in &c.columns {
                out.push_str(&row(column, library));
            }
        }
        View::Jurisdictions => {
            out.push_str("\n| Jurisdiction | Verdict | Author | Decided by | Protected | Not protected |\n|---|---|---|---|---|---|\n");
            for j in &c.jurisdictions {
                out.push_str(&jurisdiction_row(j));
            }
            let notes: Vec<String> = c
                .jurisdictions
                .iter()
                .filter_map(|j| {
                    let note = super::summary::row_note(library, &j.jurisdiction)?;
                    Some(format!("- **{}:** {}", esc(&j.jurisdiction), esc(&note)))
                })
                .collect();
            if !notes.is_empty() {
                out.push_str("\nNotes on the rows:\n\n");
                out.push_str(&notes.join("\n"));
                out.push('\n');
            }
        }
    }
    if out.contains("? ") {
        out.push_str("\n_? = could be: the element's status is undetermined on these facts._\n");
    }
    // The works cited by key and the tags used, found in the plain text
    // (escaping hides `[KEY]`), each explained once.
    let plain = super::text::compare_text_case(c, library, view, &Default::default());
    let refs = super::references::collect(library, Vec::new(), &plain);
    for (heading, items) in super::reference_sections(&refs) {
        let _ = writeln!(out, "\n### {}\n", super::summary::capitalised(heading));
        for item in items {
            let _ = writeln!(out, "- {}", esc(&item));
        }
    }
    out.push('\n');
    out
}

fn jurisdiction_row(j: &JurisdictionOutcome) -> String {
    let decided = match &j.decided_by {
        Some(d) => format!(
            "{} (`{}`)",
            esc(j.authority.as_deref().unwrap_or("")),
            esc(d)
        ),
        // Equal authorities disagree: each side, and what it says.
        None if !j.split_between.is_empty() => {
            let mut out = format!(
                "split: {}",
                split_sides(j, |id| format!("`{}`", esc(id)), esc)
            );
            let others = other_deciders(j);
            if !others.is_empty() {
                let who: Vec<String> = others.iter().map(|d| format!("`{}`", esc(d))).collect();
                out.push_str(&format!("; or {} alone", who.join(", ")));
            }
            out
        }
        None if j.possible_deciders.is_empty() => "—".to_string(),
        // Which authority decides depends on unknown facts.
        None => {
            let who: Vec<String> = j
                .possible_deciders
                .iter()
                .map(|d| format!("`{}`", esc(d)))
                .collect();
            format!("depends on the facts: {}", who.join(", then "))
        }
    };
    let verdict = if j.possible_verdicts.is_empty() {
        format!("**{}**", verdict_words(j.verdict))
    } else {
        let could: Vec<&str> = j
            .possible_verdicts
            .iter()
            .map(|v| verdict_words(*v))
            .collect();
        // A split on fully known facts depends on no fact: the law is contested.
        let why = if j.depends_on.is_empty() {
            "split between equal authorities".to_string()
        } else {
            format!("depends on: {}", esc(&j.depends_on.join(", ")))
        };
        format!(
            "**{}**<br>could be {}<br>{why}",
            verdict_words(j.verdict),
            esc(&could.join(" or "))
        )
    };
    let items = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter().map(|e| esc(e)).collect::<Vec<_>>().join("<br>")
        }
    };
    format!(
        "| {} ({}) | {} | {} | {} | {} | {} |\n",
        esc(&j.jurisdiction),
        esc(&j.name),
        verdict,
        esc(&jurisdiction_author_label(j)),
        decided,
        items(&j.protected),
        items(&j.not_protected)
    )
}

fn row(column: &Column, library: &Library) -> String {
    let (e, ruleset) = match column {
        Column::Evaluated(e) => match library.ruleset(&e.ruleset) {
            Some(r) => (e, r),
            None => return String::new(),
        },
        Column::Failed { error, .. } => {
            return format!(
                "| `{}` | error | | | | {} |\n",
                esc(&column_label(column)),
                esc(error)
            );
        }
    };
    let label = column_label(column);
    let r = reason(e, ruleset);
    let mut why = esc(r.text.trim());
    if let Some(cite) = r.cite {
        let rule = r
            .rule
            .map_or_else(String::new, |id| format!("`{}` ", esc(&id)));
        let mark = if r.interpretation {
            " (encoder's interpretation)"
        } else {
            ""
        };
        let _ = write!(why, " — {rule}{}{mark}", esc(cite.trim()));
    }
    format!(
        "| `{}` | **{}** | {} | {} | {} | {} |\n",
        esc(&label),
        verdict_words(e.verdict),
        esc(&author_label(e)),
        elements(e, ElementStatus::Protected),
        elements(e, ElementStatus::NotProtected),
        why
    )
}

fn elements(e: &Evaluation, status: ElementStatus) -> String {
    let items: Vec<String> = e
        .elements
        .iter()
        .filter(|el| el.status == status)
        .map(|el| esc(&el.element))
        .chain(
            e.elements
                .iter()
                .filter(|el| {
                    el.status == ElementStatus::Undetermined && el.possible.contains(&status)
                })
                .map(|el| format!("? {}", esc(&el.element))),
        )
        .collect();
    if items.is_empty() {
        "—".to_string()
    } else {
        items.join("<br>")
    }
}

/// Renders one ruleset's reasoning on a case.
pub fn explain_markdown(
    c: &Comparison,
    eval: &Evaluation,
    ruleset: &Ruleset,
    library: &Library,
) -> String {
    let mut out = format!(
        "## {} — {}\n\n",
        esc(&ruleset.id),
        esc(ruleset.title.trim())
    );
    let _ = writeln!(out, "Case: {} (`{}`)\n", esc(c.title.trim()), esc(&c.path));
    let _ = writeln!(out, "{}\n", esc(&as_of_line(c)));
    if let Some(line) = super::summary::overrides_line(&c.overrides) {
        let _ = writeln!(out, "**{}**\n", esc(&line));
    }
    let _ = writeln!(out, "{}\n", esc(&super::summary::rules_line(c)));
    if let Some(v) = eval.variant.as_deref().and_then(|v| ruleset.variant(v)) {
        let _ = writeln!(
            out,
            "Reading: `{}` — {} ({:?}; not the law in force)\n",
            esc(&v.id),
            esc(v.title.trim()),
            v.status
        );
    }
    let not_arising = super::summary::not_arising_lines(c);
    if !not_arising.is_empty() {
        out.push_str("Facts that do not arise (read at their defined values):\n\n");
        for line in not_arising {
            let _ = writeln!(out, "- {}", esc(&line));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "- **Verdict:** {}", verdict_words(eval.verdict));
    if !eval.depends_on.is_empty() {
        let _ = writeln!(
            out,
            "- **Depends on:** {}",
            esc(&eval.depends_on.join(", "))
        );
    }
    let _ = writeln!(out, "- **Author:** {}", esc(&author_label(eval)));
    for el in &eval.elements {
        let _ = writeln!(
            out,
            "- **{}:** {:?} ({})",
            esc(&el.element),
            el.status,
            esc(&el.rules.join(", "))
        );
    }
    out.push_str("\n### Rules\n\n");
    for n in &eval.rules {
        let mark = match n.applies {
            Truth::True => "applies",
            Truth::False => "does not apply",
            Truth::Unknown => "may apply",
        };
        let _ = writeln!(
            out,
            "#### `{}` — {} ({mark})\n",
            esc(&n.rule),
            esc(n.title.trim())
        );
        let _ = writeln!(
            out,
            "- When: `{}` → {}",
            code(&n.condition.text),
            n.condition.value
        );
        let _ = writeln!(out, "- Because: {}", esc(n.because.trim()));
        let _ = writeln!(
            out,
            "- Source: {} — {}, {} [{:?}]",
            esc(n.source.trim()),
            esc(n.citation.trim()),
            esc(n.pinpoint.trim()),
            n.confidence
        );
        if let Some(q) = &n.quote {
            let _ = writeln!(out, "- Quote: “{}”", esc(q.trim()));
        }
        if let Some(i) = &n.interpretation {
            let level = n
                .reading
                .as_deref()
                .map_or(String::new(), |r| format!(" ({r})"));
            let _ = writeln!(out, "- Encoder's interpretation{level}: {}", esc(i.trim()));
        }
        out.push('\n');
    }
    // Citations are found in the plain text, before escaping hides them.
    let plain = super::explain_text(c, eval, ruleset);
    let refs =
        super::references::collect(library, super::sources_of(library, &[eval], false), &plain);
    for (heading, items) in super::reference_sections(&refs) {
        let _ = writeln!(out, "### {}\n", super::summary::capitalised(heading));
        for item in items {
            let _ = writeln!(out, "- {}", esc(&item));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "_{DISCLAIMER}_");
    out
}

/// Escapes Markdown and HTML metacharacters, folds newlines and shows
/// control and bidi characters as `\u{..}`: the one escaping every
/// Markdown writer uses.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '*' | '_' | '`' | '[' | ']' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if super::inert::is_hazard(c) => super::inert::push_visible(c, &mut out),
            c => out.push(c),
        }
    }
    out
}

// Inside a code span only backticks, newlines and hazards need care.
fn code(text: &str) -> String {
    super::inert::escape_controls(text)
        .replace('`', "'")
        .replace(['\n', '\r'], " ")
        .replace('|', "\\|")
}
