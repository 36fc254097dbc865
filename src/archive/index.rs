//! The capture index: what listing and reference commands need of every capture, derived
//! from HEAD and kept under `.git/prov/` (never committed) so that they need not read every
//! meta.json on every run.
//!
//! The file names the commit and the `snapshots` tree it was built from; a reader uses it
//! only when that commit is HEAD, else brings it up to date (re-reading only the meta.json
//! files a tree diff names, and only the commits added since) or rebuilds it. A file that is
//! missing, of another format version, or whose checksum fails is rebuilt.
//!
//! Format (hand-written, see below for why): a header of four lines, then one line per
//! capture in capture order (`e`, tab-separated escaped fields) and one per `Prov-Capture`
//! trailer whose capture HEAD no longer holds (`o`). Weighed by `examples/index_formats.rs`
//! on 100,000 entries (a loaded 2-core machine): decoding all took 742 ms as lines, 863 ms as
//! serde_json, 1,298 ms as CBOR, and the lines are the smallest (42 MB against 64 and 57);
//! what decides it is that one article's lines are found by a byte search (7.5 ms) without
//! decoding the rest, which `log ARTICLE`, `show` and `diff` need.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Capture, FileFacts, Kind, Meta};

/// Raised when the format changes; an index of another version is rebuilt.
pub const FORMAT: u32 = 1;
pub const FILE_NAME: &str = "captures.idx";
const MAGIC: &str = "prov capture index";

/// What commands need of one capture, without its page metadata and stripped noise.
/// (Serde only for `examples/index_formats.rs`, which weighs this file's format against it.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub article: String,
    pub copy: String,
    pub capture: String,
    pub kind: Kind,
    pub captured_at: String,
    pub url: Option<String>,
    pub final_url: Option<String>,
    /// The Content-Type the capture was received with.
    pub content_type: Option<String>,
    pub raw: FileFacts,
    pub text: Option<FileFacts>,
    pub normalizer_version: u32,
    pub normalizer_rules_sha256: String,
    /// The commit that added the capture (its `Prov-Capture` trailer), if any.
    pub commit: Option<String>,
}

impl Entry {
    pub fn from_meta(meta: &Meta, commit: Option<String>) -> Entry {
        Entry {
            article: meta.article.clone(),
            copy: meta.copy.clone(),
            capture: meta.capture.clone(),
            kind: meta.kind,
            captured_at: meta.captured_at.clone(),
            url: meta.url.clone(),
            final_url: meta.final_url.clone(),
            content_type: meta.http.as_ref().and_then(|h| h.content_type.clone()),
            raw: meta.raw.clone(),
            text: meta.text.clone(),
            normalizer_version: meta.normalizer.version,
            normalizer_rules_sha256: meta.normalizer.rules_sha256.clone(),
            commit,
        }
    }

    /// `snapshots/<article>/<copy>/<capture>`
    pub fn dir(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            super::SNAPSHOTS,
            self.article,
            self.copy,
            self.capture
        )
    }

    fn encode(&self, out: &mut String) {
        out.push('e');
        let kind = match self.kind {
            Kind::Page => "page",
            Kind::Gone => "gone",
            Kind::Moved => "moved",
        };
        let fields: [Field<'_>; 17] = [
            Field::S(&self.article),
            Field::S(&self.copy),
            Field::S(&self.capture),
            Field::S(kind),
            Field::S(&self.captured_at),
            Field::O(self.url.as_deref()),
            Field::O(self.final_url.as_deref()),
            Field::O(self.content_type.as_deref()),
            Field::S(&self.raw.file),
            Field::S(&self.raw.sha256),
            Field::N(self.raw.size),
            Field::O(self.text.as_ref().map(|t| t.file.as_str())),
            Field::S(self.text.as_ref().map_or("", |t| t.sha256.as_str())),
            Field::N(self.text.as_ref().map_or(0, |t| t.size)),
            Field::N(u64::from(self.normalizer_version)),
            Field::S(&self.normalizer_rules_sha256),
            Field::O(self.commit.as_deref()),
        ];
        for f in fields {
            out.push('\t');
            match f {
                Field::S(s) => escape(s, out),
                Field::O(None) => out.push('-'),
                Field::O(Some(s)) => {
                    out.push('+');
                    escape(s, out);
                }
                Field::N(n) => out.push_str(&n.to_string()),
            }
        }
        out.push('\n');
    }

    /// One `e` line without its `e\t` and newline; `None` if it is not one this version wrote.
    fn decode(line: &[u8]) -> Option<Entry> {
        let mut f = line.split(|&b| b == b'\t');
        let mut s = || f.next().and_then(unescape);
        let article = s()?;
        let copy = s()?;
        let capture = s()?;
        let kind = match s()?.as_str() {
            "page" => Kind::Page,
            "gone" => Kind::Gone,
            "moved" => Kind::Moved,
            _ => return None,
        };
        let captured_at = s()?;
        let opt = |v: String| -> Option<Option<String>> {
            match v.as_bytes().first() {
                Some(b'-') if v.len() == 1 => Some(None),
                Some(b'+') => Some(Some(v[1..].to_string())),
                _ => None,
            }
        };
        let url = opt(s()?)?;
        let final_url = opt(s()?)?;
        let content_type = opt(s()?)?;
        let raw = FileFacts {
            file: s()?,
            sha256: s()?,
            size: s()?.parse().ok()?,
        };
        let text_file = opt(s()?)?;
        let text_sha = s()?;
        let text_size: u64 = s()?.parse().ok()?;
        let normalizer_version = s()?.parse().ok()?;
        let normalizer_rules_sha256 = s()?;
        let commit = opt(s()?)?;
        if s().is_some() {
            return None;
        }
        Some(Entry {
            article,
            copy,
            capture,
            kind,
            captured_at,
            url,
            final_url,
            content_type,
            raw,
            text: text_file.map(|file| FileFacts {
                file,
                sha256: text_sha,
                size: text_size,
            }),
            normalizer_version,
            normalizer_rules_sha256,
            commit,
        })
    }
}

enum Field<'a> {
    S(&'a str),
    O(Option<&'a str>),
    N(u64),
}

fn escape(s: &str, out: &mut String) {
    if !s.contains(['\\', '\t', '\n', '\r']) {
        out.push_str(s);
        return;
    }
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

fn unescape(b: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(b).ok()?;
    if !s.contains('\\') {
        return Some(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            '\\' => '\\',
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            _ => return None,
        });
    }
    Some(out)
}

/// A loaded index: the file's bytes, decoded on demand.
#[derive(Debug, Clone)]
pub struct Index {
    /// The commit and `snapshots` tree (hex; `-` for none) it describes.
    pub head: String,
    pub tree: String,
    data: Vec<u8>,
    /// Where the lines after the header start (just after a newline).
    body: usize,
}

impl Index {
    /// The index of a branch without commits.
    pub fn empty() -> Index {
        Index::build("-", "-", &[], &BTreeMap::new())
    }

    /// Make an index of `entries` (in capture order) and the trailers of captures HEAD lacks.
    pub fn build(
        head: &str,
        tree: &str,
        entries: &[Entry],
        orphans: &BTreeMap<String, String>,
    ) -> Index {
        let mut body = String::with_capacity(entries.len() * 400);
        for e in entries {
            e.encode(&mut body);
        }
        for (capture, commit) in orphans {
            body.push_str("o\t");
            escape(capture, &mut body);
            body.push('\t');
            escape(commit, &mut body);
            body.push('\n');
        }
        let crc = crc32fast::hash(body.as_bytes());
        let header = format!("{MAGIC} {FORMAT}\nhead {head}\ntree {tree}\ncrc {crc:08x}\n");
        let mut data = header.into_bytes();
        let start = data.len();
        data.extend_from_slice(body.as_bytes());
        Index {
            head: head.to_string(),
            tree: tree.to_string(),
            data,
            body: start,
        }
    }

    /// An index read from disk; `None` if it is of another version or damaged.
    pub fn parse(data: Vec<u8>) -> Option<Index> {
        let mut lines = data.splitn(5, |&b| b == b'\n');
        let magic = lines.next()?;
        if magic != format!("{MAGIC} {FORMAT}").as_bytes() {
            return None;
        }
        let field = |line: Option<&[u8]>, key: &str| -> Option<String> {
            let s = std::str::from_utf8(line?).ok()?;
            s.strip_prefix(key)?.strip_prefix(' ').map(str::to_string)
        };
        let head = field(lines.next(), "head")?;
        let tree = field(lines.next(), "tree")?;
        let crc = field(lines.next(), "crc")?;
        let body = lines.next()?;
        let start = data.len() - body.len();
        if u32::from_str_radix(&crc, 16).ok()? != crc32fast::hash(body)
            || !(body.is_empty() || body.ends_with(b"\n"))
        {
            return None;
        }
        Some(Index {
            head,
            tree,
            data,
            body: start,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    fn lines(&self) -> impl Iterator<Item = &[u8]> {
        self.data[self.body..]
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
    }

    /// Every capture, in capture order.
    pub fn entries(&self) -> Option<Vec<Entry>> {
        self.lines()
            .filter_map(|l| l.strip_prefix(b"e\t"))
            .map(Entry::decode)
            .collect()
    }

    /// `Prov-Capture` trailers of captures HEAD does not hold: capture id → commit.
    pub fn orphans(&self) -> Option<BTreeMap<String, String>> {
        self.lines()
            .filter_map(|l| l.strip_prefix(b"o\t"))
            .map(|l| {
                let (c, id) = l.split_at(l.iter().position(|&b| b == b'\t')?);
                Some((unescape(c)?, unescape(&id[1..])?))
            })
            .collect()
    }

    /// One article's captures, in capture order, found by a byte search for its lines.
    pub fn article(&self, article: &str) -> Option<Vec<Entry>> {
        let mut needle = String::from("\ne\t");
        escape(article, &mut needle);
        needle.push('\t');
        // The header ends with a newline, so every entry line is preceded by one.
        let hay = &self.data[self.body - 1..];
        memchr::memmem::find_iter(hay, needle.as_bytes())
            .map(|at| {
                let line = &hay[at + 3..];
                let end = line.iter().position(|&b| b == b'\n').unwrap_or(line.len());
                Entry::decode(&line[..end])
            })
            .collect()
    }

    /// The captures whose id starts with `prefix`, in capture order: a byte search for the
    /// prefix after a tab, kept where that tab opens a line's third field (the capture id).
    pub fn with_id_prefix(&self, prefix: &str) -> Option<Vec<Entry>> {
        let mut needle = String::from("\t");
        escape(prefix, &mut needle);
        let hay = &self.data[self.body - 1..];
        let mut out = Vec::new();
        let mut last_line = usize::MAX;
        for at in memchr::memmem::find_iter(hay, needle.as_bytes()) {
            let start = memchr::memrchr(b'\n', &hay[..at]).map_or(0, |p| p + 1);
            if start == last_line {
                continue;
            }
            let Some(line) = hay[start..].strip_prefix(b"e\t") else {
                continue;
            };
            // The id follows the line's third tab: two (after `e` and the article's) before it.
            if memchr::memchr_iter(b'\t', &hay[start..at]).count() != 2 {
                continue;
            }
            last_line = start;
            let end = memchr::memchr(b'\n', line).unwrap_or(line.len());
            let e = Entry::decode(&line[..end])?;
            if e.capture.starts_with(prefix) {
                out.push(e);
            }
        }
        Some(out)
    }

    /// Write the index atomically (a temporary file renamed); derived data, so a failure
    /// costs the next reader time, not correctness.
    pub fn save(&self, path: &Path) {
        let Some(dir) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = dir.join(format!("{FILE_NAME}.tmp{}", std::process::id()));
        if std::fs::write(&tmp, &self.data).is_ok() && std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Order entries as [`super::Archive::captures`] orders captures.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        (a.captured_at.as_str(), a.capture.as_str()).cmp(&(b.captured_at.as_str(), &b.capture))
    });
}

/// What an entry and a full capture agree on, for code that takes either.
impl From<&Capture> for Entry {
    fn from(c: &Capture) -> Entry {
        Entry::from_meta(&c.meta, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(article: &str, capture: &str, at: &str) -> Entry {
        Entry {
            article: article.into(),
            copy: "example.com".into(),
            capture: capture.into(),
            kind: Kind::Page,
            captured_at: at.into(),
            url: Some("https://example.com/a\tb\\c\nd".into()),
            final_url: None,
            content_type: Some("-".into()),
            raw: FileFacts {
                file: "raw.html".into(),
                sha256: "ab".repeat(32),
                size: 12,
            },
            text: Some(FileFacts {
                file: "text.txt".into(),
                sha256: "cd".repeat(32),
                size: 5,
            }),
            normalizer_version: 3,
            normalizer_rules_sha256: "ef".repeat(32),
            commit: None,
        }
    }

    #[test]
    fn entries_round_trip_and_articles_are_found_alone() {
        let mut gone = entry("b", "2-bbbb", "2020-01-02T00:00:00Z");
        gone.kind = Kind::Gone;
        gone.text = None;
        gone.commit = Some("12".repeat(20));
        let entries = vec![
            entry("a", "1-aaaa", "2020-01-01T00:00:00Z"),
            gone,
            entry("ab", "3-abab", "2020-01-03T00:00:00Z"),
            entry("a", "4-aaaa", "2020-01-04T00:00:00Z"),
        ];
        let orphans = BTreeMap::from([("9-x".to_string(), "34".repeat(20))]);
        let built = Index::build("h", "t", &entries, &orphans);
        let index = Index::parse(built.bytes().to_vec()).unwrap();
        assert_eq!((index.head.as_str(), index.tree.as_str()), ("h", "t"));
        assert_eq!(index.entries().unwrap(), entries);
        assert_eq!(index.orphans().unwrap(), orphans);
        let a = index.article("a").unwrap();
        assert_eq!(a, vec![entries[0].clone(), entries[3].clone()]);
        assert!(index.article("zz").unwrap().is_empty());
        assert_eq!(
            index.with_id_prefix("3-").unwrap(),
            vec![entries[2].clone()]
        );
        assert_eq!(
            index.with_id_prefix("").unwrap(),
            entries,
            "all start with nothing"
        );
        // Text that only other fields start with finds nothing.
        assert!(index.with_id_prefix("2020-").unwrap().is_empty());
        assert!(index.with_id_prefix("example").unwrap().is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_index_is_refused() {
        let built = Index::build("h", "t", &[entry("a", "1", "x")], &BTreeMap::new());
        let mut bytes = built.bytes().to_vec();
        assert!(Index::parse(bytes.clone()).is_some());
        let n = bytes.len() - 10;
        bytes[n] ^= 1;
        assert!(Index::parse(bytes).is_none(), "a flipped bit");
        let short = built.bytes()[..built.bytes().len() - 3].to_vec();
        assert!(Index::parse(short).is_none(), "a truncated file");
        let other = String::from_utf8(built.bytes().to_vec()).unwrap().replacen(
            &format!("index {FORMAT}"),
            "index 999",
            1,
        );
        assert!(
            Index::parse(other.into_bytes()).is_none(),
            "another version"
        );
        assert!(Index::parse(b"garbage".to_vec()).is_none());
    }
}
