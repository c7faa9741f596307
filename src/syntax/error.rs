//! Errors of the condition parser. Every variant carries the span it is
//! about, so a diagnostic can put a caret under it.

use thiserror::Error;

use super::ast::Span;

/// Why a condition string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Something else was expected here. Triggered by `a and`, `(a`, `a ==`,
    /// or an empty condition.
    #[error("expected {expected}")]
    Expected {
        /// Where the parser stopped.
        span: Span,
        /// What would have been accepted, e.g. "a fact, a literal, `@conclusion` or `(`".
        expected: &'static str,
    },
    /// An operator this language does not have. Triggered by `a && b`,
    /// `a = b`, `!a`.
    #[error("unknown operator `{found}`; use `{instead}`")]
    UnknownOperator {
        /// The operator text.
        span: Span,
        /// What was written.
        found: String,
        /// What to write instead.
        instead: &'static str,
    },
    /// Input left over after a complete condition. Triggered by `a b`, `a)`,
    /// `a == 1 == 2`.
    #[error("unexpected `{found}` after a complete condition")]
    TrailingInput {
        /// The leftover text.
        span: Span,
        /// The first token of it.
        found: String,
    },
    /// A string literal with no closing quote. Triggered by `x == "human`.
    #[error("unterminated string literal")]
    UnterminatedString {
        /// From the opening quote to the end of input.
        span: Span,
    },
    /// A date literal for a day that does not exist. Triggered by `2023-02-30`.
    #[error("`{text}` is not a valid date (YYYY-MM-DD, a day that exists)")]
    InvalidDate {
        /// The date literal.
        span: Span,
        /// Its text.
        text: String,
    },
    /// An integer literal outside the 64-bit range. Triggered by
    /// `x > 99999999999999999999`.
    #[error("integer `{text}` is out of range")]
    IntegerOutOfRange {
        /// The literal.
        span: Span,
        /// Its text.
        text: String,
    },
    /// A character that cannot start any token, e.g. a non-ASCII identifier
    /// (`prompt_wörds`) or a stray `#`.
    #[error("unexpected character `{found}`")]
    UnexpectedChar {
        /// The character.
        span: Span,
        /// The character as text.
        found: char,
    },
    /// Parentheses or `not` nested deeper than the published limit.
    /// Triggered by 65 nested `(`.
    #[error("condition nested deeper than {limit} levels")]
    TooDeep {
        /// The token that went one level too deep.
        span: Span,
        /// The limit ([`super::MAX_DEPTH`]).
        limit: usize,
    },
    /// More nodes than the published limit. Triggered by a chain of more
    /// than 10,000 terms.
    #[error("condition has more than {limit} terms")]
    TooManyNodes {
        /// Where the limit was passed.
        span: Span,
        /// The limit ([`super::MAX_NODES`]).
        limit: usize,
    },
    /// A condition string longer than the published limit; rejected before
    /// parsing starts.
    #[error("condition is {len} bytes long; the limit is {limit}")]
    TooLong {
        /// The whole input.
        span: Span,
        /// Its length in bytes.
        len: usize,
        /// The limit ([`super::MAX_LENGTH`]).
        limit: usize,
    },
}

impl ParseError {
    /// The span the error points at.
    pub fn span(&self) -> Span {
        match self {
            ParseError::Expected { span, .. }
            | ParseError::UnknownOperator { span, .. }
            | ParseError::TrailingInput { span, .. }
            | ParseError::UnterminatedString { span }
            | ParseError::InvalidDate { span, .. }
            | ParseError::IntegerOutOfRange { span, .. }
            | ParseError::UnexpectedChar { span, .. }
            | ParseError::TooDeep { span, .. }
            | ParseError::TooManyNodes { span, .. }
            | ParseError::TooLong { span, .. } => *span,
        }
    }
}
