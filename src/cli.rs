//! Command-line interface: argument parsing (clap) and one function per
//! subcommand. The only module that prints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use authorship::Verdict;
use authorship::compare::{Comparison, Options, compare};
use authorship::diagnostic::render_all;
use authorship::eval::Context;
use authorship::interview::Interview;
use authorship::model::{Case, Library, LoadErrors, load_case, load_library, set_fact, unset_fact};
use authorship::render::{self, Format, View};
use authorship::syntax::Date;
use authorship::whatif::{Query, WhatIf, what_if};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Shows how different authorities decide whether an AI-generated or
/// AI-assisted work is protected by copyright, and explains why.
/// Output explains encoded legal sources; it is not legal advice.
#[derive(Parser)]
#[command(name = "authorship", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit codes: 0 success; 1 invalid rules, cases or overrides \
(each error names file:line:column); 2 usage error; 70 internal error.";

#[derive(Subcommand)]
enum Command {
    /// Compare each case's outcome under every ruleset, side by side.
    Compare {
        /// Case files (YAML).
        #[arg(required = true)]
        cases: Vec<PathBuf>,
        /// One row per authority (ruleset) or per jurisdiction.
        #[arg(long, value_enum, default_value_t = ByArg::Authority)]
        by: ByArg,
        /// Also show each ruleset's named readings of unsettled law.
        #[arg(long)]
        variants: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Show the full reasoning of one ruleset on one case.
    Explain {
        /// A case file (YAML).
        case: PathBuf,
        /// The ruleset's id (its file name in the rules directory, without `.yaml`).
        #[arg(long)]
        ruleset: String,
        /// Use this named reading of unsettled law (a variant of the ruleset).
        #[arg(long)]
        variant: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// The smallest fact changes that move a ruleset's outcome to another verdict.
    Whatif {
        /// A case file (YAML).
        case: PathBuf,
        /// The ruleset's id.
        #[arg(long)]
        ruleset: String,
        /// Only changes leading to this verdict.
        #[arg(long, value_enum)]
        to: Option<VerdictArg>,
        /// Most facts changed at once (1 to 5).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
        max_changes: u8,
        /// Write each counterfactual as a case file into this directory.
        #[arg(long, value_name = "DIR")]
        emit: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// An interview: asks only the questions that can settle an open outcome.
    Ask {
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
    },
    /// Evaluate a stream of fact patterns (JSON Lines, or YAML documents)
    /// against every ruleset, in parallel: one JSON line out per pattern, in
    /// input order. A bad record gets an error line naming its line number.
    Batch {
        /// Input file (`-` or none: standard input). `.yaml`/`.yml` is read
        /// as YAML documents separated by `---`, anything else as JSON Lines.
        input: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only these rulesets (repeatable; default: all).
        #[arg(long = "ruleset", value_name = "ID")]
        rulesets: Vec<String>,
        /// Read the input as YAML documents whatever its name.
        #[arg(long, conflicts_with = "jsonl")]
        yaml: bool,
        /// Read the input as JSON Lines whatever its name.
        #[arg(long)]
        jsonl: bool,
        /// Add each ruleset's full explanation to its outcome.
        #[arg(long)]
        explain: bool,
        /// Stop at the first bad record (exit 1) instead of reporting it and going on.
        #[arg(long)]
        strict: bool,
        /// Worker threads (default: one per core).
        #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
        jobs: Option<u16>,
        /// Rules directory.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Take the law as of this date (YYYY-MM-DD; default: the latest date
        /// in the encoded sources).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Validate every ruleset and case; exit 1 on any error.
    Check {
        /// Rules directory.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Directory of case files to validate.
        #[arg(long, default_value = "cases")]
        cases: PathBuf,
        /// Also report unread facts, rules that can never apply, conflicting
        /// rules, vague pinpoints and case facts no ruleset reads (exit 1 on any).
        #[arg(long)]
        strict: bool,
    },
    /// Check every case's `expect:` against the engine; exit 1 on any failure.
    Test {
        /// Rules directory.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Directory of case files.
        #[arg(long, default_value = "cases")]
        cases: PathBuf,
        /// Only expectations whose case path or ruleset id contains this.
        #[arg(long)]
        filter: Option<String>,
    },
    /// What changes in every case's outcomes between two versions of the rules.
    Diff {
        /// The rules before: a directory, or a git revision (read with git show).
        #[arg(long)]
        before: String,
        /// The rules after: a directory or a git revision (default: the working tree's).
        #[arg(long)]
        after: Option<String>,
        /// The rules directory's path in the repository (and the default --after).
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Directory of case files (from the working tree).
        #[arg(long, default_value = "cases")]
        cases: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
    },
    /// A self-contained handout per case: facts, outcomes, reasons, where
    /// the authorities differ, and what would change each outcome.
    Report {
        /// Case files (YAML).
        #[arg(required = true)]
        cases: Vec<PathBuf>,
        /// markdown or html.
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Class mode: facts and issues with the outcomes left blank, and an
        /// answer key at the end.
        #[arg(long)]
        hide_outcomes: bool,
        /// Rules directory.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Take the law as of this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Serve the interactive what-if page on 127.0.0.1.
    Serve {
        /// Port (0 picks a free one; the address is printed).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Rules directory.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Directory of case files offered on the page.
        #[arg(long, default_value = "cases")]
        cases: PathBuf,
    },
    /// Print (or write) the JSON Schemas of the YAML formats.
    Schema {
        /// Write the schema files into this directory instead of printing them.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Which rules and exception links the cases exercise, per ruleset.
    Coverage {
        /// Rules directory.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Directory of case files.
        #[arg(long, default_value = "cases")]
        cases: PathBuf,
        /// Exit 1 if any ruleset is below this percentage.
        #[arg(long, value_name = "PERCENT")]
        min: Option<f64>,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
    },
}

#[derive(Args)]
struct Common {
    /// Rules directory (facts.yaml plus one YAML file per ruleset).
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Set a fact for a quick what-if, e.g. --set post_edited_by_human=true.
    #[arg(long = "set", value_name = "FACT=VALUE")]
    set: Vec<String>,
    /// Make a fact unknown, e.g. --unset generation_rounds.
    #[arg(long = "unset", value_name = "FACT")]
    unset: Vec<String>,
    /// Take the law as of this date (YYYY-MM-DD) instead of the case's date
    /// or the latest date in the encoded sources.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a valid date (YYYY-MM-DD, a day that exists)"))
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Markdown,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum VerdictArg {
    Protected,
    PartiallyProtected,
    NotProtected,
    Undetermined,
    NotAddressed,
}

impl From<VerdictArg> for Verdict {
    fn from(v: VerdictArg) -> Verdict {
        match v {
            VerdictArg::Protected => Verdict::Protected,
            VerdictArg::PartiallyProtected => Verdict::PartiallyProtected,
            VerdictArg::NotProtected => Verdict::NotProtected,
            VerdictArg::Undetermined => Verdict::Undetermined,
            VerdictArg::NotAddressed => Verdict::NotAddressed,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    Authority,
    Jurisdiction,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Markdown,
    /// A Mermaid flowchart of the reasoning (explain only).
    Mermaid,
    /// A Graphviz dot graph of the reasoning (explain only).
    Dot,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Mermaid => Format::Mermaid,
            FormatArg::Dot => Format::Dot,
        }
    }
}

/// Why a command failed (already explained on stderr when printed).
enum Failure {
    Input(String),
    /// The command ran, and its gate failed (its report is printed).
    Unmet,
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Batch {
            input,
            output,
            rulesets,
            yaml,
            jsonl,
            explain,
            strict,
            jobs,
            rules,
            as_of,
        } => library(&rules).and_then(|library| {
            let args = crate::cli_batch::Args {
                input,
                output,
                rulesets,
                as_of,
                yaml: (yaml || jsonl).then_some(yaml),
                explain,
                strict,
                jobs: jobs.map(usize::from),
            };
            crate::cli_batch::run(&library, &args)
                .map_err(|m| Failure::Input(format!("error: {m}\n")))
        }),
        Command::Compare {
            cases,
            by,
            variants,
            common,
        } => {
            let view = match by {
                ByArg::Authority => View::Authorities,
                ByArg::Jurisdiction => View::Jurisdictions,
            };
            let options = Options {
                as_of: common.as_of,
                variants,
            };
            run_compare(&cases, &common, &options, view)
        }
        Command::Explain {
            case,
            ruleset,
            variant,
            common,
        } => run_explain(&case, &ruleset, variant.as_deref(), &common),
        Command::Whatif {
            case,
            ruleset,
            to,
            max_changes,
            emit,
            common,
        } => {
            let query = Query {
                target: to.map(Verdict::from),
                max_changes: usize::from(max_changes),
            };
            run_whatif(&case, &ruleset, &query, emit.as_deref(), &common)
        }
        Command::Ask {
            rulesets,
            jurisdictions,
            from,
            save,
            rules,
            as_of,
        } => run_ask(
            &rulesets,
            &jurisdictions,
            from.as_deref(),
            save.as_deref(),
            &rules,
            as_of,
        ),
        Command::Check {
            rules,
            cases,
            strict,
        } => run_check(&rules, &cases, strict),
        Command::Test {
            rules,
            cases,
            filter,
        } => run_test(&rules, &cases, filter.as_deref()),
        Command::Diff {
            before,
            after,
            rules,
            cases,
            format,
        } => run_diff(&before, after.as_deref(), &rules, &cases, format.into()),
        Command::Schema { out } => run_schema(out.as_deref()),
        Command::Report {
            cases,
            format,
            output,
            hide_outcomes,
            rules,
            as_of,
        } => run_report(
            &cases,
            format,
            output.as_deref(),
            hide_outcomes,
            &rules,
            as_of,
        ),
        Command::Serve { port, rules, cases } => run_serve(port, &rules, &cases),
        Command::Coverage {
            rules,
            cases,
            min,
            format,
        } => run_coverage(&rules, &cases, min, format.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Unmet) => ExitCode::from(1),
        Err(Failure::Input(message)) => {
            eprint!("{message}");
            ExitCode::from(1)
        }
    }
}

fn library(dir: &Path) -> Result<Library, Failure> {
    load_library(dir).map_err(|e| Failure::Input(render_all(&e)))
}

fn case_with_overrides(path: &Path, library: &Library, common: &Common) -> Result<Case, Failure> {
    let mut case = load_case(path, library).map_err(|e| Failure::Input(render_all(&e)))?;
    let vocab = &library.vocabulary;
    let mut problems = Vec::new();
    for item in &common.set {
        let result = match item.split_once('=') {
            Some((name, value)) => set_fact(vocab, &mut case.facts, name.trim(), value.trim()),
            None => Err(format!("--set takes FACT=VALUE, not `{item}`")),
        };
        problems.extend(result.err());
    }
    for name in &common.unset {
        problems.extend(unset_fact(vocab, &mut case.facts, name.trim()).err());
    }
    if problems.is_empty() {
        Ok(case)
    } else {
        Err(Failure::Input(
            problems.iter().map(|p| format!("error: {p}\n")).collect(),
        ))
    }
}

fn run_compare(
    paths: &[PathBuf],
    common: &Common,
    options: &Options,
    view: View,
) -> Result<(), Failure> {
    let library = library(&common.rules)?;
    let comparisons = paths
        .iter()
        .map(|p| case_with_overrides(p, &library, common).map(|c| compare(&c, &library, options)))
        .collect::<Result<Vec<Comparison>, Failure>>()?;
    let out = match Format::from(common.format) {
        Format::Text => render::compare_text(&comparisons, &library, view),
        Format::Markdown => render::compare_markdown(&comparisons, &library, view),
        Format::Json => render::compare_json(&comparisons, &library.rulesets),
        Format::Mermaid | Format::Dot => return Err(diagram_only()),
    };
    print!("{out}");
    Ok(())
}

fn run_explain(
    path: &Path,
    ruleset_id: &str,
    variant: Option<&str>,
    common: &Common,
) -> Result<(), Failure> {
    let library = library(&common.rules)?;
    let Some(ruleset) = library.ruleset(ruleset_id) else {
        let ids: Vec<&str> = library.rulesets.iter().map(|r| r.id.as_str()).collect();
        let hint = authorship::model::suggest(ruleset_id, ids.iter().copied())
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(Failure::Input(format!(
            "error: unknown ruleset `{ruleset_id}`{hint}\n  known rulesets: {}\n",
            ids.join(", ")
        )));
    };
    if let Some(v) = variant.filter(|v| ruleset.variant(v).is_none()) {
        let ids: Vec<&str> = ruleset.variants.iter().map(|v| v.id.as_str()).collect();
        return Err(Failure::Input(format!(
            "error: ruleset `{ruleset_id}` has no reading `{v}`; its readings: {}\n",
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        )));
    }
    let case = case_with_overrides(path, &library, common)?;
    let options = Options {
        as_of: common.as_of,
        variants: false,
    };
    let comparison = compare(&case, &library, &options);
    let ctx = Context {
        as_of: comparison.as_of,
        variant: variant.map(str::to_string),
    };
    let eval = authorship::evaluate(ruleset, &library.vocabulary, &case.facts, &ctx)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let out = match Format::from(common.format) {
        Format::Text => render::explain_text(&comparison, &eval, ruleset),
        Format::Markdown => render::explain_markdown(&comparison, &eval, ruleset),
        Format::Json => render::explain_json(&comparison, &eval, ruleset),
        Format::Mermaid => render::diagram::mermaid(&eval),
        Format::Dot => render::diagram::dot(&eval),
    };
    print!("{out}");
    Ok(())
}

fn find_ruleset<'l>(library: &'l Library, id: &str) -> Result<&'l authorship::Ruleset, Failure> {
    library.ruleset(id).ok_or_else(|| {
        let ids: Vec<&str> = library.rulesets.iter().map(|r| r.id.as_str()).collect();
        let hint = authorship::model::suggest(id, ids.iter().copied())
            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        Failure::Input(format!(
            "error: unknown ruleset `{id}`{hint}\n  known rulesets: {}\n",
            ids.join(", ")
        ))
    })
}

fn run_whatif(
    path: &Path,
    ruleset_id: &str,
    query: &Query,
    emit: Option<&Path>,
    common: &Common,
) -> Result<(), Failure> {
    let library = library(&common.rules)?;
    let ruleset = find_ruleset(&library, ruleset_id)?;
    let case = case_with_overrides(path, &library, common)?;
    let options = Options {
        as_of: common.as_of,
        variants: false,
    };
    let (as_of, _) = authorship::compare::as_of(&case, &library, &options);
    let ctx = Context::as_of(as_of);
    let result = what_if(ruleset, &library.vocabulary, &case.facts, &ctx, query)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if let Some(dir) = emit {
        emit_cases(dir, &case, ruleset_id, as_of, &result)?;
    }
    let out = match Format::from(common.format) {
        Format::Json => render::whatif_json(&case, as_of, &result),
        _ => render::whatif_text(&case, as_of, &result),
    };
    print!("{out}");
    Ok(())
}

fn emit_cases(
    dir: &Path,
    case: &Case,
    ruleset: &str,
    as_of: Date,
    w: &WhatIf,
) -> Result<(), Failure> {
    let io = |e: std::io::Error| {
        Failure::Input(format!("error: cannot write to {}: {e}\n", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let stem = case
        .path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("case");
    for (i, c) in w.counterfactuals.iter().enumerate() {
        let file = dir.join(format!("{stem}-{ruleset}-whatif-{}.yaml", i + 1));
        std::fs::write(&file, render::counterfactual_yaml(case, ruleset, as_of, c)).map_err(io)?;
    }
    eprintln!(
        "wrote {} case files to {}",
        w.counterfactuals.len(),
        dir.display()
    );
    Ok(())
}

fn run_ask(
    ruleset_ids: &[String],
    jurisdiction_ids: &[String],
    from: Option<&Path>,
    save: Option<&Path>,
    rules: &Path,
    as_of: Option<Date>,
) -> Result<(), Failure> {
    let library = library(rules)?;
    let mut chosen: Vec<&authorship::Ruleset> = Vec::new();
    for id in ruleset_ids {
        chosen.push(find_ruleset(&library, id)?);
    }
    for j in jurisdiction_ids {
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
                Failure::Input(format!(
                    "error: unknown jurisdiction `{j}`; known: {}\n",
                    ids.join(", ")
                ))
            })?;
        for a in &jurisdiction.authorities {
            chosen.push(find_ruleset(&library, &a.ruleset)?);
        }
    }
    if chosen.is_empty() {
        chosen = library.rulesets.iter().collect();
    }
    chosen.dedup_by(|a, b| a.id == b.id);
    let start = match from {
        Some(p) => load_case(p, &library).map_err(|e| Failure::Input(render_all(&e)))?,
        None => empty_case(),
    };
    let options = Options {
        as_of,
        variants: false,
    };
    let (date, _) = authorship::compare::as_of(&start, &library, &options);
    let mut interview = Interview::new(&library, chosen, Context::as_of(date), start.facts.clone());
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout();
    let asked = crate::ask::run(&mut interview, &mut input, &mut out)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if let Some(path) = save {
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
        std::fs::write(path, text).map_err(|e| {
            Failure::Input(format!("error: cannot write {}: {e}\n", path.display()))
        })?;
        println!("answers saved to {}", path.display());
    }
    Ok(())
}

fn empty_case() -> Case {
    Case {
        title: "Interview".into(),
        ..Case::default()
    }
}

fn run_check(rules: &Path, cases: &Path, strict: bool) -> Result<(), Failure> {
    let (library, cases) = library_and_cases(rules, cases)?;
    let rules_count: usize = library.rulesets.iter().map(|r| r.rules.len()).sum();
    println!(
        "ok: {} facts, {} rulesets ({rules_count} rules), {} cases — no errors",
        library.vocabulary.facts.len(),
        library.rulesets.len(),
        cases.len()
    );
    if strict {
        let (text, outcome) = crate::cli_workflow::strict_report(&library, &cases);
        print!("{text}");
        return gate(outcome);
    }
    Ok(())
}

fn library_and_cases(rules: &Path, cases: &Path) -> Result<(Library, Vec<Case>), Failure> {
    let library = library(rules)?;
    let files = case_files(cases).map_err(|e| Failure::Input(render_all(&e)))?;
    let cases = crate::cli_workflow::load_cases(&library, &files).map_err(Failure::Input)?;
    Ok((library, cases))
}

fn gate(outcome: crate::cli_workflow::Outcome) -> Result<(), Failure> {
    match outcome {
        crate::cli_workflow::Outcome::Pass => Ok(()),
        crate::cli_workflow::Outcome::Fail => Err(Failure::Unmet),
    }
}

fn diagram_only() -> Failure {
    Failure::Input(
        "error: --format mermaid and dot draw one ruleset's reasoning: use them with `explain`\n"
            .to_string(),
    )
}

fn run_serve(port: u16, rules: &Path, cases: &Path) -> Result<(), Failure> {
    let (library, cases) = library_and_cases(rules, cases)?;
    crate::serve::run(port, library, cases).map_err(|e| Failure::Input(format!("error: {e}\n")))
}

fn run_report(
    paths: &[PathBuf],
    format: ReportFormat,
    output: Option<&Path>,
    hide_outcomes: bool,
    rules: &Path,
    as_of: Option<Date>,
) -> Result<(), Failure> {
    let library = library(rules)?;
    let cases = crate::cli_workflow::load_cases(&library, paths).map_err(Failure::Input)?;
    let options = render::ReportOptions {
        as_of,
        hide_outcomes,
    };
    let text = match format {
        ReportFormat::Markdown => render::report_markdown(&cases, &library, &options),
        ReportFormat::Html => render::report_html(&cases, &library, &options),
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::Input(format!("error: cannot write {}: {e}\n", path.display()))),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn run_schema(out: Option<&Path>) -> Result<(), Failure> {
    let schemas = authorship::model::schemas();
    let Some(dir) = out else {
        for (name, text) in &schemas {
            println!("// {name}\n{text}");
        }
        return Ok(());
    };
    let io = |e: std::io::Error| {
        Failure::Input(format!("error: cannot write to {}: {e}\n", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    for (name, text) in &schemas {
        std::fs::write(dir.join(name), text).map_err(io)?;
        println!("wrote {}", dir.join(name).display());
    }
    Ok(())
}

fn run_test(rules: &Path, cases: &Path, filter: Option<&str>) -> Result<(), Failure> {
    let (library, cases) = library_and_cases(rules, cases)?;
    let (text, outcome) = crate::cli_workflow::test(&library, &cases, filter);
    print!("{text}");
    gate(outcome)
}

fn run_coverage(
    rules: &Path,
    cases: &Path,
    min: Option<f64>,
    format: Format,
) -> Result<(), Failure> {
    let (library, cases) = library_and_cases(rules, cases)?;
    let (text, outcome) = crate::cli_workflow::coverage_report(&library, &cases, min);
    match format {
        Format::Json => {
            let report = authorship::workflow::coverage::coverage(&library, &cases);
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        _ => print!("{text}"),
    }
    gate(outcome)
}

fn run_diff(
    before: &str,
    after: Option<&str>,
    rules: &Path,
    cases: &Path,
    format: Format,
) -> Result<(), Failure> {
    let (before_dir, before_tmp) = crate::cli_workflow::materialize(before, rules)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let after_ref = after.map_or_else(|| rules.display().to_string(), str::to_string);
    let (after_dir, after_tmp) = crate::cli_workflow::materialize(&after_ref, rules)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let loaded = (library(&before_dir), library(&after_dir));
    for (dir, tmp) in [(&before_dir, before_tmp), (&after_dir, after_tmp)] {
        if tmp {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    let (before_lib, after_lib) = (loaded.0?, loaded.1?);
    let files = case_files(cases).map_err(|e| Failure::Input(render_all(&e)))?;
    let d = authorship::workflow::diff::diff(&before_lib, &after_lib, &files);
    let out = match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&d).unwrap_or_default()),
        Format::Markdown => crate::cli_workflow::diff_markdown(&d, before, &after_ref),
        Format::Text => crate::cli_workflow::diff_text(&d, before, &after_ref),
        Format::Mermaid | Format::Dot => return Err(diagram_only()),
    };
    print!("{out}");
    if d.changes.is_empty() {
        Ok(())
    } else {
        Err(Failure::Unmet)
    }
}

fn case_files(dir: &Path) -> Result<Vec<PathBuf>, LoadErrors> {
    authorship::model::case_files(dir)
}
