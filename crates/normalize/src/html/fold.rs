//! Text compared loosely, as the extractor matches a page's title, standfirst and
//! articleBody against its nodes: folded to lower-case letters and digits, and looked up.
//! Both are on the path of every text node, so each is written for speed; the tests hold
//! each to its plain version (`normalize::fold_title`, `str::contains`).

pub(super) fn fold(s: &str) -> String {
    // Every text node is folded where a page has an articleBody: ASCII skips the tables.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// `hay.contains(needle)`: each of a page's text nodes is looked up in the whole
/// articleBody. Setting up a search for a long needle costs more than the search, and most
/// nodes (menus, teasers) are not there at all: the needle's first 16 bytes are looked
/// for first, and the whole compared where they are. Past 64 such places (a text that
/// repeats itself) a full search bounds the work.
pub(super) fn finder_in(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let head = &needle[..needle.len().min(16)];
    let mut places = memchr::memmem::find_iter(hay, head);
    for _ in 0..64 {
        match places.next() {
            Some(p) if hay[p..].starts_with(needle) => return true,
            Some(_) => {}
            None => return false,
        }
    }
    memchr::memmem::find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]
        /// The prefix-first search finds what a full search finds, repetitive texts too.
        #[test]
        fn finder_in_is_contains(
            hay in "(ab|a|b| ){0,200}",
            other in "(ab|a|b| ){1,30}",
            from in 0usize..400,
            len in 1usize..60,
            tail in proptest::sample::select(&["", "a", "b", " ", "x"][..]),
        ) {
            // Pieces of the text itself, some with a byte after them that may not follow.
            let piece = hay.get(from..(from + len).min(hay.len())).unwrap_or("");
            for needle in [format!("{piece}{tail}"), other] {
                if !needle.is_empty() {
                    proptest::prop_assert_eq!(finder_in(&hay, &needle), hay.contains(&*needle));
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(2000))]
        /// The fold with its ASCII shortcut is the plain one titles are compared with.
        #[test]
        fn fold_is_the_plain_fold(s in "[a-zA-Z0-9 .,'\t\n\u{a0}İßÀÉéΣς中가\u{212a}ſÅ\u{301}\u{2160}①٣-]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), crate::fold_title(&s));
        }
    }
}
