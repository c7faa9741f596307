//! The shipped rules and example cases, built into the library (feature
//! `embedded`): what an installed `authorship` uses when it is given no
//! rules directory, and what `authorship rules export` writes out.
//!
//! `build.rs` includes every file of `rules/` and `cases/` as text, so this
//! needs no file access and builds for `wasm32-unknown-unknown` too. It
//! also loads the rules at build time with this crate's loader and stores
//! the loaded library precompiled (`load::precompiled`, borsh): [`library`]
//! decodes that, and parses no YAML. The built-in set is named by the
//! crate's version and a digest of its rule files ([`origin`]), also taken
//! at build time.

use super::error::{LoadError, LoadErrorKind, LoadErrors};
use super::yaml::Pos;
use crate::model::{Case, Library, RulesOrigin};

pub use super::precompiled::digest;

// `RULES` and `CASES`: (path from the crate root, text), sorted by path;
// `DIGEST`: `digest` of the rule files `library` holds; `PRECOMPILED`:
// those rules, loaded and encoded.
include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Every built-in file of the rules directory, as `(path, text)` sorted by
/// path, the path relative to the crate root (`rules/facts.yaml`). Holds
/// the YAML files and the directory's licence.
pub fn rule_files() -> &'static [(&'static str, &'static str)] {
    RULES
}

/// Every built-in file of the example cases directory, as
/// [`rule_files`] gives the rules (`cases/li-v-liu.yaml`, …).
pub fn case_files() -> &'static [(&'static str, &'static str)] {
    CASES
}

/// Which built-in set this is: the crate's version and [`digest`] of the
/// rule files [`library`] loads (the YAML files, not the licence).
pub fn origin() -> RulesOrigin {
    RulesOrigin::Embedded {
        version: env!("CARGO_PKG_VERSION").to_string(),
        digest: DIGEST.to_string(),
    }
}

/// The built-in rules: the YAML files directly in `rules/`, as
/// `load_library` would read them from the directory, loaded when the
/// program was built and decoded now. Its [`origin`](Library::origin) is
/// [`origin`]. The error is never expected: it would mean the stored bytes
/// do not match this build (see [`library_from_yaml`] for the same rules
/// loaded from their text).
///
/// ```
/// let library = authorship::load::embedded::library().expect("the built-in rules load");
/// assert!(!library.rulesets.is_empty());
/// assert!(library.origin.to_string().starts_with("built into authorship "));
/// ```
pub fn library() -> Result<Library, LoadErrors> {
    super::precompiled::decode(PRECOMPILED, origin()).map_err(|e| {
        LoadErrors(vec![LoadError::at(
            "rules".into(),
            Pos::default(),
            LoadErrorKind::Io(format!("the precompiled built-in rules do not decode: {e}")),
        )])
    })
}

/// The built-in rules loaded from their YAML text, as before they were
/// precompiled: what [`library`] equals, and what the build script runs.
pub fn library_from_yaml() -> Result<Library, LoadErrors> {
    let mut library = Library::from_sources(top_level_yaml(RULES, "rules/"))?;
    library.origin = origin();
    Ok(library)
}

/// Loads the built-in example cases (`cases/*.yaml`) against `library`:
/// every case, or every error of every case.
pub fn cases(library: &Library) -> Result<Vec<Case>, LoadErrors> {
    LoadErrors::all(
        top_level_yaml(CASES, "cases/").map(|(path, text)| Case::from_source(path, text, library)),
    )
}

/// The `.yaml` files directly inside `dir` (a prefix such as `rules/`):
/// those a directory load reads.
fn top_level_yaml(
    files: &'static [(&'static str, &'static str)],
    dir: &'static str,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    files.iter().copied().filter(move |(path, _)| {
        path.strip_prefix(dir)
            .is_some_and(|name| name.ends_with(".yaml") && !name.contains('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_hold_the_shipped_directories_in_order() {
        assert!(RULES.iter().any(|(p, _)| *p == "rules/facts.yaml"));
        assert!(CASES.iter().any(|(p, _)| *p == "cases/li-v-liu.yaml"));
        assert!(RULES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(CASES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn the_digest_changes_with_a_name_a_boundary_or_a_byte() {
        let base = digest(&[("a", "bc")]);
        assert_eq!(base.len(), 12);
        assert_eq!(base, digest(&[("a", "bc")]));
        assert_ne!(base, digest(&[("a", "bd")]));
        assert_ne!(base, digest(&[("b", "bc")]));
        assert_ne!(digest(&[("a", "b"), ("c", "")]), digest(&[("a", "bc")]));
    }
}
