//! Jurisdictions: compositions of authorities (rulesets) with declared
//! ranks, as declared in `rules/jurisdictions.yaml`.

use serde::Serialize;

/// An authority's place in a jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct AuthorityRank {
    /// The ruleset's id.
    pub ruleset: String,
    /// Its rank: a higher rank prevails over a lower one.
    pub rank: u32,
    /// Its standing in words (court level, appeal), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<String>,
}

/// A jurisdiction and the authorities that speak in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Jurisdiction {
    /// Short id, e.g. `US`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its authorities.
    pub authorities: Vec<AuthorityRank>,
    /// Why the ranks are as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
