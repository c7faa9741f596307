//! Building a validated [`Ruleset`] from its YAML: ids, sources, citations,
//! conditions (parsed and type-checked), conclusions, exception links, and a
//! dependency order in which cycles are errors.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use super::check::check_condition;
use super::context::{FileCtx, Within};
use super::cost::MAX_EVAL_COST;
use super::error::{LoadErrorKind, LoadErrors};
use super::ids::{self, Shape};
use super::raw::{LimitDoc, RuleDoc, RulesetDoc, ThenDoc};
use super::time as load_time;
use crate::model::Vocabulary;
use crate::model::{
    AuthorityKind, Binding, Citation, Conclusions, InForce, Limit, Rule, RuleIndex, Ruleset, Source,
};
use crate::syntax::{Expr, parse_condition};

/// Most rules one ruleset may hold.
pub const MAX_RULES: usize = 1_000;

/// Loads and validates one ruleset file against the vocabulary.
#[cfg(feature = "fs")]
pub fn load_ruleset(path: &std::path::Path, vocab: &Vocabulary) -> Result<Ruleset, LoadErrors> {
    ruleset_from(FileCtx::read(path)?, vocab)
}

/// Loads a ruleset from text in memory (named like its file).
pub(crate) fn ruleset_from(mut ctx: FileCtx, vocab: &Vocabulary) -> Result<Ruleset, LoadErrors> {
    let ruleset = ctx
        .parse::<RulesetDoc>()
        .and_then(|doc| build(&mut ctx, vocab, doc));
    ctx.finish(ruleset)
}

fn build(ctx: &mut FileCtx, vocab: &Vocabulary, doc: RulesetDoc) -> Option<Ruleset> {
    check_file_id(ctx, &doc.id);
    ids::check(ctx, &doc.id, Shape::Slug, "ruleset id", Within::field("id"));
    if doc.rules.len() > MAX_RULES {
        let kind = LoadErrorKind::Invalid(format!(
            "{} rules; the limit is {MAX_RULES}",
            doc.rules.len()
        ));
        ctx.push_at(&doc.id, kind, Within::field("rules"));
        return None;
    }
    let header = header(ctx, &doc);
    let period = header.as_ref().map(|h| h.in_force);
    let sources = sources(ctx, &doc);
    let source_ids: Vec<String> = sources.iter().map(|s| s.id.clone()).collect();
    let limits = doc
        .limits
        .iter()
        .filter_map(|l| limit(ctx, &source_ids, l))
        .collect();
    let variants = load_time::variants(ctx, &doc, |ctx, v| {
        citation(
            ctx,
            &source_ids,
            &v.source,
            &v.pinpoint,
            &v.quote,
            &v.confidence,
            None,
        )
    });
    let conclusions = declared_conclusions(&doc.rules);
    let scope = RuleScope {
        vocab,
        sources: &source_ids,
        conclusions: &conclusions,
        period,
        doc: &doc,
    };
    let built: Vec<Option<Rule>> = doc.rules.iter().map(|r| rule(ctx, &scope, r)).collect();
    let links_ok = check_links(ctx, &doc.rules);
    let rules: Vec<Rule> = built.into_iter().collect::<Option<_>>()?;
    let index = if links_ok {
        index(ctx, &rules, &doc.rules)?
    } else {
        return None;
    };
    let header = header?;
    // Where a ruleset without rules would be refused (it never is: its
    // cost is tiny), since `doc.id` moves into the ruleset.
    let at_id = doc.id.clone();
    let ruleset = Ruleset {
        id: doc.id.value,
        title: doc.title,
        jurisdiction: doc.jurisdiction,
        authority: doc.authority.name,
        authority_kind: header.kind,
        binding: header.binding,
        decided: header.decided,
        effective: header.effective,
        in_force: header.in_force,
        summary: doc.summary,
        notes: doc.notes,
        sources,
        limits,
        variants,
        rules,
        index,
    };
    within_budget(ctx, vocab, &ruleset, &doc.rules, &at_id).then_some(ruleset)
}

/// Whether one evaluation of the ruleset stays within [`MAX_EVAL_COST`];
/// if not, the error is at its costliest rule.
fn within_budget(
    ctx: &mut FileCtx,
    vocab: &Vocabulary,
    ruleset: &Ruleset,
    docs: &[RuleDoc],
    at_id: &Spanned<String>,
) -> bool {
    let cost = super::cost::cost(ruleset, vocab);
    if cost.total <= MAX_EVAL_COST {
        return true;
    }
    let (i, share) = cost.heaviest.unwrap_or_default();
    let kind = LoadErrorKind::Invalid(format!(
        "one evaluation of this ruleset could cost about {} steps; the limit is {MAX_EVAL_COST} \
         (`MAX_EVAL_COST`, about 50 ms). This rule is the costliest ({share} steps), mostly \
         from {}: split or simplify it",
        cost.total,
        cost.why.describe()
    ));
    match docs.get(i) {
        Some(doc) => {
            let within = Within {
                rule: Some(&doc.id.value),
                field: None,
            };
            ctx.push_at(&doc.id, kind, within);
        }
        None => ctx.push_at(at_id, kind, Within::field("rules")),
    }
    false
}

/// What every rule of a file is checked against.
struct RuleScope<'a> {
    vocab: &'a Vocabulary,
    sources: &'a [String],
    conclusions: &'a BTreeSet<String>,
    /// The ruleset's period, when its header is valid.
    period: Option<InForce>,
    doc: &'a RulesetDoc,
}

/// The validated ruleset header.
struct Header {
    kind: AuthorityKind,
    binding: Binding,
    decided: Option<crate::syntax::Date>,
    effective: Option<crate::syntax::Date>,
    in_force: InForce,
}

fn header(ctx: &mut FileCtx, doc: &RulesetDoc) -> Option<Header> {
    let kinds = [
        ("court", AuthorityKind::Court),
        ("agency", AuthorityKind::Agency),
        ("review_board", AuthorityKind::ReviewBoard),
        ("legislature", AuthorityKind::Legislature),
    ];
    let bindings = [
        ("statute", Binding::Statute),
        ("binding_precedent", Binding::BindingPrecedent),
        ("persuasive_decision", Binding::PersuasiveDecision),
        ("agency_practice", Binding::AgencyPractice),
        ("non_binding_guidance", Binding::NonBindingGuidance),
    ];
    let kind = ctx.choice(
        &doc.authority.kind,
        "authority kind",
        &kinds,
        Within::field("authority.kind"),
    );
    let binding = ctx.choice(
        &doc.binding,
        "binding level",
        &bindings,
        Within::field("binding"),
    );
    let decided = doc
        .decided
        .as_ref()
        .map(|d| ctx.date(d, Within::field("decided")));
    let effective = doc
        .effective
        .as_ref()
        .map(|d| ctx.date(d, Within::field("effective")));
    let decided = decided.flatten();
    let in_force = load_time::ruleset_in_force(ctx, doc, decided);
    Some(Header {
        kind: kind?,
        binding: binding?,
        decided,
        effective: effective.flatten(),
        in_force: in_force?,
    })
}

fn check_file_id(ctx: &mut FileCtx, id: &Spanned<String>) {
    let stem = ctx
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    if id.value != stem {
        let kind = LoadErrorKind::Invalid(format!(
            "ruleset id `{}` must match its file name `{stem}.yaml`",
            id.value
        ));
        ctx.push_at(id, kind, Within::field("id"));
    }
}

fn sources(ctx: &mut FileCtx, doc: &RulesetDoc) -> Vec<Source> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in &doc.sources {
        ids::check(
            ctx,
            &s.id,
            Shape::Slug,
            "source id",
            Within::field("sources"),
        );
        if !seen.insert(s.id.value.clone()) {
            let kind = LoadErrorKind::Duplicate {
                what: "source",
                id: s.id.value.clone(),
            };
            ctx.push_at(&s.id, kind, Within::field("sources"));
            continue;
        }
        let date = s
            .date
            .as_ref()
            .and_then(|d| ctx.date(d, Within::field("sources.date")));
        out.push(Source {
            id: s.id.value.clone(),
            title: s.title.clone(),
            citation: s.citation.clone(),
            date,
            url: s.url.clone(),
            reached_via: s.reached_via.clone(),
        });
    }
    out
}

fn citation(
    ctx: &mut FileCtx,
    sources: &[String],
    source: &Spanned<String>,
    pinpoint: &Spanned<String>,
    quote: &Option<String>,
    conf: &Spanned<String>,
    rule: Option<&str>,
) -> Option<Citation> {
    let known = ctx.known(
        source,
        "source",
        sources.iter().map(String::as_str),
        Within {
            rule,
            field: Some("source"),
        },
    );
    if pinpoint.value.trim().is_empty() {
        let kind =
            LoadErrorKind::Invalid("a pinpoint is required: where in the source".to_string());
        ctx.push_at(
            pinpoint,
            kind,
            Within {
                rule,
                field: Some("pinpoint"),
            },
        );
    }
    let confidence = load_time::confidence(
        ctx,
        conf,
        Within {
            rule,
            field: Some("confidence"),
        },
    )?;
    known.then(|| Citation {
        source: source.value.clone(),
        pinpoint: pinpoint.value.clone(),
        quote: quote.clone(),
        confidence,
    })
}

fn limit(ctx: &mut FileCtx, sources: &[String], doc: &LimitDoc) -> Option<Limit> {
    let citation = citation(
        ctx,
        sources,
        &doc.source,
        &doc.pinpoint,
        &doc.quote,
        &doc.confidence,
        None,
    )?;
    Some(Limit {
        text: doc.text.clone(),
        citation,
    })
}

fn declared_conclusions(rules: &[RuleDoc]) -> BTreeSet<String> {
    rules
        .iter()
        .filter_map(|r| r.then.value.holds.as_ref().map(|h| h.value.clone()))
        .collect()
}

fn rule(ctx: &mut FileCtx, scope: &RuleScope, doc: &RuleDoc) -> Option<Rule> {
    let id = doc.id.value.clone();
    // Named by field only: the rule's name is what is wrong.
    ids::check(ctx, &doc.id, Shape::Slug, "rule id", Within::field("rules"));
    let when = condition(ctx, scope.vocab, scope.conclusions, &id, &doc.when);
    let then = then(ctx, scope.vocab, &id, &doc.then);
    let citation = citation(
        ctx,
        scope.sources,
        &doc.source,
        &doc.pinpoint,
        &doc.quote,
        &doc.confidence,
        Some(&id),
    );
    if doc.quote.is_none() && doc.interpretation.is_none() {
        let kind = LoadErrorKind::Invalid(
            "a rule needs a `quote` of its source, an `interpretation` marking it as the encoder's reading, or both".to_string(),
        );
        ctx.push_at(&doc.id, kind, Within::rule(&id, "quote"));
    }
    let variant = load_time::check_rule_variant(ctx, doc, &scope.doc.variants);
    let issues: Vec<&str> = scope.vocab.issues.keys().map(String::as_str).collect();
    let issue = load_time::issue(ctx, doc, &issues);
    let in_force = scope
        .period
        .and_then(|p| load_time::rule_in_force(ctx, doc, p));
    let pos = super::yaml::pos(&doc.id);
    let reading = reading(ctx, doc, &id);
    Some(Rule {
        at: crate::model::Where {
            file: ctx.path.clone(),
            line: pos.line,
            column: pos.column,
        },
        id,
        title: doc.title.clone(),
        when_text: doc.when.value.clone(),
        when: when?,
        then: then?,
        exception_to: doc.exception_to.iter().map(|e| e.value.clone()).collect(),
        because: doc.because.clone(),
        citation: citation?,
        interpretation: doc.interpretation.clone(),
        reading,
        in_force: in_force?,
        variant,
        issue: issue?,
    })
}

/// The reading level of an interpretation: one of the fixed words, and
/// only beside an `interpretation`.
fn reading(ctx: &mut FileCtx, doc: &RuleDoc, id: &str) -> Option<String> {
    let r = doc.reading.as_ref()?;
    if !READINGS.contains(&r.value.as_str()) || doc.interpretation.is_none() {
        let kind = LoadErrorKind::Invalid(format!(
            "`reading: {}` must be one of {} and go with an `interpretation`",
            r.value,
            READINGS.join(", ")
        ));
        ctx.push_at(r, kind, Within::rule(id, "reading"));
        return None;
    }
    Some(r.value.clone())
}

/// How far an encoder's interpretation goes beyond its source.
pub const READINGS: [&str; 3] = ["close", "applied", "reconstructed"];

fn condition(
    ctx: &mut FileCtx,
    vocab: &Vocabulary,
    conclusions: &BTreeSet<String>,
    rule: &str,
    when: &Spanned<String>,
) -> Option<Expr> {
    let within = Within::rule(rule, "when");
    let expr = match parse_condition(&when.value) {
        Ok(expr) => expr,
        Err(e) => {
            ctx.push_in_condition(when, e.span(), LoadErrorKind::Condition(e), within);
            return None;
        }
    };
    let problems = check_condition(&expr, vocab, conclusions);
    let ok = problems.is_empty();
    for (span, kind) in problems {
        ctx.push_in_condition(when, span, kind, within);
    }
    ok.then_some(expr)
}

fn then(
    ctx: &mut FileCtx,
    vocab: &Vocabulary,
    rule: &str,
    doc: &Spanned<ThenDoc>,
) -> Option<Conclusions> {
    let t = &doc.value;
    if let Some(holds) = &t.holds {
        // Other rules read it as `@name`, and a case's `findings` name it.
        ids::check(
            ctx,
            holds,
            Shape::Name,
            "conclusion name",
            Within::rule(rule, "then.holds"),
        );
    }
    let elements = vocab.elements.keys().map(String::as_str);
    let parties = vocab.parties.keys().map(String::as_str);
    let mut names =
        |list: &[Spanned<String>], what, field, known: std::iter::Map<_, _>| -> Vec<String> {
            list.iter()
                .filter(|n| ctx.known(n, what, known.clone(), Within::rule(rule, field)))
                .map(|n| n.value.clone())
                .collect()
        };
    let out = Conclusions {
        holds: t.holds.as_ref().map(|h| h.value.clone()),
        protected: names(&t.protected, "element", "then.protected", elements.clone()),
        not_protected: names(&t.not_protected, "element", "then.not_protected", elements),
        author: names(&t.author, "party", "then.author", parties.clone()),
        not_author: names(&t.not_author, "party", "then.not_author", parties),
    };
    let written = [
        t.protected.len(),
        t.not_protected.len(),
        t.author.len(),
        t.not_author.len(),
    ]
    .iter()
    .fold(0usize, |a, b| a.saturating_add(*b));
    if t.holds.is_none() && written == 0 {
        let kind = LoadErrorKind::Invalid(
            "`then` must conclude something: holds, protected, not_protected, author or not_author"
                .to_string(),
        );
        ctx.push_at(doc, kind, Within::rule(rule, "then"));
    }
    Some(out)
}

/// Checks rule ids are unique and exception links name existing rules.
fn check_links(ctx: &mut FileCtx, docs: &[RuleDoc]) -> bool {
    let before = ctx.errors.len();
    let mut seen = BTreeSet::new();
    for d in docs {
        if !seen.insert(d.id.value.as_str()) {
            let kind = LoadErrorKind::Duplicate {
                what: "rule",
                id: d.id.value.clone(),
            };
            ctx.push_at(&d.id, kind, Within::rule(&d.id.value, "id"));
        }
    }
    let ids: Vec<&str> = docs.iter().map(|d| d.id.value.as_str()).collect();
    for d in docs {
        for target in &d.exception_to {
            let within = Within::rule(&d.id.value, "exception_to");
            if ctx.known(target, "rule", ids.iter().copied(), within) && target.value == d.id.value
            {
                let kind = LoadErrorKind::Cycle(vec![d.id.value.clone(), d.id.value.clone()]);
                ctx.push_at(target, kind, within);
            }
        }
    }
    ctx.errors.len() == before
}

/// Builds the rule index (links already checked); a dependency cycle is an
/// error located at the first rule in it.
fn index(ctx: &mut FileCtx, rules: &[Rule], docs: &[RuleDoc]) -> Option<RuleIndex> {
    let ids: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut holders: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut exceptions = vec![Vec::new(); rules.len()];
    for (i, r) in rules.iter().enumerate() {
        if let Some(h) = &r.then.holds {
            holders.entry(h.clone()).or_default().push(i);
        }
        for target in &r.exception_to {
            exceptions.get_mut(*ids.get(target.as_str())?)?.push(i);
        }
    }
    let deps = dependencies(rules, &holders, &exceptions);
    match super::order::topological(&deps) {
        Ok(order) => Some(RuleIndex {
            holders,
            exceptions,
            order,
        }),
        Err(cycle) => {
            let names: Vec<String> = cycle
                .iter()
                .filter_map(|&i| rules.get(i))
                .map(|r| r.id.clone())
                .collect();
            let first = cycle.first().and_then(|&i| docs.get(i))?;
            ctx.push_at(
                &first.id,
                LoadErrorKind::Cycle(names),
                Within::rule(&first.id.value, "when"),
            );
            None
        }
    }
}

fn dependencies(
    rules: &[Rule],
    holders: &BTreeMap<String, Vec<usize>>,
    exceptions: &[Vec<usize>],
) -> Vec<Vec<usize>> {
    rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut deps: BTreeSet<usize> =
                exceptions.get(i).into_iter().flatten().copied().collect();
            for name in r.when.conclusions_read() {
                deps.extend(holders.get(name).into_iter().flatten().copied());
            }
            deps.into_iter().collect()
        })
        .collect()
}
