//! What a capture's source said about the bytes, kept in meta.json: the HTTP response (and
//! each redirect before it), the WARC record, the web archive's memento; and the bytes with
//! all of it, as a fetch gives them ([`Fetched`]).

/// HTTP facts of a capture; empty for files. The status and headers are those of the
/// last response (the one whose body was kept); `redirects` lists every hop before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HttpFacts {
    pub status: u16,
    pub date: Option<String>,
    pub last_modified: Option<String>,
    pub etag: Option<String>,
    pub content_type: Option<String>,
    /// The redirects followed, in order; empty when the first answer was the last.
    #[serde(default)]
    pub redirects: Vec<Redirect>,
}

/// One redirect followed: the URL asked for, its status, and where it pointed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Redirect {
    pub url: String,
    pub status: u16,
    /// The `Location` header as sent (possibly relative).
    pub location: String,
}

/// Where a capture came from in a WARC file: kept in meta.json.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WarcFacts {
    /// The WARC file's name (without its folder).
    pub file: String,
    /// `WARC-Record-ID`, as written (`<urn:uuid:...>`).
    pub record_id: String,
    /// `WARC-Date`, as written.
    pub date: String,
}

/// What a web archive said about the copy it served: kept in meta.json.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MementoFacts {
    /// The archive's URL that served the bytes (after redirects).
    pub archive_url: String,
    /// The original URL the archived copy is of.
    pub original: String,
    /// `Memento-Datetime`, as sent.
    pub datetime: String,
}

/// Raw bytes and what is known of how they were received.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub source: String,
    pub bytes: Vec<u8>,
    /// The file name, as a hint to the normalizer (`.txt` or `.html`).
    pub file_name: Option<String>,
    /// The URL the bytes were fetched from, when fetched over HTTP.
    pub url: Option<String>,
    pub final_url: Option<String>,
    pub http: Option<HttpFacts>,
    /// Where in a WARC file the bytes were found.
    pub warc: Option<WarcFacts>,
    /// The web archive (Memento) that served the bytes.
    pub memento: Option<MementoFacts>,
}
