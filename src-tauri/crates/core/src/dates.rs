//! Dates as users type them. One rule for every date the app and the command line accept: exactly
//! `YYYY-MM-DD`, a real day of the calendar, a year from 1900 to 2199. Anything else is an error that
//! names the format; nothing is ever "corrected" into another day (`29/11/2026` is not year 29,
//! `2026-11-31` is not 1 December).

use chrono::NaiveDate;

/// The one date format the forms, the importer and the services accept: exactly `YYYY-MM-DD`
/// (four-digit year 1900..=2199, two-digit month and day) naming a real calendar day. Anything else
/// is an error that names the format; nothing is corrected into another date.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "'{s}' is not a date in the format YYYY-MM-DD (for example 2026-11-30)"
        ));
    }
    // Only ASCII digits and hyphens from here, so the slices are on character boundaries.
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    if !(1900..=2199).contains(&y) {
        return Err(format!(
            "'{s}' has the year {y}; give a year from 1900 to 2199 in the format YYYY-MM-DD"
        ));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        format!("'{s}' is not a day of the calendar (format YYYY-MM-DD: month 01-12, a day that month has)")
    })
}

/// A calendar day that has passed [`parse_day`]: the only date type commands, services and the CLI
/// take. It crosses the IPC boundary and the outbox's JSON as the text `YYYY-MM-DD`; text that is not
/// a day is refused while decoding, with [`parse_day`]'s message, so nothing behind the boundary
/// parses dates again or falls back to a default day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, specta::Type)]
#[specta(transparent)]
pub struct Day(#[specta(type = String)] NaiveDate);

impl Day {
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for Day {
    fn from(d: NaiveDate) -> Self {
        Day(d)
    }
}

impl From<Day> for NaiveDate {
    fn from(d: Day) -> Self {
        d.0
    }
}

impl std::str::FromStr for Day {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_day(s).map(Day)
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Whole days from `from` to `to`, both included: what report screens, exports and the command line
/// ask for. Decoding refuses an end before the start, so a `Period` is always a real period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(try_from = "PeriodText")]
pub struct Period {
    from: Day,
    to: Day,
}

/// The shape a period crosses the boundary in, before the order of its days is checked.
#[derive(serde::Deserialize, specta::Type)]
struct PeriodText {
    from: Day,
    to: Day,
}

impl TryFrom<PeriodText> for Period {
    type Error = String;
    fn try_from(p: PeriodText) -> Result<Self, String> {
        Period::new(p.from, p.to)
    }
}

impl Period {
    pub fn new(from: Day, to: Day) -> Result<Self, String> {
        if to < from {
            return Err(format!(
                "The period ends ({to}) before it starts ({from}): give the first day, then the last"
            ));
        }
        Ok(Self { from, to })
    }
    /// The first day.
    pub fn first(self) -> Day {
        self.from
    }
    /// The last day (included).
    pub fn last(self) -> Day {
        self.to
    }
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn only_exact_calendar_days_pass() {
        for good in ["2026-11-29", "2028-02-29", "1900-01-01", "2199-12-31"] {
            assert!(parse_day(good).is_ok(), "{good}");
        }
        for bad in [
            "29/11/2026",
            "30-11-2026",
            "2026-11-31",
            "2026-02-29",
            "2026-1-5",
            "0029-01-01",
            "2026-11-29 ",
            "+2026-11-29",
            "2026\u{2013}11\u{2013}29",
            "",
        ] {
            let e = parse_day(bad).unwrap_err();
            assert!(e.contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }
}

#[cfg(test)]
mod day_tests {
    use super::Day;

    #[test]
    fn a_day_crosses_json_as_text_and_refuses_what_is_not_a_day() {
        let d: Day = serde_json::from_str("\"2026-11-29\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-11-29\"");
        let e = serde_json::from_str::<Day>("\"29/11/2026\"").unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        assert!(serde_json::from_str::<Day>("\"0029-11-26\"").is_err());
    }

    #[test]
    fn a_period_never_ends_before_it_starts() {
        let p: super::Period =
            serde_json::from_str(r#"{"from":"2026-11-01","to":"2026-11-30"}"#).unwrap();
        assert_eq!(p.last().to_string(), "2026-11-30");
        let e = serde_json::from_str::<super::Period>(r#"{"from":"2026-11-30","to":"2026-11-01"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("before it starts"), "{e}");
    }
}
