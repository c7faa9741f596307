//! Writes a rules directory of N rulesets for measuring how commands scale
//! with the number of rulesets (issue 17, `docs/bench/diff.md`):
//!
//! ```text
//! cargo run --release --example scale_rules -- OUT_DIR N [RULES_DIR]
//! ```
//!
//! OUT_DIR gets the shipped vocabulary and bibliography, the
//! jurisdictions file when N covers every shipped ruleset (it names them
//! all), then the first N shipped rulesets in id order; past the shipped
//! ones, copies of them in turn under new ids (`<id>-copy<k>`, the file's
//! `id:` line rewritten), so a large library has the shipped rulesets'
//! shapes and outcomes. Nothing else in a ruleset refers to its id.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: scale_rules OUT_DIR N [RULES_DIR]");
        return ExitCode::from(2);
    };
    let rules = PathBuf::from(args.get(2).map_or("rules", String::as_str));
    match write(&rules, Path::new(out), n) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("scale_rules: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The library files that are not rulesets.
const SHARED: [&str; 3] = ["facts.yaml", "bibliography.yaml", "jurisdictions.yaml"];

fn write(rules: &Path, out: &Path, n: usize) -> std::io::Result<()> {
    fs::create_dir_all(out)?;
    let mut rulesets: Vec<PathBuf> = fs::read_dir(rules)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && p.file_name()
                    .and_then(|f| f.to_str())
                    .is_some_and(|f| !SHARED.contains(&f))
        })
        .collect();
    rulesets.sort();
    for f in SHARED {
        if f != "jurisdictions.yaml" || n >= rulesets.len() {
            fs::copy(rules.join(f), out.join(f))?;
        }
    }
    if rulesets.is_empty() {
        return Ok(());
    }
    for i in 0..n {
        let Some(src) = rulesets.get(i % rulesets.len()) else {
            continue;
        };
        let copy = i / rulesets.len();
        let id = src
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let text = fs::read_to_string(src)?;
        let (new_id, text) = if copy == 0 {
            (id, text)
        } else {
            let new_id = format!("{id}-copy{copy}");
            let text = text.replacen(&format!("\nid: {id}\n"), &format!("\nid: {new_id}\n"), 1);
            (new_id, text)
        };
        fs::write(out.join(format!("{new_id}.yaml")), text)?;
    }
    Ok(())
}
