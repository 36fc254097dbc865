//! prov: capture news articles verbatim, derive their clean text, diff it and keep it all in git.
//!
//! The pipeline is one module per stage: [`fetch`] reads a source into bytes, [`normalize`]
//! turns bytes into clean text (pure), [`diff`] compares clean texts (pure), [`archive`]
//! keeps captures in a git repository, and [`cli`] parses arguments and dispatches to
//! `commands`. Only `cli` and `commands` touch the terminal.

pub use prov_archive as archive;
pub mod cli;
pub mod commands;
pub mod config;
pub use prov_diff as diff;
pub use prov_fetch as fetch;
pub use prov_matching as matching;
pub use prov_normalize as normalize;
pub use prov_provenance as provenance;
pub use prov_report as report;
pub mod timefmt;
use prov_text::utf8;
pub use prov_watch as watch;
