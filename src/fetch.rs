//! Fetching a source (file, stdin; later HTTP and WARC) into raw bytes and the facts of how they were received.
