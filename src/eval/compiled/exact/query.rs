//! Asking a program's diagram about one case: each variable is fixed (a
//! known fact to its class, an unknown fact the outcome does not depend on
//! to "unknown", a comparison of two known facts to its value) or ranges
//! over its candidate classes (a fact the outcome depends on); an outcome
//! is possible when some path allowed so reaches `true`. A walk from the
//! roots asked about, through the nodes the allowed paths pass, each node
//! at most once, answers every question about the case: a case costs at
//! most the diagram's size, however many facts are unknown and however
//! many completions they have — and with few unknown facts, a few paths.

use super::{Exact, PAIR_FALSE, PAIR_FREE, PAIR_TRUE, Var};
use crate::eval::ElementStatus;
use crate::eval::compiled::decide::{PartyStatus, Summary};
use crate::eval::compiled::run::{BitRows, Record};
use crate::eval::compiled::value::Pattern;
use crate::eval::diagram::{FALSE, Walk};

/// A level's variable ranges over its candidate classes.
const ANY: u32 = u32::MAX;
use crate::eval::{Truth, Verdict};

/// The case a diagram is asked about.
pub(crate) struct Case<'a> {
    /// Its facts.
    pub pattern: &'a Pattern,
    /// The program's run on them (the value of each comparison node).
    pub record: &'a Record,
    /// The facts the open outcome depends on: row `row` of `open`.
    pub open: &'a BitRows,
    /// See `open`.
    pub row: usize,
    /// The program's three-valued outcome on the case, when decided. When
    /// no completion can change a value the case knows (see
    /// `ArisingCode::may_override`), the exact outcome only narrows it (a
    /// completion knows more, and Kleene's logic never turns a known value
    /// around), so a verdict it rules out, a settled element's other
    /// statuses and the authors of parties it does not leave open need no
    /// walk.
    pub kleene: Option<&'a Summary>,
}

/// Reusable buffers (kept in the evaluation scratch; no allocation once
/// grown).
#[derive(Debug, Clone, Default)]
pub struct Memo {
    /// Per level: where its allowed values start in `values`, and how many.
    allowed: Vec<(u32, u32)>,
    /// The allowed values of every level, level after level.
    values: Vec<u32>,
    /// The walks from the roots asked about.
    walk: Walk,
}

/// What the case asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// The verdicts alone.
    Verdict,
    /// Every verdict, element status and author.
    All,
}

impl Exact {
    /// The verdicts some allowed completion reaches (bit `v as u8`). For
    /// [`Want::All`], `seen` gets per element the statuses reached (bit 0
    /// protected, 1 not protected, 2 undetermined, 3 not reached) and
    /// `authors` per party whether it is an author in some completion.
    pub(crate) fn possible(
        &self,
        case: &Case,
        m: &mut Memo,
        want: Want,
        seen: &mut Vec<u8>,
        authors: &mut Vec<bool>,
    ) -> u8 {
        m.allowed.clear();
        m.values.clear();
        for level in 0..self.vars.len() {
            let start = u32::try_from(m.values.len()).unwrap_or(u32::MAX);
            match self.choice(level, case) {
                ANY => m.values.extend_from_slice(self.tried_of(level)),
                fixed => m.values.push(fixed),
            }
            let len = u32::try_from(m.values.len()).unwrap_or(u32::MAX);
            m.allowed.push((start, len.wrapping_sub(start)));
        }
        // Only the roots asked about are walked from, through the nodes
        // the case's allowed paths pass (few when few facts are unknown),
        // not every node of the diagram.
        m.walk.start(&self.dd);
        let kleene = case
            .kleene
            .filter(|_| !self.arising.may_override(case.pattern));
        let (dd, allowed, values, walk) = (&self.dd, &m.allowed, &m.values, &mut m.walk);
        let mut reaches = |id: u32| dd.reaches(id, allowed, values, walk);
        // A completion may still be undetermined: that verdict is always
        // asked about; the others only when three-valued logic left them
        // possible.
        let ruled_out = |v: Verdict| {
            kleene.is_some_and(|k| {
                k.possible != 0 && v != Verdict::Undetermined && k.possible & (1 << (v as u8)) == 0
            })
        };
        let mut verdicts = 0u8;
        for v in Verdict::ALL {
            if ruled_out(v) {
                continue;
            }
            let root = self
                .roots
                .verdicts
                .get(v as usize)
                .copied()
                .unwrap_or(FALSE);
            if reaches(root) {
                verdicts |= 1 << (v as u8);
            }
        }
        if want == Want::Verdict {
            return verdicts;
        }
        seen.clear();
        for (i, statuses) in self.roots.elements.iter().enumerate() {
            // Settled three-valued, an element has that status in every
            // completion (and one no rule reaches is not refined).
            let settled = match kleene.map(|k| k.elements.get(i).copied().flatten()) {
                Some(Some(ElementStatus::Protected)) => Some(1),
                Some(Some(ElementStatus::NotProtected)) => Some(2),
                Some(None) => Some(8),
                _ => None,
            };
            if let Some(bits) = settled {
                seen.push(bits);
                continue;
            }
            let bits = statuses
                .iter()
                .enumerate()
                .filter(|(_, root)| reaches(**root))
                .fold(0u8, |bits, (k, _)| bits | (1 << k));
            seen.push(bits);
        }
        authors.clear();
        for (i, &root) in self.roots.authors.iter().enumerate() {
            // Only a party who may be an author is refined.
            let open = kleene.is_none_or(|k| k.parties.get(i) == Some(&PartyStatus::Maybe));
            authors.push(open && reaches(root));
        }
        verdicts
    }

    /// The candidate classes of the fact at `level`.
    fn tried_of(&self, level: usize) -> &[u32] {
        let (start, len) = self.tried_at.get(level).copied().unwrap_or((0, 0));
        let end = start.saturating_add(len) as usize;
        self.tried.get(start as usize..end).unwrap_or(&[])
    }

    /// The value `level` is fixed to in this case, or [`ANY`].
    fn choice(&self, level: usize, case: &Case) -> u32 {
        let fixed = match self.vars.get(level) {
            Some(Var::Fact(f)) => {
                let v = case.pattern.get(f.slot);
                if v.is_known() {
                    f.class_of(v)
                } else if case.open.contains(case.row, f.slot as usize) {
                    return ANY;
                } else {
                    f.unknown()
                }
            }
            Some(Var::Pair(node)) => match case.record.node(*node) {
                Truth::False => PAIR_FALSE,
                Truth::True => PAIR_TRUE,
                Truth::Unknown => PAIR_FREE,
            },
            None => return ANY,
        };
        u32::try_from(fixed).unwrap_or(ANY)
    }
}
