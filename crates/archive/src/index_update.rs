//! The capture index brought to HEAD: read when it describes HEAD, else brought forward
//! from the HEAD it describes by a tree diff and the commits added since, else rebuilt from
//! HEAD's captures and the order of record (see [`super::index`]).

use std::collections::{BTreeMap, BTreeSet};

use super::store::{Store as _, StoreId};
use super::{Archive, ArchiveError, SNAPSHOTS, capture_dir, git, index, mapped};

impl Archive {
    /// The capture index (see [`index`]), brought up to date with HEAD: read from
    /// `.git/prov/` when it describes HEAD, else updated from the one it describes (only what
    /// changed is read) or rebuilt, and saved again. Never an index of another commit.
    pub fn index(&self) -> Result<index::Index, ArchiveError> {
        let Some(head) = self.store.head()? else {
            return Ok(index::Index::empty());
        };
        let tree = self.store.tree_at(head, SNAPSHOTS)?;
        let path = self.prov_dir().join(index::FILE_NAME);
        let mut old = mapped::open(&path).and_then(index::Index::from_bytes);
        let head_hex = head.to_string();
        if let Some(current) = old.take_if(|o| o.head == head_hex) {
            return Ok(current);
        }
        let tree_hex = hex_or_dash(tree);
        if let Some(o) = &old
            && let Some(forward) = self.index_forward(o, head, tree)?
        {
            forward.save(&path);
            return Ok(forward);
        }
        let (entries, orphans, commits) = self.update_index(old.as_ref(), head, tree)?;
        let built = index::Index::build(&head_hex, &tree_hex, commits, &entries, &orphans);
        built.save(&path);
        Ok(built)
    }

    /// The capture index rebuilt from HEAD alone, for a reader that found a block of the
    /// file damaged ([`super::refs::Indexed`]).
    pub fn rebuilt_index(&self) -> Result<index::Index, ArchiveError> {
        let _ = std::fs::remove_file(self.prov_dir().join(index::FILE_NAME));
        self.index()
    }

    /// HEAD's index from `old` by what changed since it (a tree diff, the commits added
    /// since), re-reading and re-writing only the articles that changed and copying the
    /// rest as it is: the cost of a few captures added to a large archive is that of the
    /// captures, not of the archive. It makes the index [`Archive::update_index`] would.
    /// `None` when `old` cannot be brought forward so (its tree unreadable, its HEAD not an
    /// ancestor of HEAD, a block damaged).
    fn index_forward(
        &self,
        old: &index::Index,
        head: StoreId,
        tree: Option<StoreId>,
    ) -> Result<Option<index::Index>, ArchiveError> {
        let tree_hex = hex_or_dash(tree);
        let Some(changes) = self.index_changes(old, tree)? else {
            return Ok(None);
        };
        let Ok(since) = old.head.parse::<StoreId>() else {
            return Ok(None);
        };
        let Some(fresh) = self.store.record_order_since(head, since)? else {
            return Ok(None);
        };
        let Some(orphans) = old.orphans() else {
            return Ok(None);
        };
        let (fresh, commits) = numbered(fresh, old.commits);
        // Affected: the articles of changed folders, and every article holding a capture id
        // that changed hands (added, removed, or given a commit): the adding commit of an
        // id goes to the first folder holding it, as a full update decides it.
        let mut affected: BTreeSet<String> = BTreeSet::new();
        let mut ids: BTreeSet<&str> = fresh.iter().map(|(c, _)| c.as_str()).collect();
        for dir in &changes.removed {
            let mut parts = dir.split('/').skip(1);
            affected.extend(parts.next().map(str::to_string));
            ids.extend(parts.nth(1));
        }
        for id in ids {
            let Some(articles) = old.articles_with_id(id) else {
                return Ok(None);
            };
            affected.extend(articles);
        }
        let mut by_dir: BTreeMap<String, index::Entry> = BTreeMap::new();
        for article in &affected {
            let Some(entries) = old.article(article) else {
                return Ok(None);
            };
            by_dir.extend(entries.into_iter().map(|e| (e.dir(), e)));
        }
        let (entries, orphans) = hand_out_commits(by_dir, changes, orphans, fresh);
        let mut articles: BTreeMap<String, Vec<index::Entry>> =
            affected.into_iter().map(|a| (a, vec![])).collect();
        for e in entries {
            articles.entry(e.article.clone()).or_default().push(e);
        }
        for list in articles.values_mut() {
            index::sort_entries(list);
        }
        Ok(old.updated(&head.to_string(), &tree_hex, commits, &articles, &orphans))
    }

    /// The capture folders changed between `old`'s `snapshots` tree and `tree`, their new
    /// meta.json read; `None` when `old`'s tree cannot be read.
    fn index_changes(
        &self,
        old: &index::Index,
        tree: Option<StoreId>,
    ) -> Result<Option<IndexChanges>, ArchiveError> {
        let tree_hex = hex_or_dash(tree);
        let changes = if old.tree == tree_hex {
            vec![]
        } else {
            match old
                .tree
                .parse::<StoreId>()
                .ok()
                .and_then(|t| self.store.changed_blobs(t, tree, SNAPSHOTS).ok())
            {
                Some(c) => c,
                None => return Ok(None),
            }
        };
        let mut out = IndexChanges::default();
        for (path, blob) in changes {
            let Some(dir) = capture_dir(&path) else {
                continue;
            };
            out.removed.push(dir.to_string());
            out.added.remove(dir);
            if let Some(blob) = blob {
                let meta = self.parse_meta(&path, blob)?;
                out.added
                    .insert(dir.to_string(), index::Entry::from_meta(&meta, None));
            }
        }
        Ok(Some(out))
    }

    /// Entries, orphan trailers and the number of commits in the order of record for HEAD,
    /// from `old` where it can be trusted.
    fn update_index(
        &self,
        old: Option<&index::Index>,
        head: StoreId,
        tree: Option<StoreId>,
    ) -> Result<(Vec<index::Entry>, index::Orphans, u64), ArchiveError> {
        // Captures: unchanged, changed by a tree diff, or read anew.
        let mut by_dir: BTreeMap<String, index::Entry> = BTreeMap::new();
        let mut orphans = index::Orphans::new();
        let mut counted = 0;
        let mut changes = IndexChanges::default();
        let mut incremental = None;
        if let Some(o) = old
            && let (Some(entries), Some(old_orphans)) = (o.entries(), o.orphans())
            && let Some(changed) = self.index_changes(o, tree)?
        {
            by_dir.extend(entries.into_iter().map(|e| (e.dir(), e)));
            changes = changed;
            orphans = old_orphans;
            counted = o.commits;
            incremental = o.head.parse::<StoreId>().ok();
        }
        if incremental.is_none() {
            by_dir.clear();
            changes = IndexChanges::default();
            orphans.clear();
            for (path, blob) in self.store.blobs_under(None, SNAPSHOTS)? {
                if let Some(dir) = capture_dir(&path) {
                    let meta = self.parse_meta(&path, blob)?;
                    by_dir.insert(dir.to_string(), index::Entry::from_meta(&meta, None));
                }
            }
        }
        // Commits: only those added since the old index's HEAD, when the order of record
        // goes on from it.
        let fresh = match incremental {
            Some(since) => self.store.record_order_since(head, since)?,
            None => None,
        };
        let (fresh, commits) = match fresh {
            Some(f) => numbered(f, counted),
            None => {
                // Every commit read again: what the old index knew is not trusted.
                for e in by_dir.values_mut() {
                    e.commit = None;
                    e.record = None;
                }
                orphans.clear();
                numbered(self.store.record_order(head).0, 0)
            }
        };
        let (mut entries, orphans) = hand_out_commits(by_dir, changes, orphans, fresh);
        index::sort_entries(&mut entries);
        Ok((entries, orphans, commits))
    }
}

/// Capture folders changed since an index: removed (or rewritten), and their meta.json now.
#[derive(Debug, Default)]
struct IndexChanges {
    removed: Vec<String>,
    added: BTreeMap<String, index::Entry>,
}

impl IndexChanges {
    fn apply(self, by_dir: &mut BTreeMap<String, index::Entry>) {
        for dir in &self.removed {
            by_dir.remove(dir);
        }
        by_dir.extend(self.added);
    }
}

/// A `Prov-Capture` trailer: the capture it names, its commit and the commit's place in the
/// order of record.
type Trailer = (String, (String, u64));

/// Commits in the order of record numbered from `first`, those with a `Prov-Capture`
/// trailer kept as (capture, (commit, place)); and the place after the last.
fn numbered(walked: Vec<git::Walked>, first: u64) -> (Vec<Trailer>, u64) {
    let next = first + walked.len() as u64;
    let fresh = (first..)
        .zip(walked)
        .filter_map(|(n, w)| Some((w.capture?, (w.id.to_string(), n))))
        .collect();
    (fresh, next)
}

/// The entries after `changes` (in folder order), each with the commit that added its
/// capture and its place in the order of record: the one an old entry (before the changes)
/// or an orphan trailer recorded, else the first of `fresh` (in the order of record) naming
/// it; the first folder holding an id takes it. Trailers left over are the orphans.
fn hand_out_commits(
    mut by_dir: BTreeMap<String, index::Entry>,
    changes: IndexChanges,
    orphans: index::Orphans,
    fresh: Vec<Trailer>,
) -> (Vec<index::Entry>, index::Orphans) {
    let mut known = index::Orphans::new();
    for e in by_dir.values() {
        if let (Some(c), Some(n)) = (&e.commit, e.record) {
            known.insert(e.capture.clone(), (c.clone(), n));
        }
    }
    known.extend(orphans);
    changes.apply(&mut by_dir);
    for (capture, added) in fresh {
        known.entry(capture).or_insert(added);
    }
    let entries = by_dir
        .into_values()
        .map(|mut e| {
            (e.commit, e.record) = known.remove(&e.capture).unzip();
            e
        })
        .collect();
    (entries, known)
}

/// A tree's id as the capture index records it: hex, `-` for none.
fn hex_or_dash(tree: Option<StoreId>) -> String {
    tree.map_or_else(|| "-".to_string(), |t| t.to_string())
}
