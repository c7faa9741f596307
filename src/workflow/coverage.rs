//! Rule coverage: for each ruleset, which rules the shipped cases make
//! apply and make fail, and which exception links they exercise.
//!
//! A rule is covered when some case makes it apply and some case makes it
//! fail (its condition false while it is in force): both sides of its
//! condition are then pinned by a case's `expect:`. An exception link is
//! covered when some case makes the exception apply while the rule it
//! defeats has a true condition — the defeat actually decides something.

use serde::Serialize;

use crate::compare::{Options, as_of};
use crate::eval::{Context, Evaluation, Truth};
use crate::model::{Case, Library, Ruleset};

/// Something the corpus does not exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The rule (or `exception -> rule` link).
    pub item: String,
    /// What no case does.
    pub missing: &'static str,
}

/// One ruleset's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesetCoverage {
    /// The ruleset.
    pub ruleset: String,
    /// Rules plus exception links.
    pub items: usize,
    /// Of which covered.
    pub covered: usize,
    /// Covered share, 0–100.
    pub percent: f64,
    /// What is not covered.
    pub gaps: Vec<Gap>,
}

/// Coverage of every ruleset by `cases` (each evaluated as of its own date,
/// under the law in force and under every reading).
pub fn coverage(library: &Library, cases: &[Case]) -> Vec<RulesetCoverage> {
    library
        .rulesets
        .iter()
        .map(|r| ruleset_coverage(library, r, cases))
        .collect()
}

fn ruleset_coverage(library: &Library, ruleset: &Ruleset, cases: &[Case]) -> RulesetCoverage {
    let evaluations = evaluations(library, ruleset, cases);
    let mut gaps = Vec::new();
    for rule in &ruleset.rules {
        let active = |e: &&Evaluation| e.rule(&rule.id).is_some_and(|n| n.inactive.is_none());
        let fired = evaluations
            .iter()
            .filter(active)
            .any(|e| applies(e, &rule.id) == Some(Truth::True));
        let failed = evaluations
            .iter()
            .filter(active)
            .any(|e| applies(e, &rule.id) == Some(Truth::False));
        if !fired {
            gaps.push(Gap {
                item: rule.id.clone(),
                missing: "no case makes it apply",
            });
        } else if !failed {
            gaps.push(Gap {
                item: rule.id.clone(),
                missing: "no case makes it fail",
            });
        }
    }
    let mut links: usize = 0;
    for (target, exceptions) in ruleset.rules.iter().zip(&ruleset.index.exceptions) {
        for &e in exceptions {
            let Some(exception) = ruleset.rules.get(e) else {
                continue;
            };
            links = links.saturating_add(1);
            let defeats = evaluations.iter().any(|ev| {
                applies(ev, &exception.id) == Some(Truth::True)
                    && ev
                        .rule(&target.id)
                        .is_some_and(|n| n.condition.value == Truth::True)
            });
            if !defeats {
                gaps.push(Gap {
                    item: format!("{} -> {}", exception.id, target.id),
                    missing: "no case makes the exception defeat a rule whose condition holds",
                });
            }
        }
    }
    let items = ruleset.rules.len().saturating_add(links);
    let covered = items.saturating_sub(gaps.len());
    RulesetCoverage {
        ruleset: ruleset.id.clone(),
        items,
        covered,
        percent: if items == 0 {
            100.0
        } else {
            covered as f64 * 100.0 / items as f64
        },
        gaps,
    }
}

fn evaluations(library: &Library, ruleset: &Ruleset, cases: &[Case]) -> Vec<Evaluation> {
    let readings: Vec<Option<String>> = std::iter::once(None)
        .chain(ruleset.variants.iter().map(|v| Some(v.id.clone())))
        .collect();
    let mut out = Vec::new();
    for case in cases {
        let date = as_of(case, library, &Options::default()).0;
        for variant in &readings {
            let ctx = Context {
                as_of: date,
                variant: variant.clone(),
            };
            out.extend(library.evaluate(ruleset, &case.facts, &ctx).ok());
        }
    }
    out
}

fn applies(e: &Evaluation, rule: &str) -> Option<Truth> {
    e.rule(rule).map(|n| n.applies)
}

/// Whether some ruleset's coverage is below `min` percent (never, without
/// a minimum). A minimum that is not a number fails every ruleset: a gate
/// given nonsense must not pass.
pub fn below(report: &[RulesetCoverage], min: Option<f64>) -> bool {
    min.is_some_and(|m| m.is_nan() || report.iter().any(|r| r.percent < m))
}
