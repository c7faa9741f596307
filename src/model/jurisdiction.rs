//! Jurisdictions: compositions of authorities (rulesets) with declared
//! ranks, loaded from `rules/jurisdictions.yaml`.

use std::path::Path;

use serde::Serialize;

use super::context::{FileCtx, Within};
use super::error::{LoadErrorKind, LoadErrors};
use super::raw::JurisdictionsDoc;
use super::ruleset::Ruleset;

/// An authority's place in a jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorityRank {
    /// The ruleset's id.
    pub ruleset: String,
    /// Its rank: a higher rank prevails over a lower one.
    pub rank: u32,
}

/// A jurisdiction and the authorities that speak in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Jurisdiction {
    /// Short id, e.g. `US`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its authorities.
    pub authorities: Vec<AuthorityRank>,
    /// Why the ranks are as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Loads the jurisdictions file; every ruleset it names must exist.
pub fn load_jurisdictions(
    path: &Path,
    rulesets: &[Ruleset],
) -> Result<Vec<Jurisdiction>, LoadErrors> {
    let mut ctx = FileCtx::read(path)?;
    let out = ctx
        .parse::<JurisdictionsDoc>()
        .map(|doc| build(&mut ctx, doc, rulesets));
    ctx.finish(out)
}

fn build(ctx: &mut FileCtx, doc: JurisdictionsDoc, rulesets: &[Ruleset]) -> Vec<Jurisdiction> {
    let ids: Vec<&str> = rulesets.iter().map(|r| r.id.as_str()).collect();
    let mut out: Vec<Jurisdiction> = Vec::new();
    for j in doc.jurisdictions {
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
