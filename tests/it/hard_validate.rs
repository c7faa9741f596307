//! Issue 15, validation (items 15, 19 and 20): ids and enum values are
//! ASCII identifiers, refused where they are written; `coverage --min` is a
//! percentage; a byte-order mark is allowed only before a document; a
//! leading zero gets words of its own; a JSON Lines record may start the
//! input with a byte-order mark; and the web API refuses duplicate JSON keys
//! as `batch` does.

use authorship::batch::Engine;
use authorship::eval::Context;
use authorship::load::LoadErrors;
use authorship::model::{Case, Library};
use serde_json::Value;

use crate::common::{self, run, stderr};
use crate::properties::TempDir;

/// A vocabulary whose `human` has five impostors: a Cyrillic `а`, an empty
/// value, a trailing space, an escape and a right-to-left override.
const HOSTILE_VALUES: &str = r#"facts:
  claimed_author_kind:
    type: enum
    values:
      human: a natural person
      humаn: a look-alike with a Cyrillic a
      "": nothing at all
      "human ": a trailing space
      "e\x1b[2Jvil": an escape that clears the screen
      "bi\u202Edi": a right-to-left override
    description: Who is named as the author.
    question: Who is named as the author?
elements:
  work: {description: The work.}
parties:
  person: {description: A person.}
"#;

/// A small valid vocabulary for the rulesets below.
const FACTS: &str = r#"facts:
  made_by_person: {type: bool, description: A person made it., question: Did a person make it?}
  rounds: {type: integer, description: Rounds., question: How many rounds?}
  note: {type: text, description: A note., question: Any note?}
elements:
  work: {description: The work.}
parties:
  person: {description: A person.}
"#;

/// The 1-based line and column (in characters) where `needle` starts.
fn position(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() as u64 + 1;
    (line, column)
}

/// Every error as `file:line:column message`.
fn located(errors: &LoadErrors) -> Vec<String> {
    errors
        .iter()
        .map(|e| format!("{}:{}:{} {}", e.file.display(), e.line, e.column, e.kind))
        .collect()
}

/// Asserts that one error sits at `needle`'s place in `text` and its
/// message contains `words`.
fn refused_at(errors: &[String], file: &str, text: &str, needle: &str, words: &str) {
    let (line, column) = position(text, needle);
    let at = format!("{file}:{line}:{column} ");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&at) && e.contains(words)),
        "no error at {at}containing `{words}` among:\n{}",
        errors.join("\n")
    );
}

/// Issue 15 item 15: enum values of the vocabulary are ASCII identifiers.
/// A Cyrillic look-alike, an empty value, a trailing space, an escape and
/// a bidi override are each refused by `check` at their line and column,
/// with the hidden character shown.
#[test]
fn check_refuses_enum_values_that_are_not_ascii_identifiers() {
    let dir = TempDir::new("hard-validate-values");
    let rules = dir.path().join("rules");
    let cases = dir.path().join("cases");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(rules.join("facts.yaml"), HOSTILE_VALUES).unwrap();
    let o = run(&[
        "check",
        "--strict",
        "--rules",
        rules.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let file = rules.join("facts.yaml");
    for (needle, shown) in [
        ("humаn:", "hum\\u{430}n"),
        ("\"\":", "is empty"),
        ("\"human \":", "a space"),
        ("\"e\\x1b", "\\u{1b}"),
        ("\"bi\\u202E", "\\u{202e}"),
    ] {
        let (line, column) = position(HOSTILE_VALUES, needle);
        let at = format!("{}:{line}:{column}", file.display());
        let block = err
            .split("\n\n")
            .find(|b| b.contains(&at))
            .unwrap_or_else(|| panic!("no error at {at}:\n{err}"));
        assert!(block.contains("E010"), "{block}");
        assert!(block.contains("not a valid enum value"), "{block}");
        assert!(block.contains(shown), "`{shown}` not in:\n{block}");
    }
    // Nothing raw reaches the terminal.
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err}"
    );
}

/// Issue 15 item 15: the ids a ruleset and the jurisdictions file define —
/// ruleset, rule, source, variant and jurisdiction ids, and conclusion
/// names — are ASCII identifiers, each refused at its line and column; the
/// shipped library keeps loading.
#[test]
fn ids_that_are_not_ascii_identifiers_are_refused_where_written() {
    let ruleset = r#"id: Court
title: A court
jurisdiction: US
authority: {name: A court, kind: court}
binding: persuasive_decision
in_force: {from: 2024-01-01}
summary: S.
sources:
  - {id: "judg\u202Ement", title: J, citation: C}
variants:
  - id: "a reading"
    title: V
    status: proposal
    summary: S.
    source: "judg\u202Ement"
    pinpoint: p
    confidence: S1
rules:
  - id: "r\x1bone"
    title: R
    when: made_by_person
    then: {holds: "wоrk", protected: [work]}
    because: B.
    source: "judg\u202Ement"
    pinpoint: p
    quote: q
    confidence: P
"#;
    let jurisdictions = r#"jurisdictions:
  - id: "u s"
    name: Somewhere
    authorities:
      - {ruleset: Court, rank: 1}
"#;
    let errors = Library::from_sources([
        ("facts.yaml", FACTS),
        ("Court.yaml", ruleset),
        ("jurisdictions.yaml", jurisdictions),
    ])
    .map(|_| ())
    .expect_err("hostile ids must be refused");
    let errors = located(&errors);
    refused_at(
        &errors,
        "Court.yaml",
        ruleset,
        "Court",
        "not a valid ruleset id",
    );
    refused_at(
        &errors,
        "Court.yaml",
        ruleset,
        "\"judg",
        "not a valid source id",
    );
    refused_at(
        &errors,
        "Court.yaml",
        ruleset,
        "\"a reading\"",
        "not a valid variant id",
    );
    refused_at(&errors, "Court.yaml", ruleset, "\"r\\x1bone\"", "\\u{1b}");
    refused_at(&errors, "Court.yaml", ruleset, "\"wоrk\"", "w\\u{43e}rk");
    refused_at(
        &errors,
        "jurisdictions.yaml",
        jurisdictions,
        "\"u s\"",
        "not a valid jurisdiction id",
    );
    // Every shipped id already has the shape the loader now requires.
    assert!(!common::library().rulesets.is_empty());
}

/// Issue 15 item 15: a case that writes a look-alike of an enum value is
/// refused (as before), now with the hidden character shown.
#[test]
fn a_look_alike_value_in_a_case_is_shown_for_what_it_is() {
    let library = common::library();
    let text = "title: T\nsummary: S\nfacts:\n  claimed_author_kind: humаn\n";
    let errors = Case::from_source("case.yaml", text, library)
        .map(|_| ())
        .expect_err("a look-alike value is refused");
    let error = errors.iter().next().unwrap();
    let message = error.kind.to_string();
    assert_eq!((error.line, error.column), (4, 24), "{message}");
    assert!(message.contains("`hum\\u{430}n`"), "{message}");
}

/// Issue 15 item 15: the JSON Schemas say what the loader says: each id
/// the loader refuses is refused by the schema an editor validates with,
/// and the shipped ids are accepted.
#[test]
fn the_schemas_refuse_the_ids_the_loader_refuses() {
    let schemas: std::collections::BTreeMap<&str, Value> = authorship::load::schemas()
        .into_iter()
        .map(|(name, text)| (name, serde_json::from_str(&text).unwrap()))
        .collect();
    let shipped = |path: &str| {
        let text = std::fs::read_to_string(path).unwrap();
        authorship::load::parse_yaml::<Value>(&text).unwrap()
    };
    let valid = |schema: &str, value: &Value| {
        jsonschema::validator_for(&schemas[schema])
            .unwrap()
            .is_valid(value)
    };
    let ruleset = shipped("rules/it-lda.yaml");
    let facts = shipped("rules/facts.yaml");
    // Where in a file an id goes, and how to put one there.
    type Place<'a> = (&'a str, &'a Value, &'a str, fn(&mut Value, &str));
    let places: Vec<Place> = vec![
        ("ruleset.schema.json", &ruleset, "rule id", |v, id| {
            v["rules"][0]["id"] = id.into()
        }),
        ("ruleset.schema.json", &ruleset, "ruleset id", |v, id| {
            v["id"] = id.into()
        }),
        ("ruleset.schema.json", &ruleset, "source id", |v, id| {
            v["sources"][0]["id"] = id.into()
        }),
        ("ruleset.schema.json", &ruleset, "conclusion", |v, id| {
            v["rules"][0]["then"]["holds"] = id.into()
        }),
        ("facts.schema.json", &facts, "enum value", |v, id| {
            v["facts"]["claimed_author_kind"]["values"][id] = "a look-alike".into();
        }),
    ];
    for (schema, file, what, set) in &places {
        assert!(valid(schema, file), "{schema}: the shipped file");
        for id in ["humаn", "", "human ", "e\u{1b}vil", "bi\u{202e}di"] {
            let mut v = (*file).clone();
            set(&mut v, id);
            assert!(!valid(schema, &v), "{schema} accepts the {what} {id:?}");
        }
    }
}

/// Issue 15 item 19: `coverage --min` is a percentage from 0 to 100; NaN,
/// infinities, negatives and more than 100 are usage errors (exit 2).
#[test]
fn coverage_min_must_be_a_percentage() {
    for bad in ["NaN", "nan", "inf", "-inf", "-1", "100.5", "101", "abc"] {
        let o = run(&["coverage", &format!("--min={bad}")]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--min={bad}: {err}");
        assert!(err.contains("0 to 100"), "--min={bad}: {err}");
    }
    // A small library and no cases: the gate's answer does not matter here,
    // only that the value is taken.
    let cases = TempDir::new("hard-validate-coverage");
    for good in ["0", "100"] {
        let o = run(&[
            "coverage",
            "--min",
            good,
            "--rules",
            "tests/fixtures/eval",
            "--cases",
            cases.path().to_str().unwrap(),
        ]);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "--min {good}: {}",
            stderr(&o)
        );
    }
}

/// Issue 15 item 20: a byte-order mark is skipped before the document and
/// refused anywhere else, at its line and column (docs/limits.md).
#[test]
fn a_byte_order_mark_inside_a_value_is_refused_where_it_is() {
    let leading = format!("\u{feff}{FACTS}");
    assert!(Library::from_sources([("facts.yaml", leading.as_str())]).is_ok());
    let inside = FACTS.replace("A person made it.", "A person\u{feff} made it.");
    let errors = Library::from_sources([("facts.yaml", inside.as_str())])
        .map(|_| ())
        .expect_err("a byte-order mark inside a value must be refused");
    let errors = located(&errors);
    refused_at(
        &errors,
        "facts.yaml",
        &inside,
        "\u{feff}",
        "byte-order mark",
    );
    // Written as an escape, it is as invisible in the value.
    let escaped = FACTS.replace("A person made it.", r#""A person\uFEFF made it.""#);
    let errors = Library::from_sources([("facts.yaml", escaped.as_str())])
        .map(|_| ())
        .expect_err("an escaped byte-order mark must be refused");
    let errors = located(&errors);
    refused_at(
        &errors,
        "facts.yaml",
        &escaped,
        "\"A person",
        "byte-order mark",
    );
}

/// Issue 15 item 20: an integer with a leading zero (`007`, which YAML
/// readers disagree on) is refused in words that say so, and `7.0` is not
/// called `7`.
#[test]
fn a_leading_zero_gets_a_message_that_says_so() {
    let library = Library::from_sources([("facts.yaml", FACTS)]).unwrap();
    let message = |value: &str| {
        let text = format!("title: T\nsummary: S\nfacts:\n  rounds: {value}\n");
        let errors = Case::from_source("case.yaml", text, &library)
            .map(|_| ())
            .expect_err("refused");
        errors
            .iter()
            .map(|e| e.kind.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let zero = message("007");
    assert!(
        zero.contains("leading zero") && zero.contains("`7`") && zero.contains("`007`"),
        "{zero}"
    );
    let minus = message("-007");
    assert!(
        minus.contains("leading zero") && minus.contains("`-7`"),
        "{minus}"
    );
    let decimal = message("7.0");
    assert!(decimal.contains("`7.0`"), "{decimal}");
    let quoted = message("\"7\"");
    assert!(quoted.contains("without quotes"), "{quoted}");
    // A text fact keeps what was written.
    let text = "title: T\nsummary: S\nfacts:\n  note: 007\n";
    let case = Case::from_source("case.yaml", text, &library).unwrap();
    assert_eq!(
        case.facts.get("note"),
        Some(&authorship::model::FactValue::Str("007".to_string()))
    );
}

/// Issue 15 item 20: a JSON Lines input saved with a byte-order mark (as
/// Windows editors do) has its first record read; a mark before a later
/// record is refused in words that name it, not as "not an object".
#[test]
fn a_byte_order_mark_before_the_first_record_is_skipped() {
    let library = common::library();
    let engine = Engine::new(library, &[], Context::as_of(library.latest_date().unwrap())).unwrap();
    let mut work = engine.work();
    let record = "\u{feff}{\"facts\": {}}";
    let mut out = Vec::new();
    engine
        .record(1, record.as_bytes(), false, &mut work, &mut out)
        .unwrap_or_else(|e| panic!("line 1 with a byte-order mark: {e}"));
    let mut out = Vec::new();
    let later = engine
        .record(2, record.as_bytes(), false, &mut work, &mut out)
        .expect_err("a byte-order mark on line 2 is refused");
    assert!(later.contains("byte-order mark"), "{later}");
    assert!(!later.contains("must be an object"), "{later}");
}

/// Issue 15 item 20: the web API refuses a duplicate JSON key at every
/// level, as `batch` does and in its words, with a 400.
#[test]
fn the_api_refuses_duplicate_keys_like_batch() {
    let library = common::library();
    let app = authorship::web::App::new(library.clone(), Vec::new());
    let engine = Engine::new(library, &[], Context::as_of(library.latest_date().unwrap())).unwrap();
    let fact = "post_edited_by_human";
    let twice = format!("{{\"facts\": {{\"{fact}\": true, \"{fact}\": false}}}}");
    let mut work = engine.work();
    let mut out = Vec::new();
    let batch = engine
        .record(1, twice.as_bytes(), false, &mut work, &mut out)
        .expect_err("batch refuses a fact given twice");
    let error = |response: authorship::web::Response| {
        let value: Value = serde_json::from_slice(&response.body).unwrap();
        (
            response.status,
            value["error"].as_str().unwrap_or_default().to_string(),
        )
    };
    for path in ["/api/evaluate", "/api/explain"] {
        let (status, message) = error(app.handle("POST", path, twice.as_bytes()));
        assert_eq!(status, 400, "{path}: {message}");
        assert_eq!(message, batch, "{path}");
    }
    let top = br#"{"facts": {}, "facts": {"post_edited_by_human": true}}"#;
    let mut out = Vec::new();
    let batch = engine
        .record(1, top, false, &mut work, &mut out)
        .expect_err("batch refuses a field given twice");
    let (status, message) = error(app.handle("POST", "/api/evaluate", top));
    assert_eq!((status, message.as_str()), (400, batch.as_str()));
    assert!(batch.starts_with("`facts` is given twice"), "{batch}");
    let deep = br#"{"facts": {"post_edited_by_human": {"a": 1, "a": 2}}}"#;
    let (status, message) = error(app.handle("POST", "/api/evaluate", deep));
    assert_eq!(status, 400, "{message}");
    assert!(message.starts_with("`a` is given twice"), "{message}");
    let query = "/api/explain?ruleset=us-copyright-office&facts=%7B%22post_edited_by_human%22%3Atrue%2C%22post_edited_by_human%22%3Afalse%7D";
    let (status, message) = error(app.handle("GET", query, b""));
    assert_eq!(status, 400, "{message}");
    assert!(
        message.contains("fact `post_edited_by_human` is given twice"),
        "{message}"
    );
    // The same body without the duplicate is answered.
    let once = format!("{{\"facts\": {{\"{fact}\": true}}}}");
    assert_eq!(
        app.handle("POST", "/api/evaluate", once.as_bytes()).status,
        200
    );
}
