//! `authorship site -o DIR`: the what-if page as a static site, run by the
//! browser with no server (`authorship::web::site`).
//!
//! It writes two files: `index.html` (the page) and `engine.js` (the
//! engine compiled to WebAssembly, and the rules and cases, as base64).
//! The engine is the `authorship-wasm` crate of this repository, built for
//! `wasm32-unknown-unknown` before this command runs; its path is
//! [`default_engine`] unless `--engine` names another.

use std::path::{Path, PathBuf};

use authorship::load::embedded;
use authorship::web::site;

use super::Failure;
use super::files::{Input, Output};
use super::terminal;

/// The command that builds the engine, as the error for a missing one
/// and the README give it.
pub const BUILD_ENGINE: &str =
    "cargo build -p authorship-wasm --target wasm32-unknown-unknown --profile wasm";

/// Writes the what-if page as a static site: open DIR/index.html, or serve
/// DIR from any static web server. The engine runs in the browser.
#[derive(clap::Args)]
pub struct SiteArgs {
    /// The directory to write `index.html` and `engine.js` into (created
    /// if missing).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
    /// Replace the site's files if they exist.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    rules: super::RulesDir,
    /// Directory of case files offered on the page [default: the example
    /// cases built into the program].
    #[arg(long, value_name = "DIR")]
    cases: Option<PathBuf>,
    /// The engine compiled to WebAssembly [default:
    /// $CARGO_TARGET_DIR or target, then
    /// wasm32-unknown-unknown/wasm/authorship_wasm.wasm].
    #[arg(long, value_name = "FILE")]
    engine: Option<PathBuf>,
}

impl SiteArgs {
    pub fn run(self) -> Result<(), Failure> {
        let engine = self.engine.clone().unwrap_or_else(default_engine);
        let wasm = read_engine(&engine)?;
        let library = self.rules.library()?;
        let cases = match &self.cases {
            Some(dir) => super::workflow::cases_in(&library, dir)?,
            None => embedded::cases(&library).map_err(|e| Failure::load(&e))?,
        };
        let bundle = site::bundle(&library, &cases)
            .map_err(|e| Failure::error(format!("cannot bundle the rules: {e}")))?;
        let files = [
            ("index.html", site::page()),
            (site::ENGINE_SCRIPT, site::engine_script(&wasm, &bundle)),
        ];
        let rules_dir = self.rules.dir();
        let mut inputs = vec![Input::File(&engine)];
        if let Some(dir) = &rules_dir {
            inputs.push(Input::Dir(dir));
        }
        if let Some(dir) = &self.cases {
            inputs.push(Input::Dir(dir));
        }
        let written =
            Output::write_set(&self.output, &files, &inputs, self.force).map_err(Failure::error)?;
        let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
        terminal::out(&format!(
            "wrote {} files ({} KiB) to {}: open {} in a browser, or serve the directory\n",
            written.len(),
            bytes / 1024,
            self.output.display(),
            self.output.join("index.html").display()
        ))
    }
}

/// Where `cargo build` puts the engine: under `$CARGO_TARGET_DIR`, or
/// `target` in the current directory (a checkout's root).
pub fn default_engine() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| "target".into(), PathBuf::from);
    target.join("wasm32-unknown-unknown/wasm/authorship_wasm.wasm")
}

/// The engine's bytes, checked to be a WebAssembly module.
fn read_engine(path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::error(format!(
            "cannot read the WebAssembly engine {}: {e}\n\
             build it first, in this repository: {BUILD_ENGINE}\n\
             (the target comes from `rustup target add wasm32-unknown-unknown`), \
             or name it with --engine FILE",
            path.display()
        ))
    })?;
    if !bytes.starts_with(b"\0asm") {
        return Err(Failure::error(format!(
            "{} is not a WebAssembly module (it does not start with \\0asm)",
            path.display()
        )));
    }
    Ok(bytes)
}
