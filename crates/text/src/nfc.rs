//! Telling without table look-ups that a text is already in NFC (the common case of long texts).

/// Whether `c` is NFC whatever its neighbours: its NFC quick-check property is Yes and its
/// canonical combining class 0, for whole blocks where that holds for every character
/// (ASCII and Latin up to U+02FF and Vietnamese's, Greek, basic Cyrillic, Hebrew, Arabic,
/// Devanagari and Thai letters and punctuation, general punctuation, currency signs,
/// kana, CJK punctuation, ideographs and full-width forms, Hangul syllables). A text of
/// such characters only is NFC; for anything else, ask the quick check. The test below
/// checks every character of the set.
#[inline]
pub const fn evident(c: char) -> bool {
    matches!(c,
        '\0'..='\u{2ff}'
        | '\u{388}'..='\u{3ce}'
        | '\u{400}'..='\u{482}'
        | '\u{48a}'..='\u{4ff}'
        | '\u{5d0}'..='\u{5ea}'
        | '\u{600}'..='\u{60f}'
        | '\u{61b}'..='\u{64a}'
        | '\u{900}'..='\u{903}'
        | '\u{904}'..='\u{93b}'
        | '\u{93d}'..='\u{94c}'
        | '\u{94e}'..='\u{950}'
        | '\u{964}'..='\u{97f}'
        | '\u{e01}'..='\u{e37}'
        | '\u{e3f}'..='\u{e47}'
        | '\u{1e00}'..='\u{1eff}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205e}'
        | '\u{20a0}'..='\u{20c0}'
        | '\u{3000}'..='\u{3029}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a1}'..='\u{30ff}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{ff01}'..='\u{ff9d}')
}

/// Whether every character of `s` is [`evident`]: then `s` is NFC.
pub fn evidently_nfc(s: &str) -> bool {
    s.is_ascii() || s.chars().all(evident)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{IsNormalized, is_nfc_quick};

    #[test]
    fn every_evident_character_is_nfc_and_starts_a_cluster() {
        let all = (0..=0x10ffff_u32).filter_map(char::from_u32);
        for c in all.filter(|&c| evident(c)) {
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
    }
}
