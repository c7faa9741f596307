//! Type checking of parsed conditions against the fact vocabulary and the
//! ruleset's conclusions. Reports every problem with the span it is about;
//! the loader turns spans into file positions.

use std::collections::BTreeSet;

use super::error::LoadErrorKind;
use crate::model::suggest;
use crate::model::{FactType, Vocabulary};
use crate::syntax::{CmpOp, Expr, Literal, Span, SpannedLiteral};

/// The type of a sub-expression.
#[derive(Debug, Clone, PartialEq)]
enum Ty<'v> {
    Bool,
    Int,
    Date,
    /// A string literal (matches enum and text facts).
    Str,
    /// An enum fact, with its type for value checks.
    Enum(&'v FactType),
    Text,
    /// Already reported; suppresses follow-on errors.
    Error,
}

impl Ty<'_> {
    fn name(&self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int => "integer",
            Ty::Date => "date",
            Ty::Str => "string",
            Ty::Enum(_) => "enum",
            Ty::Text => "text",
            Ty::Error => "error",
        }
    }
}

/// Checks one condition; returns the problems found (empty when well typed).
pub fn check_condition(
    expr: &Expr,
    vocab: &Vocabulary,
    conclusions: &BTreeSet<String>,
) -> Vec<(Span, LoadErrorKind)> {
    let mut checker = Checker {
        vocab,
        conclusions,
        errors: Vec::new(),
    };
    let ty = checker.infer(expr);
    checker.expect_bool(&ty, expr.span(), "a condition");
    checker.errors
}

struct Checker<'v> {
    vocab: &'v Vocabulary,
    conclusions: &'v BTreeSet<String>,
    errors: Vec<(Span, LoadErrorKind)>,
}

impl<'v> Checker<'v> {
    fn infer(&mut self, expr: &Expr) -> Ty<'v> {
        match expr {
            Expr::Literal { value, .. } => literal_type(value),
            Expr::Fact { span, name } => self.fact(*span, name),
            Expr::Conclusion { span, name } => self.conclusion(*span, name),
            Expr::Not { operand, .. } => self.boolean_operands(std::slice::from_ref(operand)),
            Expr::And { operands, .. } | Expr::Or { operands, .. } => {
                self.boolean_operands(operands)
            }
            Expr::Compare { op, lhs, rhs, .. } => self.compare(*op, lhs, rhs),
            Expr::In { operand, list, .. } => self.membership(operand, list),
        }
    }

    fn fact(&mut self, span: Span, name: &str) -> Ty<'v> {
        let Some(def) = self.vocab.fact(name) else {
            let suggestion = suggest(name, self.vocab.facts.keys().map(String::as_str));
            self.report(
                span,
                LoadErrorKind::Unknown {
                    what: "fact",
                    name: name.to_string(),
                    suggestion,
                },
            );
            return Ty::Error;
        };
        match &def.ty {
            FactType::Bool => Ty::Bool,
            FactType::Integer { .. } => Ty::Int,
            FactType::Date => Ty::Date,
            FactType::Text => Ty::Text,
            ty @ FactType::Enum { .. } => Ty::Enum(ty),
        }
    }

    fn conclusion(&mut self, span: Span, name: &str) -> Ty<'v> {
        if !self.conclusions.contains(name) {
            let suggestion = suggest(name, self.conclusions.iter().map(String::as_str));
            self.report(
                span,
                LoadErrorKind::DanglingConclusion {
                    name: name.to_string(),
                    suggestion,
                },
            );
            return Ty::Error;
        }
        Ty::Bool
    }

    fn boolean_operands(&mut self, operands: &[Expr]) -> Ty<'v> {
        for operand in operands {
            let ty = self.infer(operand);
            self.expect_bool(&ty, operand.span(), "an operand of `and`, `or` or `not`");
        }
        Ty::Bool
    }

    fn compare(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Ty<'v> {
        if !self.comparable(lhs) | !self.comparable(rhs) {
            return Ty::Bool;
        }
        let (lt, rt) = (self.infer(lhs), self.infer(rhs));
        if op.is_ordering() && !matches!(lt, Ty::Int | Ty::Date | Ty::Error) {
            self.report(
                lhs.span(),
                type_error(format!(
                    "`{}` orders integers and dates only, not {}",
                    op.symbol(),
                    lt.name()
                )),
            );
            return Ty::Bool;
        }
        if let (Ty::Str, Ty::Enum(def)) = (&lt, &rt) {
            self.enum_value(def, lhs);
        } else {
            self.compatible(&lt, rhs, &rt);
        }
        Ty::Bool
    }

    fn membership(&mut self, operand: &Expr, list: &[SpannedLiteral]) -> Ty<'v> {
        if !self.comparable(operand) {
            return Ty::Bool;
        }
        let ty = self.infer(operand);
        for item in list {
            let expr = Expr::Literal {
                span: item.span,
                value: item.value.clone(),
            };
            self.compatible(&ty, &expr, &literal_type(&item.value));
        }
        Ty::Bool
    }

    /// Only facts and literals are compared; a condition is combined with
    /// `and`, `or`, `not` instead.
    fn comparable(&mut self, expr: &Expr) -> bool {
        let ok = matches!(expr, Expr::Fact { .. } | Expr::Literal { .. });
        if !ok {
            self.report(expr.span(), type_error(
                "only a fact or a value can be compared; combine conditions with `and`, `or`, `not`".to_string(),
            ));
        }
        ok
    }

    /// Checks that `other` (of type `other_ty`) can be compared with a value
    /// of type `ty`; enum values must be allowed ones.
    fn compatible(&mut self, ty: &Ty<'v>, other: &Expr, other_ty: &Ty<'v>) {
        match (ty, other_ty) {
            (Ty::Error, _) | (_, Ty::Error) => {}
            (Ty::Enum(def), Ty::Str) => self.enum_value(def, other),
            (Ty::Enum(_), Ty::Enum(_)) | (Ty::Text, Ty::Str) | (Ty::Str, Ty::Text) => {}
            (Ty::Str, Ty::Enum(_)) => {}
            (a, b) if a == b => {}
            (a, b) => self.report(
                other.span(),
                type_error(format!("cannot compare {} with {}", a.name(), b.name())),
            ),
        }
    }

    fn enum_value(&mut self, def: &FactType, lit: &Expr) {
        let (
            Expr::Literal {
                value: Literal::Str(value),
                span,
            },
            FactType::Enum { values },
        ) = (lit, def)
        else {
            return;
        };
        if def.allows(value) {
            return;
        }
        let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
        self.report(
            *span,
            LoadErrorKind::NotAllowed {
                what: "value for this enum fact".to_string(),
                value: value.clone(),
                allowed: names.join(", "),
                suggestion: suggest(value, names.iter().copied()),
            },
        );
    }

    fn expect_bool(&mut self, ty: &Ty<'v>, span: Span, what: &str) {
        if !matches!(ty, Ty::Bool | Ty::Error) {
            self.report(
                span,
                type_error(format!(
                    "{what} must be true or false, but this is {}; compare it with a value",
                    ty.name()
                )),
            );
        }
    }

    fn report(&mut self, span: Span, kind: LoadErrorKind) {
        self.errors.push((span, kind));
    }
}

fn literal_type<'v>(lit: &Literal) -> Ty<'v> {
    match lit {
        Literal::Bool(_) => Ty::Bool,
        Literal::Int(_) => Ty::Int,
        Literal::Str(_) => Ty::Str,
        Literal::Date(_) => Ty::Date,
    }
}

fn type_error(message: String) -> LoadErrorKind {
    LoadErrorKind::Type(message)
}
