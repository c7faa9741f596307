//! JSON rendering with a versioned schema (documented in `docs/json.md`).

use serde::Serialize;

use super::DISCLAIMER;
use crate::compare::Comparison;
use crate::eval::Evaluation;
use crate::model::Ruleset;

/// Schema id of `compare --format json`.
pub const JSON_SCHEMA_COMPARE: &str = "authorship/compare/v2";
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
    let mut out = compare_json_head(rulesets);
    for (i, c) in comparisons.iter().enumerate() {
        out.push_str(&compare_json_case(c, i));
    }
    out.push_str(&compare_json_tail(comparisons.len()));
    out
}

// `compare --format json` a case at a time, so that `compare` need not
// hold every case's comparison: the head, each case, and the tail,
// concatenated, are the bytes `serde_json` prints for the whole document
// (`cases` is its last field, an array at depth one).

/// The document up to its `cases` array, not included.
pub(super) fn compare_json_head(rulesets: &[Ruleset]) -> String {
    let doc = CompareDoc {
        schema: JSON_SCHEMA_COMPARE,
        disclaimer: DISCLAIMER,
        rulesets: rulesets.iter().map(RulesetInfo::from).collect(),
        cases: &[],
    };
    let mut text = to_string(&doc);
    // The empty array and the closing brace, printed last.
    let tail = compare_json_tail(0);
    if text.ends_with(&tail) {
        text.truncate(text.len().saturating_sub(tail.len()));
    }
    text
}

/// Case `index` of the `cases` array, with what goes before it (the
/// opening bracket or a comma), at the array's indentation.
pub(super) fn compare_json_case(c: &Comparison, index: usize) -> String {
    let mut out = String::from(if index == 0 { "[\n" } else { ",\n" });
    let text = to_string(c);
    // Pretty JSON has no line break inside a string (they are escaped),
    // so indenting every line nests the case two levels deep.
    for (i, line) in text.trim_end().lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// What closes the document after `count` cases.
pub(super) fn compare_json_tail(count: usize) -> String {
    if count == 0 {
        "[]\n}\n".to_string()
    } else {
        "\n  ]\n}\n".to_string()
    }
}

#[derive(Serialize)]
struct ExplainDoc<'a> {
    schema: &'static str,
    disclaimer: &'static str,
    case: CaseInfo<'a>,
    rule_set: &'a crate::model::RulesOrigin,
    ruleset: RulesetInfo<'a>,
    evaluation: &'a Evaluation,
}

#[derive(Serialize)]
struct CaseInfo<'a> {
    title: &'a str,
    path: &'a str,
    /// The facts changed from the case file's (`--set`, `--unset`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    overrides: &'a [crate::compare::Override],
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
            overrides: &c.overrides,
            facts: &c.facts,
        },
        rule_set: &c.rule_set,
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

#[cfg(all(test, feature = "fs"))]
mod tests {
    use super::*;

    /// Written a case at a time, the document is what `serde_json` prints
    /// for it whole, byte for byte.
    #[test]
    fn the_document_written_case_by_case_is_the_whole_one() {
        let library = crate::load::load_library(std::path::Path::new("rules")).unwrap();
        let options = crate::compare::Options::default();
        let cases: Vec<Comparison> = ["cases/li-v-liu.yaml", "cases/zarya-of-the-dawn.yaml"]
            .iter()
            .map(|p| {
                let case = crate::load::load_case(std::path::Path::new(p), &library).unwrap();
                crate::compare::compare(&case, &library, &options)
            })
            .collect();
        for n in 0..=cases.len() {
            let some = cases.get(..n).unwrap_or(&[]);
            let whole = to_string(&CompareDoc {
                schema: JSON_SCHEMA_COMPARE,
                disclaimer: DISCLAIMER,
                rulesets: library.rulesets.iter().map(RulesetInfo::from).collect(),
                cases: some,
            });
            assert_eq!(compare_json(some, &library.rulesets), whole, "{n} cases");
        }
    }
}
