//! Word-level comparison inside one paired paragraph: tokens (words, white space,
//! punctuation) compared by their folded form, turned into `equal`/`delete`/`insert` segments.
//!
//! Invariant: the `equal` and `delete` segments concatenated give the old text exactly, the
//! `equal` and `insert` segments the new one. Hence two tokens that fold alike but are
//! written differently (`’` and `'`) cannot be one `equal` segment: they are shown as a
//! delete and an insert, and not counted in the word statistics.

use std::collections::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use super::fold::fold;
use super::lcs;
use super::{Op, Segment};

/// A token is a word when it holds a letter or a digit.
pub(crate) fn is_word(tok: &str) -> bool {
    tok.chars().any(char::is_alphanumeric)
}

/// Words in a text (UAX #29 word boundaries; punctuation and white space are not words).
pub(crate) fn count_words(s: &str) -> usize {
    if s.is_ascii() {
        return count_ascii_words(s.as_bytes());
    }
    s.split_word_bounds().filter(|t| is_word(t)).count()
}

/// UAX #29 word count for ASCII, without the segmenter (the hot path on long texts): runs of
/// letters, digits and `_`, joined across one `'`, `.` or `:` between letters or digits and
/// one `,` or `;` between digits.
fn count_ascii_words(b: &[u8]) -> usize {
    let is_w = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        if !is_w(b[i]) {
            i += 1;
            continue;
        }
        n += 1;
        while i < b.len() {
            let joined = i > 0 && i + 1 < b.len() && joins(b[i - 1], b[i], b[i + 1]);
            if !is_w(b[i]) && !joined {
                break;
            }
            i += 1;
        }
    }
    n
}

fn joins(before: u8, mid: u8, after: u8) -> bool {
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    match mid {
        b'\'' | b'.' | b':' => {
            alnum(before) && alnum(after) && !(mid == b':' && before.is_ascii_digit())
        }
        b',' | b';' => before.is_ascii_digit() && after.is_ascii_digit(),
        _ => false,
    }
}

/// Words of a (folded) text, for similarity.
pub(crate) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split_word_bounds().filter(|t| is_word(t))
}

/// Tokens of a text, concatenating back to it. Runs of white space are one token, and so are
/// runs of dots, so that `...` meets `…` (which folds to `...`) as one token.
pub(crate) fn tokenize(s: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut prev_kind = 0u8;
    for (off, t) in s.split_word_bound_indices() {
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

/// Compare two paragraphs word by word. Cost: linear hashing plus the capped alignment of
/// [`lcs::align`]; a stretch too different to align cheaply becomes a whole replacement.
pub(crate) fn inline(old: &str, new: &str, raw: bool) -> Inline {
    let ta = tokenize(old);
    let tb = tokenize(new);
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut key = |t: &str| -> u32 {
        let k = if raw { t.to_string() } else { token_key(t) };
        let n = ids.len() as u32;
        *ids.entry(k).or_insert(n)
    };
    let ka: Vec<u32> = ta.iter().map(|t| key(t)).collect();
    let kb: Vec<u32> = tb.iter().map(|t| key(t)).collect();
    let pairs = lcs::align(&ka, &kb);

    let mut b = Builder::default();
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
    b.finish()
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
    fn ascii_word_count_matches_the_segmenter() {
        for t in [
            "Don't stop: 3.5 m, 1,000 e.g. a_b foo-bar (x) it's 10:30",
            "",
            "  ...  ",
            "a.b.c d's",
        ] {
            let uax = t.split_word_bounds().filter(|t| is_word(t)).count();
            assert_eq!(count_ascii_words(t.as_bytes()), uax, "{t:?}");
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
        let r = inline("It’s here now", "It's here today", false);
        assert_eq!(side_text(&r.segments, Op::Delete), "It’s here now");
        assert_eq!(side_text(&r.segments, Op::Insert), "It's here today");
        assert_eq!((r.words_inserted, r.words_deleted), (1, 1));
        let r = inline("wait… no", "wait... no", false);
        assert_eq!((r.words_inserted, r.words_deleted), (0, 0));
    }

    proptest::proptest! {
        #[test]
        fn segments_reproduce_both_sides(a in "\\PC{0,60}", b in "\\PC{0,60}") {
            let r = inline(&a, &b, false);
            proptest::prop_assert_eq!(side_text(&r.segments, Op::Delete), a);
            proptest::prop_assert_eq!(side_text(&r.segments, Op::Insert), b);
            for w in r.segments.windows(2) {
                proptest::prop_assert!(w[0].op != w[1].op);
            }
        }
    }
}
