//! When to look at a URL again: often while its article is young, rarely as it ages; which watcher looks (`--shard`).
//!
//! Pure: times in, times out. Ages and intervals are whole seconds.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One step of the curve as `prov.toml` writes it: `{ until = "3h", every = "15m" }`;
/// the last step has no `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub every: String,
}

/// How often to look at a URL, by the age of what it holds: while younger than `until`,
/// every `every` seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curve {
    steps: Vec<(Option<i64>, i64)>,
}

/// Within minutes of publication, then backing off to a week (as NewsDiffs does: most
/// stealth edits come in the first hours).
pub const DEFAULT_CURVE: &[(Option<&str>, &str)] = &[
    (Some("3h"), "15m"),
    (Some("1d"), "1h"),
    (Some("3d"), "3h"),
    (Some("7d"), "12h"),
    (Some("30d"), "1d"),
    (None, "7d"),
];

impl Default for Curve {
    fn default() -> Curve {
        let steps = DEFAULT_CURVE
            .iter()
            .map(|(u, e)| StepConfig {
                until: u.map(str::to_string),
                every: e.to_string(),
            })
            .collect::<Vec<_>>();
        Curve::parse(&steps).unwrap_or(Curve {
            steps: vec![(None, 86_400)],
        })
    }
}

impl Curve {
    /// The curve of `prov.toml`'s `[watch] schedule`: steps in growing `until`, the last
    /// without one.
    pub fn parse(steps: &[StepConfig]) -> Result<Curve, String> {
        let mut out = Vec::new();
        let mut last_until = 0;
        for (i, s) in steps.iter().enumerate() {
            let every = parse_span(&s.every)?;
            let until = s.until.as_deref().map(parse_span).transpose()?;
            match until {
                Some(u) if u <= last_until => {
                    return Err(format!(
                        "schedule step {}: `until` must grow from step to step",
                        i + 1
                    ));
                }
                Some(u) => last_until = u,
                None if i + 1 != steps.len() => {
                    return Err(format!(
                        "schedule step {}: only the last step goes without `until`",
                        i + 1
                    ));
                }
                None => {}
            }
            out.push((until, every));
        }
        if out.is_empty() {
            return Err("the schedule has no step".into());
        }
        Ok(Curve { steps: out })
    }

    /// Seconds between two looks at something `age` seconds old (the last step's beyond).
    pub fn every(&self, age: i64) -> i64 {
        self.steps
            .iter()
            .find(|(until, _)| until.is_none_or(|u| age < u))
            .or(self.steps.last())
            .map_or(86_400, |(_, e)| *e)
    }

    /// The shortest interval: how often feeds are read.
    pub fn shortest(&self) -> i64 {
        self.steps.iter().map(|(_, e)| *e).min().unwrap_or(86_400)
    }
}

/// When a URL first seen at `first_seen` and last looked at `checked` is due again.
pub fn next_due(curve: &Curve, first_seen: Timestamp, checked: Timestamp) -> Timestamp {
    let age = (checked.as_second() - first_seen.as_second()).max(0);
    Timestamp::from_second(checked.as_second().saturating_add(curve.every(age))).unwrap_or(checked)
}

/// A span: a whole number and a unit, `s`, `m`, `h`, `d` or `w` (`90s`, `15m`, `1d`).
pub fn parse_span(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let bad = || format!("{s:?} is not a span of time (a number and s, m, h, d or w: 15m, 1d)");
    let unit = t.chars().last().ok_or_else(bad)?;
    let n: i64 = t[..t.len() - unit.len_utf8()]
        .trim()
        .parse()
        .map_err(|_| bad())?;
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return Err(bad()),
    };
    if n <= 0 || n > 100 * 365 {
        return Err(bad());
    }
    Ok(n * mult)
}

/// `--shard K/N`: this watcher is the K-th of N (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?} is not a shard K/N (1 <= K <= N), e.g. 1/3");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether this watcher looks at `host`: hosts are spread by a fixed hash (FNV-1a),
    /// so that every watcher of the archive agrees and no two fetch from one site.
    pub fn owns(&self, host: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in host.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % u64::from(self.n) == u64::from(self.k - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        prov_model::time::parse(s).unwrap()
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("90s"), Ok(90));
        assert_eq!(parse_span("15m"), Ok(900));
        assert_eq!(parse_span(" 1d "), Ok(86_400));
        assert_eq!(parse_span("2w"), Ok(1_209_600));
        for bad in ["", "d", "1", "1y", "-1d", "0h", "1.5h", "1é"] {
            assert!(parse_span(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_curve_backs_off_with_age() {
        let c = Curve::default();
        assert_eq!(c.every(0), 900);
        assert_eq!(c.every(3 * 3600 - 1), 900);
        assert_eq!(c.every(3 * 3600), 3600);
        assert_eq!(c.every(2 * 86_400), 3 * 3600);
        assert_eq!(c.every(400 * 86_400), 7 * 86_400);
        assert_eq!(c.shortest(), 900);
        assert_eq!(
            next_due(&c, t("2026-01-01T00:00:00Z"), t("2026-01-01T01:00:00Z")),
            t("2026-01-01T01:15:00Z")
        );
        assert_eq!(
            next_due(&c, t("2026-01-01T00:00:00Z"), t("2026-01-10T00:00:00Z")),
            t("2026-01-11T00:00:00Z")
        );
    }

    #[test]
    fn a_curve_is_checked() {
        let step = |u: Option<&str>, e: &str| StepConfig {
            until: u.map(str::to_string),
            every: e.into(),
        };
        assert!(Curve::parse(&[]).is_err());
        assert!(Curve::parse(&[step(Some("1d"), "1h"), step(Some("1h"), "1m")]).is_err());
        assert!(Curve::parse(&[step(None, "1h"), step(Some("1d"), "1m")]).is_err());
        assert!(Curve::parse(&[step(None, "soon")]).is_err());
        let c = Curve::parse(&[step(Some("1d"), "1h")]).unwrap();
        assert_eq!(
            c.every(10 * 86_400),
            3600,
            "past the last step, its interval"
        );
    }

    #[test]
    fn shards_split_hosts_between_watchers() {
        assert!(Shard::parse("0/2").is_err());
        assert!(Shard::parse("3/2").is_err());
        assert!(Shard::parse("x").is_err());
        let hosts: Vec<String> = (0..100).map(|i| format!("site{i}.example")).collect();
        let shards: Vec<Shard> = (1..=3)
            .map(|k| Shard::parse(&format!("{k}/3")).unwrap())
            .collect();
        for h in &hosts {
            assert_eq!(shards.iter().filter(|s| s.owns(h)).count(), 1, "{h}");
        }
        for s in &shards {
            assert!(hosts.iter().filter(|h| s.owns(h)).count() > 10);
        }
        assert!(Shard::parse("1/1").unwrap().owns("anything"));
    }
}
