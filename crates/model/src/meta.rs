//! `meta.json`: everything known about one capture, written once and never changed; the
//! archive's durable contract (the README's "What a capture holds" says the same for users).
//! Times are RFC 3339 in UTC; optional fields are `null` when unknown, and `warc`, `memento`,
//! `match` and `no_text` are left out when they do not apply.

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

/// One file of a capture, as `verify` checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// The file's name in the capture's folder (`raw.html`, `raw.txt`, `raw.bin`, `text.txt`).
    pub file: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// Whether a page capture's recorded text is empty (bytes that gave no text: the reason is
/// in meta.json's `no_text`). A clean text always has at least its title line.
pub fn textless(text: Option<&FileFacts>) -> bool {
    text.is_some_and(|t| t.size == 0)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The shape of this file ([`META_VERSION`]).
    pub meta_version: u32,
    /// The article it was filed under when recorded (a refile record may move it later; the
    /// folder never moves).
    pub article: String,
    /// The copy (by default the host of its URL) it was filed under when recorded.
    pub copy: String,
    /// Its id: the capture time (`YYYYMMDDTHHMMSSZ`), then 8 hex digits of a SHA-256 of
    /// article, copy and the raw bytes' hash.
    pub capture: String,
    /// A page, or a finding about a URL captured before (gone, moved).
    pub kind: Kind,
    /// Why it went to that article.
    pub filed_by: FiledBy,
    /// The source as named on the command line (a path, `-`, a URL).
    pub source: String,
    /// The URL the capture is of.
    pub url: Option<String>,
    /// The URL of the last response, when redirects led elsewhere.
    pub final_url: Option<String>,
    /// When the bytes were read.
    pub captured_at: String,
    /// Where `captured_at` came from.
    pub captured_at_source: TimeSource,
    /// The commit's time.
    pub archived_at: String,
    /// For fetched URLs: the last response's status and headers, and each redirect.
    pub http: Option<HttpFacts>,
    /// How the bytes were read: HTML or text; `None` when they were not read as text.
    pub format: Option<Format>,
    /// The charset and the evidence that decided it; `None` when the bytes were not decoded.
    pub charset: Option<Charset>,
    /// The raw bytes as received (`raw.html`, `raw.txt` or `raw.bin`).
    pub raw: FileFacts,
    /// The clean text (`text.txt`, empty when `no_text` says why); `None` for gone and
    /// moved findings.
    pub text: Option<FileFacts>,
    /// What derived `text.txt`: the normalizer's version and per-site rules.
    pub normalizer: NormalizerId,
    /// Metadata found in the page itself.
    pub page: Metadata,
    /// Every piece that is not article text, in page order, with the rule that stripped it.
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
