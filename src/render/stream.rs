//! `compare`'s output written a case at a time: the same bytes as
//! [`compare_text`](super::compare_text), [`compare_markdown`](super::compare_markdown)
//! or [`compare_json`](super::compare_json) over every case, without holding
//! more than one case's comparison (each carries its full explanations, so
//! a run over thousands of cases would otherwise hold them all).

use super::style::TextStyle;
use super::{View, json, markdown, text};
use crate::compare::Comparison;
use crate::model::Library;

/// The formats of `compare`'s output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareFormat {
    /// Plain text, as [`compare_text`](super::compare_text).
    Text,
    /// Markdown, as [`compare_markdown`](super::compare_markdown).
    Markdown,
    /// One JSON document, as [`compare_json`](super::compare_json).
    Json,
}

/// Writes a comparison of many cases piece by piece: [`CompareStream::start`],
/// then [`CompareStream::case`] for each case in order, then
/// [`CompareStream::finish`]; the pieces concatenated are the whole
/// rendering's text.
///
/// ```
/// use authorship::render::{CompareFormat, CompareStream, View};
///
/// let facts = "facts:\n  a: {type: bool, description: a, question: a?}\nelements: {}\nparties: {}\n";
/// let library = authorship::Library::from_sources([("facts.yaml", facts)]).unwrap();
/// let mut stream = CompareStream::new(CompareFormat::Json, &library, View::Authorities);
/// let text = stream.start() + &stream.finish();
/// let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert_eq!(doc["cases"], serde_json::json!([]));
/// ```
#[derive(Debug)]
pub struct CompareStream<'l> {
    format: CompareFormat,
    library: &'l Library,
    view: View,
    /// Width and colour of the text format.
    style: TextStyle,
    /// How many cases have been written.
    cases: usize,
}

impl<'l> CompareStream<'l> {
    /// A stream in `format` for comparisons made with `library`, by
    /// authority or jurisdiction (`view`; JSON carries both).
    pub fn new(format: CompareFormat, library: &'l Library, view: View) -> CompareStream<'l> {
        CompareStream {
            format,
            library,
            view,
            style: TextStyle::default(),
            cases: 0,
        }
    }

    /// The stream with the text format fitted to `style`'s width and
    /// coloured if it says so (Markdown and JSON are not affected).
    pub fn with_style(mut self, style: TextStyle) -> CompareStream<'l> {
        self.style = style;
        self
    }

    /// What comes before the first case.
    pub fn start(&self) -> String {
        match self.format {
            CompareFormat::Json => json::compare_json_head(&self.library.rulesets),
            CompareFormat::Text | CompareFormat::Markdown => String::new(),
        }
    }

    /// The next case.
    pub fn case(&mut self, c: &Comparison) -> String {
        let out = match self.format {
            CompareFormat::Text => text::compare_text_case(c, self.library, self.view, &self.style),
            CompareFormat::Markdown => markdown::case_markdown(c, self.library, self.view),
            CompareFormat::Json => json::compare_json_case(c, self.cases),
        };
        self.cases = self.cases.saturating_add(1);
        out
    }

    /// What comes after the last case.
    pub fn finish(&self) -> String {
        match self.format {
            CompareFormat::Text => self.style.finish(&text::compare_text_end()),
            CompareFormat::Markdown => markdown::compare_markdown_end(),
            CompareFormat::Json => json::compare_json_tail(self.cases),
        }
    }
}
