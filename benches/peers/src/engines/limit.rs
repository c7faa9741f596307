//! The limit: the synthetic policy evaluated by hand-written Rust with
//! authorship's semantics — each rule's value three-valued (Kleene's `and`
//! and `or`, unknown never false) and the verdict the one every completion
//! of the unknown facts reaches, `undetermined` when two differ. No rule
//! engine: the rules are known when this code is written, so nothing is
//! interpreted but the literals of each rule. Two versions:
//!
//! - [`Limit::Literal`]: every fact a rank (false 0, unknown 1, true 2),
//!   `and` the minimum and `or` the maximum over the literals of a rule;
//! - [`Limit::Packed`]: every `and`-group two masks over the pattern's
//!   (known, true) bit words, a group ranked in a few word operations.
//!
//! - [`Kind::WrittenLiteral`] and [`Kind::WrittenPacked`]: the same two,
//!   with the rules written into the code (`build.rs` writes each rule as
//!   straight-line code over constants): nothing is read from data but
//!   the pattern. This is the limit the issue timed at 71 and 34 ns.
//!
//! All read the verdict from the rule values (an `or` over even rules and
//! one over odd rules); only when that is open do they try the completions
//! of the unknown facts, 64 at a time, one bit per completion
//! ([`exact_verdict`]). Timed and checked like the engines.

use crate::outcome::{Outcome, Verdict};
use crate::policy::{FACTS, Policy};

/// Even rules (bit `i` = rule `i`): they protect.
const EVEN: u64 = 0x5555_5555_5555_5555;

/// One `and`-group as masks over fact bits.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// Facts read as they are.
    pos: u64,
    /// Facts read negated.
    neg: u64,
}

/// Which hand-written evaluator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Ranks, literal by literal.
    Literal,
    /// Masks over bit words.
    Packed,
    /// Ranks, the rules written into the code.
    WrittenLiteral,
    /// Masks, the rules written into the code.
    WrittenPacked,
}

macro_rules! min {
    ($x:expr) => { $x };
    ($x:expr, $($rest:expr),+) => {{
        let (a, b): (u8, u8) = ($x, min!($($rest),+));
        if a < b { a } else { b }
    }};
}

macro_rules! max {
    ($x:expr) => { $x };
    ($x:expr, $($rest:expr),+) => {{
        let (a, b): (u8, u8) = ($x, max!($($rest),+));
        if a > b { a } else { b }
    }};
}

/// Rule `r`'s rank (0 false, 1 unknown, 2 true) into the two bit rows.
#[inline(always)]
fn rank(t: &mut u64, o: &mut u64, r: u32, value: u8) {
    *t |= u64::from(value == 2) << r;
    *o |= u64::from(value == 1) << r;
}

/// One `and`-group of rule `r` (its facts read as they are, `pos`, and
/// negated, `neg`) into the two bit rows; a rule's unknown bit is cleared
/// at the end where another of its groups is true.
#[inline(always)]
fn group(t: &mut u64, o: &mut u64, r: u32, pos: u64, neg: u64, known: u64, truth: u64) {
    let falsified = (pos & known & !truth) | (neg & truth) != 0;
    let open = (pos | neg) & !known != 0;
    *t |= u64::from(!falsified & !open) << r;
    *o |= u64::from(!falsified & open) << r;
}

include!(concat!(env!("OUT_DIR"), "/written.rs"));

/// A hand-written evaluator of one policy's patterns.
pub struct Limit {
    kind: Kind,
    /// Per rule, its groups (index ranges into `groups` / `literals`).
    rules: Vec<(u32, u32)>,
    groups: Vec<Group>,
    /// Per group, its literals: (fact, negated) as index ranges.
    group_literals: Vec<(u32, u32)>,
    literals: Vec<(u8, bool)>,
    /// Per pattern: fact ranks (Literal) ...
    ranks: Vec<[u8; FACTS]>,
    /// ... and (known, true) words (Packed, and the exact verdict).
    words: Vec<(u64, u64)>,
}

impl Limit {
    /// The policy's rules and patterns in the form `kind` reads.
    pub fn setup(policy: &Policy, kind: Kind) -> Limit {
        let mut limit = Limit {
            kind,
            rules: vec![],
            groups: vec![],
            group_literals: vec![],
            literals: vec![],
            ranks: vec![],
            words: vec![],
        };
        for rule in &policy.rules {
            let start = limit.groups.len() as u32;
            for group in &rule.when.groups {
                let first = limit.literals.len() as u32;
                let mut g = Group { pos: 0, neg: 0 };
                for lit in group {
                    if lit.negated {
                        g.neg |= 1 << lit.fact;
                    } else {
                        g.pos |= 1 << lit.fact;
                    }
                    limit.literals.push((lit.fact as u8, lit.negated));
                }
                limit.groups.push(g);
                limit
                    .group_literals
                    .push((first, limit.literals.len() as u32));
            }
            limit.rules.push((start, limit.groups.len() as u32));
        }
        for (p, pattern) in policy.patterns.iter().enumerate() {
            let unknown = policy.unknown.get(p).copied().unwrap_or(0);
            let mut ranks = [1u8; FACTS];
            let (mut known, mut truth) = (0u64, 0u64);
            for (f, &value) in pattern.iter().enumerate() {
                if unknown & (1 << f) == 0 {
                    ranks[f] = 2 * u8::from(value);
                    known |= 1 << f;
                    truth |= u64::from(value) << f;
                }
            }
            limit.ranks.push(ranks);
            limit.words.push((known, truth));
        }
        limit
    }

    /// Pattern `i`'s outcome.
    pub fn evaluate(&self, i: usize) -> Outcome {
        let (rules, unknown) = match self.kind {
            Kind::Literal => self.rules_literal(&self.ranks[i]),
            Kind::Packed => self.rules_packed(self.words[i]),
            Kind::WrittenLiteral => written_by_literal(&self.ranks[i]),
            Kind::WrittenPacked => written_packed(self.words[i].0, self.words[i].1),
        };
        let verdict = match (any(rules, unknown, EVEN), any(rules, unknown, !EVEN)) {
            (Some(yes), Some(no)) => Verdict::from_rule_bits(u64::from(yes) | (u64::from(no) << 1)),
            _ => self.exact_verdict(self.words[i]),
        };
        Outcome {
            rules,
            unknown,
            verdict,
        }
    }

    /// (rules true, rules unknown) from the ranks, literal by literal.
    fn rules_literal(&self, ranks: &[u8; FACTS]) -> (u64, u64) {
        let (mut ones, mut unknown) = (0u64, 0u64);
        for (r, &(start, end)) in self.rules.iter().enumerate() {
            let mut value = 0u8;
            for &(first, last) in &self.group_literals[start as usize..end as usize] {
                let mut group = 2u8;
                for &(fact, negated) in &self.literals[first as usize..last as usize] {
                    let rank = ranks[fact as usize];
                    group = group.min(if negated { 2 - rank } else { rank });
                }
                value = value.max(group);
            }
            ones |= u64::from(value == 2) << r;
            unknown |= u64::from(value == 1) << r;
        }
        (ones, unknown)
    }

    /// (rules true, rules unknown) from the (known, true) words.
    fn rules_packed(&self, (known, truth): (u64, u64)) -> (u64, u64) {
        let falsity = known & !truth;
        let (mut ones, mut unknown) = (0u64, 0u64);
        for (r, &(start, end)) in self.rules.iter().enumerate() {
            let (mut any_true, mut any_open) = (false, false);
            for g in &self.groups[start as usize..end as usize] {
                let falsified = (g.pos & falsity) | (g.neg & truth) != 0;
                let open = (g.pos | g.neg) & !known != 0;
                any_true |= !falsified & !open;
                any_open |= !falsified & open;
            }
            ones |= u64::from(any_true) << r;
            unknown |= u64::from(!any_true & any_open) << r;
        }
        (ones, unknown)
    }

    /// The verdict every completion of the unknown facts reaches, else
    /// `undetermined`: the completions run 64 at a time, one bit each (a
    /// fact's value is a word: all ones, all zeros, or which completions
    /// have it true).
    fn exact_verdict(&self, (known, truth): (u64, u64)) -> Verdict {
        const LANES: [u64; 6] = [
            0xAAAA_AAAA_AAAA_AAAA,
            0xCCCC_CCCC_CCCC_CCCC,
            0xF0F0_F0F0_F0F0_F0F0,
            0xFF00_FF00_FF00_FF00,
            0xFFFF_0000_FFFF_0000,
            0xFFFF_FFFF_0000_0000,
        ];
        let free = !known & ((1u64 << FACTS) - 1);
        let n = free.count_ones();
        let mut seen = 0u8;
        for block in 0..1u64 << n.saturating_sub(6) {
            let mut facts = [0u64; FACTS];
            let mut k = 0;
            for (f, word) in facts.iter_mut().enumerate() {
                *word = if free & (1 << f) == 0 {
                    0u64.wrapping_sub((truth >> f) & 1)
                } else {
                    k += 1;
                    match LANES.get(k - 1) {
                        Some(lanes) => *lanes,
                        None => 0u64.wrapping_sub((block >> (k - 7)) & 1),
                    }
                };
            }
            let (mut yes, mut no) = (0u64, 0u64);
            for (r, &(start, end)) in self.rules.iter().enumerate() {
                let mut lanes = 0u64;
                for g in &self.groups[start as usize..end as usize] {
                    let mut all = !0u64;
                    let mut bits = g.pos | g.neg;
                    while bits != 0 {
                        let f = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        all &= if g.pos & (1 << f) != 0 {
                            facts[f]
                        } else {
                            !facts[f]
                        };
                    }
                    lanes |= all;
                }
                if r % 2 == 0 {
                    yes |= lanes;
                } else {
                    no |= lanes;
                }
            }
            for (bit, lanes) in [yes & !no, yes & no, !yes & no, !yes & !no]
                .into_iter()
                .enumerate()
            {
                seen |= u8::from(lanes != 0) << bit;
            }
            if seen.count_ones() > 1 {
                return Verdict::Undetermined;
            }
        }
        match seen {
            1 => Verdict::Protected,
            2 => Verdict::PartiallyProtected,
            4 => Verdict::NotProtected,
            _ => Verdict::NotAddressed,
        }
    }
}

/// Kleene `or` of the rules of `side`: `None` when unknown.
fn any(ones: u64, unknown: u64, side: u64) -> Option<bool> {
    if ones & side != 0 {
        Some(true)
    } else if unknown & side != 0 {
        None
    } else {
        Some(false)
    }
}

impl super::Engine for Limit {
    fn label(&self) -> &'static str {
        match self.kind {
            Kind::Literal => "limit: hand-written Rust, by literal",
            Kind::Packed => "limit: hand-written Rust, bit-packed",
            Kind::WrittenLiteral => "limit: rules written as code, by literal",
            Kind::WrittenPacked => "limit: rules written as code, bit-packed",
        }
    }

    fn version(&self) -> String {
        "-".to_string()
    }

    fn evaluate(&mut self, i: usize) -> Result<Outcome, String> {
        Ok(Limit::evaluate(self, i))
    }
}
