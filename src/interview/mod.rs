//! The interview: asks one question at a time, only questions that can
//! still settle an open outcome, the one that settles the most first.
//!
//! A fact that does not arise on the answers so far (no AI material, so
//! no question about editing the AI output) is never asked, and one that
//! may not arise waits until the questions that settle whether it does
//! have been asked.
//!
//! A state machine over `eval`: the caller asks for the next question,
//! gets the person's answer however it likes (terminal, pipe, test oracle)
//! and passes it back. Reads and prints nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::eval::{Context, Evaluator, Truth, Verdict, candidate_values};
use crate::model::{FactDef, FactValue, Facts, Library, Ruleset};

/// The longest answer line a front end reads, in bytes (without its line
/// end). No fact's value comes near it; a longer line is refused unread,
/// so a pasted file or a stream with no line end cannot fill memory.
pub const MAX_ANSWER_BYTES: usize = 4096;

/// A person's answer to a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A value of the fact.
    Value(FactValue),
    /// They do not know; the fact stays unknown and is not asked again.
    Unknown,
    /// They would rather not answer now; not asked again.
    Skip,
}

/// The next question and why it is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Question<'l> {
    /// The fact it establishes.
    pub fact: &'l FactDef,
    /// The open outcomes it can affect.
    pub affects: Vec<String>,
    /// How many open outcomes an answer settles, averaged over the answers.
    pub expected_settled: f64,
    /// How many open rules an answer decides, averaged (the tie-breaker:
    /// a question that settles no outcome alone may still close off rules).
    pub expected_rules_decided: f64,
}

/// One ruleset's running outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    /// The ruleset.
    pub ruleset: String,
    /// Its verdict so far.
    pub verdict: Verdict,
    /// When undetermined: the facts it still depends on.
    pub depends_on: Vec<String>,
}

/// An interview in progress.
pub struct Interview<'l> {
    library: &'l Library,
    rulesets: Vec<&'l Ruleset>,
    ctx: Context,
    facts: Facts,
    /// Facts answered "unknown".
    unknown: BTreeSet<String>,
    /// Facts already asked (answered, unknown or skipped).
    asked: BTreeSet<String>,
}

impl<'l> Interview<'l> {
    /// Starts an interview about `rulesets` from the facts already known.
    pub fn new(
        library: &'l Library,
        rulesets: Vec<&'l Ruleset>,
        ctx: Context,
        facts: Facts,
    ) -> Self {
        let asked = facts.0.keys().cloned().collect();
        Interview {
            library,
            rulesets,
            ctx,
            facts,
            unknown: BTreeSet::new(),
            asked,
        }
    }

    /// The facts established so far.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// The facts answered "unknown".
    pub fn unknown(&self) -> &BTreeSet<String> {
        &self.unknown
    }

    /// Every chosen ruleset's outcome so far.
    pub fn running(&self) -> Vec<Running> {
        self.rulesets
            .iter()
            .map(|r| match self.library.evaluate(r, &self.facts, &self.ctx) {
                Ok(e) => Running {
                    ruleset: r.id.clone(),
                    verdict: e.verdict,
                    depends_on: e.depends_on,
                },
                Err(_) => Running {
                    ruleset: r.id.clone(),
                    verdict: Verdict::Undetermined,
                    depends_on: vec![],
                },
            })
            .collect()
    }

    /// The question to ask next, or `None` when every outcome is settled or
    /// nothing left to ask can settle one.
    pub fn next_question(&self) -> Option<Question<'l>> {
        let open: Vec<Running> = self
            .running()
            .into_iter()
            .filter(|r| r.verdict == Verdict::Undetermined)
            .collect();
        let vocab = &self.library.vocabulary;
        let completed = vocab.complete(&self.facts).facts;
        // A fact that may not arise is asked only once nothing left to ask
        // can settle whether it does: "was the AI output edited?" waits for
        // "is there AI material?", and after "no" it is never asked.
        let premature = |fact: &str| {
            vocab
                .arising_hinges_on(&completed, fact)
                .iter()
                .any(|f| !self.asked.contains(f))
        };
        let mut affects: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for r in &open {
            let askable = r
                .depends_on
                .iter()
                .filter(|f| !self.asked.contains(*f) && completed.get(f).is_none());
            for fact in askable.filter(|f| !premature(f)) {
                affects
                    .entry(fact.as_str())
                    .or_default()
                    .push(r.ruleset.clone());
            }
        }
        let mut best: Option<Question<'l>> = None;
        for (fact, rulesets) in affects {
            let Some(def) = self.library.vocabulary.fact(fact) else {
                continue;
            };
            let (score, rules) = self.expected_progress(fact, &rulesets);
            let better = best.as_ref().is_none_or(|b| {
                (score, rules, rulesets.len())
                    > (
                        b.expected_settled,
                        b.expected_rules_decided,
                        b.affects.len(),
                    )
            });
            if better {
                best = Some(Question {
                    fact: def,
                    affects: rulesets,
                    expected_settled: score,
                    expected_rules_decided: rules,
                });
            }
        }
        best
    }

    // Averaged over the fact's possible answers: how many of the open
    // outcomes it affects would be settled, and how many of their open rules
    // would be decided.
    fn expected_progress(&self, fact: &str, rulesets: &[String]) -> (f64, f64) {
        let chosen: Vec<&Ruleset> = self
            .rulesets
            .iter()
            .copied()
            .filter(|r| rulesets.contains(&r.id))
            .collect();
        let values: BTreeSet<FactValue> = chosen
            .iter()
            .flat_map(|r| candidate_values(r, &self.library.vocabulary, fact))
            .collect();
        if values.is_empty() {
            return (0.0, 0.0);
        }
        // Compiled once for all the values tried.
        let mut evaluators: Vec<Evaluator> = chosen
            .iter()
            .filter_map(|r| self.library.evaluator(r, &self.ctx).ok())
            .collect();
        fn open_rules(evaluators: &mut [Evaluator], facts: &Facts) -> usize {
            evaluators
                .iter_mut()
                .map(|e| {
                    e.rule_values(facts)
                        .iter()
                        .filter(|t| **t == Truth::Unknown)
                        .count()
                })
                .sum()
        }
        let before = open_rules(&mut evaluators, &self.facts);
        let (mut settled, mut decided) = (0usize, 0usize);
        for v in &values {
            let mut f = self.facts.clone();
            f.set(fact, v.clone());
            decided =
                decided.saturating_add(before.saturating_sub(open_rules(&mut evaluators, &f)));
            settled = settled.saturating_add(
                evaluators
                    .iter_mut()
                    .filter_map(|e| e.verdict(&f).ok())
                    .filter(|v| *v != Verdict::Undetermined)
                    .count(),
            );
        }
        let n = values.len() as f64;
        (settled as f64 / n, decided as f64 / n)
    }

    /// Records an answer.
    pub fn answer(&mut self, fact: &str, answer: Answer) {
        self.asked.insert(fact.to_string());
        match answer {
            Answer::Value(v) => {
                self.unknown.remove(fact);
                self.facts.set(fact, v);
            }
            Answer::Unknown => {
                self.unknown.insert(fact.to_string());
            }
            Answer::Skip => {}
        }
    }
}
