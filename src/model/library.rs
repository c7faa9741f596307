//! A library: the vocabulary, every ruleset and the jurisdictions that
//! compose them, as loaded from one rules directory.

use std::any::Any;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
    /// The directory it was loaded from.
    pub dir: PathBuf,
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
    /// A library of these parts; `dir` names where they came from.
    pub fn new(
        dir: PathBuf,
        vocabulary: Vocabulary,
        mut rulesets: Vec<Ruleset>,
        jurisdictions: Vec<Jurisdiction>,
    ) -> Library {
        rulesets.sort_by(|a, b| a.id.cmp(&b.id));
        Library {
            dir,
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
