//! Expectations for every cell (issue 13, item 8): `expect.jurisdictions`
//! rows and open outcomes (`possible`, `depends_on`) are checked exactly;
//! `test --unpinned` and `check --strict` find the cells no expectation
//! pins; `pin` writes the engine's outcome for them by editing the text —
//! comments kept, atomically, refusing what does not load, idempotent.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use authorship::compare::{Cell, check_expectations, unpinned};
use authorship::model::{Case, Library};
use authorship::workflow::pin::{PinError, pin};

use crate::common::{self, library, run, stdout};

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("authorship-pin-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    /// A copy of every shipped case.
    fn with_shipped_cases(name: &str) -> Scratch {
        let s = Scratch::new(name);
        for file in common::case_files() {
            std::fs::copy(&file, s.0.join(file.file_name().unwrap())).unwrap();
        }
        s
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn load(text: &str, library: &Library) -> Case {
    Case::from_source("case.yaml", text, library).unwrap_or_else(|e| {
        panic!(
            "must load:\n{}",
            authorship::render::diagnostic::render_all(&e)
        )
    })
}

/// The facts of Li v. Liu without its expectations.
fn li_v_liu_facts() -> String {
    let text = std::fs::read_to_string("cases/li-v-liu.yaml").unwrap();
    let start = text.find("\nfacts:").unwrap();
    let end = text.find("\nexpect:").unwrap();
    format!("title: t\nsummary: s{}\n", &text[start..end])
}

/// `text` with its one occurrence of `from` replaced: a mutation that
/// missed would test nothing.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} in\n{text}");
    text.replacen(from, to, 1)
}

// ───────────────────────────── the format ─────────────────────────────

/// What the shipped rules make of no facts at all (as `cases/no-facts.yaml`
/// pins it): every row and most rulesets could come out any way, so the
/// open outcomes are long; `de-ag-muenchen` could only deny or not address.
const UK_DEPENDS_ON: &str = "[ai_generated_material_in_work, animal_or_nature_material_in_work, \
     arrangement_choices, automatic_process_material_in_work, copied_from_prior_work, fixed, \
     generative_ai_used, human_authorship_disclaimed, human_made_material_in_work, \
     human_material_choices, human_wrote_prompts, material_selected_and_arranged, prompt_detail, \
     work_kind]";

#[test]
fn rows_and_open_outcomes_are_checked_exactly() {
    let library = library();
    let good = format!(
        "title: t\nsummary: s\nfacts: {{}}\nexpect:
  uk-cdpa:
    verdict: undetermined
    possible: [protected, partially_protected, not_protected, not_addressed]
    depends_on: {UK_DEPENDS_ON}
    basis: prediction
  de-ag-muenchen:
    verdict: undetermined
    possible: [not_protected, not_addressed]
    basis: prediction
  jurisdictions:
    UK:
      verdict: undetermined
      decided_by: uk-cdpa
      possible: [not_addressed, not_protected, partially_protected, protected]
      depends_on: {UK_DEPENDS_ON}
      basis: prediction
    CN:
      verdict: undetermined
      possible: [protected, partially_protected, not_protected, not_addressed]
      basis: prediction
    KR: {{verdict: undetermined, decided_by: kr-mcst, basis: prediction}}
"
    );
    let case = load(&good, library);
    assert_eq!(case.expect_jurisdictions.len(), 3);
    let mismatches = check_expectations(&case, library);
    assert!(mismatches.is_empty(), "{mismatches:?}");

    // Each part is checked: a verdict too few (in a ruleset and in a row)
    // or too many, a fact too few, another deciding authority, another
    // verdict.
    let row_depends_on = format!("      depends_on: {UK_DEPENDS_ON}");
    let bad = [
        (
            "\n    possible: [protected, partially_protected, not_protected, not_addressed]",
            "\n    possible: [protected, not_protected, not_addressed]",
        ),
        (
            "possible: [not_protected, not_addressed]",
            "possible: [protected, not_protected, not_addressed]",
        ),
        (
            "\n      possible: [protected, partially_protected, not_protected, not_addressed]",
            "\n      possible: [protected, partially_protected, not_protected]",
        ),
        (row_depends_on.as_str(), "      depends_on: []"),
        (
            "decided_by: uk-cdpa",
            "decided_by: uk-cdpa\n      authors: [human_user]",
        ),
        ("KR: {verdict: undetermined", "KR: {verdict: protected"),
    ]
    .iter()
    .fold(good.clone(), |text, (from, to)| {
        replace_once(&text, from, to)
    });
    let mut found: Vec<(String, &str)> = check_expectations(&load(&bad, library), library)
        .into_iter()
        .map(|m| (m.ruleset, m.field))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("de-ag-muenchen".to_string(), "possible"),
            ("jurisdictions.CN".to_string(), "possible"),
            ("jurisdictions.KR".to_string(), "verdict"),
            ("jurisdictions.UK".to_string(), "authors"),
            ("jurisdictions.UK".to_string(), "depends_on"),
            ("uk-cdpa".to_string(), "possible"),
        ]
    );

    let text = li_v_liu_facts()
        + "expect:\n  jurisdictions:\n    US: {verdict: not_protected, decided_by: thaler-v-perlmutter, basis: prediction}\n";
    let m = check_expectations(&load(&text, library), library);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(
        (m[0].field, m[0].expected.as_str(), m[0].actual.as_str()),
        ("decided_by", "thaler-v-perlmutter", "us-copyright-office")
    );
}

#[test]
fn test_reports_row_failures_with_their_key() {
    let dir = Scratch::new("row-failure");
    dir.write(
        "case.yaml",
        &(li_v_liu_facts()
            + "expect:\n  jurisdictions:\n    CN: {verdict: not_protected, basis: decision}\n    US: {verdict: not_protected, basis: prediction}\n"),
    );
    let o = run(&["test", "--cases", dir.path()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("jurisdictions.CN: verdict expected not_protected, got protected (decided by beijing-internet-court)"),
        "{out}"
    );
    assert!(out.contains("1 passed, 1 failed"), "{out}");
    let o = run(&[
        "test",
        "--cases",
        dir.path(),
        "--filter",
        "jurisdictions.US",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
}

// ───────────────────────────── unpinned cells ─────────────────────────────

/// The cells a case leaves unpinned, worked out from the file's keys.
fn unpinned_by_keys(case: &Case, library: &Library) -> BTreeSet<String> {
    let rulesets = library
        .rulesets
        .iter()
        .map(|r| r.id.clone())
        .filter(|id| !case.expect.contains_key(id));
    let rows = library
        .jurisdictions
        .iter()
        .map(|j| j.id.clone())
        .filter(|id| !case.expect_jurisdictions.contains_key(id))
        .map(|id| format!("jurisdictions.{id}"));
    rulesets.chain(rows).collect()
}

/// `text` without the block that starts at the line `header` (a mapping
/// key, with its indentation): every following line indented deeper, or
/// blank, goes with it.
fn drop_block(text: &str, header: &str) -> String {
    let indent = header.len() - header.trim_start().len();
    let mut lines = text.split_inclusive('\n');
    let mut out = String::new();
    let mut found = false;
    while let Some(line) = lines.next() {
        if found || line.trim_end() != header {
            out.push_str(line);
            continue;
        }
        found = true;
        let mut rest = lines
            .by_ref()
            .skip_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent);
        if let Some(next) = rest.next() {
            out.push_str(next);
        }
    }
    assert!(found, "no line {header:?}");
    out
}

/// Runs `test --unpinned` and `check --strict` on `cases` (the shipped
/// corpus when `None`) and checks that both report exactly the cells the
/// case files' keys leave open; returns how many, and in how many cases.
fn assert_unpinned_report(cases: Option<&str>, library: &Library) -> (usize, usize) {
    let with_cases = |args: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        if let Some(dir) = cases {
            v.extend(["--cases".to_string(), dir.to_string()]);
        }
        v
    };
    let o = run(&with_cases(&["test", "--unpinned"]));
    let out = stdout(&o);
    let mut total = 0;
    let mut cases_open = 0;
    let files = match cases {
        Some(dir) => common::yaml_files(dir),
        None => common::case_files(),
    };
    for file in files {
        let case = common::case(file.to_str().unwrap(), library);
        let expected = unpinned_by_keys(&case, library);
        let listed: BTreeSet<String> = unpinned(&case, library)
            .iter()
            .map(Cell::to_string)
            .collect();
        assert_eq!(listed, expected, "{}", file.display());
        if !expected.is_empty() {
            let line = format!("{}: {} unpinned: ", file.display(), expected.len());
            assert!(out.contains(&line), "{line} missing from\n{out}");
            cases_open += 1;
        }
        total += expected.len();
    }
    assert!(
        out.contains(&format!("{total} unpinned cell(s) in {cases_open} case(s)")),
        "{out}"
    );
    assert_eq!(o.status.success(), total == 0, "exit status: {out}");
    // `check --strict` finds the same: one S006 per case with open cells,
    // and nothing else.
    let o = run(&with_cases(&["check", "--strict"]));
    let strict = stdout(&o);
    assert_eq!(strict.matches(": S006: ").count(), cases_open, "{strict}");
    assert!(
        strict.contains(&format!("{cases_open} strict finding(s)")),
        "{strict}"
    );
    assert_eq!(o.status.success(), cases_open == 0, "{strict}");
    (total, cases_open)
}

/// Every ruleset file under `rules/` (not the vocabulary or the
/// jurisdictions): counted from the directory, not the library, so a
/// ruleset the loader dropped would show.
fn ruleset_files() -> usize {
    common::yaml_files("rules")
        .iter()
        .filter(|f| {
            !f.ends_with("facts.yaml")
                && !f.ends_with("jurisdictions.yaml")
                && !f.ends_with(authorship::load::BIBLIOGRAPHY_FILE)
        })
        .count()
}

/// The shipped corpus pins every cell: `test --unpinned` and
/// `check --strict` report none, and pass.
#[test]
fn the_shipped_corpus_reports_its_unpinned_cells() {
    let library = library();
    assert_eq!(library.rulesets.len(), ruleset_files());
    assert!(library.jurisdictions.len() >= 12);
    assert!(common::case_files().len() >= 77);
    assert_eq!(assert_unpinned_report(None, library), (0, 0));
}

/// With expectations taken out of a copy of the corpus — a whole
/// `jurisdictions:` map, one ruleset's entry, one row — the same commands
/// report exactly those cells, and fail.
#[test]
fn a_corpus_with_expectations_removed_reports_them() {
    let library = library();
    let dir = Scratch::with_shipped_cases("unpinned");
    let edit = |name: &str, header: &str| {
        let path = dir.0.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, drop_block(&text, header)).unwrap();
    };
    edit("li-v-liu.yaml", "  jurisdictions:");
    edit("no-facts.yaml", "  uk-cdpa:");
    edit("zarya-of-the-dawn.yaml", "    CN:");
    let open = |name: &str| {
        let case = common::case(dir.0.join(name).to_str().unwrap(), library);
        unpinned(&case, library)
            .iter()
            .map(Cell::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(open("li-v-liu.yaml").len(), library.jurisdictions.len());
    assert_eq!(open("no-facts.yaml"), ["uk-cdpa"]);
    assert_eq!(open("zarya-of-the-dawn.yaml"), ["jurisdictions.CN"]);
    assert_eq!(
        assert_unpinned_report(Some(dir.path()), library),
        (library.jurisdictions.len() + 2, 3)
    );
}

// ───────────────────────────── pin ─────────────────────────────

/// `new` is `old` with lines inserted: every line of `old` is in `new`, in
/// order, unchanged (a last line may gain its line break).
/// Every line `new` adds has the shape of a pinned entry.
fn only_inserted(old: &str, new: &str) -> bool {
    let fields = [
        "verdict: ",
        "decided_by: ",
        "authors: [",
        "protected: [",
        "not_protected: [",
        "possible: [",
        "depends_on: [",
        "basis: prediction",
        "note: \"pinned from the engine's output on ",
    ];
    let pinned_shape = |l: &str| {
        let t = l.trim();
        (t.ends_with(':') && !t.contains(' ')) || fields.iter().any(|f| t.starts_with(f))
    };
    let mut lines = new.lines();
    let mut added = Vec::new();
    let kept = old.lines().all(|line| {
        for l in lines.by_ref() {
            if l == line {
                return true;
            }
            added.push(l);
        }
        false
    });
    added.extend(lines);
    kept && added.iter().all(|l| pinned_shape(l))
}

#[test]
fn pinning_the_shipped_corpus_then_testing_passes_and_keeps_every_comment() {
    // The shipped corpus is pinned already: take every row out of a copy,
    // so that `pin` has a row to write in every case.
    let dir = Scratch::with_shipped_cases("corpus");
    for file in dir.files() {
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, drop_block(&text, "  jurisdictions:")).unwrap();
    }
    let before: Vec<(PathBuf, String)> = dir
        .files()
        .into_iter()
        .map(|f| {
            let t = std::fs::read_to_string(&f).unwrap();
            (f, t)
        })
        .collect();
    let mut args = vec!["pin".to_string()];
    args.extend(dir.files().iter().map(|f| f.display().to_string()));
    let o = run(&args);
    assert!(o.status.success(), "{}", common::stderr(&o));

    let o = run(&["test", "--cases", dir.path()]);
    assert!(o.status.success(), "{}", stdout(&o));
    let library = library();
    let cells = (library.rulesets.len() + library.jurisdictions.len()) * before.len();
    let passed: usize = stdout(&o)
        .split(" passed")
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(passed >= cells, "{passed} expectations for {cells} cells");
    let o = run(&["test", "--unpinned", "--cases", dir.path()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 unpinned cell(s) in 0 case(s)"));
    let o = run(&["check", "--strict", "--cases", dir.path()]);
    assert!(o.status.success(), "{}", stdout(&o));

    let note_prefix = "note: \"pinned from the engine's output on rules at ";
    for (file, old) in &before {
        let new = std::fs::read_to_string(file).unwrap();
        assert!(only_inserted(old, &new), "{}: text changed", file.display());
        // Every comment survives, in order.
        let comments = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| l.contains('#'))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(comments(old), comments(&new), "{}", file.display());
        assert_ne!(new, *old, "{}: no row pinned", file.display());
        assert!(new.contains(note_prefix), "{}", file.display());
        assert!(new.contains("; review\""), "{}", file.display());
    }

    // Pinning again changes nothing, byte for byte.
    let o = run(&args);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o).matches("nothing to pin").count(),
        before.len(),
        "{}",
        stdout(&o)
    );
    let leftovers: Vec<PathBuf> = dir
        .files()
        .into_iter()
        .filter(|f| f.extension().is_none_or(|e| e != "yaml"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn pinned_cases_satisfy_the_case_schema() {
    let library = library();
    let schema: serde_json::Value = serde_json::from_str(
        &authorship::load::schemas()
            .into_iter()
            .find(|(n, _)| *n == "case.schema.json")
            .unwrap()
            .1,
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors = |text: &str| -> Vec<String> {
        let value: serde_json::Value = authorship::load::parse_yaml(text).unwrap();
        validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect()
    };
    // The shipped cases are pinned already; pin them again from no
    // expectations at all, so that every cell is written by `pin`.
    for file in ["cases/no-facts.yaml", "cases/li-v-liu.yaml"] {
        let shipped = std::fs::read_to_string(file).unwrap();
        assert!(
            errors(&shipped).is_empty(),
            "{file}: {:?}",
            errors(&shipped)
        );
        let text = drop_block(&shipped, "expect:");
        let p = pin(Path::new(file), &text, library, "rules at test").unwrap();
        assert_eq!(
            p.pinned.len(),
            library.rulesets.len() + library.jurisdictions.len(),
            "{file}"
        );
        let new = p.text.expect("something to pin");
        assert!(errors(&new).is_empty(), "{file}: {:?}", errors(&new));
    }
}

#[test]
fn a_case_that_does_not_load_is_left_untouched() {
    let dir = Scratch::new("refuse");
    let broken = "# a comment\ntitle: t\nsummary: s\nfacts:\n  selected_amongst_outputs: true\n";
    let malformed = "title: t\nsummary: s\nfacts: {\n";
    let a = dir.write("misspelt.yaml", broken);
    let b = dir.write("malformed.yaml", malformed);
    let o = run(&["pin", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(err.contains("misspelt.yaml:5:3"), "{err}");
    assert!(err.contains("not pinned: it does not load"), "{err}");
    assert_eq!(std::fs::read_to_string(&a).unwrap(), broken);
    assert_eq!(std::fs::read_to_string(&b).unwrap(), malformed);
    assert_eq!(dir.files().len(), 2, "no temporary file left");
}

#[test]
fn an_inline_expect_block_is_refused_not_rewritten() {
    let library = library();
    let text = li_v_liu_facts() + "expect: {uk-cdpa: {verdict: protected, basis: prediction}}\n";
    match pin(Path::new("inline.yaml"), &text, library, "r") {
        Err(PinError::Refused(why)) => assert!(why.contains("inline"), "{why}"),
        other => panic!("{other:?}"),
    }
    let text = li_v_liu_facts()
        + "expect:\n  jurisdictions: {CN: {verdict: protected, basis: prediction}}\n";
    assert!(matches!(
        pin(Path::new("inline.yaml"), &text, library, "r"),
        Err(PinError::Refused(_))
    ));
}

/// An edit that would change what the file says is refused: here a kept
/// (`|+`) block scalar whose trailing blank lines an insertion would cut off.
#[test]
fn an_edit_that_would_change_the_case_is_refused() {
    let library = library();
    let text = li_v_liu_facts()
        + "expect:\n  uk-cdpa:\n    verdict: protected\n    basis: prediction\n    note: |+\n      kept\n\n\nnotes: n\n";
    match pin(Path::new("kept.yaml"), &text, library, "r") {
        Err(PinError::Refused(why)) => assert!(why.contains("nothing written"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// Cases written in other shapes: no `expect:` at all, no final line
/// break, Windows line breaks, other indentation, a `jurisdictions:` map
/// already begun, and an `expect:` block followed by more keys and
/// comments.
#[test]
fn pin_edits_every_shape_of_file_and_each_result_passes() {
    let library = library();
    let facts = li_v_liu_facts();
    let shapes = [
        ("no expect", facts.clone()),
        ("no final newline", facts.trim_end().to_string()),
        (
            "crlf",
            (facts.clone()
                + "expect:\n  uk-cdpa:\n    verdict: protected\n    basis: prediction\n")
                .replace('\n', "\r\n"),
        ),
        (
            "four-space indentation",
            facts.clone()
                + "expect:\n    uk-cdpa:\n        verdict: protected  # the s.9(3) reading\n        basis: prediction\n",
        ),
        (
            "jurisdictions begun",
            facts.clone()
                + "expect:\n  jurisdictions:\n    # the court's own outcome\n    CN:\n      verdict: protected\n      basis: decision\n  uk-cdpa:\n    verdict: protected\n    basis: prediction\n",
        ),
        (
            "keys after expect",
            facts.clone()
                + "expect:\n  uk-cdpa:\n    verdict: protected\n    basis: prediction\n    note: >\n      folded\n      text\n\n# about the notes\nnotes: n  # end\n",
        ),
    ];
    for (what, text) in shapes {
        let p = pin(Path::new("shape.yaml"), &text, library, "rules at test")
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let new = p.text.unwrap_or_else(|| panic!("{what}: nothing pinned"));
        assert!(only_inserted(&text, &new), "{what}:\n{new}");
        let case = load(&new, library);
        assert!(unpinned(&case, library).is_empty(), "{what}");
        assert!(
            check_expectations(&case, library).is_empty(),
            "{what}: {:?}",
            check_expectations(&case, library)
        );
        if what == "crlf" {
            assert!(
                !new.replace("\r\n", "").contains('\n'),
                "{what}: mixed line breaks"
            );
        }
        if what == "four-space indentation" {
            assert!(
                new.contains("\n    jurisdictions:\n        CN:\n            verdict: protected\n"),
                "{what}:\n{new}"
            );
        }
        if what == "keys after expect" {
            assert!(
                new.ends_with("\n\n# about the notes\nnotes: n  # end\n"),
                "{what}:\n{new}"
            );
        }
        // Idempotent.
        let again = pin(Path::new("shape.yaml"), &new, library, "rules at test").unwrap();
        assert!(again.text.is_none() && again.pinned.is_empty(), "{what}");
    }
}
