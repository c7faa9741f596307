//! Query strings: percent-decoding, and the parameters of
//! `GET /api/explain` turned into the same fields a JSON body has.

use serde_json::{Map, Value};

use super::ApiError;

/// The parameters `GET /api/explain` takes.
const PARAMETERS: [&str; 5] = ["ruleset", "facts", "as_of", "case", "format"];

/// At most `max` characters of `text`, with "…" when cut: user input is
/// echoed in error messages only this far.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or_default()),
        None => text.to_string(),
    }
}

/// Decodes `%XX` escapes and `+` (a space) of one query component.
pub fn decode(text: &str) -> Result<String, ApiError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i = i.saturating_add(1);
            }
            b'%' => {
                let hex = |j: usize| bytes.get(j).and_then(|h| (*h as char).to_digit(16));
                match (hex(i.saturating_add(1)), hex(i.saturating_add(2))) {
                    (Some(hi), Some(lo)) => {
                        // Two hex digits make at most 255.
                        out.push(
                            u8::try_from(hi.saturating_mul(16).saturating_add(lo)).unwrap_or(b'?'),
                        );
                        i = i.saturating_add(3);
                    }
                    _ => {
                        return Err(ApiError::bad(format!(
                            "malformed percent-escape in the query near `{}`",
                            shorten(text.get(i..).unwrap_or_default(), 20)
                        )));
                    }
                }
            }
            _ => {
                out.push(b);
                i = i.saturating_add(1);
            }
        }
    }
    String::from_utf8(out).map_err(|_| ApiError::bad("the query is not valid UTF-8 once decoded"))
}

/// The explain route's query as the fields of a JSON body: `facts` is
/// parsed as JSON, the others are strings. Unknown or repeated parameters
/// are refused.
pub fn fields(query: &str) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = decode(key)?;
        let value = decode(value)?;
        if !PARAMETERS.contains(&key.as_str()) {
            return Err(ApiError::bad(format!(
                "unknown query parameter `{}`; expected {}",
                shorten(&key, 60),
                PARAMETERS.join(", ")
            )));
        }
        let value = if key == "facts" {
            super::json::parse_facts(value.as_bytes()).map_err(|e| {
                ApiError::bad(super::json::message(
                    &e,
                    "JSON in the query parameter `facts`",
                ))
            })?
        } else {
            Value::String(value)
        };
        if out.insert(key.clone(), value).is_some() {
            return Err(ApiError::bad(format!(
                "the query parameter `{key}` is given twice"
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status<T>(r: Result<T, ApiError>) -> Option<u16> {
        r.err().map(|e| e.status)
    }

    #[test]
    fn decodes_escapes_and_plus() {
        assert_eq!(decode("a%20b+c%7B%22"), Ok("a b c{\"".to_string()));
        assert_eq!(decode("%E2%80%94"), Ok("—".to_string()));
    }

    #[test]
    fn refuses_broken_escapes_and_bad_utf8() {
        assert_eq!(status(decode("%")), Some(400));
        assert_eq!(status(decode("%zz")), Some(400));
        assert_eq!(status(decode("%ff")), Some(400));
    }

    #[test]
    fn shortens_on_character_boundaries() {
        assert_eq!(shorten("ééééé", 2), "éé…");
        assert_eq!(shorten("ab", 2), "ab");
    }

    #[test]
    fn fields_parse_facts_as_json() {
        let f = fields("ruleset=x&facts=%7B%22a%22%3Atrue%7D");
        assert_eq!(
            f.ok().and_then(|f| f.get("facts").cloned()),
            Some(serde_json::json!({"a": true}))
        );
        assert_eq!(status(fields("facts=%7B")), Some(400));
        assert_eq!(status(fields("nope=1")), Some(400));
        assert_eq!(status(fields("case=a&case=b")), Some(400));
    }
}
