//! The shipped rules and cases, compiled once, for the eval benchmarks.

#![allow(dead_code)]

use std::path::Path;

use authorship::compare::{Options, as_of};
use authorship::eval::Context;
use authorship::eval::compiled::{Compiled, Pattern, Slots};
use authorship::load::{load_case, load_library};
use authorship::model::{Case, Library};

/// One shipped case, encoded and with every ruleset compiled for its date.
pub struct Prepared {
    /// The file stem (`li-v-liu`).
    pub name: String,
    pub case: Case,
    pub ctx: Context,
    pub pattern: Pattern,
    /// One per ruleset, in library order.
    pub compiled: Vec<Compiled>,
}

/// The library, one slot table for all its rulesets, and every case.
pub struct Corpus {
    pub library: Library,
    pub slots: Slots,
    pub cases: Vec<Prepared>,
}

/// The `*.yaml` files of `dir`, sorted.
pub fn case_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("cases/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Compiles every ruleset of `library` for `ctx` against `slots`.
pub fn compile_all(library: &Library, slots: &Slots, ctx: &Context) -> Vec<Compiled> {
    library
        .rulesets
        .iter()
        .map(|r| {
            Compiled::new(r, &library.vocabulary, slots, ctx).expect("shipped ruleset compiles")
        })
        .collect()
}

impl Corpus {
    /// Loads `rules/` and `cases/` (benchmarks run from the package root).
    pub fn load() -> Corpus {
        let library = load_library(Path::new("rules")).expect("shipped rules load");
        let refs: Vec<_> = library.rulesets.iter().collect();
        let slots = Slots::new(&library.vocabulary, &refs);
        let cases = case_files(Path::new("cases"))
            .iter()
            .map(|f| {
                let case = load_case(f, &library).expect("shipped case loads");
                let ctx = Context::as_of(as_of(&case, &library, &Options::default()).0);
                Prepared {
                    name: f
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or("case")
                        .to_string(),
                    pattern: slots.encode(&case.facts),
                    compiled: compile_all(&library, &slots, &ctx),
                    case,
                    ctx,
                }
            })
            .collect();
        Corpus {
            library,
            slots,
            cases,
        }
    }

    /// The case with this file stem.
    pub fn case(&self, name: &str) -> &Prepared {
        self.cases
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no case `{name}`"))
    }

    /// How many (case, ruleset) evaluations one pass over everything is.
    pub fn evaluations(&self) -> u64 {
        (self.cases.len() * self.library.rulesets.len()) as u64
    }
}
