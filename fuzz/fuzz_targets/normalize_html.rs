//! Fuzz the normalizer on bytes taken as HTML: it must never panic, and must be deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use prov::normalize::{Input, Rules, normalize};

fuzz_target!(|bytes: &[u8]| {
    let input = Input { bytes, file_name: Some("raw.html"), ..Default::default() };
    let a = normalize(&input, &Rules::default());
    let b = normalize(&input, &Rules::default());
    assert_eq!(a, b);
});
