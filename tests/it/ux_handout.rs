//! The handout a teacher hands out (issue 16): a viewport tag and a
//! CJK-capable font stack, a print stylesheet that puts the answer key on
//! its own page, the source's words in block quotes apart from the
//! encoder's interpretation, verdicts coloured and written in words, a
//! diagram of the deciding rules per authority, a contents list, citations
//! that resolve in the handout, `report --set/--unset/--as-of` stated in
//! the header, no external resource, and (with Chromium) no horizontal
//! overflow at 400 px.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use authorship::compare::{Column, Options, compare};

use crate::common;
use crate::common::chromium;

const LI: &str = "cases/li-v-liu.yaml";

/// Runs the binary, which must succeed; its standard output.
fn run(args: &[&str]) -> String {
    let o = common::run(args);
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::stdout(&o)
}

fn html(extra: &[&str]) -> String {
    run(&[&["report", LI, "--format", "html"], extra].concat())
}

/// The text of every element `<tag class="class"...>…</tag>` (not nested).
fn elements<'a>(doc: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(start) = rest.find(open) {
        let after = &rest[start..];
        let end = after.find(close).expect("a closed element");
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// The part of the page before the first case's title: its header.
fn header(doc: &str) -> &str {
    let cut = doc.find("<h1").expect("a case title");
    &doc[..cut]
}

#[test]
fn the_handout_scales_to_a_phone_and_has_a_cjk_font_stack() {
    let doc = html(&[]);
    assert!(
        doc.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
        "no viewport tag"
    );
    let style = &doc[doc.find("<style>").unwrap()..doc.find("</style>").unwrap()];
    for font in [
        "\"Noto Sans CJK SC\"",
        "\"Source Han Sans SC\"",
        "\"PingFang SC\"",
        "\"Microsoft YaHei\"",
    ] {
        assert!(style.contains(font), "font stack lacks {font}");
    }
    // A narrow screen stacks the diagram's boxes.
    assert!(
        style.contains("@media (max-width:"),
        "no narrow-screen rules"
    );
}

#[test]
fn in_print_the_answer_key_starts_its_own_page() {
    let doc = html(&["--hide-outcomes"]);
    let style = &doc[doc.find("<style>").unwrap()..doc.find("</style>").unwrap()];
    let print = &style[style.find("@media print").expect("a print stylesheet")..];
    let rule = print
        .split('}')
        .find(|r| r.contains("h1.answer-key"))
        .expect("a print rule for the answer key");
    assert!(rule.contains("break-before:page"), "{rule}");
    assert_eq!(
        doc.matches("<h1 id=\"").count(),
        2,
        "one case title and the answer key"
    );
    assert!(doc.contains("class=\"answer-key\">Answer key</h1>"));
    // Nothing before the key gives a verdict away.
    let (questions, key) = doc.split_once("class=\"answer-key\"").unwrap();
    assert!(!questions.contains("class=\"verdict"));
    assert!(key.contains("class=\"verdict v-not-protected\">not protected</span>"));
    // Without class mode there is no answer key to break before.
    assert!(!html(&[]).contains("class=\"answer-key\""));
}

#[test]
fn the_sources_words_are_block_quotes_apart_from_the_interpretation() {
    let doc = html(&[]);
    let quotes = elements(&doc, "<blockquote class=\"source\"><p>", "</blockquote>");
    let quote = quotes
        .iter()
        .find(|q| q.contains("only a producer of the creation tool"))
        .expect("the court's words on the developer, quoted");
    assert!(quote.contains("<footer>— <cite>Li v. Liu"), "{quote}");
    for q in &quotes {
        assert!(
            !q.contains("class=\"interpretation\"") && !q.contains("Encoder"),
            "gloss inside a quote: {q}"
        );
    }
    let asides = elements(&doc, "<aside class=\"interpretation\">", "</aside>");
    assert!(
        asides.iter().any(|a| a.contains(
            "<span class=\"label\">Encoder&#39;s interpretation (close)</span> The condition not developer_"
        )),
        "the interpretation is a labelled aside"
    );
    // Markdown: the quote is a block quote, the interpretation is not.
    let md = run(&["report", LI, "--format", "markdown"]);
    let quoted = md
        .lines()
        .find(|l| l.contains("only a producer of the creation tool"))
        .unwrap();
    assert!(quoted.trim_start().starts_with("> “"), "{quoted}");
    let gloss = md
        .lines()
        .find(|l| l.contains("Encoder's interpretation (close):_ The condition not"))
        .expect("a labelled interpretation");
    assert!(!gloss.trim_start().starts_with('>'), "{gloss}");
}

#[test]
fn verdicts_are_coloured_and_always_in_words() {
    let doc = html(&[]);
    for (class, words) in [
        ("v-protected", "protected"),
        ("v-not-protected", "not protected"),
        ("v-undetermined", "undetermined"),
        ("v-not-addressed", "not addressed"),
    ] {
        assert!(
            doc.contains(&format!("<span class=\"verdict {class}\">{words}</span>")),
            "no {words} badge"
        );
    }
    for badge in elements(&doc, "<span class=\"verdict ", "</span>") {
        let words = badge.split_once('>').unwrap().1;
        assert!(!words.is_empty() && !words.contains('_'), "{badge}");
    }
    // The legend shows every colour with its word and meaning.
    assert!(doc.contains(
        "<dt><span class=\"verdict v-partially-protected\">partially protected</span></dt><dd>some elements protected, others not</dd>"
    ));
    let md = run(&["report", LI, "--format", "markdown"]);
    assert!(
        md.contains("| **not protected** |"),
        "markdown outcome in words"
    );
}

#[test]
fn each_deciding_authority_has_a_diagram_naming_its_deciding_rules() {
    let library = common::library();
    let c = compare(&common::case(LI, library), library, &Options::default());
    let doc = html(&[]);
    let mut drawn = 0;
    for column in &c.columns {
        let Column::Evaluated(e) = column else {
            continue;
        };
        if e.decided_by.is_empty() {
            continue;
        }
        let label = format!("aria-label=\"Reasoning of {}: ", e.ruleset);
        let start = doc
            .find(&label)
            .unwrap_or_else(|| panic!("no diagram for {}", e.ruleset));
        let figure = &doc[start..start + doc[start..].find("</figure>").unwrap()];
        for rule in &e.decided_by {
            assert!(
                figure.contains(&format!(
                    "<span class=\"id\">{rule}</span><span class=\"tag decides\">decides</span>"
                )),
                "{}: {rule} not drawn as deciding",
                e.ruleset
            );
        }
        assert!(figure.contains("Facts read") && figure.contains("Outcome"));
        assert!(figure.contains(&format!(
            "<span class=\"verdict v-{}\">",
            e.verdict.as_str().replace('_', "-")
        )));
        drawn += 1;
    }
    assert!(drawn >= 3, "only {drawn} diagrams");
    let md = run(&["report", LI, "--format", "markdown"]);
    assert!(md.contains("**Reasoning** (beijing-internet-court):"));
    assert!(md.contains("An original intellectual achievement is a work, and its user is the author (bic-work-protected, decides)"));
}

#[test]
fn report_set_is_stated_in_the_header_and_changes_the_outcome() {
    let us = |doc: &str| -> String {
        let at = doc.find("United States (US)</td>").expect("a US row");
        let badge = &doc[at..];
        let start = badge.find("<span class=\"verdict ").unwrap();
        let end = badge[start..].find("</span>").unwrap();
        badge[start..start + end].to_string()
    };
    let filed = html(&[]);
    assert!(!header(&filed).contains("What-if"));
    assert!(us(&filed).ends_with(">not protected"), "{}", us(&filed));
    let changes = [
        "--set",
        "post_edited_by_human=true",
        "--set",
        "edit_scope=changed_content",
        "--set",
        "edits_documented=true",
        "--unset",
        "generation_rounds",
        "--as-of",
        "2026-01-01",
    ];
    let what_if = html(&changes);
    let head = header(&what_if);
    assert!(
        head.contains(
            "<p class=\"whatif\">What-if: this handout does not show the cases as filed. \
             Changed for it: --set post_edited_by_human=true, --set edit_scope=changed_content, \
             --set edits_documented=true, --unset generation_rounds, --as-of 2026-01-01.</p>"
        ),
        "{head}"
    );
    assert!(head.contains("(what-if)</title>"));
    // The facts table marks each changed answer, an unset one included.
    for answer in [
        "yes (changed for this handout)",
        "unknown (changed for this handout)",
    ] {
        assert!(
            what_if.contains(&format!("<td data-label=\"Answer\">{answer}</td>")),
            "{answer}"
        );
    }
    assert!(!filed.contains("changed for this handout"));
    assert_ne!(us(&what_if), us(&filed), "the override changed nothing");
    assert!(what_if.contains("as of: 2026-01-01 (set with --as-of)"));
    let md = run(&[&["report", LI, "--format", "markdown"], &changes[..2]].concat());
    assert!(md.starts_with(
        "> **This explains encoded legal sources; it is not legal advice.**\n\n> **What-if: this handout does not show the cases as filed. Changed for it: --set post\\_edited\\_by\\_human=true.**"
    ));
    // A fact the vocabulary does not know is refused, as by `compare`.
    let o = common::run(&["report", LI, "--set", "no_such_fact=true"]);
    assert!(!o.status.success());
    assert!(common::stderr(&o).contains("no_such_fact"));
}

#[test]
fn the_handout_loads_nothing_from_outside() {
    for doc in [
        html(&[]),
        html(&["--hide-outcomes"]),
        run(&[
            "report",
            LI,
            "cases/zarya-of-the-dawn.yaml",
            "--format",
            "html",
        ]),
    ] {
        for external in ["src=", "<link", "@import", "url(", "<script", "<iframe"] {
            assert!(!doc.contains(external), "external resource: {external}");
        }
        // Links are anchors in the page or addresses a reader may follow.
        for (at, _) in doc.match_indices("href=\"") {
            let link = &doc[at + 6..];
            assert!(
                link.starts_with('#')
                    || link.starts_with("https://")
                    || link.starts_with("http://"),
                "odd link: {}",
                &link[..link.len().min(60)]
            );
            assert!(doc[..at].ends_with("<a "), "href outside an anchor");
        }
    }
}

#[test]
fn contents_and_citations_resolve_within_the_handout() {
    let doc = run(&[
        "report",
        LI,
        "cases/zarya-of-the-dawn.yaml",
        "--format",
        "html",
    ]);
    let nav = elements(&doc, "<nav class=\"contents\"", "</nav>")[0];
    for section in [
        "How to read this handout",
        "The facts",
        "Each authority&#39;s reasoning",
        "References",
    ] {
        assert!(
            nav.contains(&format!("\">{section}</a>")),
            "contents lack {section}"
        );
    }
    let mut links = 0;
    for link in doc.split("href=\"#").skip(1) {
        let target = &link[..link.find('"').unwrap()];
        assert!(
            doc.contains(&format!(" id=\"{target}\"")),
            "#{target} goes nowhere"
        );
        links += 1;
    }
    assert!(doc.contains("<a href=\"#ref-NLR-LL\">NLR-LL</a>"));
    assert!(links > 20, "only {links} links");
    // Each case after the first starts a new printed page.
    assert!(doc.contains("class=\"new-page\">Zarya of the Dawn"));
    assert_eq!(doc.matches("class=\"new-page\"").count(), 1);
}

/// Longest a Chromium run may take before it is killed.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);

/// Lays `page` out in headless Chromium `width` px wide and returns the
/// DOM after a small script measured it.
fn laid_out(binary: &Path, page: &str, width: u32, dir: &Path) -> String {
    let file = dir.join(format!("handout-{width}.html"));
    // The probe marks the root with the widest thing's overflow.
    let probe = "<script>var w=document.documentElement.scrollWidth;\
                 document.documentElement.setAttribute('data-overflow',String(w-innerWidth));</script></body>";
    std::fs::write(&file, page.replace("</body>", probe)).unwrap();
    let dom = dir.join(format!("dom-{width}.html"));
    let mut child = headless(binary, dir, &format!("dom-{width}"), (width, 900))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        // A file, not a pipe: the DOM is larger than a pipe holds, and
        // nothing reads it until Chromium has ended.
        .stdout(std::fs::File::create(&dom).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    wait_bounded(&mut child);
    std::fs::read_to_string(&dom).unwrap()
}

/// Headless Chromium `window` px wide and high, in a fresh profile in
/// `dir` named after `run`; the caller adds what to make and the URL.
fn headless(binary: &Path, dir: &Path, run: &str, window: (u32, u32)) -> Command {
    let mut command = Command::new(binary);
    command
        .args(chromium::HEADLESS)
        .arg("--hide-scrollbars")
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("profile-{run}")).display()
        ))
        .arg(format!("--window-size={},{}", window.0, window.1));
    command
}

/// Waits for Chromium to end, killing it after [`CHROMIUM_TIMEOUT`].
fn wait_bounded(child: &mut std::process::Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            panic!("chromium took over {CHROMIUM_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn at_400_and_1280_px_nothing_is_wider_than_the_window() {
    let Some(binary) = chromium::or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("authorship-ux-handout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = html(&[]);
    for width in [400, 1280] {
        let dom = laid_out(&binary, &page, width, &dir);
        let overflow = dom
            .split_once("data-overflow=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .unwrap_or_else(|| panic!("the probe did not run at {width} px"));
        assert_eq!(
            overflow, "0",
            "at {width} px the page is {overflow} px too wide"
        );
        screenshot(&binary, &page, width, &dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Saves what a reader sees of the handout's top, `width` px wide, as
/// `handout/li-v-liu-WIDTH.png` in the crate's target directory
/// (CARGO_TARGET_DIR when set, else `target/`), to look at after a change.
fn screenshot(binary: &Path, page: &str, width: u32, dir: &Path) {
    let shots = chromium::output_dir("handout");
    let file = dir.join(format!("shot-{width}.html"));
    std::fs::write(&file, page).unwrap();
    let png = shots.join(format!("li-v-liu-{width}.png"));
    let mut child = headless(binary, dir, &format!("shot-{width}"), (width, 2400))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let status = wait_bounded(&mut child);
    assert!(
        status.success() && png.is_file(),
        "no screenshot at {width} px"
    );
}
