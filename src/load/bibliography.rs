//! The bibliography file, and the check that every citation in a rules or
//! case file resolves to one of its works (`[KEY]`, `[P via KEY]` …): an
//! unknown key, or a conduit named other than by key, is an error at its
//! line and column.

use super::context::{FileCtx, Within};
use super::error::{LoadErrorKind, LoadErrors};
use super::ids::{self, Shape};
use super::locate::pos_at;
use super::raw::BibliographyDoc;
use crate::model::Scalar;
use crate::model::bibliography::{Bibliography, CiteProblem, KINDS, TAGS, Work};

/// Loads the bibliography (from text in memory).
pub(crate) fn bibliography_from(mut ctx: FileCtx) -> Result<Bibliography, LoadErrors> {
    let out = ctx
        .parse::<BibliographyDoc>()
        .map(|doc| build(&mut ctx, doc));
    ctx.finish(out)
}

fn build(ctx: &mut FileCtx, doc: BibliographyDoc) -> Bibliography {
    let mut out = Bibliography::default();
    for (tag, meaning) in doc.tags.0 {
        if !TAGS.contains(&tag.value.as_str()) {
            let kind = LoadErrorKind::Invalid(format!(
                "`{}` is not a tag (the tags are {})",
                tag.value,
                TAGS.join(", ")
            ));
            ctx.push_at(&tag, kind, Within::field("tags"));
            continue;
        }
        out.tags.insert(tag.value, meaning);
    }
    for (key, w) in doc.works.0 {
        if !ids::check(ctx, &key, Shape::Key, "key", Within::field("works")) {
            continue;
        }
        if w.url.is_none() && w.no_url.is_none() {
            let kind = LoadErrorKind::Invalid(format!(
                "work `{}` has neither `url` nor `no_url` (say why there is no address)",
                key.value
            ));
            ctx.push_at(&key, kind, Within::field("works"));
        }
        if let Some(k) = w.kind.as_deref().filter(|k| !KINDS.contains(k)) {
            let kind = LoadErrorKind::Invalid(format!(
                "work `{}` has kind `{k}`; the kinds are {}",
                key.value,
                KINDS.join(", ")
            ));
            ctx.push_at(&key, kind, Within::field("works"));
        }
        let date = w.date.map(|d| match d {
            Scalar::Str(s) => s,
            Scalar::Int(i) => i.to_string(),
            other => format!("{other:?}"),
        });
        out.works.insert(
            key.value.clone(),
            Work {
                key: key.value,
                title: w.title,
                author: w.author,
                publisher: w.publisher,
                date,
                url: w.url,
                no_url: w.no_url,
                language: w.language,
                kind: w.kind,
                date_note: w.date_note,
                note: w.note,
                verified: w.verified,
            },
        );
    }
    out
}

/// Records an error for each citation in the file that does not resolve.
pub(crate) fn check_citations(ctx: &mut FileCtx, bibliography: &Bibliography) {
    for (at, problem) in bibliography.problems(&ctx.source) {
        let pos = pos_at(&ctx.source, at);
        let (width, message) = match problem {
            CiteProblem::Unknown(key) => (
                key.chars().count(),
                format!(
                    "citation key `{key}` is not in the bibliography (rules/bibliography.yaml)"
                ),
            ),
            CiteProblem::NotAKey(word) => (
                word.chars().count(),
                format!(
                    "`{word}` names a source inside a citation other than by its key: \
                     add the work to the bibliography and cite its key"
                ),
            ),
        };
        ctx.push(
            pos,
            width,
            LoadErrorKind::Invalid(message),
            Within::default(),
        );
    }
}
