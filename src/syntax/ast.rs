//! The condition language's abstract syntax tree.
//!
//! Every node carries the byte [`Span`] of the text it was parsed from, so a
//! later stage (type checking, evaluation traces, diagnostics) can point back
//! at the exact part of the condition string. This module knows nothing about
//! facts, rulesets or YAML.

use std::fmt;

use serde::Serialize;

/// A byte range `start..end` into the condition string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A calendar date, validated when parsed (no 30 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Date {
    /// Year, 1..=9999.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, valid for that month and year.
    pub day: u8,
}

impl Date {
    /// Builds a date if it exists on the proleptic Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`; `None` if malformed or the day does not exist.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.get(4) == Some(&b'-')
            && bytes.get(7) == Some(&b'-')
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return None;
        }
        let year = text.get(0..4)?.parse().ok()?;
        let month = text.get(5..7)?.parse().ok()?;
        let day = text.get(8..10)?.parse().ok()?;
        Date::new(year, month, day)
    }
}

impl Date {
    /// The next day, if there is one before year 10000.
    pub fn succ(&self) -> Option<Date> {
        Date::new(self.year, self.month, self.day.saturating_add(1))
            .or_else(|| Date::new(self.year, self.month.saturating_add(1), 1))
            .or_else(|| Date::new(self.year.checked_add(1)?, 1, 1))
    }

    /// The day before, if there is one after year 0.
    pub fn pred(&self) -> Option<Date> {
        if self.day > 1 {
            return Date::new(self.year, self.month, self.day.saturating_sub(1));
        }
        if self.month > 1 {
            let m = self.month.saturating_sub(1);
            return Date::new(self.year, m, days_in_month(self.year, m));
        }
        Date::new(self.year.checked_sub(1)?, 12, 31)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A literal value written in a condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
#[serde(untagged)]
pub enum Literal {
    /// `true` or `false`.
    Bool(bool),
    /// A decimal integer such as `4` or `-1`.
    Int(i64),
    /// A quoted string such as `"human"`.
    Str(String),
    /// A date such as `2023-02-21`.
    Date(Date),
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Str(s) => write_quoted(f, s),
            Literal::Date(d) => write!(f, "{d}"),
        }
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// Whether `a op b` holds, given how `a` compares with `b`.
    pub fn holds(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering;
        match self {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// Whether the operator needs an ordered type (integer or date).
    pub fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }
}

/// A literal together with where it was written (used in `in [..]` lists).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct SpannedLiteral {
    /// Where the literal was written.
    pub span: Span,
    /// The literal.
    pub value: Literal,
}

/// A condition expression. `and`/`or` chains are flat (n-ary), so a long
/// chain costs no recursion depth.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub enum Expr {
    /// A literal, e.g. `true`, `4`, `"human"`, `2023-02-21`.
    Literal {
        /// Where it was written.
        span: Span,
        /// The value.
        value: Literal,
    },
    /// A reference to a fact of the case, e.g. `selected_among_outputs`.
    Fact {
        /// Where it was written.
        span: Span,
        /// The fact's name.
        name: String,
    },
    /// A reference to a conclusion derived by other rules, e.g. `@originality`.
    Conclusion {
        /// Where it was written (including the `@`).
        span: Span,
        /// The conclusion's name, without the `@`.
        name: String,
    },
    /// `not operand`.
    Not {
        /// The whole `not …` text.
        span: Span,
        /// The negated expression.
        operand: Box<Expr>,
    },
    /// `a and b and …` (two or more operands).
    And {
        /// The whole chain.
        span: Span,
        /// The operands, in written order.
        operands: Vec<Expr>,
    },
    /// `a or b or …` (two or more operands).
    Or {
        /// The whole chain.
        span: Span,
        /// The operands, in written order.
        operands: Vec<Expr>,
    },
    /// `lhs op rhs`.
    Compare {
        /// The whole comparison.
        span: Span,
        /// The operator.
        op: CmpOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `operand in [..]` or `operand not in [..]`.
    In {
        /// The whole membership test.
        span: Span,
        /// `true` for `not in`.
        negated: bool,
        /// The tested expression.
        operand: Box<Expr>,
        /// The listed literals (at least one).
        list: Vec<SpannedLiteral>,
    },
}

impl Expr {
    /// The span of this node.
    pub fn span(&self) -> Span {
        match self {
            Expr::Literal { span, .. }
            | Expr::Fact { span, .. }
            | Expr::Conclusion { span, .. }
            | Expr::Not { span, .. }
            | Expr::And { span, .. }
            | Expr::Or { span, .. }
            | Expr::Compare { span, .. }
            | Expr::In { span, .. } => *span,
        }
    }

    /// Binding strength used by the printer: higher binds tighter.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Or { .. } => 1,
            Expr::And { .. } => 2,
            Expr::Not { .. } => 3,
            Expr::Compare { .. } | Expr::In { .. } => 4,
            _ => 5,
        }
    }
}

/// Prints the canonical form: single spaces, `and`/`or`/`not` keywords, and
/// parentheses only where precedence needs them. Parsing the printed text
/// gives back the same tree (up to spans).
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Literal { value, .. } => write!(f, "{value}"),
            Expr::Fact { name, .. } => f.write_str(name),
            Expr::Conclusion { name, .. } => write!(f, "@{name}"),
            Expr::Not { operand, .. } => {
                f.write_str("not ")?;
                write_child(f, operand, 3)
            }
            Expr::And { operands, .. } => write_chain(f, operands, " and ", 2),
            Expr::Or { operands, .. } => write_chain(f, operands, " or ", 1),
            Expr::Compare { op, lhs, rhs, .. } => {
                write_child(f, lhs, 5)?;
                write!(f, " {} ", op.symbol())?;
                write_child(f, rhs, 5)
            }
            Expr::In {
                negated,
                operand,
                list,
                ..
            } => {
                write_child(f, operand, 5)?;
                f.write_str(if *negated { " not in [" } else { " in [" })?;
                for (i, item) in list.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", item.value)?;
                }
                f.write_str("]")
            }
        }
    }
}

fn write_chain(f: &mut fmt::Formatter<'_>, items: &[Expr], sep: &str, prec: u8) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        // Same-precedence children are parenthesised: a nested chain of the
        // same kind only arises from explicit parentheses in the source.
        write_child(f, item, prec.saturating_add(1))?;
    }
    Ok(())
}

fn write_child(f: &mut fmt::Formatter<'_>, child: &Expr, min_prec: u8) -> fmt::Result {
    if child.precedence() < min_prec {
        write!(f, "({child})")
    } else {
        write!(f, "{child}")
    }
}
