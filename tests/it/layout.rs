//! The crate's layout (issue 12): each stage imports only from the stages
//! before it, `src/` holds only `lib.rs`, `main.rs` and folders, and the
//! binary reaches the library through its public paths only.

use std::fs;
use std::path::Path;

/// The stages in pipeline order; a folder may import from its own rank or a
/// lower one.
const STAGES: &[(&str, u8)] = &[
    ("syntax", 0),
    ("model", 1),
    ("load", 2),
    ("eval", 3),
    ("compare", 4),
    ("whatif", 4),
    ("interview", 4),
    ("workflow", 4),
    ("render", 5),
    ("web", 6),
    ("batch", 6),
];

fn rank(module: &str) -> Option<u8> {
    STAGES.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The code of a file without comments and without its unit-test module.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`, whether
/// in a path (`crate::eval::Truth`) or a group (`use crate::{eval, model}`).
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.push(item.trim().split("::").next().unwrap_or("").to_string());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn no_stage_imports_from_a_later_one() {
    let mut upward = Vec::new();
    for (module, own) in STAGES {
        for file in sources(&Path::new("src").join(module)) {
            for used in crate_modules(&code(&file)) {
                if rank(&used).is_some_and(|r| r > *own) {
                    upward.push(format!("{} imports crate::{used}", file.display()));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the stage order:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_source_root_holds_only_the_crate_roots_and_folders() {
    let mut loose: Vec<String> = fs::read_dir("src")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    loose.sort();
    assert_eq!(loose, ["lib.rs", "main.rs"]);
}

#[test]
fn every_stage_folder_is_a_module_of_the_library() {
    let lib = code(Path::new("src/lib.rs"));
    for (module, _) in STAGES {
        assert!(
            lib.contains(&format!("pub mod {module};")),
            "src/lib.rs does not declare `{module}`"
        );
        assert!(
            Path::new("src").join(module).is_dir(),
            "src/{module} is not a folder"
        );
    }
}

#[test]
fn the_binary_uses_only_the_librarys_public_paths() {
    let mut files = sources(Path::new("src/cli"));
    files.push("src/main.rs".into());
    for file in files {
        let code = code(&file);
        let named: Vec<String> = crate_modules(&code)
            .into_iter()
            .filter(|m| rank(m).is_some())
            .collect();
        assert!(
            named.is_empty(),
            "{} reaches library modules through crate:: ({named:?})",
            file.display()
        );
    }
}
