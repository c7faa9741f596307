//! The rule-change workflow through the binary: `test`, `diff`, `coverage`
//! and `check --strict`, on the shipped corpus and on edited copies.

use crate::common::{self, run, stdout};

use std::path::{Path, PathBuf};

use authorship::compare::{Options, compare};
use authorship::eval::ElementStatus;
use authorship::load::load_library;

/// A copy of `rules/` in a fresh temporary directory, with one edit.
fn edited_rules(name: &str, file: &str, from: &str, to: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authorship-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir("rules").unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    dir
}

const HUMAN_MATERIAL: &str =
    "      and not copied_from_prior_work\n    then:\n      protected: [human_authored_material]\n";
const NARROWED: &str = "      and not copied_from_prior_work and not ai_generated_material_in_work\n    then:\n      protected: [human_authored_material]\n";

#[test]
fn test_passes_on_the_shipped_corpus() {
    let o = run(&["test"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let n: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(n > 150, "{n}");
}

#[test]
fn test_names_the_cases_an_edited_condition_breaks() {
    let dir = edited_rules("test", "us-copyright-office.yaml", HUMAN_MATERIAL, NARROWED);
    let o = run(&["test", "--rules", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL cases/zarya-of-the-dawn.yaml us-copyright-office: "),
        "{out}"
    );
    let failing: std::collections::BTreeSet<&str> = out
        .lines()
        .filter(|l| l.starts_with("FAIL"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let last = out.lines().last().unwrap();
    assert!(
        last.ends_with(&format!("{} failed", failing.len())),
        "{last}"
    );
    let filtered = run(&["test", "--filter", "zarya"]);
    assert!(
        stdout(&filtered)
            .lines()
            .last()
            .unwrap()
            .ends_with(" passed, 0 failed")
    );
}

#[test]
fn diff_lists_exactly_the_cases_whose_outcome_changed() {
    let dir = edited_rules("diff", "us-copyright-office.yaml", HUMAN_MATERIAL, NARROWED);
    let o = run(&[
        "diff",
        "--before",
        "rules",
        "--after",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let listed: std::collections::BTreeSet<String> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["ruleset"], "us-copyright-office");
            assert!(
                c["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["rule"] == "usco-human-material")
            );
            c["case"].as_str().unwrap().to_string()
        })
        .collect();
    // The truth, computed without the diff module.
    let before = load_library(Path::new("rules")).unwrap();
    let after = load_library(&dir).unwrap();
    let mut changed = std::collections::BTreeSet::new();
    for f in common::case_files() {
        let b = compare(
            &common::case(f.to_str().unwrap(), &before),
            &before,
            &Options::default(),
        );
        let a = compare(
            &authorship::load_case(&f, &after).unwrap(),
            &after,
            &Options::default(),
        );
        let key = |c: &authorship::Comparison| {
            c.evaluation("us-copyright-office").map(|e| {
                let with = |s| {
                    e.elements
                        .iter()
                        .filter(|x| x.status == s)
                        .map(|x| x.element.clone())
                        .collect::<Vec<_>>()
                };
                let status = (
                    with(ElementStatus::Protected),
                    with(ElementStatus::NotProtected),
                );
                (e.verdict, e.authors.clone(), status, e.decided_by.clone())
            })
        };
        if key(&b) != key(&a) {
            changed.insert(f.display().to_string());
        }
    }
    assert!(!changed.is_empty());
    assert_eq!(listed, changed);
    // The same with the before side read from git (HEAD's rules, as in a
    // clean checkout; skipped while the working tree's rules are edited).
    let head = run(&["diff", "--before", "HEAD", "--after", "rules"]);
    if head.status.success() {
        let after = dir.to_str().unwrap();
        let via_git = run(&[
            "diff", "--before", "HEAD", "--after", after, "--format", "json",
        ]);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&via_git)).unwrap();
        let listed_git: std::collections::BTreeSet<String> = doc["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(listed_git, changed);
    }
    let text = stdout(&run(&[
        "diff",
        "--before",
        "rules",
        "--after",
        dir.to_str().unwrap(),
    ]));
    let was = "human_made_material_in_work and human_material_choices == \"free\" and fixed and not copied_from_prior_work";
    let line = format!(
        "usco-human-material: condition `{was}` → `{was} and not ai_generated_material_in_work`"
    );
    assert!(text.contains(&line), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_of_identical_rules_says_nothing_changed() {
    let o = run(&["diff", "--before", "HEAD", "--after", "HEAD"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("nothing changed"));
    let o = run(&["diff", "--before", "rules"]);
    assert!(o.status.success());
    let md = stdout(&run(&["diff", "--before", "rules", "--format", "markdown"]));
    assert!(md.contains("Nothing changed"), "{md}");
}

#[test]
fn coverage_is_complete_and_min_fails_on_an_unreached_rule() {
    let o = run(&["coverage", "--min", "100"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.lines()
            .filter(|l| l.contains('%') && !l.starts_with("every"))
            .all(|l| l.trim_start().starts_with("100.0%")),
        "{out}"
    );
    let extra = "rules:\n  - id: usco-unreached\n    title: A rule no case reaches\n    when: work_made_for_hire and had_specific_result_in_mind and registration_granted\n    then:\n      holds: unreached\n    issue: ai_disclosure\n    answer: \"yes\"\n    because: Because.\n    source: guidance\n    pinpoint: p. 4\n    interpretation: Fixture.\n    confidence: P\n";
    let dir = edited_rules("coverage", "us-copyright-office.yaml", "rules:\n", extra);
    let o = run(&["coverage", "--rules", dir.to_str().unwrap(), "--min", "100"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("not covered: usco-unreached — no case makes it apply"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn strict_reports_each_kind_of_finding_on_its_fixture() {
    common::snapshots!();
    let o = run(&[
        "check",
        "--strict",
        "--rules",
        "tests/fixtures/strict/rules",
        "--cases",
        "tests/fixtures/strict/cases",
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&o));
}

/// Nothing but cases' unpinned cells (S006, which `pin::` checks in full
/// and which pinning the corpus clears).
#[test]
fn strict_finds_nothing_on_the_shipped_rules_but_unpinned_cells() {
    let o = run(&["check", "--strict"]);
    let out = stdout(&o);
    let codes: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .filter(|c| c.len() == 4 && c.starts_with("S0"))
        .collect();
    assert!(codes.iter().all(|c| *c == "S006"), "{out}");
    assert!(
        out.contains(&format!("{} strict finding(s)", codes.len())),
        "{out}"
    );
    assert_eq!(o.status.success(), codes.is_empty(), "{out}");
}

#[test]
fn schema_command_writes_the_committed_schemas() {
    let dir = std::env::temp_dir().join(format!("authorship-schema-{}", std::process::id()));
    let o = run(&["schema", "--out", dir.to_str().unwrap()]);
    assert!(o.status.success());
    for e in std::fs::read_dir("schemas").unwrap() {
        let p = e.unwrap().path();
        let written = std::fs::read_to_string(dir.join(p.file_name().unwrap())).unwrap();
        assert_eq!(
            written,
            std::fs::read_to_string(&p).unwrap(),
            "{}",
            p.display()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
