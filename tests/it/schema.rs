//! The JSON Schemas under `schemas/`: committed copies equal to what the
//! types generate, valid draft-7 schemas, accepting every shipped file (each
//! of which names its schema in its first line), rejecting malformed ones,
//! and offering only words the loader accepts.
//!
//! To regenerate the committed schemas after changing the wire types or the
//! vocabulary, rulesets or jurisdictions in `rules/`:
//! `AUTHORSHIP_WRITE_SCHEMAS=1 cargo test --test it schema::`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use authorship::load::{
    load_case, load_library, load_ruleset, load_vocabulary, schemas, schemas_for,
};
use authorship::model::FactType;

use crate::common;
use serde_json::{Value, json};

const SCHEMA_DIR: &str = "schemas";
const REGENERATE: &str = "AUTHORSHIP_WRITE_SCHEMAS=1 cargo test --test it schema::";

/// The schemas generated for the shipped rules.
fn generated_text() -> Vec<(&'static str, String)> {
    schemas_for(common::library())
}

/// The generated schemas by file name, as JSON.
fn generated() -> BTreeMap<&'static str, Value> {
    generated_text()
        .into_iter()
        .map(|(name, text)| (name, serde_json::from_str(&text).unwrap()))
        .collect()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"))
}

/// Every problem `schema` finds in `instance`, one per line.
fn problems(schema: &Value, instance: &Value) -> Vec<String> {
    validator(schema)
        .iter_errors(instance)
        .map(|e| format!("at `{}`: {e}", e.instance_path()))
        .collect()
}

/// YAML text as JSON, read with the loader's own YAML options (so `no`
/// stays a string, as in YAML 1.2 and in editors).
fn yaml_to_json(text: &str) -> Value {
    authorship::load::parse_yaml::<Value>(text).unwrap_or_else(|e| panic!("{}", e.message))
}

/// The schema each shipped file must name.
fn schema_for(path: &Path) -> &'static str {
    let name = path.file_name().unwrap().to_str().unwrap();
    match (path.parent().unwrap().to_str().unwrap(), name) {
        ("rules", "facts.yaml") => "facts.schema.json",
        ("rules", "jurisdictions.yaml") => "jurisdictions.schema.json",
        ("rules", "bibliography.yaml") => "bibliography.schema.json",
        ("rules", _) => "ruleset.schema.json",
        _ => "case.schema.json",
    }
}

#[test]
fn committed_schemas_match_the_types() {
    let generated = generated_text();
    if std::env::var("AUTHORSHIP_WRITE_SCHEMAS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(SCHEMA_DIR).unwrap();
        for (name, text) in &generated {
            std::fs::write(Path::new(SCHEMA_DIR).join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &generated {
        let path = Path::new(SCHEMA_DIR).join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "{} differ from the schemas the Rust types and the shipped rules generate; regenerate them with `{REGENERATE}` \
         (or `authorship schema --out schemas --force`) and commit the result",
        stale.join(", ")
    );
    let mut committed: Vec<String> = std::fs::read_dir(SCHEMA_DIR)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    committed.sort();
    let mut names: Vec<String> = generated.iter().map(|(n, _)| n.to_string()).collect();
    names.sort();
    assert_eq!(
        committed, names,
        "schemas/ holds only the generated schemas"
    );
}

#[test]
fn schemas_are_deterministic_draft7_schemas() {
    assert_eq!(schemas(), schemas());
    assert_eq!(generated_text(), generated_text());
    for (name, schema) in generated() {
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        assert_eq!(schema["$id"], name);
        assert!(schema["title"].is_string(), "{name} has a title");
        if let Err(e) = jsonschema::draft7::meta::validate(&schema) {
            panic!("{name} is not a valid draft-7 schema: {e}");
        }
    }
}

#[test]
fn every_shipped_file_names_and_satisfies_its_schema() {
    let schemas = generated();
    let mut failures = Vec::new();
    for path in common::yaml_files("rules")
        .into_iter()
        .chain(common::yaml_files("cases"))
    {
        let schema_name = schema_for(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        let modeline = format!("# yaml-language-server: $schema=../schemas/{schema_name}");
        if text.lines().next() != Some(modeline.as_str()) {
            failures.push(format!(
                "{}: first line must be `{modeline}`",
                path.display()
            ));
        }
        for problem in problems(&schemas[schema_name], &yaml_to_json(&text)) {
            failures.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A shipped file of each kind, with `edit` applied to its JSON form.
fn shipped(path: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut value = yaml_to_json(&std::fs::read_to_string(path).unwrap());
    edit(&mut value);
    value
}

#[test]
fn malformed_files_are_rejected() {
    let schemas = generated();
    let facts = &schemas["facts.schema.json"];
    let ruleset = &schemas["ruleset.schema.json"];
    let jurisdictions = &schemas["jurisdictions.schema.json"];
    let case = &schemas["case.schema.json"];
    let rules = "rules/us-copyright-office.yaml";
    let samples: Vec<(&str, &Value, Value)> = vec![
        (
            "unknown top-level key in a ruleset",
            ruleset,
            shipped(rules, |v| v["summry"] = json!("typo")),
        ),
        (
            "unknown key in a rule",
            ruleset,
            shipped(rules, |v| v["rules"][0]["becuase"] = json!("typo")),
        ),
        (
            "binding not one of the words",
            ruleset,
            shipped(rules, |v| v["binding"] = json!("binding")),
        ),
        (
            "authority kind not one of the words",
            ruleset,
            shipped(rules, |v| v["authority"]["kind"] = json!("parliament")),
        ),
        (
            "confidence not a tag",
            ruleset,
            shipped(rules, |v| v["rules"][0]["confidence"] = json!("high")),
        ),
        (
            "answer not yes or no",
            ruleset,
            shipped(rules, |v| v["rules"][0]["answer"] = json!("maybe")),
        ),
        (
            "issue without answer",
            ruleset,
            shipped(rules, |v| {
                v["rules"][0].as_object_mut().unwrap().remove("answer");
            }),
        ),
        (
            "malformed date",
            ruleset,
            shipped(rules, |v| v["in_force"] = json!({"from": "21 Feb 2023"})),
        ),
        (
            "then concludes nothing",
            ruleset,
            shipped(rules, |v| v["rules"][0]["then"] = json!({"protected": []})),
        ),
        (
            "rule with neither quote nor interpretation",
            ruleset,
            shipped(rules, |v| {
                let rule = v["rules"][0].as_object_mut().unwrap();
                rule.remove("quote");
                rule.remove("interpretation");
            }),
        ),
        (
            "missing required key",
            ruleset,
            shipped(rules, |v| {
                v.as_object_mut().unwrap().remove("sources");
            }),
        ),
        (
            "unknown fact type",
            facts,
            json!({"facts": {"f": {"type": "boolean", "description": "d", "question": "q"}},
                   "elements": {}, "parties": {}}),
        ),
        (
            "enum fact without values",
            facts,
            json!({"facts": {"f": {"type": "enum", "description": "d", "question": "q"}},
                   "elements": {}, "parties": {}}),
        ),
        (
            "min on a bool fact",
            facts,
            json!({"facts": {"f": {"type": "bool", "min": 1, "description": "d", "question": "q"}},
                   "elements": {}, "parties": {}}),
        ),
        (
            "fact id not lower_snake_case",
            facts,
            json!({"facts": {"Bad-Id": {"type": "bool", "description": "d", "question": "q"}},
                   "elements": {}, "parties": {}}),
        ),
        (
            "unknown key in a jurisdiction",
            jurisdictions,
            json!({"jurisdictions": [{"id": "US", "name": "n", "authorities": [], "rank": 1}]}),
        ),
        (
            "verdict not one of the words",
            case,
            shipped("cases/li-v-liu.yaml", |v| {
                v["expect"] = json!({"r": {"verdict": "copyrighted", "basis": "decision"}});
            }),
        ),
        (
            "basis not one of the words",
            case,
            shipped("cases/li-v-liu.yaml", |v| {
                v["expect"] = json!({"r": {"verdict": "protected", "basis": "guess"}});
            }),
        ),
        (
            "a row's verdict not one of the words",
            case,
            shipped("cases/li-v-liu.yaml", |v| {
                v["expect"]["jurisdictions"] =
                    json!({"CN": {"verdict": "copyrighted", "basis": "prediction"}});
            }),
        ),
        (
            "undetermined among the possible verdicts",
            case,
            shipped("cases/li-v-liu.yaml", |v| {
                v["expect"]["jurisdictions"] = json!({"CN": {
                    "verdict": "undetermined", "possible": ["protected", "undetermined"],
                    "basis": "prediction"}});
            }),
        ),
        (
            "findings on a jurisdiction row",
            case,
            shipped("cases/li-v-liu.yaml", |v| {
                v["expect"]["jurisdictions"] = json!({"UK": {
                    "verdict": "protected", "findings": ["cgw_term_50_years"],
                    "basis": "prediction"}});
            }),
        ),
        (
            "decimal fact value",
            case,
            shipped("cases/li-v-liu.yaml", |v| v["facts"]["x"] = json!(1.5)),
        ),
        (
            "unknown key in a case",
            case,
            shipped("cases/li-v-liu.yaml", |v| v["fact"] = json!({})),
        ),
    ];
    for (what, schema, instance) in samples {
        assert!(
            !problems(schema, &instance).is_empty(),
            "the schema accepts a file with {what}"
        );
    }
}

/// A scratch directory for files the loader reads.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("authorship-schema-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The `enum` of the property at `pointer` (a JSON pointer into the schema).
fn words(schema: &Value, pointer: &str) -> Vec<String> {
    let words = schema
        .pointer(pointer)
        .and_then(|p| p["enum"].as_array())
        .unwrap_or_else(|| panic!("no enum at {pointer}"));
    words
        .iter()
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_word_a_schema_offers_is_accepted_by_the_loader() {
    let schemas = generated();
    let scratch = Scratch::new("words");

    let mut vocabulary = String::from("facts:\n");
    for ty in words(
        &schemas["facts.schema.json"],
        "/definitions/FactDoc/properties/type",
    ) {
        vocabulary.push_str(&format!(
            "  f_{ty}:\n    type: {ty}\n    description: d\n    question: q\n"
        ));
        if ty == "enum" {
            vocabulary.push_str("    values: {a: the first value}\n");
        }
    }
    vocabulary.push_str("elements: {work: {description: d}}\nparties: {human: {description: d}}\n");
    vocabulary.push_str("issues: {prompts_suffice: {question: q}}\n");
    let vocab_path = scratch.write("facts.yaml", &vocabulary);
    let vocab = load_vocabulary(&vocab_path).unwrap_or_else(|e| panic!("{e:?}"));

    let ruleset = &schemas["ruleset.schema.json"];
    let lists = [
        ("BINDING", words(ruleset, "/properties/binding")),
        (
            "KIND",
            words(ruleset, "/definitions/AuthorityDoc/properties/kind"),
        ),
        (
            "STATUS",
            words(ruleset, "/definitions/VariantDoc/properties/status"),
        ),
        (
            "CONF",
            words(ruleset, "/definitions/RuleDoc/properties/confidence"),
        ),
        (
            "ANSWER",
            words(ruleset, "/definitions/RuleDoc/properties/answer"),
        ),
    ];
    let template = "id: schema-words
title: t
jurisdiction: XX
authority: {name: n, kind: KIND}
binding: BINDING
decided: 2020-01-01
summary: s
sources: [{id: s1, title: t, citation: c}]
limits: [{text: t, source: s1, pinpoint: p, confidence: CONF}]
variants:
  - {id: v1, title: t, status: STATUS, summary: s, source: s1, pinpoint: p, confidence: CONF}
rules:
  - id: r1
    title: t
    when: f_bool
    then: {protected: [work], author: [human]}
    because: b
    source: s1
    pinpoint: p
    interpretation: i
    confidence: CONF
    issue: prompts_suffice
    answer: ANSWER
";
    for (placeholder, list) in &lists {
        for word in list {
            let mut text = template.replace(placeholder, word);
            for (other, others) in &lists {
                text = text.replace(other, &others[0]);
            }
            let path = scratch.write("schema-words.yaml", &text);
            if let Err(e) = load_ruleset(&path, &vocab) {
                panic!("the ruleset schema offers `{word}`, which the loader rejects: {e:?}");
            }
        }
    }

    let library = load_library(Path::new("rules")).unwrap_or_else(|e| panic!("{e:?}"));
    let ruleset_id = &library.rulesets[0].id;
    let case = &schemas["case.schema.json"];
    let verdicts = words(case, "/definitions/ExpectDoc/properties/verdict");
    let bases = words(case, "/definitions/ExpectDoc/properties/basis");
    let all: Vec<&str> = authorship::Verdict::ALL
        .iter()
        .map(|v| v.as_str())
        .collect();
    assert_eq!(
        verdicts, all,
        "the case schema offers every verdict, in order"
    );
    let possible = words(case, "/definitions/ExpectDoc/properties/possible/items");
    for word in &possible {
        let text = format!(
            "title: t\nsummary: s\nfacts: {{}}\nexpect:\n  {ruleset_id}: {{verdict: undetermined, possible: [{word}], basis: prediction}}\n  jurisdictions:\n    {}: {{verdict: undetermined, possible: [{word}], basis: prediction}}\n",
            library.jurisdictions[0].id
        );
        let path = scratch.write("case.yaml", &text);
        if let Err(e) = load_case(&path, &library) {
            panic!("the case schema offers the possible verdict `{word}`; the loader says {e:?}");
        }
    }
    for verdict in &verdicts {
        for basis in &bases {
            let text = format!(
                "title: t\nsummary: s\nfacts: {{}}\nexpect:\n  {ruleset_id}: {{verdict: {verdict}, basis: {basis}}}\n"
            );
            let path = scratch.write("case.yaml", &text);
            if let Err(e) = load_case(&path, &library) {
                panic!("the case schema offers `{verdict}`/`{basis}`; the loader says {e:?}");
            }
        }
    }
}

/// The committed case schema, as an editor reads it.
fn committed_case_schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string("schemas/case.schema.json").unwrap()).unwrap()
}

/// Issue 16: an editor validating a case against the committed schema
/// (as the YAML language server does with the case's first line) marks a
/// misspelt fact id, pointing at the key, and a value outside an enum
/// fact's values; the shipped cases pass.
#[test]
fn an_editor_marks_a_misspelt_fact_id_and_a_value_outside_an_enum() {
    let schema = committed_case_schema();
    let case = "cases/li-v-liu.yaml";
    assert_eq!(
        problems(&schema, &shipped(case, |_| {})),
        Vec::<String>::new()
    );
    let typo = shipped(case, |v| v["facts"]["post_edited_by_humn"] = json!(true));
    let found = problems(&schema, &typo);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("at `/facts`") && p.contains("post_edited_by_humn")),
        "{found:?}"
    );
    let library = common::library();
    let (id, _) = library
        .vocabulary
        .facts
        .iter()
        .find(|(_, f)| matches!(f.ty, FactType::Enum { .. }))
        .expect("an enum fact");
    let outside = shipped(case, |v| v["facts"][id] = json!("no_such_value"));
    let found = problems(&schema, &outside);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&format!("at `/facts/{id}`"))),
        "{found:?}"
    );
    for (what, edit) in [
        (
            "a misspelt ruleset",
            json!({"us-copyright-ofice": {"verdict": "protected", "basis": "prediction"}}),
        ),
        (
            "a misspelt jurisdiction",
            json!({"jurisdictions": {"XX": {"verdict": "protected", "basis": "prediction"}}}),
        ),
        (
            "a misspelt party",
            json!({"us-copyright-office": {"verdict": "protected", "authors": ["humn"], "basis": "prediction"}}),
        ),
        (
            "a misspelt conclusion",
            json!({"us-copyright-office": {"verdict": "protected", "findings": ["no_such_finding"], "basis": "prediction"}}),
        ),
    ] {
        let wrong = shipped(case, |v| v["expect"] = edit);
        assert!(
            !problems(&schema, &wrong).is_empty(),
            "the schema accepts {what}"
        );
    }
}

/// The case schema offers every fact id with its type, and an enum fact's
/// values in declared order (with `null`, "stated unknown").
#[test]
fn the_case_schema_lists_the_vocabulary() {
    let schema = committed_case_schema();
    let library = common::library();
    let facts = &schema["properties"]["facts"];
    assert_eq!(facts["additionalProperties"], json!(false));
    let listed: Vec<&String> = facts["properties"].as_object().unwrap().keys().collect();
    let known: Vec<&String> = library.vocabulary.facts.keys().collect();
    assert_eq!(listed, known);
    for (id, fact) in &library.vocabulary.facts {
        let offered = &facts["properties"][id];
        assert!(
            offered["description"]
                .as_str()
                .unwrap()
                .contains(&fact.description),
            "{id}"
        );
        if let FactType::Enum { values } = &fact.ty {
            let mut words: Vec<Value> = values.iter().map(|(v, _)| json!(v)).collect();
            words.push(Value::Null);
            assert_eq!(offered["enum"], Value::Array(words), "{id}");
        }
    }
    let expect = &schema["definitions"]["ExpectBlock"]["properties"];
    for r in &library.rulesets {
        assert!(
            expect[&r.id].is_object(),
            "{} not offered under expect",
            r.id
        );
    }
}
