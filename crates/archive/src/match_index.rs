//! The match index on disk, `.git/prov/match/`: derived data, never committed.
//!
//! `index.bin` is the sorted file ([`prov_matching::index`]); its header names the HEAD it
//! was built at, the normalizer and the MinHash recipe. `index.tail` is the append-only log
//! of captures added since ([`prov_matching::tail`]), each record naming the HEAD it moved
//! from and to. The index is current when the tail's last record (or, with no tail, the
//! sorted file) names today's HEAD. When HEAD moved otherwise (a refile, a pull, a reset) it
//! is brought up to date from the captures at HEAD and the sorted file rewritten: entries
//! of captures gone are dropped, every entry takes its capture's article and copy (so
//! refiles are followed), and only captures it lacks are signed (their texts read or
//! re-derived); when the normalizer or recipe changed, or the sorted file is unreadable, it
//! is rebuilt. A tail that is damaged, torn, or extends another sorted file is not trusted:
//! the sorted file is brought up to date without it. After a capture prov appends that
//! capture to the tail, and folds the tail into the sorted file once it holds
//! [`tail::FOLD`] entries.

use std::io::Write;
use std::path::PathBuf;

use super::mapped::{Bytes, open, write_atomically};
use super::{Archive, ArchiveError, Backend, Capture, Kind};
use prov_matching::index::{Entry, Found, Index, View};
use prov_matching::tail::{self, Record, Tail};
use prov_matching::{self as matching, ALGORITHM, Signature};

const HEAD: &str = "head";
const NORMALIZER: &str = "normalizer";
const RECIPE: &str = "algorithm";

/// What the index needs of a capture, from a full capture or an index entry.
struct Item<'c> {
    id: &'c str,
    article: &'c str,
    copy: &'c str,
    page_with_text: bool,
}

/// The match index as read, current at `head`; kept to add the next capture to.
pub(crate) struct MatchIndex {
    main: Bytes,
    tail: Tail,
    /// The tail file's length as read or written by us (0: there is none to append to).
    tail_len: u64,
    head: String,
}

impl MatchIndex {
    /// The best archived capture for a signature (see [`View::best`]).
    pub(crate) fn best(&self, sig: &Signature) -> Option<Found> {
        let view = View::parse(self.main.as_ref()).ok()?;
        tail::best(&view, &self.tail, sig)
    }
}

impl<S: Backend> Archive<S> {
    fn match_dir(&self) -> PathBuf {
        self.prov_dir().join("match")
    }

    fn normalizer_key(&self) -> String {
        let id = self.normalizer_id();
        format!("v{} {}", id.version, id.rules_sha256)
    }

    fn head_key(&self) -> Result<String, ArchiveError> {
        Ok(self
            .store
            .head()?
            .map(|h| h.to_string())
            .unwrap_or_else(|| "none".into()))
    }

    /// The index, current for `captures` (those of HEAD, as [`Archive::captures`] gives
    /// them): the files as they are when they were built up to HEAD by today's normalizer,
    /// else brought up to date and written back (a failure to write costs time, not
    /// correctness).
    pub(crate) fn match_index(&self, captures: &[Capture]) -> Result<MatchIndex, ArchiveError> {
        let items: Vec<Item<'_>> = captures
            .iter()
            .map(|c| Item {
                id: c.id(),
                article: c.article(),
                copy: c.copy(),
                page_with_text: c.meta.kind == Kind::Page && c.meta.text.is_some(),
            })
            .collect();
        self.match_index_of(&items, |i| self.current_text(&captures[i]).ok())
    }

    /// [`Archive::match_index`] over index entries (see [`super::refs::Indexed`]): only the
    /// captures the index lacks are read, through `capture`, and signed.
    pub(crate) fn match_index_of_entries(
        &self,
        entries: &[super::index::Entry],
        capture: impl Fn(&super::index::Entry) -> Result<Capture, ArchiveError>,
    ) -> Result<MatchIndex, ArchiveError> {
        let items: Vec<Item<'_>> = entries
            .iter()
            .map(|e| Item {
                id: &e.capture,
                article: &e.article,
                copy: &e.copy,
                page_with_text: e.kind == Kind::Page && e.text.is_some(),
            })
            .collect();
        self.match_index_of(&items, |i| {
            capture(&entries[i])
                .and_then(|c| self.current_text(&c))
                .ok()
        })
    }

    /// The index for `items` (HEAD's captures, in capture order); `text(i)` gives item `i`'s
    /// clean text when the index lacks it.
    fn match_index_of(
        &self,
        items: &[Item<'_>],
        text: impl Fn(usize) -> Option<String>,
    ) -> Result<MatchIndex, ArchiveError> {
        let head = self.head_key()?;
        let normalizer = self.normalizer_key();
        let dir = self.match_dir();
        let main = open(&dir.join("index.bin"));
        let mut index = Index::default();
        if let Some(main) = main {
            match View::parse(main.as_ref()) {
                Ok(view)
                    if view.header(NORMALIZER) == Some(normalizer.as_str())
                        && view.header(RECIPE) == Some(ALGORITHM) =>
                {
                    let tail_bytes = std::fs::read(dir.join("index.tail")).ok();
                    let tail = tail_bytes.as_ref().map(|b| Tail::parse(b, &view));
                    let (tail, tail_len) = match (tail, &tail_bytes) {
                        (Some(Ok(t)), Some(b)) => (t, b.len() as u64),
                        // None, or not to be trusted: as if there were none.
                        _ => (Tail::default(), 0),
                    };
                    let at = tail.head().or(view.header(HEAD)).unwrap_or_default();
                    if at == head {
                        return Ok(MatchIndex {
                            main,
                            tail,
                            tail_len,
                            head,
                        });
                    }
                    index = view.to_index();
                    for r in tail.records {
                        index.entries.insert(r.capture, r.entry);
                    }
                }
                _ => {}
            }
        }
        let mut entries = std::collections::BTreeMap::new();
        for (i, c) in items.iter().enumerate() {
            if !c.page_with_text {
                continue;
            }
            let signature = match index.entries.remove(c.id) {
                Some(e) => e.signature,
                // A text that cannot be read or re-derived is never matched; `verify` and
                // the commands that show it say why.
                None => text(i).and_then(|t| matching::signature(&t)),
            };
            entries.insert(
                c.id.to_string(),
                Entry {
                    article: c.article.to_string(),
                    copy: c.copy.to_string(),
                    signature,
                },
            );
        }
        index.entries = entries;
        index.header.insert(HEAD.into(), head.clone());
        index.header.insert(NORMALIZER.into(), normalizer);
        index.header.insert(RECIPE.into(), ALGORITHM.into());
        Ok(self.write_sorted(&index, head))
    }

    /// Write the sorted file and drop the tail it takes in.
    fn write_sorted(&self, index: &Index, head: String) -> MatchIndex {
        let bytes = index.to_bytes();
        let dir = self.match_dir();
        if write_atomically(&dir.join("index.bin"), &bytes) {
            // Left behind, it would no longer match the sorted file's header and length,
            // so it would be ignored; removed, it costs no reading.
            let _ = std::fs::remove_file(dir.join("index.tail"));
        }
        MatchIndex {
            main: Bytes::Owned(bytes),
            tail: Tail::default(),
            tail_len: 0,
            head,
        }
    }

    /// Add a capture just committed (HEAD is its commit) to the index read before it: one
    /// record appended to the tail, or, when the tail is full, the tail folded into a new
    /// sorted file. `index` is then current at the new HEAD, for the next capture.
    pub(crate) fn add_to_match_index(
        &self,
        index: &mut MatchIndex,
        capture: &Capture,
        signature: Option<Signature>,
    ) {
        let (Ok(to), Ok(view)) = (self.head_key(), View::parse(index.main.as_ref())) else {
            return;
        };
        let record = Record {
            from: std::mem::take(&mut index.head),
            to: to.clone(),
            capture: capture.id().to_string(),
            entry: Entry {
                article: capture.article().to_string(),
                copy: capture.copy().to_string(),
                signature,
            },
        };
        if index.tail.records.len() >= tail::FOLD {
            let mut sorted = view.to_index();
            for r in std::mem::take(&mut index.tail.records) {
                sorted.entries.insert(r.capture, r.entry);
            }
            sorted.entries.insert(record.capture, record.entry);
            sorted.header.insert(HEAD.into(), to.clone());
            *index = self.write_sorted(&sorted, to);
            return;
        }
        let bytes = tail::record(&record);
        let path = self.match_dir().join("index.tail");
        index.tail.records.push(record);
        index.head = to;
        // Append only to the very file read: if it changed since, write it anew.
        let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == index.tail_len);
        if index.tail_len > 0 && same {
            let appended = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(&bytes));
            if appended.is_ok() {
                index.tail_len += bytes.len() as u64;
                return;
            }
        }
        let mut all = tail::header(&view);
        for r in &index.tail.records {
            all.extend(tail::record(r));
        }
        index.tail_len = if write_atomically(&path, &all) {
            all.len() as u64
        } else {
            0
        };
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn capture(i: usize) -> Capture {
        crate::tests::capture(&format!("x{i:05}"), &format!("a{i}"), "c", "u", "aa", "tt")
    }

    fn sig(i: usize) -> Signature {
        let mut slots = [0u16; prov_matching::PERMS];
        for (k, s) in slots.iter_mut().enumerate() {
            *s = (i * 977 + k * 131) as u16;
        }
        Signature {
            slots,
            shingles: 100,
        }
    }

    #[test]
    fn the_tail_is_appended_to_then_folded_into_the_sorted_file() {
        let dir = tempfile::tempdir().unwrap();
        let (archive, _) = Archive::init(dir.path(), jiff::Timestamp::UNIX_EPOCH).unwrap();
        let files = archive.match_dir();
        let mut index = archive.match_index(&[]).unwrap();
        let sorted = std::fs::read(files.join("index.bin")).unwrap();
        // HEAD stays where it is: each record chains from the one before all the same.
        for i in 0..tail::FOLD {
            archive.add_to_match_index(&mut index, &capture(i), Some(sig(i)));
        }
        assert_eq!(std::fs::read(files.join("index.bin")).unwrap(), sorted);
        let reopened = archive.match_index(&[]).unwrap();
        assert_eq!(reopened.tail.records.len(), tail::FOLD);
        assert_eq!(reopened.best(&sig(17)).unwrap().article, "a17");

        archive.add_to_match_index(&mut index, &capture(tail::FOLD), Some(sig(tail::FOLD)));
        assert!(!files.join("index.tail").exists());
        let reopened = archive.match_index(&[]).unwrap();
        assert!(reopened.tail.records.is_empty());
        let view = View::parse(reopened.main.as_ref()).unwrap();
        assert_eq!(view.len(), tail::FOLD + 1);
        assert_eq!(reopened.best(&sig(17)).unwrap().article, "a17");
        let last = reopened.best(&sig(tail::FOLD)).unwrap();
        assert_eq!(last.capture, format!("x{:05}", tail::FOLD));
    }
}
