//! The eval stage: one ruleset and one case's facts in, an [`Evaluation`]
//! out — verdict, authors, per-element outcome, the facts an open outcome
//! depends on, and the full explanation.
//!
//! This module reads no files and knows no YAML. It uses Kleene's
//! three-valued logic throughout: an unknown fact makes a condition unknown,
//! never false, and an outcome that unknown facts could still change is
//! `undetermined`, naming those facts.

pub mod compiled;
mod error;
mod expr;
mod outcome;
mod possible;
mod rules;
mod truth;

use serde::Serialize;

pub use error::EvalError;
pub use expr::ConditionNode;
pub use outcome::{ElementOutcome, ElementStatus, Finding};
pub use possible::{MAX_COMPLETIONS, candidates as candidate_values};
pub use rules::{FactRead, RuleNode};
pub use truth::Truth;

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

/// The verdict vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Protected, with nothing excluded.
    Protected,
    /// Some elements protected, others not.
    PartiallyProtected,
    /// Nothing protected.
    NotProtected,
    /// The facts given do not settle it.
    Undetermined,
    /// The authority's holding does not reach these facts.
    NotAddressed,
}

impl Verdict {
    /// Every verdict, in display order.
    pub const ALL: [Verdict; 5] = [
        Verdict::Protected,
        Verdict::PartiallyProtected,
        Verdict::NotProtected,
        Verdict::Undetermined,
        Verdict::NotAddressed,
    ];

    /// The verdict's name as written in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Protected => "protected",
            Verdict::PartiallyProtected => "partially_protected",
            Verdict::NotProtected => "not_protected",
            Verdict::Undetermined => "undetermined",
            Verdict::NotAddressed => "not_addressed",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
/// ruleset on each call: a search over many fact sets should hold a
/// [`compiled::Evaluator`].
pub fn verdict(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Verdict, EvalError> {
    compiled::Evaluator::new(ruleset, vocab, ctx).verdict(facts)
}

/// Whether each rule applies (in file order), without the outcome or the
/// explanation: the cheapest view.
pub fn rule_values(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Vec<Truth> {
    compiled::Evaluator::new(ruleset, vocab, ctx).rule_values(facts)
}

/// Evaluates a case's facts under a ruleset, with the explanation.
pub fn evaluate(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
) -> Result<Evaluation, EvalError> {
    compiled::Evaluator::new(ruleset, vocab, ctx).evaluate(facts)
}

/// The tree-walking evaluator: the definition of the semantics the
/// compiled evaluator must reproduce (tests compare the two on every case
/// and on random facts). Slower: it allocates the explanation as it goes.
pub mod reference {
    use super::*;

    /// The verdict alone (tree evaluator).
    pub fn verdict(
        ruleset: &Ruleset,
        vocab: &Vocabulary,
        facts: &Facts,
        ctx: &Context,
    ) -> Result<Verdict, EvalError> {
        let states = rules::evaluate_rules(ruleset, facts, ctx);
        let outcome = outcome::decide(ruleset, vocab, &states)?;
        if outcome.verdict != Verdict::Undetermined {
            return Ok(outcome.verdict);
        }
        // Same answer as `evaluate`'s refinement, found with an early exit.
        Ok(
            possible::single_verdict(ruleset, vocab, facts, ctx, &outcome.depends_on)
                .unwrap_or(Verdict::Undetermined),
        )
    }

    /// Whether each rule applies, in file order (tree evaluator).
    pub fn rule_values(ruleset: &Ruleset, facts: &Facts, ctx: &Context) -> Vec<Truth> {
        rules::evaluate_rules(ruleset, facts, ctx)
            .into_iter()
            .map(|s| s.applies)
            .collect()
    }

    /// Evaluates a case's facts under a ruleset (tree evaluator).
    pub fn evaluate(
        ruleset: &Ruleset,
        vocab: &Vocabulary,
        facts: &Facts,
        ctx: &Context,
    ) -> Result<Evaluation, EvalError> {
        let states = rules::evaluate_rules(ruleset, facts, ctx);
        let mut outcome = outcome::decide(ruleset, vocab, &states)?;
        if outcome.verdict == Verdict::Undetermined {
            refine(&mut outcome, ruleset, vocab, facts, ctx);
        }
        let nodes = rules::explain(ruleset, facts, &states, ctx);
        let pick = |truth: Truth| -> Vec<String> {
            ruleset
                .rules
                .iter()
                .zip(&states)
                .filter(|(r, s)| s.applies == truth && r.then.decides_outcome())
                .map(|(r, _)| r.id.clone())
                .collect()
        };
        Ok(Evaluation {
            ruleset: ruleset.id.clone(),
            as_of: ctx.as_of,
            variant: ctx.variant.clone(),
            in_force: ruleset.in_force.covers(ctx.as_of),
            verdict: outcome.verdict,
            possible_verdicts: outcome.possible,
            authors: outcome.authors,
            possible_authors: outcome.possible_authors,
            not_authors: outcome.not_authors,
            elements: outcome.elements,
            findings: outcome.findings,
            depends_on: outcome.depends_on,
            decided_by: pick(Truth::True),
            open: pick(Truth::Unknown),
            rules: nodes,
        })
    }

    /// Replaces the Kleene approximation of what is still possible with the
    /// exact set, found by enumerating the unknown facts (when few enough).
    fn refine(
        outcome: &mut outcome::Decided,
        ruleset: &Ruleset,
        vocab: &Vocabulary,
        facts: &Facts,
        ctx: &Context,
    ) {
        let Some(p) = possible::enumerate(ruleset, vocab, facts, ctx, &outcome.depends_on) else {
            return;
        };
        if let [only] = p.verdicts.as_slice() {
            // Every way the unknown facts can turn out leads to one verdict.
            outcome.verdict = *only;
            outcome.possible.clear();
            outcome.depends_on.clear();
        } else {
            outcome.possible = p.verdicts;
        }
        for element in &mut outcome.elements {
            let Some(seen) = p.elements.get(&element.element) else {
                continue;
            };
            let statuses: Vec<ElementStatus> = seen.iter().flatten().copied().collect();
            match (statuses.as_slice(), seen.contains(&None)) {
                ([only], false) => {
                    element.status = *only;
                    element.possible.clear();
                    element.depends_on.clear();
                }
                _ => element.possible = statuses,
            }
        }
        outcome.possible_authors.retain(|a| p.authors.contains(a));
    }
}
