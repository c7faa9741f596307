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

/// What a node is, which decides its shape.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Verdict,
    Rule(Truth),
    Fact,
}

/// How an edge is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    /// A deciding rule to the verdict.
    Decides,
    /// A fact read by a rule.
    Reads,
    /// A rule establishing a conclusion another relies on.
    Concludes,
    /// An exception considered.
    Exception,
}

/// The reasoning as a graph: built once, printed in each language.
struct Graph {
    /// (id, label lines, shape); labels are raw text, escaped by printers.
    nodes: Vec<(String, Vec<String>, Shape)>,
    /// (from, to, kind).
    edges: Vec<(String, String, Line)>,
}

fn graph(e: &Evaluation) -> Graph {
    let rules = drawn(e);
    let index = |id: &str| rules.iter().position(|n| n.rule == id);
    let mut g = Graph {
        nodes: vec![],
        edges: vec![],
    };
    g.nodes.push((
        "verdict".into(),
        vec![format!("{}: {}", e.ruleset, e.verdict)],
        Shape::Verdict,
    ));
    for (i, n) in rules.iter().enumerate() {
        let id = node_id("r", i);
        let condition = format!("{} → {}", n.condition.text, n.condition.value);
        let label = vec![
            format!("{} ({})", n.rule, mark(n.applies)),
            n.title.trim().to_string(),
            condition,
        ];
        g.nodes.push((id.clone(), label, Shape::Rule(n.applies)));
        if n.applies == Truth::True && e.decided_by.contains(&n.rule) {
            g.edges.push((id.clone(), "verdict".into(), Line::Decides));
        }
        for (k, f) in n.facts.iter().enumerate() {
            let fact = format!("{}_{k}", node_id("f", i));
            let label = super::summary::fact_read_text(f);
            g.nodes.push((fact.clone(), vec![label], Shape::Fact));
            g.edges.push((fact, id.clone(), Line::Reads));
        }
        for (links, kind) in [
            (&n.relies_on, Line::Concludes),
            (&n.exceptions, Line::Exception),
        ] {
            for j in links.iter().filter_map(|l| index(&l.rule)) {
                g.edges.push((node_id("r", j), id.clone(), kind));
            }
        }
    }
    g
}

/// The reasoning as a Mermaid flowchart.
pub fn mermaid(e: &Evaluation) -> String {
    let g = graph(e);
    let mut out = String::from("flowchart TD\n");
    for (id, label, shape) in &g.nodes {
        let text = label
            .iter()
            .map(|l| mm(l))
            .collect::<Vec<_>>()
            .join("<br/>");
        let (open, close) = match shape {
            Shape::Fact => ("([", "])"),
            _ => ("[", "]"),
        };
        let _ = writeln!(out, "  {id}{open}\"{text}\"{close}");
    }
    for (from, to, kind) in &g.edges {
        let arrow = match kind {
            Line::Decides => "-->",
            Line::Reads => "-.->",
            Line::Concludes => "-->|\"concludes\"|",
            Line::Exception => "-.->|\"exception\"|",
        };
        let _ = writeln!(out, "  {from} {arrow} {to}");
    }
    out
}

/// The reasoning as a Graphviz digraph.
pub fn dot(e: &Evaluation) -> String {
    let g = graph(e);
    let mut out = String::from(
        "digraph reasoning {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (id, label, shape) in &g.nodes {
        let text = dt(&label.join("\n"));
        let attrs = match shape {
            Shape::Verdict => ", shape=doubleoctagon",
            Shape::Fact => ", shape=ellipse",
            Shape::Rule(Truth::True) => ", style=bold",
            Shape::Rule(_) => ", style=dashed",
        };
        let _ = writeln!(out, "  {id} [label=\"{text}\"{attrs}];");
    }
    for (from, to, kind) in &g.edges {
        let attrs = match kind {
            Line::Decides => "",
            Line::Reads => " [style=dotted]",
            Line::Concludes => " [label=\"concludes\"]",
            Line::Exception => " [label=\"exception\", style=dashed]",
        };
        let _ = writeln!(out, "  {from} -> {to}{attrs};");
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
