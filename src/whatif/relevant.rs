//! The facts that can affect a ruleset's verdict: those read by rules that
//! decide elements, and by every rule such a rule depends on through
//! `@conclusions` or exception links. Findings-only rules (a disclosure
//! duty, say) cannot move a verdict, so their facts are not searched.

use std::collections::BTreeSet;

use crate::eval::Context;
use crate::model::Ruleset;

/// The verdict-relevant facts of a ruleset in a context, sorted.
pub fn relevant_facts(ruleset: &Ruleset, ctx: &Context) -> BTreeSet<String> {
    let deciding: Vec<usize> = (0..ruleset.rules.len())
        .filter(|&i| {
            ruleset
                .rules
                .get(i)
                .is_some_and(|r| !r.then.protected.is_empty() || !r.then.not_protected.is_empty())
        })
        .collect();
    facts_behind(ruleset, &deciding, ctx)
}

/// The facts read by the given rules and by every active rule they depend
/// on (through `@conclusions` and exception links), sorted.
pub fn facts_behind(ruleset: &Ruleset, start: &[usize], ctx: &Context) -> BTreeSet<String> {
    let active = |i: usize| {
        ruleset
            .rules
            .get(i)
            .is_some_and(|r| ctx.inactive_reason(ruleset, r).is_none())
    };
    let mut wanted: Vec<usize> = start.iter().copied().filter(|&i| active(i)).collect();
    let mut seen: BTreeSet<usize> = wanted.iter().copied().collect();
    while let Some(i) = wanted.pop() {
        for dep in dependencies(ruleset, i) {
            if active(dep) && seen.insert(dep) {
                wanted.push(dep);
            }
        }
    }
    let mut facts = BTreeSet::new();
    for rule in seen.iter().filter_map(|&i| ruleset.rules.get(i)) {
        facts.extend(rule.when.facts_read().into_iter().map(str::to_string));
    }
    facts
}

fn dependencies(ruleset: &Ruleset, i: usize) -> Vec<usize> {
    let mut out: Vec<usize> = ruleset.index.exceptions.get(i).cloned().unwrap_or_default();
    if let Some(rule) = ruleset.rules.get(i) {
        for c in rule.when.conclusions_read() {
            out.extend(ruleset.index.holders.get(c).into_iter().flatten());
        }
    }
    out
}
