//! Bytes → a ruleset file → `load_ruleset` against the shipped vocabulary.
//! Errors are rendered as the command line would; a ruleset that loads is
//! evaluated (with no facts, and with every fact at its first value that
//! can matter) and explained.
#![no_main]

mod common;

use authorship::compare::{Options, compare};
use authorship::eval::candidate_values;
use authorship::load::{load_ruleset};
use authorship::model::{Case, Library};
use libfuzzer_sys::fuzz_target;

/// The file must be named after the ruleset's id, so a seed from `rules/`
/// loads: use the first `id:` line's value when it is a plain id.
fn file_name(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    text.lines()
        .find_map(|l| l.strip_prefix("id: "))
        .map(str::trim)
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map_or_else(|| "fuzzed.yaml".to_string(), |id| format!("{id}.yaml"))
}

fuzz_target!(|data: &[u8]| {
    let shipped = common::library();
    let path = common::scratch_file(&file_name(data), data);
    let ruleset = match load_ruleset(&path, &shipped.vocabulary) {
        Ok(ruleset) => ruleset,
        Err(errors) => {
            let _ = authorship::render::diagnostic::render_all(&errors);
            let _ = std::fs::remove_file(&path);
            return;
        }
    };
    let _ = std::fs::remove_file(&path);
    let vocab = &shipped.vocabulary;
    let library = Library {
        dir: path.parent().map(|p| p.to_path_buf()).unwrap_or_default(),
        vocabulary: vocab.clone(),
        rulesets: vec![ruleset],
        jurisdictions: vec![],
    };
    let ruleset = &library.rulesets[0];
    let mut some = Case::default();
    for fact in vocab.facts.keys() {
        if let Some(v) = candidate_values(ruleset, vocab, fact).into_iter().next() {
            some.facts.set(fact, v);
        }
    }
    for case in [Case::default(), some] {
        let comparison = compare(&case, &library, &Options::default());
        if let Some(e) = comparison.evaluation(&ruleset.id) {
            let ctx = authorship::eval::Context::as_of(comparison.as_of);
            let fast = authorship::eval::verdict(ruleset, vocab, &case.facts, &ctx);
            assert_eq!(fast.ok(), Some(e.verdict), "fast path disagrees");
            let _ = authorship::render::explain_text(&comparison, e, ruleset);
        }
    }
});
