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
    /// Every article's name, sorted, each once.
    fn article_names(&self) -> Result<Vec<String>, ArchiveError>;
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
    fn article_names(&self) -> Result<Vec<String>, ArchiveError> {
        let names: std::collections::BTreeSet<&str> = self.iter().map(Capture::article).collect();
        Ok(names.into_iter().map(str::to_string).collect())
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
    fn article_names(&self) -> Result<Vec<String>, ArchiveError> {
        self.as_slice().article_names()
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
    fn article_names(&self) -> Result<Vec<String>, ArchiveError> {
        let mut names: std::collections::BTreeSet<String> =
            self.read(Index::article_names)?.into_iter().collect();
        // Articles every capture was refiled out of hold none now; those refiled into, some.
        let sources: std::collections::BTreeSet<&str> = self
            .refiles
            .values()
            .map(|r| r.from.article.as_str())
            .collect();
        for s in sources {
            if self.of_article(s, None)?.is_empty() {
                names.remove(s);
            }
        }
        names.extend(self.refiles.values().map(|r| r.to.article.clone()));
        Ok(names.into_iter().collect())
    }
}

/// "1 capture", "3 captures".
fn captures(n: usize) -> String {
    if n == 1 {
        "1 capture".to_string()
    } else {
        format!("{n} captures")
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
    #[error("{reference:?} names no capture, article, commit or file{}", did_you_mean(.suggestions))]
    Unknown {
        reference: String,
        suggestions: Vec<String>,
    },
    #[error("the archive has no article named {name:?}{}", did_you_mean(.suggestions))]
    NoArticle {
        name: String,
        suggestions: Vec<String>,
    },
    #[error("{name:?} begins the names of several articles: {}", list_names(.candidates))]
    AmbiguousArticle {
        name: String,
        candidates: Vec<String>,
    },
    #[error("{reference:?} is ambiguous; it could be {}", .candidates.join(", or "))]
    Ambiguous {
        reference: String,
        candidates: Vec<String>,
    },
    #[error("{reference:?}: {article} has {}, numbered from 1", captures(*.count))]
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
    resolve_noted(archive, captures, reference, cwd).map(|(r, _)| r)
}

/// [`resolve`], with a sentence saying so when `ARTICLE` or `ARTICLE/COPY` stood for an
/// earlier capture than the latest (the latest is gone, moved or without text): the reader
/// is shown evidence older than the newest, and must know it.
pub fn resolve_noted(
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
    cwd: &Path,
) -> Result<(Resolved, Option<String>), RefError> {
    let mut passed_over: Option<(String, Entry)> = None;
    let resolved = resolve_with(archive, captures, reference, cwd, &mut passed_over)?;
    let note = match (&resolved, passed_over) {
        (Resolved::Capture(c), Some((chosen, latest))) if c.id() == chosen => Some(format!(
            "{reference}: the latest capture, {}, {}; showing {chosen}, the last capture with text",
            latest.capture,
            passed_over_because(&latest)
        )),
        _ => None,
    };
    Ok((resolved, note))
}

/// Why the latest capture gave way to an earlier one.
fn passed_over_because(latest: &Entry) -> &'static str {
    match latest.kind {
        super::Kind::Gone => "records the page gone",
        super::Kind::Moved => "records the page moved",
        super::Kind::Page => "has no text",
    }
}

fn resolve_with(
    archive: Option<&Archive>,
    captures: &dyn Lookup,
    reference: &str,
    cwd: &Path,
    passed_over: &mut Option<(String, Entry)>,
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

    if let Some(c) = by_name(captures, reference, passed_over)? {
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
            None => Err(RefError::Unknown {
                reference: reference.to_string(),
                suggestions: suggestions_for(captures, reference)?,
            }),
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
/// When the name alone passes over its latest capture, `passed_over` gets the capture
/// chosen and that latest.
fn by_name(
    captures: &dyn Lookup,
    reference: &str,
    passed_over: &mut Option<(String, Entry)>,
) -> Result<Option<Entry>, RefError> {
    let (name, at) = match reference.rsplit_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (reference, None),
    };
    let (article, copy) = match name.split_once('/') {
        Some((a, c)) => (a, Some(c)),
        None => (name, None),
    };
    let mut list = captures.of_article(article, copy)?;
    if list.is_empty() && copy.is_none_or(|c| !c.is_empty()) {
        // A unique prefix of an article's name stands for it.
        let names = captures.article_names()?;
        if !names.iter().any(|n| n == article) {
            let starting: Vec<&String> = names.iter().filter(|n| n.starts_with(article)).collect();
            match starting.as_slice() {
                [] => {}
                [one] => list = captures.of_article(one, copy)?,
                several => {
                    return Err(RefError::AmbiguousArticle {
                        name: article.to_string(),
                        candidates: several.iter().map(|s| s.to_string()).collect(),
                    });
                }
            }
        }
    }
    if list.is_empty() {
        return Ok(None);
    }
    let index = match at {
        // The article (or copy) alone means its text as last seen: a latest capture that
        // records the page gone or moved, or bytes without text, gives way to the last one
        // with text (`@latest` is the latest, whatever it holds).
        None => list
            .iter()
            .rposition(|e| e.kind == super::Kind::Page && !super::textless(e.text.as_ref()))
            .unwrap_or(list.len() - 1),
        Some("latest") => list.len() - 1,
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
    if index + 1 < list.len() && at.is_none() {
        *passed_over = Some((list[index].capture.clone(), list[list.len() - 1].clone()));
    }
    Ok(Some(list.swap_remove(index)))
}

/// The article part of a reference (`ARTICLE` of `ARTICLE/COPY@N`).
/// What a reference that names nothing may have meant: when its article part names an
/// article and a copy follows (`ARTICLE/COPY[@N]`), that article's copies closest to the copy
/// given (all of them, up to five, when none is close), since the article was right; else
/// the closest article names.
fn suggestions_for(captures: &dyn Lookup, reference: &str) -> Result<Vec<String>, ArchiveError> {
    let names = captures.article_names()?;
    let name = reference.rsplit_once('@').map_or(reference, |(n, _)| n);
    if let Some((article, copy)) = name.split_once('/')
        && let Ok(article) = article_named(&names, article)
    {
        let mut copies: Vec<String> = captures
            .of_article(&article, None)?
            .into_iter()
            .map(|e| e.copy)
            .collect();
        copies.sort();
        copies.dedup();
        let close = suggest(&copies, copy);
        let shown = if close.is_empty() { copies } else { close };
        return Ok(shown
            .into_iter()
            .take(5)
            .map(|c| format!("{article}/{c}"))
            .collect());
    }
    Ok(suggest(&names, name_part(reference)))
}

fn name_part(reference: &str) -> &str {
    let name = reference.rsplit_once('@').map_or(reference, |(n, _)| n);
    name.split_once('/').map_or(name, |(a, _)| a)
}

/// The article `name` means among `names` (sorted): its own, else the one whose name begins
/// with it; no match is an error naming the closest names, several one listing them.
pub fn article_named(names: &[String], name: &str) -> Result<String, RefError> {
    if names.iter().any(|n| n == name) {
        return Ok(name.to_string());
    }
    let starting: Vec<&String> = names.iter().filter(|n| n.starts_with(name)).collect();
    match starting.as_slice() {
        [one] if !name.is_empty() => Ok((*one).clone()),
        [] | [_] => Err(RefError::NoArticle {
            name: name.to_string(),
            suggestions: suggest(names, name),
        }),
        several => Err(RefError::AmbiguousArticle {
            name: name.to_string(),
            candidates: several.iter().map(|s| s.to_string()).collect(),
        }),
    }
}

/// Up to five names close to `name`, closest first: within a few edits of it (a third of its
/// length, at least one) as a whole, or of as much of their beginning (a typo in a prefix),
/// or holding it whole (four characters or more). As git suggests commands.
pub fn suggest(names: &[String], name: &str) -> Vec<String> {
    let typed: Vec<char> = name.chars().collect();
    if typed.is_empty() {
        return Vec::new();
    }
    let limit = (typed.len() / 3).max(1);
    let mut scored: Vec<(usize, &String)> = names
        .iter()
        .filter_map(|n| {
            let chars: Vec<char> = n.chars().collect();
            let mut d = edit_distance(&typed, &chars);
            if typed.len() >= 4 && chars.len() > typed.len() {
                d = d.min(edit_distance(&typed, &chars[..typed.len()]));
            }
            if typed.len() >= 4 && n.contains(name) {
                d = d.min(1);
            }
            (d <= limit).then_some((d, n))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n.clone()).collect()
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: the optimal
/// string alignment distance.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        several => format!("; did you mean one of {}?", several.join(", ")),
    }
}

/// Names listed in an error: the first ten, then how many more.
fn list_names(names: &[String]) -> String {
    let mut out = names
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 10 {
        out.push_str(&format!(" and {} more", names.len() - 10));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_count_of_captures_reads_as_english() {
        let out_of = |count| {
            RefError::OutOfRange {
                reference: "a@2".into(),
                article: "a".into(),
                count,
            }
            .to_string()
        };
        assert_eq!(out_of(1), "\"a@2\": a has 1 capture, numbered from 1");
        assert_eq!(out_of(3), "\"a@2\": a has 3 captures, numbered from 1");
    }

    #[test]
    fn an_article_is_named_by_itself_or_a_unique_prefix() {
        let all = names(&["rebirth-of-a-cold-war-alliance", "rebuild", "storm"]);
        assert_eq!(article_named(&all, "storm").unwrap(), "storm");
        assert_eq!(
            article_named(&all, "rebi").unwrap(),
            "rebirth-of-a-cold-war-alliance"
        );
        let e = article_named(&all, "reb").unwrap_err().to_string();
        assert!(e.contains("several") && e.contains("rebuild"), "{e}");
        assert!(article_named(&all, "").is_err());
    }

    #[test]
    fn a_miss_suggests_the_closest_names() {
        let all = names(&[
            "rebirth-of-a-cold-war-alliance",
            "storm",
            "strom-warning",
            "zebra",
        ]);
        assert_eq!(suggest(&all, "stomr"), ["storm"]);
        assert_eq!(suggest(&all, "storm-warning"), ["strom-warning"]);
        assert_eq!(suggest(&all, "zebar"), ["zebra"]);
        assert_eq!(suggest(&all, "rebrith"), ["rebirth-of-a-cold-war-alliance"]);
        assert_eq!(
            suggest(&all, "cold-war"),
            ["rebirth-of-a-cold-war-alliance"]
        );
        assert!(suggest(&all, "quantum").is_empty());
        let e = article_named(&all, "zebar").unwrap_err().to_string();
        assert_eq!(
            e,
            "the archive has no article named \"zebar\"; did you mean zebra?"
        );
        let e = article_named(&all, "storm-warning")
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("; did you mean strom-warning?"), "{e}");
        let all = names(&["storm-a", "storm-b", "calm"]);
        let e = article_named(&all, "storn").unwrap_err().to_string();
        assert!(
            e.ends_with("; did you mean one of storm-a, storm-b?"),
            "{e}"
        );
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("storm", "stomr"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("été", "ete"), 2);
    }
}
