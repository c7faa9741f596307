//! Reduced ordered multi-valued decision diagrams: how the outcomes still
//! possible on an open case are found exactly without trying every
//! completion of its unknown facts.
//!
//! A diagram is a boolean function of a few variables, each with a small
//! finite domain (a fact's values that behave differently, or a flag), as a
//! shared graph: every node tests one variable and has one child per value;
//! variables are tested in one fixed order along every path; no node has
//! all children equal and no two nodes are the same (so equal functions are
//! the same node). Conditions are built with `and`, `or` and `and not`; a
//! three-valued condition is a pair of diagrams, where it is true and where
//! it is false ([`Tri`]). Which functions some allowed assignment makes
//! true is then one walk over at most every node, whatever the number of
//! assignments.
//!
//! Both evaluators use it: the compiled one builds one diagram per ruleset
//! over all the facts it reads and restricts it to each case
//! (`compiled::exact`), the tree evaluator builds one per open case over
//! that case's unknown facts (`reference::possible`). Every operation is
//! iterative, so a diagram over thousands of facts needs no deep stack, and
//! a diagram stops growing at [`MAX_DIAGRAM_NODES`] or after
//! [`MAX_DIAGRAM_STEPS`] steps.

mod outcome;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) use outcome::{Roots, Voter, roots};

/// Most nodes one diagram may have. A ruleset whose outcomes need more
/// (only conditions written to defeat every variable order get near it:
/// the shipped rulesets need a few hundred) is reported as too complex to
/// work out exactly, never answered approximately.
pub const MAX_DIAGRAM_NODES: usize = 1 << 18;

/// Most steps one diagram may take to build: each combination of two
/// nodes that `and`, `or` or `and not` works out (neither answered at once
/// nor remembered) costs one step per value of the variable it splits on,
/// and one more. Past it, as past [`MAX_DIAGRAM_NODES`], the outcome is
/// too complex to work out. Nodes bound the diagram's memory, steps its
/// time: combining large diagrams can take many steps for few new nodes.
/// A few times as many as the nodes a diagram may have (a small ruleset
/// comparing facts with each other can take a quarter of a million), so
/// that only work making no new nodes reaches it; the shipped rulesets
/// take about ten thousand.
pub const MAX_DIAGRAM_STEPS: u64 = 1 << 22;

/// Most completions of an open case's facts tried one by one when its
/// diagram is past [`MAX_DIAGRAM_NODES`] or [`MAX_DIAGRAM_STEPS`] (both
/// evaluators fall back to that): a tenth of a second or so of runs. Past
/// it too, the outcome is reported as too complex to work out.
pub const MAX_COMPLETIONS: usize = 1 << 16;

/// A node: [`FALSE`], [`TRUE`] or an inner node.
pub(crate) type Id = u32;

/// The function that is always false.
pub(crate) const FALSE: Id = 0;
/// The function that is always true.
pub(crate) const TRUE: Id = 1;

/// The level of the two terminals: below every variable.
const TERMINAL: u32 = u32::MAX;

/// The diagram grew past [`MAX_DIAGRAM_NODES`] or took more than
/// [`MAX_DIAGRAM_STEPS`] to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// A finished diagram: nodes and their children, nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Diagram {
    /// Per node: the level of the variable it tests ([`TERMINAL`] for the
    /// terminals).
    level: Vec<u32>,
    /// Per node: where its children start in `kids`.
    first: Vec<u32>,
    /// The children of every node, one per value of its variable.
    kids: Vec<Id>,
    /// The steps its building took (see [`MAX_DIAGRAM_STEPS`]).
    steps: u64,
}

impl Diagram {
    /// How many nodes there are, terminals included.
    pub(crate) fn len(&self) -> usize {
        self.level.len()
    }

    /// How many steps building it took.
    #[cfg(test)]
    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }

    /// The level of the variable `id` tests (`None` for a terminal).
    #[inline]
    pub(crate) fn level(&self, id: Id) -> Option<usize> {
        match self.level.get(id as usize) {
            Some(&l) if l != TERMINAL => Some(l as usize),
            _ => None,
        }
    }

    /// The child of `id` for value `value` of its variable.
    #[inline]
    pub(crate) fn kid(&self, id: Id, value: usize) -> Id {
        let at = self.first.get(id as usize).map_or(0, |&f| f as usize);
        self.kids
            .get(at.saturating_add(value))
            .copied()
            .unwrap_or(FALSE)
    }

    /// Fills `reach` with, per node, whether a path allowed at every level
    /// leads from it to `true`: level `l` may take the values
    /// `values[start..start + len]` for `(start, len) = allowed[l]`. One
    /// pass over the nodes in the order they were made (children first):
    /// the cost is the diagram's size, whatever the number of allowed
    /// paths. Kept as the plain definition the walk ([`Diagram::reaches`])
    /// is tested against.
    #[cfg(test)]
    pub(crate) fn reaching(&self, allowed: &[(u32, u32)], values: &[u32], reach: &mut Vec<bool>) {
        reach.clear();
        reach.resize(self.len(), false);
        if let Some(t) = reach.get_mut(TRUE as usize) {
            *t = true;
        }
        for id in 2..self.len() {
            let (Some(&level), Some(&first)) = (self.level.get(id), self.first.get(id)) else {
                break;
            };
            let (start, len) = allowed.get(level as usize).copied().unwrap_or((0, 0));
            let end = start.wrapping_add(len) as usize;
            let kids = self.kids.get(first as usize..).unwrap_or(&[]);
            let r = values
                .get(start as usize..end)
                .unwrap_or(&[])
                .iter()
                .any(|&v| {
                    kids.get(v as usize)
                        .is_some_and(|&k| reach.get(k as usize) == Some(&true))
                });
            if let Some(slot) = reach.get_mut(id) {
                *slot = r;
            }
        }
    }
}

/// Memory of [`Diagram::reaches`] walks: what they found per node, each
/// mark stamped with the walk that made it, so a new walk forgets the
/// last one without clearing anything.
#[derive(Debug, Clone, Default)]
pub(crate) struct Walk {
    /// Per node: `stamp << 1 | reaches`, once the current walk settled it.
    marks: Vec<u32>,
    /// The current walk's stamp (never 0: a fresh mark means "not yet").
    stamp: u32,
    /// The nodes being worked on, each with the index of the next allowed
    /// value of its variable to try.
    stack: Vec<(Id, u32)>,
}

impl Walk {
    /// Starts a walk over `d` under a new assignment: earlier findings no
    /// longer hold.
    pub(crate) fn start(&mut self, d: &Diagram) {
        self.stamp = self.stamp.wrapping_add(1);
        // Stamps use 31 bits; on wrapping (or a diagram of another size)
        // every mark is cleared once.
        if self.stamp == 0 || self.stamp > u32::MAX >> 1 || self.marks.len() != d.len() {
            self.marks.clear();
            self.marks.resize(d.len(), 0);
            self.stamp = 1;
        }
    }

    /// What the current walk found for `id`, if it has settled it.
    #[inline]
    fn found(&self, id: Id) -> Option<bool> {
        match id {
            FALSE => Some(false),
            TRUE => Some(true),
            _ => self
                .marks
                .get(id as usize)
                .filter(|&&m| m >> 1 == self.stamp)
                .map(|&m| m & 1 == 1),
        }
    }

    fn settle(&mut self, id: Id, reaches: bool) {
        if let Some(m) = self.marks.get_mut(id as usize) {
            *m = (self.stamp << 1) | u32::from(reaches);
        }
    }
}

impl Diagram {
    /// Whether a path allowed at every level leads from `root` to `true`
    /// (as [`Diagram::reaching`] says of `root`, with the same `allowed`
    /// and `values`), visiting only nodes such paths pass through, each at
    /// most once per walk (`w`, started with [`Walk::start`] for this
    /// assignment; several roots may share a walk). With most variables
    /// fixed, as on a case with few unknown facts, that is a few paths, not
    /// the whole diagram. Depth-first with its own stack, like every
    /// operation here.
    pub(crate) fn reaches(
        &self,
        root: Id,
        allowed: &[(u32, u32)],
        values: &[u32],
        w: &mut Walk,
    ) -> bool {
        if let Some(known) = w.found(root) {
            return known;
        }
        w.stack.clear();
        w.stack.push((root, 0));
        while let Some(&(id, next)) = w.stack.last() {
            let level = self.level.get(id as usize).copied().unwrap_or(TERMINAL);
            let (start, len) = allowed.get(level as usize).copied().unwrap_or((0, 0));
            let end = start.wrapping_add(len) as usize;
            let tried = values.get(start as usize..end).unwrap_or(&[]);
            let first = self.first.get(id as usize).map_or(0, |&f| f as usize);
            // The first allowed value, from `next` on, whose child reaches
            // `true` (settled) or is not settled yet (to walk first).
            let mut outcome = Some(false);
            let mut i = next as usize;
            while let Some(&v) = tried.get(i) {
                let kid = self
                    .kids
                    .get(first.saturating_add(v as usize))
                    .copied()
                    .unwrap_or(FALSE);
                match w.found(kid) {
                    Some(true) => {
                        outcome = Some(true);
                        break;
                    }
                    Some(false) => i = i.saturating_add(1),
                    None => {
                        outcome = None;
                        if let Some(top) = w.stack.last_mut() {
                            top.1 = u32::try_from(i).unwrap_or(u32::MAX);
                        }
                        w.stack.push((kid, 0));
                        break;
                    }
                }
            }
            // Settled: back to the parent, which looks at this child again.
            if let Some(reaches) = outcome {
                w.settle(id, reaches);
                w.stack.pop();
            }
        }
        w.found(root).unwrap_or(false)
    }
}

/// A three-valued function as two diagrams that are never true together:
/// where it is true and where it is false; unknown everywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tri {
    /// Where it is true.
    pub t: Id,
    /// Where it is false.
    pub f: Id,
}

impl Tri {
    /// Always true.
    pub const TRUE: Tri = Tri { t: TRUE, f: FALSE };
    /// Always false.
    pub const FALSE: Tri = Tri { t: FALSE, f: TRUE };
    /// Always unknown.
    pub const UNKNOWN: Tri = Tri { t: FALSE, f: FALSE };

    /// A constant.
    pub fn constant(t: crate::eval::Truth) -> Tri {
        match t {
            crate::eval::Truth::True => Tri::TRUE,
            crate::eval::Truth::False => Tri::FALSE,
            crate::eval::Truth::Unknown => Tri::UNKNOWN,
        }
    }

    /// Kleene negation: true and false swap.
    pub fn not(self) -> Tri {
        Tri {
            t: self.f,
            f: self.t,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op {
    And,
    Or,
    /// `a and not b`.
    Diff,
}

/// One step of the iterative `apply`.
enum Step {
    /// Work out `op(a, b)` and push it on the result stack.
    Call(Id, Id),
    /// The children of `op(a, b)` at `level` are the top `arity` results:
    /// replace them with the node.
    Make(Id, Id, u32, usize),
}

/// A multiply-and-rotate hash (the standard library's default is built to
/// resist collision attacks, which node numbers cannot mount, at several
/// times the cost).
#[derive(Debug, Default, Clone, Copy)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type Fast<K, V> = HashMap<K, V, BuildHasherDefault<Mix>>;

/// Builds diagrams over variables with the given domain sizes, level 0
/// tested first.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    d: Diagram,
    /// Per level: how many values the variable has.
    arity: Vec<usize>,
    /// Every inner node, by the hash of its level and children: the first
    /// of a chain continued through `next`.
    unique: Fast<u64, Id>,
    /// Per node: the next node of its hash chain (`FALSE` ends it).
    next: Vec<Id>,
    /// Results of `apply` already worked out.
    cache: Fast<(Op, Id, Id), Id>,
    /// Steps taken so far (see [`MAX_DIAGRAM_STEPS`]).
    steps: u64,
    /// Most steps allowed: [`MAX_DIAGRAM_STEPS`] (less in tests).
    step_budget: u64,
}

impl Builder {
    /// A builder for variables with `arity[l]` values at level `l`.
    pub(crate) fn new(arity: Vec<usize>) -> Builder {
        Builder {
            d: Diagram {
                level: vec![TERMINAL, TERMINAL],
                first: vec![0, 0],
                kids: vec![],
                steps: 0,
            },
            arity,
            unique: Fast::default(),
            next: vec![FALSE, FALSE],
            cache: Fast::default(),
            steps: 0,
            step_budget: MAX_DIAGRAM_STEPS,
        }
    }

    /// The diagram of the functions `roots`, without the nodes no root
    /// leads to (what `apply` made on the way), numbered anew in the same
    /// order (children before parents); `roots` are renumbered in place.
    pub(crate) fn finish(self, roots: &mut [&mut Id]) -> Diagram {
        let d = self.d;
        let mut live = vec![false; d.len()];
        let mut todo: Vec<Id> = roots.iter().map(|r| **r).collect();
        while let Some(id) = todo.pop() {
            match live.get_mut(id as usize) {
                Some(seen) if !*seen && id > TRUE => *seen = true,
                _ => continue,
            }
            let arity = d.level(id).and_then(|l| self.arity.get(l)).copied();
            for v in 0..arity.unwrap_or(0) {
                todo.push(d.kid(id, v));
            }
        }
        let mut renumber = vec![FALSE; d.len()];
        let mut out = Diagram {
            level: vec![TERMINAL, TERMINAL],
            first: vec![0, 0],
            kids: vec![],
            steps: self.steps,
        };
        if let Some(t) = renumber.get_mut(TRUE as usize) {
            *t = TRUE;
        }
        for (id, _) in live.iter().enumerate().filter(|(_, l)| **l) {
            let Some(level) = d.level.get(id).copied() else {
                continue;
            };
            let arity = self.arity.get(level as usize).copied().unwrap_or(0);
            let first = u32::try_from(out.kids.len()).unwrap_or(u32::MAX);
            for v in 0..arity {
                let kid = d.kid(Id::try_from(id).unwrap_or(FALSE), v);
                out.kids
                    .push(renumber.get(kid as usize).copied().unwrap_or(FALSE));
            }
            if let Some(n) = renumber.get_mut(id) {
                *n = Id::try_from(out.level.len()).unwrap_or(FALSE);
            }
            out.level.push(level);
            out.first.push(first);
        }
        for r in roots.iter_mut() {
            **r = renumber.get(**r as usize).copied().unwrap_or(FALSE);
        }
        out
    }

    /// The node testing `level` with these children (reduced: no node
    /// with equal children, no two equal nodes).
    fn make(&mut self, level: u32, kids: &[Id]) -> Result<Id, TooLarge> {
        let Some(&first) = kids.first() else {
            return Ok(FALSE);
        };
        if kids.iter().all(|&k| k == first) {
            return Ok(first);
        }
        let mut h = Mix::default();
        h.write_u32(level);
        for &k in kids {
            h.write_u32(k);
        }
        let hash = h.finish();
        let head = self.unique.get(&hash).copied().unwrap_or(FALSE);
        let mut at = head;
        while at != FALSE {
            if self.d.level.get(at as usize) == Some(&level) && self.kids_of(at) == kids {
                return Ok(at);
            }
            at = self.next.get(at as usize).copied().unwrap_or(FALSE);
        }
        if self.d.level.len() >= MAX_DIAGRAM_NODES {
            return Err(TooLarge);
        }
        let id = Id::try_from(self.d.level.len()).map_err(|_| TooLarge)?;
        let first = u32::try_from(self.d.kids.len()).map_err(|_| TooLarge)?;
        self.d.level.push(level);
        self.d.first.push(first);
        self.d.kids.extend_from_slice(kids);
        self.next.push(head);
        self.unique.insert(hash, id);
        Ok(id)
    }

    fn kids_of(&self, id: Id) -> &[Id] {
        let arity = self
            .d
            .level
            .get(id as usize)
            .and_then(|&l| self.arity.get(l as usize))
            .copied()
            .unwrap_or(0);
        let at = self.d.first.get(id as usize).map_or(0, |&f| f as usize);
        self.d.kids.get(at..at.saturating_add(arity)).unwrap_or(&[])
    }

    /// The function true exactly where the variable at `level` takes a
    /// value `allowed` accepts.
    pub(crate) fn test(
        &mut self,
        level: usize,
        allowed: impl Fn(usize) -> bool,
    ) -> Result<Id, TooLarge> {
        let n = self.arity.get(level).copied().unwrap_or(0);
        let kids: Vec<Id> = (0..n)
            .map(|v| if allowed(v) { TRUE } else { FALSE })
            .collect();
        self.make(u32::try_from(level).map_err(|_| TooLarge)?, &kids)
    }

    /// `a and b`.
    pub(crate) fn and(&mut self, a: Id, b: Id) -> Result<Id, TooLarge> {
        self.apply(Op::And, a, b)
    }

    /// `a or b`.
    pub(crate) fn or(&mut self, a: Id, b: Id) -> Result<Id, TooLarge> {
        self.apply(Op::Or, a, b)
    }

    /// `a and not b`.
    pub(crate) fn diff(&mut self, a: Id, b: Id) -> Result<Id, TooLarge> {
        self.apply(Op::Diff, a, b)
    }

    /// `not a`.
    pub(crate) fn not(&mut self, a: Id) -> Result<Id, TooLarge> {
        self.apply(Op::Diff, TRUE, a)
    }

    /// Kleene `and`: true where both are, false where either is.
    pub(crate) fn tri_and(&mut self, a: Tri, b: Tri) -> Result<Tri, TooLarge> {
        Ok(Tri {
            t: self.and(a.t, b.t)?,
            f: self.or(a.f, b.f)?,
        })
    }

    /// Kleene `or`: true where either is, false where both are.
    pub(crate) fn tri_or(&mut self, a: Tri, b: Tri) -> Result<Tri, TooLarge> {
        Ok(Tri {
            t: self.or(a.t, b.t)?,
            f: self.and(a.f, b.f)?,
        })
    }

    /// `a` where `c` holds, `b` elsewhere (`c` two-valued): how a fact that
    /// does not arise where `c` holds is read at its defined value there.
    pub(crate) fn tri_choose(&mut self, c: Id, a: Tri, b: Tri) -> Result<Tri, TooLarge> {
        let (at, af) = (self.and(c, a.t)?, self.and(c, a.f)?);
        let (bt, bf) = (self.diff(b.t, c)?, self.diff(b.f, c)?);
        Ok(Tri {
            t: self.or(at, bt)?,
            f: self.or(af, bf)?,
        })
    }

    // The answer without looking at children, when there is one.
    fn shortcut(op: Op, a: Id, b: Id) -> Option<Id> {
        match op {
            Op::And if a == FALSE || b == FALSE => Some(FALSE),
            Op::And if a == TRUE || a == b => Some(b),
            Op::And if b == TRUE => Some(a),
            Op::Or if a == TRUE || b == TRUE => Some(TRUE),
            Op::Or if a == FALSE || a == b => Some(b),
            Op::Or if b == FALSE => Some(a),
            Op::Diff if a == FALSE || b == TRUE || a == b => Some(FALSE),
            Op::Diff if b == FALSE => Some(a),
            _ => None,
        }
    }

    /// The child of `id` for `value` of the variable at `level` (`id`
    /// itself when it does not test that variable).
    fn cofactor(&self, id: Id, level: u32, value: usize) -> Id {
        if self.d.level.get(id as usize) == Some(&level) {
            self.d.kid(id, value)
        } else {
            id
        }
    }

    fn level_of(&self, id: Id) -> u32 {
        self.d.level.get(id as usize).copied().unwrap_or(TERMINAL)
    }

    // Shannon expansion on the topmost variable of either operand, with an
    // explicit stack (a diagram can have as many levels as facts).
    fn apply(&mut self, op: Op, a: Id, b: Id) -> Result<Id, TooLarge> {
        let mut steps = vec![Step::Call(a, b)];
        let mut results: Vec<Id> = Vec::new();
        while let Some(step) = steps.pop() {
            match step {
                Step::Call(a, b) => {
                    let (a, b) = match op {
                        Op::And | Op::Or if b < a => (b, a),
                        _ => (a, b),
                    };
                    if let Some(r) = Builder::shortcut(op, a, b) {
                        results.push(r);
                        continue;
                    }
                    if let Some(&r) = self.cache.get(&(op, a, b)) {
                        results.push(r);
                        continue;
                    }
                    let level = self.level_of(a).min(self.level_of(b));
                    let arity = self.arity.get(level as usize).copied().unwrap_or(0);
                    self.steps = self.steps.saturating_add(arity as u64).saturating_add(1);
                    if self.steps > self.step_budget {
                        return Err(TooLarge);
                    }
                    steps.push(Step::Make(a, b, level, arity));
                    // Pushed last to first, so they finish first to last.
                    for v in (0..arity).rev() {
                        let (ka, kb) = (self.cofactor(a, level, v), self.cofactor(b, level, v));
                        steps.push(Step::Call(ka, kb));
                    }
                }
                Step::Make(a, b, level, arity) => {
                    let start = results.len().saturating_sub(arity);
                    let kids = results.split_off(start);
                    let r = self.make(level, &kids)?;
                    self.cache.insert((op, a, b), r);
                    results.push(r);
                }
            }
        }
        Ok(results.pop().unwrap_or(FALSE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_functions_are_the_same_node() {
        let mut b = Builder::new(vec![2, 3, 2]);
        let x = b.test(0, |v| v == 1).unwrap();
        let nothing = b.test(0, |_| false).unwrap();
        assert_eq!(nothing, FALSE);
        let y = b.test(1, |v| v != 0).unwrap();
        let z = b.test(2, |v| v == 1).unwrap();
        let xy = b.and(x, y).unwrap();
        let yx = b.and(y, x).unwrap();
        assert_eq!(xy, yx);
        // (x and y) or (x and z) = x and (y or z)
        let left = {
            let xz = b.and(x, z).unwrap();
            b.or(xy, xz).unwrap()
        };
        let right = {
            let yz = b.or(y, z).unwrap();
            b.and(x, yz).unwrap()
        };
        assert_eq!(left, right);
        let nx = b.not(x).unwrap();
        assert_eq!(b.and(x, nx).unwrap(), FALSE);
        assert_eq!(b.or(x, nx).unwrap(), TRUE);
        assert_eq!(b.diff(x, x).unwrap(), FALSE);
        // A test true on every value is no node at all.
        assert_eq!(b.test(1, |_| true).unwrap(), TRUE);
        let (mut x, mut left) = (x, left);
        let d = b.finish(&mut [&mut x, &mut left]);
        // Only x and x and (y or z) are left: 1 + 3 nodes, and the terminals.
        assert_eq!(d.len(), 2 + 4);
        assert_eq!(d.level(x), Some(0));
        assert_eq!(d.kid(x, 1), TRUE);
        assert_eq!(d.kid(x, 0), FALSE);
        // x = 1 and y = 2 reaches true; x = 0 does not; y = 0 and z = 0
        // does not, y = 0 and z in {0, 1} does.
        let mut reach = Vec::new();
        let values = [1, 2, 0, 0, 1];
        d.reaching(&[(0, 1), (1, 1), (2, 1)], &values, &mut reach);
        assert_eq!(reach.get(left as usize), Some(&true));
        d.reaching(&[(2, 1), (1, 1), (2, 1)], &values, &mut reach);
        assert_eq!(reach.get(left as usize), Some(&false));
        d.reaching(&[(0, 1), (2, 1), (2, 1)], &values, &mut reach);
        assert_eq!(reach.get(left as usize), Some(&false));
        d.reaching(&[(0, 1), (2, 1), (3, 2)], &values, &mut reach);
        assert_eq!(reach.get(left as usize), Some(&true));
        // The walk from one root says the same.
        let mut w = Walk::default();
        for (allowed, expected) in [
            ([(0, 1), (1, 1), (2, 1)], true),
            ([(2, 1), (1, 1), (2, 1)], false),
            ([(0, 1), (2, 1), (2, 1)], false),
            ([(0, 1), (2, 1), (3, 2)], true),
        ] {
            w.start(&d);
            assert_eq!(d.reaches(left, &allowed, &values, &mut w), expected);
            assert_eq!(
                d.reaches(x, &allowed, &values, &mut w),
                allowed[0] == (0, 1)
            );
        }
    }

    /// On random diagrams and assignments, the walk from each root agrees
    /// with the pass over every node.
    #[test]
    fn the_walk_agrees_with_the_full_pass() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200 {
            let arity: Vec<usize> = (0..6).map(|_| 2 + next(3) as usize).collect();
            let mut b = Builder::new(arity.clone());
            let mut roots = Vec::new();
            let mut f = FALSE;
            for _ in 0..8 {
                let level = next(6) as usize;
                let k = next(arity[level] as u64) as usize;
                let t = b.test(level, |v| v != k).unwrap();
                f = if next(2) == 0 {
                    b.and(f, t).unwrap()
                } else {
                    b.or(f, t).unwrap()
                };
                roots.push(f);
            }
            let mut refs: Vec<&mut Id> = roots.iter_mut().collect();
            let d = b.finish(&mut refs);
            let mut w = Walk::default();
            let mut reach = Vec::new();
            for _ in 0..20 {
                let (mut allowed, mut values) = (Vec::new(), Vec::new());
                for &a in &arity {
                    let start = values.len() as u32;
                    for v in 0..a as u32 {
                        if next(3) == 0 {
                            values.push(v);
                        }
                    }
                    allowed.push((start, values.len() as u32 - start));
                }
                d.reaching(&allowed, &values, &mut reach);
                w.start(&d);
                for &r in &roots {
                    assert_eq!(d.reaches(r, &allowed, &values, &mut w), reach[r as usize]);
                }
            }
        }
    }

    #[test]
    fn a_diagram_stops_at_its_budget() {
        // Pairs (a_i and b_i) with every a before every b: 2^n nodes.
        let n = 20;
        let mut b = Builder::new(vec![2; 2 * n]);
        let result = pairs_in_the_worst_order(&mut b, n);
        assert_eq!(result, Err(TooLarge));
    }

    /// The disjunction of (a_i and b_i) for i < n, with every a before
    /// every b in the variable order: 2^n nodes, so it runs into a budget.
    fn pairs_in_the_worst_order(b: &mut Builder, n: usize) -> Result<Id, TooLarge> {
        let mut f = FALSE;
        for i in 0..n {
            let a = b.test(i, |v| v == 1)?;
            let c = b.test(n + i, |v| v == 1)?;
            let pair = b.and(a, c)?;
            f = b.or(f, pair)?;
        }
        Ok(f)
    }

    #[test]
    fn a_diagram_stops_after_its_steps() {
        // The same pairs with n = 12 need 2^12 nodes, within the node
        // budget, and more steps than a budget of 10,000 allows.
        let n = 12;
        let mut b = Builder::new(vec![2; 2 * n]);
        b.step_budget = 10_000;
        let result = pairs_in_the_worst_order(&mut b, n);
        assert_eq!(result, Err(TooLarge));
        assert!(b.d.len() < 10_000, "{} nodes", b.d.len());
        assert!(b.steps > 10_000);
    }
}
