//! Short summaries shared by every format: the author label and the
//! one-line reason (with its citation) for an outcome.

use crate::compare::{AsOfSource, Column, Comparison, JurisdictionOutcome};
use crate::eval::{Evaluation, Verdict};
use crate::model::Ruleset;

use super::style::verdict_words;
use std::fmt::Write;

/// "rules: built into authorship 0.1.0 (digest …)" or "rules: from the
/// directory rules": every output names the rules it applied.
pub fn rules_line(c: &Comparison) -> String {
    format!("rules: {}", c.rule_set)
}

/// "as of 2025-06-01 (--as-of)" and the like: every output states its date.
pub fn as_of_line(c: &Comparison) -> String {
    as_of_text(c.as_of, c.as_of_source)
}

/// "as of: DATE (where the date came from)".
pub fn as_of_text(as_of: crate::syntax::Date, source: AsOfSource) -> String {
    let why = match source {
        AsOfSource::Option => "set with --as-of",
        AsOfSource::Case => "the case's date",
        AsOfSource::LatestEncoded => "the latest date in the encoded sources",
    };
    format!("as of: {as_of} ({why})")
}

/// "what-if: post_edited_by_human = true (set), generation_rounds unknown
/// (unset)": the facts changed from the case file's, for the header of
/// every rendering of a comparison made with them (nothing if none).
pub fn overrides_line(overrides: &[crate::compare::Override]) -> Option<String> {
    if overrides.is_empty() {
        return None;
    }
    let each: Vec<String> = overrides.iter().map(|o| o.describe()).collect();
    Some(format!(
        "what-if: {} (changed from the case file)",
        each.join(", ")
    ))
}

/// One line per fact that does not arise on the case's facts: its defined
/// value and why, and a stated value set aside.
/// The block that lists the facts read at their defined values because they
/// do not arise, for the text of `compare` and `explain` (nothing if none).
pub fn write_not_arising(out: &mut String, c: &Comparison) {
    let not_arising = not_arising_lines(c);
    if not_arising.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "facts that do not arise (read at their defined values):"
    );
    for line in not_arising {
        let _ = writeln!(out, "  {line}");
    }
}

pub fn not_arising_lines(c: &Comparison) -> Vec<String> {
    c.not_arising
        .iter()
        .map(|n| {
            let aside = n
                .stated
                .as_ref()
                .map_or_else(String::new, |v| format!(" (the stated {v} is set aside)"));
            format!("{} = {} — {}{aside}", n.fact, n.value, n.reason())
        })
        .collect()
}

/// A fact a rule read, as `fact = value`, saying when it does not arise.
pub fn fact_read_text(f: &crate::eval::FactRead) -> String {
    let value = f
        .value
        .as_ref()
        .map_or_else(|| "unknown".to_string(), |v| v.to_string());
    match &f.does_not_arise {
        Some(when) => format!("{} = {value} (does not arise: `{when}` is false)", f.fact),
        None => format!("{} = {value}", f.fact),
    }
}

/// A column's label: the ruleset id, with the reading in brackets.
pub fn column_label(column: &Column) -> String {
    match column.variant() {
        Some(v) => format!("{} [{v}]", column.ruleset()),
        None => column.ruleset().to_string(),
    }
}

/// The one-line reason for an outcome and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The reason in plain words.
    pub text: String,
    /// The rule that gives it, if one does.
    pub rule: Option<String>,
    /// "Source title, pinpoint", if any.
    pub cite: Option<String>,
    /// Whether the rule is the encoder's interpretation.
    pub interpretation: bool,
}

/// "human_user", "none", "undetermined (maybe human_user)" or "—".
pub fn author_label(eval: &Evaluation) -> String {
    match eval.verdict {
        Verdict::NotAddressed => "—".to_string(),
        Verdict::NotProtected => "none".to_string(),
        _ if !eval.authors.is_empty() => eval.authors.join(", "),
        Verdict::Undetermined if !eval.possible_authors.is_empty() => {
            format!("undetermined (maybe {})", eval.possible_authors.join(", "))
        }
        Verdict::Undetermined => "undetermined".to_string(),
        _ => "not stated".to_string(),
    }
}

/// The author label of a jurisdiction's outcome, as [`author_label`] gives
/// it for the deciding authority.
pub fn jurisdiction_author_label(j: &JurisdictionOutcome) -> String {
    let decides = j.decided_by.is_some() || !j.possible_deciders.is_empty();
    match (decides, j.verdict) {
        (false, _) | (true, Verdict::NotAddressed) => "—".to_string(),
        (true, Verdict::NotProtected) => "none".to_string(),
        _ if !j.authors.is_empty() => j.authors.join(", "),
        _ if !j.possible_authors.is_empty() => {
            format!("undetermined (maybe {})", j.possible_authors.join(", "))
        }
        _ => "undetermined".to_string(),
    }
}

/// Who decides a jurisdiction's row: the deciding ruleset, or, when that
/// depends on unknown facts, each that may ("a or b"); a split between
/// equal authorities is named as such ("split: a vs b"); `None` when no
/// authority reaches the facts.
pub fn jurisdiction_decider_label(j: &JurisdictionOutcome) -> Option<String> {
    match &j.decided_by {
        Some(id) => Some(id.clone()),
        None if !j.split_between.is_empty() => {
            let mut out = format!("split: {}", j.split_between.join(" vs "));
            let others = other_deciders(j);
            if !others.is_empty() {
                out.push_str(&format!(", or {}", others.join(" or ")));
            }
            Some(out)
        }
        None if j.possible_deciders.is_empty() => None,
        None => Some(j.possible_deciders.join(" or ")),
    }
}

/// The authorities that may decide a row alone, outside its split.
pub fn other_deciders(j: &JurisdictionOutcome) -> Vec<&str> {
    j.possible_deciders
        .iter()
        .filter(|d| !j.split_between.contains(d))
        .map(String::as_str)
        .collect()
}

/// What each side of a row's split says: "a says protected, b says
/// not_protected" (an authority open on unknown facts "is undetermined").
pub fn jurisdiction_split(j: &JurisdictionOutcome) -> Option<String> {
    if j.split_between.is_empty() {
        return None;
    }
    Some(split_sides(j, |id| id.to_string(), |v| v.to_string()))
}

/// Each side of a row's split, its ruleset id as `name` writes it and its
/// verdict as `word` does (Markdown escapes both).
pub fn split_sides(
    j: &JurisdictionOutcome,
    name: impl Fn(&str) -> String,
    word: impl Fn(&str) -> String,
) -> String {
    let sides: Vec<String> = j
        .split_between
        .iter()
        .map(|id| {
            match j
                .authorities
                .iter()
                .find(|a| &a.ruleset == id)
                .and_then(|a| a.verdict)
            {
                Some(Verdict::Undetermined) => format!("{} is undetermined", name(id)),
                Some(v) => format!("{} says {}", name(id), word(verdict_words(v))),
                None => name(id),
            }
        })
        .collect();
    sides.join(", ")
}

/// The reason of a row whose deciding authority depends on unknown facts,
/// or that is split between equal authorities (`None` for any other row:
/// its deciding authority's reason stands).
pub fn jurisdiction_reason(j: &JurisdictionOutcome) -> Option<String> {
    if j.decided_by.is_some() || j.possible_deciders.is_empty() {
        return None;
    }
    let verdicts: Vec<&str> = j
        .possible_verdicts
        .iter()
        .map(|v| verdict_words(*v))
        .collect();
    let depends = if j.depends_on.is_empty() {
        String::new()
    } else {
        format!("; depends on: {}", j.depends_on.join(", "))
    };
    if let Some(sides) = jurisdiction_split(j) {
        let others = other_deciders(j);
        let alone = if others.is_empty() {
            String::new()
        } else {
            format!(" On some facts {} decides alone.", others.join(" or "))
        };
        let outcome = if j.verdict == Verdict::Undetermined {
            format!("Could be {}{depends}.", verdicts.join(" or "))
        } else {
            format!(
                "{} either way, but they differ on the elements or the authors.",
                capitalised(verdict_words(j.verdict))
            )
        };
        return Some(format!(
            "Split between authorities of equal rank, none binding the others: {sides}. The law is contested; no one of them is picked.{alone} {outcome}"
        ));
    }
    let who = j.possible_deciders.join(", then ");
    Some(if j.verdict == Verdict::Undetermined {
        format!(
            "Which authority decides depends on the facts (the first that reaches them: {who}). Could be {}{depends}.",
            verdicts.join(" or "),
        )
    } else {
        format!(
            "{} whichever authority reaches the facts first ({who}).",
            capitalised(verdict_words(j.verdict))
        )
    })
}

/// `s` with its first letter in upper case.
pub(crate) fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// The one-line reason: the first deciding rule's `because`; for an
/// undetermined outcome, what it depends on; for one not addressed, the
/// authority's first stated limit.
pub fn reason(eval: &Evaluation, ruleset: &Ruleset) -> Reason {
    if !eval.in_force {
        return Reason {
            text: format!(
                "Not in force on {}: this authority speaks from {}.",
                eval.as_of, ruleset.in_force.from
            ),
            rule: None,
            cite: None,
            interpretation: false,
        };
    }
    match eval.verdict {
        Verdict::Undetermined => Reason {
            text: format!(
                "Could be {}; depends on: {}.",
                eval.possible_verdicts
                    .iter()
                    .map(|v| verdict_words(*v))
                    .collect::<Vec<_>>()
                    .join(" or "),
                eval.depends_on.join(", ")
            ),
            rule: None,
            cite: None,
            interpretation: false,
        },
        Verdict::NotAddressed => match parts_only(eval) {
            Some(text) => Reason {
                text,
                rule: None,
                cite: None,
                interpretation: false,
            },
            None => not_addressed(ruleset),
        },
        _ => deciding(eval),
    }
}

/// For a ruleset that decided only parts of a work (edits of an output)
/// and not the work's main material: what it decided and what it did not,
/// since no verdict rests on the parts alone.
pub fn parts_only(eval: &Evaluation) -> Option<String> {
    if eval.verdict != Verdict::NotAddressed || eval.elements.is_empty() {
        return None;
    }
    let decided: Vec<String> = eval
        .elements
        .iter()
        .map(|e| format!("{} {}", e.element, status_words(e.status)))
        .collect();
    Some(format!(
        "Decided only parts of the work ({}); it does not reach the material they are part of, so no \
         verdict rests on them.",
        decided.join(", ")
    ))
}

fn status_words(s: crate::eval::ElementStatus) -> &'static str {
    match s {
        crate::eval::ElementStatus::Protected => "protected",
        crate::eval::ElementStatus::NotProtected => "not protected",
        crate::eval::ElementStatus::Undetermined => "undetermined",
    }
}

fn deciding(eval: &Evaluation) -> Reason {
    let node = eval
        .decided_by
        .iter()
        .filter_map(|id| eval.rule(id))
        .find(|n| !n.then.protected.is_empty() || !n.then.not_protected.is_empty())
        .or_else(|| eval.decided_by.first().and_then(|id| eval.rule(id)));
    match node {
        Some(n) => Reason {
            text: n.because.clone(),
            rule: Some(n.rule.clone()),
            cite: Some(format!("{}, {}", n.source, n.pinpoint)),
            interpretation: n.interpretation.is_some(),
        },
        None => Reason {
            text: String::new(),
            rule: None,
            cite: None,
            interpretation: false,
        },
    }
}

fn not_addressed(ruleset: &Ruleset) -> Reason {
    match ruleset.limits.first() {
        Some(limit) => Reason {
            text: format!("Not addressed: {}", limit.text.trim()),
            rule: None,
            cite: ruleset
                .source(&limit.citation.source)
                .map(|s| format!("{}, {}", s.title, limit.citation.pinpoint)),
            interpretation: false,
        },
        None => Reason {
            text: "No rule of this ruleset reaches these facts.".to_string(),
            rule: None,
            cite: None,
            interpretation: false,
        },
    }
}

/// The jurisdiction's note (which qualifies every row of it), on one line.
pub(crate) fn row_note(library: &crate::model::Library, id: &str) -> Option<String> {
    let j = library.jurisdictions.iter().find(|x| x.id == id)?;
    let note = j.note.as_deref()?;
    Some(one_line(note))
}

/// `text` with its line breaks and runs of spaces folded into single spaces.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
