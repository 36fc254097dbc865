//! Fuzz the normalizer on bytes taken as a text paste (and sniffed): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prov::normalize::{Input, Rules, normalize};

fuzz_target!(|bytes: &[u8]| {
    let _ = normalize(&Input { bytes, file_name: Some("raw.txt"), ..Default::default() }, &Rules::default());
    let _ = normalize(&Input { bytes, ..Default::default() }, &Rules::default());
});
