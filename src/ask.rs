//! The `ask` command's terminal side: prints each question, reads one line
//! per answer from stdin (a terminal or a pipe), and shows the running
//! outcomes. The interview logic is the library's (`authorship::interview`).

use std::io::{BufRead, Write};

use authorship::Verdict;
use authorship::interview::{Answer, Interview, Question};
use authorship::model::{FactDef, FactType, parse_fact_value};

/// Runs the interview to its end; returns how many questions were asked.
pub fn run(
    interview: &mut Interview,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    writeln!(
        out,
        "Answer each question with a value, `unknown` if nobody knows, or `skip`. End of input stops."
    )?;
    show_running(interview, out)?;
    let mut asked = 0;
    while let Some(q) = interview.next_question() {
        asked += 1;
        let Some(answer) = ask(&q, asked, input, out)? else {
            writeln!(out, "\n(end of input)")?;
            break;
        };
        interview.answer(&q.fact.id, answer);
        show_running(interview, out)?;
    }
    let open = interview
        .running()
        .iter()
        .filter(|r| r.verdict == Verdict::Undetermined)
        .count();
    if open == 0 {
        writeln!(out, "\nEvery outcome is settled after {asked} question(s).")?;
    } else {
        writeln!(
            out,
            "\n{open} outcome(s) still open after {asked} question(s); nothing more that I can ask would settle them."
        )?;
    }
    Ok(asked)
}

// Asks until a valid answer or end of input (`None`).
fn ask(
    q: &Question,
    n: usize,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> std::io::Result<Option<Answer>> {
    writeln!(out, "\nQ{n}. {}", q.fact.question.trim())?;
    writeln!(
        out,
        "    (fact `{}`; can settle: {})",
        q.fact.id,
        q.affects.join(", ")
    )?;
    if let FactType::Enum { values } = &q.fact.ty {
        for (i, (v, meaning)) in values.iter().enumerate() {
            writeln!(out, "    {}) {v} — {meaning}", i + 1)?;
        }
    }
    loop {
        write!(out, "? {} [{}]: ", q.fact.id, hint(q.fact))?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        match parse(q.fact, line.trim()) {
            Ok(a) => return Ok(Some(a)),
            Err(e) => writeln!(out, "    {e}; try again")?,
        }
    }
}

fn hint(def: &FactDef) -> String {
    match &def.ty {
        FactType::Bool => "yes/no".into(),
        FactType::Integer { .. } => "a whole number".into(),
        FactType::Enum { values } => format!("1-{} or a value", values.len()),
        FactType::Date => "YYYY-MM-DD".into(),
        FactType::Text => "text".into(),
    }
}

/// Parses one answer: `unknown`, `skip` (or nothing), yes/no for booleans,
/// a number or a value for enums, else the fact's own syntax.
pub fn parse(def: &FactDef, text: &str) -> Result<Answer, String> {
    let lower = text.to_ascii_lowercase();
    match (lower.as_str(), &def.ty) {
        ("unknown" | "?" | "don't know", _) => Ok(Answer::Unknown),
        ("skip" | "", _) => Ok(Answer::Skip),
        ("yes" | "y" | "true", FactType::Bool) => {
            Ok(Answer::Value(authorship::model::FactValue::Bool(true)))
        }
        ("no" | "n" | "false", FactType::Bool) => {
            Ok(Answer::Value(authorship::model::FactValue::Bool(false)))
        }
        (n, FactType::Enum { values }) if n.parse::<usize>().is_ok() => {
            let i = n.parse::<usize>().unwrap_or(0);
            let (v, _) = values
                .get(i.wrapping_sub(1))
                .ok_or(format!("choose 1 to {}", values.len()))?;
            parse_fact_value(def, v).map(Answer::Value)
        }
        _ => parse_fact_value(def, text).map(Answer::Value),
    }
}

fn show_running(interview: &Interview, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "  now:")?;
    for r in interview.running() {
        if r.verdict == Verdict::Undetermined {
            writeln!(
                out,
                "    {}: undetermined (depends on {})",
                r.ruleset,
                r.depends_on.join(", ")
            )?;
        } else {
            writeln!(out, "    {}: {}", r.ruleset, r.verdict)?;
        }
    }
    Ok(())
}
