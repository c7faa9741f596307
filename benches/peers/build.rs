//! Passes the locked versions of the measured crates to the runner as
//! `PEERS_VERSION_*` environment variables, read from the workspace's
//! Cargo.lock, so the report names exactly what was built; and writes the
//! synthetic policy's rules as Rust code (`written.rs` in OUT_DIR), the
//! limit with the rules written into the code (`src/engines/limit.rs`).

use std::fmt::Write as _;
use std::path::Path;

// The policy is generated from a fixed seed: the same module the runner
// uses generates it here, so the code written is the runner's policy.
#[allow(dead_code)]
#[path = "src/outcome.rs"]
mod outcome;
#[allow(dead_code)]
#[path = "src/policy.rs"]
mod policy;

const CRATES: [(&str, &str); 3] = [
    ("authorship", "PEERS_VERSION_AUTHORSHIP"),
    ("regorus", "PEERS_VERSION_REGORUS"),
    ("zen-engine", "PEERS_VERSION_ZEN_ENGINE"),
];

fn main() {
    write_rules();
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo::rerun-if-changed={}", lock.display());
    let Ok(text) = std::fs::read_to_string(&lock) else {
        return;
    };
    for (name, var) in CRATES {
        if let Some(version) = locked_version(&text, name) {
            println!("cargo::rustc-env={var}={version}");
        }
    }
}

/// The `version` line following `name = "<name>"` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    lines.find(|l| l.trim() == wanted)?;
    let version = lines.next()?.trim().strip_prefix("version = \"")?;
    Some(version.trim_end_matches('"').to_string())
}

/// Each rule of the policy as straight-line code over constants, in the
/// two forms the data-driven limits take: ranks literal by literal, and
/// masks over the (known, true) words.
fn write_rules() {
    println!("cargo::rerun-if-changed=src/policy.rs");
    println!("cargo::rerun-if-changed=src/outcome.rs");
    let policy = policy::Policy::generate(0);
    let mut by_literal = String::new();
    let mut packed = String::new();
    for (r, rule) in policy.rules.iter().enumerate() {
        let mut groups = Vec::new();
        for group in &rule.when.groups {
            let lits: Vec<String> = group
                .iter()
                .map(|l| match l.negated {
                    false => format!("r[{}]", l.fact),
                    true => format!("2 - r[{}]", l.fact),
                })
                .collect();
            groups.push(format!("min!({})", lits.join(", ")));
            let (mut pos, mut neg) = (0u64, 0u64);
            for l in group {
                match l.negated {
                    false => pos |= 1 << l.fact,
                    true => neg |= 1 << l.fact,
                }
            }
            let _ = writeln!(
                packed,
                "    group(&mut t, &mut o, {r}, {pos:#x}, {neg:#x}, known, truth);"
            );
        }
        let _ = writeln!(
            by_literal,
            "    rank(&mut t, &mut o, {r}, max!({}));",
            groups.join(", ")
        );
    }
    let code = format!(
        "// Written by build.rs from the synthetic policy: do not edit.\n\
         /// (rules true, rules unknown) from the fact ranks, the rules written out.\n\
         #[inline(never)]\n\
         pub fn written_by_literal(r: &[u8; FACTS]) -> (u64, u64) {{\n\
         \x20   let (mut t, mut o) = (0u64, 0u64);\n{by_literal}    (t, o)\n}}\n\n\
         /// (rules true, rules unknown) from the (known, true) words, the rules written out.\n\
         #[inline(never)]\n\
         pub fn written_packed(known: u64, truth: u64) -> (u64, u64) {{\n\
         \x20   let (mut t, mut o) = (0u64, 0u64);\n{packed}    (t, o & !t)\n}}\n"
    );
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("written.rs"), code).expect("OUT_DIR is writable");
}
