//! Plain-text rendering of where authorities part ways, issue by issue,
//! and of agreements reached on different grounds.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use super::style::verdict_words;
use crate::compare::differ::{Answer, Divergence, Split, Stance};
use crate::model::Verdict;

/// Up to this many parties that do not reach an issue are named; more
/// are counted ("the other 40"), so that a line stays readable however
/// many rulesets there are.
const NAMED_SILENT: usize = 4;

/// "where they part ways" and "agree for different reasons" sections.
/// Both are summaries by group — one line per answer, not one per pair —
/// so that their length grows linearly with the number of authorities.
pub fn differ_text(splits: &[Split], divergence: &Divergence) -> String {
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
    let agreeing = same_verdict_groups(divergence);
    if !agreeing.is_empty() {
        out.push_str("\nsame outcome, different grounds:\n");
        for group in &agreeing {
            out.push_str(&group.lines());
        }
        out.push_str(&issue_legend(&agreeing));
    }
    out
}

/// An answer and who among a verdict's parties gives it.
type AnswerWho<'a> = (Answer, Vec<&'a str>);

/// The parties that reach one verdict, and the issues they answer
/// differently.
struct SameVerdict<'a> {
    verdict: Verdict,
    who: Vec<&'a str>,
    /// Per issue (id, question): its answer groups among these parties.
    issues: Vec<(&'a str, &'a str, Vec<AnswerWho<'a>>)>,
}

impl SameVerdict<'_> {
    fn lines(&self) -> String {
        let mut out = format!(
            "  {}: {}\n",
            verdict_words(self.verdict),
            self.who.join(", ")
        );
        for (issue, _, groups) in &self.issues {
            let answers: Vec<String> = groups
                .iter()
                .map(|(a, who)| {
                    let names = if *a == Answer::NotReached && who.len() > NAMED_SILENT {
                        format!("the other {}", who.len())
                    } else {
                        who.join(", ")
                    };
                    format!("{}: {names}", answer(*a))
                })
                .collect();
            let _ = writeln!(out, "    {issue}: {}", answers.join("; "));
        }
        out
    }
}

// Every verdict reached by two or more parties that answer some issue
// differently, in verdict order: one pass over each issue's groups.
fn same_verdict_groups(d: &Divergence) -> Vec<SameVerdict<'_>> {
    let verdict: HashMap<&str, Verdict> = d
        .parties
        .iter()
        .map(|p| (p.who.as_str(), p.verdict))
        .collect();
    let mut groups: BTreeMap<Verdict, SameVerdict<'_>> = BTreeMap::new();
    for p in &d.parties {
        groups
            .entry(p.verdict)
            .or_insert_with(|| SameVerdict {
                verdict: p.verdict,
                who: vec![],
                issues: vec![],
            })
            .who
            .push(&p.who);
    }
    for ig in &d.issues {
        // This issue's answer groups, split by verdict.
        let mut by_verdict: BTreeMap<Verdict, Vec<AnswerWho<'_>>> = BTreeMap::new();
        for g in &ig.answers {
            for s in &g.stances {
                let Some(v) = verdict.get(s.who.as_str()) else {
                    continue;
                };
                let answers = by_verdict.entry(*v).or_default();
                match answers.last_mut() {
                    Some((a, who)) if *a == g.answer => who.push(&s.who),
                    _ => answers.push((g.answer, vec![&s.who])),
                }
            }
        }
        for (v, answers) in by_verdict {
            if let (true, Some(group)) = (answers.len() > 1, groups.get_mut(&v)) {
                group.issues.push((&ig.issue, &ig.question, answers));
            }
        }
    }
    groups
        .into_values()
        .filter(|g| !g.issues.is_empty())
        .collect()
}

/// The questions of the issues named by id in the groups, one a line.
fn issue_legend(groups: &[SameVerdict<'_>]) -> String {
    let mut issues: Vec<(&str, &str)> = groups
        .iter()
        .flat_map(|g| g.issues.iter())
        .map(|(id, question, _)| (*id, *question))
        .collect();
    issues.sort_unstable();
    issues.dedup_by_key(|(id, _)| *id);
    let mut out = String::from("  issues named above:\n");
    for (id, question) in issues {
        let _ = writeln!(out, "    {id}: {}", question.trim());
    }
    out
}

// The reached stances, those that give the same answer on the same
// grounds on one line (copies of a ruleset, jurisdictions one authority
// decides for), then who does not reach the issue.
fn stance_lines(stances: &[Stance]) -> String {
    // (answer, the rules and reason lines) -> who, in first-seen order.
    let mut order: Vec<((Answer, String), Vec<String>)> = Vec::new();
    let mut index: HashMap<(Answer, String), usize> = HashMap::new();
    for s in stances.iter().filter(|s| s.answer != Answer::NotReached) {
        let key = (s.answer, grounds_lines(s));
        let via = s
            .via
            .as_deref()
            .map_or(String::new(), |v| format!(" ({v})"));
        let who = format!("{}{via}", s.who);
        match index.get(&key).and_then(|&i| order.get_mut(i)) {
            Some((_, names)) => names.push(who),
            None => {
                index.insert(key.clone(), order.len());
                order.push((key, vec![who]));
            }
        }
    }
    let mut out = String::new();
    for ((a, grounds), who) in &order {
        let _ = write!(out, "    {}: {}{grounds}", answer(*a), who.join(", "));
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

// A stance's rules and first reason, as printed after its authority.
fn grounds_lines(s: &Stance) -> String {
    let rules: Vec<&str> = s.grounds.iter().map(|g| g.rule.as_str()).collect();
    let mut out = format!(" [{}]\n", rules.join(", "));
    if let Some(g) = s.grounds.first() {
        let mark = if g.interpretation {
            " (encoder's interpretation)"
        } else {
            ""
        };
        let _ = writeln!(out, "         {}", first_sentence(&g.because));
        let _ = writeln!(out, "         {}, {}{mark}", g.source, g.pinpoint);
    }
    out
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
