//! The rule-change workflow commands: `check` (and its strict part),
//! `test`, `pin`, `diff`, `coverage` and `schema`. Arguments, file access and exit
//! status only: the work is the library's (`authorship::workflow`,
//! `authorship::compare::run_tests`) and so is the text
//! (`authorship::render`).

use std::path::{Path, PathBuf};
use std::process::Command;

use authorship::compare::{run_tests, unpinned_cells};
use authorship::load::{LoadErrors, case_files, load_case, schemas};
use authorship::model::{Case, Library};
use authorship::render;
use authorship::workflow::pin::{PinError, pin};
use authorship::workflow::{coverage, diff, strict};
use clap::Args;

use super::{DataFormat, Failure, TextFormat, gate, library};

#[derive(Args)]
pub struct CheckArgs {
    /// Rules directory.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Directory of case files to validate.
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
    /// Also report unread facts, rules that can never apply, conflicting
    /// rules, vague pinpoints, case facts no ruleset reads and cases that
    /// leave cells of `compare` unpinned (exit 1 on any).
    #[arg(long)]
    strict: bool,
}

impl CheckArgs {
    pub fn run(self) -> Result<(), Failure> {
        let (library, cases) = library_and_cases(&self.rules, &self.cases)?;
        let rules_count: usize = library.rulesets.iter().map(|r| r.rules.len()).sum();
        println!(
            "ok: {} facts, {} rulesets ({rules_count} rules), {} cases — no errors",
            library.vocabulary.facts.len(),
            library.rulesets.len(),
            cases.len()
        );
        if !self.strict {
            return Ok(());
        }
        let findings = strict::strict(&library, &cases);
        print!("{}", render::strict_text(&findings));
        gate(findings.is_empty())
    }
}

#[derive(Args)]
pub struct TestArgs {
    /// Rules directory.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Directory of case files.
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
    /// Only expectations whose case path or key (ruleset id, or
    /// `jurisdictions.ID`) contains this.
    #[arg(long)]
    filter: Option<String>,
    /// Instead of checking expectations, list the cells of `compare`'s
    /// output (each ruleset, each jurisdiction row) that no expectation
    /// pins; exit 1 if there are any.
    #[arg(long)]
    unpinned: bool,
}

impl TestArgs {
    pub fn run(self) -> Result<(), Failure> {
        let (library, cases) = library_and_cases(&self.rules, &self.cases)?;
        if self.unpinned {
            let cells = unpinned_cells(&cases, &library, self.filter.as_deref());
            print!("{}", render::unpinned_text(&cells));
            return gate(cells.is_empty());
        }
        let report = run_tests(&cases, &library, self.filter.as_deref());
        print!("{}", render::test_text(&report));
        gate(report.failed.is_empty())
    }
}

#[derive(Args)]
pub struct PinArgs {
    /// Case files to pin.
    #[arg(required = true)]
    cases: Vec<PathBuf>,
    /// Rules directory.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Show the lines that would be added; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The rules' version the notes name, as in "rules at REV" (default:
    /// the rules directory's git commit, noting uncommitted changes).
    #[arg(long, value_name = "REV")]
    revision: Option<String>,
}

impl PinArgs {
    /// Each case in turn: a case that does not load, or whose text cannot
    /// be edited safely, is left untouched (exit 1 at the end).
    pub fn run(self) -> Result<(), Failure> {
        let library = library(&self.rules)?;
        let revision = match &self.revision {
            Some(rev) => format!("rules at {rev}"),
            None => rules_revision(&self.rules),
        };
        let mut refused = false;
        for path in &self.cases {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::error(format!("cannot read {}: {e}", path.display())))?;
            match pin(path, &text, &library, &revision) {
                Ok(p) => {
                    if let (Some(new), false) = (&p.text, self.dry_run) {
                        write_atomically(path, new)?;
                    }
                    let name = path.display().to_string();
                    print!("{}", render::pin_text(&name, &p, self.dry_run));
                }
                Err(PinError::Load(e)) => {
                    eprint!("{}", render::diagnostic::render_all(&e));
                    eprintln!("error: {} not pinned: it does not load", path.display());
                    refused = true;
                }
                Err(PinError::Refused(why)) => {
                    eprintln!("error: {} not pinned: {why}", path.display());
                    refused = true;
                }
            }
        }
        gate(!refused)
    }
}

/// Which version of the rules the outcomes come from: the git commit of
/// the rules directory (noting uncommitted changes to it), else the
/// directory's name.
fn rules_revision(rules: &Path) -> String {
    let dir = rules.display().to_string();
    let at = |args: &[&str]| {
        let mut all = vec!["-C", dir.as_str()];
        all.extend_from_slice(args);
        git(&all)
    };
    match at(&["rev-parse", "--short", "HEAD"]) {
        Ok(rev) => {
            let dirty = at(&["status", "--porcelain", "--", "."])
                .map(|s| !s.trim().is_empty())
                .unwrap_or(false);
            let rev = rev.trim();
            if dirty {
                format!("rules at {rev} with uncommitted changes")
            } else {
                format!("rules at {rev}")
            }
        }
        Err(_) => format!("the rules in {dir} (no git revision)"),
    }
}

/// Replaces `path` with `text` through a temporary file in the same
/// directory and a rename, so the file is never left half-written.
fn write_atomically(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::error(format!("cannot write {}: {e}", path.display()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.pin-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

#[derive(Args)]
pub struct DiffArgs {
    /// The rules before: a directory, or a git revision (read with git show).
    #[arg(long)]
    before: String,
    /// The rules after: a directory or a git revision (default: the working tree's).
    #[arg(long)]
    after: Option<String>,
    /// The rules directory's path in the repository (and the default --after).
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Directory of case files (from the working tree).
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    format: TextFormat,
}

impl DiffArgs {
    pub fn run(self) -> Result<(), Failure> {
        let after = self
            .after
            .clone()
            .unwrap_or_else(|| self.rules.display().to_string());
        let before_lib = rules_at(&self.before, &self.rules);
        let after_lib = rules_at(&after, &self.rules);
        let (before_lib, after_lib) = (before_lib?, after_lib?);
        let files = case_files(&self.cases).map_err(|e| Failure::load(&e))?;
        let mut cases = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure::error(format!("cannot read {}: {e}", file.display())))?;
            cases.push((file, text));
        }
        let d = diff::diff(&before_lib, &after_lib, &cases);
        let out = match self.format {
            TextFormat::Json => {
                format!("{}\n", serde_json::to_string_pretty(&d).unwrap_or_default())
            }
            TextFormat::Markdown => render::diff_markdown(&d, &self.before, &after),
            TextFormat::Text => render::diff_text(&d, &self.before, &after),
        };
        print!("{out}");
        gate(d.changes.is_empty())
    }
}

#[derive(Args)]
pub struct CoverageArgs {
    /// Rules directory.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Directory of case files.
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
    /// Exit 1 if any ruleset is below this percentage (0 to 100).
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent, allow_negative_numbers = true)]
    min: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    format: DataFormat,
}

/// A percentage from 0 to 100. `f64`'s own parser also takes `NaN`, which
/// every comparison fails and so would pass any gate, and infinities and
/// negatives, which make the gate meaningless: all are usage errors.
fn parse_percent(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=100.0).contains(p))
        .ok_or_else(|| format!("`{text}` is not a percentage from 0 to 100"))
}

impl CoverageArgs {
    pub fn run(self) -> Result<(), Failure> {
        let (library, cases) = library_and_cases(&self.rules, &self.cases)?;
        let report = coverage::coverage(&library, &cases);
        match self.format {
            DataFormat::Json => println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            ),
            DataFormat::Text => print!("{}", render::coverage_text(&report, self.min)),
        }
        gate(!coverage::below(&report, self.min))
    }
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Write the schema files into this directory instead of printing them.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

impl SchemaArgs {
    pub fn run(self) -> Result<(), Failure> {
        let schemas = schemas();
        let Some(dir) = &self.out else {
            for (name, text) in &schemas {
                println!("// {name}\n{text}");
            }
            return Ok(());
        };
        let io =
            |e: std::io::Error| Failure::error(format!("cannot write to {}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        for (name, text) in &schemas {
            std::fs::write(dir.join(name), text).map_err(io)?;
            println!("wrote {}", dir.join(name).display());
        }
        Ok(())
    }
}

/// Loads every case, collecting every load error.
pub fn load_cases(library: &Library, files: &[PathBuf]) -> Result<Vec<Case>, Failure> {
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match load_case(f, library) {
            Ok(c) => cases.push(c),
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(Failure::load(&LoadErrors(errors)))
    }
}

pub fn library_and_cases(rules: &Path, cases: &Path) -> Result<(Library, Vec<Case>), Failure> {
    let library = library(rules)?;
    let files = case_files(cases).map_err(|e| Failure::load(&e))?;
    let cases = load_cases(&library, &files)?;
    Ok((library, cases))
}

/// The rules of a diff side: a directory as is, or a git revision of this
/// repository, read with `git show` (no checkout, no temporary files).
fn rules_at(reference: &str, rules: &Path) -> Result<Library, Failure> {
    let as_dir = Path::new(reference);
    if as_dir.is_dir() {
        return library(as_dir);
    }
    let prefix = rules.to_string_lossy().trim_end_matches('/').to_string();
    let listing =
        git(&["ls-tree", "--name-only", &format!("{reference}:{prefix}")]).map_err(|e| {
            Failure::error(format!(
                "`{reference}` is neither a directory nor a git revision with `{prefix}/`: {e}"
            ))
        })?;
    let mut sources = Vec::new();
    for name in listing.lines().filter(|n| n.ends_with(".yaml")) {
        // Named as git names them, so a diagnostic says which revision.
        let name = format!("{reference}:{prefix}/{name}");
        let text = git(&["show", &name]).map_err(Failure::error)?;
        sources.push((name, text));
    }
    Library::from_sources(sources).map_err(|e| Failure::load(&e))
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}
