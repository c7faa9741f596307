//! The handout as one HTML file for a class: inline CSS only (no script,
//! no external asset), readable from a phone to a printed page. Verdicts
//! are coloured and always written in words; the source's words are a
//! block quote with its citation, the encoder's interpretation a labelled
//! aside; each authority's deciding rules are drawn as boxes (facts →
//! rules → outcome) that stack on a narrow screen; citations link to the
//! references; in print the answer key starts a new page.
//!
//! Built by string formatting over the small block model rather than with
//! a template crate: every value passes through [`html`] (or
//! [`linked`], which escapes first) at one place per block kind, which a
//! reviewer can check in one file.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::markdown::what_if_text;
use super::{
    Block, Cell, HandoutCase, Library, Marker, ReportOptions, RuleText, fact_words, sections,
};
use crate::eval::Truth;
use crate::model::Verdict;
use crate::render::diagram::DecidingPath;
use crate::render::style::verdict_words;

/// An HTML handout: one file that opens offline.
pub fn report_html(cases: &[HandoutCase], library: &Library, o: &ReportOptions) -> String {
    let blocks = super::handout(cases, library, o);
    let mut w = Writer {
        keys: blocks
            .iter()
            .filter_map(|b| match b {
                Block::References(items) => Some(items.iter().filter_map(|(k, _)| k.clone())),
                _ => None,
            })
            .flatten()
            .collect(),
        anchored: BTreeSet::new(),
        headings: 0,
    };
    let mut body = String::new();
    for b in &blocks {
        body.push_str(&w.block(b, &blocks));
    }
    let title = cases
        .first()
        .map_or("Handout".to_string(), |c| c.case.title.trim().to_string());
    let title = if o.overrides.is_empty() {
        title
    } else {
        format!("{title} (what-if)")
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        html(&title)
    )
}

// Sans-serif for the encoder's text, serif for the sources' words; each
// stack ends in fonts with Chinese glyphs (case titles and quotations are
// often Chinese) before the generic family.
const STYLE: &str = r#":root{--ink:#1d1d1f;--muted:#555;--rule:#c8c8cc;--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;--serif:Georgia,"Times New Roman","Noto Serif","Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,"WenQuanYi Micro Hei",serif}
*{box-sizing:border-box}
body{font-family:var(--sans);color:var(--ink);line-height:1.5;margin:0;padding:1.5rem 1rem 3rem;overflow-wrap:break-word}
main{max-width:52rem;margin:0 auto}
h1{font-size:1.7rem;line-height:1.25;border-bottom:2px solid var(--ink);padding-bottom:.3rem;margin:2.2rem 0 .8rem}
h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--rule);padding-bottom:.2rem}
h3{font-size:1.08rem;margin:1.6rem 0 .4rem}
.note{border-left:4px solid #b35c00;background:#fff5ea;padding:.5rem .8rem;margin:1rem 0}
.whatif{border:2px solid #8a2be2;background:#f6efff;padding:.6rem .8rem;margin:1rem 0;font-weight:600}
nav.contents{background:#f6f6f8;border:1px solid var(--rule);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
nav.contents ol{margin:.3rem 0;padding-left:1.2rem}nav.contents ol ol{list-style:none;padding-left:.9rem;font-size:.95em}
nav.contents a{color:inherit}
a{color:#0b57a4}
.table{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid var(--rule);padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#efeff2}
td.outcome{min-width:7.5rem}td.blank{height:2.4rem;min-width:9rem}td.unknown{color:var(--muted);font-style:italic}
ul.notes{font-size:.9em;color:#333}
td:first-child{min-width:6.5rem}
.verdict{display:inline-block;font-weight:700;border:1px solid;border-radius:4px;padding:0 .4rem;white-space:nowrap}
.v-protected{background:#e2f3e5;border-color:#2e7d32;color:#1b5e20}
.v-partially-protected{background:#fff1d0;border-color:#a86b00;color:#6d4500}
.v-not-protected{background:#fde3e3;border-color:#c62828;color:#8e1b1b}
.v-undetermined{background:#ebe6f6;border-color:#5e4b8b;color:#3f3163}
.v-not-addressed{background:#eeeeee;border-color:#777;color:#444}
.could{color:var(--muted);font-size:.92em}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:.35rem .8rem;margin:.5rem 0 1rem;align-items:start}
dl.legend dt{margin:0}dl.legend dd{margin:0}
dl.legend .sample{display:inline-block;padding:.1rem .5rem}
.sample.source{font-family:var(--serif);border-left:4px solid #2f5d8a;background:#f3f7fb}
.sample.interpretation{border:1px dashed #8d6e00;background:#fffbea;border-radius:4px}
.rule{border:1px solid var(--rule);border-radius:6px;padding:.6rem .8rem;margin:.8rem 0}
.rule-head{margin:0 0 .3rem}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.86em;background:#f1f1f4;border-radius:3px;padding:0 .2rem}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;color:var(--muted)}
blockquote.source{font-family:var(--serif);font-size:1.05em;margin:.5rem 0;padding:.3rem .9rem;border-left:4px solid #2f5d8a;background:#f3f7fb}
blockquote.source p{margin:.2rem 0}
blockquote.source footer{font-family:var(--sans);font-size:.85em;color:var(--muted)}
p.cite{font-size:.9em;color:var(--muted);margin:.3rem 0}
aside.interpretation{border:1px dashed #8d6e00;background:#fffbea;border-radius:4px;padding:.3rem .7rem;margin:.5rem 0;font-size:.95em}
.label{font-weight:700;font-size:.8em;letter-spacing:.03em;text-transform:uppercase;color:#6d5500;margin-right:.3rem}
.path{display:grid;grid-template-columns:minmax(0,1fr) 1.6rem minmax(0,1.4fr) 1.6rem minmax(0,.8fr);align-items:center;gap:.3rem;margin:.6rem 0 1rem;padding:0}
.step{border:1px solid var(--rule);border-radius:6px;padding:.4rem .6rem;background:#fafafa;align-self:stretch}
.step-title{font-size:.75em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 .25rem;font-weight:700}
.step ul,.step ol{margin:0;padding-left:1.1rem;font-size:.9em}
.step li{margin:.15rem 0}
.step li.decides{font-weight:600}
.tag{display:inline-block;font-size:.75em;font-weight:700;border-radius:3px;padding:0 .3rem;margin-left:.2rem;vertical-align:1px}
.tag.decides{background:#1d1d1f;color:#fff}.tag.may{background:#fff;color:#6d4500;border:1px dashed #a86b00}
.arrow{text-align:center;font-size:1.4rem;color:var(--muted)}
.arrow::before{content:"\2192"}
.step.end{display:flex;flex-direction:column;justify-content:center;align-items:flex-start}
@media (max-width:40rem){body{padding:1rem .7rem}h1{font-size:1.4rem}.path{grid-template-columns:minmax(0,1fr)}.arrow::before{content:"\2193"}dl.legend{grid-template-columns:minmax(0,1fr)}dl.legend.verdicts{grid-template-columns:max-content minmax(0,1fr)}dl.legend dd{margin-bottom:.4rem}
table,tbody,tr,td{display:block;width:100%}thead{display:none}tr{border:1px solid var(--rule);border-radius:6px;margin:0 0 .6rem;padding:.2rem .1rem}
td{border:0;padding:.15rem .5rem;min-width:0}td:first-child{font-weight:600}td:first-child::before{display:none}.pairs td::before{display:none}td.blank{height:2.4rem}td::before{content:attr(data-label);display:block;font-size:.72em;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}}
@page{margin:1.6cm 1.4cm}
@media print{body{padding:0;font-size:10.5pt}main{max-width:none}nav.contents{display:none}a{color:inherit;text-decoration:none}
h1.new-page,h1.answer-key{break-before:page}h2,h3,.rule-head,.verdict-line{break-after:avoid}.path{padding-right:2px}.path,blockquote,aside,tr,dl.legend{break-inside:avoid}.table{overflow:visible;padding-right:1px}
.verdict,.tag,th,.note,.whatif,blockquote.source,aside.interpretation{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"#;

/// Escapes text for HTML (element content and attribute values).
///
/// Control and bidi characters are shown as visible `\u{..}` text, not as
/// character references: a browser applies `&#x202E;` as the override it
/// names, reversing the rest of the line.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::render::inert::is_hazard(c) => {
                crate::render::inert::push_visible(c, &mut out);
            }
            c => out.push(c),
        }
    }
    out
}

/// Writes blocks, numbering headings for the contents and giving each
/// cited work one anchor.
struct Writer {
    /// The keys of the works the references list.
    keys: BTreeSet<String>,
    /// The keys already given an anchor (a work listed for two cases is
    /// linked to its first entry).
    anchored: BTreeSet<String>,
    /// Headings written so far.
    headings: usize,
}

impl Writer {
    fn heading_id(&mut self) -> String {
        self.headings = self.headings.saturating_add(1);
        format!("s{}", self.headings)
    }

    fn block(&mut self, b: &Block, all: &[Block]) -> String {
        match b {
            // Only the sections the contents lists get an id, in order.
            Block::Heading(level, t) if *level <= 2 => {
                let id = self.heading_id();
                format!("<h{level} id=\"{id}\">{}</h{level}>\n", html(t))
            }
            Block::Heading(level, t) => format!("<h{level}>{}</h{level}>\n", html(t)),
            Block::CaseTitle(t, later) => {
                let id = self.heading_id();
                let class = if *later { " class=\"new-page\"" } else { "" };
                format!("<h1 id=\"{id}\"{class}>{}</h1>\n", html(t))
            }
            Block::AnswerKey => {
                let id = self.heading_id();
                format!("<h1 id=\"{id}\" class=\"answer-key\">Answer key</h1>\n")
            }
            Block::Contents => contents(all),
            Block::Para(t) => format!("<p>{}</p>\n", self.linked(t)),
            Block::Note(t) => format!("<p class=\"note\"><strong>{}</strong></p>\n", html(t)),
            Block::WhatIf(changes) => {
                format!("<p class=\"whatif\">{}</p>\n", html(&what_if_text(changes)))
            }
            Block::List(items) => self.list("<ul>", items),
            Block::Notes(items) => self.list("<ul class=\"notes\">", items),
            Block::References(items) => self.references(items),
            Block::Table(head, rows) => self.table(head, rows),
            Block::Verdict(v, t) => format!(
                "<p class=\"verdict-line\">{} {}</p>\n",
                badge(*v),
                self.linked(t)
            ),
            Block::Legend(items) => legend(items),
            Block::Path(p) => path(p),
            Block::Rule(r) => self.rule(r),
        }
    }

    fn list(&self, open: &str, items: &[String]) -> String {
        let lis: String = items
            .iter()
            .map(|i| format!("<li>{}</li>\n", self.linked(i)))
            .collect();
        format!("{open}\n{lis}</ul>\n")
    }

    /// Escapes `text`, then links its web addresses and the keys of cited
    /// works inside brackets to the references.
    fn linked(&self, text: &str) -> String {
        let escaped = html(text);
        let mut out = String::with_capacity(escaped.len());
        let mut rest = escaped.as_str();
        while let Some(c) = rest.chars().next() {
            if let Some((url, after)) = web_address(rest) {
                let _ = write!(out, "<a href=\"{url}\">{url}</a>");
                rest = after;
            } else if let Some((inner, after)) = code_span(rest) {
                let _ = write!(out, "<code>{}</code>", inner.replace('_', "_<wbr>"));
                rest = after;
            } else if let Some((inner, after)) = bracketed(rest) {
                out.push('[');
                out.push_str(&self.keys_linked(inner));
                out.push(']');
                rest = after;
            } else {
                out.push(c);
                // A fact id (`material_selected_and_arranged`) may break
                // after an underscore, so it does not widen a table past
                // a phone's screen.
                if c == '_' {
                    out.push_str("<wbr>");
                }
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
        out
    }

    // Inside a citation's brackets: each word that is a work's key links
    // to the work.
    fn keys_linked(&self, inner: &str) -> String {
        let mut out = String::new();
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if self.keys.contains(word.as_str()) {
                let _ = write!(out, "<a href=\"#ref-{word}\">{word}</a>");
            } else {
                out.push_str(word);
            }
            word.clear();
        };
        for c in inner.chars() {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }

    fn references(&mut self, items: &[(Option<String>, String)]) -> String {
        let mut out = String::from("<ul class=\"references\">\n");
        for (key, text) in items {
            let id = match key {
                Some(k) if self.anchored.insert(k.clone()) => {
                    format!(" id=\"ref-{}\"", html(k))
                }
                _ => String::new(),
            };
            // The item's own key is not linked to itself: only addresses.
            let shown = Writer {
                keys: BTreeSet::new(),
                anchored: BTreeSet::new(),
                headings: 0,
            }
            .linked(text);
            let _ = writeln!(out, "<li{id}>{shown}</li>");
        }
        out.push_str("</ul>\n");
        out
    }

    fn table(&self, head: &[String], rows: &[Vec<Cell>]) -> String {
        let th: String = head
            .iter()
            .map(|h| format!("<th scope=\"col\">{}</th>", html(h)))
            .collect();
        let mut trs = String::new();
        for r in rows {
            trs.push_str("<tr>");
            for (c, h) in r.iter().zip(head) {
                // The header again, shown by each cell when a narrow screen
                // stacks the cells of a row.
                let label = html(h);
                match c {
                    Cell::Blank => {
                        let _ = write!(
                            trs,
                            "<td class=\"blank\" data-label=\"{label}\" aria-label=\"to fill in\"></td>"
                        );
                    }
                    Cell::Text(t) if t == "unknown" => {
                        let _ = write!(
                            trs,
                            "<td class=\"unknown\" data-label=\"{label}\">unknown</td>"
                        );
                    }
                    Cell::Text(t) => {
                        let _ = write!(trs, "<td data-label=\"{label}\">{}</td>", self.linked(t));
                    }
                    Cell::Verdict(v, t) if t.is_empty() => {
                        let _ = write!(
                            trs,
                            "<td class=\"outcome\" data-label=\"{label}\">{}</td>",
                            badge(*v)
                        );
                    }
                    Cell::Verdict(v, t) => {
                        let _ = write!(
                            trs,
                            "<td class=\"outcome\" data-label=\"{label}\">{} <span class=\"could\">({})</span></td>",
                            badge(*v),
                            html(t)
                        );
                    }
                }
            }
            trs.push_str("</tr>\n");
        }
        // A question and its answer need no labels when stacked.
        let class = if head.len() == 2 { " pairs" } else { "" };
        format!(
            "<div class=\"table{class}\"><table>\n<thead><tr>{th}</tr></thead>\n<tbody>\n{trs}</tbody>\n</table></div>\n"
        )
    }

    fn rule(&self, r: &RuleText) -> String {
        let mut out = format!(
            "<div class=\"rule\">\n<p class=\"rule-head\"><strong>{}</strong> <span class=\"id\">{}</span></p>\n<p>{}</p>\n",
            html(&r.title),
            html(&r.rule),
            self.linked(&r.because)
        );
        match &r.quote {
            Some(q) => {
                let _ = writeln!(
                    out,
                    "<blockquote class=\"source\"><p>“{}”</p><footer>— <cite>{}</cite></footer></blockquote>",
                    html(q),
                    self.linked(&r.cite)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p class=\"cite\">Source: <cite>{}</cite></p>",
                    self.linked(&r.cite)
                );
            }
        }
        if let Some((level, text)) = &r.interpretation {
            let level = level
                .as_deref()
                .map_or(String::new(), |l| format!(" ({})", html(l)));
            let _ = writeln!(
                out,
                "<aside class=\"interpretation\"><span class=\"label\">Encoder&#39;s interpretation{level}</span> {}</aside>",
                self.linked(text)
            );
        }
        out.push_str("</div>\n");
        out
    }
}

/// A web address at the start of escaped text (up to a space or a tag,
/// without trailing punctuation), and the text after it.
fn web_address(s: &str) -> Option<(&str, &str)> {
    if !(s.starts_with("https://") || s.starts_with("http://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(s.len());
    let (url, _) = s.split_at_checked(end)?;
    let url = url.trim_end_matches(['.', ',', ';', ')']);
    Some((url, s.get(url.len()..)?))
}

/// A Markdown-style code span (`` `fact_id` ``, on one line) at the start
/// of escaped text: its inside and the text after it.
fn code_span(s: &str) -> Option<(&str, &str)> {
    let (inner, after) = s.strip_prefix('`')?.split_once('`')?;
    (!inner.is_empty() && !inner.contains('\n')).then_some((inner, after))
}

/// A bracketed citation (`[S2: KEY, KEY]`, not nested) at the start of
/// escaped text: its inside and the text after it.
fn bracketed(s: &str) -> Option<(&str, &str)> {
    let (inner, after) = s.strip_prefix('[')?.split_once(']')?;
    (!inner.contains('[')).then_some((inner, after))
}

/// A verdict as a coloured badge that says it in words.
fn badge(v: Verdict) -> String {
    format!(
        "<span class=\"verdict {}\">{}</span>",
        verdict_class(v),
        verdict_words(v)
    )
}

fn verdict_class(v: Verdict) -> String {
    format!("v-{}", v.as_str().replace('_', "-"))
}

fn contents(all: &[Block]) -> String {
    let mut out = String::from(
        "<nav class=\"contents\" aria-label=\"Contents\"><strong>Contents</strong>\n<ol>\n",
    );
    // A level-2 section under a case title is nested in its item; one
    // before any case title (the reading guide) stands on its own.
    let mut in_case = false;
    let mut nested = false;
    for (i, (level, t)) in sections(all).iter().enumerate() {
        // Headings are numbered in the order written, as here.
        let link = format!("<a href=\"#s{}\">{}</a>", i.saturating_add(1), html(t));
        if *level > 1 && in_case {
            if !nested {
                out.push_str("\n<ol>");
                nested = true;
            }
            let _ = write!(out, "<li>{link}</li>");
            continue;
        }
        if nested {
            out.push_str("</ol>");
            nested = false;
        }
        if in_case {
            out.push_str("</li>\n");
        }
        let _ = write!(out, "<li>{link}");
        in_case = *level == 1;
        if !in_case {
            out.push_str("</li>\n");
        }
    }
    if nested {
        out.push_str("</ol>");
    }
    if in_case {
        out.push_str("</li>\n");
    }
    out.push_str("</ol></nav>\n");
    out
}

fn legend(items: &[(Marker, String)]) -> String {
    let verdicts = items.iter().all(|(m, _)| matches!(m, Marker::Verdict(_)));
    let mut out = format!(
        "<dl class=\"legend{}\">\n",
        if verdicts { " verdicts" } else { "" }
    );
    for (m, text) in items {
        let sample = match m {
            Marker::Verdict(v) => badge(*v),
            // Samples are phrasing content (a `<dt>` may not hold a quote
            // block or an aside), styled as the real thing.
            Marker::Quote => "<span class=\"sample source\">“…”</span>".to_string(),
            Marker::Interpretation => {
                "<span class=\"sample interpretation\"><span class=\"label\">Encoder&#39;s interpretation</span></span>".to_string()
            }
            Marker::Decides => "<span class=\"tag decides\">decides</span>".to_string(),
            Marker::MayApply => "<span class=\"tag may\">may apply</span>".to_string(),
            Marker::Citation => "[KEY]".to_string(),
        };
        let _ = writeln!(out, "<dt>{sample}</dt><dd>{}</dd>", html(text));
    }
    out.push_str("</dl>\n");
    out
}

/// The deciding rules as three boxes joined by arrows: the facts read, the
/// rules, the outcome. A grid, so a narrow screen stacks the boxes.
fn path(p: &DecidingPath) -> String {
    let may = p.rules.iter().all(|r| r.applies == Truth::Unknown);
    let facts: String = if p.facts.is_empty() {
        "<li>none</li>".to_string()
    } else {
        p.facts
            .iter()
            .map(|f| format!("<li>{}</li>", html(&fact_words(f))))
            .collect()
    };
    let rules: String = p
        .rules
        .iter()
        .map(|r| {
            let (class, tag) = match (r.decides, r.applies) {
                (_, Truth::Unknown) => ("may", "<span class=\"tag may\">may apply</span>"),
                (true, _) => ("decides", "<span class=\"tag decides\">decides</span>"),
                _ => ("", ""),
            };
            format!(
                "<li class=\"{class}\">{} <span class=\"id\">{}</span>{tag}</li>",
                html(&r.title),
                html(&r.rule)
            )
        })
        .collect();
    let label: Vec<String> = p.rules.iter().map(|r| r.rule.clone()).collect();
    format!(
        "<figure class=\"path\" aria-label=\"{}\">\
         <div class=\"step\"><p class=\"step-title\">Facts read</p><ul>{facts}</ul></div>\
         <div class=\"arrow\" aria-hidden=\"true\"></div>\
         <div class=\"step\"><p class=\"step-title\">{}</p><ol>{rules}</ol></div>\
         <div class=\"arrow\" aria-hidden=\"true\"></div>\
         <div class=\"step end\"><p class=\"step-title\">Outcome</p>{}</div>\
         </figure>\n",
        html(&format!(
            "Reasoning of {}: {} → {}",
            p.ruleset,
            label.join(", "),
            verdict_words(p.verdict)
        )),
        if may {
            "Rules that may apply"
        } else {
            "Rules that applied"
        },
        badge(p.verdict)
    )
}
