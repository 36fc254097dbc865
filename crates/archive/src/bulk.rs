//! Bulk capture: many captures, still one commit each, at a cost per capture that does not
//! grow with the archive.
//!
//! [`Archive::capture`] reads every capture to place a new one, rebuilds trees from HEAD's
//! and rewrites the index, once per capture: fine for a few, quadratic for a hundred
//! thousand. A [`Bulk`] reads the captures once, keeps what placing needs in maps, keeps the
//! trees it changes in memory, and writes a chunk of commits as one pack (see [`pack`]).
//! The commit point is still the branch's compare-and-swap, now once per chunk: a killed
//! run keeps the chunks whose ref update happened, each capture whole, and the pending list
//! names every work-tree file of the open chunk, so the next run brings them back to HEAD.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;

use super::git::{self, Written};
use super::index;
use super::pack::{self, Entry, Id, PackBuilder, Packed};
use super::refs::{Indexed, Lookup as _};
use super::store::{Store as _, StoreId};
use super::verify;
use super::{
    Archive, ArchiveError, Capture, Captured, NewCapture, Placed, Record, SNAPSHOTS, WriteLock,
    checked, crash_point, io,
};
use prov_config::sha256_hex;
use prov_matching::Signature;
use prov_matching::index::Found;
use prov_model::time as timefmt;

/// zlib level for everything bulk capture writes. Level 1 compresses a corpus page about as
/// well as git's default level 6 for a small fraction of the time (see BENCHMARKS.md), and
/// `git gc` recompresses at leisure.
pub const ZLIB_LEVEL: u32 = 1;
/// A chunk is committed (pack written, branch moved, index written) after this many
/// captures or this many bytes of pack, whichever comes first.
const CHUNK_CAPTURES: usize = 1000;
const CHUNK_BYTES: usize = 128 << 20;

/// (captured_at, place in the order of record, capture id): the order captures are listed in.
type Order = (String, u64, String);

/// The part of a capture's work that needs nothing of the archive: the hashes of its raw
/// bytes and text, its match signature, and their zlib streams. Made on a worker thread,
/// because every capture of a run passes through the one committing thread (about 5% more
/// captures/s at 1,000 captures, nothing measurable at 100,000; see BENCHMARKS.md).
#[derive(Debug, Clone)]
pub struct Precomputed {
    hashes: Hashes,
    raw: Packed,
    text: Packed,
}

/// A capture's raw and text SHA-256 and its match signature.
#[derive(Debug, Clone)]
struct Hashes {
    raw_sha: String,
    text_sha: String,
    signature: Option<Signature>,
}

impl Hashes {
    fn of(raw: &[u8], text: &str) -> Hashes {
        Hashes {
            raw_sha: sha256_hex(raw),
            text_sha: sha256_hex(text.as_bytes()),
            signature: prov_matching::signature(text),
        }
    }
}

impl Precomputed {
    /// Of a capture's raw bytes and clean text, as the capture will hold them.
    pub fn of(raw: &[u8], text: &str) -> Precomputed {
        Precomputed {
            hashes: Hashes::of(raw, text),
            raw: Packed::new(pack::Kind::Blob, raw, ZLIB_LEVEL),
            text: Packed::new(pack::Kind::Blob, text.as_bytes(), ZLIB_LEVEL),
        }
    }
}

/// Staged captures, committed chunk by chunk. Holds the archive's write lock throughout.
pub struct Bulk<'a> {
    archive: &'a Archive,
    lock: WriteLock,
    name: String,
    email: String,
    branch: String,
    /// Where the branch is on disk, and the last commit made in memory.
    on_disk: Id,
    tip: Id,
    /// The chain link in force at `tip` (see [`super::chain`]).
    chain: Option<String>,
    /// Git's index lock, held from the first work-tree file of a chunk until the index
    /// knows them all, so that no git sees a capture half-written.
    hold: Option<git::IndexHold>,
    /// HEAD's top tree without `snapshots`, and the trees under it that were touched.
    root: Vec<Entry>,
    /// The `snapshots` tree written out, kept so as each commit changes one entry.
    snapshots: pack::SortedTree,
    articles: HashMap<String, BTreeMap<Vec<u8>, Entry>>,
    copies: HashMap<(String, String), BTreeMap<Vec<u8>, Entry>>,
    pack: PackBuilder,
    /// The open chunk: captures, work-tree files written, clean texts by blob id.
    staged: usize,
    /// Files committed in the open chunk: path, blob id, size, and whether it was written to
    /// the work tree (a sparse archive keeps raw files in git alone).
    files: Vec<Written>,
    sparse: bool,
    texts: HashMap<Id, String>,
    /// Captures made in this run: text blob and commit, by capture id.
    made: HashMap<String, (Option<Id>, String)>,
    /// Each staged capture's folder as its commit has it, remembered for `verify` once the
    /// chunk is on the branch: a first `verify` then need not read every adding commit's
    /// `snapshots/` tree, which lists every article (BENCHMARKS.md).
    facts: Vec<verify::Fact>,
    /// Commits of captures from before this run, read when first asked for.
    older_commits: Option<BTreeMap<String, String>>,
    /// The place in the order of record of the next commit this run makes.
    records: u64,
    lookups: Lookups<'a>,
}

/// What placing a capture asks of the archive, kept in maps instead of scanning captures.
/// Built from the capture index (one line per capture), not from every meta.json: a run's
/// start must not cost more as the archive grows. A full capture is read only when asked for.
#[derive(Default)]
struct Lookups<'a> {
    /// HEAD's captures as the index lists them (filed where refiles put them), then those
    /// staged in this run.
    entries: Vec<index::Entry>,
    /// The full captures staged in this run, by position in `entries`.
    staged: HashMap<usize, Capture>,
    /// Reads the full capture of an entry from before the run.
    indexed: Option<Indexed<'a>>,
    by_id: HashMap<String, usize>,
    /// The latest capture (in capture order) with this URL or final URL.
    by_url: HashMap<String, usize>,
    /// The latest capture whose URL (not final URL) is this one.
    by_url_exact: HashMap<String, usize>,
    by_copy_raw: HashMap<(String, String), usize>,
    by_copy_text: HashMap<(String, String), usize>,
    articles: HashSet<String>,
    /// Each (article, copy)'s captures in capture order.
    by_copy: HashMap<(String, String), BTreeMap<Order, usize>>,
    /// The match index as the run found it, and the captures staged since: a text is matched
    /// against both, as [`Archive::capture`] matches against the index alone.
    matches: Option<super::match_index::MatchIndex>,
    staged_matches: prov_matching::index::Memory,
}

fn order(e: &index::Entry) -> Order {
    let (at, record, id) = e.order_key();
    (at.to_string(), record, id.to_string())
}

impl<'a> Lookups<'a> {
    fn new(
        entries: Vec<index::Entry>,
        indexed: Indexed<'a>,
        matches: super::match_index::MatchIndex,
    ) -> Lookups<'a> {
        let mut l = Lookups {
            matches: Some(matches),
            indexed: Some(indexed),
            ..Lookups::default()
        };
        for e in entries {
            l.add(e);
        }
        l
    }

    /// The full capture at `i`: from memory when staged in this run, else read from HEAD.
    fn capture(&self, i: usize) -> Result<Capture, ArchiveError> {
        if let Some(c) = self.staged.get(&i) {
            return Ok(c.clone());
        }
        match &self.indexed {
            Some(indexed) => indexed.capture(&self.entries[i]),
            None => Err(ArchiveError::Missing {
                path: self.entries[i].dir(),
            }),
        }
    }

    /// Whether capture `i` comes after the one in `slot`, if any.
    fn later(&self, slot: Option<&usize>, i: usize) -> bool {
        slot.is_none_or(|&j| j != i && order(&self.entries[j]) < order(&self.entries[i]))
    }

    /// A capture staged in this run.
    fn add_staged(&mut self, c: Capture, commit: String, record: u64) {
        let i = self.entries.len();
        self.add(index::Entry::from_meta(&c.meta, Some((commit, record))));
        self.staged.insert(i, c);
    }

    fn add(&mut self, e: index::Entry) {
        let i = self.entries.len();
        self.entries.push(e);
        let c = &self.entries[i];
        let urls: Vec<String> = [&c.url, &c.final_url]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let exact = c.url.clone();
        let raw = (c.copy.clone(), c.raw.sha256.clone());
        let text = c.text.as_ref().map(|t| (c.copy.clone(), t.sha256.clone()));
        let article = c.article.clone();
        let copy = (article.clone(), c.copy.clone());
        let (key, id) = (order(c), c.capture.clone());
        for url in urls {
            if self.later(self.by_url.get(&url), i) {
                self.by_url.insert(url, i);
            }
        }
        if let Some(url) = exact
            && self.later(self.by_url_exact.get(&url), i)
        {
            self.by_url_exact.insert(url, i);
        }
        if self.later(self.by_copy_raw.get(&raw), i) {
            self.by_copy_raw.insert(raw, i);
        }
        if let Some(text) = text
            && self.later(self.by_copy_text.get(&text), i)
        {
            self.by_copy_text.insert(text, i);
        }
        self.articles.insert(article);
        self.by_copy.entry(copy).or_default().insert(key, i);
        self.by_id.insert(id, i);
    }
}

/// Filing's view of the archive, by map (see [`super::filing`]).
impl super::filing::Existing for Lookups<'_> {
    type Error = std::convert::Infallible;

    fn article_of_url(&self, url: &str) -> Option<String> {
        let &i = self.by_url.get(url)?;
        Some(self.entries[i].article.clone())
    }

    fn article_of_content(
        &self,
        copy: &str,
        raw_sha: &str,
        text_sha: Option<&str>,
    ) -> Option<String> {
        let by_raw = self
            .by_copy_raw
            .get(&(copy.to_string(), raw_sha.to_string()));
        let by_text =
            text_sha.and_then(|t| self.by_copy_text.get(&(copy.to_string(), t.to_string())));
        let same = match (by_raw, by_text) {
            (Some(&a), Some(&b)) => Some(if order(&self.entries[a]) > order(&self.entries[b]) {
                a
            } else {
                b
            }),
            (a, b) => a.or(b).copied(),
        };
        same.map(|i| self.entries[i].article.clone())
    }

    /// Matched against the match index as the run found it and the captures staged since.
    fn best_match(&mut self, sig: &Signature) -> Result<Option<Found>, Self::Error> {
        Ok(prov_matching::tail::better(
            self.matches.as_ref().and_then(|m| m.best(sig)),
            self.staged_matches.best(sig),
        ))
    }

    fn has_article(&self, name: &str) -> bool {
        self.articles.contains(name)
    }
}

impl<'a> Bulk<'a> {
    /// Start a bulk run: read the captures and HEAD's trees once. `None` when the branch has
    /// no commit yet (an archive always has one; then the one-by-one path does it all).
    pub fn new(
        archive: &'a Archive,
        lock: WriteLock,
    ) -> Result<Bulk<'a>, (WriteLock, ArchiveError)> {
        let read = Self::read(archive).and_then(|parts| {
            let head = StoreId::from_bytes(parts.3);
            Ok((parts, archive.store.chain_tip(Some(head))?))
        });
        match read {
            Ok((parts, chain)) => {
                let (name, email, branch, head, root, snapshots, lookups) = parts;
                let records = lookups.indexed.as_ref().map_or(0, Indexed::commits);
                Ok(Bulk {
                    archive,
                    lock,
                    name,
                    email,
                    branch,
                    on_disk: head,
                    tip: head,
                    chain,
                    hold: None,
                    root,
                    snapshots: pack::SortedTree::new(snapshots.values()),
                    articles: HashMap::new(),
                    copies: HashMap::new(),
                    pack: PackBuilder::new(ZLIB_LEVEL),
                    staged: 0,
                    files: Vec::new(),
                    sparse: archive.is_sparse(),
                    texts: HashMap::new(),
                    made: HashMap::new(),
                    facts: Vec::new(),
                    older_commits: None,
                    records,
                    lookups,
                })
            }
            Err(e) => Err((lock, e)),
        }
    }

    #[allow(clippy::type_complexity)]
    fn read(
        archive: &'a Archive,
    ) -> Result<
        (
            String,
            String,
            String,
            Id,
            Vec<Entry>,
            BTreeMap<Vec<u8>, Entry>,
            Lookups<'a>,
        ),
        ArchiveError,
    > {
        let git = &archive.store;
        git.check_writable()?;
        let head = git.head_id()?.ok_or_else(|| ArchiveError::Missing {
            path: "the branch's first commit".into(),
        })?;
        let (name, email) = git.name_and_email()?;
        let branch = git.branch()?;
        let mut root = git.tree_entries(&git.tree_of(&head)?)?;
        let mut snapshots = BTreeMap::new();
        if let Some(i) = root
            .iter()
            .position(|e| e.tree && e.name == SNAPSHOTS.as_bytes())
        {
            let e = root.remove(i);
            for e in git.tree_entries(&e.id)? {
                snapshots.insert(e.sort_key(), e);
            }
        }
        let indexed = Indexed::new(archive)?;
        let entries = indexed.all()?;
        let matches = archive.match_index_of_entries(&entries, |e| indexed.capture(e))?;
        let lookups = Lookups::new(entries, indexed, matches);
        Ok((name, email, branch, head, root, snapshots, lookups))
    }

    /// The write lock, for a capture that takes the one-by-one path in the middle of a run
    /// (after [`Bulk::flush`], and followed by [`Bulk::reload`]).
    pub fn lock(&self) -> &WriteLock {
        &self.lock
    }

    /// Read the archive again after something was committed outside this writer.
    pub fn reload(self) -> Result<Bulk<'a>, ArchiveError> {
        let archive = self.archive;
        let made = self.made;
        let mut fresh = Bulk::new(archive, self.lock).map_err(|(_, e)| e)?;
        fresh.made = made;
        Ok(fresh)
    }

    /// The latest capture of `url` (a capture whose URL it is), as `prov snapshot` asks before
    /// deciding whether an answer is a finding.
    pub fn latest_with_url(&self, url: &str) -> Result<Option<Capture>, ArchiveError> {
        let l = &self.lookups;
        l.by_url_exact.get(url).map(|&i| l.capture(i)).transpose()
    }

    /// The commit that added a capture.
    pub fn commit_of(&mut self, capture: &str) -> Result<Option<String>, ArchiveError> {
        if let Some((_, c)) = self.made.get(capture) {
            return Ok(Some(c.clone()));
        }
        // The index names each capture's adding commit; the history is walked only for one
        // it does not (an archive whose index lacks it).
        let l = &self.lookups;
        if let Some(c) = l
            .by_id
            .get(capture)
            .and_then(|&i| l.entries[i].commit.clone())
        {
            return Ok(Some(c));
        }
        if self.older_commits.is_none() {
            self.older_commits = Some(self.archive.commits()?);
        }
        Ok(self
            .older_commits
            .as_ref()
            .and_then(|m| m.get(capture).cloned()))
    }

    /// A capture's clean text by today's normalizer (see [`Archive::current_text`]), from
    /// memory for captures of this run.
    pub fn current_text(&self, c: &Capture) -> Result<String, ArchiveError> {
        if let Some((Some(id), _)) = self.made.get(c.id()) {
            if let Some(t) = self.texts.get(id) {
                return Ok(t.clone());
            }
            let bytes = self.archive.store.blob_by_id(id)?;
            return String::from_utf8(bytes).map_err(|_| ArchiveError::CorruptMeta {
                path: format!("{}/text.txt", c.dir),
                reason: "it is not UTF-8".into(),
            });
        }
        self.archive.current_text(c)
    }

    /// Whether the open chunk should be committed now.
    pub fn full(&self) -> bool {
        self.staged >= CHUNK_CAPTURES || self.pack.size() >= CHUNK_BYTES
    }

    /// Stage a capture: decided as [`Archive::capture`] decides, its commit made in memory and
    /// its files written to the work tree (named in the pending list first). It is on the
    /// branch after the next [`Bulk::flush`].
    pub fn capture(&mut self, mut new: NewCapture) -> Result<Captured, ArchiveError> {
        let pre = new.precomputed.take();
        let record = Record::of(&new);
        let Hashes {
            raw_sha,
            text_sha,
            signature,
        } = match &pre {
            Some(p) => p.hashes.clone(),
            None => Hashes::of(&new.fetched.bytes, &new.normalized.text),
        };
        let copy = record.copy_name()?;
        let given = record.article.map(|a| checked("article", a)).transpose()?;
        let facts = record.filing_facts(given.as_deref(), &copy, &raw_sha, Some(&text_sha));
        let Ok(filing) = super::filing::file(&facts, || signature.clone(), &mut self.lookups);
        let (article, filed_by, matched) = (filing.article, filing.filed_by, filing.matched);
        let l = &self.lookups;
        let of_copy = l.by_copy.get(&(article.clone(), copy.clone()));
        let id_hash = sha256_hex(format!("{article}\n{copy}\n{raw_sha}").as_bytes());
        let capture_id = format!("{}-{}", timefmt::compact(record.captured_at), &id_hash[..8]);
        let captured_at = timefmt::rfc3339(record.captured_at);
        // The capture about to be recorded comes after every capture of its time.
        let key = (captured_at.clone(), self.records, capture_id.clone());
        let before = of_copy
            .and_then(|m| m.range(..key).next_back())
            .map(|(_, &i)| i);
        if let Some(i) = before.filter(|&i| {
            let p = &l.entries[i];
            super::repeats(&p.raw.sha256, p.kind, &raw_sha, record.kind)
        }) {
            return Ok(Captured::Unchanged {
                existing: Box::new(l.capture(i)?),
            });
        }
        let previous = before.map(|i| l.capture(i)).transpose()?;
        if let Some(&i) = l.by_id.get(&capture_id) {
            return Ok(Captured::Unchanged {
                existing: Box::new(l.capture(i)?),
            });
        }
        let (meta, dir, files, message) = self.archive.staged(
            &record,
            Placed {
                article: article.clone(),
                filed_by,
                matched,
                copy: copy.clone(),
                capture_id: capture_id.clone(),
                captured_at,
                raw_sha,
                text_sha: Some(text_sha),
            },
        );

        if self.hold.is_none() {
            self.hold = Some(self.archive.store.hold_index()?);
        }
        // Name the files in the pending list before writing them.
        let pending = self.archive.pending_path();
        let mut list = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&pending)
            .map_err(io(&pending))?;
        let names: String = files.iter().map(|f| format!("{}\n", f.path)).collect();
        list.write_all(names.as_bytes()).map_err(io(&pending))?;
        drop(list);
        crash_point("after-pending");

        let mut entries = BTreeMap::new();
        let mut text_id = None;
        for f in &files {
            let packed = pre.as_deref().and_then(|p| {
                if f.bytes == new.fetched.bytes {
                    Some(&p.raw)
                } else if f.bytes == new.normalized.text.as_bytes() {
                    Some(&p.text)
                } else {
                    None
                }
            });
            let id = match packed {
                Some(p) => self.pack.add_packed(p),
                None => self.pack.add(pack::Kind::Blob, &f.bytes),
            };
            let name = f.path.rsplit('/').next().unwrap_or_default();
            if name == "text.txt" {
                text_id = Some(id);
                self.texts
                    .insert(id, String::from_utf8_lossy(&f.bytes).into_owned());
            }
            let in_work_tree = !(self.sparse && git::is_raw_file(&f.path));
            if in_work_tree {
                let full = self.archive.root.join(&f.path);
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                std::fs::write(&full, &f.bytes).map_err(io(&full))?;
            }
            self.files.push(Written {
                path: f.path.clone(),
                id,
                size: f.bytes.len(),
                in_work_tree,
            });
            let e = Entry {
                name: name.as_bytes().to_vec(),
                tree: false,
                id,
            };
            entries.insert(e.sort_key(), e);
        }
        let changes: Vec<(String, Option<String>)> = files
            .iter()
            .zip(&self.files[self.files.len() - files.len()..])
            .map(|(f, w)| (f.path.clone(), Some(pack::hex(&w.id))))
            .collect();
        let (trailers, link) = super::chain::trailers(self.chain.as_deref(), &changes);
        self.chain = Some(link);
        let message = format!("{message}{trailers}");
        let capture_tree = self
            .pack
            .add(pack::Kind::Tree, &pack::tree_content(entries.values()));
        let commit = self.commit(
            &article,
            &copy,
            &capture_id,
            capture_tree,
            &message,
            record.archived_at.as_second(),
        )?;
        let commit = pack::hex(&commit);
        let mut folder: Vec<(String, StoreId)> = Vec::new();
        for e in entries.values() {
            let name = String::from_utf8_lossy(&e.name);
            folder.push((format!("{dir}/{name}"), StoreId::from_bytes(e.id)));
        }
        folder.sort();
        self.facts.push(((commit.clone(), dir.clone()), folder));
        self.staged += 1;
        self.made
            .insert(capture_id.clone(), (text_id, commit.clone()));
        let capture = Capture {
            meta,
            dir,
            refiled: None,
        };
        if let Some(sig) = signature {
            self.lookups
                .staged_matches
                .add(capture.id(), capture.article(), capture.copy(), sig);
        }
        self.lookups
            .add_staged(capture.clone(), commit.clone(), self.records);
        self.records += 1;
        Ok(Captured::New {
            capture: Box::new(capture),
            commit,
            previous: previous.map(Box::new),
        })
    }

    /// Put a capture's tree in its copy, article, `snapshots/` and top trees, and commit them
    /// on the tip in memory.
    fn commit(
        &mut self,
        article: &str,
        copy: &str,
        capture: &str,
        tree: Id,
        message: &str,
        seconds: i64,
    ) -> Result<Id, ArchiveError> {
        let git = &self.archive.store;
        let folder = |name: &str, id: Id| Entry {
            name: name.as_bytes().to_vec(),
            tree: true,
            id,
        };
        let key = |name: &str| {
            let mut k = name.as_bytes().to_vec();
            k.push(b'/');
            k
        };
        // Read the article's and copy's trees from git the first time this run touches them.
        if !self.articles.contains_key(article) {
            let mut m = BTreeMap::new();
            if let Some(id) = self.snapshots.get(article.as_bytes(), true) {
                for e in git.tree_entries(&id)? {
                    m.insert(e.sort_key(), e);
                }
            }
            self.articles.insert(article.to_string(), m);
        }
        let pair = (article.to_string(), copy.to_string());
        if !self.copies.contains_key(&pair) {
            let mut m = BTreeMap::new();
            if let Some(e) = self.articles.get(article).and_then(|a| a.get(&key(copy))) {
                for e in git.tree_entries(&e.id)? {
                    m.insert(e.sort_key(), e);
                }
            }
            self.copies.insert(pair.clone(), m);
        }
        let copy_tree = self.copies.entry(pair).or_default();
        copy_tree.insert(key(capture), folder(capture, tree));
        let copy_id = self
            .pack
            .add(pack::Kind::Tree, &pack::tree_content(copy_tree.values()));
        let article_tree = self.articles.entry(article.to_string()).or_default();
        article_tree.insert(key(copy), folder(copy, copy_id));
        let article_id = self
            .pack
            .add(pack::Kind::Tree, &pack::tree_content(article_tree.values()));
        self.snapshots.set(&folder(article, article_id));
        let snapshots_id = self
            .pack
            .add_chained_tree(self.snapshots.content().to_vec());
        let mut root: BTreeMap<Vec<u8>, Entry> = self
            .root
            .iter()
            .map(|e| (e.sort_key(), e.clone()))
            .collect();
        let s = folder(SNAPSHOTS, snapshots_id);
        root.insert(s.sort_key(), s);
        let root_id = self
            .pack
            .add(pack::Kind::Tree, &pack::tree_content(root.values()));
        let content = pack::commit_content(
            &root_id,
            Some(&self.tip),
            &self.name,
            &self.email,
            seconds,
            message,
        );
        self.tip = self.pack.add(pack::Kind::Commit, &content);
        Ok(self.tip)
    }

    /// Commit the open chunk: the pack in place, the branch moved (the commit point), the
    /// index told about the chunk's files, the pending list removed.
    pub fn flush(&mut self) -> Result<(), ArchiveError> {
        if self.staged == 0 {
            return Ok(());
        }
        let git = &self.archive.store;
        let pack = std::mem::replace(&mut self.pack, PackBuilder::new(ZLIB_LEVEL)).finish();
        git.install_pack(&pack)?;
        crash_point("before-commit");
        let n = self.staged;
        let message = format!(
            "prov snapshot: {n} capture{}",
            if n == 1 { "" } else { "s" }
        );
        self.on_disk = git.move_branch(&self.branch, &self.on_disk, &self.tip, &message)?;
        crash_point("after-commit");
        verify::write_facts(
            &self.archive.prov_dir().join(verify::FACTS),
            &std::mem::take(&mut self.facts),
        );
        match &self.hold {
            Some(hold) => git.index_written(hold, &self.files)?,
            None => git.index_written(&git.hold_index()?, &self.files)?,
        }
        self.hold = None;
        let pending = self.archive.pending_path();
        std::fs::remove_file(&pending).map_err(io(&pending))?;
        self.staged = 0;
        self.files.clear();
        self.texts.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precomputed_blobs_are_what_the_writer_would_make() {
        let raw = b"<html><body><p>One two three four five six seven.</p></body></html>";
        let text = "One two three four five six seven.\n";
        let p = Precomputed::of(raw, text);
        assert_eq!(p.raw.id, pack::object_id(pack::Kind::Blob, raw));
        assert_eq!(
            p.text.id,
            pack::object_id(pack::Kind::Blob, text.as_bytes())
        );
        assert_eq!(p.hashes.raw_sha, sha256_hex(raw));
        assert_eq!(p.hashes.text_sha, sha256_hex(text.as_bytes()));
        assert_eq!(p.hashes.signature, prov_matching::signature(text));
        let mut a = PackBuilder::new(ZLIB_LEVEL);
        let mut b = PackBuilder::new(ZLIB_LEVEL);
        a.add_packed(&p.raw);
        b.add(pack::Kind::Blob, raw);
        assert_eq!(a.finish().pack, b.finish().pack);
    }
}
