//! Facts that do not arise (`arises` in the vocabulary): loading and its
//! errors, the completion of facts, and every place facts are evaluated —
//! compare, explain, the two evaluators, whatif, ask, the web API, batch,
//! `--set` — on the fictional fixture in `tests/fixtures/arising/`.

use std::path::Path;

use authorship::compare::{Options, compare};
use authorship::eval::{Context, reference};
use authorship::interview::{Answer, Interview};
use authorship::load::{load_case, load_library};
use authorship::model::{Case, FactValue, Facts, Library};
use authorship::syntax::Date;
use authorship::whatif::{Query, what_if};
use authorship::{Verdict, render};

use crate::common;

const RULES: &str = "tests/fixtures/arising/rules";
const CASES: &str = "tests/fixtures/arising/cases";

pub(crate) fn library() -> Library {
    load_library(Path::new(RULES)).unwrap()
}

fn case(name: &str, library: &Library) -> Case {
    load_case(&Path::new(CASES).join(name), library).unwrap()
}

fn ctx() -> Context {
    Context::as_of(Date::parse("2024-01-01").unwrap())
}

fn facts(pairs: &[(&str, FactValue)]) -> Facts {
    let mut f = Facts::default();
    for (k, v) in pairs {
        f.set(k, v.clone());
    }
    f
}

fn b(v: bool) -> FactValue {
    FactValue::Bool(v)
}

fn s(v: &str) -> FactValue {
    FactValue::Str(v.to_string())
}

/// The fixture's vocabulary and ruleset with every `arises` removed: how
/// the engine saw them before facts could fail to arise.
fn library_without_arising() -> Library {
    let facts = std::fs::read_to_string(format!("{RULES}/facts.yaml")).unwrap();
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in facts.lines() {
        if line.trim_start().starts_with("arises:") {
            skipping = true;
            continue;
        }
        if skipping && line.starts_with("      ") {
            continue;
        }
        skipping = false;
        kept.push(line);
    }
    let facts = kept.join("\n");
    assert!(!facts.contains("arises"));
    let ruleset = std::fs::read_to_string(format!("{RULES}/edits-court.yaml")).unwrap();
    Library::from_sources([
        ("facts.yaml", facts.as_str()),
        ("edits-court.yaml", ruleset.as_str()),
    ])
    .unwrap()
}

#[test]
fn a_work_with_no_ai_material_gets_a_definite_verdict_that_was_undetermined() {
    let lib = library();
    let no_ai = case("no-ai.yaml", &lib);
    let ruleset = lib.ruleset("edits-court").unwrap();
    let now = lib.evaluate(ruleset, &no_ai.facts, &ctx()).unwrap();
    assert_eq!(now.verdict, Verdict::Protected);
    assert_eq!(now.authors, ["human_user"]);
    assert!(now.depends_on.is_empty());

    let before = library_without_arising();
    let r = before.ruleset("edits-court").unwrap();
    let then = before.evaluate(r, &no_ai.facts, &ctx()).unwrap();
    assert_eq!(then.verdict, Verdict::Undetermined);
    assert!(
        then.depends_on
            .contains(&"selected_among_outputs".to_string())
    );

    let report = authorship::compare::run_tests(
        &[
            no_ai,
            case("ai-unknown.yaml", &lib),
            case("edited.yaml", &lib),
        ],
        &lib,
        None,
    );
    assert!(report.failed.is_empty(), "{:?}", report.failed);
}

#[test]
fn the_completion_follows_chains_and_leaves_unknown_conditions_open() {
    let lib = library();
    let v = &lib.vocabulary;
    let c = v.complete(&facts(&[("ai_generated_material_in_work", b(false))]));
    let ids: Vec<&str> = c.not_arising.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "edit_extent",
            "post_edited_by_human",
            "selected_among_outputs"
        ]
    );
    // `edit_extent` arises on `post_edited_by_human`, itself defaulted.
    assert_eq!(c.facts.get("edit_extent"), Some(&s("none")));
    assert_eq!(
        c.not_arising["edit_extent"].arises_when,
        "post_edited_by_human"
    );
    assert_eq!(c.contradictions().count(), 0);

    // Unknown AI material: nothing is completed, and whether editing
    // arises hinges on it.
    let open = v.complete(&Facts::default());
    assert!(open.not_arising.is_empty());
    assert_eq!(v.arises(&open.facts, "post_edited_by_human"), None);
    let hinges: Vec<String> = v
        .arising_hinges_on(&open.facts, "edit_extent")
        .into_iter()
        .collect();
    assert_eq!(
        hinges,
        ["ai_generated_material_in_work", "post_edited_by_human"]
    );

    // AI material, no edits: only the extent does not arise.
    let c = v.complete(&facts(&[
        ("ai_generated_material_in_work", b(true)),
        ("post_edited_by_human", b(false)),
        ("edit_extent", s("minor")),
    ]));
    assert_eq!(c.not_arising.keys().collect::<Vec<_>>(), ["edit_extent"]);
    let stated: Vec<_> = c.contradictions().map(|n| n.stated.clone()).collect();
    assert_eq!(stated, [Some(s("minor"))]);
}

/// Every combination of the fixture's facts (each unknown or one of its
/// values), contradictory ones included.
pub(crate) fn every_fact_pattern(lib: &Library) -> Vec<Facts> {
    let mut all = vec![Facts::default()];
    for (id, def) in &lib.vocabulary.facts {
        let values: Vec<FactValue> = match &def.ty {
            authorship::model::FactType::Bool => vec![b(false), b(true)],
            authorship::model::FactType::Enum { values } => {
                values.iter().map(|(v, _)| s(v)).collect()
            }
            other => panic!("the fixture has no {other:?} fact"),
        };
        let mut next = Vec::new();
        for f in &all {
            next.push(f.clone());
            for v in &values {
                let mut g = f.clone();
                g.set(id, v.clone());
                next.push(g);
            }
        }
        all = next;
    }
    all
}

#[test]
fn both_evaluators_agree_and_no_fact_that_does_not_arise_is_ever_open() {
    let lib = library();
    let ruleset = lib.ruleset("edits-court").unwrap();
    let patterns = every_fact_pattern(&lib);
    assert_eq!(patterns.len(), 3 * 3 * 3 * 4 * 3);
    for f in &patterns {
        let fast = lib.evaluate(ruleset, f, &ctx()).unwrap();
        let slow = reference::evaluate(ruleset, &lib.vocabulary, f, &ctx()).unwrap();
        assert_eq!(fast, slow, "evaluators differ on {f:?}");
        let verdict = reference::verdict(ruleset, &lib.vocabulary, f, &ctx()).unwrap();
        assert_eq!(verdict, fast.verdict, "verdict on {f:?}");
        let completion = lib.vocabulary.complete(f);
        for open in &fast.depends_on {
            assert!(
                !completion.not_arising.contains_key(open),
                "{open} does not arise on {f:?} yet is open"
            );
        }
        for el in &fast.elements {
            assert!(
                el.depends_on
                    .iter()
                    .all(|d| !completion.not_arising.contains_key(d))
            );
        }
        // Every fact read at its defined value is marked so, and only those.
        for node in &fast.rules {
            for read in &node.facts {
                let n = completion.not_arising.get(&read.fact);
                assert_eq!(read.does_not_arise.as_ref(), n.map(|n| &n.arises_when));
                if let Some(n) = n {
                    assert_eq!(read.value.as_ref(), Some(&n.value));
                }
            }
        }
    }
}

#[test]
fn an_open_outcome_depends_on_what_decides_whether_its_facts_arise() {
    let lib = library();
    let c = case("ai-unknown.yaml", &lib);
    let e = lib
        .evaluate(lib.ruleset("edits-court").unwrap(), &c.facts, &ctx())
        .unwrap();
    assert_eq!(e.verdict, Verdict::Undetermined);
    assert_eq!(
        e.depends_on,
        [
            "ai_generated_material_in_work",
            "edit_extent",
            "post_edited_by_human",
            "selected_among_outputs"
        ]
    );
}

#[test]
fn explanations_say_which_facts_do_not_arise_and_why() {
    let lib = library();
    let c = compare(&case("no-ai.yaml", &lib), &lib, &Options::default());
    let e = c.evaluation("edits-court").unwrap();
    let text = render::explain_text(&c, e, lib.ruleset("edits-court").unwrap());
    assert!(text.contains(
        "post_edited_by_human = false (does not arise: `ai_generated_material_in_work` is false)"
    ));
    assert!(
        text.contains(
            "  edit_extent = \"none\" — does not arise: `post_edited_by_human` is false\n"
        )
    );
    let json = render::explain_json(&c, e, lib.ruleset("edits-court").unwrap());
    assert!(json.contains("\"does_not_arise\": \"ai_generated_material_in_work\""));
    let table = render::compare_text(&[c], &lib, render::View::Authorities);
    assert!(table.contains("facts that do not arise (read at their defined values):"));
}

#[test]
fn whatif_never_sets_a_fact_that_does_not_arise_and_brings_the_defaults() {
    let lib = library();
    let ruleset = lib.ruleset("edits-court").unwrap();
    for name in ["no-ai.yaml", "ai-unknown.yaml", "edited.yaml"] {
        let c = case(name, &lib);
        for target in [None, Some(Verdict::NotProtected), Some(Verdict::Protected)] {
            let query = Query {
                target,
                max_changes: 3,
            };
            let w = what_if(ruleset, &lib.vocabulary, &c.facts, &ctx(), &query).unwrap();
            for cf in &w.counterfactuals {
                let mut f = c.facts.clone();
                for ch in &cf.changes {
                    f.set(&ch.fact, ch.to.clone());
                }
                let completion = lib.vocabulary.complete(&f);
                for ch in &cf.changes {
                    assert!(
                        !completion.not_arising.contains_key(&ch.fact),
                        "{name}: proposes setting {} which then does not arise",
                        ch.fact
                    );
                }
            }
        }
    }
    // A change to a fact that would not arise is not even tried: of the
    // no-AI case's single changes only those to the AI material and the
    // human material are (not the 7 to editing, extent and selection).
    let c = case("no-ai.yaml", &lib);
    let one = Query {
        target: None,
        max_changes: 1,
    };
    let w = what_if(ruleset, &lib.vocabulary, &c.facts, &ctx(), &one).unwrap();
    assert_eq!(w.evaluated, 2);
    // Removing the AI material from the edited image: the edits go with it
    // (they do not arise), so nothing is protected any more.
    let c = case("edited.yaml", &lib);
    let w = what_if(
        ruleset,
        &lib.vocabulary,
        &c.facts,
        &ctx(),
        &Query {
            target: None,
            max_changes: 1,
        },
    )
    .unwrap();
    let no_ai = w
        .counterfactuals
        .iter()
        .find(|cf| {
            cf.changes
                .iter()
                .any(|ch| ch.fact == "ai_generated_material_in_work")
        })
        .unwrap();
    assert_eq!(no_ai.verdict, Verdict::NotAddressed);
}

#[test]
fn the_interview_asks_about_ai_material_first_and_then_nothing_about_it() {
    let lib = library();
    let rulesets = vec![lib.ruleset("edits-court").unwrap()];
    let mut interview = Interview::new(&lib, rulesets, ctx(), Facts::default());
    let first = interview.next_question().unwrap();
    assert_ne!(first.fact.id, "post_edited_by_human");
    assert_ne!(first.fact.id, "edit_extent");
    assert_ne!(first.fact.id, "selected_among_outputs");
    let mut asked = Vec::new();
    let mut next = Some(first);
    while let Some(q) = next {
        let id = q.fact.id.clone();
        asked.push(id.clone());
        let answer = match id.as_str() {
            "ai_generated_material_in_work" => Answer::Value(b(false)),
            _ => Answer::Value(b(true)),
        };
        interview.answer(&id, answer);
        next = interview.next_question();
    }
    assert_eq!(
        asked,
        [
            "ai_generated_material_in_work",
            "human_authored_material_in_work"
        ]
    );
    assert_eq!(interview.running()[0].verdict, Verdict::Protected);
}

#[test]
fn ask_with_piped_answers_skips_the_questions_that_do_not_arise() {
    let out = common::run_with_stdin(
        &["ask", "--rules", RULES, "--ruleset", "edits-court"],
        b"no\nyes\n",
    );
    let text = common::stdout(&out);
    assert!(out.status.success(), "{text}{}", common::stderr(&out));
    assert!(text.contains("Q1. Does the work contain material that an AI system generated?"));
    assert!(text.contains("Every outcome is settled after 2 question(s)."));
    for never in [
        "post_edited_by_human",
        "edit_extent",
        "selected_among_outputs",
    ] {
        assert!(
            !text.contains(&format!("(fact `{never}`")),
            "{never} asked:\n{text}"
        );
    }
}

#[test]
fn the_web_api_shows_facts_that_do_not_arise_and_never_as_open() {
    let lib = library();
    let cases = vec![case("no-ai.yaml", &lib)];
    let app = authorship::web::App::new(lib, cases);
    let body =
        br#"{"facts": {"ai_generated_material_in_work": false, "post_edited_by_human": true}}"#;
    let r = app.handle("POST", "/api/evaluate", body);
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let not_arising = v["not_arising"].as_array().unwrap();
    let ids: Vec<&str> = not_arising
        .iter()
        .map(|n| n["fact"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "edit_extent",
            "post_edited_by_human",
            "selected_among_outputs"
        ]
    );
    let edited = &not_arising[1];
    assert_eq!(edited["value"], false);
    assert_eq!(edited["stated"], true);
    assert_eq!(
        edited["reason"],
        "does not arise: `ai_generated_material_in_work` is false"
    );
    // Human material unknown: the outcome is open, on it alone.
    let column = &v["rulesets"][0];
    assert_eq!(column["verdict"], "undetermined");
    assert_eq!(
        column["depends_on"],
        serde_json::json!(["human_authored_material_in_work"])
    );

    let r = app.handle("GET", "/api/vocabulary", b"");
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let facts = v["facts"].as_array().unwrap();
    let edit = facts.iter().find(|f| f["id"] == "edit_extent").unwrap();
    assert_eq!(
        edit["arises"],
        serde_json::json!({"when": "post_edited_by_human", "otherwise": "none"})
    );
    let ai = facts
        .iter()
        .find(|f| f["id"] == "ai_generated_material_in_work")
        .unwrap();
    assert!(ai.get("arises").is_none());
}

#[test]
fn a_case_stating_a_fact_that_does_not_arise_is_an_error_at_its_value() {
    let lib = library();
    let err = load_case(
        Path::new("tests/fixtures/arising/contradiction/stated.yaml"),
        &lib,
    )
    .unwrap_err();
    let errors: Vec<_> = err.iter().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors[0];
    assert_eq!(e.kind.code(), "E011");
    assert_eq!((e.line, e.column), (5, 25));
    assert!(e.to_string().contains(
        "fact `post_edited_by_human` does not arise here (`ai_generated_material_in_work` is false), so it is false; the case states true"
    ));
    // Stating the defined value itself is no contradiction.
    let ok = "title: t\nsummary: s\nfacts:\n  ai_generated_material_in_work: false\n  post_edited_by_human: false\n  edit_extent: none\n";
    Case::from_source("ok.yaml", ok, &lib).unwrap();
}

#[test]
fn set_may_not_set_a_fact_that_does_not_arise_but_sets_aside_what_a_change_removes() {
    let no_ai = format!("{CASES}/no-ai.yaml");
    let out = common::run(&[
        "compare",
        &no_ai,
        "--rules",
        RULES,
        "--set",
        "post_edited_by_human=true",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stderr(&out)
            .contains("error: --set post_edited_by_human: the fact does not arise on these facts")
    );
    let edited = format!("{CASES}/edited.yaml");
    let out = common::run(&[
        "compare",
        &edited,
        "--rules",
        RULES,
        "--set",
        "ai_generated_material_in_work=false",
    ]);
    let text = common::stdout(&out);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(text.contains(
        "post_edited_by_human = false — does not arise: `ai_generated_material_in_work` is false (the stated true is set aside)"
    ));
    assert!(text.contains("edits-court  not addressed"));
}

#[test]
fn a_batch_record_stating_a_fact_that_does_not_arise_gets_an_error_line() {
    let input = concat!(
        r#"{"id": "hand", "facts": {"ai_generated_material_in_work": false, "human_authored_material_in_work": true}}"#,
        "\n",
        r#"{"id": "bad", "facts": {"ai_generated_material_in_work": false, "edit_extent": "minor"}}"#,
        "\n",
    );
    let out = common::run_with_stdin(&["batch", "--rules", RULES], input.as_bytes());
    // Ran through, a record rejected.
    assert_eq!(out.status.code(), Some(65));
    let lines: Vec<serde_json::Value> = common::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["outcomes"]["edits-court"]["verdict"], "protected");
    assert_eq!(
        lines[1]["error"],
        "fact `edit_extent` does not arise on these facts (`post_edited_by_human` is false), so it is \"none\", not \"minor\""
    );
}

/// Loads a vocabulary (with a one-rule ruleset reading its first fact) and
/// returns its errors as `code line:col message`.
fn vocab_errors(facts: &str) -> Vec<String> {
    let ruleset = "id: r\ntitle: t\njurisdiction: XX\nauthority: {name: n, kind: court}\nbinding: persuasive_decision\nin_force: {from: 2024-01-01}\nsummary: s\nsources:\n  - {id: s, title: t, citation: c}\nrules:\n  - id: a\n    title: t\n    when: a\n    then: {protected: [w]}\n    because: b\n    source: s\n    pinpoint: p\n    quote: q\n    confidence: P\n";
    let err = Library::from_sources([("facts.yaml", facts), ("r.yaml", ruleset)]).unwrap_err();
    err.iter()
        .map(|e| format!("{} {}:{} {}", e.kind.code(), e.line, e.column, e.kind))
        .collect()
}

const HEAD: &str = "elements: {w: {description: d}}\nparties: {p: {description: d}}\nfacts:\n  a: {type: bool, description: d, question: q}\n";

#[test]
fn arises_conditions_and_values_are_checked_at_load_with_their_positions() {
    // A cycle across three facts, reported once at the first fact's condition.
    let cycle = format!(
        "{HEAD}  b: {{type: bool, description: d, question: q, arises: {{when: c, otherwise: false}}}}\n  c: {{type: bool, description: d, question: q, arises: {{when: a and d, otherwise: false}}}}\n  d: {{type: bool, description: d, question: q, arises: {{when: b, otherwise: false}}}}\n"
    );
    assert_eq!(
        vocab_errors(&cycle),
        ["E008 5:63 facts' `arises.when` conditions read each other in a cycle: b -> c -> d -> b"]
    );
    // A fact that arises on itself.
    let own = format!(
        "{HEAD}  b: {{type: bool, description: d, question: q, arises: {{when: not b, otherwise: false}}}}\n"
    );
    assert_eq!(
        vocab_errors(&own),
        ["E008 5:67 facts' `arises.when` conditions read each other in a cycle: b -> b"]
    );
    // Values of the wrong type, outside the enum or the range, or null.
    let values = format!(
        "{HEAD}  b: {{type: enum, values: {{x: d, y: d}}, description: d, question: q, arises: {{when: a, otherwise: none}}}}\n  n: {{type: integer, min: 1, description: d, question: q, arises: {{when: a, otherwise: 0}}}}\n  t: {{type: bool, description: d, question: q, arises: {{when: a, otherwise: ~}}}}\n  u: {{type: bool, description: d, question: q, arises: {{when: a, otherwise: \"false\"}}}}\n"
    );
    let errors = vocab_errors(&values);
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(errors[0].starts_with("E006 5:99 `none` is not a value of fact `b`"));
    assert!(errors[1].starts_with("E006 6:88 fact `n` must be between 1 and …, not 0"));
    assert!(errors[2].starts_with("E006 7:77 `arises.otherwise` must be the value fact `t` has"));
    assert!(errors[3].starts_with("E006 8:77 fact `u` is true or false"));
    // Conditions: a syntax error, an unknown fact, a conclusion, not a boolean.
    let conditions = format!(
        "{HEAD}  b: {{type: bool, description: d, question: q, arises: {{when: a && a, otherwise: false}}}}\n  c: {{type: bool, description: d, question: q, arises: {{when: ai_material, otherwise: false}}}}\n  e: {{type: bool, description: d, question: q, arises: {{when: '@x', otherwise: false}}}}\n  f: {{type: integer, description: d, question: q}}\n  g: {{type: bool, description: d, question: q, arises: {{when: f, otherwise: false}}}}\n"
    );
    let errors = vocab_errors(&conditions);
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors[0].starts_with("E003 5:65 unknown operator `&&`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("E004 6:63 unknown fact `ai_material`"),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("E010 7:64 `arises.when` reads facts only"),
        "{errors:?}"
    );
    assert!(errors[3].starts_with("E006 9:63"), "{errors:?}");
}

#[test]
fn check_reports_arising_errors_with_file_line_and_column() {
    let out = common::run(&[
        "check",
        "--rules",
        "docs/examples/arising-broken",
        "--cases",
        "docs/examples/cases",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = common::stderr(&out);
    assert!(text.contains("error[E008]: facts' `arises.when` conditions read each other in a cycle: post_edited_by_human -> edits_identifiable -> post_edited_by_human\n  --> docs/examples/arising-broken/facts.yaml:13:13"), "{text}");
    assert!(
        text.contains(
            "--> docs/examples/arising-broken/facts.yaml:14:18 (field `arises.otherwise`)"
        ),
        "{text}"
    );
}

#[test]
fn a_question_that_may_not_arise_waits_for_the_one_that_settles_whether_it_does() {
    // Only `edited` matters to the rule, and answering it would settle the
    // outcome either way; but whether it arises is asked first.
    let facts = "facts:\n  ai: {type: bool, description: d, question: Is there AI material?}\n  edited: {type: bool, description: d, question: Was the AI output edited?, arises: {when: ai, otherwise: false}}\nelements: {w: {description: d}}\nparties: {p: {description: d}}\n";
    let ruleset = "id: r\ntitle: t\njurisdiction: XX\nauthority: {name: n, kind: court}\nbinding: persuasive_decision\nin_force: {from: 2024-01-01}\nsummary: s\nsources:\n  - {id: s, title: t, citation: c}\nrules:\n  - id: edits\n    title: t\n    when: edited\n    then: {protected: [w]}\n    because: b\n    source: s\n    pinpoint: p\n    quote: q\n    confidence: P\n";
    let lib = Library::from_sources([("facts.yaml", facts), ("r.yaml", ruleset)]).unwrap();
    let rulesets = vec![lib.ruleset("r").unwrap()];
    let mut interview = Interview::new(&lib, rulesets, ctx(), Facts::default());
    assert_eq!(interview.running()[0].depends_on, ["ai", "edited"]);
    assert_eq!(interview.next_question().unwrap().fact.id, "ai");
    // "Unknown" leaves it open whether editing arises: now it is asked.
    interview.answer("ai", Answer::Unknown);
    assert_eq!(interview.next_question().unwrap().fact.id, "edited");
    // "No AI material": editing does not arise, and nothing is left to ask.
    let rulesets = vec![lib.ruleset("r").unwrap()];
    let mut interview = Interview::new(&lib, rulesets, ctx(), Facts::default());
    interview.answer("ai", Answer::Value(b(false)));
    assert!(interview.next_question().is_none());
    assert_eq!(interview.running()[0].verdict, Verdict::NotAddressed);
}
