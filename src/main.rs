//! The `authorship` command: parses arguments, runs the library, prints.
//! Exit codes: 0 success; 1 invalid input (rules, cases or overrides);
//! 2 usage error; 70 internal error (a bug: please report it).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still end in a clear message and exit code 70, not a
    // backtrace: the hook prints one line, catch_unwind maps the exit code.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("internal error (a bug in authorship; please report it): {info}");
    }));
    match std::panic::catch_unwind(cli::main) {
        Ok(code) => code,
        Err(_) => ExitCode::from(70),
    }
}
