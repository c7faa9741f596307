//! What-ifs: the smallest sets of fact changes that move a ruleset's
//! outcome to another verdict, and which facts are decisive or irrelevant.
//!
//! Builds on `eval`: it evaluates variations of a case, nothing more. The
//! search is exact up to `max_changes` facts changed at once, explores only
//! the values the vocabulary allows (integers and dates at the thresholds
//! the conditions mention), and is pruned by the ruleset's own dependency
//! structure: only facts read by rules that decide elements, or by the rules
//! those depend on (conclusions, exceptions), can change a verdict. Learning
//! an unknown fact counts as a change. A change set that sets a fact which
//! does not arise once the changes are made (editing the AI output, with
//! the AI material gone) is never tried: every variation is evaluated on
//! its facts completed against the vocabulary, and flipping
//! `ai_generated_material_in_work` to false brings the defined values of
//! the facts that then do not arise with it. Reads no files and prints
//! nothing.

pub mod relevant;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::eval::compiled::{Evaluator, Pattern};
use crate::eval::{Context, EvalError, Verdict, candidate_values, evaluate};
use crate::model::{FactValue, Facts, Ruleset, Vocabulary};

pub use relevant::relevant_facts;

/// Most facts changed at once that a search may be asked for.
pub const MAX_CHANGES_LIMIT: usize = 5;

/// One fact change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The fact.
    pub fact: String,
    /// Its value in the case (`None` = unknown).
    pub from: Option<FactValue>,
    /// The value it is changed to.
    pub to: FactValue,
}

/// A minimal set of changes and the outcome it leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counterfactual {
    /// The changes, by fact name.
    pub changes: Vec<Change>,
    /// The verdict after them.
    pub verdict: Verdict,
    /// The rules that decide the elements after them.
    pub decided_by: Vec<String>,
}

/// What a what-if search asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Only changes leading to this verdict (else: to any other verdict
    /// except `undetermined`).
    pub target: Option<Verdict>,
    /// Most facts changed at once.
    pub max_changes: usize,
}

/// The result of a what-if search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    /// The ruleset.
    pub ruleset: String,
    /// The verdict on the case's own facts.
    pub verdict: Verdict,
    /// The verdict asked for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Verdict>,
    /// The search bound.
    pub max_changes: usize,
    /// Every minimal change set, fewest changes first.
    pub counterfactuals: Vec<Counterfactual>,
    /// Facts one change of which alone changes the outcome.
    pub decisive: Vec<String>,
    /// Facts that can affect this ruleset's verdict but change nothing alone.
    pub not_decisive_alone: Vec<String>,
    /// Facts the case states that cannot affect this ruleset's verdict.
    pub irrelevant: Vec<String>,
    /// How many variations were evaluated.
    pub evaluated: usize,
}

/// Searches the minimal change sets for a case under a ruleset.
pub fn what_if(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    query: &Query,
) -> Result<WhatIf, EvalError> {
    let mut fast = Fast::new(ruleset, vocab, facts, ctx)?;
    let original = fast.verdict(&[])?;
    let relevant = relevant_facts(ruleset, ctx);
    let choices: Vec<(String, Vec<FactValue>)> = relevant
        .iter()
        .map(|f| {
            let current = facts.get(f);
            let values = candidate_values(ruleset, vocab, f)
                .into_iter()
                .filter(|v| Some(v) != current)
                .collect();
            (f.clone(), values)
        })
        .filter(|(_, v): &(String, Vec<FactValue>)| !v.is_empty())
        .collect();
    let mut search = Search {
        ruleset,
        vocab,
        facts,
        ctx,
        fast,
        original,
        target: query.target,
        found: Vec::new(),
        evaluated: 0,
        arising: vocab.has_arising(),
    };
    let k_max = query.max_changes.min(MAX_CHANGES_LIMIT);
    for k in 1..=k_max {
        search.level(&choices, k)?;
    }
    let decisive: BTreeSet<String> = search
        .found
        .iter()
        .filter(|c| c.changes.len() == 1)
        .filter_map(|c| c.changes.first().map(|ch| ch.fact.clone()))
        .collect();
    let decisive = if query.target.is_some() {
        single_flips(&mut search, &choices)?
    } else {
        decisive
    };
    Ok(WhatIf {
        ruleset: ruleset.id.clone(),
        verdict: original,
        target: query.target,
        max_changes: k_max,
        not_decisive_alone: relevant
            .iter()
            .filter(|f| !decisive.contains(*f))
            .cloned()
            .collect(),
        decisive: decisive.into_iter().collect(),
        irrelevant: facts
            .0
            .keys()
            .filter(|f| !relevant.contains(*f))
            .cloned()
            .collect(),
        counterfactuals: search.found,
        evaluated: search.evaluated,
    })
}

// With a target, "decisive" still means: one change alone moves the
// outcome to any other verdict.
fn single_flips(
    search: &mut Search,
    choices: &[(String, Vec<FactValue>)],
) -> Result<BTreeSet<String>, EvalError> {
    let mut out = BTreeSet::new();
    for (fact, values) in choices {
        for v in values {
            let change = Change {
                fact: fact.clone(),
                from: search.facts.get(fact).cloned(),
                to: v.clone(),
            };
            if !search.arises(std::slice::from_ref(&change)) {
                continue;
            }
            search.evaluated = search.evaluated.saturating_add(1);
            let got = search.fast.verdict(std::slice::from_ref(&change))?;
            if got != search.original && got != Verdict::Undetermined {
                out.insert(fact.clone());
                break;
            }
        }
    }
    Ok(out)
}

/// Verdicts of variations of one case: the ruleset compiled once, each
/// variation a copy of the case's pattern with the changes written in.
struct Fast<'a> {
    evaluator: Evaluator<'a>,
    base: Pattern,
    work: Pattern,
}

impl<'a> Fast<'a> {
    fn new(
        ruleset: &'a Ruleset,
        vocab: &'a Vocabulary,
        facts: &'a Facts,
        ctx: &'a Context,
    ) -> Result<Self, EvalError> {
        let evaluator = Evaluator::new(ruleset, vocab, ctx)?;
        let base = evaluator.slots().encode(facts);
        Ok(Fast {
            evaluator,
            work: base.clone(),
            base,
        })
    }

    /// The verdict of the case with `changes` made.
    fn verdict(&mut self, changes: &[Change]) -> Result<Verdict, EvalError> {
        self.work.clone_from(&self.base);
        let slots = self.evaluator.slots();
        for ch in changes {
            if let Some(slot) = slots.slot(&ch.fact) {
                self.work.set(slots, slot, &ch.to);
            }
        }
        self.evaluator.verdict_of(&self.work)
    }
}

struct Search<'a> {
    ruleset: &'a Ruleset,
    vocab: &'a Vocabulary,
    facts: &'a Facts,
    ctx: &'a Context,
    fast: Fast<'a>,
    original: Verdict,
    target: Option<Verdict>,
    found: Vec<Counterfactual>,
    evaluated: usize,
    /// Whether some fact of the vocabulary may not arise.
    arising: bool,
}

impl Search<'_> {
    /// Tries every set of `k` facts, with every combination of their values.
    fn level(&mut self, choices: &[(String, Vec<FactValue>)], k: usize) -> Result<(), EvalError> {
        let mut picks: Vec<usize> = (0..k).collect();
        if k > choices.len() {
            return Ok(());
        }
        loop {
            self.try_values(choices, &picks)?;
            if !next_combination(&mut picks, choices.len()) {
                return Ok(());
            }
        }
    }

    fn try_values(
        &mut self,
        choices: &[(String, Vec<FactValue>)],
        picks: &[usize],
    ) -> Result<(), EvalError> {
        let chosen: Vec<&(String, Vec<FactValue>)> =
            picks.iter().filter_map(|&i| choices.get(i)).collect();
        let total: usize = chosen.iter().map(|(_, v)| v.len()).product();
        for n in 0..total {
            let changes = assignment(self.facts, &chosen, n);
            if self.contains_found(&changes) || !self.arises(&changes) {
                continue;
            }
            self.evaluated = self.evaluated.saturating_add(1);
            let got = self.fast.verdict(&changes)?;
            if self.flips(got) {
                let mut f = self.facts.clone();
                for c in &changes {
                    f.set(&c.fact, c.to.clone());
                }
                let decided_by = self.deciding_rules(&f)?;
                self.found.push(Counterfactual {
                    changes,
                    verdict: got,
                    decided_by,
                });
            }
        }
        Ok(())
    }

    // Whether every fact the changes set arises once they are made: setting
    // a fact that does not arise (editing the AI output of a work with no
    // AI material) is no change anyone could make.
    fn arises(&self, changes: &[Change]) -> bool {
        if !self.arising {
            return true;
        }
        let mut f = self.facts.clone();
        for c in changes {
            f.set(&c.fact, c.to.clone());
        }
        let completion = self.vocab.complete(&f);
        changes
            .iter()
            .all(|c| !completion.not_arising.contains_key(&c.fact))
    }

    // The full evaluation, only for the few variations that flip.
    fn deciding_rules(&self, facts: &Facts) -> Result<Vec<String>, EvalError> {
        let e = evaluate(self.ruleset, self.vocab, facts, self.ctx)?;
        Ok(e.decided_by
            .into_iter()
            .filter(|id| {
                self.ruleset.rule(id).is_some_and(|r| {
                    !r.then.protected.is_empty() || !r.then.not_protected.is_empty()
                })
            })
            .collect())
    }

    fn flips(&self, got: Verdict) -> bool {
        match self.target {
            Some(t) => got == t && got != self.original,
            None => got != self.original && got != Verdict::Undetermined,
        }
    }

    // A set containing an already-found set is not minimal.
    fn contains_found(&self, changes: &[Change]) -> bool {
        self.found
            .iter()
            .any(|f| f.changes.iter().all(|c| changes.contains(c)))
    }
}

// The n-th assignment of values to the chosen facts (mixed radix).
fn assignment(facts: &Facts, chosen: &[&(String, Vec<FactValue>)], mut n: usize) -> Vec<Change> {
    let mut out = Vec::with_capacity(chosen.len());
    for (fact, values) in chosen {
        let radix = values.len().max(1);
        if let Some(v) = values.get(n.checked_rem(radix).unwrap_or(0)) {
            out.push(Change {
                fact: fact.clone(),
                from: facts.get(fact).cloned(),
                to: v.clone(),
            });
        }
        n = n.checked_div(radix).unwrap_or(0);
    }
    out
}

// Advances `picks` (strictly increasing indexes below `n`) to the next
// combination in lexicographic order; false after the last.
fn next_combination(picks: &mut [usize], n: usize) -> bool {
    let k = picks.len();
    // The rightmost pick that can still move right: pick i may go up to
    // n - (k - i) - 1, leaving room for the picks after it.
    for i in (0..k).rev() {
        let room = n.checked_sub(k.saturating_sub(i));
        let Some(limit) = room else { return false };
        let Some(&current) = picks.get(i) else {
            return false;
        };
        if current < limit {
            for (offset, slot) in picks.iter_mut().skip(i).enumerate() {
                *slot = current.saturating_add(1).saturating_add(offset);
            }
            return true;
        }
    }
    false
}
