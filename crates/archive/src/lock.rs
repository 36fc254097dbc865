//! The archive's write lock and recovery: one writer at a time (`.git/prov/lock`, an OS file
//! lock), and the paths a killed capture left behind (`.git/prov/pending`) brought back to
//! HEAD by the next writer or reader.

use std::fs::File;
use std::path::PathBuf;

use super::{Archive, ArchiveError, Backend, REFILES, SNAPSHOTS, io};

/// The exclusive right to write to an archive; released when dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl<S: Backend> Archive<S> {
    pub(super) fn pending_path(&self) -> PathBuf {
        self.prov_dir().join("pending")
    }

    /// The write lock alone (see [`Archive::lock`]), calling `on_wait` once if another prov
    /// holds it; an archive in memory has nothing to recover.
    pub(crate) fn write_lock(&self, on_wait: &mut dyn FnMut()) -> Result<WriteLock, ArchiveError> {
        let dir = self.prov_dir();
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let path = dir.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                file.lock().map_err(io(&path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
        }
        Ok(WriteLock { _file: file })
    }
}

impl Archive {
    /// Take the archive's write lock, calling `on_wait` once if another prov holds it.
    /// Then remove whatever a capture killed in the middle left behind.
    pub fn lock(&self, on_wait: &mut dyn FnMut()) -> Result<WriteLock, ArchiveError> {
        let lock = self.write_lock(on_wait)?;
        self.recover()?;
        Ok(lock)
    }

    /// For readers: if a killed capture left files behind and no writer holds the lock,
    /// repair now, so that what a reader shows (and what a later `git commit` takes) is HEAD.
    pub fn recover_if_free(&self) -> Result<(), ArchiveError> {
        if !self.pending_path().exists() && !self.store.index_lock_exists() {
            return Ok(());
        }
        let path = self.prov_dir().join("lock");
        let Ok(file) = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        else {
            return Ok(());
        };
        if file.try_lock().is_ok() {
            self.recover()?;
        }
        Ok(())
    }

    /// A capture killed before its commit leaves files that HEAD does not have; one killed
    /// after leaves a work tree behind HEAD. Either way, bring those paths to HEAD.
    fn recover(&self) -> Result<(), ArchiveError> {
        self.store.clear_stale_index_lock();
        let pending = self.pending_path();
        let list = match std::fs::read_to_string(&pending) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io(&pending)(e)),
        };
        let paths: Vec<&str> = list
            .lines()
            .filter(|l| {
                (l.starts_with(&format!("{SNAPSHOTS}/")) || l.starts_with(&format!("{REFILES}/")))
                    && !l.contains("..")
            })
            .collect();
        self.store.sync_paths(paths)?;
        std::fs::remove_file(&pending).map_err(io(&pending))?;
        Ok(())
    }
}
