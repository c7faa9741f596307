//! Headless Chromium for the tests that lay pages out (`browser`,
//! `ux_handout`): finding it, skipping without it off CI, the flags every
//! run shares, and where screenshots go.

use std::path::{Path, PathBuf};

/// The flags of every headless run: no sandbox (containers), no GPU, no
/// first-run or background traffic, and no name resolution but loopback,
/// so a page that needed the network would show it.
pub const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];

/// Chromium on PATH (`chromium`, `chromium-browser`, `google-chrome`) or
/// at /usr/bin/chromium.
fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
        .chain([PathBuf::from("/usr/bin/chromium")])
        .find(|p| p.is_file())
}

/// Chromium, or `None` (with a notice) where a local developer has none;
/// on CI (`CI` set) a missing Chromium fails the test.
pub fn or_skip() -> Option<PathBuf> {
    let found = find();
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "Chromium is required for the browser tests; .ci/run installs it with apt-get \
                 (apt-get install chromium). Not found as chromium, chromium-browser, \
                 google-chrome on PATH, nor at /usr/bin/chromium."
            );
        }
        eprintln!(
            "notice: Chromium not found (chromium, chromium-browser, google-chrome, \
             /usr/bin/chromium): the test is skipped. CI installs it; locally, \
             `apt-get install chromium` runs it."
        );
    }
    found
}

/// `name` in the crate's target directory (CARGO_TARGET_DIR when set,
/// else `target/`), created: where screenshots are kept to look at.
pub fn output_dir(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join(name);
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}
