//! Refiles: append-only records that a capture belongs under another article or copy.
//!
//! A capture is never changed, so filing it elsewhere is a new committed file,
//! `refiles/<capture>/<time>-<hash>.json`, one per refile (merge-safe: two clones add two
//! files). The latest record of a capture (by time, then file name) says where it is filed;
//! its folder under `snapshots/` stays where it was written.

use std::collections::BTreeMap;

use super::{
    Archive, ArchiveError, Backend, Capture, NewFile, SNAPSHOTS, WriteLock, checked,
    store::{Store, StoreError},
};
use prov_config::sha256_hex;
use prov_model::time as timefmt;

pub use prov_model::capture::{Place, REFILE_VERSION, REFILES, Refile};

/// Give each capture the place its latest refile names (captures without one keep theirs).
/// Records naming no capture here are left for `verify` to report.
pub fn apply_refiles(captures: &mut [Capture], refiles: &[Refile]) {
    let latest = latest(refiles);
    for c in captures.iter_mut() {
        if let Some(r) = latest.get(c.meta.capture.as_str()) {
            refile_one(c, r);
        }
    }
}

/// The record in force for each refiled capture (the latest), by capture id.
pub fn latest(refiles: &[Refile]) -> BTreeMap<String, Refile> {
    let mut latest: BTreeMap<String, Refile> = BTreeMap::new();
    for r in refiles {
        let later = latest
            .get(r.capture.as_str())
            .is_none_or(|l| (&r.time, &r.path) > (&l.time, &l.path));
        if later {
            latest.insert(r.capture.clone(), r.clone());
        }
    }
    latest
}

/// File one capture where `r` puts it (its folder stays where it was written).
pub fn refile_one(c: &mut Capture, r: &Refile) {
    c.meta.article = r.to.article.clone();
    c.meta.copy = r.to.copy.clone();
    c.refiled = Some(r.clone());
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

impl<S: Backend> Archive<S> {
    /// Every refile record in HEAD, in path order; a record that cannot be read is an error.
    pub fn refiles(&self) -> Result<Vec<Refile>, ArchiveError> {
        refiles_in(&self.store)
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
            self.store.check_writable()?;
            let head = self.store.head()?;
            let mut record = Refile {
                refile_version: REFILE_VERSION,
                capture: capture.id().to_string(),
                from: from.clone(),
                to: to.clone(),
                time: timefmt::rfc3339(time),
                by: self.store.identity()?,
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
            let message = format!("{message}{}", self.store.chain_trailers(head, &files)?);
            let pending = self.pending_path();
            std::fs::write(&pending, format!("{}\n", record.path)).map_err(super::io(&pending))?;
            match self.store.commit(&files, &message, time.as_second(), head) {
                Ok(id) => {
                    std::fs::remove_file(&pending).map_err(super::io(&pending))?;
                    return Ok(Refiled::New {
                        record: Box::new(record),
                        commit: id.to_string(),
                    });
                }
                Err(StoreError::Moved) if attempts < 3 => attempts += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// Every refile record at HEAD, in path order; a record that cannot be read is an error.
pub fn refiles_in(store: &dyn Store) -> Result<Vec<Refile>, ArchiveError> {
    let mut out = Vec::new();
    for (path, id) in store.files_under(REFILES)? {
        let record = store
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record(capture: &str, to: &str, time: &str, path: &str) -> Refile {
        Refile {
            refile_version: REFILE_VERSION,
            capture: capture.into(),
            from: Place {
                article: "a".into(),
                copy: "c".into(),
            },
            to: Place {
                article: to.into(),
                copy: "c".into(),
            },
            time: time.into(),
            by: "prov <prov@localhost>".into(),
            path: path.into(),
        }
    }

    #[test]
    fn the_latest_record_wins_whatever_the_order() {
        let mut caps = vec![crate::tests::capture("x", "a", "c", "u", "aa", "tt")];
        let records = [
            record("x", "late", "2026-01-03T00:00:00Z", "refiles/x/2"),
            record("x", "early", "2026-01-02T00:00:00Z", "refiles/x/1"),
            record("y", "other", "2026-01-09T00:00:00Z", "refiles/y/1"),
        ];
        apply_refiles(&mut caps, &records);
        assert_eq!(caps[0].article(), "late");
        assert_eq!(caps[0].refiled.as_ref().unwrap().path, "refiles/x/2");
        assert_eq!(written_place(&caps[0]).unwrap().article, "a");
        let shown: serde_json::Value = serde_json::from_str(&meta_json(&caps[0])).unwrap();
        assert_eq!(shown["article"], "a");
        assert_eq!(shown["refiled"]["to"]["article"], "late");
    }

    /// The refile records at HEAD of a store, read back as written (their paths too), in
    /// path order; the later record by time is in force whatever its name; a record that
    /// cannot be read is an error naming its path.
    #[test]
    fn refiles_are_read_from_a_store_and_the_latest_wins() {
        let store = crate::store::MemStore::default();
        assert_eq!(refiles_in(&store).unwrap(), vec![]);
        let file = |r: &Refile| NewFile {
            path: r.path.clone(),
            bytes: r.to_json().into_bytes(),
        };
        let early = record("x", "early", "2026-01-02T00:00:00Z", "refiles/x/b.json");
        let other = record("y", "other", "2026-01-09T00:00:00Z", "refiles/y/a.json");
        let kept = NewFile {
            path: format!("{SNAPSHOTS}/.gitkeep"),
            bytes: vec![],
        };
        let one = [kept, file(&early), file(&other)];
        let first = store.commit(&one, "One\n", 0, None).unwrap();
        assert_eq!(refiles_in(&store).unwrap(), [early.clone(), other.clone()]);
        let late = record("x", "late", "2026-01-03T00:00:00Z", "refiles/x/a.json");
        let second = store
            .commit(&[file(&late)], "Two\n", 1, Some(first))
            .unwrap();
        let read = refiles_in(&store).unwrap();
        assert_eq!(read, [late.clone(), early, other.clone()]);
        let in_force = latest(&read);
        assert_eq!((&in_force["x"], &in_force["y"]), (&late, &other));
        let bad = NewFile {
            path: "refiles/z/a.json".into(),
            bytes: b"{".to_vec(),
        };
        store.commit(&[bad], "Three\n", 2, Some(second)).unwrap();
        let e = refiles_in(&store).unwrap_err();
        assert!(
            matches!(&e, ArchiveError::CorruptMeta { path, .. } if path == "refiles/z/a.json"),
            "{e}"
        );
    }

    #[test]
    fn a_record_must_name_its_folder_and_usable_names() {
        let r = record("x", "b", "2026-01-01T00:00:00Z", "");
        let json = r.to_json();
        assert!(Refile::parse("refiles/x/1.json", json.as_bytes()).is_ok());
        assert!(Refile::parse("refiles/y/1.json", json.as_bytes()).is_err());
        assert!(Refile::parse("refiles/x/1.txt", json.as_bytes()).is_err());
        let bad = json.replace("\"b\"", "\"..\"");
        assert!(Refile::parse("refiles/x/1.json", bad.as_bytes()).is_err());
        assert!(Refile::parse("refiles/x/1.json", b"{").is_err());
    }
}
