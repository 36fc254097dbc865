//! Cached one-line change summaries for `prov log`, under `.git/prov/changes/` (derived,
//! never committed), keyed by everything that decides a summary: both texts, today's
//! normalizer, the diff options and prov's version. A key never goes stale; a damaged line
//! is skipped and its summary computed again.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::index::Entry;
use super::{Archive, Kind};
use prov_config::{NormalizerId, sha256_hex};

/// The key of the change from `a` to `b` (both pages) as today's normalizer cleans them,
/// compared with options whose fingerprint is `options`.
pub fn key(a: &Entry, b: &Entry, today: &NormalizerId, options: &str) -> String {
    // A text recorded by today's normalizer is today's text; any other is re-derived from
    // the raw bytes and what `Archive::current_text` derives it with.
    let side = |e: &Entry| match &e.text {
        Some(t)
            if e.kind == Kind::Page
                && e.normalizer_version == today.version
                && e.normalizer_rules_sha256 == today.rules_sha256 =>
        {
            format!("text {}", t.sha256)
        }
        _ => format!(
            "raw {} {:?} {:?} {}",
            e.raw.sha256, e.url, e.content_type, e.raw.file
        ),
    };
    sha256_hex(
        format!(
            "prov {}\n{}\n{}\nnormalizer {} {}\n{options}\n",
            env!("CARGO_PKG_VERSION"),
            side(a),
            side(b),
            today.version,
            today.rules_sha256
        )
        .as_bytes(),
    )
}

/// Summaries read so far (by shard: the key's first two hex digits) and those to append.
#[derive(Debug)]
pub struct ChangeCache {
    dir: PathBuf,
    shards: BTreeMap<String, BTreeMap<String, String>>,
    new: BTreeMap<String, Vec<(String, String)>>,
    unsaved: usize,
}

/// Summaries kept in memory before they are appended: a long first `prov log` that is
/// interrupted keeps most of its work.
const SAVE_EVERY: usize = 1000;

impl ChangeCache {
    pub fn get(&mut self, key: &str) -> Option<String> {
        let shard = key.get(..2)?.to_string();
        let dir = &self.dir;
        let map = self.shards.entry(shard.clone()).or_insert_with(|| {
            let text = std::fs::read_to_string(dir.join(&shard)).unwrap_or_default();
            // Only whole lines: a line cut short by a crash has no newline.
            let whole = text.rfind('\n').map_or("", |end| &text[..end]);
            whole
                .lines()
                .filter_map(|l| l.split_once('\t'))
                .filter(|(k, _)| k.len() == 64)
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        map.get(key).cloned()
    }

    pub fn put(&mut self, key: &str, summary: &str) {
        let Some(shard) = key.get(..2) else {
            return;
        };
        let summary = summary.replace(['\n', '\r'], " ");
        self.shards
            .entry(shard.to_string())
            .or_default()
            .insert(key.to_string(), summary.clone());
        self.new
            .entry(shard.to_string())
            .or_default()
            .push((key.to_string(), summary));
        self.unsaved += 1;
        if self.unsaved >= SAVE_EVERY {
            self.save();
        }
    }

    /// Append what was computed; derived data, so a failure only costs a later run time.
    pub fn save(&mut self) {
        self.unsaved = 0;
        if self.new.is_empty() || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        for (shard, lines) in std::mem::take(&mut self.new) {
            let text: String = lines.iter().map(|(k, v)| format!("{k}\t{v}\n")).collect();
            crate::append_to_cache(&self.dir.join(shard), &text);
        }
    }
}

impl Archive {
    /// The cache of `prov log`'s change summaries.
    pub fn change_cache(&self) -> ChangeCache {
        ChangeCache {
            dir: self.prov_dir().join("changes"),
            shards: BTreeMap::new(),
            new: BTreeMap::new(),
            unsaved: 0,
        }
    }
}
