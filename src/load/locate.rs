//! Positions and hints for diagnostics: turning byte offsets into
//! line:column, finding where inside a YAML scalar a condition's span lies,
//! cutting the excerpt line, and "did you mean" suggestions.

use std::borrow::Cow;

use super::error::Excerpt;
use super::yaml::Pos;
use crate::syntax::Span;

/// Line and column (1-based, column in characters) of a byte offset.
pub fn pos_at(source: &str, offset: usize) -> Pos {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = source.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
    let line = (before.matches('\n').count() as u64).saturating_add(1);
    let column =
        (before.get(line_start..).map_or(0, |s| s.chars().count()) as u64).saturating_add(1);
    Pos {
        line,
        column,
        offset: Some(offset),
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i = i.saturating_sub(1);
    }
    i
}

/// Where in the file a span of a condition lies, given where the YAML scalar
/// holding the condition starts. Works for plain, quoted and block scalars
/// by aligning the condition's characters with the file's, skipping the
/// quoting, indentation and line breaks YAML adds; if the two cannot be
/// aligned (e.g. escapes), falls back to the scalar's own position.
pub fn pos_in_scalar(source: &str, scalar: Pos, value: &str, span: Span) -> (Pos, usize) {
    let width = value
        .get(span.start..span.end)
        .map_or(1, |s| s.chars().count().max(1));
    let Some(start) = scalar.offset else {
        return (scalar, 1);
    };
    match align(source, start, value, span.start) {
        Some(offset) => (pos_at(source, offset), width),
        None => (scalar, 1),
    }
}

// Walks the file from `start` and the value from 0 together until the value
// reaches `target`, returning the file offset there.
fn align(source: &str, start: usize, value: &str, target: usize) -> Option<usize> {
    let rest = source.get(start..)?;
    let mut file = rest.char_indices().peekable();
    // Just after the value's last visible character, relative to `start`.
    let mut end = 0;
    for (vi, vc) in value.char_indices() {
        loop {
            let (fi, fc) = *file.peek()?;
            if fc == vc {
                if vi == target {
                    return start.checked_add(fi);
                }
                file.next();
                if !vc.is_whitespace() {
                    end = fi.saturating_add(fc.len_utf8());
                }
                break;
            }
            if !is_yaml_filler(fc) {
                return None;
            }
            file.next();
        }
    }
    // The span starts at the end of the value (e.g. "expected … at end"):
    // point just after its last character, not at whatever follows it.
    if target >= value.len() {
        start.checked_add(end)
    } else {
        None
    }
}

fn is_yaml_filler(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '"' | '\'' | '|' | '>' | '-' | '+'
    )
}

/// Characters kept on each side of the caret in an excerpt (the renderer
/// shows at most 100 in all).
const EXCERPT_CONTEXT: usize = 1_000;

/// The excerpt (the line, or a window of it around the caret, plus the
/// caret's place) for a position.
pub fn excerpt(source: &str, pos: Pos, width: usize) -> Option<Excerpt> {
    if pos.line == 0 {
        return None;
    }
    let index = usize::try_from(pos.line.saturating_sub(1)).ok()?;
    let line = source.lines().nth(index)?.trim_end_matches('\r');
    let caret = usize::try_from(pos.column.saturating_sub(1)).ok()?;
    // Keep only a window around the caret: the renderer shows less, and a
    // hostile line of a megabyte must not be copied into every error.
    let from = caret.saturating_sub(EXCERPT_CONTEXT);
    let line_text = line
        .chars()
        .skip(from)
        .take(EXCERPT_CONTEXT.saturating_mul(2))
        .collect();
    Some(Excerpt {
        line_text,
        caret_start: caret.saturating_sub(from),
        caret_len: width.max(1),
    })
}

/// Longest name or value quoted in a message, in characters; longer ones
/// are cut with `…`, so hostile input cannot make a diagnostic huge (the
/// excerpt line is cut by the renderer).
pub const MAX_QUOTED: usize = 80;

/// `text` cut to [`MAX_QUOTED`] characters, marked with `…` if cut.
pub fn clip(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}…", text.get(..end).unwrap_or(text))),
    }
}

/// A message with every `quoted` part [`clip`]ped.
pub fn clip_message(message: &str) -> String {
    let parts: Vec<Cow<str>> = message
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                clip(part)
            } else {
                Cow::Borrowed(part)
            }
        })
        .collect();
    parts.join("`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_spans_map_into_quoted_and_block_scalars() {
        let src = "when: \"a and bb\"\n";
        let scalar = pos_at(src, 6);
        let (p, w) = pos_in_scalar(src, scalar, "a and bb", Span::new(6, 8));
        assert_eq!((p.line, p.column, w), (1, 14, 2));

        let src = "when: >\n  a and\n  bb\n";
        let scalar = pos_at(src, 6);
        let (p, _) = pos_in_scalar(src, scalar, "a and bb\n", Span::new(6, 8));
        assert_eq!((p.line, p.column), (3, 3));
    }
}
