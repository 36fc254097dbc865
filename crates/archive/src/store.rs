//! The store: where captures are kept, as the rest of the archive sees it (jj's backend seam).
//!
//! A [`Store`] holds files by path in a line of commits: it reads a file or every file under
//! a folder at HEAD, reads a blob by id, and commits files on top of a given HEAD (a
//! compare-and-swap). That is all that reading captures, filing and recording one capture
//! ask of it ([`super::Archive::captures`], [`super::Archive::capture`], refiles, reports).
//! Ids are [`StoreId`]s, never git2's types: [`super::git::Git`] is the store of every real
//! archive, [`MemStore`] an in-memory one for tests, giving the ids git would (blobs, trees
//! and commits hashed as git hashes them).
//!
//! What is git's alone stays on [`super::git::Git`] and is not part of the trait: the order
//! of record and tree diffs (the capture index), the work tree, git's index and its lock
//! (recovery), verify's reading of history, and bulk runs' packs.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::chain;
use super::git::{self, GitError};
use super::pack;

/// An object's id in the store: a commit, a tree or a blob (git's SHA-1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreId(pack::Id);

impl StoreId {
    pub fn from_bytes(bytes: pack::Id) -> StoreId {
        StoreId(bytes)
    }

    pub fn as_bytes(&self) -> &pack::Id {
        &self.0
    }

    /// The id git gives a blob of these bytes.
    pub fn of_blob(bytes: &[u8]) -> StoreId {
        StoreId(pack::object_id(pack::Kind::Blob, bytes))
    }
}

impl std::fmt::Display for StoreId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&pack::hex(&self.0))
    }
}

impl std::fmt::Debug for StoreId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoreId({self})")
    }
}

/// Not 40 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId;

impl std::str::FromStr for StoreId {
    type Err = BadId;

    /// Exactly 40 hex digits (either case): derived files naming an id are read back by
    /// this, and anything else in them is damage, not an abbreviation.
    fn from_str(s: &str) -> Result<StoreId, BadId> {
        let b = s.as_bytes();
        if b.len() != 40 {
            return Err(BadId);
        }
        let digit = |c: u8| (c as char).to_digit(16).ok_or(BadId);
        let mut out = [0u8; 20];
        for (i, pair) in b.chunks_exact(2).enumerate() {
            out[i] = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        Ok(StoreId(out))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The branch is no longer at the HEAD a commit was made on: read again and retry.
    #[error("the branch moved while prov was committing")]
    Moved,
    #[error("object {0} is not in the archive")]
    Unknown(StoreId),
    #[error(transparent)]
    Git(GitError),
}

impl From<GitError> for StoreError {
    fn from(e: GitError) -> StoreError {
        match e {
            GitError::Moved => StoreError::Moved,
            e => StoreError::Git(e),
        }
    }
}

/// A file to commit: its path relative to the work tree (with `/`) and its bytes.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What the archive asks of the place captures are kept. Paths use `/`; "at HEAD" is the
/// commit the branch is at.
pub trait Store {
    /// The commit the branch is at, if it has one.
    fn head(&self) -> Result<Option<StoreId>, StoreError>;

    /// A file's bytes at HEAD.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Every file under the folder `prefix` at HEAD, with its blob id, in path order.
    fn files_under(&self, prefix: &str) -> Result<Vec<(String, StoreId)>, StoreError>;

    /// A blob's bytes.
    fn blob(&self, id: StoreId) -> Result<Vec<u8>, StoreError>;

    /// A commit's message and first parent.
    fn commit_of(&self, id: StoreId) -> Result<(String, Option<StoreId>), StoreError>;

    /// Commit `files` on top of `parent`: HEAD's files plus these. The commit point is the
    /// branch moving from `parent` to the new commit; [`StoreError::Moved`] when the branch
    /// is no longer at `parent`.
    fn commit(
        &self,
        files: &[NewFile],
        message: &str,
        seconds: i64,
        parent: Option<StoreId>,
    ) -> Result<StoreId, StoreError>;

    /// The chain link in force at `from` (see [`chain`]): the `Prov-Chain` of `from` or of
    /// its nearest first parent that has one; none before the first prov commit with one.
    fn chain_tip(&self, from: Option<StoreId>) -> Result<Option<String>, StoreError> {
        let mut at = from;
        while let Some(id) = at {
            let (message, parent) = self.commit_of(id)?;
            if let Some(link) = git::trailer(&message, chain::CHAIN) {
                return Ok(Some(link));
            }
            at = parent;
        }
        Ok(None)
    }

    /// The trailers that chain a commit of `files` on top of `head` (see [`chain`]).
    fn chain_trailers(
        &self,
        head: Option<StoreId>,
        files: &[NewFile],
    ) -> Result<String, StoreError> {
        let previous = self.chain_tip(head)?;
        let changes: Vec<(String, Option<String>)> = files
            .iter()
            .map(|f| (f.path.clone(), Some(StoreId::of_blob(&f.bytes).to_string())))
            .collect();
        Ok(chain::trailers(previous.as_deref(), &changes).0)
    }
}

/// An in-memory store for tests: commits on one branch, objects hashed as git hashes them,
/// so a commit made here has the id git would give it (same files, message, time and
/// identity). Nothing is written anywhere.
#[derive(Debug)]
pub struct MemStore {
    name: String,
    email: String,
    state: Mutex<Mem>,
}

#[derive(Debug, Default)]
struct Mem {
    head: Option<StoreId>,
    blobs: BTreeMap<StoreId, Vec<u8>>,
    /// Each commit: its files by path, message and first parent.
    commits: BTreeMap<StoreId, MemCommit>,
}

#[derive(Debug, Clone)]
struct MemCommit {
    files: BTreeMap<String, StoreId>,
    message: String,
    parent: Option<StoreId>,
}

impl MemStore {
    /// An empty store committing as `name <email>` (git's fallback identity, as
    /// [`git::FALLBACK_NAME`], unless a test needs another).
    pub fn new(name: &str, email: &str) -> MemStore {
        MemStore {
            name: name.to_string(),
            email: email.to_string(),
            state: Mutex::new(Mem::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Mem> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// An archive in memory ([`super::Archive::in_memory`]): always writable, committing as its
/// identity, its order of record that of its commits.
impl super::Backend for MemStore {
    fn check_writable(&self) -> Result<(), super::ArchiveError> {
        Ok(())
    }

    fn identity(&self) -> Result<String, super::ArchiveError> {
        Ok(format!("{} <{}>", self.name, self.email))
    }

    /// A capture's place is the number (from the root, along first parents from HEAD) of the
    /// first commit holding its meta.json, as git's order of record numbers the commit that
    /// added it.
    fn record_places(
        archive: &super::Archive<MemStore>,
        captures: &[super::Capture],
    ) -> Result<Vec<Option<u64>>, super::ArchiveError> {
        let s = archive.store.state();
        let mut chain = Vec::new();
        let mut at = s.head;
        while let Some(id) = at {
            let c = s.commits.get(&id).ok_or(StoreError::Unknown(id))?;
            chain.push(c);
            at = c.parent;
        }
        let mut first: BTreeMap<&str, u64> = BTreeMap::new();
        for (n, c) in (0u64..).zip(chain.iter().rev()) {
            for path in c.files.keys() {
                first.entry(path).or_insert(n);
            }
        }
        Ok(captures
            .iter()
            .map(|c| first.get(c.path("meta.json").as_str()).copied())
            .collect())
    }
}

impl Default for MemStore {
    fn default() -> MemStore {
        MemStore::new(git::FALLBACK_NAME, git::FALLBACK_EMAIL)
    }
}

/// The id of the tree holding `files` (paths relative to it), as git writes it.
fn tree_id(files: &BTreeMap<String, StoreId>) -> pack::Id {
    let mut here: BTreeMap<Vec<u8>, pack::Entry> = BTreeMap::new();
    let mut folders: BTreeMap<&str, BTreeMap<String, StoreId>> = BTreeMap::new();
    for (path, id) in files {
        match path.split_once('/') {
            Some((dir, rest)) => {
                folders
                    .entry(dir)
                    .or_default()
                    .insert(rest.to_string(), *id);
            }
            None => {
                let e = pack::Entry {
                    name: path.as_bytes().to_vec(),
                    tree: false,
                    id: id.0,
                };
                here.insert(e.sort_key(), e);
            }
        }
    }
    for (dir, inner) in folders {
        let e = pack::Entry {
            name: dir.as_bytes().to_vec(),
            tree: true,
            id: tree_id(&inner),
        };
        here.insert(e.sort_key(), e);
    }
    pack::object_id(pack::Kind::Tree, &pack::tree_content(here.values()))
}

impl Store for MemStore {
    fn head(&self) -> Result<Option<StoreId>, StoreError> {
        Ok(self.state().head)
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let s = self.state();
        let Some(head) = s.head else {
            return Ok(None);
        };
        let id = s.commits.get(&head).and_then(|c| c.files.get(path));
        Ok(id.and_then(|id| s.blobs.get(id)).cloned())
    }

    fn files_under(&self, prefix: &str) -> Result<Vec<(String, StoreId)>, StoreError> {
        let s = self.state();
        let Some(commit) = s.head.and_then(|h| s.commits.get(&h)) else {
            return Ok(vec![]);
        };
        let dir = format!("{prefix}/");
        Ok(commit
            .files
            .range(dir.clone()..)
            .take_while(|(p, _)| p.starts_with(&dir))
            .map(|(p, id)| (p.clone(), *id))
            .collect())
    }

    fn blob(&self, id: StoreId) -> Result<Vec<u8>, StoreError> {
        self.state()
            .blobs
            .get(&id)
            .cloned()
            .ok_or(StoreError::Unknown(id))
    }

    fn commit_of(&self, id: StoreId) -> Result<(String, Option<StoreId>), StoreError> {
        let s = self.state();
        let c = s.commits.get(&id).ok_or(StoreError::Unknown(id))?;
        Ok((c.message.clone(), c.parent))
    }

    fn commit(
        &self,
        files: &[NewFile],
        message: &str,
        seconds: i64,
        parent: Option<StoreId>,
    ) -> Result<StoreId, StoreError> {
        let mut s = self.state();
        if s.head != parent {
            return Err(StoreError::Moved);
        }
        let mut tree = match parent {
            Some(p) => s
                .commits
                .get(&p)
                .ok_or(StoreError::Unknown(p))?
                .files
                .clone(),
            None => BTreeMap::new(),
        };
        for f in files {
            let id = StoreId::of_blob(&f.bytes);
            s.blobs.insert(id, f.bytes.clone());
            tree.insert(f.path.clone(), id);
        }
        let content = pack::commit_content(
            &tree_id(&tree),
            parent.as_ref().map(StoreId::as_bytes),
            &self.name,
            &self.email,
            seconds,
            message,
        );
        let id = StoreId(pack::object_id(pack::Kind::Commit, &content));
        s.commits.insert(
            id,
            MemCommit {
                files: tree,
                message: message.to_string(),
                parent,
            },
        );
        s.head = Some(id);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: &str) -> NewFile {
        NewFile {
            path: path.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    /// What every store must do, run on both: reads at HEAD, commits on HEAD only, chained.
    fn contract(store: &dyn Store) -> Vec<StoreId> {
        assert_eq!(store.head().unwrap(), None);
        assert_eq!(store.read("a/b.txt").unwrap(), None);
        assert!(store.files_under("a").unwrap().is_empty());
        let files = [file("a/b.txt", "one\n"), file("a/c/d.json", "{}\n")];
        let message = format!("First\n\n{}", store.chain_trailers(None, &files).unwrap());
        let first = store.commit(&files, &message, 1_000, None).unwrap();
        assert_eq!(store.head().unwrap(), Some(first));
        assert_eq!(store.read("a/b.txt").unwrap().unwrap(), b"one\n");
        let under = store.files_under("a").unwrap();
        let paths: Vec<&str> = under.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["a/b.txt", "a/c/d.json"]);
        assert_eq!(store.blob(under[1].1).unwrap(), b"{}\n");
        assert_eq!(under[0].1, StoreId::of_blob(b"one\n"));
        // A commit on a HEAD that is no longer the branch's is refused, changing nothing.
        let stale = store.commit(&[file("a/x", "x")], "Stale\n", 1_001, None);
        assert!(matches!(stale, Err(StoreError::Moved)), "{stale:?}");
        assert_eq!(store.head().unwrap(), Some(first));
        let more = [file("a/b.txt", "two\n"), file("e.txt", "e\n")];
        let trailers = store.chain_trailers(Some(first), &more).unwrap();
        let second = store
            .commit(&more, &format!("Second\n\n{trailers}"), 1_002, Some(first))
            .unwrap();
        assert_eq!(store.read("a/b.txt").unwrap().unwrap(), b"two\n");
        assert_eq!(store.read("a/c/d.json").unwrap().unwrap(), b"{}\n");
        assert_eq!(store.files_under("e.txt").unwrap(), vec![]);
        let (m, parent) = store.commit_of(second).unwrap();
        assert_eq!((m.lines().next(), parent), (Some("Second"), Some(first)));
        // Each link follows the one before it.
        let link = |id| git::trailer(&store.commit_of(id).unwrap().0, chain::CHAIN);
        assert_eq!(store.chain_tip(Some(second)).unwrap(), link(second));
        assert_ne!(link(first), link(second));
        vec![first, second]
    }

    #[test]
    fn the_memory_store_keeps_the_contract() {
        contract(&MemStore::default());
    }

    #[test]
    fn the_git_store_keeps_the_contract_and_both_give_the_same_ids() {
        let dir = tempfile::tempdir().unwrap();
        let git = git::Git::init(dir.path()).unwrap();
        let (name, email) = git.name_and_email().unwrap();
        let in_git = contract(&git);
        let in_memory = contract(&MemStore::new(&name, &email));
        assert_eq!(in_git, in_memory);
    }

    #[test]
    fn an_id_is_forty_hex_digits() {
        let id = StoreId::of_blob(b"hello\n");
        assert_eq!(id.to_string(), "ce013625030ba8dba906f756967f9e9ca394464a");
        assert_eq!(id.to_string().parse(), Ok(id));
        assert_eq!(id.to_string().to_uppercase().parse(), Ok(id));
        for bad in ["", "ce01", "ce013625030ba8dba906f756967f9e9ca394464a0", "-"] {
            assert_eq!(bad.parse::<StoreId>(), Err(BadId), "{bad}");
        }
        assert_eq!(
            "ce013625030ba8dba906f756967f9e9ca394464g".parse::<StoreId>(),
            Err(BadId)
        );
    }
}
