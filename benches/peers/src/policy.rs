//! The synthetic policy and its input patterns, generated deterministically
//! from a fixed seed (no `rand` crate: a SplitMix64 generator).
//!
//! 40 boolean facts `f00`..`f39`; 50 rules `r00`..`r49`, rule `i` deciding
//! element `eNN` alone (even `i`: protected, odd `i`: not protected), so
//! rules never conflict. A rule's condition is an `and` of 3–5 literals or
//! an `or` of two `and`-triples; a literal is a fact or its negation.
//! [`Policy::expected`] is the plain-Rust meaning every encoding must match.
//!
//! A rule applies to about one random pattern in ten, so with 25 rules on
//! each side most patterns are `partially_protected` and a few hundred reach
//! each of the other verdicts; the first patterns are also *probes* built
//! to reach `protected`, `not_protected` and `not_addressed` (see
//! [`probe`]), so every verdict is checked whatever the seed.

use crate::outcome::{Outcome, Verdict};

/// Number of facts.
pub const FACTS: usize = 40;
/// Number of rules (and of elements).
pub const RULES: usize = 50;
/// The generator's seed: changing it changes the policy and the patterns.
pub const SEED: u64 = 0x00A7_7405_0051_2026;

/// SplitMix64: small, fast and good enough for synthetic data.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; the tiny modulo bias does not matter here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A fair coin.
    pub fn coin(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }
}

/// A fact or its negation.
#[derive(Debug, Clone, Copy)]
pub struct Literal {
    /// The fact's index, `0..FACTS`.
    pub fact: usize,
    /// `true` for `not fNN`.
    pub negated: bool,
}

impl Literal {
    /// The literal's value for a pattern.
    pub fn holds(self, facts: &[bool]) -> bool {
        facts[self.fact] != self.negated
    }
}

/// A rule's condition, in disjunctive normal form: an `or` of `and`-groups.
/// A plain `and` is a single group.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The `and`-groups; the condition holds when some group holds.
    pub groups: Vec<Vec<Literal>>,
}

impl Condition {
    /// The condition's value for a pattern.
    pub fn holds(&self, facts: &[bool]) -> bool {
        self.groups
            .iter()
            .any(|group| group.iter().all(|lit| lit.holds(facts)))
    }
}

/// One rule: its condition and which way it decides its element.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The condition.
    pub when: Condition,
    /// `true`: element protected; `false`: element not protected.
    pub protects: bool,
}

/// The whole synthetic policy and the patterns to evaluate it on.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The rules, `r00`..`r49`.
    pub rules: Vec<Rule>,
    /// The patterns: every fact known, `patterns[p][f]` is fact `f`'s value.
    pub patterns: Vec<Vec<bool>>,
}

/// `f07`: the name of fact `i` in every encoding.
pub fn fact_name(i: usize) -> String {
    format!("f{i:02}")
}

/// `r07`: the name of rule `i` in every encoding.
pub fn rule_name(i: usize) -> String {
    format!("r{i:02}")
}

/// `e07`: the name of the element rule `i` decides.
pub fn element_name(i: usize) -> String {
    format!("e{i:02}")
}

impl Policy {
    /// Generates the policy and `patterns` patterns from [`SEED`].
    pub fn generate(patterns: usize) -> Policy {
        let mut rng = SplitMix64::new(SEED);
        let rules = (0..RULES)
            .map(|i| Rule {
                when: random_condition(&mut rng),
                protects: i % 2 == 0,
            })
            .collect();
        let mut policy = Policy {
            rules,
            patterns: Vec::with_capacity(patterns),
        };
        let probes = [
            Verdict::Protected,
            Verdict::NotProtected,
            Verdict::NotAddressed,
        ];
        for target in probes.into_iter().take(patterns) {
            if let Some(pattern) = probe(&policy, &mut rng, target) {
                policy.patterns.push(pattern);
            }
        }
        while policy.patterns.len() < patterns {
            policy
                .patterns
                .push((0..FACTS).map(|_| rng.coin()).collect());
        }
        policy
    }

    /// The outcome every engine must return for pattern `p`.
    pub fn expected(&self, p: usize) -> Outcome {
        let rules = rules_applying(self, &self.patterns[p]);
        Outcome {
            rules,
            verdict: Verdict::from_rule_bits(rules),
        }
    }
}

/// A pattern whose verdict is `target`, if a randomised greedy search finds
/// one: make one rule of each side the verdict needs apply, make every rule
/// of the other side(s) fail by setting one still-free fact per `and`-group,
/// fill in the rest at random, and keep the pattern if its verdict is right.
fn probe(policy: &Policy, rng: &mut SplitMix64, target: Verdict) -> Option<Vec<bool>> {
    let (yes, no) = match target {
        Verdict::Protected => (true, false),
        Verdict::PartiallyProtected => (true, true),
        Verdict::NotProtected => (false, true),
        _ => (false, false),
    };
    (0..10_000).find_map(|_| {
        let mut facts: Vec<Option<bool>> = vec![None; FACTS];
        for (side, wanted) in [(0, yes), (1, no)] {
            let rules: Vec<&Rule> = policy.rules.iter().skip(side).step_by(2).collect();
            if wanted {
                let rule = rules[rng.below(rules.len())];
                let group = &rule.when.groups[rng.below(rule.when.groups.len())];
                for lit in group {
                    set(&mut facts, lit.fact, !lit.negated)?;
                }
            } else {
                for rule in rules {
                    for group in &rule.when.groups {
                        falsify(&mut facts, group, rng)?;
                    }
                }
            }
        }
        let pattern: Vec<bool> = facts
            .iter()
            .map(|f| f.unwrap_or_else(|| rng.coin()))
            .collect();
        let verdict = Verdict::from_rule_bits(rules_applying(policy, &pattern));
        (verdict == target).then_some(pattern)
    })
}

/// Sets a fact; `None` if it already has the other value.
fn set(facts: &mut [Option<bool>], fact: usize, value: bool) -> Option<()> {
    match facts[fact] {
        Some(v) if v != value => None,
        _ => {
            facts[fact] = Some(value);
            Some(())
        }
    }
}

/// Makes an `and`-group fail (unless it already does) through one of its
/// free facts, chosen at random; `None` if none is free.
fn falsify(facts: &mut [Option<bool>], group: &[Literal], rng: &mut SplitMix64) -> Option<()> {
    let already = group.iter().any(|l| facts[l.fact] == Some(l.negated));
    if already {
        return Some(());
    }
    let free: Vec<&Literal> = group.iter().filter(|l| facts[l.fact].is_none()).collect();
    if free.is_empty() {
        return None;
    }
    let lit = free[rng.below(free.len())];
    set(facts, lit.fact, lit.negated)
}

/// Bit `i` set when rule `i` applies to `pattern`.
fn rules_applying(policy: &Policy, pattern: &[bool]) -> u64 {
    policy
        .rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule.when.holds(pattern))
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// An `and` of 2–4 literals or an `or` of 2–3 `and`-pairs, over distinct facts.
fn random_condition(rng: &mut SplitMix64) -> Condition {
    // Wide enough that a rule applies to about one pattern in ten, so that
    // all four verdicts occur among random patterns.
    let (groups, width) = if rng.coin() {
        (1, 3 + rng.below(3))
    } else {
        (2, 3)
    };
    let mut facts = distinct_facts(rng, groups * width).into_iter();
    let groups = (0..groups)
        .map(|_| {
            (0..width)
                .map(|_| Literal {
                    fact: facts.next().unwrap_or(0),
                    negated: rng.coin(),
                })
                .collect()
        })
        .collect();
    Condition { groups }
}

/// `n` distinct fact indices (`n <= FACTS`), by a partial Fisher–Yates shuffle.
fn distinct_facts(rng: &mut SplitMix64, n: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..FACTS).collect();
    for k in 0..n {
        let j = k + rng.below(FACTS - k);
        all.swap(k, j);
    }
    all.truncate(n);
    all
}
