//! What the normalizer found on a page, as meta.json records it: its format, charset (and
//! the evidence that decided it), metadata, what was stripped and why, and why there is no
//! text when there is none.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Text,
}

/// Which evidence decided the charset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CharsetSource {
    Bom,
    Http,
    Meta,
    Detected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charset {
    pub name: String,
    pub source: CharsetSource,
}

/// Metadata found in the page itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub canonical_url: Option<String>,
    pub publisher: Option<String>,
    pub language: Option<String>,
    /// An "originally published by/at" attribution, verbatim.
    pub attribution: Option<String>,
}

/// One piece of the page that is not article text, and the rule that stripped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stripped {
    pub rule: String,
    pub text: String,
    /// The text's size in words (a CJK character counts as one), recorded where the size
    /// is the point: text the chosen body container left out (`outside the body`), where
    /// hundreds of words say the wrong element was taken for the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<usize>,
}

impl Stripped {
    pub fn new(rule: impl Into<String>, text: impl Into<String>) -> Self {
        Stripped {
            rule: rule.into(),
            text: text.into(),
            words: None,
        }
    }
}

/// Counts of stripped items by rule, most frequent first: `2 caption, 1 pull-quote`; a
/// rule whose items carry their size says how many words they hold together
/// (`1 outside the body (412 words)`).
pub fn stripped_summary(stripped: &[Stripped]) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, Option<usize>)> = Default::default();
    for s in stripped {
        let c = counts.entry(s.rule.as_str()).or_default();
        c.0 += 1;
        if let Some(w) = s.words {
            c.1 = Some(c.1.unwrap_or(0) + w);
        }
    }
    let mut v: Vec<(&str, (usize, Option<usize>))> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(r, (n, words))| match words {
            Some(w) => format!("{n} {r} ({w} {})", if *w == 1 { "word" } else { "words" }),
            None => format!("{n} {r}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why bytes gave no clean text. Not an error: the bytes are recorded all the same, with
/// this reason (`meta.json`'s `no_text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum NoText {
    /// No bytes, or white space only.
    #[error("it is empty")]
    Empty,
    /// Not a web page or text: `what` names it ("a PDF", "an image (PNG)", "binary data").
    #[error("it is {what}, not a web page or text")]
    Binary { what: String },
    /// A page with no body paragraphs and no standfirst: navigation only, a script shell.
    #[error("no article text was found in it")]
    NoBody,
    /// Body text but no title to head it.
    #[error("no title was found in it")]
    NoTitle,
}
