//! The explanation's nodes, shared by both evaluators: one node per rule
//! with its values, the facts it read, the rules it relies on and its
//! exceptions, and where it comes from. Both evaluators build them with
//! [`rule_node`], so they explain alike.

use serde::Serialize;

use super::Context;
use super::expr::ConditionNode;
use super::truth::Truth;
use crate::model::{Conclusions, Confidence, FactValue, Rule, Ruleset};
use crate::syntax::Expr;

/// A fact a condition reads, with its value (`None` = unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactRead {
    /// The fact.
    pub fact: String,
    /// Its value, or `None` when unknown.
    pub value: Option<FactValue>,
    /// When the fact does not arise on these facts: the condition under
    /// which it would (false here); `value` is then its defined value,
    /// stated by nobody.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub does_not_arise: Option<String>,
}

/// A link to another rule, with whether it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleLink {
    /// The other rule's id.
    pub rule: String,
    /// Whether it applies.
    pub applies: Truth,
}

/// One rule in the explanation: its values, the facts it read, the rules it
/// relies on and the exceptions it considered, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleNode {
    /// The rule's id.
    pub rule: String,
    /// Its title.
    pub title: String,
    /// Whether it applies.
    pub applies: Truth,
    /// Why it cannot apply on the as-of date or under the chosen reading
    /// (not yet or no longer in force; another variant's rule), if so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inactive: Option<String>,
    /// Its condition's value tree.
    pub condition: ConditionNode,
    /// Facts the condition reads.
    pub facts: Vec<FactRead>,
    /// Rules establishing the conclusions (`@name`) the condition reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relies_on: Vec<RuleLink>,
    /// Rules that are exceptions to this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<RuleLink>,
    /// What it concludes when it applies.
    pub then: Conclusions,
    /// When it may apply depending on unknown facts: those facts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// Plain-language reason.
    pub because: String,
    /// The source's title.
    pub source: String,
    /// The source's citation.
    pub citation: String,
    /// Where in the source.
    pub pinpoint: String,
    /// The source's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// How well the sources support it.
    pub confidence: Confidence,
    /// The encoder's reading, when the rule is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interpretation: Option<String>,
    /// How far that reading goes beyond the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
}

/// A rule's values, however they were computed (tree evaluator or compiled
/// record): what [`rule_node`] needs besides the rule itself.
pub(crate) struct Values<'a> {
    /// Whether the rule applies.
    pub applies: Truth,
    /// Its condition's value tree.
    pub condition: ConditionNode,
    /// When it may apply: the unknown facts it hinges on.
    pub depends_on: Vec<String>,
    /// Whether rule `j` applies (for the links to other rules).
    pub applies_of: &'a dyn Fn(usize) -> Option<Truth>,
    /// The value of a fact (`None`: unknown), for the facts the rule reads.
    pub value_of: &'a dyn Fn(&str) -> Option<FactValue>,
    /// For a fact that does not arise: the condition under which it would.
    pub not_arising: &'a dyn Fn(&str) -> Option<String>,
}

/// The explanation node of rule `i`: its values, the facts it read, the
/// rules it relies on and its exceptions (with whether they apply), why it
/// cannot apply if it is inactive, and where it comes from. Shared by the
/// tree evaluator and the compiled one, so the two explain alike.
pub(crate) fn rule_node(
    ruleset: &Ruleset,
    ctx: &Context,
    i: usize,
    rule: &Rule,
    values: Values<'_>,
) -> RuleNode {
    let link = |j: &usize| {
        let other = ruleset.rules.get(*j)?;
        Some(RuleLink {
            rule: other.id.clone(),
            applies: (values.applies_of)(*j)?,
        })
    };
    let relies_on = rule
        .when
        .conclusions_read()
        .into_iter()
        .flat_map(|c| ruleset.index.holders.get(c).into_iter().flatten())
        .filter_map(link)
        .collect();
    let exceptions = ruleset
        .index
        .exceptions
        .get(i)
        .into_iter()
        .flatten()
        .filter_map(link)
        .collect();
    let source = ruleset.source(&rule.citation.source);
    RuleNode {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        applies: values.applies,
        inactive: ctx.inactive_reason(ruleset, rule),
        condition: values.condition,
        facts: facts_read(&rule.when, values.value_of, values.not_arising),
        relies_on,
        exceptions,
        then: rule.then.clone(),
        depends_on: values.depends_on,
        because: rule.because.clone(),
        source: source.map_or_else(String::new, |s| s.title.clone()),
        citation: source.map_or_else(String::new, |s| s.citation.clone()),
        pinpoint: rule.citation.pinpoint.clone(),
        quote: rule.citation.quote.clone(),
        confidence: rule.citation.confidence,
        interpretation: rule.interpretation.clone(),
        reading: rule.reading.clone(),
    }
}

fn facts_read(
    expr: &Expr,
    value_of: &dyn Fn(&str) -> Option<FactValue>,
    not_arising: &dyn Fn(&str) -> Option<String>,
) -> Vec<FactRead> {
    expr.facts_read()
        .into_iter()
        .map(|fact| FactRead {
            value: value_of(fact),
            does_not_arise: not_arising(fact),
            fact: fact.to_string(),
        })
        .collect()
}
