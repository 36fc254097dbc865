//! The pre-parse scan: one linear pass over the page's bytes before html5ever reads it,
//! flattening pathological nesting, emptying scripts and style sheets, and dropping the
//! attributes nothing reads, only where it is sure to read the page as the tokenizer does.

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
    use scraper::{Html, Node as DomNode};

    use super::*;

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
}
