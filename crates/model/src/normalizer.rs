//! The identity of a normalizer (meta.json's `normalizer`): texts are compared only when made by one and the same.

use serde::{Deserialize, Serialize};

use crate::hash::sha256_hex;

/// The identity of the normalizer in force: its version and the hash of the rules' text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormalizerId {
    pub version: u32,
    pub rules_sha256: String,
    /// The per-site rules in force, as text (built-in rules are covered by `version`).
    pub rules: String,
}

impl NormalizerId {
    /// The normalizer of `version` with the per-site rules `rules` (as text).
    pub fn of(version: u32, rules: String) -> NormalizerId {
        NormalizerId {
            version,
            rules_sha256: sha256_hex(rules.as_bytes()),
            rules,
        }
    }

    /// Whether texts made under `self` and `other` are made by one and the same normalizer.
    pub fn same_as(&self, other: &NormalizerId) -> bool {
        self.version == other.version && self.rules_sha256 == other.rules_sha256
    }
}
