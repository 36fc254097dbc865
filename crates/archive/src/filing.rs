//! Filing: which article a new capture belongs to, and why, decided from the capture's facts
//! and a view of the captures already filed; no repository, no files.
//!
//! The copy is `--copy`, else the URL's host ([`copy_of`]). The article: the rules, first
//! that holds wins: `--article` (or the article a gone or moved finding is
//! recorded under); else the article of the latest capture of the same URL (its URL or
//! final URL); else that of the latest capture of the same copy with identical bytes or
//! identical clean text (re-capturing a file must not start a second article); else the
//! article of the best match at or above [`prov_matching::THRESHOLD`] (`filed_by:
//! match`, the match recorded); else a new article named from the title, numbered past the
//! names taken. The view sees captures where their latest refile put them, so a refile
//! steers every later capture. [`super::Archive::capture`] reads the view by scanning
//! captures ([`Scan`]); a bulk run keeps it in maps (`bulk::Lookups`): one decision for both.

use prov_model::names;

use super::{FiledBy, MatchFacts};
use prov_matching::Signature;
use prov_matching::index::Found;

/// What filing needs to know of a new capture.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// `--article`, or the article a finding is recorded under (its name already checked).
    pub article: Option<&'a str>,
    /// Why that article, when it was given: `--article` if not said.
    pub filed_by: Option<FiledBy>,
    /// Where the bytes were captured from.
    pub url: Option<&'a str>,
    /// The copy it is a capture of (decided before filing).
    pub copy: &'a str,
    pub raw_sha: &'a str,
    /// The clean text's SHA-256; `None` for no text or an empty one, which says nothing of
    /// the article it belongs to.
    pub text_sha: Option<&'a str>,
    /// The title a new article is named from (may be empty).
    pub title: &'a str,
}

/// The captures already filed, as filing asks about them. "Latest" is in capture order
/// (capture time, then order of record); every article is where its refiles put it.
pub trait Existing {
    type Error;

    /// The article of the latest capture whose URL or final URL is `url`.
    fn article_of_url(&self, url: &str) -> Option<String>;

    /// The article of the latest capture of `copy` with these bytes or this clean text.
    fn article_of_content(
        &self,
        copy: &str,
        raw_sha: &str,
        text_sha: Option<&str>,
    ) -> Option<String>;

    /// The capture whose text best matches `sig`, if one scores at least the threshold.
    fn best_match(&mut self, sig: &Signature) -> Result<Option<Found>, Self::Error>;

    /// Whether some capture is filed under the article `name`.
    fn has_article(&self, name: &str) -> bool;
}

/// Where a capture is filed, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Filing {
    pub article: String,
    pub filed_by: FiledBy,
    /// The archived capture a fuzzy match filed it by.
    pub matched: Option<MatchFacts>,
    /// The capture's signature, when filing came to matching and the text has one.
    pub signature: Option<Signature>,
}

/// File a capture: the rules of this module's doc in order. `signature` is asked for only
/// when filing comes to matching (a MinHash costs a pass over the text).
pub fn file<E: Existing>(
    new: &Facts<'_>,
    signature: impl FnOnce() -> Option<Signature>,
    existing: &mut E,
) -> Result<Filing, E::Error> {
    let filing = |article: String, filed_by| Filing {
        article,
        filed_by,
        matched: None,
        signature: None,
    };
    if let Some(a) = new.article {
        return Ok(filing(
            a.to_string(),
            new.filed_by.unwrap_or(FiledBy::Option),
        ));
    }
    if let Some(article) = new.url.and_then(|u| existing.article_of_url(u)) {
        return Ok(filing(article, FiledBy::Url));
    }
    if let Some(article) = existing.article_of_content(new.copy, new.raw_sha, new.text_sha) {
        return Ok(filing(article, FiledBy::Content));
    }
    let signature = signature();
    if let Some(sig) = &signature
        && let Some(found) = existing.best_match(sig)?
    {
        return Ok(Filing {
            article: found.article.clone(),
            filed_by: FiledBy::Match,
            matched: Some(MatchFacts::from(found)),
            signature,
        });
    }
    Ok(Filing {
        signature,
        ..filing(
            new_article_name(new.title, |n| existing.has_article(n)),
            FiledBy::Title,
        )
    })
}

/// The copy a capture of `url` is of when `--copy` names none: the URL's host as a name
/// (`www.` left off), else `local` (a file, stdin, a URL without a host).
pub fn copy_of(url: Option<&str>) -> String {
    names::usable(
        url.and_then(prov_model::url::host_of)
            .map(|h| names::copy_name(&h))
            .unwrap_or_default(),
        "local",
    )
}

/// A new article's name: the title's slug (`article` when it gives none), numbered past the
/// names `taken` (`-2`, `-3`, ...).
pub fn new_article_name(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = names::usable(names::slug(title), "article");
    let mut name = base.clone();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// The view as a scan of captures in capture order (as [`super::Archive::captures`] gives
/// them, refiles applied), matching through `matches`.
pub struct Scan<'a, M> {
    pub captures: &'a [super::Capture],
    pub matches: M,
}

impl<E, M> Existing for Scan<'_, M>
where
    M: FnMut(&Signature) -> Result<Option<Found>, E>,
{
    type Error = E;

    fn article_of_url(&self, url: &str) -> Option<String> {
        self.captures
            .iter()
            .rev()
            .find(|c| {
                c.meta.url.as_deref() == Some(url) || c.meta.final_url.as_deref() == Some(url)
            })
            .map(|c| c.article().to_string())
    }

    fn article_of_content(
        &self,
        copy: &str,
        raw_sha: &str,
        text_sha: Option<&str>,
    ) -> Option<String> {
        self.captures
            .iter()
            .rev()
            .find(|c| {
                c.copy() == copy
                    && (c.meta.raw.sha256 == raw_sha
                        || c.meta
                            .text
                            .as_ref()
                            .is_some_and(|t| Some(t.sha256.as_str()) == text_sha))
            })
            .map(|c| c.article().to_string())
    }

    fn best_match(&mut self, sig: &Signature) -> Result<Option<Found>, E> {
        (self.matches)(sig)
    }

    fn has_article(&self, name: &str) -> bool {
        self.captures.iter().any(|c| c.article() == name)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::convert::Infallible;

    use super::*;
    use crate::tests::capture;
    use crate::{Capture, Place, Refile, refile};
    use prov_matching::index::Memory;

    const LONG: &str = "The council voted on Tuesday to close the old bridge to traffic \
        after engineers found cracks in two of its supports, and said repairs would take \
        at least a year and cost more than the town had set aside for all its roads.";

    fn archive() -> Vec<Capture> {
        vec![
            capture(
                "c1",
                "bridge",
                "example-com",
                "https://example.com/a",
                "r1",
                "t1",
            ),
            capture(
                "c2",
                "budget",
                "example-com",
                "https://example.com/b",
                "r2",
                "t2",
            ),
            // The same URL again, later, under another article: the latest wins.
            capture(
                "c3",
                "bridge-2",
                "example-com",
                "https://example.com/a",
                "r3",
                "t3",
            ),
        ]
    }

    fn facts<'a>() -> Facts<'a> {
        Facts {
            article: None,
            filed_by: None,
            url: Some("https://example.net/new"),
            copy: "example-net",
            raw_sha: "new-raw",
            text_sha: Some("new-text"),
            title: "Bridge closed for a year",
        }
    }

    /// Filing over `captures`, matching against the texts `indexed` (capture, article).
    fn file_in(captures: &[Capture], indexed: &[(&str, &str, &str)], new: &Facts<'_>) -> Filing {
        let mut memory = Memory::default();
        for (id, article, text) in indexed {
            memory.add(id, article, "copy", prov_matching::signature(text).unwrap());
        }
        let mut view = Scan {
            captures,
            matches: |sig: &Signature| -> Result<_, Infallible> { Ok(memory.best(sig)) },
        };
        let Ok(filing) = file(new, || prov_matching::signature(LONG), &mut view);
        filing
    }

    #[test]
    fn the_copy_is_the_hosts_name_else_local() {
        let copy = |url| copy_of(Some(url));
        assert_eq!(copy("https://www.Example.com:8080/a?b"), "example.com");
        assert_eq!(copy("http://user@news.example.org./x"), "news.example.org");
        for none in [copy("file.html"), copy("https:///path"), copy_of(None)] {
            assert_eq!(none, "local");
        }
    }

    #[test]
    fn the_article_given_wins_and_says_why() {
        let given = Facts {
            article: Some("chosen"),
            url: Some("https://example.com/a"),
            ..facts()
        };
        let f = file_in(&archive(), &[], &given);
        assert_eq!(
            (f.article.as_str(), f.filed_by),
            ("chosen", FiledBy::Option)
        );
        // A finding keeps the reason its article was first given.
        let finding = Facts {
            filed_by: Some(FiledBy::Url),
            ..given
        };
        let f = file_in(&archive(), &[], &finding);
        assert_eq!((f.article.as_str(), f.filed_by), ("chosen", FiledBy::Url));
    }

    #[test]
    fn the_same_url_files_with_its_latest_capture() {
        let new = Facts {
            url: Some("https://example.com/a"),
            ..facts()
        };
        let f = file_in(&archive(), &[], &new);
        assert_eq!((f.article.as_str(), f.filed_by), ("bridge-2", FiledBy::Url));
        // A final URL counts as the URL.
        let mut moved = archive();
        moved[1].meta.final_url = Some("https://example.com/b2".into());
        let new = Facts {
            url: Some("https://example.com/b2"),
            ..facts()
        };
        assert_eq!(file_in(&moved, &[], &new).article, "budget");
    }

    #[test]
    fn identical_bytes_or_text_of_the_same_copy_file_together() {
        let bytes = Facts {
            copy: "example-com",
            raw_sha: "r2",
            ..facts()
        };
        let f = file_in(&archive(), &[], &bytes);
        assert_eq!(
            (f.article.as_str(), f.filed_by),
            ("budget", FiledBy::Content)
        );
        let text = Facts {
            copy: "example-com",
            text_sha: Some("t1"),
            ..facts()
        };
        assert_eq!(file_in(&archive(), &[], &text).article, "bridge");
        // Of another copy, identical bytes are a question for matching, not content.
        let other = Facts {
            raw_sha: "r2",
            ..facts()
        };
        assert_eq!(file_in(&archive(), &[], &other).filed_by, FiledBy::Title);
        // No text (or an empty one) says nothing of the article.
        let none = Facts {
            copy: "example-com",
            text_sha: None,
            ..facts()
        };
        assert_eq!(file_in(&archive(), &[], &none).filed_by, FiledBy::Title);
    }

    #[test]
    fn a_text_matching_at_the_threshold_files_with_its_match() {
        let edited = LONG.replace("Tuesday", "Monday");
        let f = file_in(&archive(), &[("c1", "bridge", &edited)], &facts());
        assert_eq!((f.article.as_str(), f.filed_by), ("bridge", FiledBy::Match));
        let matched = f.matched.unwrap();
        assert_eq!(matched.capture, "c1");
        assert!(matched.score >= prov_matching::THRESHOLD, "{matched:?}");
        assert_eq!(f.signature, prov_matching::signature(LONG));
    }

    #[test]
    fn below_the_threshold_is_a_new_article_named_from_the_title() {
        let other = "Schools will open an hour later from September, the board decided \
            on Monday after a year of complaints from parents about buses that leave \
            before dawn and children who fall asleep in their first lessons each day.";
        let f = file_in(&archive(), &[("c2", "budget", other)], &facts());
        assert_eq!(
            (f.article.as_str(), f.filed_by, f.matched),
            ("bridge-closed-for-a-year", FiledBy::Title, None)
        );
        // The signature made on the way is kept, to add the capture to the match index.
        assert!(f.signature.is_some());
    }

    #[test]
    fn new_names_are_numbered_past_those_taken_and_untitled_is_article() {
        let taken = |names: &'static [&'static str]| move |n: &str| names.contains(&n);
        assert_eq!(new_article_name("Bridge", taken(&[])), "bridge");
        assert_eq!(
            new_article_name("Bridge", taken(&["bridge", "bridge-2"])),
            "bridge-3"
        );
        assert_eq!(new_article_name("", taken(&[])), "article");
        assert_eq!(new_article_name("", taken(&["article"])), "article-2");
        let untitled = Facts {
            title: "",
            ..facts()
        };
        assert_eq!(file_in(&archive(), &[], &untitled).article, "article");
        let taken_title = Facts {
            title: "Bridge",
            ..facts()
        };
        assert_eq!(file_in(&archive(), &[], &taken_title).article, "bridge-3");
    }

    #[test]
    fn matching_is_not_asked_when_an_earlier_rule_holds() {
        let new = Facts {
            url: Some("https://example.com/b"),
            ..facts()
        };
        let mut asked = false;
        let mut view = Scan {
            captures: &archive(),
            matches: |_: &Signature| -> Result<Option<Found>, Infallible> {
                asked = true;
                Ok(None)
            },
        };
        let Ok(f) = file(&new, || panic!("no signature needed"), &mut view);
        assert_eq!((f.article.as_str(), f.signature), ("budget", None));
        assert!(!asked);
    }

    #[test]
    fn a_refiled_capture_files_what_follows_where_it_was_refiled() {
        let mut captures = archive();
        let record = Refile {
            refile_version: 1,
            capture: "c2".into(),
            from: Place {
                article: "budget".into(),
                copy: "example-com".into(),
            },
            to: Place {
                article: "town-budget".into(),
                copy: "example-com".into(),
            },
            time: "2026-01-02T00:00:00Z".into(),
            by: "someone".into(),
            path: "refiles/c2/20260102T000000Z-00000000.json".into(),
        };
        refile::apply_refiles(&mut captures, &[record]);
        let by_url = Facts {
            url: Some("https://example.com/b"),
            ..facts()
        };
        assert_eq!(file_in(&captures, &[], &by_url).article, "town-budget");
        let by_bytes = Facts {
            copy: "example-com",
            raw_sha: "r2",
            ..facts()
        };
        assert_eq!(file_in(&captures, &[], &by_bytes).article, "town-budget");
        // The name it left is free again.
        let titled = Facts {
            title: "Budget",
            ..facts()
        };
        assert_eq!(file_in(&captures, &[], &titled).article, "budget");
    }
}
