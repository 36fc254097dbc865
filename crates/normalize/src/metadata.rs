//! Metadata the page states about itself: JSON-LD, Open Graph, `<meta>`, `<link rel=canonical>`, `<html lang>`.

use serde_json::Value;

use super::Metadata;
use super::html::{Arena, Item};
use super::text::clean;

/// JSON-LD types whose fields describe the article.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "OpinionNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "Report",
];

/// How deep a JSON-LD value is searched; real ones nest a few levels.
const JSON_DEPTH: usize = 8;

/// Read everything the page declares. First found wins per field: JSON-LD, then Open Graph, then plain `<meta>`.
/// What the page declares besides its metadata: evidence for finding the article.
#[derive(Debug, Default)]
pub(crate) struct Declared {
    /// The JSON-LD `articleBody` (the longest): where the body is.
    pub article_body: Option<String>,
    /// The JSON-LD `headline`, else `og:title`: the publisher's own title of the article,
    /// with no site name after it (unlike `<title>`).
    pub headline: Option<String>,
    /// The `og:title`, when the page has one.
    pub og_title: Option<String>,
}

/// The page's metadata, and what it declares of its article.
pub(crate) fn collect(arena: &Arena<'_>) -> (Metadata, Declared) {
    let mut ld = Metadata::default();
    let mut body: Option<String> = None;
    let mut og = Metadata::default();
    let mut plain = Metadata::default();
    let mut based_on: Option<String> = None;
    let mut doc_title: Option<String> = None;
    for (i, node) in arena.nodes.iter().enumerate() {
        let Item::Elem(el) = node.item else { continue };
        let el = el.value();
        match el.name() {
            "html" => set(&mut plain.language, el.attr("lang")),
            "title" if doc_title.is_none() => {
                doc_title = Some(clean(&arena.text_of(i))).filter(|t| !t.is_empty())
            }
            "link" => {
                let rel = el.attr("rel").unwrap_or("");
                if rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                {
                    set(&mut plain.canonical_url, el.attr("href"));
                }
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let content = el.attr("content");
                match key.as_str() {
                    "og:title" => set(&mut og.title, content),
                    "og:description" => set(&mut og.description, content),
                    "og:site_name" => set(&mut og.publisher, content),
                    "og:url" => set(&mut og.canonical_url, content),
                    "og:locale" => set(&mut og.language, content),
                    "article:published_time" => set(&mut og.published, content),
                    "article:modified_time" => set(&mut og.modified, content),
                    "description" => set(&mut plain.description, content),
                    "author" | "article:author" | "byl" => {
                        // article:author is often a profile URL: not a name.
                        if let Some(a) = content
                            .map(clean)
                            .filter(|a| !a.is_empty() && !a.starts_with("http"))
                            && !plain.authors.contains(&a)
                        {
                            plain.authors.push(a);
                        }
                    }
                    _ => {}
                }
            }
            "script"
                if el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                // A broken JSON-LD block is common and harmless: the page still has its text.
                if let Ok(v) = serde_json::from_str::<Value>(&arena.text_of(i)) {
                    json_ld(&v, &mut ld, &mut based_on, &mut body);
                }
            }
            _ => {}
        }
    }
    let headline = ld.title.clone().or_else(|| og.title.clone());
    let og_title = og.title.clone();
    let mut m = ld;
    merge(&mut m, og);
    merge(&mut m, plain);
    if m.title.is_none() {
        m.title = doc_title;
    }
    m.attribution = based_on;
    (
        m,
        Declared {
            article_body: body,
            headline,
            og_title,
        },
    )
}

fn set(field: &mut Option<String>, value: Option<&str>) {
    if field.is_none()
        && let Some(v) = value.map(clean).filter(|v| !v.is_empty())
    {
        *field = Some(v);
    }
}

fn merge(into: &mut Metadata, from: Metadata) {
    let pairs = [
        (&mut into.title, from.title),
        (&mut into.description, from.description),
        (&mut into.published, from.published),
        (&mut into.modified, from.modified),
        (&mut into.canonical_url, from.canonical_url),
        (&mut into.publisher, from.publisher),
        (&mut into.language, from.language),
    ];
    for (to, v) in pairs {
        if to.is_none() {
            *to = v;
        }
    }
    if into.authors.is_empty() {
        into.authors = from.authors;
    }
}

/// Find article objects anywhere in a JSON-LD value (top level, arrays, `@graph`), iteratively.
fn json_ld(v: &Value, m: &mut Metadata, based_on: &mut Option<String>, body: &mut Option<String>) {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > JSON_DEPTH {
            continue;
        }
        match v {
            // Reversed so that the first object in the document is looked at first.
            Value::Array(items) => stack.extend(items.iter().rev().map(|x| (x, depth + 1))),
            Value::Object(o) => {
                if is_article(o.get("@type")) {
                    article(o, m, based_on);
                }
                if let Some(Value::String(b)) = o.get("articleBody")
                    && body.as_ref().is_none_or(|old| old.len() < b.len())
                {
                    *body = Some(b.clone());
                }
                if let Some(g) = o.get("@graph") {
                    stack.push((g, depth + 1));
                }
            }
            _ => {}
        }
    }
}

fn is_article(t: Option<&Value>) -> bool {
    match t {
        Some(Value::String(s)) => ARTICLE_TYPES.contains(&s.as_str()),
        Some(Value::Array(a)) => a.iter().any(|x| is_article(Some(x))),
        _ => false,
    }
}

fn article(o: &serde_json::Map<String, Value>, m: &mut Metadata, based_on: &mut Option<String>) {
    let s = |k: &str| o.get(k).and_then(name_of);
    set(&mut m.title, s("headline").as_deref());
    set(&mut m.description, s("description").as_deref());
    set(&mut m.published, s("datePublished").as_deref());
    set(&mut m.modified, s("dateModified").as_deref());
    set(&mut m.publisher, s("publisher").as_deref());
    set(&mut m.language, s("inLanguage").as_deref());
    set(&mut m.canonical_url, s("url").as_deref());
    if based_on.is_none() {
        *based_on = o.get("isBasedOn").and_then(|v| match v {
            Value::Object(b) => b.get("url").or_else(|| b.get("name")).and_then(name_of),
            other => name_of(other),
        });
    }
    if m.authors.is_empty()
        && let Some(a) = o.get("author")
    {
        let list: Vec<&Value> = match a {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for a in list {
            if let Some(name) = name_of(a).map(|n| clean(&n)).filter(|n| !n.is_empty())
                && !m.authors.contains(&name)
            {
                m.authors.push(name);
            }
        }
    }
}

/// A string, or the `name` of an object (`{"@type": "Person", "name": "..."}`).
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(name_of),
        Value::Array(a) => a.first().and_then(name_of),
        _ => None,
    }
}
