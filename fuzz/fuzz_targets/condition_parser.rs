//! Condition text → `parse_condition`. Besides not panicking: a parsed
//! condition prints to text that parses to the same tree and prints the
//! same, and every error points inside the input at character boundaries.
#![no_main]

use authorship::syntax::parse_condition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_condition(text) {
        Ok(expr) => {
            let printed = expr.to_string();
            let again = parse_condition(&printed)
                .unwrap_or_else(|e| panic!("printed form {printed:?} does not parse: {e}"));
            assert_eq!(again.to_string(), printed, "printing is not stable");
            let span = expr.span();
            assert!(text.get(span.start..span.end).is_some(), "span {span:?}");
        }
        Err(error) => {
            let _ = error.to_string();
            let span = error.span();
            assert!(
                span.start <= span.end && text.get(span.start..span.end).is_some(),
                "error span {span:?} is not a slice of the {}-byte input: {error}",
                text.len()
            );
        }
    }
});
