//! Plain-text rendering of where authorities part ways, issue by issue,
//! and of agreements reached on different grounds.

use std::fmt::Write;

use super::style::verdict_words;
use crate::compare::differ::{Answer, PairDifference, Split, Stance};

/// "where they part ways" and "agree for different reasons" sections.
pub fn differ_text(splits: &[Split], pairs: &[PairDifference]) -> String {
    let mut out = String::new();
    if !splits.is_empty() {
        out.push_str("\nwhere they part ways:\n");
        out.push_str(
            "  (each answer: the authority [the rules that give it], then the rule's reason)\n",
        );
        for split in splits {
            let _ = writeln!(out, "  {}", split.question);
            out.push_str(&stance_lines(&split.stances));
        }
    }
    let agreeing: Vec<&PairDifference> = pairs.iter().filter(|p| p.same_verdict).collect();
    if !agreeing.is_empty() {
        out.push_str("\nsame outcome, different grounds:\n");
        for p in &agreeing {
            let _ = writeln!(
                out,
                "  {} and {} (both {}): {}",
                p.a,
                p.b,
                verdict_words(p.verdicts[0]),
                grounds_summary(p)
            );
        }
        out.push_str(&issue_legend(&agreeing));
    }
    out
}

/// The questions of the issues named by id in the pairs, one a line.
fn issue_legend(pairs: &[&PairDifference]) -> String {
    let mut issues: Vec<(&str, &str)> = pairs
        .iter()
        .flat_map(|p| p.issues.iter())
        .map(|pi| (pi.issue.as_str(), pi.question.as_str()))
        .collect();
    issues.sort_unstable();
    issues.dedup_by_key(|(id, _)| *id);
    let mut out = String::from("  issues named above:\n");
    for (id, question) in issues {
        let _ = writeln!(out, "    {id}: {}", question.trim());
    }
    out
}

fn stance_lines(stances: &[Stance]) -> String {
    let mut out = String::new();
    let reached: Vec<&Stance> = stances
        .iter()
        .filter(|s| s.answer != Answer::NotReached)
        .collect();
    for s in reached {
        let rules: Vec<&str> = s.grounds.iter().map(|g| g.rule.as_str()).collect();
        let via = s
            .via
            .as_deref()
            .map_or(String::new(), |v| format!(" ({v})"));
        let _ = writeln!(
            out,
            "    {}: {}{via} [{}]",
            answer(s.answer),
            s.who,
            rules.join(", ")
        );
        if let Some(g) = s.grounds.first() {
            let mark = if g.interpretation {
                " (encoder's interpretation)"
            } else {
                ""
            };
            let _ = writeln!(out, "         {}", first_sentence(&g.because));
            let _ = writeln!(out, "         {}, {}{mark}", g.source, g.pinpoint);
        }
    }
    let silent: Vec<&str> = stances
        .iter()
        .filter(|s| s.answer == Answer::NotReached)
        .map(|s| s.who.as_str())
        .collect();
    if !silent.is_empty() {
        let _ = writeln!(out, "    does not reach it: {}", silent.join(", "));
    }
    out
}

// Where two agreeing authorities' grounds differ: questions they answer
// differently, and questions only one of them answers.
fn grounds_summary(p: &PairDifference) -> String {
    let mut parts = Vec::new();
    let both: Vec<String> = p
        .issues
        .iter()
        .filter(|pi| pi.stances.iter().all(|s| s.answer != Answer::NotReached))
        .map(|pi| {
            let [x, y] = &pi.stances;
            format!("{} ({} / {})", pi.issue, answer(x.answer), answer(y.answer))
        })
        .collect();
    if !both.is_empty() {
        parts.push(format!("they answer differently {}", both.join(", ")));
    }
    for (i, who) in [&p.a, &p.b].into_iter().enumerate() {
        let only: Vec<&str> = p
            .issues
            .iter()
            .filter(|pi| {
                pi.stances
                    .get(i)
                    .is_some_and(|s| s.answer != Answer::NotReached)
                    && pi
                        .stances
                        .get(1usize.saturating_sub(i))
                        .is_some_and(|s| s.answer == Answer::NotReached)
            })
            .map(|pi| pi.issue.as_str())
            .collect();
        if !only.is_empty() {
            parts.push(format!("only {who} answers {}", only.join(", ")));
        }
    }
    parts.join("; ")
}

fn answer(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Mixed => "yes and no",
        Answer::NotReached => "not reached",
    }
}

fn first_sentence(text: &str) -> String {
    let t = text.trim();
    match t.find(". ") {
        Some(i) => t.get(..=i).unwrap_or(t).to_string(),
        None => t.to_string(),
    }
}
