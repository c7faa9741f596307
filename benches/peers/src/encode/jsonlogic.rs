//! The JSONLogic encoding for json-logic-engine: one logic per rule over
//! `{"var": "fNN"}`, and a verdict logic that reads the rule values back as
//! `{"var": "7"}` (the engine runs it on the array of rule values).

use serde_json::{Value, json};

use crate::policy::{Condition, Literal, Policy, fact_name};

/// The rule logics, in rule order.
pub fn rules(policy: &Policy) -> Vec<Value> {
    policy.rules.iter().map(|r| condition(&r.when)).collect()
}

/// The verdict logic, over the array of rule values.
pub fn verdict(rules: usize) -> Value {
    let any = |even: bool| {
        let refs: Vec<Value> = (0..rules)
            .filter(|i| (i % 2 == 0) == even)
            .map(|i| json!({"var": i.to_string()}))
            .collect();
        json!({"or": refs})
    };
    json!({"if": [
        any(true), {"if": [any(false), "partially_protected", "protected"]},
        any(false), "not_protected",
        "not_addressed"
    ]})
}

fn condition(condition: &Condition) -> Value {
    let group =
        |g: &Vec<Literal>| json!({"and": g.iter().map(|l| literal(*l)).collect::<Vec<_>>()});
    match condition.groups.as_slice() {
        [only] => group(only),
        groups => json!({"or": groups.iter().map(group).collect::<Vec<_>>()}),
    }
}

fn literal(lit: Literal) -> Value {
    let var = json!({"var": fact_name(lit.fact)});
    if lit.negated { json!({"!": var}) } else { var }
}
