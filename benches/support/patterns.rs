//! Deterministic random fact patterns as JSON Lines, for the batch
//! benchmarks and `examples/gen_patterns.rs` (which includes this file with
//! `#[path]`).
//!
//! Every record is `{"id":"p<i>","facts":{...}}`. Each fact of the
//! vocabulary is left out (unknown) with probability `unknown_pct`%, else
//! given a random valid value: a bool, one of the enum's values, an integer
//! in the fact's `min..=max` (a small range when unbounded), a date in
//! 2018..=2026. Text facts are always left out. No `rand` crate: a
//! SplitMix64 stream seeded with the given seed, so a seed always gives the
//! same bytes.
//!
//! A fact that does not arise on the record's other facts (its `arises`
//! condition is false, see `Vocabulary::complete`) is left out, as a
//! questionnaire does not ask it: the engine takes it at its defined value.
//! A record that stated some other value for it would be refused as a
//! contradiction. Its value is drawn all the same, so the random stream —
//! and every other fact of the record — does not depend on the arising
//! conditions.

#![allow(dead_code)]

use std::io::{self, Write};

use authorship::model::{FactType, FactValue, Facts, Vocabulary};
use authorship::syntax::Date;

/// SplitMix64 (Steele, Lea, Flood 2014): one `u64` of state, passes BigCrush.
pub struct SplitMix(u64);

impl SplitMix {
    /// A stream for `seed`.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0), by multiply-shift (Lemire).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// How to write one fact's value.
enum Gen {
    Bool,
    /// The JSON text of each allowed value (quoted).
    Enum(Vec<Vec<u8>>),
    Int {
        min: i64,
        span: u64,
    },
    Date,
}

/// One fact: its JSON key (`"name":`) and how to draw its value.
struct Field {
    key: Vec<u8>,
    generator: Gen,
    /// Its id, when whether some fact arises may depend on it (it says
    /// when it arises, or some `arises` condition reads it).
    arising: Option<String>,
}

/// A drawn value: its field, and where its JSON text is in the record's
/// value buffer.
struct Drawn {
    field: usize,
    text: std::ops::Range<usize>,
}

/// A pattern generator for one vocabulary.
pub struct Generator {
    fields: Vec<Field>,
    /// For the arising check (`None` when no fact says when it arises).
    vocab: Option<Vocabulary>,
    /// Reused per record.
    values: Vec<u8>,
    drawn: Vec<Drawn>,
    unknown_pct: u64,
    rng: SplitMix,
    next_id: u64,
}

/// Span of an integer fact with no `max`.
const OPEN_SPAN: u64 = 10;

fn json_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// Appends the decimal digits of `v`.
fn push_u64(mut v: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_i64(v: i64, out: &mut Vec<u8>) {
    if v < 0 {
        out.push(b'-');
    }
    push_u64(v.unsigned_abs(), out);
}

/// Appends `n` as exactly two digits.
fn push_2(n: u64, out: &mut Vec<u8>) {
    out.push(b'0' + (n / 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

impl Generator {
    /// A generator for `vocab` (facts in the vocabulary's order).
    pub fn new(vocab: &Vocabulary, unknown_pct: u64, seed: u64) -> Generator {
        let hinges: std::collections::BTreeSet<&str> = vocab
            .facts
            .values()
            .filter_map(|d| d.arises.as_ref())
            .flat_map(|a| a.condition.facts_read())
            .collect();
        let fields = vocab
            .facts
            .values()
            .filter_map(|def| {
                let generator = match &def.ty {
                    FactType::Bool => Gen::Bool,
                    FactType::Enum { values } => Gen::Enum(
                        values
                            .iter()
                            .map(|(v, _)| {
                                let mut b = Vec::new();
                                json_str(v, &mut b);
                                b
                            })
                            .collect(),
                    ),
                    FactType::Integer { min, max } => {
                        let lo = min.unwrap_or(0);
                        let hi = max.unwrap_or(lo.saturating_add(OPEN_SPAN as i64 - 1));
                        Gen::Int {
                            min: lo,
                            span: (hi.saturating_sub(lo) as u64).saturating_add(1).max(1),
                        }
                    }
                    FactType::Date => Gen::Date,
                    FactType::Text => return None,
                };
                let mut key = Vec::new();
                json_str(&def.id, &mut key);
                key.push(b':');
                let arising = (def.arises.is_some() || hinges.contains(def.id.as_str()))
                    .then(|| def.id.clone());
                Some(Field {
                    key,
                    generator,
                    arising,
                })
            })
            .collect();
        Generator {
            fields,
            vocab: vocab.has_arising().then(|| vocab.clone()),
            values: Vec::with_capacity(2048),
            drawn: Vec::new(),
            unknown_pct: unknown_pct.min(100),
            rng: SplitMix::new(seed),
            next_id: 0,
        }
    }

    /// Appends the next record (one line, with its newline) to `out`.
    pub fn record(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"id\":\"p");
        push_u64(self.next_id, out);
        self.next_id += 1;
        out.extend_from_slice(b"\",\"facts\":{");
        self.draw();
        let left_out = self.not_arising();
        let mut first = true;
        for d in &self.drawn {
            let Some(f) = self.fields.get(d.field) else {
                continue;
            };
            if f.arising.as_ref().is_some_and(|id| left_out.contains(id)) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(&f.key);
            out.extend_from_slice(&self.values[d.text.clone()]);
        }
        out.extend_from_slice(b"}}\n");
    }

    /// Draws the record's known facts into `self.drawn` (their JSON text in
    /// `self.values`).
    fn draw(&mut self) {
        self.values.clear();
        self.drawn.clear();
        for (i, f) in self.fields.iter().enumerate() {
            if self.rng.below(100) < self.unknown_pct {
                continue;
            }
            let start = self.values.len();
            let out = &mut self.values;
            match &f.generator {
                Gen::Bool => out.extend_from_slice(if self.rng.next_u64() >> 63 == 1 {
                    b"true"
                } else {
                    b"false"
                }),
                Gen::Enum(values) => {
                    let k = self.rng.below(values.len() as u64) as usize;
                    out.extend_from_slice(&values[k]);
                }
                Gen::Int { min, span } => {
                    let v = min.saturating_add(self.rng.below(*span) as i64);
                    push_i64(v, out);
                }
                Gen::Date => {
                    out.push(b'"');
                    push_u64(2018 + self.rng.below(9), out);
                    out.push(b'-');
                    push_2(1 + self.rng.below(12), out);
                    out.push(b'-');
                    push_2(1 + self.rng.below(28), out);
                    out.push(b'"');
                }
            }
            self.drawn.push(Drawn {
                field: i,
                text: start..self.values.len(),
            });
        }
    }

    /// The facts drawn that do not arise on the others, by the
    /// vocabulary's own completion.
    fn not_arising(&self) -> std::collections::BTreeSet<String> {
        let Some(vocab) = &self.vocab else {
            return Default::default();
        };
        let mut facts = Facts::default();
        for d in &self.drawn {
            let f = &self.fields[d.field];
            let Some(id) = &f.arising else { continue };
            let text = &self.values[d.text.clone()];
            let value = match &f.generator {
                Gen::Bool => FactValue::Bool(text == b"true"),
                Gen::Int { .. } => FactValue::Int(
                    std::str::from_utf8(text)
                        .ok()
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0),
                ),
                Gen::Enum(_) | Gen::Date => {
                    let s = String::from_utf8_lossy(&text[1..text.len() - 1]);
                    match &f.generator {
                        Gen::Date => match Date::parse(&s) {
                            Some(d) => FactValue::Date(d),
                            None => continue,
                        },
                        _ => FactValue::Str(s.into_owned()),
                    }
                }
            };
            facts.set(id, value);
        }
        vocab
            .complete_owned(facts)
            .not_arising
            .into_keys()
            .collect()
    }

    /// Writes `n` records to `w`.
    pub fn write(&mut self, n: u64, w: &mut impl Write) -> io::Result<()> {
        let mut line = Vec::with_capacity(2048);
        for _ in 0..n {
            line.clear();
            self.record(&mut line);
            w.write_all(&line)?;
        }
        Ok(())
    }

    /// `n` records in memory.
    pub fn corpus(&mut self, n: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(n as usize * 1024);
        for _ in 0..n {
            self.record(&mut out);
        }
        out
    }
}
