//! What the capture pipeline says as it goes ([`Event`]), what a source came to ([`Found`]), and what a run's sources add up to ([`Count`]: the closing tally and the exit status). Pure: printers turn events into lines.

use std::collections::BTreeMap;

use crate::archive::{Kind, Meta};
use crate::commands::summary::Tally;
use crate::commands::{CliError, Outcome};
use crate::normalize::NoText;

/// One thing a stage did, for the printers. Events of one source come in the order it went
/// through the stages; sources come in the order they were named.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    /// A new capture recorded (in a bulk run, staged: its lines wait for its chunk's commit).
    Captured {
        source: &'a str,
        meta: &'a Meta,
        commit: &'a str,
        /// What changed since the copy's previous capture with text (`first capture`...).
        change: &'a str,
    },
    /// The bytes of a capture already recorded: nothing recorded.
    Unchanged {
        source: &'a str,
        meta: &'a Meta,
        commit: Option<&'a str>,
    },
    /// A URL captured before answers 404/410 or redirects elsewhere: recorded as a capture
    /// of that kind (`new`), or as recorded already.
    Finding {
        source: &'a str,
        kind: Kind,
        /// `gone (404)`, `moved to URL (301)`.
        what: &'a str,
        meta: &'a Meta,
        commit: Option<&'a str>,
        new: bool,
    },
    /// Bytes recorded that gave no text (a finding).
    NoText { source: &'a str, reason: &'a NoText },
    /// A source, WARC record or memento not captured; the error is the sentence.
    Failed { error: &'a CliError },
    /// A WARC record that could not be read; skipped.
    WarcMalformed {
        source: &'a str,
        number: usize,
        /// Where it starts in the file (uncompressed, for a `.gz`).
        offset: u64,
        reason: &'a str,
    },
    /// A WARC record over `--max-bytes`; skipped.
    WarcTooLarge {
        source: &'a str,
        number: usize,
        url: Option<&'a str>,
        limit: u64,
    },
    /// A WARC file read through: what its records came to.
    WarcRead {
        source: &'a str,
        tally: &'a WarcTally,
    },
    /// One URL's history read from a web archive: what its mementos came to.
    HistoryRead {
        url: &'a str,
        tally: &'a HistoryTally,
    },
    /// Something said on the way that is none of these (a web archive's list cut short).
    Note(&'a str),
    /// A watched URL's robots.txt disallows prov: not fetched.
    Disallowed { url: &'a str },
    /// A watched URL's robots.txt could not be read: not fetched.
    RobotsUnreachable { url: &'a str, error: &'a str },
    /// A change a watch round committed (`--on-change` is given it too).
    Change(&'a crate::watch::Change),
    /// A watch round is over: when it began, and what its URLs came to.
    RoundDone {
        at: &'a str,
        tally: &'a crate::watch::Tally,
    },
    /// One source done (a step of the progress).
    Done { source: &'a str },
    /// The run is over: how many sources were named, and what they came to.
    Finished { sources: usize, tally: &'a Tally },
}

/// What a source came to once recorded (its failure is an error instead).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    /// A WARC file read (its own line says what its records came to), some records of
    /// which gave no text (a finding).
    Warc {
        no_text: bool,
    },
    Captured,
    Unchanged,
    /// A gone or moved URL (a finding).
    Finding(Kind),
    /// Bytes recorded that gave no text (a finding, said after the source's progress step).
    NoText(NoText),
    /// Failed after saying why itself (a WARC file some records of which failed).
    Failed,
}

/// What a WARC file's records came to.
#[derive(Debug, Default)]
pub(crate) struct WarcTally {
    pub captured: usize,
    pub unchanged: usize,
    /// Records skipped, by kind (`revisit`, `request`, `not HTML`...).
    pub skipped: BTreeMap<String, usize>,
    pub too_large: usize,
    pub failed: usize,
    /// Records captured whose bytes gave no text.
    pub no_text: usize,
    pub malformed: usize,
}

impl WarcTally {
    /// What the file comes to as a source: failed if any record could not be read or
    /// recorded, else read, a finding if some record gave no text.
    pub(crate) fn found(&self) -> Found {
        if self.malformed + self.too_large + self.failed > 0 {
            Found::Failed
        } else {
            Found::Warc {
                no_text: self.no_text > 0,
            }
        }
    }
}

/// What one URL's history came to.
#[derive(Debug, Default)]
pub(crate) struct HistoryTally {
    pub listed: usize,
    pub chosen: usize,
    pub recorded_before: usize,
    pub captured: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Captured with bytes that gave no text.
    pub no_text: usize,
}

/// A run's sources counted as they come: the closing line's tally and the exit status.
#[derive(Debug, Default)]
pub(crate) struct Count {
    pub tally: Tally,
    findings: usize,
}

impl Count {
    pub(crate) fn add(&mut self, found: &Found) {
        let t = &mut self.tally;
        match found {
            Found::Warc { no_text } => {
                t.warc += 1;
                self.findings += usize::from(*no_text);
            }
            Found::Captured => t.captured += 1,
            Found::Unchanged => t.unchanged += 1,
            Found::Finding(Kind::Moved) => {
                t.moved += 1;
                self.findings += 1;
            }
            Found::Finding(_) => {
                t.gone += 1;
                self.findings += 1;
            }
            Found::NoText(_) => {
                t.no_text += 1;
                self.findings += 1;
            }
            Found::Failed => t.failed += 1,
        }
    }

    /// A source that failed with an error (said by the caller).
    pub(crate) fn failed(&mut self) {
        self.tally.failed += 1;
    }

    /// A failure outranks a finding, which outranks nothing to say (exit 2, 1, 0).
    pub(crate) fn outcome(&self) -> Outcome {
        if self.tally.failed > 0 {
            Outcome::PartialFailure
        } else if self.findings > 0 {
            Outcome::Finding
        } else {
            Outcome::Ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Count, Found, WarcTally};
    use crate::archive::Kind;
    use crate::commands::Outcome;
    use crate::normalize::NoText;

    #[test]
    fn a_failure_outranks_a_finding_which_outranks_nothing() {
        let mut c = Count::default();
        c.add(&Found::Captured);
        c.add(&Found::Unchanged);
        c.add(&Found::Warc { no_text: false });
        assert_eq!(c.outcome(), Outcome::Ok);
        c.add(&Found::Finding(Kind::Gone));
        c.add(&Found::Finding(Kind::Moved));
        c.add(&Found::NoText(NoText::Empty));
        assert_eq!(c.outcome(), Outcome::Finding);
        c.failed();
        c.add(&Found::Failed);
        assert_eq!(c.outcome(), Outcome::PartialFailure);
        assert_eq!(
            c.tally.line(),
            "8 sources: 1 captured, 1 unchanged, 1 WARC file, 1 without text, 1 gone, 1 moved, 2 failed"
        );
    }

    #[test]
    fn a_warc_file_with_a_record_without_text_is_a_finding() {
        let mut c = Count::default();
        c.add(&Found::Warc { no_text: true });
        assert_eq!(c.outcome(), Outcome::Finding);
        assert_eq!(c.tally.warc, 1);
    }

    #[test]
    fn a_warc_file_fails_when_a_record_could_not_be_read_or_recorded() {
        let ok = WarcTally {
            captured: 2,
            no_text: 1,
            ..WarcTally::default()
        };
        assert_eq!(ok.found(), Found::Warc { no_text: true });
        for t in [
            WarcTally {
                malformed: 1,
                ..WarcTally::default()
            },
            WarcTally {
                too_large: 1,
                ..WarcTally::default()
            },
            WarcTally {
                failed: 1,
                ..WarcTally::default()
            },
        ] {
            assert_eq!(t.found(), Found::Failed);
        }
    }
}
