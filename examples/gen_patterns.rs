//! Writes N random fact patterns as JSON Lines to stdout, for
//! `authorship batch` benchmarks:
//!
//! ```text
//! cargo run --release --example gen_patterns -- N [--unknown PCT] [--seed S] [--rules DIR] > p.jsonl
//! ```
//!
//! Deterministic: the same arguments always give the same bytes. Each fact
//! of the vocabulary is left out (unknown) with probability PCT% (default
//! 10), else given a random valid value; text facts are left out. Ids are
//! `p0`, `p1`, ….

#[path = "../benches/support/patterns.rs"]
mod patterns;

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: gen_patterns N [--unknown PCT] [--seed S] [--rules DIR]";

struct Args {
    n: u64,
    unknown: u64,
    seed: u64,
    rules: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        n: 0,
        unknown: 10,
        seed: 1,
        rules: PathBuf::from("rules"),
    };
    let mut n = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--unknown" => {
                args.unknown = value("--unknown")?
                    .parse()
                    .map_err(|e| format!("--unknown: {e}"))?;
                if args.unknown > 100 {
                    return Err("--unknown: a percentage, 0..=100".into());
                }
            }
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?;
            }
            "--rules" => args.rules = PathBuf::from(value("--rules")?),
            "-h" | "--help" => return Err(USAGE.into()),
            s if n.is_none() && !s.starts_with('-') => {
                n = Some(s.parse().map_err(|e| format!("N: {e}"))?);
            }
            s => return Err(format!("unexpected argument `{s}`\n{USAGE}")),
        }
    }
    args.n = n.ok_or_else(|| USAGE.to_string())?;
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let library = match authorship::load_library(&args.rules) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{}: {e}", args.rules.display());
            e.iter().for_each(|err| eprintln!("  {err}"));
            return ExitCode::FAILURE;
        }
    };
    let mut generator = patterns::Generator::new(&library.vocabulary, args.unknown, args.seed);
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    match generator.write(args.n, &mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_patterns: {e}");
            ExitCode::FAILURE
        }
    }
}
