//! The run of one [`Compiled`](super::Compiled) ruleset as a flat list of
//! operations, and the verdict as a table over rule values.
//!
//! [`Program`] keeps the shape the explanation, the dependency sets and the
//! decision diagram walk (nodes per rule, operands as kids). Running it that
//! way costs a walk per rule, a dispatch per node and, above all, branches
//! on the values themselves, which a processor cannot predict. [`Code`] is
//! the same evaluation laid out for speed, built once per context:
//!
//! - the commonest node — `and` / `or` of bare facts of one word, nothing
//!   else — reads the pattern alone: all of them are evaluated first, in
//!   one loop without dispatch, each a few operations on the pattern's
//!   (known, true) bit-planes, ranked without a branch;
//! - then one operation per remaining node, every rule's in evaluation
//!   order, `and` / `or` with other operands as one fold;
//! - a rule that is in force and has no exceptions is written by its root's
//!   operation (in the first loop when no other rule reads it); only the
//!   others need an operation of their own;
//! - the verdict is read from the rules that vote on the main elements
//!   (an `or` over their values), the decision of every element and party
//!   being needed only when an outcome is open or a part is involved.
//!
//! It writes exactly the [`Record`] [`Program::run`] writes (checked
//! against it and against the tree evaluator on the shipped corpus and on
//! random patterns), so explanations, dependency sets and what-if searches
//! read the same values.

use super::decide::{Clash, possible_verdicts, single};
use super::program::{Node, Program, Vote};
use super::run::{F, Record, T, U};
use super::value::Pattern;
use crate::eval::{Truth, Verdict};

/// `rule` of an operation that writes no rule.
const NO_RULE: u32 = u32::MAX;

/// A node that is an `and` / `or` of bare facts of one word and nothing
/// else: it reads the pattern alone, so it can be evaluated before any
/// other node, in one loop without dispatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Leaf {
    /// The node.
    dst: u32,
    /// The rule it is the value of, or [`NO_RULE`].
    rule: u32,
    /// The word of the pattern's bit-planes.
    word: u32,
    /// `or` as `not and not` (De Morgan): `pos` / `neg` swapped, value
    /// `2 - and`.
    invert: bool,
    /// Facts read as they are.
    pos: u64,
    /// Facts read negated.
    neg: u64,
}

/// One step of the second phase, in evaluation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Node `dst` := `and` (`or` if `or`) of the bare facts of one word
    /// (`pos` / `neg`, possibly none) and of `kids[start..end]`; also rule
    /// `rule`'s value unless [`NO_RULE`].
    Chain {
        dst: u32,
        rule: u32,
        or: bool,
        word: u32,
        pos: u64,
        neg: u64,
        start: u32,
        end: u32,
    },
    /// Node `dst` evaluated as [`Program::run`] does; also rule `rule`'s
    /// value unless [`NO_RULE`].
    Node { dst: u32, rule: u32 },
    /// Rule `rule`'s value from its root node, its exceptions and whether
    /// it is active (a rule whose root could not write it).
    Rule { rule: u32, root: u32, active: bool },
}

/// A compiled ruleset's run and verdict, for one context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Code {
    /// First phase: leaves that are the value of a rule no other rule
    /// reads (so it may be written before its turn) ...
    rule_leaves: Vec<Leaf>,
    /// ... and the other leaves (node values only).
    leaves: Vec<Leaf>,
    /// Second phase: every other node and rule, in evaluation order.
    ops: Vec<Op>,
    /// Rules the program could not order (only in rulesets built by hand).
    unordered: bool,
    /// The verdict table; `None` when an element is part of another (its
    /// vote counts only where the other is reached: the general decision).
    table: Option<Table>,
}

/// The verdict as an `or` over rule values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Table {
    /// Rules saying some main element is protected.
    yes: Vec<u32>,
    /// Rules saying some main element is not protected.
    no: Vec<u32>,
    /// Elements some rules say are protected and others are not, in
    /// element order: (index, yes voters, no voters).
    elements: Vec<(usize, Vec<u32>, Vec<u32>)>,
    /// Parties likewise.
    parties: Vec<(usize, Vec<u32>, Vec<u32>)>,
    /// The verdict, if one, for each (some yes, some no) as ranks: entry
    /// `yes << 2 | no`.
    verdicts: [Option<Verdict>; 12],
}

impl Code {
    /// Lays out `p`'s run for the rules `active` says can apply.
    pub fn new(p: &Program, active: &[bool]) -> Code {
        // Rules whose value another rule reads (through a conclusion or as
        // an exception) are written in their turn: before it, they read as
        // `false` (see `Program::run`). The order puts every rule after
        // those it reads, so this only guards against an order that does
        // not (none of the shipped rulesets has one).
        let mut read = vec![false; p.rules.len()];
        let mentioned = p.conclusions.iter().flatten();
        for &r in mentioned.chain(p.rules.iter().flat_map(|c| &c.exceptions)) {
            if let Some(x) = read.get_mut(r as usize) {
                *x = true;
            }
        }
        let mut code = Code {
            unordered: !p.unordered.is_empty(),
            table: Table::new(p),
            ..Code::default()
        };
        for &r in &p.order {
            let Some(rule) = p.rules.get(r as usize) else {
                continue;
            };
            let is_active = active.get(r as usize).copied().unwrap_or(false);
            // The root writes the rule when nothing else decides it.
            let direct = is_active && rule.exceptions.is_empty() && rule.end > rule.start;
            let early = direct && !read.get(r as usize).copied().unwrap_or(true);
            let root = rule.end.saturating_sub(1);
            for j in rule.start..rule.end {
                let Some(node) = p.nodes.get(j as usize) else {
                    continue;
                };
                let writes = if direct && j == root { r } else { NO_RULE };
                code.push(p, j, *node, writes, early);
            }
            if !direct {
                code.ops.push(Op::Rule {
                    rule: r,
                    root,
                    active: is_active,
                });
            }
        }
        code
    }

    /// Adds node `j`'s step.
    fn push(&mut self, p: &Program, j: u32, node: Node, rule: u32, early: bool) {
        let (or, c) = match node {
            Node::And(c) => (false, c),
            Node::Or(c) => (true, c),
            _ => {
                self.ops.push(Op::Node { dst: j, rule });
                return;
            }
        };
        let mask = p.masks.get(c.mask as usize).copied();
        let (word, pos, neg) = mask.map_or((0, 0, 0), |m| (m.word, m.pos, m.neg));
        match mask {
            Some(_) if c.start == c.end && (rule == NO_RULE || early) => {
                let leaf = Leaf {
                    dst: j,
                    rule,
                    word,
                    invert: or,
                    pos: if or { neg } else { pos },
                    neg: if or { pos } else { neg },
                };
                if rule == NO_RULE {
                    self.leaves.push(leaf);
                } else {
                    self.rule_leaves.push(leaf);
                }
            }
            _ => self.ops.push(Op::Chain {
                dst: j,
                rule,
                or,
                word,
                pos,
                neg,
                start: c.start,
                end: c.end,
            }),
        }
    }

    /// Evaluates every rule over `pattern` into `rec`: the same record as
    /// [`Program::run`] with the same `active`.
    pub fn run(&self, p: &Program, pattern: &Pattern, active: &[bool], rec: &mut Record) {
        if self.unordered {
            // Rulesets built by hand only: the general path.
            p.run(pattern, active, rec);
            return;
        }
        rec.nodes.resize(p.nodes.len(), U);
        // Not yet evaluated counts as `false` in an OR (see `Program::run`).
        rec.applies.clear();
        rec.applies.resize(p.rules.len(), F);
        // Bit 0 set once some rule's value is unknown (no branch per rule).
        let mut unknown = 0u8;
        for leaf in &self.leaves {
            let value = leaf_rank(leaf, pattern);
            if let Some(slot) = rec.nodes.get_mut(leaf.dst as usize) {
                *slot = value;
            }
        }
        for leaf in &self.rule_leaves {
            let value = leaf_rank(leaf, pattern);
            if let Some(slot) = rec.nodes.get_mut(leaf.dst as usize) {
                *slot = value;
            }
            if let Some(slot) = rec.applies.get_mut(leaf.rule as usize) {
                *slot = value;
            }
            unknown |= u8::from(value == U);
        }
        for op in &self.ops {
            let (dst, rule, value) = match *op {
                Op::Chain {
                    dst,
                    rule,
                    or,
                    word,
                    pos,
                    neg,
                    start,
                    end,
                } => {
                    let kids = p.kids.get(start as usize..end as usize).unwrap_or(&[]);
                    let value = if or {
                        let lits = or_rank(pattern.words(word), pos, neg);
                        kids.iter()
                            .fold(lits, |acc, &k| acc.max(super::run::kid(k, pattern, rec)))
                    } else {
                        let lits = and_rank(pattern.words(word), pos, neg);
                        kids.iter()
                            .fold(lits, |acc, &k| acc.min(super::run::kid(k, pattern, rec)))
                    };
                    (dst, rule, value)
                }
                Op::Node { dst, rule } => {
                    let node = p.nodes.get(dst as usize).copied();
                    let value = node.map_or(U, |n| p.node(n, pattern, rec));
                    (dst, rule, value)
                }
                Op::Rule { rule, root, active } => {
                    let value = if active {
                        let defeated = p
                            .rules
                            .get(rule as usize)
                            .map_or(F, |c| super::run::any(&c.exceptions, rec));
                        rec.node_rank(root).min(T.wrapping_sub(defeated))
                    } else {
                        F
                    };
                    unknown |= u8::from(value == U);
                    if let Some(slot) = rec.applies.get_mut(rule as usize) {
                        *slot = value;
                    }
                    continue;
                }
            };
            if let Some(slot) = rec.nodes.get_mut(dst as usize) {
                *slot = value;
            }
            if rule != NO_RULE {
                unknown |= u8::from(value == U);
                if let Some(slot) = rec.applies.get_mut(rule as usize) {
                    *slot = value;
                }
            }
        }
        rec.any_unknown = unknown != 0;
    }

    /// The verdict of `rec` when the table gives it (every element a main
    /// one, no outcome open): `Ok(None)` when the general decision is
    /// needed; `Err` names the first subject two applying rules disagree on,
    /// as [`Program::decide`] does.
    pub fn verdict(&self, rec: &Record) -> Result<Option<Verdict>, Clash> {
        let Some(t) = &self.table else {
            return Ok(None);
        };
        for (i, yes, no) in &t.elements {
            if clash(yes, no, rec) {
                return Err(Clash::Element(*i));
            }
        }
        let at = usize::from(any(&t.yes, rec)) << 2 | usize::from(any(&t.no, rec));
        let Some(verdict) = t.verdicts.get(at).copied().flatten() else {
            return Ok(None);
        };
        for (i, yes, no) in &t.parties {
            if clash(yes, no, rec) {
                return Err(Clash::Party(*i));
            }
        }
        Ok(Some(verdict))
    }
}

/// A leaf's value.
#[inline]
fn leaf_rank(leaf: &Leaf, pattern: &Pattern) -> u8 {
    let value = and_rank(pattern.words(leaf.word), leaf.pos, leaf.neg);
    if leaf.invert {
        T.wrapping_sub(value)
    } else {
        value
    }
}

/// The rules voting yes and those voting no on one subject, in vote order.
fn split_votes(votes: &[Vote]) -> (Vec<u32>, Vec<u32>) {
    let rules =
        |pick: fn(&Vote) -> bool| votes.iter().filter(|v| pick(v)).map(|v| v.rule).collect();
    (rules(|v| v.yes), rules(|v| v.no))
}

impl Table {
    fn new(p: &Program) -> Option<Table> {
        if p.principals.iter().any(Option::is_some) {
            return None;
        }
        let mut t = Table::default();
        for (i, subject) in p.elements.iter().enumerate() {
            let (yes, no) = split_votes(&subject.votes);
            t.yes.extend(&yes);
            t.no.extend(&no);
            if !yes.is_empty() && !no.is_empty() {
                t.elements.push((i, yes, no));
            }
        }
        for (i, subject) in p.parties.iter().enumerate() {
            let (yes, no) = split_votes(&subject.votes);
            if !yes.is_empty() && !no.is_empty() {
                t.parties.push((i, yes, no));
            }
        }
        for list in [&mut t.yes, &mut t.no] {
            list.sort_unstable();
            list.dedup();
        }
        for (at, verdict) in t.verdicts.iter_mut().enumerate() {
            let (yes, no) = (at >> 2, at & 3);
            let rank = |r: usize| u8::try_from(r).map_or(Truth::Unknown, truth);
            *verdict = single(possible_verdicts(rank(yes), rank(no)));
        }
        Some(t)
    }
}

/// Kleene `and` of bare facts, without a branch: `false` (0) if one is
/// known false, else `true` (2) if all are known, else unknown (1).
#[inline]
pub(super) fn and_rank((known, truth): (u64, u64), pos: u64, neg: u64) -> u8 {
    let falsified = (pos & known & !truth) | (neg & known & truth);
    let open = (pos | neg) & !known;
    // 1 << 1 = true, 1 << 0 = unknown, 0 << _ = false.
    u8::from(falsified == 0) << u8::from(open == 0)
}

/// Kleene `or` of bare facts, without a branch: `true` (2) if one is known
/// true, else `false` (0) if all are known, else unknown (1).
#[inline]
pub(super) fn or_rank((known, truth): (u64, u64), pos: u64, neg: u64) -> u8 {
    let hit = (pos & known & truth) | (neg & known & !truth);
    let open = (pos | neg) & !known;
    (u8::from(hit != 0) << 1) | u8::from(hit == 0 && open != 0)
}

/// OR of the values of `rules` (all evaluated), as a rank.
#[inline]
fn any(rules: &[u32], rec: &Record) -> u8 {
    rules.iter().fold(F, |acc, &r| acc.max(rec.applies_rank(r)))
}

/// Whether some of `yes` and some of `no` surely apply.
#[inline]
fn clash(yes: &[u32], no: &[u32], rec: &Record) -> bool {
    any(yes, rec) == T && any(no, rec) == T
}

#[inline]
fn truth(rank: u8) -> Truth {
    super::run::truth(rank)
}

#[cfg(all(test, feature = "fs"))]
mod tests {
    use super::*;
    use crate::eval::Context;
    use crate::eval::compiled::Slots;
    use crate::eval::compiled::decide::Summary;

    /// SplitMix64: a seeded, dependency-free source of patterns.
    struct Mix(u64);

    impl Mix {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    /// The operation list writes the very record the program's own run
    /// writes (every node, every rule, `any_unknown`), and the verdict
    /// table, where it answers, answers as the full decision does: on every
    /// shipped case and on 400 seeded random patterns per ruleset and
    /// context, 0% to 100% of the facts unknown.
    #[test]
    fn the_operations_write_the_programs_record_and_the_tables_verdict() {
        let library = crate::load::load_library(std::path::Path::new("rules")).unwrap();
        let all: Vec<&crate::model::Ruleset> = library.rulesets.iter().collect();
        let slots = Slots::new(&library.vocabulary, &all);
        let mut cases = vec![];
        for entry in std::fs::read_dir("cases").unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let case = crate::load::load_case(&path, &library).unwrap();
                cases.push(slots.encode(&library.vocabulary.complete(&case.facts).facts));
            }
        }
        assert!(cases.len() > 30, "{} cases", cases.len());
        let mut rng = Mix(0x5EED_0017);
        let (mut compared, mut by_table) = (0, 0);
        let latest = library.latest_date().unwrap();
        for r in &library.rulesets {
            let p = Program::compile(r, &library.vocabulary, &slots).unwrap();
            let mut contexts = vec![Context::as_of(latest)];
            contexts.push(Context::as_of(
                crate::syntax::Date::new(2023, 6, 1).unwrap(),
            ));
            for v in &r.variants {
                contexts.push(Context {
                    as_of: latest,
                    variant: Some(v.id.clone()),
                });
            }
            for ctx in contexts {
                let active: Vec<bool> = r
                    .rules
                    .iter()
                    .map(|x| ctx.inactive_reason(r, x).is_none())
                    .collect();
                let code = Code::new(&p, &active);
                let mut randoms = vec![];
                for k in 0..400u64 {
                    let mut pattern = slots.pattern();
                    let unknown = k % 101;
                    for (slot, values) in p.candidates.iter().enumerate() {
                        if values.is_empty() || rng.next() % 100 < unknown {
                            continue;
                        }
                        let pick = values[(rng.next() % values.len() as u64) as usize];
                        pattern.put(u32::try_from(slot).unwrap(), pick);
                    }
                    randoms.push(pattern);
                }
                for pattern in cases.iter().chain(&randoms) {
                    let (mut old, mut new) = (Record::default(), Record::default());
                    p.run(pattern, &active, &mut old);
                    // A record left by another run must not show through.
                    new.nodes = vec![7; 3];
                    new.applies = vec![7; 500];
                    code.run(&p, pattern, &active, &mut new);
                    assert_eq!(old, new, "{} {ctx:?}", r.id);
                    let mut summary = Summary::default();
                    let decided = p.decide(&old, &mut summary);
                    match code.verdict(&new) {
                        Ok(Some(v)) => {
                            assert_eq!(decided, Ok(()));
                            assert_eq!(summary.verdict, Some(v));
                            by_table += 1;
                        }
                        Ok(None) => {
                            assert!(
                                decided.is_err()
                                    || summary.verdict == Some(Verdict::Undetermined)
                                    || p.principals.iter().any(Option::is_some)
                            );
                        }
                        Err(clash) => assert_eq!(decided, Err(clash)),
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 13 * 2 * 430, "{compared} comparisons");
        assert!(by_table > 1_000, "the table answered {by_table} times");
    }

    /// The branch-free ranks are Kleene's `and` / `or` over every (known,
    /// true) state of two facts, one read as it is and one negated.
    #[test]
    fn the_branch_free_ranks_are_kleenes() {
        let rank = |known: bool, value: bool| if known { 2 * u8::from(value) } else { U };
        for bits in 0u64..16 {
            let (known, truth) = (bits & 3, bits >> 2);
            // Slot 0 read as it is, slot 1 negated.
            let a = rank(known & 1 != 0, truth & 1 != 0);
            let b = T - rank(known & 2 != 0, truth & 2 != 0);
            assert_eq!(and_rank((known, truth), 1, 2), a.min(b), "{bits:04b}");
            assert_eq!(or_rank((known, truth), 1, 2), a.max(b), "{bits:04b}");
        }
    }
}
