//! Characters and lines: cleaning one paragraph's text, and cutting a text paste into paragraphs.

use unicode_normalization::UnicodeNormalization;

/// What a block of the body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Para,
    Heading,
}

/// One paragraph or subheading, already cleaned by [`clean`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub kind: Kind,
    pub text: String,
    /// Characters of the text that were link text (HTML only), to tell promos from prose.
    pub link_chars: usize,
    /// The markup the block sits in (HTML only: the element holding its block element,
    /// `None` in a paste): blocks with one frame are siblings in the same markup.
    pub frame: Option<usize>,
    /// The element holding its block element (HTML only): blocks with one holder are
    /// items of one list, rows of one table, lines of one `<br>` run.
    pub holder: Option<usize>,
    /// An image, figure or video sits in or right beside the block (HTML only).
    pub beside_media: bool,
    /// The block is wholly the text of `<time>` elements (HTML only): the page's date or
    /// a listed story's, not the article's text.
    pub dated: bool,
    /// Its markup is the plainest there is: a paragraph or a `<div>` in a `<div>`, a
    /// `<section>`, an `<article>`, no class on either (HTML only). Nothing sets such a
    /// block apart from the column, so it is no pull quote.
    pub plain: bool,
    /// A subheading that is mostly a link to another page (HTML only): a section's title
    /// among the body's paragraphs, a card's headline boxed apart from them (as a bold
    /// link is: a template may set a card's headline either way).
    pub linked: bool,
    /// The outermost list (`ul`, `ol`) the block is an item of, its sub-lists included
    /// (HTML only): a list is judged as a whole.
    pub list: Option<usize>,
}

impl Block {
    pub fn para(text: String) -> Self {
        Block {
            kind: Kind::Para,
            text,
            link_chars: 0,
            frame: None,
            holder: None,
            beside_media: false,
            dated: false,
            plain: false,
            linked: false,
            list: None,
        }
    }
}

/// Characters that carry no text: soft hyphens and zero-width characters.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// No-break spaces are the page's typography (between a number and its unit, before a
/// French colon), so a lone one between words is kept; runs and edges are still white space.
fn no_break(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// NFC, invisible characters removed, white space runs collapsed to one space, trimmed.
pub(crate) fn clean(s: &str) -> String {
    if already_clean(s) {
        return s.to_string();
    }
    // Most text is already NFC (all ASCII is): the quick check skips the normalizer there.
    if prov_text::nfc::evidently_nfc(s)
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        clean_chars(s.len(), s.chars())
    } else {
        clean_chars(s.len(), s.nfc())
    }
}

/// Whether [`clean`] would give `s` back unchanged, decided by one scan of the bytes for
/// the common case (the hot path of long texts): no white space but single inner spaces,
/// and only characters that are NFC whatever surrounds them ([`prov_text::nfc::evident`]),
/// none of them invisible or control.
/// `false` only means "not sure": [`clean`] then does the full work.
fn already_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut space = false;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x.is_ascii() {
            match x {
                b' ' if space => return false,
                b' ' => space = true,
                0x21..=0x7e => space = false,
                _ => return false,
            }
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            return false;
        };
        let simple =
            prov_text::nfc::evident(c) && !c.is_whitespace() && !c.is_control() && !invisible(c);
        if !simple {
            return false;
        }
        space = false;
        i += c.len_utf8();
    }
    true
}

fn clean_chars(len: usize, chars: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(len);
    // The white space run being read: its length and its only character.
    let mut run: Option<(usize, char)> = None;
    for c in chars {
        if invisible(c) || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            run = Some(match run {
                None => (1, c),
                Some((n, first)) => (n + 1, first),
            });
            continue;
        }
        if let Some((n, first)) = run.take()
            && !out.is_empty()
        {
            out.push(if n == 1 && no_break(first) {
                first
            } else {
                ' '
            });
        }
        out.push(c);
    }
    out
}

/// Cut a text paste into cleaned paragraphs.
///
/// A paste from a browser has one paragraph per line; a hard-wrapped text (an e-mail, a
/// wire copy) has paragraphs of several lines between blank lines. A block of lines is
/// joined only when it looks wrapped: each line but the last long and not ending a sentence.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    let flush = |block: &mut Vec<String>, out: &mut Vec<String>| {
        let wrapped = block.len() > 1
            && block[..block.len() - 1].iter().all(|l| {
                let n = l.chars().count();
                (30..=100).contains(&n) && !l.ends_with(['.', '!', '?', ':', '"', '”', ']', ')'])
            });
        if wrapped {
            out.push(block.join(" "));
        } else {
            out.append(block);
        }
        block.clear();
    };
    for line in text.lines() {
        let line = clean(line);
        if line.is_empty() {
            flush(&mut block, &mut out);
        } else {
            block.push(line);
        }
    }
    flush(&mut block, &mut out);
    out
}

/// Character references left in a declared string (`&#8216;`, `&quot;`, `&amp;`): some
/// CMSs escape JSON-LD and `<meta>` values twice. Cleaned as [`clean`] does.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return clean(s);
    }
    let frag = scraper::Html::parse_fragment(s);
    let text: String = frag.root_element().text().collect();
    clean(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_white_space_and_drops_invisibles() {
        assert_eq!(clean("  a \t\n b\u{a0} "), "a b");
        assert_eq!(
            clean("co\u{ad}operate\u{200b} zero\u{feff}width\u{2060}"),
            "cooperate zerowidth"
        );
        assert_eq!(clean("10\u{a0}km and \u{a0} more"), "10\u{a0}km and more");
        // NFC: e + combining acute becomes é; curly quotes and dashes stay.
        assert_eq!(clean("Cafe\u{301} “x” – y"), "Café “x” – y");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        #[test]
        fn fast_path_cleans_as_the_full_path(s in "[a-c .\t\u{1}\u{7f}\u{80}\u{9f}\u{a0}\u{ad}é\u{2ff}\u{300}\u{301}\u{2000}-\u{2070}\u{feff}ёй\u{306}и가\u{1161}]{0,12}") {
            let full = if unicode_normalization::is_nfc_quick(s.chars())
                == unicode_normalization::IsNormalized::Yes
            {
                clean_chars(s.len(), s.chars())
            } else {
                clean_chars(s.len(), s.nfc())
            };
            proptest::prop_assert_eq!(clean(&s), full.clone());
            if already_clean(&s) {
                proptest::prop_assert_eq!(s, full);
            }
        }
    }

    #[test]
    fn paste_lines_are_paragraphs_unless_wrapped() {
        let paste = "Title\n\n  One.\n  Two.\n\nThis line is long enough to be wrapped and it goes\non here.\n";
        assert_eq!(
            paragraphs(paste),
            vec![
                "Title",
                "One.",
                "Two.",
                "This line is long enough to be wrapped and it goes on here."
            ]
        );
    }
}
