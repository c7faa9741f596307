//! `authorship._native`: the engine for Python (PyO3), under the package's
//! Python layer (`python/authorship/__init__.py`), which turns dicts and
//! data frames into JSON and back.
//!
//! **JSON at the boundary.** Every call takes facts as JSON text and
//! returns the JSON the command line prints for the same request
//! (`compare --format json`, `explain --format json`, `whatif --format
//! json`, `batch`'s lines), rendered by the same library functions: a
//! Python user gets the documented schemas, and the two cannot drift. The
//! Python layer converts with the standard `json` module.
//!
//! **Errors.** A bad fact, date, ruleset or rules directory raises
//! `authorship.AuthorshipError` (a `ValueError`) with the engine's own
//! message: `file:line:column` and the excerpt for a file that does not
//! load, the fact and a "did you mean" for a misspelt one.
//!
//! **Threads.** `batch` runs on the engine's worker threads with the GIL
//! released; nothing here holds Python objects across a call.

use std::path::PathBuf;

use authorship::batch::{self, Engine, Format, Id};
use authorship::compare::{self, Options};
use authorship::eval::Context;
use authorship::load::{self, LoadErrors, embedded};
use authorship::model::{Case, Library as Rules};
use authorship::render;
use authorship::syntax::Date;
use authorship::whatif::{Query, what_if};
use authorship::{Verdict, web};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

create_exception!(
    _native,
    AuthorshipError,
    PyValueError,
    "A fact pattern, date, ruleset or rules directory the engine refuses; the message says \
     where and why."
);

/// The most facts `whatif` changes at once unless asked otherwise (the
/// command line's default).
const DEFAULT_MAX_CHANGES: usize = 3;

fn error(message: impl Into<String>) -> PyErr {
    AuthorshipError::new_err(message.into())
}

fn load_error(errors: &LoadErrors) -> PyErr {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    error(lines.join("\n"))
}

/// Rules and the cases that go with them.
#[pyclass(frozen, module = "authorship._native")]
struct Library {
    rules: Rules,
    cases: Vec<Case>,
}

#[pymethods]
impl Library {
    /// The rules and example cases built into the package.
    #[staticmethod]
    fn default() -> PyResult<Library> {
        let rules = embedded::library().map_err(|e| load_error(&e))?;
        let cases = embedded::cases(&rules).map_err(|e| load_error(&e))?;
        Ok(Library { rules, cases })
    }

    /// A rules directory (`facts.yaml` and one file per ruleset), checked
    /// as `authorship check` checks it, and optionally a directory of cases.
    #[staticmethod]
    #[pyo3(signature = (rules, cases = None))]
    fn from_dir(rules: PathBuf, cases: Option<PathBuf>) -> PyResult<Library> {
        let library = load::load_library(&rules).map_err(|e| load_error(&e))?;
        let cases = match cases {
            Some(dir) => load::load_cases_in(&dir, &library).map_err(|e| load_error(&e))?,
            None => Vec::new(),
        };
        Ok(Library {
            rules: library,
            cases,
        })
    }

    /// Where the rules came from, as every output names them.
    fn origin(&self) -> String {
        self.rules.origin.to_string()
    }

    /// The rulesets' ids, in the library's order.
    fn rulesets(&self) -> Vec<String> {
        self.rules.rulesets.iter().map(|r| r.id.clone()).collect()
    }

    /// The references block for `text` (what a caller printed of the
    /// outputs): every work it cites by key (`[GOD]`) with its full
    /// reference and address, and the meaning of every confidence tag
    /// (`[P]`, `[S2: …]`) and mark it uses, as the command line ends its
    /// explanations: so that whatever is shown can be followed to its
    /// source. Empty when the text cites nothing.
    fn references(&self, text: &str) -> String {
        let found = render::collect_references(&self.rules, Vec::new(), text);
        render::references_text(&found)
    }

    /// The cases, as the what-if page lists them (id, title, summary,
    /// citation, as_of, facts, unknown), as JSON.
    fn cases_json(&self) -> String {
        web::cases_json(&self.cases).to_string()
    }

    /// `compare --format json` for these facts (JSON), starting from the
    /// case `case` if given (its title and date; the facts are those sent).
    #[pyo3(signature = (facts, as_of = None, case = None))]
    fn compare(&self, facts: &str, as_of: Option<&str>, case: Option<&str>) -> PyResult<String> {
        let case = self.case_of(facts, case)?;
        let options = options(as_of)?;
        let comparison = compare::compare(&case, &self.rules, &options);
        Ok(render::compare_json(&[comparison], &self.rules.rulesets))
    }

    /// `explain --format json`: one ruleset's full reasoning.
    #[pyo3(signature = (facts, ruleset, as_of = None, variant = None, case = None))]
    fn explain(
        &self,
        facts: &str,
        ruleset: &str,
        as_of: Option<&str>,
        variant: Option<String>,
        case: Option<&str>,
    ) -> PyResult<String> {
        let rules = self.ruleset(ruleset)?;
        if let Some(v) = variant.as_deref().filter(|v| rules.variant(v).is_none()) {
            return Err(error(format!("ruleset `{ruleset}` has no reading `{v}`")));
        }
        let case = self.case_of(facts, case)?;
        let comparison = compare::compare(&case, &self.rules, &options(as_of)?);
        let ctx = Context {
            as_of: comparison.as_of,
            variant,
        };
        let eval = self
            .rules
            .evaluate(rules, &case.facts, &ctx)
            .map_err(|e| error(e.to_string()))?;
        Ok(render::explain_json(&comparison, &eval, rules))
    }

    /// `whatif --format json`: the smallest fact changes that move the
    /// ruleset's outcome (to `to`, a verdict id, if given).
    #[pyo3(signature = (facts, ruleset, to = None, max_changes = None, as_of = None, case = None))]
    fn whatif(
        &self,
        facts: &str,
        ruleset: &str,
        to: Option<&str>,
        max_changes: Option<usize>,
        as_of: Option<&str>,
        case: Option<&str>,
    ) -> PyResult<String> {
        let rules = self.ruleset(ruleset)?;
        let case = self.case_of(facts, case)?;
        let options = options(as_of)?;
        let (date, source) = compare::as_of(&case, &self.rules, &options);
        let target = match to {
            None => None,
            Some(id) => Some(verdict(id)?),
        };
        let query = Query {
            target,
            max_changes: max_changes.unwrap_or(DEFAULT_MAX_CHANGES),
        };
        let result = what_if(
            rules,
            &self.rules.vocabulary,
            &case.facts,
            &Context::as_of(date),
            &query,
        )
        .map_err(|e| error(e.to_string()))?;
        let asked = render::WhatIfAsked {
            case: &case,
            as_of: date,
            as_of_source: source,
            rules: &self.rules.origin,
            overrides: &[],
        };
        Ok(render::whatif_json(&asked, &result))
    }

    /// `batch` over JSON Lines (`{"id": …, "facts": {…}}` per line): one
    /// output line per record, in order, errors as error lines. Returns the
    /// lines and the number of bad records. Runs with the GIL released.
    #[pyo3(signature = (lines, as_of = None, rulesets = Vec::new(), threads = 1))]
    fn batch(
        &self,
        py: Python<'_>,
        lines: Vec<u8>,
        as_of: Option<&str>,
        rulesets: Vec<String>,
        threads: usize,
    ) -> PyResult<(Vec<u8>, u64)> {
        let engine = self.engine(as_of, &rulesets)?;
        let options = batch::Options {
            format: Format::JsonLines,
            threads: threads.max(1),
            ..batch::Options::default()
        };
        py.detach(|| {
            let mut input: &[u8] = &lines;
            let mut out = Vec::with_capacity(lines.len().saturating_mul(4));
            let stats = batch::run(&engine, &mut input, &mut out, &options, &mut |_| {})
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((out, stats.errors))
        })
        .map_err(error)
    }

    /// `batch`'s verdicts as columns, with no output lines to parse: for
    /// each good record a row per ruleset, for a bad one a row with its
    /// error. Returns (ids, rulesets, verdicts, errors), four lists of
    /// equal length; a row's ruleset and verdict are None when it is an
    /// error, its error None otherwise. Evaluates on `threads` threads with
    /// the GIL released.
    #[pyo3(signature = (lines, as_of = None, rulesets = Vec::new(), threads = 1))]
    fn batch_verdicts<'py>(
        &self,
        py: Python<'py>,
        lines: Vec<u8>,
        as_of: Option<&str>,
        rulesets: Vec<String>,
        threads: usize,
    ) -> PyResult<[Bound<'py, PyList>; 4]> {
        self.verdicts_in(py, &lines_of(&lines), as_of, &rulesets, threads, columns)
    }

    /// [`Library::batch_verdicts`] in the wide layout: one row per record.
    /// Returns (ids, errors, verdicts): `verdicts` a list per ruleset (in
    /// [`Library::rulesets`] order, or as named), each as long as `ids`;
    /// a bad record's verdicts are None and its error set, and an
    /// evaluation error in one ruleset leaves that verdict None and names
    /// the ruleset in the record's error.
    #[pyo3(signature = (lines, as_of = None, rulesets = Vec::new(), threads = 1))]
    fn batch_wide<'py>(
        &self,
        py: Python<'py>,
        lines: Vec<u8>,
        as_of: Option<&str>,
        rulesets: Vec<String>,
        threads: usize,
    ) -> PyResult<Wide<'py>> {
        self.verdicts_in(py, &lines_of(&lines), as_of, &rulesets, threads, wide)
    }

    /// [`Library::batch_verdicts`] for a data frame: `facts` a JSON array
    /// of fact objects (pandas' `to_json(orient="records")`) and `ids` a
    /// JSON array of as many ids, so that no per-row text is built in
    /// Python.
    #[pyo3(signature = (facts, ids, as_of = None, rulesets = Vec::new(), threads = 1))]
    fn batch_frame<'py>(
        &self,
        py: Python<'py>,
        facts: Vec<u8>,
        ids: Vec<u8>,
        as_of: Option<&str>,
        rulesets: Vec<String>,
        threads: usize,
    ) -> PyResult<[Bound<'py, PyList>; 4]> {
        let rows: Vec<&RawValue> = serde_json::from_slice(&facts)
            .map_err(|e| error(format!("the rows are not a JSON array: {e}")))?;
        let ids: Vec<&RawValue> = serde_json::from_slice(&ids)
            .map_err(|e| error(format!("the ids are not a JSON array: {e}")))?;
        if rows.len() != ids.len() {
            return Err(error(format!("{} rows but {} ids", rows.len(), ids.len())));
        }
        let records: Vec<Vec<u8>> = ids
            .iter()
            .zip(&rows)
            .map(|(id, row)| {
                format!("{{\"id\":{},\"facts\":{}}}", id.get(), row.get()).into_bytes()
            })
            .collect();
        let records: Vec<&[u8]> = records.iter().map(Vec::as_slice).collect();
        self.verdicts_in(py, &records, as_of, &rulesets, threads, columns)
    }
}

/// The non-blank lines of JSON Lines text.
fn lines_of(text: &[u8]) -> Vec<&[u8]> {
    text.split(|b| *b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .collect()
}

/// Each record's verdicts, in order, on `threads` scoped threads (each a
/// contiguous share of the records, with its own buffers). A thread that
/// panicked (a bug) fails the whole call: its share is never dropped.
fn evaluate_all(
    engine: &Engine<'_>,
    records: &[&[u8]],
    threads: usize,
) -> Result<Vec<Verdicts>, String> {
    let share = records.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = records
            .chunks(share)
            .enumerate()
            .map(|(n, part)| {
                scope.spawn(move || {
                    let mut work = engine.work();
                    let first = n * share;
                    part.iter()
                        .enumerate()
                        .map(|(i, json)| {
                            let line = (first + i + 1) as u64;
                            let mut verdicts = Vec::new();
                            match engine.verdicts(line, json, &mut work, &mut verdicts) {
                                Ok(id) => (id, Ok(verdicts)),
                                Err((id, message)) => (id, Err(message)),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = Vec::with_capacity(records.len());
        for part in parts {
            let done = part.join().map_err(|_| {
                "an engine thread failed (a bug; please report it): no verdicts were returned"
                    .to_string()
            })?;
            all.extend(done);
        }
        Ok(all)
    })
}

/// The results in the wide layout (see [`Library::batch_wide`]).
fn wide<'py>(py: Python<'py>, engine: &Engine<'_>, results: &[Verdicts]) -> PyResult<Wide<'py>> {
    let names = engine.ruleset_ids();
    let verdict_names: Vec<Bound<'py, PyString>> = Verdict::ALL
        .iter()
        .map(|v| PyString::intern(py, v.as_str()))
        .collect();
    let none = py.None().into_bound(py);
    let ids = PyList::empty(py);
    let errors = PyList::empty(py);
    let columns: Vec<Bound<'py, PyList>> = names.iter().map(|_| PyList::empty(py)).collect();
    for (id, result) in results {
        match id {
            Id::None => ids.append(&none)?,
            Id::Str(s) => ids.append(s)?,
            Id::Int(i) => ids.append(i)?,
        }
        match result {
            Ok(each) => {
                let mut problem = None;
                for ((column, verdict), name) in columns.iter().zip(each).zip(&names) {
                    match verdict {
                        Ok(v) => {
                            let at = Verdict::ALL.iter().position(|x| x == v).unwrap_or(0);
                            column.append(&verdict_names[at])?;
                        }
                        Err(message) => {
                            column.append(&none)?;
                            problem.get_or_insert_with(|| format!("{name}: {message}"));
                        }
                    }
                }
                match problem {
                    Some(message) => errors.append(message)?,
                    None => errors.append(&none)?,
                }
            }
            Err(message) => {
                errors.append(message)?;
                for column in &columns {
                    column.append(&none)?;
                }
            }
        }
    }
    Ok((ids, errors, columns))
}

/// The results as four Python lists; every repeated string (an id on each
/// of its rows, a ruleset id, a verdict) is one Python object shared.
fn columns<'py>(
    py: Python<'py>,
    engine: &Engine<'_>,
    results: &[Verdicts],
) -> PyResult<[Bound<'py, PyList>; 4]> {
    let names: Vec<Bound<'py, PyString>> = engine
        .ruleset_ids()
        .into_iter()
        .map(|id| PyString::intern(py, id))
        .collect();
    let verdict_names: Vec<Bound<'py, PyString>> = Verdict::ALL
        .iter()
        .map(|v| PyString::intern(py, v.as_str()))
        .collect();
    let none = py.None().into_bound(py);
    let [ids, rulesets, verdicts, errors] = [(); 4].map(|()| PyList::empty(py));
    for (id, result) in results {
        let id = match id {
            Id::None => none.clone(),
            Id::Str(s) => PyString::new(py, s).into_any(),
            Id::Int(i) => i.into_pyobject(py)?.into_any(),
        };
        match result {
            Ok(each) => {
                for (name, verdict) in names.iter().zip(each) {
                    ids.append(&id)?;
                    rulesets.append(name)?;
                    match verdict {
                        Ok(v) => {
                            let at = Verdict::ALL.iter().position(|x| x == v).unwrap_or(0);
                            verdicts.append(&verdict_names[at])?;
                            errors.append(&none)?;
                        }
                        Err(message) => {
                            verdicts.append(&none)?;
                            errors.append(message)?;
                        }
                    }
                }
            }
            Err(message) => {
                ids.append(&id)?;
                rulesets.append(&none)?;
                verdicts.append(&none)?;
                errors.append(message)?;
            }
        }
    }
    Ok([ids, rulesets, verdicts, errors])
}

/// The wide layout's columns: ids, errors, and a verdict list per ruleset.
type Wide<'py> = (
    Bound<'py, PyList>,
    Bound<'py, PyList>,
    Vec<Bound<'py, PyList>>,
);

/// One record's verdicts, or why it is bad, and its id.
type Verdicts = (Id, Result<Vec<Result<Verdict, String>>, String>);

impl Library {
    /// The engine for `batch`: the rulesets named (all when none), the law
    /// as of `as_of` or the latest date in the rules, as `authorship batch`.
    fn engine(&self, as_of: Option<&str>, rulesets: &[String]) -> PyResult<Engine<'_>> {
        let as_of = match as_of {
            Some(text) => date(text)?,
            None => self.rules.default_date(),
        };
        Engine::new(&self.rules, rulesets, Context::as_of(as_of)).map_err(|e| error(e.to_string()))
    }

    /// The verdicts of `records` (JSON, one record each) on `threads`
    /// threads with the GIL released, handed to `shape` for the layout
    /// asked for.
    fn verdicts_in<'py, T>(
        &self,
        py: Python<'py>,
        records: &[&[u8]],
        as_of: Option<&str>,
        rulesets: &[String],
        threads: usize,
        shape: impl FnOnce(Python<'py>, &Engine<'_>, &[Verdicts]) -> PyResult<T>,
    ) -> PyResult<T> {
        let engine = self.engine(as_of, rulesets)?;
        let results = py
            .detach(|| evaluate_all(&engine, records, threads.max(1)))
            .map_err(error)?;
        shape(py, &engine, &results)
    }

    fn ruleset(&self, id: &str) -> PyResult<&authorship::Ruleset> {
        self.rules.ruleset(id).ok_or_else(|| {
            let ids: Vec<&str> = self.rules.rulesets.iter().map(|r| r.id.as_str()).collect();
            error(format!(
                "no ruleset `{id}`; the rulesets: {}",
                ids.join(", ")
            ))
        })
    }

    /// The case to compare: the facts sent (a JSON object), named after
    /// `case` if given, as the what-if page names them.
    fn case_of(&self, facts: &str, case: Option<&str>) -> PyResult<Case> {
        let facts = match serde_json::from_str::<Value>(facts) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Null) => Map::new(),
            Ok(_) => return Err(error("facts must be a dict of fact names to values")),
            Err(e) => return Err(error(format!("facts are not JSON: {e}"))),
        };
        let facts = web::facts_from_json(&self.rules, &facts).map_err(error)?;
        let Some(id) = case else {
            return Ok(Case {
                path: PathBuf::from("<python>"),
                title: "Facts given from Python".to_string(),
                facts,
                ..Case::default()
            });
        };
        let from = self
            .cases
            .iter()
            .find(|c| c.path.file_stem().is_some_and(|s| s == id))
            .ok_or_else(|| error(format!("no case `{id}` in this library")))?;
        // The case as it is: everything the command line shows of it
        // (its disposition, where each fact is written).
        if from.facts == facts {
            return Ok(from.clone());
        }
        Ok(from.with_facts(facts))
    }
}

fn date(text: &str) -> PyResult<Date> {
    Date::parse(text).ok_or_else(|| {
        error(format!(
            "`{text}` is not a date written YYYY-MM-DD that exists"
        ))
    })
}

fn options(as_of: Option<&str>) -> PyResult<Options> {
    Ok(Options {
        as_of: as_of.map(date).transpose()?,
        variants: false,
    })
}

fn verdict(id: &str) -> PyResult<Verdict> {
    Verdict::ALL
        .into_iter()
        .find(|v| v.as_str() == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = Verdict::ALL.iter().map(|v| v.as_str()).collect();
            error(format!(
                "no verdict `{id}`; the verdicts: {}",
                ids.join(", ")
            ))
        })
}

/// The module: `Library`, `AuthorshipError` and the disclaimer every
/// output carries.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Library>()?;
    m.add("AuthorshipError", m.py().get_type::<AuthorshipError>())?;
    m.add("DISCLAIMER", render::DISCLAIMER)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
