//! Build script: with the `embedded` feature, builds into the library the
//! shipped rules (`rules/`) and the example cases (`cases/`), so that an
//! installed `authorship` works from any directory, and the rules loaded
//! and precompiled, so that it starts without parsing them.
//!
//! It writes two files into `OUT_DIR`:
//! - `embedded.rs`: two sorted tables of `(relative path, include_str!(…))`,
//!   every regular file of each directory (hidden files left out), the
//!   rules' digest (`DIGEST`), and `PRECOMPILED`, an `include_bytes!` of
//! - `library.bin`: the rules directory's YAML files loaded by the crate's
//!   own loader (`src/syntax`, `src/model` and `src/load`, compiled into
//!   this script below) and encoded (`src/load/precompiled.rs`). A rule
//!   that does not load fails the build with the loader's located messages.
//!
//! The paths it generates start from `CARGO_MANIFEST_DIR` inside
//! `include_str!`, so no build-machine path is written anywhere but into
//! `OUT_DIR`. `rerun-if-changed` on both directories and on the loader's
//! sources makes Cargo rebuild whenever a file in them is added, removed or
//! edited.

// The loader's stages, as the library has them: `crate::syntax`,
// `crate::model` and `crate::load` resolve here as they do there (the load
// stage depends on nothing later). Much of them is unused by this script,
// and nothing is exported from it, so lints that spare a library's public
// names (`enum_variant_names`) apply here and not there.
#[cfg(feature = "embedded")]
#[allow(dead_code, unused_imports, clippy::enum_variant_names)]
#[path = "src/syntax/mod.rs"]
mod syntax;

#[cfg(feature = "embedded")]
#[allow(dead_code, unused_imports, clippy::enum_variant_names)]
#[path = "src/model/mod.rs"]
mod model;

/// `src/load` without its `embedded` module, which includes this script's
/// own output: its files are listed here (an inline module's files are
/// found under `src/load/`) instead of through `src/load/mod.rs`.
#[cfg(feature = "embedded")]
#[allow(dead_code, unused_imports, clippy::enum_variant_names)]
mod src {
    pub mod load {
        mod bibliography;
        mod case;
        mod check;
        mod context;
        mod cost;
        mod error;
        #[cfg(feature = "fs")]
        mod files;
        mod ids;
        mod jurisdictions;
        pub mod library;
        mod locate;
        mod order;
        pub mod precompiled;
        mod raw;
        mod ruleset;
        mod schema;
        mod time;
        mod vocabulary;
        pub(crate) mod yaml;
    }
}
#[cfg(feature = "embedded")]
use src::load;

#[cfg(feature = "embedded")]
use std::fmt::Write as _;
#[cfg(feature = "embedded")]
use std::fs;
#[cfg(feature = "embedded")]
use std::path::{Path, PathBuf};

/// The directories built in, in the order of the tables.
#[cfg(feature = "embedded")]
const DIRS: [(&str, &str); 2] = [("RULES", "rules"), ("CASES", "cases")];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "precompiled")]
    format_digest();
    #[cfg(feature = "embedded")]
    embed();
}

/// Sets `AUTHORSHIP_FORMAT`: a digest of the source of every type the
/// precompiled form stores (`src/syntax`, `src/model`) and of its encoder.
/// A static site's rules bundle is written by one build (the command line)
/// and read by another (the WebAssembly engine); equal digests mean both
/// were built from the same types, so the bytes read back as written.
#[cfg(feature = "precompiled")]
fn format_digest() {
    use std::hash::Hasher as _;
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let mut files = Vec::new();
    for dir in ["src/syntax", "src/model"] {
        println!("cargo:rerun-if-changed={dir}");
        rust_files(&root.join(dir), &mut files);
    }
    files.push(root.join("src/load/precompiled.rs"));
    println!("cargo:rerun-if-changed=src/load/precompiled.rs");
    files.sort();
    // FNV-1a, 64 bits: `std`'s own hashers are not stable across releases.
    struct Fnv(u64);
    impl std::hash::Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for file in &files {
        let text = std::fs::read(file).expect("read a source file");
        // The path relative to the crate, so that the digest is the same
        // wherever the checkout is.
        let name = file.strip_prefix(&root).unwrap_or(file);
        hash.write(name.to_string_lossy().replace('\\', "/").as_bytes());
        hash.write(&(text.len() as u64).to_le_bytes());
        hash.write(&text);
    }
    println!("cargo:rustc-env=AUTHORSHIP_FORMAT={:016x}", hash.finish());
}

/// Every `.rs` file under `dir`.
#[cfg(feature = "precompiled")]
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read a source directory")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Writes `embedded.rs` and `library.bin` into `OUT_DIR`.
#[cfg(feature = "embedded")]
fn embed() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let mut out = String::from("// Generated by build.rs: the files built into the library.\n");
    for (name, dir) in DIRS {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        walk(&root.join(dir), Path::new(dir), &mut files);
        files.sort();
        let _ = writeln!(out, "pub(super) const {name}: &[(&str, &str)] = &[");
        for file in &files {
            // `{:?}` writes each path as a Rust string literal, escaped.
            let _ = writeln!(
                out,
                "    ({file:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/\", {file:?}))),"
            );
        }
        out.push_str("];\n");
    }
    for dir in ["src/syntax", "src/model", "src/load"] {
        println!("cargo:rerun-if-changed={dir}");
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by Cargo"));
    let rules = rule_sources(&root);
    let names: Vec<(&str, &str)> = rules
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "pub(super) const DIGEST: &str = {:?};",
        load::precompiled::digest(&names)
    );
    fs::write(out_dir.join("library.bin"), precompile(&names)).expect("write library.bin");
    out.push_str(
        "pub(super) const PRECOMPILED: &[u8] = \
         include_bytes!(concat!(env!(\"OUT_DIR\"), \"/library.bin\"));\n",
    );
    fs::write(out_dir.join("embedded.rs"), out).expect("write embedded.rs into OUT_DIR");
}

/// The files the built-in library loads, as `(rules/NAME.yaml, text)`
/// sorted by path: the `.yaml` files directly in `rules/`, as a directory
/// load reads them (and as `embedded::library_from_yaml` filters the table).
#[cfg(feature = "embedded")]
fn rule_sources(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    walk(&root.join("rules"), Path::new("rules"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|p| {
            p.strip_prefix("rules/")
                .is_some_and(|name| name.ends_with(".yaml") && !name.contains('/'))
        })
        .map(|p| {
            let text =
                fs::read_to_string(root.join(&p)).unwrap_or_else(|e| panic!("read {p}: {e}"));
            (p, text)
        })
        .collect()
}

/// The rules loaded and encoded; a rule that does not load stops the build
/// with every error as the loader words it (`rules/x.yaml:12:5: …`).
#[cfg(feature = "embedded")]
fn precompile(sources: &[(&str, &str)]) -> Vec<u8> {
    match model::Library::from_sources(sources.iter().copied()) {
        Ok(library) => load::precompiled::encode(&library).expect("encode the built-in rules"),
        Err(errors) => {
            let messages: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
            panic!("the built-in rules do not load:\n{}", messages.join("\n"));
        }
    }
}

/// Every regular file under `dir`, as a `/`-separated path that starts with
/// `shown` (the directory's name relative to the crate root).
#[cfg(feature = "embedded")]
fn walk(dir: &Path, shown: &Path, files: &mut Vec<String>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", shown.display()));
    for entry in entries {
        let entry = entry.expect("read a directory entry");
        let name = entry
            .file_name()
            .into_string()
            .expect("file names in rules/ and cases/ are UTF-8");
        if name.starts_with('.') {
            continue;
        }
        let kind = entry.file_type().expect("file type");
        let path = shown.join(&name);
        if kind.is_dir() {
            walk(&entry.path(), &path, files);
        } else if kind.is_file() {
            let text = path.to_str().expect("UTF-8 path").replace('\\', "/");
            files.push(text);
        }
    }
}
