//! The archive: captures kept as files under `snapshots/` in a git repository, one commit per capture.
//!
//! Layout: `snapshots/<article>/<copy>/<capture>/{raw.html|raw.txt, text.txt, meta.json}`,
//! and `refiles/<capture>/<time>-<hash>.json` for captures filed elsewhere since.
//! What is committed is never rewritten; derived data (the lock, caches of re-derived texts)
//! lives under `.git/prov/` and is never committed.
//!
//! Here: opening an archive, reading captures and recording one (filed by [`filing`],
//! committed through the [`store`], git's being [`git`]). Beside it: `lock` (the write lock
//! and recovery), `texts` (bytes and clean texts), `index_update` (the capture index brought
//! to HEAD), [`bulk`] (many captures a pack), [`refile`], [`verify`].

pub mod bulk;
pub mod chain;
pub mod changes;
pub mod filing;
pub mod git;
pub mod index;
mod index_update;
mod lock;
mod mapped;
mod match_index;
pub mod pack;
pub mod refile;
pub mod refs;
pub mod settings;
pub mod store;
mod texts;
pub mod verify;

// meta.json's types, captures, refile records and names are the data model's: re-exported
// here, where the archive keeps them.
pub use prov_model::{meta, names};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use git::{Git, GitError};
pub use lock::WriteLock;
pub use meta::{FileFacts, FiledBy, Kind, MatchFacts, Meta, TimeSource, textless};
use prov_config::{self as config, Config, NormalizerId, sha256_hex};
pub use prov_model::capture::Capture;
use prov_model::facts::Fetched;
use prov_model::time as timefmt;
use prov_normalize::{Format, Normalized};
pub use refile::{Place, REFILES, Refile, Refiled};
pub use store::NewFile;
use store::{Store, StoreError, StoreId};
pub use texts::no_text;

pub use prov_model::capture::SNAPSHOTS;
pub const REPORTS: &str = "reports";
/// Keeps line-ending settings from ever rewriting captured bytes.
pub const GITATTRIBUTES: &str = "snapshots/** -text\n";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("no prov archive in {0} or any folder above it (run `prov init` to make one)")]
    NotFound(PathBuf),
    #[error("{0} is already a prov archive")]
    AlreadyArchive(PathBuf),
    #[error("{0} is not a git work tree's top folder; run prov init there or at the top")]
    NotTopLevel(PathBuf),
    #[error(transparent)]
    Git(#[from] GitError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Config(#[from] settings::ConfigError),
    #[error("{path} is corrupt: {reason}")]
    CorruptMeta { path: String, reason: String },
    #[error("{path} is missing from the archive's history")]
    Missing { path: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the {what} name {name:?} cannot be used: {reason}")]
    BadName {
        what: &'static str,
        name: String,
        reason: String,
    },
    #[error("capture {capture} has no text: it records that {url} was {kind} ({status})")]
    NoText {
        capture: String,
        url: String,
        kind: &'static str,
        status: String,
    },
    #[error("capture {capture} cannot be cleaned by today's normalizer: {reason}")]
    Renormalize { capture: String, reason: String },
}

impl ArchiveError {
    /// The archive cannot be written here: its file system is read-only, or this user may not
    /// write to its folders (EROFS, EACCES, EPERM). Readers go on without the lock.
    pub fn is_read_only(&self) -> bool {
        matches!(self, ArchiveError::Io { source, .. } if matches!(
            source.kind(),
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
        ))
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A capture to record: the fetched bytes, their clean text, and what the user said of them.
#[derive(Debug, Clone)]
pub struct NewCapture {
    pub fetched: Fetched,
    pub normalized: Normalized,
    pub article: Option<String>,
    pub copy: Option<String>,
    /// Where the bytes were captured from (`--url`, or the URL fetched).
    pub url: Option<String>,
    pub captured_at: Timestamp,
    pub time_source: TimeSource,
    pub archived_at: Timestamp,
    /// Hashes, signature and compressed blobs made on a worker thread for a bulk run (see
    /// [`bulk::Precomputed`]); `None` has the writer make them.
    pub precomputed: Option<Box<bulk::Precomputed>>,
}

/// The finding that a URL captured before is gone or moved, to record as a capture of that
/// kind under the article and copy it was captured as.
#[derive(Debug, Clone)]
pub struct NewFinding {
    /// The response: its bytes as received (possibly none) and its HTTP facts.
    pub fetched: Fetched,
    /// [`Kind::Gone`] or [`Kind::Moved`].
    pub kind: Kind,
    pub article: String,
    pub filed_by: FiledBy,
    pub copy: String,
    pub url: String,
    pub captured_at: Timestamp,
    pub time_source: TimeSource,
    pub archived_at: Timestamp,
}

/// Where a new capture goes and what identifies it, once decided.
struct Placed {
    article: String,
    filed_by: FiledBy,
    /// The archived capture a fuzzy match filed it by, if any.
    matched: Option<MatchFacts>,
    copy: String,
    capture_id: String,
    captured_at: String,
    raw_sha: String,
    text_sha: Option<String>,
}

/// What [`Archive::capture`] and [`Archive::capture_finding`] have in common.
struct Record<'a> {
    fetched: &'a Fetched,
    normalized: Option<&'a Normalized>,
    kind: Kind,
    article: Option<&'a str>,
    filed_by: Option<FiledBy>,
    copy: Option<&'a str>,
    url: Option<&'a str>,
    captured_at: Timestamp,
    time_source: TimeSource,
    archived_at: Timestamp,
}

impl<'a> Record<'a> {
    /// The copy it is a capture of: `--copy` (checked), else [`filing::copy_of`] its URL.
    fn copy_name(&self) -> Result<String, ArchiveError> {
        match self.copy {
            Some(c) => checked("copy", c),
            None => Ok(filing::copy_of(self.url)),
        }
    }

    /// What filing needs of it, once its copy is known and its `--article` checked. A text
    /// hash files by identical text, but not an empty text's, which says nothing of the
    /// article it belongs to.
    fn filing_facts<'s>(
        &'s self,
        article: Option<&'s str>,
        copy: &'s str,
        raw_sha: &'s str,
        text_sha: Option<&'s str>,
    ) -> filing::Facts<'s> {
        let empty = self.normalized.is_some_and(|n| n.text.is_empty());
        filing::Facts {
            article,
            filed_by: self.filed_by,
            url: self.url,
            copy,
            raw_sha,
            text_sha: text_sha.filter(|_| !empty),
            // A page without text may still have said its title in its metadata.
            title: self
                .normalized
                .and_then(|n| n.title().or(n.metadata.title.as_deref()))
                .unwrap_or_default(),
        }
    }

    /// A page capture as the user asked for it.
    fn of(new: &'a NewCapture) -> Record<'a> {
        Record {
            fetched: &new.fetched,
            normalized: Some(&new.normalized),
            kind: Kind::Page,
            article: new.article.as_deref(),
            filed_by: None,
            copy: new.copy.as_deref(),
            url: new.url.as_deref(),
            captured_at: new.captured_at,
            time_source: new.time_source,
            archived_at: new.archived_at,
        }
    }
}

/// A gone or moved capture keeps the response body as `raw.html` when the server called
/// it HTML, else as `raw.bin`: there is no normalizer's verdict on it.
fn finding_raw_file(fetched: &Fetched) -> &'static str {
    let html = fetched
        .http
        .as_ref()
        .and_then(|h| h.content_type.as_deref())
        .is_some_and(|t| t.to_ascii_lowercase().contains("html"));
    if html { "raw.html" } else { "raw.bin" }
}

#[derive(Debug, Clone)]
pub enum Captured {
    /// A new capture was committed.
    New {
        capture: Box<Capture>,
        commit: String,
        previous: Option<Box<Capture>>,
    },
    /// The bytes are those of the copy's capture it follows in time (its latest, unless
    /// backfilled): nothing was recorded.
    Unchanged { existing: Box<Capture> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitOutcome {
    Created,
    Adopted,
}

/// An archive: its settings and its store, git's ([`Git`]) unless a test records into memory
/// ([`store::MemStore`], see [`Archive::in_memory`]). Reading captures, filing and recording
/// them, texts, refiles and the match index work on any [`Backend`]; what is git's alone
/// (opening a repository, the capture index, verify, bulk runs, recovery) is on `Archive<Git>`.
pub struct Archive<S = Git> {
    pub root: PathBuf,
    pub config: Config,
    store: S,
    /// Derived data, never committed: `.git/prov/` in a repository.
    prov_dir: PathBuf,
}

/// What an archive asks of its store besides [`Store`]'s files and commits: whether it can be
/// written, who writes, and the order of record of captures of one capture time (the order
/// among them). Git answers from the repository and the capture index, [`store::MemStore`]
/// from its commits.
pub trait Backend: Store + Sized {
    /// Fail now, naming why, rather than half-way through a commit.
    fn check_writable(&self) -> Result<(), ArchiveError>;

    /// Who records: `Name <email>`.
    fn identity(&self) -> Result<String, ArchiveError>;

    /// For each of `captures`, the place in the order of record of the commit that added
    /// it, when one is known.
    fn record_places(
        archive: &Archive<Self>,
        captures: &[Capture],
    ) -> Result<Vec<Option<u64>>, ArchiveError>;
}

impl Backend for Git {
    fn check_writable(&self) -> Result<(), ArchiveError> {
        Ok(Git::check_writable(self)?)
    }

    fn identity(&self) -> Result<String, ArchiveError> {
        Ok(Git::identity(self)?)
    }

    /// From the capture index, brought to HEAD (see [`refs::Indexed`]).
    fn record_places(
        archive: &Archive,
        captures: &[Capture],
    ) -> Result<Vec<Option<u64>>, ArchiveError> {
        let index = refs::Indexed::new(archive)?;
        captures.iter().map(|c| index.record_of(c)).collect()
    }
}

impl<S> std::fmt::Debug for Archive<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive").field("root", &self.root).finish()
    }
}

/// The one rule for a capture that says nothing new: its bytes and kind are those of the
/// capture of its copy just before it in time, so it is not recorded (`Unchanged`). It holds
/// for a backdated capture (a memento, a declared time) as for one that follows the latest:
/// otherwise a history run again would record a memento that the first run found to repeat
/// its predecessor, and the archive would depend on the order mementos were fetched in. A
/// capture identical to the one after it is recorded: it is the earlier evidence.
pub(crate) fn repeats(previous_raw: &str, previous_kind: Kind, raw_sha: &str, kind: Kind) -> bool {
    previous_raw == raw_sha && previous_kind == kind
}

impl Archive {
    /// Make `dir` an archive: a new git repository, or an existing one adopted. One commit
    /// adds `prov.toml`, `.gitattributes` and the `snapshots/` and `reports/` folders.
    pub fn init(dir: &Path, time: Timestamp) -> Result<(Archive, InitOutcome), ArchiveError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let root = dir.canonicalize().map_err(io(dir))?;
        if root.join(config::FILE_NAME).exists() {
            return Err(ArchiveError::AlreadyArchive(root));
        }
        // In a repository: adopt it, but only at its top (a nested repository would hide
        // the captures from the outer one).
        let (git, outcome) = match Git::discover(&root)? {
            Some(git) => {
                if git.workdir().canonicalize().map_err(io(&root))? != root {
                    return Err(ArchiveError::NotTopLevel(root));
                }
                (git, InitOutcome::Adopted)
            }
            None => (Git::init(&root)?, InitOutcome::Created),
        };
        git.check_writable()?;
        // From HEAD, not the work tree: the user's unstaged edits are not prov's to commit.
        let mut attributes = git.read(".gitattributes")?.unwrap_or_default();
        if !String::from_utf8_lossy(&attributes)
            .lines()
            .any(|l| l.trim() == GITATTRIBUTES.trim())
        {
            if !attributes.is_empty() && !attributes.ends_with(b"\n") {
                attributes.push(b'\n');
            }
            attributes.extend_from_slice(GITATTRIBUTES.as_bytes());
        }
        let files = vec![
            NewFile {
                path: ".gitattributes".into(),
                bytes: attributes,
            },
            NewFile {
                path: config::FILE_NAME.into(),
                bytes: config::TEMPLATE.as_bytes().to_vec(),
            },
            NewFile {
                path: format!("{SNAPSHOTS}/.gitkeep"),
                bytes: vec![],
            },
            NewFile {
                path: format!("{REPORTS}/.gitkeep"),
                bytes: vec![],
            },
        ];
        let head = git.head()?;
        git.commit(
            &files,
            "Make this repository a prov archive\n",
            time.as_second(),
            head,
        )?;
        let archive = Archive {
            root,
            config: Config::default(),
            prov_dir: git.git_dir().join("prov"),
            store: git,
        };
        Ok((archive, outcome))
    }

    /// The archive at `dir`, or the nearest folder above `dir` that holds `prov.toml`.
    pub fn discover(dir: &Path) -> Result<Archive, ArchiveError> {
        let start = dir.canonicalize().map_err(io(dir))?;
        let mut here = Some(start.as_path());
        while let Some(d) = here {
            if d.join(config::FILE_NAME).is_file() {
                return Self::open(d);
            }
            here = d.parent();
        }
        Err(ArchiveError::NotFound(start))
    }

    pub fn open(root: &Path) -> Result<Archive, ArchiveError> {
        let git = Git::open(root)?;
        let config = settings::load(&root.join(config::FILE_NAME))?;
        Ok(Archive {
            root: root.to_path_buf(),
            config,
            prov_dir: git.git_dir().join("prov"),
            store: git,
        })
    }

    /// Keep captured raw files in git alone from now on (see [`git::Git::make_sparse`]).
    pub fn make_sparse(&self) -> Result<(), ArchiveError> {
        Ok(self.store.make_sparse()?)
    }

    /// Whether raw files are kept in git alone (git's sparse checkout leaves them out).
    pub fn is_sparse(&self) -> bool {
        self.store.sparse_raw()
    }
}

impl Archive<store::MemStore> {
    /// An archive recording into `store`, in memory, its derived data (the match index, the
    /// text cache, the write lock) under `derived`: filing and recording tested without a
    /// repository.
    pub fn in_memory(store: store::MemStore, config: Config, derived: &Path) -> Self {
        Archive {
            root: derived.to_path_buf(),
            config,
            store,
            prov_dir: derived.join("prov"),
        }
    }
}

impl<S: Backend> Archive<S> {
    /// The normalizer in force for this archive.
    pub fn normalizer_id(&self) -> NormalizerId {
        config::current_normalizer(&self.config.rules())
    }

    /// `.git/prov/`: derived data, never committed.
    pub fn prov_dir(&self) -> PathBuf {
        self.prov_dir.clone()
    }

    /// Every capture, ordered by capture time, then in the order of record (the order of the
    /// commits that added them), filed where its latest refile says.
    pub fn captures(&self) -> Result<Vec<Capture>, ArchiveError> {
        let mut out = captures_in(&self.store)?;
        self.sort_captures(&mut out)?;
        // Where each capture is filed now: a separate step over what was read above.
        refile::apply_refiles(&mut out, &self.refiles()?);
        Ok(out)
    }

    fn parse_meta(&self, path: &str, blob: StoreId) -> Result<Meta, ArchiveError> {
        parse_meta(&self.store, path, blob)
    }

    /// The full capture an index entry describes, read from HEAD.
    pub fn capture_of(&self, entry: &index::Entry) -> Result<Capture, ArchiveError> {
        let dir = entry.dir();
        let path = format!("{dir}/meta.json");
        let bytes = self.read_committed(&path)?;
        let meta = Meta::from_json(&bytes).map_err(|reason| ArchiveError::CorruptMeta {
            path: path.clone(),
            reason,
        })?;
        Ok(Capture {
            meta,
            dir,
            refiled: None,
        })
    }

    fn read_committed(&self, path: &str) -> Result<Vec<u8>, ArchiveError> {
        self.store.read(path)?.ok_or_else(|| ArchiveError::Missing {
            path: path.to_string(),
        })
    }

    /// Record a capture: one commit, unless the bytes are those of the copy's capture it
    /// follows in time (its latest, unless backfilled at an earlier time).
    pub fn capture(&self, lock: &WriteLock, new: NewCapture) -> Result<Captured, ArchiveError> {
        self.record(lock, &Record::of(&new))
    }

    /// Record the finding that a URL captured before is gone or moved: a capture of that
    /// kind with the response's bytes and HTTP facts and no clean text. Like any capture,
    /// nothing is recorded when the bytes are those of the capture it follows.
    pub fn capture_finding(
        &self,
        lock: &WriteLock,
        new: NewFinding,
    ) -> Result<Captured, ArchiveError> {
        let record = Record {
            fetched: &new.fetched,
            normalized: None,
            kind: new.kind,
            article: Some(&new.article),
            filed_by: Some(new.filed_by),
            copy: Some(&new.copy),
            url: Some(&new.url),
            captured_at: new.captured_at,
            time_source: new.time_source,
            archived_at: new.archived_at,
        };
        self.record(lock, &record)
    }

    fn record(&self, _lock: &WriteLock, record: &Record<'_>) -> Result<Captured, ArchiveError> {
        // The branch may move under us only if someone commits without prov's lock (a user's
        // `git commit`): then read again and retry.
        let mut attempts = 0;
        loop {
            match self.try_capture(record) {
                Err(ArchiveError::Store(StoreError::Moved)) if attempts < 3 => attempts += 1,
                other => return other,
            }
        }
    }

    fn try_capture(&self, new: &Record<'_>) -> Result<Captured, ArchiveError> {
        self.store.check_writable()?;
        let head = self.store.head()?;
        let captures = self.captures()?;
        let raw_sha = sha256_hex(&new.fetched.bytes);
        let text_sha = new.normalized.map(|n| sha256_hex(n.text.as_bytes()));

        let copy = new.copy_name()?;
        let given = new.article.map(|a| checked("article", a)).transpose()?;
        let facts = new.filing_facts(given.as_deref(), &copy, &raw_sha, text_sha.as_deref());
        // The match index is read only if filing comes to matching, and kept to add this
        // capture to once committed.
        let mut match_index = None;
        let mut view = filing::Scan {
            captures: &captures,
            matches: |sig: &prov_matching::Signature| {
                let index = self.match_index(&captures)?;
                Ok::<_, ArchiveError>(match_index.insert(index).best(sig))
            },
        };
        let signature = || {
            new.normalized
                .and_then(|n| prov_matching::signature(&n.text))
        };
        let filing::Filing {
            article,
            filed_by,
            matched,
            signature,
        } = filing::file(&facts, signature, &mut view)?;

        let same_copy = |c: &&Capture| c.article() == article && c.copy() == copy;
        let id_hash = sha256_hex(format!("{article}\n{copy}\n{raw_sha}").as_bytes());
        let capture_id = format!("{}-{}", timefmt::compact(new.captured_at), &id_hash[..8]);
        // The capture this one follows in time (a backfilled capture may precede the latest);
        // of captures of its time, it comes last: it is recorded last.
        let captured_at = timefmt::rfc3339(new.captured_at);
        let previous = captures
            .iter()
            .rev()
            .filter(same_copy)
            .find(|c| c.meta.captured_at.as_str() <= captured_at.as_str())
            .cloned();
        if let Some(p) = previous
            .as_ref()
            .filter(|p| repeats(&p.meta.raw.sha256, p.meta.kind, &raw_sha, new.kind))
        {
            return Ok(Captured::Unchanged {
                existing: Box::new(p.clone()),
            });
        }
        if let Some(same) = captures.iter().find(|c| c.id() == capture_id) {
            return Ok(Captured::Unchanged {
                existing: Box::new(same.clone()),
            });
        }
        let (meta, dir, files, message) = self.staged(
            new,
            Placed {
                article,
                filed_by,
                matched,
                copy,
                capture_id,
                captured_at,
                raw_sha,
                text_sha,
            },
        );

        let pending = self.pending_path();
        let list: String = files.iter().map(|f| format!("{}\n", f.path)).collect();
        std::fs::write(&pending, list).map_err(io(&pending))?;
        crash_point("after-pending");
        let message = format!("{message}{}", self.store.chain_trailers(head, &files)?);
        let commit = self
            .store
            .commit(&files, &message, new.archived_at.as_second(), head)?;
        crash_point("after-commit");
        std::fs::remove_file(&pending).map_err(io(&pending))?;
        let capture = Capture {
            meta,
            dir,
            refiled: None,
        };
        if let Some(index) = &mut match_index {
            self.add_to_match_index(index, &capture, signature);
        }
        Ok(Captured::New {
            capture: Box::new(capture),
            commit: commit.to_string(),
            previous: previous.map(Box::new),
        })
    }

    /// A placed capture's meta.json, folder, files and commit message.
    fn staged(&self, new: &Record<'_>, p: Placed) -> (Meta, String, Vec<NewFile>, String) {
        let Placed {
            article,
            filed_by,
            matched,
            copy,
            capture_id,
            captured_at,
            raw_sha,
            text_sha,
        } = p;
        let dir = format!("{SNAPSHOTS}/{article}/{copy}/{capture_id}");
        let raw_file = match new.normalized.and_then(|n| n.format) {
            Some(Format::Html) => "raw.html",
            Some(Format::Text) => "raw.txt",
            None => finding_raw_file(new.fetched),
        };
        let meta = Meta {
            meta_version: meta::META_VERSION,
            article: article.clone(),
            copy: copy.clone(),
            capture: capture_id.clone(),
            kind: new.kind,
            filed_by,
            source: new.fetched.source.clone(),
            url: new.url.map(str::to_string),
            final_url: new.fetched.final_url.clone(),
            captured_at,
            captured_at_source: new.time_source,
            archived_at: timefmt::rfc3339(new.archived_at),
            http: new.fetched.http.clone(),
            format: new.normalized.and_then(|n| n.format),
            charset: new.normalized.and_then(|n| n.charset.clone()),
            raw: FileFacts {
                file: raw_file.into(),
                sha256: raw_sha,
                size: new.fetched.bytes.len() as u64,
            },
            text: match (new.normalized, text_sha) {
                (Some(n), Some(sha256)) => Some(FileFacts {
                    file: "text.txt".into(),
                    sha256,
                    size: n.text.len() as u64,
                }),
                _ => None,
            },
            normalizer: self.normalizer_id(),
            page: new
                .normalized
                .map(|n| n.metadata.clone())
                .unwrap_or_default(),
            stripped: new
                .normalized
                .map(|n| n.stripped.clone())
                .unwrap_or_default(),
            warc: new.fetched.warc.clone(),
            memento: new.fetched.memento.clone(),
            matched,
            no_text: new.normalized.and_then(|n| n.no_text.clone()),
        };
        let mut files = vec![NewFile {
            path: format!("{dir}/{raw_file}"),
            bytes: new.fetched.bytes.clone(),
        }];
        if let Some(n) = new.normalized {
            files.push(NewFile {
                path: format!("{dir}/text.txt"),
                bytes: n.text.clone().into_bytes(),
            });
        }
        files.push(NewFile {
            path: format!("{dir}/meta.json"),
            bytes: meta.to_json().into_bytes(),
        });
        let message = commit_message(&meta);
        (meta, dir, files, message)
    }
}

impl Archive {
    /// The commit that added each capture (the first in the order of record that names it),
    /// by capture id.
    pub fn commits(&self) -> Result<BTreeMap<String, String>, ArchiveError> {
        let mut out = BTreeMap::new();
        for (c, id) in self.store.capture_commits()? {
            out.entry(c).or_insert_with(|| id.to_string());
        }
        Ok(out)
    }

    /// Commits whose id starts with `prefix`, with the capture each added (if any).
    pub fn commits_with_prefix(&self, prefix: &str) -> Vec<(String, Option<String>)> {
        self.store
            .commits_with_prefix(prefix)
            .into_iter()
            .map(|(id, c)| (id.to_string(), c))
            .collect()
    }

    /// Commit report files (paths under `reports/`) on the current branch: one commit touching
    /// only those paths, the work tree and index brought up to date for them alone. Nothing is
    /// committed when HEAD already has these bytes; returns the new commit, if any.
    pub fn commit_reports(
        &self,
        _lock: &WriteLock,
        files: &[NewFile],
        message: &str,
        time: Timestamp,
    ) -> Result<Option<String>, ArchiveError> {
        for f in files {
            let inside = f.path.starts_with(&format!("{REPORTS}/"))
                && f.path
                    .split('/')
                    .all(|p| !p.is_empty() && p != "." && p != "..");
            if !inside {
                return Err(ArchiveError::BadName {
                    what: "report file",
                    name: f.path.clone(),
                    reason: format!("reports are committed under {REPORTS}/ only"),
                });
            }
        }
        let mut attempts = 0;
        loop {
            self.store.check_writable()?;
            let head = self.store.head()?;
            let mut same = true;
            for f in files {
                if self.store.read(&f.path)?.as_deref() != Some(f.bytes.as_slice()) {
                    same = false;
                    break;
                }
            }
            if same {
                self.store
                    .sync_paths(files.iter().map(|f| f.path.as_str()))?;
                return Ok(None);
            }
            match self.store.commit(files, message, time.as_second(), head) {
                Ok(id) => return Ok(Some(id.to_string())),
                // Someone committed without prov's lock: read again and retry.
                Err(StoreError::Moved) if attempts < 3 => attempts += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

fn checked(what: &'static str, name: &str) -> Result<String, ArchiveError> {
    names::check(name).map_err(|reason| ArchiveError::BadName {
        what,
        name: name.to_string(),
        reason,
    })?;
    Ok(name.to_string())
}

/// Every capture at HEAD as written (refiles not applied), in folder order.
pub fn captures_in(store: &dyn Store) -> Result<Vec<Capture>, ArchiveError> {
    let mut out = Vec::new();
    for (path, id) in store.files_under(SNAPSHOTS)? {
        let Some(dir) = capture_dir(&path) else {
            continue;
        };
        let meta = parse_meta(store, &path, id)?;
        out.push(Capture {
            meta,
            dir: dir.to_string(),
            refiled: None,
        });
    }
    Ok(out)
}

/// A meta.json blob parsed, and checked to name the folder it is in.
fn parse_meta(store: &dyn Store, path: &str, blob: StoreId) -> Result<Meta, ArchiveError> {
    let meta = store
        .blob(blob)
        .map_err(|e| e.to_string())
        .and_then(|b| Meta::from_json(&b))
        .map_err(|reason| ArchiveError::CorruptMeta {
            path: path.to_string(),
            reason,
        })?;
    let dir = path.trim_end_matches("/meta.json");
    let expected = format!(
        "{SNAPSHOTS}/{}/{}/{}",
        meta.article, meta.copy, meta.capture
    );
    if dir != expected {
        return Err(ArchiveError::CorruptMeta {
            path: path.to_string(),
            reason: format!("it names {expected}, not the folder it is in"),
        });
    }
    Ok(meta)
}

/// The capture folder a path under `snapshots/` is the meta.json of:
/// `snapshots/<article>/<copy>/<capture>/meta.json`.
fn capture_dir(path: &str) -> Option<&str> {
    let dir = path.strip_suffix("/meta.json")?;
    (path.split('/').count() == 5).then_some(dir)
}

impl<S: Backend> Archive<S> {
    /// Put captures in their order: by capture time, then in the order of record. Captures
    /// of one time are rare, so only theirs are asked for their place in it, in one call.
    pub fn sort_captures(&self, captures: &mut [Capture]) -> Result<(), ArchiveError> {
        let by_time = |a: &Capture, b: &Capture| {
            (a.meta.captured_at.as_str(), a.id()).cmp(&(b.meta.captured_at.as_str(), b.id()))
        };
        captures.sort_by(by_time);
        // The runs of captures of one time.
        let mut runs = Vec::new();
        let mut start = 0;
        while start < captures.len() {
            let at = &captures[start].meta.captured_at;
            let end = start
                + captures[start..]
                    .iter()
                    .take_while(|c| &c.meta.captured_at == at)
                    .count();
            if end - start > 1 {
                runs.push(start..end);
            }
            start = end;
        }
        if runs.is_empty() {
            return Ok(());
        }
        let tied: Vec<Capture> = runs
            .iter()
            .flat_map(|r| captures[r.clone()].iter().cloned())
            .collect();
        let mut places = S::record_places(self, &tied)?.into_iter();
        for run in runs {
            let mut keyed: Vec<(u64, Capture)> = captures[run.clone()]
                .iter()
                .map(|c| (places.next().flatten().unwrap_or(u64::MAX), c.clone()))
                .collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| by_time(&a.1, &b.1)));
            for (slot, (_, c)) in captures[run].iter_mut().zip(keyed) {
                *slot = c;
            }
        }
        Ok(())
    }
}

fn commit_message(meta: &Meta) -> String {
    let mut m = format!(
        "Capture {}/{} {}\n\n",
        meta.article, meta.copy, meta.capture
    );
    if let Some(t) = &meta.page.title {
        m.push_str(&format!("Title: {}\n", one_line(t)));
    }
    m.push_str(&format!("Source: {}\n", one_line(&meta.source)));
    if let Some(u) = &meta.url {
        m.push_str(&format!("URL: {}\n", one_line(u)));
    }
    m.push_str(&format!(
        "Captured: {} ({:?})\n\n",
        meta.captured_at, meta.captured_at_source
    ));
    m.push_str(&format!(
        "Prov-Article: {}\nProv-Copy: {}\nProv-Capture: {}\n",
        meta.article, meta.copy, meta.capture
    ));
    m
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A test-only hook, compiled only with the `crash-hooks` feature (which the test build turns
/// on through the self dev-dependency in Cargo.toml; the shipped binary has no such code and
/// reads no such variable): `PROV_TEST_CRASH=<point>` kills the process with SIGKILL at that
/// point of a capture (no destructor, no flush runs), so tests can check that a capture killed
/// anywhere leaves the archive as it was. Points: `after-pending`, `before-commit`,
/// `after-commit` (the ref moved; index and work tree not yet), `mid-worktree`, `index-locked`
/// (git's `index.lock` held).
#[cfg(feature = "crash-hooks")]
pub(crate) fn crash_point(point: &str) {
    if std::env::var("PROV_TEST_CRASH").is_ok_and(|p| p == point) {
        let pid = std::process::id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid])
            .status();
        // If `kill` is missing, still die without cleaning up.
        std::process::abort();
    }
}

/// Append `text` (whole lines) to a file of derived data under `.git/prov/`, creating it:
/// in one write, so that concurrent writers append whole lines. A failure is not reported:
/// what was not kept is computed again next time.
pub(crate) fn append_to_cache(path: &std::path::Path, text: &str) {
    use std::io::Write as _;
    if let Ok(mut f) = std::fs::File::options()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(text.as_bytes());
    }
}

/// Without the `crash-hooks` feature (every build but the tests'), the hook is nothing.
#[cfg(not(feature = "crash-hooks"))]
#[inline(always)]
pub(crate) fn crash_point(_point: &str) {}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A page capture of `article`/`copy` with this URL, raw and text hashes, filed in its
    /// folder.
    pub(crate) fn capture(
        id: &str,
        article: &str,
        copy: &str,
        url: &str,
        raw: &str,
        text: &str,
    ) -> Capture {
        let meta = serde_json::from_value(serde_json::json!({
            "meta_version": 1, "article": article, "copy": copy,
            "capture": id, "kind": "page",
            "filed_by": "title", "source": "s", "url": url, "final_url": null,
            "captured_at": "2026-01-01T00:00:00Z", "captured_at_source": "fetched",
            "archived_at": "2026-01-01T00:00:00Z", "http": null, "format": "text",
            "charset": null, "raw": {"file": "raw.txt", "sha256": raw, "size": 1},
            "text": {"file": "text.txt", "sha256": text, "size": 1},
            "normalizer": {"version": 1, "rules_sha256": "cc", "rules": ""},
            "page": {"title": null, "description": null, "authors": [], "published": null,
                     "modified": null, "canonical_url": null, "publisher": null,
                     "language": null, "attribution": null},
            "stripped": [],
        }))
        .unwrap();
        Capture {
            meta,
            dir: format!("{SNAPSHOTS}/{article}/{copy}/{id}"),
            refiled: None,
        }
    }

    /// Captures are read from any store: every meta.json of a capture folder, nothing else;
    /// a meta.json that names another folder is corrupt.
    #[test]
    fn captures_are_read_from_a_store_and_a_misplaced_one_is_corrupt() {
        let store = store::MemStore::default();
        let c = capture("x1", "a", "c", "https://example.com/", "r", "t");
        let file = |path: &str, bytes: &[u8]| NewFile {
            path: path.into(),
            bytes: bytes.to_vec(),
        };
        let first = [
            file(&format!("{SNAPSHOTS}/.gitkeep"), b""),
            file(&c.path("raw.txt"), b"raw"),
            file(&c.path("meta.json"), c.meta.to_json().as_bytes()),
            file(&format!("{REFILES}/.gitkeep"), b""),
        ];
        let head = store.commit(&first, "One\n", 0, None).unwrap();
        let read = captures_in(&store).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(
            (read[0].dir.as_str(), &read[0].meta),
            (c.dir.as_str(), &c.meta)
        );
        let misplaced = [file(
            &format!("{SNAPSHOTS}/b/c/x1/meta.json"),
            c.meta.to_json().as_bytes(),
        )];
        store.commit(&misplaced, "Two\n", 1, Some(head)).unwrap();
        let e = captures_in(&store).unwrap_err();
        assert!(
            matches!(&e, ArchiveError::CorruptMeta { path, .. } if path.starts_with("snapshots/b/")),
            "{e}"
        );
        assert!(e.to_string().contains("not the folder it is in"), "{e}");
    }

    /// Issue 21: verify goes on without its lock, writing nothing, when the archive cannot be
    /// written (a read-only mount: EROFS; another user's archive: EACCES; an immutable
    /// folder: EPERM); any other failure to take the lock is an error.
    #[test]
    fn an_archive_that_cannot_be_written_is_read_only() {
        let failing = |errno: i32| ArchiveError::Io {
            path: PathBuf::from(".git/prov/lock"),
            source: std::io::Error::from_raw_os_error(errno),
        };
        // EPERM, EACCES, EROFS.
        for errno in [1, 13, 30] {
            assert!(failing(errno).is_read_only(), "errno {errno}");
        }
        // ENOENT, EIO, ENOSPC.
        for errno in [2, 5, 28] {
            assert!(!failing(errno).is_read_only(), "errno {errno}");
        }
        assert!(!ArchiveError::Missing { path: "x".into() }.is_read_only());
    }

    /// A page fetched from `url` at `at`: `text`'s bytes, a plain text.
    fn page(url: &str, text: &str, at: &str) -> NewCapture {
        let bytes = text.as_bytes().to_vec();
        let input = prov_normalize::Input {
            bytes: &bytes,
            content_type: Some("text/plain"),
            url: Some(url),
            file_name: None,
        };
        let normalized = prov_normalize::normalize(&input, &Default::default()).unwrap();
        let at = timefmt::parse(at).unwrap();
        NewCapture {
            fetched: Fetched {
                source: url.into(),
                bytes,
                file_name: None,
                url: Some(url.into()),
                final_url: None,
                http: None,
                warc: None,
                memento: None,
            },
            normalized,
            article: None,
            copy: None,
            url: Some(url.into()),
            captured_at: at,
            time_source: TimeSource::Fetched,
            archived_at: at,
            precomputed: None,
        }
    }

    /// A story of `n` sentences, each its own words, with `edit` in the middle.
    fn story(title: &str, edit: &str) -> String {
        let mut s = format!("{title}\n\n");
        for i in 0..40 {
            s.push_str(&format!(
                "Sentence {i} tells of harbour{i} and ferry{i} near bridge{i}. "
            ));
            if i == 20 {
                s.push_str(edit);
                s.push_str("\n\n");
            }
        }
        s.push('\n');
        s
    }

    fn new(c: Captured) -> (Capture, Option<Box<Capture>>) {
        match c {
            Captured::New {
                capture, previous, ..
            } => (*capture, previous),
            Captured::Unchanged { existing } => panic!("unchanged: {}", existing.id()),
        }
    }

    /// The archive's filing and recording on a store in memory: no repository, one rule
    /// each (the URL, the copy's bytes, a match, a new article, a repeat not recorded, a
    /// refile steering the next capture), and captures of one time in the order recorded.
    #[test]
    fn captures_are_filed_and_recorded_in_a_store_in_memory() {
        let derived = tempfile::tempdir().unwrap();
        let archive = Archive::in_memory(
            store::MemStore::default(),
            Config::default(),
            derived.path(),
        );
        let lock = archive.write_lock(&mut || {}).unwrap();
        let url = "https://example.com/story";
        let first = story("Ferry service resumes", "The mayor spoke.");
        let (a, previous) = new(archive
            .capture(&lock, page(url, &first, "2026-01-01T00:00:00Z"))
            .unwrap());
        assert_eq!(
            (a.article(), a.copy(), a.meta.filed_by, previous.is_none()),
            ("ferry-service-resumes", "example.com", FiledBy::Title, true)
        );
        assert_eq!(archive.raw(&a).unwrap(), first.as_bytes());
        assert_eq!(
            archive.recorded_text(&a).unwrap(),
            archive.current_text(&a).unwrap()
        );
        // The same bytes again: nothing recorded.
        let again = archive
            .capture(&lock, page(url, &first, "2026-01-02T00:00:00Z"))
            .unwrap();
        assert!(matches!(&again, Captured::Unchanged { existing } if existing.id() == a.id()));
        // An edit at the same URL: the same article, by its URL, after the first.
        let edited = story("Ferry service resumes", "The mayor spoke twice.");
        let (b, previous) = new(archive
            .capture(&lock, page(url, &edited, "2026-01-03T00:00:00Z"))
            .unwrap());
        assert_eq!((b.article(), b.meta.filed_by), (a.article(), FiledBy::Url));
        assert_eq!(
            previous.map(|p| p.id().to_string()),
            Some(a.id().to_string())
        );
        // The first bytes at another URL of the copy: the same article, by its content.
        let other_url = "https://example.com/story?page=1";
        let (c, _) = new(archive
            .capture(&lock, page(other_url, &first, "2026-01-04T00:00:00Z"))
            .unwrap());
        assert_eq!(
            (c.article(), c.meta.filed_by),
            (a.article(), FiledBy::Content)
        );
        // A reprint elsewhere, lightly edited: the same article, by a match.
        let reprint = story("Ferry service resumes", "The mayor spoke once more.");
        let (d, _) = new(archive
            .capture(
                &lock,
                page(
                    "https://reprint.example/ferry",
                    &reprint,
                    "2026-01-05T00:00:00Z",
                ),
            )
            .unwrap());
        assert_eq!(
            (d.article(), d.copy(), d.meta.filed_by),
            (a.article(), "reprint.example", FiledBy::Match)
        );
        // Refiled elsewhere, the URL's next capture follows it there.
        let to = Place {
            article: "ferry".into(),
            copy: "example.com".into(),
        };
        let refiled = archive
            .refile(
                &lock,
                &b,
                to,
                timefmt::parse("2026-01-06T00:00:00Z").unwrap(),
            )
            .unwrap();
        assert!(matches!(refiled, Refiled::New { .. }));
        let third = story("Ferry service resumes", "The mayor spoke at last.");
        let (e, _) = new(archive
            .capture(&lock, page(url, &third, "2026-01-07T00:00:00Z"))
            .unwrap());
        assert_eq!((e.article(), e.meta.filed_by), ("ferry", FiledBy::Url));
        // Three new articles of one capture time: read back in the order recorded, whatever
        // their ids' order.
        let mut recorded = Vec::new();
        for n in ["one", "two", "three"] {
            let text = story(&format!("Story {n} of the day"), n);
            let text = text
                .replace("harbour", n)
                .replace("ferry", n)
                .replace("bridge", n);
            let (c, _) = new(archive
                .capture(
                    &lock,
                    page(
                        &format!("https://news.example/{n}"),
                        &text,
                        "2026-02-01T00:00:00Z",
                    ),
                )
                .unwrap());
            assert_eq!(c.meta.filed_by, FiledBy::Title, "{n}");
            recorded.push(c.id().to_string());
        }
        let mut by_id = recorded.clone();
        by_id.sort();
        assert_ne!(
            by_id, recorded,
            "the ids' order is the order recorded: this proves nothing"
        );
        let read: Vec<String> = archive
            .captures()
            .unwrap()
            .iter()
            .filter(|c| c.meta.captured_at == "2026-02-01T00:00:00Z")
            .map(|c| c.id().to_string())
            .collect();
        assert_eq!(read, recorded);
        // Every capture was committed once, on a chain.
        let all = archive.captures().unwrap();
        assert_eq!(all.len(), 8);
        assert!(all.iter().any(|c| c.refiled.is_some() && c.id() == b.id()));
    }
}
