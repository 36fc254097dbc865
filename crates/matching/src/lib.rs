//! The match stage: which archived article a clean text belongs to, by MinHash over its shingles.
//!
//! Pure: text in, [`Signature`] out; [`index`] finds the archived capture whose signature is
//! nearest. Hand-written because the hash must be the same on every machine and for ever
//! (signatures are kept in an index file between runs), which no general-purpose hasher
//! promises, and because the whole of it is a few dozen lines.
//!
//! - Text: the body of `text.txt`, without its `# title` line. Republishers rewrite
//!   headlines, and two articles on one story often share most of a title's words, so the
//!   title is weak evidence either way; the body is what a copy keeps.
//! - Tokens: those of [`prov_text::tokens::tokens`] (runs of word characters, each CJK
//!   character a token of its own), lower-cased; punctuation and typography vanish.
//! - Shingles: windows of [`SHINGLE`] consecutive tokens, as a set, each hashed with FNV-1a
//!   (64 bits) over its tokens' UTF-8 bytes with a 0xff separator (never in UTF-8).
//! - Signature: for each of [`PERMS`] seeds, the minimum over the shingles of
//!   `splitmix64(shingle ^ seed)`, of which the low 16 bits are kept (b-bit MinHash: two
//!   different minima agree by chance once in 65,536, which moves no estimate that matters,
//!   and the signature is 252 bytes). The seeds are the splitmix64 sequence from
//!   [`SEED`], fixed here for ever: changing any of this is a new [`ALGORITHM`].
//! - Score: the containment of the smaller text in the larger, estimated from the share of
//!   equal slots (Jaccard J) and the two shingle counts: |A∩B| = J/(1+J)·(|A|+|B|). A copy
//!   that trims or adds paragraphs keeps a high containment where its Jaccard falls.

pub mod index;
pub mod tail;

use prov_text::tokens::tokens;

/// Tokens per shingle (as the normalizer's scorer).
pub const SHINGLE: usize = 4;
/// MinHash functions: [`BANDS`] × [`ROWS`].
pub const PERMS: usize = 126;
/// LSH bands of [`ROWS`] slots: two texts become candidates when any band is equal. With
/// 42 bands of 3, a pair of Jaccard 0.5 is a candidate with probability 0.996, of 0.3 with
/// 0.68, of 0.1 with 0.04.
pub const BANDS: usize = 42;
pub const ROWS: usize = 3;
/// The first seed of the splitmix64 sequence the MinHash seeds are drawn from ("prov").
pub const SEED: u64 = 0x7072_6f76;
/// Names the whole recipe (tokens, shingles, hash, seeds, slots), kept with the index.
pub const ALGORITHM: &str = "minhash-v1-k4-p126-b16";
/// The score from which a text is filed under an archived article. Chosen from the fundus
/// corpus (tests/match_corpus.rs): of its 7,140 pairs of different articles the highest
/// scores 0.134; of its 240 copies (each page lightly edited, and its gold text pasted under
/// no template) the lowest scores 0.609. 0.4 sits in that gap, nearer the copies' side,
/// since different articles on one story share names and quotes, not running sentences.
pub const THRESHOLD: f64 = 0.4;
/// A text with fewer shingles gets no signature: a line or two is too little evidence to
/// say two texts are one article.
pub const MIN_SHINGLES: u32 = 10;

/// The MinHash signature of one clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The low 16 bits of each seed's minimum.
    pub slots: [u16; PERMS],
    /// How many distinct shingles the text has.
    pub shingles: u32,
}

/// How alike two signatures say their texts are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Estimated Jaccard similarity of the two shingle sets.
    pub jaccard: f64,
    /// Estimated share of the smaller set found in the larger: the score.
    pub containment: f64,
}

const fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const fn seeds() -> [u64; PERMS] {
    let mut out = [0u64; PERMS];
    let mut state = SEED;
    let mut i = 0;
    while i < PERMS {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        out[i] = splitmix64(state);
        i += 1;
    }
    out
}

/// The MinHash seeds, computed at compile time from [`SEED`].
pub const SEEDS: [u64; PERMS] = seeds();

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// The body of a `text.txt`: everything after a first line that is a `# ` title.
pub fn body(text: &str) -> &str {
    let trimmed = text.trim_start_matches('\n');
    if trimmed.starts_with("# ") {
        trimmed.split_once('\n').map_or("", |(_, rest)| rest)
    } else {
        text
    }
}

/// The hashes of the body's shingles, sorted, without repeats.
pub fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = tokens(body(text))
        .into_iter()
        .map(str::to_lowercase)
        .collect();
    let hash = |w: &[String]| {
        w.iter().enumerate().fold(FNV_OFFSET, |h, (i, t)| {
            let h = if i > 0 { fnv(h, &[0xff]) } else { h };
            fnv(h, t.as_bytes())
        })
    };
    let mut out: Vec<u64> = if words.len() < SHINGLE {
        if words.is_empty() {
            vec![]
        } else {
            vec![hash(&words)]
        }
    } else {
        words.windows(SHINGLE).map(hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The signature of a clean text, or `None` when it has fewer than [`MIN_SHINGLES`] shingles.
pub fn signature(text: &str) -> Option<Signature> {
    signature_of(&shingles(text))
}

/// The signature of a set of shingle hashes.
pub fn signature_of(shingles: &[u64]) -> Option<Signature> {
    let count = u32::try_from(shingles.len()).unwrap_or(u32::MAX);
    if count < MIN_SHINGLES {
        return None;
    }
    let mut mins = [u64::MAX; PERMS];
    for &s in shingles {
        for (m, seed) in mins.iter_mut().zip(SEEDS) {
            let h = splitmix64(s ^ seed);
            if h < *m {
                *m = h;
            }
        }
    }
    let mut slots = [0u16; PERMS];
    for (slot, m) in slots.iter_mut().zip(mins) {
        // The low bits of a minimum are uniform; its high bits are mostly zeros.
        *slot = (m & 0xffff) as u16;
    }
    Some(Signature {
        slots,
        shingles: count,
    })
}

/// The estimated similarity of two texts from their signatures.
pub fn similarity(a: &Signature, b: &Signature) -> Similarity {
    similarity_of(&a.slots, a.shingles, &b.slots, b.shingles)
}

fn similarity_of(a: &[u16], na: u32, b: &[u16], nb: u32) -> Similarity {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let jaccard = equal as f64 / PERMS as f64;
    let (na, nb) = (f64::from(na), f64::from(nb));
    let smaller = na.min(nb);
    let containment = if smaller > 0.0 {
        (jaccard / (1.0 + jaccard) * (na + nb) / smaller).min(1.0)
    } else {
        0.0
    };
    Similarity {
        jaccard,
        containment,
    }
}

/// The key of band `band` of a signature: its [`ROWS`] slots, mixed into 32 bits.
pub fn band_key(slots: &[u16], band: usize) -> u32 {
    let mut k = band as u64;
    for &s in &slots[band * ROWS..(band + 1) * ROWS] {
        k = (k << 16) | u64::from(s);
    }
    (splitmix64(k) >> 32) as u32
}

#[cfg(test)]
mod tests;

#[cfg(test)]
use prov_testing as testing;
