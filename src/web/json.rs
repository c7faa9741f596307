//! Request JSON read as `batch` reads its records: a key given twice, at
//! any level, is refused in `batch`'s words, where serde_json's own `Value`
//! would silently keep the last one (so `{"facts": {"x": true, "x": false}}`
//! would be answered as if `x` were false).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::{Map, Number, Value};

/// Parses a request body; a duplicate key anywhere is an error.
pub fn parse(text: &[u8]) -> Result<Value, serde_json::Error> {
    parse_at(text, Level::Top)
}

/// Parses the facts object of a query (`?facts={…}`), whose keys are fact
/// names; a duplicate key anywhere is an error.
pub fn parse_facts(text: &[u8]) -> Result<Value, serde_json::Error> {
    parse_at(text, Level::Facts)
}

fn parse_at(text: &[u8], level: Level) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let value = level.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// A parse error as a request's message: a duplicate key in `batch`'s words
/// and with its column (its line too, for a body of several lines), any
/// other error prefixed with `malformed` (`what`: "JSON", "JSON in the
/// query parameter `facts`").
pub fn message(e: &serde_json::Error, what: &str) -> String {
    if e.classify() != Category::Data {
        return format!("malformed {what}: {e}");
    }
    let text = e.to_string();
    let words = text
        .rfind(" at line ")
        .and_then(|at| text.get(..at))
        .unwrap_or(&text);
    match e.line() {
        0 | 1 => format!("{words} (column {})", e.column().max(1)),
        line => format!("{words} (line {line}, column {})", e.column().max(1)),
    }
}

/// Where a mapping sits: the body itself, its `facts`, or deeper. Batch
/// names a repeated fact as a fact, and refuses a repeated field as soon as
/// its name is read but a repeated fact once its value is (so the columns
/// agree too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Facts,
    Other,
}

impl<'de> DeserializeSeed<'de> for Level {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Level::Other)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let repeated = out.contains_key(&key);
            if repeated && self != Level::Facts {
                return Err(de::Error::custom(format!("`{key}` is given twice")));
            }
            let inner = if self == Level::Top && key == "facts" {
                Level::Facts
            } else {
                Level::Other
            };
            let value = map.next_value_seed(inner)?;
            if repeated {
                return Err(de::Error::custom(format!("fact `{key}` is given twice")));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> String {
        parse(text.as_bytes())
            .map(|v| v.to_string())
            .unwrap_or_else(|e| message(&e, "JSON"))
    }

    #[test]
    fn duplicates_are_refused_at_every_level() {
        assert_eq!(
            refusal(r#"{"a": 1, "a": 2}"#),
            "`a` is given twice (column 12)"
        );
        assert_eq!(
            refusal(r#"{"facts": {"x": 1, "x": 2}}"#),
            "fact `x` is given twice (column 26)"
        );
        assert_eq!(
            refusal("[{\"b\": {\n\"c\": 1, \"c\": 2}}]"),
            "`c` is given twice (line 2, column 11)"
        );
        assert!(refusal("{").starts_with("malformed JSON: "));
    }

    #[test]
    fn values_are_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "facts": {"c": 18446744073709551615}}"#;
        let ours = parse(text.as_bytes()).ok();
        let theirs: Option<Value> = serde_json::from_str(text).ok();
        assert_eq!(ours, theirs);
    }
}
