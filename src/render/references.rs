//! The references block of a rendered text: every primary source its rules
//! rest on, in full (title, citation, date, address or why there is none,
//! and how the encoder reached it), every work it cites by key, and the
//! meaning of every confidence tag and mark it uses, so that a reader can
//! follow each citation without the project's files.

use std::fmt::Write;

use crate::eval::{Evaluation, Truth};
use crate::model::bibliography::Work;
use crate::model::{Library, Source};

/// What the "encoder's interpretation" mark and its levels mean
/// (docs/sources.md).
pub const INTERPRETATION_LEGEND: &str = "encoder's interpretation: the rule is the encoder's \
     reading of its source, not the source's own words, and the text after the mark says how far it \
     goes beyond them: (close) a paraphrase of what the source states; (applied) the source's \
     holding applied to facts or material it did not face; (reconstructed) a test or condition \
     the encoder built from several passages, or inferred where the source is silent.";

/// The references of one rendered text.
#[derive(Debug, Default)]
pub struct References<'a> {
    /// The primary sources, as (ruleset id, source), in the order first used.
    pub sources: Vec<(&'a str, &'a Source)>,
    /// The works cited by key, in key order.
    pub works: Vec<&'a Work>,
    /// The confidence tags used, with their meanings.
    pub tags: Vec<(&'a str, &'a str)>,
    /// Whether the text marks a rule as the encoder's interpretation.
    pub interpretation: bool,
}

impl References<'_> {
    /// Whether there is nothing to list.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.works.is_empty() && self.tags.is_empty()
    }
}

/// The sources of the rules the evaluations show (only those that apply,
/// when `applied_only`), each once.
pub fn sources_of<'a>(
    library: &'a Library,
    evals: &[&Evaluation],
    applied_only: bool,
) -> Vec<(&'a str, &'a Source)> {
    let mut out: Vec<(&str, &Source)> = Vec::new();
    for e in evals {
        let Some(ruleset) = library.ruleset(&e.ruleset) else {
            continue;
        };
        for n in e
            .rules
            .iter()
            .filter(|n| !applied_only || n.applies == Truth::True)
        {
            let source = ruleset
                .rule(&n.rule)
                .and_then(|r| ruleset.source(&r.citation.source));
            if let Some(s) = source
                && !out.iter().any(|(r, o)| *r == ruleset.id && o.id == s.id)
            {
                out.push((ruleset.id.as_str(), s));
            }
        }
    }
    out
}

/// The references of `text`, which shows the rules whose `sources` are
/// given: the works and tags cited in it or in those sources' notes.
pub fn collect<'a>(
    library: &'a Library,
    sources: Vec<(&'a str, &'a Source)>,
    text: &str,
) -> References<'a> {
    let mut scanned = text.to_string();
    for (_, s) in &sources {
        scanned.push('\n');
        scanned.push_str(s.reached_via.as_deref().unwrap_or(""));
    }
    let (works, tags) = library.bibliography.cited_in(&scanned);
    References {
        sources,
        works,
        tags,
        interpretation: text.contains("encoder's interpretation")
            || text.contains("Encoder's interpretation"),
    }
}

/// A primary source in full, on one line.
pub fn source_line(s: &Source) -> String {
    let mut line = format!("{} — {}", s.title.trim(), s.citation.trim());
    if let Some(d) = s.date {
        let _ = write!(line, " ({d})");
    }
    if let Some(u) = &s.url {
        let _ = write!(line, ". {u}");
    }
    if let Some(via) = &s.reached_via {
        let _ = write!(line, ". Reached via: {}", via.trim());
    }
    line
}

/// The sections of a references block, as (heading, items).
pub fn sections(r: &References) -> Vec<(&'static str, Vec<String>)> {
    let mut out = Vec::new();
    if !r.sources.is_empty() {
        let items = r
            .sources
            .iter()
            .map(|(ruleset, s)| format!("{ruleset}/{}: {}", s.id, source_line(s)))
            .collect();
        out.push(("sources (the rules' primary texts)", items));
    }
    if !r.works.is_empty() {
        let items = r
            .works
            .iter()
            .map(|w| format!("[{}] {}", w.key, w.reference()))
            .collect();
        out.push(("works cited by key", items));
    }
    let mut legend: Vec<String> = r
        .tags
        .iter()
        .map(|(tag, meaning)| format!("[{tag}] {meaning}"))
        .collect();
    if r.interpretation {
        legend.push(INTERPRETATION_LEGEND.to_string());
    }
    if !legend.is_empty() {
        out.push(("legend", legend));
    }
    out
}

/// The references block as plain text (empty when there is nothing).
pub fn references_text(r: &References) -> String {
    let mut out = String::new();
    for (heading, items) in sections(r) {
        let _ = writeln!(out, "\n{heading}:");
        for item in items {
            let _ = writeln!(out, "  {item}");
        }
    }
    out
}
