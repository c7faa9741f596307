//! Loading: the vocabulary, every ruleset of a directory, and fact values.
//! Each loader collects every error it finds and returns either a complete,
//! validated result or all the errors — never half of one.

use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::context::{FileCtx, Within};
use super::error::{LoadError, LoadErrorKind, LoadErrors};
use super::jurisdiction::{Jurisdiction, load_jurisdictions};
use super::raw::{FactDoc, VocabularyDoc};
use super::ruleset::Ruleset;
use super::vocab::{FactDef, FactType, FactValue, Vocabulary};
use super::yaml::{Pos, Scalar};
use crate::syntax::Date;

/// The vocabulary file's name inside a rules directory.
pub const VOCABULARY_FILE: &str = "facts.yaml";
/// The jurisdictions file's name inside a rules directory (optional).
pub const JURISDICTIONS_FILE: &str = "jurisdictions.yaml";
/// Most rulesets one directory may hold.
pub const MAX_RULESETS: usize = 200;

/// Everything a rules directory holds: the vocabulary and every ruleset,
/// ordered by id.
#[derive(Debug, Clone)]
pub struct Library {
    /// The directory it was loaded from.
    pub dir: PathBuf,
    /// The shared vocabulary.
    pub vocabulary: Vocabulary,
    /// The rulesets, by id order.
    pub rulesets: Vec<Ruleset>,
    /// The jurisdictions, in file order (empty without a jurisdictions file).
    pub jurisdictions: Vec<Jurisdiction>,
}

impl Library {
    /// The ruleset with this id.
    pub fn ruleset(&self, id: &str) -> Option<&Ruleset> {
        self.rulesets.iter().find(|r| r.id == id)
    }

    /// The date evaluation defaults to: the latest date from which any
    /// encoded ruleset or rule applies (never the system clock).
    pub fn latest_date(&self) -> Option<Date> {
        self.rulesets.iter().map(Ruleset::latest_start).max()
    }
}

/// Loads `dir/facts.yaml` and every other `dir/*.yaml` as a ruleset.
pub fn load_library(dir: &Path) -> Result<Library, LoadErrors> {
    let vocabulary = load_vocabulary(&dir.join(VOCABULARY_FILE))?;
    let files = ruleset_files(dir)?;
    let mut errors = Vec::new();
    let mut rulesets = Vec::new();
    for file in files {
        match super::load_ruleset::load_ruleset(&file, &vocabulary) {
            Ok(ruleset) => rulesets.push(ruleset),
            Err(LoadErrors(mut e)) => errors.append(&mut e),
        }
    }
    rulesets.sort_by(|a, b| a.id.cmp(&b.id));
    let jurisdictions_path = dir.join(JURISDICTIONS_FILE);
    let mut jurisdictions = Vec::new();
    if jurisdictions_path.exists() {
        match load_jurisdictions(&jurisdictions_path, &rulesets) {
            Ok(j) => jurisdictions = j,
            Err(LoadErrors(mut e)) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(LoadErrors(errors));
    }
    Ok(Library {
        dir: dir.to_path_buf(),
        vocabulary,
        rulesets,
        jurisdictions,
    })
}

fn ruleset_files(dir: &Path) -> Result<Vec<PathBuf>, LoadErrors> {
    let io = |e: std::io::Error| {
        LoadErrors(vec![LoadError::at(
            dir.to_path_buf(),
            Pos::default(),
            LoadErrorKind::Io(e.to_string()),
        )])
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != VOCABULARY_FILE && n != JURISDICTIONS_FILE)
        })
        .collect();
    files.sort();
    if files.len() > MAX_RULESETS {
        let kind = LoadErrorKind::Invalid(format!(
            "{} rulesets; the limit is {MAX_RULESETS}",
            files.len()
        ));
        return Err(LoadErrors(vec![LoadError::at(
            dir.to_path_buf(),
            Pos::default(),
            kind,
        )]));
    }
    Ok(files)
}

/// Loads and validates the fact vocabulary.
pub fn load_vocabulary(path: &Path) -> Result<Vocabulary, LoadErrors> {
    let mut ctx = FileCtx::read(path)?;
    let vocab = ctx
        .parse::<VocabularyDoc>()
        .map(|doc| build_vocabulary(&mut ctx, doc));
    ctx.finish(vocab)
}

fn build_vocabulary(ctx: &mut FileCtx, doc: VocabularyDoc) -> Vocabulary {
    let mut vocab = Vocabulary::default();
    for (id, fact) in doc.facts.0 {
        check_id(ctx, &id, "facts");
        if let Some(ty) = fact_type(ctx, &id.value, &fact) {
            let pos = super::yaml::pos(&id);
            let def = FactDef {
                at: super::vocab::Where {
                    file: ctx.path.clone(),
                    line: pos.line,
                    column: pos.column,
                },
                id: id.value.clone(),
                ty,
                description: fact.description,
                question: fact.question,
            };
            vocab.facts.insert(id.value, def);
        }
    }
    for (id, element) in doc.elements.0 {
        check_id(ctx, &id, "elements");
        vocab.elements.insert(id.value, element.description);
    }
    for (id, party) in doc.parties.0 {
        check_id(ctx, &id, "parties");
        vocab.parties.insert(id.value, party.description);
    }
    for (id, issue) in doc.issues.0 {
        check_id(ctx, &id, "issues");
        vocab.issues.insert(id.value, issue.question);
    }
    vocab
}

/// Ids are lower_snake_case so they can be written in conditions.
fn check_id(ctx: &mut FileCtx, id: &Spanned<String>, field: &str) {
    let ok = id
        .value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && id
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok || is_keyword(&id.value) {
        let kind = LoadErrorKind::Invalid(format!(
            "`{}` is not a valid id: use lower_snake_case, not a keyword",
            id.value
        ));
        ctx.push_at(id, kind, Within::field(field));
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(word, "and" | "or" | "not" | "in" | "true" | "false")
}

fn fact_type(ctx: &mut FileCtx, id: &str, fact: &FactDoc) -> Option<FactType> {
    let within = Within::field("type");
    let kinds = [
        ("bool", 0),
        ("integer", 1),
        ("enum", 2),
        ("date", 3),
        ("text", 4),
    ];
    let kind = ctx.choice(&fact.ty, "fact type", &kinds, within)?;
    let stray = |what: &str| {
        format!(
            "fact `{id}`: `{what}` only goes with type {}",
            match what {
                "values" => "enum",
                _ => "integer",
            }
        )
    };
    if kind != 2 && fact.values.is_some() {
        ctx.push_at(&fact.ty, LoadErrorKind::Invalid(stray("values")), within);
    }
    if kind != 1 && (fact.min.is_some() || fact.max.is_some()) {
        ctx.push_at(&fact.ty, LoadErrorKind::Invalid(stray("min/max")), within);
    }
    if let (Some(min), Some(max)) = (fact.min, fact.max)
        && min > max
    {
        let kind = LoadErrorKind::Invalid(format!(
            "fact `{id}`: `min` ({min}) is greater than `max` ({max}), so no value is allowed"
        ));
        ctx.push_at(&fact.ty, kind, within);
    }
    Some(match kind {
        0 => FactType::Bool,
        1 => FactType::Integer {
            min: fact.min,
            max: fact.max,
        },
        2 => enum_type(ctx, id, fact)?,
        3 => FactType::Date,
        _ => FactType::Text,
    })
}

fn enum_type(ctx: &mut FileCtx, id: &str, fact: &FactDoc) -> Option<FactType> {
    let Some(values) = &fact.values else {
        let kind = LoadErrorKind::Invalid(format!("enum fact `{id}` needs `values`"));
        ctx.push_at(&fact.ty, kind, Within::field("type"));
        return None;
    };
    if values.value.0.is_empty() {
        let kind = LoadErrorKind::Invalid(format!("enum fact `{id}` needs at least one value"));
        ctx.push_at(values, kind, Within::field("values"));
    }
    let values = values
        .value
        .0
        .iter()
        .map(|(k, v)| (k.value.clone(), v.clone()))
        .collect();
    Some(FactType::Enum { values })
}

/// Converts a scalar as written to a value of the fact's type.
pub fn fact_value(def: &FactDef, scalar: &Scalar) -> Result<FactValue, String> {
    let wrong = || {
        format!(
            "fact `{}` is {}, not {}",
            def.id,
            describe(&def.ty),
            show(scalar)
        )
    };
    match (&def.ty, scalar) {
        (FactType::Bool, Scalar::Bool(b)) => Ok(FactValue::Bool(*b)),
        (FactType::Integer { min, max }, Scalar::Int(i)) => in_range(def, *i, *min, *max),
        (FactType::Enum { values }, Scalar::Str(s)) => {
            if def.ty.allows(s) {
                Ok(FactValue::Str(s.clone()))
            } else {
                let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
                Err(format!(
                    "`{s}` is not a value of fact `{}`; expected one of: {}",
                    def.id,
                    names.join(", ")
                ))
            }
        }
        (FactType::Date, Scalar::Str(s)) => Date::parse(s)
            .map(FactValue::Date)
            .ok_or_else(|| format!("`{s}` is not a valid date (YYYY-MM-DD, a day that exists)")),
        (FactType::Text, Scalar::Str(s)) => Ok(FactValue::Str(s.clone())),
        _ => Err(wrong()),
    }
}

/// Parses a command-line value (`--set fact=value`) by the fact's type.
pub fn parse_fact_value(def: &FactDef, text: &str) -> Result<FactValue, String> {
    let scalar = match (&def.ty, text) {
        (FactType::Bool, "true") => Scalar::Bool(true),
        (FactType::Bool, "false") => Scalar::Bool(false),
        (FactType::Integer { .. }, t) => t
            .parse()
            .map(Scalar::Int)
            .map_err(|_| format!("fact `{}` is an integer, not `{t}`", def.id))?,
        (_, t) => Scalar::Str(t.to_string()),
    };
    fact_value(def, &scalar)
}

fn in_range(
    def: &FactDef,
    i: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<FactValue, String> {
    if min.is_some_and(|m| i < m) || max.is_some_and(|m| i > m) {
        let bound = |b: Option<i64>| b.map_or("…".to_string(), |v| v.to_string());
        return Err(format!(
            "fact `{}` must be between {} and {}, not {i}",
            def.id,
            bound(min),
            bound(max)
        ));
    }
    Ok(FactValue::Int(i))
}

fn describe(ty: &FactType) -> String {
    match ty {
        FactType::Bool => "true or false".to_string(),
        FactType::Integer { .. } => "a whole number".to_string(),
        FactType::Enum { values } => {
            let names: Vec<&str> = values.iter().map(|(v, _)| v.as_str()).collect();
            format!("one of: {}", names.join(", "))
        }
        FactType::Date => "a date (YYYY-MM-DD)".to_string(),
        FactType::Text => "text".to_string(),
    }
}

fn show(scalar: &Scalar) -> String {
    match scalar {
        Scalar::Null => "null".to_string(),
        Scalar::Bool(b) => format!("`{b}`"),
        Scalar::Int(i) => format!("`{i}`"),
        Scalar::Float(f) => format!("`{f}`"),
        Scalar::Str(s) => format!("`{s}`"),
    }
}

/// Sets a fact from command-line text (`--set fact=value`), checking the
/// name (with a "did you mean") and the value against the vocabulary.
pub fn set_fact(
    vocab: &Vocabulary,
    facts: &mut super::Facts,
    name: &str,
    text: &str,
) -> Result<(), String> {
    let def = known_fact(vocab, name)?;
    facts.set(name, parse_fact_value(def, text)?);
    Ok(())
}

/// Makes a fact unknown (`--unset fact`), checking the name.
pub fn unset_fact(vocab: &Vocabulary, facts: &mut super::Facts, name: &str) -> Result<(), String> {
    known_fact(vocab, name)?;
    facts.unset(name);
    Ok(())
}

fn known_fact<'v>(vocab: &'v Vocabulary, name: &str) -> Result<&'v FactDef, String> {
    vocab.fact(name).ok_or_else(|| {
        let hint = super::locate::suggest(name, vocab.facts.keys().map(String::as_str))
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        format!("unknown fact `{name}`{hint}")
    })
}
