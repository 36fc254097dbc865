//! Fetching an http(s) URL with ureq: redirects followed and recorded by prov, timeouts, a size limit enforced while reading.
//!
//! ureq is told to follow no redirect and to treat no status as an error: prov follows each
//! hop itself so that every one is recorded, and a 404 comes back as a response (kept in
//! [`FetchError::Status`]) because for a URL captured before it is a finding, not an error.

use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::http::{HeaderMap, Response};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use super::{FetchError, Fetched, HttpFacts, Redirect};
// Resolving a `Location` is pure URL arithmetic: the data model's, shared with feeds.
pub use prov_model::url::resolve;

/// prov follows at most this many redirects.
pub const MAX_REDIRECTS: usize = 10;
/// The default of `--timeout`, in seconds.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
/// The default of `--max-bytes`: 20 MB.
pub const DEFAULT_MAX_BYTES: u64 = 20_000_000;

/// How to fetch: the command line's `--timeout`, `--max-bytes`, `--user-agent`, `--header`, `--ca-cert`.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// For the whole fetch, redirects included; also the connect timeout.
    pub timeout: Duration,
    /// The largest body accepted, after decoding.
    pub max_bytes: u64,
    pub user_agent: String,
    /// Extra request headers, sent on every hop.
    pub headers: Vec<(String, String)>,
    /// A PEM file whose certificates are trusted besides the built-in roots.
    pub ca_cert: Option<PathBuf>,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECONDS),
            max_bytes: DEFAULT_MAX_BYTES,
            user_agent: default_user_agent(),
            headers: vec![],
            ca_cert: None,
        }
    }
}

/// `prov/<version>`
pub fn default_user_agent() -> String {
    format!("prov/{}", env!("CARGO_PKG_VERSION"))
}

/// Parse `--header 'Name: value'`.
pub fn parse_header(arg: &str) -> Result<(String, String), FetchError> {
    let bad = || FetchError::BadHeader(arg.to_string());
    let (name, value) = arg.split_once(':').ok_or_else(bad)?;
    let name = name.trim();
    let value = value.trim();
    ureq::http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
    ureq::http::HeaderValue::from_str(value).map_err(|_| bad())?;
    Ok((name.to_string(), value.to_string()))
}

/// Fetch `url`: follow up to [`MAX_REDIRECTS`] redirects, then read the last body (at most
/// `max_bytes`, decoded). A 2xx answer is a [`Fetched`]; a 4xx or 5xx is
/// [`FetchError::Status`] carrying the response.
pub fn get(url: &str, options: &HttpOptions) -> Result<Fetched, FetchError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(FetchError::BadUrl(url.to_string()));
    }
    let agent = agent(options)?;
    let deadline = Instant::now() + options.timeout;
    let seconds = options.timeout.as_secs();
    let mut redirects = Vec::new();
    let mut seen = HashSet::new();
    let mut current = url.to_string();
    loop {
        seen.insert(current.clone());
        let remaining = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| FetchError::Timeout {
                url: url.to_string(),
                seconds,
            })?;
        let mut request = agent
            .get(&current)
            .config()
            .timeout_global(Some(remaining))
            .build();
        for (name, value) in &options.headers {
            request = request.header(name, value);
        }
        let response = request
            .call()
            .map_err(|e| call_error(url, &current, seconds, e))?;
        let status = response.status().as_u16();
        if (300..400).contains(&status) && status != 304 {
            let location = header(response.headers(), "location");
            let bad = || FetchError::BadRedirect {
                url: url.to_string(),
                status,
                location: location.clone().unwrap_or_default(),
            };
            let target = location
                .as_deref()
                .and_then(|l| resolve(&current, l))
                .ok_or_else(bad)?;
            redirects.push(Redirect {
                url: current.clone(),
                status,
                location: location.unwrap_or_default(),
            });
            if seen.contains(&target) {
                return Err(FetchError::RedirectLoop {
                    url: url.to_string(),
                    at: target,
                });
            }
            if redirects.len() > MAX_REDIRECTS {
                return Err(FetchError::TooManyRedirects {
                    url: url.to_string(),
                    limit: MAX_REDIRECTS,
                });
            }
            current = target;
            continue;
        }
        let memento = super::memento::facts(
            &current,
            header(response.headers(), "memento-datetime").as_deref(),
            all_headers(response.headers(), "link").as_deref(),
        );
        let facts = facts(status, response.headers(), redirects);
        let bytes = read_body(url, response, options.max_bytes, seconds)?;
        let fetched = Fetched {
            source: url.to_string(),
            bytes,
            file_name: None,
            url: Some(url.to_string()),
            final_url: Some(current.clone()),
            http: Some(facts),
            warc: None,
            memento,
        };
        return if (200..300).contains(&status) {
            Ok(fetched)
        } else {
            Err(FetchError::Status {
                url: url.to_string(),
                status,
                response: Box::new(fetched),
            })
        };
    }
}

fn agent(options: &HttpOptions) -> Result<Agent, FetchError> {
    let mut tls = TlsConfig::builder();
    if let Some(path) = &options.ca_cert {
        let name = path.display().to_string();
        let pem = std::fs::read(path).map_err(|e| FetchError::CaCert {
            path: name.clone(),
            reason: format!("cannot read the certificate: {e}"),
        })?;
        let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        let mut added = 0;
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => {
                    roots.push(c);
                    added += 1;
                }
                Ok(_) => {}
                Err(e) => {
                    return Err(FetchError::CaCert {
                        path: name,
                        reason: format!("not a readable PEM file: {e}"),
                    });
                }
            }
        }
        if added == 0 {
            return Err(FetchError::CaCert {
                path: name,
                reason: "the file holds no PEM certificate".into(),
            });
        }
        tls = tls.root_certs(RootCerts::from(roots));
    }
    Ok(Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(options.timeout))
        .timeout_connect(Some(options.timeout))
        .user_agent(options.user_agent.as_str())
        .tls_config(tls.build())
        .build()
        .new_agent())
}

/// Turn ureq's error for a request into one of prov's, naming the URL the user gave.
fn call_error(url: &str, current: &str, seconds: u64, e: ureq::Error) -> FetchError {
    let url = url.to_string();
    match e {
        ureq::Error::HostNotFound => FetchError::HostNotFound(url),
        ureq::Error::Timeout(_) => FetchError::Timeout { url, seconds },
        ureq::Error::Io(io) => io_error(url, seconds, io),
        ureq::Error::BadUri(_) => FetchError::BadUrl(current.to_string()),
        ureq::Error::Rustls(rustls::Error::InvalidCertificate(reason)) => FetchError::Untrusted {
            url,
            reason: format!("{reason:?}"),
        },
        other => FetchError::Connection {
            url,
            reason: other.to_string(),
        },
    }
}

fn io_error(url: String, seconds: u64, io: std::io::Error) -> FetchError {
    use std::io::ErrorKind;
    // std reports a failed getaddrinfo with an unnamed kind and this fixed wording.
    if io
        .to_string()
        .starts_with("failed to lookup address information")
    {
        return FetchError::HostNotFound(url);
    }
    match io.kind() {
        ErrorKind::ConnectionRefused => FetchError::ConnectionRefused(url),
        ErrorKind::TimedOut | ErrorKind::WouldBlock => FetchError::Timeout { url, seconds },
        _ => {
            let Some(inner) = io.into_inner() else {
                return FetchError::Connection {
                    url,
                    reason: "the connection failed".into(),
                };
            };
            let inner = match inner.downcast::<ureq::Error>() {
                Ok(e) => return call_error(&url, &url, seconds, *e),
                Err(other) => other,
            };
            match inner.downcast::<rustls::Error>() {
                Ok(e) => match *e {
                    rustls::Error::InvalidCertificate(reason) => FetchError::Untrusted {
                        url,
                        reason: format!("{reason:?}"),
                    },
                    other => FetchError::Connection {
                        url,
                        reason: other.to_string(),
                    },
                },
                Err(other) => FetchError::Connection {
                    url,
                    reason: other.to_string(),
                },
            }
        }
    }
}

/// Every value of a header that may repeat (`Link`), joined with `, `.
fn all_headers(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
}

fn facts(status: u16, headers: &HeaderMap, redirects: Vec<Redirect>) -> HttpFacts {
    HttpFacts {
        status,
        date: header(headers, "date"),
        last_modified: header(headers, "last-modified"),
        etag: header(headers, "etag"),
        content_type: header(headers, "content-type"),
        redirects,
    }
}

/// Read the body, decoded, refusing it as soon as it passes `limit`: never more than
/// `limit + 1` decoded bytes are read.
fn read_body(
    url: &str,
    response: Response<ureq::Body>,
    limit: u64,
    seconds: u64,
) -> Result<Vec<u8>, FetchError> {
    let encoding = header(response.headers(), "content-encoding").unwrap_or_default();
    let reader = response.into_body().into_reader();
    // ureq decodes exactly `gzip` and `br`; prov decodes the other spellings and deflate.
    let lower = encoding.to_ascii_lowercase();
    let decoded: Box<dyn Read> = match encoding.as_str() {
        "" | "gzip" | "br" => Box::new(reader),
        _ if lower == "identity" => Box::new(reader),
        _ if lower == "gzip" || lower == "x-gzip" => {
            Box::new(flate2::read::MultiGzDecoder::new(reader))
        }
        _ if lower == "deflate" => Box::new(Deflate::new(reader)),
        _ => {
            return Err(FetchError::UnknownEncoding {
                url: url.to_string(),
                encoding,
            });
        }
    };
    let mut bytes = Vec::new();
    decoded
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| match io_error(url.to_string(), seconds, e) {
            FetchError::Connection { url, reason } if !encoding.is_empty() => {
                FetchError::Decode { url, reason }
            }
            other => other,
        })?;
    if bytes.len() as u64 > limit {
        return Err(FetchError::ResponseTooLarge {
            url: url.to_string(),
            limit,
        });
    }
    Ok(bytes)
}

/// `Content-Encoding: deflate` is zlib-wrapped by the standard and raw deflate on some
/// servers: look at the first two bytes to tell.
pub(crate) struct Deflate<R: Read> {
    inner: DeflateState<R>,
}

enum DeflateState<R: Read> {
    Start(Option<R>),
    Zlib(flate2::read::ZlibDecoder<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>),
    Raw(flate2::read::DeflateDecoder<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>),
}

impl<R: Read> Deflate<R> {
    pub(crate) fn new(reader: R) -> Self {
        Deflate {
            inner: DeflateState::Start(Some(reader)),
        }
    }
}

impl<R: Read> Read for Deflate<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match &mut self.inner {
                DeflateState::Zlib(d) => return d.read(buf),
                DeflateState::Raw(d) => return d.read(buf),
                DeflateState::Start(reader) => {
                    let Some(mut r) = reader.take() else {
                        return Ok(0);
                    };
                    let mut head = Vec::with_capacity(2);
                    (&mut r).take(2).read_to_end(&mut head)?;
                    // A zlib header: CM = 8 and the check bits make a multiple of 31.
                    let zlib = head.len() == 2
                        && head[0] & 0x0f == 8
                        && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0;
                    let chained = std::io::Cursor::new(head).chain(r);
                    self.inner = if zlib {
                        DeflateState::Zlib(flate2::read::ZlibDecoder::new(chained))
                    } else {
                        DeflateState::Raw(flate2::read::DeflateDecoder::new(chained))
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_against_the_url_that_sent_them() {
        let base = "https://news.example/a/b/c?x=1";
        for (loc, want) in [
            ("https://other.example/z", "https://other.example/z"),
            ("//cdn.example/p", "https://cdn.example/p"),
            ("/root", "https://news.example/root"),
            ("d", "https://news.example/a/b/d"),
            ("../d", "https://news.example/a/d"),
            ("../../../../d", "https://news.example/d"),
            ("./", "https://news.example/a/b/"),
            ("?y=2", "https://news.example/a/b/c?y=2"),
            // A URL inside a relative reference's path or query is not a scheme: web
            // archives redirect to `/web/<time>id_/https://...`, logins to `/login?next=https://...`.
            (
                "/web/20180502100000id_/https://o.example/p",
                "https://news.example/web/20180502100000id_/https://o.example/p",
            ),
            (
                "login?next=http://news.example/a",
                "https://news.example/a/b/login?next=http://news.example/a",
            ),
        ] {
            assert_eq!(resolve(base, loc).as_deref(), Some(want), "{loc}");
        }
        assert_eq!(
            resolve("http://h.example", "x").as_deref(),
            Some("http://h.example/x")
        );
        assert_eq!(resolve(base, "ftp://x/y"), None);
        assert_eq!(resolve(base, "://x/y"), None);
        assert_eq!(resolve(base, ""), None);
        assert_eq!(resolve(base, "javascript:alert(1)"), None);
        assert_eq!(
            resolve(base, "file:/etc/passwd"),
            None,
            "not a relative path"
        );
    }

    #[test]
    fn headers_are_name_colon_value() {
        assert_eq!(
            parse_header("X-Test:  yes ").unwrap(),
            ("X-Test".into(), "yes".into())
        );
        assert!(matches!(
            parse_header("no colon"),
            Err(FetchError::BadHeader(_))
        ));
        assert!(matches!(
            parse_header("bad name: v"),
            Err(FetchError::BadHeader(_))
        ));
    }

    #[test]
    fn deflate_is_read_zlib_wrapped_or_raw() {
        use std::io::Write;
        let text = b"a body that was deflated".repeat(20);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&text).unwrap();
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(&text).unwrap();
        for body in [z.finish().unwrap(), raw.finish().unwrap()] {
            let mut out = Vec::new();
            Deflate::new(body.as_slice()).read_to_end(&mut out).unwrap();
            assert_eq!(out, text);
        }
    }
}
