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
}

/// Counts of stripped items by rule, most frequent first: `2 caption, 1 pull-quote`.
pub fn stripped_summary(stripped: &[Stripped]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for s in stripped {
        *counts.entry(s.rule.as_str()).or_default() += 1;
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.iter()
        .map(|(r, n)| format!("{n} {r}"))
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
