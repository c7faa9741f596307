//! The rule-change workflow commands: `check` (and its strict part),
//! `test`, `pin`, `diff`, `coverage` and `schema`. Arguments, file access and exit
//! status only: the work is the library's (`authorship::workflow`,
//! `authorship::compare::run_tests`) and so is the text
//! (`authorship::render`).

use std::path::{Path, PathBuf};

use authorship::compare::{ROW_KEY_PREFIX, run_tests, unpinned_cells};
use authorship::load::{case_files, read_text, schemas_for};
use authorship::model::{Case, Library, suggest};
use authorship::render;
use authorship::workflow::pin::{PinError, pin};
use authorship::workflow::{coverage, diff, strict};
use clap::Args;

use super::files::Output;
use super::git::git;
use super::terminal::{self, errln};
use super::{AuthorRulesDir, DataFormat, Failure, TextFormat, gate, library};

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    rules: AuthorRulesDir,
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
        let (library, cases) = library_and_cases(&self.rules.path(), &self.cases)?;
        let rules_count: usize = library.rulesets.iter().map(|r| r.rules.len()).sum();
        terminal::out(&format!(
            "ok: {} facts, {} rulesets ({rules_count} rules), {} cases — no errors\n",
            library.vocabulary.facts.len(),
            library.rulesets.len(),
            cases.len()
        ))?;
        if !self.strict {
            return Ok(());
        }
        let findings = strict::strict(&library, &cases);
        terminal::out(&render::strict_text(&findings))?;
        gate(findings.is_empty())
    }
}

#[derive(Args)]
pub struct TestArgs {
    #[command(flatten)]
    rules: AuthorRulesDir,
    /// Directory of case files.
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
    /// Only expectations whose case path or key (ruleset id, or
    /// `jurisdictions.ID`) contains this; exit 2 if it matches none.
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
        let (library, cases) = library_and_cases(&self.rules.path(), &self.cases)?;
        if let Some(filter) = &self.filter {
            check_filter(filter, &library, &cases)?;
        }
        if self.unpinned {
            let cells = unpinned_cells(&cases, &library, self.filter.as_deref());
            terminal::out(&render::unpinned_text(&cells))?;
            return gate(cells.is_empty());
        }
        let report = run_tests(&cases, &library, self.filter.as_deref());
        if let Some(filter) = self
            .filter
            .as_deref()
            .filter(|_| report.passed == 0 && report.failed.is_empty())
        {
            return Err(Failure::Usage(format!(
                "error: --filter `{filter}` selects no expectation: no case pins a cell it matches\n"
            )));
        }
        terminal::out(&render::test_text(&report))?;
        gate(report.failed.is_empty())
    }
}

/// A filter matches something when a case path, a ruleset id, a reading
/// (`ruleset@variant`) or a row key (`jurisdictions.ID`) contains it; else
/// it is a typo, and a run that selects nothing must not pass (exit 2).
fn check_filter(filter: &str, library: &Library, cases: &[Case]) -> Result<(), Failure> {
    let mut names: Vec<String> = Vec::new();
    for r in &library.rulesets {
        names.push(r.id.clone());
        names.extend(r.variants.iter().map(|v| format!("{}@{}", r.id, v.id)));
    }
    names.extend(
        library
            .jurisdictions
            .iter()
            .map(|j| format!("{ROW_KEY_PREFIX}{}", j.id)),
    );
    let paths: Vec<String> = cases.iter().map(|c| c.path.display().to_string()).collect();
    if names.iter().chain(&paths).any(|n| n.contains(filter)) {
        return Ok(());
    }
    let stems = cases
        .iter()
        .filter_map(|c| c.path.file_stem().and_then(|s| s.to_str()));
    let hint = suggest(filter, names.iter().map(String::as_str).chain(stems))
        .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
    Err(Failure::Usage(format!(
        "error: --filter `{filter}` matches no case path, ruleset or jurisdiction{hint}\n"
    )))
}

#[derive(Args)]
pub struct PinArgs {
    /// Case files to pin.
    #[arg(required = true)]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    rules: AuthorRulesDir,
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
        let rules = self.rules.path();
        let library = library(&rules)?;
        let revision = match &self.revision {
            Some(rev) => format!("rules at {rev}"),
            None => rules_revision(&rules),
        };
        let mut refused = false;
        for path in &self.cases {
            let text = read_text(path).map_err(|e| Failure::load(&e))?;
            match pin(path, &text, &library, &revision) {
                Ok(p) => {
                    let written = match (&p.text, self.dry_run) {
                        (Some(new), false) => write_atomically(path, new),
                        _ => Ok(()),
                    };
                    if let Err(why) = written {
                        errln!("error: {} not pinned: {why}", path.display());
                        refused = true;
                        continue;
                    }
                    let name = path.display().to_string();
                    terminal::out(&render::pin_text(&name, &p, self.dry_run))?;
                }
                Err(PinError::Load(e)) => {
                    terminal::err(&render::diagnostic::render_all(&e));
                    errln!("error: {} not pinned: it does not load", path.display());
                    refused = true;
                }
                Err(PinError::Refused(why)) => {
                    errln!("error: {} not pinned: {why}", path.display());
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
    let at = |args: &[&str]| git(rules, args);
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

/// Replaces the case at `path` with `text`, whole or not at all (a
/// temporary file beside it, renamed over it). A case that is a symbolic
/// link is refused: the rename would replace the link, and writing to its
/// target would edit a file outside the cases named.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    Output::in_place(path).and_then(|o| o.write_text(text))
}

/// Exit status: 0 when no outcome changed, 1 when outcomes changed, 2 on
/// error (a bad ref, rules that do not load, unreadable cases).
#[derive(Args)]
#[command(
    after_help = "Exit status: 0 when no outcome changed, 1 when outcomes changed, 2 on error \
(a bad ref, rules or cases that do not load), so a script can tell a change from a failure."
)]
pub struct DiffArgs {
    /// The rules before: a directory, or a commit of the git repository
    /// that holds --rules (read from git, whatever the current directory).
    #[arg(long)]
    before: String,
    /// The rules after: a directory or a commit (default: the working tree's).
    #[arg(long)]
    after: Option<String>,
    #[command(flatten)]
    rules: AuthorRulesDir,
    /// Directory of case files (from the working tree).
    #[arg(long, default_value = "cases")]
    cases: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    format: TextFormat,
}

impl DiffArgs {
    /// Any error exits 2: exit 1 says that outcomes changed.
    pub fn run(self) -> Result<(), Failure> {
        self.compare().map_err(Failure::into_usage)
    }

    fn compare(self) -> Result<(), Failure> {
        // The rules directory: its path in the repository, and --after.
        let rules = self.rules.path();
        let after = self
            .after
            .clone()
            .unwrap_or_else(|| rules.display().to_string());
        let before_lib = rules_at(&self.before, &rules);
        let after_lib = rules_at(&after, &rules);
        let (before_lib, after_lib) = (before_lib?, after_lib?);
        let files = case_files(&self.cases).map_err(|e| Failure::load(&e))?;
        let mut cases = Vec::new();
        for file in files {
            let text = read_text(&file).map_err(|e| Failure::load(&e))?;
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
        match self.format {
            TextFormat::Json => terminal::out_json(&out)?,
            TextFormat::Text | TextFormat::Markdown => terminal::out(&out)?,
        }
        gate(d.changes.is_empty())
    }
}

#[derive(Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    rules: AuthorRulesDir,
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
        let (library, cases) = library_and_cases(&self.rules.path(), &self.cases)?;
        let report = coverage::coverage(&library, &cases);
        match self.format {
            DataFormat::Json => terminal::out_json(&format!(
                "{}\n",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            ))?,
            DataFormat::Text => terminal::out(&render::coverage_text(&report, self.min))?,
        }
        gate(!coverage::below(&report, self.min))
    }
}

#[derive(Args)]
pub struct SchemaArgs {
    /// Write the schema files into this directory instead of printing them
    /// (`--out` is the older spelling).
    #[arg(
        short = 'o',
        long = "output",
        visible_alias = "out",
        value_name = "DIR"
    )]
    out: Option<PathBuf>,
    /// Replace schema files already in the directory.
    #[arg(long)]
    force: bool,
    /// The case schema lists the fact ids, enum values, rulesets and
    /// jurisdictions of these rules, for editors to complete.
    #[command(flatten)]
    rules: super::RulesDir,
}

impl SchemaArgs {
    pub fn run(self) -> Result<(), Failure> {
        let library = self.rules.library()?;
        let schemas = schemas_for(&library);
        let Some(dir) = &self.out else {
            for (name, text) in &schemas {
                terminal::out_json(&format!("// {name}\n{text}\n"))?;
            }
            return Ok(());
        };
        for path in Output::write_set(dir, &schemas, &[], self.force).map_err(Failure::error)? {
            terminal::out(&format!("wrote {}\n", path.display()))?;
        }
        Ok(())
    }
}

pub fn library_and_cases(rules: &Path, cases: &Path) -> Result<(Library, Vec<Case>), Failure> {
    let library = library(rules)?;
    let cases = cases_in(&library, cases)?;
    Ok((library, cases))
}

/// Loads every case file of a directory.
pub fn cases_in(library: &Library, dir: &Path) -> Result<Vec<Case>, Failure> {
    authorship::load::load_cases_in(dir, library).map_err(|e| Failure::load(&e))
}

/// The rules of a diff side: a directory as is, or a commit of the rules
/// directory's repository, read from git's objects (no checkout, no
/// temporary files).
fn rules_at(reference: &str, rules: &Path) -> Result<Library, Failure> {
    let as_dir = Path::new(reference);
    if as_dir.is_dir() {
        return library(as_dir);
    }
    let sources = super::git::rules_at(reference, rules).map_err(Failure::error)?;
    Library::from_sources(sources).map_err(|e| Failure::load(&e))
}
