//! Finding a text's match among 100,000 archived articles: `cargo bench --bench match`.
//!
//! The index holds synthetic signatures (random slots and shingle counts from a fixed
//! splitmix64 stream, so every run builds the same index); the query is entry 54,321 with a
//! quarter of its slots changed, as a copy with edits would be. Measured: the lookup in an
//! index already in memory; parsing the bytes and looking up; reading the whole file from
//! disk first (how prov read it before the tail); and what `prov snapshot` pays now: map the
//! sorted file, read and check a full tail (`tail::FOLD` - 1 records), look up in both.
//! Adding a capture: rewriting the whole file (before; now what a fold costs, once per
//! `FOLD` captures) against appending one record to the tail. Plus the signature of a
//! 1,000-word text.

use std::collections::BTreeMap;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use std::io::Write;

use prov::matching::index::{Entry, Index, View};
use prov::matching::tail::{self, FOLD, Record, Tail};
use prov::matching::{PERMS, Signature, signature};

const ARTICLES: usize = 100_000;
const PLANTED: usize = 54_321;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn synthetic() -> (Index, Signature) {
    let mut rng = Rng(0x006d_6174_6368);
    let mut entries = BTreeMap::new();
    let mut planted = None;
    for i in 0..ARTICLES {
        let mut slots = [0u16; PERMS];
        for s in &mut slots {
            *s = rng.next() as u16;
        }
        let sig = Signature {
            slots,
            shingles: 200 + (rng.next() % 1800) as u32,
        };
        if i == PLANTED {
            planted = Some(sig.clone());
        }
        entries.insert(
            format!("20240101T000000Z-{i:08x}"),
            Entry {
                article: format!("article-{i}"),
                copy: "example.com".into(),
                signature: Some(sig),
            },
        );
    }
    let mut query = planted.expect("planted entry");
    for k in 0..PERMS {
        if k % 4 == 1 {
            query.slots[k] = rng.next() as u16;
        }
    }
    let mut header = BTreeMap::new();
    header.insert("head".into(), "0".repeat(40));
    (Index { header, entries }, query)
}

fn lookup(c: &mut Criterion) {
    let (index, query) = synthetic();
    let bytes = index.to_bytes();
    let path = std::env::temp_dir().join(format!("prov-match-bench-{}.bin", std::process::id()));
    std::fs::write(&path, &bytes).expect("write the index");
    let view = View::parse(&bytes).expect("parse");
    let found = view.best(&query).expect("the planted match");
    assert_eq!(found.article, format!("article-{PLANTED}"));
    eprintln!(
        "index of {ARTICLES} articles: {} bytes; planted match scores {:.3}",
        bytes.len(),
        found.score
    );

    let mut g = c.benchmark_group("match-100k");
    g.sample_size(30).measurement_time(Duration::from_secs(5));
    g.bench_function("lookup", |b| b.iter(|| view.best(&query)));
    g.bench_function("parse+lookup", |b| {
        b.iter(|| View::parse(&bytes).ok().and_then(|v| v.best(&query)))
    });
    g.bench_function("read+parse+lookup", |b| {
        b.iter(|| {
            let bytes = std::fs::read(&path).expect("read the index");
            View::parse(&bytes).ok().and_then(|v| v.best(&query))
        })
    });

    // A full tail of other articles, the query's match in the sorted file.
    let tail_path = path.with_extension("tail");
    let mut tail_bytes = tail::header(&view);
    let mut rng = Rng(7);
    for i in 0..FOLD - 1 {
        let mut slots = [0u16; PERMS];
        for s in &mut slots {
            *s = rng.next() as u16;
        }
        tail_bytes.extend(tail::record(&Record {
            from: format!("{i:040x}"),
            to: format!("{:040x}", i + 1),
            capture: format!("20250101T000000Z-{i:08x}"),
            entry: Entry {
                article: format!("tail-article-{i}"),
                copy: "example.com".into(),
                signature: Some(Signature {
                    slots,
                    shingles: 500,
                }),
            },
        }));
    }
    std::fs::write(&tail_path, &tail_bytes).expect("write the tail");
    eprintln!("tail of {} records: {} bytes", FOLD - 1, tail_bytes.len());
    let map = |path: &std::path::Path| {
        let file = std::fs::File::open(path).expect("open the index");
        // SAFETY: the bench's own file, not written while mapped.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(&file) }.expect("map the index");
        map
    };
    g.bench_function("map+parse+lookup", |b| {
        b.iter(|| {
            let map = map(&path);
            View::parse(&map).ok().and_then(|v| v.best(&query))
        })
    });
    g.bench_function("map+parse+tail+lookup", |b| {
        b.iter(|| {
            let map = map(&path);
            let view = View::parse(&map).expect("parse");
            let t = std::fs::read(&tail_path).expect("read the tail");
            let t = Tail::parse(&t, &view).expect("parse the tail");
            let found = tail::best(&view, &t, &query);
            assert!(found.is_some());
            found
        })
    });
    g.finish();

    let mut g = c.benchmark_group("add-100k");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    let new = Entry {
        article: "new".into(),
        copy: "example.com".into(),
        signature: Some(query.clone()),
    };
    let rewritten = path.with_extension("rewritten");
    g.bench_function("rewrite-whole-file", |b| {
        b.iter(|| {
            let bytes = std::fs::read(&path).expect("read the index");
            let mut index = View::parse(&bytes).expect("parse").to_index();
            index.entries.insert("new".into(), new.clone());
            std::fs::write(&rewritten, index.to_bytes()).expect("write");
        })
    });
    let record = tail::record(&Record {
        from: "0".repeat(40),
        to: "1".repeat(40),
        capture: "new".into(),
        entry: new.clone(),
    });
    let appended = path.with_extension("appended");
    std::fs::write(&appended, &tail_bytes).expect("write the tail");
    // Short: every iteration makes the file longer.
    g.measurement_time(Duration::from_secs(1));
    g.bench_function("append-to-tail", |b| {
        b.iter(|| {
            std::fs::OpenOptions::new()
                .append(true)
                .open(&appended)
                .and_then(|mut f| f.write_all(&record))
                .expect("append")
        })
    });
    g.finish();
    for p in [&path, &tail_path, &rewritten, &appended] {
        let _ = std::fs::remove_file(p);
    }

    let text: String = (0..1000)
        .map(|i| format!("word{} ", i * 7919 % 1543))
        .collect();
    c.bench_function("signature-1000-words", |b| b.iter(|| signature(&text)));
}

criterion_group!(benches, lookup);
criterion_main!(benches);
