//! Time comes in at one place: `PROV_NOW`, `--at`, or the clock; it is parsed and formatted
//! by the data model's `time` (re-exported here), the same everywhere.

use jiff::Timestamp;

pub use prov_model::time::{TimeError, compact, parse, rfc3339, truncate};

/// The environment variable that fixes prov's clock (for tests and reproducible archives).
pub const NOW_VAR: &str = "PROV_NOW";

/// Now: `PROV_NOW` when set, else the system clock. The only place prov reads the clock.
pub fn now() -> Result<Timestamp, TimeError> {
    match std::env::var(NOW_VAR) {
        Ok(v) if !v.trim().is_empty() => parse(&v).map_err(|e| TimeError {
            input: format!("{NOW_VAR}={}", e.input),
        }),
        _ => Ok(truncate(Timestamp::now())),
    }
}
