//! prov's data model: the types a capture records (meta.json's), which every stage reads and
//! none owns, and the plain functions over them (names, hashes, time formats). Pure data:
//! no I/O, no git, no HTTP, no clock.

pub mod capture;
pub mod facts;
pub mod fixity;
pub mod hash;
pub mod meta;
pub mod names;
pub mod normalizer;
pub mod page;
pub mod time;
pub mod url;

pub use capture::{Capture, Place, REFILES, Refile, SNAPSHOTS};
pub use meta::{FileFacts, FiledBy, Kind, MatchFacts, Meta, TimeSource};
