//! The match index on disk, `.git/prov/match/index.bin`: derived data, never committed.
//!
//! Its header names the HEAD it was built at, the normalizer and the MinHash recipe. When
//! HEAD moved (a capture, a refile, a pull) it is brought up to date from the captures at
//! HEAD: entries of captures gone are dropped, every entry takes its capture's article and
//! copy (so refiles are followed), and only captures it lacks are signed (their texts read
//! or re-derived); when the normalizer or recipe changed it is rebuilt. After a capture
//! prov adds that capture to the index it just read, so the next run finds it current.

use std::path::PathBuf;

use super::{Archive, ArchiveError, Capture, Kind};
use crate::matching::index::{Entry, Index, View};
use crate::matching::{self, ALGORITHM, Signature};

const HEAD: &str = "head";
const NORMALIZER: &str = "normalizer";
const RECIPE: &str = "algorithm";

impl Archive {
    fn match_index_path(&self) -> PathBuf {
        self.prov_dir().join("match").join("index.bin")
    }

    fn normalizer_key(&self) -> String {
        let id = self.normalizer_id();
        format!("v{} {}", id.version, id.rules_sha256)
    }

    fn head_key(&self) -> Result<String, ArchiveError> {
        Ok(self
            .git
            .head()?
            .map(|h| h.to_string())
            .unwrap_or_else(|| "none".into()))
    }

    /// The index's bytes, current for `captures` (those of HEAD, as [`Archive::captures`]
    /// gives them): the file as it is when it was built at HEAD by today's normalizer, else
    /// brought up to date and written back (a failure to write costs time, not correctness).
    pub(crate) fn match_index(&self, captures: &[Capture]) -> Result<Vec<u8>, ArchiveError> {
        let head = self.head_key()?;
        let normalizer = self.normalizer_key();
        let path = self.match_index_path();
        let old = std::fs::read(&path).unwrap_or_default();
        let mut index = match View::parse(&old) {
            Ok(view)
                if view.header(NORMALIZER) == Some(normalizer.as_str())
                    && view.header(RECIPE) == Some(ALGORITHM) =>
            {
                if view.header(HEAD) == Some(head.as_str()) {
                    return Ok(old);
                }
                view.to_index()
            }
            _ => Index::default(),
        };
        let mut entries = std::collections::BTreeMap::new();
        for c in captures {
            if c.meta.kind != Kind::Page || c.meta.text.is_none() {
                continue;
            }
            let signature = match index.entries.remove(c.id()) {
                Some(e) => e.signature,
                // A text that cannot be read or re-derived is never matched; `verify` and
                // the commands that show it say why.
                None => self
                    .current_text(c)
                    .ok()
                    .and_then(|t| matching::signature(&t)),
            };
            entries.insert(
                c.id().to_string(),
                Entry {
                    article: c.article().to_string(),
                    copy: c.copy().to_string(),
                    signature,
                },
            );
        }
        index.entries = entries;
        index.header.insert(HEAD.into(), head);
        index.header.insert(NORMALIZER.into(), normalizer);
        index.header.insert(RECIPE.into(), ALGORITHM.into());
        let bytes = index.to_bytes();
        self.write_match_index(&bytes);
        Ok(bytes)
    }

    /// Add a capture just committed (HEAD is its commit) to the index read before it.
    pub(crate) fn add_to_match_index(
        &self,
        before: &[u8],
        capture: &Capture,
        signature: Option<Signature>,
    ) {
        let (Ok(view), Ok(head)) = (View::parse(before), self.head_key()) else {
            return;
        };
        let mut index = view.to_index();
        index.entries.insert(
            capture.id().to_string(),
            Entry {
                article: capture.article().to_string(),
                copy: capture.copy().to_string(),
                signature,
            },
        );
        index.header.insert(HEAD.into(), head);
        self.write_match_index(&index.to_bytes());
    }

    fn write_match_index(&self, bytes: &[u8]) {
        let path = self.match_index_path();
        let Some(dir) = path.parent() else { return };
        if std::fs::create_dir_all(dir).is_ok() {
            let tmp = dir.join(format!("index.tmp{}", std::process::id()));
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, &path);
            }
        }
    }
}
