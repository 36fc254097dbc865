//! The archive: captures kept as files under `snapshots/` in a git repository, one commit per capture.
