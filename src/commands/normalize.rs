//! `prov normalize FILE...`: clean files without archiving them.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::commands::{CliError, Ctx, Outcome};
use crate::normalize::{Metadata, Normalized, Stripped};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  prov normalize saved.html                             the clean text, nothing archived
  prov normalize saved.html --url https://example.com/story --json")]
pub struct Args {
    /// Files to clean, or `-` for stdin
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Where the files were captured from (picks per-site rules)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Print one JSON object a line
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct JsonLine<'a> {
    source: String,
    title: Option<&'a str>,
    text: &'a str,
    metadata: &'a Metadata,
    stripped: &'a [Stripped],
}

pub fn run(args: Args, ctx: &Ctx, out: &mut dyn Write) -> Result<Outcome, CliError> {
    // Inside an archive its per-site rules apply; elsewhere the built-in ones alone.
    let rules = ctx
        .archive_if_any()?
        .map(|a| a.config.rules())
        .unwrap_or_default();
    let mut failed = 0;
    let many = args.files.len() > 1;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Files are cleaned on every core, a batch at a time, and printed in the order given:
    // the output is the same as one at a time, and what is held waits is one batch.
    let mut at = 0;
    for batch in args.files.chunks(BATCH) {
        for (k, result) in clean_all(batch, &rules, args.url.as_deref(), workers)
            .into_iter()
            .enumerate()
        {
            let (i, file) = (at + k, &batch[k]);
            let n = match result {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("prov: {e}");
                    failed += 1;
                    continue;
                }
            };
            if args.json {
                let line = JsonLine {
                    source: file.display().to_string(),
                    title: n.title(),
                    text: &n.text,
                    metadata: &n.metadata,
                    stripped: &n.stripped,
                };
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
            } else {
                if many {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "==> {} <==", file.display())?;
                }
                out.write_all(n.text.as_bytes())?;
            }
        }
        at += batch.len();
    }
    Ok(if failed > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Ok
    })
}

/// Files cleaned together before their results are printed.
const BATCH: usize = 64;

/// Clean `files` on up to `workers` threads; the results in the order of `files`.
fn clean_all(
    files: &[PathBuf],
    rules: &crate::normalize::Rules,
    url: Option<&str>,
    workers: usize,
) -> Vec<Result<Normalized, CliError>> {
    let one = |file: &PathBuf| super::clean_file(file, rules.clone(), url);
    let workers = workers.min(files.len());
    if workers <= 1 {
        return files.iter().map(one).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Normalized, CliError>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        mine.push((i, one(file)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
