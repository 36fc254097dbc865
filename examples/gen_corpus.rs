//! Generates captures for benches/scale.sh from the fundus corpus pages (read in place):
//! each article a corpus page reworded (seeded substitutions of words, and of single characters
//! in Chinese, Japanese and Korean), with one to three copies
//! on different hosts and versions edited (paragraphs moved, reworded, dropped).
//!
//! `cargo run --release --example gen_corpus -- --captures N --start S --count C --out DIR
//! [--fast-import FILE [--continue]] [--pages DIR]` writes captures S..S+C of an archive of N
//! (N/5 articles) as `DIR/<i>.html`, the list `DIR/list.txt` for `prov snapshot --from`
//! (`path<TAB>url<TAB>time`), and optionally a `git fast-import` stream committing the same
//! raw files one commit each under the archive's layout (`--continue`: on top of the branch).
//! Everything is a function of (N, i): the same arguments give the same bytes.

use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Hosts the copies are published on.
const HOSTS: &[&str] = &[
    "example-news.com",
    "daily-post.org",
    "wire-service.net",
    "metro-herald.co.uk",
    "the-observer.example",
    "syndicate.press",
    "regional-times.de",
    "courier.example.fr",
];
/// Percent of word types each article rewords from its corpus page. Articles drawn from the same
/// page must be different articles to prov's matcher (it files by 4-word shingles at 0.4
/// containment): at 12% two of them still shared about 0.4 of their shingles and were filed as
/// one, so the archive held far fewer articles than generated. At 50% they share a few percent.
const ARTICLE_REWORD: u64 = 50;
/// The archive's clock (PROV_NOW in the bench), for the fast-import commits.
const ARCHIVED: i64 = 1_735_689_600;
/// The first capture's time; each next capture a minute later.
const FIRST: i64 = 1_704_067_200;

/// A seeded 64-bit hash (splitmix64 over FNV-1a): deterministic across runs and machines,
/// which `std`'s hasher does not promise.
fn h(seed: u64, data: &[u8]) -> u64 {
    let mut x = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &b in data {
        x ^= u64::from(b);
        x = x.wrapping_mul(0x0100_0000_01b3);
    }
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn hn(seed: u64, n: u64) -> u64 {
    h(seed, &n.to_le_bytes())
}

struct Page {
    html: String,
    vocab: Vocab,
}

/// What substitutions draw from: a page's words of four letters or more, and its characters of
/// scripts written without spaces or in short syllable blocks (Chinese, Japanese, Korean),
/// each sorted.
struct Vocab {
    words: Vec<String>,
    chars: Vec<char>,
}

/// A character reworded on its own: in these scripts a run of letters is a phrase, not a
/// word, and prov's matcher takes each such character as a token. Swapping whole phrases
/// for other phrases of the same page left two articles drawn from one page sharing most
/// of their 4-character shingles, so the matcher filed them as one.
fn is_block_char(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}')
}

fn is_word(w: &str) -> bool {
    w.chars().count() >= 4 && w.chars().all(char::is_alphabetic)
}

/// Apply `f` to each text node outside `<script>` and `<style>`. Their content is skipped to
/// the closing tag itself: a script's `a<b` is not a tag, and reading it as one swallowed the
/// `</script>` after it and left the rest of the page unreworded (APNews).
fn map_text(html: &str, mut f: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&f(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            out.push_str(&rest[lt..]);
            return out;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag.get(..6).unwrap_or(tag).to_ascii_lowercase();
        let close = if name.starts_with("script") {
            "</script"
        } else if name.starts_with("style") {
            "</style"
        } else {
            ""
        };
        let mut end = lt + gt + 1;
        if !close.is_empty() {
            end = rest.as_bytes()[end..]
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
                .map_or(rest.len(), |at| end + at);
        }
        out.push_str(&rest[lt..end]);
        rest = &rest[end..];
    }
    out.push_str(&f(rest));
    out
}

/// Replace about `percent` of the words, and of the characters [`is_block_char`] takes on
/// their own (the same word or character always by the same one, per seed); character
/// references are left as they are.
fn reword(text: &str, vocab: &Vocab, seed: u64, percent: u64) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if is_word(word) && !vocab.words.is_empty() && h(seed, word.as_bytes()) % 100 < percent {
            let pick = h(seed ^ 0x5151, word.as_bytes()) as usize % vocab.words.len();
            out.push_str(&vocab.words[pick]);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    // Inside a character reference (`&nbsp;`, `&#x2019;`): its name is markup, not a word.
    let mut entity = false;
    for c in text.chars() {
        if entity && (c.is_ascii_alphanumeric() || c == '#') {
            out.push(c);
            continue;
        }
        entity = c == '&';
        if is_block_char(c) {
            flush(&mut word, &mut out);
            let key = u64::from(u32::from(c));
            if !vocab.chars.is_empty() && hn(seed, key) % 100 < percent {
                out.push(vocab.chars[hn(seed ^ 0x5151, key) as usize % vocab.chars.len()]);
            } else {
                out.push(c);
            }
        } else if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// One version's edits: a paragraph moved, one reworded heavily, now and then one dropped.
fn edit(html: &str, vocab: &Vocab, seed: u64) -> String {
    let starts: Vec<usize> = html
        .match_indices("<p")
        .map(|(i, _)| i)
        .filter(|&i| matches!(html.as_bytes().get(i + 2), Some(b'>' | b' ')))
        .collect();
    if starts.len() < 3 {
        return map_text(html, |t| reword(t, vocab, seed, 20));
    }
    let head = &html[..starts[0]];
    let mut paras: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(k, &s)| html[s..starts.get(k + 1).copied().unwrap_or(html.len())].to_string())
        .collect();
    // The last segment holds the rest of the page: keep it last. Only plain paragraphs
    // (no block opened or closed inside) are moved, edited or dropped, so that an edit
    // never takes the article's container apart.
    let tail = paras.pop().unwrap_or_default();
    let plain: Vec<usize> = (0..paras.len())
        .filter(|&k| {
            let p = paras[k].to_ascii_lowercase();
            ![
                "<div",
                "</div",
                "<section",
                "</section",
                "<article",
                "</article",
                "<main",
                "</main",
            ]
            .iter()
            .any(|t| p.contains(t))
        })
        .collect();
    let n = plain.len() as u64;
    if n >= 2 {
        let from = plain[(hn(seed, 1) % n) as usize];
        let to = plain[(hn(seed, 2) % n) as usize];
        paras.swap(from, to);
        let k = plain[(hn(seed, 3) % n) as usize];
        paras[k] = map_text(&paras[k], |t| reword(t, vocab, seed, 35));
        if hn(seed, 4).is_multiple_of(4) && n >= 4 {
            paras[plain[(hn(seed, 5) % n) as usize]].clear();
        }
    }
    let mut out = String::with_capacity(html.len());
    out.push_str(head);
    for p in paras {
        out.push_str(&p);
    }
    out.push_str(&tail);
    out
}

struct Capture {
    article: u64,
    host: &'static str,
    time: i64,
    html: String,
}

fn capture(pages: &[Page], total: u64, i: u64) -> Capture {
    let articles = (total / 5).max(1);
    let a = i % articles;
    let k = i / articles;
    let copies = 1 + hn(a, 1) % 3;
    let copy = k % copies;
    let version = k / copies;
    let page = &pages[(hn(a, 3) % pages.len() as u64) as usize];
    let host = HOSTS[((hn(a, 2) + copy) % HOSTS.len() as u64) as usize];
    let seed = hn(a, 4);
    let mut html = map_text(&page.html, |t| reword(t, &page.vocab, seed, ARTICLE_REWORD));
    html = map_text(&html, |t| reword(t, &page.vocab, hn(seed, 100 + copy), 2));
    for v in 1..=version {
        html = edit(&html, &page.vocab, hn(seed, 1000 + copy * 100 + v));
    }
    Capture {
        article: a,
        host,
        time: FIRST + 60 * i as i64,
        html,
    }
}

fn rfc3339(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let num = |name: &str, default: u64| {
        arg(&args, name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let total = num("--captures", 1000);
    let start = num("--start", 0);
    let count = num("--count", total - start.min(total));
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "gen".into()));
    let dir = arg(&args, "--pages").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fundus/pages")
    });
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    paths.sort();
    let pages: Vec<Page> = paths
        .iter()
        .map(|p| {
            let html = String::from_utf8_lossy(&std::fs::read(p)?).into_owned();
            let mut words = BTreeSet::new();
            let mut chars = BTreeSet::new();
            map_text(&html, |t| {
                words.extend(
                    t.split(|c: char| !c.is_alphabetic() || is_block_char(c))
                        .filter(|w| is_word(w))
                        .map(str::to_string),
                );
                chars.extend(t.chars().filter(|&c| is_block_char(c)));
                String::new()
            });
            Ok(Page {
                html,
                vocab: Vocab {
                    words: words.into_iter().collect(),
                    chars: chars.into_iter().collect(),
                },
            })
        })
        .collect::<std::io::Result<_>>()?;
    if pages.is_empty() {
        eprintln!("gen_corpus: no pages in {}", dir.display());
        std::process::exit(2);
    }
    std::fs::create_dir_all(&out)?;
    let mut list = BufWriter::new(std::fs::File::create(out.join("list.txt"))?);
    let mut stream = match arg(&args, "--fast-import") {
        Some(f) => Some(BufWriter::new(std::fs::File::create(f)?)),
        None => None,
    };
    let mut first = args.iter().any(|a| a == "--continue");
    let mut bytes = 0u64;
    for i in start..start + count {
        let c = capture(&pages, total, i);
        let path = out.join(format!("{i}.html"));
        std::fs::write(&path, &c.html)?;
        bytes += c.html.len() as u64;
        let url = format!("https://{}/news/{}", c.host, c.article);
        writeln!(list, "{}\t{url}\t{}", path.display(), rfc3339(c.time))?;
        if let Some(s) = &mut stream {
            let id = format!(
                "{}-{:08x}",
                rfc3339(c.time).replace([':', '-'], ""),
                h(i, c.html.as_bytes()) as u32
            );
            let message = format!("Capture a{}/{} {id}\n", c.article, c.host);
            writeln!(s, "commit refs/heads/main")?;
            writeln!(s, "committer prov <prov@localhost> {ARCHIVED} +0000")?;
            writeln!(s, "data {}\n{message}", message.len())?;
            if first {
                writeln!(s, "from refs/heads/main^0")?;
                first = false;
            }
            writeln!(
                s,
                "M 100644 inline snapshots/a{}/{}/{id}/raw.html",
                c.article, c.host
            )?;
            writeln!(s, "data {}", c.html.len())?;
            s.write_all(c.html.as_bytes())?;
            writeln!(s)?;
        }
    }
    list.flush()?;
    if let Some(s) = &mut stream {
        s.flush()?;
    }
    eprintln!(
        "gen_corpus: captures {start}..{} of {total} ({} articles), {bytes} bytes",
        start + count,
        (total / 5).max(1)
    );
    Ok(())
}
