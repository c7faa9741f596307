//! The four encodings of the one synthetic [`Policy`](crate::policy::Policy),
//! each generated from the same in-memory rules: authorship YAML, Rego, a
//! JDM decision graph (zen-engine) and JSONLogic.

pub mod authorship_yaml;
pub mod jdm;
pub mod jsonlogic;
pub mod rego;

use crate::policy::{Condition, Literal, fact_name};

/// Spellings of `and`, `or` and `not` in a textual condition language.
pub struct Syntax {
    /// The conjunction, with spaces: `" and "`.
    pub and: &'static str,
    /// The disjunction, with spaces: `" or "`.
    pub or: &'static str,
    /// The negation prefix: `"not "`.
    pub not: &'static str,
    /// How a fact is referenced: `f07` or `input.f07`.
    pub fact: fn(usize) -> String,
}

/// The condition in infix syntax: `f01 and not f02`, or
/// `(f01 and f02) or (not f03 and f04)`.
pub fn infix(condition: &Condition, syntax: &Syntax) -> String {
    let group = |g: &Vec<Literal>| {
        g.iter()
            .map(|lit| literal(*lit, syntax))
            .collect::<Vec<_>>()
            .join(syntax.and)
    };
    match condition.groups.as_slice() {
        [only] => group(only),
        groups => groups
            .iter()
            .map(|g| format!("({})", group(g)))
            .collect::<Vec<_>>()
            .join(syntax.or),
    }
}

fn literal(lit: Literal, syntax: &Syntax) -> String {
    let fact = (syntax.fact)(lit.fact);
    if lit.negated {
        format!("{}{fact}", syntax.not)
    } else {
        fact
    }
}

/// The plain fact name, for languages that read input fields by name.
pub fn bare_fact(i: usize) -> String {
    fact_name(i)
}
