//! Score the normalizer on the fundus corpus: body precision, recall, F1, title matches
//! and the worst pages; with `--trafilatura DIR`, trafilatura's saved outputs beside it.
//!
//! `cargo run --release --example score [-- --trafilatura target/trafilatura] [--pages DIR] [--worst N] [--all]`

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;

use prov::normalize::score::{self, PageScore, Summary};

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut traf, mut dir, mut worst, mut all) = (None, corpus::default_dir(), 15, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--trafilatura" => traf = args.next().map(PathBuf::from),
            "--pages" => dir = args.next().map_or(dir, PathBuf::from),
            "--worst" => worst = args.next().and_then(|n| n.parse().ok()).unwrap_or(worst),
            "--all" => all = true,
            _ => {
                eprintln!("usage: score [--trafilatura DIR] [--pages DIR] [--worst N] [--all]");
                std::process::exit(2);
            }
        }
    }
    let Some(pages) = corpus::load(&dir) else {
        eprintln!("no corpus at {}", dir.display());
        std::process::exit(1);
    };
    let prov: Vec<PageScore> = pages
        .iter()
        .map(|p| corpus::score_prov(p, corpus::run(p).as_ref()))
        .collect();
    let other: Option<Vec<PageScore>> = traf.map(|d| {
        pages
            .iter()
            .map(|p| {
                let text =
                    std::fs::read_to_string(d.join(format!("{}.txt", p.name))).unwrap_or_default();
                PageScore {
                    name: p.name.clone(),
                    body: score::body(&text, &p.gold.body()),
                    // trafilatura's text has no title; its title is not scored.
                    title_ok: false,
                }
            })
            .collect()
    });
    let row = |who: &str, s: &Summary, titles: bool| {
        let t = if titles {
            format!("{:>3}/{} ({:.3})", s.titles_exact, s.pages, s.title_rate())
        } else {
            "-".to_string()
        };
        println!(
            "{who:<12} {:>5} {:>9.4} {:>7.4} {:>7.4} {:>7.4} {}",
            s.pages, s.body.precision, s.body.recall, s.body.f1, s.min_f1, t
        );
    };
    println!(
        "{:<12} {:>5} {:>9} {:>7} {:>7} {:>7} titles exact",
        "extractor", "pages", "precision", "recall", "F1", "min F1"
    );
    let ps = Summary::of(&prov);
    row("prov", &ps, true);
    if let Some(o) = &other {
        let os = Summary::of(o);
        row("trafilatura", &os, false);
        println!(
            "prov/trafilatura: F1 x{:.3}, precision x{:.3}, recall x{:.3}",
            ps.body.f1 / os.body.f1,
            ps.body.precision / os.body.precision,
            ps.body.recall / os.body.recall
        );
    }
    let below = prov.iter().filter(|s| s.body.f1 < 0.7).count();
    println!("pages below F1 0.70: {below}");
    let list = if all {
        score::worst(&prov, prov.len())
    } else {
        score::worst(&prov, worst)
    };
    println!(
        "\n{:<24} {:>6} {:>6} {:>6} {:>6} title",
        "page", "P", "R", "F1", "traf"
    );
    for s in list {
        let t = other
            .as_ref()
            .and_then(|o| o.iter().find(|x| x.name == s.name))
            .map_or("-".to_string(), |x| format!("{:.3}", x.body.f1));
        println!(
            "{:<24} {:>6.3} {:>6.3} {:>6.3} {:>6} {}",
            s.name,
            s.body.precision,
            s.body.recall,
            s.body.f1,
            t,
            if s.title_ok { "ok" } else { "WRONG" }
        );
    }
}
