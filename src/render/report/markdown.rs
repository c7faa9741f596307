//! The handout as Markdown: the same sections as the HTML, with what
//! Markdown can express (quotations as block quotes, the interpretation
//! labelled, verdicts in bold words, a rule before the answer key). All
//! text from files goes through the Markdown escaper.

use super::{
    Block, Cell, HandoutCase, Library, Marker, ReportOptions, RuleText, fact_words, sections,
};
use crate::eval::Truth;
use crate::render::diagram::DecidingPath;
use crate::render::markdown::esc as md;
use crate::render::style::verdict_words;

/// A Markdown handout.
pub fn report_markdown(cases: &[HandoutCase], library: &Library, o: &ReportOptions) -> String {
    let blocks = super::handout(cases, library, o);
    let mut out = String::new();
    for b in &blocks {
        out.push_str(&block(b, &blocks));
        out.push('\n');
    }
    out
}

fn block(b: &Block, all: &[Block]) -> String {
    match b {
        Block::Heading(level, t) => format!("{} {}\n", "#".repeat(usize::from(*level)), md(t)),
        Block::CaseTitle(t, _) => format!("# {}\n", md(t)),
        // Markdown has no page break: a rule sets the key apart.
        Block::AnswerKey => "---\n\n# Answer key\n".to_string(),
        Block::Contents => {
            let mut out = "**Contents**\n\n".to_string();
            // A section nests under the case title before it; one before
            // any case (the reading guide) stands on its own.
            let mut in_case = false;
            for (level, t) in sections(all) {
                in_case |= level == 1;
                let indent = if level > 1 && in_case { "  " } else { "" };
                out.push_str(&format!("{indent}- {}\n", md(&t)));
            }
            out
        }
        Block::Para(t) => format!("{}\n", md(t)),
        Block::Note(t) => format!("> **{}**\n", md(t)),
        Block::WhatIf(changes) => format!("> **{}**\n", md(&what_if_text(changes))),
        Block::List(items) | Block::Notes(items) => {
            items.iter().map(|i| format!("- {}\n", md(i))).collect()
        }
        Block::References(items) => items
            .iter()
            .map(|(_, i)| format!("- {}\n", md(i)))
            .collect(),
        Block::Table(head, rows) => table(head, rows),
        Block::Verdict(v, t) => format!("**{}** — {}\n", verdict_words(*v), md(t)),
        Block::Legend(items) => items
            .iter()
            .map(|(m, t)| format!("- {}: {}\n", marker(*m), md(t)))
            .collect(),
        Block::Path(p) => path(p),
        Block::Rule(r) => rule(r),
    }
}

/// The header line stating the changes made to the cases.
pub(super) fn what_if_text(changes: &[String]) -> String {
    format!(
        "What-if: this handout does not show the cases as filed. Changed for it: {}.",
        changes.join(", ")
    )
}

fn marker(m: Marker) -> String {
    match m {
        Marker::Verdict(v) => format!("**{}**", verdict_words(v)),
        Marker::Quote => "“…” — source (a block quote)".to_string(),
        Marker::Interpretation => "_Encoder's interpretation_".to_string(),
        Marker::Decides => "(decides)".to_string(),
        Marker::MayApply => "(may apply)".to_string(),
        Marker::Citation => "\\[KEY\\]".to_string(),
    }
}

fn table(head: &[String], rows: &[Vec<Cell>]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | "),
        "---|".repeat(head.len())
    );
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|c| match c {
                Cell::Text(t) => md(t),
                Cell::Blank => "________".to_string(),
                Cell::Verdict(v, t) if t.is_empty() => format!("**{}**", verdict_words(*v)),
                Cell::Verdict(v, t) => format!("**{}** ({})", verdict_words(*v), md(t)),
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

fn path(p: &DecidingPath) -> String {
    let rules: Vec<String> = p
        .rules
        .iter()
        .map(|r| {
            let tag = match (r.decides, r.applies) {
                (_, Truth::Unknown) => ", may apply",
                (true, _) => ", decides",
                _ => "",
            };
            format!("{} ({}{tag})", md(&r.title), md(&r.rule))
        })
        .collect();
    let facts: Vec<String> = p.facts.iter().map(|f| md(&fact_words(f))).collect();
    format!(
        "**Reasoning** ({}):\n\n1. Facts read: {}\n2. Rules: {}\n3. Outcome: **{}**\n",
        md(&p.ruleset),
        if facts.is_empty() {
            "none".to_string()
        } else {
            facts.join("; ")
        },
        rules.join(" → "),
        verdict_words(p.verdict)
    )
}

fn rule(r: &RuleText) -> String {
    let mut out = format!(
        "- **{}** ({}): {}\n",
        md(&r.title),
        md(&r.rule),
        md(&r.because)
    );
    match &r.quote {
        Some(q) => out.push_str(&format!("\n  > “{}”\n  > — {}\n", md(q), md(&r.cite))),
        None => out.push_str(&format!("\n  Source: {}\n", md(&r.cite))),
    }
    if let Some((level, text)) = &r.interpretation {
        let level = level
            .as_deref()
            .map_or(String::new(), |l| format!(" ({})", md(l)));
        out.push_str(&format!(
            "\n  _Encoder's interpretation{level}:_ {}\n",
            md(text)
        ));
    }
    out
}
