//! Handouts: a self-contained document per case for a class — the facts in
//! plain words, every jurisdiction's and authority's outcome, the reasoning
//! (a diagram of the deciding rules, then each rule with the source's words
//! set apart from the encoder's interpretation), where the authorities part
//! ways, and the smallest changes that would flip each outcome. Built once
//! as a small document model here, then written as Markdown
//! ([`markdown`]) or as one HTML file ([`html`]: no external assets, inline
//! CSS, a print stylesheet). All text from files is escaped by the writers.

mod html;
mod markdown;

pub use html::report_html;
pub use markdown::report_markdown;

use super::DISCLAIMER;
use super::diagram::{DecidingPath, deciding_path};
use super::style::verdict_words;
use crate::compare::differ::{Answer, Split};
use crate::compare::{Column, Comparison};
use crate::eval::{Evaluation, FactRead, Truth};
use crate::model::{Case, FactValue, Library, Verdict};
use crate::whatif::WhatIf;
use crate::workflow::handout::HandoutCase;

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
    /// The changes made to the cases for this handout (`--set fact=value`,
    /// `--unset fact`, `--as-of date`, as given): the header states them so
    /// a printed what-if is never taken for the case as filed.
    pub overrides: Vec<String>,
    /// The facts those changes set or made unknown: the facts table marks
    /// their answers.
    pub changed_facts: Vec<String>,
}

/// A piece of the handout; text is plain and escaped by each writer.
enum Block {
    /// A section heading (levels 1 to 3).
    Heading(u8, String),
    /// A case's title; `true` for every case after the first (a new page
    /// in print).
    CaseTitle(String, bool),
    /// The answer key's heading: a new page in print.
    AnswerKey,
    /// The list of sections, filled in by each writer from the headings.
    Contents,
    Para(String),
    /// A visible note (the disclaimer).
    Note(String),
    /// The header's statement of the changes made to the cases.
    WhatIf(Vec<String>),
    List(Vec<String>),
    /// Background notes, set smaller than the analysis.
    Notes(Vec<String>),
    /// Reference list items, each with the key a citation names it by.
    References(Vec<(Option<String>, String)>),
    Table(Vec<String>, Vec<Vec<Cell>>),
    /// A verdict in words (coloured in HTML) followed by plain text.
    Verdict(Verdict, String),
    /// The meaning of each marker and colour the handout uses.
    Legend(Vec<(Marker, String)>),
    /// The path of deciding rules, drawn as facts → rules → verdict.
    Path(DecidingPath),
    /// A rule that applied: the encoder's words, the source's, apart.
    Rule(RuleText),
}

/// A table cell: plain text, or an outcome whose verdict is coloured.
enum Cell {
    Text(String),
    /// A space for a student's answer.
    Blank,
    Verdict(Verdict, String),
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

/// What a legend entry explains, which decides how its sample is drawn.
#[derive(Clone, Copy)]
enum Marker {
    Verdict(Verdict),
    Quote,
    Interpretation,
    Decides,
    MayApply,
    Citation,
}

/// One rule that applied, as a handout shows it.
struct RuleText {
    title: String,
    rule: String,
    /// The encoder's plain-language reason.
    because: String,
    /// "Source title, pinpoint".
    cite: String,
    /// The source's own words, if recorded.
    quote: Option<String>,
    /// The encoder's reading, with how far it goes beyond the source.
    interpretation: Option<(Option<String>, String)>,
}

/// The whole handout, in reading order.
fn handout(cases: &[HandoutCase], library: &Library, o: &ReportOptions) -> Vec<Block> {
    let mut blocks = vec![Block::Note(DISCLAIMER.to_string())];
    if !o.overrides.is_empty() {
        blocks.push(Block::WhatIf(o.overrides.clone()));
    }
    blocks.push(Block::Contents);
    blocks.push(Block::Heading(2, "How to read this handout".to_string()));
    blocks.push(Block::Legend(reading_legend()));
    let mut key = Vec::new();
    for (i, h) in cases.iter().enumerate() {
        blocks.extend(case_blocks(h, library, o, i > 0));
        if o.hide_outcomes {
            key.extend(answers(h, library));
        }
    }
    if o.hide_outcomes {
        blocks.push(Block::AnswerKey);
        blocks.extend(key);
    }
    blocks.push(Block::Note(DISCLAIMER.to_string()));
    blocks
}

// What the layout's markers mean; the confidence tags are explained with
// the references, where the works they qualify are listed.
fn reading_legend() -> Vec<(Marker, String)> {
    vec![
        (
            Marker::Quote,
            "The source's own words, quoted, with where they are found.".to_string(),
        ),
        (
            Marker::Interpretation,
            "The encoder's interpretation: how the rule reads the source, not the source's words."
                .to_string(),
        ),
        (
            Marker::Decides,
            "In a reasoning diagram: a rule that decides the outcome; the other rules establish \
             what it relies on."
                .to_string(),
        ),
        (
            Marker::MayApply,
            "In a reasoning diagram: a rule that may apply, depending on facts not given."
                .to_string(),
        ),
        (
            Marker::Citation,
            "A bracketed key (with [P], [S1] or [S2], how well it is sourced) names a work in the \
             references, where the tags are explained."
                .to_string(),
        ),
    ]
}

fn verdict_legend() -> Block {
    let meaning = |v: Verdict| match v {
        Verdict::Protected => "protected, with nothing excluded",
        Verdict::PartiallyProtected => "some elements protected, others not",
        Verdict::NotProtected => "nothing protected",
        Verdict::Undetermined => "the facts given do not settle it",
        Verdict::NotAddressed => "the authority's holding does not reach these facts",
    };
    Block::Legend(
        Verdict::ALL
            .iter()
            .map(|&v| (Marker::Verdict(v), meaning(v).to_string()))
            .collect(),
    )
}

fn case_blocks(h: &HandoutCase, library: &Library, o: &ReportOptions, later: bool) -> Vec<Block> {
    let hide = o.hide_outcomes;
    let (case, c) = (&h.case, &h.comparison);
    let mut b = vec![Block::CaseTitle(case.title.trim().to_string(), later)];
    if let Some(cite) = &case.citation {
        b.push(Block::Para(format!("Source: {cite}")));
    }
    // The date of the law and the rules applied belong with the source, at
    // the head of the case: they qualify everything below.
    b.push(Block::Para(as_of_line(c)));
    b.push(Block::Para(super::summary::rules_line(c)));
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
    b.push(Block::Heading(2, "The facts".to_string()));
    b.push(facts_table(case, c, library, &o.changed_facts));
    if hide {
        b.push(Block::Heading(2, "Questions for discussion".to_string()));
        b.push(Block::List(issues_in_play(c, library)));
        b.push(Block::Heading(2, "Outcomes (to fill in)".to_string()));
        let rows = c
            .jurisdictions
            .iter()
            .map(|j| {
                vec![
                    Cell::Text(format!("{} ({})", j.name, j.jurisdiction)),
                    Cell::Blank,
                    Cell::Blank,
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
    b.push(verdict_legend());
    b.push(outcomes_table(c));
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
        b.push(Block::Notes(notes));
    }
    b.push(Block::Heading(2, "Each authority's reasoning".to_string()));
    let evals: Vec<&Evaluation> = c
        .columns
        .iter()
        .filter_map(|col| match col {
            Column::Evaluated(e) => Some(e.as_ref()),
            Column::Failed { .. } => None,
        })
        .collect();
    // An authority no rule of which applies or may apply has nothing to
    // draw: one table row says why, instead of a section each.
    let (mut reasoned, silent): (Vec<&Evaluation>, Vec<&Evaluation>) = evals
        .iter()
        .partition(|e| e.rules.iter().any(|n| n.applies != Truth::False));
    // The authorities that decide a jurisdiction's row come first, in the
    // rows' order: a class reads those first.
    let deciders: Vec<&str> = c
        .jurisdictions
        .iter()
        .filter_map(|j| j.decided_by.as_deref())
        .collect();
    reasoned.sort_by_key(|e| {
        deciders
            .iter()
            .position(|d| *d == e.ruleset)
            .unwrap_or(deciders.len())
    });
    for e in reasoned {
        b.extend(reasoning(e, library));
    }
    if !silent.is_empty() {
        b.push(Block::Heading(
            3,
            "Authorities no rule of which applies".to_string(),
        ));
        b.push(silent_table(&silent, library));
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
    b.extend(references(&b, &shown, &evals, library));
    b
}

fn outcomes_table(c: &Comparison) -> Block {
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
                String::new()
            } else {
                let could: Vec<&str> = j
                    .possible_verdicts
                    .iter()
                    .map(|&v| verdict_words(v))
                    .collect();
                format!("could be {}", could.join(" or "))
            };
            vec![
                Cell::Text(format!("{} ({})", j.name, j.jurisdiction)),
                Cell::Verdict(j.verdict, outcome),
                Cell::Text(
                    author_words(&jurisdiction_author_label(j)).unwrap_or_else(|| "—".into()),
                ),
                Cell::Text(by),
            ]
        })
        .collect();
    Block::Table(
        vec![
            "Jurisdiction".into(),
            "Outcome".into(),
            "Author".into(),
            "Decided by".into(),
        ],
        rows,
    )
}

fn silent_table(silent: &[&Evaluation], library: &Library) -> Block {
    let rows = silent
        .iter()
        .filter_map(|e| {
            let ruleset = library.ruleset(&e.ruleset)?;
            Some(vec![
                Cell::Text(ruleset.title.trim().to_string()),
                Cell::Verdict(e.verdict, String::new()),
                Cell::Text(reason(e, ruleset).text.trim().to_string()),
            ])
        })
        .collect();
    Block::Table(
        vec!["Authority".into(), "Outcome".into(), "Why".into()],
        rows,
    )
}

// The sources, works and tags the case's analysis cites, in full.
fn references(
    blocks: &[Block],
    shown: &str,
    evals: &[&Evaluation],
    library: &Library,
) -> Vec<Block> {
    let mut text = shown.to_string();
    for block in blocks {
        block_text(block, &mut text);
        text.push('\n');
    }
    let refs = super::references::collect(library, super::sources_of(library, evals, true), &text);
    let mut out = Vec::new();
    if !refs.is_empty() {
        out.push(Block::Heading(2, "References".to_string()));
    }
    for (heading, items) in super::reference_sections(&refs) {
        out.push(Block::Heading(3, super::summary::capitalised(heading)));
        // The works' list is in `refs.works` order, one item each: its
        // items take the works' keys, so citations can point at them.
        let keys: Vec<Option<String>> = if items.len() == refs.works.len()
            && items
                .iter()
                .zip(&refs.works)
                .all(|(i, w)| i.starts_with(&format!("[{}]", w.key)))
        {
            refs.works.iter().map(|w| Some(w.key.clone())).collect()
        } else {
            vec![None; items.len()]
        };
        out.push(Block::References(keys.into_iter().zip(items).collect()));
    }
    out
}

// The text a block shows, for finding what it cites.
fn block_text(block: &Block, text: &mut String) {
    match block {
        Block::Heading(_, t)
        | Block::CaseTitle(t, _)
        | Block::Para(t)
        | Block::Note(t)
        | Block::Verdict(_, t) => text.push_str(t),
        Block::List(items) | Block::Notes(items) | Block::WhatIf(items) => {
            items.iter().for_each(|i| text.push_str(i));
        }
        Block::References(items) => items.iter().for_each(|(_, i)| text.push_str(i)),
        Block::Table(head, rows) => {
            head.iter().for_each(|t| text.push_str(t));
            for cell in rows.iter().flatten() {
                match cell {
                    Cell::Text(t) | Cell::Verdict(_, t) => text.push_str(t),
                    Cell::Blank => {}
                }
            }
        }
        Block::Legend(items) => items.iter().for_each(|(_, t)| text.push_str(t)),
        Block::Path(p) => {
            p.facts.iter().for_each(|f| text.push_str(&fact_words(f)));
            p.rules.iter().for_each(|r| text.push_str(&r.title));
        }
        Block::Rule(r) => {
            for t in [&r.title, &r.because, &r.cite] {
                text.push_str(t);
            }
            r.quote.iter().for_each(|q| text.push_str(q));
            if let Some((_, i)) = &r.interpretation {
                // The mark is named so the legend explains it.
                text.push_str("Encoder's interpretation");
                text.push_str(i);
            }
        }
        Block::AnswerKey | Block::Contents => {}
    }
}

fn facts_table(case: &Case, c: &Comparison, library: &Library, changed: &[String]) -> Block {
    // (fact id, answer), in the order shown.
    let mut answers: Vec<(&str, String)> = case
        .facts
        .0
        .iter()
        .map(|(id, v)| (id.as_str(), plain(v)))
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
    answers.extend(
        open.into_iter()
            .map(|id| (id.as_str(), "unknown".to_string())),
    );
    // A question that does not arise was answered by nobody: say so.
    for n in c
        .not_arising
        .iter()
        .filter(|n| case.facts.get(&n.fact).is_none())
    {
        let answer = format!(
            "{} (does not arise: `{}` is false)",
            plain(&n.value),
            n.arises_when
        );
        answers.push((n.fact.as_str(), answer));
    }
    // A fact made unknown that no rule now waits for is still shown: the
    // reader must see every change.
    for id in changed {
        if !answers.iter().any(|(a, _)| a == id) {
            answers.push((id.as_str(), "unknown".to_string()));
        }
    }
    let rows = answers
        .into_iter()
        .filter_map(|(id, answer)| {
            let question = library.vocabulary.fact(id)?.question.trim().to_string();
            let answer = if changed.iter().any(|c| c == id) {
                format!("{answer} (changed for this handout)")
            } else {
                answer
            };
            Some(vec![Cell::Text(question), Cell::Text(answer)])
        })
        .collect();
    Block::Table(vec!["Question".into(), "Answer".into()], rows)
}

/// A fact a rule read, in words: "human wrote prompts: yes".
fn fact_words(f: &FactRead) -> String {
    let value = f
        .value
        .as_ref()
        .map_or_else(|| "unknown".to_string(), plain);
    let arise = if f.does_not_arise.is_some() {
        " (does not arise)"
    } else {
        ""
    };
    format!("{}: {value}{arise}", f.fact.replace('_', " "))
}

/// An author label in words ("human user"); none when there is none.
fn author_words(label: &str) -> Option<String> {
    (label != "—" && !label.is_empty()).then(|| label.replace('_', " "))
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
    // The issues some two jurisdictions answer differently: exactly those
    // on which they do not all answer alike.
    let mut ids: Vec<&String> = c
        .jurisdiction_divergence
        .issues
        .iter()
        .map(|i| &i.issue)
        .collect();
    ids.extend(c.jurisdiction_splits.iter().map(|s| &s.issue));
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| library.vocabulary.issues.get(id).cloned())
        .collect()
}

// One authority's reasoning: its verdict and reason, the diagram of its
// deciding rules, and each rule that applied with its source.
fn reasoning(e: &Evaluation, library: &Library) -> Vec<Block> {
    let Some(ruleset) = library.ruleset(&e.ruleset) else {
        return vec![];
    };
    let r = reason(e, ruleset);
    let mut b = vec![
        Block::Heading(3, ruleset.title.trim().to_string()),
        Block::Verdict(
            e.verdict,
            match author_words(&author_label(e)) {
                Some(a) => format!("Author: {a}. {}", r.text.trim()),
                None => r.text.trim().to_string(),
            },
        ),
    ];
    let path = deciding_path(e);
    if !path.rules.is_empty() {
        b.push(Block::Path(path));
    }
    b.extend(
        e.rules
            .iter()
            .filter(|n| n.applies == Truth::True)
            .map(|n| {
                Block::Rule(RuleText {
                    title: n.title.trim().to_string(),
                    rule: n.rule.clone(),
                    because: n.because.trim().to_string(),
                    cite: format!("{}, {}", n.source.trim(), n.pinpoint.trim()),
                    quote: n.quote.as_ref().map(|q| q.trim().to_string()),
                    interpretation: n
                        .interpretation
                        .as_ref()
                        .map(|i| (n.reading.clone(), i.trim().to_string())),
                })
            }),
    );
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
            .map(|cf| {
                format!(
                    "{} → {}",
                    changes_text(&cf.changes),
                    verdict_words(cf.verdict)
                )
            })
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

/// The sections a contents list names: (level, text) of each case title
/// and level-1 or level-2 heading, in order.
fn sections(blocks: &[Block]) -> Vec<(u8, String)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::CaseTitle(t, _) => Some((1, t.clone())),
            Block::AnswerKey => Some((1, "Answer key".to_string())),
            Block::Heading(level, t) if *level <= 2 => Some((*level, t.clone())),
            _ => None,
        })
        .collect()
}
