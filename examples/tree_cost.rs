//! What the flat `snapshots/` tree costs each bulk commit as articles accumulate: the tree
//! changed by one entry, hashed and stored as a delta against its previous version, as
//! `archive::bulk` does it (BENCHMARKS.md).
//!
//! `cargo run --release --example tree_cost [-- ARTICLES...]`

use std::collections::BTreeMap;
use std::time::Instant;

use prov::archive::pack::{Entry, PackBuilder, SortedTree};

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![200, 2_000, 20_000, 100_000]
    } else {
        sizes
    };
    println!("articles  tree bytes  ms per commit (change + hash + delta)");
    for n in sizes {
        // Article slugs about as long as the generated ones (40-60 bytes).
        let mut tree: BTreeMap<Vec<u8>, Entry> = BTreeMap::new();
        for i in 0..n {
            let e = Entry {
                name: format!("an-article-title-slug-of-some-length-{i:08}-x").into_bytes(),
                tree: true,
                id: [(i % 251) as u8; 20],
            };
            tree.insert(e.sort_key(), e);
        }
        let mut pack = PackBuilder::new(1);
        let mut written = SortedTree::new(tree.values());
        let rounds = 200;
        let changed: Vec<Entry> = (0..rounds)
            .map(|r| {
                let mut e = tree.values().nth((r * 7919) % n).cloned().unwrap_or(Entry {
                    name: vec![],
                    tree: true,
                    id: [0; 20],
                });
                e.id = [(r % 256) as u8; 20];
                e
            })
            .collect();
        let start = Instant::now();
        for e in &changed {
            // One article's tree changes per commit, as in a bulk run.
            written.set(e);
            pack.add_chained_tree(written.content().to_vec());
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
        let bytes = written.content().len();
        println!("{n:>8}  {bytes:>10}  {ms:>8.2}");
    }
}
