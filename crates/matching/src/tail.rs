//! The match index's tail: entries added since the sorted file was last written, as an
//! append-only log, so that adding a capture appends a few hundred bytes instead of
//! rewriting the whole index. Searched linearly, so it is kept short (see [`FOLD`]). Layout:
//!
//! ```text
//! "PROVTAIL" u32:format u64:base_len u32:header_len header   the sorted file it extends
//! records    u32:len payload u32:crc32(payload)
//! payload    u32:shingles PERMS × u16:slots "from\tto\tcapture\tarticle\tcopy"
//! ```
//!
//! The tail belongs to one sorted file: that file's length and header (HEAD, normalizer,
//! recipe) are copied into its own header. Each record names the HEAD it was added at
//! (`from`) and the commit that added it (`to`); the records must chain from the sorted
//! file's HEAD, so a tail from another file, one with a record missing, or a torn or damaged
//! record is an error, and the caller rebuilds.

use super::index::{Entry, Found, IndexError, View};
use super::{PERMS, Signature, similarity_of};

const MAGIC: &[u8; 8] = b"PROVTAIL";
const FORMAT: u32 = 1;

/// How many entries the tail may hold before the next addition folds it into the sorted
/// file. A lookup scores every tail entry (about 0.3 µs each, plus its checksum), so 1,024
/// entries cost well under a millisecond; folding rewrites the sorted file (65 MB at
/// 100,000 articles), so doing it once per 1,024 captures spreads that to about 64 KB of
/// writing per capture.
pub const FOLD: usize = 1024;

/// One record of the tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// HEAD before the capture, and the capture's commit.
    pub from: String,
    pub to: String,
    pub capture: String,
    pub entry: Entry,
}

/// A tail, read and checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    pub records: Vec<Record>,
}

/// The header of a new tail extending the sorted file `base`.
pub fn header(base: &View<'_>) -> Vec<u8> {
    let text = base.header_text().as_bytes();
    let mut out = Vec::with_capacity(24 + text.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&(base.byte_len() as u64).to_le_bytes());
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text);
    out
}

/// The bytes of one record, to append.
pub fn record(r: &Record) -> Vec<u8> {
    let names = format!(
        "{}\t{}\t{}\t{}\t{}",
        r.from, r.to, r.capture, r.entry.article, r.entry.copy
    );
    let mut payload = Vec::with_capacity(4 + PERMS * 2 + names.len());
    let (shingles, slots) = r
        .entry
        .signature
        .as_ref()
        .map_or((0, [0; PERMS]), |s| (s.shingles, s.slots));
    payload.extend_from_slice(&shingles.to_le_bytes());
    for s in slots {
        payload.extend_from_slice(&s.to_le_bytes());
    }
    payload.extend_from_slice(names.as_bytes());
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl Tail {
    /// Read a tail, checking that it extends `base` and that its records chain from it.
    pub fn parse(bytes: &[u8], base: &View<'_>) -> Result<Tail, IndexError> {
        if bytes.len() < 24 || &bytes[..8] != MAGIC || u32_at(bytes, 8) != Some(FORMAT) {
            return Err(IndexError::NotAnIndex);
        }
        let stale = IndexError::Malformed("tail of another index");
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[12..20]);
        let header_len = u32_at(bytes, 20).ok_or(IndexError::Malformed("tail header"))? as usize;
        let header = bytes
            .get(24..24usize.saturating_add(header_len))
            .ok_or(IndexError::Malformed("tail header"))?;
        if u64::from_le_bytes(len) != base.byte_len() as u64
            || header != base.header_text().as_bytes()
        {
            return Err(stale);
        }
        let mut head = base.header("head").unwrap_or_default();
        let mut records = Vec::new();
        let mut at = 24 + header_len;
        while at < bytes.len() {
            let bad = IndexError::Malformed("tail record");
            let n = u32_at(bytes, at).ok_or(bad.clone())? as usize;
            let payload = bytes
                .get(at + 4..(at + 4).saturating_add(n))
                .ok_or(bad.clone())?;
            let crc = u32_at(bytes, at + 4 + n).ok_or(bad.clone())?;
            if crc != crc32fast::hash(payload) || payload.len() < 4 + PERMS * 2 {
                return Err(bad);
            }
            let shingles = u32_at(payload, 0).ok_or(bad.clone())?;
            let mut slots = [0u16; PERMS];
            for (k, s) in slots.iter_mut().enumerate() {
                *s = u16::from_le_bytes([payload[4 + 2 * k], payload[5 + 2 * k]]);
            }
            let names = std::str::from_utf8(&payload[4 + PERMS * 2..]).map_err(|_| bad.clone())?;
            let mut parts = names.split('\t');
            let mut part = || parts.next().map(str::to_string).ok_or(bad.clone());
            let (from, to, capture, article, copy) = (part()?, part()?, part()?, part()?, part()?);
            if from != head {
                return Err(IndexError::Malformed("tail chain"));
            }
            records.push(Record {
                from,
                to,
                capture,
                entry: Entry {
                    article,
                    copy,
                    signature: (shingles > 0).then_some(Signature { slots, shingles }),
                },
            });
            head = &records[records.len() - 1].to;
            at += n + 8;
        }
        Ok(Tail { records })
    }

    /// The HEAD the tail brings its sorted file up to, if it holds any record.
    pub fn head(&self) -> Option<&str> {
        self.records.last().map(|r| r.to.as_str())
    }

    /// The best entry scoring at least `threshold`, as [`View::best_above`] ranks them.
    pub fn best_above(&self, sig: &Signature, threshold: f64) -> Option<Found> {
        let mut best: Option<Found> = None;
        for r in &self.records {
            let Some(s) = &r.entry.signature else {
                continue;
            };
            let sim = similarity_of(&sig.slots, sig.shingles, &s.slots, s.shingles);
            if sim.containment < threshold {
                continue;
            }
            best = better(
                best,
                Some(Found {
                    capture: r.capture.clone(),
                    article: r.entry.article.clone(),
                    copy: r.entry.copy.clone(),
                    score: sim.containment,
                    jaccard: sim.jaccard,
                }),
            );
        }
        best
    }
}

/// The better of two matches: the higher score, then the higher Jaccard, then the later
/// capture id.
pub fn better(a: Option<Found>, b: Option<Found>) -> Option<Found> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let key = |f: &Found| (f.score, f.jaccard);
            let b_wins = match key(&b).partial_cmp(&key(&a)) {
                Some(std::cmp::Ordering::Greater) => true,
                Some(std::cmp::Ordering::Equal) => b.capture >= a.capture,
                _ => false,
            };
            Some(if b_wins { b } else { a })
        }
        (a, b) => a.or(b),
    }
}

/// The best match in a sorted file and its tail (an entry of the tail is ranked as one of
/// the file's would be).
pub fn best(view: &View<'_>, tail: &Tail, sig: &Signature) -> Option<Found> {
    better(view.best(sig), tail.best_above(sig, super::THRESHOLD))
}
