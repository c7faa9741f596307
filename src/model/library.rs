//! A library: the vocabulary, every ruleset and the jurisdictions that
//! compose them, as loaded from one rules directory, from the rules built
//! into the program, or from text in memory — and which of these it was.

use std::any::Any;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Serialize, Serializer};

use super::jurisdiction::Jurisdiction;
use super::ruleset::Ruleset;
use super::vocab::Vocabulary;
use crate::syntax::Date;

/// Everything a rules directory holds: the vocabulary and every ruleset,
/// ordered by id.
///
/// Rulesets are compiled on first evaluation and the programs kept (see
/// `Library::evaluator`): to change the rules, build a new library.
#[derive(Debug, Clone)]
pub struct Library {
    /// Where the rules came from, which every output names.
    pub origin: RulesOrigin,
    /// The shared vocabulary.
    pub vocabulary: Vocabulary,
    /// The rulesets, by id order.
    pub rulesets: Vec<Ruleset>,
    /// The jurisdictions, in file order (empty without a jurisdictions file).
    pub jurisdictions: Vec<Jurisdiction>,
    /// The works cited by key, and the tags' legend (empty without a
    /// bibliography file).
    pub bibliography: super::bibliography::Bibliography,
    /// What later stages compute from the library once and reuse.
    pub(crate) derived: Derived,
}

impl Library {
    /// A library of these parts; `origin` names where they came from.
    pub fn new(
        origin: RulesOrigin,
        vocabulary: Vocabulary,
        mut rulesets: Vec<Ruleset>,
        jurisdictions: Vec<Jurisdiction>,
    ) -> Library {
        rulesets.sort_by(|a, b| a.id.cmp(&b.id));
        Library {
            origin,
            vocabulary,
            rulesets,
            jurisdictions,
            bibliography: super::bibliography::Bibliography::default(),
            derived: Derived::default(),
        }
    }

    /// The ruleset with this id.
    pub fn ruleset(&self, id: &str) -> Option<&Ruleset> {
        self.rulesets.iter().find(|r| r.id == id)
    }

    /// The date evaluation defaults to: the latest date from which any
    /// encoded ruleset or rule applies (never the system clock).
    pub fn latest_date(&self) -> Option<Date> {
        self.rulesets.iter().map(Ruleset::latest_start).max()
    }

    /// [`Library::latest_date`], or 0001-01-01 for a library with no
    /// rulesets (any date gives the same, empty, outcome): the date a
    /// command takes the law as of when nothing names one.
    pub fn default_date(&self) -> Date {
        self.latest_date().unwrap_or(Date {
            year: 1,
            month: 1,
            day: 1,
        })
    }
}

/// Where a library's rules came from. Every output names it (`rules: …`
/// in text, a `rules` object in JSON), so that a printed comparison says
/// which version of the encoded law it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum RulesOrigin {
    /// A rules directory, as it was named (relative or absolute).
    Directory {
        /// The directory.
        #[serde(serialize_with = "display_path")]
        path: PathBuf,
    },
    /// The rules built into the program (feature `embedded`).
    Embedded {
        /// The version of the `authorship` crate that holds them.
        version: String,
        /// A short digest of the built-in rule files' names and contents:
        /// two builds with the same digest hold the same rules.
        digest: String,
    },
    /// Documents in memory (`Library::from_sources`), such as a commit
    /// read from git.
    Memory,
}

impl fmt::Display for RulesOrigin {
    /// `built into authorship 0.1.0 (digest 1a2b3c4d5e6f)`, `from the
    /// directory rules`, or `given in memory`: the text after `rules:` in a
    /// header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RulesOrigin::Directory { path } => write!(f, "from the directory {}", path.display()),
            RulesOrigin::Embedded { version, digest } => {
                write!(f, "built into authorship {version} (digest {digest})")
            }
            RulesOrigin::Memory => f.write_str("given in memory"),
        }
    }
}

/// A path as text: JSON has no other way to hold one, and a name that is
/// not UTF-8 is shown as [`Path::display`](std::path::Path::display) shows it.
fn display_path<S: Serializer>(path: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&path.display())
}

/// Results later stages derive from a library and keep — the compiled
/// rulesets, one set per as-of date and reading — so that every command and
/// every server request reuses them. Opaque here: the model names no later
/// stage's types. A clone starts empty (a changed copy must not reuse what
/// was derived from the original).
#[derive(Default)]
pub(crate) struct Derived {
    entries: Mutex<Vec<DerivedEntry>>,
}

type DerivedEntry = ((Date, Option<String>), Arc<dyn Any + Send + Sync>);

/// Most entries kept: a server asked for many dates recompiles the oldest
/// instead of growing without bound.
const MAX_DERIVED: usize = 16;

impl Derived {
    /// The entry for `key`, made with `make` the first time. Holding the
    /// lock while making it means two threads never make the same entry.
    pub(crate) fn get_or_make<T: Any + Send + Sync>(
        &self,
        key: (Date, Option<&str>),
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        // A panic while making an entry leaves the list as it was: the
        // poisoned lock is safe to go on with.
        let mut entries = match self.entries.lock() {
            Ok(e) => e,
            Err(poisoned) => poisoned.into_inner(),
        };
        let found = entries
            .iter()
            .find(|((date, variant), _)| *date == key.0 && variant.as_deref() == key.1)
            .and_then(|(_, v)| Arc::clone(v).downcast::<T>().ok());
        if let Some(found) = found {
            return found;
        }
        let made = Arc::new(make());
        if entries.len() >= MAX_DERIVED {
            entries.remove(0);
        }
        let erased: Arc<dyn Any + Send + Sync> = made.clone();
        entries.push(((key.0, key.1.map(str::to_string)), erased));
        made
    }
}

impl Clone for Derived {
    fn clone(&self) -> Derived {
        Derived::default()
    }
}

impl fmt::Debug for Derived {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Derived")
    }
}
