//! The vocabulary file (`facts.yaml`): facts with their types, elements,
//! parties and issues, with ids checked so conditions can name them.

use serde_saphyr::Spanned;

use super::context::{FileCtx, Within};
use super::error::{LoadErrorKind, LoadErrors};
use super::raw::{FactDoc, VocabularyDoc};
use crate::model::{FactDef, FactKind, FactType, Vocabulary, Where};

/// Loads and validates the fact vocabulary.
#[cfg(feature = "fs")]
pub fn load_vocabulary(path: &std::path::Path) -> Result<Vocabulary, LoadErrors> {
    vocabulary_from(FileCtx::read(path)?)
}

/// Loads the vocabulary from text in memory.
pub(crate) fn vocabulary_from(mut ctx: FileCtx) -> Result<Vocabulary, LoadErrors> {
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
                at: Where {
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
    let kinds = FactKind::ALL.map(|k| (k.name(), k));
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
    if kind != FactKind::Enum && fact.values.is_some() {
        ctx.push_at(&fact.ty, LoadErrorKind::Invalid(stray("values")), within);
    }
    if kind != FactKind::Integer && (fact.min.is_some() || fact.max.is_some()) {
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
        FactKind::Bool => FactType::Bool,
        FactKind::Integer => FactType::Integer {
            min: fact.min,
            max: fact.max,
        },
        FactKind::Enum => enum_type(ctx, id, fact)?,
        FactKind::Date => FactType::Date,
        FactKind::Text => FactType::Text,
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
