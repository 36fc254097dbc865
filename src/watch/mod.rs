//! Following articles over time: when each URL is due again, which watcher looks at it, and what feeds announce. Pure; `commands::watch` does the fetching and recording.

pub mod schedule;
