//! Provenance across an article's copies: which copy came first and what each changed
//! ([`lineage`]), which capture introduced each paragraph's present wording ([`blame`]), and
//! the whole record as W3C PROV-JSON ([`prov_json`]).
//!
//! Pure: each takes captures' metadata and clean texts already read (by today's normalizer,
//! as every comparison in prov) and returns data; nothing here reads the archive, git or the
//! clock. Captures come as `Archive::captures` gives them (oldest first), so a refiled
//! capture counts under the article and copy it was refiled to.

pub mod blame;
pub mod lineage;
pub mod prov_json;

use prov_model::{Capture, Kind};

/// One capture of the article and its clean text by today's normalizer (`None` for a
/// capture that is not a page).
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub capture: &'a Capture,
    pub text: Option<&'a str>,
}

impl<'a> Item<'a> {
    /// The text of a page capture; `None` for a gone or moved one.
    pub fn page_text(&self) -> Option<&'a str> {
        match self.capture.meta.kind {
            Kind::Page => self.text,
            Kind::Gone | Kind::Moved => None,
        }
    }
}

/// The paragraphs of a clean text as the differ numbers them: its non-empty lines, trimmed,
/// from 0 (the title).
pub fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// `s` on one line, cut at a word boundary to at most `max` characters plus an ellipsis.
pub fn abridge(s: &str, max: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let cut: String = one.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Captures made up in memory for the unit tests of this module.

    use prov_model::hash::sha256_hex;
    use prov_model::page::Metadata;
    use prov_model::{Capture, FileFacts, FiledBy, Kind, Meta, TimeSource};

    pub fn capture(copy: &str, at: &str, text: &str) -> Capture {
        let id = format!(
            "{}-{}",
            at.replace(['-', ':'], ""),
            &sha256_hex(format!("{copy}{text}").as_bytes())[..8]
        );
        let meta = Meta {
            meta_version: 1,
            article: "story".into(),
            copy: copy.into(),
            capture: id.clone(),
            kind: Kind::Page,
            filed_by: FiledBy::Option,
            matched: None,
            source: format!("{copy}.html"),
            url: Some(format!("https://{copy}/story")),
            final_url: None,
            captured_at: at.into(),
            captured_at_source: TimeSource::Declared,
            archived_at: "2026-01-01T00:00:00Z".into(),
            http: None,
            format: None,
            charset: None,
            raw: FileFacts {
                file: "raw.html".into(),
                sha256: sha256_hex(text.as_bytes()),
                size: text.len() as u64,
            },
            text: Some(FileFacts {
                file: "text.txt".into(),
                sha256: sha256_hex(text.as_bytes()),
                size: text.len() as u64,
            }),
            normalizer: prov_model::normalizer::NormalizerId::of(1, String::new()),
            page: Metadata::default(),
            stripped: vec![],
            warc: None,
            memento: None,
            no_text: None,
        };
        Capture {
            dir: format!("snapshots/story/{copy}/{id}"),
            meta,
            refiled: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abridge_cuts_at_a_word() {
        assert_eq!(abridge("short  text", 20), "short text");
        assert_eq!(
            abridge("Kim Il-sung demonstrated a remarkable degree", 24),
            "Kim Il-sung demonstrated…"
        );
        assert_eq!(abridge("abcdefghij", 4), "abcd…");
    }

    #[test]
    fn paragraphs_are_numbered_as_the_differ_numbers_them() {
        assert_eq!(paragraphs("# T\n\n  a \n\n\nb\n"), ["# T", "a", "b"]);
    }
}
