//! Issue 16, for scripts and CI: exit codes a script can branch on, every
//! `--format` value the help lists honoured (and no other), verdicts
//! accepted as they are printed, `-o` for every written output, shell
//! completions and a man page.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::common::{run, stderr, stdout};

/// A fresh scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("authorship-ux-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_filter_that_matches_nothing_exits_2_and_names_it() {
    // One case, so that the runs stay quick.
    let scratch = Scratch::new("filter");
    std::fs::copy("cases/li-v-liu.yaml", scratch.path("li-v-liu.yaml")).unwrap();
    std::fs::write(
        scratch.path("open.yaml"),
        "title: t\nsummary: s\nfacts: {}\n",
    )
    .unwrap();
    let cases = scratch.path("");
    for extra in [&[][..], &["--unpinned"][..]] {
        let mut args = vec!["test", "--cases", &cases, "--filter", "us-copyrite-office"];
        args.extend(extra);
        let o = run(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("`us-copyrite-office`"), "{args:?}: {err}");
        assert!(
            err.contains("did you mean `us-copyright-office`?"),
            "{args:?}: {err}"
        );
    }
    // A filter that matches still runs what it matches.
    let o = run(&["test", "--cases", &cases, "--filter", "us-copyright-office"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(out.lines().last(), Some("1 passed, 0 failed"), "{out}");
    // A real case that pins nothing: nothing to test is not a pass.
    let o = run(&["test", "--cases", &cases, "--filter", "open.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("`open.yaml` selects no expectation"),
        "{}",
        stderr(&o)
    );
    // …while --unpinned lists its cells.
    let o = run(&[
        "test",
        "--cases",
        &cases,
        "--unpinned",
        "--filter",
        "open.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("kr-mcst"), "{}", stdout(&o));
}

#[test]
fn diff_exits_0_unchanged_1_changed_2_on_error() {
    // One case, so that the run stays quick.
    let scratch = Scratch::new("diff");
    std::fs::create_dir_all(scratch.path("cases")).unwrap();
    std::fs::copy("cases/li-v-liu.yaml", scratch.path("cases/li-v-liu.yaml")).unwrap();
    let cases = scratch.path("cases");
    let diff = |before: &str, after: &str| {
        run(&[
            "diff", "--before", before, "--after", after, "--cases", &cases,
        ])
    };
    assert_eq!(diff("rules", "rules").status.code(), Some(0));
    let bad_ref = diff("no-such-ref-or-dir", "rules");
    assert_eq!(bad_ref.status.code(), Some(2), "{}", stderr(&bad_ref));
    assert!(stderr(&bad_ref).contains("no-such-ref-or-dir"));
    // Rules that do not load are an error, not a change.
    std::fs::create_dir_all(scratch.path("rules")).unwrap();
    std::fs::write(
        scratch.path("rules/facts.yaml"),
        "facts: [not, a, mapping]\n",
    )
    .unwrap();
    let unreadable = diff("rules", &scratch.path("rules"));
    assert_eq!(unreadable.status.code(), Some(2), "{}", stderr(&unreadable));
    let help = stdout(&run(&["diff", "--help"]));
    assert!(
        help.contains("0 when no outcome changed, 1 when outcomes changed, 2 on error"),
        "{help}"
    );
    let top = stdout(&run(&["--help"]));
    assert!(top.contains("`diff`: 1 when outcomes changed"), "{top}");
}

/// The values the short help of `command` lists for `--format`.
fn listed_formats(command: &str) -> Vec<String> {
    let help = stdout(&run(&[command, "-h"]));
    let start = help
        .find("--format <FORMAT>")
        .unwrap_or_else(|| panic!("{command} has no --format:\n{help}"));
    let rest = &help[start..];
    let list = rest
        .split("[possible values: ")
        .nth(1)
        .and_then(|s| s.split(']').next())
        .unwrap_or_else(|| panic!("{command} --format lists no values:\n{help}"));
    list.split(", ").map(str::to_string).collect()
}

#[test]
fn every_format_the_help_lists_is_honoured_and_no_other() {
    let case = "cases/li-v-liu.yaml";
    // One case, so that `diff` and `coverage` stay quick.
    let scratch = Scratch::new("formats");
    std::fs::copy(case, scratch.path("li-v-liu.yaml")).unwrap();
    let cases = scratch.path("");
    let commands: Vec<(&str, Vec<&str>)> = vec![
        ("compare", vec![case]),
        ("explain", vec![case, "--ruleset", "us-copyright-office"]),
        (
            "whatif",
            vec![
                case,
                "--ruleset",
                "us-copyright-office",
                "--max-changes",
                "1",
            ],
        ),
        ("report", vec![case]),
        ("diff", vec!["--before", "rules", "--cases", &cases]),
        ("coverage", vec!["--cases", &cases]),
    ];
    for (command, args) in commands {
        let formats = listed_formats(command);
        assert!(formats.len() >= 2, "{command}: {formats:?}");
        let mut outputs = BTreeSet::new();
        for format in &formats {
            let mut all = vec![command];
            all.extend(&args);
            all.extend(["--format", format]);
            let o = run(&all);
            let out = stdout(&o);
            assert!(o.status.success(), "{all:?}: {}", stderr(&o));
            match format.as_str() {
                "json" => {
                    serde_json::from_str::<serde_json::Value>(&out)
                        .unwrap_or_else(|e| panic!("{all:?} is not JSON ({e}):\n{out}"));
                }
                "html" => assert!(out.contains("<html"), "{all:?}"),
                "markdown" => assert!(out.contains("# ") || out.contains("| "), "{all:?}"),
                _ => {}
            }
            assert!(
                outputs.insert(out),
                "{all:?} prints what another format printed"
            );
        }
        let mut all = vec![command];
        all.extend(&args);
        all.extend(["--format", "yaml"]);
        assert_eq!(run(&all).status.code(), Some(2), "{all:?} is accepted");
    }
}

#[test]
fn verdicts_are_accepted_as_they_are_printed() {
    let whatif = |to: &str| {
        run(&[
            "whatif",
            "cases/li-v-liu.yaml",
            "--ruleset",
            "us-copyright-office",
            "--to",
            to,
            "--format",
            "json",
        ])
    };
    let canonical = whatif("protected");
    assert!(canonical.status.success(), "{}", stderr(&canonical));
    let partial = stdout(&whatif("partially_protected"));
    assert!(partial.contains("\"schema\""), "{partial}");
    for spelling in [
        "partially-protected",
        "partially protected",
        "Partially Protected",
        "PARTIALLY_PROTECTED",
    ] {
        let o = whatif(spelling);
        assert!(o.status.success(), "{spelling}: {}", stderr(&o));
        assert_eq!(stdout(&o), partial, "{spelling}");
    }
    let not = stdout(&whatif("not_protected"));
    assert_eq!(stdout(&whatif("not protected")), not);
    let bad = whatif("copyrighted");
    assert_eq!(bad.status.code(), Some(2));
    let help = stdout(&run(&["whatif", "--help"]));
    assert!(
        help.contains("partially_protected") && !help.contains("partially-protected"),
        "{help}"
    );
}

#[test]
fn every_command_that_writes_a_file_takes_dash_o() {
    let scratch = Scratch::new("dash-o");
    let schemas = scratch.path("schemas");
    let o = run(&["schema", "-o", &schemas]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::path::Path::new(&schemas)
            .join("case.schema.json")
            .is_file()
    );
    // The old spelling still works.
    let old = run(&["schema", "--out", &scratch.path("old")]);
    assert!(old.status.success(), "{}", stderr(&old));
    let report = scratch.path("report.html");
    let o = run(&["report", "cases/li-v-liu.yaml", "-o", &report]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&report).unwrap().contains("<html"));
    let man = scratch.path("man");
    let o = run(&["man", "-o", &man]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::path::Path::new(&man).join("authorship.1").is_file());
    for command in ["schema", "report", "batch", "man"] {
        let help = stdout(&run(&[command, "--help"]));
        assert!(help.contains("-o, --output <"), "{command}:\n{help}");
    }
}

/// The subcommands the top-level help lists.
fn subcommands() -> Vec<String> {
    let help = stdout(&run(&["--help"]));
    let list = help
        .split("Commands:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    list.lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn bash_completions_name_every_subcommand() {
    let commands = subcommands();
    assert!(commands.len() > 10, "{commands:?}");
    let o = run(&["completions", "bash"]);
    let script = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(script.contains("complete "), "{script}");
    for command in &commands {
        assert!(
            script.contains(&format!("authorship__subcmd__{command}")),
            "{command}"
        );
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_man_page_names_every_subcommand_and_says_it_is_not_legal_advice() {
    let o = run(&["man"]);
    let page = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        page.starts_with(".ie") || page.contains(".TH authorship 1"),
        "{page}"
    );
    assert!(page.contains("not legal advice"), "{page}");
    for command in subcommands() {
        assert!(
            page.contains(&command),
            "{command} missing from the man page"
        );
    }
    let scratch = Scratch::new("man");
    let dir = scratch.path("pages");
    assert!(run(&["man", "-o", &dir]).status.success());
    let compare =
        std::fs::read_to_string(PathBuf::from(&dir).join("authorship-compare.1")).unwrap();
    assert!(compare.contains("\\-\\-by"), "{compare}");
}
