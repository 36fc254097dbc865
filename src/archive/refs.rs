//! Capture references: `ARTICLE`, `ARTICLE@N`, `ARTICLE@first|latest`, `ARTICLE/COPY[@N]`, a
//! capture id or a unique prefix of one, a commit id, or a path to a file.

use std::path::{Path, PathBuf};

use super::{Archive, ArchiveError, Capture};

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

/// Resolve `reference` among `captures` (ordered as [`Archive::captures`] gives them).
/// Every reading is tried; more than one distinct answer is an error listing them.
pub fn resolve(
    archive: Option<&Archive>,
    captures: &[Capture],
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
    let mut found: Vec<(String, Resolved)> = Vec::new();
    let push = |label: String, r: Resolved, found: &mut Vec<(String, Resolved)>| {
        let same = found.iter().any(|(_, f)| match (f, &r) {
            (Resolved::Capture(a), Resolved::Capture(b)) => a.id() == b.id(),
            (Resolved::File(a), Resolved::File(b)) => a == b,
            _ => false,
        });
        if !same {
            found.push((label, r));
        }
    };

    if let Some(c) = by_name(captures, reference)? {
        push(
            format!("capture {} ({reference})", c.id()),
            Resolved::Capture(Box::new(c)),
            &mut found,
        );
    }

    // A capture id, or a unique prefix of one.
    let ids: Vec<&Capture> = captures
        .iter()
        .filter(|c| c.id().starts_with(reference))
        .collect();
    let exact: Vec<&&Capture> = ids.iter().filter(|c| c.id() == reference).collect();
    let ids: Vec<&Capture> = if exact.is_empty() {
        ids
    } else {
        exact.into_iter().copied().collect()
    };
    if reference.len() >= 4 {
        for c in &ids {
            push(
                format!("capture {}", c.id()),
                Resolved::Capture(Box::new((*c).clone())),
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
            match capture.and_then(|id| captures.iter().find(|c| c.id() == id)) {
                Some(c) => push(
                    format!("commit {short} (capture {})", c.id()),
                    Resolved::Capture(Box::new(c.clone())),
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
            Resolved::File(PathBuf::from(reference)),
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
        1 => Ok(found.remove(0).1),
        _ => Err(RefError::Ambiguous {
            reference: reference.to_string(),
            candidates: found.into_iter().map(|(l, _)| l).collect(),
        }),
    }
}

/// `ARTICLE`, `ARTICLE@N|first|latest`, `ARTICLE/COPY`, `ARTICLE/COPY@N|first|latest`.
fn by_name(captures: &[Capture], reference: &str) -> Result<Option<Capture>, RefError> {
    let (name, at) = match reference.rsplit_once('@') {
        Some((n, a)) => (n, Some(a)),
        None => (reference, None),
    };
    let (article, copy) = match name.split_once('/') {
        Some((a, c)) => (a, Some(c)),
        None => (name, None),
    };
    let list: Vec<&Capture> = captures
        .iter()
        .filter(|c| c.article() == article && copy.is_none_or(|cp| c.copy() == cp))
        .collect();
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
    Ok(Some(list[index].clone()))
}
