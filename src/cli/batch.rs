//! `authorship batch`: the command-line side of [`authorship::batch`] —
//! opening the input and output, the progress line on a terminal, and the
//! summary on stderr.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use authorship::Library;
use authorship::batch::{self, BatchError, Engine, Format, Options, Stats};
use authorship::eval::Context;
use authorship::syntax::Date;

use super::Failure;
use super::files::{Input, Output};
use super::terminal::{self, errln};

#[derive(clap::Args)]
pub struct BatchArgs {
    /// Input file (`-` or none: standard input). `.yaml`/`.yml` is read
    /// as YAML documents separated by `---`, anything else as JSON Lines.
    input: Option<PathBuf>,
    /// Write to this file instead of standard output (written whole or
    /// not at all; never one of the inputs).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// Only these rulesets (repeatable; default: all).
    #[arg(long = "ruleset", value_name = "ID")]
    rulesets: Vec<String>,
    /// Read the input as YAML documents whatever its name.
    #[arg(long, conflicts_with = "jsonl")]
    yaml: bool,
    /// Read the input as JSON Lines whatever its name.
    #[arg(long)]
    jsonl: bool,
    /// Add each ruleset's full explanation to its outcome.
    #[arg(long)]
    explain: bool,
    /// Stop at the first bad record (exit 1) instead of reporting it and going on.
    #[arg(long)]
    strict: bool,
    /// Refuse a record whose `id` an earlier record gave (JSON Lines; its
    /// error line names the line of the first). Keeps every id read.
    #[arg(long)]
    unique_ids: bool,
    /// Worker threads (default: one per core).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    jobs: Option<u16>,
    #[command(flatten)]
    rules: super::RulesDir,
    /// Take the law as of this date (YYYY-MM-DD; default: the latest date
    /// in the encoded sources).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    as_of: Option<Date>,
}

impl BatchArgs {
    pub fn run(self) -> Result<(), Failure> {
        // Checked before any work: a run of an hour must not end in
        // "cannot write".
        let input = match &self.input {
            Some(p) if p.as_os_str() != "-" => Input::File(p),
            _ => Input::Stdin,
        };
        let rules = self.rules.dir();
        let mut inputs = vec![input];
        inputs.extend(rules.as_deref().map(Input::Dir));
        let output = self
            .output
            .as_deref()
            .map(|p| Output::check(p, &inputs, self.force))
            .transpose()
            .map_err(Failure::error)?;
        let library = self.rules.library()?;
        run(&library, &self, output.as_ref())
    }
}

/// Runs the batch into `output` (else standard output).
fn run(library: &Library, args: &BatchArgs, output: Option<&Output>) -> Result<(), Failure> {
    let as_of = args.as_of.unwrap_or_else(|| library.default_date());
    let engine = Engine::new(library, &args.rulesets, Context::as_of(as_of)).map_err(|e| {
        let ids: Vec<&str> = library.rulesets.iter().map(|r| r.id.as_str()).collect();
        format!("{e}\n  known rulesets: {}", ids.join(", "))
    })?;
    let format = match (args.yaml, args.jsonl, &args.input) {
        (true, _, _) => Format::Yaml,
        (false, true, _) => Format::JsonLines,
        (false, false, Some(p)) if has_yaml_extension(p) => Format::Yaml,
        _ => Format::JsonLines,
    };
    let options = Options {
        format,
        explain: args.explain,
        strict: args.strict,
        threads: args.jobs.map(usize::from).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }),
        // An explanation is tens of kilobytes per ruleset: smaller chunks
        // keep the output buffers in flight small.
        chunk_records: if args.explain { 8 } else { 1024 },
        unique_ids: args.unique_ids,
    };
    if args.unique_ids && format == Format::Yaml {
        return Err(Failure::Usage(
            "error: --unique-ids checks JSON Lines records; YAML documents are not checked \
             (convert them, or drop the option)\n"
                .to_string(),
        ));
    }
    let (mut input, total): (Box<dyn BufRead + Send>, Option<u64>) = match &args.input {
        Some(p) if p.as_os_str() != "-" => {
            let f = File::open(p).map_err(|e| format!("{}: {e}", p.display()))?;
            if f.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(Failure::error(format!(
                    "{}: is a directory, not a file of records",
                    p.display()
                )));
            }
            let len = f.metadata().ok().map(|m| m.len());
            (Box::new(BufReader::with_capacity(1 << 20, f)), len)
        }
        _ => (
            Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
            None,
        ),
    };
    let mut bar = Progress::new(total);
    let mut last = Stats::default();
    let mut go = |output: &mut dyn Write| {
        let result = batch::run(&engine, &mut *input, output, &options, &mut |s| {
            last = *s;
            bar.show(s, false);
        });
        bar.show(&last, true);
        bar.finish();
        result
    };
    let result = match output {
        // Bad records, and the first one under --strict, still leave the
        // output of the records before them: only an I/O error discards it.
        Some(o) => o.write(|w| match go(w) {
            Err(e @ BatchError::Io(_)) => Err(e.to_string()),
            other => Ok(other),
        })?,
        None => go(&mut BufWriter::with_capacity(
            1 << 20,
            terminal::stdout(terminal::Mode::Json),
        )),
    };
    let stats = match result {
        Ok(stats) => stats,
        Err(BatchError::BadRecord { line, message }) => {
            let name = args
                .input
                .as_deref()
                .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
            // Exit 1, not 65: the records after it have no output line.
            return Err(Failure::error(format!(
                "{name}:{line}: {message} (stopped: --strict)"
            )));
        }
        Err(BatchError::Io(e)) => return Err(Failure::io(e)),
        Err(e) => return Err(Failure::error(e)),
    };
    errln!(
        "batch: {} patterns, {} bad, {} rulesets, law as of {as_of}. {}",
        stats.records.saturating_sub(stats.errors),
        stats.errors,
        engine.ruleset_ids().len(),
        authorship::DISCLAIMER
    );
    if stats.errors > 0 {
        let plural = if stats.errors == 1 { "" } else { "s" };
        return Err(Failure::Rejected(format!(
            "{} bad record{plural} (each has an error line in the output)",
            stats.errors
        )));
    }
    Ok(())
}

fn has_yaml_extension(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

/// A one-line progress display on stderr, only when stderr is a terminal.
struct Progress {
    on: bool,
    total: Option<u64>,
    start: Instant,
    last: Option<Instant>,
}

impl Progress {
    fn new(total: Option<u64>) -> Progress {
        Progress {
            on: io::stderr().is_terminal(),
            total,
            start: Instant::now(),
            last: None,
        }
    }

    fn show(&mut self, s: &Stats, force: bool) {
        if !self.on || (!force && self.last.is_some_and(|t| t.elapsed().as_millis() < 100)) {
            return;
        }
        self.last = Some(Instant::now());
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let rate = s.records as f64 / secs;
        let bar = match self.total {
            Some(total) if total > 0 => {
                let done = (s.bytes as f64 / total as f64).clamp(0.0, 1.0);
                let filled = (done * 30.0) as usize;
                format!(
                    "[{}{}] {:>3.0}% ",
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                    done * 100.0
                )
            }
            _ => String::new(),
        };
        // The `\r` is the line's own: it bypasses the escaping.
        terminal::err_raw(&format!(
            "\r{bar}{} patterns, {} bad, {:.0}/s, {:.1} MB   ",
            s.records,
            s.errors,
            rate,
            s.bytes as f64 / 1e6
        ));
    }

    fn finish(&self) {
        if self.on && self.last.is_some() {
            terminal::err_raw("\n");
        }
    }
}
