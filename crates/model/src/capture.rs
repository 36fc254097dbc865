//! A capture as the archive holds it (its meta.json and folder), and the refile records that
//! file it elsewhere (`refiles/<capture>/*.json`).

use serde::{Deserialize, Serialize};

use crate::meta::Meta;

/// The folder of the archive that holds the captures.
pub const SNAPSHOTS: &str = "snapshots";

/// One capture as the archive holds it.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Its meta.json, except that `article` and `copy` are where it is filed now: those of
    /// its latest refile, if any (see `refiled`).
    pub meta: Meta,
    /// `snapshots/<article>/<copy>/<capture>`, where it was written (refiles never move it).
    pub dir: String,
    /// The latest refile record of this capture.
    pub refiled: Option<Refile>,
}

impl Capture {
    pub fn id(&self) -> &str {
        &self.meta.capture
    }
    pub fn article(&self) -> &str {
        &self.meta.article
    }
    pub fn copy(&self) -> &str {
        &self.meta.copy
    }
    /// The path of one of its files in the archive (`<dir>/<file>`).
    pub fn path(&self, file: &str) -> String {
        format!("{}/{file}", self.dir)
    }
}

pub const REFILES: &str = "refiles";
/// Raised when the shape of a refile record changes.
pub const REFILE_VERSION: u32 = 1;

/// An article and copy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    pub article: String,
    pub copy: String,
}

/// One refile record, as committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refile {
    pub refile_version: u32,
    pub capture: String,
    pub from: Place,
    pub to: Place,
    /// When it was refiled (RFC 3339, UTC).
    pub time: String,
    /// Who refiled it: the committer, `Name <email>`.
    pub by: String,
    /// The record's path in the archive (not written in the record).
    #[serde(skip)]
    pub path: String,
}

impl Refile {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parse a record found at `path` (`refiles/<capture>/<name>.json`), checking that it
    /// names the capture of its folder and usable names.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<Refile, String> {
        let mut r: Refile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if r.refile_version > REFILE_VERSION {
            return Err(format!(
                "it was written by a newer prov (refile_version {})",
                r.refile_version
            ));
        }
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() != 3 || parts[0] != REFILES || !parts[2].ends_with(".json") {
            return Err(format!("a refile lives at {REFILES}/<capture>/<name>.json"));
        }
        if parts[1] != r.capture {
            return Err(format!("it names capture {}, not its folder's", r.capture));
        }
        for name in [&r.to.article, &r.to.copy] {
            crate::names::check(name).map_err(|e| format!("{name:?}: {e}"))?;
        }
        r.path = path.to_string();
        Ok(r)
    }
}
