//! What a fixity check found (`prov verify`, a report's check): the data, not the checking.

use serde::Serialize;

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
