//! `authorship rules`: the rules built into the program. `rules export DIR`
//! writes them, with the example cases, as a checkout holds them
//! (`DIR/rules/`, `DIR/cases/`), so that inside `DIR` the commands that
//! validate and edit rules work with their defaults.

use std::path::PathBuf;

use authorship::load::embedded;
use clap::{Args, Subcommand};

use super::Failure;
use super::files::Output;
use super::terminal;

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Write the built-in rules to DIR/rules and the example cases to
    /// DIR/cases, for editing (apply them with --rules DIR/rules; inside
    /// DIR, `check`, `test` and `pin` find them by default).
    Export(ExportArgs),
}

impl RulesCommand {
    pub fn run(self) -> Result<(), Failure> {
        match self {
            RulesCommand::Export(a) => a.run(),
        }
    }
}

#[derive(Args)]
pub struct ExportArgs {
    /// The directory to write into (created if missing).
    dir: PathBuf,
    /// Replace files of the same names already there.
    #[arg(long)]
    force: bool,
}

impl ExportArgs {
    fn run(self) -> Result<(), Failure> {
        let files: Vec<(&str, &str)> = embedded::rule_files()
            .iter()
            .chain(embedded::case_files())
            .copied()
            .collect();
        // A refusal writes nothing (see `write_set`).
        Output::write_set(&self.dir, &files, &[], self.force).map_err(Failure::error)?;
        let rules = self.dir.join("rules");
        terminal::out(&format!(
            "wrote {} files of the rules ({}) to {} and {} example cases to {}\n\
             apply them with --rules {} (or AUTHORSHIP_RULES); inside {}, \
             `authorship check` and `authorship test` read them by default\n",
            embedded::rule_files().len(),
            embedded::origin(),
            rules.display(),
            embedded::case_files().len(),
            self.dir.join("cases").display(),
            rules.display(),
            self.dir.display(),
        ))
    }
}
