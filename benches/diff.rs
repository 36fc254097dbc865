//! The differ's speed on ~1,500, 100,000 and 1,000,000 words with 1% of sentences edited
//! and 3 paragraphs moved (texts from `support/texts.rs`): `cargo bench --bench diff`.
//! Whole-process timings against git are `benches/diff-vs-git.sh`.

#[path = "support/texts.rs"]
mod texts;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn diff(c: &mut Criterion) {
    let pool = texts::Pool::load().expect("the demo article and the corpus");
    let opts = prov::diff::Options::default();
    let mut g = c.benchmark_group("diff");
    for (name, words) in texts::SIZES {
        let pair = pool.pair(words);
        if words >= 1_000_000 {
            g.sample_size(10).measurement_time(Duration::from_secs(8));
        } else {
            g.sample_size(30).measurement_time(Duration::from_secs(4));
        }
        g.throughput(Throughput::Elements(pair.words as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &pair, |bench, p| {
            bench.iter(|| prov::diff::diff(&p.a, &p.b, &opts));
        });
    }
    g.finish();
}

criterion_group!(benches, diff);
criterion_main!(benches);
