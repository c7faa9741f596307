//! The eval stage: one ruleset and one case's facts in, an [`Evaluation`]
//! out — verdict, authors, per-element outcome, the facts an open outcome
//! depends on, and the full explanation.
//!
//! This module reads no files and knows no YAML. It uses Kleene's
//! three-valued logic throughout: an unknown fact makes a condition unknown,
//! never false, and an outcome that unknown facts could still change is
//! `undetermined`, naming those facts.

mod cache;
mod candidates;
pub mod compiled;
mod diagram;
mod error;
mod explain;
mod expr;
mod outcome;
pub mod reference;
mod truth;

use serde::Serialize;

pub use candidates::candidates as candidate_values;
pub use compiled::{CompileError, Evaluator};
pub use diagram::{MAX_COMPLETIONS, MAX_DIAGRAM_NODES, MAX_DIAGRAM_STEPS};
pub use error::EvalError;
pub use explain::{FactRead, RuleLink, RuleNode};
pub use expr::ConditionNode;
pub use outcome::{ElementOutcome, ElementStatus, Finding};
pub use truth::Truth;

pub use crate::model::Verdict;

use crate::model::{Facts, Rule, Ruleset, Vocabulary};
use crate::syntax::Date;

/// When, and under which reading, a ruleset is evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The date the law is taken as of.
    pub as_of: Date,
    /// The variant (named reading of unsettled law) to use, if any.
    pub variant: Option<String>,
}

impl Context {
    /// The law as of `as_of`, without variants.
    pub fn as_of(as_of: Date) -> Context {
        Context {
            as_of,
            variant: None,
        }
    }

    /// Why `rule` cannot apply in this context, or `None` if it can.
    pub fn inactive_reason(&self, ruleset: &Ruleset, rule: &Rule) -> Option<String> {
        let date = self.as_of;
        if !ruleset.in_force.covers(date) {
            return Some(format!("the ruleset is not in force on {date}"));
        }
        if !rule.in_force.covers(date) {
            let until = rule
                .in_force
                .until
                .map_or_else(String::new, |u| format!(" until {u}"));
            return Some(format!(
                "not in force on {date} (applies from {}{until})",
                rule.in_force.from
            ));
        }
        match (&rule.variant, &self.variant) {
            (Some(v), Some(chosen)) if v != chosen => {
                return Some(format!("applies only under the reading `{v}`"));
            }
            (Some(v), None) => return Some(format!("applies only under the reading `{v}`")),
            _ => {}
        }
        let replaced = self
            .variant
            .as_ref()
            .and_then(|v| ruleset.variant(v))
            .is_some_and(|v| v.replaces.contains(&rule.id));
        replaced.then(|| {
            format!(
                "replaced under the reading `{}`",
                self.variant.as_deref().unwrap_or("")
            )
        })
    }
}

/// The outcome of one case under one ruleset, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The ruleset's id.
    pub ruleset: String,
    /// The date the law was taken as of.
    pub as_of: Date,
    /// The reading of unsettled law used, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Whether the ruleset is in force on that date.
    pub in_force: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// When undetermined: the verdicts still possible.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_verdicts: Vec<Verdict>,
    /// The parties who are authors (empty when nothing is protected).
    pub authors: Vec<String>,
    /// Parties who may be authors, depending on unknown facts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub possible_authors: Vec<String>,
    /// Parties the ruleset holds are not authors.
    pub not_authors: Vec<String>,
    /// Each element the ruleset speaks about, with its status.
    pub elements: Vec<ElementOutcome>,
    /// Named conclusions that hold (e.g. a disclosure duty).
    pub findings: Vec<Finding>,
    /// When undetermined: the unknown facts the verdict depends on.
    pub depends_on: Vec<String>,
    /// The rules that apply and decide the outcome, in file order.
    pub decided_by: Vec<String>,
    /// Rules that may apply, depending on unknown facts.
    pub open: Vec<String>,
    /// Every rule with its values, in file order: the explanation tree's
    /// nodes (links between them are by rule id).
    pub rules: Vec<RuleNode>,
}

impl Evaluation {
    /// The explanation node of a rule.
    pub fn rule(&self, id: &str) -> Option<&RuleNode> {
        self.rules.iter().find(|r| r.rule == id)
    }
}

/// The verdict alone, without building the explanation. Compiles the
/// ruleset on each call: a ruleset of a library is better evaluated through
/// [`Library::evaluator`](crate::model::Library::evaluator), which compiles
/// it once, and a search over many fact sets should hold an evaluator.
pub fn verdict(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Verdict, EvalError> {
    compiled::Evaluator::new(ruleset, vocab, ctx)?.verdict(facts)
}

/// Whether each rule applies (in file order), without the outcome or the
/// explanation: the cheapest view. Compiles on each call, like [`verdict`].
pub fn rule_values(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Vec<Truth>, EvalError> {
    Ok(compiled::Evaluator::new(ruleset, vocab, ctx)?.rule_values(facts))
}

/// Evaluates a case's facts under a ruleset, with the explanation.
/// Compiles on each call, like [`verdict`].
pub fn evaluate(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Evaluation, EvalError> {
    compiled::Evaluator::new(ruleset, vocab, ctx)?.evaluate(facts)
}
