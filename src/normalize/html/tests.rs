use std::sync::LazyLock;

use scraper::{Html, Node as DomNode};

use super::classes::{NOISE_CLASS, class_rule, class_words, standfirst_class};
use super::flat::style_hides;
use super::pre_parse::{MAX_DEPTH, READ_ATTRIBUTES};
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
