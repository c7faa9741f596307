//! Reading the rules of a git commit, for `diff --before REV` (and
//! `--after REV`), and running git for the rules' revision `pin` notes.
//!
//! The repository is the one that holds the rules directory, found from
//! the rules directory itself (`git rev-parse --show-toplevel`), so an
//! absolute `--rules` and any current directory work alike. REV is
//! resolved to a commit hash with `rev-parse --verify --end-of-options`
//! before git reads anything with it: text that looks like an option is
//! refused as a revision, never obeyed. Files are read from git's objects
//! into memory: no checkout, no temporary directory that could be
//! planted or read by someone else.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use authorship::load::MAX_FILE_BYTES;

/// The `.yaml` files of the rules directory at commit `reference`, as
/// (name, text) pairs named `REV:path/in/repo/file.yaml` so a diagnostic
/// says which version it is about.
pub fn rules_at(reference: &str, rules: &Path) -> Result<Vec<(String, String)>, String> {
    let (top, prefix) = locate(rules, reference)?;
    let commit = commit(&top, reference)?;
    let tree = format!("{commit}:{prefix}");
    let listing = git(&top, &["ls-tree", "-z", "-l", &tree]).map_err(|_| {
        format!(
            "`{reference}` has no directory `{}` (the rules directory's place in the repository at {})",
            if prefix.is_empty() { "." } else { prefix.as_str() },
            top.display()
        )
    })?;
    let mut sources = Vec::new();
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        let Some(file) = Entry::parse(entry) else {
            return Err(format!("unexpected output of git ls-tree: {entry:?}"));
        };
        if !file.name.ends_with(".yaml") {
            continue;
        }
        let shown = if prefix.is_empty() {
            format!("{reference}:{}", file.name)
        } else {
            format!("{reference}:{prefix}/{}", file.name)
        };
        if file.mode != "100644" && file.mode != "100755" {
            return Err(format!(
                "{shown}: not a regular file in that commit (git mode {}); not read",
                file.mode
            ));
        }
        // Refused unread, as a file over the limit on disk is.
        if file.size > MAX_FILE_BYTES as u64 {
            return Err(format!(
                "{shown}: file is {} bytes; the limit is {MAX_FILE_BYTES}",
                file.size
            ));
        }
        let text =
            git(&top, &["cat-file", "blob", file.object]).map_err(|e| format!("{shown}: {e}"))?;
        sources.push((shown, text));
    }
    Ok(sources)
}

/// One line of `git ls-tree -l -z`: `MODE TYPE OBJECT SIZE\tNAME`.
struct Entry<'a> {
    mode: &'a str,
    object: &'a str,
    size: u64,
    name: &'a str,
}

impl<'a> Entry<'a> {
    fn parse(line: &'a str) -> Option<Entry<'a>> {
        let (meta, name) = line.split_once('\t')?;
        let mut fields = meta.split_whitespace();
        let (mode, _kind, object, size) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        Some(Entry {
            mode,
            object,
            // A tree or submodule has `-`: never a .yaml file to read.
            size: size.parse().unwrap_or(u64::MAX),
            name,
        })
    }
}

/// The repository's top directory and the rules directory's path in it
/// (`/`-separated, empty at the top).
fn locate(rules: &Path, reference: &str) -> Result<(PathBuf, String), String> {
    let dir = rules.canonicalize().map_err(|e| {
        format!(
            "`{reference}` is not a directory, and the rules directory {} cannot be found to read it from git: {e}",
            rules.display()
        )
    })?;
    let top = git(&dir, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        format!(
            "`{reference}` is not a directory, and {} is not in a git repository to read it from",
            rules.display()
        )
    })?;
    let top = Path::new(top.trim_end_matches(['\n', '\r']))
        .canonicalize()
        .map_err(|e| format!("the repository of {}: {e}", rules.display()))?;
    let inside = dir.strip_prefix(&top).map_err(|_| {
        format!(
            "{} is not inside its repository {}",
            dir.display(),
            top.display()
        )
    })?;
    let mut parts = Vec::new();
    for c in inside.components() {
        match c {
            Component::Normal(p) => parts.push(
                p.to_str()
                    .ok_or_else(|| format!("{}: a path that is not UTF-8", inside.display()))?,
            ),
            _ => return Err(format!("{}: an unexpected path", inside.display())),
        }
    }
    Ok((top, parts.join("/")))
}

/// The full hash of the commit `reference` names in the repository `top`.
fn commit(top: &Path, reference: &str) -> Result<String, String> {
    let spec = format!("{reference}^{{commit}}");
    let args = [
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &spec,
    ];
    match git(top, &args) {
        Ok(hash) if is_hash(hash.trim()) => Ok(hash.trim().to_string()),
        _ => Err(format!(
            "`{reference}` is not a commit of the repository at {} (nor a directory)",
            top.display()
        )),
    }
}

fn is_hash(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Runs `git -C dir ARGS`; its standard output, or its first line of
/// error.
pub fn git(dir: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().next().unwrap_or("git failed").to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "git's output is not UTF-8".to_string())
}
