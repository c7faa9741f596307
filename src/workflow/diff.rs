//! What changes between two versions of the rules, over a case corpus:
//! every change of verdict, authors, protected elements or deciding rules,
//! with the rules whose values changed and their citations. Unchanged
//! cells are counted, not listed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::compare::{Options, as_of};
use crate::eval::{ElementStatus, Evaluation, Truth, Verdict};
use crate::load::LoadErrors;
use crate::model::{Case, Library, Ruleset};

/// One side of a changed cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The verdict (absent: the ruleset or case does not exist or load on this side).
    pub verdict: Option<Verdict>,
    /// Authors.
    pub authors: Vec<String>,
    /// Protected elements.
    pub protected: Vec<String>,
    /// Unprotected elements.
    pub not_protected: Vec<String>,
    /// Rules that applied and decided.
    pub decided_by: Vec<String>,
    /// Why there is no evaluation, if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A rule whose value changed between the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleChange {
    /// The rule.
    pub rule: String,
    /// Its condition before (absent if the rule did not exist).
    pub condition_before: Option<String>,
    /// Its condition after.
    pub condition_after: Option<String>,
    /// Whether it applied before.
    pub applies_before: Option<Truth>,
    /// Whether it applies after.
    pub applies_after: Option<Truth>,
    /// Its citation after (else before): source, pinpoint.
    pub cite: String,
}

/// A case × ruleset whose outcome changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The case file.
    pub case: String,
    /// The ruleset.
    pub ruleset: String,
    /// What changed: verdict, authors, elements, deciding rules.
    pub what: Vec<&'static str>,
    /// Before.
    pub before: Cell,
    /// After.
    pub after: Cell,
    /// Rules whose condition or value changed.
    pub rules: Vec<RuleChange>,
}

/// The whole diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Cells (case × ruleset) compared.
    pub compared: usize,
    /// Cells with no change.
    pub unchanged: usize,
    /// The changed cells.
    pub changes: Vec<Change>,
}

/// Compares every case under every ruleset of either library.
pub fn diff(before: &Library, after: &Library, cases: &[(PathBuf, String)]) -> Diff {
    let ids: BTreeSet<&str> = before
        .rulesets
        .iter()
        .chain(&after.rulesets)
        .map(|r| r.id.as_str())
        .collect();
    let mut out = Diff {
        compared: 0,
        unchanged: 0,
        changes: vec![],
    };
    for (path, text) in cases {
        // Each case is loaded once per side: a rule change may change
        // whether it loads at all.
        let (case_before, case_after) = (
            Case::from_source(path, text.as_str(), before),
            Case::from_source(path, text.as_str(), after),
        );
        for id in &ids {
            out.compared = out.compared.saturating_add(1);
            let (b, be) = side(before, id, &case_before);
            let (a, ae) = side(after, id, &case_after);
            match change(
                path,
                id,
                (&b, be),
                (&a, ae),
                before.ruleset(id),
                after.ruleset(id),
            ) {
                Some(c) => out.changes.push(c),
                None => out.unchanged = out.unchanged.saturating_add(1),
            }
        }
    }
    out
}

fn side(
    library: &Library,
    ruleset: &str,
    case: &Result<Case, LoadErrors>,
) -> (Cell, Option<Evaluation>) {
    let fail = |error: String| {
        (
            Cell {
                verdict: None,
                authors: vec![],
                protected: vec![],
                not_protected: vec![],
                decided_by: vec![],
                error: Some(error),
            },
            None,
        )
    };
    let Some(r) = library.ruleset(ruleset) else {
        return fail("no such ruleset".into());
    };
    let case = match case {
        Ok(c) => c,
        Err(e) => {
            return fail(format!(
                "the case does not load: {}",
                e.0.first().map_or(String::new(), |x| x.to_string())
            ));
        }
    };
    let ctx = crate::eval::Context::as_of(as_of(case, library, &Options::default()).0);
    match library.evaluate(r, &case.facts, &ctx) {
        Ok(e) => (cell(&e, r), Some(e)),
        Err(e) => fail(e.to_string()),
    }
}

fn cell(e: &Evaluation, r: &Ruleset) -> Cell {
    let with = |s| {
        e.elements
            .iter()
            .filter(|el| el.status == s)
            .map(|el| el.element.clone())
            .collect()
    };
    Cell {
        verdict: Some(e.verdict),
        authors: e.authors.clone(),
        protected: with(ElementStatus::Protected),
        not_protected: with(ElementStatus::NotProtected),
        decided_by: e
            .decided_by
            .iter()
            .filter(|id| r.rule(id).is_some())
            .cloned()
            .collect(),
        error: None,
    }
}

fn change(
    path: &Path,
    ruleset: &str,
    (b, be): (&Cell, Option<Evaluation>),
    (a, ae): (&Cell, Option<Evaluation>),
    rb: Option<&Ruleset>,
    ra: Option<&Ruleset>,
) -> Option<Change> {
    let mut what = Vec::new();
    if b.verdict != a.verdict || b.error != a.error {
        what.push("verdict");
    }
    if b.authors != a.authors {
        what.push("authors");
    }
    if b.protected != a.protected || b.not_protected != a.not_protected {
        what.push("elements");
    }
    if b.decided_by != a.decided_by {
        what.push("deciding rules");
    }
    if what.is_empty() {
        return None;
    }
    Some(Change {
        case: path.display().to_string(),
        ruleset: ruleset.to_string(),
        what,
        before: b.clone(),
        after: a.clone(),
        rules: rule_changes(be.as_ref(), ae.as_ref(), rb, ra),
    })
}

fn rule_changes(
    be: Option<&Evaluation>,
    ae: Option<&Evaluation>,
    rb: Option<&Ruleset>,
    ra: Option<&Ruleset>,
) -> Vec<RuleChange> {
    let ids: BTreeSet<&str> = rb
        .iter()
        .chain(ra.iter())
        .flat_map(|r| r.rules.iter().map(|x| x.id.as_str()))
        .collect();
    ids.into_iter()
        .filter_map(|id| {
            let before = rb.and_then(|r| r.rule(id));
            let after = ra.and_then(|r| r.rule(id));
            let applies_before = be.and_then(|e| e.rule(id)).map(|n| n.applies);
            let applies_after = ae.and_then(|e| e.rule(id)).map(|n| n.applies);
            let cond_b = before.map(|r| r.when.to_string());
            let cond_a = after.map(|r| r.when.to_string());
            if cond_b == cond_a && applies_before == applies_after {
                return None;
            }
            let cited = after.or(before)?;
            let source = ra
                .or(rb)
                .and_then(|r| r.source(&cited.citation.source))
                .map_or("", |s| s.title.as_str());
            Some(RuleChange {
                rule: id.to_string(),
                condition_before: cond_b,
                condition_after: cond_a,
                applies_before,
                applies_after,
                cite: format!("{source}, {}", cited.citation.pinpoint),
            })
        })
        .collect()
}
