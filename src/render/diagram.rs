//! Reasoning diagrams: the rules of one evaluation with their values, the
//! facts they read, the conclusions they rely on and the exceptions they
//! considered — as Mermaid, as Graphviz dot, and as a small inline SVG for
//! the HTML handout. Every label is escaped for its language, so hostile
//! text (`<script>`, `|`, `-->`, quotes, newlines) stays inert.

use std::fmt::Write;

use crate::eval::{Evaluation, RuleNode, Truth};

fn mark(t: Truth) -> &'static str {
    match t {
        Truth::True => "applies",
        Truth::False => "does not apply",
        Truth::Unknown => "may apply",
    }
}

fn node_id(prefix: &str, i: usize) -> String {
    format!("{prefix}{i}")
}

// The rules worth drawing: those that apply or may apply, plus the rules
// they are linked to.
fn drawn(e: &Evaluation) -> Vec<&RuleNode> {
    let mut keep: Vec<&str> = e
        .rules
        .iter()
        .filter(|n| n.applies != Truth::False)
        .map(|n| n.rule.as_str())
        .collect();
    for n in e.rules.iter().filter(|n| n.applies != Truth::False) {
        keep.extend(
            n.relies_on
                .iter()
                .chain(&n.exceptions)
                .map(|l| l.rule.as_str()),
        );
    }
    e.rules
        .iter()
        .filter(|n| keep.contains(&n.rule.as_str()))
        .collect()
}

/// The reasoning as a Mermaid flowchart.
pub fn mermaid(e: &Evaluation) -> String {
    let nodes = drawn(e);
    let index = |id: &str| nodes.iter().position(|n| n.rule == id);
    let mut out = String::from("flowchart TD\n");
    let _ = writeln!(out, "  verdict[\"{}: {}\"]", mm(&e.ruleset), e.verdict);
    for (i, n) in nodes.iter().enumerate() {
        let label = format!(
            "{} ({})<br/>{}<br/>{} → {}",
            mm(&n.rule),
            mark(n.applies),
            mm(n.title.trim()),
            mm(&n.condition.text),
            n.condition.value
        );
        let _ = writeln!(out, "  {}[\"{label}\"]", node_id("r", i));
        if n.applies == Truth::True && e.decided_by.contains(&n.rule) {
            let _ = writeln!(out, "  {} --> verdict", node_id("r", i));
        }
        for (k, f) in n.facts.iter().enumerate() {
            let v = f
                .value
                .as_ref()
                .map_or("unknown".to_string(), |v| v.to_string());
            let _ = writeln!(
                out,
                "  {}_{k}([\"{} = {}\"]) -.-> {}",
                node_id("f", i),
                mm(&f.fact),
                mm(&v),
                node_id("r", i)
            );
        }
        for l in &n.relies_on {
            if let Some(j) = index(&l.rule) {
                let _ = writeln!(
                    out,
                    "  {} -->|\"concludes\"| {}",
                    node_id("r", j),
                    node_id("r", i)
                );
            }
        }
        for l in &n.exceptions {
            if let Some(j) = index(&l.rule) {
                let _ = writeln!(
                    out,
                    "  {} -.->|\"exception\"| {}",
                    node_id("r", j),
                    node_id("r", i)
                );
            }
        }
    }
    out
}

/// The reasoning as a Graphviz digraph.
pub fn dot(e: &Evaluation) -> String {
    let nodes = drawn(e);
    let index = |id: &str| nodes.iter().position(|n| n.rule == id);
    let mut out = String::from(
        "digraph reasoning {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    let _ = writeln!(
        out,
        "  verdict [label=\"{}: {}\", shape=doubleoctagon];",
        dt(&e.ruleset),
        e.verdict
    );
    for (i, n) in nodes.iter().enumerate() {
        let label = format!(
            "{} ({})\n{}\n{} → {}",
            n.rule,
            mark(n.applies),
            n.title.trim(),
            n.condition.text,
            n.condition.value
        );
        let style = if n.applies == Truth::True {
            "bold"
        } else {
            "dashed"
        };
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", style={style}];",
            node_id("r", i),
            dt(&label)
        );
        if n.applies == Truth::True && e.decided_by.contains(&n.rule) {
            let _ = writeln!(out, "  {} -> verdict;", node_id("r", i));
        }
        for (k, f) in n.facts.iter().enumerate() {
            let v = f
                .value
                .as_ref()
                .map_or("unknown".to_string(), |v| v.to_string());
            let _ = writeln!(
                out,
                "  {}_{k} [label=\"{} = {}\", shape=ellipse];",
                node_id("f", i),
                dt(&f.fact),
                dt(&v)
            );
            let _ = writeln!(
                out,
                "  {}_{k} -> {} [style=dotted];",
                node_id("f", i),
                node_id("r", i)
            );
        }
        for l in &n.relies_on {
            if let Some(j) = index(&l.rule) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [label=\"concludes\"];",
                    node_id("r", j),
                    node_id("r", i)
                );
            }
        }
        for l in &n.exceptions {
            if let Some(j) = index(&l.rule) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [label=\"exception\", style=dashed];",
                    node_id("r", j),
                    node_id("r", i)
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

/// The deciding and open rules as an inline SVG (boxes, top to bottom,
/// each with its condition and value), plus a text alternative.
pub fn reasoning_svg(e: &Evaluation) -> (String, String) {
    let nodes = drawn(e);
    let (w, h, gap): (usize, usize, usize) = (760, 46, 14);
    let height = nodes
        .len()
        .saturating_add(1)
        .saturating_mul(h.saturating_add(gap))
        .saturating_add(gap);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let mut y = gap;
    let _ = write!(
        out,
        "<rect x=\"10\" y=\"{y}\" width=\"{}\" height=\"{h}\" rx=\"8\" fill=\"#eef\" stroke=\"#336\"/><text x=\"20\" y=\"{}\" font-weight=\"bold\">{}: {}</text>",
        w.saturating_sub(20),
        y.saturating_add(28),
        svg_text(&e.ruleset),
        e.verdict
    );
    for n in &nodes {
        y = y.saturating_add(h.saturating_add(gap));
        let fill = match n.applies {
            Truth::True => "#e9f7ec",
            Truth::Unknown => "#fff7e0",
            Truth::False => "#f3f3f3",
        };
        let _ = write!(
            out,
            "<line x1=\"30\" y1=\"{}\" x2=\"30\" y2=\"{y}\" stroke=\"#888\"/><rect x=\"10\" y=\"{y}\" width=\"{}\" height=\"{h}\" rx=\"4\" fill=\"{fill}\" stroke=\"#666\"/><text x=\"20\" y=\"{}\" font-weight=\"bold\">{} — {}</text><text x=\"20\" y=\"{}\">{}</text>",
            y.saturating_sub(gap),
            w.saturating_sub(20),
            y.saturating_add(18),
            svg_text(&n.rule),
            mark(n.applies),
            y.saturating_add(36),
            svg_text(&truncate(
                &format!("{} → {}", n.condition.text, n.condition.value),
                110
            ))
        );
    }
    out.push_str("</svg>");
    let alt: Vec<String> = nodes
        .iter()
        .map(|n| format!("{} ({})", n.rule, mark(n.applies)))
        .collect();
    (
        out,
        format!("{} is {} by: {}", e.ruleset, e.verdict, alt.join(", ")),
    )
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

fn svg_text(s: &str) -> String {
    super::report::html(s)
}

// Mermaid: inside a quoted label, quotes and angle brackets become entity
// codes, and `|`, `-->` and line breaks cannot end the label or the edge.
fn mm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '&' => out.push_str("#amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

// dot: inside a quoted string only `\` and `"` need escaping; line breaks
// become `\n` so the label stays on one line of the file.
fn dt(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\r', "")
        .replace('\n', "\\n")
}
