//! The differ: two clean texts in, the changes a reader would name out (paragraphs aligned, moves, word-level edits).
//!
//! Pure: it knows nothing of git, the archive or the terminal. Renderers in [`render`] write a
//! [`Diff`] into any `Write`.
//!
//! Complexity bound, for texts of N bytes and P paragraphs of at most L words: folding,
//! keys and word counts are O(N) (each distinct line folded and counted once, split across
//! the cores for long texts, see `fold_and_count`); the exact paragraph alignment is
//! [`lcs`]'s, linear hashing per region plus a Myers search capped at `lcs::WORK_BUDGET`
//! steps per region; each paired paragraph's word alignment is `similar`'s histogram diff
//! (its search bounded by git's heuristics, see `words`), or `lcs`'s for a paragraph too
//! long for it; the similarity
//! pairing of what is left is O(P·L) (a bounded number of candidates per paragraph, see
//! `align.rs`). Nothing compares every paragraph with every other, so no input is
//! quadratic in P: thousands of identical paragraphs, two wholly different texts of 10,000
//! paragraphs, one paragraph of 200,000 words against an edited copy each take a few steps
//! per byte by the differ's own count ([`work`]; the tests at the end of `tests.rs` bound
//! it, where quadratic work would be hundreds of times more). Memory is linear in
//! N (the Myers trace is at most `MAX_D`² entries).

mod align;
mod apply;
mod fold;
mod lcs;
pub mod render;
mod swar;
#[cfg(test)]
mod tests;
mod words;
pub(crate) mod work;

#[cfg(test)]
use prov_testing as testing;

use std::borrow::Cow;
use std::hash::BuildHasher;

use foldhash::HashMap;

pub use apply::apply;
pub use fold::fold;

/// Raised whenever what compares equal, or how a change is drawn, changes (the folding rules
/// of [`fold`], the stretches of text the tokens stand for): caches of comparisons are keyed
/// by it ([`Options::fingerprint`]). 2: typed dashes (`--`, `10-12`, `europeo-,`) and spaced
/// guillemets fold as their typographic forms. 3: a deleted spaced dash is drawn as deleted.
/// 4: white space beside a double quotation mark folds away.
pub const FOLD_VERSION: u32 = 4;
pub use words::side_text;

use serde::{Deserialize, Serialize};

/// How texts are compared.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Compare texts as they are, without folding typography.
    pub raw: bool,
    /// Text matching any of these counts as absent.
    pub ignore: Vec<regex::Regex>,
    /// The unit of a paragraph's inline changes (the word statistics are words always).
    pub granularity: Granularity,
}

impl Options {
    /// Everything that decides a comparison's outcome, as text: for caches keyed by it.
    pub fn fingerprint(&self) -> String {
        let ignore: Vec<&str> = self.ignore.iter().map(regex::Regex::as_str).collect();
        format!(
            "fold={FOLD_VERSION} raw={} granularity={:?} ignore={ignore:?}",
            self.raw, self.granularity
        )
    }
}

/// The unit in which an edited paragraph's changes are shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Granularity {
    /// Whole sentences: a sentence with any change is deleted and inserted whole.
    Sentence,
    /// Words (and the punctuation and white space between them).
    #[default]
    Word,
    /// Characters (grapheme clusters), inside changed words that are mostly alike; words
    /// with little in common stay whole.
    Char,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// One change, in the spec's JSON shape. Paragraph indexes count from 0 (the title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Change {
    /// A paragraph edited in place; `inline` marks the words.
    Replace {
        a_para: usize,
        b_para: usize,
        old: String,
        new: String,
        inline: Vec<Segment>,
    },
    /// A paragraph of A with no counterpart in B.
    Delete { a_para: usize, old: String },
    /// A paragraph of B with no counterpart in A.
    Insert { b_para: usize, new: String },
    /// A paragraph found elsewhere in B; `inline` when it was also edited.
    Move {
        a_para: usize,
        b_para: usize,
        old: String,
        new: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inline: Option<Vec<Segment>>,
    },
    /// One paragraph of A became two consecutive ones of B (`new` joins them with a blank line).
    Split {
        a_para: usize,
        b_paras: Vec<usize>,
        old: String,
        new: String,
        inline: Vec<Segment>,
    },
    /// Two consecutive paragraphs of A became one of B (`old` joins them with a blank line).
    Merge {
        a_paras: Vec<usize>,
        b_para: usize,
        old: String,
        new: String,
        inline: Vec<Segment>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub words_inserted: usize,
    pub words_deleted: usize,
    pub paragraphs_moved: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub identical: bool,
    pub similarity: f64,
    pub changes: Vec<Change>,
    pub stats: Stats,
    /// Paragraphs kept in place whose text is equal but whose formatting changed (a heading
    /// set as a paragraph, another heading level, a list item as a paragraph): not changes
    /// of the text, counted nowhere, shown only on request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formatting: Vec<FormattingChange>,
}

/// A paragraph whose formatting alone changed: what it was and what it became
/// (`heading`, `heading 3`, `list item`, `paragraph`), and its texts as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormattingChange {
    pub a_para: usize,
    pub b_para: usize,
    pub was: String,
    pub now: String,
    pub old: String,
    pub new: String,
}

/// What a paragraph of a clean text is set as, from its marks (title and subheadings are
/// `# ` and `## `; a paste may bring other levels and bullets).
fn set_as(text: &str) -> (Option<usize>, bool) {
    let hashes = text.bytes().take_while(|&b| b == b'#').count();
    let rest = &text[hashes..];
    let (head, rest) = match hashes {
        0 => (None, text),
        n if rest.starts_with(' ') => (Some(n), &rest[1..]),
        _ => (None, text),
    };
    let item = rest.chars().next().is_some_and(|c| {
        matches!(
            c,
            '-' | '*' | '•' | '·' | '▪' | '◦' | '‣' | '►' | '■' | '–' | '—'
        )
    }) && rest.chars().nth(1) == Some(' ');
    (head, item)
}

/// [`set_as`] in words.
fn set_as_words((head, item): (Option<usize>, bool)) -> String {
    match (head, item) {
        (Some(1), _) => "title".to_string(),
        (Some(2), _) => "heading".to_string(),
        (Some(n), _) => format!("heading {n}"),
        (None, true) => "list item".to_string(),
        (None, false) => "paragraph".to_string(),
    }
}

impl Diff {
    /// The one-line summary used by `prov log` and `prov snapshot`: `unchanged` or `+12 -3 words, 1 moved`.
    pub fn summary(&self) -> String {
        if self.identical {
            return "unchanged".to_string();
        }
        let mut s = format!(
            "+{} -{} words",
            self.stats.words_inserted, self.stats.words_deleted
        );
        if self.stats.paragraphs_moved > 0 {
            s.push_str(&format!(", {} moved", self.stats.paragraphs_moved));
        }
        s
    }
}

/// Compare two clean texts (in the `text.txt` format).
///
/// Paragraphs are the non-empty lines. They are folded ([`fold`], unless `opts.raw`), the
/// ignore rules applied, and a paragraph left empty is left out of the comparison. See
/// `align.rs` for how paragraphs are paired and the bound on the work.
pub fn diff(a: &str, b: &str, opts: &Options) -> Diff {
    let mut keys = Keys::default();
    let (la, lb) = keys.both(a, b, opts);
    let pa = keys.paragraphs(la);
    let pb = keys.paragraphs(lb);
    let identical = pa.len() == pb.len() && pa.iter().zip(&pb).all(|(x, y)| x.key == y.key);
    let al = align::align(&pa, &pb);

    let mut formatting = Vec::new();
    for l in al.links.iter().filter(|l| l.exact && l.in_place) {
        for (&i, &j) in l.a.iter().zip(&l.b) {
            let (was, now) = (set_as(pa[i].text), set_as(pb[j].text));
            if was != now {
                formatting.push(FormattingChange {
                    a_para: pa[i].idx,
                    b_para: pb[j].idx,
                    was: set_as_words(was),
                    now: set_as_words(now),
                    old: pa[i].text.to_string(),
                    new: pb[j].text.to_string(),
                });
            }
        }
    }
    formatting.sort_by_key(|f| f.b_para);
    let mut changes: Vec<(usize, usize, Change)> = Vec::new();
    let mut stats = Stats::default();
    let mut linked_a = vec![false; pa.len()];
    let mut linked_b = vec![false; pb.len()];
    // B paragraph after which a deleted paragraph of A is listed: the last in-place link before it.
    let mut place_after: Vec<Option<usize>> = vec![None; pa.len()];
    for l in &al.links {
        for &i in &l.a {
            linked_a[i] = true;
        }
        for &j in &l.b {
            linked_b[j] = true;
        }
        if l.in_place
            && let (Some(&i), Some(&j)) = (l.a.last(), l.b.last())
        {
            place_after[i] = Some(pb[j].idx);
        }
    }
    // Every link but the paragraphs kept in place (most of a long text), with its texts and,
    // unless its folded texts are equal, its word-level changes: one paragraph's word
    // alignment is independent of the others', so long texts have them made on every core.
    let shown: Vec<(&align::Link, String, String)> = al
        .links
        .iter()
        .filter(|l| !(l.exact && l.in_place))
        .map(|l| (l, join(&pa, &l.a), join(&pb, &l.b)))
        .collect();
    let edited: usize = shown
        .iter()
        .filter(|(l, ..)| !l.exact)
        .map(|(_, old, new)| old.len() + new.len())
        .sum();
    let threads = if edited < PARALLEL_EDIT_BYTES {
        1
    } else {
        cores()
    };
    let edits = par_map(&shown, threads, CHUNK_EDITS, |(l, old, new)| {
        (!l.exact).then(|| words::inline(old, new, opts.raw, opts.granularity))
    });
    for ((l, old, new), edit) in shown.into_iter().zip(edits) {
        let a_paras: Vec<usize> = l.a.iter().map(|&i| pa[i].idx).collect();
        let b_paras: Vec<usize> = l.b.iter().map(|&j| pb[j].idx).collect();
        let (Some(&a_para), Some(&b_para)) = (a_paras.first(), b_paras.first()) else {
            continue;
        };
        let inline = edit.map(|w| {
            stats.words_inserted += w.words_inserted;
            stats.words_deleted += w.words_deleted;
            w.segments
        });
        let change = if b_paras.len() > 1 {
            Change::Split {
                a_para,
                b_paras,
                inline: inline.unwrap_or_default(),
                old,
                new,
            }
        } else if a_paras.len() > 1 {
            Change::Merge {
                a_paras,
                b_para,
                inline: inline.unwrap_or_default(),
                old,
                new,
            }
        } else if !l.in_place {
            stats.paragraphs_moved += 1;
            Change::Move {
                a_para,
                b_para,
                old,
                new,
                inline,
            }
        } else {
            Change::Replace {
                a_para,
                b_para,
                inline: inline.unwrap_or_default(),
                old,
                new,
            }
        };
        changes.push((2 * b_para + 1, a_para, change));
    }
    let mut after = None;
    for (i, p) in pa.iter().enumerate() {
        if let Some(b) = place_after[i] {
            after = Some(b);
        }
        if !linked_a[i] {
            stats.words_deleted += p.words;
            let pos = after.map_or(0, |b| 2 * b + 2);
            changes.push((
                pos,
                p.idx,
                Change::Delete {
                    a_para: p.idx,
                    old: p.text.to_string(),
                },
            ));
        }
    }
    for (j, p) in pb.iter().enumerate().filter(|(j, _)| !linked_b[*j]) {
        let _ = j;
        stats.words_inserted += p.words;
        changes.push((
            2 * p.idx + 1,
            0,
            Change::Insert {
                b_para: p.idx,
                new: p.text.to_string(),
            },
        ));
    }
    changes.sort_by_key(|c| (c.0, c.1));

    let total = al.words_a + al.words_b;
    let similarity = if total == 0 {
        1.0
    } else {
        2.0 * al.common_words as f64 / total as f64
    };
    Diff {
        identical,
        similarity,
        changes: changes.into_iter().map(|c| c.2).collect(),
        stats,
        formatting,
    }
}

/// For each paragraph of `b` (numbered as in [`Change`], from 0, the title), the paragraph
/// of `a` whose wording it keeps: the one it is aligned with when their folded texts are
/// equal, in place or moved. `None` for a paragraph that was edited, split, merged, inserted,
/// or that the ignore rules empty. This is the alignment `prov blame` walks.
pub fn kept_from(a: &str, b: &str, opts: &Options) -> Vec<Option<usize>> {
    let mut keys = Keys::default();
    let (la, lb) = keys.both(a, b, opts);
    let pa = keys.paragraphs(la);
    let pb = keys.paragraphs(lb);
    let count = prov_text::lines::split(b)
        .filter(|l| !l.trim().is_empty())
        .count();
    let mut kept = vec![None; count];
    for l in align::align(&pa, &pb).links {
        if let ([i], [j]) = (l.a.as_slice(), l.b.as_slice())
            && l.exact
            && let Some(slot) = kept.get_mut(pb[*j].idx)
        {
            *slot = Some(pa[*i].idx);
        }
    }
    kept
}

/// Folded paragraph texts, each distinct one with its key (its index in `folded`) and its
/// word count. A line found again verbatim (in the other text, mostly) is not folded again.
#[derive(Default)]
struct Keys<'t> {
    /// The hasher of lines and folded texts: seeded afresh for each comparison, so that no
    /// page can be made of lines that all share a hash. Keys are numbered in line order,
    /// never by hash, so the result does not depend on the seed.
    hasher: foldhash::fast::RandomState,
    /// Each key's folded text and its words, and the next key whose folded text has the
    /// same hash (the first of each hash is in the map [`Keys::key`] is given).
    folded: Vec<Cow<'t, str>>,
    words: Vec<usize>,
    same_hash: Vec<Option<u32>>,
}

/// A compared line: its paragraph index, its text, its key.
type Line<'t> = (usize, &'t str, u32);

/// A line of a text and the hash of its bytes, made on the thread that split the text: the
/// map of lines seen then hashes only this number.
#[derive(Debug, Clone, Copy)]
struct Hashed<'t> {
    text: &'t str,
    hash: u64,
}

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.text == other.text
    }
}

impl Eq for Hashed<'_> {}

impl std::hash::Hash for Hashed<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The non-empty lines of a clean text, trimmed, each with its hash.
fn hashed_lines<'t>(text: &'t str, hasher: &impl BuildHasher) -> Vec<Hashed<'t>> {
    // Split at `\n` alone: trimming takes a `\r` off as `str::lines` would.
    prov_text::lines::split(text)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|text| Hashed {
            text,
            hash: hasher.hash_one(text),
        })
        .collect()
}

/// Below this many bytes, lines are split and hashed, and new lines folded, on the calling
/// thread (a thread costs more than it saves): both texts' bytes for the one, new lines'
/// for the other.
const PARALLEL_BYTES: usize = 256 * 1024;

impl<'t> Keys<'t> {
    /// The compared paragraphs of two clean texts: non-empty lines, numbered from 0 (the
    /// title), each with the key of its folded text; the ones the ignore rules empty are
    /// left out.
    fn both(&mut self, a: &'t str, b: &'t str, opts: &Options) -> (Vec<Line<'t>>, Vec<Line<'t>>) {
        // Each text split and its lines hashed on a thread of its own when they are long.
        let hasher = &self.hasher;
        let (la, lb) = if a.len() + b.len() < PARALLEL_BYTES {
            (hashed_lines(a, hasher), hashed_lines(b, hasher))
        } else {
            std::thread::scope(|s| {
                let second = s.spawn(|| hashed_lines(b, hasher));
                let first = hashed_lines(a, hasher);
                let second = second
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e));
                (first, second)
            })
        };
        // Lines not seen before, in order (A's, then B's): folded and counted in one batch
        // (on every core for long texts), then keyed in that order, so keys do not depend on
        // the threads. Each line is found by its place in `line_keys` afterwards. The maps
        // live only here, so that their memory serves the alignment next.
        let mut by_line: HashMap<Hashed<'t>, u32> = HashMap::default();
        let mut fresh: Vec<&'t str> = Vec::new();
        let mut place = |l: Hashed<'t>| {
            *by_line.entry(l).or_insert_with(|| {
                fresh.push(l.text);
                (fresh.len() - 1) as u32
            })
        };
        let places_a: Vec<u32> = la.iter().map(|&l| place(l)).collect();
        let places_b: Vec<u32> = lb.iter().map(|&l| place(l)).collect();
        drop(by_line);
        let folded = fold_and_count(&fresh, opts, &self.hasher);
        drop(fresh);
        // Each distinct line's key, `None` when the ignore rules empty it.
        let mut by_hash: HashMap<u64, u32> = HashMap::default();
        let line_keys: Vec<Option<u32>> = folded
            .into_iter()
            .map(|folded| self.key(&mut by_hash, folded))
            .collect();
        drop(by_hash);
        let keyed = |lines: Vec<Hashed<'t>>, places: Vec<u32>| -> Vec<Line<'t>> {
            lines
                .into_iter()
                .zip(places)
                .enumerate()
                .filter_map(|(idx, (l, at))| Some((idx, l.text, line_keys[at as usize]?)))
                .collect()
        };
        (keyed(la, places_a), keyed(lb, places_b))
    }

    /// The key of a folded text, by its hash (made on the folding threads) and then its
    /// bytes, so that equal texts share a key whatever their hash's neighbours.
    /// `by_hash`: the first key of each hash, while texts are keyed.
    fn key(&mut self, by_hash: &mut HashMap<u64, u32>, folded: Folded<'t>) -> Option<u32> {
        if folded.text.is_empty() {
            return None;
        }
        let mut at = by_hash.get(&folded.hash).copied();
        while let Some(k) = at {
            if self.folded[k as usize] == folded.text {
                return Some(k);
            }
            at = self.same_hash[k as usize];
        }
        let k = self.folded.len() as u32;
        self.same_hash.push(by_hash.insert(folded.hash, k));
        self.folded.push(folded.text);
        self.words.push(folded.words);
        Some(k)
    }

    /// The paragraphs of one text's lines (which go: the alignment's memory comes next).
    fn paragraphs<'p>(&'p self, lines: Vec<Line<'p>>) -> Vec<align::Para<'p>> {
        lines
            .into_iter()
            .map(|(idx, text, key)| align::Para {
                idx,
                text,
                folded: &self.folded[key as usize],
                key,
                words: self.words[key as usize],
            })
            .collect()
    }
}

/// A line folded: its text (the line itself when it is its own fold), the words in it, and
/// its hash for [`Keys`].
#[derive(Debug, PartialEq)]
struct Folded<'t> {
    text: Cow<'t, str>,
    words: usize,
    hash: u64,
}

/// Each line folded (with the ignore rules) and the words of its folded form counted. Pure
/// and per line, so long texts are split across the available cores; the result is in
/// `lines`' order whatever the threads.
fn fold_and_count<'t>(
    lines: &[&'t str],
    opts: &Options,
    hasher: &(impl BuildHasher + Sync),
) -> Vec<Folded<'t>> {
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let threads = if bytes < PARALLEL_BYTES { 1 } else { cores() };
    fold_and_count_on(lines, opts, hasher, threads)
}

/// [`fold_and_count`] on `threads` threads.
fn fold_and_count_on<'t>(
    lines: &[&'t str],
    opts: &Options,
    hasher: &(impl BuildHasher + Sync),
    threads: usize,
) -> Vec<Folded<'t>> {
    par_map(lines, threads, CHUNK_LINES, |l: &&'t str| {
        let text = fold::fold_ignoring(l, opts.raw, &opts.ignore);
        Folded {
            words: words::count_words(&text),
            hash: hasher.hash_one(text.as_ref()),
            text,
        }
    })
}

/// Threads for work worth splitting: every core, up to eight. Asked once a process: the
/// answer reads the cgroup's files each time.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
}

/// `f` of each item, in the items' order, on `threads` threads (the calling one among them).
/// Small chunks are handed out in turn, so that a thread given the harder items (other
/// scripts, NFC to restore, long paragraphs) does not hold up the others.
fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    chunk: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let chunks: Vec<&[T]> = items.chunks(chunk.max(1)).collect();
    // No more threads than chunks to give them.
    let threads = threads.min(chunks.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(chunk) = chunks.get(at) else {
                return done;
            };
            done.push((at, chunk.iter().map(&f).collect()));
        }
    };
    let mut parts = std::thread::scope(|s| {
        // A helper's steps are counted as the calling thread's (`work.rs`).
        let helpers: Vec<_> = (1..threads)
            .map(|_| s.spawn(|| (work(), self::work::steps())))
            .collect();
        let mut parts = work();
        for h in helpers {
            let (done, steps) = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            parts.extend(done);
            self::work::add(usize::try_from(steps).unwrap_or(usize::MAX));
        }
        parts
    });
    parts.sort_unstable_by_key(|p| p.0);
    parts.into_iter().flat_map(|p| p.1).collect()
}

/// Lines per chunk of [`fold_and_count_on`]'s work.
const CHUNK_LINES: usize = 64;

/// Below this many bytes of edited paragraphs, their word-level changes are made on the
/// calling thread (about a millisecond of work: more than a thread costs).
const PARALLEL_EDIT_BYTES: usize = 16 * 1024;

/// Edited paragraphs per chunk of the word-level work.
const CHUNK_EDITS: usize = 4;

/// Paragraphs' texts joined as in `text.txt` (a blank line between).
fn join(ps: &[align::Para<'_>], at: &[usize]) -> String {
    at.iter()
        .map(|&i| ps[i].text)
        .collect::<Vec<_>>()
        .join("\n\n")
}
