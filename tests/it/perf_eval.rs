//! The compiled evaluator's fast path (a flat list of operations, the
//! verdict read from a table over rule values; `src/eval/compiled/code.rs`)
//! against the tree evaluator that defines the semantics, through the
//! public API one reused `Scratch` at a time — as the peer bench, batch and
//! what-if call it: `Compiled::verdict`, `Compiled::run`'s rule values and
//! `Compiled::evaluate`, on every shipped case under every ruleset, reading
//! and date, and on seeded random patterns with 0% to 100% of the facts
//! unknown.

use crate::common;

use authorship::eval::compiled::{Compiled, Scratch, Slots};
use authorship::eval::{Context, candidate_values, reference};
use authorship::model::{Facts, Library, Ruleset};

/// One compiled program per (ruleset, context), with the slot table of all
/// rulesets (as the library's cache builds them).
struct Programs<'a> {
    library: &'a Library,
    slots: Slots,
    compiled: Vec<(&'a Ruleset, Context, Compiled)>,
}

impl<'a> Programs<'a> {
    /// Every context, or only those of the latest date (`latest`).
    fn new(library: &'a Library, latest: bool) -> Programs<'a> {
        let all: Vec<&Ruleset> = library.rulesets.iter().collect();
        let slots = Slots::new(&library.vocabulary, &all);
        let mut compiled = vec![];
        let date = library.latest_date().unwrap();
        for ruleset in &library.rulesets {
            for ctx in common::contexts(library, ruleset) {
                if latest && ctx.as_of != date {
                    continue;
                }
                let c = Compiled::new(ruleset, &library.vocabulary, &slots, &ctx).unwrap();
                compiled.push((ruleset, ctx, c));
            }
        }
        Programs {
            library,
            slots,
            compiled,
        }
    }

    /// Checks every program on `facts` against the tree evaluator, the
    /// full evaluation too when `explain`; one scratch for everything, so
    /// that nothing one call leaves in it shows through in the next.
    fn check(&self, facts: &Facts, explain: bool, scratch: &mut Scratch, what: &str) {
        let vocab = &self.library.vocabulary;
        let pattern = self.slots.encode(facts);
        let completed = vocab.complete(facts).facts;
        for (ruleset, ctx, c) in &self.compiled {
            let at = || format!("{what} under {} {ctx:?}", ruleset.id);
            let want = reference::verdict(ruleset, vocab, facts, ctx);
            assert_eq!(c.verdict(&pattern, scratch), want, "verdict: {}", at());
            let rules = reference::rule_values(ruleset, &completed, ctx);
            let record = c.run(&pattern, scratch);
            let got: Vec<_> = (0..rules.len() as u32).map(|i| record.applies(i)).collect();
            assert_eq!(got, rules, "rule values: {}", at());
            if explain {
                let want = reference::evaluate(ruleset, vocab, facts, ctx);
                let got = c.evaluate(ruleset, &self.slots, &pattern, scratch);
                assert_eq!(got, want, "evaluation: {}", at());
                // A verdict right after a full evaluation, from the same scratch.
                let again = c.verdict(&pattern, scratch);
                assert_eq!(again, want.map(|e| e.verdict), "verdict after: {}", at());
            }
        }
    }
}

#[test]
fn the_fast_path_matches_the_tree_evaluator_on_every_case_ruleset_reading_and_date() {
    let library = common::library();
    let programs = Programs::new(library, false);
    let mut scratch = Scratch::default();
    let files = common::case_files();
    for file in &files {
        let case = common::case(file.to_str().unwrap(), library);
        programs.check(&case.facts, true, &mut scratch, &file.display().to_string());
    }
    // 35 cases × 13 rulesets × (2 dates × (1 + readings)).
    assert!(files.len() >= 35 && programs.compiled.len() > 13 * 2);
}

/// 2,000 seeded patterns, pattern `k` with about `k % 101` percent of the
/// facts unknown, each known fact one of the values that can matter to
/// some ruleset (values that contradict the vocabulary's `arises`
/// conditions included: both evaluators must set them aside alike), under
/// every ruleset and reading as of the latest date; every 25th also
/// explained.
#[test]
fn the_fast_path_matches_the_tree_evaluator_on_seeded_random_patterns() {
    let library = common::library();
    let programs = Programs::new(library, true);
    let vocab = &library.vocabulary;
    // Per fact, the candidate values of every ruleset, without repeats.
    let values: Vec<(String, Vec<_>)> = vocab
        .facts
        .keys()
        .map(|name| {
            let mut all = vec![];
            for r in &library.rulesets {
                for v in candidate_values(r, vocab, name) {
                    if !all.contains(&v) {
                        all.push(v);
                    }
                }
            }
            (name.clone(), all)
        })
        .collect();
    let mut rng = common::Rng::new(0x0017_E7A1);
    let mut scratch = Scratch::default();
    let (mut open, mut settled) = (0, 0);
    for k in 0..2_000usize {
        let unknown = k % 101;
        let mut facts = Facts::default();
        for (name, candidates) in &values {
            if candidates.is_empty() || rng.index(100) < unknown {
                continue;
            }
            facts.set(name, candidates[rng.index(candidates.len())].clone());
        }
        programs.check(&facts, k % 25 == 0, &mut scratch, &format!("pattern {k}"));
        let ctx = Context::as_of(library.latest_date().unwrap());
        match authorship::eval::verdict(&library.rulesets[k % 13], vocab, &facts, &ctx) {
            Ok(authorship::Verdict::Undetermined) => open += 1,
            _ => settled += 1,
        }
    }
    // Both kinds of outcome are well represented.
    assert!(
        open > 100 && settled > 100,
        "{open} open, {settled} settled"
    );
}
