//! The outcomes still possible on an open case, exactly, for a compiled
//! program — without trying the completions of its unknown facts one by
//! one.
//!
//! What is computed (the definition the tree evaluator and the brute-force
//! tests share): each fact the open outcome depends on takes, in turn,
//! every value `candidate_values` gives it (a fact given none stays
//! unknown); the other unknown facts stay unknown; each such completion is
//! run and decided three-valued; completions on which two applying rules
//! contradict each other reach no outcome and are dropped; the verdicts,
//! element statuses and authors of the others are gathered.
//!
//! How: once per ruleset and context, on its first open case, the program
//! is turned into a decision diagram ([`crate::eval::diagram`]) over every
//! fact its active rules read, each fact's values grouped into the classes
//! its conditions tell apart, plus "unknown" — so the diagram holds the
//! three-valued outcome of every pattern at once. A case then fixes each
//! known fact to its class and each unknown fact it does not depend on to
//! "unknown", and lets the facts it depends on range over the classes of
//! their candidate values; an outcome is possible when some path allowed
//! so reaches it. One walk over the diagram's nodes (only those some
//! question leads to are kept; only those the allowed paths pass are
//! visited) answers every question, so a case costs at most the diagram's
//! size, not the number of its completions.
//!
//! A fact that may not arise is read, as the run reads a completed
//! pattern, at its defined value wherever its `arises` condition is false:
//! each test of it is the test of that value there and of the fact
//! elsewhere, so the facts its condition reads are variables as well (and
//! range over their candidates when the outcome depends on them). The
//! definition above holds with each completion completed the same way.
//!
//! A comparison of two facts is the one thing classes cannot settle when
//! both facts are known (two values of one class may differ): it gets a
//! variable of its own, set from the program's run to its value when both
//! are known and to "read the facts" otherwise.

mod classes;
mod query;

use std::sync::OnceLock;

use self::classes::{FactVar, Test, bare};
use super::arising::{Cond, F as RANK_F, Operand as CondOperand, T as RANK_T};
use super::program::{Chain, Kid, KidRef, Node, Operand, Program, Subject};
use super::value::Val;
use crate::eval::Truth;
use crate::eval::diagram::{self, Builder, Diagram, FALSE, Id, Roots, TooLarge, Tri, Voter};
use crate::syntax::CmpOp;

pub use query::Memo;
pub(crate) use query::{Case, Want};

/// A program's outcomes as a diagram, with what its variables stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exact {
    dd: Diagram,
    /// Per level of the diagram.
    vars: Vec<Var>,
    /// Per level: where its fact's candidate classes start in `tried`, and
    /// how many there are.
    tried_at: Vec<(u32, u32)>,
    /// The candidate classes of every level's fact, level after level.
    tried: Vec<u32>,
    roots: Roots,
    /// The vocabulary's `arises` conditions, as the program reads them.
    arising: std::sync::Arc<super::arising::ArisingCode>,
}

/// What a level of the diagram stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Var {
    /// A fact: its classes, then "unknown".
    Fact(FactVar),
    /// The comparison of two facts at this node: false, true, or (when
    /// not both are known) whatever the facts' classes say.
    Pair(u32),
}

/// Values of a [`Var::Pair`].
const PAIR_FALSE: usize = 0;
const PAIR_TRUE: usize = 1;
const PAIR_FREE: usize = 2;

impl Var {
    fn arity(&self) -> usize {
        match self {
            Var::Fact(f) => f.arity(),
            Var::Pair(_) => 3,
        }
    }
}

/// The diagram of a compiled program, built on first use and kept with it.
#[derive(Debug, Clone, Default)]
pub struct Lazy(OnceLock<Result<Exact, TooLarge>>);

impl Lazy {
    /// The diagram of `p` with the rules `active` says can apply.
    pub(crate) fn get(&self, p: &Program, active: &[bool]) -> Result<&Exact, TooLarge> {
        self.0
            .get_or_init(|| Exact::build(p, active))
            .as_ref()
            .map_err(|e| *e)
    }

    /// A diagram never built, as if past its budget: every open case is
    /// worked out by trying its completions.
    pub(crate) fn declined() -> Lazy {
        Lazy(OnceLock::from(Err(TooLarge)))
    }
}

impl Exact {
    /// Builds the diagram of `p`'s outcomes.
    pub(crate) fn build(p: &Program, active: &[bool]) -> Result<Exact, TooLarge> {
        let layout = Layout::of(p, active);
        let mut b = Builder::new(layout.vars.iter().map(Var::arity).collect());
        let applies = Circuit {
            p,
            layout: &layout,
            b: &mut b,
            nodes: vec![Tri::UNKNOWN; p.nodes.len()],
            applies: vec![Tri::FALSE; p.rules.len()],
            bare: vec![None; layout.vars.len()],
            not_arising: vec![None; layout.vars.len()],
        }
        .run(active)?;
        let mut roots = diagram::roots(
            &mut b,
            &applies,
            &voters(&p.elements),
            &p.principals,
            &voters(&p.parties),
        )?;
        let dd = b.finish(&mut roots.ids());
        let (mut tried_at, mut tried) = (Vec::new(), Vec::new());
        for var in &layout.vars {
            let classes: &[usize] = match var {
                Var::Fact(f) => &f.candidates,
                Var::Pair(_) => &[],
            };
            let start = u32::try_from(tried.len()).map_err(|_| TooLarge)?;
            let len = u32::try_from(classes.len()).map_err(|_| TooLarge)?;
            tried_at.push((start, len));
            for &c in classes {
                tried.push(u32::try_from(c).map_err(|_| TooLarge)?);
            }
        }
        Ok(Exact {
            dd,
            vars: layout.vars,
            tried_at,
            tried,
            roots,
            arising: std::sync::Arc::clone(&p.arising),
        })
    }

    /// How many nodes the diagram has.
    #[cfg(test)]
    pub(crate) fn size(&self) -> usize {
        self.dd.len()
    }

    /// How many steps building the diagram took.
    #[cfg(test)]
    pub(crate) fn steps(&self) -> u64 {
        self.dd.steps()
    }
}

fn voters(subjects: &[Subject]) -> Vec<Vec<Voter>> {
    subjects
        .iter()
        .map(|s| {
            s.votes
                .iter()
                .map(|v| Voter {
                    rule: v.rule as usize,
                    yes: v.yes,
                    no: v.no,
                })
                .collect()
        })
        .collect()
}

/// The variables, in the order the diagram tests them: facts in the order
/// the active rules first read them (facts read together stay close), each
/// comparison of two facts right after the later of the two.
struct Layout {
    vars: Vec<Var>,
    /// Per slot: its level, if the slot is a variable.
    slot_level: Vec<Option<usize>>,
    /// Per node: the level of its pair variable, if it has one.
    pair_level: Vec<Option<usize>>,
}

/// What a walk over the active rules' nodes finds.
#[derive(Default)]
struct Reads {
    /// Slots in the order first read.
    order: Vec<u32>,
    /// Per slot: the comparisons made of it.
    tests: Vec<Vec<Test>>,
    /// Comparisons of two different facts: node, operator, left, right.
    pairs: Vec<(u32, CmpOp, u32, u32)>,
}

impl Reads {
    fn read(&mut self, slot: u32) {
        let s = slot as usize;
        if self.tests.len() <= s {
            self.tests.resize(s.saturating_add(1), Vec::new());
        }
        if !self.order.contains(&slot) {
            self.order.push(slot);
        }
    }

    fn test(&mut self, slot: u32, t: Test) {
        self.read(slot);
        if let Some(tests) = self.tests.get_mut(slot as usize)
            && !tests.contains(&t)
        {
            tests.push(t);
        }
    }

    fn kid(&mut self, k: Kid) {
        if let KidRef::Fact(s) | KidRef::NotFact(s) = k.get() {
            self.read(s);
        }
    }

    fn node(&mut self, p: &Program, j: u32, node: Node) {
        let lit = |i: u32| p.lits.get(i as usize).copied().unwrap_or(Val::UNKNOWN);
        match node {
            Node::Const(_) | Node::Conclusion(_) => {}
            Node::Leaf(k) | Node::Not(k) => self.kid(k),
            Node::And(c) | Node::Or(c) => {
                for s in mask_slots(p, c) {
                    self.read(s);
                }
                for k in chain_kids(p, c) {
                    self.kid(k);
                }
            }
            Node::Compare(op, a, b) => match (a, b) {
                (Operand::Slot(s), Operand::Lit(i)) | (Operand::Lit(i), Operand::Slot(s)) => {
                    let fact_left = matches!(a, Operand::Slot(_));
                    let value = lit(i);
                    self.test(
                        s,
                        Test {
                            op,
                            value,
                            fact_left,
                        },
                    );
                }
                (Operand::Slot(x), Operand::Slot(y)) => {
                    self.read(x);
                    self.read(y);
                    if x != y {
                        self.pairs.push((j, op, x, y));
                    }
                }
                _ => {}
            },
            Node::In(Operand::Slot(s), start, end, _) => {
                self.read(s);
                for i in start..end {
                    let value = lit(i);
                    self.test(
                        s,
                        Test {
                            op: CmpOp::Eq,
                            value,
                            fact_left: true,
                        },
                    );
                }
            }
            Node::In(..) => {}
        }
    }

    // A fact that may not arise is read at its defined value where its
    // `arises` condition is false, so the facts that condition reads are
    // variables too, with its comparisons among their tests, and each
    // comes before the first fact whose arising hangs on it (the facts
    // that decide whether a question arises stay close to the question).
    fn arising(&mut self, p: &Program) {
        if p.arising.is_empty() {
            return;
        }
        let mut order = Vec::new();
        for slot in self.order.clone() {
            self.with_hinges(p, slot, &mut order);
        }
        self.order = order;
    }

    fn with_hinges(&mut self, p: &Program, slot: u32, order: &mut Vec<u32>) {
        if order.contains(&slot) {
            return;
        }
        if let Some((cond, otherwise)) = p.arising.step(slot) {
            let mut hinges = Vec::new();
            self.cond(cond, &mut hinges);
            // A comparison with the fact is also made of its defined value.
            for (_, op, x, y) in self.pairs.clone() {
                for (me, other, fact_left) in [(x, y, true), (y, x, false)] {
                    if other == slot {
                        let value = otherwise;
                        self.test(
                            me,
                            Test {
                                op,
                                value,
                                fact_left,
                            },
                        );
                    }
                }
            }
            for h in hinges {
                self.with_hinges(p, h, order);
            }
        }
        if !order.contains(&slot) {
            order.push(slot);
        }
    }

    /// Records the reads and tests of an `arises` condition; `hinges` gets
    /// the slots it reads.
    fn cond(&mut self, c: &Cond, hinges: &mut Vec<u32>) {
        match c {
            Cond::Const(_) => {}
            Cond::Fact(s) => self.hinge(*s, hinges),
            Cond::Not(inner) => self.cond(inner, hinges),
            Cond::And(parts) | Cond::Or(parts) => {
                for part in parts {
                    self.cond(part, hinges);
                }
            }
            Cond::Compare(op, a, b) => match (*a, *b) {
                (CondOperand::Slot(s), CondOperand::Lit(value))
                | (CondOperand::Lit(value), CondOperand::Slot(s)) => {
                    self.hinge(s, hinges);
                    let fact_left = matches!(a, CondOperand::Slot(_));
                    let op = *op;
                    self.test(
                        s,
                        Test {
                            op,
                            value,
                            fact_left,
                        },
                    );
                }
                (CondOperand::Slot(x), CondOperand::Slot(y)) => {
                    self.hinge(x, hinges);
                    self.hinge(y, hinges);
                }
                _ => {}
            },
            Cond::In(CondOperand::Slot(s), list, _) => {
                self.hinge(*s, hinges);
                for &value in list {
                    let eq = Test {
                        op: CmpOp::Eq,
                        value,
                        fact_left: true,
                    };
                    self.test(*s, eq);
                }
            }
            Cond::In(..) => {}
        }
    }

    fn hinge(&mut self, slot: u32, hinges: &mut Vec<u32>) {
        self.read(slot);
        if !hinges.contains(&slot) {
            hinges.push(slot);
        }
    }

    // A comparison of two facts is exact on the classes when one side is
    // one of its candidate values and the other anything: each candidate
    // gets a class of its own (an `==` test), and each side is tested
    // against every candidate of the other.
    fn pair_tests(&mut self, p: &Program) {
        let candidates =
            |s: u32| -> Vec<Val> { p.candidates.get(s as usize).cloned().unwrap_or_default() };
        for (_, op, x, y) in self.pairs.clone() {
            for (me, other, fact_left) in [(x, y, true), (y, x, false)] {
                for value in candidates(other) {
                    self.test(
                        me,
                        Test {
                            op,
                            value,
                            fact_left,
                        },
                    );
                }
                for value in candidates(me) {
                    let eq = Test {
                        op: CmpOp::Eq,
                        value,
                        fact_left: true,
                    };
                    self.test(me, eq);
                }
            }
        }
    }
}

fn mask_slots(p: &Program, c: Chain) -> Vec<u32> {
    let Some(m) = p.masks.get(c.mask as usize) else {
        return vec![];
    };
    (0..64u32)
        .filter(|b| (m.pos | m.neg) & (1u64 << b) != 0)
        .map(|b| m.word.saturating_mul(64).saturating_add(b))
        .collect()
}

fn chain_kids(p: &Program, c: Chain) -> Vec<Kid> {
    p.kids
        .get(c.start as usize..c.end as usize)
        .unwrap_or(&[])
        .to_vec()
}

/// The rules the diagram evaluates: those in the evaluation order that can
/// apply (the others never do).
fn active_rules<'p>(p: &'p Program, active: &'p [bool]) -> impl Iterator<Item = u32> + 'p {
    p.order
        .iter()
        .copied()
        .filter(move |&r| active.get(r as usize).copied().unwrap_or(false))
}

impl Layout {
    fn of(p: &Program, active: &[bool]) -> Layout {
        let mut reads = Reads::default();
        for r in active_rules(p, active) {
            let Some(rule) = p.rules.get(r as usize) else {
                continue;
            };
            for j in rule.start..rule.end {
                if let Some(&node) = p.nodes.get(j as usize) {
                    reads.node(p, j, node);
                }
            }
        }
        reads.arising(p);
        reads.pair_tests(p);
        let mut layout = Layout {
            vars: Vec::new(),
            slot_level: vec![None; reads.tests.len()],
            pair_level: vec![None; p.nodes.len()],
        };
        for &slot in &reads.order {
            let tests = reads.tests.get(slot as usize).cloned().unwrap_or_default();
            let candidates = p
                .candidates
                .get(slot as usize)
                .map_or(&[][..], Vec::as_slice);
            if let Some(l) = layout.slot_level.get_mut(slot as usize) {
                *l = Some(layout.vars.len());
            }
            layout
                .vars
                .push(Var::Fact(FactVar::new(slot, tests, candidates)));
            // The comparisons whose later fact this is come right after it.
            for &(node, _, x, y) in &reads.pairs {
                let later = [x, y]
                    .iter()
                    .filter_map(|s| reads.order.iter().position(|o| o == s))
                    .max();
                if later.and_then(|i| reads.order.get(i)) == Some(&slot) {
                    if let Some(l) = layout.pair_level.get_mut(node as usize) {
                        *l = Some(layout.vars.len());
                    }
                    layout.vars.push(Var::Pair(node));
                }
            }
        }
        layout
    }

    fn fact(&self, slot: u32) -> Option<(usize, &FactVar)> {
        let level = self.slot_level.get(slot as usize).copied().flatten()?;
        match self.vars.get(level) {
            Some(Var::Fact(f)) => Some((level, f)),
            _ => None,
        }
    }
}

/// Evaluates the program's nodes over diagrams, as `Program::run` does
/// over one pattern.
struct Circuit<'a> {
    p: &'a Program,
    layout: &'a Layout,
    b: &'a mut Builder,
    nodes: Vec<Tri>,
    applies: Vec<Tri>,
    /// Per level: a bare read of that fact, once built.
    bare: Vec<Option<Tri>>,
    /// Per level: where that fact does not arise, once built.
    not_arising: Vec<Option<Id>>,
}

/// Whether `a op b` holds, as the program's run decides it.
fn holds(op: CmpOp, a: Val, b: Val) -> bool {
    a.kind == b.kind && op.holds(a.bits.cmp(&b.bits))
}

impl Circuit<'_> {
    /// Whether each rule applies.
    fn run(mut self, active: &[bool]) -> Result<Vec<Tri>, TooLarge> {
        // Rules not yet evaluated count as not applying, as in the run.
        for r in active_rules(self.p, active) {
            let Some(rule) = self.p.rules.get(r as usize) else {
                continue;
            };
            for j in rule.start..rule.end {
                let Some(&node) = self.p.nodes.get(j as usize) else {
                    continue;
                };
                let value = self.node(j, node)?;
                if let Some(slot) = self.nodes.get_mut(j as usize) {
                    *slot = value;
                }
            }
            let cond = self
                .nodes
                .get(rule.end.saturating_sub(1) as usize)
                .copied()
                .unwrap_or(Tri::UNKNOWN);
            let defeated = self.any(&rule.exceptions)?;
            let applies = self.b.tri_and(cond, defeated.not())?;
            if let Some(slot) = self.applies.get_mut(r as usize) {
                *slot = applies;
            }
        }
        for &r in &self.p.unordered {
            if let Some(slot) = self.applies.get_mut(r as usize) {
                *slot = Tri::UNKNOWN;
            }
        }
        Ok(self.applies)
    }

    fn any(&mut self, rules: &[u32]) -> Result<Tri, TooLarge> {
        let mut out = Tri::FALSE;
        for &r in rules {
            let a = self.applies.get(r as usize).copied().unwrap_or(Tri::FALSE);
            out = self.b.tri_or(out, a)?;
        }
        Ok(out)
    }

    fn node(&mut self, j: u32, node: Node) -> Result<Tri, TooLarge> {
        let p = self.p;
        let lit = |i: u32| p.lits.get(i as usize).copied();
        Ok(match node {
            Node::Const(t) => Tri::constant(t),
            Node::Leaf(k) => self.kid(k)?,
            Node::Not(k) => self.kid(k)?.not(),
            Node::Conclusion(c) => {
                let holders = p.conclusions.get(c as usize).map_or(&[][..], Vec::as_slice);
                self.any(holders)?
            }
            Node::And(c) => self.chain(c, true)?,
            Node::Or(c) => self.chain(c, false)?,
            Node::Compare(op, a, b) => match (a, b) {
                (Operand::Slot(s), Operand::Lit(i)) | (Operand::Lit(i), Operand::Slot(s)) => {
                    let Some(value) = lit(i) else {
                        return Ok(Tri::UNKNOWN);
                    };
                    let test = Test {
                        op,
                        value,
                        fact_left: matches!(a, Operand::Slot(_)),
                    };
                    self.eff(s, &|v| test.passes(v))?
                }
                (Operand::Lit(x), Operand::Lit(y)) => match (lit(x), lit(y)) {
                    (Some(x), Some(y)) => Tri::constant(Truth::from_bool(holds(op, x, y))),
                    _ => Tri::UNKNOWN,
                },
                (Operand::Slot(x), Operand::Slot(y)) if x == y => {
                    self.eff(x, &|v| holds(op, v, v))?
                }
                (Operand::Slot(x), Operand::Slot(y)) => {
                    let level = self.layout.pair_level.get(j as usize).copied().flatten();
                    self.compare_slots(op, x, y, level)?
                }
                _ => Tri::UNKNOWN,
            },
            Node::In(o, start, end, negated) => {
                let list = p.lits.get(start as usize..end as usize).unwrap_or(&[]);
                let found = |v: Val| list.iter().any(|l| l.kind == v.kind && l.bits == v.bits);
                match o {
                    Operand::Slot(s) => self.eff(s, &|v| found(v) != negated)?,
                    Operand::Lit(i) => match lit(i) {
                        Some(v) => Tri::constant(Truth::from_bool(found(v) != negated)),
                        None => Tri::UNKNOWN,
                    },
                    Operand::Opaque => Tri::UNKNOWN,
                }
            }
        })
    }

    fn chain(&mut self, c: Chain, and: bool) -> Result<Tri, TooLarge> {
        let mut out = if and { Tri::TRUE } else { Tri::FALSE };
        let (pos, neg) = self
            .p
            .masks
            .get(c.mask as usize)
            .map_or((0, 0), |m| (m.pos, m.neg));
        let mut operands = Vec::new();
        // A fact can be read both as it is and negated in one chain.
        for s in mask_slots(self.p, c) {
            let read = self.read(s)?;
            let bit = 1u64 << (s % 64);
            if pos & bit != 0 {
                operands.push(read);
            }
            if neg & bit != 0 {
                operands.push(read.not());
            }
        }
        for k in chain_kids(self.p, c) {
            operands.push(self.kid(k)?);
        }
        for x in operands {
            out = if and {
                self.b.tri_and(out, x)?
            } else {
                self.b.tri_or(out, x)?
            };
        }
        Ok(out)
    }

    fn kid(&mut self, k: Kid) -> Result<Tri, TooLarge> {
        Ok(match k.get() {
            KidRef::Fact(s) => self.read(s)?,
            KidRef::NotFact(s) => self.read(s)?.not(),
            KidRef::Node(i) => self.nodes.get(i as usize).copied().unwrap_or(Tri::UNKNOWN),
        })
    }

    /// A bare read of a fact.
    fn read(&mut self, slot: u32) -> Result<Tri, TooLarge> {
        let Some((level, _)) = self.layout.fact(slot) else {
            return Ok(Tri::UNKNOWN);
        };
        if let Some(Some(t)) = self.bare.get(level) {
            return Ok(*t);
        }
        let t = self.eff(slot, &|v| bare(v) == Truth::True)?;
        if let Some(cell) = self.bare.get_mut(level) {
            *cell = Some(t);
        }
        Ok(t)
    }

    /// True on the classes of `slot` where `test` holds, false on the
    /// other classes, unknown on "unknown".
    fn split(&mut self, slot: u32, test: impl Fn(Val) -> bool) -> Result<Tri, TooLarge> {
        let layout = self.layout;
        let Some((level, var)) = layout.fact(slot) else {
            return Ok(Tri::UNKNOWN);
        };
        let reps = &var.reps;
        let yes = |c: usize| reps.get(c).is_some_and(|&v| test(v));
        let no = |c: usize| reps.get(c).is_some_and(|&v| !test(v));
        Ok(Tri {
            t: self.b.test(level, yes)?,
            f: self.b.test(level, no)?,
        })
    }

    /// A test of one fact, read at its defined value where it does not
    /// arise (as the run reads a completed pattern).
    fn eff(&mut self, slot: u32, test: &dyn Fn(Val) -> bool) -> Result<Tri, TooLarge> {
        let raw = self.split(slot, test)?;
        let Some((not, otherwise)) = self.not_arising(slot)? else {
            return Ok(raw);
        };
        let defined = Tri::constant(Truth::from_bool(test(otherwise)));
        self.b.tri_choose(not, defined, raw)
    }

    /// Where the fact in `slot` does not arise, with its value there (none
    /// when it always arises).
    fn not_arising(&mut self, slot: u32) -> Result<Option<(Id, Val)>, TooLarge> {
        let p = self.p;
        let Some((cond, otherwise)) = p.arising.step(slot) else {
            return Ok(None);
        };
        let level = self.layout.fact(slot).map(|(l, _)| l);
        if let Some(Some(id)) = level.and_then(|l| self.not_arising.get(l)) {
            return Ok((*id != FALSE).then_some((*id, otherwise)));
        }
        let not = self.cond(cond)?.f;
        if let Some(cell) = level.and_then(|l| self.not_arising.get_mut(l)) {
            *cell = Some(not);
        }
        Ok((not != FALSE).then_some((not, otherwise)))
    }

    /// An `arises` condition, three-valued, as `ArisingCode` evaluates it
    /// on a pattern (the facts it reads may themselves not arise).
    fn cond(&mut self, c: &Cond) -> Result<Tri, TooLarge> {
        Ok(match c {
            Cond::Const(RANK_T) => Tri::TRUE,
            Cond::Const(RANK_F) => Tri::FALSE,
            Cond::Const(_) => Tri::UNKNOWN,
            Cond::Fact(s) => self.read(*s)?,
            Cond::Not(inner) => self.cond(inner)?.not(),
            Cond::And(parts) | Cond::Or(parts) => {
                let and = matches!(c, Cond::And(_));
                let mut out = if and { Tri::TRUE } else { Tri::FALSE };
                for part in parts {
                    let x = self.cond(part)?;
                    out = if and {
                        self.b.tri_and(out, x)?
                    } else {
                        self.b.tri_or(out, x)?
                    };
                }
                out
            }
            Cond::Compare(op, a, b) => match (*a, *b) {
                (CondOperand::Slot(s), CondOperand::Lit(value))
                | (CondOperand::Lit(value), CondOperand::Slot(s)) => {
                    let test = Test {
                        op: *op,
                        value,
                        fact_left: matches!(a, CondOperand::Slot(_)),
                    };
                    self.eff(s, &|v| test.passes(v))?
                }
                (CondOperand::Lit(x), CondOperand::Lit(y)) => {
                    Tri::constant(Truth::from_bool(holds(*op, x, y)))
                }
                (CondOperand::Slot(x), CondOperand::Slot(y)) if x == y => {
                    let op = *op;
                    self.eff(x, &|v| holds(op, v, v))?
                }
                (CondOperand::Slot(x), CondOperand::Slot(y)) => {
                    self.compare_slots(*op, x, y, None)?
                }
                _ => Tri::UNKNOWN,
            },
            Cond::In(o, list, negated) => {
                let found = |v: Val| list.iter().any(|l| l.kind == v.kind && l.bits == v.bits);
                match *o {
                    CondOperand::Slot(s) => self.eff(s, &|v| found(v) != *negated)?,
                    CondOperand::Lit(v) => Tri::constant(Truth::from_bool(found(v) != *negated)),
                    CondOperand::Opaque => Tri::UNKNOWN,
                }
            }
        })
    }

    /// `x op y` for two different facts, each read at its defined value
    /// where it does not arise.
    fn compare_slots(
        &mut self,
        op: CmpOp,
        x: u32,
        y: u32,
        level: Option<usize>,
    ) -> Result<Tri, TooLarge> {
        let raw = self.pair(op, x, y, level)?;
        let nx = self.not_arising(x)?;
        let ny = self.not_arising(y)?;
        let with_x = match nx {
            Some((not, ox)) => {
                let defined = self.eff(y, &|ry| holds(op, ox, ry))?;
                self.b.tri_choose(not, defined, raw)?
            }
            None => raw,
        };
        match ny {
            // Where `x` does not arise either, `eff` above already read `y`
            // at its defined value.
            Some((not, oy)) => {
                let defined = self.eff(x, &|rx| holds(op, rx, oy))?;
                self.b.tri_choose(not, defined, with_x)
            }
            None => Ok(with_x),
        }
    }

    /// `x op y` for two different facts as they are: by the pair's own
    /// variable when both are known, else by their classes (unknown if
    /// either is). An `arises` condition comparing two facts has no pair
    /// variable: it reads the classes alone.
    fn pair(&mut self, op: CmpOp, x: u32, y: u32, lp: Option<usize>) -> Result<Tri, TooLarge> {
        let layout = self.layout;
        let (Some((lx, vx)), Some((ly, vy))) = (layout.fact(x), layout.fact(y)) else {
            return Ok(Tri::UNKNOWN);
        };
        let (mut t, mut f) = (FALSE, FALSE);
        for (cx, &rx) in vx.reps.iter().enumerate() {
            let at = self.b.test(lx, |c| c == cx)?;
            let reps = &vy.reps;
            let yes = self
                .b
                .test(ly, |c| reps.get(c).is_some_and(|&ry| holds(op, rx, ry)))?;
            let no = self
                .b
                .test(ly, |c| reps.get(c).is_some_and(|&ry| !holds(op, rx, ry)))?;
            let (at_yes, at_no) = (self.b.and(at, yes)?, self.b.and(at, no)?);
            t = self.b.or(t, at_yes)?;
            f = self.b.or(f, at_no)?;
        }
        let Some(lp) = lp else {
            return Ok(Tri { t, f });
        };
        let free = self.b.test(lp, |v| v == PAIR_FREE)?;
        let (t, f) = (self.b.and(free, t)?, self.b.and(free, f)?);
        let fixed_t = self.b.test(lp, |v| v == PAIR_TRUE)?;
        let fixed_f = self.b.test(lp, |v| v == PAIR_FALSE)?;
        Ok(Tri {
            t: self.b.or(fixed_t, t)?,
            f: self.b.or(fixed_f, f)?,
        })
    }
}

#[cfg(all(test, feature = "fs"))]
mod tests {
    use super::*;
    use crate::eval::Context;
    use crate::eval::compiled::Slots;

    /// The shipped rulesets' diagrams stay small (a few hundred nodes,
    /// built in a tenth of the steps allowed at most): a guard on the
    /// variable order, on which a diagram's size depends.
    #[test]
    fn the_shipped_rulesets_make_small_diagrams() {
        let library = crate::load::load_library(std::path::Path::new("rules")).unwrap();
        let ctx = Context::as_of(library.latest_date().unwrap());
        let all: Vec<&crate::model::Ruleset> = library.rulesets.iter().collect();
        let slots = Slots::new(&library.vocabulary, &all);
        let (mut largest, mut most_steps) = (0, 0);
        for r in &library.rulesets {
            let p = Program::compile(r, &library.vocabulary, &slots).unwrap();
            let active: Vec<bool> = r
                .rules
                .iter()
                .map(|x| ctx.inactive_reason(r, x).is_none())
                .collect();
            let e = Exact::build(&p, &active).unwrap();
            assert!(e.size() < 1_000, "{}: {} nodes", r.id, e.size());
            assert!(
                e.steps().saturating_mul(10) < crate::eval::MAX_DIAGRAM_STEPS,
                "{}: {} steps",
                r.id,
                e.steps()
            );
            largest = largest.max(e.size());
            most_steps = most_steps.max(e.steps());
        }
        assert!(largest > 100, "the largest diagram has {largest} nodes");
        println!("at most {largest} nodes, {most_steps} steps");
    }
}
