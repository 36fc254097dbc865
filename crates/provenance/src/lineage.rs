//! `prov lineage`: an article's copies ordered by the earliest evidence of each, the earliest
//! presumed the original, what each copy changed from it, and which copy claims to come from
//! which ("originally published by ...").
//!
//! The evidence of a copy's age, each read from every capture of the copy: the published
//! time its pages state (JSON-LD `datePublished`, `article:published_time`), the HTTP
//! `Last-Modified` its server sent, and the time of its first capture. A copy's age is the
//! earliest of these; on equal times the stronger kind decides which is named (published,
//! then Last-Modified, then capture). Copies with the same age are ordered by whether their
//! pages claim another origin (a copy that says it was "originally published by" someone
//! comes after), then by first capture time, then by name, so the order never depends on
//! anything but the record.
//!
//! Each copy's latest page capture is compared with the original's *first* page capture: a
//! republisher copied the text as it was first published, and the original's own later
//! edits are then shown once, in the original's row (its latest against its first), instead
//! of being counted against every reprint made before them.

use std::io::{self, Write};

use jiff::Timestamp;
use serde::Serialize;

use super::{Item, abridge};
use prov_diff::{self as diff, Change, Op, render};
use prov_model::time as timefmt;

/// Which evidence gave a copy's age; on equal times the earlier variant is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The published time the page states about itself.
    Published,
    /// The HTTP `Last-Modified` header of the response.
    LastModified,
    /// The time of the copy's first capture.
    FirstCapture,
}

impl EvidenceKind {
    fn describe(self) -> &'static str {
        match self {
            EvidenceKind::Published => "published time in the page",
            EvidenceKind::LastModified => "HTTP Last-Modified",
            EvidenceKind::FirstCapture => "first capture",
        }
    }
}

/// One piece of evidence of a copy's age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// The time, in UTC (`2018-05-04T10:12:00Z`).
    pub time: String,
    /// The value as found (the page's or the header's own form).
    pub value: String,
    /// The capture it was read from.
    pub capture: String,
    #[serde(skip)]
    at: Timestamp,
}

/// A copy's place in the order, from metadata alone.
#[derive(Debug, Clone, Serialize)]
pub struct Ordered {
    pub copy: String,
    /// The evidence that gave the copy's age: the earliest found.
    pub evidence: Evidence,
    /// The earliest of each other kind found, for the reader to weigh.
    pub other_evidence: Vec<Evidence>,
    /// Some capture of the copy states an attribution to another origin.
    pub claims_another_origin: bool,
    pub first_capture: String,
    pub first_captured_at: String,
}

/// The copies of an article, earliest evidence first (see the module's rule). Metadata only:
/// no text is read.
pub fn order(items: &[Item<'_>]) -> Vec<Ordered> {
    let mut copies: Vec<Ordered> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let copy = item.capture.copy();
        if copies.iter().any(|c| c.copy == copy) {
            continue;
        }
        let of_copy: Vec<&Item<'_>> = items[i..]
            .iter()
            .filter(|x| x.capture.copy() == copy)
            .collect();
        let first = item.capture;
        let mut found: Vec<Evidence> = Vec::new();
        let mut keep = |e: Evidence| match found.iter_mut().find(|f| f.kind == e.kind) {
            Some(f) if e.at < f.at => *f = e,
            Some(_) => {}
            None => found.push(e),
        };
        for x in &of_copy {
            let m = &x.capture.meta;
            if let Some(p) = m.page.published.as_deref()
                && let Ok(at) = timefmt::parse(p)
            {
                keep(evidence(EvidenceKind::Published, at, p, x.capture.id()));
            }
            if let Some(lm) = m.http.as_ref().and_then(|h| h.last_modified.as_deref())
                && let Some(at) = http_date(lm)
            {
                keep(evidence(EvidenceKind::LastModified, at, lm, x.capture.id()));
            }
        }
        if let Ok(at) = timefmt::parse(&first.meta.captured_at) {
            keep(evidence(
                EvidenceKind::FirstCapture,
                at,
                &first.meta.captured_at,
                first.id(),
            ));
        }
        found.sort_by_key(|e| (e.at, e.kind));
        let mut found = found.into_iter();
        // A capture time that does not parse leaves the copy with no evidence: it sorts last.
        let evidence = found.next().unwrap_or_else(|| Evidence {
            kind: EvidenceKind::FirstCapture,
            time: first.meta.captured_at.clone(),
            value: first.meta.captured_at.clone(),
            capture: first.id().to_string(),
            at: Timestamp::MAX,
        });
        copies.push(Ordered {
            copy: copy.to_string(),
            evidence,
            other_evidence: found.collect(),
            claims_another_origin: of_copy
                .iter()
                .any(|x| x.capture.meta.page.attribution.is_some()),
            first_capture: first.id().to_string(),
            first_captured_at: first.meta.captured_at.clone(),
        });
    }
    copies.sort_by(|a, b| {
        (
            a.evidence.at,
            a.claims_another_origin,
            &a.first_captured_at,
            &a.copy,
        )
            .cmp(&(
                b.evidence.at,
                b.claims_another_origin,
                &b.first_captured_at,
                &b.copy,
            ))
    });
    copies
}

fn evidence(kind: EvidenceKind, at: Timestamp, value: &str, capture: &str) -> Evidence {
    Evidence {
        kind,
        time: timefmt::rfc3339(at),
        value: value.to_string(),
        capture: capture.to_string(),
        at,
    }
}

/// An HTTP date (`Fri, 04 May 2018 10:00:00 GMT`, RFC 9110's preferred form, which is RFC 2822's).
fn http_date(s: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(s.trim())
        .ok()
        .map(timefmt::truncate)
}

/// `prov lineage --json`: the article's copies, the presumed original, what each changed, and
/// the attribution claims. Field order is the JSON's.
#[derive(Debug, Clone, Serialize)]
pub struct Lineage {
    pub article: String,
    /// The presumed original: the copy with the earliest evidence.
    pub original: Option<String>,
    /// What every copy is compared with: the original's first page capture.
    pub baseline: Option<String>,
    /// Earliest evidence first.
    pub copies: Vec<CopyLineage>,
    /// Every distinct attribution found, with the copy that states it.
    pub claims: Vec<Claim>,
}

/// One copy in the lineage.
#[derive(Debug, Clone, Serialize)]
pub struct CopyLineage {
    /// 1 for the presumed original.
    pub rank: usize,
    pub original: bool,
    /// The URL of its latest capture.
    pub url: Option<String>,
    /// The publisher its latest page names, if any.
    pub publisher: Option<String>,
    pub captures: usize,
    pub latest_capture: String,
    /// The copy's name, its first capture, and why it sits where it does (flattened: `copy`,
    /// `evidence`, `other_evidence`, `claims_another_origin`, `first_capture`, `first_captured_at`).
    #[serde(flatten)]
    pub order: Ordered,
    /// Its latest page capture against the baseline; absent when that is the baseline itself
    /// or the copy has no page capture.
    pub against_original: Option<Against>,
}

/// A copy's latest page capture compared with the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Against {
    /// The baseline capture (the original's first page capture).
    pub from: String,
    /// The copy's latest page capture.
    pub to: String,
    pub identical: bool,
    /// 2 × words in common / words in both, rounded to 4 decimals.
    pub similarity: f64,
    /// `unchanged` or `+12 -3 words, 1 moved`.
    pub summary: String,
    pub words_added: usize,
    pub words_removed: usize,
    pub paragraphs_added: usize,
    pub paragraphs_removed: usize,
    /// Edited in place, split or merged.
    pub paragraphs_changed: usize,
    pub paragraphs_moved: usize,
    /// Each change in short.
    pub changes: Vec<ShortChange>,
}

/// One change, in short.
#[derive(Debug, Clone, Serialize)]
pub struct ShortChange {
    /// `replace`, `insert`, `delete`, `move`, `split`, `merge` (as in `prov diff --format json`).
    pub kind: &'static str,
    /// `paragraph 4`, `moved from paragraph 7 to 5`, ...
    pub label: String,
    /// What changed, abridged: `"demonstrated a" → "showed"; +"put"`.
    pub short: String,
}

/// An attribution a copy's pages state (`metadata.attribution`: an "originally published
/// by/at" line, or JSON-LD `isBasedOn`).
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// The copy whose pages state it.
    pub copy: String,
    /// The first capture that states it, and its time.
    pub capture: String,
    pub captured_at: String,
    /// The claim, verbatim.
    pub text: String,
    /// The other copies of this article it names (by host, name or publisher).
    pub names: Vec<String>,
}

/// The lineage of one article from its captures (oldest first) and their texts.
pub fn lineage(article: &str, items: &[Item<'_>], opts: &diff::Options) -> Lineage {
    let ordered = order(items);
    let original = ordered.first().map(|o| o.copy.clone());
    let baseline = original.as_deref().and_then(|o| {
        items
            .iter()
            .find(|x| x.capture.copy() == o && x.page_text().is_some())
    });
    let mut copies = Vec::new();
    for (rank, o) in ordered.into_iter().enumerate() {
        let of_copy: Vec<&Item<'_>> = items
            .iter()
            .filter(|x| x.capture.copy() == o.copy)
            .collect();
        let latest = of_copy.last().map(|x| x.capture);
        let latest_page = of_copy.iter().rev().find(|x| x.page_text().is_some());
        let against_original = match (baseline, latest_page) {
            (Some(b), Some(l)) if b.capture.id() != l.capture.id() => Some(against(b, l, opts)),
            _ => None,
        };
        copies.push(CopyLineage {
            rank: rank + 1,
            original: rank == 0,
            url: latest.and_then(|c| c.meta.url.clone()),
            publisher: latest_page.and_then(|x| x.capture.meta.page.publisher.clone()),
            captures: of_copy.len(),
            latest_capture: latest.map(|c| c.id().to_string()).unwrap_or_default(),
            order: o,
            against_original,
        });
    }
    let claims = claims(items, &copies);
    Lineage {
        article: article.to_string(),
        original,
        baseline: baseline.map(|b| b.capture.id().to_string()),
        copies,
        claims,
    }
}

fn against(base: &Item<'_>, latest: &Item<'_>, opts: &diff::Options) -> Against {
    let d = diff::diff(
        base.page_text().unwrap_or_default(),
        latest.page_text().unwrap_or_default(),
        opts,
    );
    let count = |f: fn(&Change) -> bool| d.changes.iter().filter(|c| f(c)).count();
    Against {
        from: base.capture.id().to_string(),
        to: latest.capture.id().to_string(),
        identical: d.identical,
        similarity: render::rounded_similarity(&d),
        summary: d.summary(),
        words_added: d.stats.words_inserted,
        words_removed: d.stats.words_deleted,
        paragraphs_added: count(|c| matches!(c, Change::Insert { .. })),
        paragraphs_removed: count(|c| matches!(c, Change::Delete { .. })),
        paragraphs_changed: count(|c| {
            matches!(
                c,
                Change::Replace { .. } | Change::Split { .. } | Change::Merge { .. }
            )
        }),
        paragraphs_moved: d.stats.paragraphs_moved,
        changes: d
            .changes
            .iter()
            .map(|c| ShortChange {
                kind: kind(c),
                label: render::label(c),
                short: short(c),
            })
            .collect(),
    }
}

fn kind(c: &Change) -> &'static str {
    match c {
        Change::Replace { .. } => "replace",
        Change::Delete { .. } => "delete",
        Change::Insert { .. } => "insert",
        Change::Move { .. } => "move",
        Change::Split { .. } => "split",
        Change::Merge { .. } => "merge",
    }
}

/// How many edits of one paragraph are named before "and N more".
const EDITS_SHOWN: usize = 3;

/// A change in a few words: the paragraph added or removed, or its edits as `"old" → "new"`.
pub fn short(c: &Change) -> String {
    let segments = match c {
        Change::Insert { new, .. } => return format!("added \"{}\"", abridge(new, 70)),
        Change::Delete { old, .. } => return format!("removed \"{}\"", abridge(old, 70)),
        Change::Move { inline: None, .. } => return "moved unchanged".to_string(),
        Change::Move {
            inline: Some(s), ..
        }
        | Change::Replace { inline: s, .. }
        | Change::Split { inline: s, .. }
        | Change::Merge { inline: s, .. } => s,
    };
    // Consecutive deleted and inserted segments make one edit.
    let mut edits: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for s in segments {
        match s.op {
            Op::Equal => open = false,
            Op::Delete | Op::Insert => {
                if !open {
                    edits.push(Default::default());
                    open = true;
                }
                if let Some((old, new)) = edits.last_mut() {
                    let side = if s.op == Op::Delete { old } else { new };
                    side.push_str(&s.text);
                }
            }
        }
    }
    let edits: Vec<(String, String)> = edits
        .into_iter()
        .map(|(o, n)| (o.trim().to_string(), n.trim().to_string()))
        .filter(|(o, n)| !o.is_empty() || !n.is_empty())
        .collect();
    let mut parts: Vec<String> = edits
        .iter()
        .take(EDITS_SHOWN)
        .map(|(o, n)| match (o.is_empty(), n.is_empty()) {
            (true, _) => format!("+\"{}\"", abridge(n, 40)),
            (_, true) => format!("-\"{}\"", abridge(o, 40)),
            _ => format!("\"{}\" → \"{}\"", abridge(o, 40), abridge(n, 40)),
        })
        .collect();
    if edits.len() > EDITS_SHOWN {
        parts.push(format!("and {} more", edits.len() - EDITS_SHOWN));
    }
    if parts.is_empty() {
        // Split or merged with no word changed.
        return match c {
            Change::Split { .. } => "split, words unchanged".to_string(),
            Change::Merge { .. } => "merged, words unchanged".to_string(),
            _ => "typography only".to_string(),
        };
    }
    parts.join("; ")
}

/// Every distinct (copy, attribution) found, in capture order, with the copies it names.
fn claims(items: &[Item<'_>], copies: &[CopyLineage]) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for x in items {
        let m = &x.capture.meta;
        let Some(text) = m.page.attribution.as_deref() else {
            continue;
        };
        if out
            .iter()
            .any(|c| c.copy == x.capture.copy() && c.text == text)
        {
            continue;
        }
        let said = squash(text);
        let names = copies
            .iter()
            .filter(|c| c.order.copy != x.capture.copy())
            .filter(|c| {
                let mut keys = vec![squash(&c.order.copy)];
                if let Some(stem) = c.order.copy.split('.').find(|l| *l != "www")
                    && stem.len() >= 3
                {
                    keys.push(squash(stem));
                }
                keys.extend(c.publisher.as_deref().map(squash));
                keys.extend(
                    c.url
                        .as_deref()
                        .and_then(prov_model::url::host_of)
                        .map(|h| squash(&h)),
                );
                keys.iter()
                    .any(|k| k.len() >= 3 && said.contains(k.as_str()))
            })
            .map(|c| c.order.copy.clone())
            .collect();
        out.push(Claim {
            copy: x.capture.copy().to_string(),
            capture: x.capture.id().to_string(),
            captured_at: m.captured_at.clone(),
            text: text.to_string(),
            names,
        });
    }
    out
}

/// Lower-case letters and digits only: "Al Jazeera" and "aljazeera.com" meet in "aljazeera".
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The lineage for people.
pub fn write_text(l: &Lineage, out: &mut dyn Write) -> io::Result<()> {
    let n = l.copies.len();
    write!(
        out,
        "{}: {n} {}",
        l.article,
        if n == 1 { "copy" } else { "copies" }
    )?;
    match &l.original {
        Some(o) => writeln!(out, "; presumed original: {o}")?,
        None => writeln!(out)?,
    }
    if let Some(b) = &l.baseline {
        writeln!(
            out,
            "Each copy's latest capture is compared with the original's first, {b}."
        )?;
    }
    for c in &l.copies {
        writeln!(out)?;
        let role = if c.original {
            "  (presumed original)"
        } else {
            ""
        };
        writeln!(out, "{}. {}{role}", c.rank, c.order.copy)?;
        let e = &c.order.evidence;
        writeln!(
            out,
            "   earliest evidence: {} ({}, {:?} in {})",
            e.time,
            e.kind.describe(),
            e.value,
            e.capture
        )?;
        for o in &c.order.other_evidence {
            writeln!(
                out,
                "   also: {} ({}, {:?} in {})",
                o.time,
                o.kind.describe(),
                o.value,
                o.capture
            )?;
        }
        if let Some(u) = &c.url {
            writeln!(out, "   url: {u}")?;
        }
        let what = if c.captures == 1 {
            "capture"
        } else {
            "captures"
        };
        writeln!(
            out,
            "   {} {what}, first {}, latest {}",
            c.captures, c.order.first_capture, c.latest_capture
        )?;
        match &c.against_original {
            Some(a) => {
                let whom = if c.original {
                    "its first capture"
                } else {
                    "the original"
                };
                writeln!(
                    out,
                    "   against {whom}: {}, similarity {:.3}",
                    a.summary, a.similarity
                )?;
                if !a.identical {
                    writeln!(
                        out,
                        "   paragraphs: {} added, {} removed, {} changed, {} moved",
                        a.paragraphs_added,
                        a.paragraphs_removed,
                        a.paragraphs_changed,
                        a.paragraphs_moved
                    )?;
                }
                for ch in &a.changes {
                    writeln!(out, "     {}: {}", ch.label, ch.short)?;
                }
            }
            None if c.original => writeln!(out, "   the baseline")?,
            None => writeln!(out, "   no page captured")?,
        }
        for claim in l.claims.iter().filter(|k| k.copy == c.order.copy) {
            writeln!(out, "   claims: {:?}", claim.text)?;
        }
    }
    writeln!(out)?;
    if l.claims.is_empty() {
        writeln!(out, "Attribution claims: none found.")?;
    } else {
        writeln!(out, "Attribution claims:")?;
        for c in &l.claims {
            let names = if c.names.is_empty() {
                "names no copy in this archive".to_string()
            } else {
                format!("names {}", c.names.join(", "))
            };
            writeln!(out, "  {} ({}): {:?}; {names}", c.copy, c.capture, c.text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::capture;
    use super::*;
    use prov_model::facts::HttpFacts;

    const A: &str = "# Story\n\nThe first paragraph of the story, with enough words.\n\nThe second paragraph says what happened next in some detail.\n";
    const EDITED: &str = "# Story\n\nThe first paragraph of the story, with enough words.\n\nThe second paragraph says what happened later in some detail.\n\nA paragraph the reprint added.\n";

    fn items<'a>(caps: &'a [prov_model::Capture], texts: &[&'a str]) -> Vec<Item<'a>> {
        caps.iter()
            .zip(texts)
            .map(|(c, t)| Item {
                capture: c,
                text: Some(t),
            })
            .collect()
    }

    #[test]
    fn the_earliest_evidence_decides_and_says_which() {
        let mut orig = capture("origin.example", "2020-01-02T00:00:00Z", A);
        orig.meta.page.published = Some("2020-01-01T08:00:00+02:00".into());
        let mut reprint = capture("reprint.example", "2020-01-01T12:00:00Z", EDITED);
        reprint.meta.http = Some(HttpFacts {
            status: 200,
            date: None,
            last_modified: Some("Wed, 01 Jan 2020 10:00:00 GMT".into()),
            etag: None,
            content_type: None,
            redirects: vec![],
        });
        let caps = vec![reprint, orig];
        let l = lineage("story", &items(&caps, &[EDITED, A]), &Default::default());
        assert_eq!(l.original.as_deref(), Some("origin.example"));
        let first = &l.copies[0].order.evidence;
        assert_eq!(first.kind, EvidenceKind::Published);
        assert_eq!(first.time, "2020-01-01T06:00:00Z");
        let second = &l.copies[1];
        assert_eq!(second.order.evidence.kind, EvidenceKind::LastModified);
        assert_eq!(second.order.evidence.time, "2020-01-01T10:00:00Z");
        let a = second.against_original.as_ref().unwrap();
        assert_eq!((a.words_added, a.words_removed), (6, 1));
        assert_eq!(
            (
                a.paragraphs_added,
                a.paragraphs_changed,
                a.paragraphs_removed
            ),
            (1, 1, 0)
        );
        assert_eq!(a.changes[0].short, "\"next\" → \"later\"");
        assert_eq!(
            a.changes[1].short,
            "added \"A paragraph the reprint added.\""
        );
        assert!(l.copies[0].against_original.is_none());
        // The flattened order adds no key twice.
        let j = serde_json::to_string(&l.copies[1]).unwrap();
        for key in ["\"copy\":", "\"first_capture\":", "\"evidence\":"] {
            assert_eq!(j.matches(key).count(), 1, "{key} in {j}");
        }
    }

    #[test]
    fn ties_go_to_the_copy_that_claims_no_other_origin_then_the_first_captured() {
        let at = "2020-01-01T00:00:00Z";
        let mut claimant = capture("aaa.example", at, A);
        claimant.meta.page.attribution =
            Some("This article was originally published by Zed News.".into());
        let mut zed = capture("zed.example", at, A);
        zed.meta.page.publisher = Some("Zed News".into());
        let caps = vec![claimant, zed];
        let l = lineage("story", &items(&caps, &[A, A]), &Default::default());
        assert_eq!(l.original.as_deref(), Some("zed.example"));
        assert_eq!(l.claims.len(), 1);
        assert_eq!(l.claims[0].copy, "aaa.example");
        assert_eq!(l.claims[0].names, ["zed.example"]);
        // Without the claim, the name breaks the tie.
        let caps = vec![capture("bbb.example", at, A), capture("aaa.example", at, A)];
        let l = lineage("story", &items(&caps, &[A, A]), &Default::default());
        assert_eq!(l.original.as_deref(), Some("aaa.example"));
        assert_eq!(l.copies[0].order.evidence.kind, EvidenceKind::FirstCapture);
    }

    #[test]
    fn a_copy_with_no_page_is_listed_without_a_comparison() {
        let orig = capture("origin.example", "2020-01-01T00:00:00Z", A);
        let mut gone = capture("gone.example", "2020-01-02T00:00:00Z", "");
        gone.meta.kind = prov_model::Kind::Gone;
        gone.meta.text = None;
        let caps = [orig, gone];
        let its = [
            Item {
                capture: &caps[0],
                text: Some(A),
            },
            Item {
                capture: &caps[1],
                text: None,
            },
        ];
        let l = lineage("story", &its, &Default::default());
        assert_eq!(l.copies.len(), 2);
        assert!(l.copies[1].against_original.is_none());
        let mut text = Vec::new();
        write_text(&l, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("no page captured"), "{text}");
        assert!(text.contains("Attribution claims: none found."), "{text}");
        // Only a gone capture: no original text to compare with, and no panic.
        let l = lineage("story", &its[1..], &Default::default());
        assert_eq!(l.original.as_deref(), Some("gone.example"));
        assert_eq!(l.baseline, None);
    }

    #[test]
    fn http_dates_parse() {
        assert_eq!(
            http_date("Fri, 04 May 2018 10:00:00 GMT").map(timefmt::rfc3339),
            Some("2018-05-04T10:00:00Z".to_string())
        );
        assert_eq!(http_date("yesterday"), None);
    }
}
