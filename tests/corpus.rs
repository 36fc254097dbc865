//! The normalizer on real pages: a quality floor on the fundus corpus, and the guard that
//! any change of any page's clean text comes with a raised `NORMALIZER_VERSION`.
//!
//! The corpus lives beside the clone (`../shared/corpus/fundus`); without it the corpus
//! parts skip with a message. Its pages are read in place, never copied here.

#[path = "support/corpus.rs"]
mod corpus;

use std::fmt::Write as _;
use std::path::Path;

use prov::normalize::score::{PageScore, Summary};
use prov::normalize::{Input, NORMALIZER_VERSION, Rules, normalize};
use sha2::{Digest, Sha256};

/// Floors set from the figures measured on normalizer version 6 (precision 0.935, recall
/// 0.976, F1 0.9535, titles 110/120, lowest page 0.755) minus a margin for harmless shifts;
/// F1's is the bar itself. Lowering one is a decision, never a side effect.
const FLOOR_F1: f64 = 0.95;
const FLOOR_PRECISION: f64 = 0.925;
const FLOOR_RECALL: f64 = 0.965;
const FLOOR_TITLES: f64 = 0.9;
/// No page may fall below this F1 (the bar).
const FLOOR_PAGE_F1: f64 = 0.70;

#[test]
fn body_and_title_scores_hold_their_floor() {
    let dir = corpus::default_dir();
    let Some(pages) = corpus::load(&dir) else {
        println!("skipped: no corpus at {}", dir.display());
        return;
    };
    let scores: Vec<PageScore> = pages
        .iter()
        .map(|p| corpus::score_prov(p, corpus::run(p).as_ref()))
        .collect();
    let s = Summary::of(&scores);
    println!(
        "{} pages: precision {:.4}, recall {:.4}, F1 {:.4}, min F1 {:.3}, titles {}/{}",
        s.pages, s.body.precision, s.body.recall, s.body.f1, s.min_f1, s.titles_exact, s.pages
    );
    assert_eq!(s.pages, 120, "the corpus has 120 pages");
    assert!(
        s.body.f1 >= FLOOR_F1,
        "F1 {:.4} fell below {FLOOR_F1}",
        s.body.f1
    );
    assert!(
        s.body.precision >= FLOOR_PRECISION,
        "precision {:.4} fell below {FLOOR_PRECISION}",
        s.body.precision
    );
    assert!(
        s.body.recall >= FLOOR_RECALL,
        "recall {:.4} fell below {FLOOR_RECALL}",
        s.body.recall
    );
    let low: Vec<String> = scores
        .iter()
        .filter(|p| p.body.f1 < FLOOR_PAGE_F1)
        .map(|p| format!("{} {:.3}", p.name, p.body.f1))
        .collect();
    assert!(low.is_empty(), "pages below F1 {FLOOR_PAGE_F1}: {low:?}");
    assert!(
        s.title_rate() >= FLOOR_TITLES,
        "titles {:.3} fell below {FLOOR_TITLES}",
        s.title_rate()
    );
}

const FINGERPRINTS: &str = "tests/normalizer-fingerprints.txt";

/// The demo's own pages, in the repository.
const FIXTURES: &[&str] = &[
    "tests/fixtures/demo/aljazeera-2018-05-04.html",
    "tests/fixtures/demo/aljazeera-2018-05-09.html",
    "tests/fixtures/demo/koreaobserver-2018-05-06.html",
    "tests/fixtures/demo/seed-reworded.txt",
];

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// `name sha256` of the clean text of each page (or `error` where it is refused).
fn fingerprints() -> (Vec<(String, String)>, bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for f in FIXTURES {
        let bytes = std::fs::read(root.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let n = normalize(
            &Input {
                bytes: &bytes,
                file_name: Some(f),
                ..Input::default()
            },
            &Rules::default(),
        );
        out.push((
            f.to_string(),
            n.ok()
                .filter(|n| n.no_text.is_none())
                .map_or("error".into(), |n| sha256(n.text.as_bytes())),
        ));
    }
    let pages = corpus::load(&corpus::default_dir());
    let has_corpus = pages.is_some();
    for p in pages.unwrap_or_default() {
        let h = corpus::run(&p).map_or("error".into(), |n| sha256(n.text.as_bytes()));
        out.push((format!("corpus/{}", p.name), h));
    }
    (out, has_corpus)
}

/// Output changed while the version stayed: fail and say what to do.
#[test]
fn clean_text_changes_only_with_a_new_normalizer_version() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FINGERPRINTS);
    let (now, has_corpus) = fingerprints();
    if std::env::var_os("PROV_UPDATE_FINGERPRINTS").is_some() {
        assert!(has_corpus, "the corpus is needed to write the fingerprints");
        let mut s = format!(
            "# sha256 of the clean text of each page, made by this NORMALIZER_VERSION\n\
             # (tests/corpus.rs; rewrite with PROV_UPDATE_FINGERPRINTS=1 cargo test --test corpus)\n\
             version {NORMALIZER_VERSION}\n"
        );
        for (name, h) in &now {
            let _ = writeln!(s, "{h}  {name}");
        }
        std::fs::write(&path, s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let version: Option<u32> = recorded
        .lines()
        .find_map(|l| l.strip_prefix("version "))
        .and_then(|v| v.trim().parse().ok());
    let old: std::collections::HashMap<&str, &str> = recorded
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(h, n)| (n, h)))
        .collect();
    if version != Some(NORMALIZER_VERSION) {
        panic!(
            "{FINGERPRINTS} was made by normalizer version {version:?}, this is {NORMALIZER_VERSION}: \
             regenerate it with PROV_UPDATE_FINGERPRINTS=1 cargo test --test corpus"
        );
    }
    if !has_corpus {
        println!("corpus absent: only the demo fixtures are checked");
    }
    let changed: Vec<&str> = now
        .iter()
        .filter(|(n, h)| old.get(n.as_str()) != Some(&h.as_str()))
        .map(|(n, _)| n.as_str())
        .collect();
    assert!(
        changed.is_empty(),
        "the clean text of {} page(s) changed ({}) but NORMALIZER_VERSION is still {NORMALIZER_VERSION}: \
         raise it in src/normalize/mod.rs, then regenerate {FINGERPRINTS} with \
         PROV_UPDATE_FINGERPRINTS=1 cargo test --test corpus",
        changed.len(),
        changed.join(", ")
    );
}
