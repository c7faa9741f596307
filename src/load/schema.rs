//! JSON Schemas of the YAML formats, generated from the wire types in `raw`,
//! so that editors validate and complete the files as they are typed.
//!
//! Boundary: this module turns types into schema text and does nothing else:
//! it reads no file, writes no file and prints nothing (the `schema`
//! subcommand writes the text; `schemas/` holds the committed copies that the
//! shipped YAML files name in their first line, and a test keeps them equal
//! to what this module generates). A schema checks one file's shape: keys,
//! value types, the fixed words the loader accepts, dates and ids. What needs
//! other files (fact, element, party, source and rule names, conditions, a
//! ruleset id matching its file name) is still checked only by the loader.

use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde_json::Value;

use super::ids::Shape;
use super::raw::{BibliographyDoc, CaseDoc, JurisdictionsDoc, RulesetDoc, VocabularyDoc};

/// The schemas as (file name, pretty-printed JSON ending in a newline): the
/// fact vocabulary, a ruleset, the jurisdictions file, a case and the
/// bibliography, in that order. The output depends only on the types, never on the environment.
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        document::<VocabularyDoc>(
            "facts.schema.json",
            "authorship: the shared fact vocabulary (rules/facts.yaml)",
        ),
        document::<RulesetDoc>(
            "ruleset.schema.json",
            "authorship: one authority's ruleset (rules/<ruleset-id>.yaml)",
        ),
        document::<JurisdictionsDoc>(
            "jurisdictions.schema.json",
            "authorship: jurisdictions and the rank of their authorities (rules/jurisdictions.yaml)",
        ),
        document::<CaseDoc>(
            "case.schema.json",
            "authorship: a fact pattern (cases/<name>.yaml)",
        ),
        document::<BibliographyDoc>(
            "bibliography.schema.json",
            "authorship: the works cited by key, and the confidence tags (rules/bibliography.yaml)",
        ),
    ]
}

// JSON Schema draft 7: the newest draft that YAML editors (the YAML language
// server) fully support. `$id` is the file name, so it resolves to wherever
// the schema is read from.
fn document<T: JsonSchema>(file: &'static str, title: &str) -> (&'static str, String) {
    let mut schema = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(drop_null_default))
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("$id".to_string(), file.into());
    schema.insert("title".to_string(), title.into());
    let mut text = serde_json::to_string_pretty(&sorted(schema.to_value())).unwrap_or_default();
    text.push('\n');
    (file, text)
}

// An optional key's `"default": null` says nothing `required` does not, and
// would make editors complete the key as `key: null`.
fn drop_null_default(schema: &mut Schema) {
    if schema.get("default").is_some_and(Value::is_null) {
        schema.remove("default");
    }
}

// Keys in sorted order at every level, whatever map type serde_json was
// built with (its `preserve_order` feature would otherwise change the text).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// Declares schema-only types for the fixed words a field accepts: each is a
/// string restricted to its list, written out wherever it is used.
macro_rules! words {
    ($($(#[doc = $doc:literal])* $name:ident = [$($word:literal),+ $(,)?];)+) => {$(
        $(#[doc = $doc])*
        pub(crate) enum $name {}

        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($word),+] })
            }
        }
    )+};
}
pub(crate) use words;

/// Schema-only: a `YYYY-MM-DD` date (the loader also rejects days that do
/// not exist, such as 30 February).
pub(crate) enum Date {}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        })
    }
}

/// For a mapping keyed by names (facts, elements, parties, issues, an
/// enum's values, a case's facts): keys are lower_snake_case and not a
/// keyword of the condition language, so that conditions can name them.
pub(crate) fn ids(schema: &mut Schema) {
    schema.insert("propertyNames".to_string(), shaped(Shape::Name));
}

/// For the bibliography's works: keys are citation keys (`NLR-LL`).
pub(crate) fn keys(schema: &mut Schema) {
    schema.insert("propertyNames".to_string(), shaped(Shape::Key));
}

/// For a string that names a conclusion (`holds`).
pub(crate) fn name(schema: &mut Schema) {
    extend(schema, Shape::Name);
}

/// For the id of a ruleset, rule, source or variant.
pub(crate) fn slug(schema: &mut Schema) {
    extend(schema, Shape::Slug);
}

/// For a jurisdiction id (`US`).
pub(crate) fn code(schema: &mut Schema) {
    extend(schema, Shape::Code);
}

// The loader's rule for one kind of id (src/load/ids.rs), as a schema.
fn shaped(shape: Shape) -> Value {
    let mut rule = serde_json::Map::new();
    rule.insert("pattern".to_string(), shape.pattern().into());
    if !shape.excluded().is_empty() {
        rule.insert(
            "not".to_string(),
            serde_json::json!({ "enum": shape.excluded() }),
        );
    }
    Value::Object(rule)
}

// Adds the rule to a string's (or an optional string's) own schema.
fn extend(schema: &mut Schema, shape: Shape) {
    if let Value::Object(rule) = shaped(shape) {
        for (key, value) in rule {
            schema.insert(key, value);
        }
    }
}
