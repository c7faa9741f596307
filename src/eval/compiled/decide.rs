//! From a [`Record`] to an outcome, without strings: each element's and
//! party's status, the verdict, and — for an open outcome — the exact
//! verdicts, element statuses and authors still possible, read from the
//! program's decision diagram (`exact`).

use super::code::Code;
use super::enumerate::{Open, Reached, Trial};
use super::exact::{Case, Lazy, Memo, Want};
use super::program::{Program, Subject};
use super::run::{BitRows, Record, truth};
use super::value::{Pattern, Val};
use crate::eval::{ElementStatus, Truth, Verdict};

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

/// Why an outcome could not be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Two applying rules disagree.
    Clash(Clash),
    /// The outcomes still possible need a diagram past its budget.
    TooComplex,
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
    /// The pattern evaluated last, completed (when the vocabulary has
    /// facts that may not arise).
    pub(crate) completed: Option<Pattern>,
    /// The facts of that pattern that do not arise, with the values stated.
    pub(crate) defaulted: Vec<(u32, Val)>,
    /// The diagram walks' memory.
    memo: Memo,
    /// Per element: the statuses some completion reaches.
    seen: Vec<u8>,
    /// Per party: an author in some completion.
    authors: Vec<bool>,
    /// A second `seen` for the authors' walk.
    spare: Vec<u8>,
    /// The completions tried when the diagram is past its budget.
    trial: Trial,
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
pub(super) fn possible_verdicts(any_yes: Truth, any_no: Truth) -> u8 {
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
            // A part counts only where the ruleset reaches what it is part of.
            let counts = self.principal_reached(i, rec);
            any_yes = any_yes.or(yes.and(counts));
            any_no = any_no.or(no.and(counts));
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

    /// Whether element `i` counts towards the verdict: always for a main
    /// element; for a part, whether some rule reaches the element it is
    /// part of.
    fn principal_reached(&self, i: usize, rec: &Record) -> Truth {
        match self.principals.get(i).copied().flatten() {
            None => Truth::True,
            Some(p) => self.elements.get(p).map_or(Truth::False, |s| {
                let (yes, no) = votes(s, rec);
                yes.or(no)
            }),
        }
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
                .reset(self.elements.len().saturating_add(2), bits);
            s.summary.depends_on.clear();
            return;
        }
        self.dependencies(pattern, &s.record, &mut s.node_deps, &mut s.rule_deps);
        // One extra row at the end gathers the verdict's dependencies.
        let all = self.elements.len();
        s.element_deps.reset(all.saturating_add(2), bits);
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
            // A part's facts stay among the verdict's even where the verdict
            // cannot count it: the exact walk ranges over them to settle the
            // part's own status, and "depends on" lists every open element's.
            s.element_deps.union(all, i);
        }
        self.author_dependencies(pattern, s);
        s.summary.depends_on.clear();
        if s.summary.verdict == Some(Verdict::Undetermined) {
            let deps = s
                .element_deps
                .iter(all)
                .filter_map(|b| u32::try_from(b).ok());
            s.summary.depends_on.extend(deps);
        }
    }

    /// Row `elements + 1` of `s.element_deps`: the verdict's facts and those
    /// of the rules that may make a possible author one (or not), which need
    /// not decide any element.
    fn author_dependencies(&self, pattern: &Pattern, s: &mut Scratch) {
        let all = self.elements.len();
        let row = all.saturating_add(1);
        s.element_deps.union(row, all);
        for (i, subject) in self.parties.iter().enumerate() {
            if s.summary.parties.get(i) != Some(&PartyStatus::Maybe) {
                continue;
            }
            for v in &subject.votes {
                if s.record.applies(v.rule) == Truth::Unknown {
                    s.element_deps
                        .union_from(row, &s.rule_deps, v.rule as usize);
                }
            }
        }
        self.arising.add_hinges(pattern, &mut s.element_deps, row);
    }

    /// The verdict: Kleene first, then, if open, the one verdict every
    /// allowed completion of the facts it depends on reaches, if there is
    /// one (the walk stops at the second distinct verdict).
    ///
    /// A verdict the table settles leaves `s.summary` as it was: only
    /// [`Program::summarize`] fills it.
    pub fn verdict(
        &self,
        code: &Code,
        pattern: &Pattern,
        active: &[bool],
        exact: &Lazy,
        s: &mut Scratch,
    ) -> Result<Verdict, Stop> {
        code.run(self, pattern, active, &mut s.record);
        if let Some(verdict) = code.verdict(&s.record).map_err(Stop::Clash)? {
            return Ok(verdict);
        }
        self.decide(&s.record, &mut s.summary)
            .map_err(Stop::Clash)?;
        let verdict = s.summary.verdict.unwrap_or(Verdict::Undetermined);
        if verdict != Verdict::Undetermined {
            return Ok(verdict);
        }
        self.open_dependencies(pattern, s);
        let row = self.elements.len();
        let bits = self.possible(code, pattern, active, exact, row, Want::Verdict, s)?;
        Ok(single(bits).unwrap_or(Verdict::Undetermined))
    }

    /// The verdicts some completion of the facts in row `row` of
    /// `s.element_deps` reaches, and for [`Want::All`] the element statuses
    /// (`s.seen`) and authors (`s.authors`): from the program's diagram, or,
    /// when that is past its budget, by trying each completion.
    #[allow(clippy::too_many_arguments)] // the parts of one evaluation, passed apart for the borrows
    fn possible(
        &self,
        code: &Code,
        pattern: &Pattern,
        active: &[bool],
        exact: &Lazy,
        row: usize,
        want: Want,
        s: &mut Scratch,
    ) -> Result<u8, Stop> {
        let Ok(exact) = exact.get(self, active) else {
            let open = Open {
                pattern,
                deps: &s.element_deps,
                row,
            };
            let reached = Reached {
                seen: &mut s.seen,
                authors: &mut s.authors,
            };
            return self
                .enumerate(code, active, &open, want, &mut s.trial, reached)
                .map_err(|_| Stop::TooComplex);
        };
        let case = Case {
            pattern,
            record: &s.record,
            open: &s.element_deps,
            row,
            kleene: Some(&s.summary),
        };
        Ok(exact.possible(&case, &mut s.memo, want, &mut s.seen, &mut s.authors))
    }

    /// The full outcome: [`Program::decide`], then for an open outcome the
    /// exact refinement (verdicts, element statuses and possible authors
    /// reached by some completion). Leaves the record of `pattern` itself
    /// in `s.record`, its dependency sets in `s.*_deps`.
    pub fn summarize(
        &self,
        code: &Code,
        pattern: &Pattern,
        active: &[bool],
        exact: &Lazy,
        s: &mut Scratch,
    ) -> Result<(), Stop> {
        code.run(self, pattern, active, &mut s.record);
        self.decide(&s.record, &mut s.summary)
            .map_err(Stop::Clash)?;
        // An element can be open under a settled verdict; its facts are
        // reported either way.
        self.open_dependencies(pattern, s);
        if s.summary.verdict == Some(Verdict::Undetermined) {
            let row = self.elements.len();
            let verdicts = self.possible(code, pattern, active, exact, row, Want::All, s)?;
            // Who may be an author, over the completions of their facts too
            // (the element statuses found above are kept aside meanwhile).
            if s.summary.parties.contains(&PartyStatus::Maybe) {
                std::mem::swap(&mut s.seen, &mut s.spare);
                let wider = row.saturating_add(1);
                let found = self.possible(code, pattern, active, exact, wider, Want::All, s);
                std::mem::swap(&mut s.seen, &mut s.spare);
                found?;
            }
            apply_refinement(
                &mut s.summary,
                &mut s.element_deps,
                verdicts != 0,
                verdicts,
                &s.seen,
                &s.authors,
            );
        }
        Ok(())
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
