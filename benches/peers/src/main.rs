//! `authorship-peers`: authorship side by side with peer rule engines on one
//! synthetic policy (see README.md).
//!
//! Generates the policy and patterns, writes the four encodings, checks that
//! every engine returns authorship's outcome on every pattern (exit 1 naming
//! the engine, pattern and outcomes otherwise), then times each engine and
//! prints ns per evaluation and the ratio to authorship.

mod encode;
mod engines;
mod machine;
mod outcome;
mod policy;
mod report;
mod timing;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use engines::Engine;
use outcome::Outcome;
use policy::{Policy, fact_name};
use report::{Report, Row, Section};

const USAGE: &str = "\
usage: cargo run --release -p authorship-peers -- [--patterns N] [--rounds R] [--out DIR] [--json]
  --patterns N  patterns to evaluate (default 10000)
  --rounds R    timed rounds per engine (default 7)
  --out DIR     where the encodings are written (default target/peers-policy)
  --json        print the report as JSON instead of a table";

/// Command-line options.
struct Options {
    patterns: usize,
    rounds: usize,
    out: PathBuf,
    json: bool,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(report) => {
            if options.json {
                println!("{:#}", report.json());
            } else {
                print!("{}", report.table());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        patterns: 10_000,
        rounds: 7,
        out: default_out(),
        json: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--patterns" => options.patterns = positive(&value("--patterns")?)?,
            "--rounds" => options.rounds = positive(&value("--rounds")?)?,
            "--out" => options.out = PathBuf::from(value("--out")?),
            "--json" => options.json = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}

fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{text}` is not a positive number")),
    }
}

/// `target/peers-policy` of the workspace this crate belongs to.
fn default_out() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/peers-policy")
}

/// Sets up one in-process peer from the encodings.
type Setup = fn(&Encoded, &Policy) -> Result<Box<dyn Engine>, String>;

/// The encodings the in-process peers read (authorship's as a directory).
struct Encoded {
    rules_dir: PathBuf,
    rego: String,
    graph: serde_json::Value,
}

fn run(options: &Options) -> Result<Report, String> {
    let policy = Policy::generate(options.patterns);
    let encoded = write_encodings(&policy, &options.out)
        .map_err(|e| format!("writing encodings to {}: {e}", options.out.display()))?;
    let shown = std::fs::canonicalize(&options.out).unwrap_or_else(|_| options.out.clone());
    progress(&format!("encodings written to {}", shown.display()));

    let (mut rows, expected) = authorship_and_limits(&encoded, &policy, options)?;
    let peers: [Setup; 3] = [
        |e, p| Ok(Box::new(engines::regorus::Interpreter::setup(&e.rego, p)?)),
        |e, p| Ok(Box::new(engines::regorus::Rvm::setup(&e.rego, p)?)),
        |e, p| Ok(Box::new(engines::zen::Zen::setup(&e.graph, p)?)),
    ];
    for setup in peers {
        let mut engine = setup(&encoded, &policy)?;
        let outcomes = timing::outcomes(engine.as_mut(), options.patterns)?;
        agree(engine.label(), &outcomes, &expected, &policy)?;
        rows.push(measure(engine.as_mut(), &expected, options)?);
    }
    rows.push(json_logic(&policy, &expected, options)?);
    let known = Section {
        title: "every fact known".to_string(),
        patterns: options.patterns,
        verdicts: report::verdict_counts(&expected),
        rows,
    };

    // The same rules, 10–20% of the facts unknown in every pattern: only
    // for the engines whose answer can be unknown.
    let unknown_policy = Policy::generate_unknown(options.patterns);
    progress("the policy with unknown facts");
    let (rows, expected) = authorship_and_limits(&encoded, &unknown_policy, options)?;
    let (few, most) = policy::UNKNOWN_FACTS;
    let unknown = Section {
        title: format!(
            "{few}–{most} of the {} facts unknown per pattern (three-valued engines only)",
            policy::FACTS
        ),
        patterns: options.patterns,
        verdicts: report::verdict_counts(&expected),
        rows,
    };

    Ok(Report {
        cpus: machine::cpus(),
        cpu_model: machine::cpu_model(),
        rounds: options.rounds,
        sections: vec![known, unknown],
    })
}

/// authorship (checked against the generator's own meaning of the policy)
/// and the two hand-written limits (checked against authorship), timed:
/// their rows and authorship's outcomes.
fn authorship_and_limits(
    encoded: &Encoded,
    policy: &Policy,
    options: &Options,
) -> Result<(Vec<Row>, Vec<Outcome>), String> {
    let mut baseline = engines::authorship::Authorship::setup(&encoded.rules_dir, policy)?;
    let reference: Vec<Outcome> = (0..options.patterns).map(|p| policy.expected(p)).collect();
    let (expected, mut rows) = match timing::outcomes(&mut baseline, options.patterns) {
        Ok(expected) => {
            agree("the generator's reference", &reference, &expected, policy)?;
            let row = measure(&mut baseline, &expected, options)?;
            (expected, vec![row])
        }
        // No outcome from authorship (an open outcome past its decision
        // diagram's budget with more completions than it tries one by one,
        // `MAX_COMPLETIONS`) is reported, not fatal: the limits are then
        // checked against the generator's reference.
        Err(why) => {
            progress(&format!("authorship: no outcome: {why}"));
            let row = Row {
                engine: engines::Engine::label(&baseline).to_string(),
                version: engines::Engine::version(&baseline),
                result: Err(why),
            };
            (reference, vec![row])
        }
    };
    use engines::limit::Kind;
    for kind in [
        Kind::Literal,
        Kind::Packed,
        Kind::WrittenLiteral,
        Kind::WrittenPacked,
    ] {
        let mut limit = engines::limit::Limit::setup(policy, kind);
        let outcomes = timing::outcomes(&mut limit, options.patterns)?;
        agree(engines::Engine::label(&limit), &outcomes, &expected, policy)?;
        rows.push(measure(&mut limit, &expected, options)?);
    }
    Ok((rows, expected))
}

fn write_encodings(policy: &Policy, out: &Path) -> std::io::Result<Encoded> {
    let rules_dir = out.join("rules");
    if rules_dir.exists() {
        std::fs::remove_dir_all(&rules_dir)?;
    }
    encode::authorship_yaml::write(policy, &rules_dir)?;
    let rego = encode::rego::policy(policy);
    std::fs::write(out.join("synthetic.rego"), &rego)?;
    let graph = encode::jdm::graph(policy);
    std::fs::write(out.join("synthetic.jdm.json"), format!("{graph:#}"))?;
    Ok(Encoded {
        rules_dir,
        rego,
        graph,
    })
}

/// Times an engine whose outcomes were checked.
fn measure(
    engine: &mut dyn Engine,
    expected: &[Outcome],
    options: &Options,
) -> Result<Row, String> {
    progress(&format!("timing {}", engine.label()));
    let rounds = timing::rounds(engine, expected, options.rounds)?;
    Ok(Row {
        engine: engine.label().to_string(),
        version: engine.version(),
        result: Ok(rounds),
    })
}

/// Runs json-logic-engine in Node.js, or a skipped row when it cannot run.
fn json_logic(policy: &Policy, expected: &[Outcome], options: &Options) -> Result<Row, String> {
    let label = engines::node::LABEL.to_string();
    if let Some(why) = engines::node::unavailable() {
        progress(&format!("json-logic-engine: skipped ({why})"));
        return Ok(Row {
            engine: label,
            version: "-".to_string(),
            result: Err(why),
        });
    }
    progress(&format!("running and timing {label}"));
    let run = engines::node::run(policy, &options.out, options.rounds)?;
    if run.outcomes.len() != expected.len() {
        return Err(format!(
            "{label}: {} outcomes for {} patterns",
            run.outcomes.len(),
            expected.len()
        ));
    }
    agree(&label, &run.outcomes, expected, policy)?;
    Ok(Row {
        engine: label,
        version: run.version,
        result: Ok(run.ns_per_eval),
    })
}

/// Fails on the first pattern where `engine`'s outcome is not authorship's.
fn agree(
    engine: &str,
    got: &[Outcome],
    authorship: &[Outcome],
    policy: &Policy,
) -> Result<(), String> {
    let Some((p, (theirs, ours))) = got
        .iter()
        .zip(authorship)
        .enumerate()
        .find(|(_, (a, b))| a != b)
    else {
        return Ok(());
    };
    let unknown = policy.unknown.get(p).copied().unwrap_or(0);
    let facts = |wanted: Option<bool>| -> String {
        let names: Vec<String> = policy.patterns[p]
            .iter()
            .enumerate()
            .filter(|(i, v)| {
                let known = unknown & (1 << i) == 0;
                wanted == known.then_some(**v)
            })
            .map(|(i, _)| fact_name(i))
            .collect();
        names.join(" ")
    };
    Err(format!(
        "{engine} disagrees with authorship on pattern {p}\n  {engine}: {theirs}\n  authorship: {ours}\n  \
         facts true: {}\n  facts unknown: {}\n  (all others false)",
        facts(Some(true)),
        facts(None)
    ))
}

/// A progress line on stderr (the report goes to stdout).
fn progress(message: &str) {
    eprintln!("[peers] {message}");
}
