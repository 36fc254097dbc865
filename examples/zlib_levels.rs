//! How fast and how small zlib is at each level on the corpus pages, with the zlib prov
//! links (flate2): the figures behind bulk capture's choice of level (BENCHMARKS.md).
//!
//! `cargo run --release --example zlib_levels [-- DIR]`

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use flate2::Compression;
use flate2::write::ZlibEncoder;

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fundus/pages")
        });
    let mut pages = Vec::new();
    for e in std::fs::read_dir(&dir)?.flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages.push(std::fs::read(e.path())?);
        }
    }
    let total: usize = pages.iter().map(Vec::len).sum();
    println!(
        "{} pages, {:.1} MB, {:.0} KB a page on average",
        pages.len(),
        total as f64 / 1e6,
        total as f64 / pages.len().max(1) as f64 / 1e3
    );
    println!("level  MB/s (one core)  pages/s  compressed/raw");
    for level in [0, 1, 2, 3, 4, 6, 9] {
        let start = Instant::now();
        let mut out = 0usize;
        let rounds = 3;
        for _ in 0..rounds {
            for p in &pages {
                let mut z = ZlibEncoder::new(Vec::new(), Compression::new(level));
                z.write_all(p)?;
                out += z.finish()?.len();
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{level:>5}  {:>15.0}  {:>7.0}  {:>14.3}",
            (total * rounds) as f64 / 1e6 / secs,
            (pages.len() * rounds) as f64 / secs,
            out as f64 / (total * rounds) as f64
        );
    }
    Ok(())
}
