//! Rule-level evaluation: each rule's condition and whether it applies
//! (condition true, no exception applying), in dependency order; and the
//! explanation node of each rule.

use std::collections::BTreeSet;

use super::expr::{Conclusions as Lookup, evaluate_expr};
use crate::eval::explain::{RuleNode, Values, rule_node};
use crate::eval::{ConditionNode, Context, Truth};
use crate::model::{Completion, Facts, Ruleset};

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

/// Builds the explanation node of every rule, in file order.
pub fn explain(
    ruleset: &Ruleset,
    completion: &Completion,
    states: &[RuleState],
    ctx: &Context,
) -> Vec<RuleNode> {
    let facts = &completion.facts;
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
                value_of: &|fact| facts.get(fact).cloned(),
                not_arising: &|fact| {
                    completion
                        .not_arising
                        .get(fact)
                        .map(|n| n.arises_when.clone())
                },
            };
            rule_node(ruleset, ctx, i, rule, values)
        })
        .collect()
}
