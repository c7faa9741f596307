//! Making text inert for a terminal: the characters that would act on the
//! screen instead of showing (control characters, ESC and the sequences it
//! starts, bidi overrides and invisible marks) written as visible escapes.
//!
//! Rule files, cases, file names and arguments are text the tool did not
//! write: raw, a title with `ESC[2J` clears the screen and can draw a fake
//! verdict table over the real one, and U+202E reverses what follows. The
//! program passes everything it prints through these functions. The plain
//! text and JSON renderings stay raw, so a library caller decides for
//! itself; the HTML and Markdown escapers show hazards the same way
//! ([`push_visible`]), since their output is often a file that never
//! passes through the program's printing.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character acts on a terminal or on the direction or
/// visibility of text instead of showing as itself: C0 controls other than
/// newline and tab (ESC among them), DEL, C1 controls, the bidi marks,
/// embeddings, overrides and isolates, the line and paragraph separators,
/// and the zero-width no-break space (BOM).
///
/// The zero-width joiner and non-joiner are left alone: emoji sequences
/// and Persian or Indic text need them, and they move nothing.
pub fn is_hazard(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true,                  // C0, DEL and C1
        '\u{061c}' | '\u{200e}' | '\u{200f}' => true, // ALM, LRM, RLM
        '\u{2028}' | '\u{2029}' => true,              // line and paragraph separators
        '\u{202a}'..='\u{202e}' => true,              // embeddings and overrides
        '\u{2066}'..='\u{2069}' => true,              // isolates
        '\u{feff}' => true,                           // zero-width no-break space
        _ => false,
    }
}

/// The text with every [hazard](is_hazard) written as a Rust-style escape,
/// `\u{1b}` for ESC, `\u{202e}` for RIGHT-TO-LEFT OVERRIDE: visible, and
/// naming the character. Text without one is returned as is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_with(text, push_visible)
}

/// Appends the visible escape of one character, `\u{1b}` for ESC: what
/// [`escape_controls`] writes for a hazard, for escapers of other formats
/// (HTML, Markdown) that show hazards the same way.
pub fn push_visible(c: char, out: &mut String) {
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// Serialized JSON with every [hazard](is_hazard) written as a JSON escape,
/// `\u001b` or `\u202e`: still valid JSON, meaning the same strings.
///
/// `json` must be a JSON text as `serde_json` writes it. Outside strings
/// such a text has only spaces, newlines and structure, so every hazard
/// found is inside a string, where `\uXXXX` stands for it (all hazards
/// are in the Basic Multilingual Plane, one escape each).
pub fn escape_controls_json(json: &str) -> Cow<'_, str> {
    escape_with(json, |c, out| {
        let _ = write!(out, "\\u{:04x}", u32::from(c));
    })
}

/// Copies `text`, writing each hazard with `escape`; borrows when there is
/// none (the usual case, checked first).
fn escape_with(text: &str, escape: impl Fn(char, &mut String)) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(16));
    for c in text.chars() {
        if is_hazard(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_unchanged_and_borrowed() {
        for text in [
            "",
            "plain ASCII, with\ttabs and\nnewlines",
            "é, 中文, «guillemets», — dashes, ’quotes’, Ελληνικά, עברית, العربية",
            "emoji 👩‍💻 with a zero-width joiner, and a non‑breaking hyphen",
            "box drawing ────── │ and ✓ ✗ →",
        ] {
            assert!(matches!(escape_controls(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(escape_controls_json(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn hazards_are_shown_as_escapes() {
        assert_eq!(
            escape_controls("a\u{1b}[2J\rb\u{7}c\u{7f}\u{85}\u{9b}"),
            "a\\u{1b}[2J\\u{d}b\\u{7}c\\u{7f}\\u{85}\\u{9b}"
        );
        assert_eq!(
            escape_controls(
                "\u{61c}\u{200e}\u{200f}\u{202a}\u{202e}\u{2066}\u{2069}\u{2028}\u{2029}\u{feff}\0"
            ),
            "\\u{61c}\\u{200e}\\u{200f}\\u{202a}\\u{202e}\\u{2066}\\u{2069}\\u{2028}\\u{2029}\\u{feff}\\u{0}"
        );
    }

    #[test]
    fn every_hazard_is_named_and_nothing_else_is() {
        let hazards: Vec<u32> = (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|&c| is_hazard(c))
            .map(u32::from)
            .collect();
        let mut expected: Vec<u32> = (0..0x20).filter(|&c| c != 0x0a && c != 0x09).collect();
        expected.extend(0x7f..=0x9f);
        expected.extend([0x61c, 0x200e, 0x200f, 0x2028, 0x2029]);
        expected.extend(0x202a..=0x202e);
        expected.extend(0x2066..=0x2069);
        expected.push(0xfeff);
        assert_eq!(hazards, expected);
    }

    #[test]
    fn json_escapes_keep_the_json_and_its_meaning() {
        let original = "t\u{1b}[2J\r\u{7} \u{202e}x\u{85}\u{7f}\u{2028}é";
        let json = serde_json::to_string(&serde_json::json!({ "title": original })).unwrap();
        let escaped = escape_controls_json(&json);
        assert!(!escaped.chars().any(is_hazard), "{escaped}");
        assert!(escaped.contains("\\u202e") && escaped.contains("\\u0085"));
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["title"], original);
    }
}
