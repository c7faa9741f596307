//! The what-if page as a static site (feature `precompiled`): no server,
//! the engine compiled to WebAssembly and run by the browser.
//!
//! `authorship site` (the command line) loads and checks the rules and the
//! cases as it does for every command, then writes them as one [`bundle`]:
//! the library precompiled (the form the built-in rules are stored in, so
//! the browser decodes it instead of parsing YAML) and, of each case, what
//! the page shows and evaluates. The WebAssembly engine (`wasm/`) reads the
//! bundle back into an [`App`] with [`app`] and answers the page's requests
//! through [`App::handle`], the very function `authorship serve` answers
//! them with: the page, the site and the server cannot disagree.
//!
//! The bundle is written by one build and read by another, so it carries
//! [`FORMAT`], a digest of the source of the stored types: a site whose
//! engine and rules come from different builds says so instead of
//! misreading them.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::App;
use super::api;
use crate::load::precompiled;
use crate::model::{Case, Library, RulesOrigin};
use crate::syntax::Date;

/// The first bytes of a bundle.
const MAGIC: &[u8; 8] = b"authsite";

/// A digest of the source of every type a bundle stores (set by the build
/// script): a bundle is read only by an engine of the same [`FORMAT`].
pub const FORMAT: &str = env!("AUTHORSHIP_FORMAT");

/// The Content-Security-Policy of the site's page, as a `<meta>` tag: its
/// own scripts, WebAssembly compiled from bytes, and no connection to
/// anywhere (the engine runs in the page; it fetches nothing).
pub const SITE_POLICY: &str = "default-src 'none'; script-src 'self' 'unsafe-inline' \
     'wasm-unsafe-eval'; style-src 'unsafe-inline'; connect-src 'none'; img-src 'self' data:; \
     base-uri 'none'; form-action 'none'";

/// The script the site's page loads before its own: the engine and the
/// bundle, written by `authorship site`.
pub const ENGINE_SCRIPT: &str = "engine.js";

/// Why a bundle could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    /// Not a bundle at all.
    #[error("this is not a rules bundle written by `authorship site`")]
    NotABundle,
    /// Written by a build whose stored types differ from this engine's.
    #[error(
        "the rules bundle was written by a build of format {bundle} and the engine is of format \
         {engine}: build the site again with one version of authorship"
    )]
    OtherFormat {
        /// The bundle's format.
        bundle: String,
        /// This engine's [`FORMAT`].
        engine: String,
    },
    /// A bundle whose parts do not read back.
    #[error("the rules bundle is damaged: {0}")]
    Damaged(String),
}

/// The bundle of `library` and `cases`, which [`app`] reads back.
pub fn bundle(library: &Library, cases: &[Case]) -> std::io::Result<Vec<u8>> {
    let rules = precompiled::encode(library)?;
    let rest = json!({
        "origin": origin_json(&library.origin),
        "cases": cases.iter().map(case_json).collect::<Vec<_>>(),
    });
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(FORMAT.as_bytes());
    let len = u32::try_from(rules.len()).map_err(std::io::Error::other)?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&rules);
    out.extend_from_slice(rest.to_string().as_bytes());
    Ok(out)
}

/// The application a [`bundle`] holds: its rules and cases, checked again
/// as the page's requests would be (every case fact against the rules'
/// vocabulary).
pub fn app(bytes: &[u8]) -> Result<App, BundleError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(BundleError::NotABundle)?;
    let (format, rest) = rest
        .split_at_checked(FORMAT.len())
        .ok_or(BundleError::NotABundle)?;
    if format != FORMAT.as_bytes() {
        return Err(BundleError::OtherFormat {
            bundle: String::from_utf8_lossy(format).into_owned(),
            engine: FORMAT.to_string(),
        });
    }
    let damaged = |what: &str| BundleError::Damaged(what.to_string());
    let (len, rest) = rest
        .split_first_chunk::<4>()
        .ok_or_else(|| damaged("no rules"))?;
    let len = usize::try_from(u32::from_le_bytes(*len)).map_err(|_| damaged("too long"))?;
    let (rules, rest) = rest
        .split_at_checked(len)
        .ok_or_else(|| damaged("rules cut short"))?;
    let rest: Value = serde_json::from_slice(rest).map_err(|e| damaged(&e.to_string()))?;
    let origin = origin_from(at(&rest, "origin")).ok_or_else(|| damaged("no origin"))?;
    let library = precompiled::decode(rules, origin).map_err(|e| damaged(&e.to_string()))?;
    let cases = match at(&rest, "cases") {
        Value::Array(list) => list
            .iter()
            .map(|c| case_from(&library, c))
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err(damaged("no cases")),
    };
    Ok(App::new(library, cases))
}

/// The site's page: the server's page, with the engine's script loaded
/// first (it answers the page's requests; see `api()` in `page.html`) and
/// the policy that forbids every connection, since none is needed.
pub fn page() -> String {
    let head = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{SITE_POLICY}\">\n\
         <script src=\"{ENGINE_SCRIPT}\"></script>\n"
    );
    // The page's first `<script>` is its own; the engine's goes before it.
    match super::PAGE
        .find("<script>")
        .and_then(|at| super::PAGE.split_at_checked(at))
    {
        Some((before, after)) => format!("{before}{head}{after}"),
        None => format!("{head}{}", super::PAGE),
    }
}

/// The site's `engine.js`: the WebAssembly module `wasm` and the
/// [`bundle`] as base64, and the few lines that run them for the page.
pub fn engine_script(wasm: &[u8], bundle: &[u8]) -> String {
    include_str!("engine.js")
        .replacen("@WASM@", &base64(wasm), 1)
        .replacen("@BUNDLE@", &base64(bundle), 1)
}

/// Standard base64 with padding (RFC 4648 §4), which the browser's `atob`
/// reads.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|i| u32::from(chunk.get(i).copied().unwrap_or(0)));
        let n = a << 16 | b << 8 | c;
        // Three bytes make four characters; one or two make two or three,
        // padded with `=` to four.
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            let sextet = usize::try_from((n >> shift) & 63).unwrap_or(0);
            match ALPHABET.get(sextet) {
                Some(&letter) if i <= chunk.len() => out.push(char::from(letter)),
                _ => out.push('='),
            }
        }
    }
    out
}

fn origin_json(origin: &RulesOrigin) -> Value {
    match origin {
        RulesOrigin::Embedded { version, digest } => {
            json!({"embedded": {"version": version, "digest": digest}})
        }
        RulesOrigin::Directory { path } => json!({"directory": path.to_string_lossy()}),
        RulesOrigin::Memory => json!("memory"),
    }
}

fn origin_from(value: &Value) -> Option<RulesOrigin> {
    if value == "memory" {
        return Some(RulesOrigin::Memory);
    }
    if let Some(path) = at(value, "directory").as_str() {
        return Some(RulesOrigin::Directory { path: path.into() });
    }
    let embedded = at(value, "embedded");
    Some(RulesOrigin::Embedded {
        version: at(embedded, "version").as_str()?.to_string(),
        digest: at(embedded, "digest").as_str()?.to_string(),
    })
}

/// `value[key]`, or null: what `Index` does, without the lint's worry.
fn at<'v>(value: &'v Value, key: &str) -> &'v Value {
    value.get(key).unwrap_or(&Value::Null)
}

/// What the page shows of a case and evaluates with it: every field
/// `/api/cases` and a request naming the case read, as written.
fn case_json(case: &Case) -> Value {
    json!({
        "path": case.path.to_string_lossy(),
        "title": case.title,
        "summary": case.summary,
        "citation": case.citation,
        "as_of": case.as_of.map(|d| d.to_string()),
        "facts": api::facts_json(&case.facts),
        "unknown": case.stated_unknown,
    })
}

fn case_from(library: &Library, value: &Value) -> Result<Case, BundleError> {
    let damaged = |what: &str| BundleError::Damaged(format!("a case: {what}"));
    let text = |key: &str| at(value, key).as_str().map(str::to_string);
    let facts = match at(value, "facts") {
        Value::Object(map) => api::facts(library, map),
        _ => api::facts(library, &Map::new()),
    }
    .map_err(|e| damaged(&e.message))?;
    let as_of = match text("as_of") {
        Some(d) => Some(Date::parse(&d).ok_or_else(|| damaged("as_of"))?),
        None => None,
    };
    let stated_unknown = at(value, "unknown")
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(Case {
        path: PathBuf::from(text("path").ok_or_else(|| damaged("path"))?),
        title: text("title").unwrap_or_default(),
        summary: text("summary").unwrap_or_default(),
        citation: text("citation"),
        as_of,
        facts,
        stated_unknown,
        ..Case::default()
    })
}

#[cfg(all(test, feature = "embedded"))]
mod tests {
    use super::*;
    use crate::load::embedded;

    fn shipped() -> (Library, Vec<Case>) {
        let library = embedded::library().unwrap();
        let cases = embedded::cases(&library).unwrap();
        (library, cases)
    }

    /// A bundle answers every request as the app it was written from.
    #[test]
    fn a_bundle_reads_back_as_the_same_app() {
        let (library, cases) = shipped();
        let direct = App::new(library.clone(), cases.clone());
        let read = app(&bundle(&library, &cases).unwrap()).unwrap();
        for url in ["/api/cases", "/api/vocabulary"] {
            assert_eq!(
                direct.handle("GET", url, b""),
                read.handle("GET", url, b""),
                "{url}"
            );
        }
        for case in ["li-v-liu", "feist-white-pages"] {
            let body = format!(r#"{{"case":"{case}","facts":{{"post_edited_by_human":true}}}}"#);
            let (a, b) = (
                direct.handle("POST", "/api/evaluate", body.as_bytes()),
                read.handle("POST", "/api/evaluate", body.as_bytes()),
            );
            assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
            assert_eq!(a, b, "{case}");
        }
    }

    #[test]
    fn base64_is_rfc_4648s() {
        // RFC 4648 §10's test vectors.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn a_bundle_of_another_format_or_damaged_is_refused() {
        let (library, cases) = shipped();
        let good = bundle(&library, &cases[..1]).unwrap();
        assert_eq!(app(b"not a bundle").unwrap_err(), BundleError::NotABundle);
        let mut other = good.clone();
        other[MAGIC.len()] ^= 1;
        assert!(matches!(app(&other), Err(BundleError::OtherFormat { .. })));
        let cut = &good[..good.len() / 2];
        assert!(matches!(app(cut), Err(BundleError::Damaged(_))));
    }

    #[test]
    fn the_site_page_loads_the_engine_before_its_own_script_and_forbids_connections() {
        let page = page();
        let engine = page.find("engine.js").unwrap();
        let own = page.find("<script>").unwrap();
        assert!(engine < own);
        assert!(page.contains("connect-src 'none'"));
    }
}
