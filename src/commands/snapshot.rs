//! `prov snapshot SOURCE...`: capture each source into the archive, one commit per new capture.
//!
//! A URL captured before that now answers 404 or 410, or redirects somewhere else, is a
//! finding: it is recorded as a capture of kind `gone` or `moved` and the command exits 1.
//! A WARC file gives one capture per HTML response record; a Memento (a web archive's
//! copy) is filed under its original URL at the archive's time. With `--jobs N`, sources
//! are fetched and cleaned on N threads (one request at a time per host), and committed
//! one by one, in the order they were named, so the output does not depend on timing.
//! The stages and their printers are [`super::capture`]'s; this file reads the arguments,
//! builds the run and picks the printers.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use super::capture::gate::HostGate;
use super::capture::pipeline::{self, Work};
use super::capture::printers::{Printers, Progress};
use super::capture::record::{Filing, Recorder, Writer};
use super::capture::sources;
use crate::commands::{CliError, Ctx, Outcome};
use crate::fetch::http::{DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_SECONDS};
use crate::fetch::{self, HttpOptions};

/// The most threads `--jobs` may ask for.
pub(crate) const MAX_JOBS: usize = 64;

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

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    if args.history.history {
        return super::history::run(&args, ctx, out);
    }
    let archive = ctx.archive()?;
    let (sources, given) = sources::all_sources(
        &args.sources,
        args.from.as_deref(),
        args.url.as_deref(),
        args.at.as_deref(),
        ctx,
    )?;
    if sources.is_empty() {
        return Err(CliError::new("no sources to capture: the list is empty"));
    }
    // On a terminal, a run over many sources counts the unchanged ones instead of listing
    // them (the closing line says how many), unless -v asks for them.
    let list_unchanged = lists_unchanged(&args, ctx.stdout_terminal, sources.len());
    sources::stdin_once(&sources, args.from.as_deref())?;
    let http = http_options(&args, ctx)?;
    let rules = archive.config.rules();
    let gate = HostGate::new(args.delay, usize::try_from(args.per_host).unwrap_or(1));
    // A list of sources is a bulk run: cleaned on every core, committed by a bulk writer.
    let bulk = args.from.is_some();
    let work = Work {
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
    let writer = if bulk {
        Writer::bulk(&archive, ctx.lock(&archive)?)?
    } else {
        Writer::Direct
    };
    let mut rec = Recorder {
        archive: &archive,
        ctx,
        writer,
        printers: Printers::new(
            args.json,
            list_unchanged,
            Progress::new(ctx.progress, sources.len()),
        ),
        filing: Filing {
            article: args.article.clone(),
            copy: args.copy.clone(),
        },
    };
    pipeline::run(&mut rec, &work, jobs, &sources, &given, out)
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

#[cfg(test)]
mod tests {
    use clap::Parser;

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
