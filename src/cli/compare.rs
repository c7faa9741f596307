//! The case commands: `compare`, `explain`, `whatif` and `report`.

use std::path::{Path, PathBuf};

use authorship::compare::{Comparison, Options, Override, as_of, compare};
use authorship::eval::Context;
use authorship::model::{Case, Verdict, Vocabulary};
use authorship::render::{self, CompareFormat, CompareStream, View};
use authorship::syntax::Date;
use authorship::whatif::{Query, WhatIf, what_if};
use authorship::workflow::handout::handout;
use clap::{Args, ValueEnum};

use super::files::{Input, Output};
use super::terminal::{self, Look, errln};
use super::{Failure, Overrides, RulesDir, TextFormat, case_with_overrides, find_ruleset};

#[derive(Args)]
pub struct CompareArgs {
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
    rules: RulesDir,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    format: TextFormat,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    look: Look,
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    Authority,
    Jurisdiction,
}

impl CompareArgs {
    pub fn run(self) -> Result<(), Failure> {
        // The library is not dropped: the process exits right after the
        // command, and freeing every ruleset, rule and cached program one
        // by one was about a fifth of `compare` at 200 rulesets (issue 17);
        // the system takes the memory back at exit in one go.
        let library = std::mem::ManuallyDrop::new(self.rules.library()?);
        let options = Options {
            as_of: self.overrides.as_of,
            variants: self.variants,
        };
        // Every case is checked before anything is written, so a bad one
        // leaves no half-written output; none is kept, so memory does not
        // grow with their number.
        for p in &self.cases {
            case_with_overrides(p, &library, &self.overrides)?;
        }
        let view = match self.by {
            ByArg::Authority => View::Authorities,
            ByArg::Jurisdiction => View::Jurisdictions,
        };
        let format = match self.format {
            TextFormat::Text => CompareFormat::Text,
            TextFormat::Markdown => CompareFormat::Markdown,
            TextFormat::Json => CompareFormat::Json,
        };
        // Each case is compared, rendered and written before the next is
        // read: a comparison carries every ruleset's full explanation.
        let style = self.look.style();
        let print = |text: &str| match self.format {
            TextFormat::Json => terminal::out_json(text),
            TextFormat::Text => terminal::out_styled(text, &style),
            TextFormat::Markdown => terminal::out(text),
        };
        let mut stream = CompareStream::new(format, &library, view).with_style(style);
        print(&stream.start())?;
        for p in &self.cases {
            let case = case_with_overrides(p, &library, &self.overrides)?;
            let comparison = compared(&case, &library, &options, &self.overrides);
            print(&stream.case(&comparison))?;
        }
        print(&stream.finish())
    }
}

#[derive(Args)]
pub struct ExplainArgs {
    /// A case file (YAML).
    case: PathBuf,
    /// The ruleset's id (its file name in the rules directory, without `.yaml`).
    #[arg(long)]
    ruleset: String,
    /// Use this named reading of unsettled law (a variant of the ruleset).
    #[arg(long)]
    variant: Option<String>,
    #[command(flatten)]
    rules: RulesDir,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    look: Look,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
    Markdown,
    /// A Mermaid flowchart of the reasoning.
    Mermaid,
    /// A Graphviz dot graph of the reasoning.
    Dot,
}

impl ExplainArgs {
    pub fn run(self) -> Result<(), Failure> {
        let library = self.rules.library()?;
        let ruleset = find_ruleset(&library, &self.ruleset)?;
        if let Some(v) = self
            .variant
            .as_deref()
            .filter(|v| ruleset.variant(v).is_none())
        {
            let ids: Vec<&str> = ruleset.variants.iter().map(|v| v.id.as_str()).collect();
            return Err(Failure::Input(format!(
                "error: ruleset `{}` has no reading `{v}`; its readings: {}\n",
                self.ruleset,
                if ids.is_empty() {
                    "none".to_string()
                } else {
                    ids.join(", ")
                }
            )));
        }
        let case = case_with_overrides(&self.case, &library, &self.overrides)?;
        let options = Options {
            as_of: self.overrides.as_of,
            variants: false,
        };
        let comparison = compared(&case, &library, &options, &self.overrides);
        let ctx = Context {
            as_of: comparison.as_of,
            variant: self.variant.clone(),
        };
        let eval = library
            .evaluate(ruleset, &case.facts, &ctx)
            .map_err(Failure::error)?;
        let style = self.look.style();
        let out = match self.format {
            ExplainFormat::Text => render::explain_with_references_styled(
                &comparison,
                &eval,
                ruleset,
                &library,
                &style,
            ),
            ExplainFormat::Markdown => {
                render::explain_markdown(&comparison, &eval, ruleset, &library)
            }
            ExplainFormat::Json => render::explain_json(&comparison, &eval, ruleset),
            ExplainFormat::Mermaid => render::diagram::mermaid(&eval),
            ExplainFormat::Dot => render::diagram::dot(&eval),
        };
        match self.format {
            ExplainFormat::Json => terminal::out_json(&out),
            ExplainFormat::Text => terminal::out_styled(&out, &style),
            _ => terminal::out(&out),
        }
    }
}

#[derive(Args)]
pub struct WhatifArgs {
    /// A case file (YAML).
    case: PathBuf,
    /// The ruleset's id.
    #[arg(long)]
    ruleset: String,
    /// Only changes leading to this verdict (spelt as printed: snake_case,
    /// kebab-case or in words, any case).
    #[arg(long, value_enum, ignore_case = true, value_name = "VERDICT")]
    to: Option<VerdictArg>,
    /// Most facts changed at once (1 to 5).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
    max_changes: u8,
    /// Write each counterfactual as a case file into this directory.
    #[arg(long, value_name = "DIR")]
    emit: Option<PathBuf>,
    /// Replace files of the same names in the --emit directory.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    rules: RulesDir,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::DataFormat::Text)]
    format: super::DataFormat,
    #[command(flatten)]
    overrides: Overrides,
    #[command(flatten)]
    look: Look,
}

/// A verdict as an argument: the canonical spelling is the one files and
/// JSON use; the other spellings outputs print are accepted too.
#[derive(Clone, Copy, ValueEnum)]
enum VerdictArg {
    Protected,
    #[value(
        name = "partially_protected",
        alias = "partially-protected",
        alias = "partially protected"
    )]
    PartiallyProtected,
    #[value(
        name = "not_protected",
        alias = "not-protected",
        alias = "not protected"
    )]
    NotProtected,
    Undetermined,
    #[value(
        name = "not_addressed",
        alias = "not-addressed",
        alias = "not addressed"
    )]
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

impl WhatifArgs {
    pub fn run(self) -> Result<(), Failure> {
        let library = self.rules.library()?;
        let ruleset = find_ruleset(&library, &self.ruleset)?;
        let case = case_with_overrides(&self.case, &library, &self.overrides)?;
        let options = Options {
            as_of: self.overrides.as_of,
            variants: false,
        };
        let (date, source) = as_of(&case, &library, &options);
        let query = Query {
            target: self.to.map(Verdict::from),
            max_changes: usize::from(self.max_changes),
        };
        let result = what_if(
            ruleset,
            &library.vocabulary,
            &case.facts,
            &Context::as_of(date),
            &query,
        )
        .map_err(Failure::error)?;
        if let Some(dir) = &self.emit {
            let rules = self.rules.dir();
            let mut inputs = vec![Input::File(&self.case)];
            inputs.extend(rules.as_deref().map(Input::Dir));
            let emit = Emit {
                dir,
                inputs: &inputs,
                force: self.force,
            };
            emit.cases(&case, &library.vocabulary, &self.ruleset, date, &result)?;
        }
        let overrides = overrides_of(&case, &self.overrides);
        let asked = render::WhatIfAsked {
            case: &case,
            as_of: date,
            as_of_source: source,
            rules: &library.origin,
            overrides: &overrides,
        };
        let style = self.look.style();
        match self.format {
            super::DataFormat::Json => terminal::out_json(&render::whatif_json(&asked, &result)),
            super::DataFormat::Text => {
                terminal::out_styled(&render::whatif_text(&asked, &result, &style), &style)
            }
        }
    }
}

/// The case compared, naming the facts `--set` and `--unset` changed.
fn compared(
    case: &Case,
    library: &authorship::Library,
    options: &Options,
    o: &Overrides,
) -> Comparison {
    let mut comparison = compare(case, library, options);
    comparison.overrides = overrides_of(case, o);
    comparison
}

/// The facts `--set` and `--unset` changed, in the order given, each
/// `--set` with the value it gave (as read, after the case was loaded
/// with it).
fn overrides_of(case: &Case, o: &Overrides) -> Vec<Override> {
    let set = o.set.iter().filter_map(|item| {
        let (name, _) = item.split_once('=')?;
        let fact = name.trim().to_string();
        let value = case.facts.get(&fact).cloned();
        Some(Override { fact, value })
    });
    let unset = o.unset.iter().map(|name| Override {
        fact: name.trim().to_string(),
        value: None,
    });
    set.chain(unset).collect()
}

/// Where `--emit` writes, and what it may not overwrite.
struct Emit<'a> {
    dir: &'a Path,
    inputs: &'a [Input<'a>],
    force: bool,
}

impl Emit<'_> {
    /// Writes each counterfactual as a case file, once every file has
    /// passed its check: a refusal writes none of them.
    fn cases(
        &self,
        case: &Case,
        vocabulary: &Vocabulary,
        ruleset: &str,
        as_of: Date,
        w: &WhatIf,
    ) -> Result<(), Failure> {
        let dir = self.dir;
        let stem = case
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("case");
        let files: Vec<(String, String)> = w
            .counterfactuals
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let name = format!("{stem}-{ruleset}-whatif-{}.yaml", i.saturating_add(1));
                let text = render::counterfactual_yaml(case, vocabulary, ruleset, as_of, c);
                (name, text)
            })
            .collect();
        Output::write_set(dir, &files, self.inputs, self.force).map_err(Failure::error)?;
        errln!(
            "wrote {} case files to {}",
            w.counterfactuals.len(),
            dir.display()
        );
        Ok(())
    }
}

#[derive(Args)]
pub struct ReportArgs {
    /// Case files (YAML).
    #[arg(required = true)]
    cases: Vec<PathBuf>,
    /// markdown or html.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    format: ReportFormat,
    /// Write to this file instead of standard output (never one of the cases).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// Class mode: facts and issues with the outcomes left blank, and an
    /// answer key at the end.
    #[arg(long)]
    hide_outcomes: bool,
    #[command(flatten)]
    rules: RulesDir,
    #[command(flatten)]
    overrides: Overrides,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    Markdown,
    Html,
}

impl ReportArgs {
    /// The overrides as given, for the handout's header.
    fn stated(o: &Overrides) -> Vec<String> {
        let set = o.set.iter().map(|s| format!("--set {}", s.trim()));
        let unset = o.unset.iter().map(|u| format!("--unset {}", u.trim()));
        let as_of = o.as_of.iter().map(|d| format!("--as-of {d}"));
        set.chain(unset).chain(as_of).collect()
    }

    pub fn run(self) -> Result<(), Failure> {
        let rules = self.rules.dir();
        let output = match &self.output {
            Some(path) => {
                let mut inputs: Vec<Input> = self.cases.iter().map(|c| Input::File(c)).collect();
                inputs.extend(rules.as_deref().map(Input::Dir));
                Some(Output::check(path, &inputs, self.force).map_err(Failure::error)?)
            }
            None => None,
        };
        let library = self.rules.library()?;
        let cases = self
            .cases
            .iter()
            .map(|p| case_with_overrides(p, &library, &self.overrides))
            .collect::<Result<Vec<_>, _>>()?;
        let handout = handout(&cases, &library, self.overrides.as_of);
        let options = render::ReportOptions {
            hide_outcomes: self.hide_outcomes,
            overrides: Self::stated(&self.overrides),
            changed_facts: self
                .overrides
                .set
                .iter()
                .filter_map(|s| s.split_once('=').map(|(fact, _)| fact))
                .chain(self.overrides.unset.iter().map(String::as_str))
                .map(|fact| fact.trim().to_string())
                .collect(),
        };
        let text = match self.format {
            ReportFormat::Markdown => render::report_markdown(&handout, &library, &options),
            ReportFormat::Html => render::report_html(&handout, &library, &options),
        };
        match &output {
            Some(output) => output.write_text(&text).map_err(Failure::error),
            None => terminal::out(&text),
        }
    }
}
