//! Errors of the model stage: loading and validating YAML files.
//!
//! Each error knows its file, line and column, and for rules the rule id and
//! field; errors inside a condition also carry the [`ParseError`] or type
//! problem and where in the file it sits. Loading collects every error of a
//! file (and of every file) before giving up, so a user fixes them in one go.

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

use super::yaml::Pos;
use crate::syntax::ParseError;

/// What went wrong while loading.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The YAML is malformed or does not have the expected shape (unknown or
    /// duplicate key, missing field, wrong type, budget exceeded).
    #[error("{message}")]
    Yaml {
        /// What the YAML parser said.
        message: String,
        /// A hint, if one helps.
        help: Option<String>,
    },
    /// A condition does not parse.
    #[error("{0}")]
    Condition(ParseError),
    /// A name that is not in the vocabulary or the ruleset.
    #[error("unknown {what} `{name}`")]
    Unknown {
        /// What kind of name: "fact", "element", "party", "source", "rule", …
        what: &'static str,
        /// The name as written.
        name: String,
        /// The closest known name, if any is close.
        suggestion: Option<String>,
    },
    /// A value outside a fixed set.
    #[error("`{value}` is not a valid {what}; expected one of: {allowed}")]
    NotAllowed {
        /// What the value is for, e.g. "verdict".
        what: String,
        /// The value as written.
        value: String,
        /// The allowed values, comma-separated.
        allowed: String,
        /// The closest allowed value, if any is close.
        suggestion: Option<String>,
    },
    /// A value of the wrong type for its fact, or a type error in a condition.
    #[error("{0}")]
    Type(String),
    /// A reference to a conclusion that no rule of the ruleset establishes.
    #[error("no rule of this ruleset concludes `@{name}` (add a rule with `holds: {name}`)")]
    DanglingConclusion {
        /// The conclusion's name.
        name: String,
        /// The closest conclusion that does exist.
        suggestion: Option<String>,
    },
    /// Rules that depend on each other in a circle.
    #[error("rules depend on each other in a cycle: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    /// Facts whose `arises.when` conditions read each other in a circle.
    #[error("facts' `arises.when` conditions read each other in a cycle: {}", .0.join(" -> "))]
    FactCycle(Vec<String>),
    /// A case states a value for a fact that does not arise on its other
    /// facts, other than the value the fact then has.
    #[error("{0}")]
    NotArising(String),
    /// The same id twice.
    #[error("duplicate {what} id `{id}`")]
    Duplicate {
        /// What kind of id.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A structural rule of the format is broken (message says which).
    #[error("{0}")]
    Invalid(String),
    /// An id, or an enum value, of the wrong shape (`src/load/ids.rs`).
    #[error("`{id}` is not a valid {what}: {problem}")]
    BadId {
        /// What kind of id: "fact id", "enum value", "rule id", …
        what: String,
        /// The id as shown: cut to a readable length, and every character
        /// that is not printable ASCII written as an escape (`hum\u{430}n`).
        id: String,
        /// What is wrong with it.
        problem: String,
        /// The rule for ids of its kind, in words.
        rule: &'static str,
    },
}

impl LoadErrorKind {
    /// A stable code for the kind of error, as listed in the authoring
    /// guide (`docs/authoring.md`).
    pub fn code(&self) -> &'static str {
        match self {
            LoadErrorKind::Io(_) => "E001",
            LoadErrorKind::Yaml { .. } => "E002",
            LoadErrorKind::Condition(_) => "E003",
            LoadErrorKind::Unknown { .. } => "E004",
            LoadErrorKind::NotAllowed { .. } => "E005",
            LoadErrorKind::Type(_) => "E006",
            LoadErrorKind::DanglingConclusion { .. } => "E007",
            LoadErrorKind::Cycle(_) | LoadErrorKind::FactCycle(_) => "E008",
            LoadErrorKind::Duplicate { .. } => "E009",
            LoadErrorKind::Invalid(_) | LoadErrorKind::BadId { .. } => "E010",
            LoadErrorKind::NotArising(_) => "E011",
        }
    }

    /// A one-line hint, such as a "did you mean".
    pub fn help(&self) -> Option<String> {
        match self {
            LoadErrorKind::Unknown { suggestion, .. }
            | LoadErrorKind::NotAllowed { suggestion, .. }
            | LoadErrorKind::DanglingConclusion { suggestion, .. } => {
                suggestion.as_ref().map(|s| format!("did you mean `{s}`?"))
            }
            LoadErrorKind::Yaml { help, .. } => help.clone(),
            LoadErrorKind::BadId { rule, .. } => Some((*rule).to_string()),
            LoadErrorKind::NotArising(_) => Some(
                "leave the fact out (it has its defined value), or change the facts it arises on"
                    .to_string(),
            ),
            _ => None,
        }
    }
}

/// The source line an error points into, with the caret's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The whole line, as in the file.
    pub line_text: String,
    /// 0-based character column where the caret starts.
    pub caret_start: usize,
    /// Caret width in characters (at least 1).
    pub caret_len: usize,
}

/// One error, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 if unknown).
    pub line: u64,
    /// 1-based column (0 if unknown).
    pub column: u64,
    /// The rule the error is in, if any.
    pub rule: Option<String>,
    /// The field, e.g. `when`, `then.protected`, `facts`.
    pub field: Option<String>,
    /// What went wrong.
    pub kind: LoadErrorKind,
    /// The line of the file with the caret's place, when known.
    pub excerpt: Option<Excerpt>,
}

impl LoadError {
    /// An error at `pos` in `file` (excerpt and context added by the caller).
    pub fn at(file: PathBuf, pos: Pos, kind: LoadErrorKind) -> Self {
        LoadError {
            file,
            line: pos.line,
            column: pos.column,
            rule: None,
            field: None,
            kind,
            excerpt: None,
        }
    }

    /// The error's position as `file:line:col` (or `file` alone).
    pub fn location(&self) -> String {
        let file = self.file.display();
        if self.line == 0 {
            format!("{file}")
        } else {
            format!("{file}:{}:{}", self.line, self.column)
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.kind)?;
        if let Some(rule) = &self.rule {
            write!(f, " (rule `{rule}`")?;
            if let Some(field) = &self.field {
                write!(f, ", field `{field}`")?;
            }
            f.write_str(")")?;
        } else if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Every error found, in file order; loading yields these or a complete
/// result, never half of one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} error(s) while loading", .0.len())]
pub struct LoadErrors(pub Vec<LoadError>);

impl LoadErrors {
    /// The errors.
    pub fn iter(&self) -> impl Iterator<Item = &LoadError> {
        self.0.iter()
    }

    /// Every item loaded, or every error of every item that failed (not
    /// only the first's): how a set of files loads as a whole.
    pub fn all<T>(
        loads: impl IntoIterator<Item = Result<T, LoadErrors>>,
    ) -> Result<Vec<T>, LoadErrors> {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for load in loads {
            match load {
                Ok(item) => items.push(item),
                Err(LoadErrors(mut e)) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(items)
        } else {
            Err(LoadErrors(errors))
        }
    }
}
