//! `check --strict`: findings beyond load errors, each with a stable code,
//! a location and a one-line fix hint.
//!
//! | code | finding |
//! |---|---|
//! | S001 | a fact of the vocabulary that no ruleset reads |
//! | S002 | a rule that can never apply, given the facts' types |
//! | S003 | two rules, neither an exception to the other, that can both apply and conclude opposite things |
//! | S004 | a rule whose pinpoint is too vague to find the passage |
//! | S005 | a case fact that no ruleset reads |
//! | S006 | a case whose `expect:` leaves cells of `compare`'s output unpinned (a ruleset or a jurisdiction row) |
//! | S007 | a rule whose pinpoint names no place in its source (a paragraph, page, section, article, footnote or conclusion number), nor says why there is none |
//! | S008 | a rule in force before the date of the source it cites (it would explain facts with a text not yet written) |
//! | S009 | a rule marked as the encoder's interpretation without a `reading` level (close, applied, reconstructed) |
//!
//! S002 and S003 are decided by evaluating the ruleset over every value the
//! facts involved can take (as the what-if search does); a rule whose facts
//! have more than [`MAX_ASSIGNMENTS`] combinations is not checked, and the
//! finding S000 says so rather than staying silent.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::compare::unpinned;
use crate::eval::{Context, Truth, candidate_values};
use crate::model::bibliography::has_locator;
use crate::model::{Case, FactValue, Facts, Library, Rule, Ruleset, Where};
use crate::whatif::relevant::facts_behind;

/// Most assignments tried for one S002/S003 check.
pub const MAX_ASSIGNMENTS: usize = 65_536;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `S003`.
    pub code: &'static str,
    /// Where (file:line:col).
    pub at: String,
    /// What was found.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Every strict finding on a library and its cases, in a stable order.
pub fn strict(library: &Library, cases: &[Case]) -> Vec<Finding> {
    let read = facts_read(library);
    let mut out = unread_facts(library, &read);
    for ruleset in &library.rulesets {
        out.extend(ruleset.rules.iter().filter_map(vague_pinpoint));
        out.extend(ruleset.rules.iter().filter_map(pinpoint_without_locator));
        out.extend(
            ruleset
                .rules
                .iter()
                .filter_map(|r| before_its_source(ruleset, r)),
        );
        out.extend(ruleset.rules.iter().filter_map(reading_missing));
        out.extend(never_applies(library, ruleset));
        out.extend(conflicts(library, ruleset));
    }
    for case in cases {
        out.extend(unread_case_facts(case, &read));
        out.extend(unpinned_cells(case, library));
    }
    out
}

fn finding(code: &'static str, at: &Where, message: String, hint: &str) -> Finding {
    Finding {
        code,
        at: at.to_string(),
        message,
        hint: hint.to_string(),
    }
}

// A fact read only by another fact's `arises` condition is read too: it
// decides what that fact is.
fn facts_read(library: &Library) -> BTreeSet<String> {
    let arising = library
        .vocabulary
        .facts
        .values()
        .filter_map(|d| d.arises.as_ref())
        .flat_map(|a| a.condition.facts_read());
    library
        .rulesets
        .iter()
        .flat_map(Ruleset::facts_read)
        .chain(arising)
        .map(str::to_string)
        .collect()
}

fn unread_facts(library: &Library, read: &BTreeSet<String>) -> Vec<Finding> {
    library
        .vocabulary
        .facts
        .values()
        .filter(|f| !read.contains(&f.id))
        .map(|f| {
            let msg = format!("fact `{}` is read by no ruleset", f.id);
            finding(
                "S001",
                &f.at,
                msg,
                "remove it from the vocabulary, or write the rule that reads it",
            )
        })
        .collect()
}

fn unread_case_facts(case: &Case, read: &BTreeSet<String>) -> Vec<Finding> {
    case.fact_at
        .iter()
        .filter(|(name, _)| !read.contains(*name))
        .map(|(name, at)| {
            let msg = format!("fact `{name}` is read by no ruleset");
            finding(
                "S005",
                at,
                msg,
                "drop it, or keep the information in a comment",
            )
        })
        .collect()
}

fn unpinned_cells(case: &Case, library: &Library) -> Option<Finding> {
    let cells = unpinned(case, library);
    if cells.is_empty() {
        return None;
    }
    let total = library
        .rulesets
        .len()
        .saturating_add(library.jurisdictions.len());
    let names: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    let msg = format!(
        "{} of {total} cells unpinned: {}",
        cells.len(),
        names.join(", ")
    );
    let at = Where {
        file: case.path.clone(),
        line: 1,
        column: 1,
    };
    Some(finding(
        "S006",
        &at,
        msg,
        "state each outcome under `expect:` (`authorship pin` writes the engine's for review)",
    ))
}

fn vague_pinpoint(rule: &Rule) -> Option<Finding> {
    let p = rule.citation.pinpoint.trim().to_ascii_lowercase();
    let vague = p.chars().count() < 4
        || matches!(p.as_str(), "n/a" | "tbd" | "todo" | "passim" | "unknown");
    vague.then(|| {
        let msg = format!(
            "rule `{}` has the pinpoint `{}`, too vague to find the passage",
            rule.id, rule.citation.pinpoint
        );
        finding(
            "S004",
            &rule.at,
            msg,
            "give the page, paragraph or section, or describe the passage",
        )
    })
}

fn pinpoint_without_locator(rule: &Rule) -> Option<Finding> {
    if vague_pinpoint(rule).is_some() || has_locator(&rule.citation.pinpoint) {
        return None;
    }
    let msg = format!(
        "rule `{}` has the pinpoint `{}`, which names no place in the source",
        rule.id,
        rule.citation.pinpoint.trim()
    );
    Some(finding(
        "S007",
        &rule.at,
        msg,
        "add the paragraph, page, section, article, footnote or conclusion number, \
         or write `no locator: <why>` where the source has none or it was not seen",
    ))
}

fn reading_missing(rule: &Rule) -> Option<Finding> {
    if rule.interpretation.is_none() || rule.reading.is_some() {
        return None;
    }
    let msg = format!(
        "rule `{}` is the encoder's interpretation but does not say how far it goes beyond its source",
        rule.id
    );
    Some(finding(
        "S009",
        &rule.at,
        msg,
        "add `reading: close` (a paraphrase), `applied` (a holding applied to facts it did not face) \
         or `reconstructed` (a test built from several passages or inferred)",
    ))
}

fn before_its_source(ruleset: &Ruleset, rule: &Rule) -> Option<Finding> {
    let date = ruleset.source(&rule.citation.source)?.date?;
    // A variant is a reading, not law in force: its date is not a claim.
    if rule.variant.is_some() || rule.in_force.from >= date {
        return None;
    }
    let msg = format!(
        "rule `{}` is in force from {}, before its source `{}` ({date})",
        rule.id, rule.in_force.from, rule.citation.source
    );
    Some(finding(
        "S008",
        &rule.at,
        msg,
        "give the rule `in_force: {from: <the source's date>}`, or cite the earlier source it restates",
    ))
}

// A context in which the rule can be in force (its own start, its variant).
fn context_for(rules: &[&Rule]) -> Option<Context> {
    let from = rules.iter().map(|r| r.in_force.from).max()?;
    if !rules.iter().all(|r| r.in_force.covers(from)) {
        return None;
    }
    let variants: BTreeSet<&String> = rules.iter().filter_map(|r| r.variant.as_ref()).collect();
    if variants.len() > 1 {
        return None;
    }
    Some(Context {
        as_of: from,
        variant: variants.into_iter().next().cloned(),
    })
}

fn never_applies(library: &Library, ruleset: &Ruleset) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, rule) in ruleset.rules.iter().enumerate() {
        let Some(ctx) = context_for(&[rule]) else {
            continue;
        };
        match search(library, ruleset, &ctx, &[i], |v| {
            v.get(i) == Some(&Truth::True)
        }) {
            Search::Found(_) => {}
            Search::Never => out.push(finding(
                "S002",
                &rule.at,
                format!(
                    "rule `{}` can never apply: no values of its facts make its condition true",
                    rule.id
                ),
                "check the condition for contradictions (e.g. `x > 5 and x < 3`)",
            )),
            Search::TooLarge => out.push(too_large(rule)),
        }
    }
    out
}

fn conflicts(library: &Library, ruleset: &Ruleset) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, a) in ruleset.rules.iter().enumerate() {
        for (j, b) in ruleset.rules.iter().enumerate().skip(i.saturating_add(1)) {
            let Some(subject) = opposite(a, b) else {
                continue;
            };
            if linked(ruleset, i, j) {
                continue;
            }
            let Some(ctx) = context_for(&[a, b]) else {
                continue;
            };
            let both =
                |v: &[Truth]| v.get(i) == Some(&Truth::True) && v.get(j) == Some(&Truth::True);
            if let Search::Found(example) = search(library, ruleset, &ctx, &[i, j], both) {
                out.push(finding(
                    "S003",
                    &b.at,
                    format!(
                        "rules `{}` and `{}` can both apply and disagree on `{subject}` (e.g. {example})",
                        a.id, b.id
                    ),
                    "make one an exception to the other (`exception_to`), or narrow a condition",
                ));
            }
        }
    }
    out
}

// The element or party two rules conclude opposite things about.
fn opposite(a: &Rule, b: &Rule) -> Option<String> {
    let clash = |yes: &[String], no: &[String]| yes.iter().find(|x| no.contains(x)).cloned();
    clash(&a.then.protected, &b.then.not_protected)
        .or_else(|| clash(&b.then.protected, &a.then.not_protected))
        .or_else(|| clash(&a.then.author, &b.then.not_author))
        .or_else(|| clash(&b.then.author, &a.then.not_author))
}

fn linked(ruleset: &Ruleset, i: usize, j: usize) -> bool {
    let to = |x: usize, y: usize| {
        ruleset
            .index
            .exceptions
            .get(x)
            .is_some_and(|e| e.contains(&y))
    };
    to(i, j) || to(j, i)
}

enum Search {
    Found(String),
    Never,
    TooLarge,
}

// Evaluates the ruleset over every combination of the values of the facts
// the given rules depend on, looking for one where `wanted` holds.
fn search(
    library: &Library,
    ruleset: &Ruleset,
    ctx: &Context,
    rules: &[usize],
    wanted: impl Fn(&[Truth]) -> bool,
) -> Search {
    let facts: Vec<String> = facts_behind(ruleset, rules, ctx).into_iter().collect();
    let choices: Vec<Vec<FactValue>> = facts
        .iter()
        .map(|f| candidate_values(ruleset, &library.vocabulary, f))
        .collect();
    let Some(total) = choices
        .iter()
        .try_fold(1usize, |acc, c| acc.checked_mul(c.len().max(1)))
    else {
        return Search::TooLarge;
    };
    if total > MAX_ASSIGNMENTS {
        return Search::TooLarge;
    }
    // Only a ruleset built by hand fails to compile: nothing to search.
    let Ok(mut evaluator) = library.evaluator(ruleset, ctx) else {
        return Search::TooLarge;
    };
    for n in 0..total {
        let assignment = nth(&facts, &choices, n);
        if wanted(&evaluator.rule_values(&assignment)) {
            // The facts as evaluated: one that does not arise on the others
            // is shown at its defined value, never at a value it cannot have.
            let completed = library.vocabulary.complete_owned(assignment).facts;
            let example: Vec<String> = completed
                .0
                .iter()
                .filter(|(k, _)| facts.contains(k))
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            return Search::Found(example.join(", "));
        }
    }
    Search::Never
}

fn nth(facts: &[String], choices: &[Vec<FactValue>], mut n: usize) -> Facts {
    let mut out = Facts::default();
    for (fact, values) in facts.iter().zip(choices) {
        let radix = values.len().max(1);
        if let Some(v) = values.get(n.checked_rem(radix).unwrap_or(0)) {
            out.set(fact, v.clone());
        }
        n = n.checked_div(radix).unwrap_or(0);
    }
    out
}

fn too_large(rule: &Rule) -> Finding {
    finding(
        "S000",
        &rule.at,
        format!(
            "rule `{}` depends on too many fact values to check exhaustively",
            rule.id
        ),
        "split the rule, or check it by hand",
    )
}
