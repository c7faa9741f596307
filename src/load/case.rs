//! Building a validated [`Case`] from its YAML: facts checked against the
//! vocabulary's types, expectations against the library's rulesets and
//! jurisdictions.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::Spanned;

use super::context::{FileCtx, Within};
use super::error::{LoadErrorKind, LoadErrors};
use super::raw::{CaseDoc, DispositionDoc, ExpectDoc, JurisdictionExpectDoc};
use crate::model::{Basis, Case, Disposition, Expectation, Facts, Library, Scalar, Verdict};

/// Most facts one case may state.
pub const MAX_CASE_FACTS: usize = 1_000;

/// Loads and validates a case file against a library.
#[cfg(feature = "fs")]
pub fn load_case(path: &Path, library: &Library) -> Result<Case, LoadErrors> {
    case_from(FileCtx::read(path)?, library)
}

/// Loads every one of `files` against `library`: all the cases, or every
/// error of every file (not only the first file's).
#[cfg(feature = "fs")]
pub fn load_cases(
    files: &[std::path::PathBuf],
    library: &Library,
) -> Result<Vec<Case>, LoadErrors> {
    LoadErrors::all(files.iter().map(|f| load_case(f, library)))
}

/// Loads every case file of a directory ([`super::files::case_files`]: its YAML
/// files, checked as a rules directory's are) against `library`, as
/// [`load_cases`].
#[cfg(feature = "fs")]
pub fn load_cases_in(dir: &Path, library: &Library) -> Result<Vec<Case>, LoadErrors> {
    load_cases(&super::files::case_files(dir)?, library)
}

impl Case {
    /// Loads a case from its YAML text in memory, named like its file
    /// (diagnostics show the name). Reads no file.
    pub fn from_source(
        name: impl AsRef<Path>,
        text: impl Into<String>,
        library: &Library,
    ) -> Result<Case, LoadErrors> {
        case_from(FileCtx::new(name.as_ref(), text.into()), library)
    }
}

/// Loads a case from text in memory (named like its file).
fn case_from(mut ctx: FileCtx, library: &Library) -> Result<Case, LoadErrors> {
    super::bibliography::check_citations(&mut ctx, &library.bibliography);
    let case = ctx
        .parse::<CaseDoc>()
        .and_then(|doc| build(&mut ctx, library, doc));
    ctx.finish(case)
}

fn build(ctx: &mut FileCtx, library: &Library, mut doc: CaseDoc) -> Option<Case> {
    if let Some((first_over, _)) = doc.facts.0.get(MAX_CASE_FACTS) {
        let kind = LoadErrorKind::Invalid(format!(
            "{} facts; the limit is {MAX_CASE_FACTS}",
            doc.facts.0.len()
        ));
        ctx.push_at(first_over, kind, Within::field("facts"));
        return None;
    }
    let (facts, stated_unknown) = facts(ctx, library, &doc);
    not_arising(ctx, library, &doc, &facts);
    let fact_at = doc
        .facts
        .0
        .iter()
        .map(|(name, _)| {
            let pos = super::yaml::pos(name);
            let at = crate::model::Where {
                file: ctx.path.clone(),
                line: pos.line,
                column: pos.column,
            };
            (name.value.clone(), at)
        })
        .collect();
    let mut expect = BTreeMap::new();
    for (key, e) in &doc.expect.rulesets.0 {
        if expect_key(ctx, library, key)
            && let Some(e) = expectation(ctx, library, &key.value, e)
        {
            expect.insert(key.value.clone(), e);
        }
    }
    let mut expect_jurisdictions = BTreeMap::new();
    for (key, e) in &doc.expect.jurisdictions.0 {
        if let Some(e) = row_expectation(ctx, library, key, e) {
            expect_jurisdictions.insert(key.value.clone(), e);
        }
    }
    let as_of = doc
        .as_of
        .as_ref()
        .and_then(|d| ctx.date(d, Within::field("as_of")));
    let disposition = doc
        .source
        .as_mut()
        .and_then(|s| s.disposition.take())
        .and_then(|d| disposition(ctx, library, d));
    Some(Case {
        disposition,
        path: ctx.path.clone(),
        title: doc.title,
        summary: doc.summary,
        as_of,
        citation: doc.source.as_ref().map(|s| s.citation.clone()),
        source_note: doc.source.and_then(|s| s.note),
        facts,
        stated_unknown,
        fact_at,
        expect,
        expect_jurisdictions,
        notes: doc.notes,
    })
}

/// A disposition, whose authority must be a ruleset of the library.
fn disposition(ctx: &mut FileCtx, library: &Library, d: DispositionDoc) -> Option<Disposition> {
    if library.ruleset(&d.decided_by.value).is_none() {
        let kind = LoadErrorKind::Invalid(format!(
            "`{}` is not a ruleset id (disposition.decided_by names the deciding authority's ruleset)",
            d.decided_by.value
        ));
        ctx.push_at(&d.decided_by, kind, Within::field("disposition"));
        return None;
    }
    Some(Disposition {
        decided_by: d.decided_by.value,
        holding: d.holding,
        remedies: d.remedies,
    })
}

/// An `expect` key: a ruleset id, or `ruleset@variant`.
fn expect_key(ctx: &mut FileCtx, library: &Library, key: &Spanned<String>) -> bool {
    let (ruleset, variant) = match key.value.split_once('@') {
        Some((r, v)) => (r, Some(v)),
        None => (key.value.as_str(), None),
    };
    let ids = library.rulesets.iter().map(|r| r.id.as_str());
    let probe = Spanned {
        value: ruleset.to_string(),
        referenced: key.referenced,
        defined: key.defined,
    };
    if !ctx.known(&probe, "ruleset", ids, Within::field("expect")) {
        return false;
    }
    let (Some(variant), Some(r)) = (variant, library.ruleset(ruleset)) else {
        return true;
    };
    let probe = Spanned {
        value: variant.to_string(),
        referenced: key.referenced,
        defined: key.defined,
    };
    ctx.known(
        &probe,
        "variant",
        r.variants.iter().map(|v| v.id.as_str()),
        Within::field("expect"),
    )
}

fn facts(ctx: &mut FileCtx, library: &Library, doc: &CaseDoc) -> (Facts, Vec<String>) {
    let vocab = &library.vocabulary;
    let mut facts = Facts::default();
    let mut unknown = Vec::new();
    for (name, value) in &doc.facts.0 {
        let known = vocab.facts.keys().map(String::as_str);
        if !ctx.known(name, "fact", known, Within::field("facts")) {
            continue;
        }
        let Some(def) = vocab.fact(&name.value) else {
            continue;
        };
        if value.value == Scalar::Null {
            unknown.push(name.value.clone());
            continue;
        }
        match def.value(&value.value) {
            Ok(v) => facts.set(&name.value, v),
            Err(e) => ctx.push_at(value, LoadErrorKind::Type(e.into()), Within::field("facts")),
        }
    }
    (facts, unknown)
}

/// A fact stated with a value it cannot have: it does not arise on the
/// case's other facts, so it has its defined value (E011).
fn not_arising(ctx: &mut FileCtx, library: &Library, doc: &CaseDoc, facts: &Facts) {
    let completion = library.vocabulary.complete(facts);
    for n in completion.contradictions() {
        let Some((_, value)) = doc.facts.0.iter().find(|(name, _)| name.value == n.fact) else {
            continue;
        };
        let stated = n
            .stated
            .as_ref()
            .map_or_else(String::new, |v| v.to_string());
        let kind = LoadErrorKind::NotArising(format!(
            "fact `{}` does not arise here (`{}` is false), so it is {}; the case states {stated}",
            n.fact, n.arises_when, n.value
        ));
        ctx.push_at(value, kind, Within::field("facts"));
    }
}

/// The fields an expectation may state, whether under a ruleset or in a
/// jurisdiction.
struct Parts<'d> {
    verdict: &'d Spanned<String>,
    decided_by: Option<&'d Spanned<String>>,
    authors: &'d Option<Vec<Spanned<String>>>,
    protected: &'d Option<Vec<Spanned<String>>>,
    not_protected: &'d Option<Vec<Spanned<String>>>,
    findings: &'d Option<Vec<Spanned<String>>>,
    possible: &'d Option<Vec<Spanned<String>>>,
    depends_on: &'d Option<Vec<Spanned<String>>>,
    basis: &'d Spanned<String>,
    note: &'d Option<String>,
}

impl<'d> Parts<'d> {
    fn of_ruleset(e: &'d ExpectDoc) -> Parts<'d> {
        Parts {
            verdict: &e.verdict,
            decided_by: None,
            authors: &e.authors,
            protected: &e.protected,
            not_protected: &e.not_protected,
            findings: &e.findings,
            possible: &e.possible,
            depends_on: &e.depends_on,
            basis: &e.basis,
            note: &e.note,
        }
    }

    fn of_jurisdiction(e: &'d JurisdictionExpectDoc) -> Parts<'d> {
        Parts {
            verdict: &e.verdict,
            decided_by: e.decided_by.as_ref(),
            authors: &e.authors,
            protected: &e.protected,
            not_protected: &e.not_protected,
            findings: &None,
            possible: &e.possible,
            depends_on: &e.depends_on,
            basis: &e.basis,
            note: &e.note,
        }
    }
}

fn expectation(
    ctx: &mut FileCtx,
    library: &Library,
    key: &str,
    e: &Spanned<ExpectDoc>,
) -> Option<Expectation> {
    let ruleset_id = key.split('@').next().unwrap_or(key);
    let conclusions: Vec<&str> = library
        .ruleset(ruleset_id)
        .map(|r| r.index.holders.keys().map(String::as_str).collect())
        .unwrap_or_default();
    expected(
        ctx,
        library,
        &Parts::of_ruleset(&e.value),
        &conclusions,
        "expect",
    )
}

/// A jurisdiction row's expectation: its key names a jurisdiction, and its
/// `decided_by` one of that jurisdiction's authorities.
fn row_expectation(
    ctx: &mut FileCtx,
    library: &Library,
    key: &Spanned<String>,
    e: &Spanned<JurisdictionExpectDoc>,
) -> Option<Expectation> {
    let within = Within::field("expect.jurisdictions");
    let ids = library.jurisdictions.iter().map(|j| j.id.as_str());
    if !ctx.known(key, "jurisdiction", ids, within) {
        return None;
    }
    let j = library.jurisdictions.iter().find(|j| j.id == key.value)?;
    if let Some(by) = &e.value.decided_by
        && !j.authorities.iter().any(|a| a.ruleset == by.value)
    {
        let names: Vec<&str> = j.authorities.iter().map(|a| a.ruleset.as_str()).collect();
        let kind = LoadErrorKind::Invalid(format!(
            "`{}` is not an authority of {}; its authorities: {}",
            by.value,
            j.id,
            names.join(", ")
        ));
        ctx.push_at(by, kind, Within::field("expect.jurisdictions.decided_by"));
    }
    let parts = Parts::of_jurisdiction(&e.value);
    expected(ctx, library, &parts, &[], "expect.jurisdictions")
}

fn expected(
    ctx: &mut FileCtx,
    library: &Library,
    e: &Parts,
    conclusions: &[&str],
    at: &str,
) -> Option<Expectation> {
    // Errors name the field as the file spells it, e.g. `expect.jurisdictions.possible`.
    let field = |name: &str| format!("{at}.{name}");
    let verdicts: Vec<(&str, Verdict)> = Verdict::ALL.iter().map(|v| (v.as_str(), *v)).collect();
    let verdict = ctx.choice(
        e.verdict,
        "verdict",
        &verdicts,
        Within::field(&field("verdict")),
    );
    let bases = [
        ("decision", Basis::Decision),
        ("prediction", Basis::Prediction),
    ];
    let basis = ctx.choice(e.basis, "basis", &bases, Within::field(&field("basis")));
    let possible = possible_verdicts(ctx, e, verdict, at);
    let vocab = &library.vocabulary;
    let mut names = |list: &Option<Vec<Spanned<String>>>, what, name: &str, known: Vec<&str>| {
        let field = field(name);
        list.as_ref().map(|l| {
            l.iter()
                .filter(|n| ctx.known(n, what, known.iter().copied(), Within::field(&field)))
                .map(|n| n.value.clone())
                .collect::<Vec<_>>()
        })
    };
    let elements: Vec<&str> = vocab.elements.keys().map(String::as_str).collect();
    let parties: Vec<&str> = vocab.parties.keys().map(String::as_str).collect();
    let facts: Vec<&str> = vocab.facts.keys().map(String::as_str).collect();
    Some(Expectation {
        decided_by: e.decided_by.map(|d| d.value.clone()),
        authors: names(e.authors, "party", "authors", parties),
        protected: names(e.protected, "element", "protected", elements.clone()),
        not_protected: names(e.not_protected, "element", "not_protected", elements),
        findings: names(e.findings, "conclusion", "findings", conclusions.to_vec()),
        depends_on: names(e.depends_on, "fact", "depends_on", facts),
        possible: possible?,
        verdict: verdict?,
        basis: basis?,
        note: e.note.clone(),
    })
}

/// `possible`: verdicts other than `undetermined`, stated only with the
/// verdict `undetermined` (as is `depends_on`). `Some(None)` when absent.
fn possible_verdicts(
    ctx: &mut FileCtx,
    e: &Parts,
    verdict: Option<Verdict>,
    at: &str,
) -> Option<Option<Vec<Verdict>>> {
    if verdict.is_some_and(|v| v != Verdict::Undetermined) {
        let stray = [(e.possible, "possible"), (e.depends_on, "depends_on")];
        for (list, name) in stray {
            if let Some(first) = list.as_ref().and_then(|l| l.first()) {
                let kind = LoadErrorKind::Invalid(format!(
                    "`{name}` is stated only with the verdict `undetermined`"
                ));
                ctx.push_at(first, kind, Within::field(&format!("{at}.{name}")));
            }
        }
    }
    let field = format!("{at}.possible");
    let Some(list) = e.possible else {
        return Some(None);
    };
    let options: Vec<(&str, Verdict)> = Verdict::ALL
        .iter()
        .filter(|v| **v != Verdict::Undetermined)
        .map(|v| (v.as_str(), *v))
        .collect();
    let mut out = Vec::new();
    for v in list {
        out.push(ctx.choice(v, "possible verdict", &options, Within::field(&field))?);
    }
    Some(Some(out))
}
