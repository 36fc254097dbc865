//! `prov.toml`: the archive's settings and per-site rules.
