//! Reasoning diagrams: the rules of one evaluation with their values, the
//! facts they read, the conclusions they rely on and the exceptions they
//! considered — as Mermaid and as Graphviz dot; and the path of deciding
//! rules a handout draws (facts → rules → verdict). Every label is escaped
//! for its language, so hostile text (`<script>`, `|`, `-->`, quotes,
//! newlines) stays inert.

use std::fmt::Write;

use crate::eval::{Evaluation, FactRead, RuleNode, Truth};

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

/// The path of deciding rules of one evaluation, for a handout's diagram:
/// the facts those rules read → the rules → the verdict. Labels are raw
/// text; each writer escapes them.
#[derive(Debug, Clone)]
pub struct DecidingPath {
    /// The ruleset's id.
    pub ruleset: String,
    /// Its verdict.
    pub verdict: crate::model::Verdict,
    /// The facts the rules on the path read, each once.
    pub facts: Vec<FactRead>,
    /// The rules on the path, in the ruleset's order.
    pub rules: Vec<PathRule>,
}

/// One rule on a [`DecidingPath`].
#[derive(Debug, Clone)]
pub struct PathRule {
    /// The rule's id.
    pub rule: String,
    /// Its title.
    pub title: String,
    /// Whether it applies (`Unknown`: it may, on facts not given).
    pub applies: Truth,
    /// Whether it is one of the rules that decide the verdict (the others
    /// establish conclusions the deciding rules rely on).
    pub decides: bool,
}

/// The rules that decide `e`'s verdict and the applying rules they rely
/// on (transitively); when no rule decides it, the rules that may apply,
/// since the open verdict hinges on them. Empty when nothing applies.
pub fn deciding_path(e: &Evaluation) -> DecidingPath {
    let by_id = |id: &str| e.rules.iter().find(|n| n.rule == id);
    let mut keep: Vec<&str> = e
        .decided_by
        .iter()
        .filter_map(|id| by_id(id))
        .filter(|n| n.applies == Truth::True)
        .map(|n| n.rule.as_str())
        .collect();
    if keep.is_empty() {
        keep = e
            .rules
            .iter()
            .filter(|n| n.applies == Truth::Unknown)
            .map(|n| n.rule.as_str())
            .collect();
    }
    // Follow the conclusions each kept rule relies on; each rule once, so
    // the walk ends.
    let mut i = 0;
    while let Some(id) = keep.get(i).copied() {
        i = i.saturating_add(1);
        let Some(n) = by_id(id) else { continue };
        for link in &n.relies_on {
            if let Some(m) = by_id(&link.rule)
                && m.applies != Truth::False
                && !keep.contains(&m.rule.as_str())
            {
                keep.push(m.rule.as_str());
            }
        }
    }
    let nodes: Vec<&RuleNode> = e
        .rules
        .iter()
        .filter(|n| keep.contains(&n.rule.as_str()))
        .collect();
    let mut facts: Vec<FactRead> = Vec::new();
    for f in nodes.iter().flat_map(|n| &n.facts) {
        if !facts.iter().any(|g| g.fact == f.fact) {
            facts.push(f.clone());
        }
    }
    DecidingPath {
        ruleset: e.ruleset.clone(),
        verdict: e.verdict,
        facts,
        rules: nodes
            .iter()
            .map(|n| PathRule {
                rule: n.rule.clone(),
                title: n.title.trim().to_string(),
                applies: n.applies,
                decides: e.decided_by.contains(&n.rule),
            })
            .collect(),
    }
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
