//! JSON rendering with a versioned schema (documented in `docs/json.md`).

use serde::Serialize;

use super::DISCLAIMER;
use crate::compare::Comparison;
use crate::eval::Evaluation;
use crate::model::Ruleset;

/// Schema id of `compare --format json`.
pub const JSON_SCHEMA_COMPARE: &str = "authorship/compare/v1";
/// Schema id of `explain --format json`.
pub const JSON_SCHEMA_EXPLAIN: &str = "authorship/explain/v1";

#[derive(Serialize)]
struct CompareDoc<'a> {
    schema: &'static str,
    disclaimer: &'static str,
    rulesets: Vec<RulesetInfo<'a>>,
    cases: &'a [Comparison],
}

/// What a reader needs to know about a ruleset to read its column.
#[derive(Serialize)]
struct RulesetInfo<'a> {
    id: &'a str,
    title: &'a str,
    jurisdiction: &'a str,
    authority: &'a str,
    binding: crate::model::Binding,
    #[serde(skip_serializing_if = "Option::is_none")]
    decided: Option<crate::syntax::Date>,
}

impl<'a> From<&'a Ruleset> for RulesetInfo<'a> {
    fn from(r: &'a Ruleset) -> Self {
        RulesetInfo {
            id: &r.id,
            title: &r.title,
            jurisdiction: &r.jurisdiction,
            authority: &r.authority,
            binding: r.binding,
            decided: r.decided,
        }
    }
}

/// Renders comparisons as pretty JSON.
pub fn compare_json(comparisons: &[Comparison], rulesets: &[Ruleset]) -> String {
    let doc = CompareDoc {
        schema: JSON_SCHEMA_COMPARE,
        disclaimer: DISCLAIMER,
        rulesets: rulesets.iter().map(RulesetInfo::from).collect(),
        cases: comparisons,
    };
    to_string(&doc)
}

#[derive(Serialize)]
struct ExplainDoc<'a> {
    schema: &'static str,
    disclaimer: &'static str,
    case: CaseInfo<'a>,
    ruleset: RulesetInfo<'a>,
    evaluation: &'a Evaluation,
}

#[derive(Serialize)]
struct CaseInfo<'a> {
    title: &'a str,
    path: &'a str,
    facts: &'a crate::model::Facts,
}

/// Renders one ruleset's evaluation of a case as pretty JSON.
pub fn explain_json(c: &Comparison, eval: &Evaluation, ruleset: &Ruleset) -> String {
    let doc = ExplainDoc {
        schema: JSON_SCHEMA_EXPLAIN,
        disclaimer: DISCLAIMER,
        case: CaseInfo {
            title: &c.title,
            path: &c.path,
            facts: &c.facts,
        },
        ruleset: RulesetInfo::from(ruleset),
        evaluation: eval,
    };
    to_string(&doc)
}

fn to_string<T: Serialize>(doc: &T) -> String {
    // Serializing these plain structs cannot fail (string keys, no custom
    // errors); the fallback keeps the library panic-free regardless.
    let mut text = serde_json::to_string_pretty(doc)
        .unwrap_or_else(|e| format!("{{\"error\": \"{}\"}}", e.to_string().replace('"', "'")));
    text.push('\n');
    text
}
