//! The `authorship` command: parses arguments, runs the library, prints.
//! Exit codes: 0 success (also when the reader of stdout stops reading);
//! 1 invalid input (rules, cases or overrides) or stdout cannot be
//! written; 2 usage error; 70 internal error (a bug: please report it).

mod cli;

use std::io::Write as _;
use std::panic::PanicHookInfo;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still end in a clear message and exit code 70, not a
    // backtrace: the hook prints one line, catch_unwind maps the exit code.
    // The line is written ignoring errors: a panic while panicking (stderr
    // full, `eprintln!` panicking) would abort instead.
    std::panic::set_hook(Box::new(|info| {
        let line = format!(
            "internal error (a bug in authorship; please report it): {}\n",
            one_line(info)
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }));
    match std::panic::catch_unwind(cli::main) {
        Ok(code) => code,
        Err(_) => ExitCode::from(70),
    }
}

/// The panic's message and place on one line, its hazards escaped.
fn one_line(info: &PanicHookInfo<'_>) -> String {
    // What `PanicHookInfo::payload_as_str` gives, which needs Rust 1.91
    // (the crate's rust-version is 1.89).
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let place = info
        .location()
        .map_or_else(String::new, |l| format!(" at {l}"));
    authorship::render::inert::escape_controls(&format!("{message}{place}")).replace('\n', " ")
}
