//! Bytes → a case file → `load_case` against the shipped library. Errors
//! are rendered as the command line would; a case that loads is compared
//! under every ruleset, its expectations checked, and the comparison
//! rendered as text and JSON.
#![no_main]

mod common;

use authorship::compare::{Options, check_expectations, compare};
use authorship::load::load_case;
use authorship::render::{View, compare_json, compare_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let library = common::library();
    let path = common::scratch_file("fuzzed.yaml", data);
    match load_case(&path, library) {
        Ok(case) => {
            let comparison = compare(&case, library, &Options::default());
            let _ = check_expectations(&case, library);
            let comparisons = [comparison];
            let _ = compare_text(&comparisons, library, View::Authorities);
            let _ = compare_json(&comparisons, &library.rulesets);
        }
        Err(errors) => {
            let _ = authorship::render::diagnostic::render_all(&errors);
        }
    }
});
