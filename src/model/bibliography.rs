//! The bibliography: the works the rules and cases cite in prose by key
//! (`[GOD]`, `[P via GOD]`, `[S2: KWM, DLA-BC]`), and the legend of the
//! confidence tags those citations carry.
//!
//! A citation is a bracket group that is one key, or that starts with a
//! tag. Inside one, every all-caps word that is not a tag is a key and must
//! name a work; a conduit named in words, a URL or a domain name is refused,
//! so that every citation a reader sees resolves to an entry with its
//! address (docs/sources.md).

use std::collections::BTreeMap;

use serde::Serialize;

/// The confidence tags a citation may start with.
pub const TAGS: [&str; 4] = ["P", "S1", "S2", "UNCONFIRMED"];

/// The kinds of work a bibliography entry may be (docs/sources.md).
pub const KINDS: [&str; 14] = [
    "judgment",
    "statute",
    "guidance",
    "registration_record",
    "official_report",
    "article",
    "news",
    "blog",
    "forum",
    "repository",
    "case_summary",
    "translation",
    "repost",
    "other",
];

/// The works cited by key, and the tags' legend.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Bibliography {
    /// Each tag's meaning.
    pub tags: BTreeMap<String, String>,
    /// The works, by key.
    pub works: BTreeMap<String, Work>,
}

/// One cited work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "precompiled",
    derive(borsh::BorshSerialize, borsh::BorshDeserialize)
)]
pub struct Work {
    /// Its key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// The person or body that wrote or issued it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The site, journal, publisher or court.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Its date as the copy seen states it (a day, a month or a year).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where it is public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Why no address is given, when none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_url: Option<String>,
    /// The language(s) of its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// What kind of work it is (judgment, statute, article, news …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Why no date is given, when none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_note: Option<String>,
    /// A remark on the work (a mirror, a translation, out of date …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the encoder saw the page itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
}

impl Work {
    /// The entry as one line: title, author, publisher, date, address.
    pub fn reference(&self) -> String {
        let mut parts = vec![self.title.clone()];
        parts.extend(self.author.iter().filter(|a| *a != "unknown").cloned());
        parts.extend(self.publisher.iter().filter(|p| *p != "unknown").cloned());
        parts.extend(self.date.iter().cloned());
        let mut line = parts.join(", ");
        match (&self.url, &self.no_url) {
            (Some(u), _) => line = format!("{line}. {u}"),
            (None, Some(why)) => line = format!("{line}. No address: {why}"),
            (None, None) => {}
        }
        line
    }
}

/// A problem with one token of a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiteProblem {
    /// A key no work has.
    Unknown(String),
    /// A conduit named in words, a URL or a domain: not a key.
    NotAKey(String),
}

/// One token of a citation, at its byte offset in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    /// Byte offset of the token.
    pub at: usize,
    /// The token: a key, or the offending word.
    pub token: String,
    /// Whether it is a tag (`P`, `S1` …) rather than a key.
    pub tag: bool,
}

/// The keys and tags cited in `text`, and the tokens of its citations that
/// name a conduit other than by key (as problems).
pub fn citations(text: &str) -> (Vec<Cited>, Vec<(usize, String)>) {
    let (mut cited, mut bad) = (Vec::new(), Vec::new());
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('[')) {
        let start = from.saturating_add(open).saturating_add(1);
        let Some(len) = text.get(start..).and_then(|t| t.find([']', '['])) else {
            break;
        };
        let end = start.saturating_add(len);
        from = end;
        let Some(inner) = text.get(start..end) else {
            break;
        };
        if text.get(end..end.saturating_add(1)) != Some("]") {
            continue;
        }
        scan_citation(inner, start, &mut cited, &mut bad);
    }
    (cited, bad)
}

/// The words that name a place in a source when a number follows them
/// (`para. 4.3`, `s.9(3)`, `p. 4`, `art. 87(2)`, `Conclusions, no. 6`,
/// `499 U.S. at 345`, `fn. 12`): docs/sources.md.
const LOCATOR_WORDS: [&str; 34] = [
    "para",
    "paras",
    "paragraph",
    "paragraphs",
    "p",
    "pp",
    "page",
    "pages",
    "s",
    "ss",
    "section",
    "sections",
    "art",
    "arts",
    "article",
    "articles",
    "fn",
    "footnote",
    "footnotes",
    "no",
    "nos",
    "at",
    "part",
    "chapter",
    "r",
    "rule",
    "recital",
    "annex",
    "item",
    "question",
    "point",
    "clause",
    "conclusion",
    "line",
];

/// Whether a pinpoint names a place in its source: a locator word followed
/// by a number or roman numeral, `§` or `¶` before a number, or, where the
/// source has no numbered places, an explicit `no locator: <why>`.
pub fn has_locator(pinpoint: &str) -> bool {
    let p = pinpoint.to_lowercase();
    if p.contains("no locator") {
        return true;
    }
    // Each word with the text after it: a locator word counts when a
    // number (or roman numeral, or `[` and a number) comes next.
    let numeral = |rest: &str| {
        let rest = rest.trim_start_matches(['.', ' ', '\u{a0}']);
        rest.trim_start_matches('[')
            .starts_with(|c: char| c.is_ascii_digit())
            || rest
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|w| !w.is_empty() && w.chars().all(|c| "ivxl".contains(c)))
    };
    let mut word_start: Option<usize> = None;
    for (i, c) in p.char_indices().chain(std::iter::once((p.len(), ' '))) {
        let rest = p.get(i..).unwrap_or("");
        if c.is_alphabetic() {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            let word = p.get(start..i).unwrap_or("");
            let after_alnum = p
                .get(..start)
                .and_then(|b| b.chars().next_back())
                .is_some_and(char::is_alphanumeric);
            if !after_alnum && LOCATOR_WORDS.contains(&word) && numeral(rest) {
                return true;
            }
        }
        if (c == '§' || c == '¶') && numeral(rest.get(c.len_utf8()..).unwrap_or("")) {
            return true;
        }
    }
    false
}

/// Whether a word is shaped like a key: upper-case letters and digits,
/// starting with a letter, hyphens between, at least two characters.
pub fn is_key(word: &str) -> bool {
    let mut chars = word.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    first_ok
        && word.len() >= 2
        && !word.starts_with('-')
        && !word.ends_with('-')
        && !word.contains("--")
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

// The words of a citation with their byte offsets. A colon separates
// (`S2: KEY`) except in `://`, so that a URL stays one word and is reported.
fn words(inner: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = inner.as_bytes();
    let separator = move |i: usize, c: char| {
        c.is_whitespace()
            || ",;()\"'".contains(c)
            || (c == ':'
                && bytes.get(i.saturating_add(1)..i.saturating_add(3)) != Some(b"//".as_slice()))
    };
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in inner.char_indices() {
        match (separator(i, c), start) {
            (true, Some(s)) => {
                out.push((s, inner.get(s..i).unwrap_or("")));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, inner.get(s..).unwrap_or("")));
    }
    out.into_iter()
}

fn scan_citation(inner: &str, base: usize, cited: &mut Vec<Cited>, bad: &mut Vec<(usize, String)>) {
    let first = words(inner).next().map(|(_, w)| w);
    let tagged = first.is_some_and(|w| TAGS.contains(&w.trim_end_matches('.')));
    let single_key = !tagged && is_key(inner.trim()) && inner.trim() == inner;
    if !tagged && !single_key {
        return;
    }
    for (at, raw) in words(inner) {
        let word = raw.trim_end_matches('.');
        let at = base.saturating_add(at);
        if TAGS.contains(&word) {
            cited.push(Cited {
                at,
                token: word.to_string(),
                tag: true,
            });
        } else if is_key(word) {
            cited.push(Cited {
                at,
                token: word.to_string(),
                tag: false,
            });
        } else if names_a_conduit(raw) {
            bad.push((at, raw.to_string()));
        }
    }
}

// A capitalised word that is not a key, a URL or a domain name: a conduit
// named other than by its key. Words of a locator (`¶39`, `slip`, `op.`)
// and lower-case glue (`via`, `quoting`) are not.
fn names_a_conduit(word: &str) -> bool {
    if word.contains("://") {
        return true;
    }
    let w = word.trim_end_matches(['.', '/']);
    let domain = w.contains('.')
        && w.rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()))
        && w.split('.').all(|p| !p.is_empty());
    let capitalised =
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase);
    domain || capitalised
}

impl Bibliography {
    /// The problems of `text`'s citations: each unknown key and each
    /// conduit not named by key, at its byte offset.
    pub fn problems(&self, text: &str) -> Vec<(usize, CiteProblem)> {
        let (cited, bad) = citations(text);
        let mut out: Vec<(usize, CiteProblem)> = cited
            .into_iter()
            .filter(|c| !c.tag && !self.works.contains_key(&c.token))
            .map(|c| (c.at, CiteProblem::Unknown(c.token)))
            .collect();
        out.extend(bad.into_iter().map(|(at, w)| (at, CiteProblem::NotAKey(w))));
        out.sort_by_key(|(at, _)| *at);
        out
    }

    /// The works and tags `text` cites, each once, in key order.
    pub fn cited_in(&self, text: &str) -> (Vec<&Work>, Vec<(&str, &str)>) {
        let (cited, _) = citations(text);
        let mut works: Vec<&Work> = cited
            .iter()
            .filter(|c| !c.tag)
            .filter_map(|c| self.works.get(&c.token))
            .collect();
        works.sort_by(|a, b| a.key.cmp(&b.key));
        works.dedup_by(|a, b| a.key == b.key);
        let mut tags: Vec<(&str, &str)> = self
            .tags
            .iter()
            .filter(|(t, _)| cited.iter().any(|c| c.tag && &c.token == *t))
            .map(|(t, m)| (t.as_str(), m.as_str()))
            .collect();
        tags.dedup();
        (works, tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        citations(text).0.into_iter().map(|c| c.token).collect()
    }

    #[test]
    fn locators_are_told_from_descriptions() {
        for p in [
            "para. 4.3",
            "s.9(3)",
            "ss.1(1)(a), 3(2)",
            "art. 87(2)",
            "499 U.S. at 345",
            "IceTV at [188]",
            "Conclusions, no. 6",
            "p. 4",
            "§ 313.4(A)",
            "Part II.B",
            "fn. 12",
            "judgment, no locator: the reports give no paragraph numbers",
        ] {
            assert!(has_locator(p), "{p}");
        }
        for p in [
            "judgment, originality analysis",
            "reasoning on proof (as reported by [PETERKA])",
            "passage on pure outputs",
            "the court's holding, as reported",
        ] {
            assert!(!has_locator(p), "{p}");
        }
    }

    #[test]
    fn keys_and_tags_are_found_in_every_form_of_citation() {
        assert_eq!(tokens("as [GOD] says"), ["GOD"]);
        assert_eq!(tokens("[P via GOD, ¶39]"), ["P", "GOD"]);
        assert_eq!(
            tokens("[S2: KWM, DLA-BC; P via BIC-2025]"),
            ["S2", "KWM", "DLA-BC", "P", "BIC-2025"]
        );
        // Not citations: a Chinese case number, a quotation's insertion, a list.
        assert!(tokens("[(2023)京0491民初11279号] risk[s] [a, b]").is_empty());
        assert!(tokens("[Sic] [AI]x").is_empty() || tokens("[Sic] [AI]x") == ["AI"]);
    }

    #[test]
    fn conduits_named_in_words_urls_and_domains_are_problems() {
        let (_, bad) =
            citations("[P via HuffPost; S2: cr-online.de, https://x.org/a] [S1: GOD, facts]");
        let words: Vec<&str> = bad.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(words, ["HuffPost", "cr-online.de", "https://x.org/a"]);
    }

    #[test]
    fn unknown_keys_are_reported_at_their_offsets() {
        let mut b = Bibliography::default();
        b.works.insert("GOD".into(), Work::default());
        let text = "x [P via GOD; S1: NOPE]";
        assert_eq!(
            b.problems(text),
            [(18, CiteProblem::Unknown("NOPE".into()))]
        );
    }
}
