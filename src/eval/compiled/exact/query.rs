//! Asking a program's diagram about one case: each variable is fixed (a
//! known fact to its class, an unknown fact the outcome does not depend on
//! to "unknown", a comparison of two known facts to its value) or ranges
//! over its candidate classes (a fact the outcome depends on); an outcome
//! is possible when some path allowed so reaches `true`. One walk per
//! question, sharing what earlier walks of the same case learnt about each
//! node, so a case costs at most one visit per node however many
//! completions it has.

use super::{Exact, PAIR_FALSE, PAIR_FREE, PAIR_TRUE, Var};
use crate::eval::compiled::run::{BitRows, Record};
use crate::eval::compiled::value::Pattern;
use crate::eval::diagram::{FALSE, Id, TRUE};
use crate::eval::{Truth, Verdict};

/// A level's variable ranges over its candidate classes.
const ANY: u32 = u32::MAX;

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
}

/// Reusable buffers for the walks (kept in the evaluation scratch; no
/// allocation once grown).
#[derive(Debug, Clone, Default)]
pub struct Memo {
    /// The current case's number; entries of earlier cases are stale.
    stamp: u32,
    /// Per node: `stamp << 1 | reaches true`.
    nodes: Vec<u32>,
    /// Per level: the stamp its `choice` was worked out in.
    levels: Vec<u32>,
    /// Per level: the value it is fixed to, or [`ANY`].
    choice: Vec<u32>,
    /// The walk: node and the position of the next value to try.
    stack: Vec<(Id, u32)>,
}

impl Memo {
    // A new case: every entry left from an earlier one becomes stale.
    fn begin(&mut self, nodes: usize, levels: usize) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp >= 1 << 30 || self.stamp == 0 {
            self.nodes.fill(0);
            self.levels.fill(0);
            self.stamp = 1;
        }
        if self.nodes.len() < nodes {
            self.nodes.resize(nodes, 0);
        }
        if self.levels.len() < levels {
            self.levels.resize(levels, 0);
            self.choice.resize(levels, 0);
        }
    }

    /// What is known of whether `id` reaches `true` in this case.
    fn known(&self, id: Id) -> Option<bool> {
        match id {
            TRUE => Some(true),
            FALSE => Some(false),
            _ => {
                let e = self.nodes.get(id as usize).copied().unwrap_or(0);
                (e >> 1 == self.stamp).then_some(e & 1 == 1)
            }
        }
    }

    fn learn(&mut self, id: Id, reaches: bool) {
        if let Some(e) = self.nodes.get_mut(id as usize) {
            *e = (self.stamp << 1) | u32::from(reaches);
        }
    }
}

/// What the case allows of the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// Stop at the second verdict found (the verdict alone).
    Verdict,
    /// Every verdict, element status and author.
    All,
}

impl Exact {
    /// The verdicts some allowed completion reaches (bit `v as u8`); with
    /// [`Want::Verdict`], stops at the second. For [`Want::All`],
    /// `seen` gets per element the statuses reached (bit 0 protected, 1
    /// not protected, 2 undetermined, 3 not reached) and `authors` per
    /// party whether it is an author in some completion.
    pub(crate) fn possible(
        &self,
        case: &Case,
        m: &mut Memo,
        want: Want,
        seen: &mut Vec<u8>,
        authors: &mut Vec<bool>,
    ) -> u8 {
        m.begin(self.dd.len(), self.vars.len());
        let mut verdicts = 0u8;
        for v in Verdict::ALL {
            let root = self
                .roots
                .verdicts
                .get(v as usize)
                .copied()
                .unwrap_or(FALSE);
            if self.reaches(root, case, m) {
                verdicts |= 1 << (v as u8);
                if want == Want::Verdict && verdicts.count_ones() > 1 {
                    return verdicts;
                }
            }
        }
        if want == Want::Verdict {
            return verdicts;
        }
        seen.clear();
        for statuses in &self.roots.elements {
            let mut bits = 0u8;
            for (k, &root) in statuses.iter().enumerate() {
                if self.reaches(root, case, m) {
                    bits |= 1 << k;
                }
            }
            seen.push(bits);
        }
        authors.clear();
        for &root in &self.roots.authors {
            authors.push(self.reaches(root, case, m));
        }
        verdicts
    }

    /// The value `level` is fixed to in this case, or [`ANY`].
    fn choice(&self, level: usize, case: &Case, m: &mut Memo) -> u32 {
        if m.levels.get(level) == Some(&m.stamp) {
            return m.choice.get(level).copied().unwrap_or(ANY);
        }
        let c = match self.vars.get(level) {
            Some(Var::Fact(f)) => {
                let v = case.pattern.get(f.slot);
                if v.is_known() {
                    f.class_of(v)
                } else if case.open.contains(case.row, f.slot as usize) {
                    usize::MAX
                } else {
                    f.unknown()
                }
            }
            Some(Var::Pair(node)) => match case.record.node(*node) {
                Truth::False => PAIR_FALSE,
                Truth::True => PAIR_TRUE,
                Truth::Unknown => PAIR_FREE,
            },
            None => usize::MAX,
        };
        let c = u32::try_from(c).unwrap_or(ANY);
        if let (Some(l), Some(ch)) = (m.levels.get_mut(level), m.choice.get_mut(level)) {
            *l = m.stamp;
            *ch = c;
        }
        c
    }

    /// The `pos`-th value `level` may take in this case.
    fn value(&self, level: usize, choice: u32, pos: u32) -> Option<usize> {
        if choice != ANY {
            return (pos == 0).then_some(choice as usize);
        }
        match self.vars.get(level) {
            Some(Var::Fact(f)) => f.candidates.get(pos as usize).copied(),
            _ => None,
        }
    }

    /// Whether some path allowed by the case leads from `root` to `true`:
    /// a depth-first walk with an explicit stack, remembering every node's
    /// answer for the rest of the case.
    fn reaches(&self, root: Id, case: &Case, m: &mut Memo) -> bool {
        if let Some(r) = m.known(root) {
            return r;
        }
        m.stack.clear();
        m.stack.push((root, 0));
        // The answer of the child just finished, if any.
        let mut child: Option<bool> = None;
        while let Some(&(id, pos)) = m.stack.last() {
            let level = self.dd.level(id).unwrap_or(0);
            let choice = self.choice(level, case, m);
            let mut pos = pos;
            let mut found = false;
            match child.take() {
                Some(true) => found = true,
                Some(false) => pos = pos.saturating_add(1),
                None => {}
            }
            let mut descend = None;
            while !found {
                let Some(value) = self.value(level, choice, pos) else {
                    break;
                };
                let kid = self.dd.kid(id, value);
                match m.known(kid) {
                    Some(true) => found = true,
                    Some(false) => pos = pos.saturating_add(1),
                    None => {
                        descend = Some(kid);
                        break;
                    }
                }
            }
            if let Some(kid) = descend {
                if let Some(top) = m.stack.last_mut() {
                    top.1 = pos;
                }
                m.stack.push((kid, 0));
                continue;
            }
            m.stack.pop();
            m.learn(id, found);
            child = Some(found);
        }
        m.known(root) == Some(true)
    }
}
