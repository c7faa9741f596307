//! Issue 15, budgets: what one evaluation may cost is bounded when the
//! ruleset is loaded (item 10), `batch --yaml` holds at most one record's
//! worth of an over-long document (item 8), and `compare` writes each case
//! before it reads the next, so its memory does not grow with the number
//! of cases (item 18).
//!
//! The hostile inputs are generated here, each within every limit that
//! existed before (`MAX_RULES`, `MAX_NODES`, `MAX_LENGTH`, `MAX_FILE_BYTES`).
//! Peak memory is read from the child's `/proc/PID/status` (`VmHWM`), and
//! compared between two runs of the same binary rather than against a
//! figure, so the test does not depend on the build or the allocator.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use authorship::load::{MAX_EVAL_COST, evaluation_cost, load_library};
use authorship::render::diagnostic::render_all;
use authorship::syntax::MAX_LENGTH;
use serde_json::Value;

use crate::common;
use crate::properties::TempDir;

// ───────────────────────────── helpers ─────────────────────────────

/// A ruleset `hostile` with these rules (each a `(id, when, then)`), and
/// the line of each rule's `- id:`.
fn ruleset(rules: &[(String, String, &str)]) -> (String, Vec<usize>) {
    let mut text = String::from(
        "id: hostile
title: Hostile ruleset
jurisdiction: XX
authority:
  name: Hostile authority
  kind: court
binding: persuasive_decision
in_force: {from: 2000-01-01}
summary: Generated within every limit on files and conditions.
sources:
  - id: src
    title: Source
    citation: Source v. Source
rules:
",
    );
    let mut lines = Vec::new();
    for (id, when, then) in rules {
        assert!(when.len() <= MAX_LENGTH, "{id}: {} bytes", when.len());
        lines.push(text.lines().count() + 1);
        text.push_str(&format!(
            "  - id: {id}
    title: A rule
    when: \"{when}\"
    then: {then}
    because: Because.
    source: src
    pinpoint: p. 1
    confidence: P
    interpretation: The encoder's.
"
        ));
    }
    (text, lines)
}

/// A rules directory with the shipped vocabulary and `hostile.yaml`.
fn rules_dir(tag: &str, ruleset: &str) -> TempDir {
    let dir = TempDir::new(tag);
    std::fs::copy("rules/facts.yaml", dir.path().join("facts.yaml")).unwrap();
    std::fs::write(dir.path().join("hostile.yaml"), ruleset).unwrap();
    dir
}

const PROTECTED: &str = "{protected: [generated_output]}";

/// The boolean facts of the shipped vocabulary.
fn booleans() -> Vec<String> {
    common::library()
        .vocabulary
        .facts
        .values()
        .filter(|f| matches!(f.ty, authorship::model::FactType::Bool))
        .map(|f| f.id.clone())
        .collect()
}

/// Many rules hold one conclusion and a few rules read it thousands of
/// times: every reading weighs every holder.
fn conclusion_fan_in() -> Vec<(String, String, &'static str)> {
    let facts = booleans();
    let mut rules: Vec<_> = (0..400)
        .map(|i| {
            let fact = facts.get(i % facts.len()).cloned().unwrap_or_default();
            (format!("h{i}"), fact, "{holds: x}")
        })
        .collect();
    let reads = vec!["@x"; 9_990].join(" or ");
    rules.extend((0..4).map(|i| (format!("reader{i}"), reads.clone(), PROTECTED)));
    rules
}

/// One integer fact compared with a thousand values: as many classes of
/// its values for the exact analysis to tell apart.
fn long_in_list() -> Vec<(String, String, &'static str)> {
    let values: Vec<String> = (0..1_000).map(|i| i.to_string()).collect();
    let when = format!("generation_rounds in [{}]", values.join(", "));
    vec![("many-values".to_string(), when, PROTECTED)]
}

/// Conditions nested 60 deep around a wide chain: the explanation carries
/// each sub-condition's text, so the chain's text 60 times over.
fn deep_explanation() -> Vec<(String, String, &'static str)> {
    let facts = booleans();
    let fact = |i: usize| facts.get(i % facts.len()).cloned().unwrap_or_default();
    let wide: Vec<String> = (0..1_500).map(fact).collect();
    let mut when = wide.join(" or ");
    for depth in 0..60 {
        let op = if depth % 2 == 0 { "and" } else { "or" };
        when = format!("{} {op} ({when})", fact(depth));
    }
    (0..12)
        .map(|i| (format!("deep{i}"), when.clone(), PROTECTED))
        .collect()
}

/// The peak resident memory of a running process, in KiB (0 once gone).
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Waits for `child`, reading its standard output, and returns the output
/// with the highest `VmHWM` seen while it ran (polled every millisecond:
/// the peak is monotonic, so the last reading before it exits is at most a
/// millisecond's growth short of the true one).
fn run_polled(mut child: Child) -> (Vec<u8>, u64) {
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).unwrap();
        out
    });
    let pid = child.id();
    let mut peak = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(peak_kib(pid));
        assert!(Instant::now() < deadline, "the child did not finish");
        std::thread::sleep(Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    (reader.join().unwrap(), peak)
}

// ───────────────────────────── item 10 ─────────────────────────────

/// Issue 15 item 10: a ruleset within every limit on files and conditions
/// could still cost seconds per evaluation (a conclusion read thousands of
/// times by rules that each weigh hundreds of holders; a fact compared with
/// a thousand values; conditions nested so that the explanation repeats
/// their text); each is now refused when it is loaded, at its heaviest
/// rule, with the limit and the figure.
#[test]
fn a_ruleset_too_costly_to_evaluate_is_refused_at_load() {
    let shapes = [
        ("conclusion fan-in", conclusion_fan_in()),
        ("long in-list", long_in_list()),
        ("deep explanation", deep_explanation()),
    ];
    for (shape, rules) in shapes {
        // The costliest rule: the fan-in's first reader, else the first.
        let heaviest = rules
            .iter()
            .position(|(id, ..)| id.starts_with("reader"))
            .unwrap_or(0);
        let (text, lines) = ruleset(&rules);
        assert!(text.len() < authorship::load::MAX_FILE_BYTES, "{shape}");
        let dir = rules_dir("budgets-cost", &text);
        let start = Instant::now();
        let errors = load_library(dir.path())
            .err()
            .unwrap_or_else(|| panic!("{shape}: loaded"));
        let elapsed = start.elapsed();
        let message = render_all(&errors);
        println!("{shape}: refused in {elapsed:.2?}\n{message}");
        let line = lines.get(heaviest).copied().unwrap_or_default();
        assert!(
            message.contains(&format!("hostile.yaml:{line}:")),
            "{shape}: not at the heaviest rule (line {line}): {message}"
        );
        assert!(
            message.contains("MAX_EVAL_COST") && message.contains(&MAX_EVAL_COST.to_string()),
            "{shape}: {message}"
        );
        assert_eq!(errors.0.len(), 1, "{shape}: {message}");
        assert!(elapsed < Duration::from_secs(20), "{shape}: {elapsed:?}");
    }
}

/// The bound leaves room: every shipped ruleset costs less than a tenth of
/// it (a guard against drift in either the rules or the estimate).
#[test]
fn the_shipped_rulesets_cost_a_tenth_of_the_bound() {
    let library = common::library();
    let mut costs: Vec<(u64, &str)> = library
        .rulesets
        .iter()
        .map(|r| (evaluation_cost(r, &library.vocabulary), r.id.as_str()))
        .collect();
    costs.sort_unstable();
    println!("{costs:?}");
    let (largest, id) = costs.last().copied().unwrap_or_default();
    assert!(largest > 0);
    assert!(
        largest.saturating_mul(10) < MAX_EVAL_COST,
        "{id} costs {largest}; the bound is {MAX_EVAL_COST}"
    );
}

// ───────────────────────────── item 8 ──────────────────────────────

/// Runs `batch --yaml` on `first`, a good document, and a filler of
/// comments, and returns the output lines and the child's peak memory in
/// KiB, read while the child waits for more input: the filler is larger
/// than a pipe holds, so once it is written the child has read both
/// documents.
fn batch_yaml(first: &[u8]) -> (Vec<Value>, u64) {
    let mut child = common::authorship()
        .args(["batch", "--yaml", "--ruleset", "eu-ai-act", "--jobs", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(first).unwrap();
    stdin
        .write_all(b"\n---\nid: good\nfacts: {generative_ai_used: true}\n---\n")
        .unwrap();
    // Comments only: a third document with nothing in it.
    let filler = "# filler\n".repeat(60_000);
    stdin.write_all(filler.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let peak = peak_kib(child.id());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, peak)
}

/// Issue 15 item 8: a YAML document of 16 MB in a batch stream was held
/// whole before it was refused. It is refused with an error record naming
/// its line, the next document is evaluated, and the reader holds no more
/// of it than one record's limit: the peak memory of the run grows by less
/// than a quarter of the document's size over a run whose first document
/// is small.
#[test]
fn an_over_long_yaml_document_is_refused_without_being_held() {
    let line = format!("# {}\n", "x".repeat(1_000));
    let huge = format!("id: huge\nfacts: {{}}\n{}", line.repeat(16_000));
    assert!(huge.len() > 16_000_000);
    let (records, big) = batch_yaml(huge.as_bytes());
    let (small_records, small) = batch_yaml(b"id: small\nfacts: {}\n");
    println!("peak: {big} KiB with a 16 MB document, {small} KiB without");
    assert_eq!(records.len(), 2, "{records:?}");
    let error = records[0]["error"].as_str().unwrap_or_default();
    assert!(error.contains("longer than"), "{records:?}");
    assert_eq!(records[0]["line"], 1, "{records:?}");
    assert_eq!(records[1]["id"], "good", "{records:?}");
    assert!(records[1]["outcomes"].is_object(), "{records:?}");
    assert_eq!(small_records.len(), 2, "{small_records:?}");
    assert!(big > 0 && small > 0);
    assert!(
        big.saturating_sub(small) < 4_000,
        "the run grew by {} KiB for a 16 MB document",
        big.saturating_sub(small)
    );
}

// ───────────────────────────── item 18 ─────────────────────────────

/// `n` copies of a case in a directory of their own, and their paths.
fn case_copies(dir: &Path, n: usize) -> Vec<PathBuf> {
    let text = std::fs::read_to_string("cases/hypo-bare-prompt.yaml").unwrap();
    // Without its `expect:` block, which names rulesets this library lacks.
    let facts = text.split("\nexpect:").next().unwrap_or_default();
    (0..n)
        .map(|i| {
            let path = dir.join(format!("case-{i:04}.yaml"));
            std::fs::write(&path, format!("{facts}\n")).unwrap();
            path
        })
        .collect()
}

/// `compare --format json` over `n` cases: the cases in the output and the
/// child's peak memory in KiB.
fn compare_json(rules: &Path, n: usize) -> (usize, u64) {
    let dir = TempDir::new("budgets-compare-cases");
    let cases = case_copies(dir.path(), n);
    let child = common::authorship()
        .args(["compare", "--format", "json", "--rules"])
        .arg(rules)
        .args(&cases)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (out, peak) = run_polled(child);
    let doc: Value = serde_json::from_slice(&out).expect("one JSON document");
    let count = doc["cases"].as_array().map_or(0, Vec::len);
    (count, peak)
}

/// Issue 15 item 18: `compare` kept every case's comparison (each with its
/// full explanations) until the end, so its memory grew with the number of
/// cases. It writes each case before reading the next: the peak memory of
/// 240 cases is within a few MB of that of 40, and the JSON output is still
/// one document with every case.
#[test]
fn compare_memory_does_not_grow_with_the_number_of_cases() {
    let rules = TempDir::new("budgets-compare-rules");
    for file in [
        "facts.yaml",
        "us-copyright-office.yaml",
        "bibliography.yaml",
    ] {
        std::fs::copy(Path::new("rules").join(file), rules.path().join(file)).unwrap();
    }
    let (few_cases, few) = compare_json(rules.path(), 40);
    let (many_cases, many) = compare_json(rules.path(), 240);
    println!("peak: {few} KiB for 40 cases, {many} KiB for 240");
    assert_eq!((few_cases, many_cases), (40, 240));
    assert!(few > 0 && many > 0);
    assert!(
        many.saturating_sub(few) < 8_000,
        "200 more cases took {} KiB more",
        many.saturating_sub(few)
    );
}
