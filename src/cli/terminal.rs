//! The one way the program writes to its standard output and error.
//!
//! Everything goes through here so that two things hold everywhere:
//!
//! - **Inert text.** What the program prints comes in part from files and
//!   arguments it did not write (titles, rule texts, ids, file names), so
//!   control, escape and bidi characters are shown as `\u{..}`
//!   ([`escape_controls`]), and in JSON as `\uXXXX`, which keeps it valid
//!   JSON meaning the same strings ([`escape_controls_json`]). The only raw
//!   control character the program writes of its own is the `\r` of
//!   `batch`'s progress line ([`err_raw`]); clap's colours in `--help` are
//!   its own too and are left to clap.
//! - **I/O errors are not bugs.** Rust ignores SIGPIPE, so `print!` panics
//!   when the reader of stdout is gone (`| head -1`) or the disk is full,
//!   and `eprint!` when stderr fails. Here a stdout error is returned as
//!   [`Failure::Output`] (a closed pipe then ends the run quietly, anything
//!   else is one `error:` line and exit 1; see `super::main`), and a stderr
//!   error is ignored: there is nowhere left to report it.

use std::fmt;
use std::io::{self, IsTerminal, Write};

use authorship::render::TextStyle;
use authorship::render::inert::{escape_controls, escape_controls_json};
use clap::{Args, ValueEnum};

use super::Failure;

/// Writes text to stdout, its hazards escaped, and flushes it.
pub fn out(text: &str) -> Result<(), Failure> {
    write_stdout(&escape_controls(text))
}

/// Writes serialized JSON to stdout, its hazards escaped as JSON escapes,
/// and flushes it.
pub fn out_json(json: &str) -> Result<(), Failure> {
    write_stdout(&escape_controls_json(json))
}

/// Writes a rendering made with `style` to stdout: coloured text is
/// already inert (the renderer escaped it before adding its colour codes,
/// [`TextStyle::finish`]) and is written as is; plain text is escaped as
/// [`out`] does.
pub fn out_styled(text: &str, style: &TextStyle) -> Result<(), Failure> {
    if style.color {
        write_stdout(text)
    } else {
        out(text)
    }
}

/// How text output is laid out: `--width` and `--color`.
#[derive(Args, Clone, Copy)]
pub struct Look {
    /// Fit lines to this many columns. Default: $COLUMNS if set, else the
    /// terminal's width when standard output is a terminal, else no limit
    /// (a pipe or a file gets every line whole).
    #[arg(long, value_name = "N")]
    width: Option<usize>,
    /// Colour verdicts: auto (on a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

/// When to colour.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl Look {
    /// The style for text written to stdout, from the options, the
    /// environment and whether stdout is a terminal.
    pub fn style(&self) -> TextStyle {
        let tty = io::stdout().is_terminal();
        TextStyle {
            width: self.width.or_else(env_columns).or_else(|| {
                tty.then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
                    .flatten()
            }),
            color: match self.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                // https://no-color.org: set and not empty means no colour.
                ColorWhen::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            },
        }
    }
}

/// `COLUMNS`, when it is set to a positive number.
fn env_columns() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::Output)
}

/// Writes text to stderr, its hazards escaped; a failure is ignored.
pub fn err(text: &str) {
    err_raw(&escape_controls(text));
}

/// Writes the program's own text to stderr as is (the progress line's
/// `\r`); a failure is ignored.
pub fn err_raw(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Text with its colour sequences (SGR, `ESC [ digits ; … m`) removed and
/// any other escape left for [`err`] or [`out`] to show: clap's styled
/// messages, in which an argument's own `ESC[2J` must stay visible.
pub fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("\x1b[") {
        out.push_str(before);
        let params = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';');
        match params.strip_prefix('m') {
            Some(tail) => rest = tail,
            None => {
                out.push_str("\x1b[");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `eprintln!` through [`err`]: escaped, and never a panic.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::terminal::err(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use errln;

/// What a stream writer escapes its text for.
#[derive(Clone, Copy)]
pub enum Mode {
    /// Text: hazards as `\u{1b}`.
    Text,
    /// Serialized JSON: hazards as `\u001b`.
    Json,
}

/// Stdout as a writer, for code that writes as it goes (`batch`, `ask`):
/// escapes like [`out`] or [`out_json`], and marks its errors so that
/// [`Failure::io`] tells them from errors reading the input.
pub fn stdout(mode: Mode) -> Inert<Stdout> {
    Inert {
        inner: Stdout,
        mode,
        pending: Vec::new(),
    }
}

/// Stdout, with each error marked as stdout's ([`is_stdout_error`]).
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::stdout().lock().write(buf).map_err(mark)
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().lock().flush().map_err(mark)
    }
}

/// The error of a write to stdout, wrapped so it can be recognised after
/// travelling through code that also reads (an interview, a batch).
#[derive(Debug)]
struct StdoutError(io::Error);

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for StdoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn mark(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), StdoutError(e))
}

/// Whether an I/O error is a failed write to stdout (from [`stdout`]).
pub fn is_stdout_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<StdoutError>())
}

/// A writer that escapes the text written through it.
///
/// Bytes may arrive cut anywhere, so a character split between two writes
/// waits (at most three bytes) for the rest. Bytes that are not UTF-8
/// cannot come from the program's own strings; they are written as
/// U+FFFD, so what comes out is always text, and JSON stays valid.
pub struct Inert<W: Write> {
    inner: W,
    mode: Mode,
    /// The start of a character cut by the end of the last write.
    pending: Vec<u8>,
}

impl<W: Write> Inert<W> {
    fn emit(&mut self, text: &str) -> io::Result<()> {
        let escaped = match self.mode {
            Mode::Text => escape_controls(text),
            Mode::Json => escape_controls_json(text),
        };
        self.inner.write_all(escaped.as_bytes())
    }

    fn write_escaped(&mut self, mut data: &[u8]) -> io::Result<()> {
        loop {
            match std::str::from_utf8(data) {
                Ok(text) => return self.emit(text),
                Err(e) => {
                    let (good, bad) = data.split_at(e.valid_up_to());
                    self.emit(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        None => {
                            self.pending = bad.to_vec();
                            return Ok(());
                        }
                        Some(n) => {
                            self.emit("\u{fffd}")?;
                            data = bad.get(n..).unwrap_or_default();
                        }
                    }
                }
            }
        }
    }
}

impl<W: Write> Write for Inert<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.pending.is_empty() {
            self.write_escaped(buf)?;
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(buf);
            self.write_escaped(&joined)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything written, byte by byte, comes out escaped as a whole.
    #[test]
    fn a_character_cut_between_writes_is_escaped_whole() {
        let text = "é\u{1b}[2J中\u{202e}x\u{85}";
        let mut w = Inert {
            inner: Vec::new(),
            mode: Mode::Text,
            pending: Vec::new(),
        };
        for b in text.as_bytes() {
            w.write_all(std::slice::from_ref(b)).unwrap();
        }
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "é\\u{1b}[2J中\\u{202e}x\\u{85}"
        );
    }

    #[test]
    fn colours_go_and_other_sequences_stay() {
        assert_eq!(
            without_colours(
                "\x1b[1m\x1b[31merror:\x1b[0m value '\x1b[33m\x1b[2J\x1b[0m' \x1b[;m\x1b["
            ),
            "error: value '\x1b[2J' \x1b["
        );
        assert_eq!(without_colours("é 中文 «»"), "é 中文 «»");
    }

    #[test]
    fn bytes_that_are_not_utf8_become_replacement_characters() {
        let mut w = Inert {
            inner: Vec::new(),
            mode: Mode::Json,
            pending: Vec::new(),
        };
        w.write_all(b"a\x9bb\xff\"\xe2\x80\xae\"").unwrap();
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "a\u{fffd}b\u{fffd}\"\\u202e\""
        );
    }
}
