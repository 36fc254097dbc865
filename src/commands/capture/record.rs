//! The file-and-commit stage: a fetched and cleaned source recorded as a capture, a URL gone or moved as a finding, a WARC file record by record, each saying what became of it as an [`Event`] to the run's printers.

use std::io::Write;
use std::path::Path;

use super::event::{Event, Found, WarcTally};
use super::pipeline::Work;
use super::printers::Printers;
use super::sources::Given;
use crate::archive::bulk::{Bulk, Precomputed};
use crate::archive::{
    Archive, ArchiveError, Capture, Captured, FiledBy, Kind, NewCapture, NewFinding, TimeSource,
    WriteLock,
};
use crate::commands::{CliError, Ctx};
use crate::fetch::warc::{self, Item, Verdict};
use crate::fetch::{FetchError, Fetched, Source};
use crate::normalize::Normalized;
use crate::timefmt;

/// A source fetched (or not) and, when it is a page, cleaned.
pub(crate) struct FetchedSource {
    pub result: Result<Fetched, FetchError>,
    /// When it was fetched.
    pub at: Result<jiff::Timestamp, timefmt::TimeError>,
    pub normalized: Option<Result<Normalized, CliError>>,
    /// For a bulk writer, the capture's hashes and compressed blobs (see [`Precomputed`]).
    pub precomputed: Option<Box<Precomputed>>,
}

/// Where captures are filed unless the archive decides: `--article`, `--copy`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filing {
    pub article: Option<String>,
    pub copy: Option<String>,
}

/// The recording end of the pipeline: the archive, its writer, and the printers told of
/// each capture.
pub(crate) struct Recorder<'a> {
    pub archive: &'a Archive,
    pub ctx: &'a Ctx,
    pub writer: Writer<'a>,
    pub printers: Printers,
    pub filing: Filing,
}

impl<'a> Recorder<'a> {
    /// Print `event`; its stdout lines wait with what is staged (in a bulk run).
    pub(crate) fn emit(&mut self, event: &Event<'_>, out: &mut dyn Write) -> Result<(), CliError> {
        self.printers.emit(event, self.writer.out(out))
    }

    /// Print `event` now, past what is staged.
    pub(crate) fn emit_now(
        &mut self,
        event: &Event<'_>,
        out: &mut dyn Write,
    ) -> Result<(), CliError> {
        self.printers.emit(event, out)
    }

    /// Commit what is staged (when the writer's chunk is full), with the bar cleared.
    pub(crate) fn settle_if_full(&mut self, out: &mut dyn Write) -> Result<(), CliError> {
        if self.writer.full() {
            self.printers.progress.suspend(|| self.writer.settle(out))?;
        }
        Ok(())
    }

    /// Record one fetched source: a capture, or a finding about a URL captured before.
    pub(crate) fn commit_one(
        &mut self,
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
            let before = match &self.writer {
                Writer::Direct => {
                    let captures = self.archive.captures()?;
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
                self.finding(source, finding, out)?;
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
        // The archive time is when prov recorded the capture (the commit's time): the clock,
        // or PROV_NOW. A declared --at is the capture's time, never the archive's.
        let new = NewCapture {
            fetched,
            normalized,
            article: self.filing.article.clone(),
            copy: self.filing.copy.clone(),
            url,
            captured_at,
            time_source,
            archived_at: now,
            precomputed,
        };
        let no_text = new.normalized.no_text.clone();
        let recorded = self.capture(source, new, out)?;
        Ok(match (no_text, recorded) {
            (Some(reason), _) => Found::NoText(reason),
            // The move was recorded and the page it leads to captured: the move is the finding.
            (None, _) if moved => Found::Finding(Kind::Moved),
            (None, true) => Found::Captured,
            (None, false) => Found::Unchanged,
        })
    }

    /// Commit a capture and say what became of it: whether it was new.
    pub(crate) fn capture(
        &mut self,
        source: &str,
        new: NewCapture,
        out: &mut dyn Write,
    ) -> Result<bool, CliError> {
        let archive = self.archive;
        let captured = match &mut self.writer {
            Writer::Direct => {
                let lock = self.ctx.lock(archive)?;
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
                let change = self.change(&capture, previous.as_deref(), out)?;
                let event = Event::Captured {
                    source,
                    meta: &capture.meta,
                    commit: &commit,
                    change: &change,
                };
                self.emit(&event, out)?;
                Ok(true)
            }
            Captured::Unchanged { existing } => {
                let commit = self.writer.commit_of(archive, &existing.meta.capture)?;
                let event = Event::Unchanged {
                    source,
                    meta: &existing.meta,
                    commit: commit.as_deref(),
                };
                self.emit(&event, out)?;
                Ok(false)
            }
        }
    }

    /// What changed in `capture`'s text since its copy's previous capture with text.
    fn change(
        &mut self,
        capture: &Capture,
        previous: Option<&Capture>,
        out: &mut dyn Write,
    ) -> Result<String, CliError> {
        let archive = self.archive;
        Ok(match previous {
            _ if crate::archive::textless(capture.meta.text.as_ref()) => {
                crate::commands::no_text_summary(capture.meta.no_text.as_ref())
            }
            None => "first capture".to_string(),
            Some(p) if crate::commands::has_text(p) => {
                let opts = crate::commands::diff_options(Some(archive), &[], false)?;
                let a = self.writer.current_text(archive, p)?;
                let b = self.writer.current_text(archive, capture)?;
                crate::diff::diff(&a, &b, &opts).summary()
            }
            Some(_) => {
                // The copy's latest capture was a gone or moved finding, or a page without
                // text: compare with its latest page with text, as `prov log` does.
                let opts = crate::commands::diff_options(Some(archive), &[], false)?;
                self.writer.settle(out)?;
                let captures = archive.captures()?;
                match captures.iter().position(|c| c.id() == capture.id()) {
                    Some(i) => {
                        crate::commands::change_since_previous(archive, &captures, i, &opts)?
                    }
                    None => "first capture".to_string(),
                }
            }
        })
    }

    /// Record a finding (a URL gone or moved) and say so.
    fn finding(
        &mut self,
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
            article: self
                .filing
                .article
                .clone()
                .unwrap_or_else(|| before.article().to_string()),
            filed_by: if self.filing.article.is_some() {
                FiledBy::Option
            } else {
                FiledBy::Url
            },
            copy: self
                .filing
                .copy
                .clone()
                .unwrap_or_else(|| before.copy().to_string()),
            url,
            captured_at: now,
            time_source: TimeSource::Fetched,
            archived_at: now,
        };
        let archive = self.archive;
        let captured = self.writer.one_by_one(archive, self.ctx, out, |lock| {
            archive.capture_finding(lock, new)
        })?;
        let (m, commit, new) = match &captured {
            Captured::New {
                capture, commit, ..
            } => (&capture.meta, Some(commit.clone()), true),
            Captured::Unchanged { existing } => (
                &existing.meta,
                self.writer.commit_of(archive, &existing.meta.capture)?,
                false,
            ),
        };
        let event = Event::Finding {
            source,
            kind,
            what: &what,
            meta: m,
            commit: commit.as_deref(),
            new,
        };
        self.emit(&event, out)
    }

    /// Capture each HTML response record of a WARC file, in the file's order.
    pub(crate) fn capture_warc(
        &mut self,
        work: &Work<'_>,
        source: &str,
        path: &Path,
        out: &mut dyn Write,
    ) -> Result<Found, CliError> {
        let limit = work.http.max_bytes;
        let reader = warc::open(&self.ctx.cwd.join(path), limit)?;
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
                    let event = Event::WarcMalformed {
                        source,
                        number,
                        offset,
                        reason: &reason,
                    };
                    self.emit(&event, out)?;
                    continue;
                }
            };
            let number = record.number;
            let label = format!("{source}#{number}");
            match warc::judge(&record, source, &file_name, limit) {
                Verdict::Skipped(kind) => *tally.skipped.entry(kind).or_default() += 1,
                Verdict::TooLarge => {
                    tally.too_large += 1;
                    let event = Event::WarcTooLarge {
                        source,
                        number,
                        url: record.header("WARC-Target-URI"),
                        limit,
                    };
                    self.emit(&event, out)?;
                }
                Verdict::Malformed(reason) => {
                    tally.malformed += 1;
                    let event = Event::WarcMalformed {
                        source,
                        number,
                        offset: record.offset,
                        reason: &reason,
                    };
                    self.emit(&event, out)?;
                }
                Verdict::Page(page) => {
                    let page = *page;
                    let mut no_text = None;
                    let result = crate::commands::clean_to_record(
                        &page.fetched,
                        &label,
                        work.rules,
                        Some(&page.url),
                    )
                    .and_then(|normalized| {
                        no_text.clone_from(&normalized.no_text);
                        let new = NewCapture {
                            fetched: page.fetched,
                            normalized,
                            article: self.filing.article.clone(),
                            copy: self.filing.copy.clone(),
                            url: Some(page.url),
                            captured_at: page.captured_at,
                            time_source: TimeSource::Warc,
                            archived_at: timefmt::now()?,
                            precomputed: None,
                        };
                        self.capture(&label, new, out)
                    });
                    if let (Ok(_), Some(reason)) = (&result, &no_text) {
                        tally.no_text += 1;
                        self.emit(
                            &Event::NoText {
                                source: &label,
                                reason,
                            },
                            out,
                        )?;
                    }
                    match result {
                        Ok(true) => tally.captured += 1,
                        Ok(false) => tally.unchanged += 1,
                        Err(e) if e.broken_pipe => return Err(e),
                        Err(e) => {
                            tally.failed += 1;
                            self.emit(&Event::Failed { error: &e }, out)?;
                        }
                    }
                    if self.writer.full() {
                        self.writer.settle(out)?;
                    }
                }
            }
        }
        self.emit(
            &Event::WarcRead {
                source,
                tally: &tally,
            },
            out,
        )?;
        Ok(tally.found())
    }
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

/// The bulk writer in `bulk`; `None` there only when an earlier error left it taken.
pub(crate) fn bulk_mut<'b, 'a>(
    bulk: &'b mut Option<Box<Bulk<'a>>>,
) -> Result<&'b mut Bulk<'a>, CliError> {
    bulk.as_deref_mut()
        .ok_or_else(|| CliError::new("the bulk writer was lost after an earlier error"))
}

/// The bulk writer taken out of `bulk` (to record a finding the one-by-one way).
pub(crate) fn take_bulk<'a>(bulk: &mut Option<Box<Bulk<'a>>>) -> Result<Box<Bulk<'a>>, CliError> {
    bulk.take()
        .ok_or_else(|| CliError::new("the bulk writer was lost"))
}

impl<'a> Writer<'a> {
    /// A bulk writer holding `lock` for the run.
    pub(crate) fn bulk(archive: &'a Archive, lock: WriteLock) -> Result<Writer<'a>, CliError> {
        match Bulk::new(archive, lock) {
            Ok(b) => Ok(Writer::Bulk {
                bulk: Some(Box::new(b)),
                held: Vec::new(),
            }),
            Err((_, e)) => Err(e.into()),
        }
    }

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
                let b = take_bulk(bulk)?;
                let result = f(b.lock());
                *bulk = Some(Box::new(b.reload()?));
                Ok(result?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{finding, finding_parts};
    use crate::archive::{Capture, Kind};
    use crate::commands::capture::fixture::meta;
    use crate::fetch::{FetchError, Fetched, HttpFacts, Redirect};

    const URL: &str = "https://example.com/story";

    fn before() -> Capture {
        Capture {
            meta: meta(),
            dir: "snapshots/story/example.com/c1".into(),
            refiled: None,
        }
    }

    fn response(status: u16, redirected_to: Option<&str>) -> Fetched {
        Fetched {
            source: URL.into(),
            bytes: b"<p>page</p>".to_vec(),
            file_name: None,
            url: Some(URL.into()),
            final_url: redirected_to.map(str::to_string),
            http: Some(HttpFacts {
                status,
                redirects: redirected_to
                    .map(|to| Redirect {
                        url: URL.into(),
                        status: 301,
                        location: to.into(),
                    })
                    .into_iter()
                    .collect(),
                ..HttpFacts::default()
            }),
            warc: None,
            memento: None,
        }
    }

    fn kind(r: &Fetched) -> Option<Kind> {
        finding(URL, r, before()).map(|(k, _)| k)
    }

    #[test]
    fn a_url_captured_before_is_gone_on_404_or_410_and_moved_when_it_redirects_elsewhere() {
        assert_eq!(kind(&response(200, None)), None);
        assert_eq!(kind(&response(404, None)), Some(Kind::Gone));
        assert_eq!(kind(&response(410, None)), Some(Kind::Gone));
        assert_eq!(kind(&response(500, None)), None, "an outage is no finding");
        let elsewhere = "https://example.com/other";
        assert_eq!(kind(&response(200, Some(elsewhere))), Some(Kind::Moved));
        // Redirected where it already led when captured: no move.
        let mut was_redirected = before();
        was_redirected.meta.final_url = Some(elsewhere.into());
        let same = response(200, Some(elsewhere));
        assert_eq!(finding(URL, &same, was_redirected).map(|(k, _)| k), None);
        // Without HTTP facts (a file) nothing is found.
        let file = Fetched {
            http: None,
            ..response(404, None)
        };
        assert_eq!(kind(&file), None);
    }

    #[test]
    fn a_move_to_a_page_that_answers_records_the_move_and_captures_the_page() {
        let moved = response(200, Some("https://example.com/other"));
        let (record, page) = finding_parts(Kind::Moved, Ok(moved)).expect("parts");
        assert!(record.bytes.is_empty(), "the move keeps the facts, no body");
        assert_eq!(
            record.final_url.as_deref(),
            Some("https://example.com/other")
        );
        assert_eq!(page.map(|p| p.bytes), Some(b"<p>page</p>".to_vec()));
        let gone = FetchError::Status {
            url: URL.into(),
            status: 404,
            response: Box::new(response(404, None)),
        };
        let (record, page) = finding_parts(Kind::Gone, Err(gone)).expect("parts");
        assert_eq!(record.http.map(|h| h.status), Some(404));
        assert!(page.is_none());
        let unreachable = FetchError::NotFound("x".into());
        assert!(finding_parts(Kind::Gone, Err(unreachable)).is_err());
    }
}
