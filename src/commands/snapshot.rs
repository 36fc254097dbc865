//! `prov snapshot SOURCE...`: capture each source into the archive, one commit per new capture.

use std::io::Write;

use serde::Serialize;

use crate::archive::{Archive, Captured, NewCapture, TimeSource};
use crate::cli::{CliError, Ctx, Outcome};
use crate::fetch::{self, Source};
use crate::timefmt;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to capture, or `-` for stdin
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// File the captures under this article (default: the article of the same URL, else one named from the title)
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,
    /// Name of the copy (default: the URL's host without www., else `local`)
    #[arg(long, value_name = "NAME")]
    pub copy: Option<String>,
    /// Where the file was captured from
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// When the file was captured (default: now)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Print one JSON object a line
    #[arg(long)]
    pub json: bool,
}

/// One line of `--json` output.
#[derive(Debug, Serialize)]
struct JsonLine<'a> {
    source: &'a str,
    article: &'a str,
    copy: &'a str,
    capture: &'a str,
    commit: Option<&'a str>,
    raw_sha256: &'a str,
    text_sha256: Option<&'a str>,
    new: bool,
    change: &'a str,
    stripped: usize,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let declared = args.at.as_deref().map(timefmt::parse).transpose()?;
    if args.sources.iter().filter(|s| s.as_str() == "-").count() > 1 {
        return Err(CliError::new(
            "stdin (`-`) can be captured only once per command",
        ));
    }
    let mut failed = 0;
    for source in &args.sources {
        match capture_one(&archive, &args, ctx, source, declared, out) {
            Ok(()) => {}
            Err(e) if e.broken_pipe => return Err(e),
            Err(e) => {
                eprintln!("prov: {e}");
                failed += 1;
            }
        }
    }
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Ok
    })
}

fn capture_one(
    archive: &Archive,
    args: &Args,
    ctx: &Ctx,
    source: &str,
    declared: Option<jiff::Timestamp>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut fetched = fetch::fetch(&Source::parse(source))?;
    fetched.source = source.to_string();
    let url = args.url.clone().or_else(|| fetched.url.clone());
    let normalized = super::clean(&fetched, source, &archive.config.rules(), url.as_deref())?;
    let now = timefmt::now()?;
    let (captured_at, time_source) = match declared {
        Some(t) => (t, TimeSource::Declared),
        None => (now, TimeSource::Fetched),
    };
    // The archive time is when prov recorded the capture (the commit's time): the clock, or
    // PROV_NOW. A declared --at is the capture's time, never the archive's.
    let archived_at = now;
    let new = NewCapture {
        fetched,
        normalized,
        article: args.article.clone(),
        copy: args.copy.clone(),
        url,
        captured_at,
        time_source,
        archived_at,
    };
    let stripped_count = new.normalized.stripped.len();
    let stripped_text = super::stripped_summary(&new.normalized.stripped);
    let lock = ctx.lock(archive)?;
    let captured = archive.capture(&lock, new)?;
    drop(lock);
    match captured {
        Captured::New {
            capture,
            commit,
            previous,
        } => {
            let change = match &previous {
                None => "first capture".to_string(),
                Some(p) => {
                    let opts = super::diff_options(Some(archive), &[], false)?;
                    let a = archive.current_text(p)?;
                    let b = archive.current_text(&capture)?;
                    crate::diff::diff(&a, &b, &opts).summary()
                }
            };
            let m = &capture.meta;
            if args.json {
                let line = JsonLine {
                    source,
                    article: &m.article,
                    copy: &m.copy,
                    capture: &m.capture,
                    commit: Some(&commit),
                    raw_sha256: &m.raw.sha256,
                    text_sha256: m.text.as_ref().map(|t| t.sha256.as_str()),
                    new: true,
                    change: &change,
                    stripped: stripped_count,
                };
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
            } else {
                writeln!(
                    out,
                    "{source}: captured {}/{} {} (commit {})",
                    m.article,
                    m.copy,
                    m.capture,
                    &commit[..7]
                )?;
                writeln!(out, "  text: {change}")?;
                if stripped_count > 0 {
                    writeln!(out, "  stripped {stripped_count}: {stripped_text}")?;
                } else {
                    writeln!(out, "  stripped nothing")?;
                }
            }
        }
        Captured::Unchanged { existing } => {
            let m = &existing.meta;
            if args.json {
                let commits = archive.commits()?;
                let line = JsonLine {
                    source,
                    article: &m.article,
                    copy: &m.copy,
                    capture: &m.capture,
                    commit: commits.get(&m.capture).map(String::as_str),
                    raw_sha256: &m.raw.sha256,
                    text_sha256: m.text.as_ref().map(|t| t.sha256.as_str()),
                    new: false,
                    change: "unchanged",
                    stripped: m.stripped.len(),
                };
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
            } else {
                writeln!(
                    out,
                    "{source}: unchanged, the same bytes as {}/{} {}; nothing recorded",
                    m.article, m.copy, m.capture
                )?;
            }
        }
    }
    Ok(())
}
