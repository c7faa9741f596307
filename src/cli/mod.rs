//! The `authorship` command: clap arguments → library calls → printed
//! output. One file per group of subcommands, each with an `Args` struct
//! whose `run` does the work; this module holds the command list, what the
//! commands share, and the exit codes. The only module that prints (always
//! through [`terminal`]), and it uses only the library's public API.

mod ask;
mod batch;
mod compare;
mod conventions;
mod files;
mod git;
mod rules;
#[cfg(feature = "serve")]
mod serve;
mod site;
mod terminal;
mod workflow;

use std::io::{self, Write as _};
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use authorship::load::{LoadErrors, VOCABULARY_FILE, embedded, load_case, load_library};
use authorship::model::{Case, Library, Ruleset, set_fact, suggest, unset_fact};
use authorship::render::diagnostic::render_all;
use authorship::syntax::Date;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Shows how different authorities decide whether an AI-generated or
/// AI-assisted work is protected by copyright, and explains why.
/// Output explains encoded legal sources; it is not legal advice.
#[derive(Parser)]
#[command(name = "authorship", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 success (also when the reader of the output stops \
reading); 1 invalid rules, cases or overrides (each error names file:line:column), the \
output cannot be written, or a gate failed (`test`, `check --strict`, `coverage --min`); \
`diff`: 1 when outcomes changed, 2 on any error; `batch`: 65 when it ran through but \
rejected records (each has an error line), 1 when its output is not complete (it could not \
run, or `--strict` stopped it); 2 usage error, including a filter that matches nothing; 70 \
internal error.";

#[derive(Subcommand)]
enum Command {
    /// Compare each case's outcome under every ruleset, side by side.
    Compare(compare::CompareArgs),
    /// Show the full reasoning of one ruleset on one case.
    Explain(compare::ExplainArgs),
    /// The smallest fact changes that move a ruleset's outcome to another verdict.
    Whatif(compare::WhatifArgs),
    /// An interview: asks only the questions that can settle an open outcome.
    Ask(ask::AskArgs),
    /// Evaluate a stream of fact patterns (JSON Lines, or YAML documents)
    /// against every ruleset, in parallel: one JSON line out per pattern, in
    /// input order. A bad record gets an error line naming its line number.
    Batch(batch::BatchArgs),
    /// Validate every ruleset and case; exit 1 on any error.
    Check(workflow::CheckArgs),
    /// Check every case's `expect:` against the engine; exit 1 on any failure.
    Test(workflow::TestArgs),
    /// Write the engine's current outcome for each cell a case does not pin
    /// into its `expect:` block, for review (comments and text kept).
    Pin(workflow::PinArgs),
    /// What changes in every case's outcomes between two versions of the rules.
    Diff(workflow::DiffArgs),
    /// A self-contained handout per case: facts, outcomes, reasons, where
    /// the authorities differ, and what would change each outcome.
    Report(compare::ReportArgs),
    /// Serve the interactive what-if page on 127.0.0.1.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Write the what-if page as a static site that runs the engine in the
    /// browser (WebAssembly): no server, no network.
    Site(site::SiteArgs),
    /// Print (or write) the JSON Schemas of the YAML formats.
    Schema(workflow::SchemaArgs),
    /// Which rules and exception links the cases exercise, per ruleset.
    Coverage(workflow::CoverageArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(conventions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command.
    Man(conventions::ManArgs),
    /// The rules built into this program: write them out for editing.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
}

/// `batch`'s exit code when it ran but rejected records.
const EXIT_REJECTED: u8 = 65;

/// Why a command failed (already explained on stderr when printed).
enum Failure {
    Input(String),
    /// Asked for something that is not there (a filter that matches
    /// nothing), or any error of a command whose exit 1 means something
    /// else (`diff`): exit 2, after the message.
    Usage(String),
    /// The command ran, and its gate failed (its report is printed).
    Unmet,
    /// Stdout could not be written: its reader is gone, or the disk is full.
    Output(io::Error),
    /// `batch` ran through but rejected records (each has its error line):
    /// exit 65 (sysexits' EX_DATAERR), after the message, so that a
    /// pipeline can tell "every record has its line, some are errors" from
    /// "the output is not complete" (exit 1: the rules do not load, the
    /// input cannot be read, `--strict` stopped at a bad record).
    Rejected(String),
}

/// A message is an input error, as one `error:` line.
impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::error(message)
    }
}

impl Failure {
    /// An input error, as one `error:` line.
    fn error(message: impl std::fmt::Display) -> Failure {
        Failure::Input(format!("error: {message}\n"))
    }

    /// An I/O error: a failed write to stdout (see [`terminal::stdout`]),
    /// or else an input error.
    fn io(e: io::Error) -> Failure {
        if terminal::is_stdout_error(&e) {
            Failure::Output(e)
        } else {
            Failure::error(e)
        }
    }

    /// The same failure, with exit 2 for an error: for `diff`, whose
    /// exit 1 says that outcomes changed. A reader that stopped reading
    /// stays a success.
    fn into_usage(self) -> Failure {
        match self {
            Failure::Input(message) => Failure::Usage(message),
            Failure::Output(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                Failure::Usage(format!("error: cannot write to stdout: {e}\n"))
            }
            other => other,
        }
    }

    /// Load errors, rendered with their source excerpts.
    fn load(errors: &LoadErrors) -> Failure {
        Failure::Input(render_all(errors))
    }
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    #[cfg(debug_assertions)]
    panic_if_asked();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    let result = match cli.command {
        Command::Compare(a) => a.run(),
        Command::Explain(a) => a.run(),
        Command::Whatif(a) => a.run(),
        Command::Ask(a) => a.run(),
        Command::Batch(a) => a.run(),
        Command::Check(a) => a.run(),
        Command::Test(a) => a.run(),
        Command::Pin(a) => a.run(),
        Command::Diff(a) => a.run(),
        Command::Report(a) => a.run(),
        #[cfg(feature = "serve")]
        Command::Serve(a) => a.run(),
        Command::Schema(a) => a.run(),
        Command::Coverage(a) => a.run(),
        Command::Completions(a) => a.run(),
        Command::Man(a) => a.run(),
        Command::Site(a) => a.run(),
        Command::Rules(c) => c.run(),
    };
    exit(result)
}

/// The exit code of a run, after saying why it failed.
fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Unmet) => ExitCode::from(1),
        Err(Failure::Usage(message)) => {
            terminal::err(&message);
            ExitCode::from(2)
        }
        Err(Failure::Input(message)) => {
            terminal::err(&message);
            ExitCode::from(1)
        }
        Err(Failure::Rejected(message)) => {
            terminal::err(&format!("error: {message}\n"));
            ExitCode::from(EXIT_REJECTED)
        }
        // The reader stopped reading (`| head -1`): it has what it wanted.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            terminal::err(&format!("error: cannot write to stdout: {e}\n"));
            ExitCode::from(1)
        }
    }
}

/// What clap stops at: help and version on stdout (clap's own text and
/// colours; a failed write is an error like any other), and usage errors
/// on stderr, as plain text made inert since they quote the arguments.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let code = u8::try_from(e.exit_code()).unwrap_or(2);
    if e.use_stderr() {
        // Not `render().to_string()`: that strips every escape sequence,
        // so `--format $'\e[2J'` would read as "invalid value ''".
        terminal::err(&terminal::without_colours(&e.render().ansi().to_string()));
        return ExitCode::from(code);
    }
    match e.print().and_then(|()| io::stdout().flush()) {
        Ok(()) => ExitCode::from(code),
        Err(e) => exit(Err(Failure::Output(e))),
    }
}

/// A deliberate internal error, to test the exit-70 path
/// (`tests/it/hard_term.rs`): `AUTHORSHIP_TEST_PANIC=1` panics before
/// anything else. Debug builds only: a release binary has no such trigger.
#[cfg(debug_assertions)]
fn panic_if_asked() {
    if std::env::var_os("AUTHORSHIP_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("AUTHORSHIP_TEST_PANIC=1 asked for an internal error");
    }
}

/// The environment variable that names a rules directory when `--rules`
/// does not.
const RULES_ENV: &str = "AUTHORSHIP_RULES";

/// What to do when a rules directory is missing.
const RULES_HINT: &str = "run inside a checkout of authorship, pass --rules DIR, set \
AUTHORSHIP_RULES=DIR, or write the built-in rules out with `authorship rules export DIR`";

/// The rules of the case commands (`compare`, `explain`, `whatif`, `ask`,
/// `batch`, `report`, `serve`): `--rules DIR`, else `$AUTHORSHIP_RULES`,
/// else the rules built into the program, so that an installed program
/// works from any directory.
#[derive(Args)]
struct RulesDir {
    /// Rules directory (facts.yaml plus one YAML file per ruleset)
    /// [default: $AUTHORSHIP_RULES if set, else the rules built into the
    /// program]
    #[arg(long = "rules", value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl RulesDir {
    /// The directory named by the option or the environment; `None` for
    /// the built-in rules.
    fn dir(&self) -> Option<PathBuf> {
        self.dir.clone().or_else(rules_from_env)
    }

    /// Loads the directory named, or the built-in rules. The library is
    /// never freed: a case command loads one and uses it until the process
    /// ends, and freeing its many small allocations one by one at exit was
    /// measurable next to a whole `compare` (issue 17); the system takes
    /// the memory back at once. It still reads as a `Library` (`Deref`);
    /// `serve`, which keeps it in a server, takes it out.
    fn library(&self) -> Result<ManuallyDrop<Library>, Failure> {
        match self.dir() {
            Some(dir) => library(&dir),
            None => embedded::library().map_err(|e| Failure::load(&e)),
        }
        .map(ManuallyDrop::new)
    }
}

/// The rules directory of the commands that validate or edit rules and
/// cases as files (`check`, `test`, `pin`, `diff`, `coverage`): `--rules
/// DIR`, else `$AUTHORSHIP_RULES`, else `rules` in the current directory.
/// They check a checkout, never the built-in copy.
#[derive(Args)]
struct AuthorRulesDir {
    /// Rules directory (facts.yaml plus one YAML file per ruleset)
    /// [default: $AUTHORSHIP_RULES if set, else `rules`]
    #[arg(long = "rules", value_name = "DIR")]
    dir: Option<PathBuf>,
}

impl AuthorRulesDir {
    /// The directory to read.
    fn path(&self) -> PathBuf {
        self.dir
            .clone()
            .or_else(rules_from_env)
            .unwrap_or_else(|| PathBuf::from("rules"))
    }
}

/// `$AUTHORSHIP_RULES`, if set and not empty.
fn rules_from_env() -> Option<PathBuf> {
    std::env::var_os(RULES_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// What the case commands take after `--format`: overrides and the date.
#[derive(Args)]
struct Overrides {
    /// Set a fact for a quick what-if, e.g. --set post_edited_by_human=true.
    #[arg(long = "set", value_name = "FACT=VALUE")]
    set: Vec<String>,
    /// Make a fact unknown, e.g. --unset generation_rounds.
    #[arg(long = "unset", value_name = "FACT")]
    unset: Vec<String>,
    /// Take the law as of this date (YYYY-MM-DD) instead of the case's date
    /// or the latest date in the encoded sources.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a valid date (YYYY-MM-DD, a day that exists)"))
}

/// Output formats of the commands that print a comparison or a report.
#[derive(Clone, Copy, ValueEnum)]
enum TextFormat {
    Text,
    Json,
    Markdown,
}

/// Output formats of the commands that print text or JSON only.
#[derive(Clone, Copy, ValueEnum)]
enum DataFormat {
    Text,
    Json,
}

/// Loads a rules directory. When it is not there (no `facts.yaml`, not
/// even a broken link), the errors end with a hint at what to do instead.
fn library(dir: &Path) -> Result<Library, Failure> {
    load_library(dir).map_err(|e| {
        let mut text = render_all(&e);
        if dir.join(VOCABULARY_FILE).symlink_metadata().is_err() {
            let what = if dir.is_dir() {
                format!("has no {VOCABULARY_FILE}")
            } else if dir.exists() {
                "is not a directory".to_string()
            } else {
                "does not exist".to_string()
            };
            text.push_str(&format!("hint: {} {what}: {RULES_HINT}\n", dir.display()));
        }
        Failure::Input(text)
    })
}

/// Loads a case and applies `--set` and `--unset`.
fn case_with_overrides(path: &Path, library: &Library, o: &Overrides) -> Result<Case, Failure> {
    let mut case = load_case(path, library).map_err(|e| Failure::load(&e))?;
    let vocab = &library.vocabulary;
    let mut problems = Vec::new();
    for item in &o.set {
        let result = match item.split_once('=') {
            Some((name, value)) => set_fact(vocab, &mut case.facts, name.trim(), value.trim()),
            None => Err(format!("--set takes FACT=VALUE, not `{item}`")),
        };
        problems.extend(result.err());
    }
    for name in &o.unset {
        problems.extend(unset_fact(vocab, &mut case.facts, name.trim()).err());
    }
    // A fact set with --set must arise on the facts as overridden. A value
    // the case file states for a fact an override makes not arise is set
    // aside (the output says so): that is what the override asks.
    let set: Vec<&str> = o
        .set
        .iter()
        .filter_map(|item| item.split_once('=').map(|(name, _)| name.trim()))
        .collect();
    if problems.is_empty() {
        for n in vocab.complete(&case.facts).contradictions() {
            if set.contains(&n.fact.as_str()) {
                problems.push(format!(
                    "--set {}: the fact does not arise on these facts (`{}` is false), so it is {}",
                    n.fact, n.arises_when, n.value
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(case)
    } else {
        Err(Failure::Input(
            problems.iter().map(|p| format!("error: {p}\n")).collect(),
        ))
    }
}

fn find_ruleset<'l>(library: &'l Library, id: &str) -> Result<&'l Ruleset, Failure> {
    library.ruleset(id).ok_or_else(|| {
        let ids: Vec<&str> = library.rulesets.iter().map(|r| r.id.as_str()).collect();
        let hint = suggest(id, ids.iter().copied())
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        Failure::Input(format!(
            "error: unknown ruleset `{id}`{hint}\n  known rulesets: {}\n",
            ids.join(", ")
        ))
    })
}

/// Passes when `ok`, else fails the command's gate (exit 1 after its report).
fn gate(ok: bool) -> Result<(), Failure> {
    if ok { Ok(()) } else { Err(Failure::Unmet) }
}
