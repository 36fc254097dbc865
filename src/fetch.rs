//! Fetching a source (a file or stdin; HTTP and WARC later) into raw bytes and the facts of how they were received.
//!
//! The archive and the normalizer see only [`Fetched`]; how the bytes were obtained stays here.

use std::io::Read;
use std::path::{Path, PathBuf};

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

/// HTTP facts of a capture; empty for files.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HttpFacts {
    pub status: u16,
    pub date: Option<String>,
    pub last_modified: Option<String>,
    pub etag: Option<String>,
    pub content_type: Option<String>,
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
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}: no such file")]
    NotFound(String),
    #[error("{0}: is a directory, not a file")]
    IsDirectory(String),
    #[error("{source_name}: the file is larger than {limit} bytes")]
    TooLarge { source_name: String, limit: u64 },
    #[error("{source_name}: {error}")]
    Io {
        source_name: String,
        error: std::io::Error,
    },
    #[error(
        "{0}: capturing over HTTP is not available in this version of prov; save the page and capture the file with --url"
    )]
    HttpUnsupported(String),
}

/// Read a source into memory.
pub fn fetch(source: &Source) -> Result<Fetched, FetchError> {
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
            })
        }
        Source::Url(u) => Err(FetchError::HttpUnsupported(u.clone())),
    }
}

fn read_file(path: &Path) -> Result<Fetched, FetchError> {
    let name = path.display().to_string();
    let io = |error: std::io::Error| FetchError::Io {
        source_name: name.clone(),
        error,
    };
    let md = match std::fs::metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(FetchError::NotFound(name));
        }
        Err(e) => return Err(io(e)),
    };
    if md.is_dir() {
        return Err(FetchError::IsDirectory(name));
    }
    if md.len() > MAX_FILE_BYTES {
        return Err(FetchError::TooLarge {
            source_name: name,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    Ok(Fetched {
        source: name.clone(),
        bytes,
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        url: None,
        final_url: None,
        http: None,
    })
}

/// The host of a URL, lower-cased, without `www.` and without port or credentials.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| h.trim_start_matches('['))?
    } else {
        host.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

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
