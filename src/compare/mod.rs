//! The compare stage: one case against every ruleset of a library, side by
//! side (and, optionally, under each named reading of unsettled law), the
//! outcome per jurisdiction, the check of a case's stated expectations and
//! of which cells they leave unpinned.
//!
//! Pure functions over loaded data; no files, no printing, no clock.

pub mod differ;
mod expect;
mod jurisdiction;

use serde::Serialize;

pub use expect::{
    Cell, Mismatch, ROW_KEY_PREFIX, TestFailure, TestReport, check_expectations, run_tests,
    unpinned, unpinned_cells,
};
pub use jurisdiction::{AuthorityOutcome, JurisdictionOutcome, MAX_ROW_SPLITS};

use crate::eval::{Context, Evaluation};
use crate::model::{Case, Facts, Library, NotArising, RulesOrigin, Ruleset};
use crate::syntax::Date;
use differ::Party;

/// How to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Take the law as of this date (overrides the case's `as_of`).
    pub as_of: Option<Date>,
    /// Also evaluate every named reading (variant) of each ruleset.
    pub variants: bool,
}

/// Where the as-of date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AsOfSource {
    /// `--as-of` on the command line.
    Option,
    /// The case's `as_of`.
    Case,
    /// The latest date in the encoded sources.
    LatestEncoded,
}

/// One ruleset's column: its outcome, or why it could not decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Column {
    /// The evaluation.
    Evaluated(Box<Evaluation>),
    /// The ruleset's rules contradict each other on these facts.
    Failed {
        /// The ruleset's id.
        ruleset: String,
        /// The reading used, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        variant: Option<String>,
        /// The error's message.
        error: String,
    },
}

impl Column {
    /// The ruleset's id.
    pub fn ruleset(&self) -> &str {
        match self {
            Column::Evaluated(e) => &e.ruleset,
            Column::Failed { ruleset, .. } => ruleset,
        }
    }

    /// The variant, if the column is for one.
    pub fn variant(&self) -> Option<&str> {
        match self {
            Column::Evaluated(e) => e.variant.as_deref(),
            Column::Failed { variant, .. } => variant.as_deref(),
        }
    }
}

/// A case compared across rulesets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The case's title.
    pub title: String,
    /// The case file.
    pub path: String,
    /// Citation of the real matter, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// How the matter was disposed of, for a decided one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disposition: Option<crate::model::Disposition>,
    /// The date the law is taken as of.
    pub as_of: Date,
    /// Where that date came from.
    pub as_of_source: AsOfSource,
    /// Facts the caller changed from the case file's for a quick what-if
    /// (`--set`, `--unset`), in the order given: every rendering names
    /// them in its header, so that it does not pass for the case itself.
    /// [`compare`] leaves it empty; the caller that changed the facts
    /// fills it in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// Which rules were applied: a directory, or the built-in set.
    pub rule_set: RulesOrigin,
    /// The facts evaluated (after any overrides), as stated.
    pub facts: Facts,
    /// The facts that do not arise on them, each read at its defined value
    /// (a value stated for one is set aside and named here).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_arising: Vec<NotArising>,
    /// One column per ruleset in id order, each followed by its variants'
    /// columns when they were asked for.
    pub columns: Vec<Column>,
    /// The outcome in each jurisdiction, in the jurisdictions file's order.
    pub jurisdictions: Vec<JurisdictionOutcome>,
    /// Issues on which some authorities answer yes and others no.
    pub splits: Vec<differ::Split>,
    /// The authorities grouped by verdict and by their answer on every
    /// issue on which they do not all answer alike: where any two part
    /// ways ([`differ::Divergence::pairs`]), in space linear in their
    /// number.
    pub divergence: differ::Divergence,
    /// The same splits, between jurisdictions (by their deciding
    /// authorities).
    pub jurisdiction_splits: Vec<differ::Split>,
    /// The same groups, between jurisdictions.
    pub jurisdiction_divergence: differ::Divergence,
}

/// A fact changed from the case file's for a what-if.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    /// The fact's id.
    pub fact: String,
    /// The value it was set to; `None` (JSON `null`) when it was made
    /// unknown.
    pub value: Option<crate::model::FactValue>,
}

impl Override {
    /// `fact = value (set)` or `fact unknown (unset)`.
    pub fn describe(&self) -> String {
        match &self.value {
            Some(v) => format!("{} = {v} (set)", self.fact),
            None => format!("{} unknown (unset)", self.fact),
        }
    }
}

impl Comparison {
    /// The evaluation under a ruleset (the law as it stands), if it succeeded.
    pub fn evaluation(&self, ruleset: &str) -> Option<&Evaluation> {
        self.evaluation_under(ruleset, None)
    }

    /// The evaluation under a ruleset and a variant (`None`: no variant).
    pub fn evaluation_under(&self, ruleset: &str, variant: Option<&str>) -> Option<&Evaluation> {
        self.columns.iter().find_map(|c| match c {
            Column::Evaluated(e) if e.ruleset == ruleset && e.variant.as_deref() == variant => {
                Some(e.as_ref())
            }
            _ => None,
        })
    }
}

/// The as-of date for a case: the option, else the case's, else the latest
/// date in the encoded sources.
pub fn as_of(case: &Case, library: &Library, options: &Options) -> (Date, AsOfSource) {
    match (options.as_of, case.as_of) {
        (Some(d), _) => (d, AsOfSource::Option),
        (None, Some(d)) => (d, AsOfSource::Case),
        (None, None) => (library.default_date(), AsOfSource::LatestEncoded),
    }
}

/// Evaluates a case under every ruleset of the library.
pub fn compare(case: &Case, library: &Library, options: &Options) -> Comparison {
    let (date, source) = as_of(case, library, options);
    let mut columns = Vec::new();
    for ruleset in &library.rulesets {
        columns.push(column(ruleset, library, &case.facts, Context::as_of(date)));
        if options.variants {
            for v in &ruleset.variants {
                let ctx = Context {
                    as_of: date,
                    variant: Some(v.id.clone()),
                };
                columns.push(column(ruleset, library, &case.facts, ctx));
            }
        }
    }
    let jurisdictions = jurisdiction::decide_all(library, &columns, &case.facts, date);
    let by_authority = authority_parties(library, &columns);
    let by_jurisdiction = jurisdiction_parties(library, &columns, &jurisdictions, &by_authority);
    Comparison {
        splits: differ::splits(library, &by_authority),
        divergence: differ::divergence(library, &by_authority),
        jurisdiction_splits: differ::splits(library, &by_jurisdiction),
        jurisdiction_divergence: differ::divergence(library, &by_jurisdiction),
        title: case.title.clone(),
        path: case.path.display().to_string(),
        citation: case.citation.clone(),
        disposition: case.disposition.clone(),
        as_of: date,
        as_of_source: source,
        overrides: Vec::new(),
        rule_set: library.origin.clone(),
        facts: case.facts.clone(),
        not_arising: library
            .vocabulary
            .complete(&case.facts)
            .not_arising
            .into_values()
            .collect(),
        columns,
        jurisdictions,
    }
}

// Each in-force authority's stances, under the law as it stands.
fn authority_parties(library: &Library, columns: &[Column]) -> Vec<Party> {
    columns
        .iter()
        .filter_map(|c| match c {
            Column::Evaluated(e) if e.variant.is_none() && e.in_force => {
                let r = library.ruleset(&e.ruleset)?;
                Some((
                    e.ruleset.clone(),
                    e.verdict,
                    differ::stances(&e.ruleset, e, r),
                ))
            }
            _ => None,
        })
        .collect()
}

// Each jurisdiction's stances are its deciding authority's: taken from
// that authority's party when it has one (the grounds are shared, not
// rebuilt), otherwise worked out from its evaluation.
fn jurisdiction_parties(
    library: &Library,
    columns: &[Column],
    outcomes: &[JurisdictionOutcome],
    authorities: &[Party],
) -> Vec<Party> {
    outcomes
        .iter()
        .map(|j| {
            let stances = j
                .decided_by
                .as_deref()
                .and_then(|id| {
                    if let Some((_, _, stances)) = authorities.iter().find(|(who, _, _)| who == id)
                    {
                        return Some(differ::restate(stances, &j.jurisdiction, id));
                    }
                    let e = columns.iter().find_map(|c| match c {
                        Column::Evaluated(e) if e.ruleset == id && e.variant.is_none() => Some(e),
                        _ => None,
                    })?;
                    Some(differ::stances(&j.jurisdiction, e, library.ruleset(id)?))
                })
                .unwrap_or_default();
            (j.jurisdiction.clone(), j.verdict, stances)
        })
        .collect()
}

fn column(ruleset: &Ruleset, library: &Library, facts: &Facts, ctx: Context) -> Column {
    match library.evaluate(ruleset, facts, &ctx) {
        Ok(e) => Column::Evaluated(Box::new(e)),
        Err(e) => Column::Failed {
            ruleset: ruleset.id.clone(),
            variant: ctx.variant,
            error: e.to_string(),
        },
    }
}
