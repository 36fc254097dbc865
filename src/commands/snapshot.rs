//! `prov snapshot SOURCE...`: capture each source into the archive, one commit per new capture.
//!
//! A URL captured before that now answers 404 or 410, or redirects somewhere else, is a
//! finding: it is recorded as a capture of kind `gone` or `moved` and the command exits 1.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::archive::{
    Archive, Capture, Captured, FiledBy, Kind, NewCapture, NewFinding, TimeSource,
};
use crate::cli::{CliError, Ctx, Outcome};
use crate::fetch::http::{DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS};
use crate::fetch::{self, FetchError, Fetched, HttpOptions, Source};
use crate::timefmt;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or http(s) URLs to capture, or `-` for stdin
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
    /// Give up on a URL after this many seconds (connecting, redirects and body included)
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Refuse a response whose body, decoded, is larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Send this User-Agent (default: prov/VERSION)
    #[arg(long, value_name = "STRING")]
    pub user_agent: Option<String>,
    /// Send this request header, `Name: value` (repeatable)
    #[arg(long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Trust the certificates in this PEM file as well as the built-in roots
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
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
    let mut headers = Vec::new();
    for h in &args.headers {
        headers.push(fetch::http::parse_header(h)?);
    }
    let http = HttpOptions {
        timeout: Duration::from_secs(args.timeout),
        max_bytes: args.max_bytes,
        user_agent: args
            .user_agent
            .clone()
            .unwrap_or_else(fetch::http::default_user_agent),
        headers,
        ca_cert: args.ca_cert.as_ref().map(|p| ctx.cwd.join(p)),
    };
    let mut failed = 0;
    let mut findings = 0;
    for source in &args.sources {
        match capture_one(&archive, &args, &http, ctx, source, declared, out) {
            Ok(Found::Nothing) => {}
            Ok(Found::Finding) => findings += 1,
            Err(e) if e.broken_pipe => return Err(e),
            Err(e) => {
                eprintln!("prov: {e}");
                failed += 1;
            }
        }
    }
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else if findings > 0 {
        Outcome::Finding
    } else {
        Outcome::Ok
    })
}

/// Whether a source turned out to be a finding (a copy gone or moved).
enum Found {
    Nothing,
    Finding,
}

fn capture_one(
    archive: &Archive,
    args: &Args,
    http: &HttpOptions,
    ctx: &Ctx,
    source: &str,
    declared: Option<jiff::Timestamp>,
    out: &mut dyn Write,
) -> Result<Found, CliError> {
    let parsed = Source::parse(source);
    if let (Source::Url(url), Some(_)) = (&parsed, declared) {
        return Err(CliError::new(format!(
            "{url}: --at is for files; a URL is captured at the moment it is fetched"
        )));
    }
    let result = fetch::fetch_with(&parsed, http);
    // The capture time of a URL is the moment it was fetched.
    let fetched_at = timefmt::now()?;
    if let Source::Url(url) = &parsed {
        let response = match &result {
            Ok(f) => Some(f),
            Err(FetchError::Status { response, .. }) => Some(response.as_ref()),
            Err(_) => None,
        };
        if let Some(response) = response {
            let captures = archive.captures()?;
            if let Some((kind, before)) = finding(url, response, &captures) {
                let response = match result {
                    Ok(f) => f,
                    Err(FetchError::Status { response, .. }) => *response,
                    Err(e) => return Err(e.into()),
                };
                let finding = Finding {
                    kind,
                    before: &before,
                    response,
                    at: fetched_at,
                };
                record_finding(archive, ctx, args, source, finding, out)?;
                return Ok(Found::Finding);
            }
        }
    }
    let mut fetched = result?;
    fetched.source = source.to_string();
    let url = args.url.clone().or_else(|| fetched.url.clone());
    let normalized = super::clean(&fetched, source, &archive.config.rules(), url.as_deref())?;
    let now = fetched_at;
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
                Some(p) if p.meta.kind == Kind::Page => {
                    let opts = super::diff_options(Some(archive), &[], false)?;
                    let a = archive.current_text(p)?;
                    let b = archive.current_text(&capture)?;
                    crate::diff::diff(&a, &b, &opts).summary()
                }
                Some(_) => {
                    // The copy's latest capture was a gone or moved finding: compare with
                    // its latest page, as `prov log` does.
                    let opts = super::diff_options(Some(archive), &[], false)?;
                    let captures = archive.captures()?;
                    match captures.iter().position(|c| c.id() == capture.id()) {
                        Some(i) => super::change_since_previous(archive, &captures, i, &opts)?,
                        None => "first capture".to_string(),
                    }
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
    Ok(Found::Nothing)
}

/// Whether `response` for `url` is a finding: the URL was captured before (the latest
/// such capture is returned) and now answers 404 or 410, or redirects to a final URL other
/// than the one it had then.
fn finding(url: &str, response: &Fetched, captures: &[Capture]) -> Option<(Kind, Capture)> {
    let before = captures
        .iter()
        .rev()
        .find(|c| c.meta.url.as_deref() == Some(url))?;
    let http = response.http.as_ref()?;
    let final_before = before.meta.final_url.as_deref().unwrap_or(url);
    let final_now = response.final_url.as_deref().unwrap_or(url);
    if !http.redirects.is_empty() && final_now != final_before {
        return Some((Kind::Moved, before.clone()));
    }
    if matches!(http.status, 404 | 410) {
        return Some((Kind::Gone, before.clone()));
    }
    None
}

/// A finding about to be recorded: what it is, the capture it is about, the response, when.
struct Finding<'a> {
    kind: Kind,
    before: &'a Capture,
    response: Fetched,
    at: jiff::Timestamp,
}

fn record_finding(
    archive: &Archive,
    ctx: &Ctx,
    args: &Args,
    source: &str,
    finding: Finding<'_>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let Finding {
        kind,
        before,
        mut response,
        at: now,
    } = finding;
    response.source = source.to_string();
    let url = before
        .meta
        .url
        .clone()
        .unwrap_or_else(|| source.to_string());
    let status = response.http.as_ref().map(|h| h.status).unwrap_or(0);
    let what = match kind {
        Kind::Moved => format!(
            "moved to {} ({})",
            response.final_url.as_deref().unwrap_or("?"),
            response
                .http
                .as_ref()
                .and_then(|h| h.redirects.first())
                .map(|r| r.status)
                .unwrap_or(status)
        ),
        _ => format!("gone ({status})"),
    };
    let new = NewFinding {
        fetched: response,
        kind,
        article: args
            .article
            .clone()
            .unwrap_or_else(|| before.article().to_string()),
        filed_by: if args.article.is_some() {
            FiledBy::Option
        } else {
            FiledBy::Url
        },
        copy: args
            .copy
            .clone()
            .unwrap_or_else(|| before.copy().to_string()),
        url,
        captured_at: now,
        time_source: TimeSource::Fetched,
        archived_at: now,
    };
    let lock = ctx.lock(archive)?;
    let captured = archive.capture_finding(&lock, new)?;
    drop(lock);
    let change = format!("{kind:?}").to_lowercase();
    let (m, commit, new) = match &captured {
        Captured::New {
            capture, commit, ..
        } => (&capture.meta, Some(commit.clone()), true),
        Captured::Unchanged { existing } => (
            &existing.meta,
            archive.commits()?.get(&existing.meta.capture).cloned(),
            false,
        ),
    };
    if args.json {
        let line = JsonLine {
            source,
            article: &m.article,
            copy: &m.copy,
            capture: &m.capture,
            commit: commit.as_deref(),
            raw_sha256: &m.raw.sha256,
            text_sha256: None,
            new,
            change: &change,
            stripped: 0,
        };
        writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
    } else if new {
        writeln!(
            out,
            "{source}: {what}; recorded {}/{} {} (commit {})",
            m.article,
            m.copy,
            m.capture,
            commit.as_deref().map_or("", |c| &c[..7.min(c.len())])
        )?;
    } else {
        writeln!(
            out,
            "{source}: still {what}, as recorded in {}/{} {}; nothing recorded",
            m.article, m.copy, m.capture
        )?;
    }
    Ok(())
}
