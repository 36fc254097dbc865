//! Memento (RFC 7089): a response with `Memento-Datetime` is an archived copy of an original URL, taken at that time.

pub use prov_model::facts::MementoFacts;

/// The memento's time, to the second; `None` when the header is not an HTTP date.
pub fn captured_at(m: &MementoFacts) -> Option<jiff::Timestamp> {
    parse_http_date(&m.datetime).map(prov_model::time::truncate)
}

/// The Memento facts of a response: its `Memento-Datetime` and the original URL, from the
/// `Link: <...>; rel="original"` header, else from a Wayback-style `/web/<timestamp>[flags]/<url>` path.
/// `None` when the response is not a memento or names no original.
pub fn facts(
    archive_url: &str,
    datetime: Option<&str>,
    link: Option<&str>,
) -> Option<MementoFacts> {
    let datetime = datetime?.trim();
    let original = link
        .and_then(original_from_link)
        .or_else(|| original_from_path(archive_url))?;
    Some(MementoFacts {
        archive_url: archive_url.to_string(),
        original,
        datetime: datetime.to_string(),
    })
}

/// The target of the `rel="original"` entry of a Link header.
pub fn original_from_link(link: &str) -> Option<String> {
    let mut rest = link;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let target = &after[..close];
        let params_end = after[close..].find('<').map_or(after.len(), |i| close + i);
        let params = &after[close + 1..params_end];
        let is_original = params.split(';').any(|p| {
            let Some((name, value)) = p.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_end_matches([',', ' '])
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("original"))
        });
        if is_original && is_http(target) {
            return Some(target.to_string());
        }
        rest = &after[params_end..];
    }
    None
}

/// The original URL in a Wayback-style path: `/web/20180504101200id_/https://example.org/a`.
pub fn original_from_path(archive_url: &str) -> Option<String> {
    let at = archive_url.find("/web/")?;
    let rest = &archive_url[at + 5..];
    let (stamp, url) = rest.split_once('/')?;
    let digits = stamp.chars().take_while(char::is_ascii_digit).count();
    let flags = &stamp[digits..];
    if !(4..=14).contains(&digits) || !flags.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    // Some archives collapse `//` in paths: `http:/example.org`.
    let url = if let Some(r) = url.strip_prefix("http:/").filter(|r| !r.starts_with('/')) {
        format!("http://{r}")
    } else if let Some(r) = url.strip_prefix("https:/").filter(|r| !r.starts_with('/')) {
        format!("https://{r}")
    } else {
        url.to_string()
    };
    is_http(&url).then_some(url)
}

fn is_http(url: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://")) && super::host_of(url).is_some()
}

/// An HTTP date (`Fri, 04 May 2018 10:12:00 GMT`, RFC 7231's IMF-fixdate).
pub fn parse_http_date(s: &str) -> Option<jiff::Timestamp> {
    jiff::fmt::rfc2822::parse(s.trim())
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_comes_from_the_link_header() {
        let link = r#"<https://example.org/a>; rel="original", <https://web.archive.org/web/timemap/link/https://example.org/a>; rel="timemap"; type="application/link-format""#;
        assert_eq!(
            original_from_link(link).as_deref(),
            Some("https://example.org/a")
        );
        let link =
            r#"<https://a.org/x>; rel="timegate", <http://b.org/y>; rel="first memento original""#;
        assert_eq!(original_from_link(link).as_deref(), Some("http://b.org/y"));
        assert_eq!(original_from_link("<nope"), None);
        assert_eq!(original_from_link(r#"<x>; rel="original""#), None);
    }

    #[test]
    fn the_original_comes_from_a_wayback_path() {
        assert_eq!(
            original_from_path(
                "https://web.archive.org/web/20180504101200id_/https://example.org/a?b=1"
            )
            .as_deref(),
            Some("https://example.org/a?b=1")
        );
        assert_eq!(
            original_from_path("http://127.0.0.1:9/web/20180504101200/http:/example.org/a")
                .as_deref(),
            Some("http://example.org/a")
        );
        assert_eq!(
            original_from_path("https://web.archive.org/web/x/https://e.org/"),
            None
        );
        assert_eq!(original_from_path("https://example.org/a"), None);
    }

    #[test]
    fn memento_datetimes_are_http_dates() {
        let f = facts(
            "u",
            Some("Fri, 04 May 2018 10:12:00 GMT"),
            Some(r#"<http://e.org/>; rel=original"#),
        )
        .unwrap();
        assert_eq!(
            captured_at(&f).map(prov_model::time::rfc3339).as_deref(),
            Some("2018-05-04T10:12:00Z")
        );
        assert_eq!(
            facts("u", None, Some("<http://e.org/>; rel=original")),
            None
        );
    }

    proptest::proptest! {
        #![proptest_config(prov_testing::proptest_config(256))]
        #[test]
        fn no_header_or_url_makes_it_panic(link in "\\PC{0,80}", url in "\\PC{0,80}") {
            let _ = original_from_link(&link);
            let _ = original_from_path(&url);
            let _ = original_from_path(&format!("http://a/web/2018{url}"));
            let _ = parse_http_date(&link);
        }
    }
}
