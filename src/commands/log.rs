//! `prov log [ARTICLE[/COPY]]`: the captures, oldest first, each with its change since its
//! copy's previous capture; `-n`, `--since`, `--until`, `--copy` choose which.

use std::io::Write;

use serde::Serialize;

use std::collections::BTreeMap;

use crate::archive::index::Entry as Listed;
use crate::archive::refs::{Indexed, Lookup};
use crate::archive::{Archive, Kind, changes};
use crate::commands::{CliError, Ctx, Outcome};
use crate::report::Finding;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each line: capture id, article/copy, capture time, the commit that added it, what changed \
since the previous capture of the same copy (first capture, unchanged, +12 -3 words, gone, \
moved), and the URL. On a terminal, lines are cut to its width (the URL first).

Examples:
  prov log                                  every capture
  prov log rebirth -n 5                     the latest five captures of the article whose name begins with rebirth
  prov log rebirth/aljazeera.com            one copy's captures
  prov log --copy aljazeera.com --since 2018-05-05 --until 2018-05-09
  prov log --json | jq '.[] | select(.kind != \"page\")'")]
pub struct Args {
    /// Only this article's captures (a unique prefix of its name will do), or ARTICLE/COPY
    /// for one copy's
    #[arg(value_name = "ARTICLE[/COPY]")]
    pub article: Option<String>,
    /// Only captures of this copy (outlet or name)
    #[arg(long, value_name = "NAME")]
    pub copy: Option<String>,
    /// Only the latest N captures of those chosen (still printed oldest first)
    #[arg(short = 'n', long = "max-count", value_name = "N")]
    pub max_count: Option<usize>,
    /// Only captures made at or after TIME (2018-05-04, or 2018-05-04T10:12:00Z)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only captures made at or before TIME (a date alone includes that whole day)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Print a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Entry<'a> {
    article: &'a str,
    copy: &'a str,
    capture: &'a str,
    kind: crate::archive::Kind,
    captured_at: &'a str,
    url: Option<&'a str>,
    commit: Option<&'a str>,
    raw_sha256: &'a str,
    text_sha256: Option<&'a str>,
    change: String,
    /// What the text line says changed: for a finding, with its status and target.
    #[serde(skip)]
    line: String,
    /// A gone or moved capture's status (a moved URL's first redirect).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// Where a moved URL leads now.
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<String>,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    // The index, not every meta.json: one article's lines are found without decoding the rest.
    let index = Indexed::new(&archive)?;
    let (article, copy) = match args.article.as_deref().map(|a| a.split_once('/')) {
        Some(Some((a, c))) => (Some(a), Some(c)),
        Some(None) => (args.article.as_deref(), None),
        None => (None, None),
    };
    let copy = match (copy, args.copy.as_deref()) {
        (Some(a), Some(b)) if a != b => {
            return Err(CliError::new(format!(
                "{:?} and --copy {b:?} name two different copies",
                args.article.as_deref().unwrap_or_default()
            )));
        }
        (a, b) => a.or(b),
    };
    let since = args.since.as_deref().map(bound(false)).transpose()?;
    let until = args.until.as_deref().map(bound(true)).transpose()?;
    let mut listed = match article {
        Some(a) => {
            let name = super::article_name(&index, a)?;
            index.of_article(&name, None)?
        }
        None => index.all()?,
    };
    if let Some(c) = copy {
        if listed.iter().all(|e| e.copy != c) {
            let mut known: Vec<&str> = listed.iter().map(|e| e.copy.as_str()).collect();
            known.sort_unstable();
            known.dedup();
            let whose = match article {
                Some(_) => format!("the article {:?}", listed[0].article),
                None => "the archive".to_string(),
            };
            let known = if article.is_some() {
                format!(" (its copies: {})", known.join(", "))
            } else {
                String::new()
            };
            return Err(CliError::new(format!(
                "{whose} has no copy named {c:?}{known}"
            )));
        }
        listed.retain(|e| e.copy == c);
    }
    // Whole copies stay listed (a change is against the copy's previous capture); the time
    // bounds and -n choose which of them are shown.
    let mut shown: Vec<bool> = listed
        .iter()
        .map(|e| {
            let at = crate::timefmt::parse(&e.captured_at).ok();
            since.is_none_or(|(s, _)| at.is_some_and(|t| t >= s))
                && until.is_none_or(|(u, exclusive)| {
                    at.is_some_and(|t| if exclusive { t < u } else { t <= u })
                })
        })
        .collect();
    if let Some(n) = args.max_count {
        let mut left = n;
        for s in shown.iter_mut().rev() {
            if *s {
                if left == 0 {
                    *s = false;
                } else {
                    left -= 1;
                }
            }
        }
    }
    let opts = super::diff_options(Some(&archive), &[], false)?;
    let changes = changes(&archive, &index, &listed, &shown, &opts)?;
    let mut entries = Vec::new();
    for ((m, change), show) in listed.iter().zip(changes).zip(&shown) {
        if !show {
            continue;
        }
        let (change, line, finding) = match change {
            Some(c) => (c.clone(), c, None),
            // Few captures are findings: their status and target are read from meta.json.
            None => {
                let kind = format!("{:?}", m.kind).to_lowercase();
                let f = Finding::of(&index.capture(m)?.meta);
                let line = f
                    .as_ref()
                    .map_or_else(|| kind.clone(), |f| f.describe(m.kind));
                (kind, line, f)
            }
        };
        entries.push(Entry {
            article: &m.article,
            copy: &m.copy,
            capture: &m.capture,
            kind: m.kind,
            captured_at: &m.captured_at,
            url: m.url.as_deref(),
            commit: m.commit.as_deref(),
            raw_sha256: &m.raw.sha256,
            text_sha256: m.text.as_ref().map(|t| t.sha256.as_str()),
            change,
            line,
            status: finding.as_ref().and_then(|f| f.status),
            target: finding.and_then(|f| f.target),
        });
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &entries)
            .map_err(|e| CliError::new(format!("cannot write the output: {e}")))?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                e.capture.to_string(),
                format!("{}/{}", e.article, e.copy),
                e.captured_at.to_string(),
                e.commit
                    .map(|c| c[..7.min(c.len())].to_string())
                    .unwrap_or_else(|| "-".into()),
                e.line.clone(),
                e.url.unwrap_or("-").to_string(),
            ]
        })
        .collect();
    for line in lines(&rows, ctx.width) {
        // URLs come from pages and WARC records: never let them reach a terminal raw.
        writeln!(out, "{}", super::printable(&line))?;
    }
    Ok(Outcome::Ok)
}

/// A `--since`/`--until` time; for `--until` a date alone means up to the end of that day
/// (the bound is then the next midnight, exclusive).
fn bound(until: bool) -> impl Fn(&str) -> Result<(jiff::Timestamp, bool), CliError> {
    move |s| {
        let t = crate::timefmt::parse(s)?;
        if until && s.trim().parse::<jiff::civil::Date>().is_ok() {
            let next = t
                .checked_add(jiff::SignedDuration::from_hours(24))
                .map_err(|_| CliError::new(format!("{s:?} is too late a time")))?;
            return Ok((next, true));
        }
        Ok((t, false))
    }
}

/// The table's lines: columns padded to their widest cell, two spaces apart; with a terminal
/// `width`, lines longer than it are cut, the URL (last) first, then article/copy, each cut
/// marked with `…`.
fn lines(rows: &[[String; 6]], width: Option<usize>) -> Vec<String> {
    let len = |s: &str| s.chars().count();
    let mut widths = [0usize; 6];
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(len(cell));
        }
    }
    if let Some(width) = width {
        let fixed: usize = widths[..5].iter().sum::<usize>() + 2 * 5;
        // The URL keeps what is left, at least a few characters to recognize it by.
        const URL_MIN: usize = 16;
        const NAME_MIN: usize = 20;
        widths[5] = widths[5].min(width.saturating_sub(fixed).max(URL_MIN));
        let over = (fixed + widths[5]).saturating_sub(width);
        if over > 0 {
            widths[1] = widths[1].saturating_sub(over).max(NAME_MIN.min(widths[1]));
        }
    }
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (i, (cell, w)) in r.iter().zip(widths).enumerate() {
                let cell = cut(cell, w);
                line.push_str(&cell);
                if i < 5 {
                    line.push_str(&" ".repeat(w - len(&cell) + 2));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// `s` in at most `w` characters, the cut marked with `…`.
fn cut(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Each shown capture's one-line change since its copy's previous page (`listed` holds whole
/// copies, in capture order), from the cache of summaries where it has them; `None` for a
/// capture that is not a page.
fn changes(
    archive: &Archive,
    index: &Indexed<'_>,
    listed: &[Listed],
    shown: &[bool],
    opts: &crate::diff::Options,
) -> Result<Vec<Option<String>>, CliError> {
    let today = archive.normalizer_id();
    let fingerprint = opts.fingerprint();
    let mut cache = archive.change_cache();
    let mut last_page: BTreeMap<(&str, &str), &Listed> = BTreeMap::new();
    let mut out = Vec::with_capacity(listed.len());
    for (e, &show) in listed.iter().zip(shown) {
        if e.kind != Kind::Page {
            out.push(None);
            continue;
        }
        if crate::archive::textless(e.text.as_ref()) {
            // The reason is in the capture's meta.json (`prov show --meta`).
            out.push(show.then(|| super::no_text_summary(None)));
            continue;
        }
        let previous = last_page.insert((&e.article, &e.copy), e);
        if !show {
            out.push(None);
            continue;
        }
        let change = match previous {
            None => "first capture".to_string(),
            Some(p) => {
                let key = changes::key(p, e, &today, &fingerprint);
                match cache.get(&key) {
                    Some(summary) => summary,
                    None => {
                        let a = archive.current_text(&index.capture(p)?)?;
                        let b = archive.current_text(&index.capture(e)?)?;
                        let summary = crate::diff::diff(&a, &b, opts).summary();
                        cache.put(&key, &summary);
                        summary
                    }
                }
            }
        };
        out.push(Some(change));
    }
    cache.save();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(copy: &str, change: &str, url: &str) -> [String; 6] {
        [
            "20180504T101200Z-66841afb".into(),
            copy.into(),
            "2018-05-04T10:12:00Z".into(),
            "a9794f6".into(),
            change.into(),
            url.into(),
        ]
    }

    #[test]
    fn columns_are_aligned_and_what_changed_comes_before_the_url() {
        let rows = [
            row("a/aljazeera.com", "first capture", "https://x.example/1"),
            row("a/local", "+43 -8 words, 1 moved", "-"),
        ];
        let l = lines(&rows, None);
        assert_eq!(
            l[0],
            "20180504T101200Z-66841afb  a/aljazeera.com  2018-05-04T10:12:00Z  a9794f6  first capture          https://x.example/1"
        );
        assert_eq!(
            l[1],
            "20180504T101200Z-66841afb  a/local          2018-05-04T10:12:00Z  a9794f6  +43 -8 words, 1 moved  -"
        );
    }

    #[test]
    fn a_terminal_cuts_the_url_then_the_name() {
        let long = format!("https://www.example.com/{}", "x".repeat(150));
        let name = format!("article-{}/example.com", "y".repeat(60));
        let rows = [row(&name, "unchanged", &long)];
        for width in [110, 120, 140] {
            let l = lines(&rows, Some(width));
            assert_eq!(l[0].chars().count(), width, "{}", l[0]);
            assert!(l[0].contains("unchanged"));
            assert!(l[0].ends_with('…'));
        }
        // Wide enough: nothing is cut.
        let l = lines(&rows, Some(400));
        assert!(l[0].ends_with(&long));
    }
}
