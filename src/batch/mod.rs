//! Batch evaluation: a stream of fact patterns (JSON Lines, or a YAML
//! stream of documents) in, one JSON line per pattern out, in input order,
//! evaluated against every chosen ruleset by compiled programs on several
//! threads.
//!
//! Memory stays bounded whatever the input size: the input is read in
//! chunks of records, at most a fixed number of chunks are in flight
//! between the reader, the workers and the in-order writer, and a record
//! longer than [`MAX_RECORD_BYTES`] is reported, not buffered. A bad record
//! becomes an error record naming its line, and the run goes on (or, in
//! strict mode, stops there). The library reads and writes only the
//! streams it is given and never looks at the clock; progress is reported
//! through a callback.

mod parse;
mod pipeline;
mod write;

use thiserror::Error;

pub use crate::model::Fnv;
pub use parse::{Id, Reader, Seen};
pub use pipeline::run;

use crate::eval::Context;
use crate::eval::compiled::{CompileError, Compiled, Pattern, Scratch, Slots};
use crate::model::{Library, Ruleset, Verdict};

/// Longest record read: a longer JSON line or YAML document is reported as
/// an error and skipped as it is read, never held whole.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// How input records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    JsonLines,
    /// YAML documents separated by `---` lines.
    Yaml,
}

/// How a batch runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The input's format.
    pub format: Format,
    /// Add each ruleset's full explanation to its outcome.
    pub explain: bool,
    /// Stop at the first bad record.
    pub strict: bool,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Records per chunk handed to a worker.
    pub chunk_records: usize,
    /// Refuse a JSON Lines record whose `id` an earlier record gave (its
    /// error line names the first). Every id read is kept until the end,
    /// so memory grows with the input; off by default.
    pub unique_ids: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            format: Format::JsonLines,
            explain: false,
            strict: false,
            threads: 1,
            chunk_records: 1024,
            unique_ids: false,
        }
    }
}

/// Counts so far, reported as the run goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Records read (patterns and bad records).
    pub records: u64,
    /// Bad records.
    pub errors: u64,
    /// Input bytes consumed.
    pub bytes: u64,
}

/// Why a batch stopped.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum BatchError {
    /// Reading the input or writing the output failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A ruleset could not be compiled.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// No ruleset has this id.
    #[error("no ruleset `{0}`")]
    UnknownRuleset(String),
    /// Strict mode: the first bad record.
    #[error("line {line}: {message}")]
    BadRecord {
        /// Its first line.
        line: u64,
        /// What is wrong.
        message: String,
    },
}

/// Everything a worker needs, compiled once.
pub struct Engine<'l> {
    rulesets: Vec<&'l Ruleset>,
    slots: Slots,
    compiled: Vec<Compiled>,
    names: Vec<write::Names>,
    reader: Reader,
    fact_names: Vec<String>,
    ctx: Context,
}

impl<'l> Engine<'l> {
    /// Compiles the rulesets named in `only` (all when empty) for `ctx`.
    pub fn new(
        library: &'l Library,
        only: &[String],
        ctx: Context,
    ) -> Result<Engine<'l>, BatchError> {
        let rulesets: Vec<&Ruleset> = if only.is_empty() {
            library.rulesets.iter().collect()
        } else {
            only.iter()
                .map(|id| {
                    library
                        .ruleset(id)
                        .ok_or_else(|| BatchError::UnknownRuleset(id.clone()))
                })
                .collect::<Result<_, _>>()?
        };
        let vocab = &library.vocabulary;
        let slots = Slots::new(vocab, &rulesets);
        let compiled = rulesets
            .iter()
            .map(|r| Compiled::new(r, vocab, &slots, &ctx))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Engine {
            names: compiled.iter().map(write::Names::of).collect(),
            reader: Reader::new(vocab, &slots),
            fact_names: vocab.facts.keys().map(|k| write::json_string(k)).collect(),
            rulesets,
            slots,
            compiled,
            ctx,
        })
    }

    /// The context every pattern is evaluated in.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// The ids of the rulesets evaluated, in output order.
    pub fn ruleset_ids(&self) -> Vec<&str> {
        self.rulesets.iter().map(|r| r.id.as_str()).collect()
    }

    /// Evaluates one JSON record, appending its output line to `out`;
    /// `Err` is the message of a bad record (an error line is appended too).
    pub fn record(
        &self,
        line: u64,
        json: &[u8],
        explain: bool,
        work: &mut Work,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        self.record_at(line, json, explain, true, work, out)
    }

    /// As [`Engine::record`]; `columns` says whether error messages name
    /// the column (not for records converted from YAML).
    pub(crate) fn record_at(
        &self,
        line: u64,
        json: &[u8],
        explain: bool,
        columns: bool,
        work: &mut Work,
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        let id = match self.read(line, json, columns, work) {
            Ok(id) => id,
            Err((id, message)) => {
                write::error(out, line, &id, &message);
                return Err(message);
            }
        };
        let completed = completed(&self.slots, &work.arising, &work.pattern);
        write::open(out, line, &id);
        out.extend_from_slice(b",\"outcomes\":{");
        let each = self.compiled.iter().zip(&self.names).zip(&self.rulesets);
        for (i, ((c, names), ruleset)) in each.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(names.key.as_bytes());
            // With an explanation, evaluating it also leaves the outcome in
            // the scratch: one evaluation either way. The explanation reads
            // fact values from the pattern: nothing is decoded.
            let evaluated = if explain {
                c.evaluate(ruleset, &self.slots, &work.pattern, &mut work.scratch)
                    .map(Some)
            } else {
                c.summarize_completed(completed, &mut work.scratch)
                    .map(|_| None)
            };
            match evaluated {
                Ok(explanation) => {
                    write::outcome(out, names, &work.scratch.summary, &self.fact_names);
                    if let Some(e) = explanation {
                        out.extend_from_slice(b",\"explanation\":");
                        let _ = serde_json::to_writer(&mut *out, &e);
                    }
                }
                Err(e) => {
                    out.extend_from_slice(b"{\"error\":");
                    out.extend_from_slice(write::json_string(&e.to_string()).as_bytes());
                }
            }
            out.push(b'}');
        }
        out.extend_from_slice(b"}}\n");
        Ok(())
    }

    /// Evaluates one JSON record to each ruleset's verdict alone, writing
    /// nothing: for an embedder that wants verdicts as values (the Python
    /// package's data frames) rather than output lines to parse. Returns
    /// the record's id, and fills `verdicts` with each ruleset's verdict
    /// (in [`Engine::ruleset_ids`] order) or the evaluation's error; `Err`
    /// is a bad record, with its id where it can be read, and the message
    /// its error line would carry.
    pub fn verdicts(
        &self,
        line: u64,
        json: &[u8],
        work: &mut Work,
        verdicts: &mut Vec<Result<Verdict, String>>,
    ) -> Result<Id, (Id, String)> {
        verdicts.clear();
        let id = self.read(line, json, true, work)?;
        let completed = completed(&self.slots, &work.arising, &work.pattern);
        for c in &self.compiled {
            let verdict = c
                .summarize_completed(completed, &mut work.scratch)
                .map(|summary| summary.verdict.unwrap_or(Verdict::Undetermined))
                .map_err(|e| e.to_string());
            verdicts.push(verdict);
        }
        Ok(id)
    }

    /// Reads one JSON record into the worker's pattern and checks it
    /// states no value a fact cannot have: its id, or, for a bad record,
    /// its id where it can still be found (so that an error line can be
    /// traced once lines are shuffled) and what is wrong.
    fn read(
        &self,
        line: u64,
        json: &[u8],
        columns: bool,
        work: &mut Work,
    ) -> Result<Id, (Id, String)> {
        // A file saved by a Windows editor starts with a byte-order mark,
        // as a YAML file may (and the YAML reader skips it there too).
        let json = match line {
            1 => json
                .strip_prefix(parse::BYTE_ORDER_MARK.as_bytes())
                .unwrap_or(json),
            _ => json,
        };
        let read = self.reader.read_json(
            json,
            &self.slots,
            &mut work.pattern,
            &mut work.seen,
            columns,
        );
        let mut contradiction = || {
            self.slots.arising().contradiction(
                &self.slots,
                &work.pattern,
                &mut work.arising,
                &mut work.defaulted,
            )
        };
        // An error line carries the record's id wherever it can still be
        // found, so a bad record can be traced once lines are shuffled.
        let id = match read {
            Ok(id) => id,
            Err(message) => return Err((parse::id_of(json), message)),
        };
        match contradiction() {
            Some(message) => Err((id, message)),
            None => Ok(id),
        }
    }

    /// Buffers for one worker.
    pub fn work(&self) -> Work {
        Work {
            pattern: self.slots.pattern(),
            seen: Seen::default(),
            scratch: Scratch::default(),
            arising: None,
            defaulted: Vec::new(),
        }
    }
}

/// The pattern every ruleset evaluates: the one the contradiction check
/// completed (each fact that does not arise at its defined value), where
/// there are such facts; that one copy serves every ruleset, where each
/// would otherwise complete its own.
fn completed<'w>(slots: &Slots, arising: &'w Option<Pattern>, pattern: &'w Pattern) -> &'w Pattern {
    match arising {
        Some(c) if !slots.arising().is_empty() => c,
        _ => pattern,
    }
}

/// One worker's reusable buffers.
pub struct Work {
    pattern: Pattern,
    seen: Seen,
    scratch: Scratch,
    /// For the check that a record states no value a fact cannot have.
    arising: Option<Pattern>,
    defaulted: Vec<(u32, crate::eval::compiled::Val)>,
}
