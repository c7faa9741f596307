//! The outcomes still possible on an open case found by trying each
//! completion of the facts it depends on, one by one: the fallback for a
//! ruleset whose decision diagram ([`super::exact`]) is past its budget.
//!
//! The diagram holds every pattern's outcome at once, which pays on many
//! cases but can grow past its budget on a small ruleset whose conditions
//! compare facts with each other in an order the diagram handles badly
//! (six generated rules over eight facts were enough). A single case then
//! usually has few completions: each fact the open outcome depends on
//! takes, in turn, every candidate value (a fact with none stays unknown),
//! the completion is completed as the case was (facts that do not arise at
//! their defined values) and run, and those on which two applying rules
//! contradict each other are dropped — the definition the diagram answers,
//! so both give the same outcome. Past [`MAX_COMPLETIONS`] the case is
//! still reported as too complex, never answered approximately.

use super::code::Code;
use super::decide::{PartyStatus, Summary, verdict_bit};
use super::exact::Want;
use super::program::Program;
use super::run::{BitRows, Record};
use super::value::{Pattern, Val};
use crate::eval::{ElementStatus, MAX_COMPLETIONS};

/// Buffers for the completions (kept in the evaluation scratch).
#[derive(Debug, Clone, Default)]
pub struct Trial {
    pattern: Option<Pattern>,
    record: Record,
    summary: Summary,
    defaulted: Vec<(u32, Val)>,
    /// The facts tried, by slot, each with the index of its candidate value
    /// in the current completion (an odometer over `Program::candidates`).
    facts: Vec<(u32, usize)>,
}

/// What the completions reach.
pub(super) struct Reached<'a> {
    /// Per element, the statuses reached (bit 0 protected, 1 not
    /// protected, 2 undetermined, 3 not reached).
    pub seen: &'a mut Vec<u8>,
    /// Per party: an author in some completion.
    pub authors: &'a mut Vec<bool>,
}

/// The case: its completed facts and the facts it depends on.
pub(super) struct Open<'a> {
    pub pattern: &'a Pattern,
    pub deps: &'a BitRows,
    pub row: usize,
}

/// Too many completions to try.
pub(super) struct TooMany;

impl Program {
    /// The verdicts some completion of `case`'s open facts reaches (bit
    /// `v as u8`); for [`Want::All`] also what `reached` holds. For
    /// [`Want::Verdict`] it stops at the second distinct verdict.
    pub(super) fn enumerate(
        &self,
        code: &Code,
        active: &[bool],
        case: &Open,
        want: Want,
        t: &mut Trial,
        mut reached: Reached,
    ) -> Result<u8, TooMany> {
        self.open_facts(case, t)?;
        reached.seen.clear();
        reached.seen.resize(self.elements.len(), 0);
        reached.authors.clear();
        reached.authors.resize(self.parties.len(), false);
        let mut pattern = t.pattern.take().unwrap_or_else(|| case.pattern.clone());
        let mut verdicts = 0u8;
        loop {
            self.complete(case.pattern, &mut pattern, t);
            code.run(self, &pattern, active, &mut t.record);
            // A completion on which two applying rules disagree has no
            // outcome: it is dropped, as the diagram drops it.
            if self.decide(&t.record, &mut t.summary).is_ok() {
                verdicts |= t.summary.verdict.map_or(0, verdict_bit);
                if want == Want::All {
                    gather(&t.summary, &mut reached);
                } else if verdicts.count_ones() > 1 {
                    break;
                }
            }
            if !self.advance(t) {
                break;
            }
        }
        t.pattern = Some(pattern);
        Ok(verdicts)
    }

    /// Fills `t.facts` with the unknown facts of `case.row` that have
    /// candidate values, each at its first value.
    fn open_facts(&self, case: &Open, t: &mut Trial) -> Result<(), TooMany> {
        t.facts.clear();
        let mut count: usize = 1;
        for bit in case.deps.iter(case.row) {
            let Ok(slot) = u32::try_from(bit) else {
                continue;
            };
            let n = self.candidates.get(bit).map_or(0, Vec::len);
            if n == 0 || case.pattern.get(slot).is_known() {
                continue;
            }
            count = count.checked_mul(n).ok_or(TooMany)?;
            if count > MAX_COMPLETIONS {
                return Err(TooMany);
            }
            t.facts.push((slot, 0));
        }
        Ok(())
    }

    /// Writes the current completion into `out`: the case, each open fact
    /// at its current candidate, then the facts that do not arise at their
    /// defined values.
    fn complete(&self, case: &Pattern, out: &mut Pattern, t: &mut Trial) {
        out.clone_from(case);
        for &(slot, at) in &t.facts {
            let value = self
                .candidates
                .get(slot as usize)
                .and_then(|c| c.get(at))
                .copied()
                .unwrap_or(Val::UNKNOWN);
            out.put(slot, value);
        }
        t.defaulted.clear();
        self.arising.apply(out, &mut t.defaulted);
    }

    /// Moves to the next completion; false after the last.
    fn advance(&self, t: &mut Trial) -> bool {
        for (slot, at) in &mut t.facts {
            let n = self.candidates.get(*slot as usize).map_or(0, Vec::len);
            *at = at.saturating_add(1);
            if *at < n {
                return true;
            }
            *at = 0;
        }
        false
    }
}

/// Adds one completion's element statuses and authors to `reached`.
fn gather(summary: &Summary, reached: &mut Reached) {
    for (bits, status) in reached.seen.iter_mut().zip(&summary.elements) {
        *bits |= match status {
            Some(ElementStatus::Protected) => 1,
            Some(ElementStatus::NotProtected) => 2,
            Some(ElementStatus::Undetermined) => 4,
            None => 8,
        };
    }
    for (author, status) in reached.authors.iter_mut().zip(&summary.parties) {
        *author |= *status == PartyStatus::Author;
    }
}
