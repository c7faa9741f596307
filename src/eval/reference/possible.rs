//! Exact "still possible" outcomes of an undetermined evaluation.
//!
//! Kleene logic alone over-approximates: two rules that exclude each other
//! (a rule and its exception) both look "maybe" and would suggest a
//! verdict no completion of the facts reaches. The definition: each unknown
//! fact the open outcome depends on takes, in turn, every value that can
//! matter (booleans, enum values, and for integers, dates and texts the
//! values the ruleset's conditions compare with and their neighbours:
//! `candidate_values`; a fact with none stays unknown); the other unknown
//! facts stay unknown; each completion is evaluated and decided; those on
//! which rules contradict each other reach no outcome.
//!
//! Not one completion at a time: the rules are evaluated once, for this
//! case, over decision diagrams whose variables are those facts
//! ([`crate::eval::diagram`]), so the cost follows the diagrams' size, not
//! the number of completions. (The compiled evaluator computes the same
//! sets another way: one diagram per ruleset over every fact it reads,
//! restricted to each case.)

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::candidates::candidates;
use crate::eval::diagram::{self, Builder, FALSE, Id, Roots, TooLarge, Tri, Voter};
use crate::eval::{Context, ElementStatus, Truth, Verdict};
use crate::model::{FactValue, Facts, Ruleset, Vocabulary};
use crate::syntax::{CmpOp, Expr, Literal, SpannedLiteral};

/// What the completions of the unknown facts can lead to.
#[derive(Debug, PartialEq, Eq)]
pub struct Possible {
    /// Verdicts reached by some completion.
    pub verdicts: Vec<Verdict>,
    /// For each element, the statuses some completion gives it
    /// (`None` = the rules do not reach it); empty when no completion
    /// reaches an outcome.
    pub elements: BTreeMap<String, BTreeSet<Option<ElementStatus>>>,
    /// Parties that are authors in some completion.
    pub authors: BTreeSet<String>,
}

/// The outcomes the completions of `unknown` reach: over diagrams, or,
/// when those would pass their budget ([`crate::eval::MAX_DIAGRAM_NODES`]),
/// by trying each completion; `Err` when there are more than
/// [`crate::eval::MAX_COMPLETIONS`] of them too.
pub fn possible(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    unknown: &[String],
) -> Result<Possible, TooLarge> {
    let vars = Vars::new(ruleset, vocab, unknown);
    over_diagrams(ruleset, vocab, facts, ctx, &vars).or_else(|TooLarge| {
        super::tried::possible(ruleset, vocab, facts, ctx, &vars.names, &vars.values)
    })
}

pub(super) fn over_diagrams(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    vars: &Vars,
) -> Result<Possible, TooLarge> {
    let mut b = Builder::new(vars.values.iter().map(Vec::len).collect());
    let applies = Sym {
        ruleset,
        vocab,
        facts,
        vars,
        b: &mut b,
        states: vec![None; ruleset.rules.len()],
        not_arising: BTreeMap::new(),
        defined: Vec::new(),
    }
    .rules(ctx)?;
    let subjects = |ids: Vec<&String>, field: fn(&crate::model::Conclusions) -> Sides| {
        ids.iter()
            .map(|id| voters(ruleset, id, field))
            .collect::<Vec<_>>()
    };
    let elements: Vec<&String> = vocab.elements.keys().collect();
    let parties: Vec<&String> = vocab.parties.keys().collect();
    let roots = diagram::roots(
        &mut b,
        &applies,
        &subjects(elements.clone(), |c| (&c.protected, &c.not_protected)),
        &vocab.principals(),
        &subjects(parties.clone(), |c| (&c.author, &c.not_author)),
    )?;
    Ok(read_roots(&roots, &elements, &parties))
}

type Sides<'c> = (&'c Vec<String>, &'c Vec<String>);

fn voters(
    ruleset: &Ruleset,
    subject: &str,
    field: fn(&crate::model::Conclusions) -> Sides,
) -> Vec<Voter> {
    ruleset
        .rules
        .iter()
        .enumerate()
        .filter_map(|(rule, r)| {
            let (yes, no) = field(&r.then);
            let v = Voter {
                rule,
                yes: yes.iter().any(|s| s == subject),
                no: no.iter().any(|s| s == subject),
            };
            (v.yes || v.no).then_some(v)
        })
        .collect()
}

// Every diagram here ranges over all values of its variables, so a
// question can be answered yes exactly when its diagram is not `false`.
fn read_roots(roots: &Roots, elements: &[&String], parties: &[&String]) -> Possible {
    let verdicts: Vec<Verdict> = Verdict::ALL
        .into_iter()
        .filter(|v| roots.verdicts.get(*v as usize).is_some_and(|&r| r != FALSE))
        .collect();
    // With no completion decided, nothing is known of the elements.
    let elements = if verdicts.is_empty() {
        &[][..]
    } else {
        elements
    };
    const STATUSES: [Option<ElementStatus>; 4] = [
        Some(ElementStatus::Protected),
        Some(ElementStatus::NotProtected),
        Some(ElementStatus::Undetermined),
        None,
    ];
    let elements = elements
        .iter()
        .zip(&roots.elements)
        .map(|(id, statuses)| {
            let seen = STATUSES
                .iter()
                .zip(statuses)
                .filter(|(_, r)| **r != FALSE)
                .map(|(s, _)| *s)
                .collect();
            ((*id).clone(), seen)
        })
        .collect();
    let authors = parties
        .iter()
        .zip(&roots.authors)
        .filter(|(_, r)| **r != FALSE)
        .map(|(id, _)| (*id).clone())
        .collect();
    Possible {
        verdicts,
        elements,
        authors,
    }
}

/// The diagram's variables: the unknown facts given values to try, in the
/// order the rules first read them.
pub(super) struct Vars {
    pub(super) names: Vec<String>,
    pub(super) values: Vec<Vec<FactValue>>,
}

impl Vars {
    pub(super) fn new(ruleset: &Ruleset, vocab: &Vocabulary, unknown: &[String]) -> Vars {
        let mut order: Vec<String> = Vec::new();
        for &i in &ruleset.index.order {
            if let Some(rule) = ruleset.rules.get(i) {
                for f in rule.when.facts_read() {
                    if !order.iter().any(|o| o == f) {
                        order.push(f.to_string());
                    }
                }
            }
        }
        let rest: Vec<String> = unknown
            .iter()
            .filter(|f| !order.contains(f))
            .cloned()
            .collect();
        order.extend(rest);
        let mut vars = Vars {
            names: vec![],
            values: vec![],
        };
        for name in order.into_iter().filter(|f| unknown.contains(f)) {
            let values = candidates(ruleset, vocab, &name);
            // A fact given no value to try stays unknown.
            if !values.is_empty() {
                vars.names.push(name);
                vars.values.push(values);
            }
        }
        vars
    }

    fn of(&self, name: &str) -> Option<(usize, &[FactValue])> {
        let level = self.names.iter().position(|n| n == name)?;
        Some((level, self.values.get(level)?.as_slice()))
    }
}

/// A comparison operand: a known value, a variable, or unknown.
enum Value<'v> {
    Known(FactValue),
    Var(usize, &'v [FactValue]),
    Unknown,
}

/// The rules evaluated over diagrams, as `rules::evaluate_rules` does over
/// one set of facts.
struct Sym<'a> {
    ruleset: &'a Ruleset,
    vocab: &'a Vocabulary,
    facts: &'a Facts,
    vars: &'a Vars,
    b: &'a mut Builder,
    states: Vec<Option<Tri>>,
    /// Per fact that may not arise: where it does not.
    not_arising: BTreeMap<String, Id>,
    /// Facts read, for now, at their defined values (see [`Sym::leaf`]).
    defined: Vec<(String, FactValue)>,
}

impl<'a> Sym<'a> {
    fn rules(mut self, ctx: &Context) -> Result<Vec<Tri>, TooLarge> {
        let ruleset = self.ruleset;
        for &i in &ruleset.index.order {
            let Some(rule) = ruleset.rules.get(i) else {
                continue;
            };
            let cond = self.expr(&rule.when)?;
            let exceptions = ruleset
                .index
                .exceptions
                .get(i)
                .map_or(&[][..], Vec::as_slice);
            let defeated = self.any(exceptions)?;
            let applies = if ctx.inactive_reason(ruleset, rule).is_none() {
                self.b.tri_and(cond, defeated.not())?
            } else {
                Tri::FALSE
            };
            if let Some(slot) = self.states.get_mut(i) {
                *slot = Some(applies);
            }
        }
        // A rule the order leaves out (a ruleset built by hand) is unknown.
        Ok(self
            .states
            .into_iter()
            .map(|s| s.unwrap_or(Tri::UNKNOWN))
            .collect())
    }

    /// OR over rules evaluated so far (the others are skipped).
    fn any(&mut self, rules: &[usize]) -> Result<Tri, TooLarge> {
        let mut out = Tri::FALSE;
        for &r in rules {
            if let Some(Some(a)) = self.states.get(r) {
                let a = *a;
                out = self.b.tri_or(out, a)?;
            }
        }
        Ok(out)
    }

    fn expr(&mut self, e: &Expr) -> Result<Tri, TooLarge> {
        Ok(match e {
            Expr::Literal {
                value: Literal::Bool(b),
                ..
            } => Tri::constant(Truth::from_bool(*b)),
            Expr::Literal { .. } => Tri::UNKNOWN,
            Expr::Fact { .. } => self.leaf(e, Self::bare)?,
            Expr::Conclusion { name, .. } => {
                let holders = self.ruleset.index.holders.get(name);
                let holders = holders.map_or(&[][..], Vec::as_slice);
                self.any(holders)?
            }
            Expr::Not { operand, .. } => self.expr(operand)?.not(),
            Expr::And { operands, .. } => self.chain(operands, true)?,
            Expr::Or { operands, .. } => self.chain(operands, false)?,
            Expr::Compare { .. } | Expr::In { .. } => self.leaf(e, Self::test)?,
        })
    }

    /// A bare fact, true when it is `true`.
    fn bare(&mut self, e: &Expr) -> Result<Tri, TooLarge> {
        Ok(match self.value(e) {
            Value::Known(v) => Tri::constant(Truth::from_bool(v == FactValue::Bool(true))),
            Value::Var(level, values) => {
                self.split(level, values, |v| *v == FactValue::Bool(true))?
            }
            Value::Unknown => Tri::UNKNOWN,
        })
    }

    fn test(&mut self, e: &Expr) -> Result<Tri, TooLarge> {
        match e {
            Expr::Compare { op, lhs, rhs, .. } => self.compare(*op, lhs, rhs),
            Expr::In {
                negated,
                operand,
                list,
                ..
            } => self.membership(*negated, operand, list),
            _ => Ok(Tri::UNKNOWN),
        }
    }

    /// A leaf read as [`crate::model::Vocabulary::complete`] reads facts: a
    /// fact that does not arise (in a completion, which the diagram's
    /// variables stand for) is read at its defined value there. So the
    /// leaf is `eval`'s value with each such fact read as it is, chosen
    /// where it arises, and with it at its defined value elsewhere.
    fn leaf(
        &mut self,
        e: &Expr,
        eval: fn(&mut Self, &Expr) -> Result<Tri, TooLarge>,
    ) -> Result<Tri, TooLarge> {
        let vocab = self.vocab;
        let may_not: Vec<&str> = e
            .facts_read()
            .into_iter()
            .filter(|f| vocab.fact(f).is_some_and(|d| d.arises.is_some()))
            .collect();
        self.read_defined(e, &may_not, eval)
    }

    fn read_defined(
        &mut self,
        e: &Expr,
        facts: &[&str],
        eval: fn(&mut Self, &Expr) -> Result<Tri, TooLarge>,
    ) -> Result<Tri, TooLarge> {
        let Some((&first, rest)) = facts.split_first() else {
            return eval(self, e);
        };
        let not = self.not_arising(first)?;
        let arises = self.read_defined(e, rest, eval)?;
        let Some(otherwise) = self
            .vocab
            .fact(first)
            .and_then(|d| d.arises.as_ref())
            .map(|a| a.otherwise.clone())
        else {
            return Ok(arises);
        };
        if not == FALSE {
            return Ok(arises);
        }
        self.defined.push((first.to_string(), otherwise));
        let defined = self.read_defined(e, rest, eval);
        self.defined.pop();
        self.b.tri_choose(not, defined?, arises)
    }

    /// Where `fact` does not arise: where its condition, read the same way,
    /// is false.
    fn not_arising(&mut self, fact: &str) -> Result<Id, TooLarge> {
        if let Some(&id) = self.not_arising.get(fact) {
            return Ok(id);
        }
        let Some(a) = self.vocab.fact(fact).and_then(|d| d.arises.as_ref()) else {
            return Ok(FALSE);
        };
        // The condition reads the facts themselves, whatever leaf asks.
        let outer = std::mem::take(&mut self.defined);
        let when = self.expr(&a.condition);
        self.defined = outer;
        let id = when?.f;
        self.not_arising.insert(fact.to_string(), id);
        Ok(id)
    }

    fn chain(&mut self, operands: &[Expr], and: bool) -> Result<Tri, TooLarge> {
        let mut out = if and { Tri::TRUE } else { Tri::FALSE };
        for o in operands {
            let x = self.expr(o)?;
            out = if and {
                self.b.tri_and(out, x)?
            } else {
                self.b.tri_or(out, x)?
            };
        }
        Ok(out)
    }

    fn value(&self, e: &Expr) -> Value<'a> {
        let vars: &'a Vars = self.vars;
        match e {
            Expr::Fact { name, .. } => match self
                .defined
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v)
                .or_else(|| self.facts.get(name))
            {
                Some(v) => Value::Known(v.clone()),
                None => match vars.of(name) {
                    Some((level, values)) => Value::Var(level, values),
                    None => Value::Unknown,
                },
            },
            Expr::Literal { value, .. } => Value::Known(FactValue::from_literal(value)),
            // Type checking admits only facts and literals as operands.
            _ => Value::Unknown,
        }
    }

    /// True on the values of the variable at `level` where `test` holds,
    /// false on the others.
    fn split(
        &mut self,
        level: usize,
        values: &[FactValue],
        test: impl Fn(&FactValue) -> bool,
    ) -> Result<Tri, TooLarge> {
        let yes = |i: usize| values.get(i).is_some_and(&test);
        let no = |i: usize| values.get(i).is_some_and(|v| !test(v));
        Ok(Tri {
            t: self.b.test(level, yes)?,
            f: self.b.test(level, no)?,
        })
    }

    fn compare(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Result<Tri, TooLarge> {
        let holds = |a: &FactValue, b: &FactValue| a.order(b).is_some_and(|o| op.holds(o));
        Ok(match (self.value(lhs), self.value(rhs)) {
            (Value::Known(a), Value::Known(b)) => Tri::constant(Truth::from_bool(holds(&a, &b))),
            (Value::Var(l, values), Value::Known(b)) => self.split(l, values, |a| holds(a, &b))?,
            (Value::Known(a), Value::Var(l, values)) => self.split(l, values, |b| holds(&a, b))?,
            (Value::Var(l, values), Value::Var(m, _)) if l == m => {
                self.split(l, values, |a| holds(a, a))?
            }
            (Value::Var(l, xs), Value::Var(m, ys)) => {
                let (mut t, mut f) = (FALSE, FALSE);
                for (i, x) in xs.iter().enumerate() {
                    let at = self.b.test(l, |v| v == i)?;
                    let side = self.split(m, ys, |y| holds(x, y))?;
                    let (yes, no) = (self.b.and(at, side.t)?, self.b.and(at, side.f)?);
                    t = self.b.or(t, yes)?;
                    f = self.b.or(f, no)?;
                }
                Tri { t, f }
            }
            _ => Tri::UNKNOWN,
        })
    }

    fn membership(
        &mut self,
        negated: bool,
        operand: &Expr,
        list: &[SpannedLiteral],
    ) -> Result<Tri, TooLarge> {
        let found = |v: &FactValue| {
            let inside = list.iter().any(|item| {
                v.order(&FactValue::from_literal(&item.value)) == Some(std::cmp::Ordering::Equal)
            });
            inside != negated
        };
        Ok(match self.value(operand) {
            Value::Known(v) => Tri::constant(Truth::from_bool(found(&v))),
            Value::Var(l, values) => self.split(l, values, found)?,
            Value::Unknown => Tri::UNKNOWN,
        })
    }
}
