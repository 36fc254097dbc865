//! What an element's `class` and `id` words say: the furniture groups with their rules,
//! the standfirst's words, and how class names are parted into words (CamelCase, glued
//! nouns, state words left out). The look-up itself is [`super::class_match`].

use std::sync::LazyLock;

use super::class_match::ClassWords;

/// Class and id words that mark furniture, each group with its rule; earlier groups win.
pub(super) const NOISE_CLASS: &[(&[&str], &str)] = &[
    (&["pullquote", "pull-quote", "quote-pull"], "pull-quote"),
    (
        &[
            "cookie",
            "cookies",
            "consent",
            "gdpr",
            "banner",
            "meter",
            "modal",
            "popup",
            "overlay",
            "interstitial",
        ],
        "banner",
    ),
    (
        &[
            "newsletter",
            "newsletters",
            "subscribe",
            "subscription",
            "signup",
            "sign-up",
            "optin",
        ],
        "newsletter",
    ),
    (
        // The reader's tools for the article: sending it on, or saving it for later (a
        // bookmark or favourites button and its sign-in popover).
        &[
            "share",
            "shares",
            "sharing",
            "sharebar",
            "social",
            "socials",
            "bookmark",
            "bookmarks",
            "favorite",
            "favorites",
            "favourite",
            "favourites",
        ],
        "share",
    ),
    (
        &[
            "ad",
            "ads",
            "adv",
            "advert",
            "adverts",
            "advertisement",
            "advertising",
            "dfp",
            "gpt",
            "sponsor",
            "sponsored",
            "commercial",
        ],
        "ad",
    ),
    (&["promo", "promos", "promotion", "teaser", "cta"], "promo"),
    (
        &[
            "related",
            "recommended",
            "recommendations",
            "recirc",
            "recirculation",
            "outbrain",
            "taboola",
            "most-read",
            "mostread",
            "most-popular",
            "popular",
            "trending",
            "rail",
            "sidebar",
            "more-on",
            "read-next",
            "up-next",
        ],
        "related",
    ),
    (
        &[
            "nav",
            "navbar",
            "navigation",
            "menu",
            "breadcrumb",
            "breadcrumbs",
            "tags",
            "tag-list",
            "topics",
            "skip-link",
            "pagination",
            // Links to the stories before and after this one.
            "prev",
            "previous",
            "next",
            "masthead",
            "topbar",
            // A menu that opens on a click: its items are the control's.
            "dropdown",
        ],
        "navigation",
    ),
    (&["comment", "comments", "disqus"], "comments"),
    (
        &[
            "byline",
            "author-card",
            "author-box",
            // A card about the writer (name, desk, fields, a follow button). One that
            // holds a note about them in sentences is the author note (`bio`), kept.
            "author-profile",
            "writer-profile",
            "reporter-profile",
            "dateline",
            "article-dates",
            "date-simple",
            "timestamp",
        ],
        "byline",
    ),
    (
        &[
            "figure",
            "figcaption",
            "caption",
            "captions",
            "credit",
            "credits",
            "lightbox",
            "gallery",
            "carousel",
            "slideshow",
            "media-credit",
        ],
        "caption",
    ),
    // Social posts embedded by their platforms' own embed codes: another author's text.
    (
        &["twitter-tweet", "instagram-media", "tiktok-embed"],
        "embed",
    ),
    // A media player's own text: the message it shows when it fails to load ("We apologize,
    // but this video has failed to load"), its clock and its buttons.
    (
        &[
            "fallback",
            "jwplayer",
            "video-player",
            "audio-player",
            "media-player",
        ],
        "player",
    ),
    (&["footer", "site-footer"], "footer"),
    (&["header", "site-header"], "header"),
    (
        &[
            "screen-reader-text",
            "sr-only",
            "visually-hidden",
            "visuallyhidden",
            "hidden",
            "print-only",
        ],
        "hidden",
    ),
];

/// Class words of a standfirst.
const STANDFIRST_CLASS: &[&str] = &[
    "standfirst",
    "subhead",
    "sub-head",
    "subheadline",
    "dek",
    "summary",
    "lede",
    "lead",
    "intro",
    "description",
    "excerpt",
    "strapline",
    "subtitle",
    "sub-title",
    "deck",
];

static NOISE_WORDS: LazyLock<ClassWords> =
    LazyLock::new(|| ClassWords::new(NOISE_CLASS.iter().map(|(words, _)| *words)));
static STANDFIRST_WORDS: LazyLock<ClassWords> =
    LazyLock::new(|| ClassWords::new([STANDFIRST_CLASS]));

/// `class` and `id` lower-cased for [`class_rule`], CamelCase parted by hyphens
/// (`RelatedStories` is `related-stories`, `shareBar` is `share-bar`; BEM's `__` and `--`
/// part words already). Only where a capital opens a word of three letters or more after
/// a lower-case letter, in a name without digits: generated ids (`n1AuAdJlVL`) hold no
/// words. A word after `with`, `without`, `has`, `no` or `not` is the element's state, not
/// what it is (`withoutCaption`, `has-sidebar`): it is left out.
pub(super) fn class_words(class: &str, id: &str) -> String {
    let mut out = String::with_capacity(class.len() + id.len() + 8);
    for name in class
        .split_ascii_whitespace()
        .chain(id.split_ascii_whitespace())
    {
        let b = name.as_bytes();
        let camel = !b.iter().any(u8::is_ascii_digit);
        let mut split = String::with_capacity(name.len() + 4);
        for (k, &c) in name.as_bytes().iter().enumerate() {
            let word_start = camel
                && c.is_ascii_uppercase()
                && k > 0
                && b[k - 1].is_ascii_lowercase()
                && b.get(k + 1).is_some_and(u8::is_ascii_lowercase)
                && b.get(k + 2).is_some_and(u8::is_ascii_lowercase);
            if word_start {
                split.push('-');
            }
            split.push(char::from(c.to_ascii_lowercase()));
        }
        // A state word and the word after it are blanked; separators stay as they were.
        let mut blank_next = false;
        let mut k = 0;
        let b = split.as_bytes();
        while k < b.len() {
            if !b[k].is_ascii_alphanumeric() {
                out.push(char::from(b[k]));
                k += 1;
                continue;
            }
            let start = k;
            while k < b.len() && b[k].is_ascii_alphanumeric() {
                k += 1;
            }
            let w = &split[start..k];
            let state = matches!(w, "with" | "without" | "has" | "no" | "not");
            if blank_next || state {
                out.extend(std::iter::repeat_n(' ', w.len()));
            } else if let Some(cut) = glued(w) {
                out.push_str(&w[..cut]);
                out.push('-');
                out.push_str(&w[cut..]);
            } else {
                out.push_str(w);
            }
            blank_next = state;
        }
        out.push(' ');
    }
    out
}

/// Nouns that class names glue to a word saying what kind of them a box holds
/// (`relatedposts`, `sharebox`, `navlist`).
const GLUED_NOUNS: &[&str] = &[
    "posts", "post", "articles", "article", "stories", "story", "links", "items", "entries",
    "list", "box", "widget",
];

/// Where a lower-case word glued from a noise word and one of [`GLUED_NOUNS`] parts
/// (`relatedposts` at 7), as CamelCase and hyphens part words: `None` for any other word.
fn glued(w: &str) -> Option<usize> {
    GLUED_NOUNS.iter().find_map(|noun| {
        let cut = w.strip_suffix(noun)?.len();
        (cut >= 2 && NOISE_WORDS.group_of(&w[..cut]).is_some()).then_some(cut)
    })
}

/// The rule of the first noise group whose words are in `words` (lowercased class and id).
pub(super) fn class_rule(words: &str) -> Option<&'static str> {
    NOISE_WORDS.first_group(words).map(|g| NOISE_CLASS[g].1)
}

pub(super) fn standfirst_class(words: &str) -> bool {
    STANDFIRST_WORDS.first_group(words).is_some()
}
