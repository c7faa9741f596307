//! Walking a condition: every node in turn, and the facts and conclusions
//! it reads — the one definition every later stage uses.

use std::collections::BTreeSet;

use super::ast::Expr;

impl Expr {
    /// Calls `f` on every node of the condition, parents first.
    pub fn visit<'e>(&'e self, f: &mut impl FnMut(&'e Expr)) {
        f(self);
        match self {
            Expr::Not { operand, .. } | Expr::In { operand, .. } => operand.visit(f),
            Expr::And { operands, .. } | Expr::Or { operands, .. } => {
                operands.iter().for_each(|o| o.visit(f));
            }
            Expr::Compare { lhs, rhs, .. } => {
                lhs.visit(f);
                rhs.visit(f);
            }
            Expr::Literal { .. } | Expr::Fact { .. } | Expr::Conclusion { .. } => {}
        }
    }

    /// The facts the condition reads, in order of first mention.
    pub fn facts_read(&self) -> Vec<&str> {
        self.names(|e| match e {
            Expr::Fact { name, .. } => Some(name),
            _ => None,
        })
    }

    /// The conclusions (`@name`) the condition reads, in order of first
    /// mention.
    pub fn conclusions_read(&self) -> Vec<&str> {
        self.names(|e| match e {
            Expr::Conclusion { name, .. } => Some(name),
            _ => None,
        })
    }

    fn names<'e>(&'e self, pick: impl Fn(&'e Expr) -> Option<&'e String>) -> Vec<&'e str> {
        // A set for the check: a hostile chain may name thousands of facts.
        let mut seen = BTreeSet::new();
        let mut out: Vec<&str> = Vec::new();
        self.visit(&mut |e| {
            if let Some(name) = pick(e)
                && seen.insert(name.as_str())
            {
                out.push(name);
            }
        });
        out
    }
}
