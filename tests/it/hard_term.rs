//! Issue 15, terminal side: text from rules, cases, file names and
//! arguments reaches stdout and stderr inert (control, escape and bidi
//! characters shown as `\u{..}`, JSON still valid); a closed or full stdout
//! and a failing stderr are I/O conditions, not bugs; exit 70 is for a real
//! internal error only, and has a test.

use crate::common::{authorship, run, run_with_stdin, stderr, stdout};
use crate::properties::TempDir;

use std::fs::File;
use std::io::{BufRead as _, BufReader};
use std::process::{Output, Stdio};

use serde_json::Value;

// ───────────────────────────── the hostile ruleset ─────────────────────────────

/// Clears the screen, homes the cursor, returns to the line start, rings
/// the bell and reverses the text: what a hostile title would do raw.
const CASE_TITLE: &str = "Title\u{1b}[2J\u{1b}[H\r\u{7} \u{202e}evil";
/// A rule's `because`, with C1, DEL and invisible formatting besides.
const BECAUSE: &str =
    "Because\u{1b}[2J\u{1b}[H FAKE VERDICT\r\u{7} \u{202e}evil\u{85}\u{200f}\u{7f}";

/// A rules directory and a cases directory whose texts, and whose one case
/// file's name, carry escape sequences and bidi overrides (YAML escapes
/// write them: `\e` is ESC, `\a` BEL, `\u202E` RIGHT-TO-LEFT OVERRIDE).
fn hostile() -> TempDir {
    let dir = TempDir::new("hterm");
    let rules = dir.path().join("rules");
    let cases = dir.path().join("cases");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(
        rules.join("facts.yaml"),
        r#"facts:
  a:
    type: bool
    description: "plain"
    question: "Is it\e[2J true?\u202E"
elements:
  one: {description: "an element"}
parties:
  person: {description: "a person"}
issues:
  evil:
    question: "Does it\a hold?"
"#,
    )
    .unwrap();
    std::fs::write(
        rules.join("hostile.yaml"),
        r#"id: hostile
title: "Court\e[2J\e[H\u202Eevil"
jurisdiction: "XX"
authority: {name: "Evil\e]0;pwned\a Court", kind: court}
binding: persuasive_decision
in_force: {from: 2020-01-01}
summary: "s"
sources:
  - id: s
    title: "Source\e[31m"
    citation: "Cite"
rules:
  - id: evil-rule
    title: "Rule\u2066"
    when: a
    then: {protected: [one], author: [person]}
    issue: evil
    answer: "yes"
    because: "Because\e[2J\e[H FAKE VERDICT\r\a \u202Eevil\x85\u200F\x7F"
    source: s
    pinpoint: "p. 1"
    quote: "q"
    interpretation: "i"
    confidence: P
"#,
    )
    .unwrap();
    std::fs::write(
        case_path(&dir),
        r#"title: "Title\e[2J\e[H\r\a \u202Eevil"
summary: "sum"
facts: {a: true}
"#,
    )
    .unwrap();
    dir
}

/// The hostile case, whose file name clears the screen and reverses.
fn case_path(dir: &TempDir) -> std::path::PathBuf {
    dir.path().join("cases/x\u{1b}[2J\u{202e}.yaml")
}

fn rules(dir: &TempDir) -> String {
    dir.path().join("rules").display().to_string()
}

/// A character that must never reach a terminal raw: C0 controls other than
/// newline and tab, DEL, C1, and the bidi and invisible formatting marks.
/// Written out here, independently of the library's own list.
fn hazardous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Both streams of a run are free of raw hazards.
fn assert_inert(what: &str, o: &Output) {
    for (stream, text) in [("stdout", stdout(o)), ("stderr", stderr(o))] {
        if let Some(c) = text.chars().find(|&c| hazardous(c)) {
            panic!("{what}: raw U+{:04X} on {stream}:\n{text:?}", u32::from(c));
        }
    }
}

/// Whether a JSON value holds this exact string anywhere.
fn holds(value: &Value, text: &str) -> bool {
    match value {
        Value::String(s) => s == text,
        Value::Array(items) => items.iter().any(|v| holds(v, text)),
        Value::Object(map) => map.values().any(|v| holds(v, text)),
        _ => false,
    }
}

/// Issue 15 item 5: control, escape and bidi characters from case titles,
/// rule texts, questions, file names, ids and arguments reach neither
/// stdout nor stderr raw in any command or format: text shows them as
/// `\u{..}`, JSON escapes them as `\uXXXX` and still reads back as the
/// original string, and the HTML report shows them as visible text (an
/// entity like `&#x202E;` would still reverse the page).
#[test]
fn hostile_text_reaches_the_terminal_inert() {
    let dir = hostile();
    let case = case_path(&dir).display().to_string();
    let rules = rules(&dir);
    let cases = dir.path().join("cases").display().to_string();

    // Text: the hazards are shown, escaped.
    let text_runs: Vec<(&str, Vec<&str>)> = vec![
        ("compare", vec!["compare", &case, "--rules", &rules]),
        (
            "compare markdown",
            vec!["compare", &case, "--rules", &rules, "--format", "markdown"],
        ),
        (
            "explain",
            vec!["explain", &case, "--ruleset", "hostile", "--rules", &rules],
        ),
        (
            "explain markdown",
            vec![
                "explain",
                &case,
                "--ruleset",
                "hostile",
                "--rules",
                &rules,
                "--format",
                "markdown",
            ],
        ),
        (
            "explain mermaid",
            vec![
                "explain",
                &case,
                "--ruleset",
                "hostile",
                "--rules",
                &rules,
                "--format",
                "mermaid",
            ],
        ),
        (
            "explain dot",
            vec![
                "explain",
                &case,
                "--ruleset",
                "hostile",
                "--rules",
                &rules,
                "--format",
                "dot",
            ],
        ),
        (
            "whatif",
            vec!["whatif", &case, "--ruleset", "hostile", "--rules", &rules],
        ),
        (
            "report html",
            vec!["report", &case, "--rules", &rules, "--format", "html"],
        ),
        (
            "report markdown",
            vec!["report", &case, "--rules", &rules, "--format", "markdown"],
        ),
    ];
    for (what, args) in &text_runs {
        let o = run(args);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert_inert(what, &o);
        let out = stdout(&o);
        assert!(out.contains("\\u{"), "{what}: hazards not shown:\n{out}");
    }
    let compare = stdout(&run(&text_runs[0].1));
    assert!(compare.contains("Title\\u{1b}[2J\\u{1b}[H\\u{d}\\u{7} \\u{202e}evil"));
    assert!(compare.contains("x\\u{1b}[2J\\u{202e}.yaml"), "{compare}");
    let explain = stdout(&run(&text_runs[2].1));
    assert!(
        explain.contains("\\u{202e}evil\\u{85}\\u{200f}\\u{7f}"),
        "{explain}"
    );
    // The report's renderers make the text inert themselves: a report
    // written to a file is opened in a browser or an editor, not through
    // the terminal's escaping.
    for format in ["html", "markdown"] {
        let file = dir.path().join(format!("report.{format}"));
        let file = file.display().to_string();
        let o = run(&[
            "report", &case, "--rules", &rules, "--format", format, "-o", &file,
        ]);
        assert!(o.status.success(), "report -o: {}", stderr(&o));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.chars().any(hazardous), "report {format}: {text:?}");
        assert!(text.contains("\\u{202e}evil"), "report {format}: {text}");
        assert!(!text.contains("&#x202"), "{text}");
    }

    // JSON: valid, and the escapes mean the original strings.
    for (what, args) in [
        (
            "compare json",
            vec!["compare", &case, "--rules", &rules, "--format", "json"],
        ),
        (
            "explain json",
            vec![
                "explain",
                &case,
                "--ruleset",
                "hostile",
                "--rules",
                &rules,
                "--format",
                "json",
            ],
        ),
        (
            "whatif json",
            vec![
                "whatif",
                &case,
                "--ruleset",
                "hostile",
                "--rules",
                &rules,
                "--format",
                "json",
            ],
        ),
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert_inert(what, &o);
        let json: Value = serde_json::from_str(&stdout(&o)).expect(what);
        assert!(holds(&json, CASE_TITLE) || holds(&json, BECAUSE), "{what}");
    }
    let o = run(&["compare", &case, "--rules", &rules, "--format", "json"]);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["cases"][0]["title"], CASE_TITLE);
    assert!(stdout(&o).contains("\\u202e"), "{}", stdout(&o));
    let o = run(&[
        "explain",
        &case,
        "--ruleset",
        "hostile",
        "--rules",
        &rules,
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(holds(&json, BECAUSE), "{}", stdout(&o));

    // batch: JSON lines with the explanation, valid and inert.
    let o = run_with_stdin(
        &["batch", "--rules", &rules, "--explain", "--jobs", "1"],
        b"{\"facts\": {\"a\": true}}\n",
    );
    assert!(o.status.success(), "batch: {}", stderr(&o));
    assert_inert("batch", &o);
    let line: Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert!(holds(&line, BECAUSE), "{line}");

    // ask: the question text is the vocabulary's.
    let o = run_with_stdin(&["ask", "--rules", &rules], b"yes\n");
    assert_inert("ask", &o);
    assert!(stdout(&o).contains("Is it\\u{1b}[2J true?\\u{202e}"));

    // Errors: a bad fact name in a case (check), an unknown ruleset named
    // on the command line (explain), a bad argument value (clap).
    std::fs::write(
        dir.path().join("cases/bad\u{1b}[2J.yaml"),
        "title: t\nsummary: s\nfacts: {\"a\\e[2J\\u202E\": true}\n",
    )
    .unwrap();
    let errors: Vec<(&str, Vec<&str>, i32)> = vec![
        (
            "check",
            vec!["check", "--rules", &rules, "--cases", &cases],
            1,
        ),
        (
            "explain unknown ruleset",
            vec![
                "explain",
                &case,
                "--ruleset",
                "\u{1b}[2J\u{202e}x",
                "--rules",
                &rules,
            ],
            1,
        ),
        (
            "usage error",
            vec!["compare", &case, "--format", "\u{1b}[2J\u{202e}"],
            2,
        ),
    ];
    for (what, args, code) in &errors {
        let o = run(args);
        assert_eq!(o.status.code(), Some(*code), "{what}: {}", stderr(&o));
        assert_inert(what, &o);
        assert!(
            stderr(&o).contains("\\u{1b}[2J"),
            "{what}: ESC not shown:\n{}",
            stderr(&o)
        );
    }
}

// ───────────────────────────── I/O errors ─────────────────────────────

fn dev_full() -> Stdio {
    Stdio::from(
        File::options()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full"),
    )
}

/// Issue 15 item 6: I/O errors are not bugs. A reader that stops early
/// (`| head -1`) ends the run quietly with exit 0; a full stdout is one
/// `error:` line and exit 1; a full or closed stderr does not abort;
/// `--help` and `--version` that cannot be written fail.
#[test]
fn io_errors_are_not_internal_errors() {
    // `compare … --format json | head -1`: a megabyte of output, one line read.
    let mut child = authorship()
        .args([
            "compare",
            "cases/acohs-ucorp-source-code.yaml",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "{\n");
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");

    // `check > /dev/full`.
    let o = authorship()
        .arg("check")
        .stdout(dev_full())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: cannot write to stdout: "), "{err}");
    assert!(!err.contains("internal error"), "{err}");

    // A full stderr: an error run still exits 1, a good run 0 (batch
    // writes its summary on stderr).
    let o = authorship()
        .args(["check", "--rules", "tests/fixtures/no-such-dir"])
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let mut child = authorship()
        .args(["batch", "--jobs", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(dev_full())
        .spawn()
        .unwrap();
    drop(child.stdin.take());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    // A closed stderr (its reader gone): the error is still exit 1.
    let mut child = authorship()
        .args(["check", "--rules", "tests/fixtures/no-such-dir"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));

    // `--help` and `--version` that cannot be written.
    for flag in ["--help", "--version"] {
        let o = authorship().arg(flag).stdout(dev_full()).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{flag}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("error: cannot write to stdout: "),
            "{flag}: {}",
            stderr(&o)
        );
    }
}

/// Issue 15 item 21: a real internal error (a panic, provoked in a debug
/// build by `AUTHORSHIP_TEST_PANIC=1`) exits 70 with one `internal error`
/// line and no backtrace, even when asked for one; and with a full stderr
/// it still exits 70 rather than aborting.
#[test]
fn an_internal_error_exits_70_with_one_line() {
    if !cfg!(debug_assertions) {
        return; // The trigger exists in debug builds only.
    }
    let o = authorship()
        .arg("check")
        .env("AUTHORSHIP_TEST_PANIC", "1")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(70), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("internal error (a bug in authorship; please report it): "),
        "{err}"
    );
    assert!(!err.contains("backtrace"), "{err}");
    assert_eq!(stdout(&o), "");
    let o = authorship()
        .arg("check")
        .env("AUTHORSHIP_TEST_PANIC", "1")
        .stderr(dev_full())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(70));
}
