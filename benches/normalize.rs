//! Speed of the normalizer over the fundus corpus held in memory, single-threaded, beside
//! html5ever's parse alone; criterion reports pages/s as elements/s.
//!
//! `cargo bench --bench normalize` (skips with a message when the corpus is absent).

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus_speed(c: &mut Criterion) {
    let dir = corpus::default_dir();
    let Some(pages) = corpus::load(&dir) else {
        eprintln!("skipped: no corpus at {}", dir.display());
        return;
    };
    let bytes: u64 = pages.iter().map(|p| p.html.len() as u64).sum();
    let mut g = c.benchmark_group("corpus");
    g.sample_size(10);
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.bench_function("normalize", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(corpus::run(black_box(p)));
            }
        })
    });
    let texts: Vec<&str> = pages
        .iter()
        .map(|p| std::str::from_utf8(&p.html).unwrap_or(""))
        .collect();
    g.bench_function("html5ever_parse_only", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(scraper::Html::parse_document(black_box(t)));
            }
        })
    });
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("normalize_bytes", |b| {
        b.iter(|| {
            for p in &pages {
                black_box(corpus::run(black_box(p)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, corpus_speed);
criterion_main!(benches);
