//! [`Evaluator`]: one ruleset, compiled once for one context, evaluating
//! any number of fact sets given as [`Facts`]. It is what the per-call
//! functions of [`crate::eval`] use, what the library's cache hands out,
//! and what a search over many fact sets holds instead of calling them in
//! a loop.

use std::sync::Arc;

use super::{CompileError, Compiled, Pattern, Scratch, Slots};
use crate::eval::Context;
use crate::eval::{EvalError, Evaluation, Truth, Verdict};
use crate::model::{Facts, Ruleset, Vocabulary};

/// A ruleset ready to evaluate fact sets under one context.
pub struct Evaluator<'a> {
    ruleset: &'a Ruleset,
    slots: Arc<Slots>,
    compiled: Arc<Compiled>,
    scratch: Scratch,
}

impl<'a> Evaluator<'a> {
    /// Compiles `ruleset` for `ctx`. Only a ruleset built by hand, outside
    /// the loader's type checker, can fail to compile.
    pub fn new(
        ruleset: &'a Ruleset,
        vocab: &Vocabulary,
        ctx: &Context,
    ) -> Result<Self, CompileError> {
        let slots = Slots::new(vocab, &[ruleset]);
        let compiled = Compiled::new(ruleset, vocab, &slots, ctx)?;
        Ok(Evaluator::from_parts(
            ruleset,
            Arc::new(slots),
            Arc::new(compiled),
        ))
    }

    /// An evaluator over a program compiled earlier (the library's cache)
    /// with `slots`.
    pub(crate) fn from_parts(
        ruleset: &'a Ruleset,
        slots: Arc<Slots>,
        compiled: Arc<Compiled>,
    ) -> Self {
        Evaluator {
            ruleset,
            slots,
            compiled,
            scratch: Scratch::default(),
        }
    }

    /// This evaluator, working out every open outcome by trying the
    /// completions of its facts one by one, never with the decision
    /// diagram (what it does when the diagram is past its budget). Hidden:
    /// for the tests that check that path against brute force.
    #[doc(hidden)]
    #[must_use]
    pub fn trying_completions(mut self) -> Self {
        Arc::make_mut(&mut self.compiled).decline_diagram();
        self
    }

    /// The slot table patterns for [`Evaluator::verdict_of`] are encoded with.
    pub fn slots(&self) -> &Slots {
        &self.slots
    }

    /// The compiled program.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The verdict on `facts`.
    pub fn verdict(&mut self, facts: &Facts) -> Result<Verdict, EvalError> {
        let pattern = self.slots.encode(facts);
        self.compiled.verdict(&pattern, &mut self.scratch)
    }

    /// The verdict on a pattern encoded with [`Evaluator::slots`].
    pub fn verdict_of(&mut self, pattern: &Pattern) -> Result<Verdict, EvalError> {
        self.compiled.verdict(pattern, &mut self.scratch)
    }

    /// Whether each rule applies on `facts`, in file order.
    pub fn rule_values(&mut self, facts: &Facts) -> Vec<Truth> {
        let rec = self
            .compiled
            .run(&self.slots.encode(facts), &mut self.scratch);
        (0..self.ruleset.rules.len())
            .map(|i| rec.applies(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect()
    }

    /// The full evaluation of `facts`, with its explanation.
    pub fn evaluate(&mut self, facts: &Facts) -> Result<Evaluation, EvalError> {
        let pattern = self.slots.encode(facts);
        self.compiled
            .evaluate(self.ruleset, &self.slots, &pattern, &mut self.scratch)
    }
}
