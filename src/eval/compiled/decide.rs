//! From a [`Record`] to an outcome, without strings: each element's and
//! party's status, the verdict, and — for an open outcome — the exact
//! verdicts still possible, found by enumerating the unknown facts it
//! depends on (as the tree evaluator does, bounded by `MAX_COMPLETIONS`).

use super::program::{Program, Subject};
use super::run::{BitRows, Record, truth};
use super::value::{Pattern, Val};
use crate::eval::{ElementStatus, MAX_COMPLETIONS, Truth, Verdict};

/// A party's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyStatus {
    /// Nothing is said.
    None,
    /// An author.
    Author,
    /// May be an author, depending on unknown facts.
    Maybe,
    /// Not an author.
    NotAuthor,
}

/// Which subject two rules disagree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// An element (index into [`Program::elements`]).
    Element(usize),
    /// A party (index into [`Program::parties`]).
    Party(usize),
}

/// The outcome of one run, in index form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The verdict.
    pub(crate) verdict: Option<Verdict>,
    /// When undetermined: the verdicts still possible (bit `v as u8`).
    pub(crate) possible: u8,
    /// Each element's status (`None`: no rule reaches it), like
    /// [`Program::elements`].
    pub(crate) elements: Vec<Option<ElementStatus>>,
    /// Each undetermined element's possible statuses (bit 0 protected,
    /// bit 1 not protected).
    pub(crate) element_possible: Vec<u8>,
    /// Each party's status, like [`Program::parties`].
    pub(crate) parties: Vec<PartyStatus>,
    /// When undetermined: the facts the verdict depends on.
    pub(crate) depends_on: Vec<u32>,
}

/// Reusable buffers for runs of one or more programs.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    /// The last run's record.
    pub(crate) record: Record,
    /// The last outcome.
    pub(crate) summary: Summary,
    /// Per-node dependency sets.
    pub(crate) node_deps: BitRows,
    /// Per-rule dependency sets.
    pub(crate) rule_deps: BitRows,
    /// Per-element dependency sets.
    pub(crate) element_deps: BitRows,
    work: Option<Pattern>,
    /// The slots the last completion set to their defined values, with the
    /// values they had (to undo it before the next one).
    undo: Vec<(u32, Val)>,
    /// The pattern evaluated last, completed (when the vocabulary has
    /// facts that may not arise).
    pub(crate) completed: Option<Pattern>,
    /// The facts of that pattern that do not arise, with the values stated.
    pub(crate) defaulted: Vec<(u32, Val)>,
    enum_record: Record,
    enum_summary: Summary,
    facts: Vec<u32>,
    seen: Vec<u8>,
    authors: Vec<bool>,
}

impl Scratch {
    /// Whether each rule applies and each condition node's value, from the
    /// last run.
    pub fn record(&self) -> &Record {
        &self.record
    }
}

pub(super) fn verdict_bit(v: Verdict) -> u8 {
    1u8 << (v as u8)
}

/// OR of the votes' `applies` for one subject: (yes, no).
#[inline]
fn votes(subject: &Subject, rec: &Record) -> (Truth, Truth) {
    let (mut yes, mut no) = (0u8, 0u8);
    for v in &subject.votes {
        let a = rec.applies_rank(v.rule);
        if v.yes {
            yes = yes.max(a);
        }
        if v.no {
            no = no.max(a);
        }
    }
    (truth(yes), truth(no))
}

/// The verdicts possible given whether something is (or may be) protected
/// and whether something is (or may be) unprotected, as bits.
fn possible_verdicts(any_yes: Truth, any_no: Truth) -> u8 {
    let mut out = 0;
    for &yes in any_yes.possible() {
        for &no in any_no.possible() {
            out |= verdict_bit(match (yes, no) {
                (true, false) => Verdict::Protected,
                (true, true) => Verdict::PartiallyProtected,
                (false, true) => Verdict::NotProtected,
                (false, false) => Verdict::NotAddressed,
            });
        }
    }
    out
}

/// The one verdict in a set of bits, if there is exactly one.
pub(super) fn single(bits: u8) -> Option<Verdict> {
    (bits.count_ones() == 1)
        .then(|| Verdict::ALL.into_iter().find(|v| bits == verdict_bit(*v)))
        .flatten()
}

impl Program {
    /// Decides the outcome of the record into `out` (Kleene approximation;
    /// no enumeration). `Err` names the first subject two applying rules
    /// disagree on.
    pub fn decide(&self, rec: &Record, out: &mut Summary) -> Result<(), Clash> {
        out.elements.clear();
        out.element_possible.clear();
        out.parties.clear();
        out.depends_on.clear();
        let (mut any_yes, mut any_no) = (Truth::False, Truth::False);
        for (i, subject) in self.elements.iter().enumerate() {
            let (yes, no) = votes(subject, rec);
            if yes == Truth::True && no == Truth::True {
                return Err(Clash::Element(i));
            }
            any_yes = any_yes.or(yes);
            any_no = any_no.or(no);
            let status = match (yes, no) {
                (Truth::False, Truth::False) => None,
                (Truth::True, Truth::False) => Some(ElementStatus::Protected),
                (Truth::False, Truth::True) => Some(ElementStatus::NotProtected),
                _ => Some(ElementStatus::Undetermined),
            };
            out.elements.push(status);
            let possible = if status == Some(ElementStatus::Undetermined) {
                u8::from(yes != Truth::False) | (u8::from(no != Truth::False) << 1)
            } else {
                0
            };
            out.element_possible.push(possible);
        }
        let possible = possible_verdicts(any_yes, any_no);
        let verdict = single(possible).unwrap_or(Verdict::Undetermined);
        out.verdict = Some(verdict);
        out.possible = if verdict == Verdict::Undetermined {
            possible
        } else {
            0
        };
        for (i, subject) in self.parties.iter().enumerate() {
            let (yes, no) = votes(subject, rec);
            if yes == Truth::True && no == Truth::True {
                return Err(Clash::Party(i));
            }
            let status = match (yes, no) {
                (_, Truth::True) => PartyStatus::NotAuthor,
                // With nothing protected there is nothing to be the author of.
                (Truth::True | Truth::Unknown, _) if verdict == Verdict::NotProtected => {
                    PartyStatus::None
                }
                (Truth::True, _) => PartyStatus::Author,
                (Truth::Unknown, _) => PartyStatus::Maybe,
                _ => PartyStatus::None,
            };
            out.parties.push(status);
        }
        Ok(())
    }

    /// The facts an open outcome depends on: for every undetermined element,
    /// the unknown facts of the rules that may decide it. Fills
    /// `s.element_deps` (one row per element) and `s.summary.depends_on`.
    pub fn open_dependencies(&self, pattern: &Pattern, s: &mut Scratch) {
        let bits = pattern.values().len();
        if !s.record.any_unknown() {
            // Nothing is open: every set is empty.
            s.node_deps.reset(self.nodes.len(), bits);
            s.rule_deps.reset(self.rules.len(), bits);
            s.element_deps
                .reset(self.elements.len().saturating_add(1), bits);
            s.summary.depends_on.clear();
            return;
        }
        self.dependencies(pattern, &s.record, &mut s.node_deps, &mut s.rule_deps);
        // One extra row at the end gathers the verdict's dependencies.
        let all = self.elements.len();
        s.element_deps.reset(all.saturating_add(1), bits);
        for (i, subject) in self.elements.iter().enumerate() {
            if s.summary.elements.get(i).copied().flatten() != Some(ElementStatus::Undetermined) {
                continue;
            }
            for v in &subject.votes {
                if s.record.applies(v.rule) == Truth::Unknown {
                    s.element_deps.union_from(i, &s.rule_deps, v.rule as usize);
                }
            }
            // Learning that a fact does not arise settles it too.
            self.arising.add_hinges(pattern, &mut s.element_deps, i);
            s.element_deps.union(all, i);
        }
        s.summary.depends_on.clear();
        if s.summary.verdict == Some(Verdict::Undetermined) {
            let deps = s
                .element_deps
                .iter(all)
                .filter_map(|b| u32::try_from(b).ok());
            s.summary.depends_on.extend(deps);
        }
    }

    /// The number of completions of `facts`, if at most `MAX_COMPLETIONS`.
    pub(super) fn completions(&self, facts: &[u32]) -> Option<usize> {
        let total = facts.iter().try_fold(1usize, |acc, &f| {
            let n = self.candidates.get(f as usize).map_or(0, Vec::len);
            acc.checked_mul(n.max(1))
        })?;
        (total <= MAX_COMPLETIONS).then_some(total)
    }

    /// Writes the `n`-th completion of `facts` into `work` (mixed radix).
    pub(super) fn complete(&self, work: &mut Pattern, facts: &[u32], mut n: usize) {
        for &f in facts {
            let values = self
                .candidates
                .get(f as usize)
                .map_or(&[][..], Vec::as_slice);
            let radix = values.len().max(1);
            if let Some(v) = values.get(n.checked_rem(radix).unwrap_or(0)) {
                work.put(f, *v);
            }
            n = n.checked_div(radix).unwrap_or(0);
        }
    }

    /// Puts back the values the last completion of facts that do not
    /// arise replaced (in reverse, so each slot gets its first value).
    fn undo_arising(&self, work: &mut Pattern, undo: &mut Vec<(u32, Val)>) {
        while let Some((slot, before)) = undo.pop() {
            work.put(slot, before);
        }
    }

    /// The verdict: Kleene first, then, if open, the one verdict every
    /// completion of the facts it depends on reaches (stopping at the
    /// second distinct one).
    pub fn verdict(
        &self,
        pattern: &Pattern,
        active: &[bool],
        s: &mut Scratch,
    ) -> Result<Verdict, Clash> {
        self.run(pattern, active, &mut s.record);
        self.decide(&s.record, &mut s.summary)?;
        let verdict = s.summary.verdict.unwrap_or(Verdict::Undetermined);
        if verdict != Verdict::Undetermined {
            return Ok(verdict);
        }
        self.open_dependencies(pattern, s);
        let facts = std::mem::take(&mut s.summary.depends_on);
        let found = self.single_completion_verdict(pattern, active, &facts, s);
        s.summary.depends_on = facts;
        Ok(found.unwrap_or(Verdict::Undetermined))
    }

    fn single_completion_verdict(
        &self,
        pattern: &Pattern,
        active: &[bool],
        facts: &[u32],
        s: &mut Scratch,
    ) -> Option<Verdict> {
        let total = self.completions(facts)?;
        let mut work = s.work.take().unwrap_or_else(|| pattern.clone());
        work.clone_from(pattern);
        s.undo.clear();
        let mut seen: Option<Verdict> = None;
        let mut split = false;
        for n in 0..total {
            self.undo_arising(&mut work, &mut s.undo);
            self.complete(&mut work, facts, n);
            self.arising.apply(&mut work, &mut s.undo);
            self.run(&work, active, &mut s.enum_record);
            // A completion on which the rules contradict each other reaches
            // no verdict.
            if self.decide(&s.enum_record, &mut s.enum_summary).is_err() {
                continue;
            }
            let v = s.enum_summary.verdict.unwrap_or(Verdict::Undetermined);
            match seen {
                Some(prev) if prev != v => {
                    split = true;
                    break;
                }
                _ => seen = Some(v),
            }
        }
        s.work = Some(work);
        if split { None } else { seen }
    }

    /// The full outcome: [`Program::decide`], then for an open outcome the
    /// exact refinement (verdicts, element statuses and possible authors
    /// reached by some completion). Leaves the record of `pattern` itself
    /// in `s.record`, its dependency sets in `s.*_deps`.
    pub fn summarize(
        &self,
        pattern: &Pattern,
        active: &[bool],
        s: &mut Scratch,
    ) -> Result<(), Clash> {
        self.run(pattern, active, &mut s.record);
        self.decide(&s.record, &mut s.summary)?;
        // An element can be open under a settled verdict; its facts are
        // reported either way.
        self.open_dependencies(pattern, s);
        if s.summary.verdict == Some(Verdict::Undetermined) {
            self.refine(pattern, active, s);
        }
        Ok(())
    }

    fn refine(&self, pattern: &Pattern, active: &[bool], s: &mut Scratch) {
        // Buffers are taken from the scratch and put back: no allocation
        // once they have grown.
        let mut facts = std::mem::take(&mut s.facts);
        facts.clone_from(&s.summary.depends_on);
        let mut seen = std::mem::take(&mut s.seen);
        let mut authors = std::mem::take(&mut s.authors);
        self.refine_with(pattern, active, s, &facts, &mut seen, &mut authors);
        s.facts = facts;
        s.seen = seen;
        s.authors = authors;
    }

    fn refine_with(
        &self,
        pattern: &Pattern,
        active: &[bool],
        s: &mut Scratch,
        facts: &[u32],
        seen: &mut Vec<u8>,
        authors: &mut Vec<bool>,
    ) {
        let Some(total) = self.completions(facts) else {
            return;
        };
        let mut work = s.work.take().unwrap_or_else(|| pattern.clone());
        work.clone_from(pattern);
        s.undo.clear();
        let mut verdicts = 0u8;
        // Per element: bit 0 protected, 1 not protected, 2 undetermined, 3 not reached.
        seen.clear();
        seen.resize(self.elements.len(), 0);
        authors.clear();
        authors.resize(self.parties.len(), false);
        let mut any = false;
        for n in 0..total {
            self.undo_arising(&mut work, &mut s.undo);
            self.complete(&mut work, facts, n);
            self.arising.apply(&mut work, &mut s.undo);
            self.run(&work, active, &mut s.enum_record);
            if self.decide(&s.enum_record, &mut s.enum_summary).is_err() {
                continue;
            }
            any = true;
            verdicts |= verdict_bit(s.enum_summary.verdict.unwrap_or(Verdict::Undetermined));
            for (bits, status) in seen.iter_mut().zip(&s.enum_summary.elements) {
                *bits |= match status {
                    Some(ElementStatus::Protected) => 1,
                    Some(ElementStatus::NotProtected) => 2,
                    Some(ElementStatus::Undetermined) => 4,
                    None => 8,
                };
            }
            for (a, p) in authors.iter_mut().zip(&s.enum_summary.parties) {
                *a |= *p == PartyStatus::Author;
            }
        }
        s.work = Some(work);
        apply_refinement(
            &mut s.summary,
            &mut s.element_deps,
            any,
            verdicts,
            seen,
            authors,
        );
    }
}

fn apply_refinement(
    sum: &mut Summary,
    element_deps: &mut BitRows,
    any: bool,
    verdicts: u8,
    seen: &[u8],
    authors: &[bool],
) {
    if let Some(only) = single(verdicts) {
        sum.verdict = Some(only);
        sum.possible = 0;
        sum.depends_on.clear();
    } else {
        sum.possible = verdicts;
    }
    // A party who is an author in no completion cannot be one.
    for (p, &author) in sum.parties.iter_mut().zip(authors) {
        if *p == PartyStatus::Maybe && !author {
            *p = PartyStatus::None;
        }
    }
    // With no completion decided there is nothing to refine the elements with.
    if !any {
        return;
    }
    for (i, bits) in seen.iter().enumerate() {
        let Some(status) = sum.elements.get_mut(i) else {
            continue;
        };
        if status.is_none() {
            continue;
        }
        let statuses = bits & 7;
        let only = match statuses {
            1 => Some(ElementStatus::Protected),
            2 => Some(ElementStatus::NotProtected),
            4 => Some(ElementStatus::Undetermined),
            _ => None,
        };
        let possible = sum.element_possible.get_mut(i);
        match (only, bits & 8 == 0) {
            (Some(one), true) => {
                *status = Some(one);
                if let Some(p) = possible {
                    *p = 0;
                }
                element_deps.clear_row(i);
            }
            _ => {
                if let Some(p) = possible {
                    *p = statuses;
                }
            }
        }
    }
}
