//! Rendering load errors as rustc-style diagnostics:
//!
//! ```text
//! error[E004]: unknown fact `selected_amongst_outputs`
//!   --> rules/us.yaml:42:11 (rule `usco-single-selection`, field `when`)
//!    |
//! 42 |     when: selected_amongst_outputs and not material_selected_and_arranged
//!    |           ^^^^^^^^^^^^^^^^^^^^^^^^
//!    = help: did you mean `selected_among_outputs`?
//! ```
//!
//! Pure string building; the caller decides where it goes.

use std::fmt::Write;

use crate::load::{LoadError, LoadErrors};

/// Renders one error.
pub fn render(error: &LoadError) -> String {
    let mut out = format!("error[{}]: {}\n", error.kind.code(), error.kind);
    let gutter = error.line.to_string().len().max(1);
    let pad = " ".repeat(gutter);
    let _ = write!(out, "{pad}--> {}", error.location());
    match (&error.rule, &error.field) {
        (Some(rule), Some(field)) => {
            let _ = write!(out, " (rule `{rule}`, field `{field}`)");
        }
        (Some(rule), None) => {
            let _ = write!(out, " (rule `{rule}`)");
        }
        (None, Some(field)) => {
            let _ = write!(out, " (field `{field}`)");
        }
        (None, None) => {}
    }
    out.push('\n');
    if let Some(ex) = &error.excerpt {
        let (line, start, len) = window(&sanitize(&ex.line_text), ex.caret_start, ex.caret_len);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {line}", error.line);
        let caret = " ".repeat(start) + &"^".repeat(len);
        let _ = writeln!(out, "{pad} | {caret}");
    }
    if let Some(help) = error.kind.help() {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}

/// Renders every error, then a count.
pub fn render_all(errors: &LoadErrors) -> String {
    let mut out = String::new();
    for e in errors.iter() {
        out.push_str(&render(e));
        out.push('\n');
    }
    let n = errors.0.len();
    let _ = writeln!(out, "{n} error{} found", if n == 1 { "" } else { "s" });
    out
}

/// Widest excerpt shown, in characters; longer lines are cut around the caret.
const MAX_EXCERPT: usize = 100;

// Cuts a long line to a window around the caret, marking cuts with `…`.
fn window(line: &str, caret: usize, len: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_EXCERPT {
        return (line.to_string(), caret, len);
    }
    let start = caret.saturating_sub(MAX_EXCERPT / 3);
    let end = start.saturating_add(MAX_EXCERPT).min(chars.len());
    let mut text: String = chars
        .get(start..end)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    let mut caret = caret.saturating_sub(start);
    if start > 0 {
        text.insert(0, '…');
        caret = caret.saturating_add(1);
    }
    if end < chars.len() {
        text.push('…');
    }
    let len = len.min(text.chars().count().saturating_sub(caret)).max(1);
    (text, caret, len)
}

// Control characters (and bidi overrides) would garble a terminal or hide
// text; show them as escapes so the caret still lines up with what is seen.
fn sanitize(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => ' '.to_string(),
            c if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                "\u{fffd}".to_string()
            }
            c => c.to_string(),
        })
        .collect()
}
