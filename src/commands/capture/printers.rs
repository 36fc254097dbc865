//! Printers: what the capture pipeline's events become on stdout and stderr. The text printer writes a person's lines, the JSON printer one object a line for each source (`--json`), the progress printer a bar on a terminal or numbered lines; [`Printers`] composes one of the first two with the third.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::event::{Event, HistoryTally, WarcTally};
use crate::archive::Meta;
use crate::commands::CliError;

/// A line a printer gives for an event: for stdout (the record of what was done) or for
/// stderr (findings, failures, progress; `prov: ` in front).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    Out(String),
    Err(String),
}

/// Turns events into lines.
pub(crate) trait Printer {
    /// The lines `event` gives, in order, pushed onto `lines`.
    fn print(&mut self, event: &Event<'_>, lines: &mut Vec<Line>);
}

/// A person's lines: what was captured, how its text changed and what was stripped.
pub(crate) struct TextPrinter {
    /// Whether each unchanged source gets its line (else only the closing line counts it).
    pub list_unchanged: bool,
}

impl Printer for TextPrinter {
    fn print(&mut self, event: &Event<'_>, lines: &mut Vec<Line>) {
        match *event {
            Event::Captured {
                source,
                meta: m,
                commit,
                change,
            } => {
                lines.push(Line::Out(format!(
                    "{source}: captured {}/{} {} (commit {})",
                    m.article,
                    m.copy,
                    m.capture,
                    short(commit)
                )));
                if let Some(f) = &m.matched {
                    lines.push(Line::Out(format!(
                        "  matched {} capture {} (score {:.3})",
                        f.article, f.capture, f.score
                    )));
                }
                lines.push(Line::Out(format!("  text: {change}")));
                lines.push(Line::Out(if m.stripped.is_empty() {
                    "  stripped nothing".to_string()
                } else {
                    format!(
                        "  stripped {}: {}",
                        m.stripped.len(),
                        crate::commands::stripped_summary(&m.stripped)
                    )
                }));
            }
            Event::Unchanged {
                source, meta: m, ..
            } => {
                if self.list_unchanged {
                    lines.push(Line::Out(format!(
                        "{source}: unchanged, the same bytes as {}/{} {}; nothing recorded",
                        m.article, m.copy, m.capture
                    )));
                }
            }
            Event::Finding {
                source,
                what,
                meta: m,
                commit,
                new: true,
                ..
            } => lines.push(Line::Out(format!(
                "{source}: {what}; recorded {}/{} {} (commit {})",
                m.article,
                m.copy,
                m.capture,
                commit.map_or("", short)
            ))),
            Event::Finding {
                source,
                what,
                meta: m,
                new: false,
                ..
            } => lines.push(Line::Out(format!(
                "{source}: still {what}, as recorded in {}/{} {}; nothing recorded",
                m.article, m.copy, m.capture
            ))),
            Event::WarcRead { source, tally } => lines.push(Line::Out(warc_summary(source, tally))),
            Event::HistoryRead { url, tally } => lines.push(Line::Out(history_summary(url, tally))),
            Event::Change(c) => lines.push(Line::Out(c.line())),
            _ => said(event, lines),
        }
    }
}

/// One JSON object a line for each capture, unchanged source or finding; the rest on stderr.
pub(crate) struct JsonPrinter;

impl Printer for JsonPrinter {
    fn print(&mut self, event: &Event<'_>, lines: &mut Vec<Line>) {
        let line = match *event {
            Event::Captured {
                source,
                meta,
                commit,
                change,
            } => JsonLine::of(source, meta, Some(commit), true, change),
            Event::Unchanged {
                source,
                meta,
                commit,
            } => JsonLine::of(source, meta, commit, false, "unchanged"),
            Event::Finding {
                source,
                kind,
                meta,
                commit,
                new,
                ..
            } => {
                let change = format!("{kind:?}").to_lowercase();
                let line = JsonLine::of(source, meta, commit, new, &change);
                lines.push(Line::Out(json(&line)));
                return;
            }
            // A source's closing line is not one of the objects: it goes to stderr.
            Event::WarcRead { source, tally } => {
                lines.push(Line::Err(format!("prov: {}", warc_summary(source, tally))));
                return;
            }
            Event::HistoryRead { url, tally } => {
                lines.push(Line::Err(format!("prov: {}", history_summary(url, tally))));
                return;
            }
            Event::Change(c) => {
                lines.push(Line::Out(serde_json::to_string(c).unwrap_or_default()));
                return;
            }
            _ => return said(event, lines),
        };
        lines.push(Line::Out(json(&line)));
    }
}

fn json(line: &JsonLine<'_>) -> String {
    serde_json::to_string(line).unwrap_or_default()
}

/// The stderr lines both printers give alike.
fn said(event: &Event<'_>, lines: &mut Vec<Line>) {
    let line = match *event {
        Event::NoText { source, reason } => {
            format!("prov: {source}: no text, {reason}; the bytes are recorded with an empty text")
        }
        Event::Failed { error } => format!("prov: {error}"),
        Event::WarcMalformed {
            source,
            number,
            offset,
            reason,
        } => format!(
            "prov: {source}: record {number} (at byte {offset}{}) is malformed: {reason}; skipped",
            if is_gzip_name(source) {
                " uncompressed"
            } else {
                ""
            }
        ),
        Event::WarcTooLarge {
            source,
            number,
            url,
            limit,
        } => format!(
            "prov: {source}: record {number} ({}) is larger than {limit} bytes (see --max-bytes); skipped",
            url.unwrap_or("no URL")
        ),
        Event::Note(note) => format!("prov: {note}"),
        Event::Disallowed { url } => format!(
            "prov: {url}: robots.txt disallows prov; not fetched (--ignore-robots fetches it)"
        ),
        Event::RobotsUnreachable { url, error } => {
            format!("prov: {url}: not fetched: its robots.txt could not be read ({error})")
        }
        // A round's closing line is the record of the round: stdout, JSON or not.
        Event::RoundDone { at, tally } => {
            lines.push(Line::Out(format!(
                "round {at}: {}",
                crate::watch::summary(tally)
            )));
            return;
        }
        Event::Finished { sources, tally } if sources > 1 => format!("prov: {}", tally.line()),
        _ => return,
    };
    lines.push(Line::Err(line));
}

fn short(commit: &str) -> &str {
    &commit[..7.min(commit.len())]
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

/// `URL: history: 10 listed, 9 chosen, 2 recorded before; 7 captured, 0 unchanged, 0 failed`
fn history_summary(url: &str, t: &HistoryTally) -> String {
    format!(
        "{url}: history: {} listed, {} chosen, {} recorded before; {} captured, {} unchanged, {} failed",
        t.listed, t.chosen, t.recorded_before, t.captured, t.unchanged, t.failed
    )
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

/// Progress on stderr: a bar on a terminal, plain numbered lines otherwise (only with
/// several sources). Every stderr line goes through it, above the bar.
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
        let message = crate::commands::printable(message);
        match &self.bar {
            Some(bar) if !bar.is_finished() => bar.suspend(|| eprintln!("{message}")),
            _ => eprintln!("{message}"),
        }
    }

    /// Run `f` with the bar cleared from the terminal.
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Printer for Progress {
    fn print(&mut self, event: &Event<'_>, lines: &mut Vec<Line>) {
        let Event::Done { source } = *event else {
            return;
        };
        let n = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(source.to_string());
                bar.inc(1);
            }
            None if self.total > 1 => {
                lines.push(Line::Err(format!("prov: [{n}/{}] {source}", self.total)));
            }
            None => {}
        }
    }
}

/// The printers of a run: the text or JSON printer, then the progress printer.
pub(crate) struct Printers {
    pub records: Box<dyn Printer>,
    pub progress: Progress,
}

impl Printers {
    /// A person's lines (`list_unchanged`: see [`TextPrinter`]) or JSON ones, with progress.
    pub(crate) fn new(json: bool, list_unchanged: bool, progress: Progress) -> Printers {
        let records: Box<dyn Printer> = if json {
            Box::new(JsonPrinter)
        } else {
            Box::new(TextPrinter { list_unchanged })
        };
        Printers { records, progress }
    }

    /// Print `event`: its stdout lines into `out`, its stderr lines above the bar.
    pub(crate) fn emit(&mut self, event: &Event<'_>, out: &mut dyn Write) -> Result<(), CliError> {
        let mut lines = Vec::new();
        self.records.print(event, &mut lines);
        self.progress.print(event, &mut lines);
        for line in lines {
            match line {
                Line::Out(s) => writeln!(out, "{s}")?,
                Line::Err(s) => self.progress.say(&s),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{JsonPrinter, Line, Printer, Progress, TextPrinter};
    use crate::archive::Kind;
    use crate::commands::CliError;
    use crate::commands::capture::event::{Event, HistoryTally, WarcTally};
    use crate::commands::capture::fixture::meta;
    use crate::commands::summary::Tally;
    use crate::normalize::NoText;

    fn lines(p: &mut dyn Printer, events: &[Event<'_>]) -> Vec<Line> {
        let mut lines = Vec::new();
        for e in events {
            p.print(e, &mut lines);
        }
        lines
    }

    fn out(s: &str) -> Line {
        Line::Out(s.to_string())
    }

    fn err(s: &str) -> Line {
        Line::Err(s.to_string())
    }

    #[test]
    fn a_person_reads_what_was_captured_and_what_changed() {
        let m = meta();
        let src = "https://example.com/story";
        let events = [
            Event::Captured {
                source: src,
                meta: &m,
                commit: "0123456789abcdef",
                change: "first capture",
            },
            Event::Unchanged {
                source: src,
                meta: &m,
                commit: None,
            },
        ];
        let listed = lines(
            &mut TextPrinter {
                list_unchanged: true,
            },
            &events,
        );
        assert_eq!(
            listed,
            [
                out(
                    "https://example.com/story: captured story/example.com 20180504T104000Z-0a1b2c3d (commit 0123456)"
                ),
                out("  text: first capture"),
                out("  stripped nothing"),
                out(
                    "https://example.com/story: unchanged, the same bytes as story/example.com 20180504T104000Z-0a1b2c3d; nothing recorded"
                ),
            ]
        );
        let counted = lines(
            &mut TextPrinter {
                list_unchanged: false,
            },
            &events,
        );
        assert_eq!(counted.len(), 3, "an unchanged source only counted");
    }

    #[test]
    fn a_finding_is_recorded_once_then_still_so() {
        let m = meta();
        let finding = |new| Event::Finding {
            source: "u",
            kind: Kind::Gone,
            what: "gone (404)",
            meta: &m,
            commit: Some("abcdef0123"),
            new,
        };
        let mut p = TextPrinter {
            list_unchanged: false,
        };
        assert_eq!(
            lines(&mut p, &[finding(true), finding(false)]),
            [
                out(
                    "u: gone (404); recorded story/example.com 20180504T104000Z-0a1b2c3d (commit abcdef0)"
                ),
                out(
                    "u: still gone (404), as recorded in story/example.com 20180504T104000Z-0a1b2c3d; nothing recorded"
                ),
            ]
        );
        let json = lines(&mut JsonPrinter, &[finding(true)]);
        let [Line::Out(j)] = json.as_slice() else {
            panic!("one JSON line: {json:?}")
        };
        let v: serde_json::Value = serde_json::from_str(j).expect("JSON");
        assert_eq!(v["change"], "gone");
        assert_eq!(v["new"], true);
        assert_eq!(v["commit"], "abcdef0123");
    }

    #[test]
    fn json_gives_one_object_a_capture_and_sends_the_rest_to_stderr() {
        let m = meta();
        let warc = WarcTally {
            captured: 1,
            ..WarcTally::default()
        };
        let history = HistoryTally::default();
        let events = [
            Event::Unchanged {
                source: "s",
                meta: &m,
                commit: Some("c0ffee"),
            },
            Event::WarcRead {
                source: "x.warc",
                tally: &warc,
            },
            Event::HistoryRead {
                url: "u",
                tally: &history,
            },
        ];
        let got = lines(&mut JsonPrinter, &events);
        assert_eq!(
            got[0],
            out(
                r#"{"source":"s","article":"story","copy":"example.com","capture":"20180504T104000Z-0a1b2c3d","commit":"c0ffee","raw_sha256":"aa","text_sha256":"bb","new":false,"change":"unchanged","stripped":0}"#
            )
        );
        assert_eq!(
            got[1..],
            [
                err("prov: x.warc: 1 captured; skipped none; 0 malformed"),
                err(
                    "prov: u: history: 0 listed, 0 chosen, 0 recorded before; 0 captured, 0 unchanged, 0 failed"
                ),
            ]
        );
        let text = lines(
            &mut TextPrinter {
                list_unchanged: false,
            },
            &events[1..],
        );
        assert_eq!(
            text[0],
            out("x.warc: 1 captured; skipped none; 0 malformed")
        );
    }

    #[test]
    fn findings_failures_and_skips_go_to_stderr_alike() {
        let error = CliError::new("a: cannot read");
        let mut tally = WarcTally::default();
        tally.skipped.insert("request".into(), 2);
        tally.too_large = 1;
        let closing = Tally {
            captured: 2,
            ..Tally::default()
        };
        let events = [
            Event::NoText {
                source: "a.pdf",
                reason: &NoText::Empty,
            },
            Event::Failed { error: &error },
            Event::WarcMalformed {
                source: "x.warc.gz",
                number: 3,
                offset: 120,
                reason: "no header",
            },
            Event::WarcTooLarge {
                source: "x.warc",
                number: 4,
                url: None,
                limit: 10,
            },
            Event::Finished {
                sources: 1,
                tally: &closing,
            },
            Event::Finished {
                sources: 2,
                tally: &closing,
            },
        ];
        let want = [
            err("prov: a.pdf: no text, it is empty; the bytes are recorded with an empty text"),
            err("prov: a: cannot read"),
            err(
                "prov: x.warc.gz: record 3 (at byte 120 uncompressed) is malformed: no header; skipped",
            ),
            err(
                "prov: x.warc: record 4 (no URL) is larger than 10 bytes (see --max-bytes); skipped",
            ),
            err("prov: 2 sources: 2 captured"),
        ];
        assert_eq!(lines(&mut JsonPrinter, &events), want);
        assert_eq!(
            lines(
                &mut TextPrinter {
                    list_unchanged: true
                },
                &events
            ),
            want
        );
        let summary = lines(
            &mut TextPrinter {
                list_unchanged: true,
            },
            &[Event::WarcRead {
                source: "x.warc",
                tally: &tally,
            }],
        );
        assert_eq!(
            summary,
            [out(
                "x.warc: 0 captured; skipped 2 request, 1 over --max-bytes; 0 malformed"
            )]
        );
    }

    #[test]
    fn without_a_terminal_progress_numbers_the_sources_of_a_run_over_several() {
        let mut several = Progress::new(false, 2);
        let done = [Event::Done { source: "a" }, Event::Done { source: "b" }];
        assert_eq!(
            lines(&mut several, &done),
            [err("prov: [1/2] a"), err("prov: [2/2] b")]
        );
        let mut one = Progress::new(false, 1);
        assert!(lines(&mut one, &done[..1]).is_empty());
    }

    #[test]
    fn a_watch_round_prints_its_changes_and_closing_line_on_stdout() {
        let change = crate::watch::Change {
            event: "changed",
            url: "https://example.com/story".into(),
            article: "story".into(),
            copy: "example.com".into(),
            capture: "c2".into(),
            previous: Some("c1".into()),
            commit: "abc".into(),
            captured_at: "2018-05-04T10:40:00Z".into(),
            words_added: 1,
            words_removed: 1,
            paragraphs_moved: 0,
            status: None,
            moved_to: None,
            summary: "+1 -1 words".into(),
            no_text: false,
        };
        let tally = crate::watch::Tally {
            due: 2,
            captured: 1,
            changed: 1,
            disallowed: 1,
            ..crate::watch::Tally::default()
        };
        let events = [
            Event::Change(&change),
            Event::Disallowed { url: "u" },
            Event::RobotsUnreachable {
                url: "v",
                error: "timed out",
            },
            Event::RoundDone {
                at: "2018-05-04T10:40:00Z",
                tally: &tally,
            },
        ];
        let round = out(
            "round 2018-05-04T10:40:00Z: 2 due, 1 captured (0 new), 1 changed, 0 unchanged, 0 not modified, 0 gone, 0 failed, 1 disallowed by robots.txt",
        );
        let stderr = [
            err("prov: u: robots.txt disallows prov; not fetched (--ignore-robots fetches it)"),
            err("prov: v: not fetched: its robots.txt could not be read (timed out)"),
        ];
        let text = lines(
            &mut TextPrinter {
                list_unchanged: true,
            },
            &events,
        );
        assert_eq!(
            text[0],
            out("changed  story/example.com c2  +1 -1 words  https://example.com/story")
        );
        assert_eq!(text[1..3], stderr);
        assert_eq!(text[3], round);
        let json = lines(&mut JsonPrinter, &events);
        let Line::Out(j) = &json[0] else {
            panic!("a JSON line: {json:?}")
        };
        let v: serde_json::Value = serde_json::from_str(j).expect("JSON");
        assert_eq!(v["event"], "changed");
        assert_eq!(v["previous"], "c1");
        assert!(v.get("no_text").is_none(), "not in the change's JSON");
        assert_eq!(json[1..3], stderr);
        assert_eq!(json[3], round);
    }
}
