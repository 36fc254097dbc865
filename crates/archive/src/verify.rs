//! Fixity: re-hash every captured file against meta.json and git, check the history, and find what does not belong.

use std::collections::{BTreeMap, BTreeSet};

use super::store::{Store as _, StoreId};
use super::{Archive, ArchiveError, Capture, Kind, Meta, REFILES, Refile, SNAPSHOTS};
use prov_config::sha256_hex;

pub use prov_model::fixity::{Differs, Problem, Report};

impl Archive {
    /// Check everything prov recorded (see [`Report`]), and remember an intact HEAD so that a
    /// later rewrite of history is noticed.
    pub fn verify(&self) -> Result<Report, ArchiveError> {
        let report = self.check()?;
        if let (true, Some(h)) = (report.intact(), &report.head) {
            let path = self.verified_head_path();
            let _ = std::fs::create_dir_all(self.prov_dir());
            let _ = std::fs::write(&path, format!("{h}\n"));
        }
        Ok(report)
    }

    fn verified_head_path(&self) -> std::path::PathBuf {
        self.prov_dir().join("verified-head")
    }

    /// What [`Archive::verify`] finds without remembering the verified HEAD: for readers such
    /// as reports. What it learns of files and commits checked is kept as derived facts.
    pub fn check(&self) -> Result<Report, ArchiveError> {
        self.inspect(true)
    }

    /// [`Archive::check`] writing nothing at all: for an archive prov may not write to (a
    /// read-only file system or folder), where verify runs without its lock.
    pub fn check_read_only(&self) -> Result<Report, ArchiveError> {
        self.inspect(false)
    }

    /// See [`Archive::check`]; `remember`: keep the facts learned in `.git/prov`.
    fn inspect(&self, remember: bool) -> Result<Report, ArchiveError> {
        let mut problems = Vec::new();
        let mut problem = |capture: Option<&str>, path: &str, what: String| {
            problems.push(Problem {
                capture: capture.map(str::to_string),
                path: path.to_string(),
                problem: what,
            });
        };
        let head = self.store.head()?;
        let commits = match self.store.check_history() {
            Ok(n) => n,
            Err(e) => {
                problem(None, ".git", format!("the history cannot be read: {e}"));
                0
            }
        };

        // A history cut short or with objects replaced cannot be proved whole.
        if self.store.is_shallow() {
            problem(
                None,
                ".git",
                "the history is shallow (a clone made with --depth): what each capture held when it was added cannot be proved; `git fetch --unshallow` brings the rest".into(),
            );
        }
        for replaced in self.store.replaced() {
            problem(
                None,
                ".git",
                format!(
                    "object {replaced} is replaced (git replace): git shows the replacement, prov verifies the object itself"
                ),
            );
        }

        // Last verified HEAD: it must still be in the history.
        let verified_path = self.verified_head_path();
        let last_verified = std::fs::read_to_string(&verified_path)
            .ok()
            .map(|s| s.trim().to_string());
        if let (Some(last), Some(h)) = (&last_verified, head) {
            let kept = last
                .parse::<StoreId>()
                .is_ok_and(|id| self.store.is_ancestor(id, h));
            if !kept {
                problem(
                    None,
                    ".git",
                    format!(
                        "the last verified HEAD {last} has left the history (history rewritten)"
                    ),
                );
            }
        }

        // Every blob under snapshots/ in HEAD, grouped by capture folder.
        let blobs = self.store.blobs_under(None, SNAPSHOTS)?;
        let mut by_dir: BTreeMap<String, Vec<(String, StoreId)>> = BTreeMap::new();
        for (path, id) in &blobs {
            let parts: Vec<&str> = path.split('/').collect();
            if parts.len() == 5 {
                by_dir
                    .entry(parts[..4].join("/"))
                    .or_default()
                    .push((parts[4].to_string(), *id));
            } else if path != &format!("{SNAPSHOTS}/.gitkeep") {
                problem(None, path, "a stray file: not part of any capture".into());
            }
        }

        // The first commit in the order of record that names a capture added it.
        let mut adding_commits: BTreeMap<String, StoreId> = BTreeMap::new();
        let (walked, unreadable) = match head {
            Some(h) => self.store.record_order(h),
            None => (Vec::new(), Vec::new()),
        };
        for w in walked {
            if let Some(capture) = w.capture {
                adding_commits.entry(capture).or_insert(w.id);
            }
        }
        // A commit that cannot be read cuts the history: what it and the commits before it
        // added cannot be proved, and is said so once, not as captures no commit added.
        let cut = !unreadable.is_empty() && !self.store.is_shallow();
        for id in &unreadable {
            if !self.store.is_shallow() {
                problem(
                    None,
                    ".git",
                    format!(
                        "commit {id} cannot be read (a corrupt or missing object): the captures it and the commits before it added cannot be proved"
                    ),
                );
            }
        }
        // The captures' own checks, the bulk of the work, on two threads (each with its own
        // repository handle: git2's is not shared between threads).
        let dirs: Vec<(&String, &Vec<(String, StoreId)>)> = by_dir.iter().collect();
        let half = dirs.len().div_ceil(2);
        let (first, second) = dirs.split_at(half);
        let sparse = self.store.sparse_raw();
        let facts_path = self.prov_dir().join(FACTS);
        let facts = read_facts(&facts_path);
        let facts = &facts;
        // First every folder's meta.json, layout and history, with git's own check of each
        // object it reads; then the raw and text files, hashed against that meta.json.
        let (mut mine, mut theirs) = self.on_two_threads(first, second, |archive, dirs| {
            archive.check_folders(dirs, &adding_commits, facts, sparse, cut)
        });
        {
            // git's check of an object it reads is SHA-1 with collision detection, most of
            // the time of a run; a raw or text file's bytes are checked here against the
            // SHA-256 and size in its meta.json, read with git's check above, which says
            // more. So git is spared it for these reads alone (and sets it back after).
            let _unchecked = self.store.unchecked_reads();
            let (pending_mine, pending_theirs) = (
                std::mem::take(&mut mine.pending),
                std::mem::take(&mut theirs.pending),
            );
            let (files_mine, files_theirs) =
                self.on_two_threads(&pending_mine[..], &pending_theirs[..], |archive, p| {
                    archive.check_files(p, sparse)
                });
            mine.absorb(files_mine);
            theirs.absorb(files_theirs);
        }
        mine.learned.extend(theirs.learned);
        if remember {
            write_facts(&facts_path, &mine.learned);
        }
        mine.problems.extend(theirs.problems);
        mine.differs.extend(theirs.differs);
        problems.extend(mine.problems);
        let (files, bytes) = (mine.files + theirs.files, mine.bytes + theirs.bytes);
        let mut problem = |capture: Option<&str>, path: &str, what: String| {
            problems.push(Problem {
                capture: capture.map(str::to_string),
                path: path.to_string(),
                problem: what,
            });
        };

        // Captures that a later commit removed from the branch.
        let present: BTreeSet<&str> = by_dir.keys().filter_map(|d| d.rsplit('/').next()).collect();
        for (capture, commit) in &adding_commits {
            if !present.contains(capture.as_str()) {
                problem(
                    Some(capture),
                    SNAPSHOTS,
                    format!("removed from the branch after the commit that added it ({commit})"),
                );
            }
        }

        // The chain of record, and refile records unchanged since the commits that added them.
        let chain_facts_path = self.prov_dir().join(CHAIN_FACTS);
        let known = read_chain_facts(&chain_facts_path);
        let mut learned = Vec::new();
        let mut refile_adds: BTreeMap<String, (StoreId, StoreId)> = BTreeMap::new();
        if let Some(h) = head {
            self.check_chain(h, &known, &mut learned, &mut refile_adds, &mut problem);
        }
        if remember {
            write_chain_facts(&chain_facts_path, &learned);
        }
        let refiles_now: BTreeMap<String, StoreId> =
            self.store.blobs_under(None, REFILES)?.into_iter().collect();
        for (path, (commit, blob)) in &refile_adds {
            let capture = path.split('/').nth(1);
            match refiles_now.get(path) {
                None => problem(
                    capture,
                    path,
                    format!("removed after the commit that added it ({commit})"),
                ),
                Some(now) if now != blob => problem(
                    capture,
                    path,
                    format!("changed after the commit that added it ({commit})"),
                ),
                Some(_) => {}
            }
        }

        // Refile records: readable, and naming a capture the archive holds.
        let mut refiles = Vec::new();
        for (path, id) in self.store.blobs_under(None, REFILES)? {
            let folder = path.split('/').nth(1);
            match self
                .store
                .blob(id)
                .map_err(|e| e.to_string())
                .and_then(|b| Refile::parse(&path, &b))
            {
                Ok(r) if !present.contains(r.capture.as_str()) => problem(
                    Some(&r.capture),
                    &path,
                    format!(
                        "it refiles capture {}, which the archive does not hold",
                        r.capture
                    ),
                ),
                Ok(r) => refiles.push(r),
                Err(e) => problem(folder, &path, format!("corrupt: {e}")),
            }
        }
        // Captures re-derived differently are named where they are filed now.
        let filed = super::refile::latest(&refiles);
        for d in &mut mine.differs {
            if let Some(r) = filed.get(&d.capture) {
                d.article.clone_from(&r.to.article);
                d.copy.clone_from(&r.to.copy);
            }
        }

        // The index must agree with HEAD under snapshots/, or the user's next `git commit`
        // would change or delete captures.
        let staged = self.store.index_under(SNAPSHOTS)?;
        let committed_ids: BTreeMap<&str, StoreId> =
            blobs.iter().map(|(p, id)| (p.as_str(), *id)).collect();
        let staged_ids: BTreeMap<&str, StoreId> =
            staged.iter().map(|(p, id)| (p.as_str(), *id)).collect();
        for (path, id) in &committed_ids {
            if staged_ids.get(path) != Some(id) {
                problem(
                    None,
                    path,
                    "staged for change or deletion in git's index".into(),
                );
            }
        }
        for path in staged_ids
            .keys()
            .filter(|p| !committed_ids.contains_key(*p))
        {
            problem(
                None,
                path,
                "staged in git's index but not in the history".into(),
            );
        }

        // Files in the work tree that the history does not have.
        let committed: BTreeSet<&str> = blobs.iter().map(|(p, _)| p.as_str()).collect();
        let mut stack = vec![self.root.join(SNAPSHOTS)];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            let mut entries: Vec<_> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(rel) = p.strip_prefix(&self.root) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if !committed.contains(rel.as_str()) {
                        problem(
                            None,
                            &rel,
                            "a stray file in the work tree, not in the history".into(),
                        );
                    }
                }
            }
        }

        // In folder order, as the halves were.
        let differs = mine.differs;

        problems.sort_by(|a, b| (&a.path, &a.problem).cmp(&(&b.path, &b.problem)));
        Ok(Report {
            head: head.map(|h| h.to_string()),
            last_verified,
            commits,
            captures: by_dir.len(),
            files,
            bytes,
            problems,
            renormalized_differently: differs,
        })
    }
}

/// `.git/prov/chain-facts`: one line per commit whose changes to the record were hashed by
/// an earlier `verify`: `commit<TAB>files hash`. A commit never changes, so neither does the
/// hash of its changes; reading them again costs the whole `snapshots` tree per commit.
const CHAIN_FACTS: &str = "chain-facts";

fn read_chain_facts(path: &std::path::Path) -> std::collections::HashMap<StoreId, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let whole = text.rfind('\n').map_or("", |end| &text[..end]);
    whole
        .lines()
        .filter_map(|l| {
            let (c, h) = l.split_once('\t')?;
            let ok = h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
            Some((c.parse::<StoreId>().ok()?, h.to_string())).filter(|_| ok)
        })
        .collect()
}

/// Append facts learned (derived data: a failure costs the next run time only).
fn write_chain_facts(path: &std::path::Path, learned: &[(StoreId, String)]) {
    if learned.is_empty() {
        return;
    }
    let text: String = learned.iter().map(|(c, h)| format!("{c}\t{h}\n")).collect();
    crate::append_to_cache(path, &text);
}

impl Archive {
    /// Walk the whole history from the root in the order of record: every commit carrying a
    /// chain link must change exactly the files it recorded and follow from the link before
    /// it on its first-parent line; once a line has a link, a commit that changes the record
    /// without one was not made by prov. Also collects the first commit that added each refile
    /// record. The hash of a commit's changes is remembered (`known`, `learned`).
    fn check_chain(
        &self,
        head: StoreId,
        known: &std::collections::HashMap<StoreId, String>,
        learned: &mut Vec<(StoreId, String)>,
        refile_adds: &mut BTreeMap<String, (StoreId, StoreId)>,
        problem: &mut impl FnMut(Option<&str>, &str, String),
    ) {
        let nothing = super::chain::files_hash(&[]);
        let (order, _) = self.store.record_order(head);
        let mut in_force: std::collections::HashMap<StoreId, Option<String>> =
            std::collections::HashMap::new();
        for w in &order {
            let id = w.id;
            let previous = w
                .parents
                .first()
                .and_then(|p| in_force.get(p).cloned())
                .flatten();
            let message = self.store.message(id).unwrap_or_default();
            // Refile records are few: their changes are read every time.
            for (path, blob) in self
                .store
                .record_changes(id, &[REFILES])
                .unwrap_or_default()
            {
                if let Some(blob) = blob {
                    refile_adds.entry(path).or_insert((id, blob));
                }
            }
            let changes = || -> Result<(String, Option<String>), String> {
                if let Some(h) = known.get(&id) {
                    return Ok((h.clone(), None));
                }
                let changes = self
                    .store
                    .record_changes(id, &[SNAPSHOTS, REFILES])
                    .map_err(|e| e.to_string())?;
                let first = changes.first().map(|(p, _)| record_folder(p));
                let hex: Vec<(String, Option<String>)> = changes
                    .into_iter()
                    .map(|(p, b)| (p, b.map(|b| b.to_string())))
                    .collect();
                Ok((super::chain::files_hash(&hex), first))
            };
            let name = w
                .capture
                .clone()
                .or_else(|| super::git::trailer(&message, "Prov-Refile"));
            let (files, first) = match changes() {
                Ok((h, first)) => {
                    if !known.contains_key(&id) {
                        learned.push((id, h.clone()));
                    }
                    (h, first)
                }
                Err(e) => {
                    problem(
                        name.as_deref(),
                        ".git",
                        format!("commit {id} cannot be read: {e}"),
                    );
                    in_force.insert(id, previous);
                    continue;
                }
            };
            let place =
                |first: &Option<String>| first.clone().unwrap_or_else(|| SNAPSHOTS.to_string());
            match super::chain::of_message(&message) {
                Some((recorded, link)) => {
                    if recorded != files {
                        problem(
                            name.as_deref(),
                            &place(&first),
                            format!(
                                "commit {id} changes other files than it recorded (Prov-Files): rewritten after prov made it"
                            ),
                        );
                    } else if super::chain::link(previous.as_deref(), &recorded) != link {
                        problem(
                            name.as_deref(),
                            &place(&first),
                            format!(
                                "commit {id}'s chain link does not follow from the prov commit before it: a commit recorded before it was removed or changed (history rewritten)"
                            ),
                        );
                    }
                    in_force.insert(id, Some(link));
                }
                None => {
                    if previous.is_some() && files != nothing {
                        problem(
                            name.as_deref(),
                            &place(&first),
                            format!(
                                "commit {id} changes the record without a chain link: it was not made by prov (but by git, or an older prov)"
                            ),
                        );
                    }
                    in_force.insert(id, previous);
                }
            }
        }
    }
}

/// The capture folder (`snapshots/a/c/id`) or refile folder (`refiles/id`) a path is in.
fn record_folder(path: &str) -> String {
    let depth = if path.starts_with(&format!("{REFILES}/")) {
        2
    } else {
        4
    };
    path.split('/').take(depth).collect::<Vec<_>>().join("/")
}

/// What the checks of some capture folders found.
#[derive(Debug, Default)]
struct Checked {
    problems: Vec<Problem>,
    files: usize,
    bytes: u64,
    differs: Vec<Differs>,
    /// Folder contents read from adding commits, to remember.
    learned: Vec<Fact>,
    /// Folders whose raw and text files are still to be read and hashed.
    pending: Vec<Pending>,
}

impl Checked {
    /// Take in what the checks of the same folders' files found.
    fn absorb(&mut self, files: Checked) {
        self.problems.extend(files.problems);
        self.files += files.files;
        self.bytes += files.bytes;
        self.differs.extend(files.differs);
    }
}

/// A capture folder whose meta.json was read and is sound: its raw and text files to read and
/// hash (each with its blob in HEAD), and the work tree's copies to compare.
#[derive(Debug)]
struct Pending {
    dir: String,
    meta: Meta,
    /// The files meta.json names that HEAD has: name and blob.
    files: Vec<(String, StoreId)>,
}

/// Which files a capture folder held in the commit that added it, as read from git by an
/// earlier `verify`: (commit, folder) → (path, blob) in path order. A commit never changes,
/// so neither does the fact; it spares reading every adding commit's trees again (each commit
/// rewrites the `snapshots` tree, so that read grows with the archive).
type Facts = BTreeMap<(String, String), Vec<(String, StoreId)>>;
pub(crate) type Fact = ((String, String), Vec<(String, StoreId)>);

/// `.git/prov/folder-facts`: one line per fact, `commit<TAB>folder<TAB>name oid<TAB>...`.
pub(crate) const FACTS: &str = "folder-facts";

fn read_facts(path: &std::path::Path) -> Facts {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let whole = text.rfind('\n').map_or("", |end| &text[..end]);
    let mut out = Facts::new();
    for line in whole.lines() {
        let mut fields = line.split('\t');
        let (Some(commit), Some(dir)) = (fields.next(), fields.next()) else {
            continue;
        };
        let files: Option<Vec<(String, StoreId)>> = fields
            .map(|f| {
                let (name, id) = f.split_once(' ')?;
                Some((format!("{dir}/{name}"), id.parse::<StoreId>().ok()?))
            })
            .collect();
        if let Some(files) = files {
            out.insert((commit.to_string(), dir.to_string()), files);
        }
    }
    out
}

/// Append facts (learned by `verify`, or recorded by the bulk writer as it commits); derived
/// data, so a failure costs the next run time only.
pub(crate) fn write_facts(path: &std::path::Path, learned: &[Fact]) {
    let mut text = String::new();
    for ((commit, dir), files) in learned {
        let prefix = format!("{dir}/");
        let plain = |s: &str| !s.contains(['\t', '\n', '\r', ' ']);
        if files.is_empty()
            || !plain(dir)
            || !files
                .iter()
                .all(|(p, _)| p.starts_with(&prefix) && plain(&p[prefix.len()..]))
        {
            continue;
        }
        text.push_str(&format!("{commit}\t{dir}"));
        for (p, id) in files {
            text.push_str(&format!("\t{} {id}", &p[prefix.len()..]));
        }
        text.push('\n');
    }
    if text.is_empty() {
        return;
    }
    crate::append_to_cache(path, &text);
}

impl Archive {
    /// `work` over `mine` here and over `theirs` on a second thread with a repository handle
    /// of its own (git2's is not shared between threads); over `theirs` here too when that
    /// thread cannot open the archive or fails.
    fn on_two_threads<T: Sync + ?Sized, R: Send>(
        &self,
        mine: &T,
        theirs: &T,
        work: impl Fn(&Archive, &T) -> R + Sync,
    ) -> (R, R) {
        let root = &self.root;
        let work = &work;
        std::thread::scope(|scope| {
            let other = scope.spawn(move || -> Result<R, ArchiveError> {
                Ok(work(&Archive::open(root)?, theirs))
            });
            let mine = work(self, mine);
            let theirs = match other.join() {
                Ok(Ok(r)) => r,
                _ => work(self, theirs),
            };
            (mine, theirs)
        })
    }

    /// The first pass over capture folders: meta.json read (with git's check) and parsed, the
    /// folder's layout, the commit that added it, the work tree's copies of all but the raw
    /// and text files; those are left `pending` for [`Archive::check_files`].
    fn check_folders(
        &self,
        dirs: &[(&String, &Vec<(String, StoreId)>)],
        adding_commits: &BTreeMap<String, StoreId>,
        remembered_facts: &Facts,
        sparse: bool,
        cut: bool,
    ) -> Checked {
        let mut out = Checked::default();
        let mut problems = Vec::new();
        let mut problem = |capture: Option<&str>, path: &str, what: String| {
            problems.push(Problem {
                capture: capture.map(str::to_string),
                path: path.to_string(),
                problem: what,
            });
        };
        for (dir, entries) in dirs {
            let dir = dir.as_str();
            let id = dir.rsplit('/').next().unwrap_or_default();
            let cap = Some(id);
            let get = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, id)| *id);
            let Some(meta_id) = get("meta.json") else {
                problem(cap, &format!("{dir}/meta.json"), "missing".into());
                continue;
            };
            let meta_bytes = match self.store.blob(meta_id) {
                Ok(b) => b,
                Err(e) => {
                    problem(cap, &format!("{dir}/meta.json"), format!("corrupt: {e}"));
                    continue;
                }
            };
            let meta = match Meta::from_json(&meta_bytes) {
                Ok(m) => m,
                Err(e) => {
                    problem(cap, &format!("{dir}/meta.json"), format!("corrupt: {e}"));
                    continue;
                }
            };
            let expected = format!(
                "{SNAPSHOTS}/{}/{}/{}",
                meta.article, meta.copy, meta.capture
            );
            if expected != dir {
                problem(
                    cap,
                    &format!("{dir}/meta.json"),
                    format!("it names {expected}, not its own folder"),
                );
            }
            let mut known: BTreeSet<&str> = ["meta.json"].into();
            let mut files = Vec::new();
            for f in std::iter::once(&meta.raw).chain(meta.text.as_ref()) {
                known.insert(f.file.as_str());
                match get(&f.file) {
                    Some(blob) => files.push((f.file.clone(), blob)),
                    None => problem(
                        cap,
                        &format!("{dir}/{}", f.file),
                        "missing from the history".into(),
                    ),
                }
            }
            for (name, _) in entries.iter() {
                if !known.contains(name.as_str()) {
                    problem(
                        cap,
                        &format!("{dir}/{name}"),
                        "a stray file in a capture folder".into(),
                    );
                }
            }
            // The files must be those of the commit that added the capture.
            match adding_commits.get(id) {
                None if cut || self.store.is_shallow() => problem(
                    cap,
                    dir,
                    "no readable commit added this capture: the history is cut (see .git)".into(),
                ),
                None => problem(cap, dir, "no prov commit added this capture".into()),
                Some(commit) => {
                    let now: Vec<(String, StoreId)> = entries
                        .iter()
                        .map(|(n, id)| (format!("{dir}/{n}"), *id))
                        .collect();
                    // A fact remembered from an earlier run spares reading that commit's
                    // trees when it agrees with HEAD; when it does not, git is asked again.
                    let key = (commit.to_string(), dir.to_string());
                    let remembered = remembered_facts.get(&key).is_some_and(|then| *then == now);
                    let then = if remembered {
                        now.clone()
                    } else {
                        let then = self
                            .store
                            .blobs_under(Some(*commit), dir)
                            .unwrap_or_default();
                        out.learned.push((key, then.clone()));
                        then
                    };
                    if then != now {
                        problem(
                            cap,
                            dir,
                            format!("changed after the commit that added it ({commit})"),
                        );
                    }
                }
            }
            // The work tree must hold what was committed: here all but the files left pending.
            for (name, blob) in entries.iter() {
                if files.iter().any(|(f, _)| f == name) {
                    continue;
                }
                let path = format!("{dir}/{name}");
                let committed = if name == "meta.json" {
                    Some(meta_bytes.as_slice())
                } else {
                    None
                };
                if let Some(p) = self.work_tree_problem(&path, *blob, committed, sparse) {
                    problem(cap, &path, p.into());
                }
            }
            out.pending.push(Pending {
                dir: dir.to_string(),
                meta,
                files,
            });
        }
        out.problems = problems;
        out
    }

    /// The second pass: each pending folder's raw and text files read once, their size and
    /// SHA-256 checked against meta.json, compared with the work tree's copies; and, for a
    /// capture cleaned by another normalizer, whether today's would clean it differently.
    fn check_files(&self, pending: &[Pending], sparse: bool) -> Checked {
        let mut out = Checked::default();
        let today = self.normalizer_id();
        for p in pending {
            let dir = p.dir.as_str();
            let cap = dir.rsplit('/').next();
            let problems_before = out.problems.len();
            let mut problem = |path: &str, what: String| {
                out.problems.push(Problem {
                    capture: cap.map(str::to_string),
                    path: path.to_string(),
                    problem: what,
                });
            };
            let mut committed: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
            for f in std::iter::once(&p.meta.raw).chain(p.meta.text.as_ref()) {
                let Some((_, blob)) = p.files.iter().find(|(name, _)| *name == f.file) else {
                    continue;
                };
                let path = format!("{dir}/{}", f.file);
                match self.store.blob(*blob) {
                    Ok(b) => {
                        out.files += 1;
                        out.bytes += b.len() as u64;
                        if b.len() as u64 != f.size || sha256_hex(&b) != f.sha256 {
                            problem(&path, "its sha256 or size differs from meta.json".into());
                        }
                        if let Some(w) = self.work_tree_problem(&path, *blob, Some(&b), sparse) {
                            problem(&path, w.into());
                        }
                        committed.insert(f.file.as_str(), b);
                    }
                    Err(e) => problem(&path, format!("cannot be read from git: {e}")),
                }
            }
            // Not a failure: where today's normalizer would clean differently. A text made by
            // today's normalizer is today's text; others are re-derived (cached). Files that
            // failed their check are named above: a text changed by hand is not the
            // normalizer's doing, so no notice blames it.
            let intact = out.problems.len() == problems_before;
            if intact && p.meta.kind == Kind::Page && !p.meta.normalizer.same_as(&today) {
                let recorded = p
                    .meta
                    .text
                    .as_ref()
                    .and_then(|t| committed.get(t.file.as_str()));
                let c = Capture {
                    meta: p.meta.clone(),
                    dir: dir.to_string(),
                    refiled: None,
                };
                if let (Ok(now), Some(recorded)) = (self.current_text(&c), recorded)
                    && now.as_bytes() != recorded.as_slice()
                {
                    out.differs.push(Differs {
                        capture: c.id().into(),
                        article: c.article().into(),
                        copy: c.copy().into(),
                        recorded_version: c.meta.normalizer.version,
                    });
                }
            }
        }
        out
    }

    /// What is wrong with the work tree's copy of a committed file, if anything: missing
    /// (but for a raw file of a sparse archive), or not the committed bytes (`committed`
    /// when already read, else the blob).
    fn work_tree_problem(
        &self,
        path: &str,
        blob: StoreId,
        committed: Option<&[u8]>,
        sparse: bool,
    ) -> Option<&'static str> {
        match std::fs::read(self.root.join(path)) {
            Ok(b) => {
                let same = match committed {
                    Some(c) => c == b.as_slice(),
                    None => self.store.blob(blob).is_ok_and(|c| c == b),
                };
                (!same).then_some("the work tree's copy differs from the committed file")
            }
            Err(e)
                if sparse
                    && e.kind() == std::io::ErrorKind::NotFound
                    && super::git::is_raw_file(path) =>
            {
                None
            }
            Err(_) => Some("missing from the work tree"),
        }
    }
}
