//! `prov snapshot --history URL`: an article's past from a web archive, each distinct memento recorded as a capture of URL at its Memento-Datetime.
//!
//! The archive's list comes from a Memento TimeMap (`--timemap`) or a Wayback CDX query
//! (`--wayback`, the Wayback Machine by default); [`crate::fetch::timemap`] reads it and
//! chooses what to fetch. Mementos are fetched raw (`id_`), one request at a time (the
//! gate), on the capture pipeline's workers ([`super::capture::pipeline::in_order`]: fetched
//! and cleaned ahead, recorded oldest first), and committed by the bulk writer, so the
//! copy's history reads in time order. Mementos
//! already recorded (a capture of URL at that time) are not fetched again.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::Mutex;

use crate::archive::refs::Indexed;
use crate::archive::{NewCapture, TimeSource};
use crate::commands::{CliError, Ctx, Outcome};
use crate::fetch::timemap::{self, Listed, Page, Thinning};
use crate::fetch::{self, HttpOptions, MementoFacts};
use crate::timefmt;

use super::capture::event::{Event, HistoryTally};
use super::capture::gate::HostGate;
use super::capture::pipeline::{in_order, internal_error};
use super::capture::printers::{Printers, Progress};
use super::capture::record::{Filing, Recorder, Writer};
use super::snapshot::Args;

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
    let gate = HostGate::new(args.delay, usize::try_from(args.per_host).unwrap_or(1));
    let lock = ctx.lock(&archive)?;
    // Times already recorded per URL, read before the writer starts.
    let entries = Indexed::new(&archive)?.all()?;
    let mut rec = Recorder {
        archive: &archive,
        ctx,
        writer: Writer::bulk(&archive, lock)?,
        // Each URL's mementos get their own progress (see `one_url`).
        printers: Printers::new(args.json, true, Progress::new(false, 0)),
        filing: Filing {
            article: args.article.clone(),
            copy: args.copy.clone(),
        },
    };
    let mut failed = 0;
    let mut no_text = 0;
    let robots_read = Mutex::new(BTreeSet::new());
    for url in &args.sources {
        let recorded: BTreeSet<String> = entries
            .iter()
            .filter(|e| e.url.as_deref() == Some(url.as_str()))
            .map(|e| e.captured_at.clone())
            .collect();
        let result = one_url(
            &History {
                args,
                ctx,
                http: &http,
                rules: &rules,
                gate: &gate,
                thin: &thin,
                robots_read: &robots_read,
            },
            &mut rec,
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
                rec.writer.settle(out)?;
                rec.emit_now(&Event::HistoryRead { url, tally: &t }, out)?;
            }
            Err(e) if e.broken_pipe => return Err(e),
            Err(e) => {
                rec.writer.settle(out)?;
                rec.emit_now(&Event::Failed { error: &e }, out)?;
                failed += 1;
            }
        }
    }
    rec.writer.settle(out)?;
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
    args: &'a Args,
    ctx: &'a Ctx,
    http: &'a HttpOptions,
    rules: &'a crate::normalize::Rules,
    gate: &'a HostGate,
    thin: &'a Thinning,
    /// Origins whose robots.txt was read (for its Crawl-delay), once a run.
    robots_read: &'a Mutex<BTreeSet<String>>,
}

impl History<'_> {
    /// Before the first request to `url`'s origin: its robots.txt, whose Crawl-delay (bounded)
    /// spaces the requests to that host from then on.
    fn polite(&self, url: &str) {
        let Some(origin) = super::watch::origin(url) else {
            return;
        };
        // Held while robots.txt is read: a memento fetched on another thread waits for its
        // Crawl-delay.
        let mut read = self
            .robots_read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if read.insert(origin.clone()) {
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
fn list(
    w: &History<'_>,
    rec: &mut Recorder<'_>,
    url: &str,
    out: &mut dyn Write,
) -> Result<Vec<Listed>, CliError> {
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
            let note = format!(
                "{url}: the web archive's list goes on past {MAX_LIST_PAGES} pages; \
                 the mementos on later pages are not read"
            );
            rec.emit_now(&Event::Note(&note), out)?;
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
        let note = format!(
            "{url}: the web archive also listed {other_urls} {captures} of other URLs; \
             they are not this page's history and are left out"
        );
        rec.emit_now(&Event::Note(&note), out)?;
    }
    Ok(listed)
}

fn one_url(
    w: &History<'_>,
    rec: &mut Recorder<'_>,
    url: &str,
    recorded: &BTreeSet<String>,
    out: &mut dyn Write,
) -> Result<HistoryTally, CliError> {
    let listed = list(w, rec, url, out)?;
    let mut t = HistoryTally {
        listed: listed.len(),
        ..HistoryTally::default()
    };
    let chosen = timemap::select(listed, w.thin);
    t.chosen = chosen.len();
    let todo: Vec<Listed> = chosen
        .into_iter()
        .filter(|l| !recorded.contains(&timefmt::rfc3339(l.at)))
        .collect();
    t.recorded_before = t.chosen - todo.len();
    rec.printers.progress = Progress::new(w.ctx.progress, todo.len());
    // Mementos fetched and cleaned on `--jobs` worker threads (one by default: the next is
    // fetched while one is recorded; the gate lets `--per-host` requests at a time, one by
    // default, reach the web archive), recorded here in the list's order.
    let jobs = w
        .args
        .jobs
        .map_or(1, |n| usize::try_from(n).unwrap_or(1))
        .clamp(1, super::snapshot::MAX_JOBS);
    let fetch = |k: usize| fetch_memento(w, url, &todo[k]);
    let failed = |k: usize, message: String| Err(internal_error(&todo[k].url, &message));
    in_order(jobs, todo.len(), fetch, failed, |k, fetched| {
        let l = &todo[k];
        let result = fetched.and_then(|new| {
            let no_text = new.normalized.no_text.clone();
            let captured = rec.capture(&l.url, new, out)?;
            if let (true, Some(reason)) = (captured, &no_text) {
                t.no_text += 1;
                let event = Event::NoText {
                    source: &l.url,
                    reason,
                };
                rec.emit(&event, out)?;
            }
            Ok(captured)
        });
        match result {
            Ok(true) => t.captured += 1,
            Ok(false) => t.unchanged += 1,
            Err(e) if e.broken_pipe => return Err(e),
            Err(e) => {
                rec.emit(&Event::Failed { error: &e }, out)?;
                t.failed += 1;
            }
        }
        rec.settle_if_full(out)?;
        rec.emit(&Event::Done { source: &l.url }, out)?;
        Ok(())
    })?;
    rec.printers.progress.finish();
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
