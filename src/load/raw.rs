//! Wire types: serde mirrors of the YAML files, before validation.
//!
//! Every struct denies unknown keys, so a misspelt key fails loudly instead
//! of being ignored. Values that a later check may need to point at are
//! `Spanned`. Nothing here knows what the values mean; `load` validates them.
//!
//! The same types generate the JSON Schemas (see [`super::schema`]): doc
//! comments become descriptions, and `#[schemars(with = "T")]` gives a
//! `Spanned<T>` field the schema of `T`, or of a schema-only type below for
//! dates and fixed words.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::schema::{Date, code, ids, keys, name, slug, words};
use super::yaml::Entries;
use crate::model::Scalar;

/// `rules/facts.yaml`: the shared, jurisdiction-neutral vocabulary that every
/// ruleset and case is checked against.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VocabularyDoc {
    /// The facts, by id (lower_snake_case): what happened, never what an
    /// authority made of it.
    #[schemars(transform = ids)]
    pub facts: Entries<FactDoc>,
    /// The parts of a work an outcome can protect or not, by id.
    #[schemars(transform = ids)]
    pub elements: Entries<ElementDoc>,
    /// Who can be (or not be) an author, by id.
    #[schemars(transform = ids)]
    pub parties: Entries<DescribedDoc>,
    /// Jurisdiction-neutral legal questions that rules answer, by id.
    #[serde(default)]
    #[schemars(transform = ids)]
    pub issues: Entries<IssueDoc>,
}

/// A legal question rules answer (for comparing authorities).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueDoc {
    /// The question, answered yes or no by the rules that name this issue.
    pub question: String,
}

/// One fact of the vocabulary.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("allOf" = [
    {
        "if": { "properties": { "type": { "const": "enum" } } },
        "then": { "required": ["values"] },
        "else": { "not": { "required": ["values"] } },
    },
    {
        "if": { "not": { "properties": { "type": { "const": "integer" } } } },
        "then": { "not": { "anyOf": [{ "required": ["min"] }, { "required": ["max"] }] } },
    },
]))]
pub struct FactDoc {
    /// The fact's type.
    #[serde(rename = "type")]
    #[schemars(with = "FactTypeWord")]
    pub ty: Spanned<String>,
    /// Enum only: each allowed value (lower_snake_case, as ids are), mapped
    /// to what it means.
    #[serde(default)]
    #[schemars(
        with = "Option<Entries<String>>",
        extend("minProperties" = 1),
        transform = ids
    )]
    pub values: Option<Spanned<Entries<String>>>,
    /// Integer only: the smallest allowed value.
    #[serde(default)]
    pub min: Option<i64>,
    /// Integer only: the largest allowed value.
    #[serde(default)]
    pub max: Option<i64>,
    /// One line saying what the fact records.
    pub description: String,
    /// The question a person is asked to establish the fact.
    pub question: String,
    /// When the fact arises at all, and what it is when it does not (a work
    /// with no AI material was not edited after generation). Without it
    /// the fact always arises.
    #[serde(default)]
    pub arises: Option<ArisesDoc>,
}

/// When a fact arises: a condition over other facts of the vocabulary, and
/// the value the fact has when the condition is false. Rules then read that
/// value, `ask` does not ask the question, and a case may not state another.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArisesDoc {
    /// A condition over other facts (no `@conclusions`), in the rule
    /// language, e.g. `ai_generated_material_in_work`. The fact arises
    /// unless it is false; while it is unknown, so is whether the fact arises.
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    /// The fact's value when it does not arise: a value of the fact's type
    /// (for an enum, one of its values).
    #[schemars(with = "Scalar", extend("type" = ["boolean", "integer", "string"]))]
    pub otherwise: Spanned<Scalar>,
}

/// An element or a party: an id with a description.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DescribedDoc {
    /// What it is.
    pub description: String,
}

/// An element of a work.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementDoc {
    /// What it is.
    pub description: String,
    /// The element this one is a part of (edits are part of the output they
    /// edit): a ruleset's verdict counts it only where the ruleset reaches
    /// that element.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub part_of: Option<Spanned<String>>,
}

/// `rules/<ruleset-id>.yaml`: one authority's ruleset.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{ "required": ["in_force"] }, { "required": ["decided"] }]))]
pub struct RulesetDoc {
    /// The ruleset's id: the file name without `.yaml` (lower case, digits,
    /// `-` and `_`, from a letter).
    #[schemars(with = "String", transform = slug)]
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// Jurisdiction code, e.g. `US`: a label printed beside the ruleset.
    pub jurisdiction: String,
    /// Who speaks.
    pub authority: AuthorityDoc,
    /// How strongly the authority binds.
    #[schemars(with = "BindingWord")]
    pub binding: Spanned<String>,
    /// Date of the decision or guidance; the ruleset applies from it when
    /// there is no `in_force`.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub decided: Option<Spanned<String>>,
    /// Date it took effect.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub effective: Option<Spanned<String>>,
    /// When the authority speaks (else from `decided`).
    #[serde(default)]
    pub in_force: Option<InForceDoc>,
    /// What the authority holds, in a paragraph.
    pub summary: String,
    /// The encoder's notes on this ruleset.
    #[serde(default)]
    pub notes: Option<String>,
    /// The legal sources the ruleset cites.
    pub sources: Vec<SourceDoc>,
    /// What the authority's holding does not reach.
    #[serde(default)]
    pub limits: Vec<LimitDoc>,
    /// Named readings of unsettled law, used only when asked for.
    #[serde(default)]
    pub variants: Vec<VariantDoc>,
    /// The rules.
    pub rules: Vec<RuleDoc>,
}

/// When a ruleset or rule applies: `from` inclusive, `until` exclusive.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InForceDoc {
    /// First day it applies.
    #[schemars(with = "Date")]
    pub from: Spanned<String>,
    /// First day it no longer applies (superseded or withdrawn), if any.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub until: Option<Spanned<String>>,
}

/// A named reading of unsettled law.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantDoc {
    /// Id, unique within the ruleset (lower case, digits, `-` and `_`, from a
    /// letter); an `expect` key `ruleset@id` names it.
    #[schemars(with = "String", transform = slug)]
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// How settled it is.
    #[schemars(with = "VariantStatusWord")]
    pub status: Spanned<String>,
    /// What the law would be under this reading.
    pub summary: String,
    /// Ids of rules that do not apply under this reading.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub replaces: Vec<Spanned<String>>,
    /// Id of a source of this ruleset.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Where in the source.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    pub pinpoint: Spanned<String>,
    /// The source's own words, if quoted.
    #[serde(default)]
    pub quote: Option<String>,
    /// How well the sources support it.
    #[schemars(with = "ConfidenceWord")]
    pub confidence: Spanned<String>,
}

/// `rules/jurisdictions.yaml`: which authorities speak in each jurisdiction.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionsDoc {
    /// The jurisdictions.
    pub jurisdictions: Vec<JurisdictionDoc>,
}

/// One jurisdiction: its authorities and their ranks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionDoc {
    /// Jurisdiction code, e.g. `US` (upper case, digits, `-` and `_`, from a
    /// letter).
    #[schemars(with = "String", transform = code)]
    pub id: Spanned<String>,
    /// Its name.
    pub name: String,
    /// The rulesets that speak in it; the highest rank in force that reaches
    /// the facts decides.
    #[schemars(length(min = 1))]
    pub authorities: Vec<AuthorityRankDoc>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// An authority within a jurisdiction.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityRankDoc {
    /// A ruleset id.
    #[schemars(with = "String")]
    pub ruleset: Spanned<String>,
    /// Its rank: higher wins; ranks compare only within the jurisdiction.
    pub rank: u32,
    /// Its standing in words: the court's level and what became of the
    /// decision on appeal (`first instance; affirmed on appeal [S1: KEY]`),
    /// printed beside its rank.
    #[serde(default)]
    pub standing: Option<String>,
}

/// Who speaks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorityDoc {
    /// The authority's name.
    pub name: String,
    /// What kind of body it is.
    #[schemars(with = "AuthorityKindWord")]
    pub kind: Spanned<String>,
}

/// A legal source a ruleset cites.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDoc {
    /// Id (lower case, digits, `-` and `_`, from a letter), referenced by
    /// rules, limits and variants.
    #[schemars(with = "String", transform = slug)]
    pub id: Spanned<String>,
    /// Title.
    pub title: String,
    /// Formal citation.
    pub citation: String,
    /// Date of the source.
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub date: Option<Spanned<String>>,
    /// Where it is published.
    #[serde(default)]
    pub url: Option<String>,
    /// How the encoder reached its text.
    #[serde(default)]
    pub reached_via: Option<String>,
}

/// What an authority's holding does not reach.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LimitDoc {
    /// The statement.
    pub text: String,
    /// Id of a source of this ruleset.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Where in the source.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    pub pinpoint: Spanned<String>,
    /// The source's own words, if quoted.
    #[serde(default)]
    pub quote: Option<String>,
    /// How well the sources support it.
    #[schemars(with = "ConfidenceWord")]
    pub confidence: Spanned<String>,
}

/// One rule. It needs a `quote`, an `interpretation`, or both: either the
/// source's words support it directly, or the encoder says it is a reading.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend(
    "anyOf" = [{ "required": ["quote"] }, { "required": ["interpretation"] }],
    "dependencies" = { "issue": ["answer"], "answer": ["issue"] },
))]
pub struct RuleDoc {
    /// Id, unique within the ruleset (lower case, digits, `-` and `_`, from a
    /// letter).
    #[schemars(with = "String", transform = slug)]
    pub id: Spanned<String>,
    /// Short title.
    pub title: String,
    /// The condition, e.g. `human_wrote_prompts and not @mechanical_output`
    /// (facts, `@conclusions`, `not and or`, `== != < <= > >=`, `in [..]`).
    #[schemars(with = "String")]
    pub when: Spanned<String>,
    /// What the rule concludes when it applies.
    #[schemars(with = "ThenDoc")]
    pub then: Spanned<ThenDoc>,
    /// Ids of rules that do not apply when this rule applies.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exception_to: Vec<Spanned<String>>,
    /// Plain-language reason shown in explanations.
    pub because: String,
    /// Id of a source of this ruleset.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Where in the source.
    #[schemars(with = "String", regex(pattern = r"\S"))]
    pub pinpoint: Spanned<String>,
    /// Verbatim words of the source, if any.
    #[serde(default)]
    pub quote: Option<String>,
    /// How well the sources support it.
    #[schemars(with = "ConfidenceWord")]
    pub confidence: Spanned<String>,
    /// The encoder's reading, where the encoding is not the source's words.
    #[serde(default)]
    pub interpretation: Option<String>,
    /// How far that reading goes beyond the source (docs/sources.md):
    /// `close`, `applied` or `reconstructed`.
    #[serde(default)]
    #[schemars(with = "Option<ReadingWord>")]
    pub reading: Option<Spanned<String>>,
    /// When the rule applies, within its ruleset's period (else the
    /// ruleset's).
    #[serde(default)]
    pub in_force: Option<InForceDoc>,
    /// Id of the variant the rule belongs to; it then applies only under it.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub variant: Option<Spanned<String>>,
    /// Id of the vocabulary issue (legal question) the rule answers.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub issue: Option<Spanned<String>>,
    /// The rule's answer to its `issue` when it applies.
    #[serde(default)]
    #[schemars(with = "Option<AnswerWord>")]
    pub answer: Option<Spanned<String>>,
}

/// What a rule concludes when it applies: at least one conclusion.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [
    { "required": ["holds"] },
    { "required": ["protected"], "properties": { "protected": { "minItems": 1 } } },
    { "required": ["not_protected"], "properties": { "not_protected": { "minItems": 1 } } },
    { "required": ["author"], "properties": { "author": { "minItems": 1 } } },
    { "required": ["not_author"], "properties": { "not_author": { "minItems": 1 } } },
]))]
pub struct ThenDoc {
    /// A named conclusion (lower_snake_case) that other rules of the ruleset
    /// read as `@name`.
    #[serde(default)]
    #[schemars(with = "Option<String>", transform = name)]
    pub holds: Option<Spanned<String>>,
    /// Elements protected.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub protected: Vec<Spanned<String>>,
    /// Elements not protected.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub not_protected: Vec<Spanned<String>>,
    /// Parties who are authors.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub author: Vec<Spanned<String>>,
    /// Parties who are not authors.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub not_author: Vec<Spanned<String>>,
}

/// `cases/<name>.yaml`: a fact pattern.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseDoc {
    /// Title.
    pub title: String,
    /// A neutral account of what happened.
    pub summary: String,
    /// The real matter, if any.
    #[serde(default)]
    pub source: Option<CaseSourceDoc>,
    /// The date to take the law as of (the date the work was made,
    /// registration was sought, or the decision under study).
    #[serde(default)]
    #[schemars(with = "Option<Date>")]
    pub as_of: Option<Spanned<String>>,
    /// Fact values by fact id; an absent fact is unknown, `null` is stated
    /// unknown.
    #[schemars(with = "Entries<Scalar>", transform = ids)]
    pub facts: Entries<Spanned<Scalar>>,
    /// Expected outcomes by ruleset id, or `ruleset@variant` for the outcome
    /// under a named reading; under `jurisdictions`, by jurisdiction id.
    #[serde(default)]
    pub expect: ExpectBlock,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// The real matter a case records.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSourceDoc {
    /// Citation of the matter.
    pub citation: String,
    /// A note on the source.
    #[serde(default)]
    pub note: Option<String>,
    /// What the deciding authority ordered, for a decided matter.
    #[serde(default)]
    pub disposition: Option<DispositionDoc>,
}

/// How a decided matter was disposed of: the holdings beyond the
/// protection question (such as infringement) and the remedies, as the
/// sources report them, with citations in the text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DispositionDoc {
    /// Id of the ruleset of the authority that decided the matter.
    #[schemars(with = "String")]
    pub decided_by: Spanned<String>,
    /// Its holdings beyond protection (infringement, defences).
    pub holding: String,
    /// What it ordered, one item each (apology, damages, costs).
    #[serde(default)]
    pub remedies: Vec<String>,
}

/// The expected outcome under one ruleset.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectDoc {
    /// The verdict.
    #[schemars(with = "VerdictWord")]
    pub verdict: Spanned<String>,
    /// Party ids of the authors, checked as a set when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub authors: Option<Vec<Spanned<String>>>,
    /// Element ids protected, checked as a set when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub protected: Option<Vec<Spanned<String>>>,
    /// Element ids not protected, checked as a set when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub not_protected: Option<Vec<Spanned<String>>>,
    /// Named conclusions that must hold (others may hold too).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub findings: Option<Vec<Spanned<String>>>,
    /// With verdict `undetermined`: the verdicts still possible, checked
    /// exactly (as a set) when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<PossibleVerdictWord>>")]
    pub possible: Option<Vec<Spanned<String>>>,
    /// With verdict `undetermined`: the facts it depends on, checked
    /// exactly (as a set) when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub depends_on: Option<Vec<Spanned<String>>>,
    /// Why the case expects this outcome.
    #[schemars(with = "BasisWord")]
    pub basis: Spanned<String>,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// The expected outcome in one jurisdiction (its row of `compare --by
/// jurisdiction`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JurisdictionExpectDoc {
    /// The row's verdict.
    #[schemars(with = "VerdictWord")]
    pub verdict: Spanned<String>,
    /// The ruleset that decides the row, checked when given.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub decided_by: Option<Spanned<String>>,
    /// Party ids of the authors, checked as a set when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub authors: Option<Vec<Spanned<String>>>,
    /// Element ids protected, checked as a set when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub protected: Option<Vec<Spanned<String>>>,
    /// Element ids not protected, checked as a set when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub not_protected: Option<Vec<Spanned<String>>>,
    /// With verdict `undetermined`: the row's verdicts still possible,
    /// checked exactly (as a set) when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<PossibleVerdictWord>>")]
    pub possible: Option<Vec<Spanned<String>>>,
    /// With verdict `undetermined`: the facts the row depends on, checked
    /// exactly (as a set) when given.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub depends_on: Option<Vec<Spanned<String>>>,
    /// Why the case expects this outcome.
    #[schemars(with = "BasisWord")]
    pub basis: Spanned<String>,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// The key of `expect:` under which jurisdiction rows are expected.
pub const JURISDICTIONS_KEY: &str = "jurisdictions";

/// A case's `expect:` block: entries by ruleset id (or `ruleset@variant`),
/// and under the key `jurisdictions`, entries by jurisdiction id.
#[derive(Debug, Default)]
pub struct ExpectBlock {
    /// By ruleset id, in file order.
    pub rulesets: Entries<Spanned<ExpectDoc>>,
    /// By jurisdiction id, in file order.
    pub jurisdictions: Entries<Spanned<JurisdictionExpectDoc>>,
}

impl<'de> Deserialize<'de> for ExpectBlock {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ExpectBlockVisitor)
    }
}

struct ExpectBlockVisitor;

impl<'de> serde::de::Visitor<'de> for ExpectBlockVisitor {
    type Value = ExpectBlock;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping of ruleset ids (and `jurisdictions`) to expected outcomes")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut block = ExpectBlock::default();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            if key.value == JURISDICTIONS_KEY {
                let rows: Entries<Spanned<JurisdictionExpectDoc>> = map.next_value()?;
                block.jurisdictions.0.extend(rows.0);
            } else {
                block.rulesets.0.push((key, map.next_value()?));
            }
        }
        Ok(block)
    }
}

// In a schema: ruleset entries, and the `jurisdictions` map.
impl JsonSchema for ExpectBlock {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExpectBlock".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "Expected outcomes by ruleset id (or `ruleset@variant`); under `jurisdictions`, expected rows by jurisdiction id.",
            "properties": {
                JURISDICTIONS_KEY: {
                    "type": "object",
                    "additionalProperties": generator.subschema_for::<JurisdictionExpectDoc>(),
                },
            },
            "additionalProperties": generator.subschema_for::<ExpectDoc>(),
        })
    }
}

// The fixed words the loader accepts, for the schemas only; the loader's own
// lists are in load.rs, load_ruleset.rs, load_time.rs and load_case.rs.
words! {
    /// A fact's type.
    FactTypeWord = ["bool", "integer", "enum", "date", "text"];
    /// How strongly an authority binds.
    BindingWord = [
        "statute",
        "binding_precedent",
        "persuasive_decision",
        "agency_practice",
        "non_binding_guidance",
    ];
    /// What kind of body an authority is.
    AuthorityKindWord = ["court", "agency", "review_board", "legislature"];
    /// Confidence tags: P (the primary text's words), S2 (two secondary
    /// sources agree), S1 (one secondary source).
    ConfidenceWord = ["P", "S2", "S1"];
    /// How settled a variant reading is.
    VariantStatusWord = ["proposal", "pending", "competing_reading"];
    /// A rule's answer to its issue.
    AnswerWord = ["yes", "no"];
    /// A verdict.
    VerdictWord = [
        "protected",
        "partially_protected",
        "not_protected",
        "undetermined",
        "not_addressed",
    ];
    /// A verdict an undetermined outcome may still turn out to be.
    PossibleVerdictWord = [
        "protected",
        "partially_protected",
        "not_protected",
        "not_addressed",
    ];
    /// Decision (the authority decided these facts) or prediction (the
    /// encoder's reasoned prediction).
    BasisWord = ["decision", "prediction"];
    /// How far an encoder's interpretation goes beyond its source.
    ReadingWord = ["close", "applied", "reconstructed"];
    /// The kind of a cited work (model::bibliography::KINDS).
    WorkKindWord = [
        "judgment",
        "statute",
        "guidance",
        "registration_record",
        "official_report",
        "article",
        "news",
        "blog",
        "forum",
        "repository",
        "case_summary",
        "translation",
        "repost",
        "other",
    ];
}

/// `rules/bibliography.yaml`: the works cited in prose by key, and the
/// legend of the confidence tags (docs/sources.md).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BibliographyDoc {
    /// Each confidence tag (`P`, `S1`, `S2`, `UNCONFIRMED`) and its meaning.
    #[serde(default)]
    pub tags: Entries<String>,
    /// The works, by key (upper case and digits joined by single hyphens,
    /// from a letter: `GOD`, `DLA-BC`).
    #[serde(default)]
    #[schemars(transform = keys)]
    pub works: Entries<WorkDoc>,
}

/// One cited work.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkDoc {
    /// Its title as published.
    pub title: String,
    /// The person or body that wrote or issued it, or `unknown`.
    #[serde(default)]
    pub author: Option<String>,
    /// The site, journal, publisher or court, or `unknown`.
    #[serde(default)]
    pub publisher: Option<String>,
    /// Its date as the copy seen states it: a day, a month or a year.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub date: Option<Scalar>,
    /// Why no date is given, when none is.
    #[serde(default)]
    pub date_note: Option<String>,
    /// Where it is public.
    #[serde(default)]
    pub url: Option<String>,
    /// Why no address is given, when none is.
    #[serde(default)]
    pub no_url: Option<String>,
    /// The language(s) of its text (ISO 639-1).
    #[serde(default)]
    pub language: Option<String>,
    /// What kind of work it is.
    #[serde(default)]
    #[schemars(with = "Option<WorkKindWord>")]
    pub kind: Option<String>,
    /// A remark on the work (a mirror, a translation, out of date …).
    #[serde(default)]
    pub note: Option<String>,
    /// Whether the encoder saw the page itself (false: known only through
    /// another researcher's record).
    #[serde(default)]
    pub verified: Option<bool>,
}
