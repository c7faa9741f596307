//! Evaluation semantics on small fixture rulesets: Kleene logic, unknown is
//! never false, exceptions, conclusions, the facts an open outcome depends
//! on, the verdicts still possible, and rules that contradict each other.

use std::path::Path;

use authorship::eval::{Context, ElementStatus, EvalError};
use authorship::load::{load_ruleset, load_vocabulary};
use authorship::model::{Facts, Ruleset, Vocabulary, set_fact};
use authorship::syntax::Date;
use authorship::{Evaluation, Truth, Verdict, evaluate};

fn fixture(name: &str) -> (Vocabulary, Ruleset) {
    let vocab = load_vocabulary(Path::new("tests/fixtures/eval/facts.yaml")).unwrap();
    let ruleset = load_ruleset(
        Path::new(&format!("tests/fixtures/eval/{name}.yaml")),
        &vocab,
    )
    .unwrap();
    (vocab, ruleset)
}

/// Evaluates the semantics fixture with facts given as `name=value` pairs.
fn eval(facts: &[(&str, &str)]) -> Evaluation {
    let (vocab, ruleset) = fixture("semantics");
    evaluate(&ruleset, &vocab, &with(&vocab, facts), &now()).unwrap()
}

fn now() -> Context {
    Context::as_of(Date::parse("2024-01-01").unwrap())
}

fn with(vocab: &Vocabulary, facts: &[(&str, &str)]) -> Facts {
    let mut out = Facts::default();
    for (name, value) in facts {
        set_fact(vocab, &mut out, name, value).unwrap();
    }
    out
}

fn applies(e: &Evaluation, rule: &str) -> Truth {
    e.rule(rule).unwrap().applies
}

#[test]
fn everything_known_and_true_protects() {
    let e = eval(&[
        ("a", "true"),
        ("b", "true"),
        ("c", "false"),
        ("k", "y"),
        ("d", "2021-01-01"),
    ]);
    assert_eq!(e.verdict, Verdict::Protected);
    assert_eq!(e.authors, ["person"]);
    assert_eq!(e.decided_by, ["base"]);
    assert!(e.depends_on.is_empty());
}

#[test]
fn unknown_is_never_false() {
    // `a and (b or n >= 3)` with b and n unknown: the rule may apply.
    let e = eval(&[
        ("a", "true"),
        ("c", "false"),
        ("k", "y"),
        ("d", "2021-01-01"),
    ]);
    assert_eq!(applies(&e, "base"), Truth::Unknown);
    assert_eq!(e.verdict, Verdict::Undetermined);
    assert_eq!(e.depends_on, ["b", "n"]);
    assert_eq!(
        e.possible_verdicts,
        [Verdict::Protected, Verdict::NotAddressed]
    );
    assert_eq!(e.possible_authors, ["person"]);
}

#[test]
fn a_decisive_operand_settles_unknown_ones() {
    // a is false: `a and …` is false whatever b, n are; they are no dependency.
    let e = eval(&[
        ("a", "false"),
        ("c", "false"),
        ("k", "y"),
        ("d", "2021-01-01"),
    ]);
    assert_eq!(applies(&e, "base"), Truth::False);
    assert_eq!(e.verdict, Verdict::NotAddressed);
    assert!(e.depends_on.is_empty());
    // `k == 'x' or …` is true once k is x, whatever d is.
    let e = eval(&[("a", "false"), ("k", "x")]);
    assert_eq!(applies(&e, "found"), Truth::True);
}

#[test]
fn integer_thresholds_compare_by_value() {
    let at = |n: &str| {
        applies(
            &eval(&[("a", "true"), ("b", "false"), ("c", "false"), ("n", n)]),
            "base",
        )
    };
    assert_eq!(at("2"), Truth::False);
    assert_eq!(at("3"), Truth::True);
}

#[test]
fn an_applying_exception_defeats_its_rule() {
    let e = eval(&[
        ("a", "true"),
        ("b", "true"),
        ("c", "true"),
        ("k", "y"),
        ("d", "2021-01-01"),
    ]);
    assert_eq!(applies(&e, "base"), Truth::False);
    assert_eq!(applies(&e, "carve"), Truth::True);
    assert_eq!(e.verdict, Verdict::NotProtected);
    assert!(e.authors.is_empty(), "nothing protected, so no author");
    let node = e.rule("base").unwrap();
    assert_eq!(
        node.condition.value,
        Truth::True,
        "its own condition still holds"
    );
    assert_eq!(node.exceptions[0].rule, "carve");
}

#[test]
fn an_unknown_exception_leaves_its_rule_open() {
    let e = eval(&[
        ("a", "true"),
        ("b", "true"),
        ("k", "y"),
        ("d", "2021-01-01"),
    ]);
    assert_eq!(applies(&e, "base"), Truth::Unknown);
    assert_eq!(e.depends_on, ["c"]);
    assert_eq!(
        e.possible_verdicts,
        [Verdict::Protected, Verdict::NotProtected]
    );
    let one = &e.elements[0];
    assert_eq!(one.status, ElementStatus::Undetermined);
    assert_eq!(
        one.possible,
        [ElementStatus::Protected, ElementStatus::NotProtected]
    );
}

#[test]
fn conclusions_flow_between_rules() {
    let e = eval(&[("a", "false"), ("d", "2019-12-31")]);
    assert_eq!(applies(&e, "found"), Truth::True);
    assert_eq!(applies(&e, "uses"), Truth::True);
    assert_eq!(e.findings[0].conclusion, "found");
    assert_eq!(e.not_authors, ["machine"]);
    assert_eq!(e.verdict, Verdict::NotProtected);
    assert_eq!(e.rule("uses").unwrap().relies_on[0].rule, "found");
    // The conclusion unknown: its facts are what `uses` depends on.
    let e = eval(&[("a", "false")]);
    assert_eq!(applies(&e, "uses"), Truth::Unknown);
    assert_eq!(e.rule("uses").unwrap().depends_on, ["d", "k"]);
}

#[test]
fn both_kinds_of_element_make_partial_protection() {
    let e = eval(&[("a", "true"), ("b", "true"), ("c", "false")]);
    // base protects `one`; `uses` needs `not a`, false: `two` is not reached.
    assert_eq!(e.verdict, Verdict::Protected);
    let (vocab, ruleset) = fixture("semantics");
    let mixed = evaluate(
        &ruleset,
        &vocab,
        &with(&vocab, &[("a", "true"), ("b", "true"), ("c", "false")]),
        &now(),
    )
    .unwrap();
    assert_eq!(mixed, e, "evaluation is deterministic");
}

#[test]
fn no_facts_leaves_everything_open() {
    let e = eval(&[]);
    assert_eq!(e.verdict, Verdict::Undetermined);
    assert_eq!(e.depends_on, ["a", "b", "c", "d", "k", "n"]);
    // `base` needs a, `uses` needs not a: no completion protects one element
    // while excluding the other, so partial protection is not among them.
    assert_eq!(
        e.possible_verdicts,
        [
            Verdict::Protected,
            Verdict::NotProtected,
            Verdict::NotAddressed
        ]
    );
}

#[test]
fn a_verdict_every_completion_agrees_on_is_decided() {
    // With a, b true and c unknown, `one` is protected (base) or excluded
    // (carve): two verdicts. With c false only n is unknown and b already
    // satisfies `b or n >= 3`, so nothing is open.
    let e = eval(&[("a", "true"), ("b", "true"), ("c", "false")]);
    assert_eq!(e.verdict, Verdict::Protected);
    assert!(e.possible_verdicts.is_empty() && e.depends_on.is_empty());
}

#[test]
fn contradicting_rules_are_an_error_naming_both() {
    let (vocab, ruleset) = fixture("conflict");
    let facts = with(&vocab, &[("a", "true"), ("b", "true")]);
    let err = evaluate(&ruleset, &vocab, &facts, &now()).unwrap_err();
    let EvalError::Conflict {
        positive,
        negative,
        subject,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (positive.as_slice(), negative.as_slice(), subject.as_str()),
        (&["yes".to_string()][..], &["no".to_string()][..], "one")
    );
    assert!(
        err.to_string()
            .contains("make one an exception to the other")
    );
    // Only one of them applying is fine.
    let facts = with(&vocab, &[("a", "true"), ("b", "false")]);
    assert_eq!(
        evaluate(&ruleset, &vocab, &facts, &now()).unwrap().verdict,
        Verdict::Protected
    );
}
