//! The "why?" panel's structured explanation: for one ruleset's evaluation,
//! the rules that decide it and those still open, each with the facts it
//! read (and their values), the source's own words kept apart from the
//! encoder's interpretation, and the source's and cited works' addresses.
//!
//! Built from the same [`Evaluation`] that `explain` prints, so the page
//! and the command line cannot disagree; this only chooses and shapes. The
//! page inserts every string as text, never as markup.

use serde_json::{Value, json};

use crate::eval::{Evaluation, FactRead, RuleNode, Truth};
use crate::model::{FactValue, Library, Ruleset};

/// The `why` object of `/api/explain`'s answer.
pub fn why_json(library: &Library, eval: &Evaluation, ruleset: &Ruleset) -> Value {
    let nodes = |truth: Truth| -> Vec<Value> {
        eval.rules
            .iter()
            .filter(|n| n.applies == truth && n.inactive.is_none())
            .map(|n| rule_json(library, ruleset, n, eval.decided_by.contains(&n.rule)))
            .collect()
    };
    // The parts of the work and what each came to: a partial verdict is
    // one part protected and another not, each by its own rules.
    let elements: Vec<Value> = eval
        .elements
        .iter()
        .map(|e| {
            json!({
                "element": e.element,
                "status": serde_json::to_value(e.status).unwrap_or(Value::Null),
                "rules": e.rules,
            })
        })
        .collect();
    json!({
        "verdict": eval.verdict.as_str(),
        "in_force": eval.in_force,
        "elements": elements,
        "decided_by": eval.decided_by,
        "deciding": nodes(Truth::True),
        "open": nodes(Truth::Unknown),
        "depends_on": eval.depends_on,
    })
}

/// One rule: what it says, the facts it read, where it comes from.
/// `decides`: the rule is one of those the verdict rests on (others that
/// apply establish findings the verdict does not turn on).
fn rule_json(library: &Library, ruleset: &Ruleset, n: &RuleNode, decides: bool) -> Value {
    let source = ruleset
        .rule(&n.rule)
        .and_then(|r| ruleset.source(&r.citation.source));
    // The works the rule's prose cites by key ([GOD], [P via KWM]), with
    // their addresses, so a reader can follow each one.
    let prose = format!(
        "{}\n{}\n{}\n{}",
        n.pinpoint,
        n.interpretation.as_deref().unwrap_or_default(),
        n.because,
        source
            .and_then(|s| s.reached_via.as_deref())
            .unwrap_or_default()
    );
    // And the confidence tags it uses ([P], [S2: …]) with their meanings,
    // so that no mark on the page is left unexplained.
    let (works, tags) = library.bibliography.cited_in(&prose);
    let works: Vec<Value> = works
        .into_iter()
        .map(|w| json!({"key": w.key, "reference": w.reference(), "url": w.url}))
        .collect();
    let tags: Vec<Value> = tags
        .into_iter()
        .map(|(tag, meaning)| json!({"tag": tag, "meaning": meaning}))
        .collect();
    json!({
        "rule": n.rule,
        "title": one_line(&n.title),
        "applies": n.applies.as_str(),
        "decides": decides,
        "condition": n.condition.text,
        "facts": n.facts.iter().map(|f| fact_json(library, f)).collect::<Vec<_>>(),
        "depends_on": n.depends_on,
        "exceptions": n.exceptions.iter()
            .map(|e| json!({"rule": e.rule, "applies": e.applies.as_str()}))
            .collect::<Vec<_>>(),
        "because": one_line(&n.because),
        "quote": n.quote.as_deref().map(one_line),
        "interpretation": n.interpretation.as_deref().map(|text| json!({
            "text": one_line(text),
            "reading": n.reading,
        })),
        "source": {
            "title": one_line(&n.source),
            "citation": one_line(&n.citation),
            "pinpoint": one_line(&n.pinpoint),
            "confidence": serde_json::to_value(n.confidence).unwrap_or(Value::Null),
            "date": source.and_then(|s| s.date).map(|d| d.to_string()),
            "url": source.and_then(|s| s.url.clone()),
        },
        "works": works,
        "tags": tags,
    })
}

/// A fact as the rule read it: its value in JSON, the same in words
/// (yes/no for a boolean, as `ask` and the handout say), and its question.
fn fact_json(library: &Library, f: &FactRead) -> Value {
    let def = library.vocabulary.fact(&f.fact);
    let (value, words) = match &f.value {
        None => (Value::Null, "unknown".to_string()),
        Some(FactValue::Bool(b)) => (Value::Bool(*b), if *b { "yes" } else { "no" }.to_string()),
        Some(FactValue::Int(i)) => (Value::from(*i), i.to_string()),
        Some(FactValue::Str(s)) => (Value::String(s.clone()), s.clone()),
        Some(FactValue::Date(d)) => (Value::String(d.to_string()), d.to_string()),
    };
    let mut out = json!({
        "fact": f.fact,
        "question": def.map(|d| one_line(&d.question)),
        "value": value,
        "words": words,
    });
    if let (Some(when), Value::Object(map)) = (&f.does_not_arise, &mut out) {
        map.insert("does_not_arise".into(), Value::String(when.clone()));
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
