//! `meta.json`: everything known about one capture, written once and never changed.

use serde::{Deserialize, Serialize};

use crate::facts::{HttpFacts, MementoFacts, WarcFacts};
use crate::normalizer::NormalizerId;
use crate::page::{Charset, Format, Metadata, NoText, Stripped};

/// Raised when the shape of meta.json changes.
pub const META_VERSION: u32 = 1;

/// What a capture recorded: a page, or the finding that a captured URL is gone or moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Page,
    Gone,
    Moved,
}

/// Where a capture's time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeSource {
    /// The moment prov read the source.
    Fetched,
    Warc,
    Memento,
    /// Given by the user with `--at`.
    Declared,
}

/// How the capture came to be filed under its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FiledBy {
    /// `--article` named it.
    Option,
    /// The URL was captured before under this article.
    Url,
    /// The same copy was captured before with identical bytes or clean text.
    Content,
    /// A new article, named from the page's title.
    Title,
    /// The clean text matched an archived capture's (see `match`).
    Match,
}

/// The archived capture whose clean text a new capture's matched, and how well.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchFacts {
    pub article: String,
    pub capture: String,
    /// The estimated containment of the smaller text in the larger, 0 to 1.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub file: String,
    pub sha256: String,
    pub size: u64,
}

/// Whether a page capture's recorded text is empty (bytes that gave no text: the reason is
/// in meta.json's `no_text`). A clean text always has at least its title line.
pub fn textless(text: Option<&FileFacts>) -> bool {
    text.is_some_and(|t| t.size == 0)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub meta_version: u32,
    pub article: String,
    pub copy: String,
    pub capture: String,
    pub kind: Kind,
    pub filed_by: FiledBy,
    /// The source as named on the command line (a path, `-`, a URL).
    pub source: String,
    pub url: Option<String>,
    pub final_url: Option<String>,
    pub captured_at: String,
    pub captured_at_source: TimeSource,
    /// The commit's time.
    pub archived_at: String,
    pub http: Option<HttpFacts>,
    pub format: Option<Format>,
    pub charset: Option<Charset>,
    pub raw: FileFacts,
    pub text: Option<FileFacts>,
    pub normalizer: NormalizerId,
    pub page: Metadata,
    pub stripped: Vec<Stripped>,
    /// The WARC file and record the capture was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warc: Option<WarcFacts>,
    /// The web archive (Memento) the capture was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memento: Option<MementoFacts>,
    /// The archived capture the clean text matched, when `filed_by` is `match`.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub matched: Option<MatchFacts>,
    /// Why a page's text is empty, when it is: the bytes are recorded all the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_text: Option<NoText>,
}

impl Meta {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    pub fn from_json(bytes: &[u8]) -> Result<Meta, String> {
        let meta: Meta = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if meta.meta_version > META_VERSION {
            return Err(format!(
                "it was written by a newer prov (meta_version {})",
                meta.meta_version
            ));
        }
        Ok(meta)
    }
}
