//! Per-file error collection: every check of a file pushes its errors here,
//! located, and the file is accepted only if none were pushed.

use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use super::locate::{clip, clip_message, excerpt, pos_in_scalar};
use super::yaml::{self, Pos};
use crate::model::suggest;
use crate::syntax::{Date, ParseError, Span};

/// Most errors reported for one file. Past it, errors are still counted
/// (so a check knows it failed) but cost nothing to locate precisely, and
/// [`FileCtx::finish`] reports them as one last error saying how many were
/// left out: hostile input (say 50,000 dangling references on one long
/// line) cannot make loading slow or the report huge.
pub const MAX_ERRORS_PER_FILE: usize = 100;

/// The file being loaded, its text, and the errors found so far.
pub struct FileCtx {
    /// The file's path as given.
    pub path: PathBuf,
    /// Its text.
    pub source: String,
    /// Errors found so far.
    pub errors: Vec<LoadError>,
}

/// Which rule and field an error belongs to.
#[derive(Clone, Copy, Default)]
pub struct Within<'a> {
    /// The rule id.
    pub rule: Option<&'a str>,
    /// The field name.
    pub field: Option<&'a str>,
}

impl<'a> Within<'a> {
    /// Inside `field` of no rule.
    pub fn field(field: &'a str) -> Self {
        Within {
            rule: None,
            field: Some(field),
        }
    }

    /// Inside `field` of `rule`.
    pub fn rule(rule: &'a str, field: &'a str) -> Self {
        Within {
            rule: Some(rule),
            field: Some(field),
        }
    }
}

impl FileCtx {
    /// Reads a file through [`read_text`](super::files::read_text), the
    /// one reader of input files: an unreadable, oversized, non-regular or
    /// non-UTF-8 file is an error that quotes none of it.
    #[cfg(feature = "fs")]
    pub fn read(path: &Path) -> Result<FileCtx, LoadErrors> {
        super::files::read_text(path).map(|source| FileCtx::new(path, source))
    }

    /// A context over text already in memory.
    pub fn new(path: &Path, source: String) -> FileCtx {
        FileCtx {
            path: path.to_path_buf(),
            source,
            errors: Vec::new(),
        }
    }

    /// Parses the YAML into a wire type; a failure is recorded and `None`
    /// returned.
    pub fn parse<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        match yaml::parse(&self.source) {
            Ok(doc) => Some(doc),
            Err(e) => {
                let width = self.token_width(e.pos);
                let kind = LoadErrorKind::Yaml {
                    message: e.message,
                    help: e.help,
                };
                self.push(e.pos, width, kind, Within::default());
                None
            }
        }
    }

    /// Records an error at `pos` with a caret `width` characters wide.
    pub fn push(&mut self, pos: Pos, width: usize, mut kind: LoadErrorKind, within: Within) {
        clip_kind(&mut kind);
        let mut error = LoadError::at(self.path.clone(), pos, kind);
        error.rule = within.rule.map(str::to_string);
        error.field = within.field.map(str::to_string);
        if !self.full() {
            error.excerpt = excerpt(&self.source, pos, width);
        }
        self.errors.push(error);
    }

    // Whether MAX_ERRORS_PER_FILE errors are recorded already.
    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS_PER_FILE
    }

    /// Records an error about a spanned value, with the caret under it.
    pub fn push_at<T>(&mut self, at: &Spanned<T>, kind: LoadErrorKind, within: Within) {
        let pos = yaml::pos(at);
        let width = if self.full() {
            1
        } else {
            self.token_width(pos)
        };
        self.push(pos, width, kind, within);
    }

    /// Records an error at a span inside a condition string held by `at`.
    pub fn push_in_condition(
        &mut self,
        at: &Spanned<String>,
        span: Span,
        kind: LoadErrorKind,
        within: Within,
    ) {
        let (pos, width) = if self.full() {
            (yaml::pos(at), 1)
        } else {
            pos_in_scalar(&self.source, yaml::pos(at), &at.value, span)
        };
        self.push(pos, width, kind, within);
    }

    /// Checks a name against the known ones; records "unknown … did you mean".
    pub fn known<'k>(
        &mut self,
        name: &Spanned<String>,
        what: &'static str,
        known: impl Iterator<Item = &'k str> + Clone,
        within: Within,
    ) -> bool {
        if known.clone().any(|k| k == name.value) {
            return true;
        }
        let suggestion = suggest(&name.value, known);
        let kind = LoadErrorKind::Unknown {
            what,
            name: name.value.clone(),
            suggestion,
        };
        self.push_at(name, kind, within);
        false
    }

    /// Parses one of a fixed set of words; records an error otherwise.
    pub fn choice<T: Copy>(
        &mut self,
        value: &Spanned<String>,
        what: &str,
        options: &[(&str, T)],
        within: Within,
    ) -> Option<T> {
        if let Some((_, t)) = options.iter().find(|(name, _)| *name == value.value) {
            return Some(*t);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let kind = LoadErrorKind::NotAllowed {
            what: what.to_string(),
            value: value.value.clone(),
            allowed: names.join(", "),
            suggestion: suggest(&value.value, names.iter().copied()),
        };
        self.push_at(value, kind, within);
        None
    }

    /// Parses a `YYYY-MM-DD` date that exists.
    pub fn date(&mut self, value: &Spanned<String>, within: Within) -> Option<Date> {
        let date = Date::parse(&value.value);
        if date.is_none() {
            let kind = LoadErrorKind::Invalid(format!(
                "`{}` is not a valid date (YYYY-MM-DD, a day that exists)",
                value.value
            ));
            self.push_at(value, kind, within);
        }
        date
    }

    /// Ok with the value if no error was recorded, else every error (the
    /// first [`MAX_ERRORS_PER_FILE`] found, then one saying how many more
    /// there were). Errors come in file order (line, then column).
    pub fn finish<T>(mut self, value: Option<T>) -> Result<T, LoadErrors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => {
                let more = self
                    .errors
                    .split_off(MAX_ERRORS_PER_FILE.min(self.errors.len()));
                self.errors.sort_by_key(|e| (e.line, e.column));
                if let Some(first) = more.first() {
                    let kind = LoadErrorKind::Invalid(format!(
                        "{} more errors in this file are not shown, the first of them here \
                         (at most {MAX_ERRORS_PER_FILE} are reported per file)",
                        more.len()
                    ));
                    let mut error = LoadError::at(self.path.clone(), Pos::default(), kind);
                    error.line = first.line;
                    error.column = first.column;
                    error.rule.clone_from(&first.rule);
                    error.field.clone_from(&first.field);
                    self.errors.push(error);
                }
                Err(LoadErrors(self.errors))
            }
        }
    }

    // The width of the token at `pos`, so the caret underlines all of it.
    fn token_width(&self, pos: Pos) -> usize {
        let Some(rest) = pos.offset.and_then(|o| self.source.get(o..)) else {
            return 1;
        };
        let line = rest.lines().next().unwrap_or("");
        let line = line.split(" #").next().unwrap_or(line);
        // A key or plain value ends at `:` (key), or at `,` `}` `]` in flow style.
        let token = line
            .split([':', ',', '}', ']'])
            .next()
            .unwrap_or(line)
            .trim_end();
        token.chars().count().max(1)
    }
}

// Names and values quoted in a message, cut to a readable length: a
// hostile 60,000-character name is shown by its first characters.
fn clip_kind(kind: &mut LoadErrorKind) {
    let cut = |text: &mut String| {
        if let std::borrow::Cow::Owned(short) = clip(text) {
            *text = short;
        }
    };
    match kind {
        LoadErrorKind::Unknown { name, .. } | LoadErrorKind::DanglingConclusion { name, .. } => {
            cut(name);
        }
        LoadErrorKind::NotAllowed { value, .. } => cut(value),
        LoadErrorKind::Duplicate { id, .. } => cut(id),
        LoadErrorKind::Condition(
            ParseError::TrailingInput { found: text, .. }
            | ParseError::InvalidDate { text, .. }
            | ParseError::IntegerOutOfRange { text, .. },
        ) => cut(text),
        LoadErrorKind::Type(message) | LoadErrorKind::Invalid(message) => {
            *message = clip_message(message);
        }
        _ => {}
    }
}
