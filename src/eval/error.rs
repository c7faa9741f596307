//! Errors of evaluation. Loading rules out every structural problem; what is
//! left is a ruleset whose rules, on some facts, contradict each other, one
//! whose open outcomes are too complex to work out exactly (or a ruleset
//! built by hand that the loader never checked).

use thiserror::Error;

use super::compiled::CompileError;

/// Why a ruleset could not decide a case.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EvalError {
    /// Two rules apply and say opposite things about the same element or
    /// party (an exception link between them is missing).
    #[error(
        "ruleset `{ruleset}`: rules {} and {} both apply and disagree on whether `{subject}` is {what}; make one an exception to the other",
        .positive.join(", "), .negative.join(", ")
    )]
    Conflict {
        /// The ruleset.
        ruleset: String,
        /// The element or party.
        subject: String,
        /// "protected" or "an author".
        what: &'static str,
        /// Rules that say yes.
        positive: Vec<String>,
        /// Rules that say no.
        negative: Vec<String>,
    },
    /// The outcomes the unknown facts still allow would need a decision
    /// diagram of more than [`MAX_DIAGRAM_NODES`](super::MAX_DIAGRAM_NODES)
    /// nodes or more than [`MAX_DIAGRAM_STEPS`](super::MAX_DIAGRAM_STEPS)
    /// steps to build: only conditions written against every order of the
    /// facts get there. Stating more facts, or simpler conditions, settle it.
    #[error(
        "ruleset `{ruleset}`: the outcomes the unknown facts still allow cannot be worked out within {} decision-diagram nodes and {} steps; state more of the facts, or simplify the rules' conditions",
        super::MAX_DIAGRAM_NODES,
        super::MAX_DIAGRAM_STEPS
    )]
    TooComplex {
        /// The ruleset.
        ruleset: String,
    },
    /// The ruleset could not be compiled: only a ruleset built by hand,
    /// outside the loader's checks, gets here.
    #[error(transparent)]
    Compile(#[from] CompileError),
}
