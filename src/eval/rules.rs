//! Rule-level evaluation: each rule's condition and whether it applies
//! (condition true, no exception applying), in dependency order; and the
//! explanation node of each rule.

use std::collections::BTreeSet;

use serde::Serialize;

use super::Context;
use super::expr::{Conclusions as Lookup, ConditionNode, evaluate_expr};
use super::truth::Truth;
use crate::model::{
    Conclusions, Confidence, FactValue, Facts, Rule, Ruleset, conclusions_read, visit,
};
use crate::syntax::Expr;

/// A rule's values during evaluation.
pub struct RuleState {
    /// Whether the rule applies.
    pub applies: Truth,
    /// When `applies` is unknown: the facts it hinges on.
    pub depends_on: BTreeSet<String>,
    /// The condition's value tree.
    pub node: ConditionNode,
}

struct Partial<'a> {
    ruleset: &'a Ruleset,
    states: Vec<Option<RuleState>>,
}

impl Lookup for Partial<'_> {
    fn conclusion(&self, name: &str) -> (Truth, BTreeSet<String>) {
        let holders = self
            .ruleset
            .index
            .holders
            .get(name)
            .map_or(&[][..], Vec::as_slice);
        combine_any(holders.iter().filter_map(|&h| self.states.get(h)?.as_ref()))
    }
}

/// OR over rules' `applies`, with the facts that could settle an unknown.
fn combine_any<'s>(states: impl Iterator<Item = &'s RuleState>) -> (Truth, BTreeSet<String>) {
    let mut value = Truth::False;
    let mut deps = BTreeSet::new();
    for s in states {
        value = value.or(s.applies);
        if s.applies == Truth::Unknown {
            deps.extend(s.depends_on.iter().cloned());
        }
    }
    if value != Truth::Unknown {
        deps.clear();
    }
    (value, deps)
}

/// Evaluates every rule; the result is indexed like `ruleset.rules`.
pub fn evaluate_rules(ruleset: &Ruleset, facts: &Facts, ctx: &Context) -> Vec<RuleState> {
    let mut partial = Partial {
        ruleset,
        states: (0..ruleset.rules.len()).map(|_| None).collect(),
    };
    for &i in &ruleset.index.order {
        let Some(rule) = ruleset.rules.get(i) else {
            continue;
        };
        let cond = evaluate_expr(&rule.when, facts, &partial);
        let exceptions = ruleset
            .index
            .exceptions
            .get(i)
            .map_or(&[][..], Vec::as_slice);
        let (defeated, defeat_deps) = combine_any(
            exceptions
                .iter()
                .filter_map(|&e| partial.states.get(e)?.as_ref()),
        );
        // A rule not in force (or outside the chosen reading) never applies;
        // its condition is still evaluated, so the explanation can show it.
        let active = ctx.inactive_reason(ruleset, rule).is_none();
        let applies = if active {
            cond.value.and(defeated.not())
        } else {
            Truth::False
        };
        let mut depends_on = BTreeSet::new();
        if applies == Truth::Unknown {
            depends_on.extend(cond.depends_on);
            depends_on.extend(defeat_deps);
        }
        let state = RuleState {
            applies,
            depends_on,
            node: cond.node,
        };
        if let Some(slot) = partial.states.get_mut(i) {
            *slot = Some(state);
        }
    }
    partial
        .states
        .into_iter()
        .map(|s| s.unwrap_or_else(unevaluated))
        .collect()
}

// Only reachable for a ruleset built by hand with an incomplete order.
fn unevaluated() -> RuleState {
    RuleState {
        applies: Truth::Unknown,
        depends_on: BTreeSet::new(),
        node: ConditionNode {
            text: String::new(),
            value: Truth::Unknown,
            parts: vec![],
        },
    }
}

/// A fact a condition reads, with its value (`None` = unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactRead {
    /// The fact.
    pub fact: String,
    /// Its value, or `None` when unknown.
    pub value: Option<FactValue>,
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
    /// How well the brief supports it.
    pub confidence: Confidence,
    /// The encoder's reading, when the rule is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interpretation: Option<String>,
}

/// Builds the explanation node of every rule, in file order.
pub fn explain(
    ruleset: &Ruleset,
    facts: &Facts,
    states: &[RuleState],
    ctx: &Context,
) -> Vec<RuleNode> {
    ruleset
        .rules
        .iter()
        .zip(states)
        .enumerate()
        .map(|(i, (rule, state))| {
            let values = Values {
                applies: state.applies,
                condition: state.node.clone(),
                depends_on: state.depends_on.iter().cloned().collect(),
                applies_of: &|j| states.get(j).map(|s| s.applies),
            };
            rule_node(ruleset, facts, ctx, i, rule, values)
        })
        .collect()
}

/// A rule's values, however they were computed (tree evaluator or compiled
/// record): what [`rule_node`] needs besides the rule itself.
pub(super) struct Values<'a> {
    /// Whether the rule applies.
    pub applies: Truth,
    /// Its condition's value tree.
    pub condition: ConditionNode,
    /// When it may apply: the unknown facts it hinges on.
    pub depends_on: Vec<String>,
    /// Whether rule `j` applies (for the links to other rules).
    pub applies_of: &'a dyn Fn(usize) -> Option<Truth>,
}

/// The explanation node of rule `i`: its values, the facts it read, the
/// rules it relies on and its exceptions (with whether they apply), why it
/// cannot apply if it is inactive, and where it comes from. Shared by the
/// tree evaluator and the compiled one, so the two explain alike.
pub(super) fn rule_node(
    ruleset: &Ruleset,
    facts: &Facts,
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
    let relies_on = conclusions_read(&rule.when)
        .iter()
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
        facts: facts_read(&rule.when, facts),
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
    }
}

pub(super) fn facts_read(expr: &Expr, facts: &Facts) -> Vec<FactRead> {
    let mut names: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    visit(expr, &mut |e| {
        if let Expr::Fact { name, .. } = e
            && seen.insert(name.clone())
        {
            names.push(name.clone());
        }
    });
    names
        .into_iter()
        .map(|fact| FactRead {
            value: facts.get(&fact).cloned(),
            fact,
        })
        .collect()
}
