//! The one error users see: a sentence for stderr and the exit status it implies.

use crate::archive::ArchiveError;
use crate::archive::refs::RefError;
use crate::config::ConfigError;
use crate::fetch::FetchError;
use crate::timefmt::TimeError;

/// Exit statuses of the spec.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDING: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// An error turned into a sentence; always exit status 2.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    /// The reader of our output went away (`prov log | head`): exit quietly.
    pub broken_pipe: bool,
}

impl CliError {
    pub fn new(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            broken_pipe: false,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

macro_rules! from_error {
    ($($t:ty),*) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> CliError {
                CliError::new(e.to_string())
            }
        }
    )*};
}
from_error!(ArchiveError, RefError, ConfigError, FetchError, TimeError);

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError {
            message: format!("cannot write the output: {e}"),
            broken_pipe: e.kind() == std::io::ErrorKind::BrokenPipe,
        }
    }
}

/// What a command found: nothing to report (0) or a finding (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Finding,
    /// Some sources failed while others succeeded; each failure was already reported.
    PartialFailure,
}

impl Outcome {
    pub fn code(self) -> i32 {
        match self {
            Outcome::Ok => EXIT_OK,
            Outcome::Finding => EXIT_FINDING,
            Outcome::PartialFailure => EXIT_ERROR,
        }
    }
}
