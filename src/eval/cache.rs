//! The library's compiled programs: each ruleset is compiled at most once
//! per (library, as-of date, reading) — on first use — and every later
//! evaluation, in any command or server request, reuses it.

use std::sync::{Arc, OnceLock};

use super::compiled::{CompileError, Compiled, Evaluator, Slots};
use super::{Context, EvalError, Evaluation, Verdict};
use crate::model::{Facts, Library, Ruleset};

/// Every ruleset of a library compiled for one context, lazily.
struct Programs {
    /// One slot table for all the library's rulesets.
    slots: Arc<Slots>,
    /// By the ruleset's index in the library.
    rulesets: Vec<OnceLock<Result<Arc<Compiled>, CompileError>>>,
}

impl Library {
    /// An evaluator for `ruleset` under `ctx`. A ruleset of this library is
    /// compiled once per as-of date and reading and then shared; any other
    /// ruleset is compiled for this call.
    ///
    /// The cache assumes the library does not change once it is used:
    /// to change rules, build a new library (a clone starts with an empty
    /// cache) rather than editing the rulesets of one already evaluated.
    pub fn evaluator<'l>(
        &'l self,
        ruleset: &'l Ruleset,
        ctx: &Context,
    ) -> Result<Evaluator<'l>, CompileError> {
        let Some(index) = self.rulesets.iter().position(|r| std::ptr::eq(r, ruleset)) else {
            return Evaluator::new(ruleset, &self.vocabulary, ctx);
        };
        let programs = self.programs(ctx);
        // A ruleset pushed after the cache entry was made has no cell:
        // compiled for this call, like a ruleset of no library.
        let Some(cell) = programs.rulesets.get(index) else {
            return Evaluator::new(ruleset, &self.vocabulary, ctx);
        };
        let compiled = cell
            .get_or_init(|| {
                Compiled::new(ruleset, &self.vocabulary, &programs.slots, ctx).map(Arc::new)
            })
            .clone()?;
        Ok(Evaluator::from_parts(
            ruleset,
            Arc::clone(&programs.slots),
            compiled,
        ))
    }

    /// Evaluates `facts` under `ruleset` (of this library) with the
    /// explanation, through the compiled-program cache.
    pub fn evaluate(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        ctx: &Context,
    ) -> Result<Evaluation, EvalError> {
        self.evaluator(ruleset, ctx)?.evaluate(facts)
    }

    /// The verdict alone, through the compiled-program cache.
    pub fn verdict(
        &self,
        ruleset: &Ruleset,
        facts: &Facts,
        ctx: &Context,
    ) -> Result<Verdict, EvalError> {
        self.evaluator(ruleset, ctx)?.verdict(facts)
    }

    fn programs(&self, ctx: &Context) -> Arc<Programs> {
        self.derived
            .get_or_make((ctx.as_of, ctx.variant.as_deref()), || {
                let all: Vec<&Ruleset> = self.rulesets.iter().collect();
                Programs {
                    slots: Arc::new(Slots::new(&self.vocabulary, &all)),
                    rulesets: self.rulesets.iter().map(|_| OnceLock::new()).collect(),
                }
            })
    }
}
