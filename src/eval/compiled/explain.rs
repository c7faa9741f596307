//! Rebuilding the full [`Evaluation`] — element outcomes with their rules,
//! authors, findings, and every rule's explanation node — from a run's
//! compact record and summary. Only called when an explanation is wanted.

use super::decide::PartyStatus;
use super::program::{Subject, is_inline};
use super::run::truth;
use super::run::{BitRows, Record};
use super::value::{Pattern, Slots};
use super::{Compiled, Scratch};
use crate::eval::explain::{RuleNode, Values, rule_node as build_node};
use crate::eval::{
    ConditionNode, ElementOutcome, ElementStatus, Evaluation, Finding, Truth, Verdict,
};
use crate::model::{Rule, Ruleset};
use crate::syntax::Expr;

/// The evaluation of the run in `s` (after [`Compiled::summarize`]).
pub fn evaluation(
    c: &Compiled,
    ruleset: &Ruleset,
    slots: &Slots,
    pattern: &Pattern,
    s: &Scratch,
) -> Evaluation {
    let p = &c.program;
    let ctx = &c.ctx;
    let rec = &s.record;
    let names = |rows: &BitRows, row: usize| -> Vec<String> {
        rows.iter(row)
            .filter_map(|b| slots.name(u32::try_from(b).ok()?).map(str::to_string))
            .collect()
    };
    let sum = &s.summary;
    let verdict = sum.verdict.unwrap_or(Verdict::Undetermined);
    let party = |want: PartyStatus| -> Vec<String> {
        p.parties
            .iter()
            .zip(&sum.parties)
            .filter(|(_, st)| **st == want)
            .map(|(subject, _)| subject.id.clone())
            .collect()
    };
    let elements = p
        .elements
        .iter()
        .enumerate()
        .filter_map(|(i, subject)| {
            let status = sum.elements.get(i).copied().flatten()?;
            Some(ElementOutcome {
                element: subject.id.clone(),
                status,
                possible: statuses(sum.element_possible.get(i).copied().unwrap_or(0)),
                rules: element_rules(c, subject, rec),
                depends_on: names(&s.element_deps, i),
            })
        })
        .collect();
    let pick = |truth: Truth| -> Vec<String> {
        ruleset
            .rules
            .iter()
            .enumerate()
            .filter(|(i, r)| rec_applies(rec, *i) == truth && r.then.decides_outcome())
            .map(|(_, r)| r.id.clone())
            .collect()
    };
    Evaluation {
        ruleset: ruleset.id.clone(),
        as_of: ctx.as_of,
        variant: ctx.variant.clone(),
        in_force: c.in_force,
        verdict,
        possible_verdicts: Verdict::ALL
            .into_iter()
            .filter(|v| sum.possible & super::decide::verdict_bit(*v) != 0)
            .collect(),
        authors: party(PartyStatus::Author),
        possible_authors: party(PartyStatus::Maybe),
        not_authors: party(PartyStatus::NotAuthor),
        elements,
        findings: findings(c, ruleset, rec),
        depends_on: sum
            .depends_on
            .iter()
            .filter_map(|&f| slots.name(f).map(str::to_string))
            .collect(),
        decided_by: pick(Truth::True),
        open: pick(Truth::Unknown),
        rules: ruleset
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let read = Read {
                    rec: &s.record,
                    pattern,
                    slots,
                };
                rule_node(c, ruleset, &read, s, i, rule)
            })
            .collect(),
    }
}

fn rec_applies(rec: &Record, i: usize) -> Truth {
    rec.applies(u32::try_from(i).unwrap_or(u32::MAX))
}

// Bit 0 protected, 1 not protected, 2 undetermined, in that (display) order.
fn statuses(bits: u8) -> Vec<ElementStatus> {
    [
        ElementStatus::Protected,
        ElementStatus::NotProtected,
        ElementStatus::Undetermined,
    ]
    .into_iter()
    .enumerate()
    .filter(|(i, _)| bits & (1 << i) != 0)
    .map(|(_, s)| s)
    .collect()
}

/// The rules deciding an element, chosen by its status before the exact
/// refinement (as the tree evaluator does): those saying yes when
/// protected, no when not, and both (yes first) when open.
fn element_rules(c: &Compiled, subject: &Subject, rec: &Record) -> Vec<String> {
    let (mut yes, mut no, mut yes_rules, mut no_rules) =
        (Truth::False, Truth::False, vec![], vec![]);
    for v in &subject.votes {
        let a = rec.applies(v.rule);
        if a == Truth::False {
            continue;
        }
        let id = c.rule_ids.get(v.rule as usize).cloned().unwrap_or_default();
        if v.yes {
            yes = yes.or(a);
            yes_rules.push(id.clone());
        }
        if v.no {
            no = no.or(a);
            no_rules.push(id);
        }
    }
    match (yes, no) {
        (Truth::True, Truth::False) => yes_rules,
        (Truth::False, Truth::True) => no_rules,
        _ => [yes_rules, no_rules].concat(),
    }
}

fn findings(c: &Compiled, ruleset: &Ruleset, rec: &Record) -> Vec<Finding> {
    c.program
        .findings
        .iter()
        .filter_map(|(name, holders)| {
            let rules: Vec<String> = holders
                .iter()
                .filter(|&&h| rec.applies(h) == Truth::True)
                .filter_map(|&h| ruleset.rules.get(h as usize).map(|r| r.id.clone()))
                .collect();
            (!rules.is_empty()).then(|| Finding {
                conclusion: name.clone(),
                rules,
            })
        })
        .collect()
}

fn rule_node(
    c: &Compiled,
    ruleset: &Ruleset,
    read: &Read<'_>,
    s: &Scratch,
    i: usize,
    rule: &Rule,
) -> RuleNode {
    let mut next = c.program.rules.get(i).map_or(0, |r| r.start);
    let values = Values {
        applies: rec_applies(&s.record, i),
        condition: {
            let mut node = c
                .templates
                .get(i)
                .cloned()
                .unwrap_or_else(|| template(&rule.when));
            fill(&mut node, &rule.when, read, &mut next);
            node
        },
        depends_on: s
            .rule_deps
            .iter(i)
            .filter_map(|b| {
                let slot = u32::try_from(b).ok()?;
                read.slots.name(slot).map(str::to_string)
            })
            .collect(),
        applies_of: &|j| Some(rec_applies(&s.record, j)),
        // The facts' values are the pattern's: no map of facts is needed.
        value_of: &|fact| read.slots.value(read.pattern, read.slots.slot(fact)?),
        not_arising: &|fact| {
            let slot = read.slots.slot(fact)?;
            s.defaulted.iter().find(|(d, _)| *d == slot)?;
            c.program.arising.when(slot).map(str::to_string)
        },
    };
    build_node(ruleset, &c.ctx, i, rule, values)
}

/// What the value tree is read from.
struct Read<'a> {
    rec: &'a Record,
    pattern: &'a Pattern,
    slots: &'a Slots,
}

/// The shape of a condition's value tree with every sub-condition's text
/// and no values: built once per compiled ruleset, so an explanation copies
/// the texts instead of printing each sub-condition again.
pub(super) fn template(expr: &Expr) -> ConditionNode {
    let parts = match expr {
        Expr::Fact { .. } => vec![],
        Expr::Not { operand, .. } => vec![template(operand)],
        Expr::And { operands, .. } | Expr::Or { operands, .. } => {
            operands.iter().map(template).collect()
        }
        _ => vec![],
    };
    ConditionNode {
        text: expr.to_string(),
        value: Truth::Unknown,
        parts,
    }
}

/// Fills a copy of the condition's template with values, read from the
/// record in the post-order the program was compiled in; bare facts
/// (compiled inline, without a node) are read from the pattern.
fn fill(node: &mut ConditionNode, expr: &Expr, read: &Read<'_>, next: &mut u32) {
    if let Expr::Fact { name, .. } = expr {
        node.value = read
            .slots
            .slot(name)
            .map_or(Truth::Unknown, |s| truth(read.pattern.rank(s)));
        return;
    }
    if let (true, Expr::Not { operand, .. }, Some(inner)) =
        (is_inline(expr), expr, node.parts.first_mut())
    {
        fill(inner, operand, read, next);
        node.value = inner.value.not();
        return;
    }
    match expr {
        Expr::Not { operand, .. } => {
            if let Some(inner) = node.parts.first_mut() {
                fill(inner, operand, read, next);
            }
        }
        Expr::And { operands, .. } | Expr::Or { operands, .. } => {
            for (part, o) in node.parts.iter_mut().zip(operands) {
                fill(part, o, read, next);
            }
        }
        _ => {}
    }
    node.value = read.rec.node(*next);
    *next = next.saturating_add(1);
}
