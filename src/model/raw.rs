//! Wire types: serde mirrors of the YAML files, before validation.
//!
//! Every struct denies unknown keys, so a misspelt key fails loudly instead
//! of being ignored. Values that a later check may need to point at are
//! `Spanned`. Nothing here knows what the values mean; `load` validates them.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::yaml::{Entries, Scalar};

/// `rules/facts.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyDoc {
    pub facts: Entries<FactDoc>,
    pub elements: Entries<DescribedDoc>,
    pub parties: Entries<DescribedDoc>,
    #[serde(default)]
    pub issues: Entries<IssueDoc>,
}

/// A legal question rules answer (for comparing authorities).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueDoc {
    pub question: String,
}

/// One fact of the vocabulary.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactDoc {
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    #[serde(default)]
    pub values: Option<Spanned<Entries<String>>>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    pub description: String,
    pub question: String,
}

/// An element or a party: an id with a description.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribedDoc {
    pub description: String,
}

/// `rules/<id>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesetDoc {
    pub id: Spanned<String>,
    pub title: String,
    pub jurisdiction: String,
    pub authority: AuthorityDoc,
    pub binding: Spanned<String>,
    #[serde(default)]
    pub decided: Option<Spanned<String>>,
    #[serde(default)]
    pub effective: Option<Spanned<String>>,
    #[serde(default)]
    pub in_force: Option<InForceDoc>,
    pub summary: String,
    #[serde(default)]
    pub notes: Option<String>,
    pub sources: Vec<SourceDoc>,
    #[serde(default)]
    pub limits: Vec<LimitDoc>,
    #[serde(default)]
    pub variants: Vec<VariantDoc>,
    pub rules: Vec<RuleDoc>,
}

/// When a ruleset or rule applies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InForceDoc {
    pub from: Spanned<String>,
    #[serde(default)]
    pub until: Option<Spanned<String>>,
}

/// A named reading of unsettled law.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantDoc {
    pub id: Spanned<String>,
    pub title: String,
    pub status: Spanned<String>,
    pub summary: String,
    #[serde(default)]
    pub replaces: Vec<Spanned<String>>,
    pub source: Spanned<String>,
    pub pinpoint: Spanned<String>,
    #[serde(default)]
    pub quote: Option<String>,
    pub confidence: Spanned<String>,
}

/// `rules/jurisdictions.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionsDoc {
    pub jurisdictions: Vec<JurisdictionDoc>,
}

/// One jurisdiction: its authorities and their ranks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionDoc {
    pub id: Spanned<String>,
    pub name: String,
    pub authorities: Vec<AuthorityRankDoc>,
    #[serde(default)]
    pub note: Option<String>,
}

/// An authority within a jurisdiction.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRankDoc {
    pub ruleset: Spanned<String>,
    pub rank: u32,
}

/// Who speaks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityDoc {
    pub name: String,
    pub kind: Spanned<String>,
}

/// A legal source a ruleset cites.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    pub id: Spanned<String>,
    pub title: String,
    pub citation: String,
    #[serde(default)]
    pub date: Option<Spanned<String>>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub reached_via: Option<String>,
}

/// What an authority's holding does not reach.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitDoc {
    pub text: String,
    pub source: Spanned<String>,
    pub pinpoint: Spanned<String>,
    #[serde(default)]
    pub quote: Option<String>,
    pub confidence: Spanned<String>,
}

/// One rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub id: Spanned<String>,
    pub title: String,
    pub when: Spanned<String>,
    pub then: Spanned<ThenDoc>,
    #[serde(default)]
    pub exception_to: Vec<Spanned<String>>,
    pub because: String,
    pub source: Spanned<String>,
    pub pinpoint: Spanned<String>,
    #[serde(default)]
    pub quote: Option<String>,
    pub confidence: Spanned<String>,
    #[serde(default)]
    pub interpretation: Option<String>,
    #[serde(default)]
    pub in_force: Option<InForceDoc>,
    #[serde(default)]
    pub variant: Option<Spanned<String>>,
    #[serde(default)]
    pub issue: Option<Spanned<String>>,
    #[serde(default)]
    pub answer: Option<Spanned<String>>,
}

/// What a rule concludes when it applies.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThenDoc {
    #[serde(default)]
    pub holds: Option<Spanned<String>>,
    #[serde(default)]
    pub protected: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_protected: Vec<Spanned<String>>,
    #[serde(default)]
    pub author: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_author: Vec<Spanned<String>>,
}

/// `cases/<name>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseDoc {
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub source: Option<CaseSourceDoc>,
    #[serde(default)]
    pub as_of: Option<Spanned<String>>,
    pub facts: Entries<Spanned<Scalar>>,
    #[serde(default)]
    pub expect: Entries<Spanned<ExpectDoc>>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The real matter a case records.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSourceDoc {
    pub citation: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// The expected outcome under one ruleset.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectDoc {
    pub verdict: Spanned<String>,
    #[serde(default)]
    pub authors: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub protected: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub not_protected: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub findings: Option<Vec<Spanned<String>>>,
    pub basis: Spanned<String>,
    #[serde(default)]
    pub note: Option<String>,
}
