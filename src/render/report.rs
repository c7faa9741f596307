//! Handouts: a self-contained document per case for a class — the facts in
//! plain words, every jurisdiction's and authority's outcome, the reasoning
//! with citations and quotations, where the authorities part ways, and the
//! smallest changes that would flip each outcome. Built once as a small
//! document model, then written as Markdown or as one HTML file (no
//! external assets, inline CSS and SVG). All text from files is escaped.

use super::DISCLAIMER;
use crate::compare::differ::{Answer, Split};
use crate::compare::{Column, Comparison};
use crate::eval::{Evaluation, Truth};
use crate::model::{Case, FactValue, Library};
use crate::whatif::WhatIf;
use crate::workflow::handout::HandoutCase;

use super::diagram::reasoning_svg;
use super::markdown::esc as md;
use super::summary::{
    as_of_line, author_label, jurisdiction_author_label, jurisdiction_decider_label,
    jurisdiction_split, reason,
};
use super::whatif::changes_text;

/// How to lay out a handout.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Class mode: outcomes left blank, answer key appended.
    pub hide_outcomes: bool,
}

/// A piece of the handout; text is plain and escaped by each writer.
enum Block {
    Heading(u8, String),
    Para(String),
    /// A visible note (the disclaimer).
    Note(String),
    List(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
    /// An inline SVG drawing (already escaped) and its text alternative.
    Svg(String, String),
}

const BLANK: &str = "________";

/// A Markdown handout.
pub fn report_markdown(cases: &[HandoutCase], library: &Library, o: &ReportOptions) -> String {
    let blocks = handout(cases, library, o);
    let mut out = String::new();
    for b in &blocks {
        out.push_str(&markdown_block(b));
        out.push('\n');
    }
    out
}

/// An HTML handout: one file that opens offline.
pub fn report_html(cases: &[HandoutCase], library: &Library, o: &ReportOptions) -> String {
    let blocks = handout(cases, library, o);
    let mut body = String::new();
    for b in &blocks {
        body.push_str(&html_block(b));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html(
            &cases
                .first()
                .map_or("Handout".to_string(), |c| c.case.title.clone())
        )
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}\
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #bbb;padding:.3rem .5rem;vertical-align:top;text-align:left}\
th{background:#f0f0f0}.note{border-left:4px solid #c60;background:#fff6ec;padding:.5rem .8rem}h1{border-bottom:2px solid #333}\
svg{max-width:100%;height:auto;border:1px solid #ddd;margin:.3rem 0 1rem}";

fn handout(cases: &[HandoutCase], library: &Library, o: &ReportOptions) -> Vec<Block> {
    let mut blocks = vec![Block::Note(DISCLAIMER.to_string())];
    let mut key = Vec::new();
    for h in cases {
        blocks.extend(case_blocks(h, library, o.hide_outcomes));
        if o.hide_outcomes {
            key.extend(answers(h, library));
        }
    }
    if o.hide_outcomes {
        blocks.push(Block::Heading(1, "Answer key".to_string()));
        blocks.extend(key);
    }
    blocks.push(Block::Note(DISCLAIMER.to_string()));
    blocks
}

fn case_blocks(h: &HandoutCase, library: &Library, hide: bool) -> Vec<Block> {
    let (case, c) = (&h.case, &h.comparison);
    let mut b = vec![Block::Heading(1, case.title.trim().to_string())];
    if let Some(cite) = &case.citation {
        b.push(Block::Para(format!("Source: {cite}")));
    }
    b.push(Block::Para(case.summary.trim().to_string()));
    if let Some(d) = case.disposition.as_ref().filter(|_| !hide) {
        b.push(Block::Heading(2, "How the matter was decided".to_string()));
        let by = library
            .ruleset(&d.decided_by)
            .map_or(d.decided_by.clone(), |r| r.authority.clone());
        b.push(Block::Para(format!("{by}: {}", d.holding.trim())));
        if !d.remedies.is_empty() {
            b.push(Block::List(
                d.remedies.iter().map(|r| r.trim().to_string()).collect(),
            ));
        }
    }
    b.push(Block::Para(as_of_line(c)));
    b.push(Block::Para(super::summary::rules_line(c)));
    b.push(Block::Heading(2, "The facts".to_string()));
    b.push(facts_table(case, c, library));
    if hide {
        b.push(Block::Heading(2, "Questions for discussion".to_string()));
        b.push(Block::List(issues_in_play(c, library)));
        b.push(Block::Heading(2, "Outcomes (to fill in)".to_string()));
        let rows = c
            .jurisdictions
            .iter()
            .map(|j| {
                vec![
                    format!("{} ({})", j.name, j.jurisdiction),
                    BLANK.into(),
                    BLANK.into(),
                ]
            })
            .collect();
        b.push(Block::Table(
            vec!["Jurisdiction".into(), "Outcome".into(), "Author".into()],
            rows,
        ));
        return b;
    }
    b.extend(answers(h, library).into_iter().skip(1));
    b
}

// The full analysis of a case: outcomes, reasoning, differences, what-ifs.
fn answers(h: &HandoutCase, library: &Library) -> Vec<Block> {
    let (case, c) = (&h.case, &h.comparison);
    let mut b = vec![Block::Heading(2, case.title.trim().to_string())];
    b.push(Block::Heading(2, "Outcomes by jurisdiction".to_string()));
    let rows = c
        .jurisdictions
        .iter()
        .map(|j| {
            let by = match (&j.authority, &j.decided_by) {
                (Some(a), Some(id)) => format!("{a} ({id})"),
                // Equal authorities disagree: the law is contested.
                _ if !j.split_between.is_empty() => {
                    let sides = jurisdiction_split(j).unwrap_or_default();
                    if j.depends_on.is_empty() {
                        format!("split: {sides}")
                    } else {
                        format!("split: {sides}; depends on the facts")
                    }
                }
                // Which authority decides depends on unknown facts.
                _ => jurisdiction_decider_label(j)
                    .map_or_else(|| "—".to_string(), |d| format!("depends on the facts: {d}")),
            };
            let outcome = if j.possible_verdicts.is_empty() {
                j.verdict.to_string()
            } else {
                let could: Vec<&str> = j.possible_verdicts.iter().map(|v| v.as_str()).collect();
                format!("{} (could be {})", j.verdict, could.join(" or "))
            };
            vec![
                format!("{} ({})", j.name, j.jurisdiction),
                outcome,
                jurisdiction_author_label(j),
                by,
            ]
        })
        .collect();
    b.push(Block::Table(
        vec![
            "Jurisdiction".into(),
            "Outcome".into(),
            "Author".into(),
            "Decided by".into(),
        ],
        rows,
    ));
    let notes: Vec<String> = c
        .jurisdictions
        .iter()
        .filter_map(|j| {
            let note = super::summary::row_note(library, &j.jurisdiction)?;
            Some(format!("{}: {note}", j.jurisdiction))
        })
        .collect();
    if !notes.is_empty() {
        b.push(Block::Heading(3, "Notes on the rows".to_string()));
        b.push(Block::List(notes));
    }
    b.push(Block::Heading(2, "Each authority's reasoning".to_string()));
    for column in &c.columns {
        if let Column::Evaluated(e) = column {
            b.extend(reasoning(e, library));
        }
    }
    b.push(Block::Heading(
        2,
        "Where the authorities part ways".to_string(),
    ));
    b.extend(splits(&c.jurisdiction_splits));
    b.push(Block::Heading(
        2,
        "What would change the outcome".to_string(),
    ));
    b.extend(whatifs(&h.whatifs));
    // The disposition and source note are shown above the answers; their
    // citations belong in the same list.
    let mut shown = case.source_note.clone().unwrap_or_default();
    if let Some(d) = &case.disposition {
        shown.push_str(&d.holding);
        d.remedies.iter().for_each(|r| shown.push_str(r));
    }
    b.extend(references(&b, &shown, c, library));
    b
}

// The sources, works and tags the case's analysis cites, in full.
fn references(blocks: &[Block], shown: &str, c: &Comparison, library: &Library) -> Vec<Block> {
    let mut text = shown.to_string();
    for block in blocks {
        match block {
            Block::Heading(_, t) | Block::Para(t) | Block::Note(t) => text.push_str(t),
            Block::List(items) => items.iter().for_each(|i| text.push_str(i)),
            Block::Table(head, rows) => {
                head.iter()
                    .chain(rows.iter().flatten())
                    .for_each(|t| text.push_str(t));
            }
            Block::Svg(_, alt) => text.push_str(alt),
        }
        text.push('\n');
    }
    let evals: Vec<&Evaluation> = c
        .columns
        .iter()
        .filter_map(|col| match col {
            Column::Evaluated(e) => Some(e.as_ref()),
            _ => None,
        })
        .collect();
    let refs = super::references::collect(library, super::sources_of(library, &evals, true), &text);
    let mut out = Vec::new();
    if !refs.is_empty() {
        out.push(Block::Heading(2, "References".to_string()));
    }
    for (heading, items) in super::reference_sections(&refs) {
        out.push(Block::Heading(3, super::summary::capitalised(heading)));
        out.push(Block::List(items));
    }
    out
}

fn facts_table(case: &Case, c: &Comparison, library: &Library) -> Block {
    let mut rows: Vec<Vec<String>> = case
        .facts
        .0
        .iter()
        .filter_map(|(id, v)| {
            Some(vec![
                library.vocabulary.fact(id)?.question.trim().to_string(),
                plain(v),
            ])
        })
        .collect();
    let open: std::collections::BTreeSet<&String> = c
        .columns
        .iter()
        .filter_map(|col| match col {
            Column::Evaluated(e) => Some(e.depends_on.iter()),
            Column::Failed { .. } => None,
        })
        .flatten()
        .chain(case.stated_unknown.iter())
        .collect();
    for id in open {
        if let Some(def) = library.vocabulary.fact(id) {
            rows.push(vec![def.question.trim().to_string(), "unknown".to_string()]);
        }
    }
    // A question that does not arise was answered by nobody: say so.
    for n in c
        .not_arising
        .iter()
        .filter(|n| case.facts.get(&n.fact).is_none())
    {
        if let Some(def) = library.vocabulary.fact(&n.fact) {
            let answer = format!(
                "{} (does not arise: `{}` is false)",
                plain(&n.value),
                n.arises_when
            );
            rows.push(vec![def.question.trim().to_string(), answer]);
        }
    }
    Block::Table(vec!["Question".into(), "Answer".into()], rows)
}

fn plain(v: &FactValue) -> String {
    match v {
        FactValue::Bool(true) => "yes".into(),
        FactValue::Bool(false) => "no".into(),
        FactValue::Str(s) => s.replace('_', " "),
        other => other.to_string(),
    }
}

fn issues_in_play(c: &Comparison, library: &Library) -> Vec<String> {
    let mut ids: Vec<&String> = c
        .jurisdiction_differences
        .iter()
        .flat_map(|d| d.issues.iter().map(|i| &i.issue))
        .collect();
    ids.extend(c.jurisdiction_splits.iter().map(|s| &s.issue));
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| library.vocabulary.issues.get(id).cloned())
        .collect()
}

fn reasoning(e: &Evaluation, library: &Library) -> Vec<Block> {
    let Some(ruleset) = library.ruleset(&e.ruleset) else {
        return vec![];
    };
    let r = reason(e, ruleset);
    let mut b = vec![Block::Heading(
        3,
        format!("{} — {}", ruleset.title.trim(), e.verdict),
    )];
    b.push(Block::Para(format!(
        "Author: {}. {}",
        author_label(e),
        r.text.trim()
    )));
    let items: Vec<String> = e
        .rules
        .iter()
        .filter(|n| n.applies == Truth::True)
        .map(|n| {
            let quote = n
                .quote
                .as_ref()
                .map_or(String::new(), |q| format!(" — “{}”", q.trim()));
            let mark = n.interpretation.as_ref().map_or(String::new(), |i| {
                let level = n
                    .reading
                    .as_deref()
                    .map_or(String::new(), |r| format!(" ({r})"));
                format!(" [Encoder's interpretation{level}: {}]", i.trim())
            });
            format!(
                "{} ({}): {} Source: {}, {}{quote}{mark}",
                n.title.trim(),
                n.rule,
                n.because.trim(),
                n.source.trim(),
                n.pinpoint.trim()
            )
        })
        .collect();
    if !items.is_empty() {
        b.push(Block::List(items));
        let (svg, alt) = reasoning_svg(e);
        b.push(Block::Svg(svg, alt));
    }
    b
}

fn splits(splits: &[Split]) -> Vec<Block> {
    if splits.is_empty() {
        return vec![Block::Para(
            "On these facts no question divides the jurisdictions into yes and no.".into(),
        )];
    }
    splits
        .iter()
        .map(|s| {
            let side = |a: Answer| -> String {
                let who: Vec<String> = s
                    .stances
                    .iter()
                    .filter(|x| x.answer == a)
                    .map(|x| match x.grounds.first() {
                        Some(g) => format!("{} ({}, {})", x.who, g.source, g.pinpoint),
                        None => x.who.clone(),
                    })
                    .collect();
                if who.is_empty() {
                    "—".into()
                } else {
                    who.join("; ")
                }
            };
            Block::List(vec![
                s.question.clone(),
                format!("Yes: {}", side(Answer::Yes)),
                format!("No: {}", side(Answer::No)),
                format!("Does not reach it: {}", side(Answer::NotReached)),
            ])
        })
        .collect()
}

fn whatifs(whatifs: &[(String, String, WhatIf)]) -> Vec<Block> {
    let mut items = Vec::new();
    for (name, ruleset, w) in whatifs {
        let flips: Vec<String> = w
            .counterfactuals
            .iter()
            .take(3)
            .map(|cf| format!("{} → {}", changes_text(&cf.changes), cf.verdict))
            .collect();
        let decisive = if w.decisive.is_empty() {
            "none alone".to_string()
        } else {
            w.decisive.join(", ")
        };
        items.push(format!(
            "{} ({}): decisive facts: {decisive}. Smallest changes: {}",
            name,
            ruleset,
            if flips.is_empty() {
                // The handout's search goes two changes deep
                // (`HANDOUT_MAX_CHANGES`).
                "none within two changes".to_string()
            } else {
                flips.join("; ")
            }
        ));
    }
    vec![Block::List(items)]
}

fn markdown_block(b: &Block) -> String {
    match b {
        Block::Heading(level, t) => format!("{} {}\n", "#".repeat(usize::from(*level)), md(t)),
        Block::Para(t) => format!("{}\n", md(t)),
        Block::Note(t) => format!("> **{}**\n", md(t)),
        Block::List(items) => items.iter().map(|i| format!("- {}\n", md(i))).collect(),
        Block::Table(head, rows) => {
            let mut out = format!(
                "| {} |\n|{}\n",
                head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | "),
                "---|".repeat(head.len())
            );
            for r in rows {
                out.push_str(&format!(
                    "| {} |\n",
                    r.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                ));
            }
            out
        }
        Block::Svg(_, alt) => format!("_Reasoning: {}_\n", md(alt)),
    }
}

fn html_block(b: &Block) -> String {
    match b {
        Block::Heading(level, t) => format!("<h{level}>{}</h{level}>\n", html(t)),
        Block::Para(t) => format!("<p>{}</p>\n", html(t)),
        Block::Note(t) => format!("<p class=\"note\"><strong>{}</strong></p>\n", html(t)),
        Block::List(items) => format!(
            "<ul>\n{}</ul>\n",
            items
                .iter()
                .map(|i| format!("<li>{}</li>\n", html(i)))
                .collect::<String>()
        ),
        Block::Table(head, rows) => {
            let th: String = head
                .iter()
                .map(|h| format!("<th>{}</th>", html(h)))
                .collect();
            let trs: String = rows
                .iter()
                .map(|r| {
                    format!(
                        "<tr>{}</tr>\n",
                        r.iter()
                            .map(|c| format!("<td>{}</td>", html(c)))
                            .collect::<String>()
                    )
                })
                .collect();
            format!("<table>\n<tr>{th}</tr>\n{trs}</table>\n")
        }
        Block::Svg(svg, alt) => format!(
            "<figure role=\"img\" aria-label=\"{}\">{svg}</figure>\n",
            html(alt)
        ),
    }
}

/// Escapes text for HTML (element content and attribute values).
///
/// Control and bidi characters are shown as visible `\u{..}` text, not as
/// character references: a browser applies `&#x202E;` as the override it
/// names, reversing the rest of the line.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if super::inert::is_hazard(c) => super::inert::push_visible(c, &mut out),
            c => out.push(c),
        }
    }
    out
}
