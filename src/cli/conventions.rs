//! The conventions of a command-line program: `completions SHELL` (a
//! completion script, from clap_complete) and `man` (roff manual pages,
//! from clap_mangen). Both are generated from the same argument
//! definitions as `--help`, so they cannot drift from it.

use std::path::PathBuf;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::files::Output;
use super::terminal;
use super::{Cli, Failure};

/// The program's name, as installed.
const BIN: &str = "authorship";

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

impl CompletionsArgs {
    pub fn run(self) -> Result<(), Failure> {
        let mut script = Vec::new();
        clap_complete::generate(self.shell, &mut Cli::command(), BIN, &mut script);
        terminal::out(&String::from_utf8_lossy(&script))
    }
}

#[derive(Args)]
pub struct ManArgs {
    /// Write a page per command into this directory (`authorship.1`,
    /// `authorship-compare.1`, …) instead of printing `authorship.1`.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: Option<PathBuf>,
    /// Replace pages already in the directory.
    #[arg(long)]
    force: bool,
}

impl ManArgs {
    pub fn run(self) -> Result<(), Failure> {
        let pages = pages().map_err(Failure::error)?;
        let Some(dir) = &self.output else {
            return terminal::out(&pages[0].1);
        };
        Output::write_set(dir, &pages, &[], self.force).map_err(Failure::error)?;
        terminal::out(&format!(
            "wrote {} manual pages to {}\n",
            pages.len(),
            dir.display()
        ))
    }
}

/// Every manual page as (file name, roff text): the program's own first
/// (whose SUBCOMMANDS section names every command), then one per command.
fn pages() -> Result<Vec<(String, String)>, std::io::Error> {
    let mut cmd = Cli::command().bin_name(BIN).disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![page(cmd.clone())?];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(page(sub.clone())?);
    }
    Ok(pages)
}

fn page(cmd: clap::Command) -> Result<(String, String), std::io::Error> {
    let man = clap_mangen::Man::new(cmd);
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    Ok((
        man.get_filename(),
        String::from_utf8_lossy(&roff).into_owned(),
    ))
}
