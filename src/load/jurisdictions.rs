//! The jurisdictions file: compositions of authorities with ranks; every
//! ruleset it names must exist.

use super::context::{FileCtx, Within};
use super::error::{LoadErrorKind, LoadErrors};
use super::ids::{self, Shape};
use super::raw::JurisdictionsDoc;
use crate::model::{AuthorityRank, Jurisdiction, Ruleset};

/// Loads the jurisdictions file (from text in memory); every ruleset it
/// names must exist.
pub(crate) fn jurisdictions_from(
    mut ctx: FileCtx,
    rulesets: &[Ruleset],
) -> Result<Vec<Jurisdiction>, LoadErrors> {
    let out = ctx
        .parse::<JurisdictionsDoc>()
        .map(|doc| build(&mut ctx, doc, rulesets));
    ctx.finish(out)
}

fn build(ctx: &mut FileCtx, doc: JurisdictionsDoc, rulesets: &[Ruleset]) -> Vec<Jurisdiction> {
    let ids: Vec<&str> = rulesets.iter().map(|r| r.id.as_str()).collect();
    let mut out: Vec<Jurisdiction> = Vec::new();
    for j in doc.jurisdictions {
        ids::check(
            ctx,
            &j.id,
            Shape::Code,
            "jurisdiction id",
            Within::field("jurisdictions"),
        );
        if out.iter().any(|o| o.id == j.id.value) {
            let kind = LoadErrorKind::Duplicate {
                what: "jurisdiction",
                id: j.id.value.clone(),
            };
            ctx.push_at(&j.id, kind, Within::field("jurisdictions"));
            continue;
        }
        if j.authorities.is_empty() {
            let kind = LoadErrorKind::Invalid(format!(
                "jurisdiction `{}` names no authorities",
                j.id.value
            ));
            ctx.push_at(&j.id, kind, Within::field("authorities"));
        }
        let authorities = j
            .authorities
            .iter()
            .filter(|a| {
                ctx.known(
                    &a.ruleset,
                    "ruleset",
                    ids.iter().copied(),
                    Within::field("authorities"),
                )
            })
            .map(|a| AuthorityRank {
                ruleset: a.ruleset.value.clone(),
                rank: a.rank,
                standing: a.standing.clone(),
            })
            .collect();
        out.push(Jurisdiction {
            id: j.id.value,
            name: j.name,
            authorities,
            note: j.note,
        });
    }
    out
}
