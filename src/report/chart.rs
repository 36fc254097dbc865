//! The timeline as a picture: one lane per copy, one mark per capture along time, each mark
//! sized by how much changed since the copy's previous capture. Only geometry is computed
//! here; the templates draw it as inline SVG.

use jiff::Timestamp;
use serde::Serialize;

use super::{CaptureEntry, CopyEntry};
use crate::archive::Kind;

const WIDTH: f64 = 800.0;
const LEFT: f64 = 200.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 24.0;
const LANE: f64 = 44.0;
const AXIS: f64 = 34.0;
const SMALL: f64 = 4.0;
const FIRST: f64 = 6.0;
const LARGEST: f64 = 16.0;

/// The drawing, in SVG user units (`viewBox="0 0 width height"`).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// Where the time axis starts and ends, and its height.
    pub x0: f64,
    pub x1: f64,
    pub axis_y: f64,
    pub lanes: Vec<Lane>,
    pub marks: Vec<Mark>,
    pub ticks: Vec<Tick>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lane {
    pub copy: String,
    pub y: f64,
}

/// One capture.
#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub n: usize,
    pub capture: String,
    pub x: f64,
    pub y: f64,
    /// Radius: small when unchanged, growing with the square root of the words changed.
    pub r: f64,
    /// `first` (a copy's first capture), `unchanged`, `changed`, `gone` or `moved`.
    pub state: String,
    /// What the mark says on hover and to screen readers.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    /// `2018-05-04`
    pub label: String,
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn seconds(t: &str) -> i64 {
    t.parse::<Timestamp>().map(|t| t.as_second()).unwrap_or(0)
}

pub(super) fn draw(captures: &[CaptureEntry], copies: &[CopyEntry]) -> Chart {
    let x1 = WIDTH - RIGHT;
    let times: Vec<i64> = captures.iter().map(|c| seconds(&c.captured_at)).collect();
    let t0 = times.iter().copied().min().unwrap_or(0);
    let t1 = times.iter().copied().max().unwrap_or(0);
    let x_of = |t: i64| {
        if t1 == t0 {
            (LEFT + x1) / 2.0
        } else {
            round(LEFT + (x1 - LEFT) * (t - t0) as f64 / (t1 - t0) as f64)
        }
    };
    let lanes: Vec<Lane> = copies
        .iter()
        .enumerate()
        .map(|(i, c)| Lane {
            copy: c.copy.clone(),
            y: TOP + LANE * i as f64 + LANE / 2.0,
        })
        .collect();
    let weight = |c: &CaptureEntry| {
        c.since_previous.as_ref().map_or(0, |s| {
            s.stats.words_inserted + s.stats.words_deleted + s.stats.paragraphs_moved
        })
    };
    let most = captures.iter().map(weight).max().unwrap_or(0).max(1);
    let marks = captures
        .iter()
        .zip(&times)
        .map(|(c, &t)| {
            let y = lanes.iter().find(|l| l.copy == c.copy).map_or(TOP, |l| l.y);
            let (state, r) = match (c.kind, &c.since_previous) {
                (Kind::Gone, _) => ("gone", FIRST),
                (Kind::Moved, _) => ("moved", FIRST),
                (_, None) => ("first", FIRST),
                (_, Some(s)) if s.identical => ("unchanged", SMALL),
                (_, Some(_)) => {
                    let share = (weight(c) as f64 / most as f64).sqrt();
                    ("changed", round(FIRST + (LARGEST - FIRST) * share))
                }
            };
            Mark {
                n: c.n,
                capture: c.capture.clone(),
                x: x_of(t),
                y,
                r,
                state: state.to_string(),
                label: format!("#{} {} {}: {}", c.n, c.copy, c.captured_at, c.change),
            }
        })
        .collect();
    let axis_y = TOP + LANE * copies.len().max(1) as f64 + 6.0;
    Chart {
        width: WIDTH,
        height: axis_y + AXIS,
        x0: LEFT,
        x1,
        axis_y,
        lanes,
        marks,
        ticks: ticks(t0, t1, &x_of),
    }
}

/// Midnights (UTC) between the first and the last capture, at most about eight of them; the
/// first capture's day when there is none in between.
fn ticks(t0: i64, t1: i64, x_of: &dyn Fn(i64) -> f64) -> Vec<Tick> {
    const DAY: i64 = 86_400;
    let label = |t: i64| {
        Timestamp::from_second(t)
            .map(|ts| ts.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let first = (t0.div_euclid(DAY) + 1) * DAY;
    let days = (t1 - first).div_euclid(DAY) + 1;
    if t1 < first || days <= 0 {
        return vec![Tick {
            x: x_of(t0),
            label: label(t0),
        }];
    }
    let step = (days + 7) / 8;
    (0..days)
        .step_by(step.max(1) as usize)
        .map(|k| first + k * DAY)
        .map(|t| Tick {
            x: x_of(t),
            label: label(t),
        })
        .collect()
}
