//! Reading the body container's blocks out in order: paragraphs, subheadings (a bold
//! paragraph may stand for one), each with its frame and whether media sits beside it.

use super::super::text::{Block, Kind, clean};
use super::super::{paste, shapes};
use super::Drop;
use super::flat::{Arena, Item};
use super::tags::{block_tag, heading_tag, is_media};

/// What tells that a block shares a box with an image.
pub(super) struct Boxed<'a> {
    pub(super) media: &'a [bool],
    pub(super) weight: &'a [usize],
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

/// A block's markup: its frame's hash, whether it sits in a caption's box, whether its
/// markup is plain, the element holding its block element, and the outermost list it is
/// an item of.
type Frame = (usize, bool, bool, usize, Option<usize>);

/// Read the container's blocks in order: a paragraph per block element, `h2`–`h6` as
/// subheadings. Each block carries its frame (the element holding its block element) and
/// whether an image, figure or video sits in it or right beside it.
/// `skip`: elements left out (the title, the standfirst); with an element and a count, that
/// element's first lines are left out (a standfirst that is a paragraph's opening lines).
/// `in_link`: text in a link; `away`: in a link to another page.
pub(super) fn blocks(
    arena: &Arena<'_>,
    container: usize,
    drop: &[Drop],
    (in_link, away): (&[bool], &[bool]),
    (skip, trim): (&[Option<usize>], Option<(usize, usize)>),
    boxed: &Boxed<'_>,
) -> Vec<Block> {
    struct Reader {
        out: Vec<Block>,
        buf: String,
        link_chars: usize,
        /// Of `link_chars`, those in links to another page.
        away_chars: usize,
        heading_until: usize,
        /// The end of the bold element (`strong`, `b`) being read, and whether all the
        /// block's text so far was inside one.
        bold_until: usize,
        all_bold: bool,
        /// The end of the `<time>` element being read, and the block's visible characters
        /// outside any: a block wholly a `<time>`'s text is a date.
        time_until: usize,
        untimed_chars: usize,
        /// Media met since the last block was emitted.
        media: bool,
    }
    impl Reader {
        fn flush(&mut self, heading: bool, (frame, boxed, plain, holder, list): Frame) {
            let text = clean(&self.buf);
            if !text.is_empty() {
                let beside_media = self.media || boxed;
                let heading = heading
                    || (self.all_bold && bold_heading(&text, self.away_chars, beside_media));
                let kind = if heading { Kind::Heading } else { Kind::Para };
                // A subheading that is mostly a link to another page: what it is depends on
                // where it stands, which the noise pass sees ([`Block::linked`]).
                let visible = text.chars().filter(|c| !c.is_whitespace()).count();
                let linked = heading && self.away_chars * 2 >= visible;
                self.out.push(Block {
                    kind,
                    text,
                    link_chars: self.link_chars,
                    frame: Some(frame),
                    holder: Some(holder),
                    beside_media,
                    dated: self.untimed_chars == 0,
                    plain,
                    linked,
                    list,
                });
                self.media = false;
            }
            self.buf.clear();
            self.link_chars = 0;
            self.away_chars = 0;
            self.untimed_chars = 0;
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
        away_chars: 0,
        heading_until: 0,
        bold_until: 0,
        all_bold: true,
        time_until: 0,
        untimed_chars: 0,
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
        let plain = |e: usize, tags: &[&str]| {
            tags.contains(&arena.tag(e)) && arena.attrs(e).class.is_none_or(|c| c.trim().is_empty())
        };
        let plain =
            plain(el, &["p", "div"]) && plain(p, &["div", "section", "article", "main", "body"]);
        // An item's list, up through the items that hold it as a sub-list.
        let mut list = None;
        if arena.tag(el) == "li" {
            let mut a = p;
            while matches!(arena.tag(a), "ul" | "ol") {
                list = Some(a);
                let up = arena.nodes[a].parent;
                if arena.tag(up) != "li" || up == a {
                    break;
                }
                a = arena.nodes[up].parent;
            }
        }
        (h, in_box, plain, p, list)
    };
    let frame_of =
        |closes: &[(usize, bool, usize)]| frame(closes.last().map_or(container, |c| c.2));
    // Open block elements (end, whether a subheading, index): reaching an end is a block
    // boundary.
    let mut closes: Vec<(usize, bool, usize)> = Vec::new();
    let mut trimmed_from: Option<usize> = None;
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
                if i >= r.time_until {
                    r.untimed_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                }
                if in_link[i] {
                    let n = t.chars().filter(|c| !c.is_whitespace()).count();
                    r.link_chars += n;
                    r.away_chars += if away[i] { n } else { 0 };
                }
            }
            Item::Elem(e) => {
                let tag = e.value().name();
                if matches!(tag, "strong" | "b") && i >= r.bold_until {
                    r.bold_until = arena.nodes[i].end;
                }
                if tag == "time" && i >= r.time_until {
                    r.time_until = arena.nodes[i].end;
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
        if trim.is_some_and(|(t, _)| t == i) {
            // Blocks before it are out: its own come next.
            trimmed_from = Some(r.out.len());
        }
        i += 1;
    }
    while let Some((_, heading, el)) = closes.pop() {
        r.flush(heading || r.heading_until != 0, frame(el));
    }
    r.flush(false, frame(container));
    if let (Some(from), Some((_, lines))) = (trimmed_from, trim) {
        let to = (from + lines).min(r.out.len());
        r.out.drain(from..to);
    }
    r.out
}

/// Whether a paragraph set wholly in bold stands for a subheading, as templates set them
/// (`<p><strong>Political living fossil</strong></p>` for `<h2>`): short, not a sentence
/// that ends in a full stop or leads into what follows, and not a link (a bold promo in
/// the column; a card's, boxed apart, goes as a linked `<h2>` there does: [`Block::linked`]).
/// Formatting is not text: the same heading in either markup gives the same clean text.
/// A caption's credit is one beside a picture, as the noise pass holds it (a subheading
/// that ends in a bracket, `Properties[edit]`, is no credit). `link_chars`: its text in
/// links to other pages (one to its own section, or back to a table of contents, is no promo).
fn bold_heading(text: &str, link_chars: usize, beside_media: bool) -> bool {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    text.split_whitespace().count() <= 20
        && !text.ends_with(['.', ',', ';', ':', '!'])
        && link_chars * 2 < visible
        // Furniture set in bold stays a paragraph, for the noise pass to see.
        && paste::furniture(text).is_none()
        && !(beside_media && shapes::caption_credit(text))
        && ![
            shapes::newsletter,
            shapes::other_newsletter,
            shapes::source_line,
            shapes::other_source_line,
            shapes::disclaimer,
            shapes::attribution,
            shapes::correction,
            shapes::other_correction,
            shapes::author_note,
        ]
        .iter()
        .any(|shape| shape(text))
}
