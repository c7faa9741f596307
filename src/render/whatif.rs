//! Rendering what-ifs: as text, as JSON, and each counterfactual as a
//! ready-to-run case file (YAML text; the caller writes it).

use std::fmt::Write;

use serde::Serialize;

use super::DISCLAIMER;
use super::style::{TextStyle, verdict_words};
use crate::compare::{AsOfSource, Override};
use crate::model::{Case, FactValue, RulesOrigin, Vocabulary};
use crate::syntax::Date;
use crate::whatif::{Change, Counterfactual, WhatIf};

/// Schema id of `whatif --format json`.
pub const JSON_SCHEMA_WHATIF: &str = "authorship/whatif/v1";

/// What a what-if was asked about, as its header names it: the case (with
/// the facts the caller changed from the case file's, `--set`/`--unset`),
/// the date of the law and where it came from, and the rules applied.
pub struct WhatIfAsked<'a> {
    /// The case, after any overrides.
    pub case: &'a Case,
    /// The date the law was taken at.
    pub as_of: Date,
    /// Where that date came from.
    pub as_of_source: AsOfSource,
    /// The rules applied.
    pub rules: &'a RulesOrigin,
    /// The facts changed from the case file's.
    pub overrides: &'a [Override],
}

/// Renders a what-if as text, fitted to the style's width and coloured if
/// it says so.
pub fn whatif_text(asked: &WhatIfAsked, w: &WhatIf, style: &TextStyle) -> String {
    style.finish(&whatif_plain(asked, w))
}

fn whatif_plain(asked: &WhatIfAsked, w: &WhatIf) -> String {
    let title = asked.case.title.trim();
    let mut out = format!("What if — {title} under {}\n", w.ruleset);
    let as_of = super::summary::as_of_text(asked.as_of, asked.as_of_source);
    let _ = writeln!(out, "{as_of}");
    let _ = writeln!(out, "rules: {}", asked.rules);
    if let Some(line) = super::summary::overrides_line(asked.overrides) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "verdict now: {}\n", verdict_words(w.verdict));
    let goal = w.target.map_or("another verdict".to_string(), |t| {
        verdict_words(t).to_string()
    });
    if w.counterfactuals.is_empty() {
        let _ = writeln!(
            out,
            "No set of up to {} fact changes leads to {goal}.",
            w.max_changes
        );
    } else {
        let _ = writeln!(
            out,
            "smallest changes leading to {goal} (up to {} at once):",
            w.max_changes
        );
    }
    for (i, c) in w.counterfactuals.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {}",
            i.saturating_add(1),
            changes_text(&c.changes)
        );
        let by = if c.decided_by.is_empty() {
            String::new()
        } else {
            format!(" (decided by {})", c.decided_by.join(", "))
        };
        let _ = writeln!(out, "     → {}{by}", verdict_words(c.verdict));
    }
    let list = |v: &[String]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(
        out,
        "\ndecisive (one change alone changes the outcome): {}",
        list(&w.decisive)
    );
    let _ = writeln!(
        out,
        "matter only together with other changes: {}",
        list(&w.not_decisive_alone)
    );
    let _ = writeln!(
        out,
        "stated but irrelevant to this ruleset: {}",
        list(&w.irrelevant)
    );
    let _ = writeln!(out, "({} variations evaluated)\n", w.evaluated);
    out.push_str(DISCLAIMER);
    out.push('\n');
    out
}

/// "fact: old → new; …"
pub fn changes_text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let from = c
                .from
                .as_ref()
                .map_or("unknown".to_string(), |v| v.to_string());
            format!("{}: {from} → {}", c.fact, c.to)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Serialize)]
struct WhatIfDoc<'a> {
    schema: &'static str,
    disclaimer: &'static str,
    case: &'a str,
    as_of: Date,
    rule_set: &'a RulesOrigin,
    /// The facts changed from the case file's (`--set`, `--unset`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    overrides: &'a [Override],
    #[serde(flatten)]
    whatif: &'a WhatIf,
}

/// Renders a what-if as JSON.
pub fn whatif_json(asked: &WhatIfAsked, w: &WhatIf) -> String {
    let doc = WhatIfDoc {
        schema: JSON_SCHEMA_WHATIF,
        disclaimer: DISCLAIMER,
        case: &asked.case.title,
        as_of: asked.as_of,
        rule_set: asked.rules,
        overrides: asked.overrides,
        whatif: w,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// A counterfactual as a case file: the case's facts with the changes, its
/// as-of date, and the expected verdict under the ruleset. A stated fact
/// that the changes make not arise is left out: stating it would contradict
/// the new facts (E011), and it has its defined value anyway.
pub fn counterfactual_yaml(
    case: &Case,
    vocabulary: &Vocabulary,
    ruleset: &str,
    as_of: Date,
    c: &Counterfactual,
) -> String {
    let mut facts = case.facts.clone();
    for ch in &c.changes {
        facts.set(&ch.fact, ch.to.clone());
    }
    let set_aside: Vec<String> = vocabulary
        .complete(&facts)
        .contradictions()
        .map(|n| n.fact.clone())
        .collect();
    for fact in &set_aside {
        facts.0.remove(fact);
    }
    let changed = changes_text(&c.changes);
    case_yaml(&CaseFile {
        origin: "authorship whatif --emit",
        title: &format!("What if: {} — {changed}", case.title.trim()),
        summary: &format!("{} Changed: {changed}.", case.summary.trim()),
        as_of: Some(as_of),
        facts: &facts,
        unknown: &[],
        expect: &[(ruleset.to_string(), c.verdict)],
    })
}

/// What a generated case file holds.
pub struct CaseFile<'a> {
    /// What generated it (said in a comment at the top).
    pub origin: &'a str,
    /// Title.
    pub title: &'a str,
    /// Summary.
    pub summary: &'a str,
    /// The as-of date, if any.
    pub as_of: Option<Date>,
    /// Known facts.
    pub facts: &'a crate::model::Facts,
    /// Facts stated as unknown (written as `null`).
    pub unknown: &'a [String],
    /// Expected verdicts (basis: prediction).
    pub expect: &'a [(String, crate::Verdict)],
}

/// Writes a case file (YAML text) that `check` accepts.
pub fn case_yaml(f: &CaseFile) -> String {
    let mut out = format!("# Generated by `{}`.\n", f.origin);
    let _ = writeln!(out, "title: {}", quote(f.title));
    let _ = writeln!(out, "summary: {}", quote(f.summary));
    if let Some(d) = f.as_of {
        let _ = writeln!(out, "as_of: {d}");
    }
    if f.facts.0.is_empty() && f.unknown.is_empty() {
        out.push_str("facts: {}\n");
    } else {
        out.push_str("facts:\n");
    }
    for (name, value) in &f.facts.0 {
        let _ = writeln!(out, "  {name}: {}", scalar(value));
    }
    for name in f.unknown {
        let _ = writeln!(out, "  {name}: null   # answered: unknown");
    }
    if !f.expect.is_empty() {
        out.push_str("expect:\n");
    }
    for (ruleset, verdict) in f.expect {
        let _ = writeln!(
            out,
            "  {ruleset}:\n    verdict: {verdict}\n    basis: prediction"
        );
        let _ = writeln!(
            out,
            "    note: {}",
            quote(&format!("Generated by `{}`.", f.origin))
        );
    }
    out
}

fn scalar(v: &FactValue) -> String {
    match v {
        FactValue::Bool(b) => b.to_string(),
        FactValue::Int(i) => i.to_string(),
        FactValue::Date(d) => d.to_string(),
        FactValue::Str(s) => quote(s),
    }
}

// A JSON string is a valid YAML double-quoted scalar, escapes included.
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}
