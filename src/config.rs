//! `prov.toml`: its text parsed by `prov-config` ([`prov_config`], re-exported here), the file
//! read by the archive ([`crate::archive::settings`]).

pub use prov_archive::settings::{ConfigError, load};
pub use prov_config::*;
