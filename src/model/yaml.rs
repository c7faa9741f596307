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
use serde_saphyr::{DuplicateKeyPolicy, Spanned};

/// Largest YAML file accepted, in bytes; checked before parsing.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Deepest YAML nesting accepted.
pub const MAX_YAML_DEPTH: usize = 32;
/// Most YAML nodes accepted in one file.
pub const MAX_YAML_NODES: usize = 100_000;
/// Most aliases accepted in one file (alias bombs are rejected).
pub const MAX_YAML_ALIASES: usize = 100;

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

/// Parses one YAML document into `T` with the project's strict options.
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
    let options = serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: DuplicateKeyPolicy::Error,
        reject_unsupported_tags: true,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_YAML_DEPTH,
            max_nodes: MAX_YAML_NODES,
            max_aliases: MAX_YAML_ALIASES,
            max_documents: 1,
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

// Rewords the crate's messages for people editing YAML, not for Rust
// programmers, and adds a "did you mean" to unknown keys.
fn explain(e: &serde_saphyr::Error) -> (String, Option<String>) {
    if let serde_saphyr::Error::DuplicateMappingKey { key, .. } = e {
        let key = key.as_deref().unwrap_or("?");
        let message = format!("duplicate key `{key}`: each key may appear only once");
        return (message, None);
    }
    let message = strip_location(&e.to_string());
    let help = unknown_field_hint(&message);
    (message, help)
}

// serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`").
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (name, expected) = rest.split_once('`')?;
    let known: Vec<&str> = expected
        .split(['`', ',', ' '])
        .filter(|w| !w.is_empty() && !matches!(*w, "expected" | "one" | "of"))
        .collect();
    super::locate::suggest(name, known).map(|s| format!("did you mean `{s}`?"))
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

/// A scalar fact value as written, before it is checked against the
/// vocabulary's type. `Null` means "stated unknown".
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `null` or `~`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A decimal number (never a valid fact value; kept so the error can be
    /// reported with the others instead of stopping the parse).
    Float(f64),
    /// Any string (dates and enum values arrive as strings).
    Str(String),
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
