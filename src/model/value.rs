//! The fact-value table: the kinds of fact type with the names files use
//! for them, and the one check that turns a value as written — in YAML, on
//! the command line (`--set`), in the web API's JSON or in a batch record —
//! into a value of the fact's type. Every input goes through
//! [`FactType::check`], so they all accept the same values and word their
//! refusals alike.
//!
//! Adding a fact type means a variant here and in [`FactType`], its arm in
//! [`FactType::check`], and its evaluation.

use std::fmt;

use super::vocab::{FactDef, FactType, FactValue, Vocabulary};
use crate::syntax::Date;

/// The kinds of fact type, as `facts.yaml` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// `true` / `false`.
    Bool,
    /// A whole number, optionally bounded.
    Integer,
    /// One of a fixed set of values.
    Enum,
    /// A calendar date.
    Date,
    /// Free text.
    Text,
}

impl FactKind {
    /// Every kind, in the order files and messages list them.
    pub const ALL: [FactKind; 5] = [
        FactKind::Bool,
        FactKind::Integer,
        FactKind::Enum,
        FactKind::Date,
        FactKind::Text,
    ];

    /// The kind's name as written in `facts.yaml` (and in the web API).
    pub fn name(self) -> &'static str {
        match self {
            FactKind::Bool => "bool",
            FactKind::Integer => "integer",
            FactKind::Enum => "enum",
            FactKind::Date => "date",
            FactKind::Text => "text",
        }
    }
}

/// A fact value as written, before it is checked against the fact's type.
/// `Null` means "stated unknown".
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `null` or `~`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A decimal number (never a valid fact value; kept so the error can be
    /// reported with the others instead of stopping the parse).
    Float(f64),
    /// Any string (dates and enum values arrive as strings).
    Str(String),
}

impl Scalar {
    /// A borrowed view, for [`FactType::check`].
    pub fn as_ref(&self) -> ScalarRef<'_> {
        match self {
            Scalar::Null => ScalarRef::Null,
            Scalar::Bool(b) => ScalarRef::Bool(*b),
            Scalar::Int(i) => ScalarRef::Int(*i),
            Scalar::Float(f) => ScalarRef::Float(*f),
            Scalar::Str(s) => ScalarRef::Str(s),
        }
    }
}

/// A [`Scalar`] that borrows its string, so readers that parse in place
/// (batch) check values without copying them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScalarRef<'a> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A decimal number.
    Float(f64),
    /// A string.
    Str(&'a str),
}

/// A value that passed its fact's type: what a reader stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked<'a> {
    /// A boolean.
    Bool(bool),
    /// An integer within the fact's bounds.
    Int(i64),
    /// An enum value, by its index in the fact's declared values.
    Enum(usize),
    /// A date that exists.
    Date(Date),
    /// A text.
    Text(&'a str),
}

/// Why a value does not fit its fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// The value is of another type (a string for a boolean, say): inputs
    /// with typed values of their own (JSON) may word this their own way.
    WrongType(String),
    /// Of the right type but not allowed: not an enum value, out of range,
    /// a date that does not exist.
    Invalid(String),
}

impl ValueError {
    /// The message.
    pub fn message(&self) -> &str {
        match self {
            ValueError::WrongType(m) | ValueError::Invalid(m) => m,
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl From<ValueError> for String {
    fn from(e: ValueError) -> String {
        match e {
            ValueError::WrongType(m) | ValueError::Invalid(m) => m,
        }
    }
}

impl FactType {
    /// The kind of type.
    pub fn kind(&self) -> FactKind {
        match self {
            FactType::Bool => FactKind::Bool,
            FactType::Integer { .. } => FactKind::Integer,
            FactType::Enum { .. } => FactKind::Enum,
            FactType::Date => FactKind::Date,
            FactType::Text => FactKind::Text,
        }
    }

    /// The type's name as written in `facts.yaml`.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Checks a value as written against this type (of fact `fact`, named
    /// in the messages).
    pub fn check<'a>(&self, fact: &str, value: ScalarRef<'a>) -> Result<Checked<'a>, ValueError> {
        match (self, value) {
            (FactType::Bool, ScalarRef::Bool(b)) => Ok(Checked::Bool(b)),
            (FactType::Integer { min, max }, ScalarRef::Int(i)) => {
                in_range(fact, i, *min, *max).map(Checked::Int)
            }
            (FactType::Enum { values }, ScalarRef::Str(s)) => values
                .iter()
                .position(|(v, _)| v == s)
                .map(Checked::Enum)
                .ok_or_else(|| {
                    let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
                    ValueError::Invalid(format!(
                        "`{}` is not a value of fact `{fact}`; expected one of: {}",
                        visible(s),
                        names.join(", ")
                    ))
                }),
            (FactType::Date, ScalarRef::Str(s)) => {
                Date::parse(s).map(Checked::Date).ok_or_else(|| {
                    ValueError::Invalid(format!(
                        "`{s}` is not a valid date (YYYY-MM-DD, a day that exists)"
                    ))
                })
            }
            (FactType::Text, ScalarRef::Str(s)) => Ok(Checked::Text(s)),
            (FactType::Integer { .. }, ScalarRef::Str(s)) if without_leading_zeros(s).is_some() => {
                Err(ValueError::WrongType(format!(
                    "fact `{fact}` is a whole number written without leading zeros: `{}`, not \
                     `{s}` (YAML readers disagree on what a leading zero means)",
                    without_leading_zeros(s).unwrap_or_default()
                )))
            }
            (ty, ScalarRef::Str(s)) if quoted_by_mistake(ty, s) => {
                Err(ValueError::WrongType(format!(
                    "fact `{fact}` is {}, not the text `\"{s}\"`: write it without quotes",
                    ty.describe()
                )))
            }
            (ty, v) => Err(ValueError::WrongType(format!(
                "fact `{fact}` is {}, not {}",
                ty.describe(),
                show(v)
            ))),
        }
    }

    /// Checks a value and returns it owned.
    pub fn value(&self, fact: &str, value: ScalarRef<'_>) -> Result<FactValue, ValueError> {
        Ok(match self.check(fact, value)? {
            Checked::Bool(b) => FactValue::Bool(b),
            Checked::Int(i) => FactValue::Int(i),
            Checked::Enum(i) => match self {
                FactType::Enum { values } => {
                    FactValue::Str(values.get(i).map_or_else(String::new, |(v, _)| v.clone()))
                }
                _ => FactValue::Str(String::new()),
            },
            Checked::Date(d) => FactValue::Date(d),
            Checked::Text(s) => FactValue::Str(s.to_string()),
        })
    }

    /// Reads command-line text (`--set fact=value`) by this type: `true` and
    /// `false` for booleans, digits for integers, anything else as a string.
    pub fn parse(&self, fact: &str, text: &str) -> Result<FactValue, ValueError> {
        let scalar = match (self, text) {
            (FactType::Bool, "true") => ScalarRef::Bool(true),
            (FactType::Bool, "false") => ScalarRef::Bool(false),
            (FactType::Integer { .. }, t) => t.parse().map(ScalarRef::Int).map_err(|_| {
                ValueError::WrongType(format!("fact `{fact}` is an integer, not `{t}`"))
            })?,
            (_, t) => ScalarRef::Str(t),
        };
        self.value(fact, scalar)
    }

    /// What a value of this type is, in words.
    pub fn describe(&self) -> String {
        match self {
            FactType::Bool => "true or false".to_string(),
            FactType::Integer { .. } => "a whole number".to_string(),
            FactType::Enum { values } => {
                let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
                format!("one of: {}", names.join(", "))
            }
            FactType::Date => "a date (YYYY-MM-DD)".to_string(),
            FactType::Text => "text".to_string(),
        }
    }
}

/// How a value of each type is written, for messages and prompts.
impl FactType {
    /// What a value must be in JSON (the web API), in words.
    pub fn json_form(&self) -> String {
        match self {
            FactType::Bool => "true or false (a JSON boolean)".to_string(),
            FactType::Integer { min, max } => match (min, max) {
                (Some(lo), Some(hi)) => {
                    format!("a whole number from {lo} to {hi} (a JSON integer)")
                }
                (Some(lo), None) => format!("a whole number of at least {lo} (a JSON integer)"),
                (None, Some(hi)) => format!("a whole number of at most {hi} (a JSON integer)"),
                (None, None) => "a whole number (a JSON integer)".to_string(),
            },
            FactType::Enum { values } => {
                let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
                format!("one of {} (a JSON string)", names.join(", "))
            }
            FactType::Date => "a date written \"YYYY-MM-DD\" (a JSON string)".to_string(),
            FactType::Text => "text (a JSON string)".to_string(),
        }
    }

    /// A short hint for typing a value at a prompt (`ask`).
    pub fn prompt_hint(&self) -> String {
        match self {
            FactType::Bool => "yes/no".into(),
            FactType::Integer { .. } => "a whole number".into(),
            FactType::Enum { values } => format!("1-{} or a value", values.len()),
            FactType::Date => "YYYY-MM-DD".into(),
            FactType::Text => "text".into(),
        }
    }
}

impl FactDef {
    /// Checks a value as written against this fact's type.
    pub fn value(&self, scalar: &Scalar) -> Result<FactValue, ValueError> {
        self.ty.value(&self.id, scalar.as_ref())
    }
}

fn in_range(fact: &str, i: i64, min: Option<i64>, max: Option<i64>) -> Result<i64, ValueError> {
    if min.is_some_and(|m| i < m) || max.is_some_and(|m| i > m) {
        let bound = |b: Option<i64>| b.map_or("…".to_string(), |v| v.to_string());
        return Err(ValueError::Invalid(format!(
            "fact `{fact}` must be between {} and {}, not {i}",
            bound(min),
            bound(max)
        )));
    }
    Ok(i)
}

/// Whether `text`, a string, would have been a value of type `ty` unquoted
/// (`"7"` for an integer, `"true"` for a boolean).
fn quoted_by_mistake(ty: &FactType, text: &str) -> bool {
    match ty {
        FactType::Integer { .. } => text.parse::<i64>().is_ok(),
        FactType::Bool => matches!(text, "true" | "false"),
        _ => false,
    }
}

/// `text` with every character that is not printable ASCII (or a space)
/// written as an escape, `hum\u{430}n`: a look-alike or a hidden character
/// in a name or value quoted by a message is seen for what it is.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() || c == '…' {
                c.to_string()
            } else {
                c.escape_unicode().to_string()
            }
        })
        .collect()
}

/// `007` as `7` and `-007` as `-7`: an integer written with leading zeros,
/// without them (`None` for anything else).
fn without_leading_zeros(text: &str) -> Option<String> {
    let (sign, digits) = match text.strip_prefix(['-', '+']) {
        Some(rest) => (text.get(..1).filter(|s| *s == "-").unwrap_or(""), rest),
        None => ("", text),
    };
    let zeros = digits.len() > 1 && digits.starts_with('0');
    if !zeros || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let kept = digits.trim_start_matches('0');
    Some(if kept.is_empty() {
        "0".to_string()
    } else {
        format!("{sign}{kept}")
    })
}

fn show(value: ScalarRef<'_>) -> String {
    match value {
        ScalarRef::Null => "null".to_string(),
        ScalarRef::Bool(b) => format!("`{b}`"),
        ScalarRef::Int(i) => format!("`{i}`"),
        // `7.0` is shown as written, not as `7`, which would read as a
        // whole number (a decimal this large is shown as Rust prints it).
        ScalarRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("`{f:.1}`"),
        ScalarRef::Float(f) => format!("`{f}`"),
        ScalarRef::Str(s) => format!("`{}`", visible(s)),
    }
}

impl Vocabulary {
    /// The fact named `name`, or the refusal to show, with a "did you mean".
    pub fn lookup(&self, name: &str) -> Result<&FactDef, String> {
        self.fact(name).ok_or_else(|| {
            let hint = super::suggest::suggest(name, self.facts.keys().map(String::as_str))
                .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
            format!("unknown fact `{name}`{hint}")
        })
    }
}

/// Sets a fact from command-line text (`--set fact=value`), checking the
/// name (with a "did you mean") and the value against the vocabulary.
pub fn set_fact(
    vocab: &Vocabulary,
    facts: &mut super::Facts,
    name: &str,
    text: &str,
) -> Result<(), String> {
    let def = vocab.lookup(name)?;
    facts.set(name, def.ty.parse(name, text)?);
    Ok(())
}

/// Makes a fact unknown (`--unset fact`), checking the name.
pub fn unset_fact(vocab: &Vocabulary, facts: &mut super::Facts, name: &str) -> Result<(), String> {
    vocab.lookup(name)?;
    facts.unset(name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vocabulary's JSON (served to the what-if page) names each type by
    // serde's tag: it must be the table's name.
    #[test]
    fn serialized_type_names_are_the_tables() {
        let types = [
            FactType::Bool,
            FactType::Integer {
                min: None,
                max: None,
            },
            FactType::Enum { values: vec![] },
            FactType::Date,
            FactType::Text,
        ];
        for (ty, kind) in types.iter().zip(FactKind::ALL) {
            assert_eq!(ty.kind(), kind);
            let json = serde_json::to_value(ty).unwrap();
            assert_eq!(json["type"], kind.name());
        }
    }

    #[test]
    fn every_input_reads_a_value_alike() {
        let ty = FactType::Integer {
            min: Some(1),
            max: Some(9),
        };
        assert_eq!(ty.parse("n", "4"), Ok(FactValue::Int(4)));
        assert_eq!(ty.value("n", ScalarRef::Int(4)), Ok(FactValue::Int(4)));
        let range = "fact `n` must be between 1 and 9, not 12";
        assert_eq!(ty.parse("n", "12"), Err(ValueError::Invalid(range.into())));
        assert_eq!(
            ty.value("n", ScalarRef::Int(12)),
            Err(ValueError::Invalid(range.into()))
        );
        assert!(matches!(
            ty.value("n", ScalarRef::Str("4")),
            Err(ValueError::WrongType(_))
        ));
        let e = FactType::Enum {
            values: vec![("x".into(), "ex".into())],
        };
        assert_eq!(e.check("k", ScalarRef::Str("x")), Ok(Checked::Enum(0)));
        assert_eq!(
            e.check("k", ScalarRef::Str("y")),
            Err(ValueError::Invalid(
                "`y` is not a value of fact `k`; expected one of: x".into()
            ))
        );
        let d = FactType::Date;
        assert!(matches!(
            d.check("d", ScalarRef::Str("2023-02-30")),
            Err(ValueError::Invalid(_))
        ));
    }
}
