//! Reading the dev corpora in place (`../shared/corpus/fundus` and
//! `../shared/corpus/readability` beside the clone), shared by tests/corpus.rs,
//! examples/score.rs and benches/normalize.rs through `#[path]`.

#![allow(dead_code)] // each includer uses a part

use std::path::{Path, PathBuf};

use prov::normalize::score::{self, Gold, PageScore};
use prov::normalize::{Input, Normalized, Rules, normalize};

/// One corpus page: its name (`ABC`), raw bytes and gold.
pub struct Page {
    pub name: String,
    pub html: Vec<u8>,
    pub gold: Gold,
    /// Where the page is on disk (what `prov normalize` and trafilatura are given).
    pub path: PathBuf,
    /// Whether the gold calls it an article (Readability's `readerable`; fundus: always).
    pub readerable: bool,
    /// The page's `og:title` (Readability corpus only): its titles are held to the
    /// expected one where the two agree.
    pub og_title: Option<String>,
}

/// The two dev corpora.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    /// fundus' test pages, gold from its hand-written parsers.
    Fundus,
    /// Readability's test pages, expected text from Readability.js.
    Readability,
}

impl Corpus {
    pub const ALL: [Corpus; 2] = [Corpus::Fundus, Corpus::Readability];

    pub fn name(self) -> &'static str {
        match self {
            Corpus::Fundus => "fundus",
            Corpus::Readability => "readability",
        }
    }

    /// Where CI and the worktrees find it: `../shared/corpus` beside the clone, or the
    /// folder `PROV_CORPUS_DIR` names (which holds `fundus/` and `readability/`).
    pub fn dir(self) -> PathBuf {
        std::env::var_os("PROV_CORPUS_DIR")
            .map_or_else(
                || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
                PathBuf::from,
            )
            .join(self.name())
            .join("pages")
    }

    /// Its pages, sorted by name; `None` if the folder is absent.
    pub fn load(self, dir: &Path) -> Option<Vec<Page>> {
        match self {
            Corpus::Fundus => load(dir),
            Corpus::Readability => load_readability(dir),
        }
    }
}

/// Where CI and the worktrees find the fundus corpus.
pub fn default_dir() -> PathBuf {
    Corpus::Fundus.dir()
}

/// Whether a missing corpus must fail the test that needs it: in CI the floors are
/// enforced, so the corpus has to be there.
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// All fundus pages of `dir`, sorted by name; `None` if the folder is absent.
pub fn load(dir: &Path) -> Option<Vec<Page>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    paths.sort();
    let pages = paths
        .into_iter()
        .map(|p| {
            let name = p
                .file_stem()
                .and_then(|n| n.to_str())
                .unwrap_or("?")
                .to_string();
            let html = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let json = std::fs::read_to_string(p.with_extension("json"))
                .unwrap_or_else(|e| panic!("{name}.json: {e}"));
            let gold = Gold::from_json(&json).unwrap_or_else(|e| panic!("{name}.json: {e}"));
            Page {
                name,
                html,
                gold,
                path: p,
                readerable: true,
                og_title: None,
            }
        })
        .collect();
    Some(pages)
}

/// All Readability pages of `dir` (`<name>/source.html`, `expected.html`,
/// `expected-metadata.json`), sorted by name; `None` if the folder is absent.
pub fn load_readability(dir: &Path) -> Option<Vec<Page>> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("source.html").is_file())
        .collect();
    dirs.sort();
    let pages = dirs
        .into_iter()
        .map(|d| {
            let name = d
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("?")
                .to_string();
            let read =
                |f: &str| std::fs::read(d.join(f)).unwrap_or_else(|e| panic!("{name}/{f}: {e}"));
            let html = read("source.html");
            let expected = String::from_utf8_lossy(&read("expected.html")).into_owned();
            let meta: serde_json::Value = serde_json::from_slice(&read("expected-metadata.json"))
                .unwrap_or_else(|e| panic!("{name}/expected-metadata.json: {e}"));
            let title = meta["title"].as_str().unwrap_or("").to_string();
            let readerable = meta["readerable"].as_bool().unwrap_or(true);
            let og_title = og_title(&String::from_utf8_lossy(&html));
            Page {
                name,
                gold: Gold {
                    title,
                    summary: Vec::new(),
                    paragraphs: paragraphs_of(&expected),
                },
                html,
                path: d.join("source.html"),
                readerable,
                og_title,
            }
        })
        .collect();
    Some(pages)
}

/// The text of an HTML fragment (Readability's `expected.html`), a paragraph per block
/// element: inline markup joins, block markup parts.
pub fn paragraphs_of(html: &str) -> Vec<String> {
    use scraper::node::Node;
    let doc = scraper::Html::parse_fragment(html);
    let mut out = Vec::new();
    let mut buf = String::new();
    let flush = |buf: &mut String, out: &mut Vec<String>| {
        let t = buf.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            out.push(t);
        }
        buf.clear();
    };
    // A text node's block is its nearest ancestor that is not inline markup; a new block,
    // or any block element met on the way, parts paragraphs.
    let mut last_block = None;
    for node in doc.tree.root().descendants() {
        match node.value() {
            Node::Element(e) if !INLINE.contains(&e.name()) => flush(&mut buf, &mut out),
            Node::Text(t) => {
                let hidden = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style"))
                });
                if hidden {
                    continue;
                }
                let block = node
                    .ancestors()
                    .find(|a| {
                        a.value()
                            .as_element()
                            .is_none_or(|e| !INLINE.contains(&e.name()))
                    })
                    .map(|a| a.id());
                if block != last_block {
                    flush(&mut buf, &mut out);
                    last_block = block;
                }
                buf.push_str(t);
            }
            _ => {}
        }
    }
    flush(&mut buf, &mut out);
    out
}

const INLINE: &[&str] = &[
    "a", "span", "em", "strong", "b", "i", "u", "s", "small", "sup", "sub", "mark", "abbr", "cite",
    "q", "time", "font", "code", "wbr", "del", "ins", "label", "var", "kbd", "dfn", "bdi", "bdo",
    "tt", "strike", "big", "ruby", "rt", "rp",
];

/// The `og:title` a page declares, as written.
fn og_title(html: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("meta").ok()?;
    doc.select(&sel).find_map(|m| {
        let e = m.value();
        let key = e.attr("property").or_else(|| e.attr("name"))?;
        key.eq_ignore_ascii_case("og:title")
            .then(|| e.attr("content").map(str::to_string))
            .flatten()
    })
}

/// Titles compared across case, white space and punctuation.
pub fn same_title(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    fold(a) == fold(b)
}

/// Normalize one page as prov would, with no per-site rules; `None` when it gives no text.
pub fn run(page: &Page) -> Option<Normalized> {
    normalize(
        &Input {
            bytes: &page.html,
            file_name: Some("raw.html"),
            ..Input::default()
        },
        &Rules::default(),
    )
    .ok()
    .filter(|n| n.no_text.is_none())
}

/// Score prov's clean text of a page (a failed page scores zero).
pub fn score_prov(page: &Page, out: Option<&Normalized>) -> PageScore {
    let text = out.map_or("", |n| score::without_title(&n.text));
    PageScore {
        name: page.name.clone(),
        body: score::body(text, &page.gold.body()),
        title_ok: score::title_matches(out.and_then(|n| n.title()), &page.gold.title),
    }
}

/// The corpus's pages, or `None` with a message when it is absent; in CI (`CI=true`) an
/// absent corpus fails the test instead, so that its floors are enforced.
pub fn load_or_skip(c: Corpus) -> Option<Vec<Page>> {
    let dir = c.dir();
    let pages = c.load(&dir);
    if pages.is_none() {
        assert!(
            !required(),
            "CI=true but the {} corpus is absent at {}: its floors cannot be checked",
            c.name(),
            dir.display()
        );
        println!("skipped: no corpus at {}", dir.display());
    }
    pages
}
