//! Plain-text rendering of one ruleset's full reasoning on a case.

use std::fmt::Write;

use super::DISCLAIMER;
use super::style::{TextStyle, verdict_words};
use super::summary::{as_of_line, author_label};
use crate::compare::Comparison;
use crate::eval::{ConditionNode, ElementStatus, Evaluation, RuleNode, Truth};
use crate::model::{Library, Ruleset};

/// Renders the full reasoning of one ruleset on one case, then the sources,
/// works and tags it cites, in full (what `explain` prints), every line
/// whole and uncoloured.
pub fn explain_with_references(
    c: &Comparison,
    eval: &Evaluation,
    ruleset: &Ruleset,
    library: &Library,
) -> String {
    explain_with_references_styled(c, eval, ruleset, library, &TextStyle::default())
}

/// [`explain_with_references`] fitted to the style's width and coloured if
/// it says so.
pub fn explain_with_references_styled(
    c: &Comparison,
    eval: &Evaluation,
    ruleset: &Ruleset,
    library: &Library,
    style: &TextStyle,
) -> String {
    style.finish(&explain_plain(c, eval, ruleset, library))
}

fn explain_plain(
    c: &Comparison,
    eval: &Evaluation,
    ruleset: &Ruleset,
    library: &Library,
) -> String {
    let mut out = reasoning_text(c, eval, ruleset);
    let sources = super::references::sources_of(library, &[eval], false);
    let refs = super::references::collect(library, sources, &out);
    out.push_str(&super::references::references_text(&refs));
    out.push('\n');
    out.push_str(DISCLAIMER);
    out.push('\n');
    out
}

/// Renders the full reasoning of one ruleset on one case, without the
/// references (the case digests keep it short this way).
pub fn explain_text(c: &Comparison, eval: &Evaluation, ruleset: &Ruleset) -> String {
    let mut out = reasoning_text(c, eval, ruleset);
    out.push('\n');
    out.push_str(DISCLAIMER);
    out.push('\n');
    out
}

// What the authority that decided the matter ordered, shown with its own
// ruleset only: the rules model protection, not infringement or remedies.
fn write_disposition(out: &mut String, c: &Comparison, ruleset: &Ruleset) {
    let Some(d) = c
        .disposition
        .as_ref()
        .filter(|d| d.decided_by == ruleset.id)
    else {
        return;
    };
    let _ = writeln!(
        out,
        "\ndisposition (what this authority decided beyond protection):"
    );
    let _ = writeln!(out, "  holding: {}", super::summary::one_line(&d.holding));
    for r in &d.remedies {
        let _ = writeln!(out, "  ordered: {}", super::summary::one_line(r));
    }
}

fn reasoning_text(c: &Comparison, eval: &Evaluation, ruleset: &Ruleset) -> String {
    let mut out = format!("{} — {}\n", ruleset.id, ruleset.title.trim());
    let _ = writeln!(
        out,
        "authority: {} ({}), {}",
        ruleset.authority,
        ruleset.jurisdiction,
        binding(ruleset)
    );
    let _ = writeln!(out, "case: {} ({})", c.title.trim(), c.path);
    let _ = writeln!(out, "{}", as_of_line(c));
    if let Some(line) = super::summary::overrides_line(&c.overrides) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}", super::summary::rules_line(c));
    if let Some(v) = eval.variant.as_deref().and_then(|v| ruleset.variant(v)) {
        let _ = writeln!(
            out,
            "reading: {} — {} ({:?}, not the law in force)",
            v.id,
            v.title.trim(),
            v.status
        );
    }
    if !eval.in_force {
        let _ = writeln!(
            out,
            "this ruleset is not in force on {} (from {})",
            eval.as_of, ruleset.in_force.from
        );
    }
    super::summary::write_not_arising(&mut out, c);
    out.push('\n');
    let _ = writeln!(out, "verdict: {}", verdict_words(eval.verdict));
    if let Some(parts) = super::summary::parts_only(eval) {
        let _ = writeln!(out, "  {parts}");
    }
    if !eval.possible_verdicts.is_empty() {
        let possible: Vec<&str> = eval
            .possible_verdicts
            .iter()
            .map(|v| verdict_words(*v))
            .collect();
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
    write_disposition(&mut out, c, ruleset);
    out.push_str(&reasoning(eval, ruleset));
    out
}

fn reasoning(eval: &Evaluation, ruleset: &Ruleset) -> String {
    let mut out = String::from(
        "\nmarks: ✔ the rule applies, ? it may apply (it depends on unknown facts), ✘ it does not\n",
    );
    let sections = [
        ("decided by (these rules apply):", Truth::True),
        (
            "open (may apply, depending on unknown facts):",
            Truth::Unknown,
        ),
        ("did not apply:", Truth::False),
    ];
    for (heading, truth) in sections {
        let nodes: Vec<&RuleNode> = eval
            .rules
            .iter()
            .filter(|n| n.applies == truth && n.inactive.is_none())
            .collect();
        if nodes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}");
        for n in nodes {
            out.push_str(&rule_text(n, truth != Truth::False));
        }
    }
    let inactive: Vec<&RuleNode> = eval.rules.iter().filter(|n| n.inactive.is_some()).collect();
    if !inactive.is_empty() {
        let _ = writeln!(out, "\nnot in force on this date, or for another reading:");
        for n in inactive {
            let _ = writeln!(
                out,
                "  – {} — {}: {}",
                n.rule,
                n.title.trim(),
                n.inactive.as_deref().unwrap_or("")
            );
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
    let facts: Vec<String> = n.facts.iter().map(super::summary::fact_read_text).collect();
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
        let level = n
            .reading
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})"));
        let _ = writeln!(out, "      encoder's interpretation{level}: {}", i.trim());
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
            condition_lines(out, part, indent.saturating_add(2), "");
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
