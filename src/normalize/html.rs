//! HTML pages: a flat copy of the tree, noise marked by tag and class, the body found by
//! text density, and its blocks read out in order. Every walk is a loop over the flat
//! copy, never a recursion, so nesting depth cannot overflow the stack.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Node as DomNode};

use super::Stripped;
use super::site::SiteRules;
use super::text::{Block, Kind, clean};

/// What one node of the flat tree is.
#[derive(Clone, Copy)]
pub(crate) enum Item<'a> {
    Elem(ElementRef<'a>),
    Text(&'a str),
    Other,
}

pub(crate) struct FlatNode<'a> {
    pub item: Item<'a>,
    /// Index of the parent; the root is its own parent.
    pub parent: usize,
    /// One past the last node of this node's subtree: nodes are in document order.
    pub end: usize,
    /// Where this element's attributes are in [`Arena::attrs`] (0: none of them).
    attrs: u32,
}

/// An element's attributes that the extractor reads.
#[derive(Clone, Copy, Default)]
pub(crate) struct Attrs<'a> {
    pub class: Option<&'a str>,
    pub id: Option<&'a str>,
    pub role: Option<&'a str>,
    pub itemprop: Option<&'a str>,
    pub aria_hidden: Option<&'a str>,
    /// `hidden`, or an inline style of `display: none` or `visibility: hidden`.
    pub hidden: bool,
}

/// An inline style that hides its element.
fn style_hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    s.split(';').any(|d| {
        let d = d.trim_end_matches("!important");
        d == "display:none" || d == "visibility:hidden"
    })
}

/// A class list that hides its element as `display: none` does: Bootstrap's `d-none`, the
/// most used framework's utility, unless a responsive class shows it again on some screens
/// (`d-none d-md-block`: shown to a reader on a wide screen).
fn class_hides(class: &str) -> bool {
    let mut none = false;
    for w in class.split_ascii_whitespace() {
        if w.eq_ignore_ascii_case("d-none") {
            none = true;
        } else if w
            .as_bytes()
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"d-"))
            && !w.ends_with("-none")
        {
            return false;
        }
    }
    none
}

impl<'a> Attrs<'a> {
    /// None when the element has none of them.
    fn of(e: &ElementRef<'a>) -> Option<Self> {
        let mut a = Attrs::default();
        let mut any = false;
        // As `Element::attr` finds them: in no namespace (`xlink:role` is not `role`).
        for (name, value) in e.value().attrs.iter().filter(|(n, _)| n.ns.is_empty()) {
            let slot = match &*name.local {
                "class" => &mut a.class,
                "id" => &mut a.id,
                "role" => &mut a.role,
                "itemprop" => &mut a.itemprop,
                "aria-hidden" => &mut a.aria_hidden,
                "hidden" => {
                    a.hidden = true;
                    any = true;
                    continue;
                }
                "style" => {
                    if style_hides(value) {
                        a.hidden = true;
                        any = true;
                    }
                    continue;
                }
                _ => continue,
            };
            slot.get_or_insert(&**value);
            any = true;
        }
        a.hidden |= a.class.is_some_and(class_hides);
        any.then_some(a)
    }
}

/// The document in document order: a subtree is the range `i..nodes[i].end`, and a
/// parent always comes before its children, so bottom-up sums are one reverse loop.
pub(crate) struct Arena<'a> {
    pub nodes: Vec<FlatNode<'a>>,
    /// The attributes the extractor reads, looked up once: each `Element::attr` call
    /// interns the name and scans the list, and every element is asked several times.
    /// Kept apart, for the elements that have any, so that text nodes carry nothing.
    attrs: Vec<Attrs<'a>>,
}

impl<'a> Arena<'a> {
    pub fn build(doc: &'a Html) -> Self {
        let mut nodes: Vec<FlatNode<'a>> = Vec::new();
        let mut attrs = vec![Attrs::default()];
        let mut open: Vec<usize> = Vec::new();
        let mut node = doc.tree.root();
        'walk: loop {
            let idx = nodes.len();
            let item = match node.value() {
                DomNode::Element(_) => ElementRef::wrap(node).map_or(Item::Other, Item::Elem),
                DomNode::Text(t) => Item::Text(t),
                _ => Item::Other,
            };
            let at = match &item {
                Item::Elem(e) => Attrs::of(e).map_or(0, |a| {
                    attrs.push(a);
                    u32::try_from(attrs.len() - 1).unwrap_or(0)
                }),
                _ => 0,
            };
            nodes.push(FlatNode {
                item,
                parent: open.last().copied().unwrap_or(0),
                end: idx + 1,
                attrs: at,
            });
            if let Some(child) = node.first_child() {
                open.push(idx);
                node = child;
                continue;
            }
            let mut at = node;
            loop {
                if let Some(next) = at.next_sibling() {
                    node = next;
                    continue 'walk;
                }
                let (Some(p), Some(parent)) = (open.pop(), at.parent()) else {
                    break 'walk;
                };
                nodes[p].end = nodes.len();
                at = parent;
            }
        }
        Arena { nodes, attrs }
    }

    /// The attributes of node `i` that the extractor reads (none for text).
    pub fn attrs(&self, i: usize) -> &Attrs<'a> {
        &self.attrs[self.nodes[i].attrs as usize]
    }

    pub fn tag(&self, i: usize) -> &'a str {
        match self.nodes[i].item {
            Item::Elem(e) => e.value().name(),
            _ => "",
        }
    }

    /// The length in bytes of `fold(&self.text_of(i))`, when it is at most `cap`. Stops
    /// past `cap`, and builds no text: a standfirst is looked for among thousands of
    /// elements, most holding far more.
    pub fn folded_len_within(&self, i: usize, cap: usize) -> Option<usize> {
        let mut n = 0;
        for node in &self.nodes[i..self.nodes[i].end] {
            if let Item::Text(t) = node.item {
                for c in t.chars() {
                    if c.is_ascii() {
                        n += usize::from(c.is_ascii_alphanumeric());
                    } else if c.is_alphanumeric() {
                        n += c.to_lowercase().map(char::len_utf8).sum::<usize>();
                    }
                }
                if n > cap {
                    return None;
                }
            }
        }
        Some(n)
    }

    /// All text under node `i`, raw.
    pub fn text_of(&self, i: usize) -> String {
        let mut s = String::new();
        for n in &self.nodes[i..self.nodes[i].end] {
            if let Item::Text(t) = n.item {
                s.push_str(t);
            }
        }
        s
    }
}

/// Elements that never hold article text; dropped without a record.
fn silent_tag(tag: &str) -> bool {
    matches!(
        tag,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
            | "img"
            | "select"
            | "input"
            | "textarea"
            | "button"
            | "link"
            | "meta"
            | "title"
            | "dialog"
    )
}

/// Elements that are page furniture by their tag, and the rule that names them.
fn noise_tag(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "nav" => "navigation",
        "header" => "header",
        "footer" => "footer",
        "aside" => "aside",
        "form" => "form",
        "figure" | "figcaption" => "caption",
        _ => return None,
    })
}

fn noise_role(role: &str) -> Option<&'static str> {
    Some(match role {
        "navigation" | "menubar" | "menu" => "navigation",
        "banner" => "header",
        "contentinfo" => "footer",
        "complementary" => "aside",
        "dialog" | "alertdialog" | "alert" => "banner",
        _ => return None,
    })
}

/// Class and id words that mark furniture, each group with its rule; earlier groups win.
const NOISE_CLASS: &[(&[&str], &str)] = &[
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
        &[
            "share", "shares", "sharing", "sharebar", "social", "socials",
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
        ],
        "navigation",
    ),
    (&["comment", "comments", "disqus"], "comments"),
    (
        &[
            "byline",
            "author-card",
            "author-box",
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

/// Words of lower-cased `class`, `id` and `itemprop` values, looked up whole: a word is a run
/// of ASCII letters and digits, or several such runs joined by single hyphens
/// (`site-footer`), so `header-ads-shadow` holds `ads` and `skip-link-top` holds
/// `skip-link`. By hand rather than one regular expression, whose compiling cost more than
/// the look-ups of a whole page.
struct ClassWords {
    /// (word, group) by the word's first byte, each list in group order.
    by_first: Vec<Vec<(&'static str, usize)>>,
    /// The most runs any word spans.
    runs: usize,
}

impl ClassWords {
    fn new<'a>(groups: impl IntoIterator<Item = &'a [&'static str]>) -> Self {
        let mut by_first = vec![Vec::new(); 128];
        let mut runs = 1;
        for (g, words) in groups.into_iter().enumerate() {
            for &w in words {
                runs = runs.max(w.matches('-').count() + 1);
                if let Some(list) = w
                    .bytes()
                    .next()
                    .and_then(|b| by_first.get_mut(usize::from(b)))
                {
                    list.push((w, g));
                }
            }
        }
        ClassWords { by_first, runs }
    }

    fn group_of(&self, word: &str) -> Option<usize> {
        let list = self.by_first.get(usize::from(*word.as_bytes().first()?))?;
        list.iter().find(|(w, _)| *w == word).map(|&(_, g)| g)
    }

    /// The first group (the lowest index) with a word in `s`.
    fn first_group(&self, s: &str) -> Option<usize> {
        let b = s.as_bytes();
        let alnum = |i: usize| {
            b.get(i)
                .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        };
        let mut best: Option<usize> = None;
        let mut i = 0;
        while i < b.len() {
            if !alnum(i) {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = start;
            for m in 0..self.runs {
                // Runs join into one word across a single hyphen only.
                if m > 0 && !(b[end] == b'-' && alnum(end + 1)) {
                    break;
                }
                end += usize::from(m > 0);
                while alnum(end) {
                    end += 1;
                }
                if m == 0 {
                    i = end;
                }
                if let Some(g) = self.group_of(&s[start..end]) {
                    best = Some(best.map_or(g, |b| b.min(g)));
                }
                if end == b.len() {
                    break;
                }
            }
        }
        best
    }
}

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
fn class_words(class: &str, id: &str) -> String {
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
fn class_rule(words: &str) -> Option<&'static str> {
    NOISE_WORDS.first_group(words).map(|g| NOISE_CLASS[g].1)
}

fn standfirst_class(words: &str) -> bool {
    STANDFIRST_WORDS.first_group(words).is_some()
}

/// Blocks: a new paragraph starts when one of these opens or closes.
fn block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "tr"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "center"
            | "address"
            | "hr"
            | "body"
            | "h1"
            | "details"
            | "summary"
            | "fieldset"
            | "hgroup"
    )
}

fn heading_tag(tag: &str) -> bool {
    matches!(tag, "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Why node `i` is dropped: `Some(None)` silently, `Some(Some(rule))` with a record.
type Drop = Option<Option<&'static str>>;

/// Everything read from an HTML page.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub title: Option<String>,
    pub standfirst: Option<String>,
    pub body: Vec<Block>,
    pub stripped: Vec<Stripped>,
    /// The writer's notes boxed by the template ([`super::bio`]), to follow the body once
    /// its noise is gone.
    pub notes: Vec<Block>,
}

/// Share of the page's text above which an element is never dropped for its class: the
/// article container may carry a class like `article--with-ads`.
const GUARD_SHARE: f64 = 0.4;

pub(crate) fn extract(
    arena: &Arena<'_>,
    site: &SiteRules,
    meta_title: Option<&str>,
    description: Option<&str>,
    article_body: Option<&str>,
) -> Page {
    let n = arena.nodes.len();
    // Pass 1, top down: silent drops and "inside a link" flags.
    let mut silent = vec![false; n];
    let mut in_link = vec![false; n];
    for i in 1..n {
        let p = arena.nodes[i].parent;
        silent[i] = silent[p];
        in_link[i] = in_link[p];
        if let Item::Elem(e) = arena.nodes[i].item {
            silent[i] |= silent_tag(e.value().name());
            in_link[i] |= e.value().name() == "a";
        }
    }
    // Hidden elements are silent too, unless they hold much of the page (a streamed
    // page is sent hidden and shown by its script) or are gated article text: marked
    // `paywall` and hidden until the reader subscribes (a banner is named otherwise).
    let seen = weights(arena, |i| !silent[i]);
    let big = seen[0] * 2 / 5;
    for i in 1..n {
        let p = arena.nodes[i].parent;
        silent[i] |= silent[p];
        let a = arena.attrs(i);
        if a.hidden {
            let gated = a.class.is_some_and(|c| {
                c.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("paywall"))
            });
            silent[i] |= !gated && seen[i] <= big;
        }
    }
    // Pass 2, bottom up: visible text per subtree, and visible non-link text.
    let shown = weights(arena, |i| !silent[i]);
    let weight = weights(arena, |i| !silent[i] && !in_link[i]);
    let total = weight[0].max(1) as f64;
    // Prose: text in paragraphs. An element holding most of it, or much of it and little
    // else, is the article's whatever its class says (`sidebar-grid__content` is a layout).
    let mut in_p = vec![false; n];
    for i in 1..n {
        in_p[i] = in_p[arena.nodes[i].parent] || arena.tag(i) == "p";
    }
    let prose = weights(arena, |i| in_p[i] && !silent[i] && !in_link[i]);
    let prose_total = prose[0];

    // The JSON-LD articleBody, where there is one, locates the body; its elements are kept.
    // Else the element the page marks `itemprop=articleBody` (microdata) does.
    let evidence = article_body
        .and_then(|b| locate(arena, &silent, b))
        .or_else(|| microdata_body(arena, &silent, &weight));
    let protected = evidence.as_ref().map(|e| &e.protected);

    // Pass 3, top down: the drop decision of each outermost dropped element.
    let mut drop: Vec<Drop> = vec![None; n];
    let mut i = 0;
    while i < n {
        let d = if silent[i] {
            Some(None)
        } else {
            let keep = if protected.is_some_and(|p| p[i]) || prose[i] * 2 > prose_total {
                Keep::Always
            } else if prose[i] * 6 >= prose_total
                && prose[i] * 10 >= weight[i] * 7
                && (shown[i] - weight[i]) * 10 <= shown[i] * 3
            {
                Keep::Layout
            } else {
                Keep::No
            };
            decide(arena, i, weight[i] as f64 / total, site, keep)
        };
        if d.is_some() {
            drop[i] = d;
            i = arena.nodes[i].end;
        } else {
            i += 1;
        }
    }
    // Text that counts for finding the body: visible, not a link, not dropped.
    let mut dropped = vec![false; n];
    for i in 1..n {
        dropped[i] = dropped[arena.nodes[i].parent] || drop[i].is_some();
    }
    let weight = weights(arena, |i| !dropped[i] && !in_link[i]);

    let container = site
        .body_index(arena)
        .or(evidence.as_ref().map(|e| e.container))
        .unwrap_or_else(|| {
            // Link text counts here: an ancestor that adds a list of links adds much.
            let seen = weights(arena, |i| !dropped[i]);
            widen(arena, &seen, find_cluster(arena, &dropped, &in_link))
        });
    let title_at = find_title(arena, &dropped, container, meta_title);
    // A page that runs on into the next stories (each an `<article>`) holds the title in
    // the first: the article is that one.
    let container = match (site.body_index(arena), title_at) {
        (None, Some(t)) => titled_article(arena, container, t, &weight),
        _ => container,
    };
    let standfirst_at = find_standfirst(arena, &dropped, title_at, description);

    let mut page = Page {
        title: title_at
            .map(|t| clean(&arena.text_of(t)))
            .filter(|t| !t.is_empty()),
        standfirst: standfirst_at
            .map(|s| clean(&arena.text_of(s)))
            .filter(|s| !s.is_empty()),
        ..Page::default()
    };
    // Records of dropped blocks, in document order; the title's and standfirst's
    // header is dropped too but their text is in the clean text, so it is not recorded.
    let mut i = 0;
    while i < n {
        if let Some(d) = drop[i] {
            if let Some(rule) = d {
                let text = clean(&visible_text(arena, i, &silent));
                let holds_head = [title_at, standfirst_at]
                    .iter()
                    .flatten()
                    .any(|&h| i <= h && h < arena.nodes[i].end);
                if !text.is_empty() && !holds_head {
                    page.stripped.push(Stripped {
                        rule: rule.to_string(),
                        text,
                    });
                }
            }
            i = arena.nodes[i].end;
        } else {
            i += 1;
        }
    }
    // The writer's note is the article's last paragraph wherever the template puts its
    // box (inside the body container or beside it): decided once, so that it cannot come
    // and go, or move, between captures of one article.
    let bios = super::bio::author_bios(arena, &silent);
    let mut skip = vec![title_at, standfirst_at];
    skip.extend(bios.iter().copied().map(Some));
    // Media per subtree, and the text around it: a caption shares a small box with its image.
    let mut media = vec![false; n];
    for i in (1..n).rev() {
        media[i] |= is_media(arena.tag(i));
        let p = arena.nodes[i].parent;
        media[p] |= media[i];
    }
    let boxed = Boxed {
        media: &media,
        weight: &shown,
    };
    page.body = blocks(arena, container, &drop, &in_link, &skip, &boxed);
    // The outlet's source line ("originally published by") is evidence of where the text
    // comes from, and templates set it just outside the element marked as the body: it is
    // looked for there (the noise pass records it and keeps it out of the text).
    if evidence.as_ref().is_some_and(|e| e.marked) && site.body_index(arena).is_none() {
        // Up to two levels above the mark, below `<body>`.
        let mut outer = container;
        for _ in 0..2 {
            let p = arena.nodes[outer].parent;
            if p == outer || matches!(arena.tag(p), "body" | "html" | "") {
                break;
            }
            outer = p;
        }
        if outer != container {
            skip.push(Some(container));
            page.body.extend(
                blocks(arena, outer, &drop, &in_link, &skip, &boxed)
                    .into_iter()
                    .filter(|b| b.text.split_whitespace().count() <= 60)
                    .filter(|b| super::shapes::attribution(&b.text)),
            );
        }
    }
    // Each box's own blocks, as the body's are read (what is dropped inside it stays
    // out), in the order of their text: where each stood does not count.
    let mut notes: Vec<Vec<Block>> = bios
        .iter()
        .map(|&b| {
            let mut own = drop.clone();
            own[b] = None;
            blocks(arena, b, &own, &in_link, &[], &boxed)
        })
        .collect();
    notes.sort_by(|x, y| {
        let text = |v: &Vec<Block>| v.first().map(|b| b.text.clone());
        text(x).cmp(&text(y))
    });
    notes.dedup();
    page.notes = notes.into_iter().flatten().collect();
    page
}

/// The text under node `i` as it was seen, for the record of what was stripped: hidden
/// copies (a lightbox's caption) left out, and a space wherever a block opens or closes and
/// between two links that touch, so that a menu's items read `News Middle East`, not
/// `NewsMiddle East`.
fn visible_text(arena: &Arena<'_>, i: usize, silent: &[bool]) -> String {
    let mut s = String::new();
    // Where each open block and each open link ends, innermost last (stacks, not
    // recursion: nesting is input).
    let (mut blocks, mut links): (Vec<usize>, Vec<(usize, usize)>) = (Vec::new(), Vec::new());
    // The link the last text was in, if it was in one.
    let mut last_link = None;
    for (j, &hidden) in silent.iter().enumerate().take(arena.nodes[i].end).skip(i) {
        while blocks.pop_if(|&mut end| end <= j).is_some() {
            s.push(' ');
        }
        while links.pop_if(|&mut (_, end)| end <= j).is_some() {}
        if hidden {
            continue;
        }
        match arena.nodes[j].item {
            Item::Text(t) => {
                let link = links.last().map(|&(at, _)| at);
                if link.is_some() && last_link.is_some() && link != last_link {
                    s.push(' ');
                }
                last_link = link;
                s.push_str(t);
            }
            Item::Elem(e) if j > i && parts_text(e.value().name()) => {
                s.push(' ');
                blocks.push(arena.nodes[j].end);
            }
            Item::Elem(e) if e.value().name() == "a" => links.push((j, arena.nodes[j].end)),
            _ => {}
        }
    }
    s
}

/// Elements a browser sets apart from the text around them (its block-level elements,
/// table cells, line breaks): the blocks of [`block_tag`] and the others.
fn parts_text(tag: &str) -> bool {
    block_tag(tag)
        || heading_tag(tag)
        || matches!(
            tag,
            "br" | "td"
                | "th"
                | "nav"
                | "header"
                | "footer"
                | "aside"
                | "figure"
                | "figcaption"
                | "form"
                | "dialog"
                | "legend"
                | "menu"
                | "search"
        )
}

/// Where a page's JSON-LD `articleBody` is in the tree.
struct Evidence {
    container: usize,
    /// The container, its ancestors and the elements holding much of the body: never dropped.
    protected: Vec<bool>,
    /// Found by the page's microdata mark rather than by matching JSON-LD's text.
    marked: bool,
}

/// Visible non-link text an element marked `itemprop=articleBody` needs to be taken for
/// the body: less is an empty slot or a teaser.
const MICRODATA_MIN: usize = 200;

/// The element marked `itemprop=articleBody` holding the most visible text, the
/// publisher's own mark of the body, as JSON-LD's articleBody is: it and its ancestors
/// are never dropped.
fn microdata_body(arena: &Arena<'_>, silent: &[bool], weight: &[usize]) -> Option<Evidence> {
    let n = arena.nodes.len();
    let container = (1..n)
        .filter(|&i| !silent[i] && weight[i] >= MICRODATA_MIN)
        .filter(|&i| {
            arena.attrs(i).itemprop.is_some_and(|v| {
                v.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("articleBody"))
            })
        })
        .max_by_key(|&i| (weight[i], std::cmp::Reverse(i)))?;
    let mut protected = vec![false; n];
    let mut a = container;
    loop {
        protected[a] = true;
        let p = arena.nodes[a].parent;
        if p == a {
            break;
        }
        a = p;
    }
    Some(Evidence {
        container,
        protected,
        marked: true,
    })
}

/// Text nodes shorter than this (in folded characters) are not looked up in the articleBody.
const EVIDENCE_MIN_NODE: usize = 12;

/// Find the element whose text best matches the articleBody: each visible text node is
/// looked up in it, and the element with the best F1 of matched characters wins. The
/// articleBody is only evidence: the text still comes from the page, and a body that
/// matches little of the page (a teaser, another article's) is ignored.
fn locate(arena: &Arena<'_>, silent: &[bool], body: &str) -> Option<Evidence> {
    let folded = fold(body);
    let body_len = folded.chars().count();
    if body_len < 200 {
        return None;
    }
    let n = arena.nodes.len();
    let mut total = vec![0usize; n];
    let mut matched = vec![0usize; n];
    for i in (1..n).rev() {
        if let Item::Text(t) = arena.nodes[i].item
            && !silent[i]
        {
            let f = fold(t);
            let len = f.chars().count();
            total[i] += len;
            if len >= EVIDENCE_MIN_NODE && finder_in(&folded, &f) {
                matched[i] += len;
            }
        }
        let p = arena.nodes[i].parent;
        total[p] += total[i];
        matched[p] += matched[i];
    }
    let all = matched[0];
    if all < 100 || all * 10 < body_len * 3 {
        return None;
    }
    let mut best = (0.0, 0);
    for i in 0..n {
        if !matches!(
            arena.tag(i),
            "div" | "article" | "main" | "section" | "body" | "td" | "center"
        ) {
            continue;
        }
        let f1 = 2.0 * matched[i] as f64 / (total[i] + all) as f64;
        if f1 >= best.0 {
            best = (f1, i);
        }
    }
    let container = best.1;
    let mut protected = vec![false; n];
    let end = arena.nodes[container].end;
    for i in 1..n {
        // Much of the body, or a block that is nearly all body text (a standfirst the
        // articleBody opens with, a paragraph in a box classed like a teaser).
        let inside = container <= i && i < end;
        protected[i] = (inside && matched[i] * 5 >= all && matched[i] * 2 >= total[i])
            || (matched[i] >= 100 && matched[i] * 10 >= total[i] * 9);
    }
    let mut a = container;
    loop {
        protected[a] = true;
        let p = arena.nodes[a].parent;
        if p == a {
            break;
        }
        a = p;
    }
    Some(Evidence {
        container,
        protected,
        marked: false,
    })
}

/// `hay.contains(needle)`: each of a page's text nodes is looked up in the whole
/// articleBody. Setting up a search for a long needle costs more than the search, and most
/// nodes (menus, teasers) are not there at all: the needle's first 16 bytes are looked
/// for first, and the whole compared where they are. Past 64 such places (a text that
/// repeats itself) a full search bounds the work.
fn finder_in(hay: &str, needle: &str) -> bool {
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

fn weights(arena: &Arena<'_>, counts: impl Fn(usize) -> bool) -> Vec<usize> {
    let n = arena.nodes.len();
    let mut w = vec![0usize; n];
    for i in (1..n).rev() {
        if let Item::Text(t) = arena.nodes[i].item
            && counts(i)
        {
            w[i] += t.chars().filter(|c| !c.is_whitespace()).count();
        }
        let p = arena.nodes[i].parent;
        w[p] += w[i];
    }
    w
}

/// How sure it is that an element holds the article's text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    No,
    /// Much prose and little else: a layout class (`sidebar-grid`, `rail`) does not drop it,
    /// a banner's or a comment section's does.
    Layout,
    /// Most of the prose, or the articleBody's text: only a per-site rule drops it.
    Always,
}

/// Is element `i` furniture? `share` is its part of the page's text.
fn decide(arena: &Arena<'_>, i: usize, share: f64, site: &SiteRules, keep: Keep) -> Drop {
    let Item::Elem(e) = arena.nodes[i].item else {
        return None;
    };
    if site.drops(&e) {
        return Some(Some("per-site"));
    }
    let el = e.value();
    if keep == Keep::Always || matches!(el.name(), "html" | "body") || share > GUARD_SHARE {
        return None;
    }
    let a = arena.attrs(i);
    if a.aria_hidden
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Some(None);
    }
    let (class, id) = (a.class.unwrap_or(""), a.id.unwrap_or(""));
    let by_class = if class.is_empty() && id.is_empty() {
        None
    } else {
        class_rule(&class_words(class, id))
    };
    if let Some(rule) = by_class {
        // A word is evidence only beside the shape of furniture: an element of much prose
        // and few links is article text whatever its class or id says (a section id that
        // is its heading's slug, `sharing-with-a-single-developer`; a state word, `modal`).
        // Comments are prose too, a page's footer and header hold its legal prose and
        // its masthead, and hidden text is not shown.
        if keep == Keep::Layout && !matches!(rule, "comments" | "hidden" | "footer" | "header") {
            return None;
        }
        return Some(if rule == "hidden" { None } else { Some(rule) });
    }
    if let Some(rule) = a.role.and_then(|r| noise_role(&r.to_ascii_lowercase())) {
        return Some(Some(rule));
    }
    noise_tag(el.name()).map(Some)
}

/// Inline elements: text inside them belongs to the block around them.
fn inline_tag(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "span"
            | "em"
            | "strong"
            | "b"
            | "i"
            | "u"
            | "s"
            | "small"
            | "sup"
            | "sub"
            | "mark"
            | "abbr"
            | "cite"
            | "q"
            | "time"
            | "font"
            | "code"
            | "br"
            | "wbr"
            | "ruby"
            | "rt"
            | "rp"
            | "del"
            | "ins"
            | "bdi"
            | "bdo"
            | "label"
            | "var"
            | "kbd"
            | "dfn"
    )
}

/// Text blocks shorter than this (non-white-space characters) do not vote for a container.
const MIN_VOTE: usize = 25;

/// The element that best holds the page's prose: a block of text (a `<p>`, a `<div>` with
/// text of its own) of at least [`MIN_VOTE`] characters outside links is prose; the
/// container is the element with the best F1 of prose against all its text, links
/// included. Short articles amid long lists of other stories are found this way where
/// a share of the page's text would take the whole list.
fn find_cluster(arena: &Arena<'_>, dropped: &[bool], in_link: &[bool]) -> usize {
    let n = arena.nodes.len();
    // Non-link text of each block, then prose and all text (links too) per subtree.
    let mut own = vec![0usize; n];
    let mut own_ideo = vec![0usize; n];
    let mut all = vec![0usize; n];
    for i in (1..n).rev() {
        if let Item::Text(t) = arena.nodes[i].item
            && !dropped[i]
        {
            let len = t.chars().filter(|c| !c.is_whitespace()).count();
            all[i] += len;
            if !in_link[i] {
                let mut b = arena.nodes[i].parent;
                while b != 0 && inline_tag(arena.tag(b)) {
                    b = arena.nodes[b].parent;
                }
                own[b] += len;
                // A CJK character says about as much as a short word.
                own_ideo[b] += t.chars().filter(|&c| wide(c)).count();
            }
        }
        let p = arena.nodes[i].parent;
        all[p] += all[i];
    }
    // Link text per block; a card's links are its headline, a block mostly of links: a
    // link inside a paragraph of prose makes no card.
    let block_of = |i: usize| {
        let mut b = arena.nodes[i].parent;
        while b != 0 && inline_tag(arena.tag(b)) {
            b = arena.nodes[b].parent;
        }
        b
    };
    let mut block_links = vec![0usize; n];
    for i in 1..n {
        if let Item::Text(t) = arena.nodes[i].item
            && !dropped[i]
            && in_link[i]
        {
            block_links[block_of(i)] += t.chars().filter(|c| !c.is_whitespace()).count();
        }
    }
    let mut linked = vec![0usize; n];
    for i in (1..n).rev() {
        if let Item::Text(t) = arena.nodes[i].item
            && !dropped[i]
            && in_link[i]
        {
            let b = block_of(i);
            if own[b] < block_links[b] {
                linked[i] += t.chars().filter(|c| !c.is_whitespace()).count();
            }
        }
        let p = arena.nodes[i].parent;
        linked[p] += linked[i];
    }
    let mut prose: Vec<usize> = (0..n)
        .map(|i| {
            if own[i] + own_ideo[i] >= MIN_VOTE
                && !teaser(arena, i, (&own, &own_ideo), &all, &linked)
            {
                own[i]
            } else {
                0
            }
        })
        .collect();
    let voter: Vec<bool> = prose.iter().map(|&x| x > 0).collect();
    for i in (1..n).rev() {
        let p = arena.nodes[i].parent;
        prose[p] += prose[i];
    }
    let whole = prose[0];
    if whole == 0 {
        return 0;
    }
    let mut best = (0.0, 0);
    for i in 0..n {
        if !matches!(
            arena.tag(i),
            "div" | "article" | "main" | "section" | "body" | "td" | "center" | "form"
        ) {
            continue;
        }
        let f1 = 2.0 * prose[i] as f64 / (all[i] + whole) as f64;
        if f1 >= best.0 {
            best = (f1, i);
        }
    }
    let mut at = best.1;
    // Prose outside the article (a copyright notice, a comment policy) pulls the best F1
    // up to a wide ancestor on a short page: go down while one child holds nearly all of it,
    // unless what it leaves out is the body's own prose: blocks in the markup of the child's
    // (its opening, set apart from the rest by an ad or a "read more" fold).
    let shape = |b: usize| (arena.tag(b), arena.attrs(b).class.unwrap_or(""));
    let body_part_left_out = |at: usize, c: usize| {
        let end = arena.nodes[c].end;
        let inner: std::collections::BTreeSet<(&str, &str)> =
            (c..end).filter(|&i| voter[i]).map(shape).collect();
        (at..arena.nodes[at].end)
            .filter(|&i| voter[i] && !(c..end).contains(&i))
            .filter(|&i| inner.contains(&shape(i)))
            .count()
            >= 2
    };
    'down: loop {
        let mut c = at + 1;
        while c < arena.nodes[at].end {
            if prose[c] * 5 >= prose[at] * 4 && prose[c] < prose[at] && !body_part_left_out(at, c) {
                at = c;
                continue 'down;
            }
            if prose[c] == prose[at] && matches!(arena.nodes[c].item, Item::Elem(_)) {
                // A wrapper with all of it: look inside it.
                c += 1;
                continue;
            }
            c = arena.nodes[c].end;
        }
        break;
    }
    at
}

/// Han, kana and Hangul: scripts written without spaces between words.
fn wide(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

/// Is block `b` the blurb of a card for another story: close to a link of its own
/// (the card's headline) in a small element holding little else?
fn teaser(
    arena: &Arena<'_>,
    b: usize,
    (own, own_ideo): (&[usize], &[usize]),
    all: &[usize],
    linked: &[usize],
) -> bool {
    let mut a = b;
    for _ in 0..3 {
        let p = arena.nodes[a].parent;
        if p == a {
            return false;
        }
        a = p;
        if all[a] > own[b] * 3 + 200 {
            return false;
        }
        if linked[a] - linked[b] >= 15 {
            // The card, or the list item holding it, has siblings like it.
            let p = arena.nodes[a].parent;
            let listed = [a, p, arena.nodes[p].parent]
                .iter()
                .any(|&x| similar_siblings(arena, x) >= 2);
            // A CJK character says about as much as a short word, as for MIN_VOTE.
            return own[b] + own_ideo[b] < 400 && listed;
        }
    }
    false
}

/// How many siblings of element `a` share its tag: cards come in lists.
fn similar_siblings(arena: &Arena<'_>, a: usize) -> usize {
    let p = arena.nodes[a].parent;
    let tag = arena.tag(a);
    let mut count = 0;
    let mut c = p + 1;
    while c < arena.nodes[p].end {
        if c != a && arena.tag(c) == tag {
            count += 1;
        }
        c = arena.nodes[c].end;
    }
    count
}

/// The `<article>` inside `container` that holds the title `t`, if it holds a fair part
/// of the container's text, else `container`.
fn titled_article(arena: &Arena<'_>, container: usize, t: usize, weight: &[usize]) -> usize {
    if t <= container || t >= arena.nodes[container].end {
        return container;
    }
    let mut a = arena.nodes[t].parent;
    while a > container {
        if arena.tag(a) == "article" && weight[a] * 10 >= weight[container] * 3 {
            return a;
        }
        a = arena.nodes[a].parent;
    }
    container
}

/// The container widened to its ancestors while they add little (an author note or a
/// source line just outside the body's `<div>`).
fn widen(arena: &Arena<'_>, weight: &[usize], mut best: usize) -> usize {
    for _ in 0..3 {
        let p = arena.nodes[best].parent;
        if p == best
            || matches!(arena.tag(p), "body" | "html" | "")
            || weight[p] * 10 > weight[best] * 11
        {
            break;
        }
        best = p;
    }
    best
}

fn fold(s: &str) -> String {
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

/// The `<h1>` that matches the declared title, else the first in the body, else the last before it.
fn find_title(
    arena: &Arena<'_>,
    dropped: &[bool],
    container: usize,
    meta_title: Option<&str>,
) -> Option<usize> {
    let meta = meta_title.map(fold).filter(|m| !m.is_empty());
    let h1s: Vec<usize> = (0..arena.nodes.len())
        .filter(|&i| arena.tag(i) == "h1" && !fold(&arena.text_of(i)).is_empty())
        .filter(|&i| {
            !dropped[i] || !matches!(arena.tag(arena.nodes[i].parent), "nav" | "footer" | "aside")
        })
        .collect();
    if let Some(meta) = &meta
        && let Some(&h) = h1s.iter().find(|&&h| {
            let t = fold(&arena.text_of(h));
            meta.starts_with(&t) || t.starts_with(meta.as_str())
        })
    {
        return Some(h);
    }
    let end = arena.nodes[container].end;
    h1s.iter()
        .copied()
        .find(|&h| h >= container && h < end)
        .or_else(|| h1s.iter().copied().rev().find(|&h| h < container))
}

/// An element after the title with a standfirst's class, or the paragraph after it that
/// repeats the page's description.
fn find_standfirst(
    arena: &Arena<'_>,
    dropped: &[bool],
    title: Option<usize>,
    description: Option<&str>,
) -> Option<usize> {
    let from = title.map_or(0, |t| arena.nodes[t].end);
    let to = arena.nodes.len().min(from + 2000);
    let desc = description.map(fold).filter(|d| d.len() >= 20);
    let mut by_desc = None;
    for (i, node) in arena.nodes.iter().enumerate().take(to).skip(from) {
        let Item::Elem(e) = node.item else {
            continue;
        };
        let el = e.value();
        if !matches!(el.name(), "p" | "div" | "h2" | "span" | "section") {
            continue;
        }
        let Some(len) = arena.folded_len_within(i, 800) else {
            continue;
        };
        if len < 20 {
            continue;
        }
        let a = arena.attrs(i);
        let class =
            format!("{} {}", a.class.unwrap_or(""), a.itemprop.unwrap_or("")).to_ascii_lowercase();
        let inside_related = dropped[i] && ancestors_have_class(arena, i, "related");
        if standfirst_class(&class) && !inside_related {
            return Some(i);
        }
        if by_desc.is_none()
            && el.name() == "p"
            && desc.as_deref().is_some_and(|d| {
                let text = fold(&arena.text_of(i));
                text == d || (d.len() > 60 && text.starts_with(d))
            })
        {
            by_desc = Some(i);
        }
    }
    by_desc
}

fn ancestors_have_class(arena: &Arena<'_>, mut i: usize, word: &str) -> bool {
    while i != 0 {
        if arena.attrs(i).class.is_some_and(|c| c.contains(word)) {
            return true;
        }
        i = arena.nodes[i].parent;
    }
    false
}

fn is_media(tag: &str) -> bool {
    matches!(tag, "img" | "picture" | "figure" | "video")
}

/// What tells that a block shares a box with an image.
struct Boxed<'a> {
    media: &'a [bool],
    weight: &'a [usize],
}

/// Text a box may hold around an image and still be that image's box (its caption, its
/// credit, a counter): more is a column of text with pictures in it.
const CAPTION_BOX: usize = 500;

impl Boxed<'_> {
    /// Element `b`, or an ancestor of it small enough to be a caption's box, holds media.
    fn beside(&self, arena: &Arena<'_>, mut b: usize) -> bool {
        for _ in 0..8 {
            if self.weight[b] > CAPTION_BOX {
                return false;
            }
            if self.media[b] {
                return true;
            }
            let p = arena.nodes[b].parent;
            if p == b {
                return false;
            }
            b = p;
        }
        false
    }
}

/// Read the container's blocks in order: a paragraph per block element, `h2`–`h6` as
/// subheadings. Each block carries its frame (the element holding its block element) and
/// whether an image, figure or video sits in it or right beside it.
fn blocks(
    arena: &Arena<'_>,
    container: usize,
    drop: &[Drop],
    in_link: &[bool],
    skip: &[Option<usize>],
    boxed: &Boxed<'_>,
) -> Vec<Block> {
    struct Reader {
        out: Vec<Block>,
        buf: String,
        link_chars: usize,
        heading_until: usize,
        /// The end of the bold element (`strong`, `b`) being read, and whether all the
        /// block's text so far was inside one.
        bold_until: usize,
        all_bold: bool,
        /// Media met since the last block was emitted.
        media: bool,
    }
    impl Reader {
        fn flush(&mut self, heading: bool, (frame, boxed): (usize, bool)) {
            let text = clean(&self.buf);
            if !text.is_empty() {
                let heading = heading || (self.all_bold && bold_heading(&text, self.link_chars));
                let kind = if heading { Kind::Heading } else { Kind::Para };
                self.out.push(Block {
                    kind,
                    text,
                    link_chars: self.link_chars,
                    frame: Some(frame),
                    beside_media: self.media || boxed,
                });
                self.media = false;
            }
            self.buf.clear();
            self.link_chars = 0;
            self.all_bold = true;
        }
        /// Media after a block is beside it too.
        fn saw_media(&mut self) {
            self.media = true;
            if self.buf.trim().is_empty()
                && let Some(last) = self.out.last_mut()
            {
                last.beside_media = true;
            }
        }
    }
    let mut r = Reader {
        out: Vec::new(),
        buf: String::new(),
        link_chars: 0,
        heading_until: 0,
        bold_until: 0,
        all_bold: true,
        media: false,
    };
    // The frame of a block: its markup, the tag and class of its block element and of the
    // element holding it (a `<blockquote>` among `<p>`s, a `<p>` in an `<aside>`, is other
    // markup; a `<p>` in a plain `<div>` after another such is the same); and whether it
    // sits in a caption's box.
    let frame = |el: usize| {
        let a = arena.attrs(el);
        let p = arena.nodes[el].parent;
        let mut h: usize = 17;
        for b in arena
            .tag(p)
            .bytes()
            .chain([b' '])
            .chain(arena.attrs(p).class.unwrap_or("").bytes())
            .chain([b' '])
            .chain(arena.tag(el).bytes())
            .chain([b' '])
            .chain(a.class.unwrap_or("").bytes())
        {
            h = h.wrapping_mul(31).wrapping_add(usize::from(b));
        }
        // Text in an image's or a video's box is that box's own (a caption, a player's
        // fallback line), repeated with each box: its frame is the box itself.
        let in_box = boxed.beside(arena, el);
        if in_box {
            h = h.wrapping_mul(31).wrapping_add(p);
        }
        (h, in_box)
    };
    let frame_of =
        |closes: &[(usize, bool, usize)]| frame(closes.last().map_or(container, |c| c.2));
    // Open block elements (end, whether a subheading, index): reaching an end is a block
    // boundary.
    let mut closes: Vec<(usize, bool, usize)> = Vec::new();
    let end = arena.nodes[container].end;
    let mut i = container;
    while i < end {
        while let Some(&(e, heading, el)) = closes.last()
            && e <= i
        {
            closes.pop();
            r.flush(heading || r.heading_until != 0, frame(el));
            if heading {
                r.heading_until = 0;
            }
        }
        if is_media(arena.tag(i)) || drop[i] == Some(Some("caption")) {
            r.saw_media();
        }
        if drop[i].is_some() || skip.contains(&Some(i)) {
            i = arena.nodes[i].end;
            continue;
        }
        match arena.nodes[i].item {
            Item::Text(t) => {
                if i >= r.bold_until && !t.trim().is_empty() {
                    r.all_bold = false;
                }
                r.buf.push_str(t);
                if in_link[i] {
                    r.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Item::Elem(e) => {
                let tag = e.value().name();
                if matches!(tag, "strong" | "b") && i >= r.bold_until {
                    r.bold_until = arena.nodes[i].end;
                }
                if tag == "br" {
                    r.flush(r.heading_until != 0, frame_of(&closes));
                } else if heading_tag(tag) {
                    r.flush(false, frame_of(&closes));
                    r.heading_until = arena.nodes[i].end;
                    closes.push((arena.nodes[i].end, true, i));
                } else if block_tag(tag) {
                    r.flush(r.heading_until != 0, frame_of(&closes));
                    closes.push((arena.nodes[i].end, false, i));
                } else if matches!(tag, "td" | "th") && !r.buf.trim().is_empty() {
                    r.buf.push_str(" | ");
                }
            }
            Item::Other => {}
        }
        i += 1;
    }
    while let Some((_, heading, el)) = closes.pop() {
        r.flush(heading || r.heading_until != 0, frame(el));
    }
    r.flush(false, frame(container));
    r.out
}

/// Whether a paragraph set wholly in bold stands for a subheading, as templates set them
/// (`<p><strong>Political living fossil</strong></p>` for `<h2>`): short, not a sentence
/// that ends in a full stop or leads into what follows, and not a link (a bold promo).
/// Formatting is not text: the same heading in either markup gives the same clean text.
fn bold_heading(text: &str, link_chars: usize) -> bool {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    text.split_whitespace().count() <= 20
        && !text.ends_with(['.', ',', ';', ':', '!'])
        && link_chars * 2 < visible
        // Furniture set in bold stays a paragraph, for the noise pass to see.
        && super::paste::furniture(text).is_none()
        && ![
            super::shapes::newsletter,
            super::shapes::caption_credit,
            super::shapes::source_line,
            super::shapes::disclaimer,
            super::shapes::attribution,
            super::shapes::correction,
            super::shapes::author_note,
        ]
        .iter()
        .any(|shape| shape(text))
}

/// Nesting deeper than this is flattened before parsing (see [`pre_parse`]).
const MAX_DEPTH: usize = 512;

/// Prepare a page for the parser, in one linear scan: drop container tags nested deeper
/// than [`MAX_DEPTH`], keeping all text, and empty scripts and style sheets.
///
/// html5ever checks scopes by scanning its stack of open elements, so each tag costs
/// the depth: 100,000 nested `<div>`s take a minute. No article is that deep; flattening
/// the excess bounds the parse. Tags that close themselves (`p`, `li`, `td`) and void tags
/// are not counted, so ordinary pages keep their structure.
///
/// Scripts and style sheets are a third to a half of a news page's bytes, never text, and
/// the tokenizer reads them a character at a time. Their content is left out while the
/// scan is sure to read the page as the tokenizer will: it follows comments, quoted
/// attribute values, raw text and inline SVG, and stops emptying for the rest of the page
/// at anything it does not follow exactly (an escaped script's `<!--`, MathML, CDATA, SVG
/// holding HTML). JSON scripts, the JSON-LD metadata among them, are kept.
pub(crate) fn pre_parse(src: &str, all_attributes: bool) -> std::borrow::Cow<'_, str> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    // Open `<svg>` elements: inside them `<script>` and `<style>` are not raw text.
    let mut foreign = 0usize;
    // The scan reads the page as the tokenizer does: content may be emptied.
    let mut exact = true;
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut attrs = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let s = i + off;
        if b[s..].starts_with(b"<!--") {
            i = comment_end(b, s);
            continue;
        }
        let closing = b.get(s + 1) == Some(&b'/');
        let name_at = s + 1 + usize::from(closing);
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            // Not a tag: a `<` of text (`a < b`), or a bogus comment (`<!DOCTYPE`,
            // `<?xml`, `</ x>`) to the next `>`. In SVG `<![CDATA[` is not followed.
            exact &= !(foreign > 0 && b[s..].starts_with(b"<![CDATA["));
            i = if closing || matches!(b.get(s + 1), Some(b'!' | b'?')) {
                memchr::memchr(b'>', &b[s..]).map_or(b.len(), |e| s + e + 1)
            } else {
                s + 1
            };
            continue;
        }
        let Some(tag) = read_tag(b, name_at, &mut attrs) else {
            break;
        };
        let end = tag.end;
        i = end + 1;
        // Lower-cased on the stack: no name that matters below is longer, and none has
        // anything but letters and digits.
        let mut lower = [0u8; 16];
        let raw_name = &b[name_at..tag.name_end];
        let name = match lower.get_mut(..raw_name.len()) {
            Some(buf) if raw_name.iter().all(u8::is_ascii_alphanumeric) => {
                buf.copy_from_slice(raw_name);
                buf.make_ascii_lowercase();
                std::str::from_utf8(buf).unwrap_or("")
            }
            _ => "",
        };
        let self_closed = tag.self_closing;
        // The attributes nothing reads may go, once the scan is sure of its place.
        let strip = exact && !closing && !all_attributes && !FORMATTING.contains(&name);
        if foreign > 0 {
            // SVG's drawing elements are read alike by both; anything else may be HTML
            // inside SVG, which the tree builder reads by rules this scan does not follow.
            if closing {
                foreign -= usize::from(name == "svg");
            } else if name == "svg" {
                foreign += usize::from(!self_closed);
            } else if matches!(name, "title" | "desc" | "style") {
                // Text alone reads the same as raw text; markup inside may not.
                let close = raw_text_end(b, i, name);
                exact &= memchr::memchr(b'<', &b[i..close]).is_none();
                i = close;
            } else {
                exact &= SVG_DRAWING.contains(&name);
            }
            continue;
        }
        let svg = !closing && name == "svg";
        let raw = !closing
            && matches!(
                name,
                "script"
                    | "style"
                    | "textarea"
                    | "title"
                    | "xmp"
                    | "noscript"
                    | "iframe"
                    | "noembed"
                    | "noframes"
            );
        let uncounted = matches!(
            name,
            "p" | "li"
                | "dt"
                | "dd"
                | "tr"
                | "td"
                | "th"
                | "tbody"
                | "thead"
                | "tfoot"
                | "option"
                | "optgroup"
                | "colgroup"
                | "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "source"
                | "track"
                | "wbr"
                | "param"
                | "html"
                | "head"
                | "body"
        );
        if !closing && name == "math" || name == "plaintext" {
            exact = false;
        }
        // Container tags count towards the depth; past the limit they go whole.
        if !(svg || raw || uncounted || self_closed) {
            let deep = if closing {
                let deep = depth > MAX_DEPTH;
                depth = depth.saturating_sub(1);
                deep
            } else {
                depth += 1;
                depth > MAX_DEPTH
            };
            if deep {
                let o = out.get_or_insert_with(|| String::with_capacity(src.len()));
                o.push_str(&src[copied..s]);
                copied = end + 1;
                continue;
            }
        }
        if strip {
            strip_attributes(src, &tag, &attrs, &mut out, &mut copied);
        }
        if svg {
            foreign += usize::from(!self_closed);
        }
        if raw {
            // Raw text: its content is not markup.
            let content = i;
            i = if name == "script" {
                script_end(b, content)
            } else {
                raw_text_end(b, content, name)
            };
            let keep = match name {
                "style" => false,
                "script" => contains_ci(&b[s..end], b"json"),
                _ => true,
            };
            if exact && !keep && i < b.len() {
                let o = out.get_or_insert_with(|| String::with_capacity(src.len()));
                o.push_str(&src[copied..content]);
                copied = i;
            }
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&src[copied..]);
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(src),
    }
}

/// White space between a tag's name and attributes (a `\r` is a new line to the
/// tokenizer).
fn tag_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// A byte that ends a tag's name: white space, `/` or `>`.
fn ends_name(c: u8) -> bool {
    tag_space(c) || c == b'/' || c == b'>'
}

/// Attributes prov reads (`Element::attr` in `html` and `metadata`) or the tree builder
/// does (`<input type=hidden>` in a table, `<font color>` in SVG, `<annotation-xml
/// encoding>`, declarative shadow roots): every other one goes before parsing, unless a
/// per-site selector, which may name any attribute, is in force.
const READ_ATTRIBUTES: &[&[u8]] = &[
    b"class",
    b"id",
    b"href",
    b"rel",
    b"lang",
    b"role",
    b"aria-hidden",
    b"hidden",
    b"style",
    b"itemprop",
    b"type",
    b"content",
    b"name",
    b"property",
    b"charset",
    b"http-equiv",
    b"color",
    b"face",
    b"size",
    b"encoding",
    b"shadowrootmode",
    b"shadowrootdelegatesfocus",
    b"shadowrootclonable",
    b"shadowrootserializable",
];

/// Formatting elements keep all their attributes: the tree builder compares them when
/// it limits identical open ones to three.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Write the start tag `tag` with only its [`READ_ATTRIBUTES`], when it has others: a news
/// page's tags are half attributes (image sources, tracking data, inline styles), and the
/// tokenizer reads every one a character at a time.
fn strip_attributes(
    src: &str,
    tag: &Tag,
    attrs: &[AttrSpan],
    out: &mut Option<String>,
    copied: &mut usize,
) {
    let b = src.as_bytes();
    let read = |a: &AttrSpan| {
        READ_ATTRIBUTES
            .iter()
            .any(|r| b[a.start..a.name_end].eq_ignore_ascii_case(r))
    };
    if attrs.iter().all(read) {
        return;
    }
    // Every offset sits next to an ASCII byte; checked all the same, and nothing is
    // rewritten if one were not.
    let Some(head) = src.get(*copied..tag.name_end) else {
        return;
    };
    let Some(kept) = attrs
        .iter()
        .filter(|a| read(a))
        .map(|a| src.get(a.start..a.end))
        .collect::<Option<Vec<&str>>>()
    else {
        return;
    };
    let o = out.get_or_insert_with(|| String::with_capacity(src.len()));
    o.push_str(head);
    for &a in &kept {
        o.push(' ');
        o.push_str(a);
    }
    if tag.self_closing {
        // Apart from the last value kept: after an unquoted one (`class=c`), a `/` would
        // be read as part of it.
        o.push_str(if kept.is_empty() { "/" } else { " /" });
    }
    o.push('>');
    *copied = tag.end + 1;
}

/// The elements of inline SVG drawings, which hold no HTML.
const SVG_DRAWING: &[&str] = &[
    "path",
    "g",
    "a",
    "use",
    "circle",
    "rect",
    "line",
    "polyline",
    "polygon",
    "ellipse",
    "defs",
    "symbol",
    "stop",
    "clippath",
    "mask",
    "marker",
    "pattern",
    "filter",
    "text",
    "tspan",
    "image",
    "lineargradient",
    "radialgradient",
    "animate",
    "animatetransform",
    "feoffset",
    "fecolormatrix",
    "fegaussianblur",
    "feblend",
    "feflood",
    "fecomposite",
    "femerge",
    "femergenode",
];

/// Where the comment opened at `s` ends: after `-->` or `--!>`, or at once for `<!-->`
/// and `<!--->`.
fn comment_end(b: &[u8], s: usize) -> usize {
    let body = s + 4;
    if b.get(body) == Some(&b'>') {
        return body + 1;
    }
    if b.get(body..body + 2) == Some(b"->") {
        return body + 2;
    }
    let mut at = body;
    while let Some(d) = find(b, at, b"--") {
        match b.get(d + 2) {
            Some(b'>') => return d + 3,
            Some(b'!') if b.get(d + 3) == Some(&b'>') => return d + 4,
            _ => at = d + 1,
        }
    }
    b.len()
}

/// Where the raw text of element `name` that starts at `from` ends: at its end tag,
/// `</name` followed by white space, `/` or `>`, else at the end of the page.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let mut close = [0u8; 18];
    let Some(needle) = close.get_mut(..name.len() + 2) else {
        return b.len();
    };
    needle[..2].copy_from_slice(b"</");
    needle[2..].copy_from_slice(name.as_bytes());
    let mut at = from;
    while let Some(c) = find_ci(b, at, needle) {
        if b.get(c + needle.len()).is_some_and(|&t| ends_name(t)) {
            return c;
        }
        at = c + 1;
    }
    b.len()
}

/// Where a script's content that starts at `from` ends, following the tokenizer's escaped
/// states: after `<!--`, a `<script>` hides the next `</script>` until `-->`.
fn script_end(b: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum St {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let named = |at: usize| {
        b.get(at..at + 6)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"script"))
            && b.get(at + 6).is_some_and(|&t| ends_name(t))
    };
    let mut st = St::Data;
    let mut at = from;
    while let Some(k) = memchr::memchr2(b'<', b'-', &b[at..]) {
        let p = at + k;
        at = p + 1;
        if b[p] == b'-' {
            // `--` and more dashes, then `>`, ends an escaped part.
            let dashes = b[p..].iter().take_while(|&&c| c == b'-').count();
            at = p + dashes;
            if st != St::Data && dashes >= 2 && b.get(at) == Some(&b'>') {
                st = St::Data;
                at += 1;
            }
            continue;
        }
        let closing = b.get(p + 1) == Some(&b'/');
        match st {
            St::Data if b[p..].starts_with(b"<!--") => {
                // The dashes of `<!--` count towards an immediate `-->`, as in `<!-->`.
                let dashes = b[p + 2..].iter().take_while(|&&c| c == b'-').count();
                at = p + 2 + dashes;
                if b.get(at) == Some(&b'>') {
                    at += 1;
                } else {
                    st = St::Escaped;
                }
            }
            St::Data | St::Escaped if closing && named(p + 2) => return p,
            St::Escaped if named(p + 1) => st = St::DoubleEscaped,
            St::DoubleEscaped if closing && named(p + 2) => st = St::Escaped,
            _ => {}
        }
    }
    b.len()
}

/// `needle` (lower-case ASCII) in `hay`, ASCII case ignored.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A start or end tag as the tokenizer reads it: where its name ends, where its `>` is,
/// and whether it closes itself (`/>` outside a value).
struct Tag {
    name_end: usize,
    end: usize,
    self_closing: bool,
}

/// One attribute of a tag: byte offsets of its name and of its end (after its value).
#[derive(Clone, Copy)]
struct AttrSpan {
    start: usize,
    name_end: usize,
    end: usize,
}

/// Read the tag whose name starts at `name_at` as the tokenizer reads attributes (a `>`
/// inside a quoted value does not end it), putting its attributes in `attrs`. Written out
/// because only the tag's extent and its attributes' are wanted, and the states are few.
fn read_tag(b: &[u8], name_at: usize, attrs: &mut Vec<AttrSpan>) -> Option<Tag> {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Name,
        BeforeAttr,
        Attr,
        AfterAttr,
        BeforeValue,
        Unquoted,
    }
    attrs.clear();
    let mut st = St::Name;
    let mut name_end = b.len();
    // After a `/` that a `>` would make self-closing.
    let mut slash = false;
    let mut k = name_at;
    while let Some(&c) = b.get(k) {
        if c == b'>' {
            if st == St::Name {
                name_end = k;
            }
            if let Some(a) = attrs.last_mut()
                && matches!(st, St::Attr | St::Unquoted)
            {
                a.end = k;
                if st == St::Attr {
                    a.name_end = k;
                }
            }
            return Some(Tag {
                name_end,
                end: k,
                self_closing: slash,
            });
        }
        slash = false;
        let next = match st {
            St::Name if tag_space(c) || c == b'/' => {
                name_end = k;
                slash = c == b'/';
                St::BeforeAttr
            }
            St::Name => St::Name,
            St::Unquoted if tag_space(c) => {
                if let Some(a) = attrs.last_mut() {
                    a.end = k;
                }
                St::BeforeAttr
            }
            St::Unquoted => St::Unquoted,
            St::BeforeAttr | St::AfterAttr | St::BeforeValue if tag_space(c) => st,
            St::Attr if tag_space(c) || c == b'/' => {
                if let Some(a) = attrs.last_mut() {
                    (a.name_end, a.end) = (k, k);
                }
                slash = c == b'/';
                if slash { St::BeforeAttr } else { St::AfterAttr }
            }
            St::BeforeAttr | St::AfterAttr if c == b'/' => {
                slash = true;
                St::BeforeAttr
            }
            St::Attr if c == b'=' => {
                if let Some(a) = attrs.last_mut() {
                    (a.name_end, a.end) = (k, k + 1);
                }
                St::BeforeValue
            }
            St::AfterAttr if c == b'=' => {
                if let Some(a) = attrs.last_mut() {
                    a.end = k + 1;
                }
                St::BeforeValue
            }
            St::BeforeValue if c == b'"' || c == b'\'' => {
                // A quoted value (a class list, a URL) is most of a tag: skipped whole.
                let close = k + 1 + memchr::memchr(c, &b[k + 1..])?;
                if let Some(a) = attrs.last_mut() {
                    a.end = close + 1;
                }
                k = close + 1;
                st = St::BeforeAttr;
                continue;
            }
            St::BeforeValue => St::Unquoted,
            St::Attr => St::Attr,
            St::BeforeAttr | St::AfterAttr => {
                attrs.push(AttrSpan {
                    start: k,
                    name_end: k + 1,
                    end: k + 1,
                });
                St::Attr
            }
        };
        st = next;
        k += 1;
    }
    None
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| from + p)
}

/// `needle` starts with `<`: only the places of a `<` are compared.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    loop {
        let p = at + memchr::memchr(needle[0], hay.get(at..)?)?;
        if hay
            .get(p..p + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(p);
        }
        at = p + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_as_element_attr_reads_them() {
        let page = concat!(
            "<div class=a id=b role=c itemprop=d aria-hidden=true hidden>",
            "<p CLASS='x y' data-role=z>t</p><svg><use xlink:role=\"r\"/><use role=q/></svg>",
            "<span hidden=\"\">u</span></div>"
        );
        let doc = Html::parse_document(page);
        let arena = Arena::build(&doc);
        let mut elements = 0;
        for (i, node) in arena.nodes.iter().enumerate() {
            let Item::Elem(e) = node.item else { continue };
            elements += 1;
            let (a, el) = (arena.attrs(i), e.value());
            assert_eq!(a.class, el.attr("class"));
            assert_eq!(a.id, el.attr("id"));
            assert_eq!(a.role, el.attr("role"));
            assert_eq!(a.itemprop, el.attr("itemprop"));
            assert_eq!(a.aria_hidden, el.attr("aria-hidden"));
            assert_eq!(a.hidden, el.attr("hidden").is_some());
        }
        assert!(elements >= 8, "{elements}");
    }

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

    #[test]
    fn pre_parse_flattens_only_deep_nesting() {
        let page = "<div><p>a<p>b<!-- <div> --></div>";
        assert!(matches!(
            pre_parse(page, true),
            std::borrow::Cow::Borrowed(_)
        ));
        let deep = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH + 5),
            "</div>".repeat(MAX_DEPTH + 5)
        );
        let flat = pre_parse(&deep, true);
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert!(flat.contains('x'));
    }

    #[test]
    fn pre_parse_empties_scripts_and_styles_but_json() {
        let page = concat!(
            "<head><style>p { color: red }</style>",
            "<script type=\"application/ld+json\">{\"headline\": \"H\"}</script>",
            "<SCRIPT async src='x.js'>if (a<b) { f('</div>') }</SCRIPT >",
            "</head><body><p>Text</p><script>var x = 1;</script></body>"
        );
        assert_eq!(
            pre_parse(page, true),
            concat!(
                "<head><style></style>",
                "<script type=\"application/ld+json\">{\"headline\": \"H\"}</script>",
                "<SCRIPT async src='x.js'></SCRIPT >",
                "</head><body><p>Text</p><script></script></body>"
            )
        );
    }

    #[test]
    fn pre_parse_reads_tags_as_the_tokenizer_does() {
        // A `>` inside a quoted value does not end the tag; comments end abruptly too.
        let page = "<script data-x=\"a>b\">code</script><!--><style>s</style><!--->x";
        assert_eq!(
            pre_parse(page, true),
            "<script data-x=\"a>b\"></script><!--><style></style><!--->x"
        );
        // An escaped script ends at the `</script>` the tokenizer ends it at.
        assert_eq!(
            pre_parse("<script><!--<script>a</script>b--></script><p>T</p>", true),
            "<script></script><p>T</p>"
        );
        assert_eq!(
            pre_parse("<script><!--a</script>-->", true),
            "<script></script>-->"
        );
        for page in [
            "<script><!--<script>a</script>b</script><p>T</p>",
            "<script><!--<script>a--></script><p>T</p>",
            "<script><!--><script></script><p>T</p>",
        ] {
            assert_eq!(pre_parse(page, true), "<script></script><p>T</p>", "{page}");
        }
        // `</scripts>` does not end a script.
        assert_eq!(
            pre_parse("<script>a</scripts>b</script>", true),
            "<script></script>"
        );
        // An SVG icon, its title included, does not stop the emptying.
        let page = "<svg><title>Logo</title><path d=\"M0\"/></svg><style>s</style>";
        assert_eq!(
            pre_parse(page, true),
            "<svg><title>Logo</title><path d=\"M0\"/></svg><style></style>"
        );
    }

    #[test]
    fn pre_parse_keeps_what_the_tokenizer_might_read_otherwise() {
        for page in [
            // Inside SVG a script's content is markup.
            "<svg><script>a<b>c</b></script></svg><p>T</p>",
            "<svg><style>a<p>b</style></svg>",
            // After MathML nothing more is emptied.
            "<math><mi>x</mi></math><script>a</script>",
            // SVG holding HTML.
            "<svg><foreignObject><p>a</p></foreignObject></svg><style>a</style>",
            // Not a script: `<script-x>`.
            "<script-x>a</script-x><p>T</p>",
        ] {
            assert_eq!(pre_parse(page, true), page, "{page}");
        }
    }

    #[test]
    fn pre_parse_keeps_only_the_attributes_read() {
        for (page, want) in [
            (
                "<img src=\"a.jpg\" srcset=\"x 1x, y 2x\" alt=\"A\" class=\"c\">",
                "<img class=\"c\">",
            ),
            (
                "<DIV data-x='1'id=main title=\"a>b\">t</DIV>",
                "<DIV id=main>t</DIV>",
            ),
            ("<input type=hidden value=x>", "<input type=hidden>"),
            // An unquoted value's `/` does not close the tag; `/>` does.
            ("<div data-x=a/>t", "<div>t"),
            ("<hr data-x=\"a\"/>", "<hr/>"),
            (
                "<meta property=og:title content=\"T\" data-n=1>",
                "<meta property=og:title content=\"T\">",
            ),
            // Formatting elements and SVG's keep theirs; so do tags with none to drop.
            (
                "<a href=x data-t=1>a</a><b data-q>b</b>",
                "<a href=x data-t=1>a</a><b data-q>b</b>",
            ),
            (
                "<svg><path d=\"M0\" fill=red/></svg>",
                "<svg><path d=\"M0\" fill=red/></svg>",
            ),
            ("<p class=x>t</p><br/>", "<p class=x>t</p><br/>"),
        ] {
            assert_eq!(pre_parse(page, false), want, "{page}");
        }
        // Four open `<b>`s that differ only in an unread attribute: all four are
        // reopened in the next paragraph, where three identical ones would be.
        let page = "<p><b data-n=1><b data-n=2><b data-n=3><b data-n=4>x</p><p>y";
        let read = |k: &str| READ_ATTRIBUTES.contains(&k.as_bytes());
        assert_eq!(
            tree_projected(&pre_parse(page, false), read),
            tree_projected(page, read)
        );
        // A table keeps a hidden input in place and moves any other out of it.
        let page = "<table><input type=hidden data-x=1><tr><td>a</table>";
        assert_eq!(
            tree_projected(&pre_parse(page, false), read),
            tree_projected(page, read)
        );
        // An unquoted value kept before a dropped attribute and a self-closing slash: the
        // slash must not join the value (`class=c/`).
        for page in [
            "<script  class=c <br/>",
            "<div class=c data-x=1/>x",
            "<p id=a b/>",
        ] {
            assert_eq!(
                tree_projected(&pre_parse(page, false), read),
                tree_projected(page, read),
                "{page}"
            );
        }
        // A per-site selector may name any attribute.
        let page = "<img src=a data-x=1>";
        assert_eq!(pre_parse(page, true), page);
    }

    /// The tree html5ever builds, with the text of scripts and style sheets left out.
    fn tree_without_scripts(page: &str) -> String {
        tree_projected(page, |_| true)
    }

    /// The tree html5ever builds, with the text of scripts and style sheets left out and
    /// the attributes `shown` allows.
    fn tree_projected(page: &str, shown: impl Fn(&str) -> bool) -> String {
        let doc = Html::parse_document(page);
        let mut out = String::new();
        for node in doc.tree.root().descendants() {
            match node.value() {
                DomNode::Element(e) => {
                    out.push_str(&format!("<{}", e.name()));
                    let mut attrs: Vec<_> = e.attrs().collect();
                    attrs.sort();
                    for (k, v) in attrs.into_iter().filter(|(k, _)| shown(k)) {
                        out.push_str(&format!(" {k}={v:?}"));
                    }
                    out.push('>');
                }
                DomNode::Text(t) => {
                    let parent = node
                        .parent()
                        .and_then(|p| p.value().as_element().map(|e| e.name()));
                    if !matches!(parent, Some("script" | "style")) {
                        out.push_str(&format!("{:?}", &**t));
                    }
                }
                DomNode::Comment(c) => out.push_str(&format!("<!--{:?}-->", &**c)),
                _ => {}
            }
        }
        out
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(3000))]
        /// Emptying scripts and style sheets, and dropping the attributes nothing reads,
        /// never changes the rest of the tree, on pages made of the pieces that can fool a
        /// scan: comments, quotes, foreign content, raw text of every kind, end tags near
        /// the names.
        #[test]
        fn pre_parse_changes_nothing_but_scripts_and_styles(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "<script>", "</script>", "<script type=\"text/javascript\">",
                    "<script type='application/ld+json'>", "<script a=b>", "<script x=\"",
                    "<style>", "</style>", "</STYLE >", "<style media=x>", "<!--", "-->",
                    "<svg>", "</svg>", "<math>", "</math>", "<svg/>", "<noscript>",
                    "</noscript>", "<title>", "</title>", "<textarea>", "</textarea>",
                    "<iframe>", "</iframe>", "<p>", "</p>", "<div class=\"a>b\">", "</div>",
                    "<b>", "text", " ", "\"", "'", ">", "<", "=", "/", "a<b", "</scripts>",
                    "<script-x>", "<table>", "<select>", "<template>", "</template>",
                    "<!-->", "<!--->", "--!>", "-", "<script ", "</script/>", "<g>", "<a>",
                    "<foreignObject>", "<desc>", "</desc>", "<font color=x>",
                    "<img src=x class=y>", "<div data-a=\"1\" id=z>", "<b data-q=1>",
                    "<input type=hidden name=q value=1>", "<p style='a>b'>", "<span title=a/>",
                    "<br/>", "<td>", "<tr>", "<font size=2 data-x=1>", " data-k=v", " class=c",
                    "<i data-n=1>", "</b>", "<svg width=10/>", "<path d=\"M0\"/>",
                ][..]),
                0..24,
            )
        ) {
            let page = parts.concat();
            proptest::prop_assert_eq!(
                tree_without_scripts(&pre_parse(&page, true)),
                tree_without_scripts(&page),
                "{}", page
            );
            // Without its unread attributes, the tree and every attribute read are the same.
            let read = |k: &str| READ_ATTRIBUTES.contains(&k.as_bytes());
            proptest::prop_assert_eq!(
                tree_projected(&pre_parse(&page, false), read),
                tree_projected(&page, read),
                "{}", page
            );
        }
    }

    /// The regular expressions the class words replaced, verbatim: one per group, in the
    /// groups' order, and the standfirst's.
    static CLASS_ORACLES: LazyLock<(regex::RegexSet, regex::Regex)> = LazyLock::new(|| {
        let groups = [
            "pull-?quote|pullquote|quote-pull",
            "cookies?|consent|gdpr|banner|meter|modal|popup|overlay|interstitial",
            "newsletters?|subscribe|subscription|signup|sign-up|optin",
            "share|shares|sharing|sharebar|social|socials",
            "ad|ads|adv|advert|adverts|advertisement|advertising|dfp|gpt|sponsor|sponsored|commercial",
            "promo|promos|promotion|teaser|cta",
            "related|recommended|recommendations|recirc|recirculation|outbrain|taboola|most-read|mostread|most-popular|popular|trending|rail|sidebar|more-on|read-next|up-next",
            "nav|navbar|navigation|menu|breadcrumbs?|tags|tag-list|topics|skip-link|pagination|masthead|topbar",
            "comments?|disqus",
            "byline|author-card|author-box|dateline|article-dates|date-simple|timestamp",
            "figure|figcaption|caption|captions|credit|credits|lightbox|gallery|media-credit",
            "footer|site-footer",
            "header|site-header",
            "screen-reader-text|sr-only|visually-hidden|visuallyhidden|hidden|print-only",
        ];
        // Added since: the embed codes of social posts, before the footer's group.
        let mut groups = groups.to_vec();
        groups.insert(11, "twitter-tweet|instagram-media|tiktok-embed");
        assert_eq!(groups.len(), NOISE_CLASS.len());
        let set = regex::RegexSet::new(
            groups
                .iter()
                .map(|words| format!(r"(?:^|[^a-z0-9])(?:{words})(?:$|[^a-z0-9])")),
        )
        .unwrap();
        let standfirst = regex::Regex::new(r"(?:^|[^a-z0-9])(?:standfirst|subhead|sub-head|subheadline|dek|summary|lede|lead|intro|description|excerpt|strapline|subtitle|sub-title|deck)(?:$|[^a-z0-9])").unwrap();
        (set, standfirst)
    });

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(3000))]
        #[test]
        fn class_words_agree_with_the_regular_expressions(
            parts in proptest::collection::vec(
                (
                    proptest::sample::select(&[
                        "ad", "ads", "pull", "quote", "pullquote", "site", "footer", "screen",
                        "reader", "text", "sr", "only", "most", "read", "lead", "dek", "sub",
                        "head", "x", "2", "é", "", "cookies", "newsletters", "breadcrumbs",
                        "comments", "comment", "tag", "list", "up", "sign", "twitter", "tweet",
                    ][..]),
                    proptest::sample::select(&["-", "-", "-", " ", "_", "--", "", "é", "A"][..]),
                ),
                0..8,
            )
        ) {
            let s: String = parts.iter().map(|(w, g)| format!("{w}{g}")).collect();
            let (set, standfirst) = &*CLASS_ORACLES;
            let want = set.matches(&s).iter().next().map(|k| NOISE_CLASS[k].1);
            proptest::prop_assert_eq!(class_rule(&s), want, "{:?}", s);
            proptest::prop_assert_eq!(standfirst_class(&s), standfirst.is_match(&s), "{:?}", s);
        }
    }

    #[test]
    fn noise_classes_match_whole_words() {
        let rule = class_rule;
        assert_eq!(rule("x-pull-quote-y"), Some("pull-quote"));
        assert_eq!(rule("pull_quote"), None);
        assert_eq!(rule("pull--quote"), None);
        assert_eq!(rule("screen-reader-text"), Some("hidden"));
        assert_eq!(rule("screen-reader"), None);
        assert_eq!(rule("footer ad"), Some("ad"));
        assert_eq!(rule("twitter-tweet tw-align-center"), Some("embed"));
        assert_eq!(rule("twitter"), None);
        assert!(standfirst_class("article__sub-head"));
        assert!(!standfirst_class("sub_head leader"));
        assert_eq!(rule("ad-container ad-container--mpu"), Some("ad"));
        assert_eq!(rule("article-video-promo"), Some("promo"));
        assert_eq!(rule("cookie-consent"), Some("banner"));
        assert_eq!(rule("share__btn"), Some("share"));
        assert_eq!(rule("header-ads-shadow"), Some("ad"));
        assert_eq!(rule("wysiwyg wysiwyg--all-content"), None);
        assert_eq!(rule("loading headline"), None);
    }

    #[test]
    fn class_words_part_camel_case_and_leave_out_states_and_generated_ids() {
        let rule = |c: &str| class_rule(&class_words(c, ""));
        assert_eq!(rule("RelatedStories"), Some("related"));
        assert_eq!(rule("article__shareBar"), Some("share"));
        assert_eq!(rule("CarouselSlide-infoDescription"), Some("caption"));
        assert_eq!(rule("withoutCaption"), None);
        assert_eq!(rule("has-sidebar"), None);
        assert_eq!(class_rule(&class_words("", "block-id-n1AuAdJlVL")), None);
        assert_eq!(rule("articleBody"), None);
        // Words glued to a noun of what the box holds.
        assert_eq!(rule("jp-relatedposts"), Some("related"));
        assert_eq!(rule("sharebox"), Some("share"));
        assert_eq!(rule("navbox"), Some("navigation"));
        assert_eq!(rule("textbox postlist"), None);
        assert_eq!(rule("adverts"), Some("ad"));
    }

    #[test]
    fn hiding_styles() {
        assert!(style_hides("display:none"));
        assert!(style_hides("color: red; DISPLAY : none !important"));
        assert!(style_hides("visibility: hidden"));
        assert!(!style_hides("display: block"));
        assert!(!style_hides("max-display:none-ish"));
    }
}
