//! Compiled evaluation: a ruleset turned once into flat arrays over dense
//! fact slots (the program, internal to the crate), evaluated without
//! string lookups and, with a reused [`Scratch`], without heap allocation;
//! the explanation is rebuilt from the compact [`Record`] of condition
//! values only when asked for.
//!
//! Public here is what a caller evaluating many fact patterns needs: a
//! [`Slots`] table to encode facts into [`Pattern`]s (or write [`Val`]s into
//! them directly), a [`Compiled`] ruleset or an [`Evaluator`], and a
//! [`Scratch`] to reuse. The program's instructions are not public.
//!
//! The tree-walking evaluator in [`super::reference`] defines the
//! semantics; this module must agree with it on every input (checked by the
//! snapshot suite and by property tests), and is what [`super::evaluate`],
//! [`super::verdict`] and the batch mode use.

mod arising;
mod code;
mod decide;
mod enumerate;
mod evaluator;
mod exact;
mod explain;
mod program;
mod run;
mod value;

#[cfg(feature = "batch")]
pub(crate) use decide::PartyStatus;
pub(crate) use decide::{Clash, Stop};
pub use decide::{Scratch, Summary};
pub use evaluator::Evaluator;
pub use program::CompileError;
pub(crate) use program::{Program, Vote};
pub use run::Record;
pub use value::{Kind, Pattern, Slots, Val};

use super::{ConditionNode, Context, EvalError, Evaluation, Truth, Verdict};
use crate::model::{Ruleset, Vocabulary};

/// One ruleset compiled for one context (as-of date and reading).
#[derive(Debug, Clone)]
pub struct Compiled {
    id: String,
    rule_ids: Vec<String>,
    program: Program,
    /// The program's run laid out for speed, for this context.
    code: code::Code,
    active: Vec<bool>,
    in_force: bool,
    ctx: Context,
    /// Each rule's condition tree with its texts, for explanations.
    templates: Vec<ConditionNode>,
    /// The decision diagram of the outcomes, built on the first open case.
    exact: exact::Lazy,
}

impl Compiled {
    /// Compiles `ruleset` for `ctx` against `slots` (built with the ruleset).
    pub fn new(
        ruleset: &Ruleset,
        vocab: &Vocabulary,
        slots: &Slots,
        ctx: &Context,
    ) -> Result<Compiled, CompileError> {
        let program = Program::compile(ruleset, vocab, slots)?;
        let active: Vec<bool> = ruleset
            .rules
            .iter()
            .map(|r| ctx.inactive_reason(ruleset, r).is_none())
            .collect();
        Ok(Compiled {
            id: ruleset.id.clone(),
            rule_ids: ruleset.rules.iter().map(|r| r.id.clone()).collect(),
            code: code::Code::new(&program, &active),
            program,
            active,
            in_force: ruleset.in_force.covers(ctx.as_of),
            ctx: ctx.clone(),
            templates: ruleset
                .rules
                .iter()
                .map(|r| explain::template(&r.when))
                .collect(),
            exact: exact::Lazy::default(),
        })
    }

    /// The ruleset's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The context it was compiled for.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Whether the ruleset is in force on the context's date.
    pub fn in_force(&self) -> bool {
        self.in_force
    }

    /// Never builds the decision diagram: every open outcome is worked
    /// out by trying the completions of its facts, as when the diagram is
    /// past its budget. Hidden: for the tests and benchmarks of that path.
    #[doc(hidden)]
    pub fn decline_diagram(&mut self) {
        self.exact = exact::Lazy::declined();
    }

    /// The compiled program (batch writes outcomes straight from it).
    #[cfg(feature = "batch")]
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// Runs `f` on `pattern` completed against the vocabulary (each fact
    /// that does not arise at its defined value, recorded in
    /// `s.defaulted`; the completed copy is kept in `s.completed`). With no
    /// such facts in the vocabulary, `f` gets `pattern` itself.
    fn completed<R>(
        &self,
        pattern: &Pattern,
        s: &mut Scratch,
        f: impl FnOnce(&Program, &Pattern, &mut Scratch) -> R,
    ) -> R {
        s.defaulted.clear();
        if self.program.arising.is_empty() {
            return f(&self.program, pattern, s);
        }
        let mut own = s.completed.take().unwrap_or_else(|| pattern.clone());
        own.clone_from(pattern);
        self.program.arising.apply(&mut own, &mut s.defaulted);
        let out = f(&self.program, &own, s);
        s.completed = Some(own);
        out
    }

    /// Whether each rule applies, into `s.record` (the cheapest view).
    pub fn run<'s>(&self, pattern: &Pattern, s: &'s mut Scratch) -> &'s Record {
        self.completed(pattern, s, |p, pattern, s| {
            self.code.run(p, pattern, &self.active, &mut s.record);
        });
        &s.record
    }

    /// The verdict alone (exact, like [`super::verdict`]).
    pub fn verdict(&self, pattern: &Pattern, s: &mut Scratch) -> Result<Verdict, EvalError> {
        self.completed(pattern, s, |p, pattern, s| {
            p.verdict(&self.code, pattern, &self.active, &self.exact, s)
        })
        .map_err(|stop| self.stopped(stop, &s.record))
    }

    /// The whole outcome in index form, into `s.summary` (exact, like
    /// [`super::evaluate`] without the explanation).
    pub fn summarize<'s>(
        &self,
        pattern: &Pattern,
        s: &'s mut Scratch,
    ) -> Result<&'s Summary, EvalError> {
        match self.completed(pattern, s, |p, pattern, s| {
            p.summarize(&self.code, pattern, &self.active, &self.exact, s)
        }) {
            Ok(()) => Ok(&s.summary),
            Err(stop) => Err(self.stopped(stop, &s.record)),
        }
    }

    /// [`Compiled::summarize`] on a pattern the caller has completed
    /// already, with the arising code of the slot table this was compiled
    /// against (what `summarize` does first, on a copy): a batch evaluating
    /// one pattern under every ruleset completes it once, not once per
    /// ruleset.
    #[cfg(feature = "batch")]
    pub(crate) fn summarize_completed<'s>(
        &self,
        completed: &Pattern,
        s: &'s mut Scratch,
    ) -> Result<&'s Summary, EvalError> {
        s.defaulted.clear();
        match self
            .program
            .summarize(&self.code, completed, &self.active, &self.exact, s)
        {
            Ok(()) => Ok(&s.summary),
            Err(stop) => Err(self.stopped(stop, &s.record)),
        }
    }

    /// The full evaluation with its explanation (as [`super::evaluate`]);
    /// `ruleset` and `slots` are the ones it was compiled with.
    pub fn evaluate(
        &self,
        ruleset: &Ruleset,
        slots: &Slots,
        pattern: &Pattern,
        s: &mut Scratch,
    ) -> Result<Evaluation, EvalError> {
        self.summarize(pattern, s)?;
        let completed = match &s.completed {
            Some(c) if !self.program.arising.is_empty() => c,
            _ => pattern,
        };
        Ok(explain::evaluation(self, ruleset, slots, completed, s))
    }

    fn stopped(&self, stop: Stop, rec: &Record) -> EvalError {
        match stop {
            Stop::Clash(c) => self.conflict(c, rec),
            Stop::TooComplex => EvalError::TooComplex {
                ruleset: self.id.clone(),
            },
        }
    }

    fn conflict(&self, clash: Clash, rec: &Record) -> EvalError {
        let (subject, what) = match clash {
            Clash::Element(i) => (self.program.elements.get(i), "protected"),
            Clash::Party(i) => (self.program.parties.get(i), "an author"),
        };
        let name = |v: &Vote| self.rule_ids.get(v.rule as usize).cloned();
        let voters = |yes: bool| -> Vec<String> {
            subject
                .into_iter()
                .flat_map(|s| &s.votes)
                .filter(|v| if yes { v.yes } else { v.no })
                .filter(|v| rec.applies(v.rule) != Truth::False)
                .filter_map(name)
                .collect()
        };
        EvalError::Conflict {
            ruleset: self.id.clone(),
            subject: subject.map(|s| s.id.clone()).unwrap_or_default(),
            what,
            positive: voters(true),
            negative: voters(false),
        }
    }
}
