//! The verdict vocabulary: what an authority concludes about a work.

use serde::Serialize;

/// The verdict vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Protected, with nothing excluded.
    Protected,
    /// Some elements protected, others not.
    PartiallyProtected,
    /// Nothing protected.
    NotProtected,
    /// The facts given do not settle it.
    Undetermined,
    /// The authority's holding does not reach these facts.
    NotAddressed,
}

impl Verdict {
    /// Every verdict, in display order.
    pub const ALL: [Verdict; 5] = [
        Verdict::Protected,
        Verdict::PartiallyProtected,
        Verdict::NotProtected,
        Verdict::Undetermined,
        Verdict::NotAddressed,
    ];

    /// The verdict's name as written in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Protected => "protected",
            Verdict::PartiallyProtected => "partially_protected",
            Verdict::NotProtected => "not_protected",
            Verdict::Undetermined => "undetermined",
            Verdict::NotAddressed => "not_addressed",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
