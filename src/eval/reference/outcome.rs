//! From rule values to an outcome: each element's status, the verdict (or
//! the verdicts still possible), the authors, and the findings.

use std::collections::BTreeSet;

use super::rules::RuleState;
use crate::eval::{ElementOutcome, ElementStatus, EvalError, Finding, Truth, Verdict};
use crate::model::{Conclusions, Ruleset, Vocabulary};

/// The outcome before it is packed into an `Evaluation`.
pub struct Decided {
    pub verdict: Verdict,
    pub possible: Vec<Verdict>,
    pub authors: Vec<String>,
    pub possible_authors: Vec<String>,
    /// The unknown facts of the rules that may make a possible author one
    /// (or not): the possible authors are found over their completions too.
    pub author_depends_on: Vec<String>,
    pub not_authors: Vec<String>,
    pub elements: Vec<ElementOutcome>,
    pub findings: Vec<Finding>,
    pub depends_on: Vec<String>,
}

/// Yes/no votes of the rules on one subject (an element or a party).
struct Votes {
    yes: Truth,
    no: Truth,
    yes_rules: Vec<String>,
    no_rules: Vec<String>,
    depends_on: BTreeSet<String>,
}

fn votes(
    ruleset: &Ruleset,
    states: &[RuleState],
    subject: &str,
    field: fn(&Conclusions) -> (&[String], &[String]),
) -> Votes {
    let mut v = Votes {
        yes: Truth::False,
        no: Truth::False,
        yes_rules: vec![],
        no_rules: vec![],
        depends_on: BTreeSet::new(),
    };
    for (rule, state) in ruleset.rules.iter().zip(states) {
        let (yes, no) = field(&rule.then);
        let says_yes = yes.iter().any(|s| s == subject);
        let says_no = no.iter().any(|s| s == subject);
        if state.applies == Truth::False || !(says_yes || says_no) {
            continue;
        }
        if state.applies == Truth::Unknown {
            v.depends_on.extend(state.depends_on.iter().cloned());
        }
        if says_yes {
            v.yes = v.yes.or(state.applies);
            v.yes_rules.push(rule.id.clone());
        }
        if says_no {
            v.no = v.no.or(state.applies);
            v.no_rules.push(rule.id.clone());
        }
    }
    v
}

fn element_fields(c: &Conclusions) -> (&[String], &[String]) {
    (&c.protected, &c.not_protected)
}

fn author_fields(c: &Conclusions) -> (&[String], &[String]) {
    (&c.author, &c.not_author)
}

fn conflict(ruleset: &Ruleset, subject: &str, what: &'static str, v: &Votes) -> EvalError {
    EvalError::Conflict {
        ruleset: ruleset.id.clone(),
        subject: subject.to_string(),
        what,
        positive: v.yes_rules.clone(),
        negative: v.no_rules.clone(),
    }
}

/// Decides the outcome from the rules' values.
pub fn decide(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    states: &[RuleState],
) -> Result<Decided, EvalError> {
    let mut elements = Vec::new();
    let (mut any_yes, mut any_no) = (Truth::False, Truth::False);
    let mut depends_on = BTreeSet::new();
    let mut all = Vec::with_capacity(vocab.elements.len());
    for element in vocab.elements.keys() {
        let v = votes(ruleset, states, element, element_fields);
        if v.yes == Truth::True && v.no == Truth::True {
            return Err(conflict(ruleset, element, "protected", &v));
        }
        all.push(v);
    }
    let reached: Vec<Truth> = all.iter().map(|v| v.yes.or(v.no)).collect();
    let principals = vocab.principals();
    for ((element, v), principal) in vocab.elements.keys().zip(all).zip(principals) {
        // A part counts only where the ruleset reaches what it is part of.
        let counts = principal.map_or(Truth::True, |p| {
            reached.get(p).copied().unwrap_or(Truth::False)
        });
        any_yes = any_yes.or(v.yes.and(counts));
        any_no = any_no.or(v.no.and(counts));
        // A part's facts stay among the verdict's even where it cannot count
        // (as in the compiled evaluator): every open element's facts are listed.
        if let Some(outcome) = element_outcome(element, v, &mut depends_on) {
            elements.push(outcome);
        }
    }
    let possible = possible_verdicts(any_yes, any_no);
    let verdict = match possible.as_slice() {
        [only] => *only,
        _ => Verdict::Undetermined,
    };
    let mut author_deps = BTreeSet::new();
    let (authors, possible_authors, not_authors) =
        authors(ruleset, vocab, states, verdict, &mut author_deps)?;
    Ok(Decided {
        verdict,
        possible: if verdict == Verdict::Undetermined {
            possible
        } else {
            vec![]
        },
        authors,
        possible_authors,
        author_depends_on: author_deps.into_iter().collect(),
        not_authors,
        elements,
        findings: findings(ruleset, states),
        depends_on: if verdict == Verdict::Undetermined {
            depends_on.into_iter().collect()
        } else {
            vec![]
        },
    })
}

fn element_outcome(element: &str, v: Votes, deps: &mut BTreeSet<String>) -> Option<ElementOutcome> {
    let status = match (v.yes, v.no) {
        (Truth::False, Truth::False) => return None,
        (Truth::True, Truth::False) => ElementStatus::Protected,
        (Truth::False, Truth::True) => ElementStatus::NotProtected,
        _ => ElementStatus::Undetermined,
    };
    let rules = match status {
        ElementStatus::Protected => v.yes_rules,
        ElementStatus::NotProtected => v.no_rules,
        ElementStatus::Undetermined => [v.yes_rules, v.no_rules].concat(),
    };
    let mut possible = Vec::new();
    if status == ElementStatus::Undetermined {
        if v.yes != Truth::False {
            possible.push(ElementStatus::Protected);
        }
        if v.no != Truth::False {
            possible.push(ElementStatus::NotProtected);
        }
    }
    let depends_on: Vec<String> = if status == ElementStatus::Undetermined {
        deps.extend(v.depends_on.iter().cloned());
        v.depends_on.into_iter().collect()
    } else {
        vec![]
    };
    Some(ElementOutcome {
        element: element.to_string(),
        status,
        possible,
        rules,
        depends_on,
    })
}

/// The verdicts that remain possible given whether something is (or may be)
/// protected and whether something is (or may be) unprotected.
fn possible_verdicts(any_yes: Truth, any_no: Truth) -> Vec<Verdict> {
    let mut out = BTreeSet::new();
    for &yes in any_yes.possible() {
        for &no in any_no.possible() {
            out.insert(match (yes, no) {
                (true, false) => Verdict::Protected,
                (true, true) => Verdict::PartiallyProtected,
                (false, true) => Verdict::NotProtected,
                (false, false) => Verdict::NotAddressed,
            });
        }
    }
    out.into_iter().collect()
}

type Authors = (Vec<String>, Vec<String>, Vec<String>);

fn authors(
    ruleset: &Ruleset,
    vocab: &Vocabulary,
    states: &[RuleState],
    verdict: Verdict,
    deps: &mut BTreeSet<String>,
) -> Result<Authors, EvalError> {
    let (mut yes, mut maybe, mut no) = (vec![], vec![], vec![]);
    for party in vocab.parties.keys() {
        let v = votes(ruleset, states, party, author_fields);
        if v.yes == Truth::True && v.no == Truth::True {
            return Err(conflict(ruleset, party, "an author", &v));
        }
        match (v.yes, v.no) {
            (_, Truth::True) => no.push(party.clone()),
            (Truth::True, _) => yes.push(party.clone()),
            (Truth::Unknown, _) => {
                maybe.push(party.clone());
                deps.extend(v.depends_on);
            }
            _ => {}
        }
    }
    // With nothing protected there is nothing to be the author of.
    if verdict == Verdict::NotProtected {
        yes.clear();
        maybe.clear();
        deps.clear();
    }
    Ok((yes, maybe, no))
}

fn findings(ruleset: &Ruleset, states: &[RuleState]) -> Vec<Finding> {
    ruleset
        .index
        .holders
        .iter()
        .filter_map(|(name, holders)| {
            let rules: Vec<String> = holders
                .iter()
                .filter(|&&h| states.get(h).is_some_and(|s| s.applies == Truth::True))
                .filter_map(|&h| ruleset.rules.get(h).map(|r| r.id.clone()))
                .collect();
            (!rules.is_empty()).then(|| Finding {
                conclusion: name.clone(),
                rules,
            })
        })
        .collect()
}
