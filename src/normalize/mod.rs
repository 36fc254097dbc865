//! The normalizer: raw bytes of a captured page in, clean text, metadata and an audit of stripped noise out.
//!
//! Pure: it knows nothing of git, HTTP, the terminal or the file system. The same bytes
//! under the same [`NORMALIZER_VERSION`] and [`Rules`] give the same output everywhere.

use serde::{Deserialize, Serialize};

/// Raised whenever the clean text of any page changes.
pub const NORMALIZER_VERSION: u32 = 1;

/// What the caller knows about the bytes besides the bytes themselves.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    pub bytes: &'a [u8],
    /// The HTTP `Content-Type` header, if the bytes came over HTTP.
    pub content_type: Option<&'a str>,
    /// Where the page lives, used to pick per-site rules.
    pub url: Option<&'a str>,
    /// A file name hint (`raw.html`, `page.txt`), used only to tell text from HTML when the bytes are ambiguous.
    pub file_name: Option<&'a str>,
}

/// Per-site rules from `prov.toml`, added to the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    #[serde(default, rename = "site")]
    pub sites: Vec<SiteRule>,
}

/// Rules for one host (and its subdomains).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRule {
    pub host: String,
    /// CSS selectors whose elements are dropped.
    #[serde(default)]
    pub drop: Vec<String>,
    /// A CSS selector taken as the article body.
    #[serde(default)]
    pub body: Option<String>,
    /// Regular expressions: paragraphs matching one are dropped.
    #[serde(default)]
    pub drop_text: Vec<String>,
}

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

/// The normalizer's whole output for one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Normalized {
    /// The clean text in the spec's format: `# title`, paragraphs separated by a blank line, `## ` subheadings, a final newline.
    pub text: String,
    pub format: Format,
    pub charset: Charset,
    pub metadata: Metadata,
    pub stripped: Vec<Stripped>,
}

impl Normalized {
    /// The title as it stands in the clean text (its first line without `# `).
    pub fn title(&self) -> Option<&str> {
        self.text.lines().next().and_then(|l| l.strip_prefix("# "))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NormalizeError {
    #[error("it is empty")]
    Empty,
    #[error("it is {0}, not a web page or text")]
    Binary(String),
    #[error("it is not valid {0}")]
    InvalidEncoding(String),
    #[error("no article text was found in it")]
    NoText,
    #[error("the per-site rule {rule:?} is invalid: {reason}")]
    BadRule { rule: String, reason: String },
}

/// Clean one page.
pub fn normalize(input: &Input<'_>, rules: &Rules) -> Result<Normalized, NormalizeError> {
    let _ = rules;
    if input.bytes.is_empty() {
        return Err(NormalizeError::Empty);
    }
    let s = std::str::from_utf8(input.bytes)
        .map_err(|_| NormalizeError::InvalidEncoding("UTF-8".into()))?;
    let paras: Vec<String> = s
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    if paras.is_empty() {
        return Err(NormalizeError::NoText);
    }
    let mut text = format!("# {}\n", paras[0]);
    for p in &paras[1..] {
        text.push('\n');
        text.push_str(p);
        text.push('\n');
    }
    Ok(Normalized {
        text,
        format: Format::Text,
        charset: Charset {
            name: "UTF-8".into(),
            source: CharsetSource::Detected,
        },
        metadata: Metadata::default(),
        stripped: vec![],
    })
}

impl Rules {
    /// The rules in force as text: what meta.json keeps, and what the rules hash is taken over.
    /// Built-in rules are code and are covered by [`NORMALIZER_VERSION`]; this is the user's part.
    pub fn to_text(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}
