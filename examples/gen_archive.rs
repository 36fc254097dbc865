//! Fills a prov archive with synthetic captures fast, through `git fast-import`, for the read
//! side's scale benchmarks (`benches/scale-read.sh`): `cargo run --release --example
//! gen_archive -- DIR CAPTURES ARTICLES [BATCH]`.
//!
//! DIR must be an archive made by `prov init`. Each capture is one commit with prov's layout
//! and trailers, a small HTML page, the clean text today's normalizer makes of it and a valid
//! meta.json, so that `prov verify` finds the archive intact. Pages are synthetic (a few KB,
//! one word changed from version to version): enough for reading, not for capture speed.
//!
//! With BATCH > 1, one commit holds BATCH captures (its message names the first): with
//! prov's flat `snapshots/` tree every commit rewrites a tree of one entry per article, so
//! 100,000 single-capture commits over 20,000 articles take git fast-import hours on a small
//! machine. A batched archive times reading (`log`, `show`, `diff`, re-hashing); `verify`
//! reports its captures without a commit of their own.

use std::io::Write;
use std::process::{Command, Stdio};

use prov::archive::{FileFacts, FiledBy, Kind, Meta, TimeSource, meta::META_VERSION};
use prov::config::{Config, sha256_hex};
use prov::normalize::{self, Input};

const WORDS: &[&str] = &[
    "archive", "minister", "river", "council", "harbour", "budget", "election", "storm", "school",
    "bridge", "report", "museum", "festival", "railway", "court", "market", "village", "treaty",
    "border", "hospital", "farmers", "energy", "vote", "strike", "coast", "science",
];

/// A small deterministic generator (no randomness crate needed for filler text).
fn word(seed: u64) -> &'static str {
    let x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        >> 33;
    WORDS[(x % WORDS.len() as u64) as usize]
}

fn page(article: usize, version: usize) -> String {
    let mut html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Story {article} about the {} and the {}</title></head><body><nav>Home News Sport</nav><article><h1>Story {article} about the {} and the {}</h1>\n",
        word(article as u64),
        word(article as u64 + 7),
        word(article as u64),
        word(article as u64 + 7),
    );
    for p in 0..8u64 {
        html.push_str("<p>");
        for w in 0..60u64 {
            let seed = (article as u64) * 1000 + p * 100 + w;
            // Each version edits one word of one paragraph.
            let edited = p == (version as u64 % 8) && w == 5 && version > 0;
            html.push_str(if edited { "updated" } else { word(seed) });
            html.push(' ');
        }
        html.push_str("end.</p>\n");
    }
    html.push_str("</article><footer>Copyright The Example Times</footer></body></html>\n");
    html
}

fn data(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    writeln!(out, "data {}", bytes.len())?;
    out.write_all(bytes)?;
    writeln!(out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n), Some(articles)) = (
        args.get(1),
        args.get(2).and_then(|s| s.parse::<usize>().ok()),
        args.get(3).and_then(|s| s.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen_archive DIR CAPTURES ARTICLES");
        std::process::exit(2);
    };
    let articles = articles.max(1);
    let batch = args
        .get(4)
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("git: {e}"));
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let head = git(&["rev-parse", "HEAD"]);
    let branch = git(&["symbolic-ref", "HEAD"]);
    let rules = Config::default().rules();
    let normalizer = prov::config::current_normalizer(&rules);

    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet", "--done"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("git fast-import: {e}"));
    let stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdin);
    let start: i64 = 1_500_000_000;
    for i in 0..n {
        let article_no = i % articles;
        let version = i / articles;
        let article = format!("story-{article_no:06}");
        let copy = if version % 2 == 0 {
            "example.com"
        } else {
            "mirror.example.org"
        };
        let raw = page(article_no, version);
        let url = format!("https://{copy}/news/{article}");
        let input = Input {
            bytes: raw.as_bytes(),
            content_type: Some("text/html"),
            url: Some(&url),
            file_name: Some("raw.html"),
        };
        let normalized = normalize::normalize(&input, &rules)
            .unwrap_or_else(|e| panic!("the generated page does not normalize: {e}"));
        let seconds = start + i as i64 * 60;
        let ts = jiff::Timestamp::from_second(seconds).unwrap_or_else(|e| panic!("{e}"));
        let raw_sha = sha256_hex(raw.as_bytes());
        let id_hash = sha256_hex(format!("{article}\n{copy}\n{raw_sha}").as_bytes());
        let capture = format!("{}-{}", prov::timefmt::compact(ts), &id_hash[..8]);
        let meta = Meta {
            meta_version: META_VERSION,
            article: article.clone(),
            copy: copy.to_string(),
            capture: capture.clone(),
            kind: Kind::Page,
            filed_by: FiledBy::Option,
            matched: None,
            no_text: None,
            source: "generated".into(),
            url: Some(url.clone()),
            final_url: None,
            captured_at: prov::timefmt::rfc3339(ts),
            captured_at_source: TimeSource::Declared,
            archived_at: prov::timefmt::rfc3339(ts),
            http: None,
            format: normalized.format,
            charset: normalized.charset.clone(),
            raw: FileFacts {
                file: "raw.html".into(),
                sha256: raw_sha,
                size: raw.len() as u64,
            },
            text: Some(FileFacts {
                file: "text.txt".into(),
                sha256: sha256_hex(normalized.text.as_bytes()),
                size: normalized.text.len() as u64,
            }),
            normalizer: normalizer.clone(),
            page: normalized.metadata.clone(),
            stripped: normalized.stripped.clone(),
            warc: None,
            memento: None,
        };
        let dir = format!("snapshots/{article}/{copy}/{capture}");
        let message = format!(
            "Capture {article}/{copy} {capture}\n\nProv-Article: {article}\nProv-Copy: {copy}\nProv-Capture: {capture}\n"
        );
        let write = (|| -> std::io::Result<()> {
            if i % batch == 0 {
                if i > 0 {
                    writeln!(out)?;
                }
                writeln!(out, "commit {branch}")?;
                writeln!(out, "committer prov <prov@localhost> {seconds} +0000")?;
                data(&mut out, message.as_bytes())?;
                if i == 0 {
                    writeln!(out, "from {head}")?;
                }
            }
            writeln!(out, "M 100644 inline {dir}/raw.html")?;
            data(&mut out, raw.as_bytes())?;
            writeln!(out, "M 100644 inline {dir}/text.txt")?;
            data(&mut out, normalized.text.as_bytes())?;
            writeln!(out, "M 100644 inline {dir}/meta.json")?;
            data(&mut out, meta.to_json().as_bytes())
        })();
        write.unwrap_or_else(|e| panic!("writing to git fast-import: {e}"));
    }
    (|| -> std::io::Result<()> {
        writeln!(out)?;
        writeln!(out, "done")?;
        out.flush()
    })()
    .unwrap_or_else(|e| panic!("writing to git fast-import: {e}"));
    drop(out);
    let status = child
        .wait()
        .unwrap_or_else(|e| panic!("git fast-import: {e}"));
    assert!(status.success(), "git fast-import failed");
}
