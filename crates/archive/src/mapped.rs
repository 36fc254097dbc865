//! Private derived files under `.git/prov` read in place: mapped when the system allows,
//! read whole when not, and replaced only by writing a new file and renaming it over.

use std::path::Path;

/// A file's bytes: mapped from disk, or owned (read, or just made).
#[derive(Debug)]
pub(crate) enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// Map the file at `path`, or read it when it cannot be mapped; `None` if it cannot be opened.
pub(crate) fn open(path: &Path) -> Option<Bytes> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: a mapped file must not change under the map. prov never writes or truncates
    // these files in place: they are private derived data under `.git/prov`, and every writer
    // (`write_atomically`) writes a new file and renames it over the old, which leaves the
    // mapped inode as it was. One of prov's two `unsafe`s (the other is in `utf8`; the crate
    // denies it elsewhere).
    #[allow(unsafe_code)]
    let map = unsafe { memmap2::Mmap::map(&file) };
    match map {
        Ok(map) => Some(Bytes::Mapped(map)),
        Err(_) => std::fs::read(path).ok().map(Bytes::Owned),
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder renamed over it, so
/// that a reader (or a map) sees the old file or the new one, never a mix. `false` if it
/// could not be written; these files are derived, so that costs the next reader time only.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return false;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let tmp = dir.join(format!(
        "{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_ok() {
        return true;
    }
    let _ = std::fs::remove_file(&tmp);
    false
}
