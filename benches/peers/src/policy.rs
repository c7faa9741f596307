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

    /// The condition's three-valued value (`None`: unknown) when the facts
    /// of `unknown` (bit per fact) are not known: Kleene's `and` / `or`.
    pub fn kleene(&self, facts: &[bool], unknown: u64) -> Option<bool> {
        let literal = |lit: &Literal| (unknown & (1 << lit.fact) == 0).then(|| lit.holds(facts));
        let group = |g: &Vec<Literal>| {
            let values: Vec<Option<bool>> = g.iter().map(literal).collect();
            if values.contains(&Some(false)) {
                Some(false)
            } else if values.contains(&None) {
                None
            } else {
                Some(true)
            }
        };
        let values: Vec<Option<bool>> = self.groups.iter().map(group).collect();
        if values.contains(&Some(true)) {
            Some(true)
        } else if values.contains(&None) {
            None
        } else {
            Some(false)
        }
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
    /// The patterns: `patterns[p][f]` is fact `f`'s value (meaningless
    /// where `unknown[p]` has bit `f`).
    pub patterns: Vec<Vec<bool>>,
    /// Per pattern, bit `f` set when fact `f` is unknown: all zero in the
    /// main policy, 4–8 of the 40 facts (10–20%) in the one with unknown
    /// facts ([`Policy::generate_unknown`]).
    pub unknown: Vec<u64>,
}

/// Fewest and most unknown facts per pattern of [`Policy::generate_unknown`]:
/// 10% and 20% of [`FACTS`].
pub const UNKNOWN_FACTS: (usize, usize) = (4, 8);

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
            unknown: vec![],
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
        policy.unknown = vec![0; policy.patterns.len()];
        policy
    }

    /// The same rules with `patterns` other patterns, each with 4–8 of its
    /// 40 facts unknown (chosen at random, like the known ones' values),
    /// from a seed of their own.
    pub fn generate_unknown(patterns: usize) -> Policy {
        let mut policy = Policy::generate(0);
        let mut rng = SplitMix64::new(SEED ^ 0x0000_0000_0000_0FFF);
        let (few, most) = UNKNOWN_FACTS;
        for _ in 0..patterns {
            policy
                .patterns
                .push((0..FACTS).map(|_| rng.coin()).collect());
            let n = few + rng.below(most - few + 1);
            let mask = distinct_facts(&mut rng, n)
                .into_iter()
                .fold(0u64, |m, f| m | 1 << f);
            policy.unknown.push(mask);
        }
        policy
    }

    /// The outcome every engine must return for pattern `p`: each rule's
    /// three-valued (Kleene) value, and the verdict every completion of the
    /// unknown facts reaches (`undetermined` when two completions differ),
    /// found by trying them all.
    pub fn expected(&self, p: usize) -> Outcome {
        let pattern = &self.patterns[p];
        let unknown = self.unknown.get(p).copied().unwrap_or(0);
        let mut outcome = Outcome {
            rules: 0,
            unknown: 0,
            verdict: Verdict::Undetermined,
        };
        for (i, rule) in self.rules.iter().enumerate() {
            match rule.when.kleene(pattern, unknown) {
                Some(true) => outcome.rules |= 1 << i,
                Some(false) => {}
                None => outcome.unknown |= 1 << i,
            }
        }
        let free: Vec<usize> = (0..FACTS).filter(|f| unknown & (1 << f) != 0).collect();
        let mut seen = Vec::new();
        for completion in 0u64..1 << free.len() {
            let mut facts = pattern.clone();
            for (k, &f) in free.iter().enumerate() {
                facts[f] = completion & (1 << k) != 0;
            }
            let verdict = Verdict::from_rule_bits(rules_applying(self, &facts));
            if !seen.contains(&verdict) {
                seen.push(verdict);
            }
        }
        if let [only] = seen.as_slice() {
            outcome.verdict = *only;
        }
        outcome
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
