//! The normalizer on real pages: quality floors on both dev corpora (fundus, and
//! Readability's test pages against Readability.js's output), and the guard that any change
//! of any page's clean text comes with a raised `NORMALIZER_VERSION`.
//!
//! The corpora live beside the clone (`../shared/corpus/`); without them the corpus parts
//! skip with a message, except in CI (`CI=true`), where they fail. Their pages are read in
//! place, never copied here.

#[path = "support/corpus.rs"]
mod corpus;

use std::fmt::Write as _;
use std::path::Path;

use corpus::Corpus;
use prov::normalize::score::{self, PageScore, Summary};
use prov::normalize::{Input, NORMALIZER_VERSION, Rules, normalize};
use sha2::{Digest, Sha256};

/// Floors of one corpus, set from measured figures minus a margin for harmless shifts.
/// Lowering one is a decision, never a side effect.
struct Floors {
    pages: usize,
    f1: f64,
    precision: f64,
    recall: f64,
    /// Exact titles, of the pages whose titles are counted.
    titles: f64,
    /// No page may fall below this F1.
    page_f1: f64,
    /// At most this many pages (of all, articles or not) give no body text.
    no_text: usize,
}

/// fundus, normalizer version 7: precision 0.937, recall 0.976, F1 0.9549, titles
/// 110/120, lowest page 0.755.
const FUNDUS: Floors = Floors {
    pages: 120,
    f1: 0.95,
    precision: 0.93,
    recall: 0.97,
    titles: 0.9,
    page_f1: 0.70,
    no_text: 0,
};

/// Readability (its 122 article pages), normalizer version 7: precision 0.939, recall
/// 0.893, F1 0.903, titles 55/63.
const READABILITY: Floors = Floors {
    pages: 122,
    f1: 0.895,
    precision: 0.93,
    recall: 0.885,
    titles: 0.85,
    page_f1: 0.0,
    no_text: 5,
};

fn check(c: Corpus, floors: &Floors) {
    let Some(pages) = corpus::load_or_skip(c) else {
        return;
    };
    let mut scores: Vec<PageScore> = Vec::new();
    let (mut titled, mut titles_ok) = (0, 0);
    let mut no_text = Vec::new();
    for p in &pages {
        let out = corpus::run(p);
        if out
            .as_ref()
            .is_none_or(|n| score::without_title(&n.text).trim().is_empty())
        {
            no_text.push(p.name.clone());
        }
        if !p.readerable {
            continue;
        }
        let s = corpus::score_prov(p, out.as_ref());
        // Readability's titles count where its title is also the page's og:title: elsewhere
        // it picked one of several titles a page gives, as prov does.
        if p.og_title.is_none() && c == Corpus::Fundus
            || p.og_title
                .as_deref()
                .is_some_and(|o| corpus::same_title(o, &p.gold.title))
        {
            titled += 1;
            titles_ok += usize::from(s.title_ok);
        }
        scores.push(s);
    }
    let s = Summary::of(&scores);
    let title_rate = titles_ok as f64 / titled.max(1) as f64;
    println!(
        "{}: {} pages: precision {:.4}, recall {:.4}, F1 {:.4}, min F1 {:.3}, titles {titles_ok}/{titled}",
        c.name(),
        s.pages,
        s.body.precision,
        s.body.recall,
        s.body.f1,
        s.min_f1,
    );
    assert_eq!(s.pages, floors.pages, "the corpus's article pages");
    assert!(
        no_text.len() <= floors.no_text,
        "{} pages without text (at most {}): {no_text:?}",
        no_text.len(),
        floors.no_text
    );
    assert!(
        s.body.f1 >= floors.f1,
        "F1 {:.4} fell below {}",
        s.body.f1,
        floors.f1
    );
    assert!(
        s.body.precision >= floors.precision,
        "precision {:.4} fell below {}",
        s.body.precision,
        floors.precision
    );
    assert!(
        s.body.recall >= floors.recall,
        "recall {:.4} fell below {}",
        s.body.recall,
        floors.recall
    );
    let low: Vec<String> = scores
        .iter()
        .filter(|p| p.body.f1 < floors.page_f1)
        .map(|p| format!("{} {:.3}", p.name, p.body.f1))
        .collect();
    assert!(low.is_empty(), "pages below F1 {}: {low:?}", floors.page_f1);
    assert!(
        title_rate >= floors.titles,
        "titles {title_rate:.3} fell below {}",
        floors.titles
    );
}

#[test]
fn fundus_body_and_title_scores_hold_their_floor() {
    check(Corpus::Fundus, &FUNDUS);
}

#[test]
fn readability_body_and_title_scores_hold_their_floor() {
    check(Corpus::Readability, &READABILITY);
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
    let mut has_corpus = true;
    for c in Corpus::ALL {
        let pages = corpus::load_or_skip(c);
        has_corpus &= pages.is_some();
        // fundus pages keep their old names; Readability's are named by corpus.
        let prefix = match c {
            Corpus::Fundus => "corpus".to_string(),
            Corpus::Readability => format!("corpus/{}", c.name()),
        };
        for p in pages.unwrap_or_default() {
            let h = corpus::run(&p).map_or("error".into(), |n| sha256(n.text.as_bytes()));
            out.push((format!("{prefix}/{}", p.name), h));
        }
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
         raise it in crates/normalize/src/lib.rs, then regenerate {FINGERPRINTS} with \
         PROV_UPDATE_FINGERPRINTS=1 cargo test --test corpus",
        changed.len(),
        changed.join(", ")
    );
}
