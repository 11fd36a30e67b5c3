//! Local wall-clock times + IANA zones → real instants (spec §8.2).
//!
//! - ambiguous times (clocks go back): prefer the reading that gives a non-negative duration and,
//!   when the API sent one, the one closest to `duration`; otherwise the earlier instant;
//! - non-existent times (clocks jump forward): shifted forward by the gap, with a warning;
//! - unknown or empty zone: the company default zone, with a warning.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};

/// Something the resolver had to guess; worth logging or showing next to the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "detail", rename_all = "camelCase")]
pub enum ZoneWarning {
    /// The record's zone was missing or not an IANA name; the default zone was used.
    DefaultZone { given: Option<String>, used: String },
    /// The local time falls in a DST gap and was moved forward by the gap.
    NonExistent { local: NaiveDateTime },
    /// The local time occurs twice (DST fall-back); one reading was chosen.
    Ambiguous { local: NaiveDateTime },
    /// The end lies before the start even after resolution.
    NegativeDuration,
}

/// A record's start and end as real instants in its zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    #[serde(serialize_with = "ser_tz")]
    pub zone: Tz,
    #[serde(serialize_with = "ser_dt")]
    pub start: DateTime<Tz>,
    #[serde(serialize_with = "ser_opt_dt")]
    pub end: Option<DateTime<Tz>>,
    pub warnings: Vec<ZoneWarning>,
}

fn ser_tz<S: Serializer>(z: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(z.name())
}
fn ser_dt<S: Serializer>(d: &DateTime<Tz>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_rfc3339())
}
fn ser_opt_dt<S: Serializer>(d: &Option<DateTime<Tz>>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_rfc3339()),
        None => s.serialize_none(),
    }
}

impl Span {
    /// Real elapsed time (across DST changes and midnight); `None` while open.
    pub fn duration(&self) -> Option<Duration> {
        self.end.map(|e| e - self.start)
    }
}

/// Parses an IANA zone name; the API may send `Asia\/Jerusalem`, which JSON decoding already turned
/// into `Asia/Jerusalem`. Case-insensitive as a fallback.
pub fn parse_zone(name: &str) -> Option<Tz> {
    let n = name.trim();
    if n.is_empty() {
        return None;
    }
    n.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|z| z.name().eq_ignore_ascii_case(n))
    })
}

/// The readings of a local time: one, two (ambiguous: earlier first) or one shifted (gap).
fn candidates(zone: Tz, local: NaiveDateTime) -> (Vec<DateTime<Tz>>, Option<ZoneWarning>) {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => (vec![t], None),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            (vec![a, b], Some(ZoneWarning::Ambiguous { local }))
        }
        LocalResult::None => (
            vec![shift_forward(zone, local)],
            Some(ZoneWarning::NonExistent { local }),
        ),
    }
}

/// A time in a DST gap read with the offset in force just before the gap: the same as moving the
/// wall clock forward by the gap's length.
pub fn shift_forward(zone: Tz, local: NaiveDateTime) -> DateTime<Tz> {
    for back_hours in [3i64, 6, 12, 24, 48] {
        if let Some(before) = zone
            .from_local_datetime(&(local - Duration::hours(back_hours)))
            .earliest()
        {
            let offset = before.offset().fix();
            let utc = local - Duration::seconds(offset.local_minus_utc() as i64);
            return zone.from_utc_datetime(&utc);
        }
    }
    // Unreachable for real tzdata; fall back to the next minute that exists.
    let mut t = local;
    loop {
        t += Duration::minutes(1);
        if let Some(x) = zone.from_local_datetime(&t).earliest() {
            return x;
        }
    }
}

/// Resolves one record. `zone_name` falls back to `default_zone` (with a warning) when missing or
/// unknown; `duration_hint` (seconds) steers the choice between ambiguous readings.
pub fn resolve_span(
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
    zone_name: Option<&str>,
    default_zone: Tz,
    duration_hint: Option<i64>,
) -> Span {
    let mut warnings = Vec::new();
    let zone = match zone_name.and_then(parse_zone) {
        Some(z) => z,
        None => {
            let w = ZoneWarning::DefaultZone {
                given: zone_name.map(str::to_string),
                used: default_zone.name().to_string(),
            };
            tracing::warn!(?w, "TimeClock 365 record without a usable time zone");
            warnings.push(w);
            default_zone
        }
    };
    let (starts, w) = candidates(zone, start);
    warnings.extend(w);
    let Some(end) = end else {
        return Span {
            zone,
            start: starts[0],
            end: None,
            warnings,
        };
    };
    let (ends, w) = candidates(zone, end);
    warnings.extend(w);
    // Pairs in preference order: earlier start first, then earlier end.
    let pairs: Vec<(DateTime<Tz>, DateTime<Tz>)> = starts
        .iter()
        .flat_map(|s| ends.iter().map(move |e| (*s, *e)))
        .collect();
    let non_negative: Vec<_> = pairs.iter().filter(|(s, e)| e >= s).copied().collect();
    let chosen = match (non_negative.is_empty(), duration_hint) {
        (true, _) => {
            warnings.push(ZoneWarning::NegativeDuration);
            pairs[0]
        }
        (false, Some(hint)) => *non_negative
            .iter()
            .min_by_key(|(s, e)| ((*e - *s).num_seconds() - hint).abs())
            .expect("non-empty"),
        (false, None) => non_negative[0],
    };
    if warnings
        .iter()
        .any(|w| matches!(w, ZoneWarning::NonExistent { .. }))
    {
        tracing::warn!(%start, %end, zone = zone.name(), "local time in a DST gap, moved forward");
    }
    Span {
        zone,
        start: chosen.0,
        end: Some(chosen.1),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }
    const JLM: Tz = chrono_tz::Asia::Jerusalem;
    const BRU: Tz = chrono_tz::Europe::Brussels;

    #[test]
    fn plain_day_and_midnight() {
        let s = resolve_span(
            t("2024-10-09 22:00:00"),
            Some(t("2024-10-10 06:00:00")),
            Some("Asia/Jerusalem"),
            BRU,
            None,
        );
        assert_eq!(s.duration(), Some(Duration::hours(8)));
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn spring_forward_is_shorter_and_gap_times_shift() {
        let s = resolve_span(
            t("2025-03-28 00:30:00"),
            Some(t("2025-03-28 08:30:00")),
            Some("Asia/Jerusalem"),
            BRU,
            None,
        );
        assert_eq!(s.duration(), Some(Duration::hours(7)));
        let g = resolve_span(
            t("2025-03-30 02:30:00"),
            Some(t("2025-03-30 10:00:00")),
            Some("Europe/Brussels"),
            JLM,
            None,
        );
        assert_eq!(
            g.start.naive_local(),
            t("2025-03-30 03:30:00"),
            "moved forward by the gap"
        );
        assert_eq!(g.duration(), Some(Duration::minutes(390)));
        assert!(g
            .warnings
            .iter()
            .any(|w| matches!(w, ZoneWarning::NonExistent { .. })));
    }

    #[test]
    fn fall_back_is_longer_and_ambiguity_follows_duration() {
        let s = resolve_span(
            t("2025-10-26 00:30:00"),
            Some(t("2025-10-26 08:30:00")),
            Some("Europe/Brussels"),
            JLM,
            None,
        );
        assert_eq!(s.duration(), Some(Duration::hours(9)));
        // 01:30 happens twice in Jerusalem on 2025-10-26: without a hint, the earlier reading.
        let a = resolve_span(
            t("2025-10-26 01:30:00"),
            Some(t("2025-10-26 03:30:00")),
            Some("Asia/Jerusalem"),
            BRU,
            None,
        );
        assert_eq!(a.duration(), Some(Duration::hours(3)));
        let b = resolve_span(
            t("2025-10-26 01:30:00"),
            Some(t("2025-10-26 03:30:00")),
            Some("Asia/Jerusalem"),
            BRU,
            Some(7200),
        );
        assert_eq!(b.duration(), Some(Duration::hours(2)));
        // Both ends ambiguous, end "before" start on the wall clock: only one pair is non-negative.
        let c = resolve_span(
            t("2025-10-26 01:50:00"),
            Some(t("2025-10-26 01:10:00")),
            Some("Asia/Jerusalem"),
            BRU,
            None,
        );
        assert_eq!(c.duration(), Some(Duration::minutes(20)));
    }

    #[test]
    fn unknown_zone_uses_default_with_warning() {
        let s = resolve_span(
            NaiveDate::from_ymd_opt(2024, 1, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            None,
            Some("Mars/Olympus"),
            BRU,
            None,
        );
        assert_eq!(s.zone, BRU);
        assert!(matches!(s.warnings[0], ZoneWarning::DefaultZone { .. }));
        assert_eq!(s.duration(), None);
    }
}
