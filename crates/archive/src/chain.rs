//! The chain of record: every prov commit names the files it adds (`Prov-Files`) and links
//! them to the prov commit before it on its first-parent line (`Prov-Chain`), so that a
//! clone, which has no `verify` mark of its own, still finds a commit dropped, changed or
//! forged by plain git.
//!
//! `Prov-Files` is the SHA-256 of the commit's changes under `snapshots/` and `refiles/`
//! (each path with its blob id, or `-` where it is removed), in path order; `Prov-Chain` the
//! SHA-256 of the previous link and those files. Anyone who can run git can make a commit
//! with a link that holds, knowing this recipe: the chain finds careless and plain-git
//! changes, rewrites and forgeries; only a signature (`git commit -S`) proves who made it.

use prov_config::sha256_hex;

pub const FILES: &str = "Prov-Files";
pub const CHAIN: &str = "Prov-Chain";

/// The hash of a commit's changes: (path, blob id in hex, or `None` where removed).
pub fn files_hash(changes: &[(String, Option<String>)]) -> String {
    let mut sorted: Vec<&(String, Option<String>)> = changes.iter().collect();
    sorted.sort();
    let mut text = String::from("prov-files 1\n");
    for (path, id) in sorted {
        text.push_str(path);
        text.push('\0');
        text.push_str(id.as_deref().unwrap_or("-"));
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// The link of a commit whose files hash to `files`, after the link `previous` (none for
/// the first prov commit of a history).
pub fn link(previous: Option<&str>, files: &str) -> String {
    sha256_hex(format!("prov-chain 1\n{}\n{files}\n", previous.unwrap_or("")).as_bytes())
}

/// The trailer lines to end a prov commit's message with, and its link.
pub fn trailers(previous: Option<&str>, changes: &[(String, Option<String>)]) -> (String, String) {
    let files = files_hash(changes);
    let link = link(previous, &files);
    (format!("{FILES}: {files}\n{CHAIN}: {link}\n"), link)
}

/// The chain's facts of a commit message: its `Prov-Files` and `Prov-Chain`, when it has both.
pub fn of_message(message: &str) -> Option<(String, String)> {
    Some((
        super::git::trailer(message, FILES)?,
        super::git::trailer(message, CHAIN)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_depends_on_the_previous_link_and_every_file() {
        let a = vec![(
            "snapshots/a/b/c/meta.json".to_string(),
            Some("01".to_string()),
        )];
        let b = vec![(
            "snapshots/a/b/c/meta.json".to_string(),
            Some("02".to_string()),
        )];
        assert_eq!(files_hash(&a), files_hash(&a.clone()));
        assert_ne!(files_hash(&a), files_hash(&b));
        let f = files_hash(&a);
        assert_ne!(link(None, &f), link(Some("x"), &f));
        let (t, l) = trailers(None, &a);
        assert_eq!(l, link(None, &f));
        let (files, chain) = of_message(&format!("Subject\n\nProv-Capture: c\n{t}")).unwrap();
        assert_eq!((files.as_str(), chain), (f.as_str(), link(None, &f)));
    }
}
