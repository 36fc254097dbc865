//! `prov blame`: for each paragraph of a copy's latest clean text, the capture that
//! introduced its present wording.
//!
//! The rule (git blame's, over captures instead of commits): walk the copy's page captures
//! oldest to newest, aligning each text with the one before by the differ's paragraph
//! alignment ([`diff::kept_from`]). A paragraph equal to one before it (after typography
//! folding), in place or moved, keeps that paragraph's origin; a paragraph edited, split,
//! merged or inserted takes the capture in which it appears. Wording is compared without the
//! archive's ignore rules: blame is about the words as written.
//!
//! Across copies (`prov blame ARTICLE`, no copy named): a paragraph present since its copy's
//! first capture is traced further back, to the earliest capture of another copy, taken
//! before that first capture, that already had the paragraph in this exact wording (after
//! folding). So a syndicated reprint's paragraphs point at the original's capture, while
//! what the reprint itself wrote stays with the reprint.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use serde::Serialize;

use super::{Item, abridge, paragraphs};
use prov_diff as diff;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BlameError {
    #[error("the article {article:?} has no capture with text{}", copy.as_ref().map(|c| format!(" from the copy {c:?}")).unwrap_or_default())]
    NoText {
        article: String,
        copy: Option<String>,
    },
}

/// How a paragraph's origin was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Traced {
    /// Through the copy's own captures.
    CopyHistory,
    /// In an earlier capture of another copy with the same wording.
    OtherCopy,
}

/// `prov blame --json`. Field order is the JSON's.
#[derive(Debug, Clone, Serialize)]
pub struct Blame {
    pub article: String,
    pub copy: String,
    /// The capture whose text is blamed: the copy's latest page capture.
    pub capture: String,
    pub captured_at: String,
    /// Paragraphs may be traced to other copies (no copy was named).
    pub across_copies: bool,
    pub paragraphs: Vec<Line>,
}

/// One paragraph of the blamed text and its origin.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// Its index as `prov diff` numbers paragraphs: 0 is the title, written `"title"` in
    /// JSON and text alike (paragraphs count from 1, as the spec says).
    #[serde(serialize_with = "para_name")]
    pub para: usize,
    pub text: String,
    /// The capture that introduced this wording, its time and copy.
    pub capture: String,
    pub captured_at: String,
    pub copy: String,
    pub traced: Traced,
}

/// Blame the latest text of `copy` (or, with `None`, of the article's latest page capture),
/// tracing across copies when no copy is named or `across` is set. `items` are the
/// article's captures, oldest first.
pub fn blame(
    article: &str,
    items: &[Item<'_>],
    copy: Option<&str>,
    across: bool,
) -> Result<Blame, BlameError> {
    let no_text = || BlameError::NoText {
        article: article.to_string(),
        copy: copy.map(str::to_string),
    };
    let pages: Vec<(usize, &Item<'_>, &str)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, x)| x.page_text().map(|t| (i, x, t)))
        .collect();
    let target = match copy {
        Some(c) => c.to_string(),
        None => pages
            .last()
            .map(|(_, x, _)| x.capture.copy().to_string())
            .ok_or_else(no_text)?,
    };
    let chain: Vec<&(usize, &Item<'_>, &str)> = pages
        .iter()
        .filter(|(_, x, _)| x.capture.copy() == target)
        .collect();
    let Some(&&(first_index, _, first_text)) = chain.first() else {
        return Err(no_text());
    };
    // origin[k]: the position in `chain` of the capture that introduced paragraph k.
    let opts = diff::Options::default();
    let mut origin: Vec<usize> = vec![0; paragraphs(first_text).len()];
    for n in 1..chain.len() {
        let kept = diff::kept_from(chain[n - 1].2, chain[n].2, &opts);
        origin = kept
            .iter()
            .map(|k| k.and_then(|i| origin.get(i).copied()).unwrap_or(n))
            .collect();
    }
    let &&(_, latest, latest_text) = chain.last().unwrap_or(&chain[0]);

    // Folded paragraphs of other copies' captures made before this copy's first, earliest first.
    let across = across || copy.is_none();
    let mut earlier: HashMap<String, &Item<'_>> = HashMap::new();
    if across {
        for (i, x, t) in &pages {
            if *i >= first_index || x.capture.copy() == target {
                continue;
            }
            let seen: HashSet<Cow<'_, str>> = paragraphs(t).into_iter().map(diff::fold).collect();
            for p in seen {
                earlier.entry(p.into_owned()).or_insert(*x);
            }
        }
    }

    let lines = paragraphs(latest_text)
        .into_iter()
        .enumerate()
        .map(|(k, text)| {
            let o = origin.get(k).copied().unwrap_or(chain.len() - 1);
            let mut by = chain.get(o).map(|c| c.1).unwrap_or(latest);
            let mut traced = Traced::CopyHistory;
            if o == 0
                && let Some(other) = earlier.get(diff::fold(text).as_ref())
            {
                by = other;
                traced = Traced::OtherCopy;
            }
            Line {
                para: k,
                text: text.to_string(),
                capture: by.capture.id().to_string(),
                captured_at: by.capture.meta.captured_at.clone(),
                copy: by.capture.copy().to_string(),
                traced,
            }
        })
        .collect();
    Ok(Blame {
        article: article.to_string(),
        copy: target,
        capture: latest.capture.id().to_string(),
        captured_at: latest.capture.meta.captured_at.clone(),
        across_copies: across,
        paragraphs: lines,
    })
}

/// The title's index is named, not numbered: paragraphs count from 1.
fn para_name<S: serde::Serializer>(para: &usize, s: S) -> Result<S::Ok, S::Error> {
    match para {
        0 => s.serialize_str("title"),
        n => s.serialize_u64(*n as u64),
    }
}

/// `title` or the paragraph's number, as the text output shows it.
fn para_label(para: usize) -> String {
    match para {
        0 => "title".to_string(),
        n => n.to_string(),
    }
}

/// How much of each paragraph the text output shows.
const SHOWN: usize = 72;

/// The blame for people: one line a paragraph, `capture  time  copy  ¶N  text…`.
pub fn write_text(b: &Blame, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}/{} {} ({}){}",
        b.article,
        b.copy,
        b.capture,
        b.captured_at,
        if b.across_copies {
            ", traced across copies"
        } else {
            ""
        }
    )?;
    let width = b.paragraphs.iter().map(|l| l.copy.len()).max().unwrap_or(0);
    for l in &b.paragraphs {
        let mark = match l.traced {
            Traced::CopyHistory => ' ',
            Traced::OtherCopy => '^',
        };
        writeln!(
            out,
            "{}{mark} {}  {:width$}  {:>5}  {}",
            l.capture,
            l.captured_at,
            l.copy,
            para_label(l.para),
            abridge(&l.text, SHOWN)
        )?;
    }
    if b.paragraphs.iter().any(|l| l.traced == Traced::OtherCopy) {
        writeln!(
            out,
            "^ this wording was found earlier in another copy's capture"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::capture;
    use super::*;

    fn items<'a>(caps: &'a [prov_model::Capture], texts: &[&'a str]) -> Vec<Item<'a>> {
        caps.iter()
            .zip(texts)
            .map(|(c, t)| Item {
                capture: c,
                text: Some(t),
            })
            .collect()
    }

    const V1: &str =
        "# T\n\nAlpha paragraph is here.\n\nBeta paragraph is here.\n\nGamma paragraph is here.\n";
    const V2: &str = "# T\n\nAlpha paragraph is here.\n\nGamma paragraph is here.\n\nBeta paragraph was edited.\n\nDelta is new.\n";
    const V3: &str = "# T\n\nGamma paragraph is here.\n\nAlpha paragraph is here.\n\nBeta paragraph was edited.\n\nDelta is new.\n";

    #[test]
    fn equal_and_moved_paragraphs_keep_their_origin() {
        let caps = vec![
            capture("a.example", "2020-01-01T00:00:00Z", V1),
            capture("a.example", "2020-01-02T00:00:00Z", V2),
            capture("a.example", "2020-01-03T00:00:00Z", V3),
        ];
        let ids: Vec<String> = caps.iter().map(|c| c.id().to_string()).collect();
        let b = blame(
            "story",
            &items(&caps, &[V1, V2, V3]),
            Some("a.example"),
            false,
        )
        .unwrap();
        let got: Vec<(&str, &str)> = b
            .paragraphs
            .iter()
            .map(|l| (l.text.as_str(), l.capture.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("# T", ids[0].as_str()),
                ("Gamma paragraph is here.", ids[0].as_str()),
                ("Alpha paragraph is here.", ids[0].as_str()),
                ("Beta paragraph was edited.", ids[1].as_str()),
                ("Delta is new.", ids[1].as_str()),
            ]
        );
        assert_eq!(b.capture, ids[2]);
    }

    #[test]
    fn the_title_is_named_and_paragraphs_count_from_one() {
        let caps = vec![capture("a.example", "2020-01-01T00:00:00Z", V1)];
        let b = blame("story", &items(&caps, &[V1]), Some("a.example"), false).unwrap();
        let json = serde_json::to_value(&b).unwrap();
        let paras: Vec<&serde_json::Value> = json["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| &l["para"])
            .collect();
        assert_eq!(
            paras,
            [&serde_json::json!("title"), &1.into(), &2.into(), &3.into()]
        );
        let mut out = Vec::new();
        write_text(&b, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let numbers: Vec<&str> = out
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().nth(3).unwrap())
            .collect();
        assert_eq!(numbers, ["title", "1", "2", "3"]);
    }

    #[test]
    fn a_gone_latest_capture_leaves_the_latest_page_to_blame() {
        let page = capture("a.example", "2020-01-01T00:00:00Z", V1);
        let mut gone = capture("a.example", "2020-01-02T00:00:00Z", "");
        gone.meta.kind = prov_model::Kind::Gone;
        let caps = [page, gone];
        let its = [
            Item {
                capture: &caps[0],
                text: Some(V1),
            },
            Item {
                capture: &caps[1],
                text: None,
            },
        ];
        let b = blame("story", &its, None, false).unwrap();
        assert_eq!(b.capture, caps[0].id());
        assert_eq!(b.paragraphs.len(), 4);
        assert!(blame("story", &its[1..], None, false).is_err());
    }

    #[test]
    fn a_reprints_paragraphs_point_at_the_original_unless_a_copy_is_named() {
        const REPRINT: &str = "# T\n\n\u{201c}Alpha\u{201d} paragraph is here.\n\nBeta paragraph is here.\n\nThe reprint\u{2019}s own line.\n";
        const ORIG: &str = "# T\n\n\"Alpha\" paragraph is here.\n\nBeta paragraph is here.\n";
        let caps = vec![
            capture("orig.example", "2020-01-01T00:00:00Z", ORIG),
            capture("reprint.example", "2020-01-02T00:00:00Z", REPRINT),
        ];
        let its = items(&caps, &[ORIG, REPRINT]);
        let b = blame("story", &its, None, false).unwrap();
        assert_eq!(b.copy, "reprint.example");
        let copies: Vec<(&str, Traced)> = b
            .paragraphs
            .iter()
            .map(|l| (l.copy.as_str(), l.traced))
            .collect();
        assert_eq!(
            copies,
            [
                ("orig.example", Traced::OtherCopy),
                ("orig.example", Traced::OtherCopy),
                ("orig.example", Traced::OtherCopy),
                ("reprint.example", Traced::CopyHistory),
            ]
        );
        let named = blame("story", &its, Some("reprint.example"), false).unwrap();
        let across = blame("story", &its, Some("reprint.example"), true).unwrap();
        assert_eq!(across.paragraphs[0].copy, "orig.example");
        assert!(named.paragraphs.iter().all(|l| l.copy == "reprint.example"));
        assert_eq!(
            blame("story", &its, Some("nope"), false).unwrap_err(),
            BlameError::NoText {
                article: "story".into(),
                copy: Some("nope".into())
            }
        );
    }

    proptest::proptest! {
        #![proptest_config(prov_testing::proptest_config(256))]
        /// Whatever the edits, a paragraph blamed on a capture had that wording (folded) in
        /// that capture and in every later capture of the copy.
        #[test]
        fn the_blamed_wording_is_there_from_its_capture_on(
            versions in proptest::collection::vec(
                proptest::collection::vec(0usize..12, 1..8), 1..6)
        ) {
            const POOL: [&str; 6] = [
                "Alpha paragraph is here.",
                "Beta paragraph is here.",
                "Gamma paragraph is here.",
                "Delta paragraph is here.",
                "Epsilon paragraph is here.",
                "Zeta paragraph is here.",
            ];
            // 0..6 a pool paragraph as is, 6..12 the same one edited.
            let texts: Vec<String> = versions
                .iter()
                .map(|v| {
                    let mut t = String::from("# T\n");
                    for &k in v {
                        let p = POOL[k % 6];
                        let p = if k >= 6 { p.replace("is here", "was here") } else { p.to_string() };
                        t.push_str(&format!("\n{p}\n"));
                    }
                    t
                })
                .collect();
            let caps: Vec<prov_model::Capture> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| capture("a.example", &format!("2020-01-0{}T00:00:00Z", i + 1), t))
                .collect();
            let its: Vec<Item<'_>> = caps
                .iter()
                .zip(&texts)
                .map(|(c, t)| Item { capture: c, text: Some(t) })
                .collect();
            let b = blame("story", &its, Some("a.example"), false).unwrap();
            proptest::prop_assert_eq!(b.paragraphs.len(), paragraphs(&texts[texts.len() - 1]).len());
            for l in &b.paragraphs {
                let from = caps.iter().position(|c| c.id() == l.capture).unwrap();
                for t in &texts[from..] {
                    let folded: Vec<String> = paragraphs(t)
                        .into_iter()
                        .map(|p| diff::fold(p).into_owned())
                        .collect();
                    proptest::prop_assert!(folded.contains(&diff::fold(&l.text).into_owned()));
                }
            }
        }
    }
}
