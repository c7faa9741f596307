//! Passes the locked versions of the measured crates to the runner as
//! `PEERS_VERSION_*` environment variables, read from the workspace's
//! Cargo.lock, so the report names exactly what was built.

use std::path::Path;

const CRATES: [(&str, &str); 3] = [
    ("authorship", "PEERS_VERSION_AUTHORSHIP"),
    ("regorus", "PEERS_VERSION_REGORUS"),
    ("zen-engine", "PEERS_VERSION_ZEN_ENGINE"),
];

fn main() {
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
