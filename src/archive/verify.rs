//! Fixity: re-hash every captured file against meta.json and git, check the history, and find what does not belong.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Archive, ArchiveError, Capture, Kind, Meta, REFILES, Refile, SNAPSHOTS};
use crate::config::sha256_hex;

/// One thing wrong with the archive, naming the capture and the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub capture: Option<String>,
    pub path: String,
    pub problem: String,
}

/// A capture today's normalizer cleans differently than recorded: not a failure, a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Differs {
    pub capture: String,
    pub article: String,
    pub copy: String,
    pub recorded_version: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The HEAD that was verified.
    pub head: Option<String>,
    /// The HEAD a previous `prov verify` found intact, if any.
    pub last_verified: Option<String>,
    pub commits: usize,
    pub captures: usize,
    pub files: usize,
    pub bytes: u64,
    pub problems: Vec<Problem>,
    pub renormalized_differently: Vec<Differs>,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

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

    /// What [`Archive::verify`] finds, remembering nothing: for readers such as reports.
    pub fn check(&self) -> Result<Report, ArchiveError> {
        let mut problems = Vec::new();
        let mut problem = |capture: Option<&str>, path: &str, what: String| {
            problems.push(Problem {
                capture: capture.map(str::to_string),
                path: path.to_string(),
                problem: what,
            });
        };
        let head = self.git.head()?;
        let commits = match self.git.check_history() {
            Ok(n) => n,
            Err(e) => {
                problem(None, ".git", format!("the history cannot be read: {e}"));
                0
            }
        };

        // Last verified HEAD: it must still be in the history.
        let verified_path = self.verified_head_path();
        let last_verified = std::fs::read_to_string(&verified_path)
            .ok()
            .map(|s| s.trim().to_string());
        if let (Some(last), Some(h)) = (&last_verified, head) {
            let kept = git2::Oid::from_str(last).is_ok_and(|id| self.git.is_ancestor(id, h));
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
        let blobs = self.git.blobs_under(None, SNAPSHOTS)?;
        let mut by_dir: BTreeMap<String, Vec<(String, git2::Oid)>> = BTreeMap::new();
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

        let adding_commits: BTreeMap<String, git2::Oid> = self
            .git
            .capture_commits()
            .unwrap_or_default()
            .into_iter()
            .rev()
            .collect();
        let mut files = 0;
        let mut bytes = 0u64;
        let mut good: Vec<Capture> = Vec::new();
        for (dir, entries) in &by_dir {
            let id = dir.rsplit('/').next().unwrap_or_default();
            let cap = Some(id);
            let get = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, id)| *id);
            let Some(meta_id) = get("meta.json") else {
                problem(cap, &format!("{dir}/meta.json"), "missing".into());
                continue;
            };
            let meta = match self
                .git
                .blob(meta_id)
                .map_err(|e| e.to_string())
                .and_then(|b| Meta::from_json(&b))
            {
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
            if &expected != dir {
                problem(
                    cap,
                    &format!("{dir}/meta.json"),
                    format!("it names {expected}, not its own folder"),
                );
            }
            let mut known: BTreeSet<&str> = ["meta.json"].into();
            let mut check =
                |name: &str,
                 sha: &str,
                 size: u64,
                 problem: &mut dyn FnMut(Option<&str>, &str, String)| {
                    let path = format!("{dir}/{name}");
                    let Some(blob) = get(name) else {
                        problem(cap, &path, "missing from the history".into());
                        return;
                    };
                    match self.git.blob(blob) {
                        Ok(b) => {
                            files += 1;
                            bytes += b.len() as u64;
                            if sha256_hex(&b) != sha || b.len() as u64 != size {
                                problem(
                                    cap,
                                    &path,
                                    "its sha256 or size differs from meta.json".into(),
                                );
                            }
                        }
                        Err(e) => problem(cap, &path, format!("cannot be read from git: {e}")),
                    }
                };
            known.insert(meta.raw.file.as_str());
            check(
                &meta.raw.file,
                &meta.raw.sha256,
                meta.raw.size,
                &mut problem,
            );
            if let Some(t) = &meta.text {
                known.insert(t.file.as_str());
                check(&t.file, &t.sha256, t.size, &mut problem);
            }
            for (name, _) in entries {
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
                None => problem(cap, dir, "no prov commit added this capture".into()),
                Some(commit) => {
                    let then = self.git.blobs_under(Some(*commit), dir).unwrap_or_default();
                    let now: Vec<(String, git2::Oid)> = entries
                        .iter()
                        .map(|(n, id)| (format!("{dir}/{n}"), *id))
                        .collect();
                    if then != now {
                        problem(
                            cap,
                            dir,
                            format!("changed after the commit that added it ({commit})"),
                        );
                    }
                }
            }
            // The work tree must hold what was committed.
            for (name, blob) in entries {
                let path = format!("{dir}/{name}");
                match std::fs::read(self.root.join(&path)) {
                    Ok(b) => {
                        if self.git.blob(*blob).is_ok_and(|c| c != b) {
                            problem(
                                cap,
                                &path,
                                "the work tree's copy differs from the committed file".into(),
                            );
                        }
                    }
                    Err(_) => problem(cap, &path, "missing from the work tree".into()),
                }
            }
            good.push(Capture {
                meta,
                dir: dir.clone(),
                refiled: None,
            });
        }

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

        // Refile records: readable, and naming a capture the archive holds.
        let mut refiles = Vec::new();
        for (path, id) in self.git.blobs_under(None, REFILES)? {
            let folder = path.split('/').nth(1);
            match self
                .git
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
        super::refile::apply_refiles(&mut good, &refiles);

        // The index must agree with HEAD under snapshots/, or the user's next `git commit`
        // would change or delete captures.
        let staged = self.git.index_under(SNAPSHOTS)?;
        let committed_ids: BTreeMap<&str, git2::Oid> =
            blobs.iter().map(|(p, id)| (p.as_str(), *id)).collect();
        let staged_ids: BTreeMap<&str, git2::Oid> =
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

        // Not a failure: where today's normalizer would clean differently.
        let mut differs = Vec::new();
        for c in good.iter().filter(|c| c.meta.kind == Kind::Page) {
            let (Ok(today), Ok(recorded)) = (self.current_text(c), self.recorded_text(c)) else {
                continue;
            };
            if today != recorded {
                differs.push(Differs {
                    capture: c.id().into(),
                    article: c.article().into(),
                    copy: c.copy().into(),
                    recorded_version: c.meta.normalizer.version,
                });
            }
        }

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
