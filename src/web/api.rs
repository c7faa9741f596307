//! The JSON API: reading a request's fields (facts validated by the model's
//! own `set_fact`), and building the answers from the compare and render
//! stages. No legal logic lives here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::query::shorten;
use super::{ApiError, App};
use crate::compare::{self, AsOfSource, Column, Comparison, JurisdictionOutcome, Options};
use crate::eval::{Evaluation, Verdict};
use crate::model::{
    Case, FactType, FactValue, Facts, Library, Ruleset, ScalarRef, ValueError, suggest,
};
use crate::render;
use crate::render::DISCLAIMER;
use crate::syntax::Date;

/// The shape of `POST /api/evaluate`'s answer.
pub const SCHEMA_EVALUATE: &str = "authorship/web-evaluate/v1";
/// The shape of `/api/explain`'s answer.
pub const SCHEMA_EXPLAIN: &str = "authorship/web-explain/v1";
/// The shape of `GET /api/vocabulary`'s answer.
pub const SCHEMA_VOCABULARY: &str = "authorship/web-vocabulary/v1";

/// A request body: a JSON object with only the `allowed` fields.
pub fn parse_body(body: &[u8], allowed: &[&str]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad(
            "the request has no body; send a JSON object such as \
             {\"facts\": {\"<fact>\": true}} (the facts are listed by GET /api/vocabulary)",
        ));
    }
    let value =
        super::json::parse(body).map_err(|e| ApiError::bad(super::json::message(&e, "JSON")))?;
    let Value::Object(map) = value else {
        return Err(ApiError::bad(format!(
            "the body must be a JSON object such as {{\"facts\": {{…}}}}, not {}",
            describe(&value)
        )));
    };
    if let Some(key) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(ApiError::bad(format!(
            "unknown field `{}`; expected {}",
            shorten(key, 60),
            allowed.join(", ")
        )));
    }
    Ok(map)
}

/// What to evaluate: the facts (exactly those sent; a fact not sent, or
/// sent as `null`, is unknown), the date, and the case they start from
/// (which names the explanation and gives its `as_of` by default).
#[derive(Debug)]
pub struct Request<'a> {
    case: Option<&'a Case>,
    facts: Facts,
    as_of: Option<Date>,
}

impl<'a> Request<'a> {
    /// Reads and validates `facts`, `as_of` and `case`.
    pub fn from_fields(app: &'a App, fields: &Map<String, Value>) -> Result<Request<'a>, ApiError> {
        let case = match fields.get("case") {
            None | Some(Value::Null) => None,
            Some(Value::String(id)) => Some(app.case(id).ok_or_else(|| {
                let hint = suggest(id, app.cases.iter().map(case_stem))
                    .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                ApiError::invalid(format!("unknown case `{}`{hint}", shorten(id, 60)))
            })?),
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "`case` must be a case id (a string), not {}",
                    describe(other)
                )));
            }
        };
        let as_of = match fields.get("as_of") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(Date::parse(s).ok_or_else(|| {
                ApiError::invalid(format!(
                    "`as_of` must be a date written YYYY-MM-DD that exists, not `{}`",
                    shorten(s, 40)
                ))
            })?),
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "`as_of` must be a date written \"YYYY-MM-DD\" (a string), not {}",
                    describe(other)
                )));
            }
        };
        let facts = match fields.get("facts") {
            None | Some(Value::Null) => Facts::default(),
            Some(Value::Object(map)) => facts(&app.library, map)?,
            Some(other) => {
                return Err(ApiError::invalid(format!(
                    "`facts` must be an object mapping fact names to values, not {}",
                    describe(other)
                )));
            }
        };
        Ok(Request { case, facts, as_of })
    }

    /// The case to compare: the sent facts, named after the case they start
    /// from (marked as a what-if when they differ from it).
    fn to_case(&self) -> Case {
        match self.case {
            Some(c) => c.with_facts(self.facts.clone()),
            None => Case {
                path: PathBuf::from("the what-if page"),
                title: "Facts set by hand".to_string(),
                facts: self.facts.clone(),
                ..Case::default()
            },
        }
    }

    fn compare(&self, library: &Library) -> Comparison {
        let options = Options {
            as_of: self.as_of,
            variants: false,
        };
        compare::compare(&self.to_case(), library, &options)
    }
}

/// Every fact of `map`, each checked by the vocabulary's value table; a
/// JSON value of the wrong JSON type is refused in JSON's own words.
pub(super) fn facts(library: &Library, map: &Map<String, Value>) -> Result<Facts, ApiError> {
    let vocab = &library.vocabulary;
    let mut out = Facts::default();
    for (name, value) in map {
        // A very long name is not worth a suggestion.
        if name.len() > 200 && vocab.fact(name).is_none() {
            return Err(ApiError::invalid(format!(
                "unknown fact `{}`",
                shorten(name, 60)
            )));
        }
        let def = vocab.lookup(name).map_err(ApiError::invalid)?;
        let scalar = match value {
            Value::Null => continue,
            Value::Bool(b) => ScalarRef::Bool(*b),
            Value::Number(n) => n.as_i64().map_or_else(
                || ScalarRef::Float(n.as_f64().unwrap_or(f64::NAN)),
                ScalarRef::Int,
            ),
            Value::String(s) => ScalarRef::Str(s),
            // No fact takes a list or a map: any stand-in of another type
            // gets the same refusal.
            Value::Array(_) | Value::Object(_) => ScalarRef::Null,
        };
        match def.ty.value(name, scalar) {
            Ok(v) => out.set(name, v),
            Err(ValueError::WrongType(_)) => {
                return Err(ApiError::invalid(format!(
                    "fact `{name}` is {}, not {}; send null to make it unknown",
                    def.ty.json_form(),
                    describe(value)
                )));
            }
            Err(ValueError::Invalid(message)) => return Err(ApiError::invalid(message)),
        }
    }
    Ok(out)
}

/// A JSON value as a message names it.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {}", shorten(&n.to_string(), 40)),
        Value::String(s) => format!("the string \"{}\"", shorten(s, 60)),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// A case's id: its file's stem.
fn case_stem(case: &Case) -> &str {
    case.path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
}

impl App {
    /// The case with this id (file stem).
    fn case(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| case_stem(c) == id)
    }
}

fn fact_json(value: &FactValue) -> Value {
    match value {
        FactValue::Bool(b) => Value::Bool(*b),
        FactValue::Int(i) => Value::from(*i),
        FactValue::Str(s) => Value::String(s.clone()),
        FactValue::Date(d) => Value::String(d.to_string()),
    }
}

pub(super) fn facts_json(facts: &Facts) -> Value {
    Value::Object(
        facts
            .0
            .iter()
            .map(|(k, v)| (k.clone(), fact_json(v)))
            .collect(),
    )
}

/// One line: YAML's folded text with its line breaks and runs of spaces
/// made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn verdicts(v: &[Verdict]) -> Vec<&'static str> {
    v.iter().map(|v| v.as_str()).collect()
}

/// `GET /api/cases`: every case, by id.
pub fn cases_json(cases: &[Case]) -> Value {
    let mut list: Vec<&Case> = cases.iter().collect();
    list.sort_by_key(|c| case_stem(c));
    Value::Array(
        list.into_iter()
            .map(|c| {
                json!({
                    "id": case_stem(c),
                    "title": one_line(&c.title),
                    "summary": one_line(&c.summary),
                    "citation": c.citation.as_deref().map(one_line),
                    "as_of": c.as_of.map(|d| d.to_string()),
                    "facts": facts_json(&c.facts),
                    "unknown": c.stated_unknown,
                })
            })
            .collect(),
    )
}

/// `GET /api/vocabulary`: the facts in file order, with the rulesets that
/// read each; the jurisdictions and rulesets; the verdicts.
pub fn vocabulary_json(library: &Library) -> Value {
    let mut read_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for ruleset in &library.rulesets {
        let names = ruleset.facts_read();
        for name in names {
            if let Some((key, _)) = library.vocabulary.facts.get_key_value(name) {
                read_by.entry(key.as_str()).or_default().push(&ruleset.id);
            }
        }
    }
    let mut defs: Vec<_> = library.vocabulary.facts.values().collect();
    defs.sort_by(|a, b| (a.at.line, &a.id).cmp(&(b.at.line, &b.id)));
    let facts: Vec<Value> = defs
        .into_iter()
        .map(|d| {
            let values: Vec<Value> = match &d.ty {
                FactType::Enum { values } => values
                    .iter()
                    .map(|(v, meaning)| json!({"value": v, "meaning": one_line(meaning)}))
                    .collect(),
                _ => Vec::new(),
            };
            let (min, max) = match d.ty {
                FactType::Integer { min, max } => (min, max),
                _ => (None, None),
            };
            let mut fact = json!({
                "id": d.id,
                "type": d.ty.name(),
                "values": values,
                "min": min,
                "max": max,
                "description": one_line(&d.description),
                "question": one_line(&d.question),
                "read_by": read_by.get(d.id.as_str()).cloned().unwrap_or_default(),
            });
            // Only facts that may not arise say so.
            if let (Some(a), Value::Object(map)) = (&d.arises, &mut fact) {
                map.insert(
                    "arises".into(),
                    json!({"when": a.when, "otherwise": fact_json(&a.otherwise)}),
                );
            }
            fact
        })
        .collect();
    let jurisdictions: Vec<Value> = library
        .jurisdictions
        .iter()
        .map(|j| {
            let authorities: Vec<Value> = j
                .authorities
                .iter()
                .map(|a| {
                    json!({
                        "ruleset": a.ruleset,
                        "rank": a.rank,
                        "authority": library.ruleset(&a.ruleset).map(|r| one_line(&r.authority)),
                    })
                })
                .collect();
            json!({"id": j.id, "name": j.name, "authorities": authorities})
        })
        .collect();
    let rulesets: Vec<Value> = library.rulesets.iter().map(ruleset_info).collect();
    json!({
        "schema": SCHEMA_VOCABULARY,
        "disclaimer": DISCLAIMER,
        "default_as_of": library.latest_date().map(|d| d.to_string()),
        "rule_set": library.origin,
        "facts": facts,
        "jurisdictions": jurisdictions,
        "rulesets": rulesets,
        "verdicts": verdicts(&Verdict::ALL),
    })
}

fn ruleset_info(r: &Ruleset) -> Value {
    json!({
        "id": r.id,
        "title": one_line(&r.title),
        "jurisdiction": r.jurisdiction,
        "authority": one_line(&r.authority),
        "binding": serde_json::to_value(r.binding).unwrap_or(Value::Null),
    })
}

fn source_name(source: AsOfSource) -> &'static str {
    match source {
        AsOfSource::Option => "request",
        AsOfSource::Case => "case",
        AsOfSource::LatestEncoded => "latest_encoded",
    }
}

/// `POST /api/evaluate`: every jurisdiction's outcome (the page's table) and
/// every ruleset's.
pub fn evaluate_json(app: &App, request: &Request) -> Value {
    let c = request.compare(&app.library);
    let jurisdictions: Vec<Value> = c
        .jurisdictions
        .iter()
        .map(|j| jurisdiction_json(&app.library, &c, j))
        .collect();
    let rulesets: Vec<Value> = c
        .columns
        .iter()
        .map(|col| column_json(&app.library, col))
        .collect();
    json!({
        "schema": SCHEMA_EVALUATE,
        "disclaimer": DISCLAIMER,
        "case": request.case.map(case_stem),
        "as_of": c.as_of.to_string(),
        "as_of_source": source_name(c.as_of_source),
        "facts": facts_json(&c.facts),
        "not_arising": not_arising_json(&c),
        "jurisdictions": jurisdictions,
        "rulesets": rulesets,
    })
}

/// The facts that do not arise on the facts sent: not open, and read at
/// their defined values (a value sent for one is set aside, named here).
fn not_arising_json(c: &Comparison) -> Value {
    Value::Array(
        c.not_arising
            .iter()
            .map(|n| {
                let mut item = json!({
                    "fact": n.fact,
                    "value": fact_json(&n.value),
                    "arises_when": n.arises_when,
                    "reason": n.reason(),
                });
                if let (Some(stated), Value::Object(map)) = (&n.stated, &mut item) {
                    map.insert("stated".into(), fact_json(stated));
                }
                item
            })
            .collect(),
    )
}

/// The reason fields of an evaluation, as every output words them.
fn reason_json(eval: &Evaluation, ruleset: &Ruleset) -> (String, Value, Value, bool) {
    let r = render::reason(eval, ruleset);
    (
        one_line(&r.text),
        r.cite
            .as_deref()
            .map_or(Value::Null, |c| Value::String(one_line(c))),
        r.rule.map_or(Value::Null, Value::String),
        r.interpretation,
    )
}

fn jurisdiction_json(library: &Library, c: &Comparison, j: &JurisdictionOutcome) -> Value {
    let evaluated = |id: &str| Some((c.evaluation(id)?, library.ruleset(id)?));
    // The deciding authority; when none reaches the facts, the
    // highest-ranked one, whose reason says why it does not.
    let shown = j
        .decided_by
        .as_deref()
        .and_then(evaluated)
        .or_else(|| j.authorities.iter().find_map(|a| evaluated(&a.ruleset)));
    let (reason, cite, rule, interpretation) = match (render::jurisdiction_reason(j), shown) {
        // Which authority decides depends on unknown facts, or equal
        // authorities split: the row's own reason.
        (Some(why), _) => (one_line(&why), Value::Null, Value::Null, false),
        (None, Some((eval, ruleset))) => reason_json(eval, ruleset),
        (None, None) => (
            "No authority of this jurisdiction could be evaluated.".to_string(),
            Value::Null,
            Value::Null,
            false,
        ),
    };
    let author = match (j.decided_by.as_ref(), shown) {
        (Some(_), Some((eval, _))) => render::author_label(eval),
        _ => render::jurisdiction_author_label(j),
    };
    let authorities: Vec<Value> = j
        .authorities
        .iter()
        .map(|a| {
            json!({
                "ruleset": a.ruleset,
                "authority": library.ruleset(&a.ruleset).map(|r| one_line(&r.authority)),
                "rank": a.rank,
                "in_force": a.in_force,
                "verdict": a.verdict.map(Verdict::as_str),
            })
        })
        .collect();
    json!({
        "jurisdiction": j.jurisdiction,
        "name": j.name,
        "verdict": j.verdict.as_str(),
        "possible_verdicts": verdicts(&j.possible_verdicts),
        "author": author,
        "decided_by": j.decided_by,
        "possible_deciders": j.possible_deciders,
        "split_between": j.split_between,
        "authority": j.authority.as_deref().map(one_line),
        "reason": reason,
        "rule": rule,
        "cite": cite,
        "interpretation": interpretation,
        "explain": shown.map(|(e, _)| e.ruleset.clone()),
        "protected": j.protected,
        "not_protected": j.not_protected,
        "depends_on": j.depends_on,
        "authorities": authorities,
        "note": row_note(library, &j.jurisdiction),
    })
}

// The jurisdiction's note, which qualifies every row of it.
fn row_note(library: &Library, id: &str) -> Option<String> {
    library
        .jurisdictions
        .iter()
        .find(|x| x.id == id)
        .and_then(|x| x.note.as_deref())
        .map(one_line)
}

fn column_json(library: &Library, column: &Column) -> Value {
    match column {
        Column::Evaluated(e) => {
            let Some(ruleset) = library.ruleset(&e.ruleset) else {
                return json!({"ruleset": e.ruleset, "error": "unknown ruleset"});
            };
            let (reason, cite, rule, interpretation) = reason_json(e, ruleset);
            json!({
                "ruleset": e.ruleset,
                "jurisdiction": ruleset.jurisdiction,
                "authority": one_line(&ruleset.authority),
                "in_force": e.in_force,
                "verdict": e.verdict.as_str(),
                "possible_verdicts": verdicts(&e.possible_verdicts),
                "author": render::author_label(e),
                "reason": reason,
                "rule": rule,
                "cite": cite,
                "interpretation": interpretation,
                "depends_on": e.depends_on,
            })
        }
        Column::Failed { ruleset, error, .. } => json!({"ruleset": ruleset, "error": error}),
    }
}

/// `/api/explain`: one ruleset's full explanation of the facts, as
/// `explain` prints it (and, with `"format": "json"`, its JSON document).
pub fn explain(app: &App, fields: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = match fields.get("ruleset") {
        Some(Value::String(id)) => id.as_str(),
        None | Some(Value::Null) => {
            return Err(ApiError::bad(
                "`ruleset` is required: the id of the ruleset to explain, \
                 as listed by GET /api/vocabulary",
            ));
        }
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "`ruleset` must be a ruleset id (a string), not {}",
                describe(other)
            )));
        }
    };
    let Some(ruleset) = app.library.ruleset(id) else {
        let hint = suggest(id, app.library.rulesets.iter().map(|r| r.id.as_str()))
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(ApiError::invalid(format!(
            "unknown ruleset `{}`{hint}",
            shorten(id, 60)
        )));
    };
    let with_json = match fields.get("format") {
        None | Some(Value::Null) => false,
        Some(Value::String(f)) if f == "text" => false,
        Some(Value::String(f)) if f == "json" => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "`format` must be \"text\" or \"json\", not {}",
                describe(other)
            )));
        }
    };
    let request = Request::from_fields(app, fields)?;
    let c = request.compare(&app.library);
    let column = c
        .columns
        .iter()
        .find(|col| col.ruleset() == id && col.variant().is_none());
    match column {
        Some(Column::Evaluated(eval)) => {
            let mut out = Map::new();
            out.insert("schema".into(), SCHEMA_EXPLAIN.into());
            out.insert("disclaimer".into(), DISCLAIMER.into());
            out.insert("ruleset".into(), id.into());
            out.insert("verdict".into(), eval.verdict.as_str().into());
            out.insert("as_of".into(), c.as_of.to_string().into());
            out.insert(
                "text".into(),
                render::explain_with_references(&c, eval, ruleset, &app.library).into(),
            );
            out.insert(
                "why".into(),
                super::why::why_json(&app.library, eval, ruleset),
            );
            if with_json {
                let doc = render::explain_json(&c, eval, ruleset);
                out.insert(
                    "explanation".into(),
                    serde_json::from_str(&doc).unwrap_or(Value::Null),
                );
            }
            Ok(Value::Object(out))
        }
        Some(Column::Failed { error, .. }) => Err(ApiError::invalid(format!(
            "the rules of `{id}` contradict each other on these facts: {error}"
        ))),
        None => Err(ApiError::invalid(format!(
            "ruleset `{id}` was not evaluated"
        ))),
    }
}
