//! Fuzz the WARC reader (plain and gzip, detected from the bytes) and each record's judgement: never a panic, bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prov::fetch::warc::{Item, Reader, judge};

fuzz_target!(|bytes: &[u8]| {
    let limit = 1 << 20;
    for (n, item) in Reader::new(bytes, limit).enumerate() {
        if n > 10_000 {
            break;
        }
        if let Item::Record(record) = item {
            let _ = judge(&record, "fuzz.warc", "fuzz.warc", limit);
        }
    }
});
