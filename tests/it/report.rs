//! Teaching outputs: handouts (Markdown, HTML, class mode) and reasoning
//! diagrams (Mermaid, dot), on a real case and on a fixture full of hostile
//! text that must render inert in every format.

use crate::common;

/// Runs the binary, which must succeed; its standard output.
fn run(args: &[&str]) -> String {
    let o = common::run(args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    common::stdout(&o)
}

/// Every verdict, as files spell them and as handouts write them.
const VERDICTS: [&str; 9] = [
    "partially_protected",
    "not_protected",
    "not_addressed",
    "undetermined",
    "protected",
    "partially protected",
    "not protected",
    "not addressed",
    "Protected",
];

#[test]
fn the_html_handout_is_one_offline_file_with_everything() {
    let path = std::env::temp_dir().join(format!("authorship-report-{}.html", std::process::id()));
    run(&[
        "report",
        "cases/li-v-liu.yaml",
        "--format",
        "html",
        "-o",
        path.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Links a reader may follow (`<a href="https://…">`) are allowed:
    // nothing is loaded from them (tests/it/ux_handout.rs checks each).
    for external in ["src=", "<script", "<link", "@import", "url("] {
        assert!(
            !html.contains(external),
            "external asset or script: {external}"
        );
    }
    for expected in [
        "not legal advice",
        "Outcomes by jurisdiction",
        "Beijing Internet Court (beijing-internet-court)",
        "United States Copyright Office (us-copyright-office)",
        "(2023) Jing 0491 Min Chu No. 11279",
        "Where the authorities part ways",
        "What would change the outcome",
        "Encoder&#39;s interpretation",
        // The diagram of the deciding rules.
        "<figure class=\"path\" aria-label=\"Reasoning of beijing-internet-court: ",
        "as of: 2026-",
        // Every citation resolves in the handout itself (issue 14).
        "References",
        "Works cited by key",
        "[NLR-LL] Beijing Internet Court Recognizes Copyright in AI-Generated Images",
        "Legend",
        "[P] Wording of the primary text",
        "Notes on the rows",
        // The decided matter's disposition.
        "How the matter was decided",
        "RMB 500 in damages",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
}

#[test]
fn the_markdown_handout_has_the_same_content() {
    let md = run(&["report", "cases/li-v-liu.yaml", "--format", "markdown"]);
    for expected in [
        "not legal advice",
        "## Outcomes by jurisdiction",
        "## Each authority's reasoning",
        "## Where the authorities part ways",
        "## What would change the outcome",
        "Smallest changes:",
        "**Reasoning** (beijing-internet-court):",
        "> “",
        "_Encoder's interpretation",
    ] {
        assert!(md.contains(expected), "missing {expected}");
    }
}

#[test]
fn class_mode_shows_no_verdict_before_the_answer_key() {
    for format in ["markdown", "html"] {
        let out = run(&[
            "report",
            "cases/li-v-liu.yaml",
            "--format",
            format,
            "--hide-outcomes",
        ]);
        // The stylesheet names every verdict's colour: only the text counts.
        let body = out.split_once("<body>").map_or(out.as_str(), |(_, b)| b);
        let (questions, key) = body.split_once("Answer key").expect("an answer key");
        let plain = questions.replace('\\', "");
        for v in VERDICTS {
            assert!(!plain.contains(v), "{format}: `{v}` before the answer key");
        }
        assert!(
            key.replace('\\', "").contains("not protected"),
            "{format}: the key has the outcomes"
        );
        assert!(questions.contains("Questions for discussion"));
    }
}

#[test]
fn diagrams_in_mermaid_and_dot() {
    common::snapshots!();
    let args = [
        "explain",
        "cases/zarya-of-the-dawn.yaml",
        "--ruleset",
        "us-copyright-office",
        "--format",
    ];
    let mermaid = run(&[&args[..], &["mermaid"]].concat());
    assert!(mermaid.starts_with("flowchart TD"));
    assert!(mermaid.contains("-.->|\"exception\"|") || !mermaid.contains("exception"));
    insta::assert_snapshot!("zarya_mermaid", mermaid);
    let dot = run(&[&args[..], &["dot"]].concat());
    assert!(dot.starts_with("digraph reasoning {") && dot.trim_end().ends_with('}'));
    insta::assert_snapshot!("zarya_dot", dot);
}

const HOSTILE: [&str; 4] = [
    "tests/fixtures/hostile/cases/hostile.yaml",
    "--rules",
    "tests/fixtures/hostile/rules",
    "--format",
];

#[test]
fn hostile_text_renders_inert_in_html() {
    common::snapshots!();
    let html = run(&[
        "report", HOSTILE[0], HOSTILE[1], HOSTILE[2], "--format", "html",
    ]);
    assert!(!html.contains("<script"), "a script tag got through");
    assert!(!html.contains("<img") && !html.contains("<iframe") && !html.contains("</td><script"));
    assert!(html.contains("&lt;script&gt;alert(&#39;case&#39;)&lt;/script&gt;"));
    // The page after its stylesheet: the stylesheet holds no file text,
    // and the layout tests (ux_handout.rs) check it.
    let body = html.split_once("</style>").expect("a stylesheet").1;
    insta::assert_snapshot!("hostile_html", body);
}

#[test]
fn hostile_text_renders_inert_in_markdown_and_diagrams() {
    common::snapshots!();
    let md = run(&[
        "report", HOSTILE[0], HOSTILE[1], HOSTILE[2], "--format", "markdown",
    ]);
    assert!(!md.contains("<script") && !md.contains("<img"));
    let pipes = |l: &str| l.replace("\\|", "").matches('|').count();
    let mut header = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let width = *header.get_or_insert(pipes(line));
        assert_eq!(pipes(line), width, "a pipe broke the table: {line}");
    }
    insta::assert_snapshot!("hostile_markdown", md);
    let explain = |f: &str| {
        run(&[
            "explain",
            HOSTILE[0],
            "--ruleset",
            "hostile",
            HOSTILE[1],
            HOSTILE[2],
            "--format",
            f,
        ])
    };
    let mermaid = explain("mermaid");
    for line in mermaid.lines().skip(1) {
        assert_eq!(line.matches('"').count() % 2, 0, "unbalanced quote: {line}");
        assert!(
            !line.contains('<') || line.contains("<br/>"),
            "raw angle bracket: {line}"
        );
    }
    insta::assert_snapshot!("hostile_mermaid", mermaid);
    let dot = explain("dot");
    for line in dot.lines() {
        assert_eq!(
            line.replace("\\\"", "").matches('"').count() % 2,
            0,
            "unbalanced quote: {line}"
        );
    }
    insta::assert_snapshot!("hostile_dot", dot);
    let compare_md = run(&[
        "compare", HOSTILE[0], HOSTILE[1], HOSTILE[2], "--format", "markdown",
    ]);
    assert!(!compare_md.contains("<script"));
}
