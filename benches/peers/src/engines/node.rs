//! json-logic-engine (npm), run by Node.js from `js/bench.mjs`. The runner
//! writes the JSONLogic encoding and the patterns to a JSON file; the script
//! compiles the logic (`LogicEngine.build`), evaluates every pattern once
//! for the check, times its own rounds, and prints its outcomes and ns/eval
//! as JSON on stdout.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use serde_json::json;

use crate::encode::jsonlogic;
use crate::outcome::Outcome;
use crate::policy::{FACTS, Policy, fact_name};

/// The row label.
pub const LABEL: &str = "json-logic-engine (Node.js, compiled)";

/// What the script prints.
#[derive(Debug, Deserialize)]
struct Report {
    version: String,
    node: String,
    ns_per_eval: Vec<f64>,
    outcomes: Vec<String>,
}

/// The script's results, parsed and checked for shape.
pub struct NodeRun {
    /// json-logic-engine's version, and Node's.
    pub version: String,
    /// ns per evaluation, one per timed round.
    pub ns_per_eval: Vec<f64>,
    /// One outcome per pattern.
    pub outcomes: Vec<Outcome>,
}

/// The directory of `bench.mjs` and its `package.json`.
pub fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Why the engine cannot run here, if it cannot (no Node.js, or `npm ci`
/// not run yet).
pub fn unavailable() -> Option<String> {
    let dir = js_dir();
    if !dir
        .join("node_modules/json-logic-engine/package.json")
        .exists()
    {
        return Some(format!("run `npm ci --prefix {}` first", dir.display()));
    }
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => None,
        _ => Some("no `node` on PATH".to_string()),
    }
}

/// Writes the input file, runs the script for `rounds` timed rounds and
/// parses what it prints.
pub fn run(policy: &Policy, work_dir: &Path, rounds: usize) -> Result<NodeRun, String> {
    let input = work_dir.join("jsonlogic-input.json");
    write_input(policy, &input).map_err(|e| format!("writing {}: {e}", input.display()))?;
    let out = Command::new("node")
        .arg(js_dir().join("bench.mjs"))
        .arg(&input)
        .arg(rounds.to_string())
        .output()
        .map_err(|e| format!("running node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node exited with {}:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let report: Report =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("reading node's output: {e}"))?;
    let outcomes = report
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, text)| {
            Outcome::parse_compact(text, policy.rules.len())
                .ok_or_else(|| format!("pattern {i}: unreadable outcome `{text}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NodeRun {
        version: format!("{} (node {})", report.version, report.node),
        ns_per_eval: report.ns_per_eval,
        outcomes,
    })
}

fn write_input(policy: &Policy, path: &Path) -> std::io::Result<()> {
    let patterns: Vec<Vec<u8>> = policy
        .patterns
        .iter()
        .map(|p| p.iter().map(|&b| u8::from(b)).collect())
        .collect();
    let input = json!({
        "facts": (0..FACTS).map(fact_name).collect::<Vec<_>>(),
        "rules": jsonlogic::rules(policy),
        "verdict": jsonlogic::verdict(policy.rules.len()),
        "patterns": patterns,
    });
    std::fs::write(path, input.to_string())
}
