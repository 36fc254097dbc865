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
}

/// The document in document order: a subtree is the range `i..nodes[i].end`, and a
/// parent always comes before its children, so bottom-up sums are one reverse loop.
pub(crate) struct Arena<'a> {
    pub nodes: Vec<FlatNode<'a>>,
}

impl<'a> Arena<'a> {
    pub fn build(doc: &'a Html) -> Self {
        let mut nodes: Vec<FlatNode<'a>> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut node = doc.tree.root();
        'walk: loop {
            let idx = nodes.len();
            let item = match node.value() {
                DomNode::Element(_) => ElementRef::wrap(node).map_or(Item::Other, Item::Elem),
                DomNode::Text(t) => Item::Text(t),
                _ => Item::Other,
            };
            nodes.push(FlatNode {
                item,
                parent: open.last().copied().unwrap_or(0),
                end: idx + 1,
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
        Arena { nodes }
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
        if let Item::Elem(e) = arena.nodes[i].item {
            let el = e.value();
            let gated = el.attr("class").is_some_and(|c| {
                c.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("paywall"))
            });
            silent[i] |= el.attr("hidden").is_some() && !gated && seen[i] <= big;
        }
    }
    // Pass 2, bottom up: visible non-link text per subtree.
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
    let evidence = article_body.and_then(|b| locate(arena, &silent, b));
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
            } else if prose[i] * 6 >= prose_total && prose[i] * 10 >= weight[i] * 7 {
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
                // Hidden copies (a lightbox's caption) are not part of what was seen.
                let visible: String = (i..arena.nodes[i].end)
                    .filter(|&j| !silent[j])
                    .filter_map(|j| match arena.nodes[j].item {
                        Item::Text(t) => Some(t),
                        _ => None,
                    })
                    .collect();
                let text = clean(&visible);
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
    page.body = blocks(
        arena,
        container,
        &drop,
        &in_link,
        &[title_at, standfirst_at],
    );
    page
}

/// Where a page's JSON-LD `articleBody` is in the tree.
struct Evidence {
    container: usize,
    /// The container, its ancestors and the elements holding much of the body: never dropped.
    protected: Vec<bool>,
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
    })
}

/// `hay.contains(needle)`, by memchr's searcher: each of a page's text nodes is looked up
/// in the whole articleBody, where std's searcher was a few percent of a page's time.
fn finder_in(hay: &str, needle: &str) -> bool {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes()).is_some()
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
    if el
        .attr("aria-hidden")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Some(None);
    }
    let (class, id) = (el.attr("class").unwrap_or(""), el.attr("id").unwrap_or(""));
    let by_class = if class.is_empty() && id.is_empty() {
        None
    } else {
        let words = format!("{class} {id}").to_ascii_lowercase();
        class_rule(&words)
    };
    if let Some(rule) = by_class {
        if keep == Keep::Layout && matches!(rule, "related" | "navigation") {
            return None;
        }
        return Some(if rule == "hidden" { None } else { Some(rule) });
    }
    if let Some(rule) = el
        .attr("role")
        .and_then(|r| noise_role(&r.to_ascii_lowercase()))
    {
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
    let mut linked = vec![0usize; n];
    for i in (1..n).rev() {
        if let Item::Text(t) = arena.nodes[i].item
            && !dropped[i]
            && in_link[i]
        {
            linked[i] += t.chars().filter(|c| !c.is_whitespace()).count();
        }
        let p = arena.nodes[i].parent;
        linked[p] += linked[i];
    }
    let mut prose: Vec<usize> = (0..n)
        .map(|i| {
            if own[i] + own_ideo[i] >= MIN_VOTE && !teaser(arena, i, &own, &all, &linked) {
                own[i]
            } else {
                0
            }
        })
        .collect();
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
    // Prose outside the article (a copyright notice, a comment policy) pulls the best F1
    // up to a wide ancestor on a short page: go down while one child holds nearly all of it.
    let mut at = best.1;
    'down: loop {
        let mut c = at + 1;
        while c < arena.nodes[at].end {
            if prose[c] * 5 >= prose[at] * 4 && prose[c] < prose[at] {
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
fn teaser(arena: &Arena<'_>, b: usize, own: &[usize], all: &[usize], linked: &[usize]) -> bool {
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
            return own[b] < 400 && listed;
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
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
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
        let class = format!(
            "{} {}",
            el.attr("class").unwrap_or(""),
            el.attr("itemprop").unwrap_or("")
        )
        .to_ascii_lowercase();
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
        if let Item::Elem(e) = arena.nodes[i].item
            && e.value().attr("class").is_some_and(|c| c.contains(word))
        {
            return true;
        }
        i = arena.nodes[i].parent;
    }
    false
}

/// Read the container's blocks in order: a paragraph per block element, `h2`–`h6` as subheadings.
fn blocks(
    arena: &Arena<'_>,
    container: usize,
    drop: &[Drop],
    in_link: &[bool],
    skip: &[Option<usize>],
) -> Vec<Block> {
    struct Reader {
        out: Vec<Block>,
        buf: String,
        link_chars: usize,
        heading_until: usize,
    }
    impl Reader {
        fn flush(&mut self, heading: bool) {
            let text = clean(&self.buf);
            if !text.is_empty() {
                let kind = if heading { Kind::Heading } else { Kind::Para };
                self.out.push(Block {
                    kind,
                    text,
                    link_chars: self.link_chars,
                });
            }
            self.buf.clear();
            self.link_chars = 0;
        }
    }
    let mut r = Reader {
        out: Vec::new(),
        buf: String::new(),
        link_chars: 0,
        heading_until: 0,
    };
    // Ends of open block elements, and whether each is a subheading: reaching one is a block boundary.
    let mut closes: Vec<(usize, bool)> = Vec::new();
    let end = arena.nodes[container].end;
    let mut i = container;
    while i < end {
        while let Some(&(e, heading)) = closes.last()
            && e <= i
        {
            closes.pop();
            r.flush(heading || r.heading_until != 0);
            if heading {
                r.heading_until = 0;
            }
        }
        if drop[i].is_some() || skip.contains(&Some(i)) {
            i = arena.nodes[i].end;
            continue;
        }
        match arena.nodes[i].item {
            Item::Text(t) => {
                r.buf.push_str(t);
                if in_link[i] {
                    r.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Item::Elem(e) => {
                let tag = e.value().name();
                if tag == "br" {
                    r.flush(r.heading_until != 0);
                } else if heading_tag(tag) {
                    r.flush(false);
                    r.heading_until = arena.nodes[i].end;
                    closes.push((arena.nodes[i].end, true));
                } else if block_tag(tag) {
                    r.flush(r.heading_until != 0);
                    closes.push((arena.nodes[i].end, false));
                } else if matches!(tag, "td" | "th") && !r.buf.trim().is_empty() {
                    r.buf.push_str(" | ");
                }
            }
            Item::Other => {}
        }
        i += 1;
    }
    while let Some((_, heading)) = closes.pop() {
        r.flush(heading || r.heading_until != 0);
    }
    r.flush(false);
    r.out
}

/// Nesting deeper than this is flattened before parsing (see [`limit_depth`]).
const MAX_DEPTH: usize = 512;

/// Drop container tags nested deeper than [`MAX_DEPTH`], keeping all text.
///
/// html5ever checks scopes by scanning its stack of open elements, so each tag costs
/// the depth: 100,000 nested `<div>`s take a minute. No article is that deep; flattening
/// the excess in one linear scan bounds the parse. Tags that close themselves (`p`,
/// `li`, `td`) and void tags are not counted, so ordinary pages are never touched.
pub(crate) fn limit_depth(src: &str) -> std::borrow::Cow<'_, str> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let s = i + off;
        if b[s..].starts_with(b"<!--") {
            i = find(b, s + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = b.get(s + 1) == Some(&b'/');
        let name_at = s + 1 + usize::from(closing);
        let name_len = b[name_at.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let Some(end) = memchr::memchr(b'>', &b[s..]).map(|e| s + e) else {
            break;
        };
        i = end + 1;
        if name_len == 0 {
            continue;
        }
        // Lower-cased on the stack: no name that matters below is longer.
        let mut lower = [0u8; 10];
        let name = match lower.get_mut(..name_len) {
            Some(buf) => {
                buf.copy_from_slice(&b[name_at..name_at + name_len]);
                buf.make_ascii_lowercase();
                std::str::from_utf8(buf).unwrap_or("")
            }
            None => "",
        };
        if !closing
            && matches!(
                name,
                "script" | "style" | "textarea" | "title" | "xmp" | "plaintext"
            )
        {
            // Raw text: its content is not markup.
            let close = format!("</{name}");
            i = find_ci(b, i, close.as_bytes()).unwrap_or(b.len());
            continue;
        }
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
        if uncounted || b[..end].ends_with(b"/") {
            continue;
        }
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
    fn limit_depth_leaves_ordinary_pages_alone() {
        let page = "<div><p>a<p>b<!-- <div> --><script>if (a<b) {}</script></div>";
        assert!(matches!(limit_depth(page), std::borrow::Cow::Borrowed(_)));
        let deep = format!(
            "{}x{}",
            "<div>".repeat(MAX_DEPTH + 5),
            "</div>".repeat(MAX_DEPTH + 5)
        );
        let flat = limit_depth(&deep);
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert!(flat.contains('x'));
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
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
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
}
