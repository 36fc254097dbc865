//! What a web archive holds of an original URL: a Memento TimeMap (RFC 7089, `application/link-format`) or a Wayback CDX answer (JSON), and which of its captures to fetch.
//!
//! Pure: text in, a list of mementos out. Fetching them is the caller's business.

use jiff::Timestamp;

/// One capture a web archive lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// When the archive took it, to the second.
    pub at: Timestamp,
    /// Where to fetch it: its raw form (`id_`) where the archive has one.
    pub url: String,
    /// The archive's digest of the captured content (CDX gives one; a TimeMap does not).
    pub digest: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ListError {
    #[error("the CDX answer is not JSON: {0}")]
    NotJson(String),
    #[error(
        "the CDX answer is not a list of rows under a header naming `timestamp` and `original`"
    )]
    CdxShape,
}

/// Which listed captures to fetch: those from `from` to `to` (inclusive), at most one per
/// `every` seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Thinning {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub every: Option<i64>,
}

/// Rows asked of a CDX server at a time; the answer's resume key asks for the next page.
pub const CDX_PAGE_ROWS: usize = 10_000;

/// The Wayback CDX query for every capture of `original` at the archive `base`
/// (`https://web.archive.org`), a page of [`CDX_PAGE_ROWS`] at a time: the first page, or
/// the one a resume key names.
pub fn cdx_url(base: &str, original: &str, resume_key: Option<&str>) -> String {
    let mut url = format!(
        "{}/cdx/search/cdx?url={}&output=json&fl=timestamp,original,mimetype,statuscode,digest&limit={CDX_PAGE_ROWS}&showResumeKey=true",
        base.trim_end_matches('/'),
        query_escape(original)
    );
    if let Some(key) = resume_key {
        url.push_str("&resumeKey=");
        url.push_str(&query_escape(key));
    }
    url
}

/// Whether two URLs name one page as a web archive keys its captures: the scheme, a
/// leading `www.`, a default port, a trailing `/`, a fragment and letter case make no
/// difference (an exact CDX query matches the asked URL so; a `matchType` widens it to
/// other pages, whose rows are not this page's history).
pub fn same_page(a: &str, b: &str) -> bool {
    page_key(a) == page_key(b)
}

fn page_key(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or_default();
    let (host, path) = rest
        .find(['/', '?'])
        .map_or((rest, ""), |i| (&rest[..i], &rest[i..]));
    let host = host
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut key = format!("{host}{}", path.trim_end_matches('/'));
    if !query.is_empty() {
        key.push('?');
        key.push_str(query);
    }
    key.to_lowercase()
}

/// The raw (`id_`) form of a Wayback-style memento at `base`.
pub fn wayback_memento(base: &str, stamp: &str, original: &str) -> String {
    format!("{}/web/{stamp}id_/{original}", base.trim_end_matches('/'))
}

fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The raw form of a memento URL: in a Wayback-style path (`.../20180504101200/http...`,
/// as the Wayback Machine, pywb and their kin write them) the 14-digit stamp gains the
/// `id_` flag, which asks for the bytes as captured, without the archive's banner and
/// rewritten links. Other URLs are kept as they are.
pub fn raw_form(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let path_start = url[scheme_end + 3..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + 3 + i);
    let mut at = path_start;
    while at < url.len() {
        let segment_end = url[at + 1..].find('/').map_or(url.len(), |i| at + 1 + i);
        let segment = &url[at + 1..segment_end];
        let rest = &url[segment_end..];
        if segment.len() == 14
            && segment.bytes().all(|b| b.is_ascii_digit())
            && (rest.starts_with("/http:") || rest.starts_with("/https:"))
        {
            return format!("{}id_{rest}", &url[..segment_end]);
        }
        if segment_end >= url.len() {
            break;
        }
        at = segment_end;
    }
    url.to_string()
}

/// One page of a web archive's list: its mementos, and where the list goes on (a paged
/// TimeMap's `next` link, a CDX answer's resume key), if it does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub listed: Vec<Listed>,
    pub next: Option<String>,
    /// CDX rows left out for naming another URL than the one asked about.
    pub other_urls: usize,
}

/// The mementos of a TimeMap (entries whose `rel` includes `memento` and that carry a
/// `datetime`), in their raw form, and its next page (an entry whose `rel` includes `next`
/// and not `memento`: RFC 7089 lets an archive page a long TimeMap). Malformed entries are
/// skipped: a TimeMap is read as far as it makes sense. Relative targets are resolved
/// against `base`, the TimeMap's URL.
pub fn parse_timemap(text: &str, base: &str) -> Page {
    let mut out = Vec::new();
    let mut next = None;
    for (target, params) in link_entries(text) {
        let rel = param(&params, "rel").unwrap_or_default();
        let has = |name: &str| rel.split_whitespace().any(|r| r.eq_ignore_ascii_case(name));
        if !has("memento") {
            if has("next") && next.is_none() {
                next = super::http::resolve(base, &target);
            }
            continue;
        }
        let Some(at) = param(&params, "datetime")
            .and_then(|d| super::memento::parse_http_date(&d))
            .map(prov_model::time::truncate)
        else {
            continue;
        };
        let Some(url) = super::http::resolve(base, &target) else {
            continue;
        };
        out.push(Listed {
            at,
            url: raw_form(&url),
            digest: None,
        });
    }
    Page {
        listed: out,
        next,
        other_urls: 0,
    }
}

/// The entries of a link-format document: each target and its parameters (name
/// lower-cased, value unquoted). Commas and semicolons inside `<...>` or quotes do not split.
fn link_entries(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut entries = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else { break };
        let target = after[..close].trim().to_string();
        // The parameters run to the next comma outside quotes.
        let tail = &after[close + 1..];
        let mut quoted = false;
        let mut end = tail.len();
        for (i, c) in tail.char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let params = split_params(&tail[..end]);
        entries.push((target, params));
        rest = &tail[(end + 1).min(tail.len())..];
    }
    entries
}

fn split_params(s: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    let mut pieces = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                pieces.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&s[start..]);
    for p in pieces {
        if let Some((name, value)) = p.split_once('=') {
            params.push((
                name.trim().to_ascii_lowercase(),
                value.trim().trim_matches('"').to_string(),
            ));
        }
    }
    params
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// The captures of `original` in a Wayback CDX answer in JSON (`output=json`: a header row
/// naming the fields, then one row per capture, then with `showResumeKey` an empty row and
/// the resume key), as raw mementos at `base`. Only successful captures of that page are
/// kept: redirects, errors and `warc/revisit` records name no bytes of the page, and rows
/// of other URLs ([`same_page`]) are not its history.
pub fn parse_cdx(json: &[u8], base: &str, original: &str) -> Result<Page, ListError> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| ListError::NotJson(e.to_string()))?;
    let Some(rows) = value.as_array() else {
        return Err(ListError::CdxShape);
    };
    // An archive that holds nothing answers an empty list.
    let Some((header, rows)) = rows.split_first() else {
        return Ok(Page::default());
    };
    let header: Vec<&str> = header
        .as_array()
        .ok_or(ListError::CdxShape)?
        .iter()
        .map(|h| h.as_str().unwrap_or_default())
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(ts), Some(orig)) = (col("timestamp"), col("original")) else {
        return Err(ListError::CdxShape);
    };
    let (mime, status, digest) = (col("mimetype"), col("statuscode"), col("digest"));
    let mut page = Page::default();
    let mut rows = rows.iter();
    while let Some(row) = rows.next() {
        let Some(row) = row.as_array() else { continue };
        if row.is_empty() {
            // The rows end; the resume key follows.
            page.next = rows
                .next()
                .and_then(|r| r.get(0))
                .and_then(|k| k.as_str())
                .filter(|k| !k.is_empty())
                .map(str::to_string);
            break;
        }
        let field = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(|v| v.as_str());
        let (Some(stamp), Some(row_url)) = (field(Some(ts)), field(Some(orig))) else {
            continue;
        };
        if !same_page(row_url, original) {
            page.other_urls += 1;
            continue;
        }
        if field(mime).is_some_and(|m| m.eq_ignore_ascii_case("warc/revisit")) {
            continue;
        }
        if field(status).is_some_and(|s| !s.starts_with('2')) {
            continue;
        }
        let Some(at) = parse_stamp(stamp) else {
            continue;
        };
        page.listed.push(Listed {
            at,
            url: wayback_memento(base, stamp, row_url),
            digest: field(digest).filter(|d| !d.is_empty()).map(str::to_string),
        });
    }
    Ok(page)
}

/// A Wayback timestamp, `YYYYMMDDhhmmss` (shorter ones padded with the earliest values).
pub fn parse_stamp(stamp: &str) -> Option<Timestamp> {
    if !(4..=14).contains(&stamp.len()) || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let padded = format!("{stamp}{}", &"00000101000000"[stamp.len()..]);
    jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", &padded)
        .ok()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The captures to fetch, oldest first: within the dates; of each run of captures with the
/// same digest, the first (a run of identical captures says nothing new; a digest that
/// comes back after another is a revert, which is history, and is kept: Wayback's
/// `collapse=digest` does the same); then at most one per `every`.
pub fn select(mut listed: Vec<Listed>, thin: &Thinning) -> Vec<Listed> {
    listed.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.url.cmp(&b.url)));
    listed.dedup_by(|b, a| a.at == b.at);
    let mut kept: Vec<Listed> = Vec::new();
    let mut last_digest: Option<String> = None;
    for l in listed {
        if thin.from.is_some_and(|f| l.at < f) || thin.to.is_some_and(|t| l.at > t) {
            continue;
        }
        if l.digest.is_some() && l.digest == last_digest {
            continue;
        }
        last_digest = l.digest.clone();
        if let (Some(every), Some(prev)) = (thin.every, kept.last())
            && l.at.as_second() - prev.at.as_second() < every
        {
            continue;
        }
        kept.push(l);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        prov_model::time::parse(s).unwrap()
    }

    #[test]
    fn a_timemap_lists_its_mementos_in_raw_form() {
        let text = r#"<http://example.org/a>; rel="original",
<http://arch.test/timemap/link/http://example.org/a>; rel="self"; type="application/link-format"; from="Fri, 04 May 2018 10:12:00 GMT",
<http://arch.test/web/20180504101200/http://example.org/a>; rel="first memento"; datetime="Fri, 04 May 2018 10:12:00 GMT",
<http://arch.test/web/20180601000000/http://example.org/a?x=1,2>; rel="memento"; datetime="Fri, 01 Jun 2018 00:00:00 GMT",
</other/m3>; rel="last memento"; datetime="Sat, 02 Jun 2018 00:00:00 GMT",
<http://arch.test/web/nodate/http://example.org/a>; rel="memento",
<?page=2>; rel="next"; type="application/link-format""#;
        let page = parse_timemap(text, "http://arch.test/timemap/link/http://example.org/a");
        // Paged: the next page's link, resolved; a "next memento" would be a memento.
        assert_eq!(
            page.next.as_deref(),
            Some("http://arch.test/timemap/link/http://example.org/a?page=2")
        );
        let got = page.listed;
        let urls: Vec<&str> = got.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "http://arch.test/web/20180504101200id_/http://example.org/a",
                "http://arch.test/web/20180601000000id_/http://example.org/a?x=1,2",
                "http://arch.test/other/m3",
            ]
        );
        assert_eq!(got[0].at, t("2018-05-04T10:12:00Z"));
        assert_eq!(got[2].at, t("2018-06-02T00:00:00Z"));
    }

    #[test]
    fn raw_forms() {
        assert_eq!(
            raw_form("https://web.archive.org/web/20180504101200/https://e.org/a"),
            "https://web.archive.org/web/20180504101200id_/https://e.org/a"
        );
        assert_eq!(
            raw_form("https://arquivo.pt/wayback/20180504101200/https://e.org/a"),
            "https://arquivo.pt/wayback/20180504101200id_/https://e.org/a"
        );
        // Already raw, or not Wayback-style: unchanged.
        for u in [
            "https://web.archive.org/web/20180504101200id_/https://e.org/a",
            "https://archive.example/m/123",
            "nonsense",
        ] {
            assert_eq!(raw_form(u), u);
        }
    }

    #[test]
    fn cdx_rows_become_raw_mementos() {
        let json = br#"[["timestamp","original","mimetype","statuscode","digest"],
            ["20180504101200","http://example.org/a","text/html","200","AAA"],
            ["20180505000000","http://example.org/a","warc/revisit","-","AAA"],
            ["20180506000000","http://example.org/a","text/html","301","BBB"],
            ["2018","http://example.org/a","text/html","200","CCC"],
            ["bad","http://example.org/a","text/html","200","DDD"],
            ["20180507000000","https://www.example.org/a/","text/html","200","EEE"],
            ["20180508000000","http://example.org/a/other","text/html","200","FFF"],
            ["20180509000000","http://example.org/b","text/html","200","GGG"],
            [],
            ["KEY 2"]]"#;
        let page = parse_cdx(json, "http://arch.test/", "http://example.org/a").unwrap();
        // Rows of other pages (a matchType widens the query) are left out and counted; the
        // same page by another scheme, `www.` or a trailing slash is kept.
        assert_eq!(page.other_urls, 2);
        assert_eq!(page.next.as_deref(), Some("KEY 2"));
        let got = page.listed;
        assert_eq!(got.len(), 3);
        assert_eq!(
            got[2].url,
            "http://arch.test/web/20180507000000id_/https://www.example.org/a/"
        );
        assert_eq!(
            got[0].url,
            "http://arch.test/web/20180504101200id_/http://example.org/a"
        );
        assert_eq!(got[0].digest.as_deref(), Some("AAA"));
        assert_eq!(got[1].at, t("2018-01-01T00:00:00Z"));
        assert_eq!(parse_cdx(b"[]", "x", "y"), Ok(Page::default()));
        assert_eq!(parse_cdx(b"{}", "x", "y"), Err(ListError::CdxShape));
        assert!(matches!(
            parse_cdx(b"<html>", "x", "y"),
            Err(ListError::NotJson(_))
        ));
        assert_eq!(
            parse_cdx(br#"[["a","b"]]"#, "x", "y"),
            Err(ListError::CdxShape)
        );
        assert_eq!(
            cdx_url("http://arch.test/", "http://e.org/a b", Some("k+1")),
            "http://arch.test/cdx/search/cdx?url=http://e.org/a%20b&output=json&fl=timestamp,original,mimetype,statuscode,digest&limit=10000&showResumeKey=true&resumeKey=k%2B1"
        );
    }

    #[test]
    fn same_page_is_the_archives_key_not_the_bytes_of_the_url() {
        for (a, b) in [
            ("https://www.e.org/a/", "http://e.org/a"),
            ("http://E.org:80/a#top", "https://e.org/a"),
            ("https://e.org/a?x=1", "http://e.org/a/?x=1"),
        ] {
            assert!(same_page(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("https://e.org/a", "https://e.org/a/b"),
            ("https://e.org/a", "https://e.org/a?x=1"),
            ("https://e.org/a", "https://f.org/a"),
        ] {
            assert!(!same_page(a, b), "{a} {b}");
        }
    }

    #[test]
    fn selection_collapses_runs_of_a_digest_then_thins() {
        let l = |at: &str, d: &str| Listed {
            at: t(at),
            url: format!("u{at}"),
            digest: Some(d.into()),
        };
        let all = vec![
            l("2018-01-03T00:00:00Z", "B"),
            l("2018-01-01T00:00:00Z", "A"),
            l("2018-01-02T00:00:00Z", "A"),
            l("2018-01-03T12:00:00Z", "C"),
            l("2018-01-05T00:00:00Z", "A"),
            l("2018-01-09T00:00:00Z", "D"),
        ];
        let days = |v: &[Listed]| -> Vec<String> {
            v.iter().map(|l| prov_model::time::rfc3339(l.at)).collect()
        };
        let kept = select(all.clone(), &Thinning::default());
        assert_eq!(
            days(&kept),
            [
                "2018-01-01T00:00:00Z",
                "2018-01-03T00:00:00Z",
                "2018-01-03T12:00:00Z",
                "2018-01-05T00:00:00Z",
                "2018-01-09T00:00:00Z"
            ]
        );
        let thin = Thinning {
            from: Some(t("2018-01-02")),
            to: Some(t("2018-01-08")),
            every: Some(86_400),
        };
        assert_eq!(
            days(&select(all, &thin)),
            [
                "2018-01-02T00:00:00Z",
                "2018-01-03T00:00:00Z",
                "2018-01-05T00:00:00Z"
            ]
        );
    }

    proptest::proptest! {
        #![proptest_config(prov_testing::proptest_config(256))]
        #[test]
        fn no_listing_makes_it_panic(text in "\\PC{0,200}") {
            let _ = parse_timemap(&text, "http://a.test/tm");
            let _ = parse_cdx(text.as_bytes(), "http://a.test", "http://a.test/p");
            let _ = raw_form(&text);
            let _ = parse_stamp(&text);
        }
    }
}
