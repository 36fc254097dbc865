//! Renderers of a [`Diff`]: text (coloured or `[-old-]{+new+}`), unified, JSON, Markdown and
//! HTML, each into a `Write`. The caller says whether to colour; nothing here looks at a terminal.

mod html;
mod markdown;
mod text;
mod unified;

pub use html::esc as html_escape;
pub use markdown::{esc as markdown_escape, write_change as write_markdown_change};

use std::io::{self, Write};

use serde::Serialize;

use super::{Change, Diff, Op, Segment};

/// One side of a comparison, as the JSON output names it: the reference as given, and for a
/// capture its id, article, copy, capture time and URL (null for a file compared on the fly).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Side {
    #[serde(rename = "ref")]
    pub reference: String,
    pub capture: Option<String>,
    pub article: Option<String>,
    pub copy: Option<String>,
    pub captured_at: Option<String>,
    pub url: Option<String>,
    pub text_sha256: String,
    /// The clean text itself (not serialized): unified output needs it.
    #[serde(skip)]
    pub text: String,
}

impl Side {
    /// `ref (capture id)`, or the bare ref for a file compared on the fly.
    fn describe(&self) -> String {
        match &self.capture {
            Some(c) => format!("{} (capture {c})", self.reference),
            None => self.reference.clone(),
        }
    }
}

/// A change of page metadata between two captures; never makes texts unequal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Metadata fields that changed between two captures, in a fixed order.
pub fn metadata_changes(
    a: &prov_model::page::Metadata,
    b: &prov_model::page::Metadata,
) -> Vec<MetadataChange> {
    let fields: [(&str, Option<String>, Option<String>); 8] = [
        ("title", a.title.clone(), b.title.clone()),
        ("byline", join(&a.authors), join(&b.authors)),
        ("published", a.published.clone(), b.published.clone()),
        ("modified", a.modified.clone(), b.modified.clone()),
        (
            "canonical_url",
            a.canonical_url.clone(),
            b.canonical_url.clone(),
        ),
        ("publisher", a.publisher.clone(), b.publisher.clone()),
        ("language", a.language.clone(), b.language.clone()),
        ("attribution", a.attribution.clone(), b.attribution.clone()),
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| MetadataChange {
            field: field.to_string(),
            old,
            new,
        })
        .collect()
}

fn join(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join(", "))
}

/// Everything a renderer needs.
#[derive(Debug, Clone)]
pub struct DiffView<'a> {
    pub a: &'a Side,
    pub b: &'a Side,
    pub diff: &'a Diff,
    pub metadata_changes: &'a [MetadataChange],
    /// Typography was compared as it is (`--raw`): every format says so in its header.
    pub raw: bool,
    /// List the changes of formatting alone (`--formatting`); otherwise each format says
    /// only how many there are.
    pub formatting: bool,
}

/// How the formats name the changes of formatting alone, and say they are not counted.
pub const FORMATTING_TITLE: &str = "Formatting (not counted as changes)";

/// `paragraph 3: heading → paragraph`.
pub fn formatting_label(f: &super::FormattingChange) -> String {
    format!("{}: {} → {}", para(f.b_para), f.was, f.now)
}

/// The version of the JSON shape (`format`): 2 added each side's article, copy, capture time
/// and URL, and names the title `"title"` where a paragraph number stood (0 in format 1).
pub const JSON_FORMAT: u32 = 2;

/// A paragraph's name: index 0 of a clean text is its title; paragraphs count from 1 after it.
fn para(n: usize) -> String {
    if n == 0 {
        "the title".to_string()
    } else {
        format!("paragraph {n}")
    }
}

/// In JSON, the title's index (0) is written `"title"`: paragraphs count from 1. Every
/// change's and formatting change's `a_para`, `b_para`, `a_paras` and `b_paras` anywhere in
/// `v` (a diff, or a report holding diffs) are named so; nothing else has those keys.
pub fn name_titles(v: &mut serde_json::Value) {
    use serde_json::Value;
    let title = |x: &mut Value| {
        if x.as_u64() == Some(0) {
            *x = Value::from("title");
        }
    };
    // A work list, not recursion; the values are prov's own, a few levels deep.
    let mut todo = vec![v];
    while let Some(v) = todo.pop() {
        match v {
            Value::Object(map) => {
                for (key, x) in map.iter_mut() {
                    match key.as_str() {
                        "a_para" | "b_para" => title(x),
                        "a_paras" | "b_paras" => {
                            if let Some(xs) = x.as_array_mut() {
                                xs.iter_mut().for_each(title);
                            }
                        }
                        _ => todo.push(x),
                    }
                }
            }
            Value::Array(xs) => todo.extend(xs.iter_mut()),
            _ => {}
        }
    }
}

/// The line said when formatting changes are left out: `2 changes of formatting alone, not
/// counted (--formatting lists them)`; `None` when there are none or they are listed.
pub fn formatting_hint(view: &DiffView<'_>) -> Option<String> {
    let n = view.diff.formatting.len();
    (n > 0 && !view.formatting).then(|| {
        let s = if n == 1 { "" } else { "s" };
        format!("{n} change{s} of formatting alone, not counted (--formatting lists them)")
    })
}

/// What every format says when typography was not folded (`--raw`).
pub const RAW_NOTE: &str = "typography is compared as it is (--raw), not folded";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Paragraph-wise report; `[-old-]{+new+}` marks, or red/green when `color`.
    Text { color: bool },
    /// A unified line diff of the two texts that `patch` applies to A.
    Unified,
    /// The model as JSON (see [`write_json`]).
    Json,
    /// A report for a git host.
    Markdown,
    /// One self-contained HTML page.
    Html,
}

pub fn render(view: &DiffView<'_>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text { color } => text::write(view, color, out),
        Format::Unified => unified::write(view, out),
        Format::Json => write_json(view, out),
        Format::Markdown => markdown::write(view, out),
        Format::Html => html::write(view, out),
    }
}

/// JSON, the shape of the spec's `prov diff --format json`, pretty-printed, keys in this order:
///
/// ```json
/// {"format": 2, "a": {"ref", "capture", "article", "copy", "captured_at", "url", "text_sha256"},
///  "b": {...}, "raw": true (only with --raw),
///  "identical": bool, "similarity": number (rounded to 4 decimals),
///  "changes": [{"kind": "replace", "a_para", "b_para", "old", "new", "inline": [{"op", "text"}]},
///              {"kind": "delete", "a_para", "old"}, {"kind": "insert", "b_para", "new"},
///              {"kind": "move", "a_para", "b_para", "old", "new", "inline"?},
///              {"kind": "split", "a_para", "b_paras", "old", "new", "inline"},
///              {"kind": "merge", "a_paras", "b_para", "old", "new", "inline"}],
///  "metadata_changes": [{"field", "old", "new"}],
///  "stats": {"words_inserted", "words_deleted", "paragraphs_moved"},
///  "formatting_changes": [{"a_para", "b_para", "was", "now", "old", "new"}] (only with --formatting)}
/// ```
///
/// `op` is `equal`, `delete` or `insert`; a move's `inline` is absent when only its place
/// changed. Paragraphs are numbered from 1 after the title, which is `"title"`.
pub fn write_json(view: &DiffView<'_>, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct J<'a> {
        format: u32,
        a: &'a Side,
        b: &'a Side,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        raw: bool,
        identical: bool,
        similarity: f64,
        changes: &'a [Change],
        metadata_changes: &'a [MetadataChange],
        stats: &'a super::Stats,
        #[serde(skip_serializing_if = "Option::is_none")]
        formatting_changes: Option<&'a [super::FormattingChange]>,
    }
    let j = J {
        format: JSON_FORMAT,
        a: view.a,
        b: view.b,
        raw: view.raw,
        identical: view.diff.identical,
        similarity: rounded_similarity(view.diff),
        changes: &view.diff.changes,
        metadata_changes: view.metadata_changes,
        stats: &view.diff.stats,
        formatting_changes: view.formatting.then_some(&view.diff.formatting[..]),
    };
    let mut v = serde_json::to_value(&j).map_err(io::Error::other)?;
    name_titles(&mut v);
    serde_json::to_writer_pretty(&mut *out, &v)?;
    writeln!(out)
}

/// Similarity rounded to 4 decimals, so output does not depend on float noise.
pub fn rounded_similarity(d: &Diff) -> f64 {
    (d.similarity * 10_000.0).round() / 10_000.0
}

/// `+14 -3 words, 1 moved, similarity 0.982`: the summary plus a similarity fine enough
/// that a one-word edit in a long article does not read as 1.
pub fn stat_line(d: &Diff) -> String {
    let summary = if d.identical {
        "identical".to_string()
    } else {
        d.summary()
    };
    format!("{summary}, similarity {:.3}", d.similarity)
}

fn list(xs: &[usize]) -> String {
    xs.iter()
        .map(|&x| {
            if x == 0 {
                "the title".to_string()
            } else {
                x.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// What a change is, in words: `paragraph 11`, `moved from paragraph 9 to 10`, ...
pub fn label(c: &Change) -> String {
    match c {
        Change::Replace { b_para, .. } => para(*b_para),
        Change::Delete { a_para, .. } => format!("deleted {}", para(*a_para)),
        Change::Insert { b_para, .. } => format!("inserted {}", para(*b_para)),
        Change::Move {
            a_para,
            b_para,
            inline,
            ..
        } => {
            let edited = if inline.is_some() { " (edited)" } else { "" };
            if *a_para == 0 || *b_para == 0 {
                format!("moved from {} to {}{edited}", para(*a_para), para(*b_para))
            } else {
                format!("moved from paragraph {a_para} to {b_para}{edited}")
            }
        }
        Change::Split {
            a_para, b_paras, ..
        } => {
            format!("split {} into {}", para(*a_para), list(b_paras))
        }
        Change::Merge {
            a_paras, b_para, ..
        } => {
            format!("merged paragraphs {} into {b_para}", list(a_paras))
        }
    }
}

/// The segments to show for a change: its inline marks, or the whole paragraph.
pub fn body(c: &Change) -> Vec<Segment> {
    let seg = |op, t: &String| {
        vec![Segment {
            op,
            text: t.clone(),
        }]
    };
    match c {
        Change::Replace { inline, .. }
        | Change::Split { inline, .. }
        | Change::Merge { inline, .. }
        | Change::Move {
            inline: Some(inline),
            ..
        } => inline.clone(),
        Change::Move {
            inline: None, new, ..
        } => seg(Op::Equal, new),
        Change::Delete { old, .. } => seg(Op::Delete, old),
        Change::Insert { new, .. } => seg(Op::Insert, new),
    }
}

/// The old side of a change in the old text's own characters: its `equal` and `delete`
/// segments, each `equal` one written as the old paragraph has it. The inline segments
/// write an equal stretch as the newer text does (what a reader of one merged line sees);
/// a quote labelled as the old paragraph must not show it in the newer typography.
/// Falls back to the segments as they are when they cannot be placed in the old text.
pub fn old_side(c: &Change) -> Vec<Segment> {
    let mut side: Vec<Segment> = Vec::new();
    for s in body(c).into_iter().filter(|s| s.op != Op::Insert) {
        match side.last_mut() {
            Some(last) if last.op == s.op => last.text.push_str(&s.text),
            _ => side.push(s),
        }
    }
    let old = match c {
        Change::Replace { old, .. }
        | Change::Split { old, .. }
        | Change::Merge { old, .. }
        | Change::Move {
            old,
            inline: Some(_),
            ..
        } => old,
        _ => return side,
    };
    place(old, &side).unwrap_or(side)
}

/// Bytes [`place`] may fold, per byte of the old paragraph, before giving up on a change:
/// a deleted text found at many places (a space, a comma) must not make a long paragraph's
/// quote quadratic.
const PLACE_BUDGET_PER_BYTE: usize = 16;

/// Place `side` (alternating `equal` and `delete` segments) in `old`: a `delete` segment is a
/// slice of `old` as it is, an `equal` one the stretch before the next `delete` whose fold
/// is its fold (the first such place: the segments follow the old text in order). None when
/// `side` does not fit, or past the budget. A loop, not a search with backtracking: a
/// paragraph can have thousands of segments.
fn place(old: &str, side: &[Segment]) -> Option<Vec<Segment>> {
    let mut budget = PLACE_BUDGET_PER_BYTE * (old.len() + 1);
    let mut out = Vec::with_capacity(side.len());
    let mut rest = old;
    for (k, seg) in side.iter().enumerate() {
        let text = if seg.op == Op::Delete {
            let tail = rest.strip_prefix(seg.text.as_str())?;
            let taken = &rest[..seg.text.len()];
            rest = tail;
            taken
        } else if let Some(next) = side.get(k + 1) {
            // The stretch ends where the next deleted text starts.
            let mut found = None;
            for (at, _) in rest.match_indices(next.text.as_str()) {
                budget = budget.checked_sub(at + 1)?;
                if same_fold(&rest[..at], &seg.text) {
                    found = Some(at);
                    break;
                }
            }
            let (taken, tail) = rest.split_at(found?);
            rest = tail;
            taken
        } else {
            budget.checked_sub(rest.len())?;
            if !same_fold(rest, &seg.text) {
                return None;
            }
            std::mem::take(&mut rest)
        };
        if !text.is_empty() {
            out.push(Segment {
                op: seg.op,
                text: text.to_string(),
            });
        }
    }
    rest.is_empty().then_some(out)
}

/// Whether two stretches are one text up to typography and white space.
fn same_fold(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| -> String {
        crate::fold(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    squeeze(a) == squeeze(b)
}

fn meta_value(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(none)")
}

#[cfg(test)]
mod tests;
