//! The precompiled library (feature `embedded`): a loaded [`Library`] in a
//! compact binary form, written by the build script and read back at start.
//!
//! The build script loads the shipped `rules/` with this same loader (so a
//! broken rule fails the build with its located message) and writes
//! [`encode`]'s bytes into `OUT_DIR`; [`crate::load::embedded::library`]
//! [`decode`]s them instead of parsing every YAML file of `rules/` on every start.
//!
//! The form is borsh's: its own derives (`BorshSerialize`,
//! `BorshDeserialize` on the model types) sit beside the serde derives that
//! shape the JSON outputs, whose `skip`, `flatten` and `untagged` a format
//! without field names could not read back. Both ends are built from the
//! same source in the same build, so the bytes need no version mark.
//! What the library derives later (compiled programs) is not stored: it is
//! rebuilt on first use, as for a library loaded from YAML.

use std::hash::Hasher as _;
use std::io;

use borsh::{BorshDeserialize, BorshSerialize};

use crate::model::bibliography::Bibliography;
use crate::model::{Fnv, Jurisdiction, Library, RulesOrigin, Ruleset, Vocabulary};

/// What is stored of a library: every part but its origin (named when it
/// is read back) and what is derived from it later.
type Parts = (Vocabulary, Vec<Ruleset>, Vec<Jurisdiction>, Bibliography);

/// The bytes of `library`, which [`decode`] reads back equal.
pub(crate) fn encode(library: &Library) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    (
        &library.vocabulary,
        &library.rulesets,
        &library.jurisdictions,
        &library.bibliography,
    )
        .serialize(&mut out)?;
    Ok(out)
}

/// The library [`encode`] wrote into `bytes`, named by `origin`. An error
/// only if the bytes are not such a library (truncated, or trailing bytes).
pub(crate) fn decode(bytes: &[u8], origin: RulesOrigin) -> io::Result<Library> {
    let (vocabulary, rulesets, jurisdictions, bibliography) = Parts::try_from_slice(bytes)?;
    let mut library = Library::new(origin, vocabulary, rulesets, jurisdictions);
    library.bibliography = bibliography;
    Ok(library)
}

/// A short digest (12 hex digits) of files given as `(path, text)`: 64-bit
/// FNV-1a over each path, its length and its text, in the order given.
/// Not cryptographic: it names a version of the rules, it guards nothing.
/// The build script takes it of the built-in rule files, so that naming
/// them at start reads none of their text.
#[cfg_attr(
    not(feature = "embedded"),
    allow(dead_code, reason = "only the built-in rules are named by a digest")
)]
pub fn digest(files: &[(&str, &str)]) -> String {
    let mut hash = Fnv::default();
    for (path, text) in files {
        hash.write(path.as_bytes());
        // Lengths keep ("ab", "c") and ("a", "bc") apart.
        hash.write(&(text.len() as u64).to_le_bytes());
        hash.write(text.as_bytes());
    }
    format!("{:012x}", hash.finish() >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Library {
        let facts = "facts:\n  made: {type: bool, description: D., question: Q?}\n\
                     elements:\n  work: {description: W.}\nparties:\n  person: {description: P.}\n";
        Library::from_sources([("facts.yaml", facts)]).unwrap()
    }

    #[test]
    fn a_library_reads_back_equal_and_named_as_asked() {
        let library = library();
        let bytes = encode(&library).unwrap();
        let back = decode(&bytes, RulesOrigin::Memory).unwrap();
        assert_eq!(back.vocabulary, library.vocabulary);
        assert_eq!(back.rulesets, library.rulesets);
        assert_eq!(back.origin, RulesOrigin::Memory);
        // Where a fact was defined survives, as text.
        let made = back.vocabulary.fact("made").unwrap();
        assert_eq!(made.at.file, std::path::PathBuf::from("facts.yaml"));
    }

    #[test]
    fn bytes_that_are_not_a_library_are_an_error_not_a_panic() {
        let bytes = encode(&library()).unwrap();
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                decode(&bytes[..cut], RulesOrigin::Memory).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, RulesOrigin::Memory).is_err());
    }
}
