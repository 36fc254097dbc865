//! What a command gets from the edge (where it runs, which archive, what the terminal is) and
//! the archive it opens through it; `cli` fills it in once and every command reads it.

use std::path::PathBuf;

use crate::archive::Archive;
use crate::commands::CliError;

/// What every command may need from the edge: where it runs, the archive, colour.
#[derive(Debug)]
pub struct Ctx {
    pub archive_dir: Option<PathBuf>,
    pub cwd: PathBuf,
    pub color: bool,
    /// stderr is a terminal: show progress bars there (decided once, at the edge).
    pub progress: bool,
    /// stdout's width in columns when it is a terminal (tables are cut to it), else `None`.
    pub width: Option<usize>,
    /// stdout is a terminal (a person reads it: long runs count what is routine).
    pub stdout_terminal: bool,
}

impl Ctx {
    /// The archive named by `--archive`/`PROV_ARCHIVE`, else the nearest one above the current folder.
    pub fn archive(&self) -> Result<Archive, CliError> {
        let archive = match &self.archive_dir {
            Some(dir) => {
                let root = self.cwd.join(dir);
                if !root.join(crate::config::FILE_NAME).is_file() {
                    return Err(CliError::new(format!(
                        "{} is not a prov archive (it has no prov.toml; run `prov init` there)",
                        root.display()
                    )));
                }
                Archive::open(&root)?
            }
            None => Archive::discover(&self.cwd)?,
        };
        archive.recover_if_free()?;
        Ok(archive)
    }

    /// Take the archive's write lock, saying so on stderr if another prov holds it.
    pub fn lock(&self, archive: &Archive) -> Result<crate::archive::WriteLock, CliError> {
        Ok(archive.lock(&mut || self.waiting())?)
    }

    /// Said once when another prov holds the archive's lock.
    pub fn waiting(&self) {
        eprintln!("prov: another prov is writing to this archive; waiting for it to finish");
    }

    /// The archive if there is one; commands that can work on plain files use this.
    pub fn archive_if_any(&self) -> Result<Option<Archive>, CliError> {
        if self.archive_dir.is_some() {
            return self.archive().map(Some);
        }
        match Archive::discover(&self.cwd) {
            Ok(a) => {
                a.recover_if_free()?;
                Ok(Some(a))
            }
            // Only the absence of an archive means "work on plain files"; a broken one is an error.
            Err(crate::archive::ArchiveError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
