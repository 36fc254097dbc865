//! Telling without table look-ups that a text is already in NFC (the common case of long texts).

/// Whether `c` is NFC whatever its neighbours: its NFC quick-check property is Yes and its
/// canonical combining class 0, for whole blocks where that holds for every character
/// (ASCII and Latin up to U+02FF, basic Cyrillic, Arabic and Devanagari letters, general punctuation,
/// kana, CJK ideographs, Hangul syllables). A text of such characters only is NFC; for
/// anything else, ask the quick check. The test below checks every character of the set.
pub(crate) fn evident(c: char) -> bool {
    matches!(c,
        '\0'..='\u{2ff}'
        | '\u{400}'..='\u{482}'
        | '\u{48a}'..='\u{4ff}'
        | '\u{621}'..='\u{64a}'
        | '\u{904}'..='\u{93b}'
        | '\u{93d}'..='\u{94c}'
        | '\u{94e}'..='\u{950}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205e}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a1}'..='\u{30fa}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}')
}

/// Whether every character of `s` is [`evident`]: then `s` is NFC.
pub(crate) fn evidently_nfc(s: &str) -> bool {
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
