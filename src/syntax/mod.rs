//! The condition language: text in, [`Expr`] out.
//!
//! This module knows nothing about YAML, files, facts or rulesets: it turns
//! one condition string into a syntax tree whose every node carries its byte
//! span, or into a [`ParseError`] that points at the offending part. Whether
//! a name is a known fact, and whether types match, is checked later by the
//! model stage.
//!
//! # Grammar (EBNF)
//!
//! ```text
//! condition   = ws or_expr ws EOF ;
//! or_expr     = and_expr { "or" and_expr } ;
//! and_expr    = not_expr { "and" not_expr } ;
//! not_expr    = "not" not_expr | comparison ;
//! comparison  = operand [ cmp_op operand
//!                       | "in" list
//!                       | "not" "in" list ] ;
//! cmp_op      = "==" | "!=" | "<=" | ">=" | "<" | ">" ;
//! operand     = literal | conclusion | fact | "(" or_expr ")" ;
//! list        = "[" literal { "," literal } [ "," ] "]" ;
//! literal     = "true" | "false" | date | integer | string ;
//! date        = digit4 "-" digit2 "-" digit2 ;          (* a day that exists *)
//! integer     = [ "-" ] digit { digit } ;               (* fits in 64 bits *)
//! string      = '"' { char | '\"' | '\\' } '"'
//!             | "'" { char | "\'" | '\\' } "'" ;
//! conclusion  = "@" ident ;
//! fact        = ident ;                                 (* not a keyword *)
//! ident       = ( "a".."z" | "_" ) { "a".."z" | "0".."9" | "_" } ;
//! keyword     = "and" | "or" | "not" | "in" | "true" | "false" ;
//! ```
//!
//! Keywords are lower case and must stand alone (`android` is a fact, not
//! `and` + `roid`). `a and b and c` builds one flat [`Expr::And`] with three
//! operands; parentheses create nesting. Comparisons do not chain.
//!
//! # Limits
//!
//! Hostile input gets an error, never a stack overflow: a condition may be at
//! most [`MAX_LENGTH`] bytes, nest parentheses and `not` at most
//! [`MAX_DEPTH`] levels, and contain at most [`MAX_NODES`] nodes.

pub mod ast;
pub mod error;
mod parser;
mod visit;

pub use ast::{CmpOp, Date, Expr, Literal, Span, SpannedLiteral};
pub use error::ParseError;

/// Longest condition accepted, in bytes.
pub const MAX_LENGTH: usize = 65_536;
/// Deepest nesting of parentheses and `not` accepted.
pub const MAX_DEPTH: usize = 64;
/// Most syntax-tree nodes accepted in one condition.
pub const MAX_NODES: usize = 10_000;

/// Parses one condition.
///
/// ```
/// use authorship::syntax::{parse_condition, Expr};
/// let expr = parse_condition("selected_among_outputs and generation_rounds >= 2").unwrap();
/// assert!(matches!(expr, Expr::And { .. }));
/// assert_eq!(expr.to_string(), "selected_among_outputs and generation_rounds >= 2");
/// ```
pub fn parse_condition(text: &str) -> Result<Expr, ParseError> {
    parser::parse(text)
}
