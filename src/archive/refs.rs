//! Capture references: `ARTICLE`, `ARTICLE@N`, `ARTICLE@first|latest`, `ARTICLE/COPY[@N]`, a
//! capture id or a unique prefix of one, a commit id, or a path to a file.

use std::path::{Path, PathBuf};

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::index::{Entry, Index, sort_entries};
use super::refile::{self, Refile};
use super::{Archive, ArchiveError, Capture};

/// Where references look captures up: a list already in memory, or the archive's index
/// (which reads a capture's meta.json only once it is chosen).
pub trait Lookup {
    /// `article`'s captures (of `copy` alone when given), in capture order.
    fn of_article(&self, article: &str, copy: Option<&str>) -> Result<Vec<Entry>, ArchiveError>;
    /// The captures whose id starts with `prefix`, in capture order.
    fn with_id_prefix(&self, prefix: &str) -> Result<Vec<Entry>, ArchiveError>;
    /// The full capture an entry names.
    fn capture(&self, entry: &Entry) -> Result<Capture, ArchiveError>;
}

impl Lookup for [Capture] {
    fn of_article(&self, article: &str, copy: Option<&str>) -> Result<Vec<Entry>, ArchiveError> {
        Ok(self
            .iter()
            .filter(|c| c.article() == article && copy.is_none_or(|cp| c.copy() == cp))
            .map(Entry::from)
            .collect())
    }
    fn with_id_prefix(&self, prefix: &str) -> Result<Vec<Entry>, ArchiveError> {
        Ok(self
            .iter()
            .filter(|c| c.id().starts_with(prefix))
            .map(Entry::from)
            .collect())
    }
    fn capture(&self, entry: &Entry) -> Result<Capture, ArchiveError> {
        self.iter()
            .find(|c| c.id() == entry.capture && c.article() == entry.article)
            .cloned()
            .ok_or_else(|| ArchiveError::Missing { path: entry.dir() })
    }
}

impl Lookup for Vec<Capture> {
    fn of_article(&self, article: &str, copy: Option<&str>) -> Result<Vec<Entry>, ArchiveError> {
        self.as_slice().of_article(article, copy)
    }
    fn with_id_prefix(&self, prefix: &str) -> Result<Vec<Entry>, ArchiveError> {
        self.as_slice().with_id_prefix(prefix)
    }
    fn capture(&self, entry: &Entry) -> Result<Capture, ArchiveError> {
        self.as_slice().capture(entry)
    }
}

/// The archive's index as a [`Lookup`], with refiles applied: entries carry the article and
/// copy where their latest refile record puts them, as [`Archive::captures`] does.
#[derive(Debug)]
pub struct Indexed<'a> {
    archive: &'a Archive,
    /// Replaced once by a rebuilt index if a block of the file turns out damaged.
    index: RefCell<Index>,
    refiles: BTreeMap<String, Refile>,
}

impl<'a> Indexed<'a> {
    /// The archive's index brought up to date with HEAD, and the refiles in force.
    pub fn new(archive: &'a Archive) -> Result<Indexed<'a>, ArchiveError> {
        Ok(Indexed {
            archive,
            index: RefCell::new(archive.index()?),
            refiles: refile::latest(&archive.refiles()?),
        })
    }

    /// How many commits HEAD's order of record holds: the place of the next one.
    pub fn commits(&self) -> u64 {
        self.index.borrow().commits
    }

    /// The place in the order of record of the commit that added `c`, if one is known.
    pub fn record_of(&self, c: &Capture) -> Result<Option<u64>, ArchiveError> {
        Ok(self
            .read(|i| i.with_id_prefix(c.id()))?
            .into_iter()
            .find(|e| e.capture == c.id() && e.dir() == c.dir)
            .and_then(|e| e.record))
    }

    /// `read` of the index; if it finds a damaged block, of the index rebuilt from HEAD.
    fn read<T>(&self, read: impl Fn(&Index) -> Option<T>) -> Result<T, ArchiveError> {
        if let Some(v) = read(&self.index.borrow()) {
            return Ok(v);
        }
        let fresh = self.archive.rebuilt_index()?;
        let v = read(&fresh);
        *self.index.borrow_mut() = fresh;
        v.ok_or_else(|| self.damaged())
    }

    fn damaged(&self) -> ArchiveError {
        ArchiveError::CorruptMeta {
            path: format!(".git/prov/{}", super::index::FILE_NAME),
            reason: "it cannot be read back".into(),
        }
    }

    /// The entry filed where its refile puts it.
    fn filed(&self, mut e: Entry) -> Entry {
        if let Some(r) = self.refiles.get(&e.capture) {
            e.article.clone_from(&r.to.article);
            e.copy.clone_from(&r.to.copy);
        }
        e
    }

    /// The index's own entry for a capture id: named by the folder it was written in.
    fn as_written(&self, capture: &str) -> Result<Option<Entry>, ArchiveError> {
        Ok(self
            .read(|i| i.with_id_prefix(capture))?
            .into_iter()
            .find(|e| e.capture == capture))
    }

    /// Every capture, in capture order.
    pub fn all(&self) -> Result<Vec<Entry>, ArchiveError> {
        let mut list: Vec<Entry> = self
            .read(Index::entries)?
            .into_iter()
            .map(|e| self.filed(e))
            .collect();
        if !self.refiles.is_empty() {
            sort_entries(&mut list);
        }
        Ok(list)
    }
}

impl Lookup for Indexed<'_> {
    fn of_article(&self, article: &str, copy: Option<&str>) -> Result<Vec<Entry>, ArchiveError> {
        let mut list: Vec<Entry> = self
            .read(|i| i.article(article))?
            .into_iter()
            .filter(|e| !self.refiles.contains_key(&e.capture))
            .collect();
        let mut moved_in = false;
        for r in self.refiles.values().filter(|r| r.to.article == article) {
            if let Some(e) = self.as_written(&r.capture)? {
                list.push(self.filed(e));
                moved_in = true;
            }
        }
        if moved_in {
            sort_entries(&mut list);
        }
        list.retain(|e| copy.is_none_or(|cp| e.copy == cp));
        Ok(list)
    }
    fn with_id_prefix(&self, prefix: &str) -> Result<Vec<Entry>, ArchiveError> {
        Ok(self
            .read(|i| i.with_id_prefix(prefix))?
            .into_iter()
            .map(|e| self.filed(e))
            .collect())
    }
    fn capture(&self, entry: &Entry) -> Result<Capture, ArchiveError> {
        let Some(r) = self.refiles.get(&entry.capture) else {
            return self.archive.capture_of(entry);
        };
        let written = self
            .as_written(&entry.capture)?
            .ok_or_else(|| ArchiveError::Missing { path: entry.dir() })?;
        let mut c = self.archive.capture_of(&written)?;
        refile::refile_one(&mut c, r);
        Ok(c)
    }
}

/// What a reference names.
#[derive(Debug, Clone)]
pub enum Resolved {
    Capture(Box<Capture>),
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum RefError {
    #[error("{0:?} names no capture, article, commit or file")]
    Unknown(String),
    #[error("{reference:?} is ambiguous; it could be {}", .candidates.join(", or "))]
    Ambiguous {
        reference: String,
        candidates: Vec<String>,
    },
    #[error("{reference:?}: {article} has {count} capture(s), numbered from 1")]
    OutOfRange {
        reference: String,
        article: String,
        count: usize,
    },
    #[error("{reference:?}: commit {commit} records no capture in the archive")]
    NotACapture { reference: String, commit: String },
    #[error(transparent)]
    Archive(#[from] ArchiveError),
}

/// Resolve `reference` among `captures`.
/// Every reading is tried; more than one distinct answer is an error listing them.
pub fn resolve(
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
    cwd: &Path,
) -> Result<Resolved, RefError> {
    // `./x`, `../x` and absolute paths always mean a file.
    if reference.starts_with("./")
        || reference.starts_with("../")
        || Path::new(reference).is_absolute()
    {
        return Ok(Resolved::File(PathBuf::from(reference)));
    }
    // Candidates as entries: a capture's meta.json is read once it is the one answer.
    let mut found: Vec<(String, Found)> = Vec::new();
    let push = |label: String, r: Found, found: &mut Vec<(String, Found)>| {
        let same = found.iter().any(|(_, f)| match (f, &r) {
            (Found::Capture(a), Found::Capture(b)) => a.capture == b.capture,
            (Found::File(a), Found::File(b)) => a == b,
            _ => false,
        });
        if !same {
            found.push((label, r));
        }
    };

    if let Some(c) = by_name(captures, reference)? {
        push(
            format!("capture {} ({reference})", c.capture),
            Found::Capture(Box::new(c)),
            &mut found,
        );
    }

    // A capture id, or a unique prefix of one.
    if reference.len() >= 4 {
        let ids = captures.with_id_prefix(reference)?;
        let exact: Vec<&Entry> = ids.iter().filter(|c| c.capture == reference).collect();
        let ids: Vec<&Entry> = if exact.is_empty() {
            ids.iter().collect()
        } else {
            exact
        };
        for c in ids {
            push(
                format!("capture {}", c.capture),
                Found::Capture(Box::new(c.clone())),
                &mut found,
            );
        }
    }

    // A commit id. An abbreviation that fits several commits is ambiguous even where only
    // one of them added a capture; a commit that added none is reported as such.
    let mut other_commits = Vec::new();
    // Readings that name nothing prov can show, but make the reference ambiguous.
    let mut extra: Vec<String> = Vec::new();
    if let Some(archive) = archive {
        let commits = archive.commits_with_prefix(reference);
        let several = commits.len() > 1;
        for (commit, capture) in commits {
            let short = commit[..12.min(commit.len())].to_string();
            let entry = match capture {
                Some(id) => captures
                    .with_id_prefix(&id)?
                    .into_iter()
                    .find(|c| c.capture == id),
                None => None,
            };
            match entry {
                Some(c) => push(
                    format!("commit {short} (capture {})", c.capture),
                    Found::Capture(Box::new(c)),
                    &mut found,
                ),
                None if several => extra.push(format!("commit {short}")),
                None => other_commits.push(short),
            }
        }
    }

    let path = cwd.join(reference);
    if path.is_file() {
        push(
            format!("the file {reference}"),
            Found::File(PathBuf::from(reference)),
            &mut found,
        );
    }

    if !extra.is_empty() {
        let mut candidates: Vec<String> = found.into_iter().map(|(l, _)| l).collect();
        candidates.extend(extra);
        return Err(RefError::Ambiguous {
            reference: reference.to_string(),
            candidates,
        });
    }
    match found.len() {
        0 => match other_commits.into_iter().next() {
            Some(commit) => Err(RefError::NotACapture {
                reference: reference.into(),
                commit,
            }),
            None => Err(RefError::Unknown(reference.to_string())),
        },
        1 => Ok(match found.remove(0).1 {
            Found::Capture(e) => Resolved::Capture(Box::new(captures.capture(&e)?)),
            Found::File(p) => Resolved::File(p),
        }),
        _ => Err(RefError::Ambiguous {
            reference: reference.to_string(),
            candidates: found.into_iter().map(|(l, _)| l).collect(),
        }),
    }
}

enum Found {
    Capture(Box<Entry>),
    File(PathBuf),
}

/// `ARTICLE`, `ARTICLE@N|first|latest`, `ARTICLE/COPY`, `ARTICLE/COPY@N|first|latest`.
fn by_name(captures: &dyn Lookup, reference: &str) -> Result<Option<Entry>, RefError> {
    let (name, at) = match reference.rsplit_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (reference, None),
    };
    let (article, copy) = match name.split_once('/') {
        Some((a, c)) => (a, Some(c)),
        None => (name, None),
    };
    let mut list = captures.of_article(article, copy)?;
    if list.is_empty() {
        return Ok(None);
    }
    let index = match at {
        None | Some("latest") => list.len() - 1,
        Some("first") => 0,
        Some(n) => match n.parse::<usize>() {
            Ok(n) if (1..=list.len()).contains(&n) => n - 1,
            Ok(_) => {
                return Err(RefError::OutOfRange {
                    reference: reference.into(),
                    article: name.into(),
                    count: list.len(),
                });
            }
            Err(_) => return Ok(None),
        },
    };
    Ok(Some(list.swap_remove(index)))
}
