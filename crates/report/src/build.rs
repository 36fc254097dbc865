//! From data read from the archive to the [`Report`]: pure, no I/O, no clock.

use prov_diff::{self as diff, render};
use prov_model::fixity::Report as Check;
use prov_model::page::stripped_summary;
use prov_model::{Capture, Kind};
use prov_provenance::{Item, lineage};

use super::{
    CaptureEntry, ChangeEntry, Comparison, CopyEntry, Finding, Fixity, Index, IndexEntry,
    LastChange, REPORT_VERSION, RefiledEntry, Report, chart,
};

/// One capture of the article, with what the archive said of it.
#[derive(Debug, Clone)]
pub struct CaptureData<'a> {
    pub capture: &'a Capture,
    /// The clean text by today's normalizer; `None` for a capture that is not a page.
    pub text: Option<String>,
    /// The commit that added it.
    pub commit: Option<String>,
}

/// Everything a report is made of.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub article: &'a str,
    /// The article's captures, oldest first (as `Archive::captures` orders them).
    pub captures: Vec<CaptureData<'a>>,
    /// The archive's fixity check (`Archive::check`).
    pub check: &'a Check,
    /// How texts are compared (the archive's ignore rules).
    pub opts: &'a diff::Options,
}

/// The report on one article: its copies, every capture with its change since the previous
/// capture of its copy, each copy's latest capture against the earliest, the fixity problems
/// that concern it, and the timeline's drawing.
pub fn build(input: &Input<'_>) -> Report {
    let caps = &input.captures;
    // A page's capture without text (empty, binary, no article found) is compared with
    // nothing: the next capture is compared with the last text before it.
    let is_page = |d: &CaptureData<'_>| {
        d.capture.meta.kind == Kind::Page && d.text.as_deref().is_some_and(|t| !t.is_empty())
    };
    let compare = |i: usize, j: usize| comparison(caps, i, j, input.opts);
    let earliest = caps.iter().position(is_page);
    let ids: Vec<&str> = caps.iter().map(|d| d.capture.id()).collect();
    let prefix = format!("{}/{}/", prov_model::SNAPSHOTS, input.article);
    let problems: Vec<_> = input
        .check
        .problems
        .iter()
        .filter(|p| {
            p.capture.as_deref().is_some_and(|c| ids.contains(&c))
                || p.path.starts_with(&prefix)
                || p.path == ".git"
        })
        .cloned()
        .collect();

    let mut entries = Vec::new();
    for (i, d) in caps.iter().enumerate() {
        let m = &d.capture.meta;
        let previous = caps[..i]
            .iter()
            .rposition(|p| p.capture.copy() == m.copy && is_page(p));
        let since_previous = match previous {
            Some(p) if is_page(d) => Some(compare(p, i)),
            _ => None,
        };
        let finding = Finding::of(m);
        // The recorded reason; a page recorded with text that today's normalizer empties
        // has none, and says so.
        let no_text = (m.kind == Kind::Page && !is_page(d)).then(|| {
            m.no_text.as_ref().map_or_else(
                || "today's normalizer finds none in it".to_string(),
                |n| n.to_string(),
            )
        });
        let change = match (&since_previous, &finding, &no_text) {
            (_, Some(f), _) => f.describe(m.kind),
            (_, _, Some(why)) => format!("no text: {why}"),
            (Some(c), _, _) => c.summary.clone(),
            (None, _, _) => "first capture".to_string(),
        };
        entries.push(CaptureEntry {
            n: i + 1,
            capture: m.capture.clone(),
            copy: m.copy.clone(),
            kind: m.kind,
            captured_at: m.captured_at.clone(),
            captured_at_source: m.captured_at_source,
            archived_at: m.archived_at.clone(),
            url: m.url.clone(),
            commit: d.commit.clone(),
            raw: m.raw.clone(),
            text: m.text.clone(),
            normalizer_version: m.normalizer.version,
            metadata: m.page.clone(),
            since_previous,
            change,
            finding,
            no_text,
            clean_text: d.text.clone().filter(|t| !t.is_empty()),
            stripped: m.stripped.clone(),
            stripped_summary: stripped_summary(&m.stripped),
            verified: !problems
                .iter()
                .any(|p| p.capture.as_deref() == Some(m.capture.as_str())),
            refiled: d.capture.refiled.as_ref().map(|r| RefiledEntry {
                from: r.from.clone(),
                time: r.time.clone(),
                by: r.by.clone(),
                record: r.path.clone(),
            }),
        });
    }

    let mut copies: Vec<CopyEntry> = Vec::new();
    for (i, d) in caps.iter().enumerate() {
        if copies.iter().any(|c| c.copy == d.capture.copy()) {
            continue;
        }
        let of_copy: Vec<usize> = (i..caps.len())
            .filter(|&k| caps[k].capture.copy() == d.capture.copy())
            .collect();
        let last = of_copy.last().copied().unwrap_or(i);
        let latest_page = of_copy.iter().rev().copied().find(|&k| is_page(&caps[k]));
        let against_earliest = match (earliest, latest_page) {
            (Some(e), Some(l)) if e != l => Some(compare(e, l)),
            _ => None,
        };
        let (first, latest) = (&caps[i].capture.meta, &caps[last].capture.meta);
        copies.push(CopyEntry {
            copy: first.copy.clone(),
            url: latest.url.clone().or_else(|| first.url.clone()),
            captures: of_copy.len(),
            first_capture: first.capture.clone(),
            first_captured_at: first.captured_at.clone(),
            last_capture: latest.capture.clone(),
            last_captured_at: latest.captured_at.clone(),
            against_earliest,
        });
    }

    let renormalized = input
        .check
        .renormalized_differently
        .iter()
        .filter(|r| r.article == input.article)
        .map(|r| r.capture.clone())
        .collect();
    let items: Vec<Item<'_>> = caps
        .iter()
        .map(|d| Item {
            capture: d.capture,
            text: d.text.as_deref(),
        })
        .collect();
    let lineage = lineage::lineage(input.article, &items, input.opts);
    let chart = chart::draw(&entries, &copies);
    Report {
        report_version: REPORT_VERSION,
        article: input.article.to_string(),
        title: title(input.article, caps, earliest),
        as_of: caps
            .iter()
            .map(|d| d.capture.meta.archived_at.clone())
            .max(),
        copies,
        lineage,
        captures: entries,
        fixity: Fixity {
            intact: problems.is_empty(),
            captures_checked: caps.len(),
            problems,
            renormalized,
        },
        chart,
    }
}

/// The list of articles, from their reports: the latest change first (then by slug).
pub fn build_index(reports: &[Report]) -> Index {
    let mut articles: Vec<IndexEntry> = reports
        .iter()
        .map(|r| IndexEntry {
            article: r.article.clone(),
            title: r.title.clone(),
            copies: r.copies.iter().map(|c| c.copy.clone()).collect(),
            captures: r.captures.len(),
            first_captured_at: r.captures.first().map(|c| c.captured_at.clone()),
            last_captured_at: r.captures.last().map(|c| c.captured_at.clone()),
            edits: r
                .captures
                .iter()
                .filter(|c| c.since_previous.as_ref().is_some_and(|s| !s.identical))
                .count(),
            gone: r.captures.iter().filter(|c| c.kind == Kind::Gone).count(),
            moved: r.captures.iter().filter(|c| c.kind == Kind::Moved).count(),
            intact: r.fixity.intact,
            last_change: r
                .captures
                .iter()
                .rev()
                .find(|c| c.since_previous.as_ref().is_none_or(|s| !s.identical))
                .map(|c| LastChange {
                    n: c.n,
                    capture: c.capture.clone(),
                    copy: c.copy.clone(),
                    captured_at: c.captured_at.clone(),
                    change: c.change.clone(),
                }),
        })
        .collect();
    // Times are RFC 3339 in UTC as prov writes them, so they sort as strings.
    articles.sort_by(|a, b| {
        let at = |e: &IndexEntry| e.last_change.as_ref().map(|c| c.captured_at.clone());
        at(b).cmp(&at(a)).then_with(|| a.article.cmp(&b.article))
    });
    Index {
        edited: articles.iter().filter(|a| a.edits > 0).count(),
        gone_or_moved: articles.iter().filter(|a| a.gone + a.moved > 0).count(),
        problems: articles.iter().filter(|a| !a.intact).count(),
        articles,
    }
}

/// Capture `j` against capture `i`; both are pages with texts.
fn comparison(caps: &[CaptureData<'_>], i: usize, j: usize, opts: &diff::Options) -> Comparison {
    let (a, b) = (&caps[i], &caps[j]);
    let d = diff::diff(
        a.text.as_deref().unwrap_or_default(),
        b.text.as_deref().unwrap_or_default(),
        opts,
    );
    Comparison {
        from: a.capture.id().to_string(),
        from_n: i + 1,
        to: b.capture.id().to_string(),
        to_n: j + 1,
        identical: d.identical,
        similarity: render::rounded_similarity(&d),
        summary: d.summary(),
        stats: d.stats.clone(),
        changes: d
            .changes
            .iter()
            .map(|c| ChangeEntry {
                label: render::label(c),
                change: c.clone(),
                shown: render::body(c),
            })
            .collect(),
        metadata_changes: render::metadata_changes(&a.capture.meta.page, &b.capture.meta.page),
        formatting: d
            .formatting
            .iter()
            .map(|f| crate::FormattingEntry {
                label: render::formatting_label(f),
                change: f.clone(),
            })
            .collect(),
    }
}

fn title(article: &str, caps: &[CaptureData<'_>], earliest: Option<usize>) -> String {
    let Some(e) = earliest.map(|e| &caps[e]) else {
        return article.to_string();
    };
    // The clean text's title is what the normalizer made of the page: without the outlet's
    // suffix that `<title>` often carries.
    let from_text = e
        .text
        .as_deref()
        .and_then(|t| t.lines().next())
        .and_then(|l| l.strip_prefix("# "))
        .map(str::trim);
    let from_meta = e.capture.meta.page.title.as_deref().map(str::trim);
    from_text
        .filter(|t| !t.is_empty())
        .or(from_meta.filter(|t| !t.is_empty()))
        .unwrap_or(article)
        .to_string()
}
