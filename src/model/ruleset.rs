//! Validated rulesets: an authority, its sources, and its rules with parsed
//! conditions, plus the indexes evaluation needs (which rules establish a
//! conclusion, which rules are exceptions to which, a dependency order).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::syntax::{Date, Expr};

/// How strongly an authority binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Legislation.
    Statute,
    /// A court decision that binds later courts.
    BindingPrecedent,
    /// A court decision that persuades but does not bind.
    PersuasiveDecision,
    /// An agency's practice, binding on its own decisions but not on courts.
    AgencyPractice,
    /// Guidance that binds no one.
    NonBindingGuidance,
}

/// What kind of body speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityKind {
    /// A court.
    Court,
    /// A government agency or registry.
    Agency,
    /// An agency's review board.
    ReviewBoard,
    /// A legislature.
    Legislature,
}

/// How well the sources support a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub enum Confidence {
    /// Wording of the primary text.
    P,
    /// Two or more independent secondary sources agree.
    S2,
    /// One secondary source.
    S1,
}

/// A source the ruleset cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Source {
    /// Id used by rules.
    pub id: String,
    /// Title.
    pub title: String,
    /// Formal citation.
    pub citation: String,
    /// Date of the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Where it is published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// How the encoder reached its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reached_via: Option<String>,
}

/// Where a statement comes from: source, pinpoint, quotation, confidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Citation {
    /// The source's id in the ruleset.
    pub source: String,
    /// Where in the source.
    pub pinpoint: String,
    /// The source's own words, if quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// How well supported.
    pub confidence: Confidence,
}

/// A statement of what the authority's holding does not reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Limit {
    /// The statement.
    pub text: String,
    /// Its citation.
    pub citation: Citation,
}

/// The period in which a ruleset or rule applies: `from` inclusive, `until`
/// exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct InForce {
    /// First day it applies.
    pub from: Date,
    /// First day it no longer applies, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl InForce {
    /// Whether it applies on `date`.
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }
}

/// How settled a variant reading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
#[serde(rename_all = "snake_case")]
pub enum VariantStatus {
    /// A proposal for legislation, not enacted.
    Proposal,
    /// A question pending before a court or authority.
    Pending,
    /// A reading competing with the one in force (a split).
    CompetingReading,
}

/// A named reading of unsettled law, used only when asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Variant {
    /// Id, unique within the ruleset.
    pub id: String,
    /// Title.
    pub title: String,
    /// How settled it is.
    pub status: VariantStatus,
    /// What the law would be under it.
    pub summary: String,
    /// Rules that do not apply under it.
    pub replaces: Vec<String>,
    /// Where it comes from.
    pub citation: Citation,
}

/// What a rule concludes when it applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Conclusions {
    /// A named conclusion other rules can read as `@name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holds: Option<String>,
    /// Elements protected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub protected: Vec<String>,
    /// Elements not protected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_protected: Vec<String>,
    /// Parties who are authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub author: Vec<String>,
    /// Parties who are not authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_author: Vec<String>,
}

impl Conclusions {
    /// Whether the rule says anything about elements or authors (as opposed
    /// to only establishing a named conclusion).
    pub fn decides_outcome(&self) -> bool {
        !(self.protected.is_empty()
            && self.not_protected.is_empty()
            && self.author.is_empty()
            && self.not_author.is_empty())
    }
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Rule {
    /// Unique within the ruleset.
    pub id: String,
    /// Short title.
    pub title: String,
    /// The condition as written.
    pub when_text: String,
    /// The parsed, type-checked condition.
    #[serde(skip)]
    pub when: Expr,
    /// What it concludes.
    pub then: Conclusions,
    /// Rules this rule is an exception to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exception_to: Vec<String>,
    /// Plain-language reason.
    pub because: String,
    /// Source, pinpoint, quotation.
    pub citation: Citation,
    /// The encoder's reading, where the encoding is not the source's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interpretation: Option<String>,
    /// How far that reading goes beyond the source: `close`, `applied` or
    /// `reconstructed` (docs/sources.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// When it applies (its own, else its ruleset's).
    pub in_force: InForce,
    /// The variant it belongs to; such a rule applies only under it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The legal question it answers, and its answer when it applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<IssueAnswer>,
    /// Where it is written.
    #[serde(skip)]
    pub at: super::vocab::Where,
}

/// A rule's answer to one of the vocabulary's legal questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct IssueAnswer {
    /// The issue's id.
    pub issue: String,
    /// `true` for yes.
    pub yes: bool,
}

/// One authority's ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Ruleset {
    /// Id (the file name without `.yaml`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Jurisdiction code, e.g. `US`.
    pub jurisdiction: String,
    /// The authority's name.
    pub authority: String,
    /// The authority's kind.
    pub authority_kind: AuthorityKind,
    /// How strongly it binds.
    pub binding: Binding,
    /// Date of decision or guidance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided: Option<Date>,
    /// Date it took effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective: Option<Date>,
    /// When the authority speaks.
    pub in_force: InForce,
    /// What the authority holds.
    pub summary: String,
    /// The encoder's notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Sources cited.
    pub sources: Vec<Source>,
    /// What the holding does not reach.
    pub limits: Vec<Limit>,
    /// Named readings of unsettled law.
    pub variants: Vec<Variant>,
    /// Rules in file order.
    pub rules: Vec<Rule>,
    /// Indexes derived at load time.
    #[serde(skip)]
    pub index: RuleIndex,
}

/// Derived lookups over a ruleset's rules (positions into `rules`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct RuleIndex {
    /// Rules that establish each conclusion.
    pub holders: BTreeMap<String, Vec<usize>>,
    /// For each rule, the rules that are exceptions to it.
    pub exceptions: Vec<Vec<usize>>,
    /// Every rule after all the rules it depends on.
    pub order: Vec<usize>,
}

impl Ruleset {
    /// Every condition that can decide how this ruleset's facts are read:
    /// its rules' and the vocabulary's `arises` conditions (a value on
    /// either side of one may make a fact arise or not).
    pub fn conditions_with_arising<'a>(
        &'a self,
        vocab: &'a super::Vocabulary,
    ) -> impl Iterator<Item = &'a Expr> {
        let arising = vocab
            .facts
            .values()
            .filter_map(|d| d.arises.as_ref().map(|a| &a.condition));
        self.rules.iter().map(|r| &r.when).chain(arising)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The rule with this id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The variant with this id.
    pub fn variant(&self, id: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.id == id)
    }

    /// The facts some condition of the ruleset reads.
    pub fn facts_read(&self) -> BTreeSet<&str> {
        self.rules
            .iter()
            .flat_map(|r| r.when.facts_read())
            .collect()
    }

    /// The latest date from which this ruleset or one of its rules applies.
    pub fn latest_start(&self) -> Date {
        self.rules
            .iter()
            .filter(|r| r.variant.is_none())
            .map(|r| r.in_force.from)
            .fold(self.in_force.from, Date::max)
    }
}
