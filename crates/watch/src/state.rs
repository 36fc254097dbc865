//! What a watcher remembers between rounds: for each URL when it was first seen, last looked at and is due again, with the validators for a conditional request; for each feed when it was read.
//!
//! Derived data (kept in `.git/prov/watch.json`, never committed): [`State::merge_history`]
//! brings it up to date with the archive's captures every round, so a lost or stale file
//! costs at most some early requests. Pure: the caller reads and writes the file.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::schedule::{Curve, next_due};

/// Raised when the file's shape changes; another version is ignored and rebuilt.
pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub urls: BTreeMap<String, Watched>,
    pub feeds: BTreeMap<String, Feed>,
}

/// One watched URL. Times are seconds since 1970 (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watched {
    /// The earliest evidence of the page: its first capture (a memento's time counts), or
    /// when a feed first announced it.
    pub first_seen: i64,
    /// The last time prov looked at it (a capture, an unchanged page, a 304).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<i64>,
    pub due: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// What the archive's captures say of one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub url: String,
    /// Its earliest capture's time.
    pub first: Timestamp,
    /// Its latest capture's time.
    pub last: Timestamp,
}

fn ts(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl State {
    /// Read the file's bytes; anything unreadable or of another version is a fresh state
    /// (rebuilt from the history by [`State::merge_history`]).
    pub fn from_json(bytes: &[u8]) -> State {
        serde_json::from_slice::<State>(bytes)
            .ok()
            .filter(|s| s.version == STATE_VERSION)
            .unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&State {
            version: STATE_VERSION,
            ..self.clone()
        })
        .unwrap_or_default();
        s.push('\n');
        s
    }

    /// Bring the state up to date with the archive: a URL it does not know is watched from
    /// its first capture, due after its latest on the curve; a URL captured since it was
    /// last looked at here (by another watcher, or by hand) counts as looked at then.
    pub fn merge_history(&mut self, known: &[Known], curve: &Curve) {
        for k in known {
            let (first, last) = (k.first.as_second(), k.last.as_second());
            let w = self.urls.entry(k.url.clone()).or_insert_with(|| Watched {
                first_seen: first,
                checked: None,
                due: first,
                etag: None,
                last_modified: None,
            });
            w.first_seen = w.first_seen.min(first);
            if w.checked.is_none_or(|c| c < last) {
                w.checked = Some(last);
                w.due = next_due(curve, ts(w.first_seen), ts(last)).as_second();
            }
        }
    }

    /// Watch `url`, due at once (a feed announced it, or it was named), aged from when it
    /// was `published` where that is known and earlier, else from `now`; a URL already
    /// watched is left as it is. Whether it was new.
    pub fn add(&mut self, url: &str, now: Timestamp, published: Option<Timestamp>) -> bool {
        if self.urls.contains_key(url) {
            return false;
        }
        self.urls.insert(
            url.to_string(),
            Watched {
                first_seen: published.map_or(now, |p| p.min(now)).as_second(),
                checked: None,
                due: now.as_second(),
                etag: None,
                last_modified: None,
            },
        );
        true
    }

    /// The URLs due at `now` that `owns` accepts, soonest first (then by URL).
    pub fn due(&self, now: Timestamp, owns: impl Fn(&str) -> bool) -> Vec<String> {
        let mut due: Vec<(i64, &String)> = self
            .urls
            .iter()
            .filter(|(u, w)| w.due <= now.as_second() && owns(u))
            .map(|(u, w)| (w.due, u))
            .collect();
        due.sort();
        due.into_iter().map(|(_, u)| u.clone()).collect()
    }

    /// `url` was looked at `at`; its next look is on the curve.
    pub fn checked(&mut self, url: &str, at: Timestamp, curve: &Curve) {
        if let Some(w) = self.urls.get_mut(url) {
            w.checked = Some(at.as_second());
            w.due = next_due(curve, ts(w.first_seen), at).as_second();
        }
    }

    /// The earliest time anything is due (for a watcher waiting between rounds).
    pub fn next_due(&self, owns: impl Fn(&str) -> bool) -> Option<Timestamp> {
        self.urls
            .iter()
            .filter(|(u, _)| owns(u))
            .map(|(_, w)| w.due)
            .min()
            .map(ts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        prov_model::time::parse(s).unwrap()
    }

    #[test]
    fn the_state_is_rebuilt_from_the_history() {
        let curve = Curve::default();
        let mut s = State::from_json(b"not json");
        assert_eq!(s, State::default());
        s.merge_history(
            &[
                Known {
                    url: "http://a.test/young".into(),
                    first: t("2026-01-01T00:00:00Z"),
                    last: t("2026-01-01T01:00:00Z"),
                },
                Known {
                    url: "http://a.test/old".into(),
                    first: t("2018-05-04T10:00:00Z"),
                    last: t("2018-05-09T10:00:00Z"),
                },
            ],
            &curve,
        );
        // Young: every 15 minutes. Old (a history from a web archive): due long ago.
        let now = t("2026-01-01T01:10:00Z");
        assert_eq!(s.due(now, |_| true), ["http://a.test/old"]);
        let later = t("2026-01-01T01:15:00Z");
        assert_eq!(
            s.due(later, |_| true),
            ["http://a.test/old", "http://a.test/young"]
        );
        assert_eq!(
            s.due(later, |u| u.ends_with("young")),
            ["http://a.test/young"]
        );
        // Round trip.
        assert_eq!(
            State::from_json(s.to_json().as_bytes()),
            State {
                version: 1,
                ..s.clone()
            }
        );
    }

    #[test]
    fn checks_move_the_due_time_along_the_curve() {
        let curve = Curve::default();
        let mut s = State::default();
        let t0 = t("2026-01-01T00:00:00Z");
        assert!(s.add("http://a.test/x", t0, None));
        assert!(!s.add("http://a.test/x", t("2026-01-02T00:00:00Z"), None));
        assert_eq!(s.due(t0, |_| true), ["http://a.test/x"]);
        s.checked("http://a.test/x", t0, &curve);
        assert!(s.due(t0, |_| true).is_empty());
        assert_eq!(s.next_due(|_| true), Some(t("2026-01-01T00:15:00Z")));
        // Two days on, looked at every three hours.
        let t2 = t("2026-01-03T00:00:00Z");
        s.checked("http://a.test/x", t2, &curve);
        assert_eq!(s.next_due(|_| true), Some(t("2026-01-03T03:00:00Z")));
        // A capture by another watcher since counts as a look; an older one does not.
        let t3 = t("2026-01-02T23:00:00Z");
        s.merge_history(
            &[Known {
                url: "http://a.test/x".into(),
                first: t0,
                last: t3,
            }],
            &curve,
        );
        assert_eq!(s.next_due(|_| true), Some(t("2026-01-03T03:00:00Z")));
        let t4 = t("2026-01-03T04:00:00Z");
        s.merge_history(
            &[Known {
                url: "http://a.test/x".into(),
                first: t0,
                last: t4,
            }],
            &curve,
        );
        assert_eq!(s.next_due(|_| true), Some(t("2026-01-03T07:00:00Z")));
        // An article a feed says was published two days ago is looked at every 3 hours.
        assert!(s.add("http://a.test/y", t0, Some(t("2025-12-30T00:00:00Z"))));
        s.checked("http://a.test/y", t0, &curve);
        assert_eq!(
            s.urls["http://a.test/y"].due,
            t("2026-01-01T03:00:00Z").as_second()
        );
    }
}
