//! Output records, written straight into a byte buffer: names are escaped
//! once when the engine is built, numbers and verdicts need no escaping.

use std::io::Write as _;

use super::parse::Id;
use crate::eval::compiled::{Compiled, PartyStatus, Summary};
use crate::eval::{ElementStatus, Verdict};

/// A string as a JSON string literal.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

/// Names of one compiled ruleset, pre-escaped.
#[derive(Debug, Clone)]
pub struct Names {
    /// `"ruleset-id":`
    pub key: String,
    /// Element ids, like the program's elements.
    pub elements: Vec<String>,
    /// Party ids, like the program's parties.
    pub parties: Vec<String>,
}

impl Names {
    /// The names of `c`.
    pub fn of(c: &Compiled) -> Names {
        let p = c.program();
        Names {
            key: format!("{}:", json_string(c.id())),
            elements: p.elements.iter().map(|s| json_string(&s.id)).collect(),
            parties: p.parties.iter().map(|s| json_string(&s.id)).collect(),
        }
    }
}

/// Starts a record: `{"line":N` and the id, if any.
pub fn open(out: &mut Vec<u8>, line: u64, id: &Id) {
    let _ = write!(out, "{{\"line\":{line}");
    if *id != Id::None {
        out.extend_from_slice(b",\"id\":");
        id_json(out, id);
    }
}

/// An id as JSON (`"a"`, `7`; `null` for none), as the output writes it.
pub fn id_json(out: &mut Vec<u8>, id: &Id) {
    match id {
        Id::None => out.extend_from_slice(b"null"),
        Id::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Id::Str(s) => out.extend_from_slice(json_string(s).as_bytes()),
    }
}

/// A whole error record, with the record's id when it is known.
pub fn error(out: &mut Vec<u8>, line: u64, id: &Id, message: &str) {
    open(out, line, id);
    out.extend_from_slice(b",\"error\":");
    out.extend_from_slice(json_string(message).as_bytes());
    out.extend_from_slice(b"}\n");
}

fn status(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Protected => "\"protected\"",
        ElementStatus::NotProtected => "\"not_protected\"",
        ElementStatus::Undetermined => "\"undetermined\"",
    }
}

fn list<'a>(out: &mut Vec<u8>, key: &str, items: impl Iterator<Item = &'a str>) {
    let mut first = true;
    for item in items {
        out.extend_from_slice(if first { b",\"" } else { b"," });
        if first {
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(b"\":[");
            first = false;
        }
        out.extend_from_slice(item.as_bytes());
    }
    if !first {
        out.push(b']');
    }
}

/// One ruleset's outcome: verdict, the verdicts still possible when open,
/// authors, element statuses, and the facts an open verdict depends on.
/// Empty lists are left out.
pub fn outcome(out: &mut Vec<u8>, names: &Names, sum: &Summary, fact_names: &[String]) {
    let verdict = sum.verdict.unwrap_or(Verdict::Undetermined);
    out.extend_from_slice(b"{\"verdict\":\"");
    out.extend_from_slice(verdict.as_str().as_bytes());
    out.push(b'"');
    let possible = Verdict::ALL
        .into_iter()
        .filter(|v| sum.possible & (1 << (*v as u8)) != 0)
        .map(|v| match v {
            Verdict::Protected => "\"protected\"",
            Verdict::PartiallyProtected => "\"partially_protected\"",
            Verdict::NotProtected => "\"not_protected\"",
            Verdict::Undetermined => "\"undetermined\"",
            Verdict::NotAddressed => "\"not_addressed\"",
        });
    list(out, "possible", possible);
    let authors = names
        .parties
        .iter()
        .zip(&sum.parties)
        .filter(|(_, s)| **s == PartyStatus::Author)
        .map(|(n, _)| n.as_str());
    list(out, "authors", authors);
    let mut first = true;
    for (name, s) in names.elements.iter().zip(&sum.elements) {
        let Some(s) = s else { continue };
        out.extend_from_slice(if first {
            b",\"elements\":{".as_slice()
        } else {
            b",".as_slice()
        });
        first = false;
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        out.extend_from_slice(status(*s).as_bytes());
    }
    if !first {
        out.push(b'}');
    }
    let deps = sum
        .depends_on
        .iter()
        .filter_map(|&f| fact_names.get(f as usize).map(String::as_str));
    list(out, "depends_on", deps);
}
