//! Decoding raw bytes to text: BOM, then the declared charset (HTTP, then `<meta>`), then detection.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;

use super::{Charset, CharsetSource};

/// How far into an HTML page a `<meta charset>` is looked for. The HTML standard says
/// 1024 bytes, but real pages put long scripts before it; 16 KB finds those and bounds the work.
const META_SCAN: usize = 16 * 1024;

/// Decode `bytes`, saying which evidence decided the charset. Never refuses: bytes that
/// break every label are read as detection guesses, with replacement characters where
/// nothing fits (as browsers do).
pub(crate) fn decode(bytes: &[u8], content_type: Option<&str>, html: bool) -> (String, Charset) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), charset(enc, CharsetSource::Bom));
    }
    let http = content_type
        .and_then(charset_param)
        .map(|e| (e, CharsetSource::Http));
    let meta = || {
        if html {
            meta_charset(bytes).map(|e| (e, CharsetSource::Meta))
        } else {
            None
        }
    };
    if let Some((enc, source)) = http.or_else(meta) {
        // Pages are often re-encoded to UTF-8 by their CMS while the template still
        // declares iso-8859-1 or windows-1252. Valid UTF-8 with non-ASCII bytes is
        // almost never meaningful in a single-byte charset (it would read as mojibake
        // like "Ã©"), so the bytes outweigh the declaration there.
        if enc.is_single_byte()
            && !bytes.is_ascii()
            && let Some(s) = prov_text::utf8::as_str(bytes)
        {
            return (s.to_owned(), charset(UTF_8, CharsetSource::Detected));
        }
        // The same re-encoding under a multi-byte declaration (gb2312, shift_jis): where
        // the declared decode fails and the bytes are valid UTF-8, the bytes win again.
        if let Some(decoded) = strict(enc, bytes, source) {
            return decoded;
        }
        if enc != UTF_8
            && let Some(s) = prov_text::utf8::as_str(bytes)
        {
            return (s.to_owned(), charset(UTF_8, CharsetSource::Detected));
        }
        // A label the bytes break lies, most often a server's `charset=utf-8` over a page
        // that declares and is in windows-1252. The page's own declaration is the next
        // evidence; past it, the bytes are read as they are, never refused (they are
        // evidence whatever their label).
        if let Some((enc, source)) = http.and(meta())
            && let Some(decoded) = strict(enc, bytes, source)
        {
            return decoded;
        }
    } else if let Some(s) = prov_text::utf8::as_str(bytes) {
        return (s.to_owned(), charset(UTF_8, CharsetSource::Detected));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    // A guess cannot be held to strictness: a stray byte must not lose the whole page.
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), charset(enc, CharsetSource::Detected))
}

fn charset(enc: &'static Encoding, source: CharsetSource) -> Charset {
    Charset {
        name: enc.name().to_string(),
        source,
    }
}

/// The bytes read as a declared charset, if they keep its rules: a label the bytes break is
/// not believed.
fn strict(
    enc: &'static Encoding,
    bytes: &[u8],
    source: CharsetSource,
) -> Option<(String, Charset)> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| (text.into_owned(), charset(enc, source)))
}

/// The `charset=` parameter of a Content-Type value.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        label(v.trim().trim_matches(|c| c == '"' || c == '\'').as_bytes())
    })
}

fn label(l: &[u8]) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(l)?;
    // A page that could say "utf-16" in ASCII is not UTF-16; the HTML standard reads
    // such a declaration as UTF-8. "replacement" (for dangerous labels) is never useful here.
    if enc == encoding_rs::UTF_16LE
        || enc == encoding_rs::UTF_16BE
        || enc == encoding_rs::REPLACEMENT
    {
        return Some(UTF_8);
    }
    Some(enc)
}

static META: LazyLock<Regex> = LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a constant pattern, covered by the tests
    Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).unwrap()
});

/// `<meta charset="x">` or `<meta http-equiv="Content-Type" content="text/html; charset=x">`:
/// both carry `charset=` inside a meta tag, so one pattern finds either.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN)];
    META.captures_iter(head)
        .find_map(|c| label(c.get(1)?.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8], ct: Option<&str>, html: bool) -> (String, String, CharsetSource) {
        let (t, c) = decode(bytes, ct, html);
        (t, c.name, c.source)
    }

    #[test]
    fn bom_utf16_wins() {
        let mut b = vec![0xff, 0xfe];
        for u in "Café".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            dec(&b, Some("text/html; charset=iso-8859-1"), true),
            ("Café".into(), "UTF-16LE".into(), CharsetSource::Bom)
        );
    }

    #[test]
    fn latin1_declared_in_http_and_meta() {
        assert_eq!(
            dec(b"Caf\xe9", Some("text/plain; charset=ISO-8859-1"), false).0,
            "Café"
        );
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><p>Caf\xe9</p>";
        let (t, name, src) = dec(page, None, true);
        assert!(t.contains("Café"));
        assert_eq!((name.as_str(), src), ("windows-1252", CharsetSource::Meta));
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>\xcf\xf0";
        assert_eq!(dec(equiv, None, true).1, "windows-1251");
    }

    #[test]
    fn utf8_bytes_beat_a_single_byte_declaration() {
        let page = "<meta charset=iso-8859-1><p>Café “quoted”</p>".as_bytes();
        let (t, name, src) = dec(page, None, true);
        assert!(t.contains("Café “quoted”"));
        assert_eq!((name.as_str(), src), ("UTF-8", CharsetSource::Detected));
    }

    #[test]
    fn a_label_the_bytes_break_gives_way_to_the_page_then_to_detection() {
        // The server says UTF-8, the page says (and is) windows-1252.
        let page = b"<meta charset=windows-1252><p>Caf\xe9 \x93quoted\x94</p>";
        let (t, name, src) = dec(page, Some("text/html; charset=utf-8"), true);
        assert!(t.contains("Café “quoted”"), "{t}");
        assert_eq!((name.as_str(), src), ("windows-1252", CharsetSource::Meta));
        // Only UTF-8 declared, and broken: the bytes are read all the same.
        let (t, _, src) = dec(b"<meta charset=utf-8><p>Caf\xe9</p>", None, true);
        assert!(t.contains("Caf") && t.contains("</p>"), "{t}");
        assert_eq!(src, CharsetSource::Detected);
    }

    #[test]
    fn undeclared_is_detected() {
        assert_eq!(
            dec("naïve".as_bytes(), None, false),
            ("naïve".into(), "UTF-8".into(), CharsetSource::Detected)
        );
        let latin = b"Le caf\xe9 de la gare est ferm\xe9 depuis l'\xe9t\xe9 dernier, h\xe9las.";
        let (t, _, src) = dec(latin, None, false);
        assert!(t.contains("café") && t.contains("été"));
        assert_eq!(src, CharsetSource::Detected);
    }
}
