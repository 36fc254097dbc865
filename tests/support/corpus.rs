//! Reading the fundus corpus in place (`../shared/corpus/fundus/pages` beside the clone),
//! shared by tests/corpus.rs, examples/score.rs and benches/normalize.rs through `#[path]`.

#![allow(dead_code)] // each includer uses a part

use std::path::{Path, PathBuf};

use prov::normalize::score::{self, Gold, PageScore};
use prov::normalize::{Input, Normalized, Rules, normalize};

/// One corpus page: its name (`ABC`), raw bytes and gold.
pub struct Page {
    pub name: String,
    pub html: Vec<u8>,
    pub gold: Gold,
}

/// Where CI and the worktrees find the corpus.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fundus/pages")
}

/// All pages of `dir`, sorted by name; `None` if the folder is absent.
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
            Page { name, html, gold }
        })
        .collect();
    Some(pages)
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
