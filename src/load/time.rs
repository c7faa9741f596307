//! Loading the time and variant parts of a ruleset: `in_force` periods and
//! named `variants` of unsettled law.

use serde_saphyr::Spanned;

use super::context::{FileCtx, Within};
use super::error::LoadErrorKind;
use super::ids::{self, Shape};
use super::raw::{InForceDoc, RuleDoc, RulesetDoc, VariantDoc};
use crate::model::{Citation, Confidence, InForce, Variant, VariantStatus};
use crate::syntax::Date;

/// Parses an `in_force` block; `until` must come after `from`.
pub fn in_force(ctx: &mut FileCtx, doc: &InForceDoc, within: Within) -> Option<InForce> {
    let from = ctx.date(&doc.from, within);
    let until = match &doc.until {
        Some(u) => Some(ctx.date(u, within)?),
        None => None,
    };
    let from = from?;
    if let (Some(u), Some(at)) = (until, &doc.until)
        && u <= from
    {
        let kind = LoadErrorKind::Invalid(format!("`until` ({u}) must be after `from` ({from})"));
        ctx.push_at(at, kind, within);
        return None;
    }
    Some(InForce { from, until })
}

/// The ruleset's period: its `in_force`, else from its `decided` date.
pub fn ruleset_in_force(
    ctx: &mut FileCtx,
    doc: &RulesetDoc,
    decided: Option<Date>,
) -> Option<InForce> {
    match (&doc.in_force, decided) {
        (Some(d), _) => in_force(ctx, d, Within::field("in_force")),
        (None, Some(from)) => Some(InForce { from, until: None }),
        (None, None) => {
            let kind = LoadErrorKind::Invalid(
                "a ruleset needs `in_force: {from: DATE}` (or a `decided` date)".to_string(),
            );
            ctx.push_at(&doc.id, kind, Within::field("in_force"));
            None
        }
    }
}

/// A rule's period: its own, else its ruleset's; it must lie within the
/// ruleset's.
pub fn rule_in_force(ctx: &mut FileCtx, doc: &RuleDoc, ruleset: InForce) -> Option<InForce> {
    let Some(own) = &doc.in_force else {
        return Some(ruleset);
    };
    let within = Within::rule(&doc.id.value, "in_force");
    let period = in_force(ctx, own, within)?;
    if period.from < ruleset.from {
        let kind = LoadErrorKind::Invalid(format!(
            "the rule applies from {} but its ruleset only from {}",
            period.from, ruleset.from
        ));
        ctx.push_at(&own.from, kind, within);
    }
    Some(period)
}

/// Parses the variants; ids unique, `replaces` naming rules of the file.
pub fn variants(
    ctx: &mut FileCtx,
    doc: &RulesetDoc,
    citation: impl Fn(&mut FileCtx, &VariantDoc) -> Option<Citation>,
) -> Vec<Variant> {
    let rule_ids: Vec<&str> = doc.rules.iter().map(|r| r.id.value.as_str()).collect();
    let mut out: Vec<Variant> = Vec::new();
    for v in &doc.variants {
        // An `expect` key `ruleset@variant` and `--variant` name it.
        ids::check(
            ctx,
            &v.id,
            Shape::Slug,
            "variant id",
            Within::field("variants"),
        );
        if out.iter().any(|o| o.id == v.id.value) {
            let kind = LoadErrorKind::Duplicate {
                what: "variant",
                id: v.id.value.clone(),
            };
            ctx.push_at(&v.id, kind, Within::field("variants"));
            continue;
        }
        let statuses = [
            ("proposal", VariantStatus::Proposal),
            ("pending", VariantStatus::Pending),
            ("competing_reading", VariantStatus::CompetingReading),
        ];
        let status = ctx.choice(
            &v.status,
            "variant status",
            &statuses,
            Within::field("variants.status"),
        );
        let replaces: Vec<String> = v
            .replaces
            .iter()
            .filter(|r| {
                ctx.known(
                    r,
                    "rule",
                    rule_ids.iter().copied(),
                    Within::field("variants.replaces"),
                )
            })
            .map(|r| r.value.clone())
            .collect();
        if let (Some(status), Some(citation)) = (status, citation(ctx, v)) {
            out.push(Variant {
                id: v.id.value.clone(),
                title: v.title.clone(),
                status,
                summary: v.summary.clone(),
                replaces,
                citation,
            });
        }
    }
    out
}

/// Checks that a rule's `variant` names a declared variant.
pub fn check_rule_variant(
    ctx: &mut FileCtx,
    doc: &RuleDoc,
    variants: &[VariantDoc],
) -> Option<String> {
    let v = doc.variant.as_ref()?;
    let ids = variants.iter().map(|d| d.id.value.as_str());
    ctx.known(v, "variant", ids, Within::rule(&doc.id.value, "variant"))
        .then(|| v.value.clone())
}

/// Confidence tags, shared by rules, limits and variants.
pub fn confidence(
    ctx: &mut FileCtx,
    value: &Spanned<String>,
    within: Within,
) -> Option<Confidence> {
    let options = [
        ("P", Confidence::P),
        ("S2", Confidence::S2),
        ("S1", Confidence::S1),
    ];
    ctx.choice(
        value,
        "confidence (P, S2 or S1; UNCONFIRMED facts are not encoded)",
        &options,
        within,
    )
}

/// A rule's `issue` and `answer`: both or neither; the issue must be in the
/// vocabulary and the answer `yes` or `no`.
pub fn issue(
    ctx: &mut FileCtx,
    doc: &RuleDoc,
    issues: &[&str],
) -> Option<Option<crate::model::IssueAnswer>> {
    let within = Within::rule(&doc.id.value, "issue");
    match (&doc.issue, &doc.answer) {
        (None, None) => Some(None),
        (Some(issue), Some(answer)) => {
            let known = ctx.known(issue, "issue", issues.iter().copied(), within);
            let yes = ctx.choice(
                answer,
                "answer",
                &[("yes", true), ("no", false)],
                Within::rule(&doc.id.value, "answer"),
            );
            let yes = yes?;
            known.then(|| {
                Some(crate::model::IssueAnswer {
                    issue: issue.value.clone(),
                    yes,
                })
            })
        }
        (Some(at), None) | (None, Some(at)) => {
            let kind = LoadErrorKind::Invalid("`issue` and `answer` go together: the question the rule answers, and its answer (yes or no)".to_string());
            ctx.push_at(at, kind, within);
            None
        }
    }
}
