//! The zen-engine encoding: a JDM decision graph `input → expression →
//! output`. The expression node computes `r00`..`r49` from the input
//! fields, then `any_yes` / `any_no`, `rules` (the 50 values as one array)
//! and `verdict` from the earlier keys (`$.r00`), with `passThrough` off so
//! the result holds only those keys.

use serde_json::{Value, json};

use super::{Syntax, bare_fact, infix};
use crate::policy::{Policy, rule_name};

/// ZEN expression syntax.
const SYNTAX: Syntax = Syntax {
    and: " and ",
    or: " or ",
    not: "not ",
    fact: bare_fact,
};

/// The decision graph as JSON.
pub fn graph(policy: &Policy) -> Value {
    let mut expressions: Vec<Value> = policy
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| expression(&rule_name(i), &infix(&rule.when, &SYNTAX)))
        .collect();
    for (key, even) in [("any_yes", true), ("any_no", false)] {
        let refs: Vec<String> = (0..policy.rules.len())
            .filter(|i| (i % 2 == 0) == even)
            .map(|i| format!("$.{}", rule_name(i)))
            .collect();
        expressions.push(expression(key, &refs.join(" or ")));
    }
    // The rule values once more as one array, so that the runner reads the
    // result with two lookups (`rules`, `verdict`), as it reads regorus'.
    let all: Vec<String> = (0..policy.rules.len())
        .map(|i| format!("$.{}", rule_name(i)))
        .collect();
    expressions.push(expression("rules", &format!("[{}]", all.join(", "))));
    expressions.push(expression(
        "verdict",
        "$.any_yes ? ($.any_no ? 'partially_protected' : 'protected') \
         : ($.any_no ? 'not_protected' : 'not_addressed')",
    ));
    json!({
        "nodes": [
            node("in", "inputNode", json!({})),
            node("calc", "expressionNode", json!({
                "expressions": expressions,
                "passThrough": false,
                "inputField": null,
                "outputPath": null,
                "executionMode": "single"
            })),
            node("out", "outputNode", json!({})),
        ],
        "edges": [
            {"id": "in-calc", "sourceId": "in", "targetId": "calc", "type": "edge"},
            {"id": "calc-out", "sourceId": "calc", "targetId": "out", "type": "edge"}
        ]
    })
}

fn node(id: &str, kind: &str, content: Value) -> Value {
    json!({"id": id, "type": kind, "name": id, "position": {"x": 0, "y": 0}, "content": content})
}

fn expression(key: &str, value: &str) -> Value {
    json!({"id": key, "key": key, "value": value})
}
