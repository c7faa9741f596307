//! The `ask` command's terminal side: prints each question, reads one line
//! per answer from stdin (a terminal or a pipe), and shows the running
//! outcomes. The interview logic is the library's (`authorship::interview`).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use authorship::compare::{Options, as_of};
use authorship::eval::Context;
use authorship::interview::{Answer, Interview, Question};
use authorship::load::load_case;
use authorship::model::{Case, FactDef, FactType, Library, Ruleset, Verdict};
use authorship::render;
use authorship::syntax::Date;

use super::{Failure, find_ruleset, library, parse_date, terminal};

#[derive(clap::Args)]
pub struct AskArgs {
    /// Rulesets to settle (repeatable).
    #[arg(long = "ruleset", value_name = "ID")]
    rulesets: Vec<String>,
    /// Jurisdictions whose authorities to settle (repeatable).
    #[arg(long = "jurisdiction", value_name = "J")]
    jurisdictions: Vec<String>,
    /// Start from this case's facts instead of none.
    #[arg(long, value_name = "CASE")]
    from: Option<PathBuf>,
    /// Write the answers as a case file.
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    /// Rules directory.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Take the law as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
}

impl AskArgs {
    pub fn run(self) -> Result<(), Failure> {
        let library = library(&self.rules)?;
        let chosen = self.chosen(&library)?;
        let start = match &self.from {
            Some(p) => load_case(p, &library).map_err(|e| Failure::load(&e))?,
            None => Case {
                title: "Interview".into(),
                ..Case::default()
            },
        };
        let options = Options {
            as_of: self.as_of,
            variants: false,
        };
        let (date, _) = as_of(&start, &library, &options);
        let mut interview =
            Interview::new(&library, chosen, Context::as_of(date), start.facts.clone());
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut out = terminal::stdout(terminal::Mode::Text);
        let asked = run(&mut interview, &mut input, &mut out).map_err(Failure::io)?;
        if let Some(path) = &self.save {
            save(path, &interview, asked, date)?;
        }
        Ok(())
    }

    /// The rulesets to settle: those named, those of the jurisdictions
    /// named, or all.
    fn chosen<'l>(&self, library: &'l Library) -> Result<Vec<&'l Ruleset>, Failure> {
        let mut chosen: Vec<&Ruleset> = Vec::new();
        for id in &self.rulesets {
            chosen.push(find_ruleset(library, id)?);
        }
        for j in &self.jurisdictions {
            let jurisdiction = library
                .jurisdictions
                .iter()
                .find(|x| x.id.eq_ignore_ascii_case(j))
                .ok_or_else(|| {
                    let ids: Vec<&str> = library
                        .jurisdictions
                        .iter()
                        .map(|x| x.id.as_str())
                        .collect();
                    Failure::error(format!(
                        "unknown jurisdiction `{j}`; known: {}",
                        ids.join(", ")
                    ))
                })?;
            for a in &jurisdiction.authorities {
                chosen.push(find_ruleset(library, &a.ruleset)?);
            }
        }
        if chosen.is_empty() {
            chosen = library.rulesets.iter().collect();
        }
        chosen.dedup_by(|a, b| a.id == b.id);
        Ok(chosen)
    }
}

fn save(path: &Path, interview: &Interview, asked: usize, date: Date) -> Result<(), Failure> {
    let unknown: Vec<String> = interview.unknown().iter().cloned().collect();
    let text = render::case_yaml(&render::CaseFile {
        origin: "authorship ask --save",
        title: "Interview answers",
        summary: &format!("Facts established by an interview of {asked} question(s)."),
        as_of: Some(date),
        facts: interview.facts(),
        unknown: &unknown,
        expect: &[],
    });
    std::fs::write(path, text)
        .map_err(|e| Failure::error(format!("cannot write {}: {e}", path.display())))?;
    terminal::out(&format!("answers saved to {}\n", path.display()))
}

/// Runs the interview to its end; returns how many questions were asked.
fn run(
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
        write!(out, "? {} [{}]: ", q.fact.id, q.fact.ty.prompt_hint())?;
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
            def.ty
                .parse(&def.id, v)
                .map(Answer::Value)
                .map_err(String::from)
        }
        _ => def
            .ty
            .parse(&def.id, text)
            .map(Answer::Value)
            .map_err(String::from),
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
