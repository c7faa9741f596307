//! The threads of a batch run: one reader cutting the input into chunks of
//! records, workers evaluating chunks, and the caller's thread writing
//! finished chunks in input order. A fixed number of tokens bounds the
//! chunks in flight, so memory does not grow with the input.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use super::parse::Id;
use super::{BatchError, Engine, Format, MAX_RECORD_BYTES, Options, Stats};
use crate::load::yaml;

/// One record's place in a chunk.
struct Record {
    /// Its first line in the input.
    line: u64,
    /// Its bytes in the chunk's buffer, or why it could not be read.
    body: Result<std::ops::Range<usize>, String>,
    /// For a record refused as it was read: its id, if it was read.
    id: Id,
}

/// The ids read so far, each with the line that first gave it
/// (`Options::unique_ids`).
type IdsSeen = HashMap<Id, u64>;

struct Chunk {
    seq: u64,
    data: Vec<u8>,
    records: Vec<Record>,
    bytes: u64,
}

struct Done {
    seq: u64,
    out: Vec<u8>,
    records: u64,
    errors: u64,
    bytes: u64,
    /// The first bad record: its line, message, and where its output starts.
    first_error: Option<(u64, String, usize)>,
}

/// Runs a batch: reads `input`, writes one line per record to `output` in
/// input order, calls `progress` after each chunk written.
pub fn run(
    engine: &Engine<'_>,
    input: &mut (dyn BufRead + Send),
    output: &mut dyn Write,
    options: &Options,
    progress: &mut dyn FnMut(&Stats),
) -> Result<Stats, BatchError> {
    let threads = options.threads.max(1);
    let in_flight = threads.saturating_mul(4);
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(in_flight);
    let (done_tx, done_rx) = sync_channel::<Done>(in_flight);
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    let chunk_rx = Arc::new(Mutex::new(chunk_rx));
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_chunks(input, options, &chunk_tx, &token_rx));
        for _ in 0..threads {
            let (rx, tx) = (Arc::clone(&chunk_rx), done_tx.clone());
            scope.spawn(move || work(engine, options, &rx, &tx));
        }
        drop(done_tx);
        let written = write_in_order(output, options, &done_rx, &token_tx, progress);
        // Stops the reader and the workers if the writer stopped early.
        drop(done_rx);
        drop(token_tx);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reader failed")));
        let stats = written?;
        read?;
        Ok(stats)
    })
}

fn read_chunks(
    input: &mut (dyn BufRead + Send),
    options: &Options,
    chunks: &SyncSender<Chunk>,
    tokens: &Receiver<()>,
) -> io::Result<()> {
    let mut line = 0u64;
    let mut seq = 0u64;
    let mut ids = IdsSeen::new();
    loop {
        if tokens.recv().is_err() {
            return Ok(());
        }
        let mut chunk = Chunk {
            seq,
            data: Vec::new(),
            records: Vec::new(),
            bytes: 0,
        };
        let more = match options.format {
            Format::JsonLines => read_lines(input, options, &mut line, &mut chunk, &mut ids)?,
            Format::Yaml => read_documents(input, options, &mut line, &mut chunk)?,
        };
        if !chunk.records.is_empty() || chunk.bytes > 0 {
            if chunks.send(chunk).is_err() {
                return Ok(());
            }
            seq = seq.saturating_add(1);
        }
        if !more {
            return Ok(());
        }
    }
}

/// Reads one line into `buf` (without its newline), keeping at most
/// `MAX_RECORD_BYTES`; returns the bytes consumed and whether it was cut,
/// or `None` at the end of the input.
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<Option<(u64, bool)>> {
    let (mut consumed, mut cut) = (0u64, false);
    let start = buf.len();
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed > 0).then_some((consumed, cut)));
        }
        let (part, newline) = match memchr::memchr(b'\n', available) {
            Some(at) => (available.get(..at).unwrap_or(&[]), true),
            None => (available, false),
        };
        let room = MAX_RECORD_BYTES.saturating_sub(buf.len().saturating_sub(start));
        if part.len() > room {
            cut = true;
        }
        buf.extend_from_slice(part.get(..part.len().min(room)).unwrap_or(&[]));
        let used = part.len().saturating_add(usize::from(newline));
        input.consume(used);
        consumed = consumed.saturating_add(used as u64);
        if newline {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some((consumed, cut)));
        }
    }
}

/// A chunk stops taking records once it holds this many bytes, so the
/// chunks in flight bound memory by bytes as well as by records.
const CHUNK_BYTES: usize = 1 << 20;

fn too_long() -> String {
    format!("record longer than {MAX_RECORD_BYTES} bytes")
}

fn read_lines(
    input: &mut dyn BufRead,
    options: &Options,
    line: &mut u64,
    chunk: &mut Chunk,
    ids: &mut IdsSeen,
) -> io::Result<bool> {
    while chunk.records.len() < options.chunk_records.max(1) && chunk.data.len() < CHUNK_BYTES {
        let start = chunk.data.len();
        let Some((consumed, cut)) = read_line(input, &mut chunk.data)? else {
            return Ok(false);
        };
        *line = line.saturating_add(1);
        chunk.bytes = chunk.bytes.saturating_add(consumed);
        let text = chunk.data.get(start..).unwrap_or(&[]);
        // Blank lines separate nothing in JSON Lines; they are skipped.
        if text.iter().all(u8::is_ascii_whitespace) && !cut {
            chunk.data.truncate(start);
            continue;
        }
        let record = if cut {
            chunk.data.truncate(start);
            Record {
                line: *line,
                body: Err(too_long()),
                id: Id::None,
            }
        } else {
            let mut record = Record {
                line: *line,
                body: Ok(start..chunk.data.len()),
                id: Id::None,
            };
            if options.unique_ids {
                unique(ids, &mut record, chunk.data.get(start..).unwrap_or(&[]));
            }
            record
        };
        chunk.records.push(record);
    }
    Ok(true)
}

/// Refuses `record` if its id was given before; else remembers it. Done
/// here, as the input is read in order, so "before" means in the input.
fn unique(ids: &mut IdsSeen, record: &mut Record, text: &[u8]) {
    let id = super::parse::id_of(text);
    if id == Id::None {
        return;
    }
    match ids.get(&id) {
        Some(first) => {
            let mut shown = Vec::new();
            super::write::id_json(&mut shown, &id);
            record.body = Err(format!(
                "id {} was given before, on line {first} (--unique-ids)",
                String::from_utf8_lossy(&shown)
            ));
            record.id = id;
        }
        None => {
            ids.insert(id, record.line);
        }
    }
}

/// Whether a line ends a document: `---` (which may carry the start of the
/// next document after a space) or `...`. Returns the carried text.
fn separator(text: &[u8]) -> Option<&[u8]> {
    if text == b"---" || text == b"..." {
        return Some(&[]);
    }
    text.strip_prefix(b"--- ").map(|rest| {
        if rest.trim_ascii_start().starts_with(b"#") {
            &[][..]
        } else {
            rest
        }
    })
}

fn read_documents(
    input: &mut dyn BufRead,
    options: &Options,
    line: &mut u64,
    chunk: &mut Chunk,
) -> io::Result<bool> {
    let mut start = chunk.data.len();
    let mut first_line = line.saturating_add(1);
    let mut cut = false;
    loop {
        let at = chunk.data.len();
        let next = read_line(input, &mut chunk.data)?;
        let (ended, more) = match next {
            None => (true, false),
            Some((consumed, line_cut)) => {
                *line = line.saturating_add(1);
                chunk.bytes = chunk.bytes.saturating_add(consumed);
                match separator(chunk.data.get(at..).unwrap_or(&[])).map(<[u8]>::to_vec) {
                    Some(carried) => {
                        chunk.data.truncate(at);
                        finish_document(chunk, start, first_line, cut);
                        // The next document starts on this line when the
                        // marker carries text (`--- {...}`), cut with it.
                        start = chunk.data.len();
                        first_line = if carried.trim_ascii().is_empty() {
                            line.saturating_add(1)
                        } else {
                            chunk.data.extend_from_slice(&carried);
                            chunk.data.push(b'\n');
                            *line
                        };
                        cut = line_cut;
                        (false, true)
                    }
                    None => {
                        cut |=
                            line_cut || chunk.data.len().saturating_sub(start) > MAX_RECORD_BYTES;
                        // A document past the limit is refused whole, so
                        // nothing more of it is kept: the reader holds at
                        // most one record's worth and one line of it.
                        if cut {
                            chunk.data.truncate(start);
                        } else {
                            chunk.data.push(b'\n');
                        }
                        (false, true)
                    }
                }
            }
        };
        if ended {
            finish_document(chunk, start, first_line, cut);
            return Ok(more);
        }
        // Only between documents may a chunk end: a document cut at the
        // boundary would be lost (a refused one holds no bytes, but is
        // still being read).
        let between = chunk.data.len() == start && !cut;
        if between
            && (chunk.records.len() >= options.chunk_records.max(1)
                || chunk.data.len() >= CHUNK_BYTES)
        {
            return Ok(more);
        }
    }
}

/// Closes the document `chunk.data[start..]`: a record, an error for an
/// over-long one, or nothing if it holds only blanks and comments.
fn finish_document(chunk: &mut Chunk, start: usize, first_line: u64, cut: bool) {
    let text = chunk.data.get(start..).unwrap_or(&[]);
    let empty = text.split(|&b| b == b'\n').all(|l| {
        let l = l.trim_ascii_start();
        l.is_empty() || l.starts_with(b"#")
    });
    if cut {
        chunk.data.truncate(start);
        chunk.records.push(Record {
            line: first_line,
            body: Err(too_long()),
            id: Id::None,
        });
    } else if !empty {
        chunk.records.push(Record {
            line: first_line,
            body: Ok(start..chunk.data.len()),
            id: Id::None,
        });
    } else {
        chunk.data.truncate(start);
    }
}

fn work(
    engine: &Engine<'_>,
    options: &Options,
    chunks: &Mutex<Receiver<Chunk>>,
    done: &SyncSender<Done>,
) {
    let mut w = engine.work();
    loop {
        let chunk = match chunks.lock() {
            Ok(rx) => match rx.recv() {
                Ok(c) => c,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let result = evaluate_chunk(engine, options, &mut w, &chunk);
        if done.send(result).is_err() {
            return;
        }
    }
}

fn evaluate_chunk(
    engine: &Engine<'_>,
    options: &Options,
    w: &mut super::Work,
    chunk: &Chunk,
) -> Done {
    let mut d = Done {
        seq: chunk.seq,
        out: Vec::with_capacity(chunk.data.len().saturating_mul(2)),
        records: 0,
        errors: 0,
        bytes: chunk.bytes,
        first_error: None,
    };
    for record in &chunk.records {
        d.records = d.records.saturating_add(1);
        let at = d.out.len();
        let result = match &record.body {
            // Refused as it was read: too long (no id to find), or an id
            // given before (`unique_ids`; named).
            Err(message) => {
                super::write::error(&mut d.out, record.line, &record.id, message);
                Err(message.clone())
            }
            Ok(range) => {
                let body = chunk.data.get(range.clone()).unwrap_or(&[]);
                match options.format {
                    Format::JsonLines => {
                        engine.record(record.line, body, options.explain, w, &mut d.out)
                    }
                    Format::Yaml => yaml_record(engine, record.line, body, options, w, &mut d.out),
                }
            }
        };
        if let Err(message) = result {
            d.errors = d.errors.saturating_add(1);
            if d.first_error.is_none() {
                d.first_error = Some((record.line, message, at));
            }
        }
    }
    d
}

// YAML is read with the project's strict options (no duplicate keys, no
// tags, no merges), then handed to the JSON reader.
fn yaml_record(
    engine: &Engine<'_>,
    line: u64,
    body: &[u8],
    options: &Options,
    w: &mut super::Work,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    let parsed = std::str::from_utf8(body)
        .map_err(|_| "record is not UTF-8".to_string())
        .and_then(|text| {
            yaml::parse::<serde_json::Value>(text).map_err(|e| {
                let at = if e.pos.line > 0 {
                    format!(
                        " (line {}, column {})",
                        line.saturating_add(e.pos.line).saturating_sub(1),
                        e.pos.column
                    )
                } else {
                    String::new()
                };
                format!("{}{at}", e.message)
            })
        })
        .and_then(|v| serde_json::to_vec(&v).map_err(|e| e.to_string()));
    match parsed {
        // Columns of the JSON copy would not point into the YAML.
        Ok(json) => engine.record_at(line, &json, options.explain, false, w, out),
        // Not YAML: no id to find.
        Err(message) => {
            super::write::error(out, line, &Id::None, &message);
            Err(message)
        }
    }
}

fn write_in_order(
    output: &mut dyn Write,
    options: &Options,
    done: &Receiver<Done>,
    tokens: &SyncSender<()>,
    progress: &mut dyn FnMut(&Stats),
) -> Result<Stats, BatchError> {
    let mut stats = Stats::default();
    let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    while let Ok(d) = done.recv() {
        waiting.insert(d.seq, d);
        while let Some(d) = waiting.remove(&next) {
            if options.strict
                && let Some((line, message, at)) = d.first_error
            {
                output.write_all(d.out.get(..at).unwrap_or(&[]))?;
                output.flush()?;
                return Err(BatchError::BadRecord { line, message });
            }
            output.write_all(&d.out)?;
            stats.records = stats.records.saturating_add(d.records);
            stats.errors = stats.errors.saturating_add(d.errors);
            stats.bytes = stats.bytes.saturating_add(d.bytes);
            progress(&stats);
            next = next.saturating_add(1);
            // The chunk is out of memory: the reader may read another.
            let _ = tokens.send(());
        }
    }
    output.flush()?;
    Ok(stats)
}
