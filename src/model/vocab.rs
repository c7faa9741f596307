//! The shared fact vocabulary: facts with their types, the elements of a work
//! an outcome can speak about, and the parties who can be authors.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::syntax::{Date, Expr, Literal};

/// The type of a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FactType {
    /// `true` / `false`.
    Bool,
    /// A whole number, optionally bounded.
    Integer {
        /// Smallest allowed value.
        #[serde(skip_serializing_if = "Option::is_none")]
        min: Option<i64>,
        /// Largest allowed value.
        #[serde(skip_serializing_if = "Option::is_none")]
        max: Option<i64>,
    },
    /// One of a fixed set of values (value, meaning), in declared order.
    Enum {
        /// The allowed values with their meaning.
        values: Vec<(String, String)>,
    },
    /// A calendar date.
    Date,
    /// Free text (recorded and shown, compared only for equality).
    Text,
}

impl FactType {
    /// Whether `value` is one of an enum's allowed values.
    pub fn allows(&self, value: &str) -> bool {
        match self {
            FactType::Enum { values } => values.iter().any(|(v, _)| v == value),
            _ => true,
        }
    }
}

/// One fact of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct FactDef {
    /// The fact's id.
    pub id: String,
    /// Its type.
    #[serde(flatten)]
    pub ty: FactType,
    /// One line saying what it records.
    pub description: String,
    /// The question a person is asked to establish it.
    pub question: String,
    /// When the fact arises at all, and what it is when it does not (see
    /// [`super::arising`]); `None`: it always arises.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arises: Option<Arising>,
    /// Where it is declared.
    #[serde(skip)]
    pub at: Where,
}

/// When a fact arises: a condition over other facts, and the value the fact
/// has when that condition is false (a work with no AI material was not
/// edited after generation: `post_edited_by_human` does not arise and is
/// `false`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Arising {
    /// The condition as written.
    pub when: String,
    /// The parsed condition (it reads facts only).
    #[serde(skip)]
    pub condition: Expr,
    /// The fact's value when the condition is false.
    pub otherwise: FactValue,
    /// Where the condition is written.
    #[serde(skip)]
    pub at: Where,
}

/// A position in a file, kept on loaded items so later checks (such as
/// `check --strict`) can point at them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Where {
    /// The file.
    #[cfg_attr(
        feature = "precompiled",
        borsh(
            serialize_with = "path_text::write",
            deserialize_with = "path_text::read"
        )
    )]
    pub file: std::path::PathBuf,
    /// 1-based line (0 if unknown).
    pub line: u64,
    /// 1-based column (0 if unknown).
    pub column: u64,
}

/// A [`Where`]'s file in the precompiled library: as UTF-8 text, the one
/// form that is the same on every platform (the built-in rules' names are
/// `rules/….yaml`, checked UTF-8 by the build script).
#[cfg(feature = "precompiled")]
mod path_text {
    use std::path::{Path, PathBuf};

    use borsh::io::{Error, ErrorKind, Read, Result, Write};
    use borsh::{BorshDeserialize as _, BorshSerialize as _};

    pub(super) fn write<W: Write>(path: &Path, writer: &mut W) -> Result<()> {
        let text = path
            .to_str()
            .ok_or_else(|| Error::new(ErrorKind::InvalidData, "a file name that is not UTF-8"))?;
        text.serialize(writer)
    }

    pub(super) fn read<R: Read>(reader: &mut R) -> Result<PathBuf> {
        String::deserialize_reader(reader).map(PathBuf::from)
    }
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A known value of a fact.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
#[serde(untagged)]
pub enum FactValue {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An enum value or a text.
    Str(String),
    /// A date.
    Date(Date),
}

impl FactValue {
    /// The value a condition's literal stands for.
    pub fn from_literal(lit: &Literal) -> FactValue {
        match lit {
            Literal::Bool(b) => FactValue::Bool(*b),
            Literal::Int(i) => FactValue::Int(*i),
            Literal::Str(s) => FactValue::Str(s.clone()),
            Literal::Date(d) => FactValue::Date(*d),
        }
    }

    /// How two values compare in a condition. Values of different types
    /// never compare (type checking rules this out for loaded rulesets;
    /// this keeps hand-built ones safe).
    pub fn order(&self, other: &FactValue) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (FactValue::Bool(x), FactValue::Bool(y)) => Some(x.cmp(y)),
            (FactValue::Int(x), FactValue::Int(y)) => Some(x.cmp(y)),
            (FactValue::Str(x), FactValue::Str(y)) => Some(x.cmp(y)),
            (FactValue::Date(x), FactValue::Date(y)) => Some(x.cmp(y)),
            _ => None,
        }
    }
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Int(i) => write!(f, "{i}"),
            FactValue::Str(s) => write!(f, "{s:?}"),
            FactValue::Date(d) => write!(f, "{d}"),
        }
    }
}

/// The vocabulary every ruleset and case is checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Vocabulary {
    /// Facts by id.
    pub facts: BTreeMap<String, FactDef>,
    /// Elements of a work (id → description).
    pub elements: BTreeMap<String, String>,
    /// Elements that are part of another (id → that element's id): edits
    /// to an output are part of the output.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub part_of: BTreeMap<String, String>,
    /// Parties who can be authors (id → description).
    pub parties: BTreeMap<String, String>,
    /// Legal questions rules answer (id → question), for comparing authorities.
    pub issues: BTreeMap<String, String>,
}

impl Vocabulary {
    /// For each element, in id order, the index of the element it is part
    /// of. A verdict counts such a side element only where its ruleset
    /// reaches the element it is part of: silence on the work's main
    /// material is not turned into a verdict by what is said of a part.
    pub fn principals(&self) -> Vec<Option<usize>> {
        self.elements
            .keys()
            .map(|e| {
                let p = self.part_of.get(e)?;
                self.elements.keys().position(|k| k == p)
            })
            .collect()
    }

    /// The fact with this id.
    pub fn fact(&self, id: &str) -> Option<&FactDef> {
        self.facts.get(id)
    }
}
