//! What every engine returns for one pattern: the 50 rule values and the
//! verdict. Engines are compared on this value alone.

use std::fmt;

/// The four verdicts the synthetic policy can reach, and `undetermined`,
/// which only the policy with unknown facts reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Some even rule applies and no odd rule.
    Protected,
    /// Some even rule and some odd rule apply.
    PartiallyProtected,
    /// Some odd rule applies and no even rule.
    NotProtected,
    /// No rule applies.
    NotAddressed,
    /// Unknown facts could change the verdict (only with unknown facts).
    Undetermined,
}

impl Verdict {
    /// Every verdict, in display order.
    pub const ALL: [Verdict; 5] = [
        Verdict::Protected,
        Verdict::PartiallyProtected,
        Verdict::NotProtected,
        Verdict::NotAddressed,
        Verdict::Undetermined,
    ];

    /// The verdict's name, as every encoding spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Protected => "protected",
            Verdict::PartiallyProtected => "partially_protected",
            Verdict::NotProtected => "not_protected",
            Verdict::NotAddressed => "not_addressed",
            Verdict::Undetermined => "undetermined",
        }
    }

    /// The verdict named `name`, if any.
    pub fn parse(name: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == name)
    }

    /// The verdict from the rule values (bit `i` = rule `i` applies): even
    /// rules protect, odd rules deny protection.
    pub fn from_rule_bits(rules: u64) -> Verdict {
        const EVEN: u64 = 0x5555_5555_5555_5555;
        let yes = rules & EVEN != 0;
        let no = rules & !EVEN != 0;
        match (yes, no) {
            (true, false) => Verdict::Protected,
            (true, true) => Verdict::PartiallyProtected,
            (false, true) => Verdict::NotProtected,
            (false, false) => Verdict::NotAddressed,
        }
    }
}

/// One engine's answer for one pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Bit `i` set when rule `i` applies.
    pub rules: u64,
    /// Bit `i` set when whether rule `i` applies is unknown (only with
    /// unknown facts).
    pub unknown: u64,
    /// The verdict.
    pub verdict: Verdict,
}

impl Outcome {
    /// Parses the compact form `0110…1:verdict` (one digit per rule, in
    /// rule order), as the Node.js side prints it.
    pub fn parse_compact(text: &str, rules: usize) -> Option<Outcome> {
        let (bits, verdict) = text.split_once(':')?;
        if bits.len() != rules {
            return None;
        }
        let (mut mask, mut unknown) = (0u64, 0u64);
        for (i, c) in bits.chars().enumerate() {
            match c {
                '1' => mask |= 1 << i,
                '0' => {}
                '?' => unknown |= 1 << i,
                _ => return None,
            }
        }
        Some(Outcome {
            rules: mask,
            unknown,
            verdict: Verdict::parse(verdict)?,
        })
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |bits: u64| {
            let names: Vec<String> = (0..64)
                .filter(|i| bits & (1 << i) != 0)
                .map(crate::policy::rule_name)
                .collect();
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(" ")
            }
        };
        write!(f, "{} (rules applying: {}", self.verdict, list(self.rules))?;
        if self.unknown != 0 {
            write!(f, "; unknown: {}", list(self.unknown))?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
