//! The writer's note as templates box it ("about the author", a bio with a portrait): found
//! anywhere on the page by its class and its shape, so that a template that moves the box
//! into the body container, or out of it, does not change the clean text.

use super::html::{Arena, Item};
use super::shapes;
use super::text::clean;

/// Whether a class names a box about the writer: a word `bio`, or `author` (`about`,
/// `contributor`) with `bio`, `info`, `about`, `description`, `details`, `profile` or `note`
/// (`article-author-bio`, `contributor__bio`, `about-the-author`).
fn bio_class(class: &str) -> bool {
    class.split_ascii_whitespace().any(|token| {
        let lower = token.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split(['-', '_']).filter(|p| !p.is_empty()).collect();
        let has = |w: &str| parts.contains(&w);
        has("bio")
            || has("bios")
            || ((has("author") || has("contributor"))
                && ["info", "about", "description", "details", "profile", "note"]
                    .iter()
                    .any(|w| has(w)))
    })
}

/// The boxes about the writer on the page, outermost ones in document order: each a
/// [`bio_class`] holding an author note's text (`shapes::author_note`: "Jane Doe is a
/// professor of ..."), not hidden. A byline box with the same class words ("By Jane Doe")
/// has no such text and is left where it is.
pub(crate) fn author_bios(arena: &Arena<'_>, silent: &[bool]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut i = 1;
    while i < arena.nodes.len() {
        let is_bio = matches!(arena.nodes[i].item, Item::Elem(_))
            && !silent[i]
            && arena.attrs(i).class.is_some_and(bio_class)
            && arena.folded_len_within(i, 1200).is_some()
            && {
                let text = clean(&arena.text_of(i));
                let words = text.split_whitespace().count();
                (8..=120).contains(&words) && shapes::author_note(&text)
            };
        if is_bio {
            found.push(i);
            i = arena.nodes[i].end;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_boxes_about_the_writer() {
        for c in [
            "article-author-bio",
            "contributor__bio",
            "about-the-author",
            "author-info",
            "b-author-bio",
            "c-stack Bio",
        ] {
            assert!(bio_class(c), "{c}");
        }
        for c in ["biology", "byline", "author", "article-body", "author-name"] {
            assert!(!bio_class(c), "{c}");
        }
    }
}
