//! [`Evaluator`]: one ruleset, compiled once for one context, evaluating
//! any number of fact sets given as [`Facts`]. It is what the per-call
//! functions of [`crate::eval`] use, and what a search over many fact sets
//! holds instead of calling them in a loop. A ruleset the compiler rejects
//! (only one built by hand, outside the type checker) is evaluated by the
//! tree evaluator instead, with the same answers.

use super::{Compiled, Pattern, Scratch, Slots};
use crate::eval::{Context, EvalError, Evaluation, Truth, Verdict, reference};
use crate::model::{Facts, Ruleset, Vocabulary};

/// A ruleset ready to evaluate fact sets under one context.
pub struct Evaluator<'a> {
    ruleset: &'a Ruleset,
    vocab: &'a Vocabulary,
    ctx: &'a Context,
    compiled: Option<(Slots, Compiled)>,
    scratch: Scratch,
}

impl<'a> Evaluator<'a> {
    /// Compiles `ruleset` for `ctx`.
    pub fn new(ruleset: &'a Ruleset, vocab: &'a Vocabulary, ctx: &'a Context) -> Self {
        let slots = Slots::new(vocab, &[ruleset]);
        let compiled = Compiled::new(ruleset, vocab, &slots, ctx)
            .ok()
            .map(|c| (slots, c));
        Evaluator {
            ruleset,
            vocab,
            ctx,
            compiled,
            scratch: Scratch::default(),
        }
    }

    /// The slot table and program, unless the ruleset could not be compiled.
    pub fn compiled(&self) -> Option<(&Slots, &Compiled)> {
        self.compiled.as_ref().map(|(s, c)| (s, c))
    }

    /// The verdict on `facts`.
    pub fn verdict(&mut self, facts: &Facts) -> Result<Verdict, EvalError> {
        match &self.compiled {
            Some((slots, c)) => c.verdict(&slots.encode(facts), &mut self.scratch),
            None => reference::verdict(self.ruleset, self.vocab, facts, self.ctx),
        }
    }

    /// The verdict on a pattern encoded with [`Evaluator::compiled`]'s slots
    /// (`None` if the ruleset was not compiled).
    pub fn verdict_of(&mut self, pattern: &Pattern) -> Option<Result<Verdict, EvalError>> {
        let (_, c) = self.compiled.as_ref()?;
        Some(c.verdict(pattern, &mut self.scratch))
    }

    /// Whether each rule applies on `facts`, in file order.
    pub fn rule_values(&mut self, facts: &Facts) -> Vec<Truth> {
        match &self.compiled {
            Some((slots, c)) => {
                let rec = c.run(&slots.encode(facts), &mut self.scratch);
                (0..self.ruleset.rules.len())
                    .map(|i| rec.applies(u32::try_from(i).unwrap_or(u32::MAX)))
                    .collect()
            }
            None => reference::rule_values(self.ruleset, facts, self.ctx),
        }
    }

    /// The full evaluation of `facts`, with its explanation.
    pub fn evaluate(&mut self, facts: &Facts) -> Result<Evaluation, EvalError> {
        match &self.compiled {
            Some((slots, c)) => {
                let pattern = slots.encode(facts);
                c.evaluate(
                    self.ruleset,
                    slots,
                    facts,
                    self.ctx,
                    &pattern,
                    &mut self.scratch,
                )
            }
            None => reference::evaluate(self.ruleset, self.vocab, facts, self.ctx),
        }
    }
}
