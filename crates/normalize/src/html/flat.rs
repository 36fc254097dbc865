//! The flat copy of the parsed tree that every pass walks: nodes in document order, each
//! subtree a range, and the few attributes the extractor reads looked up once. Loops over
//! it, never recursion, so nesting depth cannot overflow the stack.

use scraper::{ElementRef, Html, Node as DomNode};

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

    #[test]
    fn hiding_styles() {
        assert!(style_hides("display:none"));
        assert!(style_hides("color: red; DISPLAY : none !important"));
        assert!(style_hides("visibility: hidden"));
        assert!(!style_hides("display: block"));
        assert!(!style_hides("max-display:none-ish"));
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(1000))]
        /// The attributes looked up once are those `Element::attr` finds, on any mix of
        /// them: repeated, in SVG, namespaced, upper-case, with or without a value.
        #[test]
        fn attrs_are_what_element_attr_finds(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "<div", "<p", "<span", "<svg", "<use", "<math", "<mi", "</svg>", "</div>",
                    " class=a", " class='d-none x'", " CLASS=b", " id=i", " id=j", " role=nav",
                    " itemprop=articleBody", " aria-hidden=true", " hidden", " hidden=''",
                    " style='display: none'", " style=color:red", " xlink:role=r",
                    " xml:lang=en", " data-role=z", ">", "/>", "t",
                ][..]),
                0..24,
            )
        ) {
            let page = parts.concat();
            let doc = Html::parse_document(&page);
            let arena = Arena::build(&doc);
            for (i, node) in arena.nodes.iter().enumerate() {
                let Item::Elem(e) = node.item else { continue };
                let (a, el) = (arena.attrs(i), e.value());
                proptest::prop_assert_eq!(a.class, el.attr("class"), "{}", page);
                proptest::prop_assert_eq!(a.id, el.attr("id"), "{}", page);
                proptest::prop_assert_eq!(a.role, el.attr("role"), "{}", page);
                proptest::prop_assert_eq!(a.itemprop, el.attr("itemprop"), "{}", page);
                proptest::prop_assert_eq!(a.aria_hidden, el.attr("aria-hidden"), "{}", page);
                let hidden = el.attr("hidden").is_some()
                    || el.attr("style").is_some_and(style_hides)
                    || el.attr("class").is_some_and(class_hides);
                proptest::prop_assert_eq!(a.hidden, hidden, "{}", page);
            }
        }
    }
    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(1000))]
        /// The length counted without building the text is the fold's, or `None` past the cap.
        #[test]
        fn folded_len_within_is_the_length_of_the_fold(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<!--c-->", "<script>s</script>",
                    "Ab 1", " ", ".,", "Éé", "İ", "ß", "Σς", "中文", "\u{212a}", "\u{301}", "Ⅻ", "٣",
                ][..]),
                0..24,
            ),
            cap in 0usize..40,
        ) {
            let page = parts.concat();
            let doc = Html::parse_document(&page);
            let arena = Arena::build(&doc);
            for i in 0..arena.nodes.len() {
                let len = super::super::fold::fold(&arena.text_of(i)).len();
                proptest::prop_assert_eq!(
                    arena.folded_len_within(i, cap),
                    (len <= cap).then_some(len),
                    "{} at {}", page, i
                );
            }
        }
    }
}
