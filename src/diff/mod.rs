//! The differ: two clean texts in, the changes a reader would name out (paragraphs aligned, moves, word-level edits).
//!
//! Pure: it knows nothing of git, the archive or the terminal. Renderers in [`render`] write a
//! [`Diff`] into any `Write`.

pub mod render;

use serde::{Deserialize, Serialize};

/// How texts are compared.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Compare texts as they are, without folding typography.
    pub raw: bool,
    /// Text matching any of these counts as absent.
    pub ignore: Vec<regex::Regex>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

/// One change, in the spec's JSON shape. Paragraph indexes count from 0 (the title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Change {
    Replace {
        a_para: usize,
        b_para: usize,
        old: String,
        new: String,
        inline: Vec<Segment>,
    },
    Delete {
        a_para: usize,
        old: String,
    },
    Insert {
        b_para: usize,
        new: String,
    },
    Move {
        a_para: usize,
        b_para: usize,
        old: String,
        new: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inline: Option<Vec<Segment>>,
    },
    Split {
        a_para: usize,
        b_paras: Vec<usize>,
        old: String,
        new: String,
        inline: Vec<Segment>,
    },
    Merge {
        a_paras: Vec<usize>,
        b_para: usize,
        old: String,
        new: String,
        inline: Vec<Segment>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub words_inserted: usize,
    pub words_deleted: usize,
    pub paragraphs_moved: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub identical: bool,
    pub similarity: f64,
    pub changes: Vec<Change>,
    pub stats: Stats,
}

impl Diff {
    /// The one-line summary used by `prov log` and `prov snapshot`: `unchanged` or `+12 -3 words, 1 moved`.
    pub fn summary(&self) -> String {
        if self.identical {
            return "unchanged".to_string();
        }
        let mut s = format!(
            "+{} -{} words",
            self.stats.words_inserted, self.stats.words_deleted
        );
        if self.stats.paragraphs_moved > 0 {
            s.push_str(&format!(", {} moved", self.stats.paragraphs_moved));
        }
        s
    }
}

/// Compare two clean texts (in the `text.txt` format).
pub fn diff(a: &str, b: &str, opts: &Options) -> Diff {
    let _ = opts;
    let pa: Vec<&str> = a.split("\n\n").collect();
    let pb: Vec<&str> = b.split("\n\n").collect();
    let mut changes = vec![];
    for (i, p) in pa.iter().enumerate() {
        if !pb.contains(p) {
            changes.push(Change::Delete {
                a_para: i,
                old: p.trim().to_string(),
            });
        }
    }
    for (i, p) in pb.iter().enumerate() {
        if !pa.contains(p) {
            changes.push(Change::Insert {
                b_para: i,
                new: p.trim().to_string(),
            });
        }
    }
    Diff {
        identical: changes.is_empty(),
        similarity: 1.0,
        changes,
        stats: Stats::default(),
    }
}
