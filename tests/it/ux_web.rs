//! The what-if page's API for people (issue 16): the structured "why?"
//! explanation the page's panel is built from, and the OpenAPI 3.1
//! description served at `/api/openapi.json`, checked against the server's
//! real answers and routes.

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{Value, json};

use crate::common::server::Server;

/// One request over plain HTTP: the status and the body.
fn call(addr: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
    let body = body.map(Value::to_string).unwrap_or_default();
    let raw = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(raw.as_bytes()).expect("send");
    let mut text = String::new();
    stream.read_to_string(&mut text).expect("read");
    let (head, body) = text.split_once("\r\n\r\n").expect("a response");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_string())
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// Li v. Liu's facts as `/api/cases` gives them.
fn li_v_liu(addr: &str) -> Value {
    let (_, body) = call(addr, "GET", "/api/cases", None);
    json_of(&body)
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["id"] == "li-v-liu")
        .expect("li-v-liu")["facts"]
        .clone()
}

/// The schema the document gives for `method path` answering `status`.
fn response_schema(doc: &Value, path: &str, method: &str, status: u16) -> Value {
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "{method} {path} is not described");
    let response = &operation["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "{method} {path}: status {status} is not described"
    );
    response["content"]["application/json"]["schema"].clone()
}

/// A JSON Schema 2020-12 validator for `schema`, whose `$ref`s point into
/// the document's components.
fn validator(doc: &Value, schema: Value) -> jsonschema::Validator {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    jsonschema::validator_for(&root).expect("the document's schemas compile")
}

/// Checks a real answer against the document.
fn conforms(doc: &Value, path: &str, method: &str, status: u16, body: &Value) {
    let v = validator(doc, response_schema(doc, path, method, status));
    let errors: Vec<String> = v
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} → {status} does not match the OpenAPI document:\n{}",
        errors.join("\n")
    );
}

#[test]
fn openapi_describes_every_route_and_the_real_answers_match_it() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    let (status, body) = call(addr, "GET", "/api/openapi.json", None);
    assert_eq!(status, 200, "{body}");
    let doc = json_of(&body);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "OpenAPI 3.1: {}",
        doc["openapi"]
    );

    // Every route the server answers is described, with every method.
    for (path, allow) in authorship::web::ROUTES {
        for method in allow.split(", ") {
            let m = method.to_ascii_lowercase();
            assert!(
                doc["paths"][path][m.as_str()].is_object(),
                "{method} {path} is answered but not described"
            );
        }
    }
    // And nothing is described that the server does not answer.
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in item.as_object().expect("a path item").keys() {
            let body = (method == "post").then(|| json!({"facts": {}, "ruleset": "uk-cdpa"}));
            let (status, text) = call(addr, &method.to_ascii_uppercase(), path, body.as_ref());
            assert!(
                status != 404 && status != 405,
                "{method} {path} is described but answered {status}: {text}"
            );
        }
    }

    // Real answers of every endpoint match their schemas.
    let facts = li_v_liu(addr);
    let (_, cases) = call(addr, "GET", "/api/cases", None);
    conforms(&doc, "/api/cases", "get", 200, &json_of(&cases));
    let (_, vocab) = call(addr, "GET", "/api/vocabulary", None);
    conforms(&doc, "/api/vocabulary", "get", 200, &json_of(&vocab));
    let mut evaluation = Value::Null;
    for body in [
        json!({"facts": facts, "case": "li-v-liu"}),
        json!({"facts": {}}),
        json!({"facts": {"post_edited_by_human": true}, "as_of": "2024-01-01"}),
    ] {
        let (status, text) = call(addr, "POST", "/api/evaluate", Some(&body));
        assert_eq!(status, 200, "{text}");
        evaluation = json_of(&text);
        conforms(&doc, "/api/evaluate", "post", 200, &evaluation);
    }
    for ruleset in ["us-copyright-office", "beijing-internet-court", "uk-cdpa"] {
        let body =
            json!({"facts": facts, "case": "li-v-liu", "ruleset": ruleset, "format": "json"});
        let (status, text) = call(addr, "POST", "/api/explain", Some(&body));
        assert_eq!(status, 200, "{text}");
        conforms(&doc, "/api/explain", "post", 200, &json_of(&text));
    }
    let (status, text) = call(
        addr,
        "GET",
        "/api/explain?ruleset=us-copyright-office&facts=%7B%22fixed%22%3Atrue%7D",
        None,
    );
    assert_eq!(status, 200, "{text}");
    conforms(&doc, "/api/explain", "get", 200, &json_of(&text));
    let (_, openapi) = call(addr, "GET", "/api/openapi.json", None);
    conforms(&doc, "/api/openapi.json", "get", 200, &json_of(&openapi));

    // Refusals match the documented error body, status by status.
    let refusals = [
        ("POST", "/api/evaluate", Some(json!({"nope": 1})), 400),
        (
            "POST",
            "/api/evaluate",
            Some(json!({"facts": {"fixd": true}})),
            422,
        ),
        ("GET", "/api/evaluate", None, 405),
        ("GET", "/api/explain", None, 400),
        ("GET", "/api/explain?ruleset=nope", None, 422),
        ("POST", "/api/explain", Some(json!({"ruleset": 3})), 422),
        ("POST", "/api/cases", Some(json!({})), 405),
    ];
    for (method, path, body, expected) in refusals {
        let (status, text) = call(addr, method, path, body.as_ref());
        assert_eq!(status, expected, "{method} {path}: {text}");
        let bare = path.split('?').next().unwrap_or(path);
        // A 405 is described under the route's own method.
        let described = if status == 405 {
            doc["paths"][bare]
                .as_object()
                .and_then(|m| m.keys().next().cloned())
                .unwrap_or_default()
        } else {
            method.to_ascii_lowercase()
        };
        conforms(&doc, bare, &described, status, &json_of(&text));
    }
    let (status, text) = call(addr, "GET", "/api/nope", None);
    assert_eq!(status, 404);
    let not_found = validator(
        &doc,
        doc["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"].clone(),
    );
    assert!(not_found.is_valid(&json_of(&text)), "{text}");

    // The check can fail: an answer with a field the document does not
    // have, or without one it requires, is refused.
    let mut drifted = evaluation.clone();
    drifted["surprise"] = json!(1);
    let v = validator(&doc, response_schema(&doc, "/api/evaluate", "post", 200));
    assert!(!v.is_valid(&drifted), "an undocumented field passes");
    let mut missing = evaluation;
    missing
        .as_object_mut()
        .expect("object")
        .remove("jurisdictions");
    assert!(!v.is_valid(&missing), "a missing field passes");
}

#[test]
fn explain_answers_a_structured_why_with_rules_facts_quotes_and_sources() {
    let server = Server::start(&[]);
    let addr = server.addr.as_str();
    let facts = li_v_liu(addr);
    let body = json!({"facts": facts, "case": "li-v-liu", "ruleset": "us-copyright-office"});
    let (status, text) = call(addr, "POST", "/api/explain", Some(&body));
    assert_eq!(status, 200, "{text}");
    let why = &json_of(&text)["why"];
    assert_eq!(why["verdict"], "not_protected");
    // What the part of the work the AI generated came to, and by which rule.
    assert!(
        why["elements"]
            .as_array()
            .is_some_and(|e| e.contains(&json!({
                "element": "generated_output",
                "status": "not_protected",
                "rules": ["usco-ai-material-not-protected"],
            }))),
        "{}",
        why["elements"]
    );
    let deciding = why["deciding"].as_array().expect("deciding rules");
    let rule = deciding
        .iter()
        .find(|r| r["rule"] == "usco-ai-material-not-protected")
        .expect("the AI-material rule decides Li v. Liu in the US");
    assert_eq!(rule["decides"], true);
    // The fact it read, in words: yes, not true.
    assert_eq!(
        rule["facts"],
        json!([{
            "fact": "ai_generated_material_in_work",
            "question": "Does the work contain material that a generative AI system generated?",
            "value": true,
            "words": "yes",
        }])
    );
    // The source's words, apart from the encoder's interpretation.
    let quote = rule["quote"].as_str().expect("a quotation");
    assert!(
        quote.starts_with("When an AI technology determines"),
        "{quote}"
    );
    let reading = rule["interpretation"]["text"].as_str().expect("a reading");
    assert!(
        !reading.contains(quote),
        "quote and interpretation run together"
    );
    assert_eq!(rule["interpretation"]["reading"], "applied");
    // Where to read the source, and the works its prose cites.
    assert!(
        rule["source"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://")),
        "{}",
        rule["source"]
    );
    assert!(
        rule["works"]
            .as_array()
            .expect("works")
            .iter()
            .any(|w| w["key"] == "GOD" && w["url"].is_string()),
        "{}",
        rule["works"]
    );
    // And every confidence tag its prose uses ("[P via GOD]"), with its
    // meaning: no mark on the page is left unexplained.
    let tags = rule["tags"].as_array().expect("tags");
    assert!(
        tags.iter().any(|t| t["tag"] == "P"
            && t["meaning"]
                .as_str()
                .is_some_and(|m| m.starts_with("Wording of the primary text"))),
        "{tags:?}"
    );
    // A rule still open names the facts it waits on.
    let open = why["open"].as_array().expect("open rules");
    assert!(
        open.iter().any(|r| r["rule"] == "usco-must-disclaim"
            && r["depends_on"]
                .as_array()
                .is_some_and(|d| d.contains(&json!("registration_sought")))),
        "{open:?}"
    );
}
