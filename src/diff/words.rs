//! Word-level comparison inside one paired paragraph: tokens (words, white space,
//! punctuation) compared by their folded form, turned into `equal`/`delete`/`insert` segments.
//!
//! Invariant: the `equal` and `delete` segments concatenated give the old text exactly, the
//! `equal` and `insert` segments the new one. Hence two tokens that fold alike but are
//! written differently (`’` and `'`) cannot be one `equal` segment: they are shown as a
//! delete and an insert, and not counted in the word statistics.

use foldhash::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use super::fold::fold;
use super::lcs;
use super::{Granularity, Op, Segment};

/// A token is a word when it holds a letter or a digit.
pub(crate) fn is_word(tok: &str) -> bool {
    tok.chars().any(char::is_alphanumeric)
}

/// Words in a text (UAX #29 word boundaries; punctuation and white space are not words).
pub(crate) fn count_words(s: &str) -> usize {
    let mut n = 0;
    match simple_segments(s, |_, word| n += usize::from(word)) {
        Some(()) => n,
        None => s.split_word_bounds().filter(|t| is_word(t)).count(),
    }
}

/// Word-boundary classes of the characters [`simple_segments`] knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wb {
    Letter,
    Digit,
    Underscore,
    MidLetter,
    MidNumLet,
    MidNum,
    Other,
}

fn wb_class(c: char) -> Option<Wb> {
    Some(match c {
        'a'..='z' | 'A'..='Z' => Wb::Letter,
        '0'..='9' => Wb::Digit,
        '_' => Wb::Underscore,
        ':' => Wb::MidLetter,
        '.' | '\'' => Wb::MidNumLet,
        ',' | ';' => Wb::MidNum,
        _ if c.is_ascii() => Wb::Other,
        // Latin-1 Supplement and Latin Extended-A/B letters, and the basic Cyrillic ones:
        // all ALetter, none combining.
        '\u{c0}'..='\u{24f}' if c != '×' && c != '÷' => Wb::Letter,
        '\u{400}'..='\u{45f}' => Wb::Letter,
        _ => return None,
    })
}

/// UAX #29 word segmentation for text whose characters are all known to [`wb_class`] (the
/// hot path on long texts): calls `f(segment, is_word)` in order, and returns `None`
/// (calling nothing) when a character is unknown. Runs of letters, digits and `_` are one
/// segment (WB5, WB8-10, WB13a/b), joined across one `:`, `.` or `'` between letters
/// (WB6/7) and one `,`, `;`, `.` or `'` between digits (WB11/12); a run is a word when it
/// holds a letter or a digit. Every other character is a segment of its own (UAX #29 keeps
/// some runs of white space together: callers that care join them).
fn simple_segments<'s>(s: &'s str, f: impl FnMut(&'s str, bool)) -> Option<()> {
    if s.is_ascii() {
        let b = s.as_bytes();
        let at = |i: usize| (i, ASCII_WB[usize::from(b[i])], 1);
        split_classes(s, (0..b.len()).map(at), f);
        return Some(());
    }
    if !s.chars().all(|c| wb_class(c).is_some()) {
        return None;
    }
    let at = |(i, c): (usize, char)| (i, wb_class(c).unwrap_or(Wb::Other), c.len_utf8());
    split_classes(s, s.char_indices().map(at), f);
    Some(())
}

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

/// The segmentation of [`simple_segments`] over `(offset, class, length)` of each character.
fn split_classes<'s>(
    s: &'s str,
    classes: impl Iterator<Item = (usize, Wb, usize)>,
    mut f: impl FnMut(&'s str, bool),
) {
    let mut run: Option<usize> = None;
    let mut alnum = false;
    let mut prev = Wb::Other;
    let mut chars = classes.peekable();
    while let Some((i, cur, len)) = chars.next() {
        match cur {
            Wb::Letter | Wb::Digit | Wb::Underscore => {
                run.get_or_insert(i);
                alnum |= cur != Wb::Underscore;
            }
            _ => {
                let next = chars.peek().map_or(Wb::Other, |&(_, d, _)| d);
                let joined = match cur {
                    Wb::MidLetter => prev == Wb::Letter && next == Wb::Letter,
                    Wb::MidNumLet => {
                        (prev == Wb::Letter && next == Wb::Letter)
                            || (prev == Wb::Digit && next == Wb::Digit)
                    }
                    Wb::MidNum => prev == Wb::Digit && next == Wb::Digit,
                    _ => false,
                };
                if !joined {
                    if let Some(start) = run.take() {
                        f(&s[start..i], alnum);
                        alnum = false;
                    }
                    f(&s[i..i + len], false);
                }
            }
        }
        prev = cur;
    }
    if let Some(start) = run {
        f(&s[start..], alnum);
    }
}

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

/// Compare two paragraphs at `granularity`. Cost: linear hashing plus the capped alignment
/// of [`lcs::align`]; a stretch too different to align cheaply becomes a whole replacement.
///
/// The word statistics are always the word-level ones, whatever the granularity, so that a
/// summary does not depend on how it is shown. A pair whose word-level alignment shares
/// under [`MIN_SHARED`] of its words is a whole replacement (one delete, one insert) at every
/// granularity: a rewrite is shown as one, not as confetti.
pub(crate) fn inline(old: &str, new: &str, raw: bool, granularity: Granularity) -> Inline {
    let words = by_tokens(&tokenize(old), &tokenize(new), raw);
    let words = if words.shared < MIN_SHARED {
        whole(old, new)
    } else {
        words.inline
    };
    if words.segments.iter().all(|s| s.op == Op::Equal) {
        return words;
    }
    match granularity {
        Granularity::Word => words,
        Granularity::Sentence => {
            let mut s = by_tokens(&sentence_tokens(old), &sentence_tokens(new), raw).inline;
            s.words_inserted = words.words_inserted;
            s.words_deleted = words.words_deleted;
            s
        }
        Granularity::Char => refine_chars(words, raw),
    }
}

/// Share of words two paired paragraphs must have in common, in order, to be shown as
/// edits rather than as a whole replacement.
pub(crate) const MIN_SHARED: f64 = super::align::MIN_IN_PLACE;

/// One delete of all of `old` and one insert of all of `new`, every word counted.
fn whole(old: &str, new: &str) -> Inline {
    let mut b = Builder::default();
    b.del(old, false);
    b.ins(new, false);
    let mut out = b.finish();
    out.words_deleted = count_words(old);
    out.words_inserted = count_words(new);
    out
}

/// Segments of an alignment and the share of words it keeps: 2·kept / (old + new), 1 when
/// neither side has words.
struct Aligned {
    inline: Inline,
    shared: f64,
}

/// Align two token lists by their keys (folded unless `raw`) and build the segments.
fn by_tokens(ta: &[&str], tb: &[&str], raw: bool) -> Aligned {
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut key = |t: &str| -> u32 {
        let k = if raw { t.to_string() } else { token_key(t) };
        let n = ids.len() as u32;
        *ids.entry(k).or_insert(n)
    };
    let ka: Vec<u32> = ta.iter().map(|t| key(t)).collect();
    let kb: Vec<u32> = tb.iter().map(|t| key(t)).collect();
    let pairs = lcs::align(&ka, &kb);

    let mut b = Builder::default();
    let mut kept = 0;
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in pairs
        .into_iter()
        .chain(std::iter::once((ta.len(), tb.len())))
    {
        for t in &ta[i..pi] {
            b.del(t, true);
        }
        for t in &tb[j..pj] {
            b.ins(t, true);
        }
        if pi < ta.len() && pj < tb.len() {
            if is_word(ta[pi]) {
                kept += 1;
            }
            if ta[pi] == tb[pj] {
                b.equal(ta[pi]);
            } else {
                // Same folded token, other typography: shown, not counted.
                b.del(ta[pi], false);
                b.ins(tb[pj], false);
            }
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
            let chars = by_tokens(&ga, &gb, raw);
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
fn token_key(t: &str) -> String {
    if t.chars().all(char::is_whitespace) {
        return String::new();
    }
    let f = fold(t);
    // A dash folds to " - "; as a token its spacing is its neighbours' business.
    if f == "-" || f.trim() == "-" {
        "-".to_string()
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
        ] {
            let uax = t.split_word_bounds().filter(|t| is_word(t)).count();
            assert_eq!(count_words(t), uax, "{t:?}");
            assert_eq!(tokenize(t), join_runs(t, t.split_word_bounds().collect()));
        }
        assert!(simple_segments("日本", |_, _| ()).is_none());
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_are_the_segmenter_s(t in "[ab1_.,;:' \"!\t\r\n\u{a0}é×·ßЖ’-]{0,16}") {
            let uax: Vec<&str> = t.split_word_bounds().filter(|t| is_word(t)).collect();
            proptest::prop_assert_eq!(count_words(&t), uax.len());
            proptest::prop_assert_eq!(words(&t), uax);
            proptest::prop_assert_eq!(tokenize(&t), join_runs(&t, t.split_word_bounds().collect()));
        }
    }

    #[test]
    fn tokens_concatenate_back() {
        let s = "He said… “no” — twice...  ok\n\nnext";
        assert_eq!(tokenize(s).concat(), s);
        assert!(tokenize("a ... b").contains(&"..."));
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
    fn typography_is_shown_but_not_counted() {
        let r = inline("It’s here now", "It's here today", false, Granularity::Word);
        assert_eq!(side_text(&r.segments, Op::Delete), "It’s here now");
        assert_eq!(side_text(&r.segments, Op::Insert), "It's here today");
        assert_eq!((r.words_inserted, r.words_deleted), (1, 1));
        let r = inline("wait… no", "wait... no", false, Granularity::Word);
        assert_eq!((r.words_inserted, r.words_deleted), (0, 0));
    }

    proptest::proptest! {
        #[test]
        fn segments_reproduce_both_sides(a in "\\PC{0,60}", b in "\\PC{0,60}") {
            let r = inline(&a, &b, false, Granularity::Word);
            proptest::prop_assert_eq!(side_text(&r.segments, Op::Delete), a);
            proptest::prop_assert_eq!(side_text(&r.segments, Op::Insert), b);
            for w in r.segments.windows(2) {
                proptest::prop_assert!(w[0].op != w[1].op);
            }
        }
    }
}
