//! Scoring clean text against a gold text: body precision, recall and F1 over 4-token
//! shingles, and title exact match. Pure, so the corpus example, test and bench share it.
//!
//! Tokens are the runs of `\w` characters, except that each CJK character (Han, kana,
//! Hangul) is a token of its own. A text's shingles are its windows of four consecutive
//! tokens (a text of one to three tokens is one shingle), counted as a multiset: a
//! paragraph repeated in the output is only right if the gold repeats it too.

use std::collections::HashMap;

use super::text::clean;

/// How many tokens a shingle holds.
pub const SHINGLE: usize = 4;

/// The gold for one page: its title, and the text a clean body should hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gold {
    pub title: String,
    pub summary: Vec<String>,
    pub paragraphs: Vec<String>,
}

impl Gold {
    /// Read the gold JSON of the fundus corpus (`title`, `summary`, `paragraphs`).
    pub fn from_json(json: &str) -> Result<Gold, serde_json::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            title: String,
            #[serde(default)]
            summary: Vec<String>,
            #[serde(default)]
            paragraphs: Vec<String>,
        }
        let raw: Raw = serde_json::from_str(json)?;
        Ok(Gold {
            title: raw.title,
            summary: raw.summary,
            paragraphs: raw.paragraphs,
        })
    }

    /// The body a clean text is scored against: the summary, then the paragraphs.
    pub fn body(&self) -> String {
        let mut s = String::new();
        for p in self.summary.iter().chain(&self.paragraphs) {
            s.push_str(p);
            s.push('\n');
        }
        s
    }
}

/// Precision, recall and F1 of one text, or their means over pages.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

pub use prov_text::tokens::tokens;

/// The multiset of shingles of a token list.
fn shingles<'t>(tokens: &'t [&'t str]) -> HashMap<&'t [&'t str], usize> {
    let mut m = HashMap::new();
    if tokens.is_empty() {
        return m;
    }
    if tokens.len() < SHINGLE {
        m.insert(tokens, 1);
        return m;
    }
    for w in tokens.windows(SHINGLE) {
        *m.entry(w).or_insert(0) += 1;
    }
    m
}

/// Score `candidate` against `gold` (both plain text; markup such as `## ` is not a token).
/// An empty candidate has precision 0 unless the gold is empty too.
/// Both are put in NFC and lose their invisible characters (soft hyphens, zero-width
/// spaces) first: a gold in decomposed form, or hyphenated for line breaking, is the same
/// text, and a soft hyphen must not cut a word in two tokens.
pub fn body(candidate: &str, gold: &str) -> Prf {
    use unicode_normalization::UnicodeNormalization;
    let visible = |s: &str| -> String {
        s.nfc()
            .filter(|c| {
                !matches!(
                    c,
                    '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
                )
            })
            .collect()
    };
    let (candidate, gold) = (visible(candidate), visible(gold));
    let (ct, gt) = (tokens(&candidate), tokens(&gold));
    let (c, g) = (shingles(&ct), shingles(&gt));
    let (nc, ng) = (c.values().sum::<usize>(), g.values().sum::<usize>());
    if nc == 0 && ng == 0 {
        return Prf {
            precision: 1.0,
            recall: 1.0,
            f1: 1.0,
        };
    }
    let common: usize = c
        .iter()
        .map(|(k, &n)| n.min(g.get(k).copied().unwrap_or(0)))
        .sum();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(common, nc), ratio(common, ng));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Prf {
        precision,
        recall,
        f1,
    }
}

/// A clean text without its `# title` line: what the body score is taken over.
pub fn without_title(clean_text: &str) -> &str {
    match clean_text.split_once('\n') {
        Some((first, rest)) if first.starts_with("# ") => rest,
        None if clean_text.starts_with("# ") => "",
        _ => clean_text,
    }
}

/// Does `title` equal the gold title as SPEC compares texts: what differs only in
/// typography (straight or curly quotes, dashes, no-break spaces, white space, Unicode
/// form) is equal, since it is folded whenever prov compares two texts.
pub fn title_matches(title: Option<&str>, gold: &str) -> bool {
    let norm = |s: &str| prov_diff::fold(&clean(s)).into_owned();
    title.is_some_and(|t| norm(t) == norm(gold))
}

/// The score of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScore {
    pub name: String,
    pub body: Prf,
    pub title_ok: bool,
}

/// Scores over a corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub pages: usize,
    /// Means of the per-page figures.
    pub body: Prf,
    pub titles_exact: usize,
    /// The lowest per-page F1.
    pub min_f1: f64,
}

impl Summary {
    pub fn of(scores: &[PageScore]) -> Summary {
        let n = scores.len();
        if n == 0 {
            return Summary::default();
        }
        let mean = |f: fn(&Prf) -> f64| scores.iter().map(|s| f(&s.body)).sum::<f64>() / n as f64;
        Summary {
            pages: n,
            body: Prf {
                precision: mean(|p| p.precision),
                recall: mean(|p| p.recall),
                f1: mean(|p| p.f1),
            },
            titles_exact: scores.iter().filter(|s| s.title_ok).count(),
            min_f1: scores.iter().map(|s| s.body.f1).fold(1.0, f64::min),
        }
    }

    pub fn title_rate(&self) -> f64 {
        if self.pages == 0 {
            0.0
        } else {
            self.titles_exact as f64 / self.pages as f64
        }
    }
}

/// The `n` pages with the lowest F1, lowest first (ties by name).
pub fn worst(scores: &[PageScore], n: usize) -> Vec<&PageScore> {
    let mut v: Vec<&PageScore> = scores.iter().collect();
    v.sort_by(|a, b| a.body.f1.total_cmp(&b.body.f1).then(a.name.cmp(&b.name)));
    v.truncate(n);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_words_and_cjk_characters() {
        assert_eq!(
            tokens("Hello, wörld_1! 東京都に 3.5 はい"),
            [
                "Hello", "wörld_1", "東", "京", "都", "に", "3", "5", "は", "い"
            ]
        );
        assert_eq!(tokens("abc東def"), ["abc", "東", "def"]);
        assert_eq!(tokens("हिन्दी समाचार"), ["हिन्दी", "समाचार"]);
    }

    #[test]
    fn shingles_are_multisets() {
        let s = body("a b c d a b c d", "a b c d");
        // Candidate shingles: abcd, bcda, cdab, dabc, abcd: one of five is in the gold.
        assert!((s.precision - 0.2).abs() < 1e-9);
        assert!((s.recall - 1.0).abs() < 1e-9);
        let same = body("one two three four five", "one two three four five");
        assert_eq!(same.f1, 1.0);
        assert_eq!(body("", "gold text here now").f1, 0.0);
        assert_eq!(body("short", "short").f1, 1.0);
    }

    #[test]
    fn soft_hyphens_do_not_split_words() {
        assert_eq!(
            body("Brennpunkt ist hier sehr", "Brenn\u{ad}punkt ist hier sehr").f1,
            1.0
        );
    }

    #[test]
    fn title_line_is_left_out() {
        assert_eq!(without_title("# T\n\nbody\n"), "\nbody\n");
        assert_eq!(without_title("# T"), "");
        assert!(title_matches(Some("A  title"), "A title"));
        assert!(!title_matches(None, "A title"));
        // Typography is folded, as SPEC compares texts; words are not.
        assert!(title_matches(
            Some("A \u{2018}family\u{2019} plan"),
            "A 'family' plan"
        ));
        assert!(!title_matches(Some("A new plan"), "A plan"));
    }

    #[test]
    fn gold_body_is_summary_then_paragraphs() {
        let g = Gold::from_json(r#"{"title":"T","summary":["s"],"paragraphs":["p1","p2"]}"#)
            .expect("parses");
        assert_eq!(g.body(), "s\np1\np2\n");
    }
}
