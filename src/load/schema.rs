//! JSON Schemas of the YAML formats, generated from the wire types in `raw`,
//! so that editors validate and complete the files as they are typed.
//!
//! Boundary: this module turns types into schema text and does nothing else:
//! it reads no file, writes no file and prints nothing (the `schema`
//! subcommand writes the text; `schemas/` holds the committed copies that the
//! shipped YAML files name in their first line, and a test keeps them equal
//! to what this module generates). A schema checks one file's shape: keys,
//! value types, the fixed words the loader accepts, dates and ids.
//!
//! [`schemas_for`] adds what a library knows to the case schema: each fact
//! id with its type and, for an enum fact, its values and their meanings;
//! the ruleset ids (and `ruleset@variant` readings) and jurisdiction ids of
//! `expect:`, and the party, element, fact and conclusion names its entries
//! list; anything else is refused (`additionalProperties: false`), so an
//! editor completes the names and marks a misspelt one. What the other
//! formats name across files (conditions, sources, a ruleset id matching its
//! file name) is still checked only by the loader.

use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde_json::{Map, Value, json};

use super::ids::Shape;
use super::raw::{
    BibliographyDoc, CaseDoc, JURISDICTIONS_KEY, JurisdictionsDoc, RulesetDoc, VocabularyDoc,
};
use crate::model::{FactDef, FactType, Library};

/// The case schema's file name.
const CASE: &str = "case.schema.json";

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

/// [`schemas`], with the case schema listing the names of `library`: its
/// facts (typed, an enum fact's values offered with their meanings), its
/// rulesets, readings and jurisdictions under `expect:`, and the parties,
/// elements, facts and conclusions an expectation may name. The committed
/// `schemas/` are these, for the shipped rules.
pub fn schemas_for(library: &Library) -> Vec<(&'static str, String)> {
    schemas()
        .into_iter()
        .map(|(name, text)| {
            if name != CASE {
                return (name, text);
            }
            let mut schema: Value = serde_json::from_str(&text).unwrap_or_default();
            with_vocabulary(&mut schema, library);
            (name, pretty(&schema))
        })
        .collect()
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
    (file, pretty(&schema.to_value()))
}

// Sorted, pretty-printed, ending in a newline.
fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(&sorted(value.clone())).unwrap_or_default();
    text.push('\n');
    text
}

/// Adds the library's names to a generated case schema (see [`schemas_for`]).
fn with_vocabulary(case: &mut Value, library: &Library) {
    let vocab = &library.vocabulary;
    let facts: Map<String, Value> = vocab
        .facts
        .values()
        .map(|f| (f.id.clone(), fact_schema(f)))
        .collect();
    if let Some(block) = case.pointer_mut("/properties/facts") {
        set(block, "properties", Value::Object(facts));
        set(block, "additionalProperties", false.into());
    }
    let parties: Vec<&String> = vocab.parties.keys().collect();
    let elements: Vec<&String> = vocab.elements.keys().collect();
    let fact_ids: Vec<&String> = vocab.facts.keys().collect();
    let rulesets: Vec<&String> = library.rulesets.iter().map(|r| &r.id).collect();
    for doc in ["ExpectDoc", "JurisdictionExpectDoc"] {
        for (field, names) in [
            ("authors", &parties),
            ("protected", &elements),
            ("not_protected", &elements),
            ("depends_on", &fact_ids),
        ] {
            let pointer = format!("/definitions/{doc}/properties/{field}");
            if let Some(list) = case.pointer_mut(&pointer) {
                set(list, "items", json!({ "enum": names }));
            }
        }
    }
    for pointer in [
        "/definitions/JurisdictionExpectDoc/properties/decided_by",
        "/definitions/DispositionDoc/properties/decided_by",
    ] {
        if let Some(field) = case.pointer_mut(pointer) {
            restrict(field, &rulesets);
        }
    }
    if let Some(block) = case.pointer_mut("/definitions/ExpectBlock") {
        expect_keys(block, library);
    }
}

/// One fact's schema: its type, `null` for "stated unknown", and its
/// description; an enum fact's values with their meanings.
fn fact_schema(fact: &FactDef) -> Value {
    let nullable = |ty: &str| json!([ty, "null"]);
    let mut schema = match &fact.ty {
        FactType::Bool => json!({ "type": nullable("boolean") }),
        FactType::Integer { min, max } => {
            let mut s = json!({ "type": nullable("integer") });
            if let Some(min) = min {
                set(&mut s, "minimum", (*min).into());
            }
            if let Some(max) = max {
                set(&mut s, "maximum", (*max).into());
            }
            s
        }
        FactType::Enum { values } => {
            let mut words: Vec<Value> = values.iter().map(|(v, _)| v.as_str().into()).collect();
            words.push(Value::Null);
            // `enumDescriptions` is not JSON Schema: editors (VS Code, the
            // YAML language server) show it beside each value offered.
            let mut meanings: Vec<Value> = values.iter().map(|(_, m)| m.trim().into()).collect();
            meanings.push("stated unknown".into());
            json!({ "enum": words, "enumDescriptions": meanings })
        }
        FactType::Date => json!({
            "type": nullable("string"),
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        }),
        FactType::Text => json!({ "type": nullable("string") }),
    };
    let mut description = format!(
        "{}\n\nAsked: {}",
        fact.description.trim(),
        fact.question.trim()
    );
    if let FactType::Enum { values } = &fact.ty {
        description.push('\n');
        for (value, meaning) in values {
            description.push_str(&format!("\n- {value}: {}", meaning.trim()));
        }
    }
    set(&mut schema, "description", description.into());
    schema
}

/// `expect:` keys: each ruleset id and `ruleset@variant` reading (its
/// `findings` offered from the ruleset's own conclusions), `jurisdictions`
/// with each jurisdiction id; nothing else.
fn expect_keys(block: &mut Value, library: &Library) {
    let mut keys = Map::new();
    for r in &library.rulesets {
        let conclusions: Vec<&String> = r.index.holders.keys().collect();
        let entry = |description: String| {
            json!({
                "allOf": [
                    { "$ref": "#/definitions/ExpectDoc" },
                    { "properties": { "findings": { "items": { "enum": conclusions } } } },
                ],
                "description": description,
            })
        };
        for v in &r.variants {
            let reading = entry(format!("{} — reading: {}", r.title, v.title));
            keys.insert(format!("{}@{}", r.id, v.id), reading);
        }
        keys.insert(r.id.clone(), entry(r.title.clone()));
    }
    let rows: Map<String, Value> = library
        .jurisdictions
        .iter()
        .map(|j| {
            let mut decided_by = json!({ "type": ["string", "null"] });
            let ranked: Vec<&String> = j.authorities.iter().map(|a| &a.ruleset).collect();
            restrict(&mut decided_by, &ranked);
            let row = json!({
                "allOf": [
                    { "$ref": "#/definitions/JurisdictionExpectDoc" },
                    { "properties": { "decided_by": decided_by } },
                ],
                "description": j.name,
            });
            (j.id.clone(), row)
        })
        .collect();
    let mut under = block
        .pointer_mut(&format!("/properties/{JURISDICTIONS_KEY}"))
        .map(Value::take)
        .unwrap_or_else(|| json!({ "type": "object" }));
    set(&mut under, "properties", Value::Object(rows));
    set(&mut under, "additionalProperties", false.into());
    keys.insert(JURISDICTIONS_KEY.to_string(), under);
    set(block, "properties", Value::Object(keys));
    set(block, "additionalProperties", false.into());
}

// A string (or optional string) field restricted to `names` (and `null`
// where the field may be null).
fn restrict(field: &mut Value, names: &[&String]) {
    let mut words: Vec<Value> = names.iter().map(|n| n.as_str().into()).collect();
    let nullable = field
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|types| types.iter().any(|t| t == "null"));
    if nullable {
        words.push(Value::Null);
    }
    set(field, "enum", words.into());
}

// Sets a key of a schema object (a schema is always one).
fn set(schema: &mut Value, key: &str, value: Value) {
    if let Some(map) = schema.as_object_mut() {
        map.insert(key.to_string(), value);
    }
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
