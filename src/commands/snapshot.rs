//! `prov snapshot SOURCE...`: capture each source into the archive, one commit per new capture.
//!
//! A URL captured before that now answers 404 or 410, or redirects somewhere else, is a
//! finding: it is recorded as a capture of kind `gone` or `moved` and the command exits 1.
//! A WARC file gives one capture per HTML response record; a Memento (a web archive's
//! copy) is filed under its original URL at the archive's time. With `--jobs N`, sources
//! are fetched and cleaned on N threads (one request at a time per host), and committed
//! one by one, in the order they were named, so the output does not depend on timing.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::archive::bulk::{Bulk, Precomputed};
use crate::archive::{
    Archive, ArchiveError, Capture, Captured, FiledBy, Kind, Meta, NewCapture, NewFinding,
    TimeSource, WriteLock,
};
use crate::commands::{CliError, Ctx, Outcome};
use crate::fetch::http::{DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS};
use crate::fetch::warc::{self, Item, Verdict};
use crate::fetch::{self, FetchError, Fetched, HttpOptions, Source};
use crate::normalize::{Normalized, Rules};
use crate::timefmt;

/// The most threads `--jobs` may ask for.
const MAX_JOBS: usize = 64;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov snapshot https://www.aljazeera.com/opinions/2018/5/4/rebirth-of-a-cold-war-alliance
  prov snapshot saved.html --url https://example.com/story --at 2018-05-04T10:40:00Z
  prov snapshot --from urls.txt --jobs 4 --delay 2      a bulk run, one summary line at its end
  prov snapshot crawl.warc.gz                           each HTML response in a WARC file
  curl -s https://example.com/story | prov snapshot - --url https://example.com/story")]
pub struct Args {
    /// Files, http(s) URLs or .warc/.warc.gz files to capture, or `-` for stdin
    #[arg(required_unless_present = "from", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Read more sources from FILE, one a line (`#` comments and blank lines skipped; `-` for stdin); a file's line may add, after tabs, the URL it was saved from and when
    #[arg(long, value_name = "FILE")]
    pub from: Option<String>,
    /// Fetch and clean this many sources at once (still --per-host requests at a time per host; default 1, with --from one per core)
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS as u64))]
    pub jobs: Option<u64>,
    /// Requests at a time to one host (be polite: the default is one)
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u64).range(1..=MAX_JOBS as u64))]
    pub per_host: u64,
    /// Wait this many seconds between two requests to the same host
    #[arg(long, value_name = "SECONDS", default_value = "0", value_parser = parse_delay)]
    pub delay: Duration,
    /// File the captures under this article (default: that of the same URL, else of a matching text, else one named from the title)
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
    /// On a terminal, list each unchanged source too (by default a run over many sources
    /// counts them in its closing line)
    #[arg(short, long)]
    pub verbose: bool,
    /// Whether unchanged sources get their line (decided in `run`).
    #[arg(skip = true)]
    pub list_unchanged: bool,
    /// Give up on a URL after this many seconds (connecting, redirects and body included)
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Refuse a response (or a WARC record) whose body, decoded, is larger than this many bytes
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
    #[command(flatten)]
    pub history: super::history::HistoryArgs,
}

pub(crate) fn parse_delay(s: &str) -> Result<Duration, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && *d >= 0.0 && *d <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{s:?} is not a number of seconds from 0 to 3600"))
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
    /// The archived capture whose text this one matched, when that filed it.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    matched: Option<&'a crate::archive::MatchFacts>,
}

impl<'a> JsonLine<'a> {
    /// The line for a capture: everything but the source, commit and change comes from its meta.json.
    fn of(
        source: &'a str,
        m: &'a Meta,
        commit: Option<&'a str>,
        new: bool,
        change: &'a str,
    ) -> Self {
        JsonLine {
            source,
            article: &m.article,
            copy: &m.copy,
            capture: &m.capture,
            commit,
            raw_sha256: &m.raw.sha256,
            text_sha256: m.text.as_ref().map(|t| t.sha256.as_str()),
            new,
            change,
            stripped: m.stripped.len(),
            matched: m.matched.as_ref(),
        }
    }
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.history.history {
        return super::history::run(&args, ctx, out);
    }
    let archive = ctx.archive()?;
    let (sources, given) = all_sources(&args, ctx)?;
    if sources.is_empty() {
        return Err(CliError::new("no sources to capture: the list is empty"));
    }
    // On a terminal, a run over many sources counts the unchanged ones instead of listing
    // them (the closing line says how many), unless -v asks for them.
    let mut args = args;
    args.list_unchanged = lists_unchanged(&args, ctx.stdout_terminal, sources.len());
    let args = args;
    let stdin_uses = sources.iter().filter(|s| s.as_str() == "-").count()
        + usize::from(args.from.as_deref() == Some("-"));
    if stdin_uses > 1 {
        return Err(CliError::new(
            "stdin (`-`) can be captured only once per command",
        ));
    }
    let http = http_options(&args, ctx)?;
    let rules = archive.config.rules();
    let progress = Progress::new(ctx.progress, sources.len());
    let gate = HostGate::new(args.delay, usize::try_from(args.per_host).unwrap_or(1));
    // A list of sources is a bulk run: cleaned on every core, committed by a bulk writer.
    let bulk = args.from.is_some();
    let work = Work {
        args: &args,
        http: &http,
        rules: &rules,
        gate: &gate,
        bulk,
    };
    let jobs = match args.jobs {
        Some(n) => usize::try_from(n).unwrap_or(1),
        None if bulk => std::thread::available_parallelism().map_or(1, |n| n.get()),
        None => 1,
    }
    .clamp(1, MAX_JOBS);
    let mut writer = if bulk {
        match Bulk::new(&archive, ctx.lock(&archive)?) {
            Ok(b) => Writer::Bulk {
                bulk: Some(Box::new(b)),
                held: Vec::new(),
            },
            Err((_, e)) => return Err(e.into()),
        }
    } else {
        Writer::Direct
    };
    let mut failed = 0;
    let mut findings = 0;
    let mut tally = super::summary::Tally::default();
    let next = AtomicUsize::new(0);
    let committed = AtomicUsize::new(0);
    let window = 2 * jobs + 2;
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| -> Result<(), CliError> {
        let (tx, rx) = mpsc::channel::<(usize, Prepared)>();
        for _ in 0..jobs.min(sources.len()) {
            let tx = tx.clone();
            let (next, stop, sources, given, work, committed) =
                (&next, &stop, &sources, &given, &work, &committed);
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(source) = sources.get(i) else { break };
                    // Run at most a window ahead of the commits, so that one slow source
                    // does not leave every other fetched body waiting in memory.
                    while i >= committed.load(Ordering::SeqCst) + window
                        && !stop.load(Ordering::SeqCst)
                    {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    if tx.send((i, work.prepare(source, &given[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Commit in the order the sources were named, whatever order they arrive in.
        let mut arrived: BTreeMap<usize, Prepared> = BTreeMap::new();
        let mut due = 0;
        let outcome = (|| {
            for (i, prepared) in rx {
                arrived.insert(i, prepared);
                while let Some(prepared) = arrived.remove(&due) {
                    let source = &sources[due];
                    due += 1;
                    let result = match prepared {
                        Prepared::Warc(path) => capture_warc(
                            &archive,
                            &mut writer,
                            &work,
                            ctx,
                            source,
                            &path,
                            &progress,
                            out,
                        ),
                        Prepared::Fetched(f) => commit_one(
                            &archive,
                            &mut writer,
                            &args,
                            ctx,
                            source,
                            &given[due - 1],
                            *f,
                            out,
                        ),
                        Prepared::Refused(e) => Err(e),
                    };
                    // The source's progress line first, then what it says of the source.
                    progress.done(source);
                    match result {
                        Ok(Found::Warc { no_text }) => {
                            tally.warc += 1;
                            findings += usize::from(no_text);
                        }
                        Ok(Found::Captured) => tally.captured += 1,
                        Ok(Found::Unchanged) => tally.unchanged += 1,
                        Ok(Found::Finding(kind)) => {
                            match kind {
                                Kind::Moved => tally.moved += 1,
                                _ => tally.gone += 1,
                            }
                            findings += 1;
                        }
                        Ok(Found::NoText(line)) => {
                            progress.say(&format!("prov: {line}"));
                            tally.no_text += 1;
                            findings += 1;
                        }
                        Ok(Found::Failed) => {
                            tally.failed += 1;
                            failed += 1;
                        }
                        Err(e) if e.broken_pipe => return Err(e),
                        Err(e) => {
                            progress.say(&format!("prov: {e}"));
                            tally.failed += 1;
                            failed += 1;
                        }
                    }
                    if writer.full() {
                        progress.suspend(|| writer.settle(out))?;
                    }
                    // Clear the bar while the output reaches a shared terminal.
                    progress.suspend(|| out.flush())?;
                    committed.store(due, Ordering::SeqCst);
                }
            }
            Ok(())
        })();
        stop.store(true, Ordering::SeqCst);
        // Commit what is staged even when a source's output could not be written.
        let settled = progress.suspend(|| writer.settle(out));
        outcome?;
        settled
    });
    progress.finish();
    result?;
    if sources.len() > 1 {
        eprintln!("prov: {}", tally.line());
    }
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else if findings > 0 {
        Outcome::Finding
    } else {
        Outcome::Ok
    })
}

/// Whether each unchanged source gets its line: always for one source, for machines (`--json`)
/// and for a file or pipe; on a terminal only with `-v` (the closing line counts them).
fn lists_unchanged(args: &Args, terminal: bool, sources: usize) -> bool {
    args.json || args.verbose || !terminal || sources < 2
}

/// How URLs are fetched: `--timeout`, `--max-bytes`, `--user-agent`, `--header`, `--ca-cert`.
pub(crate) fn http_options(args: &Args, ctx: &Ctx) -> Result<HttpOptions, CliError> {
    let mut headers = Vec::new();
    for h in &args.headers {
        headers.push(fetch::http::parse_header(h)?);
    }
    Ok(HttpOptions {
        timeout: Duration::from_secs(args.timeout),
        max_bytes: args.max_bytes,
        user_agent: args
            .user_agent
            .clone()
            .unwrap_or_else(fetch::http::default_user_agent),
        headers,
        ca_cert: args.ca_cert.as_ref().map(|p| ctx.cwd.join(p)),
    })
}

/// What a line of `--from` says of its file besides its path: `PATH<TAB>URL[<TAB>TIME]`,
/// for pages saved from the web whose URL and time are known (as `--url` and `--at` say
/// for one file).
#[derive(Debug, Default, Clone)]
struct Given {
    url: Option<String>,
    at: Option<jiff::Timestamp>,
}

/// The sources named on the command line, then those of `--from`, with what their lines say.
fn all_sources(args: &Args, ctx: &Ctx) -> Result<(Vec<String>, Vec<Given>), CliError> {
    let declared = args.at.as_deref().map(timefmt::parse).transpose()?;
    let given = Given {
        url: args.url.clone(),
        at: declared,
    };
    let mut sources = args.sources.clone();
    let mut givens = vec![given.clone(); sources.len()];
    let Some(from) = &args.from else {
        return Ok((sources, givens));
    };
    let mut bytes = Vec::new();
    let read = if from == "-" {
        std::io::stdin()
            .lock()
            .take(fetch::MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(ctx.cwd.join(from))
            .and_then(|f| f.take(fetch::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| CliError::new(format!("{from}: cannot read the list of sources: {e}")))?;
    if bytes.len() as u64 > fetch::MAX_FILE_BYTES {
        return Err(CliError::new(format!(
            "{from}: the list of sources is larger than {} bytes",
            fetch::MAX_FILE_BYTES
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::new(format!("{from}: the list of sources is not UTF-8")))?;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split('\t').map(str::trim);
        let source = cols.next().unwrap_or_default().to_string();
        let mut g = given.clone();
        if let Some(url) = cols.next().filter(|u| !u.is_empty()) {
            if !matches!(Source::parse(&source), Source::File(_)) || warc::is_warc_path(&source) {
                return Err(CliError::new(format!(
                    "{from} line {}: only a page's file takes a URL and a time after it",
                    n + 1
                )));
            }
            g.url = Some(url.to_string());
        }
        if let Some(at) = cols.next().filter(|t| !t.is_empty()) {
            g.at = Some(
                timefmt::parse(at)
                    .map_err(|e| CliError::new(format!("{from} line {}: {e}", n + 1)))?,
            );
        }
        if cols.next().is_some() {
            return Err(CliError::new(format!(
                "{from} line {}: a line is a source, then at most a URL and a time, tab-separated",
                n + 1
            )));
        }
        sources.push(source);
        givens.push(g);
    }
    Ok((sources, givens))
}

/// Whether a source turned out to be a finding (a copy gone or moved; bytes recorded that
/// gave no text, with the line to say on stderr), or failed after saying why itself.
enum Found {
    /// A WARC file read (its own line says what its records came to), some records of
    /// which gave no text (a finding).
    Warc {
        no_text: bool,
    },
    Captured,
    Unchanged,
    Finding(Kind),
    NoText(String),
    Failed,
}

/// What a worker thread hands to the committing thread for one source.
enum Prepared {
    /// A WARC file: read record by record while committing, so memory stays bounded.
    Warc(PathBuf),
    Fetched(Box<FetchedSource>),
    Refused(CliError),
}

/// A source fetched (or not) and, when it is a page, cleaned.
struct FetchedSource {
    result: Result<Fetched, FetchError>,
    /// When it was fetched.
    at: Result<jiff::Timestamp, timefmt::TimeError>,
    normalized: Option<Result<Normalized, CliError>>,
    /// For a bulk writer, the capture's hashes and compressed blobs (see [`Precomputed`]).
    precomputed: Option<Box<Precomputed>>,
}

/// What every worker shares.
struct Work<'a> {
    args: &'a Args,
    http: &'a HttpOptions,
    rules: &'a Rules,
    gate: &'a HostGate,
    /// Whether a bulk writer commits: then workers also hash and compress each page.
    bulk: bool,
}

impl Work<'_> {
    /// Fetch and clean one source (on a worker thread; nothing here touches the archive).
    fn prepare(&self, source: &str, given: &Given) -> Prepared {
        let parsed = Source::parse(source);
        if let Source::File(path) = &parsed
            && warc::is_warc_path(source)
        {
            if given.at.is_some() || given.url.is_some() {
                return Prepared::Refused(CliError::new(format!(
                    "{source}: --at and --url are for single files; a WARC record has its own URL and time"
                )));
            }
            return Prepared::Warc(path.clone());
        }
        if let (Source::Url(url), Some(_)) = (&parsed, given.at) {
            return Prepared::Refused(CliError::new(format!(
                "{url}: --at is for files; a URL is captured at the moment it is fetched"
            )));
        }
        let mut result = match &parsed {
            Source::Url(url) => {
                let _turn = self.gate.acquire(fetch::host_of(url).unwrap_or_default());
                fetch::fetch_with(&parsed, self.http)
            }
            _ => fetch::fetch_with(&parsed, self.http),
        };
        // The capture time of a URL is the moment it was fetched.
        let at = timefmt::now();
        let normalized = match &mut result {
            Ok(fetched) => {
                fetched.source = source.to_string();
                if let Some(m) = &fetched.memento {
                    // A web archive's copy is a capture of the original URL; the archive's
                    // URL is kept in meta.json's `memento`.
                    fetched.url = Some(m.original.clone());
                    fetched.final_url = None;
                }
                let url = given.url.clone().or_else(|| fetched.url.clone());
                Some(super::clean_to_record(
                    fetched,
                    source,
                    self.rules,
                    url.as_deref(),
                ))
            }
            Err(_) => None,
        };
        let precomputed = match (&result, &normalized) {
            (Ok(fetched), Some(Ok(n))) if self.bulk => {
                Some(Box::new(Precomputed::of(&fetched.bytes, &n.text)))
            }
            _ => None,
        };
        Prepared::Fetched(Box::new(FetchedSource {
            result,
            at,
            normalized,
            precomputed,
        }))
    }
}

/// At most `per_host` requests at a time per host (one by default), and `delay` between the
/// end of one and the start of the next.
pub(crate) struct HostGate {
    delay: Duration,
    per_host: usize,
    hosts: Mutex<HashMap<String, HostState>>,
    changed: Condvar,
}

#[derive(Default)]
struct HostState {
    in_flight: usize,
    free_at: Option<Instant>,
    /// The host's own wait between two requests (robots.txt's Crawl-delay), when longer
    /// than the gate's.
    delay: Option<Duration>,
}

/// The longest Crawl-delay honoured: a robots.txt asking more would stall a round on one
/// host for hours; prov waits this long and says so.
pub(crate) const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// A host's turn; the host is free again when this is dropped.
pub(crate) struct Turn<'a> {
    gate: &'a HostGate,
    host: String,
}

impl HostGate {
    pub(crate) fn new(delay: Duration, per_host: usize) -> HostGate {
        HostGate {
            delay,
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
            changed: Condvar::new(),
        }
    }

    /// Wait as robots.txt's `Crawl-delay` asks between two requests to `host` (at most
    /// [`MAX_CRAWL_DELAY`]), from now on. The sentence to say when it lengthens the wait:
    /// `None` when the gate's own delay is as long, or the delay is no number of seconds.
    pub(crate) fn crawl_delay(&self, host: &str, asked: Option<f32>) -> Option<String> {
        let asked = asked.filter(|d| d.is_finite() && *d > 0.0)?;
        let wait = Duration::try_from_secs_f32(asked)
            .unwrap_or(MAX_CRAWL_DELAY)
            .min(MAX_CRAWL_DELAY);
        if wait <= self.delay {
            return None;
        }
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        let state = hosts.entry(host.to_string()).or_default();
        state.delay = Some(wait);
        let later = Instant::now() + wait;
        state.free_at = Some(state.free_at.map_or(later, |t| t.max(later)));
        let capped = if asked > MAX_CRAWL_DELAY.as_secs_f32() {
            ", the most prov waits"
        } else {
            ""
        };
        Some(format!(
            "{host}: robots.txt asks for {asked} s between requests; waiting {} s{capped}",
            wait.as_secs_f32()
        ))
    }

    pub(crate) fn acquire(&self, host: String) -> Turn<'_> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let state = hosts.entry(host.clone()).or_default();
            if state.in_flight >= self.per_host {
                hosts = self.changed.wait(hosts).unwrap_or_else(|e| e.into_inner());
                continue;
            }
            let now = Instant::now();
            match state.free_at {
                Some(t) if t > now => {
                    hosts = self
                        .changed
                        .wait_timeout(hosts, t - now)
                        .map(|(g, _)| g)
                        .unwrap_or_else(|e| e.into_inner().0);
                }
                _ => {
                    state.in_flight += 1;
                    return Turn { gate: self, host };
                }
            }
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut hosts = self.gate.hosts.lock().unwrap_or_else(|e| e.into_inner());
        let state = hosts.entry(std::mem::take(&mut self.host)).or_default();
        state.in_flight = state.in_flight.saturating_sub(1);
        let delay = state
            .delay
            .map_or(self.gate.delay, |d| d.max(self.gate.delay));
        state.free_at = Some(Instant::now() + delay);
        self.gate.changed.notify_all();
    }
}

/// Progress on stderr: a bar on a terminal, plain lines otherwise (only with several sources).
pub(crate) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    pub(crate) fn new(terminal: bool, total: usize) -> Progress {
        let bar = (terminal && total > 1).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
        }
    }

    /// A message for stderr, printed above the bar when there is one.
    pub(crate) fn say(&self, message: &str) {
        // Messages name URLs from pages and WARC records: no control character goes out raw.
        let message = super::printable(message);
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    /// Run `f` with the bar cleared from the terminal.
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub(crate) fn done(&self, source: &str) {
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(source.to_string());
                bar.inc(1);
            }
            None if self.total > 1 => eprintln!("prov: [{n}/{}] {source}", self.total),
            None => {}
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Record one fetched source: a capture, or a finding about a URL captured before.
#[allow(clippy::too_many_arguments)]
fn commit_one(
    archive: &Archive,
    writer: &mut Writer<'_>,
    args: &Args,
    ctx: &Ctx,
    source: &str,
    given: &Given,
    prepared: FetchedSource,
    out: &mut dyn Write,
) -> Result<Found, CliError> {
    let FetchedSource {
        result,
        at,
        normalized,
        precomputed,
    } = prepared;
    let mut result = result;
    let mut moved = false;
    let fetched_at = at?;
    let parsed = Source::parse(source);
    let memento = result.as_ref().ok().and_then(|f| f.memento.clone());
    if let (Source::Url(url), None) = (&parsed, &memento)
        && let Some(response) = response_of(&result)
    {
        let before = match writer {
            Writer::Direct => {
                let captures = archive.captures()?;
                captures
                    .iter()
                    .rev()
                    .find(|c| c.meta.url.as_deref() == Some(url.as_str()))
                    .cloned()
            }
            Writer::Bulk { bulk, .. } => match bulk.as_ref() {
                Some(b) => b.latest_with_url(url)?,
                None => None,
            },
        };
        if let Some((kind, before)) = before.and_then(|b| finding(url, response, b)) {
            let (response, page) = finding_parts(kind, result)?;
            let finding = Finding {
                kind,
                before: &before,
                response,
                at: fetched_at,
            };
            record_finding(archive, writer, ctx, args, source, finding, out)?;
            let Some(page) = page else {
                return Ok(Found::Finding(kind));
            };
            result = Ok(page);
            moved = true;
        }
    }
    let fetched = result?;
    let normalized = match normalized {
        Some(n) => n?,
        None => return Err(CliError::new(format!("{source}: nothing was read"))),
    };
    let url = given.url.clone().or_else(|| fetched.url.clone());
    let now = fetched_at;
    let (captured_at, time_source) = match (given.at, &memento) {
        (Some(t), _) => (t, TimeSource::Declared),
        (None, Some(m)) => match crate::fetch::memento::captured_at(m) {
            Some(t) => (t, TimeSource::Memento),
            None => {
                return Err(CliError::new(format!(
                    "{source}: the archive's Memento-Datetime {:?} is not an HTTP date",
                    m.datetime
                )));
            }
        },
        (None, None) => (now, TimeSource::Fetched),
    };
    // The archive time is when prov recorded the capture (the commit's time): the clock, or
    // PROV_NOW. A declared --at is the capture's time, never the archive's.
    let new = NewCapture {
        fetched,
        normalized,
        article: args.article.clone(),
        copy: args.copy.clone(),
        url,
        captured_at,
        time_source,
        archived_at: now,
        precomputed,
    };
    let no_text = new.normalized.no_text.clone();
    let recorded = commit_capture(archive, writer, args, ctx, source, new, out)?;
    Ok(match (no_text, recorded) {
        (Some(reason), _) => Found::NoText(no_text_finding(source, &reason)),
        // The move was recorded and the page it leads to captured: the move is the finding.
        (None, _) if moved => Found::Finding(Kind::Moved),
        (None, true) => Found::Captured,
        (None, false) => Found::Unchanged,
    })
}

/// The one line on stderr for a capture whose bytes gave no text.
fn no_text_finding(source: &str, reason: &crate::normalize::NoText) -> String {
    format!("{source}: no text, {reason}; the bytes are recorded with an empty text")
}

/// Commit a capture and print what became of it.
pub(crate) fn commit_capture(
    archive: &Archive,
    writer: &mut Writer<'_>,
    args: &Args,
    ctx: &Ctx,
    source: &str,
    new: NewCapture,
    out: &mut dyn Write,
) -> Result<bool, CliError> {
    let stripped_count = new.normalized.stripped.len();
    let stripped_text = super::stripped_summary(&new.normalized.stripped);
    let captured = match writer {
        Writer::Direct => {
            let lock = ctx.lock(archive)?;
            archive.capture(&lock, new)?
        }
        Writer::Bulk { bulk, .. } => bulk_mut(bulk)?.capture(new)?,
    };
    match captured {
        Captured::New {
            capture,
            commit,
            previous,
        } => {
            let change = match &previous {
                _ if crate::archive::textless(capture.meta.text.as_ref()) => {
                    super::no_text_summary(capture.meta.no_text.as_ref())
                }
                None => "first capture".to_string(),
                Some(p)
                    if p.meta.kind == Kind::Page
                        && !crate::archive::textless(p.meta.text.as_ref()) =>
                {
                    let opts = super::diff_options(Some(archive), &[], false)?;
                    let a = writer.current_text(archive, p)?;
                    let b = writer.current_text(archive, &capture)?;
                    crate::diff::diff(&a, &b, &opts).summary()
                }
                Some(_) => {
                    // The copy's latest capture was a gone or moved finding, or a page
                    // without text: compare with its latest page with text, as `prov log` does.
                    let opts = super::diff_options(Some(archive), &[], false)?;
                    writer.settle(out)?;
                    let captures = archive.captures()?;
                    match captures.iter().position(|c| c.id() == capture.id()) {
                        Some(i) => super::change_since_previous(archive, &captures, i, &opts)?,
                        None => "first capture".to_string(),
                    }
                }
            };
            let m = &capture.meta;
            let out = writer.out(out);
            if args.json {
                let line = JsonLine::of(source, m, Some(&commit), true, &change);
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
            } else {
                writeln!(
                    out,
                    "{source}: captured {}/{} {} (commit {})",
                    m.article,
                    m.copy,
                    m.capture,
                    &commit[..7.min(commit.len())]
                )?;
                if let Some(f) = &m.matched {
                    writeln!(
                        out,
                        "  matched {} capture {} (score {:.3})",
                        f.article, f.capture, f.score
                    )?;
                }
                writeln!(out, "  text: {change}")?;
                if stripped_count > 0 {
                    writeln!(out, "  stripped {stripped_count}: {stripped_text}")?;
                } else {
                    writeln!(out, "  stripped nothing")?;
                }
            }
            Ok(true)
        }
        Captured::Unchanged { existing } => {
            let m = &existing.meta;
            let commit = writer.commit_of(archive, &m.capture)?;
            let out = writer.out(out);
            if args.json {
                let line = JsonLine::of(source, m, commit.as_deref(), false, "unchanged");
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
            } else if args.list_unchanged {
                writeln!(
                    out,
                    "{source}: unchanged, the same bytes as {}/{} {}; nothing recorded",
                    m.article, m.copy, m.capture
                )?;
            }
            Ok(false)
        }
    }
}

/// What a WARC file's records came to.
#[derive(Default)]
struct WarcTally {
    captured: usize,
    unchanged: usize,
    /// Records skipped, by kind (`revisit`, `request`, `not HTML`...).
    skipped: BTreeMap<String, usize>,
    too_large: usize,
    failed: usize,
    /// Records captured whose bytes gave no text.
    no_text: usize,
    malformed: usize,
}

/// Capture each HTML response record of a WARC file, in the file's order.
#[allow(clippy::too_many_arguments)]
fn capture_warc(
    archive: &Archive,
    writer: &mut Writer<'_>,
    work: &Work<'_>,
    ctx: &Ctx,
    source: &str,
    path: &std::path::Path,
    progress: &Progress,
    out: &mut dyn Write,
) -> Result<Found, CliError> {
    let args = work.args;
    let limit = args.max_bytes;
    let reader = warc::open(&ctx.cwd.join(path), limit)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string());
    let mut tally = WarcTally::default();
    for item in reader {
        let record = match item {
            Item::Record(r) => r,
            Item::Malformed {
                number,
                offset,
                reason,
            } => {
                tally.malformed += 1;
                progress.say(&format!(
                    "prov: {source}: record {number} (at byte {offset}{}) is malformed: {reason}; skipped",
                    if is_gzip_name(source) { " uncompressed" } else { "" }
                ));
                continue;
            }
        };
        let number = record.number;
        let label = format!("{source}#{number}");
        match warc::judge(&record, source, &file_name, limit) {
            Verdict::Skipped(kind) => *tally.skipped.entry(kind).or_default() += 1,
            Verdict::TooLarge => {
                tally.too_large += 1;
                progress.say(&format!(
                    "prov: {source}: record {number} ({}) is larger than {limit} bytes (see --max-bytes); skipped",
                    record.header("WARC-Target-URI").unwrap_or("no URL")
                ));
            }
            Verdict::Malformed(reason) => {
                tally.malformed += 1;
                progress.say(&format!(
                    "prov: {source}: record {number} (at byte {}{}) is malformed: {reason}; skipped",
                    record.offset,
                    if is_gzip_name(source) { " uncompressed" } else { "" }
                ));
            }
            Verdict::Page(page) => {
                let page = *page;
                let mut no_text = None;
                let result =
                    super::clean_to_record(&page.fetched, &label, work.rules, Some(&page.url))
                        .and_then(|normalized| {
                            no_text.clone_from(&normalized.no_text);
                            let new = NewCapture {
                                fetched: page.fetched,
                                normalized,
                                article: args.article.clone(),
                                copy: args.copy.clone(),
                                url: Some(page.url),
                                captured_at: page.captured_at,
                                time_source: TimeSource::Warc,
                                archived_at: timefmt::now()?,
                                precomputed: None,
                            };
                            commit_capture(archive, writer, args, ctx, &label, new, out)
                        });
                if let (Ok(_), Some(reason)) = (&result, &no_text) {
                    tally.no_text += 1;
                    progress.say(&format!("prov: {}", no_text_finding(&label, reason)));
                }
                match result {
                    Ok(true) => tally.captured += 1,
                    Ok(false) => tally.unchanged += 1,
                    Err(e) if e.broken_pipe => return Err(e),
                    Err(e) => {
                        tally.failed += 1;
                        progress.say(&format!("prov: {e}"));
                    }
                }
                if writer.full() {
                    writer.settle(out)?;
                }
            }
        }
    }
    let summary = warc_summary(source, &tally);
    if args.json {
        progress.say(&format!("prov: {summary}"));
    } else {
        writeln!(writer.out(out), "{summary}")?;
    }
    Ok(if tally.malformed + tally.too_large + tally.failed > 0 {
        Found::Failed
    } else {
        Found::Warc {
            no_text: tally.no_text > 0,
        }
    })
}

fn is_gzip_name(source: &str) -> bool {
    source.to_ascii_lowercase().ends_with(".gz")
}

/// `x.warc: 3 captured, 1 unchanged; skipped 2 request, 1 revisit; 1 malformed`
fn warc_summary(source: &str, t: &WarcTally) -> String {
    let mut s = format!("{source}: {} captured", t.captured);
    if t.unchanged > 0 {
        s.push_str(&format!(", {} unchanged", t.unchanged));
    }
    if t.failed > 0 {
        s.push_str(&format!(", {} failed", t.failed));
    }
    let mut skipped: Vec<String> = t.skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
    if t.too_large > 0 {
        skipped.push(format!("{} over --max-bytes", t.too_large));
    }
    if skipped.is_empty() {
        s.push_str("; skipped none");
    } else {
        s.push_str(&format!("; skipped {}", skipped.join(", ")));
    }
    s.push_str(&format!("; {} malformed", t.malformed));
    s
}

/// The response a fetch ended with, a page or an error status, when it got one.
pub(crate) fn response_of(result: &Result<Fetched, FetchError>) -> Option<&Fetched> {
    match result {
        Ok(f) => Some(f),
        Err(FetchError::Status { response, .. }) => Some(response.as_ref()),
        Err(_) => None,
    }
}

/// What a finding of `kind` records, and the page to capture beside it. A redirect to a
/// page that answers is recorded as the move (the chain and the facts, no body) and the page
/// it leads to is captured in the same run, with its text, as any page of that URL.
pub(crate) fn finding_parts(
    kind: Kind,
    result: Result<Fetched, FetchError>,
) -> Result<(Fetched, Option<Fetched>), FetchError> {
    let page_too = kind == Kind::Moved
        && matches!(&result, Ok(f) if f.http.as_ref().is_some_and(|h| (200..300).contains(&h.status)));
    Ok(match result {
        Ok(f) if page_too => (
            Fetched {
                bytes: Vec::new(),
                ..f.clone()
            },
            Some(f),
        ),
        Ok(f) => (f, None),
        Err(FetchError::Status { response, .. }) => (*response, None),
        Err(e) => return Err(e),
    })
}
/// Whether `response` for `url` is a finding: the URL was captured before (the latest
/// such capture is returned) and now answers 404 or 410, or redirects to a final URL other
/// than the one it had then.
pub(crate) fn finding(url: &str, response: &Fetched, before: Capture) -> Option<(Kind, Capture)> {
    let http = response.http.as_ref()?;
    let final_before = before.meta.final_url.as_deref().unwrap_or(url);
    let final_now = response.final_url.as_deref().unwrap_or(url);
    if !http.redirects.is_empty() && final_now != final_before {
        return Some((Kind::Moved, before));
    }
    if matches!(http.status, 404 | 410) {
        return Some((Kind::Gone, before));
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
    writer: &mut Writer<'_>,
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
    let captured =
        writer.one_by_one(archive, ctx, out, |lock| archive.capture_finding(lock, new))?;
    let change = format!("{kind:?}").to_lowercase();
    let (m, commit, new) = match &captured {
        Captured::New {
            capture, commit, ..
        } => (&capture.meta, Some(commit.clone()), true),
        Captured::Unchanged { existing } => (
            &existing.meta,
            writer.commit_of(archive, &existing.meta.capture)?,
            false,
        ),
    };
    let out = writer.out(out);
    if args.json {
        let line = JsonLine::of(source, m, commit.as_deref(), new, &change);
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

/// Where captures go: committed one by one, each under a lock taken for it; or, for a list
/// of sources (`--from`), staged by a [`Bulk`] writer that holds the lock for the whole run
/// and commits a chunk at a time, with each source's output held until its chunk is
/// committed, so nothing is reported captured that a killed run did not keep.
pub(crate) enum Writer<'a> {
    Direct,
    Bulk {
        /// `None` only while being read again after a one-by-one capture.
        bulk: Option<Box<Bulk<'a>>>,
        held: Vec<u8>,
    },
}

fn bulk_mut<'b, 'a>(bulk: &'b mut Option<Box<Bulk<'a>>>) -> Result<&'b mut Bulk<'a>, CliError> {
    bulk.as_deref_mut()
        .ok_or_else(|| CliError::new("the bulk writer was lost after an earlier error"))
}

impl Writer<'_> {
    /// Where a source's output goes now.
    fn out<'o>(&'o mut self, out: &'o mut dyn Write) -> &'o mut dyn Write {
        match self {
            Writer::Direct => out,
            Writer::Bulk { held, .. } => held,
        }
    }

    pub(crate) fn full(&self) -> bool {
        matches!(self, Writer::Bulk { bulk: Some(b), .. } if b.full())
    }

    /// Commit what is staged, then let its output through.
    pub(crate) fn settle(&mut self, out: &mut dyn Write) -> Result<(), CliError> {
        if let Writer::Bulk { bulk, held } = self {
            bulk_mut(bulk)?.flush()?;
            out.write_all(held)?;
            held.clear();
        }
        Ok(())
    }

    fn current_text(&self, archive: &Archive, c: &Capture) -> Result<String, ArchiveError> {
        match self {
            Writer::Bulk { bulk: Some(b), .. } => b.current_text(c),
            _ => archive.current_text(c),
        }
    }

    fn commit_of(&mut self, archive: &Archive, capture: &str) -> Result<Option<String>, CliError> {
        Ok(match self {
            Writer::Bulk { bulk, .. } => bulk_mut(bulk)?.commit_of(capture)?,
            Writer::Direct => archive.commits()?.get(capture).cloned(),
        })
    }

    /// Record something the bulk writer does not stage (a finding) the one-by-one way: in
    /// a bulk run, after committing what is staged, under the run's lock, and reading the
    /// archive again afterwards.
    fn one_by_one<T>(
        &mut self,
        archive: &Archive,
        ctx: &Ctx,
        out: &mut dyn Write,
        f: impl FnOnce(&WriteLock) -> Result<T, ArchiveError>,
    ) -> Result<T, CliError> {
        match self {
            Writer::Direct => {
                let lock = ctx.lock(archive)?;
                Ok(f(&lock)?)
            }
            Writer::Bulk { .. } => {
                self.settle(out)?;
                let Writer::Bulk { bulk, .. } = self else {
                    return Err(CliError::new("the bulk writer was lost"));
                };
                let b = bulk
                    .take()
                    .ok_or_else(|| CliError::new("the bulk writer was lost"))?;
                let result = f(b.lock());
                *bulk = Some(Box::new(b.reload()?));
                Ok(result?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use std::time::Duration;

    use super::{HostGate, MAX_CRAWL_DELAY};

    /// Issue 25: robots.txt's Crawl-delay is the host's wait from then on when longer than
    /// `--delay`, bounded, and said; other hosts keep the gate's.
    #[test]
    fn a_crawl_delay_spaces_that_host_only_and_is_bounded() {
        let gate = HostGate::new(Duration::from_secs(1), 1);
        let delay_of = |host: &str| {
            let hosts = gate.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts.get(host).and_then(|s| s.delay)
        };
        assert_eq!(gate.crawl_delay("a.test", Some(0.5)), None);
        assert_eq!(gate.crawl_delay("a.test", Some(f32::NAN)), None);
        assert_eq!(gate.crawl_delay("a.test", Some(-3.0)), None);
        assert_eq!(gate.crawl_delay("a.test", None), None);
        assert_eq!(delay_of("a.test"), None);
        assert_eq!(
            gate.crawl_delay("a.test", Some(2.5)).as_deref(),
            Some("a.test: robots.txt asks for 2.5 s between requests; waiting 2.5 s")
        );
        assert_eq!(delay_of("a.test"), Some(Duration::from_millis(2500)));
        assert_eq!(
            gate.crawl_delay("b.test", Some(86_400.0)).as_deref(),
            Some(
                "b.test: robots.txt asks for 86400 s between requests; waiting 60 s, the most prov waits"
            )
        );
        assert_eq!(delay_of("b.test"), Some(MAX_CRAWL_DELAY));
        assert_eq!(delay_of("c.test"), None);
    }

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: super::Args,
    }

    #[test]
    fn unchanged_sources_are_counted_only_for_a_person_watching_many() {
        let args = |extra: &[&str]| {
            let mut all = vec!["prov", "a", "b"];
            all.extend_from_slice(extra);
            Cli::parse_from(all).args
        };
        assert!(!super::lists_unchanged(&args(&[]), true, 2));
        assert!(super::lists_unchanged(&args(&["-v"]), true, 2));
        assert!(super::lists_unchanged(&args(&["--json"]), true, 2));
        assert!(super::lists_unchanged(&args(&[]), false, 2));
        assert!(super::lists_unchanged(&args(&[]), true, 1));
    }
}
