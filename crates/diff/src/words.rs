//! Word-level comparison inside one paired paragraph: tokens (words, white space,
//! punctuation) compared by their folded form, turned into `equal`/`delete`/`insert` segments.
//!
//! Invariant: the `equal` and `insert` segments concatenated give the new text exactly, the
//! `equal` and `delete` segments the old one up to folding: two tokens that fold alike but
//! are written differently (`’` and `'`) are one `equal` segment in the newer form, since
//! what is marked is exactly what is counted.
//!
//! The tokens (and, at character granularity, the grapheme clusters) of two paired
//! paragraphs are aligned by `similar`'s histogram diff: the inputs are one paragraph each,
//! small, and its work is bounded (git's heuristics: a search that gets too costly takes a
//! good split instead of the best one; deterministic, no clock). That bound is still
//! quadratic on a long paragraph edited throughout, so past `SIMILAR_MAX_TOKENS` the capped
//! `lcs::align` aligns them instead. Only the paragraph
//! alignment (`lcs`) is written by hand: it must give up past a budget and leave the rest to
//! the similarity pairing (moves, splits, merges), which a diff library does not offer.

use std::borrow::Cow;

use foldhash::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use super::fold::fold;
use super::lcs;
use super::work;
use super::{Granularity, Op, Segment};

/// A token is a word when it holds a letter or a digit.
pub(crate) fn is_word(tok: &str) -> bool {
    tok.chars().any(char::is_alphanumeric)
}

/// Words in a text (UAX #29 word boundaries; punctuation and white space are not words).
pub(crate) fn count_words(s: &str) -> usize {
    count_known(s).unwrap_or_else(|| s.split_word_bounds().filter(|t| is_word(t)).count())
}

/// The words [`simple_segments`] would find, counted by a small automaton over the
/// characters' classes (the ASCII between other characters eight bytes at a time, the
/// rest a table step a character: the count of every paragraph of a long text is made
/// here); `None` where `simple_segments` gives up.
///
/// Hand-written because the counts of whole texts are the differ's hottest loop, and a
/// segmenter that yields each segment costs several times more per byte.
fn count_known(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut state = OUT;
    let mut n = 0;
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        if x.is_ascii() {
            let (words, end) = count_ascii(b, i, state);
            if end > i {
                n += words;
                i = end;
                state = match b[end - 1] {
                    x if x.is_ascii_alphabetic() => RUN_LETTER,
                    x if x.is_ascii_digit() => RUN_DIGIT,
                    _ => OUT,
                };
                continue;
            }
            let step = ASCII_STEPS[usize::from(state)][usize::from(x)];
            n += usize::from(step / WORD);
            state = step & STATE;
            i += 1;
        } else {
            let (class, len) = class_at(s, i)?;
            let step = CLASS_STEPS[usize::from(state)][class as usize];
            if step & STATE == FAIL {
                return None;
            }
            n += usize::from(step / WORD);
            state = step & STATE;
            i += len;
        }
    }
    Some(n)
}

/// [`count_known`] from byte `i`, entered in `state`, eight bytes at a time, up to the first
/// byte this cannot take: one that is not ASCII, a `_`, or a `:`, `.`, `'`, `,` or `;` that
/// may join two words (a letter, a digit or a byte that is not ASCII follows it). The words
/// that start in the bytes taken and where they end (`i` when none are taken: the first is
/// such a byte, or fewer than eight are left). The state after them is that of their last
/// byte: a letter's, a digit's, or `OUT`.
///
/// A joining mark followed by anything but a letter or a digit leaves the automaton where
/// any other separator would (see [`step`]: from `MID_LETTER` or `MID_DIGIT`, every class
/// but the one that joins goes where it goes from `OUT`), so it is taken as one: the comma
/// and full stop closing most clauses stay on this path. Stopping at the first byte it
/// cannot take, rather than giving the eight up, keeps the ASCII around accented letters
/// and curly quotes on it too. Within the loop only one bit of state is carried (whether
/// the byte before was a letter or a digit), so that the words of eight bytes are counted
/// without a branch on them; the loop branches only on where it stops.
#[inline(always)]
fn count_ascii(b: &[u8], mut i: usize, state: u8) -> (usize, usize) {
    use super::swar::{HIGH, ONES, equal, load, within};
    // The first byte continues the word before it when that run holds a letter or digit,
    // or when a joining mark waits for a letter (a digit) and one comes.
    let first = b.get(i).copied().unwrap_or(0);
    let continued = match state {
        RUN_LOW | RUN_LETTER | RUN_DIGIT => true,
        MID_LETTER => first.is_ascii_alphabetic(),
        MID_DIGIT => first.is_ascii_digit(),
        _ => false,
    };
    let mut carry = u64::from(continued) << 7;
    let mut n = 0;
    while let Some(w) = load(b, i) {
        // `within` needs ASCII bytes: the others are cut off below, whatever it says of them.
        let low = w & !HIGH;
        let alnum = within(low | (ONES * 0x20), b'a', b'z') | within(low, b'0', b'9');
        let marks = equal(w, b',') | equal(w, b'.') | equal(w, b'\'') | within(low, b':', b';');
        // Whether the byte after each may be joined to: the next seven in place, then the
        // one past the eight (none at the end of the text, which joins nothing).
        let past = b.get(i + 8).map_or(0, |&x| JOINABLE[usize::from(x)]);
        let joinable = (alnum | w & HIGH) >> 8 | past << 63;
        let stop = w & HIGH | equal(w, b'_') | marks & joinable;
        let (alnum, len) = if stop == 0 {
            (alnum, 8)
        } else {
            let len = (stop.trailing_zeros() / 8) as usize;
            ((alnum & ((1u64 << (8 * len)) - 1)), len)
        };
        let starts = alnum & !((alnum << 8) | carry);
        // One per start: the high bits moved to the low ones and summed into the top byte
        // (`count_ones` is a loop on CPUs without the instruction).
        n += ((starts >> 7).wrapping_mul(ONES) >> 56) as usize;
        i += len;
        if len < 8 {
            break;
        }
        carry = alnum >> 56 & 0x80;
    }
    (n, i)
}

/// Whether a byte may be joined to by a mark before it: an ASCII letter or digit, or a byte
/// of a character that is not ASCII (which may be a letter).
const JOINABLE: [u64; 256] = {
    let mut t = [0; 256];
    let mut x = 0;
    while x < 256 {
        let b = x as u8;
        t[x] = (b.is_ascii_alphanumeric() || !b.is_ascii()) as u64;
        x += 1;
    }
    t
};

/// Outside a run of letters, digits and `_`.
const OUT: u8 = 0;
/// In a run of `_` alone (not a word yet).
const LOW: u8 = 1;
/// In a run holding a letter or digit, last a `_`.
const RUN_LOW: u8 = 2;
/// In a run, last a letter.
const RUN_LETTER: u8 = 3;
/// In a run, last a digit.
const RUN_DIGIT: u8 = 4;
/// After a letter and a `:`, `.` or `'`: joined if a letter follows.
const MID_LETTER: u8 = 5;
/// After a digit and a `,`, `;`, `.` or `'`: joined if a digit follows.
const MID_DIGIT: u8 = 6;
/// In a run of katakana (joined to each other and to `_` only).
const RUN_KATA: u8 = 7;
/// Given up: left to the full segmenter.
const FAIL: u8 = 8;
/// The bits of a table step that hold the state; the next one says a word starts.
const STATE: u8 = 15;
const WORD: u8 = 16;

/// The state after a character of class `class` in state `state`, and whether a word starts
/// there (a run gains its first letter, digit or katakana, or an ideograph).
const fn step(state: u8, class: Wb) -> (u8, bool) {
    let alnum = matches!(state, RUN_LOW | RUN_LETTER | RUN_DIGIT);
    match class {
        Wb::Letter => (RUN_LETTER, !(alnum || state == MID_LETTER)),
        Wb::Digit => (RUN_DIGIT, !(alnum || state == MID_DIGIT)),
        // Katakana join katakana and `_` (WB13, WB13b), never a letter or digit.
        Wb::Katakana => (RUN_KATA, !(state == RUN_KATA || state == RUN_LOW)),
        Wb::Underscore => (
            if alnum || state == RUN_KATA {
                RUN_LOW
            } else {
                LOW
            },
            false,
        ),
        Wb::MidLetter if state == RUN_LETTER => (MID_LETTER, false),
        Wb::MidNumLet if state == RUN_LETTER => (MID_LETTER, false),
        Wb::MidNumLet | Wb::MidNum if state == RUN_DIGIT => (MID_DIGIT, false),
        // A combining mark belongs to the letter, digit or katakana before it (WB4);
        // elsewhere it is left to the full segmenter, as `simple_segments` leaves it.
        Wb::Extend if matches!(state, RUN_LETTER | RUN_DIGIT | RUN_KATA) => (state, false),
        Wb::Extend => (FAIL, false),
        Wb::Single => (OUT, true),
        _ => (OUT, false),
    }
}

/// [`step`] for each state and ASCII byte: the next state, plus [`WORD`] when a word
/// starts.
const ASCII_STEPS: [[u8; 128]; 9] = {
    let mut t = [[0; 128]; 9];
    let mut state = 0;
    while state < 9 {
        let mut x = 0;
        while x < 128 {
            let (next, word) = step(state as u8, ASCII_WB[x]);
            t[state][x] = next | if word { WORD } else { 0 };
            x += 1;
        }
        state += 1;
    }
    t
};

/// [`step`] for each state and class, encoded as [`ASCII_STEPS`].
const CLASS_STEPS: [[u8; 10]; 9] = {
    let classes = [
        Wb::Letter,
        Wb::Digit,
        Wb::Katakana,
        Wb::Underscore,
        Wb::MidLetter,
        Wb::MidNumLet,
        Wb::MidNum,
        Wb::Extend,
        Wb::Single,
        Wb::Other,
    ];
    let mut t = [[0; 10]; 9];
    let mut state = 0;
    while state < 9 {
        let mut k = 0;
        while k < classes.len() {
            let (next, word) = step(state as u8, classes[k]);
            t[state][classes[k] as usize] = next | if word { WORD } else { 0 };
            k += 1;
        }
        state += 1;
    }
    t
};

/// Whether `mid`, between a character of class `prev` and one of class `next`, joins them
/// into one word: one `:`, `.` or `'` between letters (WB6/7), one `,`, `;`, `.` or `'`
/// between digits (WB11/12).
fn joins(mid: Wb, prev: Wb, next: Wb) -> bool {
    match mid {
        Wb::MidLetter => prev == Wb::Letter && next == Wb::Letter,
        Wb::MidNumLet => {
            (prev == Wb::Letter && next == Wb::Letter) || (prev == Wb::Digit && next == Wb::Digit)
        }
        Wb::MidNum => prev == Wb::Digit && next == Wb::Digit,
        _ => false,
    }
}

/// Word-boundary classes of the characters [`simple_segments`] knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Digit,
    /// Katakana: a run of them is one word (WB13).
    Katakana,
    Underscore,
    MidLetter,
    MidNumLet,
    MidNum,
    /// A combining mark (UAX #29 Extend): part of the character before it (WB4).
    Extend,
    /// A word of its own: a CJK ideograph or a hiragana (no rule joins them).
    Single,
    Other,
}

/// The UAX #29 word-break class of `c`, for the scripts of most news text; `None` for the
/// rest, which goes to the full segmenter. Whole ranges of one class each, checked
/// character by character against the segmenter in the tests.
const fn wb_class(c: char) -> Option<Wb> {
    if c.is_ascii() {
        return Some(ASCII_WB[c as usize]);
    }
    Some(match c {
        // Latin-1 Supplement, Latin Extended-A/B and IPA letters; Latin Extended
        // Additional (Vietnamese); Cyrillic; Arabic; Devanagari; Hangul syllables.
        '\u{c0}'..='\u{2af}' if c != '×' && c != '÷' => Wb::Letter,
        '\u{1e00}'..='\u{1eff}' => Wb::Letter,
        '\u{400}'..='\u{481}' | '\u{48a}'..='\u{52f}' => Wb::Letter,
        '\u{620}'..='\u{64a}' | '\u{671}'..='\u{6d3}' => Wb::Letter,
        '\u{904}'..='\u{939}' | '\u{93d}' | '\u{950}' | '\u{958}'..='\u{961}' => Wb::Letter,
        '\u{971}'..='\u{97f}' => Wb::Letter,
        '\u{ac00}'..='\u{d7a3}' => Wb::Letter,
        '\u{660}'..='\u{669}' | '\u{6f0}'..='\u{6f9}' | '\u{966}'..='\u{96f}' => Wb::Digit,
        '\u{300}'..='\u{36f}' | '\u{483}'..='\u{489}' => Wb::Extend,
        '\u{64b}'..='\u{65f}' | '\u{670}' => Wb::Extend,
        '\u{900}'..='\u{903}' | '\u{93a}'..='\u{93c}' | '\u{93e}'..='\u{94f}' => Wb::Extend,
        '\u{951}'..='\u{957}' | '\u{962}'..='\u{963}' => Wb::Extend,
        '\u{3041}'..='\u{3096}' | '\u{4e00}'..='\u{9fff}' => Wb::Single,
        '\u{30a1}'..='\u{30fa}' | '\u{30fc}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' => Wb::Katakana,
        '\u{ff66}'..='\u{ff9d}' => Wb::Katakana,
        // Punctuation and symbols that neither join nor make words.
        '\u{aa}' | '\u{b5}' | '\u{ba}' => Wb::Letter,
        // (Not the soft hyphen, the middle dot, the cedilla, a letter that is no word, nor
        // the superscripts and fractions, which are words of their own.)
        '\u{a0}'..='\u{bf}'
            if !matches!(
                c,
                '\u{ad}' | '\u{b7}' | '\u{b8}' | '\u{b2}' | '\u{b3}' | '\u{b9}' | '\u{bc}'
                    ..='\u{be}'
            ) =>
        {
            Wb::Other
        }
        '\u{d7}' | '\u{f7}' => Wb::Other,
        '\u{2020}'..='\u{2023}' | '\u{2030}'..='\u{203e}' | '\u{20a0}'..='\u{20c0}' => Wb::Other,
        '\u{964}' | '\u{965}' | '\u{970}' | '\u{6d4}' => Wb::Other,
        '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{ff08}' | '\u{ff09}' => Wb::Other,
        // General punctuation as written (clean texts are compared folded, but shown and
        // tokenized as written): spaces, dashes, quotes, the ellipsis.
        '\u{2000}'..='\u{200a}' | '\u{2010}'..='\u{2017}' | '\u{201a}'..='\u{2023}' => Wb::Other,
        '\u{2025}' | '\u{2026}' | '\u{2116}' | '\u{2212}' => Wb::Other,
        '\u{2018}' | '\u{2019}' | '\u{2024}' => Wb::MidNumLet,
        '\u{b7}' | '\u{2027}' => Wb::MidLetter,
        '\u{60c}' | '\u{60d}' | '\u{ff0c}' => Wb::MidNum,
        _ => return None,
    })
}

/// UAX #29 word segmentation for text whose characters are all known to [`wb_class`] (the
/// hot path on long texts), in one pass: calls `f(segment, is_word)` in order, and returns
/// `None` at the first character it does not know (what `f` was given is then to be
/// discarded). Runs of letters, digits and `_` are one segment (WB5, WB8-10, WB13a/b), with
/// the combining marks that follow their characters (WB4), joined across one `:`, `.` or
/// `'` between letters (WB6/7) and one `,`, `;`, `.` or `'` between digits (WB11/12); so are
/// runs of katakana and `_` (WB13, WB13a/b); a run is a word when it holds a letter, a
/// digit or a katakana. An ideograph or a hiragana is a word of its own. Every other character is a segment of its own (UAX #29 keeps some runs of white
/// space together: callers that care join them). A combining mark anywhere but after a
/// letter, a digit or a katakana is left to the full segmenter.
fn simple_segments<'s>(s: &'s str, mut f: impl FnMut(&'s str, bool)) -> Option<()> {
    let b = s.as_bytes();
    let class = |i: usize| class_at(s, i);
    let mut run: Option<usize> = None;
    let mut alnum = false;
    let mut prev = Wb::Other;
    let mut i = 0;
    while i < b.len() {
        let (cur, len) = class(i)?;
        match cur {
            Wb::Letter | Wb::Digit | Wb::Underscore | Wb::Katakana => {
                // Katakana and letters or digits meet without joining (only `_` joins them).
                if let Some(start) = run
                    && matches!(
                        (prev, cur),
                        (Wb::Letter | Wb::Digit, Wb::Katakana)
                            | (Wb::Katakana, Wb::Letter | Wb::Digit)
                    )
                {
                    f(&s[start..i], alnum);
                    run = None;
                    alnum = false;
                }
                run.get_or_insert(i);
                alnum |= cur != Wb::Underscore;
                prev = cur;
                i += len;
                if cur == Wb::Katakana {
                    continue;
                }
                // The rest of a word's letters at once (the common case, and predictable),
                // ASCII ones without a class look-up.
                loop {
                    if b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                        i += 1;
                    } else if let Some((Wb::Letter, len)) = class(i) {
                        i += len;
                    } else {
                        break;
                    }
                    alnum = true;
                    prev = Wb::Letter;
                }
                continue;
            }
            Wb::Extend => {
                if run.is_none() || !matches!(prev, Wb::Letter | Wb::Digit | Wb::Katakana) {
                    return None;
                }
            }
            _ => {
                let joined = match cur {
                    Wb::MidLetter | Wb::MidNumLet | Wb::MidNum => {
                        let (next, _) = class(i + len)?;
                        if next == Wb::Extend {
                            return None;
                        }
                        joins(cur, prev, next)
                    }
                    _ => false,
                };
                if !joined {
                    if let Some(start) = run.take() {
                        f(&s[start..i], alnum);
                        alnum = false;
                    }
                    f(&s[i..i + len], cur == Wb::Single);
                }
                prev = cur;
            }
        }
        i += len;
    }
    if let Some(start) = run {
        f(&s[start..], alnum);
    }
    Some(())
}

/// Class and length of the character at byte `i` of `s` (`Other` past the end); `None`
/// for a character [`wb_class`] does not know.
#[inline(always)]
fn class_at(s: &str, i: usize) -> Option<(Wb, usize)> {
    let b = s.as_bytes();
    match b.get(i) {
        None => Some((Wb::Other, 0)),
        Some(&x) if x.is_ascii() => Some((ASCII_WB[usize::from(x)], 1)),
        Some(_) => {
            // Two- and three-byte characters decoded by hand (the hot path); four by std.
            let (c, len) = match super::fold::decode(b, i) {
                Some(decoded) => decoded,
                None => s.get(i..)?.chars().next().map(|c| (c, c.len_utf8()))?,
            };
            let class = match TWO_BYTE_WB.get(c as usize) {
                Some(&known) => known,
                None => wb_class(c),
            };
            Some((class?, len))
        }
    }
}

/// [`wb_class`] of each character below U+0800 (the two-byte ones), looked up by code.
const TWO_BYTE_WB: [Option<Wb>; 0x800] = {
    let mut t = [None; 0x800];
    let mut i = 0;
    while i < 0x800 {
        if let Some(c) = char::from_u32(i as u32) {
            t[i] = wb_class(c);
        }
        i += 1;
    }
    t
};

/// [`wb_class`] of each ASCII byte.
const ASCII_WB: [Wb; 128] = {
    let mut t = [Wb::Other; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = match i as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
            b'0'..=b'9' => Wb::Digit,
            b'_' => Wb::Underscore,
            b':' => Wb::MidLetter,
            b'.' | b'\'' => Wb::MidNumLet,
            b',' | b';' => Wb::MidNum,
            _ => Wb::Other,
        };
        i += 1;
    }
    t
};

/// Words of a (folded) text, for similarity.
pub(crate) fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let simple = simple_segments(s, |t, word| {
        if word {
            out.push(t);
        }
    });
    match simple {
        Some(()) => out,
        None => s.split_word_bounds().filter(|t| is_word(t)).collect(),
    }
}

/// Tokens of a text, concatenating back to it. Runs of white space are one token, and so are
/// runs of dots, so that `...` meets `…` (which folds to `...`) as one token.
pub(crate) fn tokenize(s: &str) -> Vec<&str> {
    let mut segments: Vec<&str> = Vec::new();
    if simple_segments(s, |t, _| segments.push(t)).is_none() {
        segments = s.split_word_bounds().collect();
    }
    join_runs(s, segments)
}

/// Consecutive segments of white space, or of dots, joined into one token.
fn join_runs<'s>(s: &'s str, segments: Vec<&'s str>) -> Vec<&'s str> {
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    let mut start = 0;
    let mut off = 0;
    let mut prev_kind = 0u8;
    for t in segments {
        let kind = if t.chars().all(char::is_whitespace) {
            1
        } else if t.chars().all(|c| c == '.') {
            2
        } else {
            0
        };
        if kind != 0 && kind == prev_kind && !out.is_empty() {
            // Extend the previous token: it ends exactly where this one starts.
            out.pop();
            out.push(&s[start..off + t.len()]);
        } else {
            start = off;
            out.push(t);
        }
        off += t.len();
        prev_kind = kind;
    }
    out
}

/// Word-level segments of a paragraph pair and the words they insert and delete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Inline {
    pub segments: Vec<Segment>,
    pub words_inserted: usize,
    pub words_deleted: usize,
}

/// Compare two paragraphs at `granularity`. Cost: linear hashing plus [`align_keys`] (its
/// work bounded by `similar`'s heuristics).
///
/// Tokens are those of the folded texts ([`fold::fold_mapped`]), each shown as the stretch
/// of the original text it came from: what is marked is exactly what is counted, and a token
/// equal after folding is an `equal` segment written as in the newer text. So the `equal`
/// and `insert` segments give `new` exactly; the `equal` and `delete` ones give `old` up to
/// folding. (A text that is not NFC is compared and shown in its NFC form; clean texts are
/// NFC.)
///
/// The word statistics are always the word-level ones, whatever the granularity, so that a
/// summary does not depend on how it is shown. A pair whose word-level alignment shares
/// under [`MIN_SHARED`] of its words is a whole replacement (one delete, one insert) at every
/// granularity: a rewrite is shown as one, not as confetti.
pub(crate) fn inline(old: &str, new: &str, raw: bool, granularity: Granularity) -> Inline {
    let old = nfc(old, raw);
    let new = nfc(new, raw);
    let (old, new) = (old.as_ref(), new.as_ref());
    let mut keys = Interner::default();
    let (ta, tb) = if raw {
        (
            slice_toks(&tokenize(old), true, &mut keys),
            slice_toks(&tokenize(new), true, &mut keys),
        )
    } else {
        (folded_toks(old, &mut keys), folded_toks(new, &mut keys))
    };
    let words = by_tokens(old, &ta, new, &tb);
    let words = if words.shared < MIN_SHARED {
        whole(old, &ta, new, &tb)
    } else {
        words.inline
    };
    if words.segments.iter().all(|s| s.op == Op::Equal) {
        return words;
    }
    match granularity {
        Granularity::Word => words,
        Granularity::Sentence => {
            let (sa, sb) = (sentence_tokens(old), sentence_tokens(new));
            let mut s = by_tokens(
                old,
                &slice_toks(&sa, raw, &mut keys),
                new,
                &slice_toks(&sb, raw, &mut keys),
            )
            .inline;
            s.words_inserted = words.words_inserted;
            s.words_deleted = words.words_deleted;
            s
        }
        Granularity::Char => refine_chars(words, raw),
    }
}

/// The NFC form of a paragraph (itself, mostly) unless comparing as it is.
fn nfc(s: &str, raw: bool) -> Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if raw || prov_text::nfc::evidently_nfc(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Share of words two paired paragraphs must have in common, in order, to be shown as
/// edits rather than as a whole replacement.
pub(crate) const MIN_SHARED: f64 = super::align::MIN_IN_PLACE;

/// One delete of all of `old` and one insert of all of `new`, every word counted.
fn whole(old: &str, ta: &[Tok], new: &str, tb: &[Tok]) -> Inline {
    let mut b = Builder::default();
    b.del(old, false);
    b.ins(new, false);
    let mut out = b.finish();
    out.words_deleted = ta.iter().filter(|t| t.word).count();
    out.words_inserted = tb.iter().filter(|t| t.word).count();
    out
}

/// A token: its key (its folded form, numbered by an [`Interner`]), whether it is a word,
/// and the stretch of the original text it stands for.
#[derive(Debug, Clone, Copy)]
struct Tok {
    key: u32,
    word: bool,
    start: usize,
    end: usize,
}

/// Numbers for tokens' keys, equal keys one number.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(key.to_string(), id);
        id
    }
}

/// Tokens given as consecutive slices of a text, keyed by their folded form (unless `raw`).
fn slice_toks(pieces: &[&str], raw: bool, keys: &mut Interner) -> Vec<Tok> {
    let mut at = 0;
    pieces
        .iter()
        .map(|t| {
            let key = if raw { Cow::Borrowed(*t) } else { token_key(t) };
            let tok = Tok {
                key: keys.id(&key),
                word: is_word(&key),
                start: at,
                end: at + t.len(),
            };
            at += t.len();
            tok
        })
        .collect()
}

/// Tokens of the folded form of `src` ([`fold::fold_mapped`]), each standing for the stretch
/// of `src` from where its first character came from to where the next token's did (the
/// first from the start, the last to the end): white space and marks that folding drops go
/// with the token after them.
fn folded_toks(src: &str, keys: &mut Interner) -> Vec<Tok> {
    let mapped = super::fold::fold_mapped(src);
    let folded: String = mapped.iter().map(|p| p.0).collect();
    // The place in `src` of each byte of the folded text (and of its end).
    let mut place = Vec::with_capacity(folded.len() + 1);
    for &(c, at) in &mapped {
        place.extend(std::iter::repeat_n(at, c.len_utf8()));
    }
    place.push(src.len());
    let pieces = tokenize(&folded);
    if pieces.is_empty() {
        // Nothing but what folding drops: one token of no text, so that it is still shown.
        return if src.is_empty() {
            Vec::new()
        } else {
            vec![Tok {
                key: keys.id(""),
                word: false,
                start: 0,
                end: src.len(),
            }]
        };
    }
    let mut starts = Vec::with_capacity(pieces.len() + 1);
    let mut f = 0;
    for t in &pieces {
        starts.push(if starts.is_empty() { 0 } else { place[f] });
        f += t.len();
    }
    starts.push(src.len());
    // One character may fold to two tokens (a spaced dash, `—` to `-` and the space after
    // it): the first token gets the character, so that deleting the dash shows the dash,
    // and the next starts after it (unless that would pass the token after it).
    for k in 1..pieces.len() {
        if starts[k] <= starts[k - 1] {
            let next = src[starts[k - 1]..]
                .chars()
                .next()
                .map_or(src.len(), |c| starts[k - 1] + c.len_utf8());
            if next <= starts[k + 1] {
                starts[k] = next;
            }
        }
    }
    pieces
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let key = token_key(t);
            Tok {
                key: keys.id(&key),
                word: is_word(&key),
                start: starts[k],
                end: starts[k + 1],
            }
        })
        .collect()
}

/// Segments of an alignment and the share of words it keeps: 2·kept / (old + new), 1 when
/// neither side has words.
struct Aligned {
    inline: Inline,
    shared: f64,
}

/// Align two token lists by their keys and build the segments: tokens of `sa` deleted,
/// tokens of `sb` inserted or equal (an equal token is shown as `sb` writes it).
fn by_tokens(sa: &str, ta: &[Tok], sb: &str, tb: &[Tok]) -> Aligned {
    // Tokens alike at both ends are kept as they are; only the middle, where the edits are,
    // is aligned (most paired paragraphs differ in a word or two).
    let pre = ta
        .iter()
        .zip(tb)
        .take_while(|(x, y)| x.key == y.key)
        .count();
    let suf = ta[pre..]
        .iter()
        .rev()
        .zip(tb[pre..].iter().rev())
        .take_while(|(x, y)| x.key == y.key)
        .count();
    let (ea, eb) = (ta.len() - suf, tb.len() - suf);
    let ka: Vec<u32> = ta[pre..ea].iter().map(|t| t.key).collect();
    let kb: Vec<u32> = tb[pre..eb].iter().map(|t| t.key).collect();
    let middle = align_keys(&ka, &kb)
        .into_iter()
        .map(|(i, j)| (i + pre, j + pre));
    let pairs: Vec<(usize, usize)> = (0..pre)
        .map(|i| (i, i))
        .chain(middle)
        .chain((0..suf).map(|k| (ea + k, eb + k)))
        .collect();

    let mut b = Builder::default();
    let mut kept = 0;
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in pairs
        .into_iter()
        .chain(std::iter::once((ta.len(), tb.len())))
    {
        for t in &ta[i..pi] {
            b.del(&sa[t.start..t.end], t.word);
        }
        for t in &tb[j..pj] {
            b.ins(&sb[t.start..t.end], t.word);
        }
        if pi < ta.len() && pj < tb.len() {
            if ta[pi].word {
                kept += 1;
            }
            b.equal(&sb[tb[pj].start..tb[pj].end]);
        }
        i = pi + 1;
        j = pj + 1;
    }
    let inline = b.finish();
    let total = 2 * kept + inline.words_deleted + inline.words_inserted;
    let shared = if total == 0 {
        1.0
    } else {
        2.0 * kept as f64 / total as f64
    };
    Aligned { inline, shared }
}

/// Past this many tokens on both sides together, the middle of two paired paragraphs is
/// aligned by [`lcs::align`] (capped work) instead of `similar`: the histogram diff is
/// quadratic on a long paragraph edited throughout (a 60,000-word paragraph with every other
/// word rewritten took 20 s, `lcs` 0.1 s), and below this size it costs about a millisecond.
const SIMILAR_MAX_TOKENS: usize = 2_048;

/// Matched index pairs `(i, j)` with `a[i] == b[j]`, strictly increasing in both: `similar`'s
/// histogram diff, or [`lcs::align`] past [`SIMILAR_MAX_TOKENS`]. `similar`'s work is counted
/// as Myers' (N+M)·(D+1) for the edits D it found.
fn align_keys(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    if a.len() + b.len() > SIMILAR_MAX_TOKENS {
        return lcs::align(a, b);
    }
    let pairs: Vec<(usize, usize)> =
        similar::capture_diff_slices(similar::Algorithm::Histogram, a, b)
            .into_iter()
            .filter_map(|op| match op {
                similar::DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => Some((0..len).map(move |k| (old_index + k, new_index + k))),
                _ => None,
            })
            .flatten()
            .collect();
    let edits = a.len() + b.len() - 2 * pairs.len();
    work::add((a.len() + b.len()).saturating_mul(edits + 1));
    pairs
}

/// Sentences (UAX #29 sentence boundaries), each followed by its trailing white space as a
/// token of its own, so that a sentence meets its copy wherever it stands.
fn sentence_tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for t in s.split_sentence_bounds() {
        let body = t.trim_end();
        if !body.is_empty() {
            out.push(body);
        }
        if body.len() < t.len() {
            out.push(&t[body.len()..]);
        }
    }
    out
}

/// Share of characters a deleted and an inserted stretch must have in common to be shown
/// character by character; below it they stay whole words.
const MIN_SHARED_CHARS: f64 = 0.5;

/// Character granularity: each word-level delete followed by an insert is compared again by
/// grapheme clusters, and shown so when the two stretches are mostly alike.
fn refine_chars(words: Inline, raw: bool) -> Inline {
    let mut out = Inline {
        segments: Vec::with_capacity(words.segments.len()),
        words_inserted: words.words_inserted,
        words_deleted: words.words_deleted,
    };
    let mut segs = words.segments.into_iter().peekable();
    while let Some(s) = segs.next() {
        if s.op == Op::Delete
            && let Some(next) = segs.next_if(|n| n.op == Op::Insert)
        {
            let ga: Vec<&str> = s.text.graphemes(true).collect();
            let gb: Vec<&str> = next.text.graphemes(true).collect();
            let mut keys = Interner::default();
            let chars = by_tokens(
                &s.text,
                &slice_toks(&ga, raw, &mut keys),
                &next.text,
                &slice_toks(&gb, raw, &mut keys),
            );
            if chars.shared_chars(&ga, &gb) >= MIN_SHARED_CHARS {
                for c in chars.inline.segments {
                    push_merged(&mut out.segments, c);
                }
            } else {
                push_merged(&mut out.segments, s);
                push_merged(&mut out.segments, next);
            }
            continue;
        }
        push_merged(&mut out.segments, s);
    }
    out
}

impl Aligned {
    /// 2·equal / (old + new), in grapheme clusters.
    fn shared_chars(&self, ga: &[&str], gb: &[&str]) -> f64 {
        let equal: usize = self
            .inline
            .segments
            .iter()
            .filter(|s| s.op == Op::Equal)
            .map(|s| s.text.graphemes(true).count())
            .sum();
        let total = ga.len() + gb.len();
        if total == 0 {
            0.0
        } else {
            2.0 * equal as f64 / total as f64
        }
    }
}

/// Append a segment, joining it to the last one when they have the same op.
fn push_merged(segments: &mut Vec<Segment>, s: Segment) {
    match segments.last_mut() {
        Some(last) if last.op == s.op => last.text.push_str(&s.text),
        _ => segments.push(s),
    }
}

/// A token's comparison key: its folded form; all white space is one key.
fn token_key(t: &str) -> Cow<'_, str> {
    // An ASCII token without white space is its own folded form (a lone `-` included).
    if t.is_ascii() && !t.bytes().any(super::fold::ascii_ws) {
        return Cow::Borrowed(t);
    }
    if t.chars().all(char::is_whitespace) {
        return Cow::Borrowed("");
    }
    let f = fold(t);
    // A dash folds to " - "; as a token its spacing is its neighbours' business.
    if f == "-" || f.trim() == "-" {
        Cow::Borrowed("-")
    } else {
        f
    }
}

#[derive(Default)]
struct Builder {
    out: Inline,
    del: String,
    ins: String,
}

impl Builder {
    fn del(&mut self, t: &str, count: bool) {
        if count && is_word(t) {
            self.out.words_deleted += 1;
        }
        self.del.push_str(t);
    }
    fn ins(&mut self, t: &str, count: bool) {
        if count && is_word(t) {
            self.out.words_inserted += 1;
        }
        self.ins.push_str(t);
    }
    fn flush(&mut self) {
        for (op, buf) in [(Op::Delete, &mut self.del), (Op::Insert, &mut self.ins)] {
            if !buf.is_empty() {
                self.out.segments.push(Segment {
                    op,
                    text: std::mem::take(buf),
                });
            }
        }
    }
    fn equal(&mut self, t: &str) {
        self.flush();
        match self.out.segments.last_mut() {
            Some(Segment {
                op: Op::Equal,
                text,
            }) => text.push_str(t),
            _ => self.out.segments.push(Segment {
                op: Op::Equal,
                text: t.to_string(),
            }),
        }
    }
    fn finish(mut self) -> Inline {
        self.flush();
        self.out
    }
}

/// The old (`Op::Delete` side) or new (`Op::Insert` side) text of a list of segments.
pub fn side_text(segments: &[Segment], side: Op) -> String {
    segments
        .iter()
        .filter(|s| s.op == Op::Equal || s.op == side)
        .map(|s| s.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn seg(op: Op, t: &str) -> Segment {
        Segment {
            op,
            text: t.to_string(),
        }
    }

    #[test]
    fn simple_segments_match_the_segmenter() {
        for t in [
            "Don't stop: 3.5 m, 1,000 e.g. a_b foo-bar (x) it's 10:30",
            "",
            "  ...  ",
            "a.b.c d's",
            "a.5 1.a a:5 _ __ a__ _1 Größe déjà-vu Москва 1'5 \r\n x",
            // Eight bytes read at once right after a joining mark (bytes 8 to 15).
            "abcdef1,23456789 x",
            "abcdefg.hijklmno x",
            "abcdef1.abcdefgh x",
            "abcdefg:12345678 x",
            "abcdefg_12345678 x",
            "      _abcdefgh x",
            "abcdefg. bcdefgh",
            // Marks that join nothing (a space, the end or punctuation after them) read eight
            // bytes at a time; one before a letter, a digit or a non-ASCII byte does not.
            "It is, he said. Yes; no: it's 1,5 or 2.5, x. y,z abcdefg.",
            "abcdefg,hijklmn x",
            "abcdef1,2345678 x",
            "abcdefg.\u{e9}bcdefg x",
            "abcdef1.",
            "abc, def' (gh) i.",
            // Katakana: runs of them are words, joined by `_` but not to letters or digits.
            "カタカナ カa aカ カ_a _カ a_カ カ1 1カ カ.カ カ'a カー ｶﾀｶﾅ 東京カ ひらがなカ",
            "well-known, state-of-the-art - yes",
        ] {
            let uax = t.split_word_bounds().filter(|t| is_word(t)).count();
            assert_eq!(count_words(t), uax, "{t:?}");
            assert_eq!(tokenize(t), join_runs(t, t.split_word_bounds().collect()));
        }
        assert!(simple_segments("a\u{200d}b", |_, _| ()).is_none());
    }

    /// Each character [`wb_class`] knows, in the contexts where its class decides a boundary,
    /// is segmented as the full segmenter does.
    #[test]
    fn every_known_character_is_the_segmenter_s() {
        let known = (0..=0xffff_u32)
            .filter_map(char::from_u32)
            .filter(|&c| wb_class(c).is_some());
        let mut checked = 0;
        for c in known {
            for t in [
                format!("{c}"),
                format!("a{c}b"),
                format!("1{c}2"),
                format!("{c}{c} x{c}"),
                format!("a:{c} a.{c} 1,{c} 1.{c} {c}'a {c}.1"),
                format!("_{c} {c}_ ({c}) a{c}\u{301}b {c}\u{94d}{c}"),
                format!("\u{915}{c}\u{93f} \u{ac00}{c} \u{4e00}{c} \u{627}{c}\u{64e}"),
            ] {
                let mut simple: Vec<&str> = Vec::new();
                let known = simple_segments(&t, |s, w| {
                    if w {
                        simple.push(s)
                    }
                });
                // The counting automaton gives up exactly where the segments do.
                assert_eq!(
                    count_known(&t),
                    known.map(|()| simple.len()),
                    "{c:?} in {t:?}"
                );
                if known.is_some() {
                    let uax: Vec<&str> = t.split_word_bounds().filter(|s| is_word(s)).collect();
                    assert_eq!(simple, uax, "{c:?} in {t:?}");
                    let tokens = join_runs(&t, t.split_word_bounds().collect());
                    assert_eq!(tokenize(&t), tokens, "{c:?} in {t:?}");
                    checked += 1;
                }
            }
        }
        // The scripts above, not a handful of characters.
        assert!(checked > 40_000, "{checked}");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn fast_paths_are_the_segmenter_s(t in "[ab1_.,;:' \"!\t\r\n\u{a0}é×·ßЖ’\u{301}\u{915}\u{93f}\u{94d}\u{966}\u{627}\u{64e}\u{661}\u{ac00}\u{4e00}\u{3042}\u{3002}\u{30ab}\u{30fc}€-]{0,16}") {
            let uax: Vec<&str> = t.split_word_bounds().filter(|t| is_word(t)).collect();
            proptest::prop_assert_eq!(count_words(&t), uax.len());
            let mut n = 0;
            let simple = simple_segments(&t, |_, word| n += usize::from(word)).map(|()| n);
            proptest::prop_assert_eq!(count_known(&t), simple);
            proptest::prop_assert_eq!(words(&t), uax);
            proptest::prop_assert_eq!(tokenize(&t), join_runs(&t, t.split_word_bounds().collect()));
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn ascii_counts_are_the_segmenter_s(t in "[ab1_.,;:' \"!\t-]{0,24}") {
            let uax = t.split_word_bounds().filter(|t| is_word(t)).count();
            proptest::prop_assert_eq!(count_known(&t), Some(uax));
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        /// Texts mostly of letters, digits and spaces, so that eight bytes at once meet each
        /// state and each joining mark at each place.
        #[test]
        fn eight_bytes_at_a_time_count_as_one(t in "([aZ1 !é]{0,12}[_.,;:'’\t\u{301}-]?){0,6}") {
            let uax = t.split_word_bounds().filter(|t| is_word(t)).count();
            proptest::prop_assert_eq!(count_words(&t), uax);
            // The automaton gives up exactly where the one-pass segments do.
            let mut n = 0;
            let simple = simple_segments(&t, |_, word| n += usize::from(word)).map(|()| n);
            proptest::prop_assert_eq!(count_known(&t), simple);
        }
    }

    #[test]
    fn tokens_concatenate_back() {
        let s = "He said… “no” — twice...  ok\n\nnext";
        assert_eq!(tokenize(s).concat(), s);
        assert!(tokenize("a ... b").contains(&"..."));
    }

    /// A spaced dash folds to a dash token and a space: deleting it draws the dash itself,
    /// not an empty deletion beside a space that swallowed it.
    #[test]
    fn a_deleted_dash_is_drawn() {
        let r = inline(
            "The council \u{2014} the council ruled.",
            "The council, the council ruled.",
            false,
            Granularity::Word,
        );
        let deleted: String = r
            .segments
            .iter()
            .filter(|s| s.op == Op::Delete)
            .map(|s| s.text.as_str())
            .collect();
        assert!(deleted.contains('\u{2014}'), "{:?}", r.segments);
        assert_eq!(
            side_text(&r.segments, Op::Delete),
            "The council \u{2014} the council ruled."
        );
    }

    #[test]
    fn one_word_changed() {
        let r = inline(
            "The toll rose to 10 people.",
            "The toll rose to 15 people.",
            false,
            Granularity::Word,
        );
        assert_eq!(
            r.segments,
            vec![
                seg(Op::Equal, "The toll rose to "),
                seg(Op::Delete, "10"),
                seg(Op::Insert, "15"),
                seg(Op::Equal, " people.")
            ]
        );
        assert_eq!((r.words_inserted, r.words_deleted), (1, 1));
    }

    #[test]
    fn typography_is_neither_marked_nor_counted() {
        let r = inline("It’s here now", "It's here today", false, Granularity::Word);
        assert_eq!(
            r.segments,
            vec![
                seg(Op::Equal, "It's here "),
                seg(Op::Delete, "now"),
                seg(Op::Insert, "today")
            ]
        );
        assert_eq!((r.words_inserted, r.words_deleted), (1, 1));
        let r = inline("wait… no", "wait... no", false, Granularity::Word);
        assert_eq!((r.words_inserted, r.words_deleted), (0, 0));
        assert!(r.segments.iter().all(|s| s.op == Op::Equal));
        // The case: quotes folded in the counts were drawn as edits.
        let r = inline(
            "The ”suspect” said Russia’s army left.",
            "The \"suspect\" said Russia's army stayed.",
            false,
            Granularity::Word,
        );
        let marked: Vec<&Segment> = r.segments.iter().filter(|s| s.op != Op::Equal).collect();
        assert_eq!(
            marked,
            vec![&seg(Op::Delete, "left"), &seg(Op::Insert, "stayed")]
        );
    }

    #[test]
    fn spacing_and_drop_caps_are_neither_marked_nor_counted() {
        let r = inline(
            "N a endlich, sagte Romney ’s Sprecher , heute.",
            "Na endlich, sagte Romney’s Sprecher, gestern.",
            false,
            Granularity::Word,
        );
        let marked: Vec<&Segment> = r.segments.iter().filter(|s| s.op != Op::Equal).collect();
        assert_eq!(
            marked,
            vec![&seg(Op::Delete, "heute"), &seg(Op::Insert, "gestern")]
        );
        assert_eq!((r.words_inserted, r.words_deleted), (1, 1));
        assert_eq!(
            side_text(&r.segments, Op::Insert),
            "Na endlich, sagte Romney’s Sprecher, gestern."
        );
        // A heading's mark goes with the first word, unmarked when that word is kept.
        let r = inline(
            "## Old fossil",
            "Political fossil",
            false,
            Granularity::Word,
        );
        assert_eq!(
            r.segments,
            vec![
                seg(Op::Delete, "## Old"),
                seg(Op::Insert, "Political"),
                seg(Op::Equal, " fossil")
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn segments_reproduce_both_sides(a in "\\PC{0,60}", b in "\\PC{0,60}") {
            let (a, b): (String, String) = (a.nfc().collect(), b.nfc().collect());
            let r = inline(&a, &b, false, Granularity::Word);
            // Up to folding and the spacing it takes out.
            proptest::prop_assert_eq!(fold(&side_text(&r.segments, Op::Delete)).replace(' ', ""), fold(&a).replace(' ', ""));
            proptest::prop_assert_eq!(side_text(&r.segments, Op::Insert), b);
            for w in r.segments.windows(2) {
                proptest::prop_assert!(w[0].op != w[1].op);
            }
        }
    }
}
