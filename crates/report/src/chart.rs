//! The timeline laid out: one lane per copy, one row per capture in time order. Rows are
//! spaced by order, not by time, so captures minutes apart never share a mark and captures
//! years apart do not squeeze the rest together; each row carries its date (when the day
//! changes) and a gap line says how much time passed where a day or more did. Only the
//! layout is computed here; the templates draw it as HTML.

use jiff::Timestamp;
use serde::Serialize;

use super::{CaptureEntry, CopyEntry};
use prov_model::Kind;

/// Mark diameters in CSS pixels: unchanged, first capture or finding, largest change.
const SMALL: f64 = 8.0;
const FIRST: f64 = 12.0;
const LARGEST: f64 = 26.0;

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The copies, one lane each, in the order of their first capture.
    pub lanes: Vec<String>,
    pub rows: Vec<Row>,
}

/// One capture.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub n: usize,
    pub capture: String,
    /// Its copy's lane (0-based) and name.
    pub lane: usize,
    pub copy: String,
    /// `2018-05-04` on the first row of each day, else `None`.
    pub date: Option<String>,
    /// `10:12`
    pub time: String,
    /// `5 days later`, `8 years later`: when a day or more passed since the row before.
    pub gap: Option<String>,
    /// `first` (a copy's first capture), `unchanged`, `changed`, `gone` or `moved`.
    pub state: String,
    /// The mark's diameter: small when unchanged, growing with the square root of the words
    /// changed.
    pub size: f64,
    /// What changed: `+43 -8 words, 1 moved`, `gone (404)`, `moved (301) to URL`.
    pub label: String,
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub(super) fn draw(captures: &[CaptureEntry], copies: &[CopyEntry]) -> Chart {
    let lanes: Vec<String> = copies.iter().map(|c| c.copy.clone()).collect();
    let weight = |c: &CaptureEntry| {
        c.since_previous.as_ref().map_or(0, |s| {
            s.stats.words_inserted + s.stats.words_deleted + s.stats.paragraphs_moved
        })
    };
    let most = captures.iter().map(weight).max().unwrap_or(0).max(1);
    let mut rows = Vec::with_capacity(captures.len());
    let mut before: Option<Timestamp> = None;
    for c in captures {
        let at = c.captured_at.parse::<Timestamp>().ok();
        let (state, size) = match (c.kind, &c.since_previous) {
            (Kind::Gone, _) => ("gone", FIRST),
            (Kind::Moved, _) => ("moved", FIRST),
            (_, None) if c.no_text.is_some() => ("notext", FIRST),
            (_, None) => ("first", FIRST),
            (_, Some(s)) if s.identical => ("unchanged", SMALL),
            (_, Some(_)) => {
                let share = (weight(c) as f64 / most as f64).sqrt();
                ("changed", round(FIRST + (LARGEST - FIRST) * share))
            }
        };
        let day = |t: Timestamp| t.strftime("%Y-%m-%d").to_string();
        let date = match (at, before) {
            (Some(t), Some(b)) if day(t) == day(b) => None,
            (Some(t), _) => Some(day(t)),
            (None, _) => Some(c.captured_at.clone()),
        };
        let gap = match (at, before) {
            (Some(t), Some(b)) => gap(t.as_second() - b.as_second()),
            _ => None,
        };
        rows.push(Row {
            n: c.n,
            capture: c.capture.clone(),
            lane: lanes.iter().position(|l| *l == c.copy).unwrap_or(0),
            copy: c.copy.clone(),
            date,
            time: at
                .map(|t| t.strftime("%H:%M").to_string())
                .unwrap_or_default(),
            gap,
            state: state.to_string(),
            size,
            label: c.change.clone(),
        });
        before = at.or(before);
    }
    Chart { lanes, rows }
}

/// How long `seconds` is, in the largest whole unit, when it is a day or more.
fn gap(seconds: i64) -> Option<String> {
    const DAY: i64 = 86_400;
    let days = seconds / DAY;
    let (n, unit) = match days {
        d if d < 1 => return None,
        d if d < 14 => (d, "day"),
        d if d < 61 => (d / 7, "week"),
        d if d < 730 => (d / 30, "month"),
        d => (d / 365, "year"),
    };
    Some(format!("{n} {unit}{} later", if n == 1 { "" } else { "s" }))
}

#[cfg(test)]
mod tests {
    use super::gap;

    #[test]
    fn gaps_are_said_in_their_largest_unit() {
        assert_eq!(gap(3_600), None);
        assert_eq!(gap(86_400).as_deref(), Some("1 day later"));
        assert_eq!(gap(5 * 86_400).as_deref(), Some("5 days later"));
        assert_eq!(gap(20 * 86_400).as_deref(), Some("2 weeks later"));
        assert_eq!(gap(200 * 86_400).as_deref(), Some("6 months later"));
        assert_eq!(gap(8 * 365 * 86_400 + 3).as_deref(), Some("8 years later"));
    }
}
