//! The explanation's view of a condition: each sub-condition with its value.

use serde::Serialize;

use super::truth::Truth;

/// A sub-condition with its value: the explanation's view of a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionNode {
    /// The sub-condition in canonical form.
    pub text: String,
    /// Its value.
    pub value: Truth,
    /// Its parts (for `and`, `or`, `not`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ConditionNode>,
}
