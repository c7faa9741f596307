//! Helpers shared by the integration tests.

pub mod cdp;
pub mod chromium;
pub mod digest;
pub mod facts;
pub mod server;

/// The benchmarks' pattern generator (and its SplitMix64), shared with the
/// tests that check what the benchmarks time.
#[path = "../../../benches/support/patterns.rs"]
pub mod patterns;

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use authorship::eval::Context;
use authorship::load::{load_case, load_library};
use authorship::model::{Case, Library, Ruleset};
use authorship::syntax::Date;

/// A seeded source of test inputs: the benchmarks' SplitMix64, with the
/// modulo reduction the tests' sequences were written with.
pub struct Rng(patterns::SplitMix);

impl Rng {
    /// A stream for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(patterns::SplitMix::new(seed))
    }

    /// The next number of the sequence.
    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index into a slice of `len` items.
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }
}

/// The contexts a ruleset is read in on `as_of`: plainly, and under each
/// of its readings.
pub fn readings(ruleset: &Ruleset, as_of: Date) -> Vec<Context> {
    let mut out = vec![Context::as_of(as_of)];
    for v in &ruleset.variants {
        out.push(Context {
            as_of,
            variant: Some(v.id.clone()),
        });
    }
    out
}

/// Every context the evaluator comparisons read a ruleset in: 2023-06-01
/// (before the later sources) and the library's latest date, each plainly
/// and under every reading.
pub fn contexts(library: &Library, ruleset: &Ruleset) -> Vec<Context> {
    let early = Date::new(2023, 6, 1).expect("a valid date");
    let latest = library.latest_date().expect("the library has dates");
    let mut out = readings(ruleset, early);
    out.extend(readings(ruleset, latest));
    out
}

/// The shipped rules, loaded once for the whole test binary (loading takes
/// a good part of a second in a debug build) and shared by every test.
pub fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        load_library(Path::new("rules")).unwrap_or_else(|e| {
            panic!(
                "shipped rules must load:\n{}",
                authorship::render::diagnostic::render_all(&e)
            )
        })
    })
}

/// A shipped or fixture case, loaded against the shipped rules.
pub fn case(path: &str, library: &Library) -> Case {
    load_case(Path::new(path), library).unwrap_or_else(|e| {
        panic!(
            "{path} must load:\n{}",
            authorship::render::diagnostic::render_all(&e)
        )
    })
}

/// Every shipped case file, sorted.
pub fn case_files() -> Vec<std::path::PathBuf> {
    yaml_files("cases")
}

/// Every `.yaml` file of a directory, sorted.
pub fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// A path relative to the crate root, so snapshots do not depend on where
/// the checkout lives.
pub fn relative(path: &Path) -> std::path::PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf()
}

/// The `authorship` binary Cargo built for these tests, to be given
/// arguments; without the `COLUMNS` and `NO_COLOR` of the shell that ran
/// the tests, so that text output does not depend on it. It reads the
/// checkout's `rules/` (relative to where it runs) unless given `--rules`,
/// as before the rules were built in: outputs then name that directory,
/// where the built-in set's name has a digest that changes with every rule
/// edit. `ux_embed` removes the variable to test the built-in default.
pub fn authorship() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_authorship"));
    command
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env("AUTHORSHIP_RULES", "rules");
    command
}

/// Runs the binary with `args` (its standard input empty) and waits for it.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    authorship()
        .args(args)
        .output()
        .expect("run the authorship binary")
}

/// Runs the binary with `args` and `input` on its standard input, written
/// from another thread: a run that stops reading early (`batch --strict`)
/// cannot block the test, and a broken pipe is fine.
pub fn run_with_stdin<S: AsRef<OsStr>>(args: &[S], input: &[u8]) -> Output {
    let mut child = authorship()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the authorship binary");
    let mut pipe = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// A run's standard output, which must be UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// A run's standard error, which must be UTF-8.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Binds, until the end of the enclosing block, the insta settings of this
/// binary: file snapshots live in `tests/snapshots/` (insta looks beside the
/// asserting file by default, here `tests/it/snapshots/`). Call it at the top
/// of every test that asserts a file snapshot (not needed for inline ones).
macro_rules! snapshots {
    () => {
        let _snapshots = {
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("../snapshots");
            settings.bind_to_scope()
        };
    };
}
pub(crate) use snapshots;
