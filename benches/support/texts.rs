//! Texts for the differ's speed checks (the criterion bench `benches/diff.rs` and the
//! whole-process comparison `benches/diff-vs-git.sh`, through `examples/diff_texts.rs`).
//!
//! A is the demo article (cleaned from `tests/fixtures/demo/aljazeera-2018-05-04.html`)
//! followed by real news paragraphs: the gold `paragraphs` of the pages in
//! `/work/shared/corpus/fundus/pages/*.json` (override with `PROV_BENCH_CORPUS`), read in
//! place at run time and never copied into the repository. Past the corpus's ~100,000
//! words, its sentences are rotated and regrouped into other paragraphs (differently each
//! round), so long texts repeat no sentence. B is A with 1% of the
//! sentences edited (a word replaced, dropped or added) and 3 paragraphs moved far away.
//! Everything is deterministic: the same corpus gives the same texts.

use std::path::{Path, PathBuf};

/// The three sizes of the issue, in words (white-space separated).
pub const SIZES: [(&str, usize); 3] = [("1500", 1_500), ("100k", 100_000), ("1m", 1_000_000)];

/// A text of about `words` words and its edited copy.
#[derive(Debug, Clone)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub words: usize,
}

/// The paragraphs texts are built from: the demo article's first, then the corpus's.
#[derive(Debug, Clone)]
pub struct Pool {
    title: String,
    demo: Vec<String>,
    corpus: Vec<String>,
}

/// The repository's root (this file's crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Pool {
    pub fn load() -> Result<Pool, String> {
        let root = repo_root();
        let html = root.join("tests/fixtures/demo/aljazeera-2018-05-04.html");
        let bytes = std::fs::read(&html).map_err(|e| format!("{}: {e}", html.display()))?;
        let input = prov::normalize::Input {
            bytes: &bytes,
            file_name: Some("aljazeera-2018-05-04.html"),
            ..Default::default()
        };
        let n = prov::normalize::normalize(&input, &prov::normalize::Rules::default())
            .map_err(|e| format!("{}: {e}", html.display()))?;
        let mut lines = n.text.lines().map(str::trim).filter(|l| !l.is_empty());
        let title = lines.next().unwrap_or("# Untitled").to_string();
        let demo: Vec<String> = lines.map(str::to_string).collect();

        let dir = std::env::var_os("PROV_BENCH_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/work/shared/corpus/fundus/pages"));
        let corpus = corpus_paragraphs(&dir)?;
        if corpus.is_empty() {
            return Err(format!("{}: no paragraphs found", dir.display()));
        }
        Ok(Pool {
            title,
            demo,
            corpus,
        })
    }

    /// A of about `words` words and B, its edited copy.
    pub fn pair(&self, words: usize) -> Pair {
        let paras = self.paragraphs(words);
        let a = render(&self.title, &paras);
        let b = render(&self.title, &edit(paras));
        let words = a.split_whitespace().count();
        Pair { a, b, words }
    }

    fn paragraphs(&self, words: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut n = 0;
        let mut take = |p: String, out: &mut Vec<String>| -> bool {
            n += p.split_whitespace().count();
            out.push(p);
            n >= words
        };
        for p in self.demo.iter().chain(&self.corpus) {
            if take(p.clone(), &mut out) {
                return out;
            }
        }
        // Past the corpus: round k regroups its sentences of more than k + 1 words, each
        // rotated by k words, so that no sentence repeats (the normalizer drops a paragraph
        // that repeats another's sentence, as it drops pull quotes).
        let sentences: Vec<&str> = self.corpus.iter().flat_map(|p| sentences(p)).collect();
        for round in 1u64.. {
            let k = round as usize;
            let rotated: Vec<String> = sentences
                .iter()
                .map(|s| s.split(' ').collect::<Vec<_>>())
                .filter(|w| w.len() > k + 1)
                .map(|mut w| {
                    w.rotate_left(k);
                    w.join(" ")
                })
                .collect();
            let mut rng = Rng(round);
            let mut at = 0;
            while at < rotated.len() {
                let n = 2 + rng.below(5) as usize;
                let end = (at + n).min(rotated.len());
                if take(rotated[at..end].join(" "), &mut out) {
                    return out;
                }
                at = end;
            }
        }
        out
    }
}

/// The gold paragraphs of every `*.json` page in `dir`, files in name order.
fn corpus_paragraphs(dir: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let s = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let v: serde_json::Value =
            serde_json::from_str(&s).map_err(|e| format!("{}: {e}", f.display()))?;
        if let Some(ps) = v.get("paragraphs").and_then(|p| p.as_array()) {
            for p in ps.iter().filter_map(|p| p.as_str()) {
                let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
                if !p.is_empty() {
                    out.push(p);
                }
            }
        }
    }
    Ok(out)
}

/// Sentences of a paragraph: split after `.`, `!` or `?` followed by a space.
fn sentences(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = p.as_bytes();
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1) == Some(&b' ') {
            out.push(&p[start..=i]);
            start = i + 2;
        }
    }
    if start < p.len() {
        out.push(&p[start..]);
    }
    out
}

fn render(title: &str, paras: &[String]) -> String {
    let mut s = String::with_capacity(paras.iter().map(|p| p.len() + 2).sum::<usize>() + 64);
    s.push_str(title);
    s.push('\n');
    for p in paras {
        s.push('\n');
        s.push_str(p);
        s.push('\n');
    }
    s
}

const WORDS: [&str; 8] = [
    "reportedly",
    "officials",
    "later",
    "nearly",
    "corrected",
    "several",
    "earlier",
    "revised",
];

/// 1% of the sentences edited (one word replaced, dropped or added), then 3 paragraphs
/// moved: from a fifth, a half and four fifths of the way to a quarter further on (wrapping).
fn edit(paras: Vec<String>) -> Vec<String> {
    let mut rng = Rng(0x5eed);
    let mut out: Vec<String> = paras
        .iter()
        .map(|p| {
            let mut ss: Vec<String> = sentences(p).into_iter().map(str::to_string).collect();
            for s in &mut ss {
                if rng.below(100) == 0 {
                    *s = edit_sentence(s, &mut rng);
                }
            }
            ss.join(" ")
        })
        .collect();
    let n = out.len();
    if n >= 8 {
        for f in [5, 2] {
            let from = n / f;
            let p = out.remove(from);
            let to = (from + n / 4) % out.len();
            out.insert(to, p);
        }
        let from = 4 * n / 5;
        let p = out.remove(from);
        let to = (from + n / 4) % out.len();
        out.insert(to, p);
    }
    out
}

fn edit_sentence(s: &str, rng: &mut Rng) -> String {
    let mut w: Vec<&str> = s.split(' ').collect();
    let at = rng.below(w.len() as u64) as usize;
    let new = WORDS[rng.below(WORDS.len() as u64) as usize];
    match rng.below(3) {
        0 => w[at] = new,
        1 if w.len() > 1 => {
            w.remove(at);
        }
        _ => w.insert(at, new),
    }
    w.join(" ")
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
