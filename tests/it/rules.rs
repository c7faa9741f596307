//! The shipped rulesets: they load, every rule is tied to its source with a
//! pinpoint, every interpretive encoding is marked, and no Rust code names
//! a jurisdiction (legal content lives in YAML only).

use crate::common;

#[test]
fn seed_rulesets_are_present() {
    let library = common::library();
    for id in [
        "beijing-internet-court",
        "us-copyright-office",
        "thaler-v-perlmutter",
    ] {
        assert!(library.ruleset(id).is_some(), "missing ruleset {id}");
    }
}

#[test]
fn every_rule_has_a_source_pinpoint_and_quote_or_interpretation() {
    let library = common::library();
    for ruleset in &library.rulesets {
        for rule in &ruleset.rules {
            let source = ruleset.source(&rule.citation.source);
            assert!(
                source.is_some_and(|s| !s.citation.trim().is_empty()),
                "{}: no source",
                rule.id
            );
            assert!(
                !rule.citation.pinpoint.trim().is_empty(),
                "{}: no pinpoint",
                rule.id
            );
            assert!(
                rule.citation.quote.is_some() || rule.interpretation.is_some(),
                "{}: neither quoted nor marked as interpretation",
                rule.id
            );
            assert!(!rule.because.trim().is_empty(), "{}: no because", rule.id);
        }
    }
}

#[test]
fn interpretation_marks_reach_the_explanation() {
    let library = common::library();
    let case = common::case("cases/li-v-liu.yaml", library);
    for ruleset in &library.rulesets {
        let comparison = authorship::compare::compare(&case, library, &Default::default());
        let e = comparison.evaluation(&ruleset.id).unwrap().clone();
        for rule in &ruleset.rules {
            let node = e.rule(&rule.id).unwrap();
            assert_eq!(node.interpretation, rule.interpretation, "{}", rule.id);
        }
        let text = authorship::render::explain_text(&comparison, &e, ruleset);
        for id in &e.decided_by {
            let rule = ruleset.rule(id).unwrap();
            if let Some(i) = &rule.interpretation {
                let first_line = i.trim().lines().next().unwrap();
                // Every interpretation carries its reading level (S009).
                let level = rule.reading.as_deref().unwrap();
                assert!(
                    text.contains(&format!("encoder's interpretation ({level}): {first_line}")),
                    "{id}"
                );
            }
        }
    }
}

#[test]
fn rust_code_names_no_authority() {
    let library = common::library();
    let mut names: Vec<String> = library.rulesets.iter().map(|r| r.id.clone()).collect();
    names.extend(library.rulesets.iter().map(|r| r.authority.clone()));
    for entry in walk("src") {
        let text = std::fs::read_to_string(&entry).unwrap();
        for name in &names {
            assert!(
                !text.contains(name.as_str()),
                "{} names `{name}`",
                entry.display()
            );
        }
    }
}

fn walk(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(p.to_str().unwrap()));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every shipped rule that decides something names the legal question it
/// answers, so authorities can be compared issue by issue. A rule that
/// only records that no court has decided a question (a finding that
/// withholds a verdict) answers none: "undecided" is not a yes or a no,
/// and tagging it would make the comparison report a disagreement the
/// sources do not state. Such a rule decides no element or
/// party and says in its `because` what has not been decided.
#[test]
fn every_shipped_rule_answers_an_issue() {
    let library = common::library();
    let untagged: Vec<String> = library
        .rulesets
        .iter()
        .flat_map(|r| {
            r.rules
                .iter()
                .filter(|x| x.issue.is_none())
                .filter(|x| x.then.decides_outcome() || !x.because.contains("decided"))
                .map(move |x| format!("{}/{}", r.id, x.id))
        })
        .collect();
    assert!(untagged.is_empty(), "{untagged:?}");
}

/// A citation whose key is not in the bibliography is a load error at its
/// line and column; with the key added the library loads, and `explain`
/// prints the work in full with the tags' legend.
#[test]
fn an_unresolved_citation_key_is_refused_where_it_is_written() {
    use authorship::Library;
    let dir = "tests/fixtures/citations";
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
    let (facts, rules, bib) = (
        read("facts.yaml"),
        read("edits-court.yaml"),
        read("bibliography.yaml"),
    );
    let errors = Library::from_sources([
        ("facts.yaml", facts.clone()),
        ("edits-court.yaml", rules.clone()),
        ("bibliography.yaml", bib.clone()),
    ])
    .unwrap_err();
    let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let line = rules.lines().position(|l| l.contains("NOTE-B")).unwrap() + 1;
    let column = rules.lines().nth(line - 1).unwrap().find("NOTE-B").unwrap() + 1;
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0].starts_with(&format!("edits-court.yaml:{line}:{column}:"))
            && all[0].contains("`NOTE-B`"),
        "{all:?}"
    );
    let fixed = bib.replace(
        "works:\n",
        "works:\n  NOTE-B:\n    title: Another note\n    no_url: a printed newsletter\n",
    );
    let library = Library::from_sources([
        ("facts.yaml", facts),
        ("edits-court.yaml", rules),
        ("bibliography.yaml", fixed),
    ])
    .unwrap();
    assert_eq!(library.bibliography.works.len(), 2);
    let refs = authorship::render::references_text(&authorship::render::collect_references(
        &library,
        vec![],
        "it held so [P via NOTE-A; S1: NOTE-B]",
    ));
    assert!(refs.contains("[NOTE-A] A fictional case note, A. Writer, Fictional Law Review, 2024-05. https://example.org/note-a"), "{refs}");
    assert!(
        refs.contains("[NOTE-B] Another note. No address: a printed newsletter"),
        "{refs}"
    );
    assert!(refs.contains("[P] Wording of the primary text"), "{refs}");
}

/// A case's free text is checked like a ruleset's: a bracketed key the
/// bibliography does not hold is refused at its place, and the YAML and
/// the JSON form of the same case are refused alike (the release property
/// run found a title `[AA]` that the property had assumed would load).
#[test]
fn a_case_citing_an_unknown_key_is_refused_in_yaml_and_json_alike() {
    let library = common::library();
    let dir = crate::properties::TempDir::new("citing-case");
    let yaml = dir.path().join("case.yaml");
    let json = dir.path().join("case.json");
    std::fs::write(&yaml, "title: '[AA]'\nsummary: s\nfacts: {}\n").unwrap();
    std::fs::write(&json, r#"{"title": "[AA]", "summary": "s", "facts": {}}"#).unwrap();
    let refused = |p: &std::path::Path| -> Vec<String> {
        authorship::load::load_case(p, library)
            .unwrap_err()
            .iter()
            .map(|e| format!("{}:{} {}", e.line, e.column, e.kind))
            .collect()
    };
    let (y, j) = (refused(&yaml), refused(&json));
    assert_eq!(
        y,
        ["1:10 citation key `AA` is not in the bibliography (rules/bibliography.yaml)"]
    );
    assert_eq!(
        j,
        ["1:13 citation key `AA` is not in the bibliography (rules/bibliography.yaml)"]
    );
}
