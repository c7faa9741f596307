//! What a handout shows, computed: for each case, its comparison across
//! every authority and, for each jurisdiction's deciding authority, the
//! smallest fact changes that would move its outcome. The render stage
//! lays this out as Markdown or HTML; it computes nothing itself.

use crate::compare::{Comparison, Options, compare};
use crate::eval::Context;
use crate::model::{Case, Library};
use crate::syntax::Date;
use crate::whatif::{Query, WhatIf, what_if};

/// Most facts a handout's what-ifs change at once: enough to show a class
/// what is decisive, small enough to read.
pub const HANDOUT_MAX_CHANGES: usize = 2;

/// One case of a handout.
#[derive(Debug, Clone)]
pub struct HandoutCase {
    /// The case (after any overrides).
    pub case: Case,
    /// Its comparison across every ruleset.
    pub comparison: Comparison,
    /// For each jurisdiction with a deciding authority, in the comparison's
    /// order: the jurisdiction's name, the authority's id and its what-ifs.
    pub whatifs: Vec<(String, String, WhatIf)>,
}

/// Compares each case and finds the what-ifs of every deciding authority.
pub fn handout(cases: &[Case], library: &Library, as_of: Option<Date>) -> Vec<HandoutCase> {
    let options = Options {
        as_of,
        variants: false,
    };
    cases
        .iter()
        .map(|case| {
            let comparison = compare(case, library, &options);
            let whatifs = whatifs(case, &comparison, library);
            HandoutCase {
                case: case.clone(),
                comparison,
                whatifs,
            }
        })
        .collect()
}

fn whatifs(case: &Case, c: &Comparison, library: &Library) -> Vec<(String, String, WhatIf)> {
    let ctx = Context::as_of(c.as_of);
    let query = Query {
        target: None,
        max_changes: HANDOUT_MAX_CHANGES,
    };
    c.jurisdictions
        .iter()
        .filter_map(|j| {
            let ruleset = j.decided_by.as_deref().and_then(|id| library.ruleset(id))?;
            let w = what_if(ruleset, &library.vocabulary, &case.facts, &ctx, &query).ok()?;
            Some((j.name.clone(), ruleset.id.clone(), w))
        })
        .collect()
}
