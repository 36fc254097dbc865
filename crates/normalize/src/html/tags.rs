//! What an element's tag or role says: silent (never text), furniture by its tag or ARIA
//! role, a block, a subheading, inline, media. Tables only, read by the extractor and the
//! block reader.

/// Elements that never hold article text; dropped without a record.
pub(super) fn silent_tag(tag: &str) -> bool {
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
pub(super) fn noise_tag(tag: &str) -> Option<&'static str> {
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

pub(super) fn noise_role(role: &str) -> Option<&'static str> {
    Some(match role {
        "navigation" | "menubar" | "menu" => "navigation",
        "banner" => "header",
        "contentinfo" => "footer",
        "complementary" => "aside",
        "dialog" | "alertdialog" | "alert" => "banner",
        _ => return None,
    })
}

/// Blocks: a new paragraph starts when one of these opens or closes.
pub(super) fn block_tag(tag: &str) -> bool {
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

pub(super) fn heading_tag(tag: &str) -> bool {
    matches!(tag, "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements a browser sets apart from the text around them (its block-level elements,
/// table cells, line breaks): the blocks of [`block_tag`] and the others.
pub(super) fn parts_text(tag: &str) -> bool {
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

/// Inline elements: text inside them belongs to the block around them.
pub(super) fn inline_tag(tag: &str) -> bool {
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

pub(super) fn is_media(tag: &str) -> bool {
    matches!(tag, "img" | "picture" | "figure" | "video")
}
