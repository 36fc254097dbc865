//! HTML pages: a flat copy of the tree, noise marked by tag and class, the body found by
//! text density, and its blocks read out in order. Every walk is a loop over the flat
//! copy, never a recursion, so nesting depth cannot overflow the stack.
//!
//! The rules come first: [`tags`] and [`classes`] say what a tag, a role or a class word
//! marks; this module finds the body's container, the title and the standfirst; [`blocks`]
//! reads the body out. Below them, [`flat`] is the tree every pass walks, and the
//! hand-written fast paths, each with the test that holds it to its plain version:
//! [`class_match`] (class words, against regular expressions), [`fold`] (loose text
//! comparison, against Unicode's tables and `str::contains`) and [`pre_parse`] (the page
//! before html5ever, against html5ever's own tree).

mod blocks;
mod class_match;
mod classes;
mod flat;
mod fold;
mod pre_parse;
mod tags;
#[cfg(test)]
mod tests;

use super::Stripped;
use super::site::SiteRules;
use super::text::{Block, clean};
use blocks::{Boxed, blocks};
use classes::{class_rule, class_words, standfirst_class};
pub(crate) use flat::{Arena, Item};
use fold::{finder_in, fold};
pub(crate) use pre_parse::pre_parse;
use tags::{
    block_tag, heading_tag, inline_tag, is_media, noise_role, noise_tag, parts_text, silent_tag,
};

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
    // Inside a link away from the page: a link to a place on it (`#section`, a heading's
    // permalink, a table of contents' back-reference) is the article's own apparatus, and
    // does not keep a bold line from being a subheading (as it does not an `<h2>`).
    let mut away = vec![false; n];
    for i in 1..n {
        let p = arena.nodes[i].parent;
        silent[i] = silent[p];
        in_link[i] = in_link[p];
        if let Item::Elem(e) = arena.nodes[i].item {
            silent[i] |= silent_tag(e.value().name());
            in_link[i] |= e.value().name() == "a";
            away[i] = away[p]
                || (e.value().name() == "a" && !e.value().attr("href").is_some_and(in_page));
        } else {
            away[i] = away[p];
        }
    }
    // Hidden elements are silent too, unless they hold most of the page (a streamed
    // page is sent hidden whole and shown by its script: two thirds of its text, where a
    // hidden tab or a collapsed block beside a visible article holds less) or are gated
    // article text: marked `paywall` and hidden until the reader subscribes (a banner is
    // named otherwise).
    let seen = weights(arena, |i| !silent[i]);
    let big = seen[0] * 2 / 3;
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
    // A paragraph is a `<p>`, or a `<div>` holding no block (a template's paragraph in
    // other markup): prose does not depend on the tag a template chose.
    let mut holds_block = vec![false; n];
    for i in (1..n).rev() {
        let tag = arena.tag(i);
        let p = arena.nodes[i].parent;
        holds_block[p] |= holds_block[i] || block_tag(tag) || heading_tag(tag);
    }
    let mut in_p = vec![false; n];
    for i in 1..n {
        let tag = arena.tag(i);
        in_p[i] = in_p[arena.nodes[i].parent] || tag == "p" || (tag == "div" && !holds_block[i]);
    }
    let prose = weights(arena, |i| in_p[i] && !silent[i] && !in_link[i]);
    let prose_total = prose[0];
    // Prose before each node in document order (none of it inside the node).
    let mut prose_before = vec![0usize; n];
    let mut run = 0;
    for i in 0..n {
        prose_before[i] = run;
        if let Item::Text(t) = arena.nodes[i].item
            && in_p[i]
            && !silent[i]
            && !in_link[i]
        {
            run += t.chars().filter(|c| !c.is_whitespace()).count();
        }
    }

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
            // A comment section follows the article: behind much prose of the page's own,
            // its class drops it however long the discussion runs.
            let trailing = !protected.is_some_and(|p| p[i]) && prose_before[i] * 5 >= prose_total;
            decide(arena, i, weight[i] as f64 / total, site, keep, trailing)
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

    // The body's blocks, when they are sibling paragraphs of a parent that holds other
    // things too: the parent is the container, but only the run is read.
    let mut run = None;
    let container = site
        .body_index(arena)
        .or(evidence.as_ref().map(|e| e.container))
        .unwrap_or_else(|| match find_cluster(arena, &dropped, &in_link) {
            Cluster::Run(first, last) => {
                run = Some((first, last));
                arena.nodes[first].parent
            }
            Cluster::One(at) => {
                // Link text counts here: an ancestor that adds a list of links adds much.
                let seen = weights(arena, |i| !dropped[i]);
                widen(arena, &seen, at)
            }
        });
    let title_at = find_title(arena, &dropped, container, meta_title);
    // A page that runs on into the next stories (each an `<article>`) holds the title in
    // the first: the article is that one.
    let container = match (site.body_index(arena), title_at) {
        (None, Some(t)) => titled_article(arena, container, t, &weight),
        _ => container,
    };
    let (standfirst_at, by_description) =
        find_standfirst(arena, (&dropped, &drop), (title_at, container), description);

    // A line break parts words as a block does: `Ukraina.<br><br>Zelenskyj` is two
    // sentences, not one word.
    let unhidden = vec![false; n];
    let spaced = |i: usize| clean(&visible_text(arena, i, &unhidden));
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
    // A share row or an ad's label that a template sets inside the standfirst's box is
    // furniture there as in the body: left out of its text, and in the audit.
    let (in_head, head_furniture) = standfirst_furniture(arena, &standfirst_at);
    let mut standfirst = standfirst_at
        .iter()
        .map(|&s| clean(&visible_text(arena, s, &in_head)))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    // A standfirst known as the description, found as the opening of a paragraph that line
    // breaks part (`<p>standfirst<br><br>first paragraph`): its lines past the description
    // are the body's, as they are where a template sets them as paragraphs of their own.
    let mut trim: Option<(usize, usize)> = None;
    if by_description && let ([s], Some(d)) = (standfirst_at.as_slice(), description.map(fold)) {
        let mut own = drop.clone();
        own[*s] = None;
        let lines = blocks(arena, *s, &own, (&in_link, &away), (&[], None), &boxed);
        // The lines the description covers, as paragraphs would be ([`description_run`]).
        let (mut acc, mut k) = (String::new(), 0);
        let mut covered = false;
        while k < lines.len() && !covered {
            acc.push_str(&fold(&lines[k].text));
            k += 1;
            covered = describes(&acc, &d, k == 1);
            if !d.starts_with(&acc) {
                break;
            }
        }
        let in_body = container < *s && *s < arena.nodes[container].end;
        if covered && k < lines.len() && in_body {
            trim = Some((*s, k));
            standfirst = lines[..k]
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    let mut page = Page {
        title: title_at.map(spaced).filter(|t| !t.is_empty()),
        standfirst: Some(standfirst).filter(|s| !s.is_empty()),
        ..Page::default()
    };
    page.stripped.extend(head_furniture);
    // Records of dropped blocks, in document order; the title's and standfirst's
    // header is dropped too but their text is in the clean text, so it is not recorded.
    let mut i = 0;
    while i < n {
        if let Some(d) = drop[i] {
            if let Some(rule) = d {
                let text = clean(&visible_text(arena, i, &silent));
                let holds_head = title_at
                    .iter()
                    .chain(&standfirst_at)
                    .any(|&h| i <= h && h < arena.nodes[i].end);
                if !text.is_empty() && !holds_head {
                    page.stripped.push(Stripped::new(rule, text));
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
    let mut skip = vec![title_at];
    // A standfirst that is a paragraph's first lines leaves the rest to the body.
    skip.extend(
        standfirst_at
            .iter()
            .filter(|&&s| trim.is_none_or(|(t, _)| t != s))
            .copied()
            .map(Some),
    );
    skip.extend(bios.iter().copied().map(Some));
    // The body's roots: the container, or each element of the run (what stands between
    // them, an ad or a picture, included; the parent's other children are not).
    let roots: Vec<usize> = match run {
        Some((first, last)) => {
            let mut roots = Vec::new();
            let mut c = first;
            while c <= last {
                if matches!(arena.nodes[c].item, Item::Elem(_)) {
                    roots.push(c);
                }
                c = arena.nodes[c].end;
            }
            roots
        }
        None => vec![container],
    };
    page.body = roots
        .into_iter()
        .flat_map(|r| blocks(arena, r, &drop, (&in_link, &away), (&skip, trim), &boxed))
        .collect();
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
                blocks(
                    arena,
                    outer,
                    &drop,
                    (&in_link, &away),
                    (&skip, trim),
                    &boxed,
                )
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
            blocks(arena, b, &own, (&in_link, &away), (&[], None), &boxed)
        })
        .collect();
    notes.sort_by(|x, y| {
        let text = |v: &Vec<Block>| v.first().map(|b| b.text.clone());
        text(x).cmp(&text(y))
    });
    notes.dedup();
    page.notes = notes.into_iter().flatten().collect();
    // What the container left out, neither furniture nor the head nor a note: recorded, so
    // that a wrong choice of container (the article beside it) shows in the audit.
    let mut hide: Vec<bool> = (0..n).map(|i| silent[i] || dropped[i]).collect();
    for &h in skip.iter().flatten().chain(&bios) {
        hide[h..arena.nodes[h].end].fill(true);
    }
    // A run is seen from its first element, the others hidden: they are the body.
    let from = match run {
        Some((first, last)) => {
            hide[first..arena.nodes[last].end].fill(true);
            first
        }
        None => container,
    };
    page.stripped.extend(outside_the_body(arena, from, &hide));
    page
}

/// The text around `container` that was not hidden (`hide`: silent, dropped, or in the
/// clean text by another way), as `outside the body` records with their size: at each
/// level from the container up, its siblings before it make one record and those after it
/// another, in document order.
fn outside_the_body(arena: &Arena<'_>, container: usize, hide: &[bool]) -> Vec<Stripped> {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut at = container;
    loop {
        let p = arena.nodes[at].parent;
        if p == at {
            break;
        }
        let text = |from: usize, to: usize| {
            let mut s = String::new();
            let mut c = from;
            while c < to {
                s.push(' ');
                s.push_str(&visible_text(arena, c, hide));
                c = arena.nodes[c].end;
            }
            let s = clean(&s);
            let words = s
                .split_whitespace()
                .map(|w| w.chars().filter(|&c| wide(c)).count().max(1))
                .sum::<usize>();
            (s.chars().any(char::is_alphanumeric)).then(|| Stripped {
                words: Some(words),
                ..Stripped::new("outside the body", s)
            })
        };
        after.extend(text(arena.nodes[at].end, arena.nodes[p].end));
        before.extend(text(p + 1, at));
        at = p;
    }
    before.reverse();
    before.extend(after);
    before
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

/// Marks the container and every element above it as never dropped: the page's evidence
/// of the article outranks the class words of the boxes around it.
fn protect_ancestors(arena: &Arena<'_>, protected: &mut [bool], container: usize) {
    let mut a = container;
    loop {
        protected[a] = true;
        let p = arena.nodes[a].parent;
        if p == a {
            break;
        }
        a = p;
    }
}

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
    protect_ancestors(arena, &mut protected, container);
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
    protect_ancestors(arena, &mut protected, container);
    Some(Evidence {
        container,
        protected,
        marked: false,
    })
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

/// Is element `i` furniture? `share` is its part of the page's text; `trailing`: much of
/// the page's prose comes before it.
fn decide(
    arena: &Arena<'_>,
    i: usize,
    share: f64,
    site: &SiteRules,
    keep: Keep,
    trailing: bool,
) -> Drop {
    let Item::Elem(e) = arena.nodes[i].item else {
        return None;
    };
    if site.drops(&e) {
        return Some(Some("per-site"));
    }
    let el = e.value();
    if matches!(el.name(), "html" | "body") {
        return None;
    }
    // Much of the page's text or prose: only a comment section's class after the article
    // drops it.
    let big = keep == Keep::Always || share > GUARD_SHARE;
    if big && !trailing {
        return None;
    }
    let a = arena.attrs(i);
    if big {
        let (class, id) = (a.class.unwrap_or(""), a.id.unwrap_or(""));
        let comments = !(class.is_empty() && id.is_empty())
            && class_rule(&class_words(class, id)) == Some("comments");
        return comments.then_some(Some("comments"));
    }
    if a.aria_hidden
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Some(None);
    }
    let (class, mut id) = (a.class.unwrap_or(""), a.id.unwrap_or(""));
    // An id that is the slug of the element's own heading is an anchor to its section
    // (`sharing-with-a-single-developer`), named by its text, not by what the box is.
    if !id.is_empty() && heading_slug(arena, i, id) {
        id = "";
    }
    let by_class = if class.is_empty() && id.is_empty() {
        None
    } else {
        class_rule(&class_words(class, id))
    };
    if let Some(rule) = by_class {
        // A link or a span inside a sentence is the sentence's text whatever its class
        // says (a glossary note's `popup` link, a `promo` word in a term): furniture is a
        // box, never words in running text. Screen-reader text (`visually-hidden`) is
        // still not shown.
        if rule != "hidden" && in_running_text(arena, i) {
            return None;
        }
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

/// Whether element `i` is inline and set among words of its parent's own: text beside it,
/// not white space, in the same parent.
fn in_running_text(arena: &Arena<'_>, i: usize) -> bool {
    if !inline_tag(arena.tag(i)) || arena.tag(i) == "br" {
        return false;
    }
    let p = arena.nodes[i].parent;
    let mut c = p + 1;
    while p != i && c < arena.nodes[p].end {
        if c != i
            && let Item::Text(t) = arena.nodes[c].item
            && t.chars().any(char::is_alphanumeric)
        {
            return true;
        }
        c = arena.nodes[c].end;
    }
    false
}

/// Is `id` the slug of the first heading inside element `i` (its first few nodes)?
fn heading_slug(arena: &Arena<'_>, i: usize, id: &str) -> bool {
    let end = arena.nodes[i].end.min(i + 8);
    let Some(h) = (i + 1..end).find(|&h| heading_tag(arena.tag(h))) else {
        return false;
    };
    let slug = fold(id);
    !slug.is_empty() && slug == fold(&arena.text_of(h))
}

/// Text blocks shorter than this (non-white-space characters) do not vote for a container.
const MIN_VOTE: usize = 25;

/// The element that best holds the page's prose: a block of text (a `<p>`, a `<div>` with
/// text of its own) of at least [`MIN_VOTE`] characters outside links is prose; the
/// container is the element with the best F1 of prose against all its text, links
/// included. Short articles amid long lists of other stories are found this way where
/// a share of the page's text would take the whole list.
fn find_cluster(arena: &Arena<'_>, dropped: &[bool], in_link: &[bool]) -> Cluster {
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
        return Cluster::One(0);
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
    // A paragraph is not a body: when the element chosen is one block of prose and
    // siblings in its markup (tag and class) are prose too, the body was set in sibling
    // blocks (around an ad, a picture, a fold): it is their run, from the first to the
    // last, and not the rest of their parent (a sign-up box, a list of other stories).
    if voter[at] {
        let p = arena.nodes[at].parent;
        let (mut first, mut last) = (at, at);
        let mut c = p + 1;
        while p != at && c < arena.nodes[p].end {
            if voter[c] && shape(c) == shape(at) {
                first = first.min(c);
                last = last.max(c);
            }
            c = arena.nodes[c].end;
        }
        if first != last {
            return Cluster::Run(first, last);
        }
    }
    Cluster::One(at)
}

/// What [`find_cluster`] found: one element holding the body, or a run of sibling
/// paragraphs (the first and the last) that is the body.
enum Cluster {
    One(usize),
    Run(usize, usize),
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
/// source line just outside the body's `<div>`). Never to the page itself: `<body>`, or a
/// wrapper that is all `<body>` holds (`<div id=app><main>` around everything), so that
/// wrapping a page in layout elements cannot widen its article.
fn widen(arena: &Arena<'_>, weight: &[usize], mut best: usize) -> usize {
    for _ in 0..3 {
        let p = arena.nodes[best].parent;
        if p == best || page_wrapper(arena, p) || weight[p] * 10 > weight[best] * 11 {
            break;
        }
        best = p;
    }
    best
}

/// Whether element `p` is the page: `<body>`, or an element that is, alone or inside
/// others that are, the only element in `<body>`.
fn page_wrapper(arena: &Arena<'_>, mut p: usize) -> bool {
    loop {
        if matches!(arena.tag(p), "body" | "html" | "") {
            return true;
        }
        let q = arena.nodes[p].parent;
        if q == p {
            return true;
        }
        let mut elements = 0;
        let mut c = q + 1;
        while c < arena.nodes[q].end {
            elements += usize::from(matches!(arena.nodes[c].item, Item::Elem(_)));
            c = arena.nodes[c].end;
        }
        if elements != 1 {
            return false;
        }
        p = q;
    }
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

/// Folded length above which a block is no standfirst, unless the description opens it.
const STANDFIRST_MAX: usize = 800;

/// The standfirst: an element after the title with a standfirst's class, or the
/// paragraphs after it that repeat the page's description. A lead set in several
/// paragraphs is all of them: the class's element and the siblings after it in its tag and
/// class, or the run of paragraphs that together make the description. A paragraph is any
/// block holding no other (`<p>`, or a `<div>` a template uses as one), so that the choice
/// does not change with the markup. Never one in furniture but the header (a sign-in
/// popover's `description`, a promo card's `summary`) or one holding a picture or a video
/// (a lead video's `lead-video` box, its caption): a standfirst is the article's text.
/// With whether it was found by the description.
fn find_standfirst(
    arena: &Arena<'_>,
    (dropped, drop): (&[bool], &[Drop]),
    (title, container): (Option<usize>, usize),
    description: Option<&str>,
) -> (Vec<usize>, bool) {
    let from = title.map_or(0, |t| arena.nodes[t].end);
    // The head comes before the body's end: past it are other stories' cards.
    let to = arena.nodes[container].end.min(from + 2000);
    let desc = description.map(fold).filter(|d| d.len() >= 20);
    let look = |range: std::ops::Range<usize>| {
        standfirst_in(arena, (dropped, drop), title, range, desc.as_deref())
    };
    // Under the title, else above it in the title's own header: a template may set the
    // lead either side of the title, and its place in the text is decided once, the same
    // for both.
    look(from..to)
        .or_else(|| look(above_title(arena, title?, container)))
        .unwrap_or_default()
}

/// The elements before title `t` in its header: the title's ancestors (up to three levels)
/// that do not hold the body's container, the highest of them from its start; with none,
/// the title's earlier siblings. Never the container's text, nor an element holding the title.
fn above_title(arena: &Arena<'_>, t: usize, container: usize) -> std::ops::Range<usize> {
    let holds = |a: usize, i: usize| a <= i && i < arena.nodes[a].end;
    let mut head = arena.nodes[t].parent;
    if holds(head, container) {
        return head + 1..t;
    }
    for _ in 0..2 {
        let p = arena.nodes[head].parent;
        if p == head || holds(p, container) || matches!(arena.tag(p), "body" | "html" | "") {
            break;
        }
        head = p;
    }
    head + 1..t
}

/// [`find_standfirst`] over the nodes of `range`: the element with a standfirst's class
/// (with the siblings that continue it), or the run of paragraphs that make the
/// description; `None` when neither is there. Elements holding the title or the body's
/// container are passed over.
fn standfirst_in(
    arena: &Arena<'_>,
    (dropped, drop): (&[bool], &[Drop]),
    title: Option<usize>,
    range: std::ops::Range<usize>,
    desc: Option<&str>,
) -> Option<(Vec<usize>, bool)> {
    // A standfirst is short, but a paragraph the page's description opens (the description
    // cut short of it) may be twice as long: a summary of the whole story under the title.
    let cap = if desc.is_some() {
        2 * STANDFIRST_MAX
    } else {
        STANDFIRST_MAX
    };
    let mut by_desc = Vec::new();
    let mut passed = false;
    for (i, node) in arena
        .nodes
        .iter()
        .enumerate()
        .take(range.end)
        .skip(range.start)
    {
        let Item::Elem(e) = node.item else {
            continue;
        };
        let el = e.value();
        if !matches!(el.name(), "p" | "div" | "h2" | "span" | "section") {
            continue;
        }
        if title.is_some_and(|t| i < t && t < node.end) {
            continue;
        }
        let Some(len) = arena.folded_len_within(i, cap) else {
            continue;
        };
        if len < 20 {
            continue;
        }
        let a = arena.attrs(i);
        let class =
            format!("{} {}", a.class.unwrap_or(""), a.itemprop.unwrap_or("")).to_ascii_lowercase();
        let inside_related = dropped[i] && ancestors_have_class(arena, i, "related");
        if standfirst_class(&class) && !inside_related && !passed && len <= STANDFIRST_MAX {
            // The first element with a standfirst's class is the one, or there is none:
            // past a box set apart, the next is further from the title and no likelier.
            if !boxed_apart(arena, i, (dropped, drop), title) {
                // The siblings after it in its markup and class continue it.
                let mut run = vec![i];
                let mut at = i;
                while let Some(next) = next_sibling(arena, at)
                    && arena.tag(next) == el.name()
                    && a.class
                        .is_some_and(|c| standfirst_class(&c.to_ascii_lowercase()))
                    && arena.attrs(next).class == a.class
                    && arena.folded_len_within(next, STANDFIRST_MAX).is_some()
                    && leaf_block(arena, next)
                    && !boxed_apart(arena, next, (dropped, drop), title)
                {
                    run.push(next);
                    at = next;
                }
                return Some((run, false));
            }
            passed = true;
        }
        if by_desc.is_empty()
            && leaf_block(arena, i)
            && !boxed_apart(arena, i, (dropped, drop), title)
            && let Some(d) = desc
        {
            by_desc = description_run(arena, i, d)
                .into_iter()
                .take_while(|&j| !boxed_apart(arena, j, (dropped, drop), title))
                .collect();
        }
    }
    (!by_desc.is_empty()).then_some((by_desc, true))
}

/// The furniture inside the standfirst's elements: an element whose class names furniture
/// (`share-tools`, `ad-container`), or whose whole text is an ad's or a share button's
/// label (`Anzeige`, `Teilen`): a box, never a link or a span of the lead's sentence. (The nodes to leave out of the standfirst's
/// text, the records of what was left out.)
fn standfirst_furniture(arena: &Arena<'_>, standfirst: &[usize]) -> (Vec<bool>, Vec<Stripped>) {
    let mut out = vec![false; arena.nodes.len()];
    let mut stripped = Vec::new();
    let none = vec![false; arena.nodes.len()];
    for &s in standfirst {
        let mut j = s + 1;
        while j < arena.nodes[s].end {
            let Item::Elem(_) = arena.nodes[j].item else {
                j += 1;
                continue;
            };
            let a = arena.attrs(j);
            let (class, id) = (a.class.unwrap_or(""), a.id.unwrap_or(""));
            // By class only a box (a link or a span in the lead's sentence is its text,
            // whatever its class says).
            let tag = arena.tag(j);
            let boxed = block_tag(tag) || matches!(tag, "aside" | "figure" | "nav" | "form");
            let by_class = if !boxed || (class.is_empty() && id.is_empty()) {
                None
            } else {
                class_rule(&class_words(class, id))
            };
            let rule = by_class.or_else(|| {
                if !boxed {
                    return None;
                }
                let text = clean(&arena.text_of(j));
                let short = text.split_whitespace().count() <= 8;
                if !short {
                    None
                } else if super::shapes::ad_label(&text) {
                    Some("ad")
                } else if super::shapes::share_label(&text)
                    || super::shapes::other_share_label(&text)
                {
                    Some("share")
                } else {
                    None
                }
            });
            match rule {
                Some(rule) => {
                    let end = arena.nodes[j].end;
                    out[j..end].fill(true);
                    let text = clean(&visible_text(arena, j, &none));
                    if !text.is_empty() {
                        stripped.push(Stripped::new(rule, text));
                    }
                    j = end;
                }
                None => j += 1,
            }
        }
    }
    (out, stripped)
}

/// Is element `i` in a box dropped as furniture other than the page's header or a box
/// holding the title (a dialog, a promo card, a list of related stories), or does it hold
/// media (an image, a picture, a figure, a video)?
fn boxed_apart(
    arena: &Arena<'_>,
    i: usize,
    (dropped, drop): (&[bool], &[Drop]),
    title: Option<usize>,
) -> bool {
    if (i..arena.nodes[i].end).any(|j| is_media(arena.tag(j))) {
        return true;
    }
    let mut a = i;
    while dropped[a] {
        // A box holding the title is the article's head, whatever its class says.
        let holds_title = title.is_some_and(|t| a < t && t < arena.nodes[a].end);
        if drop[a].is_some_and(|rule| rule != Some("header")) && !holds_title {
            return true;
        }
        let p = arena.nodes[a].parent;
        if p == a {
            break;
        }
        a = p;
    }
    false
}

/// The run of paragraphs from `i` on (it and its next siblings) whose text is the
/// description `d` (folded): all of it, or with what a template appends to it (a site's
/// name, under a tenth), or the opening of a single paragraph when it is longer than 60.
fn description_run(arena: &Arena<'_>, i: usize, d: &str) -> Vec<usize> {
    let mut run = Vec::new();
    let mut acc = String::new();
    let mut at = Some(i);
    while let Some(j) = at {
        if !leaf_block(arena, j) || arena.folded_len_within(j, 2 * STANDFIRST_MAX).is_none() {
            break;
        }
        acc.push_str(&fold(&arena.text_of(j)));
        run.push(j);
        if describes(&acc, d, run.len() == 1) {
            return run;
        }
        if !d.starts_with(&acc) {
            break;
        }
        at = next_sibling(arena, j);
    }
    Vec::new()
}

/// Whether a link's `href` is a place on the page (`#section-name`): not a bare `#`, which a
/// script's button (a share tool, a menu) carries.
fn in_page(href: &str) -> bool {
    href.strip_prefix('#')
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphanumeric)
}

/// Whether the folded text `acc` of paragraphs (`single`: one) is what the description `d`
/// says: all of it, or with what a template appends to it (a site's name, under a tenth),
/// or the opening of a single paragraph when it is longer than 60.
fn describes(acc: &str, d: &str, single: bool) -> bool {
    acc == d
        || (d.len() > 60 && single && acc.starts_with(d))
        || (acc.len() >= 60 && d.starts_with(acc) && acc.len() * 10 >= d.len() * 9)
}

/// The next element among `i`'s siblings, past white space between them.
fn next_sibling(arena: &Arena<'_>, i: usize) -> Option<usize> {
    let p = arena.nodes[i].parent;
    let mut c = arena.nodes[i].end;
    while c < arena.nodes[p].end && p != i {
        match arena.nodes[c].item {
            Item::Elem(_) => return Some(c),
            Item::Text(t) if !t.trim().is_empty() => return None,
            _ => c = arena.nodes[c].end,
        }
    }
    None
}

/// A block holding no other block: a paragraph, whatever its tag.
fn leaf_block(arena: &Arena<'_>, i: usize) -> bool {
    let tag = arena.tag(i);
    (tag == "p" || tag == "h2" || block_tag(tag) || inline_tag(tag))
        && (i + 1..arena.nodes[i].end).all(|j| {
            let t = arena.tag(j);
            !(block_tag(t) || heading_tag(t))
        })
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
