//! Typographic folding: the form in which two clean texts are compared (never the form shown).
//!
//! Why not full NFKC: it also rewrites characters that carry meaning in news text (`²` → `2`,
//! `½` → `1⁄2`, `™` → `TM`, `ℓ` → `l`), so "5 m²" would equal "5 m2". We take NFC plus an
//! explicit table of the variants that are typography only: quotes, apostrophes, dashes,
//! spaces, the ellipsis, Latin ligatures and full-width ASCII.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Fold a text for comparison: quotes, apostrophes, dashes, spaces, ellipsis and a few
/// compatibility forms to one form each; runs of white space to one space; trimmed.
///
/// Hyphens (`‐ ‑ −`) fold to `-` and dashes (`‒ – — ―`, and `-` with white space on a side)
/// to ` - `: hyphens join words, dashes separate them, so `well‐known` stays one word
/// while `a—b`, `a – b` and `a - b` become equal.
pub fn fold(s: &str) -> Cow<'_, str> {
    layout(fold_typography(s))
}

/// [`fold`] without [`layout`]: typography and white space alone.
fn fold_typography(s: &str) -> Cow<'_, str> {
    // Most paragraphs of a clean text are their own fold: the scan that would copy them
    // whole finds it, and the text is handed back without a copy.
    let b = s.as_bytes();
    let (end, dash) = plain_run(b, 0, true);
    if end == b.len() {
        return if dash && lopsided_dash(b) {
            Cow::Owned(respace_dashes(s))
        } else {
            Cow::Borrowed(s)
        };
    }
    // Fast path: ASCII text needs only the white-space rules (and the spaced hyphen, which
    // is already in its folded form once white space is collapsed).
    if s.is_ascii() {
        return Cow::Owned(collapse_ascii_ws(s));
    }
    // Optimistically in one pass, as long as every character shows the text is NFC
    // (the common case); else again over the text's NFC form.
    if let Some(folded) = fold_nfc(s, true, Some((end, dash))) {
        return Cow::Owned(folded);
    }
    let nfc: Cow<'_, str> = match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(s.nfc().collect()),
    };
    Cow::Owned(fold_nfc(&nfc, false, None).unwrap_or_default())
}

/// [`fold`] of a text in NFC. With `check`, `None` as soon as a character is not evidently
/// NFC ([`prov_text::nfc::evident`]), for the caller to normalize first. `first`: the end of
/// the [`plain_run`] at 0, when the caller has scanned it already.
fn fold_nfc(s: &str, check: bool, mut first: Option<(usize, bool)>) -> Option<String> {
    // One pass: each character mapped, then white space collapsed as it comes.
    let mut out = Collapse::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Runs of characters that fold to themselves are copied whole: ASCII other than
        // white space, and letters of two- and three-byte scripts (the bulk of most texts).
        let start = i;
        let (end, dash) = first.take().unwrap_or_else(|| plain_run(b, i, check));
        i = end;
        if i > start {
            out.push_run(&s[start..i], dash);
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if check && !prov_text::nfc::evident(c) {
            return None;
        }
        i += c.len_utf8();
        match c {
            '\u{2019}' | '\u{2018}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
                out.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2212}' => out.push('-'),
            '\u{2013}' if en_dash_joins(s, i - c.len_utf8()) => out.push('-'),
            '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' => out.push_str(" - "),
            '\u{2026}' => out.push_str("..."),
            // Zero-width characters and the soft hyphen are invisible: absent.
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            // Full-width ASCII (U+FF01..U+FF5E) is a layout variant of ASCII.
            '\u{FF01}'..='\u{FF5E}' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
            }
            '\u{3000}' => out.push(' '),
            _ => out.push(c),
        }
    }
    Some(out.finish())
}

/// Whether the en dash at byte `i` of `s` joins what stands on each side, no white space
/// between (`Paris–Berlin`, `10–12`, `(base)–2068`): then it is what a hyphen-minus stands
/// for when a template or a paste has no en dash (`Paris-Berlin`), and folds as one; spaced,
/// it separates (`a – b`, as `a - b`).
fn en_dash_joins(s: &str, i: usize) -> bool {
    let prev = s[..i].chars().next_back();
    let next = s[i..].chars().nth(1);
    prev.is_some_and(|c| !c.is_whitespace()) && next.is_some_and(|c| !c.is_whitespace())
}

/// The end of the run of characters at `start` that fold to themselves, and whether it holds a
/// `-`: ASCII other than white space, one space between two such characters, and letters
/// of two- and three-byte scripts (with `check`, only evidently NFC ones).
fn plain_run(b: &[u8], start: usize, check: bool) -> (usize, bool) {
    let mut i = start;
    let mut dash = false;
    while let Some(&x) = b.get(i) {
        if x.is_ascii()
            && let Some(has_dash) = quiet_eight(b, i, i > start)
        {
            dash |= has_dash;
            i += 8;
            continue;
        }
        let len = if !x.is_ascii() {
            match plain_len(b, i, check) {
                Some(len) => len,
                None => break,
            }
        } else if !ascii_ws(x)
            // One space between two characters of the run is its own fold: it stays in.
            || (x == b' ' && i > start && plain_len(b, i + 1, check).is_some())
        {
            1
        } else {
            break;
        };
        dash |= x == b'-';
        i += len;
    }
    (i, dash)
}

/// Whether the eight bytes at `i` go into a run as they are, as the byte-by-byte rules of
/// [`plain_run`] would take them: ASCII, no byte below 0x20, and no space that is first in
/// the run (`in_run` false), last of the eight, or next to another. `Some(has_dash)` then.
/// (The rules take a few more, such as control characters; those go byte by byte.)
///
/// Eight bytes a step because most of a text is such bytes, and the rules byte by byte were
/// the differ's costliest loop.
#[inline(always)]
fn quiet_eight(b: &[u8], i: usize, in_run: bool) -> Option<bool> {
    use super::swar::{HIGH, ONES, equal, load, zeros};
    let w = load(b, i)?;
    let spaces = equal(w, b' ');
    let quiet = w & HIGH == 0
        // Bytes below 0x20 (white space among them) have neither bit 0x20 nor 0x40.
        && zeros(w & (ONES * 0x60)) == 0
        && spaces & (spaces >> 8) == 0
        && spaces & (0x80 << 56) == 0
        && (in_run || spaces & 0x80 == 0);
    quiet.then(|| equal(w, b'-') != 0)
}

/// The character of a two- or three-byte UTF-8 sequence at `i`, and its length; `None` for
/// anything else (the caller takes the general path).
pub(crate) fn decode(b: &[u8], i: usize) -> Option<(char, usize)> {
    let x = u32::from(*b.get(i)?);
    let y = u32::from(*b.get(i + 1)? & 0x3f);
    let c = match x {
        0xc2..=0xdf => ((x & 0x1f) << 6) | y,
        0xe0..=0xef => ((x & 0x0f) << 12) | (y << 6) | u32::from(*b.get(i + 2)? & 0x3f),
        _ => return None,
    };
    Some((char::from_u32(c)?, if x < 0xe0 { 2 } else { 3 }))
}

/// The length of the character at `i` when it folds to itself and is no white space (and,
/// with `check`, is evidently NFC); `None` otherwise or past the end.
#[inline(always)]
fn plain_len(b: &[u8], i: usize, check: bool) -> Option<usize> {
    match *b.get(i)? {
        x if x.is_ascii() => (!ascii_ws(x)).then_some(1),
        // Two-byte characters by table (most letters of Latin, Greek, Cyrillic, Hebrew and
        // Arabic text): their code is the low bits of the two bytes.
        x @ 0xc2..=0xdf => {
            let code = usize::from(x & 0x1f) << 6 | usize::from(*b.get(i + 1)? & 0x3f);
            let is = TWO_BYTE_PLAIN[code];
            (is & PLAIN != 0 && (!check || is & EVIDENT != 0)).then_some(2)
        }
        _ => decode(b, i)
            .filter(|&(c, _)| plain(c) && (!check || prov_text::nfc::evident(c)))
            .map(|(_, len)| len),
    }
}

/// [`TWO_BYTE_PLAIN`]'s bits: [`plain`], and [`prov_text::nfc::evident`].
const PLAIN: u8 = 1;
const EVIDENT: u8 = 2;

/// [`plain`] and [`prov_text::nfc::evident`] of each character below U+0800, by code.
const TWO_BYTE_PLAIN: [u8; 0x800] = {
    let mut t = [0; 0x800];
    let mut code = 0x80;
    while code < 0x800 {
        if let Some(c) = char::from_u32(code as u32) {
            t[code] = if plain(c) { PLAIN } else { 0 }
                | if prov_text::nfc::evident(c) {
                    EVIDENT
                } else {
                    0
                };
        }
        code += 1;
    }
    t
};

/// Whether `c` (not ASCII) folds to itself and is no white space: outside every block that
/// holds a character [`fold_nfc`] maps or a Unicode space (a superset, for speed).
const fn plain(c: char) -> bool {
    !matches!(c,
        '\u{85}' | '\u{a0}' | '\u{ab}' | '\u{ad}' | '\u{bb}' | '\u{2bc}' | '\u{1680}'
        | '\u{2000}'..='\u{206f}'
        | '\u{2212}'
        | '\u{3000}'
        | '\u{fb00}'..='\u{fb06}'
        | '\u{feff}'..='\u{ff5e}')
}

/// White space collapsing as characters come: runs of white space (any Unicode space,
/// including no-break ones) to one space, trimmed; then the spaced dashes of
/// [`spaced_dashes`].
struct Collapse {
    out: String,
    pending_space: bool,
    dash: bool,
}

impl Collapse {
    fn with_capacity(n: usize) -> Self {
        Collapse {
            out: String::with_capacity(n),
            pending_space: false,
            dash: false,
        }
    }
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.pending_space = !self.out.is_empty();
            return;
        }
        if self.pending_space {
            self.out.push(' ');
            self.pending_space = false;
        }
        self.dash |= c == '-';
        self.out.push(c);
    }
    /// A run of characters that fold to themselves (no white space but single spaces
    /// inside); `dash` when it holds a `-`.
    fn push_run(&mut self, run: &str, dash: bool) {
        if self.pending_space {
            self.out.push(' ');
            self.pending_space = false;
        }
        self.dash |= dash;
        self.out.push_str(run);
    }
    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }
    fn finish(self) -> String {
        if self.dash {
            spaced_dashes(self.out)
        } else {
            self.out
        }
    }
}

/// Runs of white space (any Unicode space, including no-break ones) to one space, trimmed;
/// a hyphen-minus with white space on one side only becomes the spaced dash ` - `.
fn collapse_ws(chars: impl Iterator<Item = char>) -> String {
    let mut out = Collapse::with_capacity(0);
    for c in chars {
        out.push(c);
    }
    out.finish()
}

/// `char::is_whitespace` on ASCII: tab, line feed, vertical tab, form feed, carriage return
/// and space.
pub(crate) fn ascii_ws(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// [`collapse_ws`] for ASCII text, copying runs of non-space bytes whole.
fn collapse_ascii_ws(s: &str) -> String {
    let ws = ascii_ws;
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if ws(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !ws(b[i]) {
            i += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..i]);
    }
    if out.contains('-') {
        spaced_dashes(out)
    } else {
        out
    }
}

/// Whether a hyphen-minus of `b` has white space on one side only (`a -b`, `a- b`).
fn lopsided_dash(b: &[u8]) -> bool {
    memchr::memchr_iter(b'-', b).any(|i| lopsided(b, i))
}

/// Whether the `-` at `i` has a space on one side only, inside the text, and no `-` on the
/// other.
fn lopsided(b: &[u8], i: usize) -> bool {
    let space_before = i > 0 && b[i - 1] == b' ';
    let space_after = b.get(i + 1) == Some(&b' ');
    // Not one of a run (`a -- b`): the run is one dash, spaced by `typed_dashes`.
    space_before != space_after
        && i != 0
        && i + 1 != b.len()
        && b[i - 1] != b'-'
        && b[i + 1] != b'-'
}

/// `a -b` and `a- b` (a dash typed with a space on one side) read as `a - b`.
fn spaced_dashes(s: String) -> String {
    // Most hyphens join words or are spaced already: then the text is handed back as it is.
    if lopsided_dash(s.as_bytes()) {
        respace_dashes(&s)
    } else {
        s
    }
}

/// [`spaced_dashes`] of a text known to hold a lopsided dash.
fn respace_dashes(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.char_indices() {
        if c == '-' && lopsided(b, i) {
            if b[i - 1] != b' ' {
                out.push(' ');
            }
            out.push('-');
            if b[i + 1] != b' ' {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Layout that is no text, taken out of a folded paragraph: a heading's `#` marks and a
/// list item's bullet at its start (formatting: a heading set as a bold paragraph, a list
/// item as a paragraph, compare equal), a drop cap's letter split off the first word
/// (`N a endlich` is `Na endlich`), and white space before closing punctuation, inside
/// brackets and quotation marks, and around an apostrophe that joins a word to its clitic
/// (`Romney 's`, `l' homme`): templates and pastes add and remove such spaces, editors do
/// not. Cheap when there is nothing to do (one scan of the bytes).
pub(crate) fn layout(s: Cow<'_, str>) -> Cow<'_, str> {
    if !needs_layout(&s) {
        return s;
    }
    let chars: Vec<(char, usize)> = s.char_indices().map(|(i, c)| (c, i)).collect();
    Cow::Owned(layout_mapped(chars).into_iter().map(|(c, _)| c).collect())
}

/// Whether [`layout_mapped`] may change a folded text: it starts with a mark, a bullet or a
/// single letter and a space, or a space touches punctuation it removes spaces around.
fn needs_layout(s: &str) -> bool {
    let b = s.as_bytes();
    let mut first = s.chars();
    let starts = first
        .next()
        .is_some_and(|c| bullet(c) || c == '#' || (c.is_uppercase() && first.next() == Some(' ')));
    starts
        || memchr::memchr_iter(b'-', b).any(|i| maybe_typed_dash(b, i))
        || memchr::memchr_iter(b' ', b).any(|i| {
            let next = b.get(i + 1).copied().unwrap_or(0);
            let prev = if i > 0 { b[i - 1] } else { 0 };
            closing(char::from(next))
                || matches!(prev, b'(' | b'[' | b'"' | b'\'')
                || matches!(next, b'"' | b'\'')
        })
}

/// Punctuation that closes what comes before it: white space before it is layout.
fn closing(c: char) -> bool {
    matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '%')
}

/// A Hebrew letter: one on each side of a quotation mark makes one word (`צה"ל`).
fn hebrew(c: Option<char>) -> bool {
    c.is_some_and(|c| ('\u{5d0}'..='\u{5ea}').contains(&c))
}

/// Bullets that mark a list item at the start of a paragraph (after folding, dashes are `-`).
fn bullet(c: char) -> bool {
    matches!(c, '-' | '*' | '•' | '·' | '▪' | '◦' | '‣' | '►' | '■')
}

/// Capital letters that are words on their own at the start of a sentence in the languages
/// of the dev corpora (`A new`, `I think`, `Y luego`, `W domu`, `В Москве`): a drop cap of
/// one of these is told from the word only by the page's markup, which the normalizer reads.
fn one_letter_word(c: char) -> bool {
    matches!(
        c,
        'A' | 'E'
            | 'I'
            | 'O'
            | 'U'
            | 'Y'
            | 'À'
            | 'Á'
            | 'É'
            | 'È'
            | 'Ó'
            | 'Ò'
            | 'W'
            | 'Z'
            | 'V'
            | 'S'
            | 'K'
            | 'В'
            | 'С'
            | 'К'
            | 'И'
            | 'А'
            | 'О'
            | 'У'
            | 'Я'
            | 'Ö'
            | 'Å'
    )
}

/// Clitics written after an apostrophe (English `'s`, `'t`, `'ll`...): a space before such
/// an apostrophe is a spacing artefact, whereas one before a quotation mark is not.
fn clitic(w: &[char]) -> bool {
    let s: String = w.iter().collect();
    matches!(s.as_str(), "s" | "t" | "d" | "m" | "ll" | "re" | "ve")
}

/// Hyphen-minuses that stand for a dash, spaced as a folded dash is (`a - b`): two or three
/// in a row (an em dash typed as `--`), one between digits (a range, `10-12` for `10–12`)
/// and one between a word and closing punctuation (`europeo-,` for `europeo—,`). Templates,
/// pastes and republishers turn dashes into hyphens; a hyphen that joins two words is kept.
fn typed_dashes(v: Vec<(char, usize)>) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(v.len() + 4);
    let mut k = 0;
    while k < v.len() {
        let (c, at) = v[k];
        if c != '-' {
            out.push((c, at));
            k += 1;
            continue;
        }
        // The run: hyphens, single spaces between them (`——` folds to ` - - `).
        let (mut run, mut hyphens) = (0, 0);
        while let Some(&(c, _)) = v.get(k + run) {
            if c == '-' {
                hyphens += 1;
                run += 1;
            } else if c == ' ' && v.get(k + run + 1).is_some_and(|p| p.0 == '-') {
                run += 1;
            } else {
                break;
            }
        }
        let prev = out.last().map(|p| p.0);
        let next = v.get(k + run).map(|p| p.0);
        let dash = hyphens > 1
            || (prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit()))
            || (prev.is_some_and(char::is_alphanumeric) && next.is_some_and(closing));
        if !dash {
            out.extend_from_slice(&v[k..k + run]);
            k += run;
            continue;
        }
        if prev.is_some_and(|p| p != ' ') {
            out.push((' ', at));
        }
        out.push(('-', at));
        if let Some(&(n, next_at)) = v.get(k + run)
            && n != ' '
        {
            out.push((' ', next_at));
        }
        k += run;
    }
    out
}

/// Whether the `-` at `i` may be one [`typed_dashes`] spaces (a cheap test on bytes: it may
/// say yes where the rule then does nothing).
fn maybe_typed_dash(b: &[u8], i: usize) -> bool {
    let prev = if i > 0 { b[i - 1] } else { b' ' };
    let next = b.get(i + 1).copied().unwrap_or(b' ');
    next == b'-'
        || (next == b' ' && b.get(i + 2) == Some(&b'-'))
        || (prev.is_ascii_digit() && next.is_ascii_digit())
        || (prev != b' ' && closing(char::from(next)))
}

/// [`layout`] on a folded text given as characters with their places in the text they came
/// from (kept for the word-level comparison, which shows the original text).
pub(crate) fn layout_mapped(v: Vec<(char, usize)>) -> Vec<(char, usize)> {
    let mut v = if v.iter().any(|p| p.0 == '-') {
        typed_dashes(v)
    } else {
        v
    };
    // Marks at the start: `#`s then a space (any heading level), then a bullet and a space.
    let mut start = 0;
    let hashes = v.iter().take_while(|(c, _)| *c == '#').count();
    if hashes > 0 && v.get(hashes).is_some_and(|&(c, _)| c == ' ') {
        start = hashes + 1;
    }
    if v.get(start).is_some_and(|&(c, _)| bullet(c))
        && v.get(start + 1).is_some_and(|&(c, _)| c == ' ')
    {
        start += 2;
    }
    if start > 0 && start < v.len() {
        v.drain(..start);
    }
    // A drop cap: an upper-case letter alone, then the rest of its word in lower case.
    if v.len() > 2
        && v[0].0.is_uppercase()
        && !one_letter_word(v[0].0)
        && v[1].0 == ' '
        && v[2].0.is_lowercase()
    {
        v.remove(1);
    }
    let is_letter = |x: Option<&(char, usize)>| x.is_some_and(|(c, _)| c.is_alphabetic());
    let mut out: Vec<(char, usize)> = Vec::with_capacity(v.len());
    for k in 0..v.len() {
        let (c, at) = v[k];
        if c == ' ' {
            let prev = out.last().map(|p| p.0);
            let next = v.get(k + 1).map(|p| p.0);
            let drop = match (prev, next) {
                (_, Some(n)) if closing(n) => true,
                (Some('(' | '['), _) => true,
                // White space beside a quotation mark is layout: templates, pastes and
                // smart-quote conversions add and drop it on either side (`« non »`,
                // `als»x«`, `said " yes "`), and the mark keeps the words apart without it.
                // Not between Hebrew letters, which the mark joins into one word (`צה"ל`),
                // nor beside a dash, whose spacing is its own (`a - "b"`).
                (Some('"'), near) => {
                    let far = out.len().checked_sub(2).map(|i| out[i].0);
                    near != Some('-') && !(hebrew(far) && hebrew(near))
                }
                (near, Some('"')) => {
                    near != Some('-') && !(hebrew(near) && hebrew(v.get(k + 2).map(|p| p.0)))
                }
                (Some(p), Some('\'')) if p.is_alphabetic() => {
                    let w: Vec<char> = v[k + 2..]
                        .iter()
                        .map(|p| p.0)
                        .take_while(|c| c.is_alphabetic())
                        .collect();
                    clitic(&w) && w.iter().all(|c| c.is_lowercase())
                }
                (Some('\''), Some(n)) if n.is_alphabetic() => {
                    // `l' homme`, `d' accord`: a word of one or two letters before the apostrophe.
                    let mark = out.len() - 1;
                    let w = out[..mark]
                        .iter()
                        .rev()
                        .take_while(|p| p.0.is_alphabetic())
                        .count();
                    // ... standing alone: not the end of a quotation such as `'no'`.
                    let before = mark.checked_sub(w + 1).and_then(|i| out.get(i));
                    (1..=2).contains(&w)
                        && !is_letter(before)
                        && !before.is_some_and(|p| matches!(p.0, '\'' | '"'))
                }
                _ => false,
            };
            if drop {
                continue;
            }
        }
        out.push((c, at));
    }
    out
}

/// [`fold`] character by character, each folded character with the byte offset in `s` of
/// the character it came from (an inserted space: that of the character after it, or of
/// the dash it spaces): the plain version, used where the original text of each folded
/// token is shown. The offsets never decrease. `s` must be NFC, as clean texts are.
pub(crate) fn fold_mapped(s: &str) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(s.len());
    let mut pending: Option<usize> = None;
    let mut push = |c: char, at: usize, out: &mut Vec<(char, usize)>| {
        if c.is_whitespace() {
            if !out.is_empty() && pending.is_none() {
                pending = Some(at);
            }
            return;
        }
        if let Some(p) = pending.take() {
            out.push((' ', p));
        }
        out.push((c, at));
    };
    for (at, c) in s.char_indices() {
        let mapped: &str = match c {
            '\u{2019}' | '\u{2018}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => "'",
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => "\"",
            '\u{2010}' | '\u{2011}' | '\u{2212}' => "-",
            '\u{2013}' if en_dash_joins(s, at) => "-",
            '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' => " - ",
            '\u{2026}' => "...",
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
            '\u{FB00}' => "ff",
            '\u{FB01}' => "fi",
            '\u{FB02}' => "fl",
            '\u{FB03}' => "ffi",
            '\u{FB04}' => "ffl",
            '\u{FB05}' | '\u{FB06}' => "st",
            '\u{FF01}'..='\u{FF5E}' => {
                push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c), at, &mut out);
                continue;
            }
            '\u{3000}' => " ",
            _ => {
                push(c, at, &mut out);
                continue;
            }
        };
        for m in mapped.chars() {
            push(m, at, &mut out);
        }
    }
    // A dash with white space on one side only gets it on both.
    let lopsided = |v: &[(char, usize)], i: usize| {
        let before = i > 0 && v[i - 1].0 == ' ';
        let after = v.get(i + 1).is_some_and(|p| p.0 == ' ');
        before != after && i != 0 && i + 1 != v.len() && v[i - 1].0 != '-' && v[i + 1].0 != '-'
    };
    if (0..out.len()).any(|i| out[i].0 == '-' && lopsided(&out, i)) {
        let mut spaced = Vec::with_capacity(out.len() + 4);
        for i in 0..out.len() {
            let (c, at) = out[i];
            if c == '-' && lopsided(&out, i) {
                if out[i - 1].0 != ' ' {
                    spaced.push((' ', at));
                }
                spaced.push((c, at));
                if out[i + 1].0 != ' ' {
                    spaced.push((' ', out[i + 1].1));
                }
                continue;
            }
            spaced.push((c, at));
        }
        out = spaced;
    }
    layout_mapped(out)
}

/// Fold, then remove every match of the ignore rules (on the folded text).
pub(crate) fn fold_ignoring<'s>(s: &'s str, raw: bool, ignore: &[regex::Regex]) -> Cow<'s, str> {
    let base = if raw {
        Cow::Borrowed(s.trim())
    } else {
        fold(s)
    };
    if ignore.is_empty() {
        return base;
    }
    let mut t = base.into_owned();
    for re in ignore {
        if let Cow::Owned(o) = re.replace_all(&t, " ") {
            t = o;
        }
    }
    if raw {
        Cow::Owned(t.trim().to_string())
    } else {
        Cow::Owned(layout(Cow::Owned(collapse_ws(t.chars()))).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of two-byte characters says what `plain` and `evident` say of each.
    #[test]
    fn two_byte_characters_by_table_as_by_their_rules() {
        for c in (0x80..0x800).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            for check in [false, true] {
                let by_rules = (plain(c) && (!check || prov_text::nfc::evident(c))).then_some(2);
                assert_eq!(plain_len(b, 0, check), by_rules, "{c:?} check={check}");
            }
        }
    }

    #[test]
    fn quotes_and_apostrophes() {
        assert_eq!(
            fold("“It’s ‘fine’,” she said"),
            fold("\"It's 'fine',\" she said")
        );
        assert_eq!(fold("«Oui»"), "\"Oui\"");
        assert_eq!(fold("5′"), "5'");
    }

    #[test]
    fn dashes() {
        let forms = [
            "a—b",
            "a – b",
            "a - b",
            "a ― b",
            "a ‒b",
            "a -b",
            "a\u{a0}—\u{a0}b",
        ];
        for f in forms {
            assert_eq!(fold(f), "a - b", "{f:?}");
        }
        assert_eq!(fold("well‐known"), "well-known");
        assert_eq!(fold("−5"), "-5");
    }

    #[test]
    fn spaces_and_ellipsis() {
        assert_eq!(fold("  a\u{a0}\u{2009} b\t\n c "), "a b c");
        assert_eq!(fold("wait…"), "wait...");
        assert_eq!(
            fold("zero\u{200b}width soft\u{ad}hyphen"),
            "zerowidth softhyphen"
        );
    }

    #[test]
    fn compatibility_forms() {
        assert_eq!(fold("ﬁnal ＡＢＣ"), "final ABC");
        // Decomposed and precomposed accents are one text.
        assert_eq!(fold("e\u{301}te\u{301}"), fold("\u{e9}t\u{e9}"));
        // Meaningful compatibility characters are kept.
        assert_ne!(fold("5 m²"), fold("5 m2"));
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn fast_paths_fold_as_char_by_char(s in "[a-c \t\n\u{b}\u{c}\r\u{a0}\u{2009}\u{3000}’—…ﬁé\u{301}Ж가日क\u{93f}\u{94d}\u{93c}\u{627}\u{64e}€−-]{0,24}") {
            // The character-by-character rules, without the fast paths.
            let mut slow = Collapse::with_capacity(0);
            for c in s.nfc() {
                match c {
                    '’' => slow.push('\''),
                    '−' => slow.push('-'),
                    '—' => slow.push_str(" - "),
                    '…' => slow.push_str("..."),
                    'ﬁ' => slow.push_str("fi"),
                    _ => slow.push(c),
                }
            }
            proptest::prop_assert_eq!(fold(&s), layout(Cow::Owned(slow.finish())));
            if s.is_ascii() {
                proptest::prop_assert_eq!(collapse_ascii_ws(&s), collapse_ws(s.chars()));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        /// Texts mostly of ASCII, so that runs of eight bytes and more meet every rule at
        /// every place in them.
        #[test]
        fn eight_bytes_at_a_time_fold_as_one(s in "([a-c.-]{0,9}[ \t\n\u{1}\u{7f}’—é\u{301}Ж\u{a0}]{0,3}){0,8}") {
            let one_by_one = {
                let mut out = Collapse::with_capacity(0);
                for c in s.nfc() {
                    match c {
                        '’' => out.push('\''),
                        '—' => out.push_str(" - "),
                        _ => out.push(c),
                    }
                }
                out.finish()
            };
            proptest::prop_assert_eq!(fold(&s), layout(Cow::Owned(one_by_one)));
        }
    }

    #[test]
    fn a_text_that_is_its_own_fold_is_not_copied() {
        for own in [
            "",
            "Plain text, well-known.",
            "Größe déjà Москва 가 日本",
            "a - b",
        ] {
            assert!(matches!(fold(own), Cow::Borrowed(_)), "{own:?}");
        }
        for other in [" a", "a  b", "a -b", "it’s", "e\u{301}", "a\tb"] {
            assert!(matches!(fold(other), Cow::Owned(_)), "{other:?}");
        }
    }

    #[test]
    fn formatting_is_not_text() {
        assert_eq!(
            fold("## Political living fossil"),
            "Political living fossil"
        );
        assert_eq!(
            fold("### Political living fossil"),
            fold("Political living fossil")
        );
        assert_eq!(fold("• A point of the list"), "A point of the list");
        assert_eq!(fold("- A point of the list"), "A point of the list");
        assert_eq!(fold("— A point of the list"), "A point of the list");
        assert_eq!(fold("* Bullets of any kind"), "Bullets of any kind");
        // Not a mark: a hash tag, a negative number.
        assert_eq!(fold("#MeToo spread"), "#MeToo spread");
        assert_eq!(fold("-5 degrees"), "-5 degrees");
    }

    #[test]
    fn typed_dashes_are_dashes() {
        assert_eq!(fold("10–12 May, 1990–2000"), fold("10-12 May, 1990-2000"));
        assert_eq!(fold("a—b"), fold("a--b"));
        assert_eq!(fold("a — b"), fold("a --- b"));
        assert_eq!(
            fold("comunitario —pero gestionados con personal europeo—, como"),
            fold("comunitario -pero gestionados con personal europeo-, como")
        );
        assert_eq!(fold("europeo – como"), fold("europeo - como"));
        assert_eq!(fold("the Paris–Berlin line"), fold("the Paris-Berlin line"));
        assert_eq!(fold("2016(base)–2068"), fold("2016(base)-2068"));
        assert_eq!(fold("出发——以平民化"), fold("出发----以平民化"));
        assert_eq!(fold("什么—— 如果"), fold("什么---- 如果"));
        // Hyphens that join stay: words, codes, a negative number, a bullet.
        assert_eq!(fold("well-known COVID-19 F-16"), "well-known COVID-19 F-16");
        assert_eq!(fold("-5 degrees"), "-5 degrees");
        assert_ne!(fold("well-known"), fold("well known"));
    }

    #[test]
    fn spaced_quotation_marks_pair() {
        assert_eq!(fold("He said: « non »."), fold("He said: \"non\"."));
        assert_eq!(fold("He said: « non »."), fold("He said: “non”."));
        assert_eq!(
            fold("« un » et « deux » puis"),
            fold("\"un\" et \"deux\" puis")
        );
        assert_eq!(fold("said \" yes \" and"), fold("said \"yes\" and"));
        assert_eq!(fold("qu’« il ne peut »"), fold("qu’“il ne peut”"));
    }

    #[test]
    fn spacing_artefacts_fold_away() {
        assert_eq!(fold("Romney ’s plan"), fold("Romney’s plan"));
        assert_eq!(fold("Putin , he said ."), fold("Putin, he said."));
        assert_eq!(fold("Oui\u{a0}! Non\u{a0}: 50\u{a0}%"), "Oui! Non: 50%");
        assert_eq!(fold("« Bonjour »"), fold("«Bonjour»"));
        assert_eq!(fold("( a note )"), "(a note)");
        assert_eq!(fold("l’ homme"), fold("l’homme"));
        assert_eq!(fold("it isn ’t"), "it isn't");
        // White space beside a quotation mark, on either side: smart quotes set by a template
        // swallow or add it (`als »x«` against `als”x“`).
        assert_eq!(fold("als »unerschrocken«."), fold("als”unerschrocken“."));
        assert_eq!(
            fold("said \"yes\" and \"no\""),
            fold("said\"yes\"and\"no\"")
        );
        // Spaces that are text stay: a quotation in single marks opened after a word, a plural
        // possessive, a dash beside a quotation, Hebrew letters a mark would join.
        assert_eq!(fold("he said ‘no’ twice"), "he said 'no' twice");
        assert_eq!(fold("the boys’ toys"), "the boys' toys");
        assert_eq!(fold("a — “b”"), "a - \"b\"");
        assert_ne!(fold("אמר \"שלום\""), fold("אמר\"שלום\""));
    }

    #[test]
    fn a_drop_cap_folds_into_its_word() {
        assert_eq!(fold("N a endlich!"), fold("Na endlich!"));
        assert_eq!(fold("T he council met."), fold("The council met."));
        assert_eq!(fold("Ž ivot"), fold("Život"));
        // Only at the start of the paragraph, and not a letter that is a word of its own.
        assert_eq!(fold("It was T he"), "It was T he");
        assert_eq!(fold("A new day"), "A new day");
        assert_eq!(fold("I think so"), "I think so");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(512))]
        /// The mapped fold, character by character, is the fold; its offsets never decrease
        /// and point into the text.
        #[test]
        fn mapped_fold_is_the_fold(s in "[#•*a-cA-CN .,;:!?()%\"'’‘“”«»—–\u{a0}\u{200b}…ﬁ-]{0,30}") {
            let s: String = s.nfc().collect();
            let m = fold_mapped(&s);
            let text: String = m.iter().map(|p| p.0).collect();
            proptest::prop_assert_eq!(text, fold(&s).into_owned());
            proptest::prop_assert!(m.windows(2).all(|w| w[0].1 <= w[1].1));
            proptest::prop_assert!(m.iter().all(|p| p.1 < s.len().max(1)));
        }
    }

    #[test]
    fn ignore_rules_remove_text() {
        let re = regex::Regex::new(r"Updated at \d\d:\d\d").expect("valid regex");
        assert_eq!(
            fold_ignoring("Updated at 10:32", false, std::slice::from_ref(&re)),
            ""
        );
        assert_eq!(
            fold_ignoring("Hi. Updated at 10:32 now", false, &[re]),
            "Hi. now"
        );
    }
}
