//! The Rego encoding (package `synthetic`, Rego v1): `r00`..`r49` as
//! boolean rules over `input.fNN` (an `or` becomes several bodies),
//! `any_yes` / `any_no`, the `verdict`, and `outcome`, the one entry point:
//! `{"rules": [r00, …, r49], "verdict": verdict}`.

use std::fmt::Write as _;

use crate::policy::{Literal, Policy, rule_name};

/// The rule every evaluation queries.
pub const ENTRY_POINT: &str = "data.synthetic.outcome";

/// The policy text.
pub fn policy(policy: &Policy) -> String {
    let mut out = String::from("package synthetic\n\nimport rego.v1\n\n");
    for (i, rule) in policy.rules.iter().enumerate() {
        let name = rule_name(i);
        let _ = writeln!(out, "default {name} := false");
        for group in &rule.when.groups {
            let body: Vec<String> = group.iter().map(|l| literal(*l)).collect();
            let _ = writeln!(out, "{name} if {{ {} }}", body.join("; "));
        }
    }
    out.push('\n');
    for (name, even) in [("any_yes", true), ("any_no", false)] {
        let _ = writeln!(out, "default {name} := false");
        for i in (0..policy.rules.len()).filter(|i| (i % 2 == 0) == even) {
            let _ = writeln!(out, "{name} if {}", rule_name(i));
        }
    }
    out.push_str(
        "\nverdict := \"protected\" if { any_yes; not any_no }\n\
         verdict := \"partially_protected\" if { any_yes; any_no }\n\
         verdict := \"not_protected\" if { not any_yes; any_no }\n\
         verdict := \"not_addressed\" if { not any_yes; not any_no }\n\n",
    );
    let rules: Vec<String> = (0..policy.rules.len()).map(rule_name).collect();
    let _ = writeln!(
        out,
        "outcome := {{\"rules\": [{}], \"verdict\": verdict}}",
        rules.join(", ")
    );
    out
}

fn literal(lit: Literal) -> String {
    let fact = format!("input.{}", crate::policy::fact_name(lit.fact));
    if lit.negated {
        format!("not {fact}")
    } else {
        fact
    }
}
