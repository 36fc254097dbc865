//! `prov watch`: look again at every watched URL when it is due, record what changed, say so, and run until stopped (or one round with `--once`).
//!
//! Watched: the archive's own URLs, `[watch] urls` and `feeds` in `prov.toml`, URLs and
//! `--feed`s on the command line, `--from` lists. When each is due is derived state
//! (`watch::state`, in `.git/prov/watch.json`), brought up to date from the captures every
//! round. A round: pull (`--push`), read the feeds that are due, fetch what is due (one
//! request at a time per host, `--delay` between two, conditional requests, robots.txt),
//! record it through the bulk writer, then print one line per change, run `--on-change`,
//! print the round's summary and push. SIGINT or SIGTERM stops the round between two
//! captures: what is staged is committed whole, the rest abandoned, and prov exits 0.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::archive::bulk::{Bulk, Precomputed};
use crate::archive::refs::Indexed;
use crate::archive::{
    Archive, Capture, Captured, FiledBy, Kind, NewCapture, NewFinding, TimeSource, textless,
};
use crate::commands::{CliError, Ctx, Outcome};
use crate::fetch::http::{DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS};
use crate::fetch::{self, FetchError, Fetched, HttpOptions};
use crate::normalize::Rules;
use crate::timefmt;
use crate::watch::schedule::{Curve, Shard};
use crate::watch::state::{Known, State};
use crate::watch::{Change, Tally, feeds};

use super::capture::event::Event;
use super::capture::gate::HostGate;
use super::capture::pipeline::{internal_error, panic_message};
use super::capture::printers::{Printers, Progress};
use super::capture::record::{
    FetchedSource, bulk_mut, finding, finding_parts, response_of, take_bulk,
};
use super::snapshot::parse_delay;

/// The most threads `--jobs` may ask for.
const MAX_JOBS: usize = 64;
/// robots.txt is read up to this size (RFC 9309 asks for at least 500 KiB).
const ROBOTS_MAX_BYTES: u64 = 512 * 1024;
/// How long a host's robots.txt is believed (RFC 9309: no more than 24 hours).
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// How many times a rejected push is retried after a pull.
const PUSH_TRIES: usize = 5;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// URLs to watch besides the archive's own
    #[arg(value_name = "URL")]
    pub urls: Vec<String>,
    /// Watch the URLs listed in FILE too, one a line (`#` comments and blank lines skipped)
    #[arg(long, value_name = "FILE")]
    pub from: Option<String>,
    /// Watch what this RSS, Atom or JSON feed, sitemap or news sitemap announces (repeatable; also `[watch] feeds` in prov.toml)
    #[arg(long = "feed", value_name = "URL")]
    pub feeds: Vec<String>,
    /// Do one round of what is due, then exit (for cron and systemd timers)
    #[arg(long)]
    pub once: bool,
    /// For each change, run CMD with `sh -c`, the change as JSON on its stdin
    #[arg(long, value_name = "CMD")]
    pub on_change: Option<String>,
    /// Be watcher K of N: look only at the hosts that fall to K, so that no two watchers fetch from one site
    #[arg(long, value_name = "K/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Share the archive through this git remote: pull before each round, push after it (a rejected push is retried after a pull)
    #[arg(long, value_name = "REMOTE")]
    pub push: Option<String>,
    /// Fetch what robots.txt disallows too
    #[arg(long)]
    pub ignore_robots: bool,
    /// Print each change as one JSON object a line
    #[arg(long)]
    pub json: bool,
    /// Fetch this many URLs at once (still one request at a time per host)
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS as u64))]
    pub jobs: u64,
    /// Wait this many seconds between two requests to the same host
    #[arg(long, value_name = "SECONDS", default_value = "1", value_parser = parse_delay)]
    pub delay: Duration,
    /// Give up on a URL after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Refuse a response whose body, decoded, is larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Send this User-Agent (default: prov/VERSION); robots.txt is read for its first word
    #[arg(long, value_name = "STRING")]
    pub user_agent: Option<String>,
    /// Trust the certificates in this PEM file as well as the built-in roots
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let archive = ctx.archive()?;
    let curve = archive
        .config
        .watch
        .curve()
        .map_err(|e| CliError::new(format!("prov.toml: [watch] schedule: {e}")))?;
    let mut named = args.urls.clone();
    named.extend(archive.config.watch.urls.iter().cloned());
    if let Some(from) = &args.from {
        named.extend(read_list(ctx, from)?);
    }
    if let Some(bad) = named
        .iter()
        .chain(&args.feeds)
        .find(|u| !matches!(fetch::Source::parse(u), fetch::Source::Url(_)))
    {
        return Err(CliError::new(format!(
            "{bad}: prov watches http(s) URLs only"
        )));
    }
    let mut feeds = args.feeds.clone();
    feeds.extend(archive.config.watch.feeds.iter().cloned());
    let user_agent = args
        .user_agent
        .clone()
        .unwrap_or_else(fetch::http::default_user_agent);
    let http = HttpOptions {
        timeout: Duration::from_secs(args.timeout),
        max_bytes: args.max_bytes,
        user_agent: user_agent.clone(),
        headers: Vec::new(),
        ca_cert: args.ca_cert.as_ref().map(|p| ctx.cwd.join(p)),
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second signal ends prov at once (the archive stays sound: see `bulk`).
        signal_hook::flag::register_conditional_shutdown(signal, 1, stop.clone())
            .and_then(|_| signal_hook::flag::register(signal, stop.clone()))
            .map_err(|e| CliError::new(format!("cannot catch signals: {e}")))?;
    }
    let shared = Arc::new(Shared {
        http,
        rules: archive.config.rules(),
        gate: HostGate::new(args.delay, 1),
        robots: Mutex::new(HashMap::new()),
        agent: robots_token(&user_agent),
        ignore_robots: args.ignore_robots,
    });
    let watcher = Watcher {
        archive: &archive,
        ctx,
        args: &args,
        curve,
        named,
        feeds,
        shared,
        stop: stop.clone(),
    };
    let mut worst = Outcome::Ok;
    loop {
        if let Some(remote) = &args.push
            && let Err(e) = pull(&archive, ctx, remote)
        {
            eprintln!("prov: {e}");
            worst = Outcome::PartialFailure;
        }
        let tally = match watcher.round(out) {
            Ok(t) => t,
            // A watcher that runs until stopped outlives a round that could not be done
            // (the archive in the middle of a user's rebase, a full disk): it says so and
            // tries again later. One round (--once) reports it as any command does.
            Err(e) if !args.once && !e.broken_pipe => {
                eprintln!("prov: this round failed: {e}; trying again in a minute");
                watcher.sleep(Duration::from_secs(60));
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Some(remote) = &args.push
            && let Err(e) = push(&archive, ctx, remote)
        {
            eprintln!("prov: {e}");
            worst = Outcome::PartialFailure;
        }
        if tally.failed > 0 {
            worst = Outcome::PartialFailure;
        } else if (tally.gone + tally.moved > 0 || tally.no_text > 0) && worst == Outcome::Ok {
            worst = Outcome::Finding;
        }
        if args.once || stop.load(Ordering::SeqCst) {
            break;
        }
        watcher.wait()?;
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    // Stopped by a signal: a clean stop, whatever the rounds found.
    Ok(if stop.load(Ordering::SeqCst) {
        Outcome::Ok
    } else {
        worst
    })
}

/// `--from FILE`: one URL a line.
fn read_list(ctx: &Ctx, from: &str) -> Result<Vec<String>, CliError> {
    let mut bytes = Vec::new();
    std::fs::File::open(ctx.cwd.join(from))
        .and_then(|f| f.take(fetch::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| CliError::new(format!("{from}: cannot read the list of URLs: {e}")))?;
    if bytes.len() as u64 > fetch::MAX_FILE_BYTES {
        return Err(CliError::new(format!(
            "{from}: the list of URLs is larger than {} bytes",
            fetch::MAX_FILE_BYTES
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::new(format!("{from}: the list of URLs is not UTF-8")))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// The product token robots.txt is read for: the User-Agent's first word, without its version.
pub(crate) fn robots_token(user_agent: &str) -> String {
    let word = user_agent.split_whitespace().next().unwrap_or("prov");
    word.split('/').next().unwrap_or("prov").to_string()
}

/// What the fetching threads share. Owned (behind an `Arc`), so that a stopped round can
/// leave a request in flight behind instead of waiting for it.
struct Shared {
    http: HttpOptions,
    rules: Rules,
    gate: HostGate,
    /// Each origin's robots.txt, read once (per [`ROBOTS_TTL`]) by whichever thread asks first.
    robots: Mutex<HashMap<String, RobotsSlot>>,
    agent: String,
    ignore_robots: bool,
}

/// An origin's robots.txt and when it was read, once read.
type RobotsSlot = Arc<Mutex<Option<(Instant, Robots)>>>;

/// A URL due in this round, with the validators of its last answer (ETag, Last-Modified).
type DueUrl = (String, (Option<String>, Option<String>));

/// What an origin's robots.txt says.
#[derive(Clone)]
pub(crate) enum Robots {
    Rules(Arc<texting_robots::Robot>),
    /// No robots.txt (4xx), or one that cannot be read as one: everything is allowed.
    All,
    /// It could not be read (5xx, no answer): nothing is allowed for now (RFC 9309).
    Unreachable(String),
}

/// What a fetching thread hands over for one due URL.
enum Got {
    Fetched(Box<FetchedSource>),
    Disallowed,
    RobotsUnreachable(String),
    /// Fetching or cleaning it panicked (prov's bug): the URL fails this round, the round
    /// goes on.
    Panicked(String),
}

/// `scheme://authority` of a URL.
pub(crate) fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(format!("{scheme}://{}", &rest[..end]))
}

/// The robots.txt of `origin` for the product token `agent`, read through `gate` (at most
/// [`ROBOTS_MAX_BYTES`]); its Crawl-delay, when longer than the gate's delay, is the host's
/// from now on (said on stderr).
pub(crate) fn read_robots(
    origin: &str,
    agent: &str,
    http: &HttpOptions,
    gate: &HostGate,
) -> Robots {
    let options = HttpOptions {
        max_bytes: ROBOTS_MAX_BYTES,
        ..http.clone()
    };
    let robots_url = format!("{origin}/robots.txt");
    let host = fetch::host_of(&robots_url).unwrap_or_default();
    let result = {
        let _turn = gate.acquire(host.clone());
        fetch::http::get(&robots_url, &options)
    };
    match result {
        Ok(f) => match texting_robots::Robot::new(agent, &f.bytes) {
            Ok(robot) => {
                if let Some(say) = gate.crawl_delay(&host, robot.delay) {
                    eprintln!("prov: {}", super::printable(&say));
                }
                Robots::Rules(Arc::new(robot))
            }
            Err(_) => Robots::All,
        },
        Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => Robots::All,
        Err(e) => Robots::Unreachable(e.to_string()),
    }
}

impl Shared {
    fn robots(&self, url: &str) -> Robots {
        let Some(origin) = origin(url) else {
            return Robots::All;
        };
        let slot = {
            let mut map = self.robots.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(origin.clone()).or_default().clone()
        };
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((when, r)) = slot.as_ref()
            && when.elapsed() < ROBOTS_TTL
        {
            return r.clone();
        }
        let r = read_robots(&origin, &self.agent, &self.http, &self.gate);
        *slot = Some((Instant::now(), r.clone()));
        r
    }

    /// Fetch and clean one due URL (on a fetching thread; nothing here touches the archive).
    fn prepare(&self, url: &str, validators: (Option<String>, Option<String>), bulk: bool) -> Got {
        if !self.ignore_robots {
            match self.robots(url) {
                Robots::Rules(r) if !r.allowed(url) => return Got::Disallowed,
                Robots::Unreachable(e) => return Got::RobotsUnreachable(e),
                _ => {}
            }
        }
        let mut options = self.http.clone();
        if let Some(etag) = validators.0 {
            options.headers.push(("If-None-Match".into(), etag));
        }
        if let Some(lm) = validators.1 {
            options.headers.push(("If-Modified-Since".into(), lm));
        }
        let result = {
            let _turn = self.gate.acquire(fetch::host_of(url).unwrap_or_default());
            fetch::http::get(url, &options)
        };
        let at = timefmt::now();
        let normalized = result
            .as_ref()
            .ok()
            // Bytes that give no text are recorded too (a capture is never refused for its
            // content): a page emptied or turned into a PDF is a change to see.
            .map(|f| super::clean_to_record(f, url, &self.rules, Some(url)));
        let precomputed = match (&result, &normalized) {
            (Ok(f), Some(Ok(n))) if bulk => Some(Box::new(Precomputed::of(&f.bytes, &n.text))),
            _ => None,
        };
        Got::Fetched(Box::new(FetchedSource {
            result,
            at,
            normalized,
            precomputed,
        }))
    }
}

struct Watcher<'a> {
    archive: &'a Archive,
    ctx: &'a Ctx,
    args: &'a Args,
    curve: Curve,
    named: Vec<String>,
    feeds: Vec<String>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
}

impl Watcher<'_> {
    fn owns(&self, url: &str) -> bool {
        match self.args.shard {
            None => true,
            Some(s) => fetch::host_of(url).is_some_and(|h| s.owns(&h)),
        }
    }

    fn state_path(&self) -> PathBuf {
        self.archive.prov_dir().join("watch.json")
    }

    fn load_state(&self) -> State {
        std::fs::read(self.state_path())
            .map(|b| State::from_json(&b))
            .unwrap_or_default()
    }

    fn save_state(&self, state: &State) -> Result<(), CliError> {
        let path = self.state_path();
        let tmp = path.with_extension("json.tmp");
        std::fs::create_dir_all(self.archive.prov_dir())
            .and_then(|_| std::fs::write(&tmp, state.to_json()))
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| CliError::new(format!("{}: cannot write: {e}", path.display())))
    }

    /// Wait until something is due or a feed is to be read again, or prov is stopped.
    fn wait(&self) -> Result<(), CliError> {
        let state = self.load_state();
        let now = timefmt::now()?;
        let feed_every = self.curve.shortest();
        let next_feed = state
            .feeds
            .iter()
            .filter(|(f, _)| self.feeds.contains(f))
            .filter_map(|(_, f)| f.read.map(|r| r + feed_every))
            .min();
        let next = [
            state.next_due(|u| self.owns(u)).map(|t| t.as_second()),
            next_feed,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(now.as_second() + feed_every);
        let seconds = (next - now.as_second()).clamp(1, 3600);
        self.sleep(Duration::from_secs(seconds as u64));
        Ok(())
    }

    /// Sleep for `span`, or until prov is stopped.
    fn sleep(&self, span: Duration) {
        let until = Instant::now() + span;
        while Instant::now() < until && !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Read the feeds that are due; what they announce is watched from now.
    fn read_feeds(&self, state: &mut State, now: jiff::Timestamp, tally: &mut Tally) {
        let every = self.curve.shortest();
        for feed in &self.feeds {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let seen = state.feeds.get(feed).cloned().unwrap_or_default();
            if !self.owns(feed) || seen.read.is_some_and(|r| r + every > now.as_second()) {
                continue;
            }
            let mut options = self.shared.http.clone();
            if let Some(etag) = &seen.etag {
                options.headers.push(("If-None-Match".into(), etag.clone()));
            }
            if let Some(lm) = &seen.last_modified {
                options
                    .headers
                    .push(("If-Modified-Since".into(), lm.clone()));
            }
            let fetched = {
                let _turn = self
                    .shared
                    .gate
                    .acquire(fetch::host_of(feed).unwrap_or_default());
                fetch::http::get(feed, &options)
            };
            let entry = state.feeds.entry(feed.clone()).or_default();
            match fetched {
                Err(FetchError::Status { status: 304, .. }) => entry.read = Some(now.as_second()),
                Err(e) => {
                    eprintln!("prov: feed {e}");
                    tally.failed += 1;
                }
                Ok(f) => {
                    entry.read = Some(now.as_second());
                    if let Some(h) = &f.http {
                        entry.etag = h.etag.clone();
                        entry.last_modified = h.last_modified.clone();
                    }
                    let base = f.final_url.clone().unwrap_or_else(|| feed.clone());
                    match feeds::read(&f.bytes, &base) {
                        Ok(announced) => {
                            let mut pages = announced.pages;
                            let mut published = announced.published;
                            // A sitemap index: its sitemaps are read now (one level).
                            for sitemap in announced.sitemaps {
                                let got = {
                                    let _turn = self
                                        .shared
                                        .gate
                                        .acquire(fetch::host_of(&sitemap).unwrap_or_default());
                                    fetch::http::get(&sitemap, &self.shared.http)
                                };
                                // A fetch error names the URL itself; a reading error does not.
                                match got.map_err(|e| e.to_string()).and_then(|s| {
                                    feeds::read(&s.bytes, &sitemap)
                                        .map_err(|e| format!("{sitemap}: {e}"))
                                }) {
                                    Ok(a) => {
                                        pages.extend(a.pages);
                                        published.extend(a.published);
                                    }
                                    Err(e) => {
                                        eprintln!("prov: feed {e}");
                                        tally.failed += 1;
                                    }
                                }
                            }
                            for page in pages {
                                if self.owns(&page) {
                                    state.add(&page, now, published.get(&page).copied());
                                }
                            }
                        }
                        Err(e) => {
                            eprintln!("prov: feed {feed}: {e}");
                            tally.failed += 1;
                        }
                    }
                }
            }
        }
    }

    /// One round: everything due now, fetched, recorded and reported.
    fn round(&self, out: &mut dyn Write) -> Result<Tally, CliError> {
        // The lock first: two watchers of one archive (a cron round that overlaps the
        // last) then read and write the state in turn, and the second finds little due.
        let lock = self.ctx.lock(self.archive)?;
        let now = timefmt::now()?;
        let mut tally = Tally::default();
        let mut state = self.load_state();
        state.merge_history(&known(self.archive)?, &self.curve);
        for url in &self.named {
            state.add(url, now, None);
        }
        self.read_feeds(&mut state, now, &mut tally);
        let due = state.due(now, |u| self.owns(u));
        tally.due = due.len();
        let bulk = Bulk::new(self.archive, lock).map_err(|(_, e)| CliError::from(e))?;
        let mut rec = Recorder {
            archive: self.archive,
            bulk: Some(Box::new(bulk)),
            changes: Vec::new(),
            printers: Printers::new(self.args.json, true, Progress::new(false, 0)),
        };
        let result = self.fetch_and_record(&due, &mut state, &mut rec, &mut tally, out);
        // Commit what is staged, even after an error or a stop: each capture is whole.
        let flushed = rec.flush();
        let report = flushed.and_then(|changes| self.report(&mut rec.printers, changes, out));
        self.save_state(&state)?;
        result?;
        report?;
        let at = timefmt::rfc3339(now);
        let event = Event::RoundDone {
            at: &at,
            tally: &tally,
        };
        rec.printers.emit(&event, out)?;
        out.flush()?;
        Ok(tally)
    }

    fn fetch_and_record(
        &self,
        due: &[String],
        state: &mut State,
        rec: &mut Recorder<'_>,
        tally: &mut Tally,
        out: &mut dyn Write,
    ) -> Result<(), CliError> {
        if due.is_empty() {
            return Ok(());
        }
        let jobs = usize::try_from(self.args.jobs)
            .unwrap_or(1)
            .clamp(1, MAX_JOBS);
        let window = 2 * jobs + 2;
        let urls: Arc<Vec<DueUrl>> = Arc::new(
            due.iter()
                .map(|u| {
                    let w = state.urls.get(u);
                    let v = (
                        w.and_then(|w| w.etag.clone()),
                        w.and_then(|w| w.last_modified.clone()),
                    );
                    (u.clone(), v)
                })
                .collect(),
        );
        let next = Arc::new(AtomicUsize::new(0));
        let committed = Arc::new(AtomicUsize::new(0));
        // Set when this round is over, so that fetching threads stop taking URLs.
        let over = Arc::new(AtomicBool::new(false));
        // The same ordered window as `capture::pipeline`, but its own pool: a stop signal
        // must not wait for fetches in flight (these threads are not scoped or joined, and
        // the flag is read between `recv_timeout`s), which the pipeline's scoped threads
        // would. Not merged for that reason.
        let (tx, rx) = mpsc::channel::<(usize, Got)>();
        for _ in 0..jobs.min(due.len()) {
            let (tx, next, committed, over, urls, shared, stop) = (
                tx.clone(),
                next.clone(),
                committed.clone(),
                over.clone(),
                urls.clone(),
                self.shared.clone(),
                self.stop.clone(),
            );
            // Not joined: a stopped round leaves a request in flight behind.
            std::thread::spawn(move || {
                let done = || over.load(Ordering::SeqCst) || stop.load(Ordering::SeqCst);
                while !done() {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((url, validators)) = urls.get(i) else {
                        break;
                    };
                    while i >= committed.load(Ordering::SeqCst) + window && !done() {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    if done() {
                        break;
                    }
                    let got = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        shared.prepare(url, validators.clone(), true)
                    }))
                    .unwrap_or_else(|panic| Got::Panicked(panic_message(panic.as_ref())));
                    if tx.send((i, got)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut arrived: BTreeMap<usize, Got> = BTreeMap::new();
        let mut at = 0;
        let result = (|| {
            while at < due.len() {
                if self.stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Ok((i, got)) => {
                        arrived.insert(i, got);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        if !arrived.contains_key(&at) {
                            return Ok(());
                        }
                    }
                }
                while let Some(got) = arrived.remove(&at) {
                    if self.stop.load(Ordering::SeqCst) {
                        return Ok(());
                    }
                    let url = &due[at];
                    at += 1;
                    self.record(url, got, state, rec, tally, out)?;
                    if rec.full() {
                        let changes = rec.flush()?;
                        self.report(&mut rec.printers, changes, out)?;
                        self.save_state(state)?;
                    }
                    committed.store(at, Ordering::SeqCst);
                }
            }
            Ok(())
        })();
        over.store(true, Ordering::SeqCst);
        result
    }

    /// Record what was fetched for one due URL and count it.
    fn record(
        &self,
        url: &str,
        got: Got,
        state: &mut State,
        rec: &mut Recorder<'_>,
        tally: &mut Tally,
        out: &mut dyn Write,
    ) -> Result<(), CliError> {
        let now = timefmt::now()?;
        let (result, at, normalized, precomputed) = match got {
            Got::Disallowed => {
                tally.disallowed += 1;
                rec.printers.emit(&Event::Disallowed { url }, out)?;
                state.checked(url, now, &self.curve);
                return Ok(());
            }
            Got::RobotsUnreachable(e) => {
                tally.failed += 1;
                let error = e.to_string();
                let event = Event::RobotsUnreachable { url, error: &error };
                rec.printers.emit(&event, out)?;
                state.checked(url, now, &self.curve);
                return Ok(());
            }
            Got::Panicked(message) => {
                tally.failed += 1;
                let error = internal_error(url, &message);
                rec.printers.emit(&Event::Failed { error: &error }, out)?;
                state.checked(url, now, &self.curve);
                return Ok(());
            }
            Got::Fetched(f) => {
                let FetchedSource {
                    result,
                    at,
                    normalized,
                    precomputed,
                } = *f;
                (result, at?, normalized, precomputed)
            }
        };
        let mut result = result;
        state.checked(url, at, &self.curve);
        // A page captured before that answers 404/410 or redirects elsewhere is a finding.
        if let Some(response) = response_of(&result)
            && let Some(before) = rec.latest_with_url(url)?
            && let Some((kind, before)) = finding(url, response, before)
        {
            let (response, page) = finding_parts(kind, result)?;
            match rec.finding(url, kind, &before, response, at)? {
                Some(change) => {
                    match kind {
                        Kind::Moved => tally.moved += 1,
                        _ => tally.gone += 1,
                    }
                    rec.changes.push(change);
                }
                None => tally.unchanged += 1,
            }
            match page {
                Some(page) => result = Ok(page),
                None => return Ok(()),
            }
        }
        let fetched = match result {
            Err(FetchError::Status { status: 304, .. }) => {
                tally.not_modified += 1;
                return Ok(());
            }
            Err(e) => {
                tally.failed += 1;
                let error = CliError::from(e);
                rec.printers.emit(&Event::Failed { error: &error }, out)?;
                return Ok(());
            }
            Ok(f) => f,
        };
        if let (Some(w), Some(h)) = (state.urls.get_mut(url), &fetched.http) {
            w.etag = h.etag.clone();
            w.last_modified = h.last_modified.clone();
        }
        let normalized = match normalized {
            Some(Ok(n)) => n,
            Some(Err(e)) => {
                tally.failed += 1;
                rec.printers.emit(&Event::Failed { error: &e }, out)?;
                return Ok(());
            }
            None => {
                tally.failed += 1;
                let error = CliError::new(format!("{url}: nothing was read"));
                rec.printers.emit(&Event::Failed { error: &error }, out)?;
                return Ok(());
            }
        };
        let new = NewCapture {
            fetched,
            normalized,
            article: None,
            copy: None,
            url: Some(url.to_string()),
            captured_at: at,
            time_source: TimeSource::Fetched,
            archived_at: at,
            precomputed,
        };
        let no_text = new.normalized.no_text.clone();
        match rec.capture(url, new)? {
            Recorded::Unchanged => tally.unchanged += 1,
            Recorded::SameText => {
                tally.captured += 1;
                tally.unchanged += 1;
            }
            Recorded::Change(change) => {
                tally.captured += 1;
                if change.no_text {
                    tally.no_text += 1;
                    match &no_text {
                        Some(reason) => {
                            let event = Event::NoText {
                                source: url,
                                reason,
                            };
                            rec.printers.emit(&event, out)?;
                        }
                        // Text empty with no reason recorded: say what the summary says.
                        None => {
                            let note = format!(
                                "{url}: no text, {}; the bytes are recorded with an empty text",
                                change.summary
                            );
                            rec.printers.emit(&Event::Note(&note), out)?;
                        }
                    }
                }
                if change.event == "new" {
                    tally.new += 1;
                } else {
                    tally.changed += 1;
                }
                rec.changes.push(*change);
            }
        }
        Ok(())
    }

    /// Print the changes of what was just committed and run `--on-change` for each.
    fn report(
        &self,
        printers: &mut Printers,
        changes: Vec<Change>,
        out: &mut dyn Write,
    ) -> Result<(), CliError> {
        for c in &changes {
            printers.emit(&Event::Change(c), out)?;
            out.flush()?;
            let json = serde_json::to_string(c).unwrap_or_default();
            if let Some(cmd) = &self.args.on_change {
                run_hook(cmd, &json, &c.url, &self.stop);
            }
        }
        Ok(())
    }
}

/// Run `--on-change` with the change's JSON on stdin; a failure is a line, not a stop.
fn run_hook(cmd: &str, json: &str, url: &str, stop: &AtomicBool) {
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::piped())
        .spawn();
    let result = child.and_then(|mut c| {
        if let Some(mut stdin) = c.stdin.take() {
            // A command that does not read its input is not an error.
            let _ = stdin.write_all(json.as_bytes());
            let _ = stdin.write_all(b"\n");
        }
        // Waited for, but a signal is not held up by a command that does not end: it is
        // left running and prov stops.
        loop {
            if let Some(status) = c.try_wait()? {
                return Ok(status);
            }
            if stop.load(Ordering::SeqCst) {
                return Err(std::io::Error::other("prov was stopped before it ended"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    match result {
        Ok(s) if s.success() => {}
        Ok(s) => eprintln!("prov: --on-change for {url}: the command failed ({s})"),
        Err(e) if stop.load(Ordering::SeqCst) => {
            eprintln!("prov: --on-change for {url}: the command is left running: {e}")
        }
        Err(e) => eprintln!("prov: --on-change for {url}: cannot run the command: {e}"),
    }
}

/// What the archive's captures say of each URL they were captured from.
fn known(archive: &Archive) -> Result<Vec<Known>, CliError> {
    let mut by_url: BTreeMap<String, (jiff::Timestamp, jiff::Timestamp)> = BTreeMap::new();
    for e in Indexed::new(archive)?.all()? {
        let Some(url) = e
            .url
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        else {
            continue;
        };
        let Ok(t) = timefmt::parse(&e.captured_at) else {
            continue;
        };
        let span = by_url.entry(url).or_insert((t, t));
        span.0 = span.0.min(t);
        span.1 = span.1.max(t);
    }
    Ok(by_url
        .into_iter()
        .map(|(url, (first, last))| Known { url, first, last })
        .collect())
}

/// What a capture came to.
enum Recorded {
    /// The same bytes as the copy's latest capture: nothing recorded.
    Unchanged,
    /// Recorded, with the same clean text as the copy's previous capture.
    SameText,
    Change(Box<Change>),
}

/// The bulk writer of a round and the changes staged with it (reported once committed).
struct Recorder<'a> {
    archive: &'a Archive,
    /// `None` only while a finding is recorded the one-by-one way.
    bulk: Option<Box<Bulk<'a>>>,
    changes: Vec<Change>,
    /// What the round says of each URL and change.
    printers: Printers,
}

impl<'a> Recorder<'a> {
    fn bulk(&mut self) -> Result<&mut Bulk<'a>, CliError> {
        bulk_mut(&mut self.bulk)
    }

    fn full(&self) -> bool {
        self.bulk.as_ref().is_some_and(|b| b.full())
    }

    /// Commit what is staged; the changes it held are now on the branch.
    fn flush(&mut self) -> Result<Vec<Change>, CliError> {
        if self.bulk.is_some() {
            self.bulk()?.flush()?;
        }
        Ok(std::mem::take(&mut self.changes))
    }

    fn latest_with_url(&self, url: &str) -> Result<Option<Capture>, CliError> {
        Ok(match &self.bulk {
            Some(b) => b.latest_with_url(url)?,
            None => None,
        })
    }

    fn capture(&mut self, url: &str, new: NewCapture) -> Result<Recorded, CliError> {
        let opts = super::diff_options(Some(self.archive), &[], false)?;
        let bulk = self.bulk()?;
        let (capture, commit, previous) = match bulk.capture(new)? {
            Captured::Unchanged { .. } => return Ok(Recorded::Unchanged),
            Captured::New {
                capture,
                commit,
                previous,
            } => (capture, commit, previous),
        };
        let m = &capture.meta;
        let mut change = Change {
            event: "new",
            url: url.to_string(),
            article: m.article.clone(),
            copy: m.copy.clone(),
            capture: m.capture.clone(),
            previous: previous.as_ref().map(|p| p.id().to_string()),
            commit,
            captured_at: m.captured_at.clone(),
            words_added: 0,
            words_removed: 0,
            paragraphs_moved: 0,
            status: None,
            moved_to: None,
            summary: "first capture".into(),
            no_text: false,
        };
        if previous.is_some() {
            change.event = "changed";
        }
        let with_text = super::has_text;
        if textless(capture.meta.text.as_ref()) {
            if previous
                .as_deref()
                .is_some_and(|p| p.meta.kind == Kind::Page && textless(p.meta.text.as_ref()))
            {
                return Ok(Recorded::SameText);
            }
            change.no_text = true;
            change.summary = super::no_text_summary(capture.meta.no_text.as_ref());
            return Ok(Recorded::Change(Box::new(change)));
        }
        // Compared with the copy's latest page with a text, as `prov log` does: after a gone
        // or moved finding, or a page without text, that is an earlier capture.
        let base = match previous.as_deref() {
            None => None,
            Some(p) if with_text(p) => Some(p.clone()),
            Some(_) => {
                bulk.flush()?;
                let captures = self.archive.captures()?;
                let at = captures.iter().position(|c| c.id() == capture.id());
                at.and_then(|i| super::previous_with_text(&captures, i).cloned())
            }
        };
        let Some(p) = base else {
            if previous.is_some() {
                change.summary = "back, no earlier text to compare".into();
            }
            return Ok(Recorded::Change(Box::new(change)));
        };
        let bulk = self.bulk()?;
        let a = bulk.current_text(&p)?;
        let b = bulk.current_text(&capture)?;
        let d = crate::diff::diff(&a, &b, &opts);
        let back = previous.as_deref().is_some_and(|q| !with_text(q));
        if d.identical {
            if !back {
                return Ok(Recorded::SameText);
            }
            change.summary = "back, text unchanged".into();
            return Ok(Recorded::Change(Box::new(change)));
        }
        change.words_added = d.stats.words_inserted;
        change.words_removed = d.stats.words_deleted;
        change.paragraphs_moved = d.stats.paragraphs_moved;
        change.summary = d.summary();
        Ok(Recorded::Change(Box::new(change)))
    }

    /// Record a gone or moved finding the one-by-one way (the bulk writer stages pages only):
    /// commit what is staged, record it under the lock, read the archive again. `None`
    /// when it was recorded before (still gone).
    fn finding(
        &mut self,
        url: &str,
        kind: Kind,
        before: &Capture,
        response: Fetched,
        at: jiff::Timestamp,
    ) -> Result<Option<Change>, CliError> {
        self.bulk()?.flush()?;
        // A move is told by its redirect's status, a page gone by its own.
        let status = response.http.as_ref().map(|h| match kind {
            Kind::Moved => h.redirects.first().map_or(h.status, |r| r.status),
            _ => h.status,
        });
        let moved_to = (kind == Kind::Moved)
            .then(|| response.final_url.clone())
            .flatten();
        let mut response = response;
        response.source = url.to_string();
        let new = NewFinding {
            fetched: response,
            kind,
            article: before.article().to_string(),
            filed_by: FiledBy::Url,
            copy: before.copy().to_string(),
            url: url.to_string(),
            captured_at: at,
            time_source: TimeSource::Fetched,
            archived_at: at,
        };
        let b = take_bulk(&mut self.bulk)?;
        let captured = self.archive.capture_finding(b.lock(), new);
        self.bulk = Some(Box::new(b.reload()?));
        let Captured::New {
            capture, commit, ..
        } = captured?
        else {
            return Ok(None);
        };
        let m = &capture.meta;
        let (event, summary) = match kind {
            Kind::Moved => (
                "moved",
                format!("moved to {}", moved_to.as_deref().unwrap_or("?")),
            ),
            _ => ("gone", format!("gone ({})", status.unwrap_or(0))),
        };
        Ok(Some(Change {
            event,
            url: url.to_string(),
            article: m.article.clone(),
            copy: m.copy.clone(),
            capture: m.capture.clone(),
            previous: Some(before.id().to_string()),
            commit,
            captured_at: m.captured_at.clone(),
            words_added: 0,
            words_removed: 0,
            paragraphs_moved: 0,
            status,
            moved_to,
            summary,
            no_text: false,
        }))
    }
}

/// git, run in the archive, with prov's identity when git's configuration names nobody
/// (as prov's own commits), and prov's time.
fn git(archive: &Archive, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.arg("-C").arg(&archive.root).args(args);
    let named = std::process::Command::new("git")
        .arg("-C")
        .arg(&archive.root)
        .args(["config", "user.email"])
        .output()
        .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty());
    if !named {
        for var in ["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"] {
            cmd.env(var, "prov");
        }
        for var in ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"] {
            cmd.env(var, "prov@localhost");
        }
    }
    // Merge commits are timed as prov's own commits are (`PROV_NOW`, else the clock).
    if let Ok(now) = timefmt::now() {
        let date = format!("{} +0000", now.as_second());
        cmd.env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
    }
    cmd
}

/// Run git; its error output becomes the sentence.
fn run_git(archive: &Archive, args: &[&str]) -> Result<String, String> {
    let o = git(archive, args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if o.status.success() {
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&o.stderr);
        let line = err
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty() && !l.starts_with("hint:"))
            .unwrap_or("git failed")
            .to_string();
        Err(line)
    }
}

/// The branch prov commits on.
fn branch(archive: &Archive) -> Result<String, String> {
    run_git(archive, &["symbolic-ref", "--short", "HEAD"]).map(|s| s.trim().to_string())
}

/// Fetch REMOTE's branch and merge it (captures live in their own folders: no conflict),
/// under the archive's lock. A remote without the branch yet is not an error.
fn pull(archive: &Archive, ctx: &Ctx, remote: &str) -> Result<(), CliError> {
    let fail = |what: &str, e: String| CliError::new(format!("--push {remote}: {what}: {e}"));
    let _lock = ctx.lock(archive)?;
    let branch = branch(archive).map_err(|e| fail("no branch", e))?;
    if let Err(e) = run_git(archive, &["fetch", "--quiet", remote, &branch]) {
        // A new remote has no branch yet: the first push makes it.
        if e.contains("couldn't find remote ref") {
            return Ok(());
        }
        return Err(fail("cannot fetch", e));
    }
    run_git(
        archive,
        &[
            "merge",
            "--quiet",
            "--no-edit",
            "-m",
            &format!("Merge {remote}/{branch} (prov watch)"),
            "FETCH_HEAD",
        ],
    )
    .map_err(|e| {
        let _ = run_git(archive, &["merge", "--abort"]);
        fail("cannot merge", e)
    })?;
    Ok(())
}

/// Push the branch to REMOTE; a rejected push (another watcher pushed first) is retried
/// after a pull.
fn push(archive: &Archive, ctx: &Ctx, remote: &str) -> Result<(), CliError> {
    let branch =
        branch(archive).map_err(|e| CliError::new(format!("--push {remote}: no branch: {e}")))?;
    let mut last = String::new();
    for _ in 0..PUSH_TRIES {
        match run_git(
            archive,
            &[
                "push",
                "--quiet",
                remote,
                &format!("HEAD:refs/heads/{branch}"),
            ],
        ) {
            Ok(_) => return Ok(()),
            Err(e) => {
                last = e;
                pull(archive, ctx, remote)?;
            }
        }
    }
    Err(CliError::new(format!(
        "--push {remote}: the push was rejected {PUSH_TRIES} times: {last}"
    )))
}
