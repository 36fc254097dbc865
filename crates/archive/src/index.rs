//! The capture index: what listing and reference commands need of every capture, derived
//! from HEAD and kept under `.git/prov/` (never committed) so that they need not read every
//! meta.json on every run.
//!
//! The file names the commit and the `snapshots` tree it was built from; a reader uses it
//! only when that commit is HEAD, else brings it up to date (re-reading only the meta.json
//! files a tree diff names, and only the commits added since) or rebuilds it. A file that is
//! missing, of another format version, or whose block table fails its checksum is rebuilt.
//!
//! Format (hand-written, see below for why): a header of four lines, a block table, then
//! three sections of lines: one line per capture (tab-separated escaped fields) grouped by
//! article, in capture order within an article; one per capture id naming its article, in
//! id order; one per `Prov-Capture` trailer whose capture HEAD no longer holds. Each section
//! is cut into blocks of about 32 KB of whole lines; the table gives each block's place,
//! CRC-32 and first key. The file is mapped, the table checked when it is opened and a block
//! when it is read, so `log ARTICLE`, `show` and `diff` read a few blocks (kilobytes) where
//! format 1 read, checked and searched the whole file (44 MB at 100,000 captures). A
//! damaged block found by a reader has the index rebuilt (`refs::Indexed`).
//!
//! Lines rather than serde: weighed by `examples/index_formats.rs` on 100,000 entries (a
//! loaded 2-core machine), decoding all took 742 ms as lines, 863 ms as serde_json, 1,298 ms
//! as CBOR, and the lines are the smallest (42 MB against 64 and 57).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

use super::mapped::{Bytes, write_atomically};
use super::{Capture, FileFacts, Kind, Meta};

/// Raised when the format changes; an index of another version is rebuilt.
pub const FORMAT: u32 = 3;
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
    /// That commit's place in the order of record (see [`super::git::Git::record_order`]):
    /// captures of one time are listed in it, the same in every clone.
    pub record: Option<u64>,
}

impl Entry {
    pub fn from_meta(meta: &Meta, commit: Option<(String, u64)>) -> Entry {
        let (commit, record) = commit.unzip();
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
            record,
        }
    }

    /// Where the entry stands among captures: by capture time, then in the order of record
    /// (a capture no commit is known to have added last), then by id.
    pub fn order_key(&self) -> (&str, u64, &str) {
        (
            &self.captured_at,
            self.record.unwrap_or(u64::MAX),
            &self.capture,
        )
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

    /// The entry's line (without its newline): tab-separated escaped fields.
    fn encode(&self, out: &mut String) {
        let kind = match self.kind {
            Kind::Page => "page",
            Kind::Gone => "gone",
            Kind::Moved => "moved",
        };
        let fields: [Field<'_>; 18] = [
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
            Field::R(self.record),
        ];
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            match f {
                Field::S(s) => escape(s, out),
                Field::O(None) => out.push('-'),
                Field::O(Some(s)) => {
                    out.push('+');
                    escape(s, out);
                }
                Field::N(n) => out.push_str(&n.to_string()),
                Field::R(None) => out.push('-'),
                Field::R(Some(n)) => out.push_str(&n.to_string()),
            }
        }
    }

    /// One entry line without its newline; `None` if it is not one this version wrote.
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
        let record = match s()?.as_str() {
            "-" => None,
            n => Some(n.parse().ok()?),
        };
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
            record,
        })
    }
}

enum Field<'a> {
    S(&'a str),
    O(Option<&'a str>),
    N(u64),
    /// A place in the order of record, `-` for none.
    R(Option<u64>),
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

/// A field's text, borrowed unless it holds an escape.
fn field(b: &[u8]) -> Option<Cow<'_, str>> {
    if b.contains(&b'\\') {
        unescape(b).map(Cow::Owned)
    } else {
        std::str::from_utf8(b).ok().map(Cow::Borrowed)
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

/// The file's sections, each a run of blocks of whole lines in key order (a line's key is
/// its first field): entries grouped by article, capture ids, orphan trailers.
const ENTRIES: u8 = b'e';
const IDS: u8 = b'i';
const ORPHANS: u8 = b'o';
/// A block is closed at the first line end past this many bytes, so that a lookup reads
/// and checks a block or two (tens of kilobytes) whatever the size of the archive.
const BLOCK: usize = 32 * 1024;

/// One block of a section: where its lines are in the data, their CRC-32, and the key of
/// its first line (escaped, as written).
#[derive(Debug)]
struct Block {
    start: usize,
    end: usize,
    crc: u32,
    first: Vec<u8>,
    /// Whether its lines were checked against `crc`: [`UNCHECKED`], [`GOOD`] or [`BAD`].
    /// Each block is checked once per load, however many lookups read it.
    checked: AtomicU8,
}

const UNCHECKED: u8 = 0;
const GOOD: u8 = 1;
const BAD: u8 = 2;

/// A loaded index: the file's bytes (mapped), decoded on demand. The block table is
/// checked when the file is opened, a block the first time it is read.
#[derive(Debug)]
pub struct Index {
    /// The commit and `snapshots` tree (hex; `-` for none) it describes.
    pub head: String,
    pub tree: String,
    /// How many commits the order of record of `head` holds: the place of the next commit.
    pub commits: u64,
    bytes: Bytes,
    /// Where the data (the blocks) start in `bytes`.
    data: usize,
    entries: Vec<Block>,
    ids: Vec<Block>,
    orphans: Vec<Block>,
}

/// Lines appended to the data, each section cut into blocks.
#[derive(Default)]
struct Writer {
    data: Vec<u8>,
    /// Closed blocks of each section, in the order [`ENTRIES`], [`IDS`], [`ORPHANS`]: the
    /// order sections are written in.
    blocks: [Vec<Block>; 3],
    open: Option<(usize, Block)>,
}

fn section_index(section: u8) -> usize {
    match section {
        ENTRIES => 0,
        IDS => 1,
        _ => 2,
    }
}

impl Writer {
    /// Append `line` (without its newline) to `section`.
    fn line(&mut self, section: u8, line: &[u8]) {
        let at = section_index(section);
        if self
            .open
            .as_ref()
            .is_some_and(|(s, b)| *s != at || b.end - b.start >= BLOCK)
        {
            self.close();
        }
        let start = self.data.len();
        self.data.extend_from_slice(line);
        self.data.push(b'\n');
        let end = self.data.len();
        let (_, block) = self.open.get_or_insert_with(|| {
            let block = Block {
                start,
                end,
                crc: 0,
                first: key_of(line).to_vec(),
                checked: AtomicU8::new(GOOD),
            };
            (at, block)
        });
        block.end = end;
    }

    fn close(&mut self) {
        if let Some((at, mut b)) = self.open.take() {
            b.crc = crc32fast::hash(&self.data[b.start..b.end]);
            self.blocks[at].push(b);
        }
    }

    /// The whole file (header, block table, data) and the index over it.
    fn finish(mut self, head: &str, tree: &str, commits: u64) -> Index {
        self.close();
        let mut table = String::new();
        for (section, blocks) in [ENTRIES, IDS, ORPHANS].iter().zip(&self.blocks) {
            for b in blocks {
                table.push_str(&format!(
                    "{}\t{}\t{}\t{:08x}\t{}\n",
                    char::from(*section),
                    b.start,
                    b.end,
                    b.crc,
                    String::from_utf8_lossy(&b.first)
                ));
            }
        }
        let crc = crc32fast::hash(table.as_bytes());
        let mut bytes = format!(
            "{MAGIC} {FORMAT}\nhead {head}\ntree {tree}\ncommits {commits}\ntable {} {crc:08x}\n",
            table.len()
        )
        .into_bytes();
        bytes.extend_from_slice(table.as_bytes());
        let data = bytes.len();
        bytes.extend_from_slice(&self.data);
        let [entries, ids, orphans] = self.blocks;
        Index {
            head: head.to_string(),
            tree: tree.to_string(),
            commits,
            bytes: Bytes::Owned(bytes),
            data,
            entries,
            ids,
            orphans,
        }
    }
}

/// The next line of `all` from `*pos` (without its newline), moving `*pos` past it.
fn next_line<'a>(all: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    let rest = all.get(*pos..)?;
    let end = memchr::memchr(b'\n', rest)?;
    *pos += end + 1;
    Some(&rest[..end])
}

/// Lines in a section's order: by key, then by the whole line (a key may hold bytes that
/// sort below the tab that ends it).
fn by_key(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    key_of(a).cmp(key_of(b)).then_with(|| a.cmp(b))
}

/// A line's key: its first field.
fn key_of(line: &[u8]) -> &[u8] {
    &line[..memchr::memchr(b'\t', line).unwrap_or(line.len())]
}

impl Index {
    /// The index of a branch without commits.
    pub fn empty() -> Index {
        Index::build("-", "-", 0, &[], &BTreeMap::new())
    }

    /// Make an index of `entries` (in capture order) and the trailers of captures HEAD lacks:
    /// every article's lines written into an index of none, as [`Index::updated`] writes the
    /// articles it changes, so the two make the same bytes by construction.
    pub fn build(
        head: &str,
        tree: &str,
        commits: u64,
        entries: &[Entry],
        orphans: &Orphans,
    ) -> Index {
        let mut articles: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for e in entries {
            articles
                .entry(e.article.clone())
                .or_default()
                .push(e.clone());
        }
        Index::write(head, tree, commits, &[], &[], &articles, orphans)
    }

    /// An index read from disk; `None` if it is of another version, or its header or block
    /// table is damaged or does not account for the whole file (a truncated file).
    pub fn parse(data: Vec<u8>) -> Option<Index> {
        Index::from_bytes(Bytes::Owned(data))
    }

    /// [`Index::parse`] of a file's bytes, mapped or read.
    pub(crate) fn from_bytes(bytes: Bytes) -> Option<Index> {
        let all = bytes.as_ref();
        let mut pos = 0;
        if next_line(all, &mut pos)? != format!("{MAGIC} {FORMAT}").as_bytes() {
            return None;
        }
        let mut header = |key: &str| -> Option<String> {
            let s = std::str::from_utf8(next_line(all, &mut pos)?).ok()?;
            s.strip_prefix(key)?.strip_prefix(' ').map(str::to_string)
        };
        let head = header("head")?;
        let tree = header("tree")?;
        let commits = header("commits")?.parse().ok()?;
        let table = header("table")?;
        let (len, crc) = table.split_once(' ')?;
        let len: usize = len.parse().ok()?;
        let table = all.get(pos..pos.checked_add(len)?)?;
        if u32::from_str_radix(crc, 16).ok()? != crc32fast::hash(table) {
            return None;
        }
        let data = pos + len;
        let size = all.len() - data;
        let (mut entries, mut ids, mut orphans) = (Vec::new(), Vec::new(), Vec::new());
        let mut at = 0;
        let mut tpos = 0;
        while tpos < table.len() {
            let line = std::str::from_utf8(next_line(table, &mut tpos)?).ok()?;
            let mut f = line.split('\t');
            let section = f.next()?;
            let start: usize = f.next()?.parse().ok()?;
            let end: usize = f.next()?.parse().ok()?;
            let crc = u32::from_str_radix(f.next()?, 16).ok()?;
            let first = f.next()?.as_bytes().to_vec();
            // Blocks cover the data in order, without gaps.
            if start != at || end < start || end > size || f.next().is_some() {
                return None;
            }
            at = end;
            let block = Block {
                start,
                end,
                crc,
                first,
                checked: AtomicU8::new(UNCHECKED),
            };
            match section.as_bytes() {
                [ENTRIES] => entries.push(block),
                [IDS] => ids.push(block),
                [ORPHANS] => orphans.push(block),
                _ => return None,
            }
        }
        if at != size {
            return None;
        }
        Some(Index {
            head,
            tree,
            commits,
            bytes,
            data,
            entries,
            ids,
            orphans,
        })
    }

    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// A block's lines, if its checksum holds.
    fn block(&self, b: &Block) -> Option<&[u8]> {
        let lines = self
            .bytes
            .as_ref()
            .get(self.data + b.start..self.data + b.end)?;
        let state = match b.checked.load(Ordering::Relaxed) {
            UNCHECKED => {
                let state = if crc32fast::hash(lines) == b.crc {
                    GOOD
                } else {
                    BAD
                };
                b.checked.store(state, Ordering::Relaxed);
                state
            }
            known => known,
        };
        (state == GOOD).then_some(lines)
    }

    /// Every line of a section, in order; `None` if a block is damaged.
    fn all_lines(&self, blocks: &[Block]) -> Option<Vec<&[u8]>> {
        let mut out = Vec::new();
        for b in blocks {
            let lines = self.block(b)?;
            out.extend(lines.split(|&c| c == b'\n').filter(|l| !l.is_empty()));
        }
        Some(out)
    }

    /// Visit a section's lines in key order from the first whose key is not below `from`,
    /// while `visit(key, line)` says go on; `None` if a block read is damaged.
    fn scan_from(
        &self,
        blocks: &[Block],
        from: &[u8],
        mut visit: impl FnMut(&[u8], &[u8]) -> bool,
    ) -> Option<()> {
        // The lines sought may begin in the last block that starts below `from`.
        let first = blocks
            .partition_point(|b| b.first.as_slice() < from)
            .saturating_sub(1);
        for b in &blocks[first..] {
            for line in self.block(b)?.split(|&c| c == b'\n') {
                if line.is_empty() {
                    continue;
                }
                let key = key_of(line);
                if key < from {
                    continue;
                }
                if !visit(key, line) {
                    return Some(());
                }
            }
        }
        Some(())
    }

    /// Every capture, in capture order.
    pub fn entries(&self) -> Option<Vec<Entry>> {
        // The file groups entries by article: its lines are put in capture order by their
        // time, record and id fields, then decoded in that order. Sorting decoded entries
        // moved 400 MB about at 100,000 and left them scattered in memory for what follows.
        let mut lines = self
            .all_lines(&self.entries)?
            .into_iter()
            .map(|line| {
                // Fields: article, copy, capture, kind, captured_at, ..., record (the last).
                let mut f = line.split(|&b| b == b'\t');
                let capture = field(f.nth(2)?)?;
                let at = field(f.nth(1)?)?;
                let record = match f.next_back()? {
                    b"-" => u64::MAX,
                    n => std::str::from_utf8(n).ok()?.parse().ok()?,
                };
                Some(((at, record, capture), line))
            })
            .collect::<Option<Vec<_>>>()?;
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        lines.into_iter().map(|(_, l)| Entry::decode(l)).collect()
    }

    /// `Prov-Capture` trailers of captures HEAD does not hold: capture id → commit and its
    /// place in the order of record.
    pub fn orphans(&self) -> Option<Orphans> {
        self.all_lines(&self.orphans)?
            .into_iter()
            .map(|l| {
                let mut f = l.split(|&b| b == b'\t');
                let capture = unescape(f.next()?)?;
                let commit = unescape(f.next()?)?;
                let record = std::str::from_utf8(f.next()?).ok()?.parse().ok()?;
                f.next().is_none().then_some((capture, (commit, record)))
            })
            .collect()
    }

    /// One article's captures, in capture order: its lines are together, found through
    /// the block table.
    pub fn article(&self, article: &str) -> Option<Vec<Entry>> {
        self.with_key(&self.entries, article, Entry::decode)
    }

    /// Every line of a section whose key is `key` (unescaped), decoded by `decode`; `None`
    /// if a block is damaged or a line does not decode.
    fn with_key<T>(
        &self,
        blocks: &[Block],
        key: &str,
        decode: impl Fn(&[u8]) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut escaped = String::new();
        escape(key, &mut escaped);
        let mut out = Vec::new();
        let mut whole = true;
        self.scan_from(blocks, escaped.as_bytes(), |k, line| {
            if k != escaped.as_bytes() {
                return false;
            }
            match decode(line) {
                Some(v) => out.push(v),
                None => whole = false,
            }
            whole
        })?;
        whole.then_some(out)
    }

    /// Every article's name, sorted (each once): the keys of the entries section. Reads
    /// every block; for a name that is not an article's exactly (prefixes, suggestions).
    pub fn article_names(&self) -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut last: &[u8] = &[];
        for line in self.all_lines(&self.entries)? {
            let key = key_of(line);
            if key != last {
                out.push(unescape(key)?);
                last = key;
            }
        }
        out.dedup();
        Some(out)
    }

    /// The captures whose id starts with `prefix`, in capture order: the ids section names
    /// each one's article, whose lines hold the entry.
    pub fn with_id_prefix(&self, prefix: &str) -> Option<Vec<Entry>> {
        let mut key = String::new();
        escape(prefix, &mut key);
        let mut by_article: BTreeMap<Vec<u8>, Vec<Vec<u8>>> = BTreeMap::new();
        self.scan_from(&self.ids, key.as_bytes(), |k, line| {
            if !k.starts_with(key.as_bytes()) {
                return false;
            }
            let article = line.get(k.len() + 1..).unwrap_or_default();
            by_article
                .entry(article.to_vec())
                .or_default()
                .push(k.to_vec());
            true
        })?;
        let mut out = Vec::new();
        for (article, ids) in by_article {
            let ids: Vec<String> = ids.iter().map(|i| unescape(i)).collect::<Option<_>>()?;
            let entries = self.article(&unescape(&article)?)?;
            out.extend(entries.into_iter().filter(|e| ids.contains(&e.capture)));
        }
        sort_entries(&mut out);
        Some(out)
    }

    /// The articles holding a capture of exactly this id (one, unless folders were copied
    /// by hand); `None` if a block is damaged.
    pub fn articles_with_id(&self, capture: &str) -> Option<Vec<String>> {
        self.with_key(&self.ids, capture, |line| {
            unescape(line.get(key_of(line).len() + 1..).unwrap_or_default())
        })
    }

    /// This index with the entries of some articles replaced (`articles`: each one's entries
    /// now, in capture order; none when it has no capture left) and the orphan trailers now,
    /// describing `head` and `tree`: byte for byte what [`Index::build`] makes of the whole,
    /// but the other articles' lines are copied as they are, never decoded. `None` if a block
    /// of this index is damaged.
    pub fn updated(
        &self,
        head: &str,
        tree: &str,
        commits: u64,
        articles: &BTreeMap<String, Vec<Entry>>,
        orphans: &Orphans,
    ) -> Option<Index> {
        let entries = self.all_lines(&self.entries)?;
        let ids = self.all_lines(&self.ids)?;
        Some(Index::write(
            head, tree, commits, &entries, &ids, articles, orphans,
        ))
    }

    /// An index of `old_entries` and `old_ids` (lines of an index, in its order) with the
    /// lines of `articles` put in their place instead of any they had, and `orphans`.
    fn write(
        head: &str,
        tree: &str,
        commits: u64,
        old_entries: &[&[u8]],
        old_ids: &[&[u8]],
        articles: &BTreeMap<String, Vec<Entry>>,
        orphans: &Orphans,
    ) -> Index {
        // The affected articles' lines and ids, keyed as the file sorts them.
        let mut lines: Vec<(String, String)> = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        for (article, entries) in articles {
            let mut key = String::new();
            escape(article, &mut key);
            for e in entries {
                let mut line = String::with_capacity(400);
                e.encode(&mut line);
                lines.push((key.clone(), line));
                let mut id = String::new();
                escape(&e.capture, &mut id);
                id.push('\t');
                id.push_str(&key);
                ids.push(id);
            }
            keys.push(key.into_bytes());
        }
        // Stable: each article's entries stay in capture order.
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        keys.sort();
        ids.sort_by(|a, b| by_key(a.as_bytes(), b.as_bytes()));
        let affected =
            |article: &[u8]| keys.binary_search_by(|k| k.as_slice().cmp(article)).is_ok();

        let old_len: usize = old_entries.iter().chain(old_ids).map(|l| l.len() + 1).sum();
        let mut w = Writer {
            data: Vec::with_capacity(old_len + lines.len() * 450),
            ..Writer::default()
        };
        let mut fresh = lines.iter().peekable();
        for &line in old_entries {
            let key = key_of(line);
            if affected(key) {
                continue;
            }
            while let Some((_, l)) = fresh.next_if(|(k, _)| k.as_bytes() < key) {
                w.line(ENTRIES, l.as_bytes());
            }
            w.line(ENTRIES, line);
        }
        for (_, l) in fresh {
            w.line(ENTRIES, l.as_bytes());
        }
        let mut fresh = ids.iter().peekable();
        let mut last: Option<Vec<u8>> = None;
        let mut id_line = |w: &mut Writer, line: &[u8]| {
            if last.as_deref() != Some(line) {
                w.line(IDS, line);
                last = Some(line.to_vec());
            }
        };
        for &line in old_ids {
            let id = key_of(line);
            let article = line.get(id.len() + 1..).unwrap_or_default();
            if affected(article) {
                continue;
            }
            while let Some(l) = fresh.next_if(|l| by_key(l.as_bytes(), line).is_lt()) {
                id_line(&mut w, l.as_bytes());
            }
            id_line(&mut w, line);
        }
        for l in fresh {
            id_line(&mut w, l.as_bytes());
        }
        for (capture, (commit, record)) in orphans {
            let mut line = String::new();
            escape(capture, &mut line);
            line.push('\t');
            escape(commit, &mut line);
            line.push_str(&format!("\t{record}"));
            w.line(ORPHANS, line.as_bytes());
        }
        w.finish(head, tree, commits)
    }

    /// Write the index atomically (a temporary file renamed); derived data, so a failure
    /// costs the next reader time, not correctness.
    pub fn save(&self, path: &Path) {
        write_atomically(path, self.bytes.as_ref());
    }
}

/// Order entries as [`super::Archive::captures`] orders captures: by capture time, then in
/// the order of record.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
}

/// `Prov-Capture` trailers whose capture HEAD does not hold: capture id → (commit, its place
/// in the order of record).
pub type Orphans = BTreeMap<String, (String, u64)>;

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
            record: None,
        }
    }

    #[test]
    fn entries_round_trip_and_articles_are_found_alone() {
        let mut gone = entry("b", "2-bbbb", "2020-01-02T00:00:00Z");
        gone.kind = Kind::Gone;
        gone.text = None;
        gone.commit = Some("12".repeat(20));
        gone.record = Some(7);
        let entries = vec![
            entry("a", "1-aaaa", "2020-01-01T00:00:00Z"),
            gone,
            entry("ab", "3-abab", "2020-01-03T00:00:00Z"),
            entry("a", "4-aaaa", "2020-01-04T00:00:00Z"),
        ];
        let orphans = BTreeMap::from([("9-x".to_string(), ("34".repeat(20), 9))]);
        let built = Index::build("h", "t", 10, &entries, &orphans);
        let index = Index::parse(built.bytes().to_vec()).unwrap();
        assert_eq!((index.head.as_str(), index.tree.as_str()), ("h", "t"));
        assert_eq!(index.commits, 10);
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
        let built = Index::build("h", "t", 10, &[entry("a", "1", "x")], &BTreeMap::new());
        let bytes = built.bytes().to_vec();
        assert!(Index::parse(bytes.clone()).is_some());
        let table = bytes.windows(7).position(|w| w == b"\ntable ").unwrap() + 1;
        let table_end = table + bytes[table..].iter().position(|&b| b == b'\n').unwrap() + 2;
        let mut flipped = bytes.clone();
        flipped[table_end + 1] ^= 1;
        assert!(
            Index::parse(flipped).is_none(),
            "a flipped bit in the table"
        );
        let mut flipped = bytes.clone();
        let n = bytes.len() - 10;
        flipped[n] ^= 1;
        let index = Index::parse(flipped).unwrap();
        assert!(index.entries().is_none(), "a flipped bit in a block");
        assert!(index.with_id_prefix("1").is_none());
        let short = bytes[..bytes.len() - 3].to_vec();
        assert!(Index::parse(short).is_none(), "a truncated file");
        let mut long = bytes.clone();
        long.push(b'\n');
        assert!(
            Index::parse(long).is_none(),
            "bytes the table does not account for"
        );
        let other =
            String::from_utf8(bytes)
                .unwrap()
                .replacen(&format!("index {FORMAT}"), "index 999", 1);
        assert!(
            Index::parse(other.into_bytes()).is_none(),
            "another version"
        );
        assert!(Index::parse(b"garbage".to_vec()).is_none());
    }

    /// An update that replaces some articles' entries (changed, added, emptied, new
    /// articles) makes byte for byte the file a full build of the result makes.
    #[test]
    fn an_update_is_a_full_build_of_the_result() {
        let entries: Vec<Entry> = (0..2000)
            .map(|i| {
                let article = format!("story-{:03}", (i * 7919) % 211);
                entry(&article, &format!("{i:05}-c"), &format!("2020-{i:05}"))
            })
            .collect();
        let old = Index::build("h", "t", 10, &entries, &BTreeMap::new());
        let mut articles: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for name in [
            "story-000",
            "story-105",
            "story-210",
            "story-500",
            "a-new-first",
        ] {
            articles.insert(name.to_string(), vec![]);
        }
        let mut now: Vec<Entry> = entries
            .iter()
            .filter(|e| e.article != "story-105" && e.article != "story-210")
            .cloned()
            .map(|mut e| {
                if e.article == "story-000" {
                    e.commit = Some("ab".repeat(20));
                }
                e
            })
            .collect();
        for (i, article) in [
            (5000, "story-000"),
            (5001, "story-500"),
            (5002, "a-new-first"),
        ] {
            now.push(entry(article, &format!("{i}-n"), &format!("2021-{i}")));
        }
        sort_entries(&mut now);
        for e in &now {
            if let Some(list) = articles.get_mut(&e.article) {
                list.push(e.clone());
            }
        }
        let orphans = BTreeMap::from([("00105-c".to_string(), ("cd".repeat(20), 3))]);
        let updated = old.updated("h2", "t2", 12, &articles, &orphans).unwrap();
        let full = Index::build("h2", "t2", 12, &now, &orphans);
        assert_eq!(updated.bytes(), full.bytes());
        assert_eq!(updated.entries().unwrap(), now);
        assert!(updated.article("story-105").unwrap().is_empty());
        assert_eq!(updated.with_id_prefix("5002").unwrap().len(), 1);
        // Nothing affected: the same lines under the new head.
        let same = old
            .updated("h", "t", 10, &BTreeMap::new(), &BTreeMap::new())
            .unwrap();
        assert_eq!(same.bytes(), old.bytes());
    }

    /// Thousands of entries over hundreds of blocks: every article and id prefix is found
    /// whole, wherever its lines fall against block ends.
    #[test]
    fn lookups_across_many_blocks_find_what_a_full_read_finds() {
        let entries: Vec<Entry> = (0..3000)
            .map(|i| {
                let article = format!("story-{:03}", (i * 7919) % 301);
                let mut e = entry(&article, &format!("{i:05}-c"), &format!("2020-{i:05}"));
                e.url = Some(format!("https://example.com/{}", "x".repeat(i % 500)));
                e
            })
            .collect();
        let built = Index::build("h", "t", 10, &entries, &BTreeMap::new());
        let index = Index::parse(built.bytes().to_vec()).unwrap();
        assert!(index.entries.len() > 20, "{} blocks", index.entries.len());
        assert_eq!(index.entries().unwrap(), entries);
        for a in 0..302 {
            let name = format!("story-{a:03}");
            let want: Vec<Entry> = entries
                .iter()
                .filter(|e| e.article == name)
                .cloned()
                .collect();
            assert_eq!(index.article(&name).unwrap(), want, "{name}");
        }
        for prefix in [
            "0", "01", "012", "0123", "01234-c", "02999", "1", "2999", "", "z",
        ] {
            let want: Vec<Entry> = entries
                .iter()
                .filter(|e| e.capture.starts_with(prefix))
                .cloned()
                .collect();
            assert_eq!(index.with_id_prefix(prefix).unwrap(), want, "{prefix:?}");
        }
    }
}
