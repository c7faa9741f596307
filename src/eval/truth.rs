//! Three-valued (Kleene) logic: `Unknown` is a value of its own, never
//! treated as false.

use std::fmt;

use serde::Serialize;

/// A truth value of Kleene's strong three-valued logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    /// Known to hold.
    True,
    /// Known not to hold.
    False,
    /// Depends on facts not known.
    Unknown,
}

impl Truth {
    /// `true` → `True`, `false` → `False`.
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    /// Negation; `not Unknown` is `Unknown`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// Conjunction: `False` wins over `Unknown`.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    /// Disjunction: `True` wins over `Unknown`.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }

    /// The values this could turn out to be once everything is known.
    pub fn possible(self) -> &'static [bool] {
        match self {
            Truth::True => &[true],
            Truth::False => &[false],
            Truth::Unknown => &[false, true],
        }
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Truth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Truth::{self, *};

    #[test]
    fn kleene_tables() {
        let all = [True, False, Unknown];
        for a in all {
            assert_eq!(a.and(False), False);
            assert_eq!(a.or(True), True);
            assert_eq!(a.not().not(), a);
        }
        assert_eq!(True.and(Unknown), Unknown);
        assert_eq!(False.or(Unknown), Unknown);
        assert_eq!(Truth::from_bool(true), True);
    }
}
