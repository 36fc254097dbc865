//! The run: sources fetched and cleaned on worker threads (the fetch stage behind the per-host gate, then the normalizer), recorded one by one on this thread in the order they were named, so the output does not depend on timing; each source's outcome counted for the closing line and the exit status.

use std::any::Any;
use std::collections::BTreeMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::event::{Count, Event, Found};
use super::gate::HostGate;
use super::record::{FetchedSource, Recorder};
use super::sources::Given;
use crate::archive::bulk::Precomputed;
use crate::commands::{CliError, Outcome};
use crate::fetch::{self, HttpOptions, Source, warc};
use crate::normalize::Rules;
use crate::timefmt;

/// What every worker shares: how to fetch, the per-host gate, how to clean.
pub(crate) struct Work<'a> {
    pub http: &'a HttpOptions,
    pub rules: &'a Rules,
    pub gate: &'a HostGate,
    /// Whether a bulk writer commits: then workers also hash and compress each page.
    pub bulk: bool,
}

/// What a worker thread hands to the recording thread for one source.
pub(crate) enum Prepared {
    /// A WARC file: read record by record while recording, so memory stays bounded.
    Warc(PathBuf),
    Fetched(Box<FetchedSource>),
    Refused(CliError),
}

impl Work<'_> {
    /// Fetch and clean one source (on a worker thread; nothing here touches the archive).
    pub(crate) fn prepare(&self, source: &str, given: &Given) -> Prepared {
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
                Some(crate::commands::clean_to_record(
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

/// Items `0..n` prepared on `jobs` threads (`prepare`, nothing of the archive), at most a
/// window ahead of what is recorded, so that one slow item does not leave every other one
/// waiting in memory; handed to `record` on this thread in order, whatever order they are
/// ready in, so the output does not depend on timing. After `record` fails no item is begun;
/// those in hand are waited for (the threads are scoped: `watch`, which must not wait, keeps
/// its own). An item whose `prepare` panics is handed to `record` as `failed(i, message)`:
/// a bug met on one source fails that source, and neither stops the others nor leaves them
/// waiting for it.
pub(crate) fn in_order<T: Send>(
    jobs: usize,
    n: usize,
    prepare: impl Fn(usize) -> T + Sync,
    failed: impl Fn(usize, String) -> T + Sync,
    mut record: impl FnMut(usize, T) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let next = AtomicUsize::new(0);
    let committed = AtomicUsize::new(0);
    let window = 2 * jobs + 2;
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, T)>();
        for _ in 0..jobs.min(n) {
            let tx = tx.clone();
            let (next, stop, committed) = (&next, &stop, &committed);
            let (prepare, failed) = (&prepare, &failed);
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    while i >= committed.load(Ordering::SeqCst) + window
                        && !stop.load(Ordering::SeqCst)
                    {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    // Stopped while waiting for room: the item is not begun.
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let item = std::panic::catch_unwind(AssertUnwindSafe(|| prepare(i)))
                        .unwrap_or_else(|panic| failed(i, panic_message(panic.as_ref())));
                    if tx.send((i, item)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut arrived: BTreeMap<usize, T> = BTreeMap::new();
        let mut due = 0;
        let outcome = (|| {
            for (i, item) in rx {
                arrived.insert(i, item);
                while let Some(item) = arrived.remove(&due) {
                    record(due, item)?;
                    due += 1;
                    committed.store(due, Ordering::SeqCst);
                }
            }
            Ok(())
        })();
        stop.store(true, Ordering::SeqCst);
        outcome
    })
}

/// What a panic said, for the failure it becomes.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// The failure a panic while fetching or cleaning `source` becomes: prov's bug, not the
/// source's fault, and said so.
pub(crate) fn internal_error(source: &str, message: &str) -> CliError {
    CliError::new(format!(
        "{source}: prov failed on it, a bug in prov ({message}); nothing of it was recorded, please report it"
    ))
}

/// Capture `sources` (each with what its line said, `given`) on `jobs` threads, recording
/// through `rec`; the closing line when there were several; the exit status.
pub(crate) fn run(
    rec: &mut Recorder<'_>,
    work: &Work<'_>,
    jobs: usize,
    sources: &[String],
    given: &[Given],
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let mut count = Count::default();
    let outcome = in_order(
        jobs,
        sources.len(),
        |i| work.prepare(&sources[i], &given[i]),
        |i, message| Prepared::Refused(internal_error(&sources[i], &message)),
        |due, prepared| {
            let source = &sources[due];
            let result = match prepared {
                Prepared::Warc(path) => rec.capture_warc(work, source, &path, out),
                Prepared::Fetched(f) => rec.commit_one(source, &given[due], *f, out),
                Prepared::Refused(e) => Err(e),
            };
            // The source's progress step first, then what it says of the source.
            rec.emit(&Event::Done { source }, out)?;
            match result {
                Ok(found) => {
                    if let Found::NoText(reason) = &found {
                        rec.emit(&Event::NoText { source, reason }, out)?;
                    }
                    count.add(&found);
                }
                Err(e) if e.broken_pipe => return Err(e),
                Err(e) => {
                    rec.emit(&Event::Failed { error: &e }, out)?;
                    count.failed();
                }
            }
            rec.settle_if_full(out)?;
            // Clear the bar while the output reaches a shared terminal.
            rec.printers.progress.suspend(|| out.flush())?;
            Ok(())
        },
    );
    // Commit what is staged even when a source's output could not be written.
    let settled = rec.printers.progress.suspend(|| rec.writer.settle(out));
    rec.printers.progress.finish();
    outcome?;
    settled?;
    let event = Event::Finished {
        sources: sources.len(),
        tally: &count.tally,
    };
    rec.emit_now(&event, out)?;
    Ok(count.outcome())
}

#[cfg(test)]
mod tests {
    use super::in_order;

    /// A panic while preparing one item fails that item only: every other item is recorded,
    /// in order, on one thread as on several (on several, the others once waited for it
    /// for ever, the window never moving past it).
    #[test]
    fn a_panic_fails_its_item_and_the_run_goes_on() {
        for jobs in [1, 2, 4] {
            let mut seen = Vec::new();
            let outcome = in_order(
                jobs,
                40,
                |i| {
                    assert!(i != 3, "item three");
                    Ok(i)
                },
                |i, message| Err(format!("{i}: {message}")),
                |i, item: Result<usize, String>| {
                    seen.push((i, item));
                    Ok(())
                },
            );
            assert!(outcome.is_ok());
            let expected: Vec<(usize, Result<usize, String>)> = (0..40)
                .map(|i| {
                    (
                        i,
                        if i == 3 {
                            Err("3: item three".into())
                        } else {
                            Ok(i)
                        },
                    )
                })
                .collect();
            assert_eq!(seen, expected, "jobs {jobs}");
        }
    }
}
