//! A WARC reader (ISO 28500, WARC/1.0 and 1.1), written by hand: `.warc`, and `.warc.gz` as one gzip stream or one member per record.
//!
//! Why not the `warc` crate (0.4): prov needs to go on after a malformed record (find the
//! next `WARC/1.x` line and keep the records before and after it), to name each bad record
//! by its number and offset, to stream records of any size through a fixed memory bound
//! (`--max-bytes`), and to read the HTTP block of a response (chunked, gzip) with the same
//! bound. That is a few hundred lines over `std::io::BufRead` and `flate2`; the crate was
//! not tried against real files.
//!
//! The reader streams: a record's block is held in memory only when it is at most the
//! limit, and the payload's own `Content-Encoding` is inflated to at most limit + 1 bytes.
//! A larger block is dropped: in a plain `.warc` it is read past; in a `.warc.gz` with one
//! member per record its member is not inflated at all (the next member that starts with
//! `WARC/` is found in the compressed bytes); only inside a member holding several records
//! (one gzip stream for the whole file) is it inflated and discarded, never kept.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub use prov_model::facts::WarcFacts;

use super::{FetchError, Fetched, HttpFacts};

/// The longest header section (WARC or HTTP) prov reads before calling a record malformed.
const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// Is this path a WARC file, by its name?
pub fn is_warc_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".warc") || lower.ends_with(".warc.gz")
}

/// One record read from a WARC file.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based position in the file.
    pub number: usize,
    /// Byte offset of the record's first line, in the (decompressed) stream.
    pub offset: u64,
    pub headers: Vec<(String, String)>,
    pub block: Block,
}

#[derive(Debug, Clone)]
pub enum Block {
    Bytes(Vec<u8>),
    /// The block was larger than the limit (its length); it was read through and dropped.
    TooLarge(u64),
}

impl Record {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lower-cased.
    pub fn kind(&self) -> String {
        self.header("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }
}

/// What the reader yields: a record, or why the bytes at some place are not one.
#[derive(Debug)]
pub enum Item {
    Record(Record),
    Malformed {
        number: usize,
        offset: u64,
        reason: String,
    },
}

/// Reads records one after the other from a (decompressed) stream.
pub struct Reader<R: BufRead> {
    input: R,
    offset: u64,
    number: usize,
    limit: u64,
    done: bool,
    /// A `WARC/` line already read while skipping a bad record.
    pending: Option<(u64, Vec<u8>)>,
    /// The input is one gzip member that starts here: a record over the limit that opens it
    /// is abandoned rather than inflated.
    member_start: bool,
    /// Records begun by this reader.
    begun: usize,
    abandoned: bool,
    /// The input broke (truncated, unreadable): nothing after it can be read.
    broken_off: bool,
}

/// Open a WARC file: gzip (one stream or one member per record) is recognised by its magic bytes.
pub fn open(path: &Path, limit: u64) -> Result<WarcFile, FetchError> {
    let name = path.display().to_string();
    let io = |error: std::io::Error| FetchError::Io {
        source_name: name.clone(),
        error,
    };
    super::stat_file(path)?;
    let file = std::fs::File::open(path).map_err(io)?;
    let mut buffered = BufReader::new(file);
    let gzip = buffered.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        WarcFile::Gzip(GzipMembers {
            limit,
            state: Some(GzState::Between(buffered)),
            number: 0,
            offset: 0,
        })
    } else {
        WarcFile::Plain(Reader::new(buffered, limit))
    })
}

type Member = BufReader<flate2::bufread::GzDecoder<BufReader<std::fs::File>>>;

/// A WARC file opened for reading, plain or gzipped.
pub enum WarcFile {
    Plain(Reader<BufReader<std::fs::File>>),
    Gzip(GzipMembers),
}

impl Iterator for WarcFile {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        match self {
            WarcFile::Plain(r) => r.next(),
            WarcFile::Gzip(g) => g.next(),
        }
    }
}

/// A `.warc.gz` read gzip member by gzip member. A record over the limit that opens its
/// member (the usual layout: one member per record) is dropped without inflating it: the
/// reader looks in the compressed bytes for the next member that starts with `WARC/`.
/// In a member that holds several records (one gzip stream for the whole file), such a
/// record can only be inflated and discarded, never kept.
pub struct GzipMembers {
    limit: u64,
    state: Option<GzState>,
    number: usize,
    offset: u64,
}

enum GzState {
    Between(BufReader<std::fs::File>),
    In(Box<Reader<Member>>),
}

impl GzipMembers {
    fn next(&mut self) -> Option<Item> {
        loop {
            match self.state.take()? {
                GzState::Between(mut compressed) => {
                    match compressed.fill_buf() {
                        Ok([]) | Err(_) => return None,
                        Ok(_) => {}
                    }
                    let decoder = flate2::bufread::GzDecoder::new(compressed);
                    let mut reader = Reader::new(BufReader::new(decoder), self.limit);
                    reader.number = self.number;
                    reader.offset = self.offset;
                    reader.member_start = true;
                    self.state = Some(GzState::In(Box::new(reader)));
                }
                GzState::In(mut reader) => {
                    if let Some(item) = reader.next() {
                        self.number = reader.number;
                        self.offset = reader.offset;
                        self.state = Some(GzState::In(reader));
                        return Some(item);
                    }
                    if reader.broken_off {
                        return None;
                    }
                    let abandoned = reader.abandoned;
                    let mut compressed = reader.input.into_inner().into_inner();
                    if abandoned && !seek_next_member(&mut compressed) {
                        return None;
                    }
                    self.state = Some(GzState::Between(compressed));
                }
            }
        }
    }
}

/// Move to the next gzip member whose first bytes inflate to `WARC/`; false when there is none.
fn seek_next_member(compressed: &mut BufReader<std::fs::File>) -> bool {
    use std::io::{Seek, SeekFrom};
    let Ok(mut at) = compressed.stream_position() else {
        return false;
    };
    let mut window = vec![0u8; 64 * 1024];
    loop {
        if compressed.seek(SeekFrom::Start(at)).is_err() {
            return false;
        }
        let n = match compressed.read(&mut window) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let mut found = None;
        for i in 0..n.saturating_sub(2) {
            if window[i..i + 3] == [0x1f, 0x8b, 0x08] {
                let candidate = at + i as u64;
                if compressed.seek(SeekFrom::Start(candidate)).is_err() {
                    return false;
                }
                let mut head = Vec::new();
                let ok = flate2::bufread::GzDecoder::new(&mut *compressed)
                    .take(5)
                    .read_to_end(&mut head)
                    .is_ok();
                if ok && head == b"WARC/" {
                    found = Some(candidate);
                    break;
                }
            }
        }
        if let Some(candidate) = found {
            return compressed.seek(SeekFrom::Start(candidate)).is_ok();
        }
        // Keep two bytes of overlap so a header split across windows is seen.
        at += n.saturating_sub(2).max(1) as u64;
    }
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, limit: u64) -> Self {
        Reader {
            input,
            offset: 0,
            number: 0,
            limit,
            done: false,
            pending: None,
            member_start: false,
            begun: 0,
            abandoned: false,
            broken_off: false,
        }
    }

    /// One line, at most `MAX_HEADER_BYTES` long; `None` at the end of the stream.
    fn line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        (&mut self.input)
            .take(MAX_HEADER_BYTES)
            .read_until(b'\n', &mut line)?;
        self.offset += line.len() as u64;
        Ok((!line.is_empty()).then_some(line))
    }

    fn malformed(&mut self, number: usize, offset: u64, reason: impl Into<String>) -> Item {
        Item::Malformed {
            number,
            offset,
            reason: reason.into(),
        }
    }

    /// The end of the input, or a read error (a truncated gzip stream): stop after saying so.
    fn broken(&mut self, number: usize, offset: u64, e: &std::io::Error) -> Option<Item> {
        self.done = true;
        self.broken_off = true;
        Some(self.malformed(
            number,
            offset,
            format!("the file cannot be read on from here ({e}); it is probably truncated"),
        ))
    }

    /// The file ends inside a record's block: the last record, named.
    fn cut_short(&mut self, number: usize, offset: u64) -> Option<Item> {
        self.done = true;
        self.broken_off = true;
        Some(self.malformed(number, offset, "the file ends inside its block (truncated)"))
    }

    /// Skip to the next line that starts a record, returning it; `None` at the end.
    fn next_version_line(&mut self, resync: bool) -> std::io::Result<Option<(u64, Vec<u8>)>> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        loop {
            let start = self.offset;
            let Some(line) = self.line()? else {
                return Ok(None);
            };
            if line.starts_with(b"WARC/") {
                return Ok(Some((start, line)));
            }
            if !resync && !line.iter().all(|b| b.is_ascii_whitespace()) {
                return Ok(Some((start, line)));
            }
        }
    }

    fn read_record(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        let (start, first) = match self.next_version_line(false) {
            Ok(Some(l)) => l,
            Ok(None) => return None,
            Err(e) => {
                let (n, o) = (self.number + 1, self.offset);
                return self.broken(n, o, &e);
            }
        };
        self.number += 1;
        self.begun += 1;
        let number = self.number;
        if !first.starts_with(b"WARC/") {
            // Bytes where a record should start: skip to the next record.
            return Some(self.skip_bad(
                number,
                start,
                "it does not start with a WARC/1.0 or WARC/1.1 line",
            ));
        }
        let version = String::from_utf8_lossy(&first).trim().to_string();
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut header_bytes = first.len() as u64;
        loop {
            let line = match self.line() {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.done = true;
                    self.broken_off = true;
                    return Some(self.malformed(
                        number,
                        start,
                        "the file ends inside its headers (truncated)",
                    ));
                }
                Err(e) => return self.broken(number, start, &e),
            };
            header_bytes += line.len() as u64;
            if header_bytes > MAX_HEADER_BYTES {
                return Some(self.skip_bad(number, start, "its headers are too long"));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if text.starts_with([' ', '\t'])
                && let Some((_, v)) = headers.last_mut()
            {
                v.push(' ');
                v.push_str(text.trim());
                continue;
            }
            match text.split_once(':') {
                Some((n, v)) if !n.trim().is_empty() => {
                    headers.push((n.trim().to_string(), v.trim().to_string()));
                }
                _ => {
                    return Some(self.skip_bad(
                        number,
                        start,
                        format!("the header line {text:?} is not `Name: value`"),
                    ));
                }
            }
        }
        if version != "WARC/1.0" && version != "WARC/1.1" {
            return Some(self.skip_bad(
                number,
                start,
                format!("{version:?} is not WARC/1.0 or WARC/1.1"),
            ));
        }
        let length = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v.parse::<u64>());
        let length = match length {
            Some(Ok(l)) => l,
            Some(Err(_)) => {
                return Some(self.skip_bad(number, start, "its Content-Length is not a number"));
            }
            None => return Some(self.skip_bad(number, start, "it has no Content-Length")),
        };
        let opens_member = self.member_start && self.begun == 1;
        let block = if length > self.limit && opens_member {
            // One member per record: drop the rest of this member without inflating it.
            self.abandoned = true;
            self.done = true;
            self.offset += length;
            Block::TooLarge(length)
        } else if length > self.limit {
            match std::io::copy(&mut (&mut self.input).take(length), &mut std::io::sink()) {
                Ok(n) if n == length => {
                    self.offset += n;
                    Block::TooLarge(length)
                }
                Ok(_) => return self.cut_short(number, start),
                Err(e) => return self.broken(number, start, &e),
            }
        } else {
            let mut bytes = Vec::new();
            match (&mut self.input).take(length).read_to_end(&mut bytes) {
                Ok(n) if n as u64 == length => {
                    self.offset += length;
                    Block::Bytes(bytes)
                }
                Ok(_) => return self.cut_short(number, start),
                Err(e) => return self.broken(number, start, &e),
            }
        };
        Some(Item::Record(Record {
            number,
            offset: start,
            headers,
            block,
        }))
    }

    /// A record whose headers are broken: its length is unknown, so read on to the next
    /// line that starts a record.
    fn skip_bad(&mut self, number: usize, start: u64, reason: impl Into<String>) -> Item {
        match self.next_version_line(true) {
            Ok(Some(found)) => self.pending = Some(found),
            Ok(None) | Err(_) => self.done = true,
        }
        self.malformed(number, start, reason)
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        self.read_record()
    }
}

/// What one record is to prov.
#[derive(Debug)]
pub enum Verdict {
    /// An HTML response: bytes and facts ready to capture.
    Page(Box<Page>),
    /// Not something prov captures; the reason names the kind (`revisit`, `not HTML`...).
    Skipped(String),
    /// Over the size limit (the block's or the decoded payload's length).
    TooLarge,
    Malformed(String),
}

/// An HTML response read from a WARC record.
#[derive(Debug)]
pub struct Page {
    pub url: String,
    pub captured_at: jiff::Timestamp,
    pub fetched: Fetched,
}

/// Judge one record: an HTML response with a 2xx status becomes a [`Page`].
pub fn judge(record: &Record, file: &str, file_name: &str, limit: u64) -> Verdict {
    let kind = record.kind();
    if kind != "response" {
        return Verdict::Skipped(if kind.is_empty() {
            "without WARC-Type".into()
        } else {
            kind
        });
    }
    let bytes = match &record.block {
        Block::Bytes(b) => b,
        Block::TooLarge(_) => return Verdict::TooLarge,
    };
    let Some(url) = record.header("WARC-Target-URI") else {
        return Verdict::Malformed("it has no WARC-Target-URI".into());
    };
    let url = url
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    let Some(date) = record.header("WARC-Date") else {
        return Verdict::Malformed("it has no WARC-Date".into());
    };
    let Ok(captured_at) = date.trim().parse::<jiff::Timestamp>() else {
        return Verdict::Malformed(format!("its WARC-Date {date:?} is not a time"));
    };
    let captured_at = prov_model::time::truncate(captured_at);
    let Some(record_id) = record.header("WARC-Record-ID") else {
        return Verdict::Malformed("it has no WARC-Record-ID".into());
    };
    let block_type = record
        .header("Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !block_type.is_empty() && !block_type.starts_with("application/http") {
        return Verdict::Skipped("not HTTP".into());
    }
    let response = match parse_http(bytes, limit) {
        Ok(r) => r,
        Err(HttpError::TooLarge) => return Verdict::TooLarge,
        Err(HttpError::Bad(reason)) => return Verdict::Malformed(reason),
    };
    let html = response
        .facts
        .content_type
        .as_deref()
        .map(str::to_ascii_lowercase)
        .is_some_and(|t| t.contains("text/html") || t.contains("application/xhtml"));
    if !html {
        return Verdict::Skipped("not HTML".into());
    }
    if !(200..300).contains(&response.facts.status) {
        return Verdict::Skipped(format!("status {}", response.facts.status));
    }
    Verdict::Page(Box::new(Page {
        url: url.clone(),
        captured_at,
        fetched: Fetched {
            source: file.to_string(),
            bytes: response.body,
            file_name: None,
            url: Some(url),
            final_url: None,
            http: Some(response.facts),
            warc: Some(WarcFacts {
                file: file_name.to_string(),
                record_id: record_id.to_string(),
                date: date.to_string(),
            }),
            memento: None,
        },
    }))
}

#[derive(Debug)]
enum HttpError {
    TooLarge,
    Bad(String),
}

struct HttpResponse {
    facts: HttpFacts,
    body: Vec<u8>,
}

/// Parse an HTTP response block: status line, headers, body (dechunked and decoded, at most `limit` bytes).
fn parse_http(block: &[u8], limit: u64) -> Result<HttpResponse, HttpError> {
    let bad = |s: &str| HttpError::Bad(s.to_string());
    let end = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))
        .ok_or_else(|| bad("its HTTP block has no end of headers"))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or("");
    if !version.starts_with("HTTP/") {
        return Err(HttpError::Bad(format!(
            "its HTTP block does not start with a status line ({:?})",
            status_line.chars().take(40).collect::<String>()
        )));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| bad("its HTTP status is not a number"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body: Vec<u8> = block[end.1..].to_vec();
    if get("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        body = dechunk(&body).ok_or_else(|| bad("its chunked body is broken"))?;
    }
    let encoding = get("content-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = match encoding.as_str() {
        "" | "identity" => body,
        "gzip" | "x-gzip" => bounded(flate2::read::MultiGzDecoder::new(&body[..]), limit)?,
        "deflate" => bounded(super::http::Deflate::new(&body[..]), limit)?,
        other => {
            return Err(HttpError::Bad(format!(
                "its payload is encoded with {other:?}, which prov cannot decode"
            )));
        }
    };
    if body.len() as u64 > limit {
        return Err(HttpError::TooLarge);
    }
    let facts = HttpFacts {
        status,
        date: get("date"),
        last_modified: get("last-modified"),
        etag: get("etag"),
        content_type: get("content-type"),
        redirects: Vec::new(),
    };
    Ok(HttpResponse { facts, body })
}

/// Inflate at most `limit + 1` bytes.
fn bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, HttpError> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| HttpError::Bad(format!("its compressed payload is broken ({e})")))?;
    if out.len() as u64 > limit {
        return Err(HttpError::TooLarge);
    }
    Ok(out)
}

/// Undo `Transfer-Encoding: chunked`; `None` when the chunks do not add up.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(data, b"\n")?;
        let line = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = line.trim().split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        data = &data[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        let chunk = data.get(..size)?;
        out.extend_from_slice(chunk);
        data = &data[size..];
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: http://www.example.org/a\r\n\
             WARC-Date: 2018-05-04T10:12:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn items(bytes: &[u8]) -> Vec<Item> {
        Reader::new(bytes, 1000).collect()
    }

    #[test]
    fn records_are_read_and_a_bad_one_skipped() {
        let mut file = record("response", b"HTTP/1.1 200 OK\r\n\r\nhello");
        file.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\n\r\ngarbage\r\n\r\n");
        file.extend(record("request", b"GET / HTTP/1.1\r\n\r\n"));
        let items = items(&file);
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], Item::Record(r) if r.number == 1));
        assert!(matches!(&items[1], Item::Malformed { number: 2, .. }));
        assert!(matches!(&items[2], Item::Record(r) if r.kind() == "request"));
    }

    #[test]
    fn a_truncated_record_ends_the_file() {
        let file = record("response", b"HTTP/1.1 200 OK\r\n\r\nhello");
        let items = items(&file[..file.len() - 8]);
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], Item::Malformed { number: 1, .. }));
        for cut in 0..file.len() {
            let _ = Reader::new(&file[..cut], 1000).count();
        }
    }

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(),
            Some(&b"abcde"[..])
        );
        assert_eq!(dechunk(b"9\r\nabc"), None);
        assert_eq!(dechunk(b"zz\r\n"), None);
    }

    #[test]
    fn big_blocks_and_bombs_are_bounded() {
        let big = record("response", &[b'x'; 2000]);
        let found = items(&big);
        assert!(matches!(&found[0], Item::Record(r) if matches!(r.block, Block::TooLarge(_))));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &[b'a'; 100_000]).unwrap();
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        block.extend(gz.finish().unwrap());
        let items = items(&record("response", &block));
        let Item::Record(r) = &items[0] else {
            panic!("a record")
        };
        assert!(matches!(
            judge(r, "f.warc", "f.warc", 1000),
            Verdict::TooLarge
        ));
    }

    proptest::proptest! {
        #![proptest_config(prov_testing::proptest_config(256))]
        #[test]
        fn no_input_makes_the_reader_panic(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            at in 0usize..400,
        ) {
            // Arbitrary bytes, and a good record with arbitrary bytes spliced in.
            let _ = Reader::new(&bytes[..], 1000).count();
            let mut file = record("response", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            let at = at.min(file.len());
            file.splice(at..at, bytes.iter().copied());
            for item in Reader::new(&file[..], 1000) {
                if let Item::Record(r) = item {
                    let _ = judge(&r, "f.warc", "f.warc", 1000);
                }
            }
            let _ = parse_http(&bytes, 1000);
            let _ = dechunk(&bytes);
        }
    }
}
