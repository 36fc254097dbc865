//! Weighs the capture index's line format against serde_json and CBOR (a binary serde
//! format) on 100,000 synthetic entries: `cargo run --release --example index_formats`.
//! The figures chose the format of `crates/archive/src/index.rs`.

use std::collections::BTreeMap;
use std::time::Instant;

use prov::archive::index::{Entry, Index};
use prov::archive::{FileFacts, Kind};

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!(
        "{what:<40} {:>8.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    out
}

fn main() {
    let n = 100_000;
    let hex = |i: usize, salt: &str| prov::config::sha256_hex(format!("{salt}{i}").as_bytes());
    let entries: Vec<Entry> = (0..n)
        .map(|i| Entry {
            article: format!("story-{:06}", i % 20_000),
            copy: if i % 2 == 0 {
                "example.com"
            } else {
                "mirror.example.org"
            }
            .into(),
            capture: format!("2017071{}T{:06}Z-{}", i % 10, i, &hex(i, "id")[..8]),
            kind: Kind::Page,
            captured_at: format!("2017-07-14T{:02}:{:02}:00Z", i % 24, i % 60),
            url: Some(format!("https://example.com/news/story-{:06}", i % 20_000)),
            final_url: None,
            content_type: Some("text/html; charset=utf-8".into()),
            raw: FileFacts {
                file: "raw.html".into(),
                sha256: hex(i, "raw"),
                size: 7000,
            },
            text: Some(FileFacts {
                file: "text.txt".into(),
                sha256: hex(i, "text"),
                size: 3000,
            }),
            normalizer_version: 3,
            normalizer_rules_sha256: hex(0, "rules"),
            commit: Some(hex(i, "commit")[..40].to_string()),
            record: Some(i as u64),
        })
        .collect();

    let index = time("line: encode", || {
        Index::build("h", "t", n as u64, &entries, &BTreeMap::new())
    });
    let bytes = index.bytes().to_vec();
    println!("line: {} bytes", bytes.len());
    let parsed = time("line: parse header + checksum", || {
        Index::parse(bytes.clone())
    });
    let parsed = parsed.unwrap_or_else(|| panic!("the index does not parse"));
    let all = time("line: decode all", || parsed.entries());
    assert_eq!(all.as_ref(), Some(&entries));
    time("line: one article (byte search)", || {
        parsed.article("story-012345")
    });
    time("line: capture ids with a prefix", || {
        parsed.with_id_prefix("20170713T0999")
    });

    let json = time("serde_json: encode", || {
        serde_json::to_vec(&entries).unwrap_or_default()
    });
    println!("serde_json: {} bytes", json.len());
    let back: Vec<Entry> = time("serde_json: decode all", || {
        serde_json::from_slice(&json).unwrap_or_default()
    });
    assert_eq!(back, entries);

    let mut cbor = Vec::new();
    time("cbor: encode", || {
        ciborium::into_writer(&entries, &mut cbor).ok()
    });
    println!("cbor: {} bytes", cbor.len());
    let back: Vec<Entry> = time("cbor: decode all", || {
        ciborium::from_reader(cbor.as_slice()).unwrap_or_default()
    });
    assert_eq!(back, entries);
}
