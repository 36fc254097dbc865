//! The seam between prov and git: the few operations the archive needs, in terms of paths and bytes.
//!
//! Everything prov knows about git (git2, trees, the index, refs) stays in this file, so the
//! rest of the archive speaks of captures, not of blobs and trees.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::pack;
use super::store::{NewFile, Store, StoreError, StoreId};
use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository, RepositoryState, Signature, Time};

/// The identity commits are made with when git's configuration names no one.
pub const FALLBACK_NAME: &str = "prov";
pub const FALLBACK_EMAIL: &str = "prov@localhost";

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
    #[error("git's index is locked by another git process ({0} exists); try again when it is done")]
    IndexLocked(PathBuf),
    #[error("the repository's HEAD is detached; check out a branch first")]
    Detached,
    #[error("a {0} is in progress in the repository; finish or abort it first")]
    Busy(&'static str),
    #[error("the repository's index has conflicts; resolve them first")]
    Conflicts,
    #[error("the repository has no work tree")]
    Bare,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the branch moved while prov was committing")]
    Moved,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GitError + '_ {
    move |source| GitError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write a file under the temporary name `tmp` with `write`, then rename it to `to`. When
/// writing or renaming fails (a full disk), the temporary file is removed: a failed run
/// leaves no half-written or empty file among git's objects.
fn write_aside(
    tmp: &Path,
    to: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), GitError> {
    let written = std::fs::File::create(tmp)
        .and_then(|mut f| write(&mut f))
        .map_err(io(tmp))
        .and_then(|()| std::fs::rename(tmp, to).map_err(io(to)));
    if written.is_err() {
        // Best effort: the error that matters is the write's.
        let _ = std::fs::remove_file(tmp);
    }
    written
}

/// The sparse-checkout pattern (git's own, in `.git/info/sparse-checkout`) that keeps the
/// captures' raw files in git alone: `/*` takes everything, this line leaves them out.
pub const SPARSE_RAW: &str = "!/snapshots/*/*/*/raw.*";

const SNAPSHOTS_NAME: &str = "snapshots";
const SNAPSHOTS_DIR: &str = "snapshots/";

/// Whether `path` is a capture's raw file: `snapshots/<article>/<copy>/<capture>/raw.*`.
pub fn is_raw_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 5 && parts[0] == "snapshots" && parts[4].starts_with("raw.")
}

/// A commit as the history walk finds it: its parents and its `Prov-Capture` trailer.
#[derive(Debug, Clone)]
pub struct Walked {
    pub id: StoreId,
    pub parents: Vec<StoreId>,
    pub capture: Option<String>,
}

/// A file committed in bulk, for the index: its path, blob id and size, and whether it was
/// written to the work tree.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: String,
    pub id: pack::Id,
    pub size: usize,
    pub in_work_tree: bool,
}

pub struct Git {
    repo: Repository,
    workdir: PathBuf,
    /// The last `snapshots/` tree read by path: its id and its entries by name. That tree
    /// lists every article, so it grows with the archive, and libgit2 keeps no tree over
    /// 4 KB in its object cache: without this, every file read by path would read, hash
    /// and parse it again.
    snapshots: std::sync::Mutex<Option<Listing>>,
}

/// A tree's id and its folders by name.
type Listing = (Oid, std::collections::HashMap<Vec<u8>, Oid>);

impl std::fmt::Debug for Git {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Git")
            .field("workdir", &self.workdir)
            .finish()
    }
}

impl Git {
    /// Open the repository whose work tree is exactly `root`.
    pub fn open(root: &Path) -> Result<Git, GitError> {
        let repo = Repository::open(root)?;
        let workdir = repo.workdir().ok_or(GitError::Bare)?.to_path_buf();
        Ok(Git::with(repo, workdir))
    }

    /// The repository whose work tree holds `dir`, if any (like git finds one).
    pub fn discover(dir: &Path) -> Result<Option<Git>, GitError> {
        match Repository::discover(dir) {
            Ok(repo) => {
                let workdir = repo.workdir().ok_or(GitError::Bare)?.to_path_buf();
                Ok(Some(Git::with(repo, workdir)))
            }
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Create a repository at `root`, on git's configured default branch or `main`.
    pub fn init(root: &Path) -> Result<Git, GitError> {
        let branch = git2::Config::open_default()
            .and_then(|c| c.get_string("init.defaultBranch"))
            .unwrap_or_else(|_| "main".to_string());
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head(&branch);
        let repo = Repository::init_opts(root, &opts)?;
        let workdir = repo.workdir().ok_or(GitError::Bare)?.to_path_buf();
        Ok(Git::with(repo, workdir))
    }

    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The `.git` directory, where derived data (locks, caches) lives.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// Whether git's `index.lock` exists (a git at work, or one killed).
    pub fn index_lock_exists(&self) -> bool {
        self.repo.path().join("index.lock").exists()
    }

    /// Refuse states in which committing would surprise the user.
    pub fn check_writable(&self) -> Result<(), GitError> {
        if self.repo.head_detached()? {
            return Err(GitError::Detached);
        }
        match self.repo.state() {
            RepositoryState::Clean => {}
            RepositoryState::Merge => return Err(GitError::Busy("merge")),
            RepositoryState::Revert | RepositoryState::RevertSequence => {
                return Err(GitError::Busy("revert"));
            }
            RepositoryState::CherryPick | RepositoryState::CherryPickSequence => {
                return Err(GitError::Busy("cherry-pick"));
            }
            RepositoryState::Bisect => return Err(GitError::Busy("bisect")),
            RepositoryState::ApplyMailbox => return Err(GitError::Busy("git am")),
            RepositoryState::ApplyMailboxOrRebase => {
                return Err(GitError::Busy("git am or rebase"));
            }
            RepositoryState::Rebase
            | RepositoryState::RebaseInteractive
            | RepositoryState::RebaseMerge => return Err(GitError::Busy("rebase")),
        }
        if self.repo.index()?.has_conflicts() {
            return Err(GitError::Conflicts);
        }
        Ok(())
    }

    /// The commit HEAD points to, if the branch has one.
    fn head_oid(&self) -> Result<Option<Oid>, GitError> {
        match self.repo.head() {
            Ok(r) => Ok(r.target()),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    fn head_tree(&self) -> Result<Option<git2::Tree<'_>>, GitError> {
        match self.head_oid()? {
            Some(id) => Ok(Some(self.repo.find_commit(id)?.tree()?)),
            None => Ok(None),
        }
    }

    fn with(repo: Repository, workdir: PathBuf) -> Git {
        Git {
            repo,
            workdir,
            snapshots: std::sync::Mutex::new(None),
        }
    }

    /// The bytes of a file in HEAD's tree.
    fn read_head(&self, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let Some(tree) = self.head_tree()? else {
            return Ok(None);
        };
        // Under snapshots/, the article's tree is found through the remembered listing.
        let (tree, rest) = match path
            .strip_prefix(SNAPSHOTS_DIR)
            .and_then(|r| r.split_once('/'))
        {
            Some((article, rest)) => match tree.get_name(SNAPSHOTS_NAME) {
                Some(e) if e.kind() == Some(ObjectType::Tree) => {
                    match self.snapshots_entry(e.id(), article.as_bytes())? {
                        Some(id) => (self.repo.find_tree(id)?, rest),
                        None => return Ok(None),
                    }
                }
                _ => return Ok(None),
            },
            None => (tree, path),
        };
        let entry = match tree.get_path(Path::new(rest)) {
            Ok(e) => e,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let blob = self.repo.find_blob(entry.id())?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The id of the folder `name` in the `snapshots/` tree `tree`, through the listing
    /// remembered for that tree (read once per tree id).
    fn snapshots_entry(&self, tree: Oid, name: &[u8]) -> Result<Option<Oid>, GitError> {
        let mut cache = self
            .snapshots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.as_ref().is_none_or(|(id, _)| *id != tree) {
            let listing = self
                .repo
                .find_tree(tree)?
                .iter()
                .filter(|e| e.kind() == Some(ObjectType::Tree))
                .map(|e| (e.name_bytes().to_vec(), e.id()))
                .collect();
            *cache = Some((tree, listing));
        }
        Ok(cache.as_ref().and_then(|(_, m)| m.get(name).copied()))
    }

    /// The identity commits are made as, `Name <email>`.
    pub fn identity(&self) -> Result<String, GitError> {
        let (name, email) = self.name_and_email()?;
        Ok(format!("{name} <{email}>"))
    }

    /// The identity to commit as: git's configuration, else prov's own.
    fn signature(&self, seconds: i64) -> Result<Signature<'static>, GitError> {
        let config = self.repo.config()?;
        let name = config
            .get_string("user.name")
            .unwrap_or_else(|_| FALLBACK_NAME.into());
        let email = config
            .get_string("user.email")
            .unwrap_or_else(|_| FALLBACK_EMAIL.into());
        Ok(Signature::new(&name, &email, &Time::new(seconds, 0))?)
    }

    /// Commit `files` on the current branch: the new tree is HEAD's tree plus these files
    /// (never the index's tree, which would sweep in the user's staged changes). The branch's
    /// ref update is the commit point; it fails with [`GitError::Moved`] if the branch moved
    /// since `expected_head` was read. Then the work tree and the index are brought up to
    /// date for these paths alone.
    fn commit_files(
        &self,
        files: &[NewFile],
        message: &str,
        seconds: i64,
        expected_head: Option<Oid>,
    ) -> Result<Oid, GitError> {
        if self.head_oid()? != expected_head {
            return Err(GitError::Moved);
        }
        let parent = expected_head
            .map(|id| self.repo.find_commit(id))
            .transpose()?;
        let tree_id = match &parent {
            Some(c) => {
                let mut update = git2::build::TreeUpdateBuilder::new();
                for f in files {
                    let blob = self.repo.blob(&f.bytes)?;
                    update.upsert(f.path.as_str(), blob, FileMode::Blob);
                }
                update.create_updated(&self.repo, &c.tree()?)?
            }
            // A first commit: an in-memory index builds the tree without writing an empty
            // tree that would be left dangling.
            None => {
                let mut index = git2::Index::new()?;
                for f in files {
                    let blob = self.repo.blob(&f.bytes)?;
                    index.add(&index_entry(&f.path, blob, f.bytes.len()))?;
                }
                index.write_tree_to(&self.repo)?
            }
        };
        let tree = self.repo.find_tree(tree_id)?;
        // Git's index lock is taken before the commit point and held until the work tree and
        // the index agree with the new HEAD: a git run meanwhile (or after a kill, until prov
        // clears the lock) refuses to touch the index rather than see a capture half-made.
        let hold = self.hold_index()?;
        super::crash_point("before-commit");
        let sig = self.signature(seconds)?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = match self
            .repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        {
            Ok(id) => id,
            // libgit2 compares the parent with the branch tip: a free compare-and-swap.
            Err(e) if e.code() == ErrorCode::Modified => return Err(GitError::Moved),
            Err(e) => return Err(e.into()),
        };
        super::crash_point("after-commit");
        self.sync_paths_held(&hold, files.iter().map(|f| f.path.as_str()))?;
        Ok(id)
    }

    /// Whether git's sparse checkout keeps raw files out of the work tree: `core.sparseCheckout`
    /// on and [`SPARSE_RAW`] among the patterns. libgit2 does not apply sparse checkout itself,
    /// so prov honours this one pattern where it writes the work tree; git honours it all.
    pub fn sparse_raw(&self) -> bool {
        let on = self
            .repo
            .config()
            .and_then(|c| c.get_bool("core.sparseCheckout"))
            .unwrap_or(false);
        on && std::fs::read_to_string(self.sparse_file())
            .is_ok_and(|s| s.lines().any(|l| l.trim() == SPARSE_RAW))
    }

    fn sparse_file(&self) -> PathBuf {
        self.repo.path().join("info").join("sparse-checkout")
    }

    /// Turn on git's sparse checkout with [`SPARSE_RAW`] (non-cone mode, which takes
    /// gitignore-style patterns), then take the raw files HEAD has out of the work tree.
    pub fn make_sparse(&self) -> Result<(), GitError> {
        let file = self.sparse_file();
        let mut patterns = std::fs::read_to_string(&file).unwrap_or_default();
        if patterns.trim().is_empty() {
            patterns = "/*\n".into();
        }
        if !patterns.lines().any(|l| l.trim() == SPARSE_RAW) {
            if !patterns.ends_with('\n') {
                patterns.push('\n');
            }
            patterns.push_str(SPARSE_RAW);
            patterns.push('\n');
        }
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&file, patterns).map_err(io(&file))?;
        let mut config = self.repo.config()?.open_level(git2::ConfigLevel::Local)?;
        config.set_bool("core.sparseCheckout", true)?;
        config.set_bool("core.sparseCheckoutCone", false)?;
        let raw: Vec<String> = self
            .blobs_under(None, "snapshots")?
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| is_raw_file(p))
            .collect();
        self.sync_paths(raw.iter().map(String::as_str))
    }

    /// Make the work tree and the index agree with HEAD for these paths alone: write what HEAD
    /// has, remove what it has not. In a sparse archive a raw file is kept in git alone: its
    /// index entry is marked skip-worktree, as git's own sparse checkout marks it. Done while
    /// holding git's `index.lock`, so that no git sees the work tree half-written.
    pub fn sync_paths<'a>(&self, paths: impl IntoIterator<Item = &'a str>) -> Result<(), GitError> {
        let hold = self.hold_index()?;
        self.sync_paths_held(&hold, paths)
    }

    /// [`Git::sync_paths`] under a hold of the index taken by the caller.
    fn sync_paths_held<'a>(
        &self,
        hold: &IndexHold,
        paths: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), GitError> {
        let sparse = self.sparse_raw();
        self.rewrite_index(hold, |index| {
            for path in paths {
                let full = self.workdir.join(path);
                match self.read_head(path)? {
                    Some(bytes) if sparse && is_raw_file(path) => {
                        match std::fs::remove_file(&full) {
                            Ok(()) => remove_empty_parents(&self.workdir, &full),
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => return Err(io(&full)(e)),
                        }
                        let id = Oid::hash_object(ObjectType::Blob, &bytes)?;
                        let mut entry = index_entry(path, id, bytes.len());
                        entry.flags_extended |= git2::IndexEntryExtendedFlag::SKIP_WORKTREE.bits();
                        index.add(&entry)?;
                    }
                    Some(bytes) => {
                        if let Some(dir) = full.parent() {
                            std::fs::create_dir_all(dir).map_err(io(dir))?;
                        }
                        std::fs::write(&full, &bytes).map_err(io(&full))?;
                        super::crash_point("mid-worktree");
                        let id = Oid::hash_object(ObjectType::Blob, &bytes)?;
                        index.add(&stat_entry(path, id, bytes.len(), &full)?)?;
                    }
                    None => {
                        match std::fs::remove_file(&full) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => return Err(io(&full)(e)),
                        }
                        let _ = index.remove_path(Path::new(path));
                        remove_empty_parents(&self.workdir, &full);
                    }
                }
            }
            Ok(())
        })
    }

    /// Where prov names the process holding git's index lock, for as long as it holds it: the
    /// evidence that lets a later run tell an `index.lock` left by a killed prov from a live
    /// git's.
    fn index_writer_path(&self) -> PathBuf {
        self.repo.path().join("prov").join("index-writer")
    }

    /// Take git's index lock as git does (`index.lock` created exclusively), this process
    /// named as its holder first; a stale lock of a killed prov is cleared first. While it
    /// is held, git will not read-modify-write the index (`git add`, `git commit` refuse), so
    /// work-tree files written under it are never swept into a user's commit half-made.
    pub fn hold_index(&self) -> Result<IndexHold, GitError> {
        let marker = self.index_writer_path();
        if let Some(dir) = marker.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let lock = self.repo.path().join("index.lock");
        // A lock that is not a killed prov's is left alone, and so is the name of its holder:
        // a git at work (a user's `git commit` beside a capture) is waited for a while.
        let mut waits = 0;
        while lock.exists() && !self.clear_stale_index_lock() {
            if waits == INDEX_LOCK_WAITS {
                return Err(GitError::IndexLocked(lock));
            }
            waits += 1;
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        std::fs::write(&marker, format!("{}\n", std::process::id())).map_err(io(&marker))?;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&marker);
                return Err(GitError::IndexLocked(lock));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&marker);
                return Err(io(&lock)(e));
            }
        }
        super::crash_point("index-locked");
        Ok(IndexHold { lock, marker })
    }

    /// Rewrite the index under a hold: the current index copied aside, `change`d there, and
    /// put in place by a rename (libgit2's own write would take the lock held here).
    fn rewrite_index(
        &self,
        _hold: &IndexHold,
        change: impl FnOnce(&mut git2::Index) -> Result<(), GitError>,
    ) -> Result<(), GitError> {
        let current = self.repo.path().join("index");
        let next = self.repo.path().join("prov").join("index.next");
        // Whatever a killed run left here is garbage: the hold says no one else writes it.
        let _ = std::fs::remove_file(&next);
        let _ = std::fs::remove_file(self.repo.path().join("prov").join("index.next.lock"));
        match std::fs::copy(&current, &next) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&current)(e)),
        }
        let mut index = git2::Index::open(&next)?;
        change(&mut index)?;
        index.write()?;
        std::fs::rename(&next, &current).map_err(io(&current))?;
        Ok(())
    }

    /// Remove an `index.lock` that a killed prov left, so that it does not lock the archive
    /// up; never a live git's. The lock is prov's and stale only when all of these hold:
    /// prov named itself as the index's writer and that process is gone; the lock was made
    /// within seconds of that naming (a git run later made its own); and no process has the
    /// lock file open (git and libgit2 keep it open while they hold it). Where `/proc` cannot
    /// tell, nothing is removed. Returns whether a lock was removed.
    pub fn clear_stale_index_lock(&self) -> bool {
        let marker = self.index_writer_path();
        let Ok(text) = std::fs::read_to_string(&marker) else {
            return false;
        };
        let Ok(pid) = text.trim().parse::<u32>() else {
            let _ = std::fs::remove_file(&marker);
            return false;
        };
        let proc = Path::new("/proc");
        if !proc.join("self").exists() || proc.join(pid.to_string()).exists() {
            // No way to tell, or the writer is alive (or its pid taken by another process).
            return false;
        }
        let lock = self.repo.path().join("index.lock");
        let (Ok(lock_meta), Ok(marker_meta)) =
            (std::fs::metadata(&lock), std::fs::metadata(&marker))
        else {
            // The writer died without holding the lock: only its name is left.
            if !lock.exists() {
                let _ = std::fs::remove_file(&marker);
            }
            return false;
        };
        let near = match (lock_meta.modified(), marker_meta.modified()) {
            (Ok(l), Ok(m)) => match l.duration_since(m) {
                Ok(after) => after <= std::time::Duration::from_secs(5),
                Err(before) => before.duration() <= std::time::Duration::from_secs(1),
            },
            _ => false,
        };
        if !near || lock_is_open(&lock) {
            return false;
        }
        let removed = std::fs::remove_file(&lock).is_ok();
        if removed {
            self.clear_stale_branch_lock(&marker_meta);
        }
        let _ = std::fs::remove_file(&marker);
        removed
    }

    /// With a killed prov's index lock: the lock of the branch HEAD names, when that prov was
    /// killed inside the ref update, which it makes only while it holds the index (a commit,
    /// a chunk's move of the branch). Left, it would refuse every later capture ("failed to
    /// lock file ... for writing"). Removed only when made after prov named itself the
    /// index's writer and no process has it open, as for the index lock.
    fn clear_stale_branch_lock(&self, marker_meta: &std::fs::Metadata) {
        let Ok(head) = self.repo.find_reference("HEAD") else {
            return;
        };
        let Ok(Some(branch)) = head.symbolic_target() else {
            return;
        };
        let lock = self.repo.path().join(format!("{branch}.lock"));
        let Ok(lock_meta) = std::fs::metadata(&lock) else {
            return;
        };
        let after_marker = match (lock_meta.modified(), marker_meta.modified()) {
            (Ok(l), Ok(m)) => match l.duration_since(m) {
                Ok(_) => true,
                Err(before) => before.duration() <= std::time::Duration::from_secs(1),
            },
            _ => false,
        };
        if after_marker && !lock_is_open(&lock) {
            let _ = std::fs::remove_file(&lock);
        }
    }

    /// Every blob under `prefix` in the tree of `commit` (HEAD when `None`), with its path, in path order.
    pub fn blobs_under(
        &self,
        commit: Option<StoreId>,
        prefix: &str,
    ) -> Result<Vec<(String, StoreId)>, GitError> {
        let tree = match commit {
            Some(id) => self.repo.find_commit(oid(id)?)?.tree()?,
            None => match self.head_tree()? {
                Some(t) => t,
                None => return Ok(vec![]),
            },
        };
        let start = match tree.get_path(Path::new(prefix)) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => self.repo.find_tree(e.id())?,
            Ok(_) => return Ok(vec![]),
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(vec![]),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        let mut stack = vec![(start, prefix.to_string())];
        while let Some((tree, dir)) = stack.pop() {
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes()).into_owned();
                let path = format!("{dir}/{name}");
                match entry.kind() {
                    Some(ObjectType::Tree) => stack.push((self.repo.find_tree(entry.id())?, path)),
                    _ => out.push((path, sid(entry.id()))),
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The id of the tree at `prefix` in `commit`'s tree, if there is one.
    pub fn tree_at(&self, commit: StoreId, prefix: &str) -> Result<Option<StoreId>, GitError> {
        let tree = self.repo.find_commit(oid(commit)?)?.tree()?;
        match tree.get_path(Path::new(prefix)) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(sid(e.id()))),
            Ok(_) => Ok(None),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The blobs that differ between two trees (each the tree at `prefix`): each path under
    /// `prefix` with its blob in `new`, or `None` where `new` no longer has it. Subtrees whose
    /// ids are equal are skipped unread, so the cost follows the change, not the archive.
    pub fn changed_blobs(
        &self,
        old: StoreId,
        new: Option<StoreId>,
        prefix: &str,
    ) -> Result<Vec<(String, Option<StoreId>)>, GitError> {
        let old = self.repo.find_tree(oid(old)?)?;
        let new = match new {
            Some(id) => Some(self.repo.find_tree(oid(id)?)?),
            None => None,
        };
        let mut out = Vec::new();
        self.diff_trees(Some(&old), new.as_ref(), prefix, &mut out)?;
        out.sort();
        Ok(out)
    }

    /// What a commit changes in the record (`snapshots/` and `refiles/`): each path with its
    /// new blob, or `None` where it is removed, against its first parent (against nothing
    /// for a root commit). Of a merge's changes, only those none of its other parents has:
    /// what the merge itself brought. `prefixes` picks the folders to read.
    pub fn record_changes(
        &self,
        id: StoreId,
        prefixes: &[&str],
    ) -> Result<Vec<(String, Option<StoreId>)>, GitError> {
        let commit = self.repo.find_commit(oid(id)?)?;
        let tree = commit.tree()?;
        let parents: Vec<git2::Tree<'_>> = commit
            .parents()
            .map(|p| p.tree())
            .collect::<Result<_, _>>()?;
        let subtree =
            |t: &git2::Tree<'_>, prefix: &str| -> Result<Option<git2::Tree<'_>>, GitError> {
                match t.get_path(Path::new(prefix)) {
                    Ok(e) if e.kind() == Some(ObjectType::Tree) => {
                        Ok(Some(self.repo.find_tree(e.id())?))
                    }
                    Ok(_) => Ok(None),
                    Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
                    Err(e) => Err(e.into()),
                }
            };
        let mut out = Vec::new();
        for prefix in prefixes {
            let new = subtree(&tree, prefix)?;
            let old = match parents.first() {
                Some(p) => subtree(p, prefix)?,
                None => None,
            };
            if old.as_ref().map(git2::Tree::id) != new.as_ref().map(git2::Tree::id) {
                self.diff_trees(old.as_ref(), new.as_ref(), prefix, &mut out)?;
            }
        }
        if parents.len() > 1 {
            let blob_at = |t: &git2::Tree<'_>, path: &str| {
                t.get_path(Path::new(path)).ok().map(|e| sid(e.id()))
            };
            out.retain(|(path, id)| parents[1..].iter().all(|p| blob_at(p, path) != *id));
        }
        out.sort();
        Ok(out)
    }

    /// A commit's message (lossy where it is not UTF-8).
    pub fn message(&self, id: StoreId) -> Result<String, GitError> {
        let c = self.repo.find_commit(oid(id)?)?;
        Ok(String::from_utf8_lossy(c.message_bytes()).into_owned())
    }

    /// Whether this is a shallow clone (its history cut short).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The objects `git replace` has replaced (`refs/replace/*`): git shows the replacements,
    /// prov reads the objects as they are.
    pub fn replaced(&self) -> Vec<String> {
        self.repo
            .references_glob("refs/replace/*")
            .map(|refs| {
                refs.filter_map(Result::ok)
                    .filter_map(|r| {
                        r.name()
                            .map(|n| n.trim_start_matches("refs/replace/").to_string())
                            .ok()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The blobs that differ between two trees (either may be absent), into `out` as
    /// [`Git::changed_blobs`] gives them. Written here rather than through libgit2's
    /// tree-to-tree diff, which read every subtree of both sides, equal ones included: at
    /// 100,000 captures that took seconds for a diff of a few captures. Here a subtree whose
    /// id is the same on both sides is never read.
    fn diff_trees(
        &self,
        old: Option<&git2::Tree<'_>>,
        new: Option<&git2::Tree<'_>>,
        dir: &str,
        out: &mut Vec<(String, Option<StoreId>)>,
    ) -> Result<(), GitError> {
        type Side = Option<(Oid, bool)>;
        let mut names: BTreeMap<Vec<u8>, (Side, Side)> = BTreeMap::new();
        for (tree, is_new) in [(old, false), (new, true)] {
            for e in tree.into_iter().flat_map(git2::Tree::iter) {
                let side = Some((e.id(), e.kind() == Some(ObjectType::Tree)));
                let slot = names.entry(e.name_bytes().to_vec()).or_default();
                if is_new {
                    slot.1 = side;
                } else {
                    slot.0 = side;
                }
            }
        }
        for (name, (o, n)) in names {
            if o == n {
                continue;
            }
            let path = format!("{dir}/{}", String::from_utf8_lossy(&name));
            match (o, n) {
                (Some((o, true)), Some((n, true))) => {
                    let (o, n) = (self.repo.find_tree(o)?, self.repo.find_tree(n)?);
                    self.diff_trees(Some(&o), Some(&n), &path, out)?;
                }
                (Some((_, false)), Some((n, false))) => out.push((path, Some(sid(n)))),
                _ => {
                    match o {
                        Some((id, true)) => {
                            self.diff_trees(Some(&self.repo.find_tree(id)?), None, &path, out)?;
                        }
                        Some((_, false)) => out.push((path.clone(), None)),
                        None => {}
                    }
                    match n {
                        Some((id, true)) => {
                            self.diff_trees(None, Some(&self.repo.find_tree(id)?), &path, out)?;
                        }
                        Some((id, false)) => out.push((path, Some(sid(id)))),
                        None => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// The commits reachable from `head` but not from `since`, in the order of record (see
    /// [`Git::record_order`]), numbered on from `since`'s own commits: `None` when that order
    /// does not simply go on from `since`'s (it is not on `head`'s first-parent line: history
    /// was reset, rewritten, or merged into another line), and the caller must read it all.
    pub fn record_order_since(
        &self,
        head: StoreId,
        since: StoreId,
    ) -> Result<Option<Vec<Walked>>, GitError> {
        let (head, since) = (oid(head)?, oid(since)?);
        if !self.descends(since, head) || !self.on_first_parent_line(since, head) {
            return Ok(None);
        }
        let mut walk = self.repo.revwalk()?;
        walk.push(head)?;
        walk.hide(since)?;
        let fresh: std::collections::HashSet<StoreId> =
            walk.map(|id| id.map(sid)).collect::<Result<_, _>>()?;
        Ok(Some(
            self.walk_in_order(sid(head), |id| fresh.contains(&id)).0,
        ))
    }

    /// Whether `ancestor` is `of` or one of its first parents, or theirs, and so on.
    fn on_first_parent_line(&self, ancestor: Oid, of: Oid) -> bool {
        let mut at = of;
        loop {
            if at == ancestor {
                return true;
            }
            match self.repo.find_commit(at).and_then(|c| c.parent_id(0)) {
                Ok(p) => at = p,
                Err(_) => return false,
            }
        }
    }

    /// Every commit reachable from `head` in the order of record: parents before children,
    /// and of a merge's parents, the first one's history first (a depth-first walk, each
    /// commit after its parents, the first parent taken first). A function of the history
    /// alone, so every clone with this HEAD finds the same order, and a commit added on top
    /// of `head` comes after all of these. Also the commits that could not be read (corrupt,
    /// or missing from a shallow clone), which are left out with what only they lead to.
    pub fn record_order(&self, head: StoreId) -> (Vec<Walked>, Vec<StoreId>) {
        self.walk_in_order(head, |_| true)
    }

    /// [`Git::record_order`] of the commits `within` accepts.
    fn walk_in_order(
        &self,
        head: StoreId,
        within: impl Fn(StoreId) -> bool,
    ) -> (Vec<Walked>, Vec<StoreId>) {
        let mut out = Vec::new();
        let mut unreadable = Vec::new();
        let mut seen: std::collections::HashSet<StoreId> = std::collections::HashSet::new();
        // (commit, its parents, the next parent to visit)
        let mut stack: Vec<(Walked, usize)> = Vec::new();
        let open = |id: StoreId, unreadable: &mut Vec<StoreId>| -> Option<Walked> {
            match oid(id).and_then(|o| Ok(self.repo.find_commit(o)?)) {
                Ok(c) => Some(Walked {
                    id,
                    parents: c.parent_ids().map(sid).collect(),
                    capture: c.message().ok().and_then(|m| trailer(m, "Prov-Capture")),
                }),
                Err(_) => {
                    unreadable.push(id);
                    None
                }
            }
        };
        seen.insert(head);
        if within(head)
            && let Some(w) = open(head, &mut unreadable)
        {
            stack.push((w, 0));
        }
        while let Some((top, next)) = stack.last_mut() {
            if let Some(&p) = top.parents.get(*next) {
                *next += 1;
                if within(p)
                    && seen.insert(p)
                    && let Some(w) = open(p, &mut unreadable)
                {
                    stack.push((w, 0));
                }
                continue;
            }
            if let Some((done, _)) = stack.pop() {
                out.push(done);
            }
        }
        (out, unreadable)
    }

    /// The index's entries under `prefix` (read afresh from disk), with their blob ids, in path order.
    pub fn index_under(&self, prefix: &str) -> Result<Vec<(String, StoreId)>, GitError> {
        let mut index = self.repo.index()?;
        index.read(true)?;
        let dir = format!("{prefix}/");
        let mut out: Vec<(String, StoreId)> = index
            .iter()
            .map(|e| (String::from_utf8_lossy(&e.path).into_owned(), sid(e.id)))
            .filter(|(p, _)| p.starts_with(&dir))
            .collect();
        out.sort();
        Ok(out)
    }

    /// A blob's bytes; libgit2 checks the object's hash as it reads it (but see
    /// [`Git::unchecked_reads`]).
    fn blob_oid(&self, id: Oid) -> Result<Vec<u8>, GitError> {
        Ok(self.repo.find_blob(id)?.content().to_vec())
    }

    /// While the value lives, libgit2 reads objects without re-hashing them (SHA-1 with
    /// collision detection, slow), in the whole process: for reads whose bytes the caller
    /// checks itself against a stronger hash. Dropping it turns the check back on.
    pub fn unchecked_reads(&self) -> UncheckedReads {
        git2::opts::strict_hash_verification(false);
        UncheckedReads(())
    }

    /// Whether `ancestor` is `of` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: StoreId, of: StoreId) -> bool {
        match (oid(ancestor), oid(of)) {
            (Ok(a), Ok(o)) => self.descends(a, o),
            _ => false,
        }
    }

    fn descends(&self, ancestor: Oid, of: Oid) -> bool {
        ancestor == of || self.repo.graph_descendant_of(of, ancestor).unwrap_or(false)
    }

    /// Read every commit and tree reachable from HEAD, so a corrupt object is found; returns how many commits.
    pub fn check_history(&self) -> Result<usize, GitError> {
        let Some(head) = self.head_oid()? else {
            return Ok(0);
        };
        let mut walk = self.repo.revwalk()?;
        walk.push(head)?;
        let mut n = 0;
        for id in walk {
            let commit = self.repo.find_commit(id?)?;
            commit.tree()?;
            n += 1;
        }
        Ok(n)
    }

    /// The commits reachable from HEAD that carry a `Prov-Capture:` trailer, in the order of
    /// record: (capture id, commit id).
    pub fn capture_commits(&self) -> Result<Vec<(String, StoreId)>, GitError> {
        let Some(head) = self.head_oid()? else {
            return Ok(vec![]);
        };
        Ok(self
            .walk_in_order(sid(head), |_| true)
            .0
            .into_iter()
            .filter_map(|w| Some((w.capture?, w.id)))
            .collect())
    }

    /// Commits whose id starts with `prefix` (at least 4 hex digits), with their `Prov-Capture` trailer.
    pub fn commits_with_prefix(&self, prefix: &str) -> Vec<(StoreId, Option<String>)> {
        if prefix.len() < 4 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
            return vec![];
        }
        let prefix = prefix.to_ascii_lowercase();
        let capture_of =
            |c: &git2::Commit<'_>| c.message().ok().and_then(|m| trailer(m, "Prov-Capture"));
        match self
            .repo
            .revparse_single(&prefix)
            .and_then(|o| o.peel_to_commit())
        {
            Ok(c) if c.id().to_string().starts_with(&prefix) => {
                vec![(sid(c.id()), capture_of(&c))]
            }
            // An abbreviation that fits several objects: list the commits it fits, so the
            // error can name them.
            Err(e) if e.code() == ErrorCode::Ambiguous => {
                let Ok(Some(head)) = self.head_oid() else {
                    return vec![];
                };
                let Ok(mut walk) = self.repo.revwalk() else {
                    return vec![];
                };
                if walk.push(head).is_err() {
                    return vec![];
                }
                walk.filter_map(Result::ok)
                    .filter(|id| id.to_string().starts_with(&prefix))
                    .filter_map(|id| self.repo.find_commit(id).ok())
                    .map(|c| (sid(c.id()), capture_of(&c)))
                    .collect()
            }
            _ => vec![],
        }
    }
}

/// What bulk capture needs of git: the identity, trees by id, a pack put in place, the
/// branch moved once per chunk, and the index told about files already written.
impl Git {
    /// The name and email commits are made with.
    pub fn name_and_email(&self) -> Result<(String, String), GitError> {
        let config = self.repo.config()?;
        Ok((
            config
                .get_string("user.name")
                .unwrap_or_else(|_| FALLBACK_NAME.into()),
            config
                .get_string("user.email")
                .unwrap_or_else(|_| FALLBACK_EMAIL.into()),
        ))
    }

    /// The branch HEAD names (`refs/heads/...`).
    pub fn branch(&self) -> Result<String, GitError> {
        let head = self.repo.find_reference("HEAD")?;
        match head.symbolic_target()? {
            Some(name) => Ok(name.to_string()),
            None => Err(GitError::Detached),
        }
    }

    /// The commit HEAD points to, as a raw id.
    pub fn head_id(&self) -> Result<Option<pack::Id>, GitError> {
        Ok(self.head_oid()?.map(raw))
    }

    /// The id of a commit's tree.
    pub fn tree_of(&self, commit: &pack::Id) -> Result<pack::Id, GitError> {
        Ok(raw(self
            .repo
            .find_commit(Oid::from_bytes(commit)?)?
            .tree_id()))
    }

    /// A blob's bytes by raw id.
    pub fn blob_by_id(&self, id: &pack::Id) -> Result<Vec<u8>, GitError> {
        self.blob_oid(Oid::from_bytes(id)?)
    }

    /// A tree's entries, in git's order.
    pub fn tree_entries(&self, id: &pack::Id) -> Result<Vec<pack::Entry>, GitError> {
        let tree = self.repo.find_tree(Oid::from_bytes(id)?)?;
        Ok(tree
            .iter()
            .map(|e| pack::Entry {
                name: e.name_bytes().to_vec(),
                tree: e.kind() == Some(ObjectType::Tree),
                id: raw(e.id()),
            })
            .collect())
    }

    /// Put a finished pack among the repository's objects: written under temporary names,
    /// then renamed, the index last, since git finds a pack by its index.
    pub fn install_pack(&self, p: &pack::Pack) -> Result<(), GitError> {
        let dir = self.repo.path().join("objects").join("pack");
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let base = dir.join(format!("pack-{}", p.name));
        for (ext, bytes) in [("pack", &p.pack), ("idx", &p.idx)] {
            let tmp = dir.join(format!("tmp_prov_{}_{}.{ext}", std::process::id(), p.name));
            let to = base.with_extension(ext);
            write_aside(&tmp, &to, |f| f.write_all(bytes))?;
        }
        // libgit2 would also rescan on a miss; say so now.
        self.repo.odb()?.refresh()?;
        Ok(())
    }

    /// Move `branch` from `expected` to `new`: a compare-and-swap, the commit point of a chunk
    /// of captures. [`GitError::Moved`] if the branch is no longer at `expected`.
    pub fn move_branch(
        &self,
        branch: &str,
        expected: &pack::Id,
        new: &pack::Id,
        message: &str,
    ) -> Result<pack::Id, GitError> {
        let (to, from) = (Oid::from_bytes(new)?, Oid::from_bytes(expected)?);
        match self
            .repo
            .reference_matching(branch, to, true, from, message)
        {
            Ok(_) => Ok(*new),
            Err(e) if e.code() == ErrorCode::Modified => Err(GitError::Moved),
            Err(e) => Err(e.into()),
        }
    }

    /// Tell the index about files committed in bulk (see [`Written`]), then write it once.
    /// A file in the work tree has its stat data taken now, so git need not hash it again; a
    /// raw file a sparse archive keeps in git alone is marked skip-worktree, as git's own
    /// sparse checkout marks it.
    pub fn index_written(&self, hold: &IndexHold, files: &[Written]) -> Result<(), GitError> {
        self.rewrite_index(hold, |index| {
            for f in files {
                let mut e = index_entry(&f.path, Oid::from_bytes(&f.id)?, f.size);
                if !f.in_work_tree {
                    e.flags_extended |= git2::IndexEntryExtendedFlag::SKIP_WORKTREE.bits();
                    index.add(&e)?;
                    continue;
                }
                let full = self.workdir.join(&f.path);
                index.add(&stat_entry(
                    &f.path,
                    Oid::from_bytes(&f.id)?,
                    f.size,
                    &full,
                )?)?;
            }
            Ok(())
        })
    }
}

/// The archive's store in git: HEAD is the current branch, commits also bring the work tree
/// and git's index up to date for their paths (`Git::commit_files`).
impl Store for Git {
    fn head(&self) -> Result<Option<StoreId>, StoreError> {
        Ok(self.head_oid()?.map(sid))
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.read_head(path)?)
    }

    fn files_under(&self, prefix: &str) -> Result<Vec<(String, StoreId)>, StoreError> {
        Ok(self.blobs_under(None, prefix)?)
    }

    fn blob(&self, id: StoreId) -> Result<Vec<u8>, StoreError> {
        Ok(self.blob_oid(oid(id)?)?)
    }

    fn commit_of(&self, id: StoreId) -> Result<(String, Option<StoreId>), StoreError> {
        let c = self.repo.find_commit(oid(id)?).map_err(GitError::from)?;
        let message = String::from_utf8_lossy(c.message_bytes()).into_owned();
        Ok((message, c.parent_id(0).ok().map(sid)))
    }

    fn commit(
        &self,
        files: &[NewFile],
        message: &str,
        seconds: i64,
        parent: Option<StoreId>,
    ) -> Result<StoreId, StoreError> {
        let parent = parent.map(oid).transpose()?;
        Ok(sid(self.commit_files(files, message, seconds, parent)?))
    }
}

/// git2's id of a store id, and back: git2 stays in this file.
fn oid(id: StoreId) -> Result<Oid, GitError> {
    Ok(Oid::from_bytes(id.as_bytes())?)
}

fn sid(id: Oid) -> StoreId {
    StoreId::from_bytes(raw(id))
}

fn raw(id: Oid) -> pack::Id {
    let mut out = [0u8; 20];
    out.copy_from_slice(id.as_bytes());
    out
}

/// An index entry for a file just written to the work tree, with its stat data, so that git
/// need not hash it again.
fn stat_entry(path: &str, id: Oid, size: usize, full: &Path) -> Result<git2::IndexEntry, GitError> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(full).map_err(io(full))?;
    let time = |s: i64, ns: i64| {
        git2::IndexTime::new(
            i32::try_from(s).unwrap_or(0),
            u32::try_from(ns).unwrap_or(0),
        )
    };
    let mut e = index_entry(path, id, size);
    e.ctime = time(m.ctime(), m.ctime_nsec());
    e.mtime = time(m.mtime(), m.mtime_nsec());
    e.dev = m.dev() as u32;
    e.ino = m.ino() as u32;
    e.uid = m.uid();
    e.gid = m.gid();
    e.file_size = u32::try_from(m.size()).unwrap_or(u32::MAX);
    Ok(e)
}

/// How many tenths of a second prov waits for a git holding the index lock.
const INDEX_LOCK_WAITS: u32 = 50;

/// Git's index lock, held by this process (see [`Git::hold_index`]); released when dropped.
#[derive(Debug)]
pub struct IndexHold {
    lock: PathBuf,
    marker: PathBuf,
}

impl Drop for IndexHold {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.lock);
        let _ = std::fs::remove_file(&self.marker);
    }
}

fn index_entry(path: &str, id: Oid, size: usize) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: u32::try_from(size).unwrap_or(u32::MAX),
        id,
        flags: u16::try_from(path.len()).unwrap_or(0xfff).min(0xfff),
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// The value of a trailer in a commit message.
pub fn trailer(message: &str, key: &str) -> Option<String> {
    let trailers = git2::message_trailers_strs(message).ok()?;
    trailers
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.trim().to_string())
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// See [`Git::unchecked_reads`].
#[derive(Debug)]
pub struct UncheckedReads(());

impl Drop for UncheckedReads {
    fn drop(&mut self) {
        git2::opts::strict_hash_verification(true);
    }
}

/// Whether any process has `path` open, read from `/proc/*/fd` (processes of other users
/// cannot be read; a git working on this repository runs as its owner). True when `/proc`
/// cannot be listed: then the lock is not prov's to remove.
fn lock_is_open(path: &Path) -> bool {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return true;
    };
    let target = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    for p in procs.filter_map(Result::ok) {
        if !p
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else {
            continue;
        };
        for fd in fds.filter_map(Result::ok) {
            if std::fs::read_link(fd.path()).is_ok_and(|l| l == target || l == path) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Issue 21: a disk that fills while a pack is written leaves no temporary pack behind
    /// (it left a 0-byte `tmp_prov_*.pack` in `.git/objects/pack`), and nothing in its place.
    #[test]
    fn a_pack_that_cannot_be_written_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let (tmp, to) = (
            dir.path().join("tmp_prov_1_x.pack"),
            dir.path().join("pack-x.pack"),
        );
        for written in [0, 7] {
            let e = write_aside(&tmp, &to, |f| {
                f.write_all(&b"PACK\0\0\0\x02"[..written])?;
                Err(std::io::Error::from(std::io::ErrorKind::StorageFull))
            })
            .unwrap_err();
            assert!(e.to_string().contains("tmp_prov_1_x.pack"), "{e}");
            assert!(!tmp.exists() && !to.exists());
        }
        // A rename that fails (its target a folder) leaves no temporary file either.
        std::fs::create_dir(&to).unwrap();
        assert!(write_aside(&tmp, &to, |f| f.write_all(b"PACK")).is_err());
        assert!(!tmp.exists());
        std::fs::remove_dir(&to).unwrap();
        write_aside(&tmp, &to, |f| f.write_all(b"PACK")).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"PACK");
        assert!(!tmp.exists());
    }

    /// A tree of `files` (path → content) written into `repo`.
    fn tree_of(repo: &Repository, files: &[(&str, &str)]) -> StoreId {
        let mut index = git2::Index::new().unwrap();
        for (path, content) in files {
            let id = repo.blob(content.as_bytes()).unwrap();
            index.add(&index_entry(path, id, content.len())).unwrap();
        }
        sid(index.write_tree_to(repo).unwrap())
    }

    /// Every blob under a tree by path: what a diff must account for.
    fn all_blobs(repo: &Repository, tree: StoreId) -> BTreeMap<String, StoreId> {
        let mut out = BTreeMap::new();
        repo.find_tree(oid(tree).unwrap())
            .unwrap()
            .walk(git2::TreeWalkMode::PreOrder, |dir, e| {
                if e.kind() == Some(ObjectType::Blob) {
                    out.insert(format!("s/{dir}{}", e.name().unwrap()), sid(e.id()));
                }
                git2::TreeWalkResult::Ok
            })
            .unwrap();
        out
    }

    /// A commit of `tree` on `parents`, with a capture trailer when `capture` is given.
    fn commit_on(repo: &Repository, parents: &[StoreId], capture: Option<&str>) -> StoreId {
        let tree = repo
            .find_tree(oid(tree_of(repo, &[("f", "x")])).unwrap())
            .unwrap();
        let sig = Signature::new("t", "t@x", &Time::new(0, 0)).unwrap();
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| repo.find_commit(oid(*p).unwrap()).unwrap())
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let message = match capture {
            Some(c) => format!("Capture {c}\n\nProv-Capture: {c}\n"),
            None => "Something else\n".to_string(),
        };
        sid(repo
            .commit(None, &sig, &sig, &message, &tree, &parents)
            .unwrap())
    }

    /// Two clones that recorded independently, merged: each commit after its parents, the
    /// first parent's line first; what is added on top of a commit on the first-parent line
    /// comes after all of its order, and is found alone from it.
    #[test]
    fn the_order_of_record_puts_parents_first_and_goes_on_along_the_first_parent_line() {
        let dir = tempfile::tempdir().unwrap();
        let git = Git::init(dir.path()).unwrap();
        let repo = &git.repo;
        let root = commit_on(repo, &[], None);
        let a1 = commit_on(repo, &[root], Some("a1"));
        let a2 = commit_on(repo, &[a1], Some("a2"));
        let b1 = commit_on(repo, &[root], Some("b1"));
        let b2 = commit_on(repo, &[b1], Some("b2"));
        let merged = commit_on(repo, &[a2, b2], None);
        let on_top = commit_on(repo, &[merged], Some("c1"));
        let ids = |w: &[Walked]| w.iter().map(|w| w.id).collect::<Vec<_>>();
        let (order, unreadable) = git.record_order(on_top);
        assert!(unreadable.is_empty());
        assert_eq!(ids(&order), [root, a1, a2, b1, b2, merged, on_top]);
        // The other clone merged the other way round: another history, another order.
        let other_way = commit_on(repo, &[b2, a2], None);
        assert_eq!(
            ids(&git.record_order(other_way).0),
            [root, b1, b2, a1, a2, other_way]
        );
        // Going on from a commit on the first-parent line: only what was added, in order.
        let before = git.record_order(a2).0.len();
        let since = git.record_order_since(on_top, a2).unwrap().unwrap();
        assert_eq!(ids(&since), ids(&order[before..]));
        // Not on the first-parent line (b2 came in as a second parent): read it all.
        assert!(git.record_order_since(on_top, b2).unwrap().is_none());
        assert!(
            git.record_order_since(a2, b2).unwrap().is_none(),
            "not an ancestor"
        );
        let captures: Vec<Option<String>> = order.iter().map(|w| w.capture.clone()).collect();
        assert_eq!(captures[1].as_deref(), Some("a1"));
        assert_eq!(captures[5], None);
    }

    #[test]
    fn changed_blobs_are_those_a_full_comparison_finds() {
        let dir = tempfile::tempdir().unwrap();
        let git = Git::init(dir.path()).unwrap();
        let repo = &git.repo;
        let base: &[(&str, &str)] = &[
            ("a/x/1/meta.json", "1"),
            ("a/x/2/meta.json", "2"),
            ("b/y/3/meta.json", "3"),
            ("c/z/4/meta.json", "4"),
            ("d", "a file that becomes a folder"),
            ("e/f", "a folder that becomes a file"),
        ];
        let next: &[(&str, &str)] = &[
            ("a/x/1/meta.json", "1"),
            ("a/x/2/meta.json", "2 changed"),
            ("a/x/5/meta.json", "5 added"),
            ("c/z/4/meta.json", "4"),
            ("d/g", "now a folder"),
            ("e", "now a file"),
            ("h/i/6/meta.json", "6 added with its folders"),
        ];
        let (old, new) = (tree_of(repo, base), tree_of(repo, next));
        let (before, after) = (all_blobs(repo, old), all_blobs(repo, new));
        let mut expected: Vec<(String, Option<StoreId>)> = Vec::new();
        for (path, id) in &before {
            match after.get(path) {
                Some(now) if now == id => {}
                Some(now) => expected.push((path.clone(), Some(*now))),
                None => expected.push((path.clone(), None)),
            }
        }
        for (path, id) in &after {
            if !before.contains_key(path) {
                expected.push((path.clone(), Some(*id)));
            }
        }
        expected.sort();
        assert_eq!(git.changed_blobs(old, Some(new), "s").unwrap(), expected);
        let gone: Vec<(String, Option<StoreId>)> =
            before.keys().map(|p| (p.clone(), None)).collect();
        assert_eq!(git.changed_blobs(old, None, "s").unwrap(), gone);
        assert!(git.changed_blobs(new, Some(new), "s").unwrap().is_empty());
    }
}
