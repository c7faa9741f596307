//! The interview: on an empty case it settles the seed rulesets' outcomes
//! asking fewer questions than the facts they read, only asks what can
//! still change an open outcome, and the saved answers reproduce the
//! outcomes. Driven in-process by an oracle, and through the binary's stdin.

use crate::common;

use std::collections::BTreeSet;

use authorship::Verdict;
use authorship::compare::{Options, compare};
use authorship::eval::Context;
use authorship::interview::{Answer, Interview};
use authorship::model::{FactValue, Library};

const SEEDS: [&str; 3] = [
    "beijing-internet-court",
    "us-copyright-office",
    "thaler-v-perlmutter",
];

fn facts_read(library: &Library) -> BTreeSet<String> {
    SEEDS
        .iter()
        .flat_map(|id| library.ruleset(id).unwrap().facts_read())
        .map(str::to_string)
        .collect()
}

/// Runs the interview answering from a case's facts; returns the facts
/// asked, in order, with the answer given.
fn interview_from<'l>(
    case_path: &str,
    library: &'l Library,
) -> (Vec<(String, Option<FactValue>)>, Interview<'l>) {
    let truth = common::case(case_path, library);
    let rulesets = SEEDS
        .iter()
        .map(|id| library.ruleset(id).unwrap())
        .collect();
    let date = library.latest_date().unwrap();
    let mut interview = Interview::new(library, rulesets, Context::as_of(date), Default::default());
    let mut asked = Vec::new();
    while let Some(q) = interview.next_question() {
        let open: BTreeSet<String> = interview
            .running()
            .into_iter()
            .filter(|r| r.verdict == Verdict::Undetermined)
            .flat_map(|r| r.depends_on)
            .collect();
        assert!(
            open.contains(&q.fact.id),
            "asked {} which no open outcome depends on",
            q.fact.id
        );
        let value = truth.facts.get(&q.fact.id).cloned();
        asked.push((q.fact.id.clone(), value.clone()));
        interview.answer(&q.fact.id, value.map_or(Answer::Unknown, Answer::Value));
        assert!(asked.len() <= 40, "the interview does not end");
    }
    (asked, interview)
}

#[test]
fn an_empty_case_is_settled_with_fewer_questions_than_facts_read() {
    let library = common::library();
    let (asked, interview) = interview_from("cases/li-v-liu.yaml", library);
    let read = facts_read(library).len();
    assert!(
        asked.len() < read,
        "{} questions for {read} facts read",
        asked.len()
    );
    let truth = common::case("cases/li-v-liu.yaml", library);
    let reference = compare(&truth, library, &Options::default());
    for r in interview.running() {
        assert_ne!(r.verdict, Verdict::Undetermined, "{} still open", r.ruleset);
        assert_eq!(
            r.verdict,
            reference.evaluation(&r.ruleset).unwrap().verdict,
            "{}",
            r.ruleset
        );
    }
    let questions: BTreeSet<&String> = asked.iter().map(|(f, _)| f).collect();
    assert_eq!(questions.len(), asked.len(), "a question was asked twice");
}

#[test]
fn every_seed_case_is_settled_or_stops_when_nothing_more_can_be_learnt() {
    let library = common::library();
    for case in [
        "cases/zarya-of-the-dawn.yaml",
        "cases/thaler-recent-entrance.yaml",
        "cases/hypo-bare-prompt.yaml",
    ] {
        let (asked, interview) = interview_from(case, library);
        assert!(asked.len() < facts_read(library).len(), "{case}");
        assert!(interview.next_question().is_none());
    }
}

/// The same answers piped to `authorship ask`, saved, and compared.
#[test]
fn the_binary_reads_answers_from_stdin_and_the_saved_case_reproduces_the_outcomes() {
    let library = common::library();
    let (asked, _) = interview_from("cases/li-v-liu.yaml", library);
    let answers: String = asked
        .iter()
        .map(|(_, v)| match v {
            Some(FactValue::Bool(true)) => "yes\n".to_string(),
            Some(FactValue::Bool(false)) => "no\n".to_string(),
            Some(FactValue::Str(s)) => format!("{s}\n"),
            Some(other) => format!("{other}\n"),
            None => "unknown\n".to_string(),
        })
        .collect();
    let save = std::env::temp_dir().join(format!("authorship-ask-{}.yaml", std::process::id()));
    let mut args = vec!["ask".to_string()];
    for id in SEEDS {
        args.extend(["--ruleset".to_string(), id.to_string()]);
    }
    args.extend(["--save".to_string(), save.display().to_string()]);
    let out = common::run_with_stdin(&args, answers.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "Every outcome is settled after {} question(s).",
            asked.len()
        )),
        "{text}"
    );
    let saved = authorship::load_case(&save, library).unwrap();
    let reproduced = compare(&saved, library, &Options::default());
    let truth = common::case("cases/li-v-liu.yaml", library);
    let reference = compare(&truth, library, &Options::default());
    for id in SEEDS {
        assert_eq!(
            reproduced.evaluation(id).unwrap().verdict,
            reference.evaluation(id).unwrap().verdict,
            "{id}"
        );
    }
    std::fs::remove_file(save).unwrap();
}
