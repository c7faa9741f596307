//! Issue 15, the writes: every file the tool writes (`report -o`,
//! `batch -o`, `whatif --emit`, `ask --save`, `schema --out`) refuses to
//! overwrite one of its inputs, an existing file without `--force`, or a
//! symbolic link, and appears complete or not at all; `diff --before REV`
//! checks REV, needs no temporary directory and works from anywhere in the
//! repository; `ask` survives bad answer lines and checks `--save` first.

use crate::common::{self, run, run_with_stdin, stderr, stdout};
use crate::properties::TempDir;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use authorship::interview::MAX_ANSWER_BYTES;

/// A case copied into `dir`, returned by its path there.
fn copy_case(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy("cases/li-v-liu.yaml", &to).unwrap();
    to
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Asserts a run was refused (exit 1) with a message containing `needle`.
fn refused(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(1), "{}\n{}", stdout(o), stderr(o));
    assert!(
        stderr(o).contains(needle),
        "wanted `{needle}` in: {}",
        stderr(o)
    );
}

const RECORDS: &str =
    "{\"id\": 1, \"facts\": {}}\n{\"id\": 2, \"facts\": {\"generative_ai_used\": false}}\n";

/// Issue 15 item 7: `batch X -o X` is refused and X is unchanged, however
/// the output path spells X (as given, through `./`, through a symbolic
/// link to its directory) and with `--force` too; so is `-o X < X`.
#[test]
fn batch_refuses_to_write_over_its_own_input() {
    let dir = TempDir::new("writes-batch-self");
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, RECORDS).unwrap();
    let linked = dir.path().join("linked");
    std::os::unix::fs::symlink(dir.path(), &linked).unwrap();
    let spellings = [
        input.clone(),
        dir.path().join(".").join("in.jsonl"),
        linked.join("in.jsonl"),
    ];
    for out in &spellings {
        for force in [false, true] {
            let mut args = vec!["batch", s(&input), "-o", s(out)];
            if force {
                args.push("--force");
            }
            let o = run(&args);
            refused(&o, "is also an input");
            assert_eq!(std::fs::read_to_string(&input).unwrap(), RECORDS, "{out:?}");
        }
    }
    // Standard input redirected from the output file.
    let o = common::authorship()
        .args(["batch", "-o", s(&input), "--force"])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    refused(&o, "is also an input");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), RECORDS);
}

/// Issue 15 item 7: `report CASE -o CASE` is refused, with or without
/// `--force`, and the case is unchanged.
#[test]
fn report_refuses_to_write_over_its_case() {
    let dir = TempDir::new("writes-report-self");
    let case = copy_case(dir.path(), "case.yaml");
    let before = std::fs::read(&case).unwrap();
    for force in [false, true] {
        let mut args = vec!["report", s(&case), "-o", s(&case)];
        if force {
            args.push("--force");
        }
        refused(&run(&args), "is also an input");
        assert_eq!(std::fs::read(&case).unwrap(), before);
    }
}

/// Issue 15 item 17: an existing output is not replaced without `--force`,
/// and is with it.
#[test]
fn report_replaces_an_existing_output_only_with_force() {
    let dir = TempDir::new("writes-report-force");
    let out = dir.path().join("out.html");
    std::fs::write(&out, "a good earlier report\n").unwrap();
    let o = run(&["report", "cases/li-v-liu.yaml", "-o", s(&out)]);
    refused(&o, "--force");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "a good earlier report\n"
    );
    let o = run(&["report", "cases/li-v-liu.yaml", "-o", s(&out), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// Issue 15 item 17: an output path that is a symbolic link is refused by
/// every command that writes, `--force` or not, and the link's target is
/// unchanged.
#[test]
fn no_command_writes_through_a_symbolic_link() {
    let dir = TempDir::new("writes-symlink");
    let target = dir.path().join("precious.txt");
    std::fs::write(&target, "precious\n").unwrap();
    let link = dir.path().join("link.out");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, RECORDS).unwrap();
    let emit = dir.path().join("emit");
    std::fs::create_dir(&emit).unwrap();
    // The first file `whatif --emit` writes, as a link.
    std::os::unix::fs::symlink(
        &target,
        emit.join("li-v-liu-us-copyright-office-whatif-1.yaml"),
    )
    .unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir(&schema).unwrap();
    std::os::unix::fs::symlink(&target, schema.join("case.schema.json")).unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["report", "cases/li-v-liu.yaml", "-o", s(&link)],
        vec!["batch", s(&input), "-o", s(&link)],
        vec![
            "ask",
            "--ruleset",
            "us-copyright-office",
            "--save",
            s(&link),
        ],
        vec![
            "whatif",
            "cases/li-v-liu.yaml",
            "--ruleset",
            "us-copyright-office",
            "--emit",
            s(&emit),
        ],
        vec!["schema", "--out", s(&schema)],
    ];
    for args in runs {
        for force in [false, true] {
            let mut args = args.clone();
            if force {
                args.push("--force");
            }
            let o = run_with_stdin(&args, b"");
            refused(&o, "symbolic link");
            assert_eq!(
                std::fs::read_to_string(&target).unwrap(),
                "precious\n",
                "{args:?}"
            );
            assert!(link.is_symlink());
        }
    }
}

/// Issue 15 item 17: `whatif --emit` into a directory holding a file of
/// the same name is refused without `--force` (and writes none of the
/// files), and replaces it with `--force`; `schema --out` likewise.
#[test]
fn emit_and_schema_refuse_to_overwrite_without_force() {
    let dir = TempDir::new("writes-emit");
    let first = dir
        .path()
        .join("li-v-liu-us-copyright-office-whatif-1.yaml");
    std::fs::write(&first, "mine\n").unwrap();
    let args = [
        "whatif",
        "cases/li-v-liu.yaml",
        "--ruleset",
        "us-copyright-office",
        "--emit",
        s(dir.path()),
    ];
    refused(&run(&args), "--force");
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "mine\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let mut forced = args.to_vec();
    forced.push("--force");
    let o = run(&forced);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&first).unwrap().contains("facts:"));

    let schema = TempDir::new("writes-schema");
    let file = schema.path().join("case.schema.json");
    std::fs::write(&file, "mine\n").unwrap();
    refused(&run(&["schema", "--out", s(schema.path())]), "--force");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine\n");
    let o = run(&["schema", "--out", s(schema.path()), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&file).unwrap().contains("$schema"));
}

/// Issue 15 item 17: a write killed midway leaves the earlier file whole.
/// `batch -o OUT --force` reading a pipe that stays open is killed once
/// it has started writing: OUT still holds what it held.
#[test]
fn a_write_killed_midway_leaves_the_old_file_whole() {
    let dir = TempDir::new("writes-killed");
    let out = dir.path().join("out.jsonl");
    std::fs::write(&out, "the good earlier output\n").unwrap();
    let mut child = common::authorship()
        .args(["batch", "-", "-o", s(&out), "--force"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(RECORDS.as_bytes()).unwrap();
    // Started writing: the old code truncates OUT at once, the new one has
    // made its temporary file beside it.
    let start = Instant::now();
    loop {
        let entries = std::fs::read_dir(dir.path()).unwrap().count();
        let now = std::fs::read_to_string(&out).unwrap_or_default();
        if entries > 1 || now != "the good earlier output\n" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(pipe);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the good earlier output\n"
    );
}

/// Issue 15 item 17: `pin` rewrites its cases in place, whole, but not a
/// case that is a symbolic link (the rename would replace the link, and
/// writing to its target would edit a file not named): that case is
/// refused (exit 1) and the others are pinned.
#[test]
fn pin_refuses_a_case_that_is_a_symbolic_link() {
    let dir = TempDir::new("writes-pin");
    let text = std::fs::read_to_string("cases/li-v-liu.yaml").unwrap();
    let unpinned = &text[..text.find("\nexpect:").unwrap() + 1];
    let real = dir.path().join("real.yaml");
    std::fs::write(&real, unpinned).unwrap();
    let other = dir.path().join("other.yaml");
    std::fs::write(&other, unpinned).unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = run(&["pin", s(&link), s(&other)]);
    refused(&o, "symbolic link");
    assert_eq!(std::fs::read_to_string(&real).unwrap(), unpinned);
    assert!(link.is_symlink());
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("basis: prediction")
    );
    // Only the three files: no temporary file left beside them.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
}

// ─────────────────────────────── diff --before ───────────────────────────────

/// A git repository holding a copy of the shipped rules and one case,
/// committed, with a subdirectory `sub/`; then, uncommitted, a new ruleset
/// (a copy of `thaler-v-perlmutter` as `zz-copy`), so that the working
/// tree's rules differ from HEAD's in exactly that ruleset.
fn repository() -> TempDir {
    let repo = TempDir::new("writes-repo");
    let root = repo.path();
    std::fs::create_dir_all(root.join("rules")).unwrap();
    std::fs::create_dir_all(root.join("cases")).unwrap();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("sub/.keep"), "").unwrap();
    for f in common::yaml_files("rules") {
        std::fs::copy(&f, root.join("rules").join(f.file_name().unwrap())).unwrap();
    }
    copy_case(&root.join("cases"), "li-v-liu.yaml");
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "rules"]);
    let text = std::fs::read_to_string(root.join("rules/thaler-v-perlmutter.yaml")).unwrap();
    let copy = text.replacen("\nid: thaler-v-perlmutter\n", "\nid: zz-copy\n", 1);
    assert_ne!(copy, text);
    std::fs::write(root.join("rules/zz-copy.yaml"), copy).unwrap();
    repo
}

/// Runs `diff --format json` in `cwd` with `args`; returns the rulesets of
/// the changes listed (exit 1: there are changes).
fn changed_rulesets(cwd: &Path, args: &[&str]) -> Vec<String> {
    let o = Command::new(env!("CARGO_BIN_EXE_authorship"))
        .arg("diff")
        .args(args)
        .args(["--format", "json"])
        .current_dir(cwd)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ruleset"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 15 item 13: `diff --before HEAD` works with an absolute `--rules`
/// (here from the crate's directory, another repository) and from a
/// subdirectory of the repository with a relative `--rules ../rules`.
#[test]
fn diff_before_a_revision_works_with_an_absolute_rules_and_from_a_subdirectory() {
    let repo = repository();
    let root = repo.path();
    let rules = root.join("rules");
    let cases = root.join("cases");
    let here = std::env::current_dir().unwrap();
    let absolute = changed_rulesets(
        &here,
        &[
            "--before",
            "HEAD",
            "--rules",
            s(&rules),
            "--cases",
            s(&cases),
        ],
    );
    assert_eq!(absolute, ["zz-copy"]);
    let from_sub = changed_rulesets(
        &root.join("sub"),
        &[
            "--before", "HEAD", "--rules", "../rules", "--cases", "../cases",
        ],
    );
    assert_eq!(from_sub, ["zz-copy"]);
    // Both sides from git, the "after" a commit hash.
    let o = Command::new(env!("CARGO_BIN_EXE_authorship"))
        .args(["diff", "--before", "HEAD", "--after", "HEAD"])
        .args(["--rules", s(&rules), "--cases", s(&cases)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("nothing changed"), "{}", stdout(&o));
}

/// Issue 15 item 12: a revision is checked as a commit before git reads
/// anything with it: `--before=--format=%x` and other non-commits are
/// refused clearly, never passed on as an option.
#[test]
fn diff_refuses_a_revision_that_is_not_a_commit() {
    let repo = repository();
    let rules = repo.path().join("rules");
    let cases = repo.path().join("cases");
    for rev in [
        "--format=%x",
        "-h",
        "no-such-revision",
        "HEAD^{tree}",
        "HEAD~5",
    ] {
        let o = run(&[
            "diff",
            &format!("--before={rev}"),
            "--rules",
            s(&rules),
            "--cases",
            s(&cases),
        ]);
        // Exit 2, not 1: `diff` exits 1 only when outcomes changed (issue 16).
        assert_eq!(o.status.code(), Some(2), "{rev}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("is not a commit"),
            "{rev}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("usage:"), "{rev}: {}", stderr(&o));
        assert!(stderr(&o).lines().count() <= 2, "{rev}: {}", stderr(&o));
    }
}

/// Issue 15 item 11: the rules of a revision are read from git with no
/// temporary directory at all, so nothing planted in one can take part:
/// with `TMPDIR` an empty directory the diff is right and the directory
/// stays empty, and with `TMPDIR` missing it still works.
#[test]
fn diff_before_a_revision_uses_no_temporary_directory() {
    let repo = repository();
    let rules = repo.path().join("rules");
    let cases = repo.path().join("cases");
    let tmp = TempDir::new("writes-tmpdir");
    for tmpdir in [tmp.path().to_path_buf(), tmp.path().join("missing")] {
        let o = common::authorship()
            .args(["diff", "--before", "HEAD", "--format", "json"])
            .args(["--rules", s(&rules), "--cases", s(&cases)])
            .env("TMPDIR", &tmpdir)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stdout(&o).contains("\"ruleset\": \"zz-copy\""));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}

// ──────────────────────────────────── ask ────────────────────────────────────

/// Runs `ask --ruleset us-copyright-office` with `extra` arguments and
/// `input` on stdin.
fn ask(extra: &[&str], input: &[u8]) -> Output {
    let mut args = vec!["ask", "--ruleset", "us-copyright-office"];
    args.extend_from_slice(extra);
    run_with_stdin(&args, input)
}

/// The value a saved case gives a fact (`None`: not stated).
fn saved_fact(path: &Path, fact: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{fact}: ")))
        .map(str::to_string)
}

/// Issue 15 item 16: a line that is not UTF-8 is refused and the question
/// asked again; the interview goes on and `--save` writes the answers.
#[test]
fn ask_refuses_a_line_that_is_not_utf8_and_asks_again() {
    let dir = TempDir::new("writes-ask-utf8");
    let save = dir.path().join("answers.yaml");
    let o = ask(&["--save", s(&save)], b"n\xffo\nno\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("not valid UTF-8"), "{out}");
    assert_eq!(out.matches("? generative_ai_used").count(), 2, "{out}");
    assert_eq!(
        saved_fact(&save, "generative_ai_used").as_deref(),
        Some("false")
    );
}

/// The peak resident memory of `ask` (kB) once it has refused `line` as
/// the first answer and accepted `no` after it, read from /proc while it
/// waits for the next answer.
fn ask_peak_memory(line: &[u8]) -> (u64, String) {
    let dir = TempDir::new("writes-ask-memory");
    let log = dir.path().join("stdout");
    let mut child = common::authorship()
        .args(["ask", "--ruleset", "us-copyright-office"])
        .stdin(Stdio::piped())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let mut input = line.to_vec();
    input.extend_from_slice(b"\nno\n");
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
        pipe // kept open: the interview waits at its second question
    });
    let start = Instant::now();
    while !std::fs::read_to_string(&log).is_ok_and(|t| t.contains("\nQ2. ")) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no second question"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    drop(writer.join().unwrap());
    child.wait().unwrap();
    (peak, std::fs::read_to_string(&log).unwrap_or_default())
}

/// Issue 15 item 16: an answer line over `MAX_ANSWER_BYTES` is refused and
/// the question asked again, without holding the line: 10 MB of answer
/// costs no more memory than a short bad answer (within 4 MB).
#[test]
fn ask_refuses_an_overlong_line_in_bounded_memory() {
    let (short, _) = ask_peak_memory(b"maybe");
    let (long, out) = ask_peak_memory(&vec![b'y'; 10 << 20]);
    assert!(out.contains("too long"), "{}", &out[..out.len().min(2000)]);
    assert!(out.len() < 64 << 10, "the long answer was echoed");
    assert!(
        long < short + 4096,
        "peak memory {long} kB with a 10 MB line, {short} kB without"
    );
    // Just over the limit is refused too, and at the limit is read.
    let over = vec![b' '; MAX_ANSWER_BYTES + 1];
    let out = stdout(&ask(&[], &[&over[..], b"\nno\n"].concat()));
    assert!(out.contains("too long"), "{out}");
    let mut at = vec![b' '; MAX_ANSWER_BYTES - 2];
    at.extend_from_slice(b"no");
    let out = stdout(&ask(&[], &[&at[..], b"\n"].concat()));
    assert!(!out.contains("too long"), "{out}");
    assert!(out.contains("\nQ2. "), "{out}");
}

/// Issue 15 item 16: a `--save` path that cannot be written is refused
/// before the first question: a missing directory, an existing file
/// without `--force`, the `--from` case itself.
#[test]
fn ask_checks_the_save_path_before_the_first_question() {
    let dir = TempDir::new("writes-ask-save");
    let existing = dir.path().join("existing.yaml");
    std::fs::write(&existing, "mine\n").unwrap();
    let case = copy_case(dir.path(), "case.yaml");
    let runs: [(Vec<&str>, &str); 3] = [
        (
            vec!["--save", "/nonexistent/dir/x.yaml"],
            "/nonexistent/dir",
        ),
        (vec!["--save", s(&existing)], "--force"),
        (
            vec!["--from", s(&case), "--save", s(&case), "--force"],
            "is also an input",
        ),
    ];
    for (args, needle) in runs {
        let o = ask(&args, b"no\nno\n");
        refused(&o, needle);
        assert!(!stdout(&o).contains("Q1."), "{args:?}: {}", stdout(&o));
    }
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "mine\n");
}

/// Issue 15 item 16: the count is of questions answered: two answers then
/// the end of input make "2 question(s)", on screen and in the saved case,
/// and the two answers are saved.
#[test]
fn ask_counts_the_questions_answered() {
    let dir = TempDir::new("writes-ask-count");
    let save = dir.path().join("answers.yaml");
    // `skip` leaves every outcome open, so a third question is asked.
    let o = ask(&["--save", s(&save)], b"skip\nskip\n");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("\nQ3. "), "{out}");
    assert!(out.contains("after 2 question(s)"), "{out}");
    let saved = std::fs::read_to_string(&save).unwrap();
    assert!(saved.contains("an interview of 2 question(s)"), "{saved}");
}

/// Issue 15 item 16: a ruleset chosen both by `--jurisdiction` and by
/// `--ruleset` is settled, and shown, once.
#[test]
fn ask_shows_a_ruleset_chosen_twice_once() {
    let o = run_with_stdin(
        &[
            "ask",
            "--jurisdiction",
            "US",
            "--ruleset",
            "us-copyright-office",
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let first = out.split("\n  now:").nth(1).unwrap();
    let block = first.split("\n\n").next().unwrap();
    assert_eq!(
        block.matches("\n    us-copyright-office:").count(),
        1,
        "{block}"
    );
}

/// Issue 15 item 16: `MAX_ANSWER_BYTES` has its row in docs/limits.md with
/// its value.
#[test]
fn limits_doc_lists_the_answer_limit() {
    let doc = std::fs::read_to_string("docs/limits.md").unwrap();
    let row = doc
        .lines()
        .find(|l| l.starts_with('|') && l.contains("| `MAX_ANSWER_BYTES` |"))
        .expect("a row for MAX_ANSWER_BYTES");
    assert!(row.contains(&format!("| {MAX_ANSWER_BYTES} ")), "{row}");
}
