//! The interactive what-if page and its JSON API, as a pure function from a
//! request (method, URL, body) to a [`Response`].
//!
//! **Boundary.** This module opens no socket, starts no thread, prints
//! nothing and reads neither files nor the clock: `authorship serve`
//! (`src/cli/serve.rs`, in the binary) owns the socket and passes every request
//! through [`App::handle`]. Everything here is answered from the loaded
//! [`Library`] and cases, so it can be tested without a network.
//!
//! **One evaluator.** The page holds no legal logic. Every fact a request
//! sends is validated by [`crate::model::set_fact`] (the same check, with
//! the same "did you mean", as `--set` on the command line) and every
//! outcome comes from [`crate::compare::compare`] and the render stage's
//! summaries, so the page and the command line cannot disagree.
//!
//! **Hostile input.** Any request, however malformed, gets a response: a
//! 4xx with a JSON body `{"error": "…"}` saying what was wrong, never a
//! panic. Bodies are capped at [`MAX_BODY`] bytes. A key given twice, at any
//! level of a body or of the `facts` query parameter, is a 400 in `batch`'s
//! words (`fact `x` is given twice (column 31)`), never the last one winning.
//!
//! Routes:
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the page: HTML, CSS and script inline, no external assets |
//! | `GET /api/cases` | the shipped cases: id (file stem), title, summary, facts |
//! | `GET /api/vocabulary` | facts (type, values, question, which rulesets read them, `arises` for a fact that may not arise), jurisdictions, rulesets |
//! | `POST /api/evaluate` | `{"facts": {…}, "as_of"?, "case"?}` → every jurisdiction's and ruleset's outcome, and `not_arising`: the facts that do not arise on the facts sent (not open; read at their defined values; a value sent for one is set aside) |
//! | `POST /api/explain` | the same plus `"ruleset"` → that ruleset's full explanation: its text, and `why`, the deciding and open rules with the facts each read, quotation, interpretation and sources |
//! | `GET /api/explain?ruleset=ID&facts=JSON[&as_of=D][&case=ID]` | the same, from the query |
//! | `GET /api/openapi.json` | the OpenAPI 3.1 description of this API |
//!
//! Output explains encoded sources; it is not legal advice.

mod api;
mod json;
mod query;
#[cfg(feature = "precompiled")]
pub mod site;
mod why;

use crate::model::{Case, Library};

/// Facts written as a JSON object (`{"fact": value, …}`; `null` is
/// unknown), checked against `library`'s vocabulary as the page's requests
/// and `--set` are: the message names the fact and what is wrong, with a
/// "did you mean" for a misspelt name. For embedders that speak JSON (the
/// Python package).
pub fn facts_from_json(
    library: &Library,
    facts: &serde_json::Map<String, serde_json::Value>,
) -> Result<crate::model::Facts, String> {
    api::facts(library, facts).map_err(|e| e.message)
}

/// `GET /api/cases`'s answer for `cases`, for embedders that list cases
/// as the page does (the Python package).
pub use api::cases_json;

/// The largest request body accepted, in bytes; a larger one gets 413.
pub const MAX_BODY: usize = 64 * 1024;

/// The page, a single self-contained HTML document.
pub const PAGE: &str = include_str!("page.html");

/// The OpenAPI 3.1 description of the JSON API (`GET /api/openapi.json`),
/// kept by hand next to the code and checked against real answers by the
/// tests.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The Content-Security-Policy sent with every response: the page may run
/// its own inline script and style and talk to its own origin, nothing else.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; \
     style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const JSON: &str = "application/json; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// An HTTP response, ready to be written by whatever owns the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// For 405: the methods the route allows (the `Allow` header).
    pub allow: Option<&'static str>,
}

impl Response {
    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        // Serializing a `Value` cannot fail (its keys are strings); the
        // fallback keeps this panic-free regardless.
        let mut body = serde_json::to_vec_pretty(value)
            .unwrap_or_else(|_| br#"{"error": "internal error: cannot serialize"}"#.to_vec());
        body.push(b'\n');
        Response {
            status,
            content_type: JSON,
            body,
            allow: None,
        }
    }

    /// A 200 with a body fixed at build time (the page, the API's
    /// description).
    fn fixed(content_type: &'static str, body: &str) -> Response {
        Response {
            status: 200,
            content_type,
            body: body.as_bytes().to_vec(),
            allow: None,
        }
    }

    /// An error: `status` with the JSON body `{"error": message}`.
    pub fn error(status: u16, message: impl Into<String>) -> Response {
        Response::json(
            status,
            &serde_json::json!({ "error": message.into(), "status": status }),
        )
    }

    /// Every header to send, `Content-Type` first; the same security
    /// headers on every response.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("Content-Type", self.content_type.to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
            ("Referrer-Policy", "no-referrer".to_string()),
            (
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.to_string(),
            ),
        ];
        if let Some(allow) = self.allow {
            out.push(("Allow", allow.to_string()));
        }
        out
    }
}

/// A request the API refuses: its status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ApiError {
    status: u16,
    message: String,
}

impl ApiError {
    /// 400: the request is not well formed (not JSON, not an object…).
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }

    /// 422: well formed, but names an unknown fact or a value of the wrong
    /// type.
    fn invalid(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 422,
            message: message.into(),
        }
    }
}

/// Every path the server answers, with the methods it allows there (as
/// the `Allow` header lists them; `HEAD` is `GET` without the body). The
/// OpenAPI document describes each one (a test checks it).
pub const ROUTES: [(&str, &str); 7] = [
    ("/", "GET, HEAD"),
    ("/index.html", "GET, HEAD"),
    ("/api/cases", "GET, HEAD"),
    ("/api/vocabulary", "GET, HEAD"),
    ("/api/evaluate", "POST"),
    ("/api/explain", "GET, HEAD, POST"),
    ("/api/openapi.json", "GET, HEAD"),
];

/// The routes, and the methods each allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Page,
    Cases,
    Vocabulary,
    Evaluate,
    Explain,
    OpenApi,
}

impl Route {
    fn find(path: &str) -> Option<Route> {
        match path {
            "/" | "/index.html" => Some(Route::Page),
            "/api/cases" => Some(Route::Cases),
            "/api/vocabulary" => Some(Route::Vocabulary),
            "/api/evaluate" => Some(Route::Evaluate),
            "/api/explain" => Some(Route::Explain),
            "/api/openapi.json" => Some(Route::OpenApi),
            _ => None,
        }
    }

    fn allow(self) -> &'static str {
        match self {
            Route::Page | Route::Cases | Route::Vocabulary | Route::OpenApi => "GET, HEAD",
            Route::Evaluate => "POST",
            Route::Explain => "GET, HEAD, POST",
        }
    }
}

/// The application: the loaded rulesets and the shipped cases.
#[derive(Debug, Clone)]
pub struct App {
    /// The rulesets, vocabulary and jurisdictions.
    pub library: Library,
    /// The cases the page offers (their id is the file stem).
    pub cases: Vec<Case>,
}

impl App {
    /// An application serving these rulesets and cases.
    pub fn new(library: Library, cases: Vec<Case>) -> App {
        App { library, cases }
    }

    /// Answers one request. `url` is the request target as sent (path and
    /// optional query). Never panics; every refusal is a 4xx with a JSON
    /// `{"error": …}` body.
    pub fn handle(&self, method: &str, url: &str, body: &[u8]) -> Response {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let Some(route) = Route::find(path) else {
            return Response::error(
                404,
                format!(
                    "no such page: `{}`; the API is GET /api/cases, GET /api/vocabulary, \
                     POST /api/evaluate and GET or POST /api/explain, described by \
                     GET /api/openapi.json",
                    query::shorten(path, 200)
                ),
            );
        };
        let method = if method == "HEAD" { "GET" } else { method };
        if !route.allow().split(", ").any(|m| m == method) {
            let mut response = Response::error(
                405,
                format!(
                    "method {} is not allowed on {path}; use {}",
                    query::shorten(method, 20),
                    route.allow()
                ),
            );
            response.allow = Some(route.allow());
            return response;
        }
        if body.len() > MAX_BODY {
            return Response::error(
                413,
                format!(
                    "the request body is larger than {MAX_BODY} bytes ({} KiB)",
                    MAX_BODY / 1024
                ),
            );
        }
        let result = match (route, method) {
            (Route::Page, _) => return Response::fixed(HTML, PAGE),
            (Route::OpenApi, _) => return Response::fixed(JSON, OPENAPI),
            (Route::Cases, _) => Ok(api::cases_json(&self.cases)),
            (Route::Vocabulary, _) => Ok(api::vocabulary_json(&self.library)),
            (Route::Evaluate, _) => api::parse_body(body, &["facts", "as_of", "case"])
                .and_then(|fields| api::Request::from_fields(self, &fields))
                .map(|request| api::evaluate_json(self, &request)),
            (Route::Explain, "POST") => {
                api::parse_body(body, &["facts", "as_of", "case", "ruleset", "format"])
                    .and_then(|fields| api::explain(self, &fields))
            }
            (Route::Explain, _) => {
                query::fields(query).and_then(|fields| api::explain(self, &fields))
            }
        };
        match result {
            Ok(value) => Response::json(200, &value),
            Err(e) => Response::error(e.status, e.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public table of routes is the one `handle` routes by.
    #[test]
    fn the_route_table_is_the_router() {
        for (path, allow) in ROUTES {
            assert_eq!(Route::find(path).map(Route::allow), Some(allow), "{path}");
        }
        assert_eq!(Route::find("/api/nope"), None);
    }
}
