//! Time comes in at one place: `PROV_NOW`, `--at`, or the clock, and is formatted the same everywhere.
