//! authorship, through its compiled evaluator. Everything
//! authorship-specific lives in this file, behind [`Authorship`].
//!
//! The ruleset is compiled once ([`Compiled`]); each pattern is encoded
//! into slot form before timing (as the peers get their inputs prepared);
//! an evaluation is one [`Compiled::verdict`] call, which fills the compact
//! record of every condition's value, from which the 50 rule values are read.

use std::path::Path;

use authorship::eval::compiled::{Compiled, Pattern, Scratch, Slots};
use authorship::eval::{Context, Truth};
use authorship::load::load_library;
use authorship::model::{FactValue, Facts};

use crate::encode::authorship_yaml::RULESET_ID;
use crate::outcome::{Outcome, Verdict};
use crate::policy::{Policy, fact_name};

/// The compiled synthetic ruleset and every pattern in slot form.
pub struct Authorship {
    compiled: Compiled,
    rules: u32,
    patterns: Vec<Pattern>,
    scratch: Scratch,
}

impl Authorship {
    /// Loads the rules directory `dir` (written by
    /// [`crate::encode::authorship_yaml::write`]), compiles the ruleset and
    /// encodes each pattern.
    pub fn setup(dir: &Path, policy: &Policy) -> Result<Authorship, String> {
        let library = load_library(dir).map_err(|errors| {
            let lines: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
            format!("loading {}:\n{}", dir.display(), lines.join("\n"))
        })?;
        let ruleset = library
            .ruleset(RULESET_ID)
            .ok_or_else(|| format!("no ruleset `{RULESET_ID}` in {}", dir.display()))?;
        let as_of = library
            .latest_date()
            .ok_or("the library has no date to evaluate as of")?;
        let slots = Slots::new(&library.vocabulary, &[ruleset]);
        let compiled = Compiled::new(ruleset, &library.vocabulary, &slots, &Context::as_of(as_of))
            .map_err(|e| e.to_string())?;
        let patterns = policy
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| slots.encode(&facts(p, policy.unknown.get(i).copied().unwrap_or(0))))
            .collect();
        Ok(Authorship {
            compiled,
            rules: u32::try_from(ruleset.rules.len()).map_err(|e| e.to_string())?,
            patterns,
            scratch: Scratch::default(),
        })
    }

    /// Pattern `i`'s outcome; `Err` if authorship gives none (a conflict
    /// between rules, which this policy cannot produce, or an open outcome
    /// past its decision-diagram budget).
    pub fn evaluate(&mut self, i: usize) -> Result<Outcome, String> {
        let verdict = self
            .compiled
            .verdict(&self.patterns[i], &mut self.scratch)
            .map_err(|e| e.to_string())?;
        let record = self.scratch.record();
        let (mut rules, mut unknown) = (0u64, 0u64);
        for k in 0..self.rules {
            let value = record.applies(k);
            rules |= u64::from(value == Truth::True) << k;
            unknown |= u64::from(value == Truth::Unknown) << k;
        }
        Ok(Outcome {
            rules,
            unknown,
            verdict: verdict_of(verdict),
        })
    }
}

impl super::Engine for Authorship {
    fn label(&self) -> &'static str {
        "authorship (compiled)"
    }

    fn version(&self) -> String {
        crate::locked_version!("PEERS_VERSION_AUTHORSHIP")
    }

    fn evaluate(&mut self, i: usize) -> Result<Outcome, String> {
        Authorship::evaluate(self, i)
    }
}

/// The pattern's facts, leaving out those of `unknown` (bit per fact).
fn facts(pattern: &[bool], unknown: u64) -> Facts {
    let mut facts = Facts::default();
    for (i, value) in pattern.iter().enumerate() {
        if unknown & (1 << i) == 0 {
            facts.set(&fact_name(i), FactValue::Bool(*value));
        }
    }
    facts
}

fn verdict_of(verdict: authorship::Verdict) -> Verdict {
    match verdict {
        authorship::Verdict::Protected => Verdict::Protected,
        authorship::Verdict::PartiallyProtected => Verdict::PartiallyProtected,
        authorship::Verdict::NotProtected => Verdict::NotProtected,
        authorship::Verdict::NotAddressed => Verdict::NotAddressed,
        authorship::Verdict::Undetermined => Verdict::Undetermined,
    }
}
