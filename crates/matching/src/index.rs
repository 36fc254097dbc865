//! The match index: every archived capture's signature, with LSH band tables, as bytes.
//!
//! Written by hand as one flat little-endian file so that a lookup reads it in place: no
//! parsing, no hash table to build, only binary searches in each band's sorted table and
//! the candidates' signatures read where they lie. Layout:
//!
//! ```text
//! "PROVMTCH" u32:format u32:n u32:header_len header (UTF-8: "key value" lines)
//! slots      n × PERMS × u16        entries in capture-id order
//! shingles   n × u32                0: no signature (too short, or no text)
//! bands      BANDS × n' × (u32 key, u32 entry), each band sorted; n' entries with a signature
//! names      (n + 1) × u32 offsets, then "capture\tarticle\tcopy" per entry
//! ```

use std::collections::{BTreeMap, BTreeSet};

use super::{BANDS, PERMS, Signature, THRESHOLD, band_key, similarity_of};

const MAGIC: &[u8; 8] = b"PROVMTCH";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("it is not a prov match index")]
    NotAnIndex,
    #[error("it is truncated or malformed ({0})")]
    Malformed(&'static str),
}

/// One indexed capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub article: String,
    pub copy: String,
    /// `None` for a capture whose text is too short (or absent): known, never matched.
    pub signature: Option<Signature>,
}

/// The index in memory, to update and write; [`View`] reads the written bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    /// What the index was built from (HEAD, normalizer, algorithm), as `key value` pairs.
    pub header: BTreeMap<String, String>,
    /// By capture id.
    pub entries: BTreeMap<String, Entry>,
}

/// The best archived capture for a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub capture: String,
    pub article: String,
    pub copy: String,
    /// The estimated containment (see [`super::similarity`]).
    pub score: f64,
    pub jaccard: f64,
}

impl Index {
    /// The bytes of the index file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.entries.len();
        let header: String = self
            .header
            .iter()
            .map(|(k, v)| format!("{k} {}\n", v.replace('\n', " ")))
            .collect();
        let mut out = Vec::with_capacity(20 + header.len() + n * (PERMS * 2 + 4 + BANDS * 8));
        out.extend_from_slice(MAGIC);
        put(&mut out, FORMAT);
        put(&mut out, n as u32);
        put(&mut out, header.len() as u32);
        out.extend_from_slice(header.as_bytes());
        for e in self.entries.values() {
            let slots = e.signature.as_ref().map_or([0; PERMS], |s| s.slots);
            for s in slots {
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
        for e in self.entries.values() {
            put(&mut out, e.signature.as_ref().map_or(0, |s| s.shingles));
        }
        for band in 0..BANDS {
            let mut table: Vec<(u32, u32)> = self
                .entries
                .values()
                .enumerate()
                .filter_map(|(i, e)| {
                    let s = e.signature.as_ref()?;
                    Some((band_key(&s.slots, band), i as u32))
                })
                .collect();
            table.sort_unstable();
            for (k, i) in table {
                put(&mut out, k);
                put(&mut out, i);
            }
        }
        let mut names = Vec::new();
        let mut offset = 0u32;
        put(&mut out, 0);
        for (id, e) in &self.entries {
            let line = format!("{id}\t{}\t{}", e.article, e.copy);
            offset += line.len() as u32;
            put(&mut out, offset);
            names.extend_from_slice(line.as_bytes());
        }
        out.extend_from_slice(&names);
        out
    }
}

fn put(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

/// A written index, read in place.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    bytes: &'a [u8],
    n: usize,
    /// How many entries have a signature (the length of each band table).
    signed: usize,
    header: &'a str,
    slots: usize,
    shingles: usize,
    bands: usize,
    offsets: usize,
    names: usize,
}

impl<'a> View<'a> {
    /// Check the layout's lengths; the contents are read on demand.
    pub fn parse(bytes: &'a [u8]) -> Result<View<'a>, IndexError> {
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(IndexError::NotAnIndex);
        }
        if u32_at(bytes, 8) != FORMAT {
            return Err(IndexError::NotAnIndex);
        }
        let n = u32_at(bytes, 12) as usize;
        let header_len = u32_at(bytes, 16) as usize;
        let header_end = 20usize
            .checked_add(header_len)
            .filter(|&e| e <= bytes.len())
            .ok_or(IndexError::Malformed("header"))?;
        let header = std::str::from_utf8(&bytes[20..header_end])
            .map_err(|_| IndexError::Malformed("header"))?;
        let slots = header_end;
        let shingles = n
            .checked_mul(PERMS * 2)
            .and_then(|l| slots.checked_add(l))
            .ok_or(IndexError::Malformed("slots"))?;
        let bands = shingles
            .checked_add(n * 4)
            .filter(|&e| e <= bytes.len())
            .ok_or(IndexError::Malformed("slots"))?;
        let signed = (0..n)
            .filter(|&i| u32_at(bytes, shingles + i * 4) > 0)
            .count();
        let offsets = bands
            .checked_add(BANDS * signed * 8)
            .filter(|&e| e <= bytes.len())
            .ok_or(IndexError::Malformed("bands"))?;
        let names = offsets
            .checked_add((n + 1) * 4)
            .filter(|&e| e <= bytes.len())
            .ok_or(IndexError::Malformed("names"))?;
        let view = View {
            bytes,
            n,
            signed,
            header,
            slots,
            shingles,
            bands,
            offsets,
            names,
        };
        // Offsets must rise and end at the file's end.
        let mut last = 0;
        for i in 0..=n {
            let o = u32_at(bytes, offsets + i * 4) as usize;
            if o < last {
                return Err(IndexError::Malformed("names"));
            }
            last = o;
        }
        if names + last != bytes.len() {
            return Err(IndexError::Malformed("names"));
        }
        // Each name is checked when it is read (`name`): checking 100,000 here would cost
        // more than the lookup.
        Ok(view)
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The header as written, `key value` lines.
    pub fn header_text(&self) -> &'a str {
        self.header
    }

    /// The length of the file.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// The value of a header key.
    pub fn header(&self, key: &str) -> Option<&'a str> {
        self.header
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
    }

    fn slots_of(&self, i: usize) -> [u16; PERMS] {
        let mut out = [0u16; PERMS];
        let at = self.slots + i * PERMS * 2;
        for (k, s) in out.iter_mut().enumerate() {
            *s = u16::from_le_bytes([self.bytes[at + 2 * k], self.bytes[at + 2 * k + 1]]);
        }
        out
    }

    fn shingles_of(&self, i: usize) -> u32 {
        u32_at(self.bytes, self.shingles + i * 4)
    }

    /// Entry `i`'s capture, article and copy.
    fn name(&self, i: usize) -> Option<(&'a str, &'a str, &'a str)> {
        let from = u32_at(self.bytes, self.offsets + i * 4) as usize;
        let to = u32_at(self.bytes, self.offsets + (i + 1) * 4) as usize;
        let line = std::str::from_utf8(self.bytes.get(self.names + from..self.names + to)?).ok()?;
        let mut parts = line.split('\t');
        Some((parts.next()?, parts.next()?, parts.next()?))
    }

    /// The entries whose band equals one of the signature's: the LSH candidates.
    pub fn candidates(&self, sig: &Signature) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        for band in 0..BANDS {
            let key = band_key(&sig.slots, band);
            let table = self.bands + band * self.signed * 8;
            let key_at = |j: usize| u32_at(self.bytes, table + j * 8);
            // partition_point over the sorted keys, by hand over the bytes.
            let (mut lo, mut hi) = (0, self.signed);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if key_at(mid) < key {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            let mut j = lo;
            while j < self.signed && key_at(j) == key {
                let entry = u32_at(self.bytes, table + j * 8 + 4) as usize;
                if entry < self.n {
                    out.insert(entry);
                }
                j += 1;
            }
        }
        out
    }

    /// The best candidate scoring at least [`THRESHOLD`]: the highest score, then the highest
    /// Jaccard, then the latest capture id.
    pub fn best(&self, sig: &Signature) -> Option<Found> {
        self.best_above(sig, THRESHOLD)
    }

    pub fn best_above(&self, sig: &Signature, threshold: f64) -> Option<Found> {
        let mut best: Option<(f64, f64, usize)> = None;
        for i in self.candidates(sig) {
            let n = self.shingles_of(i);
            if n == 0 {
                continue;
            }
            let s = similarity_of(&sig.slots, sig.shingles, &self.slots_of(i), n);
            if s.containment < threshold {
                continue;
            }
            let better = best.is_none_or(|(c, j, _)| (s.containment, s.jaccard) >= (c, j));
            if better {
                best = Some((s.containment, s.jaccard, i));
            }
        }
        let (score, jaccard, i) = best?;
        let (capture, article, copy) = self.name(i)?;
        Some(Found {
            capture: capture.to_string(),
            article: article.to_string(),
            copy: copy.to_string(),
            score,
            jaccard,
        })
    }

    /// Back to an [`Index`], to update.
    pub fn to_index(&self) -> Index {
        let mut header = BTreeMap::new();
        for l in self.header.lines() {
            if let Some((k, v)) = l.split_once(' ') {
                header.insert(k.to_string(), v.to_string());
            }
        }
        let mut entries = BTreeMap::new();
        for i in 0..self.n {
            let Some((capture, article, copy)) = self.name(i) else {
                continue;
            };
            let n = self.shingles_of(i);
            entries.insert(
                capture.to_string(),
                Entry {
                    article: article.to_string(),
                    copy: copy.to_string(),
                    signature: (n > 0).then(|| Signature {
                        slots: self.slots_of(i),
                        shingles: n,
                    }),
                },
            );
        }
        Index { header, entries }
    }
}

/// An in-memory LSH table of captures not yet in the index file (those a bulk run has
/// staged), searched and ranked as [`View::best`] searches the file.
#[derive(Debug, Default)]
pub struct Memory {
    entries: Vec<(String, String, String, Signature)>,
    /// (band, key) → entries. Only looked up, never iterated, so its order cannot leak.
    bands: std::collections::HashMap<(usize, u32), Vec<usize>>,
}

impl Memory {
    pub fn add(&mut self, capture: &str, article: &str, copy: &str, sig: Signature) {
        let i = self.entries.len();
        for band in 0..BANDS {
            self.bands
                .entry((band, band_key(&sig.slots, band)))
                .or_default()
                .push(i);
        }
        self.entries
            .push((capture.into(), article.into(), copy.into(), sig));
    }

    /// The best entry scoring at least [`THRESHOLD`]: the highest score, then the highest
    /// Jaccard, then the latest capture id.
    pub fn best(&self, sig: &Signature) -> Option<Found> {
        let mut candidates = BTreeSet::new();
        for band in 0..BANDS {
            if let Some(list) = self.bands.get(&(band, band_key(&sig.slots, band))) {
                candidates.extend(list.iter().copied());
            }
        }
        let mut best = None;
        for i in candidates {
            let (capture, article, copy, other) = &self.entries[i];
            let s = similarity_of(&sig.slots, sig.shingles, &other.slots, other.shingles);
            if s.containment < THRESHOLD {
                continue;
            }
            best = super::tail::better(
                best,
                Some(Found {
                    capture: capture.clone(),
                    article: article.clone(),
                    copy: copy.clone(),
                    score: s.containment,
                    jaccard: s.jaccard,
                }),
            );
        }
        best
    }
}
impl From<Found> for prov_model::meta::MatchFacts {
    fn from(found: Found) -> Self {
        prov_model::meta::MatchFacts {
            article: found.article,
            capture: found.capture,
            // Three decimals: the estimate is no finer, and meta.json reads better.
            score: (found.score * 1000.0).round() / 1000.0,
        }
    }
}
