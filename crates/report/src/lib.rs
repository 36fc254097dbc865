//! The report on one article, the product an archivist hands on: which copies exist, what
//! changed, when, and how we know.
//!
//! [`Report`] is the one model: `report.json` is it serialized (`serde_json`, pretty, keys in
//! the order of the fields below), and `index.html` and `report.md` are rendered from it by
//! the templates in `templates/` ([`html`], [`markdown`]). [`build`] makes it from data
//! already read from the archive; nothing here reads a file, git or the clock, so the same
//! archive gives the same bytes.

mod build;
mod chart;
pub mod html;
pub mod markdown;
mod templates;
#[cfg(test)]
mod tests;

use serde::Serialize;

use prov_diff::render::MetadataChange;
use prov_diff::{Change, Segment, Stats};
use prov_model::fixity::Problem;
use prov_model::page::{Metadata, Stripped};
use prov_model::{FileFacts, Kind, TimeSource};
use prov_provenance::lineage::Lineage;

pub use build::{CaptureData, Input, build, build_index};
pub use chart::Chart;

/// What a `gone` or `moved` capture found: the status the URL answered with (a moved URL's
/// first redirect) and where it now leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub status: Option<u16>,
    pub target: Option<String>,
}

impl Finding {
    /// The finding a capture records; `None` for a page.
    pub fn of(meta: &prov_model::Meta) -> Option<Finding> {
        let http = meta.http.as_ref();
        match meta.kind {
            Kind::Page => None,
            Kind::Gone => Some(Finding {
                status: http.map(|h| h.status),
                target: None,
            }),
            Kind::Moved => Some(Finding {
                status: http.map(|h| h.redirects.first().map_or(h.status, |r| r.status)),
                target: meta.final_url.clone().or_else(|| {
                    http.and_then(|h| h.redirects.last())
                        .map(|r| r.location.clone())
                }),
            }),
        }
    }

    /// `gone (404)`, `moved (301) to https://...`
    pub fn describe(&self, kind: Kind) -> String {
        let mut out = match kind {
            Kind::Moved => "moved".to_string(),
            _ => "gone".to_string(),
        };
        if let Some(s) = self.status {
            out.push_str(&format!(" ({s})"));
        }
        if let Some(t) = &self.target {
            out.push_str(&format!(" to {t}"));
        }
        out
    }
}

/// `report.json`: the model, pretty-printed, with a final newline. Its comparisons number
/// paragraphs as `prov diff --format json` does: from 1, the title `"title"`.
pub fn write_json<T: Serialize>(model: &T, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut v = serde_json::to_value(model).map_err(std::io::Error::other)?;
    prov_diff::render::name_titles(&mut v);
    serde_json::to_writer_pretty(&mut *out, &v)?;
    writeln!(out)
}

/// Raised when the shape of `report.json` changes (4: the title of a comparison's changes
/// is `"title"`, no longer paragraph 0).
pub const REPORT_VERSION: u32 = 4;

/// `reports/<article>/report.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub report_version: u32,
    /// The article's slug, as in `snapshots/<article>/`.
    pub article: String,
    /// The clean title (the first line of the clean text) of the article's earliest page
    /// capture, else the title in its metadata, else the slug.
    pub title: String,
    /// What the report is as of: the latest `archived_at` (commit time) of the article's
    /// captures. Never the clock, so regenerating a report changes nothing.
    pub as_of: Option<String>,
    /// Each copy (outlet or URL), in the order of its first capture.
    pub copies: Vec<CopyEntry>,
    /// The copies by earliest evidence, the presumed original, what each changed from it, and
    /// the attribution claims (`prov lineage --json`; added in report_version 2).
    pub lineage: Lineage,
    /// Every capture of the article, oldest first (capture time, then id): the timeline.
    pub captures: Vec<CaptureEntry>,
    /// Whether every hash checked out when the report was made.
    pub fixity: Fixity,
    /// The timeline laid out: one lane per copy, one row per capture (report_version 3).
    pub chart: Chart,
}

/// One copy of the article.
#[derive(Debug, Clone, Serialize)]
pub struct CopyEntry {
    pub copy: String,
    /// The URL of the copy's latest capture.
    pub url: Option<String>,
    pub captures: usize,
    pub first_capture: String,
    pub first_captured_at: String,
    pub last_capture: String,
    pub last_captured_at: String,
    /// The copy's latest capture against the article's earliest capture: what a republisher
    /// (or a later edit) changed. Absent when that latest capture is the earliest one, or is
    /// not a page.
    pub against_earliest: Option<Comparison>,
}

/// Where a refiled capture was filed before, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefiledEntry {
    pub from: prov_model::Place,
    pub time: String,
    pub by: String,
    /// The record's path in the archive.
    pub record: String,
}

/// One capture on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct CaptureEntry {
    /// 1-based, oldest first across all copies: `ARTICLE@N`.
    pub n: usize,
    /// The capture id (`20180504T101200Z-3f2a9c1b`), which never changes.
    pub capture: String,
    pub copy: String,
    pub kind: Kind,
    pub captured_at: String,
    pub captured_at_source: TimeSource,
    /// When it was committed.
    pub archived_at: String,
    pub url: Option<String>,
    /// The commit that added the capture.
    pub commit: Option<String>,
    pub raw: FileFacts,
    pub text: Option<FileFacts>,
    /// The normalizer version that made `text.txt`.
    pub normalizer_version: u32,
    /// The metadata found in the page: title, bylines, dates, canonical URL, attribution.
    pub metadata: Metadata,
    /// The change since the previous capture of the same copy (texts of today's normalizer);
    /// absent for a copy's first capture and for captures that are not pages.
    pub since_previous: Option<Comparison>,
    /// One line: `first capture`, `unchanged`, `+12 -3 words, 1 moved`, `gone (404)`,
    /// `moved (301) to URL`.
    pub change: String,
    /// For a gone or moved capture: the status and where the URL leads now.
    pub finding: Option<Finding>,
    /// For a page's capture without text: why (`it is empty`, `no article text was found in
    /// it`, ...); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_text: Option<String>,
    /// The clean text (today's normalizer) as compared; null for a capture without one.
    pub clean_text: Option<String>,
    /// The noise the normalizer stripped, each item with its rule.
    pub stripped: Vec<Stripped>,
    /// `2 caption, 1 pull-quote`: stripped items counted by rule.
    pub stripped_summary: String,
    /// No fixity problem names this capture.
    pub verified: bool,
    /// When a refile record filed this capture here: from where, when, by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refiled: Option<RefiledEntry>,
}

/// Two captures compared: the diff, in the shape of `prov diff --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The capture compared against (the older one) and its number.
    pub from: String,
    pub from_n: usize,
    pub to: String,
    pub to_n: usize,
    /// True when the clean texts are equal after folding typography and ignore rules.
    pub identical: bool,
    /// 2 × words in common / (words in both), rounded to 4 decimals.
    pub similarity: f64,
    /// `unchanged` or `+12 -3 words, 1 moved`.
    pub summary: String,
    pub stats: Stats,
    pub changes: Vec<ChangeEntry>,
    /// Changes of page metadata; they never make texts unequal.
    pub metadata_changes: Vec<MetadataChange>,
    /// Paragraphs whose formatting alone changed (a heading set as a paragraph...): not
    /// counted, listed in a collapsed section; absent when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formatting: Vec<FormattingEntry>,
}

/// A change of formatting alone, with what a reader is shown (`paragraph 3: heading →
/// paragraph`).
#[derive(Debug, Clone, Serialize)]
pub struct FormattingEntry {
    pub label: String,
    #[serde(flatten)]
    pub change: prov_diff::FormattingChange,
}

/// One change: the diff's own fields (`kind`, paragraph indexes, `old`, `new`, `inline`),
/// plus what a reader is shown.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeEntry {
    /// `paragraph 11`, `moved from paragraph 9 to 10`, ...
    pub label: String,
    #[serde(flatten)]
    pub change: Change,
    /// The words to show: the inline marks, or the whole paragraph as one segment.
    pub shown: Vec<Segment>,
}

/// The fixity check (`prov verify`) as it concerns this article.
#[derive(Debug, Clone, Serialize)]
pub struct Fixity {
    /// No problem concerns this article: every raw and text file hashes to what meta.json and
    /// the commit that added it say, and the history reads.
    pub intact: bool,
    pub captures_checked: usize,
    /// The problems found in this article's captures, or in the history itself.
    pub problems: Vec<Problem>,
    /// Captures whose text today's normalizer derives differently than recorded (the report
    /// compares today's texts): a notice, not a failure.
    pub renormalized: Vec<String>,
}

/// `reports/index.html`: every article, the latest change first.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    pub articles: Vec<IndexEntry>,
    /// How many articles were edited, found gone or moved, have fixity problems.
    pub edited: usize,
    pub gone_or_moved: usize,
    pub problems: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub article: String,
    pub title: String,
    pub copies: Vec<String>,
    pub captures: usize,
    pub first_captured_at: Option<String>,
    pub last_captured_at: Option<String>,
    /// Captures whose text differs from the previous capture of their copy.
    pub edits: usize,
    /// Captures that found the URL gone, or moved.
    pub gone: usize,
    pub moved: usize,
    pub intact: bool,
    /// The latest capture that changed something (a copy's first capture, an edit, a finding).
    pub last_change: Option<LastChange>,
}

/// What changed last in an article, where and when.
#[derive(Debug, Clone, Serialize)]
pub struct LastChange {
    pub n: usize,
    pub capture: String,
    pub copy: String,
    pub captured_at: String,
    /// `first capture`, `+12 -3 words`, `gone (404)`, `moved (301) to URL`.
    pub change: String,
}
