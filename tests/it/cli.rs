//! The binary: output and exit codes of `compare`, `explain` and `check`.

use std::path::Path;

use crate::common::{self, run, stderr, stdout};

#[test]
fn compare_text_shows_every_ruleset_side_by_side() {
    common::snapshots!();
    let o = run(&["compare", "cases/li-v-liu.yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn compare_json_carries_the_acceptance_outcomes() {
    let o = run(&[
        "compare",
        "cases/li-v-liu.yaml",
        "cases/zarya-of-the-dawn.yaml",
        "cases/thaler-recent-entrance.yaml",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["schema"], "authorship/compare/v2");
    let cell = |case: usize, ruleset: &str| {
        doc["cases"][case]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["ruleset"] == ruleset)
            .unwrap()
            .clone()
    };
    let li = cell(0, "beijing-internet-court");
    assert_eq!(li["verdict"], "protected");
    assert_eq!(li["authors"], serde_json::json!(["human_user"]));
    let zarya = cell(1, "us-copyright-office");
    assert_eq!(zarya["verdict"], "partially_protected");
    let status = |el: &str| {
        zarya["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["element"] == el)
            .map(|e| e["status"].clone())
    };
    assert_eq!(status("human_authored_material").unwrap(), "protected");
    assert_eq!(status("selection_and_arrangement").unwrap(), "protected");
    assert_eq!(status("generated_output").unwrap(), "not_protected");
    let thaler = cell(2, "thaler-v-perlmutter");
    assert_eq!(thaler["verdict"], "not_protected");
    assert_eq!(thaler["authors"], serde_json::json!([]));
    assert_eq!(cell(0, "us-copyright-office")["verdict"], "not_protected");
    assert_eq!(
        cell(2, "beijing-internet-court")["verdict"],
        "not_protected"
    );
    assert_eq!(cell(2, "us-copyright-office")["verdict"], "not_protected");
    assert_eq!(cell(0, "thaler-v-perlmutter")["verdict"], "not_addressed");
    assert_eq!(cell(1, "thaler-v-perlmutter")["verdict"], "not_addressed");
}

#[test]
fn compare_markdown() {
    common::snapshots!();
    let o = run(&[
        "compare",
        "cases/zarya-of-the-dawn.yaml",
        "--format",
        "markdown",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn explain_text() {
    common::snapshots!();
    let o = run(&[
        "explain",
        "cases/zarya-of-the-dawn.yaml",
        "--ruleset",
        "us-copyright-office",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn explain_json_has_the_explanation_tree() {
    let o = run(&[
        "explain",
        "cases/li-v-liu.yaml",
        "--ruleset",
        "beijing-internet-court",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["schema"], "authorship/explain/v1");
    let e = &doc["evaluation"];
    assert_eq!(e["verdict"], "protected");
    let decided = e["decided_by"].as_array().unwrap();
    assert!(!decided.is_empty());
    let rules = e["rules"].as_array().unwrap();
    for id in decided {
        let node = rules.iter().find(|r| r["rule"] == *id).unwrap();
        assert_eq!(node["applies"], "true");
        assert!(node["pinpoint"].as_str().is_some_and(|p| !p.is_empty()));
        assert!(node["citation"].as_str().is_some_and(|p| !p.is_empty()));
    }
}

#[test]
fn unknown_ruleset_is_exit_1_with_a_suggestion() {
    let o = run(&[
        "explain",
        "cases/li-v-liu.yaml",
        "--ruleset",
        "us-copyright-ofice",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean `us-copyright-office`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn set_and_unset_override_facts() {
    let o = run(&[
        "compare",
        "cases/li-v-liu.yaml",
        "--format",
        "json",
        "--set",
        "post_edited_by_human=true",
        "--set",
        "edit_scope=changed_content",
        "--set",
        "edits_documented=true",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let us = doc["cases"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ruleset"] == "us-copyright-office")
        .unwrap()
        .clone();
    assert_eq!(us["verdict"], "partially_protected");

    let o = run(&[
        "compare",
        "cases/li-v-liu.yaml",
        "--format",
        "json",
        "--unset",
        "prompt_detail",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let bic = doc["cases"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ruleset"] == "beijing-internet-court")
        .unwrap()
        .clone();
    assert_eq!(bic["verdict"], "undetermined");
    assert!(
        bic["depends_on"]
            .as_array()
            .unwrap()
            .contains(&"prompt_detail".into())
    );
}

#[test]
fn bad_overrides_are_exit_1() {
    common::snapshots!();
    let o = run(&[
        "compare",
        "cases/li-v-liu.yaml",
        "--set",
        "post_edited=maybe",
        "--set",
        "edit_scope=huge",
        "--unset",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&o));
}

#[test]
fn check_passes_on_the_shipped_files() {
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("ok: "), "{}", stdout(&o));
}

#[test]
fn check_fails_on_a_misspelt_fact_with_location_and_suggestion() {
    let dir = std::env::temp_dir().join(format!("authorship-cli-{}", std::process::id()));
    copy_dir(Path::new("rules"), &dir);
    let file = dir.join("us-copyright-office.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // Misspell the fact in the condition of one named rule.
    let at = text.find("- id: usco-faithful-reproduction\n").unwrap();
    let (before, rule) = text.split_at(at);
    assert!(rule.contains("when: human_made_material_in_work"));
    let misspelt = rule.replacen(
        "when: human_made_material_in_work",
        "when: human_authored_materiel_in_work",
        1,
    );
    std::fs::write(&file, format!("{before}{misspelt}")).unwrap();
    let o = run(&["check", "--rules", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("us-copyright-office.yaml:"), "{err}");
    assert!(
        err.contains("unknown fact `human_authored_materiel_in_work`"),
        "{err}"
    );
    assert!(
        err.contains("(rule `usco-faithful-reproduction`, field `when`)"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `human_made_material_in_work`?"),
        "{err}"
    );
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(run(&["compare"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn outputs_are_deterministic() {
    for format in ["text", "json", "markdown"] {
        let a = stdout(&run(&[
            "compare",
            "cases/zarya-of-the-dawn.yaml",
            "--format",
            format,
        ]));
        let b = stdout(&run(&[
            "compare",
            "cases/zarya-of-the-dawn.yaml",
            "--format",
            format,
        ]));
        assert_eq!(a, b);
        assert!(a.contains("not legal advice"), "{format}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

fn json(args: &[&str]) -> serde_json::Value {
    let o = run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn by_jurisdiction_names_the_deciding_authority() {
    common::snapshots!();
    let doc = json(&[
        "compare",
        "cases/li-v-liu.yaml",
        "--by",
        "jurisdiction",
        "--format",
        "json",
    ]);
    let list = doc["cases"][0]["jurisdictions"].as_array().unwrap();
    let decided: Vec<&serde_json::Value> = list
        .iter()
        .filter(|j| j["decided_by"].is_string())
        .collect();
    let decider = |id: &str| {
        list.iter()
            .find(|j| j["jurisdiction"] == id)
            .and_then(|j| j["decided_by"].as_str())
    };
    assert_eq!(decider("CN"), Some("beijing-internet-court"));
    assert_eq!(decider("US"), Some("us-copyright-office"));
    // The EU row is supranational: no national court ever decides it.
    assert_ne!(decider("EU"), Some("cz-prague-municipal-court"));
    assert!(
        decided.len() >= 2,
        "{} jurisdictions decided",
        decided.len()
    );
    for j in list {
        if j["verdict"] != "not_addressed" {
            assert!(j["authority"].is_string(), "{j}");
        }
    }
    let ids: Vec<&str> = list
        .iter()
        .map(|j| j["jurisdiction"].as_str().unwrap())
        .collect();
    for id in ["CN", "US", "UK", "EU", "JP", "KR"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let o = run(&["compare", "cases/li-v-liu.yaml", "--by", "jurisdiction"]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn as_of_changes_which_authorities_are_in_force_and_is_stated() {
    let us = |date: &str| {
        let doc = json(&[
            "compare",
            "cases/li-v-liu.yaml",
            "--as-of",
            date,
            "--format",
            "json",
        ]);
        assert_eq!(doc["cases"][0]["as_of"], date);
        assert_eq!(doc["cases"][0]["as_of_source"], "option");
        doc["cases"][0]["jurisdictions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["jurisdiction"] == "US")
            .unwrap()
            .clone()
    };
    let early = us("2023-06-01");
    let late = us("2025-06-01");
    let in_force = |j: &serde_json::Value, r: &str| {
        j["authorities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["ruleset"] == r)
            .unwrap()["in_force"]
            .clone()
    };
    assert_eq!(in_force(&early, "thaler-v-perlmutter"), false);
    assert_eq!(in_force(&late, "thaler-v-perlmutter"), true);
    assert_eq!(early["decided_by"], "us-copyright-office");
    let text = stdout(&run(&[
        "compare",
        "cases/li-v-liu.yaml",
        "--by",
        "jurisdiction",
        "--as-of",
        "2023-06-01",
    ]));
    assert!(
        text.contains("as of: 2023-06-01 (set with --as-of)"),
        "{text}"
    );
    // The Office's Part 2 rules (29 Jan 2025) decide only in the later view.
    let rules = |date: &str| {
        let doc = json(&[
            "explain",
            "cases/li-v-liu.yaml",
            "--ruleset",
            "us-copyright-office",
            "--as-of",
            date,
            "--format",
            "json",
        ]);
        doc["evaluation"]["decided_by"].clone()
    };
    assert_ne!(rules("2023-06-01"), rules("2025-06-01"));
}

#[test]
fn variants_show_named_readings_with_different_outcomes() {
    let doc = json(&[
        "compare",
        "cases/thaler-recent-entrance.yaml",
        "--variants",
        "--format",
        "json",
    ]);
    let columns = doc["cases"][0]["columns"].as_array().unwrap();
    let readings: Vec<&serde_json::Value> = columns
        .iter()
        .filter(|c| c["variant"].is_string())
        .collect();
    assert!(readings.len() >= 2, "{} readings", readings.len());
    let differs = readings.iter().any(|r| {
        let base = columns
            .iter()
            .find(|c| c["ruleset"] == r["ruleset"] && c["variant"].is_null())
            .unwrap();
        base["verdict"] != r["verdict"]
    });
    assert!(differs, "no reading changes an outcome on this case");
    let plain = json(&[
        "compare",
        "cases/thaler-recent-entrance.yaml",
        "--format",
        "json",
    ]);
    assert!(
        plain["cases"][0]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["variant"].is_null())
    );
}

#[test]
fn whatif_finds_changes_that_would_protect_li_v_liu_in_the_us() {
    common::snapshots!();
    let doc = json(&[
        "whatif",
        "cases/li-v-liu.yaml",
        "--ruleset",
        "us-copyright-office",
        "--format",
        "json",
    ]);
    assert_eq!(doc["schema"], "authorship/whatif/v1");
    assert_eq!(doc["verdict"], "not_protected");
    let sets = doc["counterfactuals"].as_array().unwrap();
    let protecting: Vec<&serde_json::Value> = sets
        .iter()
        .filter(|c| c["verdict"] == "partially_protected" || c["verdict"] == "protected")
        .collect();
    assert!(!protecting.is_empty());
    let edits = protecting.iter().find(|c| {
        c["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|ch| ch["fact"] == "post_edited_by_human")
    });
    let edits = edits.expect("a substantive human edit is among the ways");
    assert!(
        edits["decided_by"]
            .as_array()
            .unwrap()
            .contains(&"usco-substantive-edits".into())
    );
    let o = run(&[
        "whatif",
        "cases/li-v-liu.yaml",
        "--ruleset",
        "us-copyright-office",
    ]);
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn whatif_emits_cases_that_check_accepts_and_that_give_the_promised_outcome() {
    let dir = std::env::temp_dir().join(format!("authorship-emit-{}", std::process::id()));
    let o = run(&[
        "whatif",
        "cases/li-v-liu.yaml",
        "--ruleset",
        "us-copyright-office",
        "--max-changes",
        "2",
        "--emit",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let promised = doc["counterfactuals"].as_array().unwrap().len();
    assert!(promised > 0);
    let check = run(&["check", "--cases", dir.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), promised);
    for (file, cf) in files.iter().zip(doc["counterfactuals"].as_array().unwrap()) {
        let _ = cf;
        let out = json(&["compare", file.to_str().unwrap(), "--format", "json"]);
        let case = std::fs::read_to_string(file).unwrap();
        let expected = case
            .lines()
            .find_map(|l| l.trim().strip_prefix("verdict: "))
            .unwrap();
        let got = out["cases"][0]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["ruleset"] == "us-copyright-office")
            .unwrap()["verdict"]
            .clone();
        assert_eq!(got, expected, "{}", file.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_says_where_beijing_and_the_us_office_part_ways() {
    let doc = json(&["compare", "cases/li-v-liu.yaml", "--format", "json"]);
    let divergence = &doc["cases"][0]["divergence"];
    let verdict = |who: &str| {
        divergence["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["who"] == who)
            .expect("a party")["verdict"]
            .clone()
    };
    assert_eq!(
        [
            verdict("beijing-internet-court"),
            verdict("us-copyright-office")
        ],
        [
            serde_json::json!("protected"),
            serde_json::json!("not_protected")
        ]
    );
    let prompts = divergence["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["issue"] == "prompts_suffice")
        .expect("they part ways on prompts")
        .clone();
    // The stance of `who`, and the answer of the group it is in.
    let stance = |who: &str| {
        prompts["answers"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|g| {
                let s = g["stances"].as_array()?.iter().find(|s| s["who"] == who)?;
                Some((g["answer"].clone(), s.clone()))
            })
            .expect("every party is in a group")
    };
    let [(bic_answer, bic), (us_answer, us)] = [
        stance("beijing-internet-court"),
        stance("us-copyright-office"),
    ];
    assert_eq!(
        (bic_answer.as_str(), us_answer.as_str()),
        (Some("yes"), Some("no"))
    );
    assert_eq!((&bic["answer"], &us["answer"]), (&bic_answer, &us_answer));
    for side in [&bic, &us] {
        let g = &side["grounds"][0];
        assert!(
            g["rule"].is_string() && g["citation"].is_string() && g["pinpoint"].is_string(),
            "{g}"
        );
    }
    let text = stdout(&run(&["compare", "cases/li-v-liu.yaml"]));
    let section = text
        .split("where they part ways:")
        .nth(1)
        .expect("a section on differences");
    assert!(
        section.contains("yes: beijing-internet-court [bic-originality"),
        "{section}"
    );
    assert!(
        section.contains("no: us-copyright-office [usco-ai-material-not-protected"),
        "{section}"
    );
}

/// Every output format is byte-identical across runs.
#[test]
fn every_command_is_deterministic() {
    let li = "cases/li-v-liu.yaml";
    let commands: Vec<Vec<&str>> = vec![
        vec!["compare", li, "--format", "text", "--variants"],
        vec!["compare", li, "--format", "json", "--by", "jurisdiction"],
        vec!["compare", li, "--format", "markdown"],
        vec![
            "explain",
            li,
            "--ruleset",
            "us-copyright-office",
            "--format",
            "text",
        ],
        vec![
            "explain",
            li,
            "--ruleset",
            "us-copyright-office",
            "--format",
            "json",
        ],
        vec![
            "explain",
            li,
            "--ruleset",
            "us-copyright-office",
            "--format",
            "markdown",
        ],
        vec![
            "explain",
            li,
            "--ruleset",
            "us-copyright-office",
            "--format",
            "mermaid",
        ],
        vec![
            "explain",
            li,
            "--ruleset",
            "us-copyright-office",
            "--format",
            "dot",
        ],
        vec![
            "whatif",
            li,
            "--ruleset",
            "beijing-internet-court",
            "--format",
            "json",
        ],
        vec!["report", li, "--format", "html"],
        vec!["report", li, "--format", "markdown", "--hide-outcomes"],
        vec!["test"],
        vec!["coverage", "--format", "json"],
        vec!["check", "--strict"],
        vec!["diff", "--before", "rules", "--format", "json"],
        vec!["schema"],
    ];
    for args in commands {
        let first = run(&args);
        for _ in 0..2 {
            let again = run(&args);
            assert_eq!(
                first.stdout,
                again.stdout,
                "`{}` differs between runs",
                args.join(" ")
            );
            assert_eq!(first.status.code(), again.status.code());
        }
    }
}
