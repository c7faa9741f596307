//! The only place that talks to the YAML crate (serde-saphyr).
//!
//! Why serde-saphyr: serde_yaml is archived and its parser is flagged
//! unmaintained; serde-saphyr is maintained, panic-free, enforces budgets
//! against hostile input, rejects duplicate keys, and gives every value a
//! location (`Spanned<T>`), which lets a diagnostic point at file:line:col.
//! Swapping crates means changing this file only.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::{
    ErrorKind as ScanErrorKind, Event, Marker, Options as ParserOptions, Parser,
};
use serde_saphyr::{DuplicateKeyPolicy, MergeKeyPolicy, Spanned};

use crate::model::Scalar;

/// Largest YAML file accepted, in bytes; checked by the file reader before
/// reading (`read_text`), and before parsing text from memory.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Deepest YAML nesting accepted.
pub const MAX_YAML_DEPTH: usize = 32;
/// Most YAML nodes accepted in one file.
pub const MAX_YAML_NODES: usize = 100_000;
/// Most aliases accepted in one file (alias bombs are rejected).
pub const MAX_YAML_ALIASES: usize = 100;
/// YAML documents per file: one (a second `---` is an error).
pub const MAX_YAML_DOCUMENTS: usize = 1;

/// U+FEFF: allowed only as the first character of a file.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// A 1-based line and column in a file (0 when unknown), plus the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line, 0 if unknown.
    pub line: u64,
    /// 1-based column in characters, 0 if unknown.
    pub column: u64,
    /// Byte offset in the file, if known.
    pub offset: Option<usize>,
}

/// A YAML failure: message plus where.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// What went wrong, without location.
    pub message: String,
    /// A hint, e.g. the key a misspelt key was probably meant to be.
    pub help: Option<String>,
    /// Where, if the parser knew.
    pub pos: Pos,
}

/// Parses one YAML document into `T` with the project's strict options:
/// duplicate keys, merge keys (`<<`), tags, more than one document and the
/// budgets above are errors.
pub fn parse<T: DeserializeOwned>(source: &str) -> Result<T, YamlError> {
    if source.len() > MAX_FILE_BYTES {
        return Err(YamlError {
            message: format!(
                "file is {} bytes; the limit is {MAX_FILE_BYTES}",
                source.len()
            ),
            help: None,
            pos: Pos::default(),
        });
    }
    stray_byte_order_mark(source)?;
    // One YAML pass for a file that loads: the pre-scan (below) runs first
    // only where the text could hold what the typed parse would accept
    // and the scan refuses (a tag, an escaped byte-order mark); every
    // other refusal of the scan (budgets, depth, a second document) the
    // typed parse makes too, so a file the typed parse accepts the scan
    // would have accepted. When the typed parse fails, the scan runs after
    // it, and its error, if any, is the one reported: the first error is
    // the one the scan-then-parse order always gave.
    let scanned = may_need_prescan(source);
    if scanned {
        prescan(source)?;
    }
    typed(source).or_else(|e| match scanned {
        true => Err(e),
        false => prescan(source).and(Err(e)),
    })
}

/// The typed parse with the project's strict options.
fn typed<T: DeserializeOwned>(source: &str) -> Result<T, YamlError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        // `010` is 10 in YAML 1.2 and 8 in YAML 1.1: read as text, so that an
        // integer fact refuses it in words that say why.
        leading_zero_numbers_as_strings: true,
        duplicate_keys: DuplicateKeyPolicy::Error,
        merge_keys: MergeKeyPolicy::Error,
        reject_unsupported_tags: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_YAML_DEPTH,
            max_nodes: MAX_YAML_NODES,
            max_aliases: MAX_YAML_ALIASES,
            max_documents: MAX_YAML_DOCUMENTS,
        },
    };
    serde_saphyr::from_str_with_options(source, options).map_err(|e| {
        let (message, help) = explain(e.without_snippet());
        YamlError {
            message,
            help,
            pos: e.location().map(|l| pos_of(&l)).unwrap_or_default(),
        }
    })
}

// A byte-order mark may start the text (YAML allows it, Windows editors
// write it, and the scanner skips it); anywhere else it is an invisible
// character inside a key, a value or a comment, which the scanner would keep
// as part of the text, so it is refused where it is.
fn stray_byte_order_mark(source: &str) -> Result<(), YamlError> {
    let body = source.strip_prefix(BYTE_ORDER_MARK).unwrap_or(source);
    let Some(at) = body.find(BYTE_ORDER_MARK) else {
        return Ok(());
    };
    let offset = at.saturating_add(source.len().saturating_sub(body.len()));
    // Without its offset the position is shown with a one-character caret:
    // the mark, not the key or value it sits in.
    let pos = Pos {
        offset: None,
        ..super::locate::pos_at(source, offset)
    };
    Err(YamlError {
        message: "a byte-order mark (U+FEFF, invisible in most editors) may only start the \
                  file; remove this one"
            .to_string(),
        help: None,
        pos,
    })
}

// Whether the text could hold what only the pre-scan refuses: a `!` where
// a tag could start (the file's start, or after a space, a line break or
// `[`, `{`, `,`, `:`), or a `\u`/`\U` escape (one could spell U+FEFF).
// Byte comparisons only: a few microseconds for a rules file. A `!` inside
// prose ("Stop!") does not count; a false alarm only costs the scan.
fn may_need_prescan(source: &str) -> bool {
    let bytes = source.as_bytes();
    let tag = source.match_indices('!').any(|(at, _)| {
        at.checked_sub(1)
            .and_then(|before| bytes.get(before))
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'[' | b'{' | b',' | b':'))
    });
    tag || source
        .match_indices('\\')
        .any(|(at, _)| matches!(bytes.get(at.saturating_add(1)), Some(b'u' | b'U')))
}

// One pass over the parser's events, before any value is built: refuses
// what the typed parse would accept or find only late. Explicit tags
// (`!!binary`, `!custom`, `!!str`, …) are never needed and can hide a value
// (`!!binary` is base64); nesting deeper than MAX_YAML_DEPTH is refused
// where it starts, even where the typed parse would never descend; more
// than MAX_YAML_NODES values, MAX_YAML_ALIASES aliases or MAX_YAML_DOCUMENTS
// documents stop the scan (the parse enforces the same budget; counting
// here first is several times cheaper than building values). A syntax
// error ends the scan: the parse then reports it in its own words.
fn prescan(source: &str) -> Result<(), YamlError> {
    let too_deep = |pos| YamlError {
        message: format!("nested deeper than {MAX_YAML_DEPTH} levels"),
        help: None,
        pos,
    };
    // The scanner's own nesting limits, set to ours, bound its look-ahead.
    let mut options = ParserOptions::default();
    options.flow_nesting_limit = MAX_YAML_DEPTH;
    options.block_nesting_limit = MAX_YAML_DEPTH;
    options.emit_comments = false;
    let (mut depth, mut nodes, mut aliases, mut documents) = (0_usize, 0_usize, 0_usize, 0_usize);
    for item in Parser::new_from_str_with_options(source, options) {
        let (event, span) = match item {
            Ok(item) => item,
            Err(e) if matches!(e.kind(), ScanErrorKind::RecursionLimitExceeded) => {
                return Err(too_deep(marker_pos(source, e.marker())));
            }
            Err(_) => return Ok(()),
        };
        if let Event::Scalar(value, ..) = &event
            && value.contains(BYTE_ORDER_MARK)
        {
            // Only an escape (`\uFEFF`) gets here: a raw one was refused.
            return Err(YamlError {
                message: "this value holds a byte-order mark (U+FEFF, written `\\uFEFF`), \
                          an invisible character; remove it"
                    .to_string(),
                help: None,
                pos: marker_pos(source, &span.start),
            });
        }
        let (tagged, opens) = match &event {
            Event::Scalar(_, _, _, tag) => (tag.is_some(), false),
            Event::SequenceStart(_, _, tag) | Event::MappingStart(_, _, tag) => {
                (tag.is_some(), true)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                (false, false)
            }
            Event::Alias(_) => {
                aliases = aliases.saturating_add(1);
                (false, false)
            }
            Event::DocumentStart(..) => {
                documents = documents.saturating_add(1);
                (false, false)
            }
            _ => (false, false),
        };
        if matches!(
            event,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
        ) {
            nodes = nodes.saturating_add(1);
        }
        let over = if nodes > MAX_YAML_NODES {
            Some(BudgetBreach::Nodes { nodes })
        } else if aliases > MAX_YAML_ALIASES {
            Some(BudgetBreach::Aliases { aliases })
        } else if documents > MAX_YAML_DOCUMENTS {
            Some(BudgetBreach::Documents { documents })
        } else {
            None
        };
        if let Some(breach) = over {
            return Err(YamlError {
                message: over_budget(&breach),
                help: None,
                pos: marker_pos(source, &span.start),
            });
        }
        if tagged {
            let pos = marker_pos(source, &span.tag_start.unwrap_or(span.start));
            let tag = pos
                .offset
                .and_then(|o| source.get(o..))
                .and_then(|rest| rest.split(char::is_whitespace).next())
                .unwrap_or("!");
            let message = format!(
                "YAML tags such as `{}` are not allowed: write the value itself",
                super::locate::clip(tag)
            );
            return Err(YamlError {
                message,
                help: None,
                pos,
            });
        }
        if opens {
            depth = depth.saturating_add(1);
            if depth > MAX_YAML_DEPTH {
                return Err(too_deep(marker_pos(source, &span.start)));
            }
        }
    }
    Ok(())
}

// The position of a parser marker (line 1-based, column 0-based there).
fn marker_pos(source: &str, marker: &Marker) -> Pos {
    match marker.byte_offset() {
        Some(offset) => super::locate::pos_at(source, offset),
        None => Pos {
            line: u64::try_from(marker.line()).unwrap_or(0),
            column: u64::try_from(marker.col().saturating_add(1)).unwrap_or(0),
            offset: None,
        },
    }
}

// Rewords the crate's messages for people editing YAML, not for Rust
// programmers, and adds a "did you mean" to unknown keys.
fn explain(e: &serde_saphyr::Error) -> (String, Option<String>) {
    use serde_saphyr::Error as E;
    let message = match e {
        E::DuplicateMappingKey { key, .. } => {
            let key = super::locate::clip(key.as_deref().unwrap_or("?"));
            format!("duplicate key `{key}`: each key may appear only once")
        }
        E::Budget { breach, .. } => over_budget(breach),
        E::MergeKeyNotAllowed { .. } => {
            "merge keys (`<<`) are not allowed: write each key out".to_string()
        }
        E::RecursiveReferencesRequireWeakTypes { .. } => {
            "an alias may not refer to the node that contains it".to_string()
        }
        E::NullIntoString { .. } => "a value is required here, not null or nothing".to_string(),
        _ => {
            let message = strip_location(&e.to_string());
            let help = unknown_field_hint(&message);
            return (super::locate::clip_message(&message), help);
        }
    };
    (message, None)
}

// A budget breach, named by the limit it broke.
fn over_budget(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Aliases { .. } => {
            format!("more than {MAX_YAML_ALIASES} aliases (`*name`) in one file")
        }
        BudgetBreach::Nodes { .. } => format!("more than {MAX_YAML_NODES} values in one file"),
        BudgetBreach::Depth { .. } => format!("nested deeper than {MAX_YAML_DEPTH} levels"),
        BudgetBreach::Documents { .. } => format!(
            "more than {MAX_YAML_DOCUMENTS} YAML document in one file: a `---` line starts another"
        ),
        other => format!("the file is too large for the YAML parser ({other:?})"),
    }
}

// serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected
        .split(['`', ',', ' '])
        .filter(|w| !w.is_empty() && !matches!(*w, "expected" | "one" | "of"))
        .collect();
    crate::model::suggest(name, known).map(|s| format!("did you mean `{s}`?"))
}

/// The position of a location reported by the YAML crate.
pub fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    Pos {
        line: loc.line(),
        column: loc.column(),
        offset: loc
            .span()
            .byte_offset()
            .and_then(|o| usize::try_from(o).ok()),
    }
}

/// The position of a spanned value.
pub fn pos<T>(spanned: &Spanned<T>) -> Pos {
    pos_of(&spanned.referenced)
}

// The crate appends " at line L column C" to messages; we print the location
// ourselves, in one consistent format.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// A YAML mapping read in document order, keeping every key's position.
/// (Duplicate keys never reach it: the parser rejects them.)
#[derive(Debug, Clone)]
pub struct Entries<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

// In a schema: an object whose values are `V`s (keys are strings).
impl<V: JsonSchema> JsonSchema for Entries<V> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Entries_of_{}", V::schema_name()).into()
    }
    fn schema_id() -> Cow<'static, str> {
        format!("Entries<{}>", V::schema_id()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}

struct EntriesVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
    type Value = Entries<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Entries(entries))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

// In a schema: what a fact value may be written as. Decimals are left out:
// the loader reads them only to reject them.
impl JsonSchema for Scalar {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A fact value: true/false, an integer, a string (an enum value, a text or a YYYY-MM-DD date), or null for \"stated unknown\".",
            "type": ["boolean", "integer", "string", "null"],
        })
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar: true/false, an integer, a string, a date, or null")
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        i64::try_from(v)
            .map(Scalar::Int)
            .map_err(|_| E::custom(format!("integer {v} is out of range")))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pre_scan_is_asked_for_where_a_tag_or_an_escape_could_be() {
        for text in [
            "!!str a",
            "a: !!binary aGk=",
            "- !custom x",
            "a: [x,!t y]",
            "{\"a\":!t b}",
            "a: \"\\uFEFF\"",
            "a: \"\\U0000FEFF\"",
        ] {
            assert!(may_need_prescan(text), "{text:?}");
        }
        for text in ["a: Stop! Go.", "a: \"quoted\\n\"", "a: b\nc: [d, e]", ""] {
            assert!(!may_need_prescan(text), "{text:?}");
        }
    }

    #[test]
    fn what_only_the_scan_refuses_is_refused_and_what_both_refuse_is_refused_alike() {
        let tag = parse::<serde_json::Value>("a: !!str b").unwrap_err();
        assert!(
            tag.message.contains("tags such as `!!str`"),
            "{}",
            tag.message
        );
        let deep = format!("a: {}x{}", "[".repeat(40), "]".repeat(40));
        let deep = parse::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(deep.message, "nested deeper than 32 levels");
        assert_eq!((deep.pos.line, deep.pos.column), (1, 36));
        let docs = parse::<serde_json::Value>("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(
            docs.message.starts_with("more than 1 YAML document"),
            "{}",
            docs.message
        );
        assert_eq!(docs.pos.line, 2);
    }
}
