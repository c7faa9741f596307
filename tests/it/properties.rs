//! Property tests (issue #7, "Hardening").
//!
//! Each property runs `PROPTEST_CASES` cases from a fresh random seed
//! (default 10,000 in an optimised build, which `.ci/run` runs, and 1,000
//! in a debug one such as plain `cargo test`); a failure prints the shrunk
//! input. The shipped library is
//! loaded once. Every generated fact value comes from the vocabulary and
//! `eval::candidate_values`, so it is always valid for its fact. Run with
//! `cargo test --test it properties:: -- --nocapture` to see each property's case
//! count and time; `docs/fuzzing.md` describes them.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use authorship::eval::{Context, ElementStatus, candidate_values};
use authorship::load::{load_case, load_ruleset, load_vocabulary};
use authorship::model::{Case, FactValue, Facts, Library, Rule, RuleIndex, Ruleset, Vocabulary};
use authorship::syntax::{CmpOp, Date, Expr, Literal, Span, SpannedLiteral, parse_condition};
use authorship::{Evaluation, Truth, Verdict, compare, evaluate};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestError, TestRunner};

// ───────────────────────────── harness ─────────────────────────────

/// Cases per property: `PROPTEST_CASES`, else 10,000, or a tenth of that
/// in a debug build, where a case costs about ten times as much: there the
/// properties are a quick check on every `cargo test`, and `.ci/run` runs
/// the full count in release.
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            1_000
        } else {
            10_000
        })
}

/// Runs `test` on `cases` inputs from `strategy`, printing the count and the
/// time taken; panics with the shrunk input on a failure.
pub(crate) fn check<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut config = Config::with_cases(cases);
    // Failures are reported with their input; regressions become fixtures
    // under tests/fixtures/fuzz-regressions/ by hand, not files beside this one.
    config.failure_persistence = None;
    config.max_shrink_iters = 2_000;
    let start = Instant::now();
    let result = TestRunner::new(config).run(&strategy, test);
    let took = start.elapsed();
    eprintln!("property {name}: {cases} cases in {took:.2?}");
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => {
            panic!("property {name} failed: {why}\nminimal input: {input:#?}")
        }
        Err(TestError::Abort(why)) => panic!("property {name} aborted: {why}"),
    }
}

/// A directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        // Memory-backed where there is one: the file properties write a
        // file per case.
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!(
            "authorship-properties-{}-{tag}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ───────────────────────────── the shipped library ─────────────────────────────

/// What the generators need to know about one shipped ruleset.
pub(crate) struct Prepared {
    /// For every vocabulary fact (in vocabulary order), the values that can
    /// matter to this ruleset (`candidate_values`).
    pub(crate) candidates: Vec<(String, Vec<FactValue>)>,
    /// As-of dates worth trying: every date the ruleset or a rule starts or
    /// stops applying, the day before each, and the library's default.
    pub(crate) dates: Vec<Date>,
    /// Readings: none, each variant, and one that does not exist.
    pub(crate) variants: Vec<Option<String>>,
    /// Facts no rule condition of the ruleset mentions, nor an `arises`
    /// condition of a fact one mentions (in turn).
    unread: Vec<String>,
    /// The ruleset file as a JSON value (parsed from its YAML), with its
    /// prose (summary, notes, because, quotes …) cut to a word: what
    /// `rule_order_never_changes_an_outcome` permutes and reloads.
    compact: serde_json::Value,
    /// `compact` as loaded, in file order.
    compact_ruleset: Ruleset,
}

pub(crate) struct Shipped {
    pub(crate) library: &'static Library,
    pub(crate) rulesets: Vec<Prepared>,
    /// Every fact's values that can matter to some ruleset.
    union: Vec<(String, Vec<FactValue>)>,
}

pub(crate) fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let library = common::library();
        let default = library.latest_date().unwrap();
        let dir = TempDir::new("compact");
        let rulesets: Vec<Prepared> = library
            .rulesets
            .iter()
            .map(|r| prepare(&library.vocabulary, r, default, dir.path()))
            .collect();
        let mut union: Vec<(String, Vec<FactValue>)> = Vec::new();
        for (i, fact) in library.vocabulary.facts.keys().enumerate() {
            let mut values = BTreeSet::new();
            for p in &rulesets {
                values.extend(p.candidates[i].1.iter().cloned());
            }
            union.push((fact.clone(), values.into_iter().collect()));
        }
        Shipped {
            library,
            rulesets,
            union,
        }
    })
}

fn prepare(vocab: &Vocabulary, ruleset: &Ruleset, default: Date, dir: &Path) -> Prepared {
    let candidates = vocab
        .facts
        .keys()
        .map(|f| (f.clone(), candidate_values(ruleset, vocab, f)))
        .collect();
    let mut dates = BTreeSet::from([default]);
    let mut periods = vec![ruleset.in_force];
    periods.extend(ruleset.rules.iter().map(|r| r.in_force));
    for p in periods {
        for d in [Some(p.from), p.until].into_iter().flatten() {
            dates.insert(d);
            dates.extend(d.pred());
        }
    }
    let mut variants = vec![None];
    variants.extend(ruleset.variants.iter().map(|v| Some(v.id.clone())));
    variants.push(Some("no-such-reading".to_string()));
    // A fact read by no rule can still change one that is read, by making
    // it not arise: such facts are not unread.
    let read = common::facts::with_arising_conditions(vocab, ruleset.facts_read());
    let unread = vocab
        .facts
        .keys()
        .filter(|f| !read.contains(*f))
        .cloned()
        .collect();
    let path = format!("rules/{}.yaml", ruleset.id);
    let text = std::fs::read_to_string(&path).unwrap();
    // The project's own YAML options (strict booleans: `answer: yes` stays
    // a string).
    let mut compact: serde_json::Value = authorship::load::parse_yaml(&text).unwrap();
    shorten_prose(&mut compact);
    let path = dir.join(format!("{}.yaml", ruleset.id));
    std::fs::write(&path, compact.to_string()).unwrap();
    let compact_ruleset = load_ruleset(&path, vocab).unwrap_or_else(|e| {
        panic!(
            "the compacted {} must load:\n{}",
            ruleset.id,
            authorship::render::diagnostic::render_all(&e)
        )
    });
    Prepared {
        candidates,
        dates: dates.into_iter().collect(),
        variants,
        unread,
        compact,
        compact_ruleset,
    }
}

/// Cuts the prose of a ruleset document to a word, leaving ids,
/// conditions, conclusions, links, dates and enum words alone: loading the
/// shipped files costs milliseconds each in a debug build, mostly prose.
fn shorten_prose(v: &mut serde_json::Value) {
    const PROSE: [&str; 11] = [
        "interpretation",
        "notes",
        "because",
        "summary",
        "text",
        "title",
        "pinpoint",
        "quote",
        "citation",
        "reached_via",
        "name",
    ];
    match v {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if PROSE.contains(&key.as_str()) && value.is_string() {
                    *value = serde_json::Value::String("p".to_string());
                } else {
                    shorten_prose(value);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(shorten_prose),
        _ => {}
    }
}

// ───────────────────────────── generators: facts ─────────────────────────────

/// One pick per vocabulary fact, and how many facts are known.
#[derive(Debug, Clone)]
pub(crate) struct Picks {
    /// Out of 256, the share of known facts: 10% to 99%, so both sparse
    /// and nearly complete fact patterns come up.
    pub(crate) known: u8,
    /// Per fact: known if the low byte is below `known`, with the value
    /// chosen by the high byte among the fact's candidate values.
    pub(crate) raw: Vec<u16>,
}

/// Every share of known facts comes up, from sparse patterns (most
/// outcomes open) to nearly complete ones. A plain vector of integers:
/// proptest's weighted options cost twenty times as much to generate in a
/// debug build.
fn picks(n: usize) -> impl Strategy<Value = Picks> {
    let known = prop_oneof![
        1 => Just(26u8),
        2 => Just(77u8),
        2 => Just(128u8),
        2 => Just(179u8),
        2 => Just(230u8),
        1 => Just(254u8),
    ];
    (known, prop::collection::vec(any::<u16>(), n)).prop_map(|(known, raw)| Picks { known, raw })
}

pub(crate) fn facts_from(candidates: &[(String, Vec<FactValue>)], picks: &Picks) -> Facts {
    let mut facts = Facts::default();
    for ((fact, values), &raw) in candidates.iter().zip(&picks.raw) {
        let [low, high] = raw.to_le_bytes();
        if low < picks.known && !values.is_empty() {
            facts.set(fact, values[high as usize % values.len()].clone());
        }
    }
    facts
}

/// A shipped ruleset, a context for it and facts, as indexes and picks.
#[derive(Debug, Clone)]
pub(crate) struct EvalInput {
    pub(crate) ruleset: usize,
    pub(crate) date: Index,
    pub(crate) variant: Option<Index>,
    pub(crate) picks: Picks,
}

fn eval_input() -> impl Strategy<Value = EvalInput> {
    let s = shipped();
    let n = s.library.vocabulary.facts.len();
    (
        0..s.rulesets.len(),
        any::<Index>(),
        any::<Index>(),
        any::<bool>(),
        picks(n),
    )
        .prop_map(|(ruleset, date, variant, plain, picks)| EvalInput {
            ruleset,
            date,
            // Half the cases use the law as it stands.
            variant: (!plain).then_some(variant),
            picks,
        })
}

impl EvalInput {
    pub(crate) fn ruleset(&self) -> &'static Ruleset {
        &shipped().library.rulesets[self.ruleset]
    }

    fn prepared(&self) -> &'static Prepared {
        &shipped().rulesets[self.ruleset]
    }

    pub(crate) fn context(&self) -> Context {
        let p = self.prepared();
        Context {
            as_of: *self.date.get(&p.dates),
            variant: self.variant.and_then(|i| i.get(&p.variants).clone()),
        }
    }

    /// The picked facts, less any stated where it does not arise with a
    /// value other than its defined one (which no loaded case can state).
    pub(crate) fn facts(&self) -> Facts {
        let mut facts = facts_from(&self.prepared().candidates, &self.picks);
        common::facts::drop_contradictions(vocab(), &mut facts);
        facts
    }
}

fn vocab() -> &'static Vocabulary {
    &shipped().library.vocabulary
}

// ───────────────────────────── generators: conditions ─────────────────────────────

const KEYWORDS: [&str; 6] = ["and", "or", "not", "in", "true", "false"];

fn span() -> Span {
    Span::new(0, 0)
}

/// Identifiers, including ones that start or end like keywords
/// (`android`, `in_force`, `nothing`, `notin`, `truex`). Built from small
/// integers: proptest's regex strings cost several times as much in a
/// debug build.
fn ident() -> impl Strategy<Value = String> {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyz_";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_";
    (
        0..10usize,
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(|(shape, first, rest)| {
            let tail: String = rest
                .iter()
                .map(|&b| REST[b as usize % REST.len()] as char)
                .collect();
            let plain = format!("{}{tail}", FIRST[first as usize % FIRST.len()] as char);
            match shape {
                // A keyword with more after it, or before it.
                0 => format!("{}{}", KEYWORDS[first as usize % 6], tail),
                1 => format!("{plain}{}", KEYWORDS[first as usize % 6]),
                _ => plain,
            }
        })
        .prop_filter("a keyword is not an identifier", |s| {
            !KEYWORDS.contains(&s.as_str())
        })
}

/// Text for string literals: arbitrary characters, and quotes,
/// backslashes and spaces in particular.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..8).prop_map(|cs| cs.into_iter().collect()),
        prop::collection::vec(
            prop::sample::select(vec!['"', '\'', '\\', ' ', 'a', 'z', '\u{e9}']),
            0..8
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

pub(crate) fn date() -> impl Strategy<Value = Date> {
    prop_oneof![
        (1u16..=9999, 1u8..=12, 1u8..=31)
            .prop_filter_map("a day that exists", |(y, m, d)| { Date::new(y, m, d) }),
        prop::sample::select(vec![
            Date::new(1, 1, 1).unwrap(),
            Date::new(9999, 12, 31).unwrap(),
            Date::new(2024, 2, 29).unwrap(),
            Date::new(2000, 2, 29).unwrap(),
        ]),
    ]
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        any::<bool>().prop_map(Literal::Bool),
        any::<i64>().prop_map(Literal::Int),
        prop::sample::select(vec![i64::MIN, i64::MAX, -1, 0, 1]).prop_map(Literal::Int),
        text().prop_map(Literal::Str),
        date().prop_map(Literal::Date),
    ]
}

pub(crate) fn cmp_op() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ])
}

/// Syntax trees (not type-checked: the parser does not check types). Every
/// span is 0..0; compare with [`strip`].
fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        literal().prop_map(|value| Expr::Literal {
            span: span(),
            value
        }),
        ident().prop_map(|name| Expr::Fact { span: span(), name }),
        ident().prop_map(|name| Expr::Conclusion { span: span(), name }),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| Expr::Not {
                span: span(),
                operand: Box::new(e)
            }),
            prop::collection::vec(inner.clone(), 2..5).prop_map(|operands| Expr::And {
                span: span(),
                operands
            }),
            prop::collection::vec(inner.clone(), 2..5).prop_map(|operands| Expr::Or {
                span: span(),
                operands
            }),
            (cmp_op(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| Expr::Compare {
                span: span(),
                op,
                lhs: Box::new(l),
                rhs: Box::new(r)
            }),
            (any::<bool>(), inner, prop::collection::vec(literal(), 1..4)).prop_map(
                |(negated, operand, list)| Expr::In {
                    span: span(),
                    negated,
                    operand: Box::new(operand),
                    list: list
                        .into_iter()
                        .map(|value| SpannedLiteral {
                            span: span(),
                            value
                        })
                        .collect(),
                }
            ),
        ]
    })
}

/// The tree with every span set to 0..0.
fn strip(e: &Expr) -> Expr {
    let s = span();
    let b = |e: &Expr| Box::new(strip(e));
    match e {
        Expr::Literal { value, .. } => Expr::Literal {
            span: s,
            value: value.clone(),
        },
        Expr::Fact { name, .. } => Expr::Fact {
            span: s,
            name: name.clone(),
        },
        Expr::Conclusion { name, .. } => Expr::Conclusion {
            span: s,
            name: name.clone(),
        },
        Expr::Not { operand, .. } => Expr::Not {
            span: s,
            operand: b(operand),
        },
        Expr::And { operands, .. } => Expr::And {
            span: s,
            operands: operands.iter().map(strip).collect(),
        },
        Expr::Or { operands, .. } => Expr::Or {
            span: s,
            operands: operands.iter().map(strip).collect(),
        },
        Expr::Compare { op, lhs, rhs, .. } => Expr::Compare {
            span: s,
            op: *op,
            lhs: b(lhs),
            rhs: b(rhs),
        },
        Expr::In {
            negated,
            operand,
            list,
            ..
        } => Expr::In {
            span: s,
            negated: *negated,
            operand: b(operand),
            list: list
                .iter()
                .map(|l| SpannedLiteral {
                    span: s,
                    value: l.value.clone(),
                })
                .collect(),
        },
    }
}

/// Every node's span, parents first.
fn spans(e: &Expr) -> Vec<Span> {
    let mut out = Vec::new();
    e.visit(&mut |n| {
        out.push(n.span());
        if let Expr::In { list, .. } = n {
            out.extend(list.iter().map(|l| l.span));
        }
    });
    out
}

/// A byte source for [`noisy`]'s choices, read round-robin.
struct Noise<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Noise<'_> {
    fn next(&mut self) -> u8 {
        let b = self.bytes.get(self.at % self.bytes.len().max(1));
        self.at += 1;
        b.copied().unwrap_or(0)
    }

    /// Whitespace that may be empty (next to punctuation).
    fn opt_ws(&mut self) -> &'static str {
        const WS: [&str; 8] = ["", "", "", " ", "  ", "\t", "\n", "\u{3000}"];
        WS[self.next() as usize % WS.len()]
    }

    /// Whitespace that may not be empty (between two words).
    fn ws(&mut self) -> &'static str {
        const WS: [&str; 6] = [" ", " ", "  ", "\t", "\r\n", "\u{a0}"];
        WS[self.next() as usize % WS.len()]
    }
}

/// Another way to write the same condition: random (Unicode) whitespace,
/// redundant parentheses, either quote style with needless escapes,
/// leading zeros and trailing commas. Compound operands are always
/// parenthesised, which keeps the tree's shape.
fn noisy(e: &Expr, n: &mut Noise) -> String {
    let inner = match e {
        Expr::Literal { value, .. } => noisy_literal(value, n),
        Expr::Fact { name, .. } => name.clone(),
        Expr::Conclusion { name, .. } => format!("@{name}"),
        Expr::Not { operand, .. } => format!("not{}{}", n.ws(), noisy_operand(operand, n)),
        Expr::And { operands, .. } | Expr::Or { operands, .. } => {
            let word = if matches!(e, Expr::And { .. }) {
                "and"
            } else {
                "or"
            };
            let parts: Vec<String> = operands.iter().map(|o| noisy_operand(o, n)).collect();
            let mut out = String::new();
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out += &format!("{}{word}{}", n.ws(), n.ws());
                }
                out += p;
            }
            out
        }
        Expr::Compare { op, lhs, rhs, .. } => format!(
            "{}{}{}{}{}",
            noisy_operand(lhs, n),
            n.ws(),
            op.symbol(),
            n.ws(),
            noisy_operand(rhs, n)
        ),
        Expr::In {
            negated,
            operand,
            list,
            ..
        } => {
            let mut out = noisy_operand(operand, n);
            out += n.ws();
            if *negated {
                out += "not";
                out += n.ws();
            }
            out += "in";
            out += n.opt_ws();
            out += "[";
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    out += n.opt_ws();
                    out += ",";
                }
                out += n.opt_ws();
                out += &noisy_literal(&item.value, n);
            }
            if n.next().is_multiple_of(3) {
                out += n.opt_ws();
                out += ",";
            }
            out += n.opt_ws();
            out += "]";
            out
        }
    };
    // Redundant parentheses around anything, now and then twice.
    match n.next() % 8 {
        0 => format!("({}{inner}{})", n.opt_ws(), n.opt_ws()),
        1 => format!("(({inner}))"),
        _ => inner,
    }
}

/// An operand: atoms as they are, compound expressions in parentheses.
fn noisy_operand(e: &Expr, n: &mut Noise) -> String {
    let text = noisy(e, n);
    match e {
        Expr::Literal { .. } | Expr::Fact { .. } | Expr::Conclusion { .. } => text,
        _ => format!("({}{text}{})", n.opt_ws(), n.opt_ws()),
    }
}

fn noisy_literal(value: &Literal, n: &mut Noise) -> String {
    match value {
        Literal::Int(i) if n.next().is_multiple_of(4) => {
            let digits = i.unsigned_abs().to_string();
            let sign = if *i < 0 { "-" } else { "" };
            format!("{sign}00{digits}")
        }
        Literal::Str(s) => {
            let (quote, other) = if n.next().is_multiple_of(2) {
                ('"', '\'')
            } else {
                ('\'', '"')
            };
            let mut out = String::from(quote);
            for c in s.chars() {
                if c == quote || c == '\\' || (c == other && n.next().is_multiple_of(2)) {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push(quote);
            out
        }
        other => other.to_string(),
    }
}

/// Inputs for the no-panic property: arbitrary text, token soup, deep
/// nesting, long chains, over-long input and mutated valid conditions.
fn hostile_condition() -> impl Strategy<Value = String> {
    const TOKENS: &[&str] = &[
        "and",
        "or",
        "not",
        "in",
        "true",
        "false",
        "(",
        ")",
        "[",
        "]",
        ",",
        "==",
        "!=",
        "<=",
        ">=",
        "<",
        ">",
        "=",
        "===",
        "!==",
        "&&",
        "||",
        "!",
        "<>",
        "@",
        "@x",
        "a",
        "_b",
        "fact_1",
        "android",
        "0",
        "-",
        "-1",
        "007",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999",
        "2023-02-21",
        "2023-02-29",
        "2024-02-29",
        "0000-00-00",
        "9999-12-31",
        "10000-01-01",
        "2023-1-1",
        "2023-02-3x",
        "1-2-",
        "\"",
        "'",
        "\\",
        "\"str\"",
        "'s'",
        "\"\\q\"",
        "\"\\",
        "'\\'",
        "#",
        "é",
        "wörds",
        "中文",
        "\u{0}",
        "\u{200b}",
        "\u{3000}",
        "\u{feff}",
        "\u{1f600}",
        " ",
        "\n",
        "\t",
        "\r",
    ];
    let soup = prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_flat_map(|toks| {
        prop::collection::vec(prop::sample::select(vec!["", " ", "  ", "\n"]), toks.len()).prop_map(
            move |gaps| {
                toks.iter()
                    .zip(gaps)
                    .map(|(t, g)| format!("{t}{g}"))
                    .collect::<String>()
            },
        )
    });
    let nested = (
        0usize..150,
        0usize..150,
        prop::sample::select(vec!["(", "not ", "not(", "((not "]),
    )
        .prop_map(|(open, close, opener)| format!("{}a{}", opener.repeat(open), ")".repeat(close)));
    let chain = (
        9_990usize..10_010,
        prop::sample::select(vec!["a or ", "a and ", "not a and ", "1 == "]),
    )
        .prop_map(|(n, link)| format!("{}a", link.repeat(n)));
    let long = (65_530usize..65_545).prop_map(|n| "a".repeat(n));
    let mutated = (
        expr(),
        any::<Index>(),
        any::<Index>(),
        prop::sample::select(TOKENS),
    )
        .prop_map(|(e, cut, at, token)| {
            let text = e.to_string();
            let chars: Vec<char> = text.chars().collect();
            let cut = cut.index(chars.len() + 1);
            let at = at.index(chars.len() + 1);
            let mut out: String = chars[..cut.min(at)].iter().collect();
            out += token;
            out.extend(&chars[cut.max(at)..]);
            out
        });
    prop_oneof![
        20 => any::<String>(),
        10 => "[ -~]{0,40}",
        20 => soup,
        10 => nested,
        20 => mutated,
        1 => chain,
        1 => long,
    ]
}

// ───────────────────────────── properties: syntax ─────────────────────────────

/// `parse(print(e))` is `e` (up to spans), and printing is stable.
#[test]
fn parser_round_trips_printed_trees() {
    check("parser_round_trips_printed_trees", cases(), expr(), |e| {
        let printed = e.to_string();
        let parsed = parse_condition(&printed)
            .map_err(|err| TestCaseError::fail(format!("`{printed}` does not parse: {err}")))?;
        prop_assert_eq!(strip(&parsed), e, "printed as `{}`", printed);
        prop_assert_eq!(parsed.to_string(), printed);
        Ok(())
    });
}

/// The same condition written another way (whitespace, parentheses, quote
/// style, escapes, leading zeros, trailing commas) parses to the same tree,
/// and parsing, printing and reparsing is stable.
#[test]
fn parser_accepts_every_spelling_of_a_condition() {
    let strategy = (expr(), prop::collection::vec(any::<u8>(), 1..64));
    check(
        "parser_accepts_every_spelling_of_a_condition",
        cases(),
        strategy,
        |(e, bytes)| {
            let text = format!(
                "{}{}{}",
                Noise {
                    bytes: &bytes,
                    at: 7
                }
                .opt_ws(),
                noisy(
                    &e,
                    &mut Noise {
                        bytes: &bytes,
                        at: 0
                    }
                ),
                Noise {
                    bytes: &bytes,
                    at: 3
                }
                .opt_ws()
            );
            let parsed = parse_condition(&text)
                .map_err(|err| TestCaseError::fail(format!("{text:?} does not parse: {err}")))?;
            prop_assert_eq!(strip(&parsed), e.clone(), "written as {:?}", text);
            let printed = parsed.to_string();
            prop_assert_eq!(&printed, &e.to_string());
            let again = parse_condition(&printed)
                .map_err(|err| TestCaseError::fail(format!("`{printed}` does not parse: {err}")))?;
            prop_assert_eq!(again.to_string(), printed);
            for s in spans(&parsed) {
                prop_assert!(
                    s.start <= s.end && text.get(s.start..s.end).is_some(),
                    "span {:?} is not a slice of {:?}",
                    s,
                    text
                );
            }
            Ok(())
        },
    );
}

/// No string makes the parser panic; every error points inside the input
/// (at character boundaries), so a diagnostic can show it.
#[test]
fn parser_never_panics() {
    check(
        "parser_never_panics",
        cases(),
        hostile_condition(),
        |text| {
            match parse_condition(&text) {
                Ok(e) => {
                    let printed = e.to_string();
                    let again = parse_condition(&printed).map_err(|err| {
                        TestCaseError::fail(format!("reprint `{printed}` does not parse: {err}"))
                    })?;
                    prop_assert_eq!(strip(&again), strip(&e));
                    for s in spans(&e) {
                        prop_assert!(text.get(s.start..s.end).is_some(), "span {:?}", s);
                    }
                }
                Err(err) => {
                    let _ = err.to_string();
                    let s = err.span();
                    prop_assert!(
                        s.start <= s.end && text.get(s.start..s.end).is_some(),
                        "error span {:?} is not a slice of the input ({} bytes): {}",
                        s,
                        text.len(),
                        err
                    );
                }
            }
            Ok(())
        },
    );
}

// ───────────────────────────── properties: evaluation ─────────────────────────────

/// A small vocabulary with every fact type, for generated rulesets.
const GEN_VOCAB: &str = "\
facts:
  p: {type: bool, description: p, question: p?}
  q: {type: bool, description: q, question: q?}
  r: {type: bool, description: r, question: r?}
  n: {type: integer, min: -5, max: 100, description: n, question: n?}
  m: {type: integer, description: m, question: m?}
  k:
    type: enum
    values: {x: ex, y: why, z: zed}
    description: k
    question: k?
  d: {type: date, description: d, question: d?}
  t: {type: text, description: t, question: t?}
elements:
  one: {description: first}
  two: {description: second}
  three: {description: third}
parties:
  person: {description: a person}
  machine: {description: a machine}
issues:
  prompts: {question: Do prompts suffice?}
";

/// A boolean condition over [`GEN_VOCAB`], as text: facts of every type
/// compared with literals of their type (thresholds near the bounds, dates,
/// strings with quotes and backslashes), `@h0`/`@h1` conclusions, and now
/// and then (about one atom in fifty) an ill-typed or unknown name, which
/// the loader must reject with a diagnostic.
fn typed_condition(conclusions: bool) -> impl Strategy<Value = String> {
    let int = prop_oneof![any::<i64>(), -7i64..110];
    let text = prop::sample::select(vec!["", "a", "x'y", "q\"r", "b\\s", "other-0", "é中"]);
    let values = || prop::sample::select(vec!["x", "y", "z"]);
    let eq = || prop::sample::select(vec!["==", "!="]);
    let atom = prop_oneof![
        12 => prop::sample::select(vec!["p", "q", "r", "true", "false", "not p", "p == false"])
            .prop_map(String::from),
        (if conclusions { 6 } else { 0 }) => prop::sample::select(vec!["@h0", "@h1", "not @h0"])
            .prop_map(String::from),
        6 => (prop::sample::select(vec!["n", "m"]), cmp_op(), int)
            .prop_map(|(f, op, i)| format!("{f} {} {i}", op.symbol())),
        6 => (cmp_op(), date()).prop_map(|(op, d)| format!("d {} {d}", op.symbol())),
        6 => (eq(), values()).prop_map(|(op, v)| format!("k {op} \"{v}\"")),
        3 => (any::<bool>(), prop::collection::vec(values(), 1..3)).prop_map(|(neg, vs)| {
            let list: Vec<String> = vs.iter().map(|v| format!("'{v}'")).collect();
            let not = if neg { "not " } else { "" };
            format!("k {not}in [{}]", list.join(", "))
        }),
        6 => (eq(), text.clone()).prop_map(|(op, s)| format!("t {op} {s:?}")),
        3 => prop::collection::vec(text, 1..3).prop_map(|vs| {
            let list: Vec<String> = vs.iter().map(|v| format!("{v:?}")).collect();
            format!("t in [{}]", list.join(", "))
        }),
        3 => prop::sample::select(vec![
            "n in [1, 2, 100]", "m not in [-1]", "d in [2020-01-01, 2024-02-29]",
        ])
        .prop_map(String::from),
        1 => prop::sample::select(vec![
            "n == \"x\"", "k < 3", "d == 4", "p < q", "t > \"a\"", "unknown_fact", "@", "p and",
            "n in [1, \"a\"]", "k == \"w\"", "not n", "1", "d == 2023-02-30", "@nobody",
        ])
        .prop_map(String::from),
    ];
    atom.prop_recursive(3, 8, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not ({c})")),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|cs| format!("({})", cs.join(") and ("))),
            prop::collection::vec(inner, 2..4).prop_map(|cs| format!("({})", cs.join(") or ("))),
        ]
    })
}

#[derive(Debug, Clone)]
struct GenRule {
    when: String,
    then: u8,
    subject: u8,
    exception_to: Option<u8>,
    from: Option<Date>,
    variant: bool,
    issue: Option<bool>,
}

fn gen_rule(conclusions: bool) -> impl Strategy<Value = GenRule> {
    (
        typed_condition(conclusions),
        0..4u8,
        0..4u8,
        prop::option::weighted(0.3, 0..6u8),
        prop::option::weighted(
            0.2,
            prop::sample::select(vec![
                Date::new(2020, 1, 1).unwrap(),
                Date::new(2021, 1, 1).unwrap(),
                Date::new(2023, 3, 16).unwrap(),
                Date::new(2025, 1, 29).unwrap(),
            ]),
        ),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.2, any::<bool>()),
    )
        .prop_map(
            |(when, then, subject, exception_to, from, variant, issue)| GenRule {
                when,
                then,
                subject,
                exception_to,
                from,
                variant,
                issue,
            },
        )
}

/// A generated ruleset: rules `r0…` and the two rules `h0`, `h1` that
/// establish the conclusions the others may read.
fn gen_ruleset() -> impl Strategy<Value = (Vec<GenRule>, [GenRule; 2])> {
    (
        prop::collection::vec(gen_rule(true), 1..5),
        [gen_rule(false), gen_rule(false)],
    )
}

/// Writes a generated ruleset (as YAML) to `dir/gen.yaml`.
fn write_ruleset(dir: &Path, (rules, holders): &(Vec<GenRule>, [GenRule; 2])) -> PathBuf {
    // Flow style, short prose: loading is most of this property's cost.
    let mut out = String::from(
        "id: gen\ntitle: G\njurisdiction: XX\nauthority: {name: G, kind: court}\n\
         binding: persuasive_decision\nin_force: {from: 2020-01-01}\nsummary: G\n\
         sources: [{id: s, title: S, citation: S}]\nlimits: []\n\
         variants: [{id: v, title: V, status: pending, summary: V, replaces: [r0], \
         source: s, pinpoint: p, confidence: P}]\nrules:\n",
    );
    let elements = ["one", "two", "three", "one"];
    let parties = ["person", "machine", "person", "machine"];
    let all = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("r{i}"), r, None))
        .chain(
            holders
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("h{i}"), r, Some(format!("{{holds: h{i}}}")))),
        );
    for (id, r, holds) in all {
        let s = r.subject as usize;
        let then = holds.unwrap_or_else(|| match r.then {
            0 => format!("{{protected: [{}]}}", elements[s]),
            1 => format!("{{not_protected: [{}]}}", elements[s]),
            2 => format!("{{author: [{}], protected: [{}]}}", parties[s], elements[s]),
            _ => format!("{{not_author: [{}]}}", parties[s]),
        });
        out += &format!(
            "- {{id: {id}, title: T, when: {}, then: {then}, because: B, source: s, \
             pinpoint: p, quote: q, confidence: P",
            serde_json::to_string(&r.when).unwrap()
        );
        // Exceptions among the r rules, never to itself (a self-exception
        // is a cycle the loader rejects; the hostile fixtures cover it).
        if let (Some(t), true) = (r.exception_to, id.starts_with('r')) {
            let target = format!("r{}", t as usize % rules.len());
            if target != id {
                out += &format!(", exception_to: [{target}]");
            }
        }
        if let Some(d) = r.from {
            out += &format!(", in_force: {{from: {d}}}");
        }
        if r.variant {
            out += ", variant: v";
        }
        if let Some(yes) = r.issue {
            let answer = if yes { "yes" } else { "no" };
            out += &format!(", issue: prompts, answer: {answer}");
        }
        out += "}\n";
    }
    let path = dir.join("gen.yaml");
    std::fs::write(&path, out).unwrap();
    path
}

/// No parsed and type-checked condition makes the evaluator panic: rulesets
/// of generated rules (conditions over every fact type, conclusions,
/// exceptions, dates in force, a variant) are loaded, and those that load
/// are evaluated on generated facts, with the explanation, the fast path and
/// a diagnostic for those that do not.
#[test]
fn evaluator_never_panics_on_loaded_rulesets() {
    let dir = TempDir::new("gen");
    let vocab_path = dir.path().join("facts.yaml");
    std::fs::write(&vocab_path, GEN_VOCAB).unwrap();
    let vocab = load_vocabulary(&vocab_path).unwrap();
    let loaded = AtomicUsize::new(0);
    let strategy = (
        gen_ruleset(),
        picks(vocab.facts.len()),
        prop::sample::select(vec![
            Date::new(2019, 12, 31).unwrap(),
            Date::new(2020, 1, 1).unwrap(),
            Date::new(2024, 6, 1).unwrap(),
            Date::new(9999, 12, 31).unwrap(),
        ]),
        prop::sample::select(vec![None, Some("v".to_string()), Some("w".to_string())]),
    );
    check(
        "evaluator_never_panics_on_loaded_rulesets",
        cases(),
        strategy,
        |(rules, picks, as_of, variant)| {
            let path = write_ruleset(dir.path(), &rules);
            let ruleset = match load_ruleset(&path, &vocab) {
                Ok(r) => r,
                Err(e) => {
                    let text = authorship::render::diagnostic::render_all(&e);
                    if std::env::var_os("SHOW_GEN").is_some() {
                        eprintln!("{text}");
                    }
                    return Ok(());
                }
            };
            loaded.fetch_add(1, Ordering::Relaxed);
            let candidates: Vec<(String, Vec<FactValue>)> = vocab
                .facts
                .keys()
                .map(|f| (f.clone(), candidate_values(&ruleset, &vocab, f)))
                .collect();
            let facts = facts_from(&candidates, &picks);
            let ctx = Context { as_of, variant };
            let full = evaluate(&ruleset, &vocab, &facts, &ctx);
            let fast = authorship::eval::verdict(&ruleset, &vocab, &facts, &ctx);
            let values = authorship::eval::rule_values(&ruleset, &vocab, &facts, &ctx).unwrap();
            // The compiled evaluator must agree with the tree evaluator on
            // everything, explanation included.
            let reference = authorship::eval::reference::evaluate(&ruleset, &vocab, &facts, &ctx);
            prop_assert_eq!(&full, &reference);
            prop_assert_eq!(
                fast.clone(),
                authorship::eval::reference::verdict(&ruleset, &vocab, &facts, &ctx)
            );
            prop_assert_eq!(
                values,
                authorship::eval::reference::rule_values(&ruleset, &facts, &ctx)
            );
            match (&full, &fast) {
                (Ok(e), Ok(v)) => {
                    prop_assert_eq!(e.verdict, *v);
                    consistent(e, &ruleset)?;
                }
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "evaluate {:?} but verdict {:?}", full, fast),
            }
            Ok(())
        },
    );
    let loaded = loaded.into_inner();
    eprintln!("  of which {loaded} generated rulesets loaded and were evaluated");
    assert!(
        loaded as u32 >= cases() / 4,
        "only {loaded} generated rulesets loaded"
    );
}

/// Checks an evaluation against its own explanation.
fn consistent(e: &Evaluation, ruleset: &Ruleset) -> Result<(), TestCaseError> {
    let node = |id: &str| e.rules.iter().find(|n| n.rule == id);
    prop_assert_eq!(e.rules.len(), ruleset.rules.len());
    for id in &e.decided_by {
        let n = node(id).ok_or_else(|| TestCaseError::fail(format!("no node for {id}")))?;
        prop_assert_eq!(n.applies, Truth::True, "decided_by {} does not apply", id);
    }
    for id in &e.open {
        let n = node(id).ok_or_else(|| TestCaseError::fail(format!("no node for {id}")))?;
        prop_assert_eq!(n.applies, Truth::Unknown, "open {} is not unknown", id);
    }
    // Every rule that applies and decides something is in `decided_by`.
    for (rule, n) in ruleset.rules.iter().zip(&e.rules) {
        prop_assert_eq!(&rule.id, &n.rule);
        if n.applies == Truth::True && rule.then.decides_outcome() {
            prop_assert!(e.decided_by.contains(&rule.id), "{} missing", rule.id);
        }
        if n.inactive.is_some() {
            prop_assert_eq!(n.applies, Truth::False, "inactive {} applies", rule.id);
        }
    }
    // A rule that applies fixes its elements' side: an element it says is
    // protected is not unprotected, and vice versa.
    for rule in e.rules.iter().filter(|n| n.applies == Truth::True) {
        for (list, wrong) in [
            (&rule.then.protected, ElementStatus::NotProtected),
            (&rule.then.not_protected, ElementStatus::Protected),
        ] {
            for element in list {
                let out = e.elements.iter().find(|o| &o.element == element);
                let out = out.ok_or_else(|| {
                    TestCaseError::fail(format!("{element}, decided by {}, missing", rule.rule))
                })?;
                prop_assert!(out.status != wrong, "{} contradicts {}", element, rule.rule);
            }
        }
    }
    // The verdict is the root of the elements that count: a part (edits of
    // an output) counts only where the ruleset reaches what it is part of.
    let counts = |o: &&authorship::eval::ElementOutcome| {
        vocab()
            .part_of
            .get(&o.element)
            .is_none_or(|p| e.elements.iter().any(|x| &x.element == p))
    };
    let may = |s: ElementStatus| {
        e.elements.iter().filter(counts).any(|o| {
            o.status == s || (o.status == ElementStatus::Undetermined && o.possible.contains(&s))
        })
    };
    let is = |s: ElementStatus| e.elements.iter().filter(counts).any(|o| o.status == s);
    use ElementStatus as S;
    match e.verdict {
        Verdict::Protected => {
            prop_assert!(
                may(S::Protected) && !may(S::NotProtected),
                "{:?}",
                e.elements
            )
        }
        Verdict::NotProtected => {
            prop_assert!(
                may(S::NotProtected) && !may(S::Protected),
                "{:?}",
                e.elements
            );
            prop_assert!(e.authors.is_empty() && e.possible_authors.is_empty());
        }
        Verdict::PartiallyProtected => {
            prop_assert!(
                may(S::Protected) && may(S::NotProtected),
                "{:?}",
                e.elements
            )
        }
        Verdict::NotAddressed => {
            prop_assert!(
                !is(S::Protected) && !is(S::NotProtected),
                "{:?}",
                e.elements
            );
            prop_assert!(
                !may(S::Protected) && !may(S::NotProtected),
                "{:?}",
                e.elements
            );
        }
        Verdict::Undetermined => {
            prop_assert!(!e.depends_on.is_empty(), "undetermined on nothing");
            prop_assert!(
                e.possible_verdicts.len() != 1,
                "undetermined with one possible verdict {:?}",
                e.possible_verdicts
            );
        }
    }
    if e.verdict != Verdict::Undetermined {
        prop_assert!(e.possible_verdicts.is_empty() && e.depends_on.is_empty());
    }
    if !e.in_force {
        prop_assert!(e.decided_by.is_empty() && e.open.is_empty());
    }
    Ok(())
}

/// The verdict is the root of its explanation, and the fast path agrees.
#[test]
fn verdict_matches_its_explanation_and_the_fast_path() {
    check(
        "verdict_matches_its_explanation_and_the_fast_path",
        cases(),
        eval_input(),
        |input| {
            let (ruleset, facts, ctx) = (input.ruleset(), input.facts(), input.context());
            let full = evaluate(ruleset, vocab(), &facts, &ctx);
            let fast = authorship::eval::verdict(ruleset, vocab(), &facts, &ctx);
            match (&full, &fast) {
                (Ok(e), Ok(v)) => {
                    prop_assert_eq!(e.verdict, *v, "fast path");
                    consistent(e, ruleset)?;
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                _ => prop_assert!(false, "evaluate {:?} but verdict {:?}", full, fast),
            }
            Ok(())
        },
    );
}

/// A fact the ruleset never reads changes nothing; a fact outside the
/// what-if search's relevant set changes no verdict.
#[test]
fn unread_facts_change_nothing() {
    let strategy = (eval_input(), any::<Index>(), any::<Index>(), any::<u32>());
    check(
        "unread_facts_change_nothing",
        cases(),
        strategy,
        |(input, unread, irrelevant, value)| {
            let (ruleset, facts, ctx) = (input.ruleset(), input.facts(), input.context());
            let s = shipped();
            let set = |fact: &str| {
                let (_, values) = s.union.iter().find(|(f, _)| f == fact).unwrap();
                let mut more = facts.clone();
                more.set(fact, values[value as usize % values.len()].clone());
                more
            };
            let before = evaluate(ruleset, vocab(), &facts, &ctx);
            let p = input.prepared();
            if !p.unread.is_empty() {
                let fact = unread.get(&p.unread);
                let after = evaluate(ruleset, vocab(), &set(fact), &ctx);
                prop_assert_eq!(&before, &after, "setting unread fact {}", fact);
            }
            // The what-if search changes only relevant facts, and reads a
            // change at the facts' completion; a fact its relevant facts'
            // `arises` conditions read (`generative_ai_used`, which no rule
            // reads) can still move the verdict, by making one not arise, so
            // it is not "outside" here. (The search does not try such a
            // fact itself: see relevant_facts.)
            let relevant = common::facts::with_arising_conditions(
                vocab(),
                authorship::whatif::relevant::relevant_facts(ruleset, &ctx)
                    .iter()
                    .map(String::as_str),
            );
            let outside: Vec<&String> = vocab()
                .facts
                .keys()
                .filter(|f| !relevant.contains(*f))
                .collect();
            if !outside.is_empty() {
                let fact = irrelevant.get(&outside);
                let after = authorship::eval::verdict(ruleset, vocab(), &set(fact), &ctx);
                let before = before.as_ref().map(|e| e.verdict);
                prop_assert_eq!(before.ok(), after.ok(), "setting irrelevant fact {}", fact);
            }
            Ok(())
        },
    );
}

/// Knowing more never unsettles a settled outcome: setting an unknown fact
/// keeps a decided verdict (Kleene logic is monotonic).
#[test]
fn learning_a_fact_never_unsettles_an_outcome() {
    let strategy = (eval_input(), any::<Index>(), any::<u32>());
    check(
        "learning_a_fact_never_unsettles_an_outcome",
        cases(),
        strategy,
        |(input, which, value)| {
            let (ruleset, facts, ctx) = (input.ruleset(), input.facts(), input.context());
            let p = input.prepared();
            let unknown: Vec<&(String, Vec<FactValue>)> = p
                .candidates
                .iter()
                .filter(|(f, v)| facts.get(f).is_none() && !v.is_empty())
                .collect();
            if unknown.is_empty() {
                return Ok(());
            }
            let (fact, values) = which.get(&unknown);
            let mut more = facts.clone();
            more.set(fact, values[value as usize % values.len()].clone());
            // A value that contradicts what is known (stated for a fact that
            // does not arise, or making a stated fact not arise: no AI used,
            // yet AI material in the work) is not learning more; no loaded
            // case could state it.
            if vocab().complete(&more).contradictions().next().is_some() {
                return Ok(());
            }
            // The fast path, which `verdict_matches_its_explanation_and_the_fast_path`
            // checks against `evaluate`.
            let verdict = |f: &Facts| authorship::eval::verdict(ruleset, vocab(), f, &ctx);
            let Ok(before) = verdict(&facts) else {
                return Ok(());
            };
            if before == Verdict::Undetermined {
                return Ok(());
            }
            // Err: the new fact may make two rules that could both apply
            // actually both apply; that is reported, not undetermined.
            if let Ok(after) = verdict(&more) {
                prop_assert!(
                    after != Verdict::Undetermined,
                    "{} became undetermined when {} was set",
                    before,
                    fact
                );
                prop_assert_eq!(after, before, "setting {}", fact);
            }
            Ok(())
        },
    );
}

// ───────────────────────────── properties: files ─────────────────────────────

/// A YAML scalar for a fact value, written the way a person would.
fn yaml_value(v: &FactValue) -> String {
    match v {
        FactValue::Bool(b) => b.to_string(),
        FactValue::Int(i) => i.to_string(),
        FactValue::Date(d) => d.to_string(),
        FactValue::Str(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

fn json_value(v: &FactValue) -> serde_json::Value {
    match v {
        FactValue::Bool(b) => serde_json::Value::Bool(*b),
        FactValue::Int(i) => serde_json::Value::from(*i),
        FactValue::Date(d) => serde_json::Value::String(d.to_string()),
        FactValue::Str(s) => serde_json::Value::String(s.clone()),
    }
}

#[derive(Debug, Clone)]
struct CaseInput {
    title: String,
    summary: String,
    as_of: Option<Date>,
    /// Per vocabulary fact: absent, stated unknown (`null`), or a value.
    facts: Vec<(u8, u32)>,
    ruleset: usize,
}

fn case_input() -> impl Strategy<Value = CaseInput> {
    let s = shipped();
    let text = "[ -~éüß中文—«»]{1,30}";
    (
        text,
        text,
        prop::option::of(date()),
        prop::collection::vec((0..8u8, any::<u32>()), s.union.len()),
        0..s.rulesets.len(),
    )
        .prop_map(|(title, summary, as_of, facts, ruleset)| CaseInput {
            title,
            summary,
            as_of,
            facts,
            ruleset,
        })
}

/// The facts a case input states, in vocabulary order: `None` for a fact
/// stated unknown (`null`, only when `nulls`; else that pick states a
/// value too). A value stated where the fact does not arise, other than
/// its defined one, is left out: the loader rejects it (E011).
fn case_facts(input: &CaseInput, nulls: bool) -> Vec<(String, Option<FactValue>)> {
    let s = shipped();
    let mut known = Facts::default();
    let mut out = Vec::new();
    for ((fact, values), (kind, k)) in s.union.iter().zip(&input.facts) {
        match kind {
            0..=2 => {}
            3 if nulls => out.push((fact.clone(), None)),
            _ => {
                let v = values[*k as usize % values.len()].clone();
                known.set(fact, v.clone());
                out.push((fact.clone(), Some(v)));
            }
        }
    }
    let dropped = common::facts::drop_contradictions(vocab(), &mut known);
    out.retain(|(fact, _)| !dropped.contains(fact));
    out
}

/// A case written as YAML and as JSON (JSON is YAML too, and goes through
/// the same `load_case`) loads to the same case and the same comparison.
#[test]
fn yaml_and_json_cases_agree() {
    let dir = TempDir::new("case");
    check(
        "yaml_and_json_cases_agree",
        cases(),
        case_input(),
        |input| {
            let s = shipped();
            let mut yaml = format!(
                "title: '{}'\nsummary: '{}'\n",
                input.title.replace('\'', "''"),
                input.summary.replace('\'', "''")
            );
            let mut json = serde_json::Map::new();
            json.insert("title".into(), input.title.clone().into());
            json.insert("summary".into(), input.summary.clone().into());
            if let Some(d) = input.as_of {
                yaml += &format!("as_of: {d}\n");
                json.insert("as_of".into(), d.to_string().into());
            }
            yaml += "facts:\n";
            let mut facts = serde_json::Map::new();
            for (fact, value) in case_facts(&input, true) {
                match value {
                    None => {
                        yaml += &format!("  {fact}: null\n");
                        facts.insert(fact, serde_json::Value::Null);
                    }
                    Some(v) => {
                        yaml += &format!("  {fact}: {}\n", yaml_value(&v));
                        facts.insert(fact, json_value(&v));
                    }
                }
            }
            if facts.is_empty() {
                yaml += "  {}\n";
            }
            json.insert("facts".into(), serde_json::Value::Object(facts));
            let yaml_path = dir.path().join("case.yaml");
            let json_path = dir.path().join("case.json");
            std::fs::write(&yaml_path, &yaml).unwrap();
            std::fs::write(&json_path, serde_json::to_string(&json).unwrap()).unwrap();
            // Free text may happen to look like a citation key (`[AA]`),
            // which the loader refuses (E010): then both forms must be
            // refused for the same reasons, in the same fields.
            let (from_yaml, from_json) = match (
                load_case(&yaml_path, s.library),
                load_case(&json_path, s.library),
            ) {
                (Ok(y), Ok(j)) => (y, j),
                (Err(y), Err(j)) => {
                    let why = |e: &authorship::load::LoadErrors| {
                        e.iter()
                            .map(|e| (e.kind.clone(), e.field.clone()))
                            .collect::<Vec<_>>()
                    };
                    prop_assert_eq!(why(&y), why(&j));
                    return Ok(());
                }
                (y, j) => {
                    let said = |r: &Result<Case, authorship::load::LoadErrors>| match r {
                        Ok(_) => "loads".to_string(),
                        Err(e) => authorship::render::diagnostic::render_all(e),
                    };
                    return Err(TestCaseError::fail(format!(
                        "the YAML form {}, the JSON form {}",
                        said(&y),
                        said(&j)
                    )));
                }
            };
            prop_assert_eq!(&from_yaml.title, &from_json.title);
            prop_assert_eq!(&from_yaml.summary, &from_json.summary);
            prop_assert_eq!(&from_yaml.title, &input.title);
            prop_assert_eq!(from_yaml.as_of, from_json.as_of);
            prop_assert_eq!(&from_yaml.facts, &from_json.facts);
            prop_assert_eq!(&from_yaml.stated_unknown, &from_json.stated_unknown);
            // The same facts give the same outcome anyway; check the verdict
            // under one randomly chosen ruleset (the whole comparison is
            // `yaml_and_json_cases_compare_alike`).
            let options = compare::Options::default();
            let (date, _) = compare::as_of(&from_yaml, s.library, &options);
            let ruleset = &s.library.rulesets[input.ruleset];
            let ctx = Context::as_of(date);
            prop_assert_eq!(
                authorship::eval::verdict(ruleset, vocab(), &from_yaml.facts, &ctx),
                authorship::eval::verdict(ruleset, vocab(), &from_json.facts, &ctx)
            );
            Ok(())
        },
    );
}

/// The whole comparison (every ruleset, jurisdictions, splits, and every
/// reading for half the cases) agrees for the YAML and the JSON form of a
/// case; a fortieth of the cases (250 by default), as each compares
/// thirteen rulesets twice.
#[test]
fn yaml_and_json_cases_compare_alike() {
    let dir = TempDir::new("compare");
    check(
        "yaml_and_json_cases_compare_alike",
        (cases() / 40).max(1),
        case_input(),
        |input| {
            let s = shipped();
            let mut yaml = String::from("title: t\nsummary: s\nfacts:\n");
            let mut facts = serde_json::Map::new();
            for (fact, value) in case_facts(&input, false) {
                let v = value.expect("no nulls asked for");
                yaml += &format!("  {fact}: {}\n", yaml_value(&v));
                facts.insert(fact, json_value(&v));
            }
            if facts.is_empty() {
                yaml += "  {}\n";
            }
            let json = serde_json::json!({"title": "t", "summary": "s", "facts": facts});
            let yaml_path = dir.path().join("case.yaml");
            let json_path = dir.path().join("case.json");
            std::fs::write(&yaml_path, &yaml).unwrap();
            std::fs::write(&json_path, json.to_string()).unwrap();
            let options = compare::Options {
                as_of: input.as_of,
                variants: input.ruleset % 2 == 0,
            };
            let run = |p: &Path| {
                let case = load_case(p, s.library).unwrap();
                let mut c = compare::compare(&case, s.library, &options);
                c.path = String::new();
                c
            };
            prop_assert_eq!(run(&yaml_path), run(&json_path));
            Ok(())
        },
    );
}

/// An evaluation in which file order does not show: every list of rules
/// sorted, the rule nodes by id. (Conflicts: the rules on each side sorted.)
fn order_free(
    result: &Result<Evaluation, authorship::eval::EvalError>,
) -> Result<Evaluation, authorship::eval::EvalError> {
    let mut result = result.clone();
    match &mut result {
        Ok(e) => {
            for list in [
                &mut e.authors,
                &mut e.possible_authors,
                &mut e.not_authors,
                &mut e.depends_on,
                &mut e.decided_by,
                &mut e.open,
            ] {
                list.sort();
            }
            e.possible_verdicts.sort();
            for o in &mut e.elements {
                o.rules.sort();
                o.depends_on.sort();
                o.possible.sort();
            }
            e.elements.sort_by(|a, b| a.element.cmp(&b.element));
            for f in &mut e.findings {
                f.rules.sort();
            }
            e.findings.sort_by(|a, b| a.conclusion.cmp(&b.conclusion));
            for n in &mut e.rules {
                n.relies_on.sort_by(|a, b| a.rule.cmp(&b.rule));
                n.exceptions.sort_by(|a, b| a.rule.cmp(&b.rule));
                n.depends_on.sort();
            }
            e.rules.sort_by(|a, b| a.rule.cmp(&b.rule));
        }
        Err(authorship::eval::EvalError::Conflict {
            positive, negative, ..
        }) => {
            positive.sort();
            negative.sort();
        }
        Err(_) => {}
    }
    result
}

/// The ruleset with its rules in another order (`perm[i]` is the old
/// position of the rule now at `i`) and its index rebuilt the way the
/// loader builds it: conclusion holders and exceptions by (new) position,
/// and an evaluation order that puts every rule after the rules it depends
/// on (its exceptions, and the holders of the conclusions it reads) — here
/// a random one of the valid orders, chosen by `keys`.
fn permuted(r: &Ruleset, perm: &[usize], keys: &[u32]) -> Ruleset {
    let n = r.rules.len();
    let mut new_pos = vec![0; n];
    for (i, &old) in perm.iter().enumerate() {
        new_pos[old] = i;
    }
    let holders: BTreeMap<String, Vec<usize>> = r
        .index
        .holders
        .iter()
        .map(|(name, hs)| {
            let mut hs: Vec<usize> = hs.iter().map(|&h| new_pos[h]).collect();
            hs.sort();
            (name.clone(), hs)
        })
        .collect();
    let exceptions: Vec<Vec<usize>> = perm
        .iter()
        .map(|&old| {
            let mut es: Vec<usize> = r.index.exceptions[old]
                .iter()
                .map(|&e| new_pos[e])
                .collect();
            es.sort();
            es
        })
        .collect();
    let rules: Vec<Rule> = perm.iter().map(|&old| r.rules[old].clone()).collect();
    let deps: Vec<BTreeSet<usize>> = (0..n)
        .map(|i| {
            let mut d: BTreeSet<usize> = exceptions[i].iter().copied().collect();
            for c in rules[i].when.conclusions_read() {
                d.extend(holders.get(c).into_iter().flatten());
            }
            d
        })
        .collect();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n)
            .filter(|&i| !done[i] && deps[i].iter().all(|&d| done[d]))
            .min_by_key(|&i| keys[i % keys.len()].rotate_left(i as u32))
            .expect("the shipped rules have no dependency cycle");
        done[next] = true;
        order.push(next);
    }
    let mut out = Ruleset {
        rules: Vec::new(),
        ..r.clone()
    };
    out.rules = rules;
    out.index = RuleIndex {
        holders,
        exceptions,
        order,
    };
    out
}

/// Reordering the rules of a ruleset file never changes an outcome: its
/// evaluation, with every list of rules sorted, is the same.
///
/// Every case permutes the rules in memory and rebuilds the index as the
/// loader does ([`permuted`], with a random valid evaluation order). One
/// case in eight also takes the round trip through the loader itself: the
/// shipped file parsed to a JSON value, its prose cut short (see
/// [`shorten_prose`]), its `rules` in the new order, written back (as
/// JSON, which is YAML) under the ruleset's id and loaded — and the
/// loader's index must equal the rebuilt one. Loading costs a few
/// milliseconds in a debug build, hence not every case.
#[test]
fn rule_order_never_changes_an_outcome() {
    let dir = TempDir::new("order");
    let round_trips = AtomicUsize::new(0);
    let strategy = (
        eval_input(),
        prop::collection::vec(any::<u32>(), 32),
        prop::bool::weighted(0.125),
    );
    check(
        "rule_order_never_changes_an_outcome",
        cases(),
        strategy,
        |(input, keys, round_trip)| {
            let (facts, ctx) = (input.facts(), input.context());
            let p = input.prepared();
            let ruleset = &p.compact_ruleset;
            let mut perm: Vec<usize> = (0..ruleset.rules.len()).collect();
            perm.sort_by_key(|&i| (keys[i % keys.len()].rotate_left(i as u32 / 32), i));
            let shuffled = permuted(ruleset, &perm, &keys);
            let before = order_free(&evaluate(ruleset, vocab(), &facts, &ctx));
            let after = order_free(&evaluate(&shuffled, vocab(), &facts, &ctx));
            let ids: Vec<&str> = shuffled.rules.iter().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(&before, &after, "rules in order {:?}", ids);
            if !round_trip {
                return Ok(());
            }
            round_trips.fetch_add(1, Ordering::Relaxed);
            let mut doc = p.compact.clone();
            let rules = doc["rules"].as_array_mut().unwrap();
            let old: Vec<serde_json::Value> = std::mem::take(rules);
            rules.extend(perm.iter().map(|&i| old[i].clone()));
            let path = dir.path().join(format!("{}.yaml", ruleset.id));
            std::fs::write(&path, doc.to_string()).unwrap();
            let loaded = load_ruleset(&path, vocab()).map_err(|e| {
                TestCaseError::fail(format!(
                    "reordered ruleset does not load:\n{}",
                    authorship::render::diagnostic::render_all(&e)
                ))
            })?;
            let loaded_ids: Vec<&str> = loaded.rules.iter().map(|r| r.id.as_str()).collect();
            prop_assert_eq!(&loaded_ids, &ids);
            prop_assert_eq!(&loaded.index.holders, &shuffled.index.holders);
            prop_assert_eq!(&loaded.index.exceptions, &shuffled.index.exceptions);
            let from_file = order_free(&evaluate(&loaded, vocab(), &facts, &ctx));
            prop_assert_eq!(&before, &from_file, "rules in order {:?} (loaded)", ids);
            Ok(())
        },
    );
    eprintln!("  of which {} through the loader", round_trips.into_inner());
}

/// The compacted rulesets the order property permutes decide like the
/// shipped ones: cutting the prose changed nothing else.
#[test]
fn compacted_rulesets_decide_like_the_shipped_ones() {
    check(
        "compacted_rulesets_decide_like_the_shipped_ones",
        (cases() / 10).max(1),
        eval_input(),
        |input| {
            let (facts, ctx) = (input.facts(), input.context());
            let shipped = input.ruleset();
            let compact = &input.prepared().compact_ruleset;
            prop_assert_eq!(shipped.rules.len(), compact.rules.len());
            for (a, b) in shipped.rules.iter().zip(&compact.rules) {
                prop_assert_eq!(&a.id, &b.id);
                prop_assert_eq!(&a.when, &b.when);
                prop_assert_eq!(&a.then, &b.then);
                prop_assert_eq!(&a.exception_to, &b.exception_to);
            }
            prop_assert_eq!(&shipped.index, &compact.index);
            prop_assert_eq!(
                authorship::eval::verdict(shipped, vocab(), &facts, &ctx),
                authorship::eval::verdict(compact, vocab(), &facts, &ctx)
            );
            Ok(())
        },
    );
}

// ───────────────────────────── fuzz regressions ─────────────────────────────

/// Inputs the fuzzers (fuzz/, docs/fuzzing.md) once crashed on: each must
/// load, or be rejected, without a panic.
#[test]
fn fuzz_regressions_do_not_panic() {
    let root = Path::new("tests/fixtures/fuzz-regressions");
    let library = shipped().library;
    let mut seen = 0;
    for (sub, kind) in [
        ("condition_parser", 0),
        ("ruleset_loader", 1),
        ("case_loader", 2),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            seen += 1;
            match kind {
                0 => {
                    let bytes = std::fs::read(&path).unwrap();
                    if let Ok(text) = std::str::from_utf8(&bytes) {
                        let _ = parse_condition(text).map(|e| e.to_string());
                    }
                }
                1 => {
                    if let Err(e) = load_ruleset(&path, &library.vocabulary) {
                        let _ = authorship::render::diagnostic::render_all(&e);
                    }
                }
                _ => match load_case(&path, library) {
                    Ok(case) => {
                        let _ = compare::compare(&case, library, &compare::Options::default());
                    }
                    Err(e) => {
                        let _ = authorship::render::diagnostic::render_all(&e);
                    }
                },
            }
        }
    }
    eprintln!("fuzz regressions: {seen} inputs");
}
