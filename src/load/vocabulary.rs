//! The vocabulary file (`facts.yaml`): facts with their types, elements,
//! parties and issues, with ids checked so conditions can name them.

use std::collections::BTreeSet;

use super::check::check_condition;
use super::context::{FileCtx, Within};
use super::error::{LoadErrorKind, LoadErrors};
use super::ids::{self, Shape};
use super::raw::{ArisesDoc, FactDoc, VocabularyDoc};
use crate::model::{Arising, FactDef, FactKind, FactType, Scalar, Vocabulary, Where};
use crate::syntax::{Expr, parse_condition};

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
    let mut arising = Vec::new();
    for (id, mut fact) in doc.facts.0 {
        if let Some(a) = fact.arises.take() {
            arising.push((id.value.clone(), a));
        }
        ids::check(ctx, &id, Shape::Name, "fact id", Within::field("facts"));
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
                arises: None,
            };
            vocab.facts.insert(id.value, def);
        }
    }
    // Conditions read other facts' types, so they are checked once every
    // fact is known.
    for (id, doc) in &arising {
        let checked = arises(ctx, &vocab, id, doc);
        if let (Some(a), Some(def)) = (checked, vocab.facts.get_mut(id)) {
            def.arises = Some(a);
        }
    }
    check_arising_cycles(ctx, &arising);
    let mut parts = Vec::new();
    for (id, element) in doc.elements.0 {
        ids::check(
            ctx,
            &id,
            Shape::Name,
            "element id",
            Within::field("elements"),
        );
        if let Some(p) = element.part_of {
            parts.push((id.value.clone(), p));
        }
        vocab.elements.insert(id.value, element.description);
    }
    let sides: BTreeSet<String> = parts.iter().map(|(id, _)| id.clone()).collect();
    for (id, principal) in parts {
        // One level only: the element a side element is part of is a main one.
        let nested = sides.contains(&principal.value);
        if !vocab.elements.contains_key(&principal.value) || principal.value == id || nested {
            let kind = LoadErrorKind::Invalid(format!(
                "`part_of: {}` of element `{id}` must name another element that is not itself part of one",
                principal.value
            ));
            ctx.push_at(&principal, kind, Within::field("elements"));
            continue;
        }
        vocab.part_of.insert(id, principal.value);
    }
    for (id, party) in doc.parties.0 {
        ids::check(ctx, &id, Shape::Name, "party id", Within::field("parties"));
        vocab.parties.insert(id.value, party.description);
    }
    for (id, issue) in doc.issues.0 {
        ids::check(ctx, &id, Shape::Name, "issue id", Within::field("issues"));
        vocab.issues.insert(id.value, issue.question);
    }
    vocab
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
    // Values are compared as written, in conditions and in cases: a
    // look-alike or a hidden character would make a second value that no
    // one can tell from the first.
    for (value, _) in &values.value.0 {
        ids::check(
            ctx,
            value,
            Shape::Name,
            "enum value",
            Within::field("values"),
        );
    }
    let values = values
        .value
        .0
        .iter()
        .map(|(k, v)| (k.value.clone(), v.clone()))
        .collect();
    Some(FactType::Enum { values })
}

/// A fact's `arises`: the condition parses, reads only facts of the
/// vocabulary (not `@conclusions`, not the fact itself) and is well typed,
/// and `otherwise` is a value of the fact's type.
fn arises(ctx: &mut FileCtx, vocab: &Vocabulary, id: &str, doc: &ArisesDoc) -> Option<Arising> {
    let within = Within::field("arises.when");
    let condition = match parse_condition(&doc.when.value) {
        Ok(expr) => Some(expr),
        Err(e) => {
            ctx.push_in_condition(&doc.when, e.span(), LoadErrorKind::Condition(e), within);
            None
        }
    };
    let condition = condition.filter(|expr| arises_condition_ok(ctx, vocab, id, doc, expr));
    let otherwise = otherwise(ctx, vocab, id, doc);
    let pos = super::yaml::pos(&doc.when);
    Some(Arising {
        when: doc.when.value.clone(),
        condition: condition?,
        otherwise: otherwise?,
        at: Where {
            file: ctx.path.clone(),
            line: pos.line,
            column: pos.column,
        },
    })
}

fn arises_condition_ok(
    ctx: &mut FileCtx,
    vocab: &Vocabulary,
    id: &str,
    doc: &ArisesDoc,
    expr: &Expr,
) -> bool {
    let within = Within::field("arises.when");
    let mut ok = true;
    expr.visit(&mut |e| match e {
        Expr::Conclusion { span, name } => {
            let kind = LoadErrorKind::Invalid(format!(
                "`arises.when` reads facts only, not conclusions of rules such as `@{name}`"
            ));
            ctx.push_in_condition(&doc.when, *span, kind, within);
            ok = false;
        }
        Expr::Fact { span, name } if name == id => {
            let kind = LoadErrorKind::FactCycle(vec![id.to_string(), id.to_string()]);
            ctx.push_in_condition(&doc.when, *span, kind, within);
            ok = false;
        }
        _ => {}
    });
    if !ok {
        return false;
    }
    let problems = check_condition(expr, vocab, &BTreeSet::new());
    let ok = problems.is_empty();
    for (span, kind) in problems {
        ctx.push_in_condition(&doc.when, span, kind, within);
    }
    ok
}

fn otherwise(
    ctx: &mut FileCtx,
    vocab: &Vocabulary,
    id: &str,
    doc: &ArisesDoc,
) -> Option<crate::model::FactValue> {
    let within = Within::field("arises.otherwise");
    // A fact whose type did not load has had its error reported already.
    let def = vocab.fact(id)?;
    if doc.otherwise.value == Scalar::Null {
        let kind = LoadErrorKind::Type(format!(
            "`arises.otherwise` must be the value fact `{id}` has when it does not arise ({}), not null",
            def.ty.describe()
        ));
        ctx.push_at(&doc.otherwise, kind, within);
        return None;
    }
    match def.value(&doc.otherwise.value) {
        Ok(v) => Some(v),
        Err(e) => {
            ctx.push_at(&doc.otherwise, LoadErrorKind::Type(e.into()), within);
            None
        }
    }
}

/// Facts whose `arises.when` conditions read each other in a circle: one
/// error per cycle, at the condition of its first fact (in file order).
fn check_arising_cycles(ctx: &mut FileCtx, docs: &[(String, ArisesDoc)]) {
    let ids: Vec<&str> = docs.iter().map(|(id, _)| id.as_str()).collect();
    let deps: Vec<Vec<usize>> = docs
        .iter()
        .map(|(id, doc)| {
            // Read from the condition as written, so a cycle is reported
            // even where `otherwise` has an error of its own.
            let Ok(condition) = parse_condition(&doc.when.value) else {
                return Vec::new();
            };
            // A fact reading itself is reported where it is read.
            condition
                .facts_read()
                .iter()
                .filter(|f| **f != id.as_str())
                .filter_map(|f| ids.iter().position(|i| i == f))
                .collect()
        })
        .collect();
    let Err(mut cycle) = super::order::topological(&deps) else {
        return;
    };
    // The cycle from its first fact in the file, each fact followed by one
    // its condition reads: `[a, b, a]`.
    cycle.pop();
    cycle.reverse();
    let line = |i: &usize| docs.get(*i).map(|(_, d)| super::yaml::pos(&d.when).line);
    if let Some(start) = (0..cycle.len()).min_by_key(|&k| cycle.get(k).and_then(line)) {
        cycle.rotate_left(start);
    }
    let names: Vec<String> = cycle
        .iter()
        .chain(cycle.first())
        .filter_map(|&i| ids.get(i))
        .map(|s| s.to_string())
        .collect();
    if let Some((_, doc)) = cycle.first().and_then(|&i| docs.get(i)) {
        ctx.push_at(
            &doc.when,
            LoadErrorKind::FactCycle(names),
            Within::field("arises.when"),
        );
    }
}
