//! Following articles over time: when each URL is due again, which watcher looks at it, what feeds announce, what a round came to and each change it recorded ([`Change`]). Pure; `commands::watch` does the fetching and recording.

pub mod feeds;
pub mod schedule;
pub mod state;

use serde::{Deserialize, Serialize};

/// `[watch]` in `prov.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchConfig {
    /// RSS, Atom or JSON feeds, sitemaps or news sitemaps whose entries are watched.
    #[serde(default)]
    pub feeds: Vec<String>,
    /// More URLs to watch besides those the archive holds.
    #[serde(default)]
    pub urls: Vec<String>,
    /// How often to look again by age (default [`schedule::DEFAULT_CURVE`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<schedule::StepConfig>,
}

impl WatchConfig {
    pub fn curve(&self) -> Result<schedule::Curve, String> {
        if self.schedule.is_empty() {
            Ok(schedule::Curve::default())
        } else {
            schedule::Curve::parse(&self.schedule)
        }
    }
}

/// What one round of a watch came to, URL by URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub due: usize,
    /// New captures recorded (`new` of them first captures of their copy).
    pub captured: usize,
    pub new: usize,
    /// Captures whose clean text differs from their copy's previous one.
    pub changed: usize,
    /// Fetched, and the same bytes or the same text as before.
    pub unchanged: usize,
    /// Answered 304 to a conditional request.
    pub not_modified: usize,
    /// Found gone (404, 410).
    pub gone: usize,
    /// Found moved (redirected to another article's URL).
    pub moved: usize,
    pub failed: usize,
    /// Left alone because robots.txt disallows prov.
    pub disallowed: usize,
    /// Captured (and counted as changed or new) with bytes that gave no text.
    pub no_text: usize,
}

/// One change, as printed with `--json` and given to `--on-change`.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `new` (a copy's first capture), `changed`, `gone` or `moved`.
    pub event: &'static str,
    pub url: String,
    pub article: String,
    pub copy: String,
    pub capture: String,
    /// The copy's previous capture, when there is one.
    pub previous: Option<String>,
    pub commit: String,
    pub captured_at: String,
    pub words_added: usize,
    pub words_removed: usize,
    pub paragraphs_moved: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// What `prov log` would say: `first capture`, `+12 -3 words`, `gone (404)`.
    pub summary: String,
    /// The bytes gave no text (recorded with an empty one).
    #[serde(skip)]
    pub no_text: bool,
}

impl Change {
    /// `changed  article/copy capture  +1 -1 words  URL`
    pub fn line(&self) -> String {
        format!(
            "{:<8} {}/{} {}  {}  {}",
            self.event, self.article, self.copy, self.capture, self.summary, self.url
        )
    }
}

/// The round's summary line: `3 due, 2 captured (1 new), 1 changed, 1 unchanged, 1 not
/// modified, 1 gone, 0 failed` (`1 moved` after `gone` when a page moved).
pub fn summary(t: &Tally) -> String {
    let moved = if t.moved > 0 {
        format!(", {} moved", t.moved)
    } else {
        String::new()
    };
    let mut s = format!(
        "{} due, {} captured ({} new), {} changed, {} unchanged, {} not modified, {} gone{moved}, {} failed",
        t.due, t.captured, t.new, t.changed, t.unchanged, t.not_modified, t.gone, t.failed
    );
    if t.no_text > 0 {
        s.push_str(&format!(", {} without text", t.no_text));
    }
    if t.disallowed > 0 {
        s.push_str(&format!(", {} disallowed by robots.txt", t.disallowed));
    }
    s
}
