//! The references block: every work a rendered text cites by key, in
//! full, and the meaning of every confidence tag it uses, so a reader can
//! follow each citation without the project's files.

use std::fmt::Write;

use crate::model::bibliography::Bibliography;

/// The references and tag legend for the citations in `text` (empty when
/// it cites nothing).
pub fn references(bibliography: &Bibliography, text: &str) -> String {
    let (works, tags) = bibliography.cited_in(text);
    let mut out = String::new();
    if !works.is_empty() {
        out.push_str("\nreferences (works cited above by key):\n");
        for w in works {
            let _ = writeln!(out, "  [{}] {}", w.key, w.reference());
        }
    }
    if !tags.is_empty() {
        out.push_str("\nconfidence tags:\n");
        for (tag, meaning) in tags {
            let _ = writeln!(out, "  [{tag}] {meaning}");
        }
    }
    out
}
