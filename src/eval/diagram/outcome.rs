//! From whether each rule applies (three-valued, as diagrams) to the
//! questions the exact refinement asks: on which inputs the rules reach
//! each verdict, give each element each status, make each party an author —
//! always among the inputs on which no two applying rules contradict each
//! other, which reach no outcome at all.
//!
//! The same decision as the evaluators' `decide`, written once over
//! diagrams: an element is protected when some rule saying so applies and
//! none saying the opposite may; the verdict follows from whether
//! something is (or may be) protected and something unprotected; a party is
//! an author when a rule says so, none says not, and the verdict is not
//! `not_protected`.

use super::{Builder, FALSE, Id, TooLarge, Tri};
use crate::eval::Verdict;

/// A rule's vote on an element or a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Voter {
    /// The rule, by its index in the `applies` given to [`roots`].
    pub rule: usize,
    /// It says yes (protected, an author).
    pub yes: bool,
    /// It says no.
    pub no: bool,
}

/// The questions, each a diagram true on the inputs (without a
/// contradiction) where the answer is yes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Roots {
    /// The verdict is `v`, indexed by `v as usize`.
    pub verdicts: [Id; 5],
    /// Per element: protected, not protected, undetermined, not reached.
    pub elements: Vec<[Id; 4]>,
    /// Per party: an author.
    pub authors: Vec<Id>,
}

impl Roots {
    /// Every root, to be renumbered in place.
    pub(crate) fn ids(&mut self) -> Vec<&mut Id> {
        let mut out: Vec<&mut Id> = self.verdicts.iter_mut().collect();
        out.extend(self.elements.iter_mut().flatten());
        out.extend(self.authors.iter_mut());
        out
    }
}

/// Kleene `or` of the votes of one side.
fn side(b: &mut Builder, applies: &[Tri], voters: &[Voter], yes: bool) -> Result<Tri, TooLarge> {
    let mut out = Tri::FALSE;
    for v in voters.iter().filter(|v| if yes { v.yes } else { v.no }) {
        let a = applies.get(v.rule).copied().unwrap_or(Tri::UNKNOWN);
        out = b.tri_or(out, a)?;
    }
    Ok(out)
}

/// The roots for rules whose `applies` are given, deciding `elements` and
/// `parties` (each with its voters).
pub(crate) fn roots(
    b: &mut Builder,
    applies: &[Tri],
    elements: &[Vec<Voter>],
    principals: &[Option<usize>],
    parties: &[Vec<Voter>],
) -> Result<Roots, TooLarge> {
    let mut clash = FALSE;
    let (mut any_yes, mut any_no) = (Tri::FALSE, Tri::FALSE);
    let mut statuses = Vec::with_capacity(elements.len());
    let mut sides = Vec::with_capacity(elements.len());
    for voters in elements {
        let yes = side(b, applies, voters, true)?;
        let no = side(b, applies, voters, false)?;
        sides.push((yes, no));
    }
    for i in 0..elements.len() {
        let (yes, no) = sides.get(i).copied().unwrap_or((Tri::FALSE, Tri::FALSE));
        // A part counts only where the ruleset reaches what it is part of.
        let counts = match principals.get(i).copied().flatten() {
            None => Tri::TRUE,
            Some(p) => match sides.get(p).copied() {
                Some((py, pn)) => b.tri_or(py, pn)?,
                None => Tri::FALSE,
            },
        };
        let both = b.and(yes.t, no.t)?;
        clash = b.or(clash, both)?;
        let counted_yes = b.tri_and(yes, counts)?;
        let counted_no = b.tri_and(no, counts)?;
        any_yes = b.tri_or(any_yes, counted_yes)?;
        any_no = b.tri_or(any_no, counted_no)?;
        let protected = b.and(yes.t, no.f)?;
        let unprotected = b.and(yes.f, no.t)?;
        let unreached = b.and(yes.f, no.f)?;
        let settled = b.or(protected, unprotected)?;
        let settled = b.or(settled, unreached)?;
        let settled = b.or(settled, both)?;
        let open = b.not(settled)?;
        statuses.push([protected, unprotected, open, unreached]);
    }
    let mut verdicts = [FALSE; 5];
    let decided = [
        (Verdict::Protected, any_yes.t, any_no.f),
        (Verdict::PartiallyProtected, any_yes.t, any_no.t),
        (Verdict::NotProtected, any_yes.f, any_no.t),
        (Verdict::NotAddressed, any_yes.f, any_no.f),
    ];
    let mut settled = FALSE;
    for (v, x, y) in decided {
        let r = b.and(x, y)?;
        settled = b.or(settled, r)?;
        if let Some(slot) = verdicts.get_mut(v as usize) {
            *slot = r;
        }
    }
    if let Some(slot) = verdicts.get_mut(Verdict::Undetermined as usize) {
        *slot = b.not(settled)?;
    }
    let nothing_protected = verdicts
        .get(Verdict::NotProtected as usize)
        .copied()
        .unwrap_or(FALSE);
    let mut authors = Vec::with_capacity(parties.len());
    for voters in parties {
        let yes = side(b, applies, voters, true)?;
        let no = side(b, applies, voters, false)?;
        let both = b.and(yes.t, no.t)?;
        clash = b.or(clash, both)?;
        // With nothing protected there is nothing to be the author of.
        let author = b.diff(yes.t, no.t)?;
        authors.push(b.diff(author, nothing_protected)?);
    }
    let ok = b.not(clash)?;
    for r in &mut verdicts {
        *r = b.and(*r, ok)?;
    }
    for each in &mut statuses {
        for r in each.iter_mut() {
            *r = b.and(*r, ok)?;
        }
    }
    for r in &mut authors {
        *r = b.and(*r, ok)?;
    }
    Ok(Roots {
        verdicts,
        elements: statuses,
        authors,
    })
}
