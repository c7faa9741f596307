//! End to end: the what-if page in headless Chromium against a running
//! `authorship serve`.
//!
//! The main test drives the page as a person would, through Chromium's
//! DevTools protocol (CDP, spoken as NUL-terminated JSON over the pipe
//! Chromium opens on file descriptors 3 and 4 with
//! `--remote-debugging-pipe`): it opens the page with no state, clicks the
//! controls that flip Li v. Liu's US outcome, checks each verdict against
//! the JSON API for the same facts and the address the page writes, opens
//! the "why?" panel, and checks at 400 px that nothing overflows sideways.
//! Screenshots go to `target/browser-test/` (under the crate's target
//! directory): `page-1280.png`, `page-1280-why.png`, `page-400.png` and
//! `page-400-top.png`. The other tests read the DOM Chromium dumps.
//!
//! Needs Chromium (Debian's `chromium`, installed by `.ci/run`). Without it
//! the tests fail when `CI` is set and are skipped with a notice otherwise.
//! Chromium is killed when a test ends, passes or not, and after
//! [`CHROMIUM_TIMEOUT`] in any case.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::cdp::{CHROMIUM_TIMEOUT, Cdp, tempdir};
use crate::common::chromium;
use crate::common::server::Server;

/// The state the page puts in its URL for Li v. Liu with substantive,
/// identifiable human edits: the case, then each fact changed from it, in
/// vocabulary order.
const FLIPPED: &str =
    "?case=li-v-liu&post_edited_by_human=true&edit_scope=changed_content&edits_documented=true";

impl Server {
    /// A JSON API call over plain HTTP.
    fn api(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let body = body.map(Value::to_string).unwrap_or_default();
        let raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.write_all(raw.as_bytes()).expect("send");
        let mut text = String::new();
        stream.read_to_string(&mut text).expect("read");
        let (head, body) = text.split_once("\r\n\r\n").expect("a response");
        assert!(head.starts_with("HTTP/1.1 200"), "{path}: {text}");
        serde_json::from_str(body).expect("JSON")
    }
}

/// Runs headless Chromium on `url` with `extra` arguments, in a fresh
/// profile, killed after [`CHROMIUM_TIMEOUT`]; returns its stdout.
fn chromium(binary: &Path, extra: &[String], url: &str) -> String {
    let profile = tempdir("profile");
    let mut child = Command::new(binary)
        .args(chromium::HEADLESS)
        .arg("--virtual-time-budget=5000")
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
    // Read both pipes on threads so a full pipe cannot stall Chromium.
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium did not finish within {CHROMIUM_TIMEOUT:?} on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    assert!(
        status.success(),
        "Chromium failed ({status}) on {url}:\n{stderr}"
    );
    stdout
}

/// The page's status line, for failure messages.
fn status(dom: &str) -> String {
    dom.find("id=\"status\"")
        .and_then(|i| {
            let rest = &dom[i..];
            let text = &rest[rest.find('>')? + 1..];
            Some(text[..text.find('<')?].to_string())
        })
        .unwrap_or_else(|| "(no status line)".to_string())
}

/// The markup of the row of `jurisdiction`, from Chromium's dump of the DOM.
fn row_in_dom<'d>(dom: &'d str, jurisdiction: &str) -> &'d str {
    let start = dom
        .find(&format!("data-jurisdiction=\"{jurisdiction}\""))
        .unwrap_or_else(|| panic!("no row for {jurisdiction}; page said: {}", status(dom)));
    let row = &dom[start..];
    &row[..row.find("</tr>").expect("the row ends")]
}

/// With nothing known, the CN row says every verdict a completion can give
/// it, whichever court then decides (issue 13, item 5), as the API does.
#[test]
fn the_page_shows_every_possible_row_outcome_when_nothing_is_known() {
    let Some(binary) = chromium::or_skip() else {
        return;
    };
    let server = Server::start(&[]);
    let dom = chromium(
        &binary,
        &["--dump-dom".into()],
        &format!("http://{}/?case=no-facts", server.addr),
    );
    assert!(
        dom.contains("data-state=\"ready\""),
        "page not ready: {}",
        status(&dom)
    );
    let cn = row_in_dom(&dom, "CN");
    assert!(
        cn.contains("could be protected or partially protected or not protected or not addressed"),
        "{cn}"
    );
    assert!(cn.contains("depends on the facts"), "{cn}");
    assert!(cn.contains("beijing-internet-court"), "{cn}");
}

/// A case whose title, summary and citation are markup: the page shows
/// them as text, and none of it runs.
#[test]
fn hostile_case_text_renders_inert() {
    let Some(binary) = chromium::or_skip() else {
        return;
    };
    let dir = tempdir("cases");
    std::fs::write(
        dir.join("hostile.yaml"),
        r#"title: "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
summary: "<b>bold</b> & <i>summary</i>"
source:
  citation: "<a href='javascript:alert(1)'>cite</a>"
facts:
  post_edited_by_human: true
"#,
    )
    .expect("write the hostile case");
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let server = Server::start(&[
        "--rules",
        rules.to_str().expect("UTF-8 path"),
        "--cases",
        dir.to_str().expect("UTF-8 path"),
    ]);
    let url = format!("http://{}/?case=hostile", server.addr);
    let dom = chromium(&binary, &["--dump-dom".into()], &url);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        dom.contains("data-state=\"ready\""),
        "page not ready: {}",
        status(&dom)
    );
    assert!(!dom.contains("pwned</title>"), "a script ran");
    assert!(!dom.contains("<img"), "markup from YAML became an element");
    assert!(
        !dom.contains("<b>bold"),
        "markup from YAML became an element"
    );
    assert!(
        !dom.contains("<a href='javascript"),
        "markup from YAML became an element"
    );
    assert!(
        dom.contains("&lt;img src=x onerror="),
        "the title is shown as text"
    );
    assert!(
        dom.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;summary"),
        "the summary too"
    );
}

/// A work with no AI material, on the fixture whose editing and selection
/// facts arise only with AI material: the page hides them (saying how many
/// it hides, and showing them on request as "does not arise" with the
/// value the rules read, their controls disabled), and the outcome is
/// settled.
#[test]
fn the_page_shows_facts_that_do_not_arise() {
    let Some(binary) = chromium::or_skip() else {
        return;
    };
    let server = Server::start(&[
        "--rules",
        "tests/fixtures/arising/rules",
        "--cases",
        "tests/fixtures/arising/cases",
    ]);
    let url = format!("http://{}/?case=no-ai", server.addr);
    let dom = chromium(&binary, &["--dump-dom".into()], &url);
    assert!(
        dom.contains("data-state=\"ready\""),
        "page not ready: {}",
        status(&dom)
    );
    assert!(
        dom.contains("Does not arise: ai_generated_material_in_work is false — read as no."),
        "{dom}"
    );
    assert!(dom.contains("Does not arise: post_edited_by_human is false — read as none."));
    assert!(dom.contains(r#"class="fact not-arising" data-fact="selected_among_outputs""#));
    // Hidden (`.fact.not-arising` is not displayed), and the page says how
    // many are.
    assert!(dom.contains(".fact.not-arising { display: none; }"));
    assert!(
        dom.contains("facts do not arise on these facts (the rules read their defined values) and are hidden."),
        "{dom}"
    );
    assert!(
        !dom.contains(r#"class="fact not-arising" data-fact="human_authored_material_in_work""#)
    );
}

/// Headless Chromium driven through the DevTools protocol over a pipe:
/// commands go to its fd 3, answers and events come from its fd 4, each a
/// JSON message ended by a NUL byte. Killed when dropped.
/// Li v. Liu's facts with `changes`, as the page would send them.
fn li_v_liu_with(server: &Server, changes: &[(&str, Value)]) -> Value {
    let cases = server.api("GET", "/api/cases", None);
    let mut facts = cases
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["id"] == "li-v-liu")
        .expect("li-v-liu")["facts"]
        .clone();
    for (fact, value) in changes {
        facts[*fact] = value.clone();
    }
    facts
}

/// Each jurisdiction's verdict as the API gives it for these facts.
fn api_verdicts(server: &Server, facts: &Value) -> Value {
    let answer = server.api(
        "POST",
        "/api/evaluate",
        Some(&json!({"facts": facts, "case": "li-v-liu"})),
    );
    let rows = answer["jurisdictions"].as_array().expect("jurisdictions");
    Value::Object(
        rows.iter()
            .map(|j| {
                (
                    j["jurisdiction"].as_str().expect("id").to_string(),
                    j["verdict"].clone(),
                )
            })
            .collect(),
    )
}

#[test]
fn clicking_a_what_if_flips_the_us_verdict_as_the_engine_says() {
    let Some(binary) = chromium::or_skip() else {
        return;
    };
    let server = Server::start(&[]);
    let base = format!("http://{}/", server.addr);
    let shots = chromium::output_dir("browser-test");
    let mut page = Cdp::launch(&binary);
    page.open_page(1280, 800);

    // With no state in its address the page opens on a real case.
    page.navigate(&base);
    assert_eq!(
        page.eval("document.getElementById('case').value"),
        "li-v-liu"
    );
    assert_eq!(page.eval("location.search"), "?case=li-v-liu");
    let shown = page.verdicts();
    assert_eq!(shown, api_verdicts(&server, &li_v_liu_with(&server, &[])));
    assert_eq!(shown["US"], "not_protected");
    assert_eq!(
        page.eval("document.querySelector('tr[data-jurisdiction=US] .verdict').textContent"),
        "not protected",
        "verdicts are said in words"
    );
    // A fact that does not arise is hidden; it comes back when it arises.
    let edit_scope_shown = "document.querySelector('[data-fact=edit_scope]').offsetParent !== null";
    assert_eq!(page.eval(edit_scope_shown), false);
    // Shown on request, as not arising, and hidden again.
    page.click("#arising-toggle");
    assert_eq!(page.eval(edit_scope_shown), true);
    assert_eq!(
        page.eval("document.querySelector('[data-fact=edit_scope] .arise').textContent"),
        "Does not arise: post_edited_by_human is false — read as none."
    );
    page.click("#arising-toggle");
    assert_eq!(page.eval(edit_scope_shown), false);

    // Yes to "edited by a human", by clicking its "yes".
    assert_eq!(
        page.eval(
            "document.querySelector('label[for=\"fact-post_edited_by_human-true\"]').textContent"
        ),
        "yes"
    );
    page.click("label[for=\"fact-post_edited_by_human-true\"]");
    let step = li_v_liu_with(&server, &[("post_edited_by_human", json!(true))]);
    let shown = page.verdicts();
    assert_eq!(shown, api_verdicts(&server, &step), "after one click");
    assert_eq!(
        shown["US"], "undetermined",
        "the extent of the edits is open"
    );
    assert_eq!(page.eval(edit_scope_shown), true, "edit_scope arises");

    // Which edits, and that they are documented.
    page.choose("#fact-edit_scope", "changed_content");
    page.click("label[for=\"fact-edits_documented-true\"]");
    let flipped = li_v_liu_with(
        &server,
        &[
            ("post_edited_by_human", json!(true)),
            ("edit_scope", json!("changed_content")),
            ("edits_documented", json!(true)),
        ],
    );
    let shown = page.verdicts();
    assert_eq!(shown, api_verdicts(&server, &flipped), "after the what-if");
    assert_eq!(shown["US"], "partially_protected");
    assert_eq!(
        page.eval("location.search"),
        FLIPPED,
        "the address keeps the state"
    );
    assert_eq!(
        page.eval("document.getElementById('share-link').textContent"),
        format!("{base}{FLIPPED}")
    );
    page.eval("window.scrollTo(0, 0)");
    page.screenshot(&shots.join("page-1280.png"));

    // Why? The deciding rules, the facts they read, the source's words
    // apart from the encoder's reading.
    page.click("tr[data-jurisdiction=US] a.why");
    assert_eq!(
        page.eval("location.search"),
        format!("{FLIPPED}&why=us-copyright-office")
    );
    let explain = server.api(
        "POST",
        "/api/explain",
        Some(&json!({"facts": flipped, "case": "li-v-liu", "ruleset": "us-copyright-office"})),
    );
    let decides: Vec<&Value> = explain["why"]["deciding"]
        .as_array()
        .expect("deciding")
        .iter()
        .filter(|r| r["decides"] == true)
        .collect();
    let deciding: Vec<Value> = decides.iter().map(|r| r["rule"].clone()).collect();
    let words: Vec<Value> = decides
        .iter()
        .flat_map(|r| r["facts"].as_array().cloned().unwrap_or_default())
        .map(|f| f["words"].clone())
        .collect();
    assert!(!deciding.is_empty(), "{explain}");
    let panel = page.eval(
        "(() => { const p = document.getElementById('explanation');
           return {hidden: p.hidden,
             deciding: [...p.querySelectorAll('.rule.decides')].map((r) => r.dataset.rule),
             quote: (p.querySelector('.rule.decides blockquote.quote p') || {}).textContent,
             facts: [...p.querySelectorAll('.rule.decides dl.facts dd')].map((d) => d.textContent),
             reading: (p.querySelector('.rule .reading .label') || {}).textContent,
             monospace: [...p.querySelectorAll('pre')].some((e) => e.checkVisibility())}; })()",
    );
    assert_eq!(panel["hidden"], false);
    assert_eq!(panel["deciding"], Value::Array(deciding), "{panel}");
    assert!(
        panel["quote"].as_str().is_some_and(|q| q.len() > 20),
        "a quotation: {panel}"
    );
    // The facts each deciding rule read, with their values in words.
    assert_eq!(panel["facts"], Value::Array(words.clone()), "{panel}");
    assert!(words.contains(&json!("yes")), "{words:?}");
    assert!(
        !words.contains(&json!("true")) && !words.contains(&json!("false")),
        "yes/no, not true/false: {words:?}"
    );
    assert!(
        panel["reading"]
            .as_str()
            .is_some_and(|r| r.starts_with("Encoder's interpretation")),
        "{panel}"
    );
    assert_eq!(panel["monospace"], false, "no CLI text block shown");
    page.eval("document.getElementById('explanation').scrollIntoView()");
    page.screenshot(&shots.join("page-1280-why.png"));

    // At 400 px, with the panel open: nothing wider than the window.
    page.viewport(400, 800);
    page.wait_ready();
    let overflow = page.eval(
        "(() => { const w = window.innerWidth;
           const wide = [...document.querySelectorAll('body *')]
             .filter((e) => e.getBoundingClientRect().right > w + 0.5 && e.offsetParent !== null)
             .slice(0, 5).map((e) => e.tagName + '#' + e.id + '.' + e.className);
           return {scroll: document.documentElement.scrollWidth, inner: w, wide}; })()",
    );
    assert_eq!(overflow["inner"], 400, "{overflow}");
    assert!(
        overflow["scroll"].as_u64() <= overflow["inner"].as_u64(),
        "horizontal overflow at 400 px: {overflow}"
    );
    // Nor inside a box that scrolls sideways (the table once did, at 740 px).
    assert_eq!(
        overflow["wide"],
        json!([]),
        "wider than the window: {overflow}"
    );
    page.eval("window.scrollTo(0, 0)");
    page.screenshot(&shots.join("page-400-top.png"));
    page.eval("document.getElementById('explanation').scrollIntoView()");
    page.screenshot(&shots.join("page-400.png"));
    assert!(
        page.exceptions.is_empty(),
        "script errors: {:?}",
        page.exceptions
    );
}
