//! Issue 16, the rules inside the program: an installed `authorship` run
//! from any directory applies the rules built into it and says so; `--rules
//! DIR` and `AUTHORSHIP_RULES` override them; `rules export` writes them out
//! as files that load and compare identically; the commands that need a
//! rules directory say what to do when there is none.
//!
//! Every run here removes `AUTHORSHIP_RULES` from its environment (the other
//! tests set it to the checkout's `rules/`: see `common::authorship`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::{authorship, stderr, stdout};

/// A fresh directory under the system's temporary directory, removed when
/// dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir =
            std::env::temp_dir().join(format!("authorship-ux-embed-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary in `cwd` with `AUTHORSHIP_RULES` removed, or set to
/// `env` when given.
fn run_in(cwd: &Path, env: Option<&Path>, args: &[&str]) -> Output {
    let mut command = authorship();
    command.current_dir(cwd).env_remove("AUTHORSHIP_RULES");
    if let Some(dir) = env {
        command.env("AUTHORSHIP_RULES", dir);
    }
    command
        .args(args)
        .output()
        .expect("run the authorship binary")
}

/// The JSON document a successful run printed.
fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

/// The verdict of `ruleset` in the first case of a `compare` document.
fn verdict<'a>(doc: &'a Value, ruleset: &str) -> &'a str {
    doc["cases"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ruleset"] == ruleset)
        .unwrap_or_else(|| panic!("no column {ruleset}"))["verdict"]
        .as_str()
        .unwrap()
}

/// The built-in rules' header line, as every text output names them.
fn built_in_line() -> String {
    format!(
        "rules: built into authorship {} (digest ",
        env!("CARGO_PKG_VERSION")
    )
}

#[test]
fn compare_in_an_empty_directory_applies_the_built_in_rules() {
    let dir = Temp::new("empty");
    fs::copy("cases/li-v-liu.yaml", dir.0.join("li-v-liu.yaml")).unwrap();

    let o = run_in(&dir.0, None, &["compare", "li-v-liu.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Li v. Liu"), "{text}");
    assert!(text.contains("case: li-v-liu.yaml"), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with(&built_in_line())),
        "{text}"
    );
    assert!(text.contains("beijing-internet-court"), "{text}");

    let doc = json(&run_in(
        &dir.0,
        None,
        &["compare", "li-v-liu.yaml", "--format", "json"],
    ));
    assert_eq!(verdict(&doc, "beijing-internet-court"), "protected");
    assert_eq!(verdict(&doc, "us-copyright-office"), "not_protected");
    let rule_set = &doc["cases"][0]["rule_set"];
    assert_eq!(rule_set["source"], "embedded");
    assert_eq!(rule_set["version"], env!("CARGO_PKG_VERSION"));
    let digest = rule_set["digest"].as_str().unwrap();
    assert_eq!(digest.len(), 12);
    assert!(digest.chars().all(|c| c.is_ascii_hexdigit()), "{digest}");

    // The other case commands name the built-in set too.
    for args in [
        &[
            "explain",
            "li-v-liu.yaml",
            "--ruleset",
            "us-copyright-office",
        ][..],
        &[
            "whatif",
            "li-v-liu.yaml",
            "--ruleset",
            "us-copyright-office",
        ],
        &["report", "li-v-liu.yaml", "--format", "markdown"],
    ] {
        let o = run_in(&dir.0, None, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).contains(&built_in_line()), "{args:?}");
    }
}

/// A copy of the checkout's rules in which `us-copyright-office` has a
/// title of its own, so that a run shows which copy it read.
fn marked_copy(root: &Path) -> PathBuf {
    let rules = root.join("marked-rules");
    fs::create_dir_all(&rules).unwrap();
    for entry in fs::read_dir("rules").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, rules.join(path.file_name().unwrap())).unwrap();
    }
    let file = rules.join("us-copyright-office.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let (before, after) = text.split_once("\ntitle: ").unwrap();
    let after = after.split_once('\n').unwrap().1;
    fs::write(&file, format!("{before}\ntitle: Marked copy\n{after}")).unwrap();
    rules
}

/// The title the first `compare` document gives `us-copyright-office`.
fn us_title(doc: &Value) -> &str {
    doc["rulesets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "us-copyright-office")
        .unwrap()["title"]
        .as_str()
        .unwrap()
}

#[test]
fn the_rules_option_and_the_environment_override_the_built_in_rules() {
    let dir = Temp::new("override");
    fs::copy("cases/li-v-liu.yaml", dir.0.join("li-v-liu.yaml")).unwrap();
    let marked = marked_copy(&dir.0);
    let marked_arg = marked.to_str().unwrap();
    let compare = ["compare", "li-v-liu.yaml", "--format", "json"];

    let built_in = json(&run_in(&dir.0, None, &compare));
    assert_ne!(us_title(&built_in), "Marked copy");

    let by_option = json(&run_in(
        &dir.0,
        None,
        &[&compare[..], &["--rules", marked_arg]].concat(),
    ));
    let by_env = json(&run_in(&dir.0, Some(&marked), &compare));
    for doc in [&by_option, &by_env] {
        assert_eq!(us_title(doc), "Marked copy");
        let rule_set = &doc["cases"][0]["rule_set"];
        assert_eq!(rule_set["source"], "directory");
        assert_eq!(rule_set["path"], marked_arg);
    }

    // The option wins over the environment.
    let missing = dir.0.join("no-such-rules");
    let o = run_in(
        &dir.0,
        Some(&missing),
        &[&compare[..], &["--rules", marked_arg]].concat(),
    );
    assert_eq!(us_title(&json(&o)), "Marked copy");

    // A directory named that is not there is an error, never a silent
    // fall-back to the built-in rules, and says what to do.
    let o = run_in(&dir.0, Some(&missing), &compare);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no-such-rules does not exist: "), "{err}");
    assert!(err.contains("authorship rules export DIR"), "{err}");

    let text = stdout(&run_in(
        &dir.0,
        Some(&marked),
        &["compare", "li-v-liu.yaml"],
    ));
    assert!(
        text.contains(&format!("rules: from the directory {marked_arg}\n")),
        "{text}"
    );
}

#[test]
fn rule_author_commands_need_a_directory_and_say_how_to_get_one() {
    let dir = Temp::new("author");
    for command in ["check", "test", "coverage"] {
        let o = run_in(&dir.0, None, &[command]);
        assert_eq!(o.status.code(), Some(1), "{command}");
        let err = stderr(&o);
        assert!(err.contains("rules/facts.yaml"), "{command}: {err}");
        assert!(
            err.contains("\nhint: rules does not exist: run inside a checkout"),
            "{command}: {err}"
        );
        assert!(err.contains("`authorship rules export DIR`"), "{err}");
    }
}

/// Every file of `dir`, by name, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_str().unwrap().starts_with('.'))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn exported_rules_load_and_compare_as_the_built_in_ones() {
    let dir = Temp::new("export");
    let o = run_in(&dir.0, None, &["rules", "export", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("to out/rules and"), "{said}");
    assert!(said.contains("built into authorship"), "{said}");
    let out = dir.0.join("out");

    // The checkout's files, byte for byte (the build embeds them).
    assert_eq!(files(&out.join("rules")), files(Path::new("rules")));
    assert_eq!(files(&out.join("cases")), files(Path::new("cases")));

    // They load, and give the same comparison as the built-in rules.
    let args = |rules: Option<&str>| {
        let mut a = vec!["compare", "out/cases/li-v-liu.yaml", "--format", "json"];
        a.extend(rules.map(|r| ["--rules", r]).into_iter().flatten());
        run_in(&dir.0, None, &a)
    };
    let mut built_in = json(&args(None));
    let mut exported = json(&args(Some("out/rules")));
    assert_eq!(exported["cases"][0]["rule_set"]["path"], "out/rules");
    for doc in [&mut built_in, &mut exported] {
        doc["cases"][0].as_object_mut().unwrap().remove("rule_set");
    }
    assert_eq!(built_in, exported);

    // Inside the export, the rule-author commands find them by default.
    let o = run_in(&out, None, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("no errors\n"), "{}", stdout(&o));

    // Exporting again refuses to overwrite, and writes nothing…
    let facts = out.join("rules/facts.yaml");
    fs::write(&facts, "edited\n").unwrap();
    let o = run_in(&dir.0, None, &["rules", "export", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("exists; not overwritten (add --force"));
    assert_eq!(fs::read_to_string(&facts).unwrap(), "edited\n");
    // …unless asked to.
    let o = run_in(&dir.0, None, &["rules", "export", "out", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        fs::read(&facts).unwrap(),
        fs::read("rules/facts.yaml").unwrap()
    );
}
