//! The `ask` command's terminal side: prints each question, reads one line
//! per answer from stdin (a terminal or a pipe), and shows the running
//! outcomes. The interview logic is the library's (`authorship::interview`).

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

use authorship::compare::{Options, as_of};
use authorship::eval::Context;
use authorship::interview::{Answer, Interview, MAX_ANSWER_BYTES, Question};
use authorship::load::load_case;
use authorship::model::{Case, FactDef, FactType, Library, Ruleset, Verdict};
use authorship::render;
use authorship::syntax::Date;

use super::files::{Input, Output};
use super::{Failure, find_ruleset, parse_date, terminal};

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
    /// Write the answers as a case file (checked before the first
    /// question; written at the end, or when the input ends).
    #[arg(long, value_name = "FILE")]
    save: Option<PathBuf>,
    /// Replace the --save file if it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    rules: super::RulesDir,
    /// Take the law as of this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
}

impl AskArgs {
    pub fn run(self) -> Result<(), Failure> {
        // Before the first question: answers must not be lost to a bad path.
        let rules = self.rules.dir();
        let save = match &self.save {
            Some(path) => {
                let mut inputs: Vec<Input> = rules.as_deref().map(Input::Dir).into_iter().collect();
                inputs.extend(self.from.as_deref().map(Input::File));
                Some(Output::check(path, &inputs, self.force).map_err(Failure::error)?)
            }
            None => None,
        };
        let library = self.rules.library()?;
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
        let mut answered = 0;
        let result = run(&mut interview, &mut input, &mut out, &mut answered);
        // What was answered is saved even when reading or printing failed.
        if let Some(save) = &save {
            write_answers(save, &interview, answered, date)?;
        }
        result.map_err(Failure::io)
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
        // A ruleset named and also in a jurisdiction named is settled once,
        // where it first came.
        let mut seen = std::collections::BTreeSet::new();
        chosen.retain(|r| seen.insert(r.id.as_str()));
        Ok(chosen)
    }
}

fn write_answers(
    save: &Output,
    interview: &Interview,
    answered: usize,
    date: Date,
) -> Result<(), Failure> {
    let unknown: Vec<String> = interview.unknown().iter().cloned().collect();
    let text = render::case_yaml(&render::CaseFile {
        origin: "authorship ask --save",
        title: "Interview answers",
        summary: &format!("Facts established by an interview of {answered} question(s)."),
        as_of: Some(date),
        facts: interview.facts(),
        unknown: &unknown,
        expect: &[],
    });
    save.write_text(&text).map_err(Failure::error)?;
    terminal::out(&format!("answers saved to {}\n", save.path().display()))
}

/// Runs the interview to its end or the end of the input, counting the
/// questions answered in `answered` (kept when an error stops it).
fn run(
    interview: &mut Interview,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    answered: &mut usize,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Answer each question with a value, `unknown` if nobody knows, or `skip`. End of input stops."
    )?;
    show_running(interview, out)?;
    let mut ended = false;
    while let Some(q) = interview.next_question() {
        let Some(answer) = ask(&q, *answered + 1, input, out)? else {
            writeln!(out, "\n(end of input)")?;
            ended = true;
            break;
        };
        interview.answer(&q.fact.id, answer);
        *answered += 1;
        show_running(interview, out)?;
    }
    let open: Vec<String> = interview
        .running()
        .into_iter()
        .filter(|r| r.verdict == Verdict::Undetermined)
        .map(|r| r.ruleset)
        .collect();
    let n = *answered;
    if open.is_empty() {
        writeln!(out, "\nEvery outcome is settled after {n} question(s).")?;
        return Ok(());
    }
    let still = format!(
        "outcome(s) still open after {n} question(s): {}",
        open.join(", ")
    );
    if ended {
        // The input ended (Ctrl-D) while a question waited for its answer.
        writeln!(
            out,
            "\nThe interview ended at the end of the input with question Q{} unanswered.\n{} {still}.",
            n.saturating_add(1),
            open.len()
        )?;
    } else {
        writeln!(
            out,
            "\n{} {still}; nothing more that I can ask would settle them.",
            open.len()
        )?;
    }
    Ok(())
}

/// One answer line as read.
enum Line {
    Text(String),
    /// Over [`MAX_ANSWER_BYTES`]; the rest of it was skipped unread.
    TooLong,
    NotUtf8,
    End,
}

/// Reads one answer line, holding at most [`MAX_ANSWER_BYTES`] and its
/// line end: a longer line is skipped to its end without being kept.
fn read_line(input: &mut dyn BufRead) -> std::io::Result<Line> {
    // The answer, `\r\n`, and one byte more to tell a line that is too long.
    let limit = MAX_ANSWER_BYTES.saturating_add(3);
    let mut line = Vec::with_capacity(64);
    let n = Read::take(&mut *input, limit as u64).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(Line::End);
    }
    if line.last() != Some(&b'\n') && n == limit {
        skip_line(input)?;
        return Ok(Line::TooLong);
    }
    for end in [b'\n', b'\r'] {
        if line.last() == Some(&end) {
            line.pop();
        }
    }
    if line.len() > MAX_ANSWER_BYTES {
        return Ok(Line::TooLong);
    }
    Ok(String::from_utf8(line).map_or(Line::NotUtf8, Line::Text))
}

/// Consumes input up to and with the next line end (or to the end).
fn skip_line(input: &mut dyn BufRead) -> std::io::Result<()> {
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            input.consume(i + 1);
            return Ok(());
        }
        let len = buf.len();
        input.consume(len);
    }
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
        let problem = match read_line(input)? {
            Line::End => return Ok(None),
            Line::TooLong => format!("the answer is too long (over {MAX_ANSWER_BYTES} bytes)"),
            Line::NotUtf8 => "the answer is not valid UTF-8 text".to_string(),
            Line::Text(line) => match parse(q.fact, line.trim()) {
                Ok(a) => return Ok(Some(a)),
                Err(e) => e,
            },
        };
        writeln!(out, "    {problem}; try again")?;
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
