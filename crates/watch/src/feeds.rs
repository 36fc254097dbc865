//! What a feed announces: the pages of an RSS, Atom or JSON feed (feed-rs), of a sitemap or news sitemap, and the sitemaps of a sitemap index (quick-xml).
//!
//! Pure: bytes and the feed's URL in, absolute http(s) URLs out.

use std::collections::BTreeMap;

use jiff::Timestamp;
use quick_xml::events::Event;

/// The URLs a feed names: pages to watch, and (from a sitemap index) more sitemaps to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Announced {
    pub pages: Vec<String>,
    pub sitemaps: Vec<String>,
    /// When pages were published, where the feed says (an item's date, a news sitemap's
    /// `publication_date`): the age of an article is counted from it.
    pub published: BTreeMap<String, Timestamp>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("not an RSS, Atom or JSON feed nor a sitemap ({0})")]
    Unreadable(String),
}

/// Read a feed or sitemap fetched from `base`. Relative links are resolved against it;
/// links that are not http(s) are left out; each URL is named once, in the feed's order.
pub fn read(bytes: &[u8], base: &str) -> Result<Announced, FeedError> {
    let mut out = match sitemap(bytes) {
        Some((index, locs)) => {
            let mut urls = Vec::new();
            let mut published = BTreeMap::new();
            for (loc, date) in &locs {
                if let Some(url) = absolute(base, loc) {
                    if let Some(d) = date
                        .as_deref()
                        .and_then(|d| prov_model::time::parse(d).ok())
                    {
                        published.insert(url.clone(), d);
                    }
                    urls.push(url);
                }
            }
            if index {
                Announced {
                    pages: vec![],
                    sitemaps: urls,
                    published: BTreeMap::new(),
                }
            } else {
                Announced {
                    pages: urls,
                    sitemaps: vec![],
                    published,
                }
            }
        }
        None => {
            let feed = feed_rs::parser::Builder::new()
                .base_uri(Some(base))
                .build()
                .parse(bytes)
                .map_err(|e| FeedError::Unreadable(e.to_string()))?;
            let mut published = BTreeMap::new();
            let pages = feed
                .entries
                .iter()
                .filter_map(|e| {
                    let link = e
                        .links
                        .iter()
                        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                        .or(e.links.first())
                        .map(|l| l.href.as_str())
                        // An Atom entry without a link may be identified by its URL.
                        .or_else(|| e.id.starts_with("http").then_some(e.id.as_str()))?;
                    let url = absolute(base, link)?;
                    if let Some(t) = e
                        .published
                        .and_then(|p| Timestamp::from_second(p.timestamp()).ok())
                    {
                        published.insert(url.clone(), t);
                    }
                    Some(url)
                })
                .collect();
            Announced {
                pages,
                sitemaps: vec![],
                published,
            }
        }
    };
    dedup(&mut out.pages);
    dedup(&mut out.sitemaps);
    Ok(out)
}

/// `link` resolved against `base`, when it is an http(s) URL: a link with another scheme
/// (`mailto:`, `tel:`) is none.
fn absolute(base: &str, link: &str) -> Option<String> {
    let link = link.trim();
    if let Some((scheme, _)) = link.split_once(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !scheme.eq_ignore_ascii_case("http")
        && !scheme.eq_ignore_ascii_case("https")
    {
        return None;
    }
    prov_model::url::resolve(base, link)
}

fn dedup(urls: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    urls.retain(|u| seen.insert(u.clone()));
}

/// The `<loc>`s of a sitemap (`<urlset>`, news sitemaps included, each with its
/// `publication_date` when it has one) or a sitemap index (`<sitemapindex>`, then `true`);
/// `None` when the first element is neither.
#[allow(clippy::type_complexity)]
fn sitemap(bytes: &[u8]) -> Option<(bool, Vec<(String, Option<String>)>)> {
    let text = String::from_utf8_lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut index = None;
    let mut locs = Vec::new();
    // The element whose text is being read: `loc` or `publication_date`.
    let mut reading: Option<&'static str> = None;
    let mut loc = String::new();
    let mut date = String::new();
    loop {
        let event = reader.read_event().ok()?;
        match event {
            Event::Start(e) if index.is_none() => {
                index = match e.local_name().as_ref() {
                    "urlset" => Some(false),
                    "sitemapindex" => Some(true),
                    _ => return None,
                };
            }
            Event::Empty(_) if index.is_none() => return None,
            Event::Start(e) if matches!(e.local_name().as_ref(), "url" | "sitemap") => {
                loc.clear();
                date.clear();
            }
            Event::Start(e) if e.local_name().as_ref() == "loc" => reading = Some("loc"),
            Event::Start(e) if e.local_name().as_ref() == "publication_date" => {
                reading = Some("date")
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "loc" | "publication_date") => {
                reading = None
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "url" | "sitemap") => {
                let l = loc.trim();
                if !l.is_empty() {
                    let d = date.trim();
                    locs.push((l.to_string(), (!d.is_empty()).then(|| d.to_string())));
                }
                loc.clear();
                date.clear();
            }
            Event::Text(t) if reading.is_some() => {
                let into = if reading == Some("loc") {
                    &mut loc
                } else {
                    &mut date
                };
                into.push_str(&t.xml10_content());
            }
            Event::CData(t) if reading == Some("loc") => loc.push_str(&t.into_inner()),
            Event::GeneralRef(r) if reading == Some("loc") => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    loc.push(c);
                } else {
                    loc.push_str(match r.into_inner().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    index.map(|i| (i, locs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_are_pages_resolved_against_the_feed() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
            <link>http://news.test/</link>
            <item><title>A</title><link>http://news.test/a</link>
              <pubDate>Thu, 01 Jan 2026 08:00:00 GMT</pubDate></item>
            <item><title>B</title><link>/b?x=1&amp;y=2</link></item>
            <item><title>A again</title><link>http://news.test/a</link></item>
            <item><title>mail</title><link>mailto:x@news.test</link></item>
            </channel></rss>"#;
        let got = read(rss, "http://news.test/feed.xml").unwrap();
        assert_eq!(
            got.pages,
            ["http://news.test/a", "http://news.test/b?x=1&y=2"]
        );
    }

    #[test]
    fn atom_entries_take_their_alternate_link() {
        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id>
            <updated>2026-01-01T00:00:00Z</updated>
            <entry><title>A</title><id>urn:a</id><updated>2026-01-01T00:00:00Z</updated>
              <link rel="replies" href="http://news.test/a#comments"/>
              <link rel="alternate" href="http://news.test/a"/></entry>
            <entry><title>B</title><id>http://news.test/b</id><updated>2026-01-01T00:00:00Z</updated></entry>
            </feed>"#;
        let got = read(atom, "http://news.test/atom").unwrap();
        assert_eq!(got.pages, ["http://news.test/a", "http://news.test/b"]);
    }

    #[test]
    fn sitemaps_and_news_sitemaps_and_indexes() {
        let news = br#"<?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
              <url><loc>http://news.test/a?p=1&amp;q=2</loc>
                <news:news><news:publication_date>2026-01-01T10:00:00+01:00</news:publication_date>
                <news:title>A</news:title></news:news></url>
              <url><loc> http://news.test/b </loc></url>
            </urlset>"#;
        let got = read(news, "http://news.test/sitemap.xml").unwrap();
        assert_eq!(
            got.pages,
            ["http://news.test/a?p=1&q=2", "http://news.test/b"]
        );
        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>http://news.test/s1.xml</loc></sitemap></sitemapindex>"#;
        let got = read(index, "http://news.test/").unwrap();
        assert_eq!(got.sitemaps, ["http://news.test/s1.xml"]);
        assert!(got.pages.is_empty());
    }

    #[test]
    fn other_bytes_are_an_error() {
        assert!(read(b"<html><body>hi</body></html>", "http://x.test/").is_err());
        assert!(read(b"", "http://x.test/").is_err());
        assert!(read(b"\xff\xfe garbage", "http://x.test/").is_err());
    }

    proptest::proptest! {
        #![proptest_config(prov_testing::proptest_config(128))]
        #[test]
        fn no_bytes_make_it_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = read(&bytes, "http://x.test/f");
            let mut xml = b"<urlset><url><loc>".to_vec();
            xml.extend_from_slice(&bytes);
            let _ = read(&xml, "http://x.test/f");
        }
    }
}
