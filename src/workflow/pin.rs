//! `authorship pin`: writes the engine's current outcome for every cell a
//! case does not pin yet into the case's `expect:` block, for review
//! (`basis: prediction` and a note saying where it came from).
//!
//! The file's text is edited, never re-serialized: new entries are inserted
//! after the last line of the `expect:` block (and of its `jurisdictions:`
//! map), indented like the entries already there, so every comment and
//! every byte of existing text stays as it was. The edited text is loaded
//! again and must give the same case with the new expectations met;
//! otherwise nothing is returned to write. A case already fully pinned is
//! left alone, so pinning twice changes nothing.

use std::fmt::Write as _;
use std::path::Path;

use crate::compare::{
    Cell, Column, Comparison, JurisdictionOutcome, Options, check_expectations, compare, unpinned,
};
use crate::eval::{ElementStatus, Evaluation, Verdict};
use crate::load::LoadErrors;
use crate::model::{Case, Library};

/// Why a case could not be pinned.
#[derive(Debug)]
pub enum PinError {
    /// The case (as it is, or as edited) does not load.
    Load(LoadErrors),
    /// The text cannot be edited safely, or the edit would not round-trip.
    Refused(String),
}

impl std::fmt::Display for PinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PinError::Load(e) => write!(f, "{e}"),
            PinError::Refused(why) => f.write_str(why),
        }
    }
}

/// The outcome of pinning one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    /// The new text of the case file (`None`: nothing to pin, leave the
    /// file as it is).
    pub text: Option<String>,
    /// The cells given an expectation.
    pub pinned: Vec<Cell>,
    /// Cells left unpinned, with why (a ruleset whose rules contradict each
    /// other on these facts has no outcome to pin).
    pub skipped: Vec<(Cell, String)>,
    /// The lines the edit adds, in order (for a dry run to show).
    pub added: Vec<String>,
}

/// The note written on every pinned expectation.
pub fn pin_note(revision: &str) -> String {
    format!("pinned from the engine's output on {revision}; review")
}

/// Pins every unpinned cell of the case whose file is `path` and whose text
/// is `text`, with outcomes from `library` (whose version `revision` names,
/// e.g. `rules at 1a2b3c4`).
pub fn pin(path: &Path, text: &str, library: &Library, revision: &str) -> Result<Pinned, PinError> {
    let case = Case::from_source(path, text, library).map_err(PinError::Load)?;
    let cells = unpinned(&case, library);
    if cells.is_empty() {
        return Ok(Pinned {
            text: None,
            pinned: vec![],
            skipped: vec![],
            added: vec![],
        });
    }
    let c = compare(&case, library, &Options::default());
    let note = pin_note(revision);
    let mut rulesets = Vec::new();
    let mut rows = Vec::new();
    let mut pinned = Vec::new();
    let mut skipped = Vec::new();
    for cell in cells {
        match entry(&c, &cell, &note) {
            Ok(e) => {
                match cell {
                    Cell::Ruleset(_) => rulesets.push(e),
                    Cell::Jurisdiction(_) => rows.push(e),
                }
                pinned.push(cell);
            }
            Err(why) => skipped.push((cell, why)),
        }
    }
    if pinned.is_empty() {
        return Ok(Pinned {
            text: None,
            pinned,
            skipped,
            added: vec![],
        });
    }
    let edited = insert(text, &rulesets, &rows).map_err(PinError::Refused)?;
    verify(path, &case, &edited, library, &pinned)?;
    Ok(Pinned {
        added: added_lines(text, &edited),
        text: Some(edited),
        pinned,
        skipped,
    })
}

/// The lines of `new` that are not those of `old` (which it holds in order).
fn added_lines(old: &str, new: &str) -> Vec<String> {
    let mut kept = old.lines().peekable();
    new.lines()
        .filter(|l| {
            if kept.peek() == Some(l) {
                kept.next();
                false
            } else {
                true
            }
        })
        .map(str::to_string)
        .collect()
}

/// One expectation to write: its key and its fields, each rendered as
/// YAML.
#[derive(Debug, Clone)]
struct Entry {
    key: String,
    fields: Vec<(&'static str, String)>,
}

fn entry(c: &Comparison, cell: &Cell, note: &str) -> Result<Entry, String> {
    match cell {
        Cell::Ruleset(id) => {
            let column = c
                .columns
                .iter()
                .find(|col| col.ruleset() == id && col.variant().is_none());
            match column {
                Some(Column::Evaluated(e)) => Ok(ruleset_entry(e, note)),
                Some(Column::Failed { error, .. }) => {
                    Err(format!("its rules contradict each other: {error}"))
                }
                None => Err("not evaluated".to_string()),
            }
        }
        Cell::Jurisdiction(id) => c
            .jurisdictions
            .iter()
            .find(|j| &j.jurisdiction == id)
            .map(|j| row_entry(j, note))
            .ok_or_else(|| "no such row".to_string()),
    }
}

fn ruleset_entry(e: &Evaluation, note: &str) -> Entry {
    let with = |s| -> Vec<String> {
        e.elements
            .iter()
            .filter(|el| el.status == s)
            .map(|el| el.element.clone())
            .collect()
    };
    Entry {
        key: e.ruleset.clone(),
        fields: fields(
            e.verdict,
            None,
            &e.authors,
            &with(ElementStatus::Protected),
            &with(ElementStatus::NotProtected),
            &e.possible_verdicts,
            &e.depends_on,
            note,
        ),
    }
}

fn row_entry(j: &JurisdictionOutcome, note: &str) -> Entry {
    Entry {
        key: j.jurisdiction.clone(),
        fields: fields(
            j.verdict,
            j.decided_by.as_deref(),
            &j.authors,
            &j.protected,
            &j.not_protected,
            &j.possible_verdicts,
            &j.depends_on,
            note,
        ),
    }
}

/// The fields of an expectation that pins an outcome exactly: the verdict,
/// who decides (rows), authors and elements (unless nothing is reached),
/// and for an open outcome what is still possible and on which facts.
#[allow(clippy::too_many_arguments)]
fn fields(
    verdict: Verdict,
    decided_by: Option<&str>,
    authors: &[String],
    protected: &[String],
    not_protected: &[String],
    possible: &[Verdict],
    depends_on: &[String],
    note: &str,
) -> Vec<(&'static str, String)> {
    let mut out = vec![("verdict", verdict.to_string())];
    if let Some(by) = decided_by {
        out.push(("decided_by", by.to_string()));
    }
    if verdict != Verdict::NotAddressed {
        out.push(("authors", flow(authors)));
        out.push(("protected", flow(protected)));
        out.push(("not_protected", flow(not_protected)));
    }
    if verdict == Verdict::Undetermined {
        let names: Vec<String> = possible.iter().map(|v| v.to_string()).collect();
        out.push(("possible", flow(&names)));
        out.push(("depends_on", flow(depends_on)));
    }
    out.push(("basis", "prediction".to_string()));
    out.push(("note", quoted(note)));
    out
}

/// A list of ids in flow style: `[a, b]`.
fn flow(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// A double-quoted YAML scalar.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ───────────────────────────── the text edit ─────────────────────────────

/// One line of the file: its text without the line break, and where the
/// next line starts.
#[derive(Debug, Clone, Copy)]
struct Line<'t> {
    text: &'t str,
    end: usize,
}

impl Line<'_> {
    fn indent(&self) -> usize {
        self.text
            .len()
            .saturating_sub(self.text.trim_start_matches(' ').len())
    }

    /// Not blank and not a comment: part of the YAML's content.
    fn is_content(&self) -> bool {
        let t = self.text.trim();
        !t.is_empty() && !t.starts_with('#')
    }

    /// `Some(value)` when the line is the key `key` (at its indentation):
    /// the text after the colon, without a trailing comment.
    fn key_value(&self, key: &str) -> Option<&str> {
        let rest = self.text.trim_start_matches(' ').strip_prefix(key)?;
        let rest = rest.trim_start_matches(' ').strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with([' ', '\t', '\r'])) {
            return None;
        }
        let value = match rest.find(" #") {
            Some(i) => rest.get(..i).unwrap_or(rest),
            None => rest,
        };
        Some(value.trim())
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start: usize = 0;
    for piece in text.split_inclusive('\n') {
        let end = start.saturating_add(piece.len());
        out.push(Line {
            text: piece.trim_end_matches('\n').trim_end_matches('\r'),
            end,
        });
        start = end;
    }
    out
}

/// Where a map's entries go: after which line (`None`: at the end of the
/// file), at what indentation, with their fields at what indentation.
#[derive(Debug, Clone, Copy)]
struct Spot {
    after: Option<usize>,
    entry: usize,
    field: usize,
}

/// The text with the ruleset entries and the jurisdiction rows inserted.
fn insert(text: &str, rulesets: &[Entry], rows: &[Entry]) -> Result<String, String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let all = lines(text);
    let Some(at) = all
        .iter()
        .position(|l| l.indent() == 0 && l.key_value("expect").is_some())
    else {
        // No `expect:` yet: a new block at the end of the file.
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(nl);
        }
        let _ = write!(out, "expect:{nl}");
        out.push_str(&render(rulesets, 2, 4, nl));
        out.push_str(&rows_block(rows, 2, 2, nl));
        return Ok(out);
    };
    let block = expect_block(&all, at)?;
    let step = block.field.saturating_sub(block.entry).max(1);
    let new_rulesets = (block.after, render(rulesets, block.entry, block.field, nl));
    // Where both go after the same line, the order of the list is kept: rows
    // that continue an existing `jurisdictions:` map come before the ruleset
    // entries, which would close it; a new map comes last.
    let inserts = match jurisdictions_block(&all, at, &block)? {
        Some(j) => vec![(j.after, render(rows, j.entry, j.field, nl)), new_rulesets],
        None => vec![
            new_rulesets,
            (block.after, rows_block(rows, block.entry, step, nl)),
        ],
    };
    splice(text, &all, &inserts, nl)
}

/// The `expect:` block starting at line `at`: where new entries go.
fn expect_block(all: &[Line], at: usize) -> Result<Spot, String> {
    let line = all.get(at).copied().ok_or("no expect line")?;
    match line.key_value("expect") {
        Some("") | None => {}
        Some(other) => {
            return Err(format!(
                "line {}: `expect: {other}` is written inline; write it as a block \
                 (one entry per line) to pin it",
                at.saturating_add(1)
            ));
        }
    }
    let start = at.saturating_add(1);
    let end = all
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.is_content() && l.indent() == 0)
        .map_or(all.len(), |(i, _)| i);
    let inside: Vec<(usize, &Line)> = all
        .iter()
        .enumerate()
        .take(end)
        .skip(start)
        .filter(|(_, l)| l.is_content())
        .collect();
    let entry = inside.first().map_or(2, |(_, l)| l.indent());
    let field = inside
        .iter()
        .map(|(_, l)| l.indent())
        .find(|i| *i > entry)
        .unwrap_or(entry.saturating_mul(2));
    let after = inside.last().map_or(at, |(i, _)| *i);
    Ok(Spot {
        after: Some(after),
        entry,
        field,
    })
}

/// The `jurisdictions:` map inside the `expect:` block, if there is one.
fn jurisdictions_block(all: &[Line], at: usize, block: &Spot) -> Result<Option<Spot>, String> {
    let last = block.after.unwrap_or(at);
    let found = all
        .iter()
        .enumerate()
        .take(last.saturating_add(1))
        .skip(at.saturating_add(1))
        .find(|(_, l)| l.indent() == block.entry && l.key_value("jurisdictions").is_some());
    let Some((k, line)) = found else {
        return Ok(None);
    };
    if line.key_value("jurisdictions") != Some("") {
        return Err(format!(
            "line {}: `jurisdictions:` is written inline; write it as a block to pin it",
            k.saturating_add(1)
        ));
    }
    let inside: Vec<(usize, &Line)> = all
        .iter()
        .enumerate()
        .take(last.saturating_add(1))
        .skip(k.saturating_add(1))
        .filter(|(_, l)| l.is_content())
        .take_while(|(_, l)| l.indent() > block.entry)
        .collect();
    let step = block.field.saturating_sub(block.entry).max(1);
    let entry = inside
        .first()
        .map_or(block.entry.saturating_add(step), |(_, l)| l.indent());
    let field = inside
        .iter()
        .map(|(_, l)| l.indent())
        .find(|i| *i > entry)
        .unwrap_or(entry.saturating_add(step));
    Ok(Some(Spot {
        after: Some(inside.last().map_or(k, |(i, _)| *i)),
        entry,
        field,
    }))
}

/// Entries as block mappings: `key:` at `entry` spaces, fields at `field`.
fn render(entries: &[Entry], entry: usize, field: usize, nl: &str) -> String {
    let mut out = String::new();
    for e in entries {
        let _ = write!(out, "{:entry$}{}:{nl}", "", e.key);
        for (name, value) in &e.fields {
            let _ = write!(out, "{:field$}{name}: {value}{nl}", "");
        }
    }
    out
}

/// A new `jurisdictions:` map holding `rows`.
fn rows_block(rows: &[Entry], entry: usize, step: usize, nl: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let inner = entry.saturating_add(step);
    format!(
        "{:entry$}jurisdictions:{nl}{}",
        "",
        render(rows, inner, inner.saturating_add(step), nl)
    )
}

/// Inserts each text after its line, keeping everything else byte for byte.
fn splice(
    text: &str,
    all: &[Line],
    inserts: &[(Option<usize>, String)],
    nl: &str,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len().saturating_add(4096));
    let mut from = 0;
    let mut order: Vec<&(Option<usize>, String)> = inserts.iter().collect();
    order.sort_by_key(|(after, _)| after.map_or(usize::MAX, |a| a));
    for (after, insert) in order {
        let offset = after.and_then(|a| all.get(a)).map_or(text.len(), |l| l.end);
        out.push_str(
            text.get(from..offset)
                .ok_or("an offset inside a character")?,
        );
        // A last line without a line break gets one before the insertion.
        if !insert.is_empty() && !out.is_empty() && !out.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(insert);
        from = offset;
    }
    out.push_str(text.get(from..).ok_or("an offset inside a character")?);
    Ok(out)
}

/// The edited text loads as the same case with the new expectations, each
/// of which the engine meets.
fn verify(
    path: &Path,
    before: &Case,
    edited: &str,
    library: &Library,
    pinned: &[Cell],
) -> Result<(), PinError> {
    let after = Case::from_source(path, edited, library).map_err(PinError::Load)?;
    let same = before.title == after.title
        && before.summary == after.summary
        && before.citation == after.citation
        && before.source_note == after.source_note
        && before.as_of == after.as_of
        && before.facts == after.facts
        && before.stated_unknown == after.stated_unknown
        && before.notes == after.notes
        && before
            .expect
            .iter()
            .all(|(k, e)| after.expect.get(k) == Some(e))
        && before
            .expect_jurisdictions
            .iter()
            .all(|(k, e)| after.expect_jurisdictions.get(k) == Some(e));
    if !same {
        return Err(PinError::Refused(
            "the edited file would not read as the same case; nothing written".to_string(),
        ));
    }
    let now_unpinned = unpinned(&after, library);
    if let Some(cell) = pinned.iter().find(|c| now_unpinned.contains(c)) {
        return Err(PinError::Refused(format!(
            "`{cell}` is still unpinned after the edit; nothing written"
        )));
    }
    let keys: Vec<String> = pinned.iter().map(Cell::to_string).collect();
    let failing: Vec<String> = check_expectations(&after, library)
        .into_iter()
        .filter(|m| keys.contains(&m.ruleset))
        .map(|m| format!("{} {}", m.ruleset, m.field))
        .collect();
    if !failing.is_empty() {
        return Err(PinError::Refused(format!(
            "the pinned outcomes would not pass `authorship test` ({}); nothing written",
            failing.join(", ")
        )));
    }
    Ok(())
}
