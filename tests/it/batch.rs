//! `authorship batch` and the library behind it (`authorship::batch`): batch
//! outcomes agree with `explain`/`compare`; output is in input order whatever
//! the threads and chunking; a bad record gets an error line naming its line
//! and the run goes on (or stops, with `--strict`); YAML streams; the
//! command's options, exit codes and stderr.

use crate::common::{self, run_with_stdin, stderr, stdout};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use authorship::batch::{self, BatchError, Engine, Format, MAX_RECORD_BYTES, Options, Stats};
use authorship::eval::Context;
use authorship::load::load_library;
use authorship::model::{FactType, FactValue, Facts, Library};
use authorship::syntax::Date;
use authorship::{DISCLAIMER, Evaluation, Verdict, compare, evaluate};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

// ───────────────────────────── helpers ─────────────────────────────

/// The shipped rules, loaded once.
fn shipped() -> &'static Library {
    common::library()
}

/// The evaluation fixtures: a vocabulary with integer, enum and date facts,
/// and a ruleset (`conflict`) whose rules contradict each other when both
/// `a` and `b` are true.
fn fixture() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| load_library(Path::new("tests/fixtures/eval")).unwrap())
}

fn latest(library: &Library) -> Date {
    library.latest_date().unwrap()
}

fn engine<'l>(library: &'l Library, only: &[&str], date: Date) -> Engine<'l> {
    let only: Vec<String> = only.iter().map(|s| s.to_string()).collect();
    Engine::new(library, &only, Context::as_of(date)).unwrap_or_else(|e| panic!("{e}"))
}

fn options(threads: usize, chunk_records: usize) -> Options {
    Options {
        threads,
        chunk_records,
        ..Options::default()
    }
}

/// One in-process run: the output, how it ended, and every progress report.
struct Run {
    out: String,
    result: Result<Stats, BatchError>,
    reports: Vec<Stats>,
}

impl Run {
    fn stats(&self) -> Stats {
        match &self.result {
            Ok(s) => *s,
            Err(e) => panic!("batch failed: {e}"),
        }
    }

    fn records(&self) -> Vec<Value> {
        parse_lines(&self.out)
    }
}

fn run(engine: &Engine<'_>, input: &[u8], options: &Options) -> Run {
    let mut input = input;
    let mut out = Vec::new();
    let mut reports = Vec::new();
    let result = batch::run(engine, &mut input, &mut out, options, &mut |s| {
        reports.push(*s)
    });
    Run {
        out: String::from_utf8(out).unwrap(),
        result,
        reports,
    }
}

fn parse_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// A fresh path under Cargo's scratch directory for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// The summary `batch` writes on stderr.
fn summary(patterns: u64, bad: u64, rulesets: usize, date: Date) -> String {
    format!(
        "batch: {patterns} patterns, {bad} bad, {rulesets} rulesets, law as of {date}. {DISCLAIMER}"
    )
}

/// What a batch outcome slot must hold for an evaluation: the verdict, the
/// verdicts still possible, authors, element statuses and the facts an open
/// verdict depends on, with empty lists and objects left out.
pub(super) fn slot_of(e: &Evaluation) -> Value {
    let mut slot = Map::new();
    slot.insert("verdict".into(), json!(e.verdict.as_str()));
    if !e.possible_verdicts.is_empty() {
        let possible: Vec<&str> = e.possible_verdicts.iter().map(|v| v.as_str()).collect();
        slot.insert("possible".into(), json!(possible));
    }
    if !e.authors.is_empty() {
        slot.insert("authors".into(), json!(e.authors));
    }
    if !e.elements.is_empty() {
        let elements: Map<String, Value> = e
            .elements
            .iter()
            .map(|el| (el.element.clone(), serde_json::to_value(el.status).unwrap()))
            .collect();
        slot.insert("elements".into(), Value::Object(elements));
    }
    if !e.depends_on.is_empty() {
        slot.insert("depends_on".into(), json!(e.depends_on));
    }
    Value::Object(slot)
}

/// The keys of a JSON object in the order written (serde_json's `Map`
/// sorts them).
fn keys_in_order(line: &str, of: &str) -> Vec<String> {
    let start = line.find(of).unwrap() + of.len();
    let mut keys = vec![];
    let mut depth = 0;
    let mut chars = line[start..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => break,
            '}' => depth -= 1,
            '"' => {
                let rest = &line[start + i + 1..];
                let end = rest.find('"').unwrap();
                if depth == 1 && rest[end + 1..].starts_with(':') {
                    keys.push(rest[..end].to_string());
                }
                for _ in 0..=end {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    keys
}

/// A valid value of a fact of type `ty`, chosen by `r`: JSON for the record
/// and the `FactValue` the library would read.
fn value(ty: &FactType, r: u64) -> (Value, FactValue) {
    match ty {
        FactType::Bool => (
            json!(r.is_multiple_of(2)),
            FactValue::Bool(r.is_multiple_of(2)),
        ),
        FactType::Enum { values } => {
            let v = &values[(r % values.len() as u64) as usize].0;
            (json!(v), FactValue::Str(v.clone()))
        }
        FactType::Integer { min, max } => {
            let lo = min.unwrap_or(-3);
            let hi = max.unwrap_or(lo + 9);
            let i = lo + (r % (hi - lo + 1) as u64) as i64;
            (json!(i), FactValue::Int(i))
        }
        FactType::Date => {
            let text = format!("{}-{:02}-{:02}", 2015 + r % 12, 1 + r % 12, 1 + r % 28);
            let date = Date::parse(&text).unwrap();
            (json!(text), FactValue::Date(date))
        }
        FactType::Text => {
            let text = format!("text \"{}\"", r % 7);
            (json!(text), FactValue::Str(text))
        }
    }
}

/// A fact pattern drawn from `draws` (one per fact of the vocabulary): a
/// quarter of the facts left out, a quarter given as `null` (unknown), the
/// rest a valid value. Returns the record's `facts` and the known facts.
fn pattern(library: &Library, draws: &[u64]) -> (Value, Facts) {
    let mut json = Map::new();
    let mut facts = BTreeMap::new();
    for ((name, def), r) in library.vocabulary.facts.iter().zip(draws) {
        match r % 4 {
            0 => {}
            1 => {
                json.insert(name.clone(), Value::Null);
            }
            _ => {
                let (j, v) = value(&def.ty, r >> 2);
                json.insert(name.clone(), j);
                facts.insert(name.clone(), v);
            }
        }
    }
    // A value stated for a fact that does not arise on the others is a
    // contradiction the batch rejects, like the loader (E011): leave such
    // facts out.
    let mut facts = Facts(facts);
    for fact in common::facts::drop_contradictions(&library.vocabulary, &mut facts) {
        json.remove(&fact);
    }
    (Value::Object(json), facts)
}

fn draws(library: &Library, seed: u64) -> Vec<u64> {
    (0..library.vocabulary.facts.len() as u64)
        .map(|i| common::Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i)).next())
        .collect()
}

/// What a corpus line should produce.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Pattern { id: Value },
    Bad,
}

/// `n` records over the shipped vocabulary, with a blank line after every
/// 17th record and a bad record (an unknown fact) every 500th; ids are
/// strings and integers in turn. Returns the text and each record's line.
fn corpus(library: &Library, n: u64) -> (String, Vec<(u64, Expect)>) {
    let mut text = String::new();
    let mut expect = vec![];
    let mut line = 0;
    for i in 0..n {
        line += 1;
        if i % 500 == 499 {
            text.push_str("{\"id\":\"bad\",\"facts\":{\"no_such_fact\":true}}\n");
            expect.push((line, Expect::Bad));
        } else {
            let id = if i % 2 == 0 {
                json!(format!("p{i}"))
            } else {
                json!(i)
            };
            let (facts, _) = pattern(library, &draws(library, i));
            text.push_str(&json!({"id": id, "facts": facts}).to_string());
            text.push('\n');
            expect.push((line, Expect::Pattern { id }));
        }
        if i % 17 == 16 {
            text.push('\n');
            line += 1;
        }
    }
    (text, expect)
}

// ─────────────────────── agreement with explain ───────────────────────

#[test]
fn every_shipped_case_gets_the_outcomes_of_explain_and_compare() {
    let library = shipped();
    let files = common::case_files();
    assert!(files.len() >= 30, "{} case files", files.len());
    let ids: Vec<&str> = library.rulesets.iter().map(|r| r.id.as_str()).collect();
    for path in &files {
        let path = path.to_str().unwrap();
        let case = common::case(path, library);
        // The case's own date, as `compare` and `explain` take it.
        let date = compare::as_of(&case, library, &compare::Options::default()).0;
        let ctx = Context::as_of(date);
        let engine = Engine::new(library, &[], ctx.clone()).unwrap();
        assert_eq!(engine.ruleset_ids(), ids);
        assert_eq!(engine.context(), &ctx);
        let record = json!({"id": path, "facts": case.facts});
        let r = run(
            &engine,
            format!("{record}\n").as_bytes(),
            &Options::default(),
        );
        let stats = r.stats();
        assert_eq!((stats.records, stats.errors), (1, 0), "{path}");
        let out = r.records();
        assert_eq!(out.len(), 1, "{path}: {}", r.out);
        assert_eq!(out[0]["line"], 1);
        assert_eq!(out[0]["id"], path);
        assert_eq!(keys_in_order(&r.out, "\"outcomes\":"), ids, "{path}");
        let comparison = compare::compare(&case, library, &compare::Options::default());
        for ruleset in &library.rulesets {
            let slot = &out[0]["outcomes"][&ruleset.id];
            match evaluate(ruleset, &library.vocabulary, &case.facts, &ctx) {
                Ok(e) => {
                    assert_eq!(slot, &slot_of(&e), "{path} under {}", ruleset.id);
                    let column = comparison.evaluation(&ruleset.id).unwrap();
                    assert_eq!(slot["verdict"], column.verdict.as_str());
                }
                Err(err) => assert_eq!(slot, &json!({ "error": err.to_string() })),
            }
        }
    }
}

#[test]
fn a_ruleset_whose_rules_conflict_gets_an_error_in_its_slot_only() {
    let library = fixture();
    let engine = engine(library, &[], latest(library));
    let input = concat!(
        "{\"id\":\"both\",\"facts\":{\"a\":true,\"b\":true}}\n",
        "{\"id\":\"one\",\"facts\":{\"a\":true,\"b\":false,\"c\":false,\"n\":3,\"k\":\"x\",\"d\":\"2019-12-31\"}}\n",
    );
    let r = run(&engine, input.as_bytes(), &Options::default());
    // A conflict is the ruleset's problem, not a bad record.
    assert_eq!(r.stats().errors, 0);
    let out = r.records();
    let conflict = out[0]["outcomes"]["conflict"]["error"].as_str().unwrap();
    assert!(
        conflict.contains("rules yes and no both apply") && conflict.contains("`one`"),
        "{conflict}"
    );
    assert_eq!(out[0]["outcomes"]["conflict"].as_object().unwrap().len(), 1);
    assert_eq!(out[0]["outcomes"]["semantics"]["verdict"], "undetermined");
    assert_eq!(out[1]["outcomes"]["conflict"]["verdict"], "protected");
    // Integer, enum and date facts are read: `n >= 3` makes `base` apply.
    let ctx = Context::as_of(latest(library));
    for (i, facts) in [
        vec![("a", "true"), ("b", "true")],
        vec![
            ("a", "true"),
            ("b", "false"),
            ("c", "false"),
            ("n", "3"),
            ("k", "x"),
            ("d", "2019-12-31"),
        ],
    ]
    .iter()
    .enumerate()
    {
        let mut f = Facts::default();
        for (name, v) in facts {
            authorship::model::set_fact(&library.vocabulary, &mut f, name, v).unwrap();
        }
        let ruleset = library.ruleset("semantics").unwrap();
        let e = evaluate(ruleset, &library.vocabulary, &f, &ctx).unwrap();
        assert_eq!(out[i]["outcomes"]["semantics"], slot_of(&e), "record {i}");
    }
    assert_eq!(
        out[1]["outcomes"]["semantics"]["authors"],
        json!(["person"])
    );
}

// ───────────────────────── order and threads ─────────────────────────

/// Records for the order test: 5,200 in an optimised build; in a debug one
/// (plain `cargo test`) 1,300, where the corpus is read three times over
/// 21 rulesets and took over ten minutes at full size. The property turns
/// on chunk boundaries, which 1,300 records still cross some 185 times at
/// 7 a chunk, with two bad records among them.
const ORDER_RECORDS: u64 = if cfg!(debug_assertions) { 1_300 } else { 5_200 };

#[test]
fn output_is_in_input_order_whatever_the_threads_and_chunks() {
    let library = shipped();
    let engine = engine(library, &[], latest(library));
    let (text, expect) = corpus(library, ORDER_RECORDS);
    let parallel = run(&engine, text.as_bytes(), &options(2, 7));
    let serial = run(&engine, text.as_bytes(), &options(1, 1000));
    assert!(
        parallel.out == serial.out,
        "2 threads × 7 differs from 1 × 1000"
    );
    // One record per chunk, more workers than cores: the first 1,000 lines.
    let cut = text.match_indices('\n').nth(999).unwrap().0 + 1;
    let tiny = run(&engine, &text.as_bytes()[..cut], &options(3, 1));
    assert!(serial.out.starts_with(&tiny.out) && tiny.out.lines().count() > 900);
    assert_eq!(tiny.reports.len() as u64, tiny.stats().records);

    let out = serial.records();
    assert_eq!(out.len(), expect.len());
    let mut last = 0;
    for (record, (line, want)) in out.iter().zip(&expect) {
        let n = record["line"].as_u64().unwrap();
        assert!(n > last, "line {n} after {last}");
        last = n;
        assert_eq!(n, *line);
        match want {
            Expect::Pattern { id } => {
                assert_eq!(&record["id"], id);
                assert_eq!(
                    record["outcomes"].as_object().unwrap().len(),
                    library.rulesets.len()
                );
            }
            Expect::Bad => {
                let msg = record["error"].as_str().unwrap();
                assert!(msg.contains("unknown fact `no_such_fact`"), "{msg}");
            }
        }
    }
    let bad = expect.iter().filter(|(_, e)| *e == Expect::Bad).count() as u64;
    for r in [&parallel, &serial] {
        let s = r.stats();
        assert_eq!((s.records, s.errors), (ORDER_RECORDS, bad));
        assert_eq!(s.bytes, text.len() as u64);
        // Progress after each chunk written, counts never going back, the
        // last report being the final count.
        assert_eq!(r.reports.last(), Some(&s));
        assert!(r.reports.windows(2).all(|w| w[0].records <= w[1].records));
    }
    assert!(
        parallel.reports.len() as u64 >= ORDER_RECORDS / 7,
        "{}",
        parallel.reports.len()
    );
    assert!(serial.reports.len() <= 6, "{}", serial.reports.len());
}

#[test]
fn cli_jobs_do_not_change_the_output() {
    let library = shipped();
    let (text, expect) = corpus(library, 1_000);
    let one = run_with_stdin(&["batch", "--jobs", "1"], text.as_bytes());
    let four = run_with_stdin(&["batch", "--jobs", "4"], text.as_bytes());
    // The corpus holds bad records: both ran through and rejected them.
    assert_eq!(one.status.code(), Some(65), "{}", stderr(&one));
    assert_eq!(four.status.code(), Some(65));
    assert!(one.stdout == four.stdout, "--jobs 1 and --jobs 4 differ");
    assert_eq!(stdout(&one).lines().count(), expect.len());
    // The same as in-process, with the latest encoded date by default.
    let engine = engine(library, &[], latest(library));
    assert_eq!(
        stdout(&one),
        run(&engine, text.as_bytes(), &Options::default()).out
    );
}

// ──────────────────────────── bad records ────────────────────────────

/// Good lines with bad ones between them; each bad line with a piece of
/// its expected message.
fn mixed_input() -> (String, Vec<(u64, Option<&'static str>)>) {
    let long = format!(
        "{{\"id\":\"long\",\"facts\":{{}},\"pad\":\"{}\"}}",
        "x".repeat(MAX_RECORD_BYTES)
    );
    let lines: Vec<(String, Option<Option<&'static str>>)> = vec![
        (
            r#"{"id":"g1","facts":{"human_wrote_prompts":true}}"#.into(),
            Some(None),
        ),
        (
            r#"{"id":"j","facts":{"human_wrote_prompts":tru}}"#.into(),
            Some(Some("expected ident (column 45)")),
        ),
        ("".into(), None),
        (
            r#"{"facts":{"human_wrote_promts":true}}"#.into(),
            Some(Some(
                "unknown fact `human_wrote_promts`; did you mean `human_wrote_prompts`?",
            )),
        ),
        (
            r#"{"facts":{"ai_named_as_author":"yes"}}"#.into(),
            Some(Some("`ai_named_as_author`")),
        ),
        ("   \t".into(), None),
        (
            r#"{"facts":{"ai_named_as_author":true,"ai_named_as_author":false}}"#.into(),
            Some(Some("fact `ai_named_as_author` is given twice")),
        ),
        (
            r#"{"facts":{},"extra":1}"#.into(),
            Some(Some("unknown field `extra`")),
        ),
        (long, Some(Some("record longer than 1048576 bytes"))),
        (
            r#"{"id":2,"facts":{"generation_rounds":4}}"#.into(),
            Some(None),
        ),
        (
            r#"{"facts":{"claimed_author_kind":"robot"}}"#.into(),
            Some(Some("`robot` is not a value of fact `claimed_author_kind`")),
        ),
        (
            r#"{"facts":{"generation_rounds":4.5}}"#.into(),
            Some(Some("cannot be a decimal number")),
        ),
        (
            r#"{"facts":{"generation_rounds":-1}}"#.into(),
            Some(Some("`generation_rounds`")),
        ),
        (
            r#"{"id":"no-facts"}"#.into(),
            Some(Some("missing field `facts`")),
        ),
        ("{\"id\":\"g3\",\"facts\":{}}\r".into(), Some(None)),
    ];
    let mut text = String::new();
    let mut expect = vec![];
    for (i, (line, e)) in lines.into_iter().enumerate() {
        text.push_str(&line);
        text.push('\n');
        if let Some(e) = e {
            expect.push((i as u64 + 1, e));
        }
    }
    (text, expect)
}

fn check_mixed(out: &[Value], expect: &[(u64, Option<&str>)]) {
    assert_eq!(out.len(), expect.len());
    for (record, (line, bad)) in out.iter().zip(expect) {
        assert_eq!(record["line"], *line, "{record}");
        match bad {
            None => assert!(record["outcomes"].is_object(), "line {line}: {record}"),
            Some(want) => {
                let msg = record["error"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{record}"));
                assert!(msg.contains(want), "line {line}: {msg:?} lacks {want:?}");
                // The id too where it can be read (error_lines_carry_ids).
                let keys = record.as_object().unwrap().keys();
                assert!(
                    keys.into_iter()
                        .all(|k| ["line", "error", "id"].contains(&k.as_str())),
                    "{record}"
                );
            }
        }
    }
    assert_eq!(out[0]["id"], "g1");
    assert_eq!(out[out.len() - 1]["id"], "g3");
}

/// An error line carries the record's id wherever it can still be read
/// (issue 18: a bad record must be traceable after a shuffle): after a
/// reading error, a value error or a contradiction, whatever the order of
/// the keys and in YAML too; not where the record is not JSON or names two
/// ids.
#[test]
fn error_lines_carry_ids() {
    let library = shipped();
    let engine = engine(library, &[], latest(library));
    let cases: [(&str, Option<Value>); 7] = [
        (r#"{"id":"a","facts":{"nope":true}}"#, Some("a".into())),
        (r#"{"facts":{"nope":true},"id":7}"#, Some(7.into())),
        (
            r#"{"id":"v","facts":{"claimed_author_kind":"robot"}}"#,
            Some("v".into()),
        ),
        (r#"{"id":"x","facts":{},"extra":1}"#, Some("x".into())),
        (
            r#"{"id":"c","facts":{"automatic_process_material_in_work":false,"setup_choices":"free"}}"#,
            Some("c".into()),
        ),
        (r#"{"id":"t","facts":{"nope":tru}}"#, None),
        (r#"{"id":"d","id":"e","facts":{}}"#, None),
    ];
    for (line, want) in &cases {
        let r = run(&engine, format!("{line}\n").as_bytes(), &options(1, 1024));
        let out = r.records();
        assert_eq!(out.len(), 1, "{line}");
        assert!(out[0]["error"].is_string(), "{line}: {}", out[0]);
        assert_eq!(out[0].get("id"), want.as_ref(), "{line}: {}", out[0]);
    }
    // YAML: the record read, then refused.
    let yaml = Options {
        format: Format::Yaml,
        ..options(1, 1024)
    };
    let r = run(&engine, b"id: y\nfacts:\n  nope: true\n", &yaml);
    let out = r.records();
    assert_eq!(out[0]["id"], "y", "{}", out[0]);
    assert!(out[0]["error"].is_string());
}

/// `unique_ids`: a repeated id is refused on its line, naming the line of
/// the first, across chunks and threads; without it repeats pass.
#[test]
fn unique_ids_refuses_a_repeated_id_naming_the_first() {
    let library = shipped();
    let engine = engine(library, &[], latest(library));
    let mut input = String::new();
    for n in 0..50 {
        // Ids 0..25, then again: lines 26..50 repeat lines 1..25; and a
        // record with no id, twice, which is never a repeat.
        input.push_str(&format!("{{\"id\":\"p{}\",\"facts\":{{}}}}\n", n % 25));
    }
    input.push_str("{\"facts\":{}}\n{\"facts\":{}}\n");
    let unique = Options {
        unique_ids: true,
        ..options(2, 4)
    };
    let r = run(&engine, input.as_bytes(), &unique);
    let out = r.records();
    assert_eq!(out.len(), 52);
    for (n, record) in out.iter().enumerate() {
        let line = n + 1;
        if (26..=50).contains(&line) {
            let first = line - 25;
            assert_eq!(record["id"], format!("p{}", (line - 1) % 25), "{record}");
            assert_eq!(
                record["error"],
                format!(
                    "id \"p{}\" was given before, on line {first} (--unique-ids)",
                    (line - 1) % 25
                ),
                "{record}"
            );
        } else {
            assert!(record.get("outcomes").is_some(), "line {line}: {record}");
        }
    }
    assert_eq!(r.stats().errors, 25);
    // Without the option the same input passes whole.
    let r = run(&engine, input.as_bytes(), &options(2, 4));
    assert!(r.records().iter().all(|o| o.get("outcomes").is_some()));
}

#[test]
fn cli_unique_ids_exits_65_on_a_repeat_and_refuses_yaml() {
    let input = b"{\"id\":\"a\",\"facts\":{}}\n{\"id\":\"a\",\"facts\":{}}\n";
    let o = run_with_stdin(&["batch", "--unique-ids", "--jobs", "1"], input);
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    let out = parse_lines(&stdout(&o));
    assert_eq!(out.len(), 2);
    assert_eq!(out[1]["id"], "a");
    assert!(
        out[1]["error"].as_str().unwrap().contains("on line 1"),
        "{}",
        out[1]
    );
    // Without it, both pass.
    let o = run_with_stdin(&["batch", "--jobs", "1"], input);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // YAML documents are not checked: refused, not silently unchecked.
    let o = run_with_stdin(&["batch", "--unique-ids", "--yaml"], b"id: a\nfacts: {}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: --unique-ids checks JSON Lines"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

/// `Engine::verdicts` (verdicts as values, for embedders) gives each
/// record's verdicts exactly as its output line, and a bad record's id and
/// message as its error line.
#[test]
fn verdicts_as_values_equal_the_output_lines() {
    let library = shipped();
    let engine = engine(library, &[], latest(library));
    let (text, _) = mixed_input();
    let mut work = engine.work();
    let mut verdicts = Vec::new();
    let ids = engine.ruleset_ids();
    for (n, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let line_no = n as u64 + 1;
        let mut out = Vec::new();
        let written = engine.record(line_no, line.as_bytes(), false, &mut work, &mut out);
        let record: Value = serde_json::from_slice(&out).expect("one JSON line");
        match engine.verdicts(line_no, line.as_bytes(), &mut work, &mut verdicts) {
            Ok(id) => {
                assert!(written.is_ok(), "{line}");
                assert_eq!(json!(id_value(&id)), record["id"], "{line}");
                let shown: Vec<Value> = ids
                    .iter()
                    .map(|r| record["outcomes"][*r]["verdict"].clone())
                    .collect();
                let values: Vec<Value> = verdicts
                    .iter()
                    .map(|v| json!(v.as_ref().expect("evaluated").as_str()))
                    .collect();
                assert_eq!(values, shown, "{line}");
            }
            Err((id, message)) => {
                assert_eq!(written, Err(message.clone()), "{line}");
                assert_eq!(json!(id_value(&id)), record["id"], "{line}");
                assert_eq!(record["error"], message.as_str(), "{line}");
            }
        }
    }
}

/// An id as an output line writes it (`null` for none).
fn id_value(id: &batch::Id) -> Value {
    match id {
        batch::Id::None => Value::Null,
        batch::Id::Str(s) => json!(s),
        batch::Id::Int(i) => json!(i),
    }
}

#[test]
fn bad_records_get_an_error_line_and_the_run_goes_on() {
    let library = shipped();
    let engine = engine(library, &[], latest(library));
    let (text, expect) = mixed_input();
    let bad = expect.iter().filter(|(_, e)| e.is_some()).count() as u64;
    for opts in [options(1, 1024), options(2, 1), options(2, 3)] {
        let r = run(&engine, text.as_bytes(), &opts);
        let s = r.stats();
        assert_eq!((s.records, s.errors), (expect.len() as u64, bad));
        assert_eq!(s.bytes, text.len() as u64);
        check_mixed(&r.records(), &expect);
    }
    // The over-long line is not buffered: its output is the error alone.
    let r = run(&engine, text.as_bytes(), &Options::default());
    assert!(
        r.out.len() < MAX_RECORD_BYTES / 4,
        "{} bytes out",
        r.out.len()
    );
}

/// Bad records get their lines, the run goes through, and the exit is 65
/// (records rejected), not 1 (which says the output is not complete).
#[test]
fn cli_reports_bad_records_and_exits_65() {
    let library = shipped();
    let (text, expect) = mixed_input();
    let path = scratch("mixed.jsonl");
    std::fs::write(&path, &text).unwrap();
    let o = run_with_stdin(&["batch", path.to_str().unwrap(), "--jobs", "2"], b"");
    assert_eq!(o.status.code(), Some(65), "{}", stderr(&o));
    check_mixed(&parse_lines(&stdout(&o)), &expect);
    let bad = expect.iter().filter(|(_, e)| e.is_some()).count() as u64;
    let good = expect.len() as u64 - bad;
    let err = stderr(&o);
    let mut lines = err.lines();
    assert_eq!(
        lines.next(),
        Some(summary(good, bad, library.rulesets.len(), latest(library)).as_str())
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with(&format!("error: {bad} bad record")),
        "{err}"
    );
    assert_eq!(lines.next(), None, "{err}");

    // All good: exit 0.
    let o = run_with_stdin(&["batch"], b"{\"facts\":{}}\n\n{\"facts\":{}}\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2);
}

#[test]
fn strict_stops_at_the_first_bad_record_after_writing_those_before() {
    let library = shipped();
    let engine = engine(library, &["us-copyright-office"], latest(library));
    let mut text = String::new();
    for i in 1..=40 {
        if i == 26 {
            text.push_str("{\"facts\":{\"human_wrote_prompts\":1}}\n");
        } else if i == 30 {
            text.push_str("not json\n");
        } else {
            text.push_str(&format!("{{\"id\":{i},\"facts\":{{}}}}\n"));
        }
    }
    for opts in [options(1, 1024), options(2, 1), options(3, 4)] {
        let opts = Options {
            strict: true,
            ..opts
        };
        let r = run(&engine, text.as_bytes(), &opts);
        match &r.result {
            Err(BatchError::BadRecord { line, message }) => {
                assert_eq!(*line, 26);
                assert!(message.contains("`human_wrote_prompts`"), "{message}");
            }
            Err(e) => panic!("{e}"),
            Ok(s) => panic!("strict run finished: {s:?}"),
        }
        let out = r.records();
        assert_eq!(out.len(), 25, "{opts:?}");
        for (i, record) in out.iter().enumerate() {
            assert_eq!(record["id"], i as u64 + 1);
            assert_eq!(record["line"], i as u64 + 1);
        }
    }
    // Without --strict the same input runs to the end.
    let r = run(&engine, text.as_bytes(), &Options::default());
    assert_eq!(r.stats().errors, 2);
    assert_eq!(r.records().len(), 40);

    let path = scratch("strict.jsonl");
    std::fs::write(&path, &text).unwrap();
    let file = path.to_str().unwrap();
    let o = run_with_stdin(
        &[
            "batch",
            file,
            "--strict",
            "--ruleset",
            "us-copyright-office",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(parse_lines(&stdout(&o)).len(), 25);
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("error: {file}:26: fact `human_wrote_prompts`"))
            && err.trim_end().ends_with("(stopped: --strict)"),
        "{err}"
    );
    // On standard input the name is `<stdin>`.
    let o = run_with_stdin(&["batch", "--strict"], text.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: <stdin>:26: "),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 25);
}

#[test]
fn a_record_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
    let library = fixture();
    let engine = engine(library, &["semantics"], latest(library));
    let (head, tail) = ("{\"id\":\"", "\",\"facts\":{\"a\":true}}");
    let record = |len: usize| format!("{head}{}{tail}", "x".repeat(len - head.len() - tail.len()));
    let text = format!(
        "{}\n{}\n{}\n",
        record(MAX_RECORD_BYTES),
        record(MAX_RECORD_BYTES + 1),
        record(100)
    );
    let r = run(&engine, text.as_bytes(), &options(2, 1));
    let out = r.records();
    assert_eq!(out.len(), 3);
    assert_eq!(
        out[0]["id"].as_str().unwrap().len(),
        MAX_RECORD_BYTES - head.len() - tail.len()
    );
    assert!(out[0]["outcomes"]["semantics"].is_object());
    assert_eq!(out[1]["line"], 2);
    assert_eq!(
        out[1]["error"],
        format!("record longer than {MAX_RECORD_BYTES} bytes")
    );
    assert_eq!(out[2]["line"], 3);
    assert_eq!(out[2]["outcomes"], out[0]["outcomes"]);
    assert_eq!(r.stats().errors, 1);
}

#[test]
fn ids_are_echoed_as_given() {
    let library = fixture();
    let engine = engine(library, &["semantics"], latest(library));
    let text = concat!(
        "{\"id\":\"quote \\\" and \\u00e9 and \\\\\",\"facts\":{}}\n",
        "{\"facts\":{},\"id\":-7}\n",
        "{\"facts\":{}}\n",
        "{\"id\":9223372036854775807,\"facts\":{}}\n",
        "{\"id\":9223372036854775808,\"facts\":{}}\n",
        "{\"id\":true,\"facts\":{}}\n",
        "{\"id\":\"x\",\"id\":\"y\",\"facts\":{}}\n",
    );
    let r = run(&engine, text.as_bytes(), &Options::default());
    let out = r.records();
    assert_eq!(out[0]["id"], "quote \" and é and \\");
    assert_eq!(out[1]["id"], -7);
    assert!(out[2].get("id").is_none(), "{}", out[2]);
    assert_eq!(out[3]["id"], i64::MAX);
    assert!(out[4]["error"].as_str().unwrap().contains("out of range"));
    assert!(out[5]["error"].as_str().unwrap().contains("id"));
    assert!(
        out[6]["error"]
            .as_str()
            .unwrap()
            .contains("`id` is given twice")
    );
    assert_eq!(r.stats().errors, 3);
}

/// The exit-code contract a cluster job relies on: rules that do not load
/// exit 1 with no output (the job must fail), where bad records exit 65
/// with every record's line written (`cli_reports_bad_records_and_exits_65`).
#[test]
fn a_rules_directory_that_does_not_load_exits_1_with_no_output() {
    let dir = scratch("broken-rules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("facts.yaml"), "facts: [\n").unwrap();
    let o = run_with_stdin(
        &["batch", "--rules", dir.to_str().unwrap()],
        br#"{"id":"g","facts":{}}"#,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).contains("facts.yaml"), "{}", stderr(&o));
}

#[test]
fn an_unknown_ruleset_is_an_error() {
    let library = shipped();
    match Engine::new(
        library,
        &["nope".to_string()],
        Context::as_of(latest(library)),
    ) {
        Err(BatchError::UnknownRuleset(id)) => assert_eq!(id, "nope"),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("an engine for an unknown ruleset"),
    }
    let o = run_with_stdin(
        &[
            "batch",
            "--ruleset",
            "us-copyright-office",
            "--ruleset",
            "nope",
        ],
        b"{\"facts\":{}}\n",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(stderr(&o).contains("no ruleset `nope`"), "{}", stderr(&o));
}

// ──────────────────────────────── YAML ────────────────────────────────

const YAML: &str = "\
id: first
facts:
  ai_named_as_author: true
---
# the second document starts here, at line 5
id: second
facts:
  ai_named_as_author: true
  ai_named_as_author: false
---
id: 3
facts: {human_wrote_prompts: true, generation_rounds: 4}
";

#[test]
fn yaml_documents_are_records_at_their_first_line() {
    let library = shipped();
    let engine = engine(library, &[], latest(library));
    let yaml = Options {
        format: Format::Yaml,
        ..Options::default()
    };
    for opts in [
        yaml.clone(),
        Options {
            threads: 2,
            chunk_records: 1,
            ..yaml.clone()
        },
    ] {
        let r = run(&engine, YAML.as_bytes(), &opts);
        let s = r.stats();
        assert_eq!((s.records, s.errors), (3, 1));
        let out = r.records();
        assert_eq!(out.len(), 3);
        assert_eq!(
            (&out[0]["line"], &out[0]["id"]),
            (&json!(1), &json!("first"))
        );
        assert_eq!(out[1]["line"], 5);
        let msg = out[1]["error"].as_str().unwrap();
        assert!(
            msg.contains("duplicate key `ai_named_as_author`") && msg.contains("line 9"),
            "{msg}"
        );
        assert_eq!((&out[2]["line"], &out[2]["id"]), (&json!(11), &json!(3)));
        // The same outcomes as the same facts in JSON Lines.
        let json = concat!(
            "{\"facts\":{\"ai_named_as_author\":true}}\n",
            "{\"facts\":{\"human_wrote_prompts\":true,\"generation_rounds\":4}}\n",
        );
        let j = run(&engine, json.as_bytes(), &Options::default()).records();
        assert_eq!(out[0]["outcomes"], j[0]["outcomes"]);
        assert_eq!(out[2]["outcomes"], j[1]["outcomes"]);
    }

    // The command reads `.yaml` and `.yml` files, and `--yaml` on stdin, as YAML.
    for name in ["stream.yaml", "stream.yml"] {
        let path = scratch(name);
        std::fs::write(&path, YAML).unwrap();
        let o = run_with_stdin(&["batch", path.to_str().unwrap()], b"");
        assert_eq!(o.status.code(), Some(65));
        let lines: Vec<u64> = parse_lines(&stdout(&o))
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [1, 5, 11], "{name}");
    }
    let o = run_with_stdin(&["batch", "--yaml", "-"], YAML.as_bytes());
    assert_eq!(parse_lines(&stdout(&o)).len(), 3);
    // Without `--yaml`, standard input is JSON Lines: every line is bad.
    let o = run_with_stdin(&["batch"], YAML.as_bytes());
    assert_eq!(o.status.code(), Some(65));
    let out = parse_lines(&stdout(&o));
    assert!(out.iter().all(|r| r.get("error").is_some()));
}

#[test]
fn yaml_many_documents_across_chunks_keep_their_lines() {
    let library = fixture();
    let engine = engine(library, &["semantics"], latest(library));
    let mut text = String::from("---\n");
    let mut lines = vec![];
    let mut line = 1;
    for i in 0..200 {
        lines.push(line + 1);
        text.push_str(&format!("id: {i}\nfacts:\n  a: {}\n---\n", i % 2 == 0));
        line += 4;
        if i % 10 == 0 {
            text.push_str("# a comment-only document\n---\n");
            line += 2;
        }
    }
    let yaml = |threads, chunk_records| Options {
        format: Format::Yaml,
        threads,
        chunk_records,
        ..Options::default()
    };
    let a = run(&engine, text.as_bytes(), &yaml(1, 1024));
    let b = run(&engine, text.as_bytes(), &yaml(3, 2));
    assert!(a.out == b.out);
    let out = a.records();
    let got: Vec<u64> = out.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(got, lines);
    assert!(out.iter().enumerate().all(|(i, r)| r["id"] == i as u64));
    assert_eq!(a.stats().errors, 0);
}

#[test]
fn yaml_document_on_the_marker_line_is_not_lost() {
    let library = fixture();
    let engine = engine(library, &["semantics"], latest(library));
    let yaml = Options {
        format: Format::Yaml,
        ..Options::default()
    };
    let r = run(
        &engine,
        b"--- {\"id\": \"inline\", \"facts\": {}}\n---\nid: b\nfacts: {}\n",
        &yaml,
    );
    let out = r.records();
    // Either evaluated or reported; never silently skipped.
    assert_eq!(out.len(), 2, "{}", r.out);
    assert_eq!(out[0]["line"], 1);
    assert_eq!(r.stats().records, 2);
}

// ──────────────────────────────── CLI ────────────────────────────────

#[test]
fn cli_reads_stdin_with_a_dash_or_no_argument_and_writes_with_o() {
    let library = shipped();
    let (text, expect) = corpus(library, 120);
    let engine = engine(library, &[], latest(library));
    let want = run(&engine, text.as_bytes(), &Options::default()).out;
    let none = run_with_stdin(&["batch"], text.as_bytes());
    let dash = run_with_stdin(&["batch", "-"], text.as_bytes());
    assert_eq!(stdout(&none), want);
    assert_eq!(stdout(&dash), want);
    assert_eq!(want.lines().count(), expect.len());

    let path = scratch("out.jsonl");
    let o = run_with_stdin(&["batch", "-o", path.to_str().unwrap()], text.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), want);
}

#[test]
fn cli_stderr_has_only_the_summary_when_piped() {
    let library = shipped();
    // Enough records for many chunks and more than 100 ms of work, so a
    // progress line would have been drawn had stderr been a terminal.
    let (text, _) = corpus(library, 1_500);
    let text: String = text
        .lines()
        .filter(|l| !l.contains("no_such_fact"))
        .map(|l| format!("{l}\n"))
        .collect();
    let records = text.lines().filter(|l| !l.is_empty()).count() as u64;
    let o = run_with_stdin(&["batch", "--jobs", "2"], text.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "{}\n",
            summary(records, 0, library.rulesets.len(), latest(library))
        )
    );
}

#[test]
fn cli_ruleset_restricts_the_outcomes_in_the_order_given() {
    let library = shipped();
    let case = common::case("cases/li-v-liu.yaml", library);
    let record = format!("{}\n", json!({"id": "li", "facts": case.facts}));
    let o = run_with_stdin(
        &[
            "batch",
            "--ruleset",
            "us-copyright-office",
            "--ruleset",
            "beijing-internet-court",
        ],
        record.as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(
        keys_in_order(&out, "\"outcomes\":"),
        ["us-copyright-office", "beijing-internet-court"]
    );
    let r = &parse_lines(&out)[0];
    assert_eq!(
        r["outcomes"]["beijing-internet-court"]["verdict"],
        "protected"
    );
    assert_eq!(
        r["outcomes"]["us-copyright-office"]["verdict"],
        "not_protected"
    );
    assert!(
        stderr(&o).starts_with(&summary(1, 0, 2, latest(library))),
        "{}",
        stderr(&o)
    );
}

#[test]
fn cli_takes_the_latest_encoded_date_unless_as_of_is_given() {
    let library = shipped();
    // A case whose own date changes its Korean outcome: before the first Korean guide (27 Dec 2023)
    // the Korean ruleset is not in force.
    let case = common::case("cases/suryast-us.yaml", library);
    let own = case.as_of.unwrap();
    let latest = latest(library);
    assert_ne!(own, latest);
    let kr = library.ruleset("kr-mcst").unwrap();
    let under = |d: Date| {
        evaluate(kr, &library.vocabulary, &case.facts, &Context::as_of(d))
            .unwrap()
            .verdict
    };
    assert_ne!(
        under(own),
        under(latest),
        "the test needs dates that matter"
    );
    let record = format!("{}\n", json!({"facts": case.facts}));

    let o = run_with_stdin(&["batch", "--ruleset", "kr-mcst"], record.as_bytes());
    let out = parse_lines(&stdout(&o));
    assert_eq!(
        out[0]["outcomes"]["kr-mcst"]["verdict"],
        under(latest).as_str()
    );
    assert!(stderr(&o).starts_with(&summary(1, 0, 1, latest)));

    let date = own.to_string();
    let o = run_with_stdin(
        &["batch", "--ruleset", "kr-mcst", "--as-of", &date],
        record.as_bytes(),
    );
    let out = parse_lines(&stdout(&o));
    assert_eq!(
        out[0]["outcomes"]["kr-mcst"]["verdict"],
        under(own).as_str()
    );
    assert!(stderr(&o).starts_with(&summary(1, 0, 1, own)));
}

#[test]
fn cli_explain_adds_what_explain_json_says() {
    let library = shipped();
    let date = latest(library).to_string();
    let files = common::case_files();
    let mut input = String::new();
    for path in &files {
        let case = common::case(path.to_str().unwrap(), library);
        input.push_str(&json!({"id": path.to_str().unwrap(), "facts": case.facts}).to_string());
        input.push('\n');
    }
    let o = run_with_stdin(&["batch", "--explain", "--as-of", &date], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = parse_lines(&stdout(&o));
    assert_eq!(out.len(), files.len());
    // Each case against one ruleset in turn, so every ruleset is seen.
    for (i, (record, path)) in out.iter().zip(&files).enumerate() {
        let ruleset = &library.rulesets[i % library.rulesets.len()].id;
        let slot = &record["outcomes"][ruleset];
        let explanation = &slot["explanation"];
        assert_eq!(explanation["verdict"], slot["verdict"]);
        let e = run_with_stdin(
            &[
                "explain",
                path.to_str().unwrap(),
                "--ruleset",
                ruleset,
                "--as-of",
                &date,
                "--format",
                "json",
            ],
            b"",
        );
        assert!(e.status.success(), "{}", stderr(&e));
        let doc: Value = serde_json::from_str(&stdout(&e)).unwrap();
        assert_eq!(explanation["verdict"], doc["evaluation"]["verdict"]);
        assert_eq!(explanation, &doc["evaluation"], "{path:?} under {ruleset}");
    }
    // Without --explain there is none.
    let o = run_with_stdin(&["batch", "--as-of", &date], input.as_bytes());
    assert!(!stdout(&o).contains("\"explanation\""));
}

// ───────────────────────────── property ─────────────────────────────

/// Random patterns over `library`'s vocabulary, in one batch: each
/// ruleset's verdict (or conflict) is `eval::verdict`'s.
fn verdicts_agree(library: &Library, records: &[Vec<u64>]) -> Result<(), TestCaseError> {
    let ctx = Context::as_of(latest(library));
    let engine = Engine::new(library, &[], ctx.clone()).unwrap();
    let mut text = String::new();
    let mut patterns = vec![];
    for (i, draws) in records.iter().enumerate() {
        let (json, facts) = pattern(library, draws);
        text.push_str(&json!({"id": i, "facts": json}).to_string());
        text.push('\n');
        patterns.push(facts);
    }
    let r = run(&engine, text.as_bytes(), &options(2, 3));
    prop_assert_eq!(r.stats().errors, 0, "{}", r.out);
    let out = r.records();
    prop_assert_eq!(out.len(), patterns.len());
    for (record, facts) in out.iter().zip(&patterns) {
        for ruleset in &library.rulesets {
            let slot = &record["outcomes"][&ruleset.id];
            match authorship::eval::verdict(ruleset, &library.vocabulary, facts, &ctx) {
                Ok(v) => prop_assert_eq!(&slot["verdict"], v.as_str(), "{}", ruleset.id),
                Err(e) => prop_assert_eq!(&slot["error"], &e.to_string()),
            }
            let undetermined = slot["verdict"] == Verdict::Undetermined.as_str();
            prop_assert_eq!(slot.get("possible").is_some(), undetermined, "{}", slot);
        }
    }
    Ok(())
}

fn records(library: &Library) -> impl Strategy<Value = Vec<Vec<u64>>> {
    let facts = library.vocabulary.facts.len();
    proptest::collection::vec(proptest::collection::vec(any::<u64>(), facts), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_patterns_get_eval_verdicts_under_the_shipped_rules(r in records(shipped())) {
        verdicts_agree(shipped(), &r)?;
    }

    #[test]
    fn random_patterns_get_eval_verdicts_with_every_fact_type(r in records(fixture())) {
        verdicts_agree(fixture(), &r)?;
    }
}

// ──────────────────────────── the guide ────────────────────────────

/// (info string, body) of every fenced block of `docs/batch.md`.
fn guide_blocks() -> Vec<(String, String)> {
    let text = std::fs::read_to_string("docs/batch.md").unwrap();
    let mut out = vec![];
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(info) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            out.push((info.to_string(), body.join("\n")));
        }
    }
    out
}

#[test]
fn every_batch_command_in_the_guide_gives_the_output_shown() {
    let blocks = guide_blocks();
    // Input files: blocks whose info string names one (`json file=NAME`).
    let mut files = BTreeMap::new();
    for (info, body) in &blocks {
        if let Some((_, name)) = info.split_once(" file=") {
            let path = scratch(&format!("guide-{name}"));
            std::fs::write(&path, format!("{body}\n")).unwrap();
            files.insert(name.to_string(), path.to_str().unwrap().to_string());
        }
    }
    let mut ran = 0;
    for (_, body) in blocks.iter().filter(|(i, _)| i == "console") {
        let mut lines: Vec<&str> = body.lines().collect();
        let command = lines.remove(0).strip_prefix("$ authorship ").unwrap();
        let code = match lines.last().and_then(|l| l.strip_prefix("[exit ")) {
            Some(c) => {
                let c: i32 = c.trim_end_matches(']').parse().unwrap();
                lines.pop();
                c
            }
            None => 0,
        };
        let args: Vec<&str> = command
            .split_whitespace()
            .map(|a| files.get(a).map_or(a, String::as_str))
            .collect();
        let o = run_with_stdin(&args, b"");
        let text = format!("{}{}", stdout(&o), stderr(&o));
        let got: Vec<&str> = text.trim_end().lines().map(str::trim_end).collect();
        assert_eq!(got, lines, "output of `authorship {command}`");
        assert_eq!(
            o.status.code(),
            Some(code),
            "exit of `authorship {command}`"
        );
        ran += 1;
    }
    assert!(ran >= 2, "{ran} commands in docs/batch.md");
    assert!(files.len() >= 2, "{files:?}");
}
