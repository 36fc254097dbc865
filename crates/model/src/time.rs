//! Time as prov reads and writes it: a person's forms parsed, captures to the second, one format
//! everywhere. No clock here: time comes in at one place, the root's `timefmt::now`.

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{input:?} is not a time prov understands (use 2018-05-04T10:12:00Z or 2018-05-04)")]
pub struct TimeError {
    pub input: String,
}

/// Parse a time given by a person: RFC 3339 with an offset, a date and time without one (taken
/// as UTC), a date alone (midnight UTC), or the compact form capture ids use (`20180504T101200Z`).
pub fn parse(input: &str) -> Result<Timestamp, TimeError> {
    let s = input.trim();
    let err = || TimeError {
        input: input.to_string(),
    };
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(truncate(ts));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y%m%dT%H%M%SZ",
    ] {
        if let Ok(dt) = DateTime::strptime(fmt, s) {
            return dt
                .to_zoned_datetime(TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|_| err());
        }
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        return d
            .to_datetime(jiff::civil::Time::midnight())
            .to_zoned_datetime(TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|_| err());
    }
    Err(err())
}

/// Captures are recorded to the second.
pub fn truncate(ts: Timestamp) -> Timestamp {
    Timestamp::from_second(ts.as_second()).unwrap_or(ts)
}

/// `2018-05-04T10:12:00Z`
pub fn rfc3339(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `20180504T101200Z`, the time part of a capture id.
pub fn compact(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_people_type() {
        let want = "2018-05-04T10:12:00Z";
        for s in [
            "2018-05-04T10:12:00Z",
            "2018-05-04T12:12:00+02:00",
            "2018-05-04T10:12:00",
            "2018-05-04 10:12:00",
            "2018-05-04T10:12",
            "20180504T101200Z",
            "2018-05-04T10:12:00.75Z",
        ] {
            assert_eq!(rfc3339(parse(s).unwrap()), want, "{s}");
        }
        assert_eq!(
            rfc3339(parse("2018-05-04").unwrap()),
            "2018-05-04T00:00:00Z"
        );
        assert_eq!(
            compact(parse("2018-05-04T10:12:00Z").unwrap()),
            "20180504T101200Z"
        );
    }

    #[test]
    fn refuses_nonsense() {
        assert!(parse("yesterday").is_err());
        assert!(parse("2018-13-45").is_err());
    }
}
