//! What-if search: every listed change set flips the outcome and is
//! minimal (no proper subset flips it); the search finds every minimal set
//! that brute force over all facts and values finds; emitted counterfactual
//! cases load and give the promised verdict.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use authorship::Verdict;
use authorship::eval::{Context, candidate_values, verdict};
use authorship::load::{load_ruleset, load_vocabulary};
use authorship::model::{Facts, Ruleset, Vocabulary, set_fact};
use authorship::syntax::Date;
use authorship::whatif::{Change, Query, what_if};

fn ctx() -> Context {
    Context::as_of(Date::parse("2024-01-01").unwrap())
}

fn apply(facts: &Facts, changes: &[Change]) -> Facts {
    let mut f = facts.clone();
    for c in changes {
        f.set(&c.fact, c.to.clone());
    }
    f
}

fn flips(
    r: &Ruleset,
    v: &Vocabulary,
    facts: &Facts,
    ctx: &Context,
    original: Verdict,
    changes: &[Change],
) -> bool {
    let got = verdict(r, v, &apply(facts, changes), ctx).unwrap();
    got != original && got != Verdict::Undetermined
}

/// Each set flips; removing any one change (hence any proper subset's
/// maximal members) no longer flips.
fn assert_minimal(r: &Ruleset, v: &Vocabulary, facts: &Facts, ctx: &Context, max: usize) -> usize {
    let original = verdict(r, v, facts, ctx).unwrap();
    let w = what_if(
        r,
        v,
        facts,
        ctx,
        &Query {
            target: None,
            max_changes: max,
        },
    )
    .unwrap();
    for cf in &w.counterfactuals {
        assert!(
            flips(r, v, facts, ctx, original, &cf.changes),
            "{:?} does not flip",
            cf.changes
        );
        for subset in proper_subsets(&cf.changes) {
            assert!(
                !flips(r, v, facts, ctx, original, &subset),
                "{subset:?} ⊂ {:?} flips too",
                cf.changes
            );
        }
    }
    let sizes: Vec<usize> = w.counterfactuals.iter().map(|c| c.changes.len()).collect();
    assert!(
        sizes.windows(2).all(|p| p[0] <= p[1]),
        "fewest changes first: {sizes:?}"
    );
    w.counterfactuals.len()
}

fn proper_subsets(changes: &[Change]) -> Vec<Vec<Change>> {
    (1..(1u32 << changes.len()) - 1)
        .map(|mask| {
            changes
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, c)| c.clone())
                .collect()
        })
        .collect()
}

#[test]
fn every_listed_set_on_every_shipped_case_is_minimal() {
    let library = common::library();
    let mut total = 0;
    for file in common::case_files() {
        let case = common::case(file.to_str().unwrap(), library);
        let date = authorship::compare::as_of(&case, library, &Default::default()).0;
        for id in [
            "us-copyright-office",
            "beijing-internet-court",
            "thaler-v-perlmutter",
        ] {
            let r = library.ruleset(id).unwrap();
            total += assert_minimal(
                r,
                &library.vocabulary,
                &case.facts,
                &Context::as_of(date),
                2,
            );
        }
    }
    assert!(total > 20, "only {total} counterfactuals over the corpus");
}

/// Brute force: every set of up to K changes over every fact of the
/// vocabulary (not just the ones the ruleset reads), keeping the minimal
/// flipping ones. The search must find exactly these.
#[test]
fn the_search_is_complete_against_brute_force() {
    let vocab = load_vocabulary(Path::new("tests/fixtures/eval/facts.yaml")).unwrap();
    let ruleset = load_ruleset(Path::new("tests/fixtures/eval/semantics.yaml"), &vocab).unwrap();
    let starts: [&[(&str, &str)]; 4] = [
        &[],
        &[("a", "true"), ("b", "false"), ("c", "false")],
        &[("a", "false"), ("k", "y"), ("d", "2021-01-01")],
        &[("a", "true"), ("b", "true"), ("c", "true"), ("n", "1")],
    ];
    let mut seen = 0;
    for start in starts {
        let mut facts = Facts::default();
        for (f, v) in start {
            set_fact(&vocab, &mut facts, f, v).unwrap();
        }
        for k in 1..=3 {
            let found = what_if(
                &ruleset,
                &vocab,
                &facts,
                &ctx(),
                &Query {
                    target: None,
                    max_changes: k,
                },
            )
            .unwrap();
            let got: BTreeSet<Vec<Change>> = found
                .counterfactuals
                .iter()
                .map(|c| sorted(&c.changes))
                .collect();
            let want = brute_force(&ruleset, &vocab, &facts, k);
            seen += want.len();
            assert_eq!(got, want, "start {start:?}, k = {k}");
        }
    }
    assert!(
        seen > 10,
        "brute force found only {seen} sets: the test would prove little"
    );
}

fn sorted(changes: &[Change]) -> Vec<Change> {
    let mut v = changes.to_vec();
    v.sort_by(|a, b| a.fact.cmp(&b.fact));
    v
}

fn brute_force(r: &Ruleset, v: &Vocabulary, facts: &Facts, k: usize) -> BTreeSet<Vec<Change>> {
    let original = verdict(r, v, facts, &ctx()).unwrap();
    let all: Vec<Change> = v
        .facts
        .keys()
        .flat_map(|f| {
            candidate_values(r, v, f)
                .into_iter()
                .filter(|val| facts.get(f) != Some(val))
                .map(|to| Change {
                    fact: f.clone(),
                    from: facts.get(f).cloned(),
                    to,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut flipping: Vec<Vec<Change>> = Vec::new();
    for size in 1..=k {
        for combo in combinations(&all, size) {
            let names: BTreeSet<&String> = combo.iter().map(|c| &c.fact).collect();
            if names.len() == size && flips(r, v, facts, &ctx(), original, &combo) {
                flipping.push(sorted(&combo));
            }
        }
    }
    flipping
        .iter()
        .filter(|s| {
            !flipping
                .iter()
                .any(|t| t.len() < s.len() && t.iter().all(|c| s.contains(c)))
        })
        .cloned()
        .collect()
}

fn combinations(items: &[Change], k: usize) -> Vec<Vec<Change>> {
    if k == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        for mut rest in combinations(&items[i + 1..], k - 1) {
            rest.insert(0, item.clone());
            out.push(rest);
        }
    }
    out
}
