//! Plain-text rendering for a terminal.

use std::fmt::Write;

use super::summary::{author_label, reason};
use super::table;
use crate::DISCLAIMER;
use crate::compare::{Column, Comparison};
use crate::eval::{ConditionNode, ElementStatus, Evaluation, RuleNode, Truth};
use crate::model::{Library, Ruleset};

/// Renders comparisons as a table per case plus the reasons.
pub fn compare_text(comparisons: &[Comparison], library: &Library) -> String {
    let mut out = String::new();
    for c in comparisons {
        out.push_str(&case_text(c, library));
        out.push('\n');
    }
    out.push_str(DISCLAIMER);
    out.push('\n');
    out
}

fn case_text(c: &Comparison, library: &Library) -> String {
    let mut out = format!("{}\n", c.title.trim());
    let _ = writeln!(out, "case: {}", c.path);
    if let Some(cite) = &c.citation {
        let _ = writeln!(out, "source: {cite}");
    }
    out.push('\n');
    let mut rows = vec![
        ["ruleset", "verdict", "author", "protected", "not protected"]
            .map(String::from)
            .to_vec(),
    ];
    rows.extend(c.columns.iter().map(row));
    out.push_str(&table::render(&rows));
    out.push_str("\nwhy:\n");
    for column in &c.columns {
        out.push_str(&why(column, library));
    }
    out
}

fn row(column: &Column) -> Vec<String> {
    match column {
        Column::Evaluated(e) => vec![
            e.ruleset.clone(),
            e.verdict.to_string(),
            author_label(e),
            elements(e, ElementStatus::Protected),
            elements(e, ElementStatus::NotProtected),
        ],
        Column::Failed { ruleset, .. } => vec![
            ruleset.clone(),
            "error".into(),
            "—".into(),
            "—".into(),
            "—".into(),
        ],
    }
}

/// Elements with a status, one per line (undetermined ones marked `?`).
fn elements(e: &Evaluation, status: ElementStatus) -> String {
    let mut lines: Vec<String> = e
        .elements
        .iter()
        .filter(|el| el.status == status)
        .map(|el| el.element.clone())
        .collect();
    lines.extend(
        e.elements
            .iter()
            .filter(|el| el.status == ElementStatus::Undetermined && el.possible.contains(&status))
            .map(|el| format!("? {}", el.element)),
    );
    if lines.is_empty() {
        "—".to_string()
    } else {
        lines.join("\n")
    }
}

fn why(column: &Column, library: &Library) -> String {
    let (eval, ruleset) = match column {
        Column::Evaluated(e) => match library.ruleset(&e.ruleset) {
            Some(r) => (e, r),
            None => return String::new(),
        },
        Column::Failed { ruleset, error } => return format!("  {ruleset}: error: {error}\n"),
    };
    let r = reason(eval, ruleset);
    let mut out = format!("  {}: {}\n", eval.ruleset, r.text.trim());
    if let Some(cite) = r.cite {
        let rule = r.rule.map_or_else(String::new, |id| format!("[{id}] "));
        let mark = if r.interpretation {
            " (encoder's interpretation)"
        } else {
            ""
        };
        let _ = writeln!(out, "      {rule}{}{mark}", cite.trim());
    }
    out
}

/// Renders the full reasoning of one ruleset on one case.
pub fn explain_text(c: &Comparison, eval: &Evaluation, ruleset: &Ruleset) -> String {
    let mut out = format!("{} — {}\n", ruleset.id, ruleset.title.trim());
    let _ = writeln!(
        out,
        "authority: {} ({}), {}",
        ruleset.authority,
        ruleset.jurisdiction,
        binding(ruleset)
    );
    let _ = writeln!(out, "case: {} ({})\n", c.title.trim(), c.path);
    let _ = writeln!(out, "verdict: {}", eval.verdict);
    if !eval.possible_verdicts.is_empty() {
        let possible: Vec<&str> = eval.possible_verdicts.iter().map(|v| v.as_str()).collect();
        let _ = writeln!(out, "  still possible: {}", possible.join(", "));
        let _ = writeln!(out, "  depends on: {}", eval.depends_on.join(", "));
    }
    let _ = writeln!(out, "author: {}", author_label(eval));
    if !eval.not_authors.is_empty() {
        let _ = writeln!(out, "not the author: {}", eval.not_authors.join(", "));
    }
    for el in &eval.elements {
        let _ = writeln!(
            out,
            "element {}: {} (by {})",
            el.element,
            status(el.status),
            el.rules.join(", ")
        );
    }
    for f in &eval.findings {
        let _ = writeln!(
            out,
            "finding {}: holds (by {})",
            f.conclusion,
            f.rules.join(", ")
        );
    }
    out.push_str(&reasoning(eval, ruleset));
    out.push('\n');
    out.push_str(DISCLAIMER);
    out.push('\n');
    out
}

fn reasoning(eval: &Evaluation, ruleset: &Ruleset) -> String {
    let mut out = String::new();
    let sections = [
        ("decided by (these rules apply):", Truth::True),
        (
            "open (may apply, depending on unknown facts):",
            Truth::Unknown,
        ),
        ("did not apply:", Truth::False),
    ];
    for (heading, truth) in sections {
        let nodes: Vec<&RuleNode> = eval.rules.iter().filter(|n| n.applies == truth).collect();
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}");
        for n in nodes {
            out.push_str(&rule_text(n, truth != Truth::False));
        }
    }
    if eval.verdict == crate::eval::Verdict::NotAddressed && !ruleset.limits.is_empty() {
        out.push_str("\nwhat this authority's holding does not reach:\n");
        for l in &ruleset.limits {
            let src = ruleset
                .source(&l.citation.source)
                .map_or("", |s| s.title.as_str());
            let _ = writeln!(
                out,
                "  - {}\n    {src}, {} [{:?}]",
                l.text.trim(),
                l.citation.pinpoint,
                l.citation.confidence
            );
        }
    }
    out
}

fn rule_text(n: &RuleNode, full: bool) -> String {
    let mark = match n.applies {
        Truth::True => "✔",
        Truth::False => "✘",
        Truth::Unknown => "?",
    };
    let mut out = format!("  {mark} {} — {}\n", n.rule, n.title.trim());
    condition_lines(&mut out, &n.condition, 6, "when: ");
    let facts: Vec<String> = n
        .facts
        .iter()
        .map(|f| {
            format!(
                "{} = {}",
                f.fact,
                f.value.as_ref().map_or("unknown".into(), |v| v.to_string())
            )
        })
        .collect();
    if !facts.is_empty() {
        let _ = writeln!(out, "      facts: {}", facts.join("; "));
    }
    for link in &n.relies_on {
        let _ = writeln!(
            out,
            "      relies on: {} ({})",
            link.rule,
            applies(link.applies)
        );
    }
    for link in &n.exceptions {
        let _ = writeln!(
            out,
            "      exception considered: {} ({})",
            link.rule,
            applies(link.applies)
        );
    }
    if !full {
        return out;
    }
    if !n.depends_on.is_empty() {
        let _ = writeln!(out, "      depends on: {}", n.depends_on.join(", "));
    }
    let _ = writeln!(out, "      because: {}", n.because.trim());
    let _ = writeln!(
        out,
        "      source: {} — {}, {} [{:?}]",
        n.source.trim(),
        n.citation.trim(),
        n.pinpoint.trim(),
        n.confidence
    );
    if let Some(q) = &n.quote {
        let _ = writeln!(out, "      quote: \"{}\"", q.trim());
    }
    if let Some(i) = &n.interpretation {
        let _ = writeln!(out, "      encoder's interpretation: {}", i.trim());
    }
    out
}

fn condition_lines(out: &mut String, node: &ConditionNode, indent: usize, label: &str) {
    let _ = writeln!(
        out,
        "{}{label}{} → {}",
        " ".repeat(indent),
        node.text,
        node.value
    );
    if node.parts.len() > 1 || matches!(node.parts.first(), Some(p) if !p.parts.is_empty()) {
        for part in &node.parts {
            condition_lines(out, part, indent + 2, "");
        }
    }
}

fn applies(t: Truth) -> &'static str {
    match t {
        Truth::True => "applies",
        Truth::False => "does not apply",
        Truth::Unknown => "may apply",
    }
}

fn status(s: ElementStatus) -> &'static str {
    match s {
        ElementStatus::Protected => "protected",
        ElementStatus::NotProtected => "not protected",
        ElementStatus::Undetermined => "undetermined",
    }
}

/// The binding level in words.
pub fn binding(ruleset: &Ruleset) -> String {
    format!("{:?}", ruleset.binding)
        .chars()
        .flat_map(|c| {
            if c.is_uppercase() {
                vec![' ', c.to_ascii_lowercase()]
            } else {
                vec![c]
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}
