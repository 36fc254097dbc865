//! Fetching a source (a file, stdin, an http(s) URL, a WARC file's records) into raw bytes and the facts of how they were received.
//!
//! The archive and the normalizer see only [`Fetched`]; how the bytes were obtained stays here.

pub mod http;
pub mod memento;
pub mod timemap;
pub mod warc;

// The facts kept in meta.json and the host of a URL are the data model's: re-exported here.
// What a fetch gives is data the archive records: the data model's.
pub use prov_model::facts::{Fetched, HttpFacts, Redirect};
use prov_model::url::has_scheme;
pub use prov_model::url::host_of;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use http::HttpOptions;
pub use memento::MementoFacts;
pub use warc::WarcFacts;

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A source named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
    Url(String),
}

impl Source {
    pub fn parse(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else if arg.starts_with("http://") || arg.starts_with("https://") {
            Source::Url(arg.to_string())
        } else if let Some(path) = arg.strip_prefix("file://").filter(|p| p.starts_with('/')) {
            // A file URL names a file (percent escapes are not read: such a name is refused
            // as missing, naming the path it looked for).
            Source::File(PathBuf::from(path))
        } else if has_scheme(arg) && arg.contains("://") {
            // ftp://, gopher://...: a URL prov does not fetch, not a missing file.
            Source::Url(arg.to_string())
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// How the source is named in messages and in meta.json.
    pub fn display(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "-".to_string(),
            Source::Url(u) => u.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}: no such file")]
    NotFound(String),
    #[error("{0}: is a directory, not a file")]
    IsDirectory(String),
    #[error(
        "{source_name}: larger than {limit} bytes (a file, device or pipe is read to that limit only)"
    )]
    TooLarge { source_name: String, limit: u64 },
    #[error("{source_name}: {error}")]
    Io {
        source_name: String,
        error: std::io::Error,
    },
    #[error("{0}: the host was not found")]
    HostNotFound(String),
    #[error("{0}: the connection was refused")]
    ConnectionRefused(String),
    #[error("{url}: no complete answer within {}", seconds_text(*.seconds))]
    Timeout { url: String, seconds: u64 },
    /// A 4xx or 5xx answer. The response is kept: for a URL captured before, a 404 or 410
    /// is not an error but the finding that the page is gone.
    #[error("{url}: the server answered {status}{}", reason_suffix(*.status))]
    Status {
        url: String,
        status: u16,
        response: Box<Fetched>,
    },
    #[error("{url}: the redirects loop back to {at}")]
    RedirectLoop { url: String, at: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error(
        "{url}: the server answered {status} but named no valid place to go (Location: {location:?})"
    )]
    BadRedirect {
        url: String,
        status: u16,
        location: String,
    },
    #[error("{url}: the response is larger than {limit} bytes (see --max-bytes)")]
    ResponseTooLarge { url: String, limit: u64 },
    #[error("{url}: the response is encoded with {encoding:?}, which prov cannot decode")]
    UnknownEncoding { url: String, encoding: String },
    #[error("{url}: the response could not be decoded: {reason}")]
    Decode { url: String, reason: String },
    #[error("{0}: not an http(s) URL prov can fetch")]
    BadUrl(String),
    #[error(
        "{url}: the server's certificate is not trusted ({reason}); --ca-cert FILE trusts one more"
    )]
    Untrusted { url: String, reason: String },
    #[error("{url}: the connection failed{}", connection_reason(reason))]
    Connection { url: String, reason: String },
    #[error("the header {0:?} is not of the form `Name: value`")]
    BadHeader(String),
    #[error("{path}: {reason}")]
    CaCert { path: String, reason: String },
}

/// The reason after "the connection failed", without saying it twice (ureq's own text may
/// begin with the same words).
fn connection_reason(reason: &str) -> String {
    let lower = reason.to_ascii_lowercase();
    let rest = ["the connection failed", "connection failed"]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &reason[p.len()..]))
        .unwrap_or(reason)
        .trim_start_matches([':', ' ']);
    if rest.is_empty() {
        String::new()
    } else {
        format!(": {rest}")
    }
}

fn seconds_text(seconds: u64) -> String {
    if seconds == 1 {
        "1 second".into()
    } else {
        format!("{seconds} seconds")
    }
}

fn reason_suffix(status: u16) -> String {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

/// Read a source into memory, fetching URLs with the default [`HttpOptions`].
pub fn fetch(source: &Source) -> Result<Fetched, FetchError> {
    fetch_with(source, &HttpOptions::default())
}

/// Read a source into memory; URLs are fetched with `options`.
pub fn fetch_with(source: &Source, options: &HttpOptions) -> Result<Fetched, FetchError> {
    match source {
        Source::File(path) => read_file(path),
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|error| FetchError::Io {
                    source_name: "-".into(),
                    error,
                })?;
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(FetchError::TooLarge {
                    source_name: "-".into(),
                    limit: MAX_FILE_BYTES,
                });
            }
            Ok(Fetched {
                source: "-".into(),
                bytes,
                file_name: None,
                url: None,
                final_url: None,
                http: None,
                warc: None,
                memento: None,
            })
        }
        Source::Url(u) => http::get(u, options),
    }
}

/// A source file's metadata, or the sentence that says why it cannot be read: missing, a
/// folder, unreadable. Shared by plain files and WARC files.
pub(crate) fn stat_file(path: &Path) -> Result<std::fs::Metadata, FetchError> {
    let name = path.display().to_string();
    let md = match std::fs::metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(FetchError::NotFound(name));
        }
        Err(error) => {
            return Err(FetchError::Io {
                source_name: name,
                error,
            });
        }
    };
    if md.is_dir() {
        return Err(FetchError::IsDirectory(name));
    }
    Ok(md)
}

/// A file's bytes, read to at most [`MAX_FILE_BYTES`] whatever the file is: a device
/// (`/dev/zero`), a FIFO or a file growing as it is read says nothing true in its size, so
/// the bound is on the reading, not on the size the file claims.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, FetchError> {
    let name = path.display().to_string();
    let io = |error: std::io::Error| FetchError::Io {
        source_name: name.clone(),
        error,
    };
    let md = stat_file(path)?;
    let too_large = || FetchError::TooLarge {
        source_name: name.clone(),
        limit: MAX_FILE_BYTES,
    };
    if md.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

fn read_file(path: &Path) -> Result<Fetched, FetchError> {
    let name = path.display().to_string();
    let bytes = read_bounded(path)?;
    Ok(Fetched {
        source: name.clone(),
        bytes,
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        url: None,
        final_url: None,
        http: None,
        warc: None,
        memento: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_schemes_are_urls_and_file_urls_files() {
        assert_eq!(
            Source::parse("ftp://a.org/x"),
            Source::Url("ftp://a.org/x".into())
        );
        assert_eq!(
            Source::parse("file:///tmp/x.html"),
            Source::File("/tmp/x.html".into())
        );
        assert_eq!(
            Source::parse("notes:draft.txt"),
            Source::File("notes:draft.txt".into())
        );
        let e = FetchError::Connection {
            url: "http://a".into(),
            reason: "Connection failed".into(),
        };
        assert_eq!(e.to_string(), "http://a: the connection failed");
        let e = FetchError::Connection {
            url: "http://a".into(),
            reason: "reset by peer".into(),
        };
        assert_eq!(
            e.to_string(),
            "http://a: the connection failed: reset by peer"
        );
    }

    #[test]
    fn sources_are_told_apart() {
        assert_eq!(Source::parse("-"), Source::Stdin);
        assert_eq!(
            Source::parse("https://x.org/a"),
            Source::Url("https://x.org/a".into())
        );
        assert_eq!(Source::parse("a.html"), Source::File("a.html".into()));
    }

    #[test]
    fn hosts_drop_www_port_and_credentials() {
        assert_eq!(
            host_of("https://www.AlJazeera.com/opinions/x").as_deref(),
            Some("aljazeera.com")
        );
        assert_eq!(
            host_of("http://u:p@news.example.org:8080/?q").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn missing_files_and_directories_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.html");
        assert!(matches!(read_file(&missing), Err(FetchError::NotFound(_))));
        assert!(matches!(
            read_file(dir.path()),
            Err(FetchError::IsDirectory(_))
        ));
    }
}
