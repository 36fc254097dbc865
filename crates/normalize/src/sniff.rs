//! Telling HTML from text, and refusing bytes that are neither (PDF, images, binary data).

use super::{Format, Input};

/// Bytes that are plainly not a page or text: `Err` names what they look like.
pub(crate) fn refuse_binary(bytes: &[u8]) -> Result<(), String> {
    // Magic numbers first: they are certain, and a PDF or PNG also trips the NUL test
    // below, but "a PDF" tells the user far more than "binary data".
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF"),
        (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
        (b"\xff\xd8\xff", "an image (JPEG)"),
        (b"GIF87a", "an image (GIF)"),
        (b"GIF89a", "an image (GIF)"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"\x1f\x8b", "gzip-compressed data"),
        (b"\x7fELF", "an executable"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Err((*what).to_string());
        }
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Err("an image (WebP)".into());
    }
    // UTF-16 text is full of NULs but is text: only its BOM makes it decodable, so
    // with a BOM the NUL test does not apply.
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return Ok(());
    }
    // Text in any ASCII-compatible charset has no NULs and few control bytes; a
    // sample bounds the work on large inputs.
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)))
        .count();
    if sample.contains(&0) || controls * 20 > sample.len() {
        return Err("binary data".into());
    }
    Ok(())
}

/// HTML or text: the HTTP header, then the file name, then the bytes themselves.
pub(crate) fn format(input: &Input<'_>) -> Format {
    if let Some(ct) = input.content_type {
        let ct = ct.to_ascii_lowercase();
        if ct.contains("html") || ct.contains("xml") {
            return Format::Html;
        }
        if ct.starts_with("text/plain") || ct.starts_with("text/markdown") {
            return Format::Text;
        }
    }
    if let Some(name) = input.file_name {
        let name = name.to_ascii_lowercase();
        if [".html", ".htm", ".xhtml", ".shtml"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            return Format::Html;
        }
        if [".txt", ".text", ".md"].iter().any(|e| name.ends_with(e)) {
            return Format::Text;
        }
    }
    if looks_like_html(input.bytes) {
        Format::Html
    } else {
        Format::Text
    }
}

/// Markup near the start: a doctype, `<html>`, or one of the tags every page has.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    // UTF-16 with a BOM: look at the ASCII bytes only, dropping the NULs.
    let head: Vec<u8> = head
        .iter()
        .filter(|&&b| b != 0)
        .map(u8::to_ascii_lowercase)
        .collect();
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xef | 0xbb | 0xbf | 0xff | 0xfe));
    let Some(start) = start else { return false };
    let head = &head[start..];
    if head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || head.starts_with(b"<?xml")
    {
        return true;
    }
    const TAGS: &[&[u8]] = &[
        b"<html",
        b"<head",
        b"<body",
        b"<meta ",
        b"<title>",
        b"<div",
        b"<p>",
        b"<article",
    ];
    head.starts_with(b"<") && TAGS.iter().any(|t| head.windows(t.len()).any(|w| w == *t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> Option<String> {
        refuse_binary(bytes).err()
    }

    #[test]
    fn refuses_pdf_png_and_nul_heavy_bytes() {
        assert_eq!(err(b"%PDF-1.7\n%\xe2\xe3"), Some("a PDF".into()));
        assert_eq!(
            err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("an image (PNG)".into())
        );
        assert_eq!(
            err(&[0u8, 1, 2, 3, 0, 0, 9, 200, 0, 0]),
            Some("binary data".into())
        );
        assert_eq!(err(b"Plain text.\n"), None);
        assert_eq!(err(b"\xff\xfeH\0i\0"), None);
    }

    #[test]
    fn tells_html_from_text() {
        let page = Input {
            bytes: b"<!DOCTYPE html><html><p>x</p>",
            ..Default::default()
        };
        assert_eq!(format(&page), Format::Html);
        let text = Input {
            bytes: b"Title\n\nA <b> is not markup here.",
            ..Default::default()
        };
        assert_eq!(format(&text), Format::Text);
        let named = Input {
            bytes: b"Title",
            file_name: Some("raw.html"),
            ..Default::default()
        };
        assert_eq!(format(&named), Format::Html);
        let typed = Input {
            bytes: b"<html>",
            content_type: Some("text/plain"),
            ..Default::default()
        };
        assert_eq!(format(&typed), Format::Text);
    }
}
