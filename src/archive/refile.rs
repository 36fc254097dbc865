//! Refiles: append-only records that a capture belongs under another article or copy.
//!
//! A capture is never changed, so filing it elsewhere is a new committed file,
//! `refiles/<capture>/<time>-<hash>.json`, one per refile (merge-safe: two clones add two
//! files). The latest record of a capture (by time, then file name) says where it is filed;
//! its folder under `snapshots/` stays where it was written.

use serde::{Deserialize, Serialize};

use super::{
    Archive, ArchiveError, Capture, NewFile, SNAPSHOTS, WriteLock, checked, git::GitError,
};
use crate::config::sha256_hex;
use crate::timefmt;

pub const REFILES: &str = "refiles";
/// Raised when the shape of a refile record changes.
pub const REFILE_VERSION: u32 = 1;

/// An article and copy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    pub article: String,
    pub copy: String,
}

/// One refile record, as committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refile {
    pub refile_version: u32,
    pub capture: String,
    pub from: Place,
    pub to: Place,
    /// When it was refiled (RFC 3339, UTC).
    pub time: String,
    /// Who refiled it: the committer, `Name <email>`.
    pub by: String,
    /// The record's path in the archive (not written in the record).
    #[serde(skip)]
    pub path: String,
}

impl Refile {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parse a record found at `path` (`refiles/<capture>/<name>.json`), checking that it
    /// names the capture of its folder and usable names.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<Refile, String> {
        let mut r: Refile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if r.refile_version > REFILE_VERSION {
            return Err(format!(
                "it was written by a newer prov (refile_version {})",
                r.refile_version
            ));
        }
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() != 3 || parts[0] != REFILES || !parts[2].ends_with(".json") {
            return Err(format!("a refile lives at {REFILES}/<capture>/<name>.json"));
        }
        if parts[1] != r.capture {
            return Err(format!("it names capture {}, not its folder's", r.capture));
        }
        for name in [&r.to.article, &r.to.copy] {
            super::names::check(name).map_err(|e| format!("{name:?}: {e}"))?;
        }
        r.path = path.to_string();
        Ok(r)
    }
}

/// Give each capture the place its latest refile names (captures without one keep theirs).
/// Records naming no capture here are left for `verify` to report.
pub fn apply_refiles(captures: &mut [Capture], refiles: &[Refile]) {
    for c in captures.iter_mut() {
        let latest = refiles
            .iter()
            .filter(|r| r.capture == c.meta.capture)
            .max_by(|a, b| (&a.time, &a.path).cmp(&(&b.time, &b.path)));
        if let Some(r) = latest {
            c.meta.article = r.to.article.clone();
            c.meta.copy = r.to.copy.clone();
            c.refiled = Some(r.clone());
        }
    }
}

/// What `Archive::refile` did.
#[derive(Debug, Clone)]
pub enum Refiled {
    /// The capture already is there: nothing recorded.
    AlreadyThere,
    New {
        record: Box<Refile>,
        commit: String,
    },
}

impl Archive {
    /// Every refile record in HEAD, in path order; a record that cannot be read is an error.
    pub fn refiles(&self) -> Result<Vec<Refile>, ArchiveError> {
        let mut out = Vec::new();
        for (path, id) in self.git.blobs_under(None, REFILES)? {
            let record = self
                .git
                .blob(id)
                .map_err(|e| e.to_string())
                .and_then(|b| Refile::parse(&path, &b))
                .map_err(|reason| ArchiveError::CorruptMeta {
                    path: path.clone(),
                    reason,
                })?;
            out.push(record);
        }
        Ok(out)
    }

    /// File `capture` (as [`Archive::captures`] gives it) under `to`: one commit adding one
    /// record, unless it is filed there already.
    pub fn refile(
        &self,
        _lock: &WriteLock,
        capture: &Capture,
        to: Place,
        time: jiff::Timestamp,
    ) -> Result<Refiled, ArchiveError> {
        checked("article", &to.article)?;
        checked("copy", &to.copy)?;
        let from = Place {
            article: capture.article().to_string(),
            copy: capture.copy().to_string(),
        };
        if from == to {
            return Ok(Refiled::AlreadyThere);
        }
        let mut attempts = 0;
        loop {
            self.git.check_writable()?;
            let head = self.git.head()?;
            let mut record = Refile {
                refile_version: REFILE_VERSION,
                capture: capture.id().to_string(),
                from: from.clone(),
                to: to.clone(),
                time: timefmt::rfc3339(time),
                by: self.git.identity()?,
                path: String::new(),
            };
            let hash = sha256_hex(record.to_json().as_bytes());
            record.path = format!(
                "{REFILES}/{}/{}-{}.json",
                record.capture,
                timefmt::compact(time),
                &hash[..8]
            );
            let files = [NewFile {
                path: record.path.clone(),
                bytes: record.to_json().into_bytes(),
            }];
            let message = format!(
                "Refile {} to {}/{}\n\nFrom: {}/{}\n\nProv-Refile: {}\n",
                record.capture, to.article, to.copy, from.article, from.copy, record.capture,
            );
            let pending = self.pending_path();
            std::fs::write(&pending, format!("{}\n", record.path)).map_err(super::io(&pending))?;
            match self
                .git
                .commit_files(&files, &message, time.as_second(), head)
            {
                Ok(id) => {
                    std::fs::remove_file(&pending).map_err(super::io(&pending))?;
                    return Ok(Refiled::New {
                        record: Box::new(record),
                        commit: id.to_string(),
                    });
                }
                Err(GitError::Moved) if attempts < 3 => attempts += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// The snapshots folder a capture was written in, whatever its refiles say.
pub fn written_place(c: &Capture) -> Option<Place> {
    let rest = c.dir.strip_prefix(&format!("{SNAPSHOTS}/"))?;
    let mut parts = rest.split('/');
    Some(Place {
        article: parts.next()?.to_string(),
        copy: parts.next()?.to_string(),
    })
}

/// A capture's meta.json as recorded (article and copy those it was written under), with a
/// `refiled` object added when a refile files it elsewhere: what `prov show --meta` prints.
pub fn meta_json(c: &Capture) -> String {
    let Some(r) = &c.refiled else {
        return c.meta.to_json();
    };
    let mut meta = c.meta.clone();
    if let Some(written) = written_place(c) {
        meta.article = written.article;
        meta.copy = written.copy;
    }
    let mut value = serde_json::to_value(&meta).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "refiled".into(),
            serde_json::json!({
                "from": r.from, "to": r.to, "time": r.time, "by": r.by, "record": r.path,
            }),
        );
    }
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
