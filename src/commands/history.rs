//! `prov snapshot --history URL`: an article's past from a web archive, each distinct memento recorded as a capture of URL at its Memento-Datetime.
//!
//! The archive's list comes from a Memento TimeMap (`--timemap`) or a Wayback CDX query
//! (`--wayback`, the Wayback Machine by default); [`crate::fetch::timemap`] reads it and
//! chooses what to fetch. Mementos are fetched raw (`id_`), one at a time, oldest first,
//! and committed by the bulk writer, so the copy's history reads in time order. Mementos
//! already recorded (a capture of URL at that time) are not fetched again.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;

use crate::archive::bulk::Bulk;
use crate::archive::refs::Indexed;
use crate::archive::{Archive, NewCapture, TimeSource};
use crate::commands::{CliError, Ctx, Outcome};
use crate::fetch::timemap::{self, Listed, Page, Thinning};
use crate::fetch::{self, HttpOptions, MementoFacts};
use crate::timefmt;

use super::snapshot::{Args, HostGate, Progress, Writer, commit_capture};

/// The Wayback Machine, asked when no other archive is named.
pub const WAYBACK: &str = "https://web.archive.org";

#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Capture each URL's past from a web archive: every distinct memento it holds, at its Memento-Datetime
    #[arg(long)]
    pub history: bool,
    /// With --history: read the mementos from this Memento TimeMap (application/link-format)
    #[arg(long, value_name = "URL", requires = "history")]
    pub timemap: Option<String>,
    /// With --history: the Wayback-style archive whose CDX API lists the mementos
    #[arg(long, value_name = "URL", requires = "history", default_value = WAYBACK,
          conflicts_with = "timemap")]
    pub wayback: String,
    /// With --history: at most one memento per this span (`1d`, `12h`, `1w`)
    #[arg(long, value_name = "SPAN", requires = "history",
          value_parser = crate::watch::schedule::parse_span)]
    pub every: Option<i64>,
    /// With --history: no memento before this time
    #[arg(long, value_name = "TIME", requires = "history")]
    pub from_date: Option<String>,
    /// With --history: no memento after this time (a date alone includes that day)
    #[arg(long, value_name = "TIME", requires = "history")]
    pub to_date: Option<String>,
}

/// What one URL's history came to.
#[derive(Debug, Default)]
struct Tally {
    listed: usize,
    chosen: usize,
    recorded_before: usize,
    captured: usize,
    unchanged: usize,
    failed: usize,
    /// Captured with bytes that gave no text.
    no_text: usize,
}

pub fn run(args: &Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let h = &args.history;
    for (given, what) in [
        (args.from.is_some(), "--from"),
        (args.at.is_some(), "--at"),
        (args.url.is_some(), "--url"),
    ] {
        if given {
            return Err(CliError::new(format!(
                "--history takes URLs; {what} is for other sources"
            )));
        }
    }
    if let Some(bad) = args
        .sources
        .iter()
        .find(|s| !matches!(fetch::Source::parse(s), fetch::Source::Url(_)))
    {
        return Err(CliError::new(format!(
            "{bad}: --history takes the http(s) URL of the page whose past to capture"
        )));
    }
    if h.timemap.is_some() && args.sources.len() != 1 {
        return Err(CliError::new(
            "--timemap lists the mementos of one URL: name exactly that URL",
        ));
    }
    let thin = Thinning {
        from: h.from_date.as_deref().map(timefmt::parse).transpose()?,
        to: h.to_date.as_deref().map(end_of).transpose()?,
        every: h.every,
    };
    let archive = ctx.archive()?;
    let http = super::snapshot::http_options(args, ctx)?;
    let rules = archive.config.rules();
    let gate = HostGate::new(args.delay, 1);
    let lock = ctx.lock(&archive)?;
    // Times already recorded per URL, read before the writer starts.
    let entries = Indexed::new(&archive)?.all()?;
    let bulk = Bulk::new(&archive, lock).map_err(|(_, e)| CliError::from(e))?;
    let mut writer = Writer::Bulk {
        bulk: Some(Box::new(bulk)),
        held: Vec::new(),
    };
    let mut failed = 0;
    let mut no_text = 0;
    let robots_read = RefCell::new(BTreeSet::new());
    for url in &args.sources {
        let recorded: BTreeSet<String> = entries
            .iter()
            .filter(|e| e.url.as_deref() == Some(url.as_str()))
            .map(|e| e.captured_at.clone())
            .collect();
        let result = one_url(
            &History {
                archive: &archive,
                args,
                ctx,
                http: &http,
                rules: &rules,
                gate: &gate,
                thin: &thin,
                robots_read: &robots_read,
            },
            &mut writer,
            url,
            &recorded,
            out,
        );
        match result {
            Ok(t) => {
                if t.failed > 0 {
                    failed += 1;
                }
                no_text += t.no_text;
                writer.settle(out)?;
                let line = summary(url, &t);
                if args.json {
                    eprintln!("prov: {line}");
                } else {
                    writeln!(out, "{line}")?;
                }
            }
            Err(e) if e.broken_pipe => return Err(e),
            Err(e) => {
                writer.settle(out)?;
                eprintln!("prov: {e}");
                failed += 1;
            }
        }
    }
    writer.settle(out)?;
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else if no_text > 0 {
        Outcome::Finding
    } else {
        Outcome::Ok
    })
}

/// `--to-date`: a date alone means through the end of that day.
fn end_of(s: &str) -> Result<jiff::Timestamp, timefmt::TimeError> {
    let t = timefmt::parse(s)?;
    if s.trim().parse::<jiff::civil::Date>().is_ok() {
        return Ok(jiff::Timestamp::from_second(t.as_second() + 86_399).unwrap_or(t));
    }
    Ok(t)
}

/// What every URL's history shares.
struct History<'a> {
    archive: &'a Archive,
    args: &'a Args,
    ctx: &'a Ctx,
    http: &'a HttpOptions,
    rules: &'a crate::normalize::Rules,
    gate: &'a HostGate,
    thin: &'a Thinning,
    /// Origins whose robots.txt was read (for its Crawl-delay), once a run.
    robots_read: &'a RefCell<BTreeSet<String>>,
}

impl History<'_> {
    /// Before the first request to `url`'s origin: its robots.txt, whose Crawl-delay (bounded)
    /// spaces the requests to that host from then on.
    fn polite(&self, url: &str) {
        let Some(origin) = super::watch::origin(url) else {
            return;
        };
        if self.robots_read.borrow_mut().insert(origin.clone()) {
            let agent = super::watch::robots_token(&self.http.user_agent);
            super::watch::read_robots(&origin, &agent, self.http, self.gate);
        }
    }
}

/// Pages of a web archive's list read for one URL at most: a TimeMap's `next` links and a
/// CDX answer's resume keys are followed this far (with [`timemap::CDX_PAGE_ROWS`] rows a
/// page, 200,000 captures of the Wayback Machine), and prov says where it stopped.
pub const MAX_LIST_PAGES: usize = 20;

/// The web archive's list of `url`'s mementos, page after page.
fn list(w: &History<'_>, url: &str) -> Result<Vec<Listed>, CliError> {
    let h = &w.args.history;
    let mut listed = Vec::new();
    let mut other_urls = 0;
    let mut next = Some(match &h.timemap {
        Some(tm) => tm.clone(),
        None => timemap::cdx_url(&h.wayback, url, None),
    });
    let mut asked = BTreeSet::new();
    while let Some(listing) = next.take() {
        if asked.len() == MAX_LIST_PAGES {
            eprintln!(
                "prov: {url}: the web archive's list goes on past {MAX_LIST_PAGES} pages; \
                 the mementos on later pages are not read"
            );
            break;
        }
        // A list that leads back to a page already read ends there.
        if !asked.insert(listing.clone()) {
            break;
        }
        w.polite(&listing);
        let fetched = {
            let _turn = w.gate.acquire(fetch::host_of(&listing).unwrap_or_default());
            fetch::http::get(&listing, w.http)?
        };
        let page = match &h.timemap {
            Some(_) => {
                let text = String::from_utf8_lossy(&fetched.bytes);
                timemap::parse_timemap(&text, fetched.final_url.as_deref().unwrap_or(&listing))
            }
            None => {
                let page = timemap::parse_cdx(&fetched.bytes, &h.wayback, url)
                    .map_err(|e| CliError::new(format!("{listing}: {e}")))?;
                Page {
                    next: page
                        .next
                        .as_deref()
                        .map(|key| timemap::cdx_url(&h.wayback, url, Some(key))),
                    ..page
                }
            }
        };
        listed.extend(page.listed);
        other_urls += page.other_urls;
        next = page.next;
    }
    if other_urls > 0 {
        let captures = if other_urls == 1 {
            "capture"
        } else {
            "captures"
        };
        eprintln!(
            "prov: {url}: the web archive also listed {other_urls} {captures} of other URLs; \
             they are not this page's history and are left out"
        );
    }
    Ok(listed)
}

fn one_url(
    w: &History<'_>,
    writer: &mut Writer<'_>,
    url: &str,
    recorded: &BTreeSet<String>,
    out: &mut dyn Write,
) -> Result<Tally, CliError> {
    let listed = list(w, url)?;
    let mut t = Tally {
        listed: listed.len(),
        ..Tally::default()
    };
    let chosen = timemap::select(listed, w.thin);
    t.chosen = chosen.len();
    let todo: Vec<Listed> = chosen
        .into_iter()
        .filter(|l| !recorded.contains(&timefmt::rfc3339(l.at)))
        .collect();
    t.recorded_before = t.chosen - todo.len();
    let progress = Progress::new(w.ctx.progress, todo.len());
    for l in todo {
        let result = fetch_memento(w, url, &l).and_then(|new| {
            let no_text = new.normalized.no_text.clone();
            let captured = commit_capture(w.archive, writer, w.args, w.ctx, &l.url, new, out)?;
            if let (true, Some(reason)) = (captured, no_text) {
                t.no_text += 1;
                progress.say(&format!(
                    "prov: {}: no text, {reason}; the bytes are recorded with an empty text",
                    l.url
                ));
            }
            Ok(captured)
        });
        match result {
            Ok(true) => t.captured += 1,
            Ok(false) => t.unchanged += 1,
            Err(e) if e.broken_pipe => return Err(e),
            Err(e) => {
                progress.say(&format!("prov: {e}"));
                t.failed += 1;
            }
        }
        if writer.full() {
            progress.suspend(|| writer.settle(out))?;
        }
        progress.done(&l.url);
    }
    progress.finish();
    Ok(t)
}

/// Fetch one memento and make it a capture of `url` at the archive's time.
fn fetch_memento(w: &History<'_>, url: &str, l: &Listed) -> Result<NewCapture, CliError> {
    w.polite(&l.url);
    let mut fetched = {
        let _turn = w.gate.acquire(fetch::host_of(&l.url).unwrap_or_default());
        fetch::http::get(&l.url, w.http)?
    };
    // An archive that sends no Memento-Datetime on its raw form is taken at its list's word.
    let memento = fetched.memento.take().unwrap_or_else(|| MementoFacts {
        archive_url: fetched.final_url.clone().unwrap_or_else(|| l.url.clone()),
        original: url.to_string(),
        datetime: l.at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string(),
    });
    let captured_at = crate::fetch::memento::captured_at(&memento).ok_or_else(|| {
        CliError::new(format!(
            "{}: the archive's Memento-Datetime {:?} is not an HTTP date",
            l.url, memento.datetime
        ))
    })?;
    fetched.source = l.url.clone();
    fetched.url = Some(url.to_string());
    fetched.final_url = None;
    fetched.memento = Some(memento);
    // A memento whose bytes give no text is recorded too (a capture is never refused for
    // its content).
    let normalized = super::clean_to_record(&fetched, &l.url, w.rules, Some(url))?;
    Ok(NewCapture {
        fetched,
        normalized,
        article: w.args.article.clone(),
        copy: w.args.copy.clone(),
        url: Some(url.to_string()),
        captured_at,
        time_source: TimeSource::Memento,
        archived_at: timefmt::now()?,
        precomputed: None,
    })
}

/// `URL: history: 10 listed, 9 chosen, 2 recorded before; 7 captured, 0 unchanged, 0 failed`
fn summary(url: &str, t: &Tally) -> String {
    format!(
        "{url}: history: {} listed, {} chosen, {} recorded before; {} captured, {} unchanged, {} failed",
        t.listed, t.chosen, t.recorded_before, t.captured, t.unchanged, t.failed
    )
}
