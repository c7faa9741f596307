//! Handouts (stub, replaced next).

use crate::model::{Case, Library};
use crate::syntax::Date;

/// How to build a handout.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Take the law as of this date.
    pub as_of: Option<Date>,
    /// Class mode: outcomes left blank, answer key appended.
    pub hide_outcomes: bool,
}

/// A Markdown handout.
pub fn report_markdown(_cases: &[Case], _library: &Library, _o: &ReportOptions) -> String {
    String::new()
}

/// An HTML handout.
pub fn report_html(_cases: &[Case], _library: &Library, _o: &ReportOptions) -> String {
    String::new()
}
