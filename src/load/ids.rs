//! The shape of every id the files define, one rule per kind of id, shared
//! by the loader (which refuses any other at its line and column) and the
//! JSON Schemas (whose `pattern`s are these rules written as regexes).
//!
//! Ids are ASCII so that no two look alike (`humаn` with a Cyrillic `а`
//! beside `human`), none hides a character (an escape that clears the
//! screen, a bidi override that reorders the line, a trailing space), and
//! each can be typed in a condition, on a command line or in a URL.
//! References to ids (a rule's `source`, a case's fact names) need no rule
//! of their own: they must name an id that was defined.

use serde_saphyr::Spanned;

use super::context::{FileCtx, Within};
use super::error::LoadErrorKind;
use crate::model::bibliography::{TAGS, is_key};

/// The words of the condition language, which no name may be.
pub(crate) const KEYWORDS: [&str; 6] = ["and", "or", "not", "in", "true", "false"];

/// The kinds of id, each with its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// What a condition names or compares with: facts, elements, parties,
    /// issues, enum values and conclusions (`holds`). lower_snake_case,
    /// as the condition language's identifiers, and not a keyword.
    Name,
    /// Rulesets (a file name too), rules, sources and variants: lower case,
    /// digits, `-` and `_`, from a letter (`example-court`).
    Slug,
    /// Jurisdictions: upper case, digits, `-` and `_`, from a letter (`US`).
    Code,
    /// Bibliography keys: upper case and digits in runs joined by single
    /// hyphens, from a letter, at least two characters, not a confidence
    /// tag (`NLR-LL`).
    Key,
}

impl Shape {
    /// The rule as a JSON Schema (ECMA 262) regex; keywords and tags are
    /// excluded separately (see [`Shape::excluded`]).
    pub(crate) const fn pattern(self) -> &'static str {
        match self {
            Shape::Name => "^[a-z_][a-z0-9_]*$",
            Shape::Slug => "^[a-z][a-z0-9_-]*$",
            Shape::Code => "^[A-Z][A-Z0-9_-]*$",
            Shape::Key => "^[A-Z](-?[A-Z0-9])+$",
        }
    }

    /// The words of the right shape that are still not ids of this kind.
    pub(crate) const fn excluded(self) -> &'static [&'static str] {
        match self {
            Shape::Name => &KEYWORDS,
            Shape::Key => &TAGS,
            Shape::Slug | Shape::Code => &[],
        }
    }

    /// The rule in words, for messages.
    fn rule(self) -> &'static str {
        match self {
            Shape::Name => {
                "use lower_snake_case ASCII: a-z, 0-9 and _, not starting with a digit, \
                 and not a keyword (and, or, not, in, true, false)"
            }
            Shape::Slug => "use lower-case ASCII: a-z, 0-9, - and _, starting with a letter",
            Shape::Code => "use upper-case ASCII: A-Z, 0-9, - and _, starting with a letter",
            Shape::Key => {
                "use upper-case ASCII letters and digits, joined by single hyphens, \
                 starting with a letter; at least two characters, and not a tag"
            }
        }
    }

    fn first(self, c: char) -> bool {
        match self {
            Shape::Name => c.is_ascii_lowercase() || c == '_',
            Shape::Slug => c.is_ascii_lowercase(),
            Shape::Code | Shape::Key => c.is_ascii_uppercase(),
        }
    }

    fn rest(self, c: char) -> bool {
        match self {
            Shape::Name => c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_',
            Shape::Slug => c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_',
            Shape::Code => c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_',
            Shape::Key => c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-',
        }
    }

    /// What is wrong with `id`, in words; `None` if nothing is.
    fn problem(self, id: &str) -> Option<String> {
        let mut chars = id.chars();
        let Some(first) = chars.next() else {
            return Some("it is empty".to_string());
        };
        if let Some(c) = id.chars().find(|&c| !self.rest(c)) {
            return Some(format!("it contains {}", describe(c)));
        }
        if !self.first(first) {
            return Some(format!("it starts with {}", describe(first)));
        }
        if self.excluded().contains(&id) {
            return Some(match self {
                Shape::Key => "it is a confidence tag".to_string(),
                _ => "it is a keyword of the condition language".to_string(),
            });
        }
        if self == Shape::Key && !is_key(id) {
            return Some(if chars.next().is_none() {
                "it is a single character".to_string()
            } else {
                "a hyphen must join two runs of letters or digits".to_string()
            });
        }
        None
    }
}

/// `id` as a message shows it: every character that is not printable ASCII
/// written as an escape (`hum\u{430}n`), so that a look-alike or a hidden
/// character is seen for what it is.
pub(crate) fn shown(id: &str) -> String {
    crate::model::visible(&super::locate::clip(id))
}

// One character in words: a space, a control character, a character that
// is not ASCII (each by its code point), or the character itself.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_ascii_control() => format!("the control character U+{:04X}", u32::from(c)),
        c if !c.is_ascii() => format!("the non-ASCII character U+{:04X}", u32::from(c)),
        c if c.is_ascii_uppercase() => format!("the upper-case letter `{c}`"),
        c if c.is_ascii_lowercase() => format!("the lower-case letter `{c}`"),
        c => format!("`{c}`"),
    }
}

/// Checks that `id` has `shape`; if not, records an error at it naming
/// `what` it is ("fact id", "enum value") and why it is refused.
/// Returns whether it has.
pub(crate) fn check(
    ctx: &mut FileCtx,
    id: &Spanned<String>,
    shape: Shape,
    what: &str,
    within: Within,
) -> bool {
    let Some(problem) = shape.problem(&id.value) else {
        return true;
    };
    let kind = LoadErrorKind::BadId {
        what: what.to_string(),
        id: shown(&id.value),
        problem,
        rule: shape.rule(),
    };
    ctx.push_at(id, kind, within);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPES: [Shape; 4] = [Shape::Name, Shape::Slug, Shape::Code, Shape::Key];

    impl Shape {
        fn accepts(self, id: &str) -> bool {
            self.problem(id).is_none()
        }
    }

    #[test]
    fn shipped_shapes_are_accepted() {
        for (shape, ids) in [
            (Shape::Name, &["human", "ai_system", "_x", "s9_3"][..]),
            (
                Shape::Slug,
                &["example-court", "ai-material", "s9-3", "a_b"],
            ),
            (Shape::Code, &["US", "EU", "XX", "A1"]),
            (Shape::Key, &["NLR-LL", "GOD", "DLA-BC", "A1-B2"]),
        ] {
            for id in ids {
                assert!(shape.accepts(id), "{shape:?} {id}");
            }
        }
    }

    #[test]
    fn impostors_are_refused_by_every_shape() {
        for shape in SHAPES {
            for id in [
                "",
                "humаn",
                "HUMАN",
                "a b",
                "a\u{1b}b",
                "a\u{202e}b",
                "a\u{feff}",
            ] {
                assert!(!shape.accepts(id), "{shape:?} {id:?}");
            }
        }
        for id in ["and", "true", "9lives", "Human", "a-b"] {
            assert!(!Shape::Name.accepts(id), "{id}");
        }
        for id in ["-a", "9a", "_a", "A", "a@b", "a.b"] {
            assert!(!Shape::Slug.accepts(id), "{id}");
        }
        for id in ["A", "A-", "A--B", "-AB", "S1", "P", "UNCONFIRMED"] {
            assert!(!Shape::Key.accepts(id), "{id}");
        }
    }

    #[test]
    fn hidden_characters_are_shown_as_escapes() {
        assert_eq!(shown("humаn"), "hum\\u{430}n");
        assert_eq!(shown("e\u{1b}[2J"), "e\\u{1b}[2J");
        assert_eq!(shown("human "), "human ");
        assert_eq!(
            Shape::Name.problem("human ").as_deref(),
            Some("it contains a space")
        );
        assert_eq!(
            Shape::Name.problem("humаn").as_deref(),
            Some("it contains the non-ASCII character U+0430")
        );
    }
}
