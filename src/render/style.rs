//! How plain text is laid out for a reader: the width lines are fitted to,
//! whether verdicts are coloured, and verdicts in words.
//!
//! The renderers never look at a terminal: the caller (the command line)
//! decides the width and the colour and passes them in a [`TextStyle`].
//! The default, no width and no colour, is the text as a pipe or a file
//! gets it, every line whole.
//!
//! Colour is added last, by [`TextStyle::finish`], to text already made
//! inert ([`escape_controls`]): the only escape sequences in coloured
//! output are the colour codes of [`paint`]'s own table, never anything a
//! rule or case file wrote.

use unicode_width::UnicodeWidthChar;

use super::inert::escape_controls;
use crate::model::Verdict;

/// Width and colour of a text rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextStyle {
    /// Fit every line to this many columns (tables rearranged, prose
    /// wrapped with a hanging indent, a word too long for the line
    /// broken); `None` leaves each line whole.
    pub width: Option<usize>,
    /// Colour verdicts with ANSI colour codes. The text is then returned
    /// already inert (see the module's documentation), to be written as is.
    pub color: bool,
}

/// The narrowest width honoured: below it a table cannot show a verdict.
pub const MIN_WIDTH: usize = 30;

impl TextStyle {
    /// The width to fit to, if any, never under [`MIN_WIDTH`].
    pub fn width(&self) -> Option<usize> {
        self.width.map(|w| w.max(MIN_WIDTH))
    }

    /// A rendering's text fitted to the width, then, when colour is on,
    /// made inert and painted.
    pub fn finish(&self, text: &str) -> String {
        let fitted = match self.width() {
            Some(w) => fit(text, w),
            None => text.to_string(),
        };
        if self.color {
            paint(&escape_controls(&fitted))
        } else {
            fitted
        }
    }
}

/// A verdict as a reader writes it: "not protected", not `not_protected`
/// (the JSON keeps the ids).
pub fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::Protected => "protected",
        Verdict::PartiallyProtected => "partially protected",
        Verdict::NotProtected => "not protected",
        Verdict::Undetermined => "undetermined",
        Verdict::NotAddressed => "not addressed",
    }
}

/// Each line longer than `width` columns wrapped, its continuation lines
/// indented four columns more than its own indent (a hanging indent).
/// Lines that fit, tables among them, are left alone.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent: String = body.chars().take_while(|c| *c == ' ').collect();
        let hanging = format!("{indent}    ");
        // An indent that leaves no room for text is dropped rather than
        // pushing every word past the line's end.
        let hanging = if hanging.len().saturating_add(12) > width {
            String::new()
        } else {
            hanging
        };
        let options = textwrap::Options::new(width)
            .initial_indent(&indent)
            .subsequent_indent(&hanging)
            .break_words(true)
            // Ids have hyphens; a line broken at one reads as two ids.
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for piece in textwrap::wrap(body.trim_start_matches(' '), &options) {
            out.push_str(piece.trim_end());
            out.push('\n');
        }
        if !line.ends_with('\n') {
            out.pop();
        }
    }
    out
}

const RESET: &str = "\x1b[0m";

/// The colour of a verdict: protected green, not protected red, partially
/// protected and undetermined yellow, not addressed dim. The word is always
/// there too; colour only repeats it.
fn colour(v: Verdict) -> &'static str {
    match v {
        Verdict::Protected => "\x1b[32m",
        Verdict::NotProtected => "\x1b[31m",
        Verdict::PartiallyProtected | Verdict::Undetermined => "\x1b[33m",
        Verdict::NotAddressed => "\x1b[2m",
    }
}

/// Verdicts longest first, so that "not protected" is not read as "not".
fn verdicts_longest_first() -> [Verdict; 5] {
    let mut all = Verdict::ALL;
    all.sort_by_key(|v| std::cmp::Reverse(verdict_words(*v).len()));
    all
}

/// Colour codes added around the verdicts of inert text: in a table's
/// verdict column (the column headed `verdict`, from the rule under the
/// header to the next blank line) and after `verdict: ` or `verdict now: `
/// or `→ ` at the start of a line. A file's text that happens to look the
/// same is coloured too, which is harmless: colour codes are the only
/// thing added.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len().saturating_add(64));
    let mut column: Option<usize> = None;
    let mut previous = "";
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.trim().is_empty() {
            column = None;
        } else if body.starts_with('─') && body.trim_end_matches('─').is_empty() {
            column = previous.find("verdict").filter(|_| previous.is_ascii());
        }
        let painted = match column {
            Some(col) if !body.starts_with('─') => paint_at(body, col),
            _ => paint_after_label(body),
        };
        match painted {
            Some(p) => {
                out.push_str(&p);
                out.push_str(line.get(body.len()..).unwrap_or_default());
            }
            None => out.push_str(line),
        }
        previous = body;
    }
    out
}

/// The line with the verdict that starts at display column `col` coloured.
fn paint_at(line: &str, col: usize) -> Option<String> {
    let mut seen = 0usize;
    let start = line.char_indices().find_map(|(i, c)| {
        let here = seen;
        seen = seen.saturating_add(c.width().unwrap_or(0));
        (here >= col).then_some(i)
    })?;
    let (before, rest) = line.split_at(start);
    painted_verdict(rest).map(|p| format!("{before}{p}"))
}

/// A line that begins, after its indent, with a verdict label.
fn paint_after_label(line: &str) -> Option<String> {
    let indent = line.len().saturating_sub(line.trim_start().len());
    let (lead, rest) = line.split_at(indent);
    ["verdict: ", "verdict now: ", "→ "]
        .iter()
        .find_map(|label| {
            let after = rest.strip_prefix(label)?;
            painted_verdict(after).map(|p| format!("{lead}{label}{p}"))
        })
}

/// `text` with the verdict it starts with coloured, if it starts with one
/// followed by the end, a space or punctuation.
fn painted_verdict(text: &str) -> Option<String> {
    verdicts_longest_first().into_iter().find_map(|v| {
        let words = verdict_words(v);
        let after = text.strip_prefix(words)?;
        let ends = after
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == ',' || c == '.' || c == ';' || c == '(');
        ends.then(|| format!("{}{words}{RESET}{after}", colour(v)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_with_a_hanging_indent_and_long_words_break() {
        let text = "  why: one two three four five six seven eight nine\nshort\n";
        let fitted = fit(text, 20);
        assert_eq!(
            fitted,
            "  why: one two three\n      four five six\n      seven eight\n      nine\nshort\n"
        );
        let word = fit(&"x".repeat(45), 20);
        assert!(word.lines().all(|l| l.chars().count() <= 20), "{word}");
    }

    #[test]
    fn the_verdict_column_and_labels_are_painted_and_nothing_else() {
        let text = "ruleset  verdict        author\n─────────────────\nab       not protected  none\nc        protected      x\n\nverdict: undetermined\nprotected by law\n";
        let painted = paint(text);
        assert!(painted.contains("ab       \x1b[31mnot protected\x1b[0m  none"));
        assert!(painted.contains("c        \x1b[32mprotected\x1b[0m      x"));
        assert!(painted.contains("verdict: \x1b[33mundetermined\x1b[0m"));
        assert!(painted.contains("\nprotected by law\n"));
    }

    #[test]
    fn file_text_is_inert_before_colour_is_added() {
        let style = TextStyle {
            width: None,
            color: true,
        };
        let out = style.finish("title \x1b[2J\nverdict: protected\n");
        assert!(out.contains("title \\u{1b}[2J"));
        assert_eq!(out.matches('\x1b').count(), 2);
    }
}
