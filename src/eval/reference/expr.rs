//! Evaluating one condition over the facts and the conclusions established
//! so far, recording each sub-condition's value and, for unknown results,
//! the unknown facts that could settle it.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::eval::{ConditionNode, Truth};
use crate::model::{FactValue, Facts};
use crate::syntax::{CmpOp, Expr, Literal, SpannedLiteral};

/// The result of evaluating a condition.
pub struct Outcome {
    /// The value.
    pub value: Truth,
    /// When unknown: the unknown facts (and conclusions' facts) it hinges on.
    pub depends_on: BTreeSet<String>,
    /// The tree of sub-condition values.
    pub node: ConditionNode,
}

/// What a condition can read besides facts.
pub trait Conclusions {
    /// The value of `@name`, and the facts it hinges on when unknown.
    fn conclusion(&self, name: &str) -> (Truth, BTreeSet<String>);
}

/// Evaluates `expr`.
pub fn evaluate_expr(expr: &Expr, facts: &Facts, conclusions: &dyn Conclusions) -> Outcome {
    let (value, depends_on, parts) = match expr {
        Expr::Literal {
            value: Literal::Bool(b),
            ..
        } => (Truth::from_bool(*b), BTreeSet::new(), vec![]),
        Expr::Literal { .. } => (Truth::Unknown, BTreeSet::new(), vec![]),
        Expr::Fact { name, .. } => leaf(facts, name, |v| matches!(v, FactValue::Bool(true))),
        Expr::Conclusion { name, .. } => {
            let (v, d) = conclusions.conclusion(name);
            (v, d, vec![])
        }
        Expr::Not { operand, .. } => {
            let inner = evaluate_expr(operand, facts, conclusions);
            (inner.value.not(), inner.depends_on, vec![inner.node])
        }
        Expr::And { operands, .. } => chain(operands, facts, conclusions, Truth::and, Truth::False),
        Expr::Or { operands, .. } => chain(operands, facts, conclusions, Truth::or, Truth::True),
        Expr::Compare { op, lhs, rhs, .. } => compare(*op, lhs, rhs, facts),
        Expr::In {
            negated,
            operand,
            list,
            ..
        } => membership(*negated, operand, list, facts),
    };
    let depends_on = if value == Truth::Unknown {
        depends_on
    } else {
        BTreeSet::new()
    };
    Outcome {
        value,
        depends_on,
        node: ConditionNode {
            text: expr.to_string(),
            value,
            parts,
        },
    }
}

type Parts = (Truth, BTreeSet<String>, Vec<ConditionNode>);

fn leaf(facts: &Facts, name: &str, test: impl Fn(&FactValue) -> bool) -> Parts {
    match facts.get(name) {
        Some(v) => (Truth::from_bool(test(v)), BTreeSet::new(), vec![]),
        None => (Truth::Unknown, BTreeSet::from([name.to_string()]), vec![]),
    }
}

// `and` / `or`: a decisive operand (False for `and`, True for `or`) settles
// the chain whatever the unknown operands are, so they are no dependency.
fn chain(
    operands: &[Expr],
    facts: &Facts,
    conclusions: &dyn Conclusions,
    combine: fn(Truth, Truth) -> Truth,
    decisive: Truth,
) -> Parts {
    let mut value = decisive.not();
    let mut depends_on = BTreeSet::new();
    let mut parts = Vec::with_capacity(operands.len());
    for operand in operands {
        let out = evaluate_expr(operand, facts, conclusions);
        value = combine(value, out.value);
        depends_on.extend(out.depends_on);
        parts.push(out.node);
    }
    (value, depends_on, parts)
}

fn compare(op: CmpOp, lhs: &Expr, rhs: &Expr, facts: &Facts) -> Parts {
    let (l, r) = (operand_value(lhs, facts), operand_value(rhs, facts));
    let mut depends_on = BTreeSet::new();
    for (side, value) in [(lhs, &l), (rhs, &r)] {
        if let (Expr::Fact { name, .. }, None) = (side, value) {
            depends_on.insert(name.clone());
        }
    }
    let value = match (l, r) {
        (Some(l), Some(r)) => {
            FactValue::order(&l, &r).map_or(Truth::False, |o| Truth::from_bool(op.holds(o)))
        }
        _ => Truth::Unknown,
    };
    (value, depends_on, vec![])
}

fn membership(negated: bool, operand: &Expr, list: &[SpannedLiteral], facts: &Facts) -> Parts {
    let Some(value) = operand_value(operand, facts) else {
        let deps = match operand {
            Expr::Fact { name, .. } => BTreeSet::from([name.clone()]),
            _ => BTreeSet::new(),
        };
        return (Truth::Unknown, deps, vec![]);
    };
    let found = list.iter().any(|item| {
        FactValue::order(&value, &FactValue::from_literal(&item.value)) == Some(Ordering::Equal)
    });
    (Truth::from_bool(found != negated), BTreeSet::new(), vec![])
}

fn operand_value(expr: &Expr, facts: &Facts) -> Option<FactValue> {
    match expr {
        Expr::Fact { name, .. } => facts.get(name).cloned(),
        Expr::Literal { value, .. } => Some(FactValue::from_literal(value)),
        // Type checking admits only facts and literals as comparison
        // operands that are not booleans; a nested boolean is compared by value.
        _ => None,
    }
}
