//! Property tests: local time + zone → instants, date-time parsing, and chunking (any range, any
//! chunk size, any concurrency → the same merged result as one request).

mod common;

use chrono::{Duration, TimeZone};
use chrono_tz::Tz;
use common::*;
use proptest::prelude::*;
use timebridge_sandbox::timeclock::TimeClockSimConfig;
use timebridge_sandbox::DEMO_API_KEY;
use timebridge_timeclock::models::parse_local_datetime;
use timebridge_timeclock::zone::resolve_span;
use timebridge_timeclock::ZoneWarning;

const ZONES: [Tz; 6] = [
    chrono_tz::Asia::Jerusalem,
    chrono_tz::Europe::Brussels,
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::UTC,
];

/// 2024-01-01 .. 2027-12-31 in Unix seconds.
const FROM: i64 = 1_704_067_200;
const TO: i64 = 1_830_297_600;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A real interval written as two local times resolves back to its real length, always when
    /// the API's `duration` is given, and whenever neither end is ambiguous otherwise.
    #[test]
    fn real_intervals_round_trip(ts in FROM..TO, len in 0i64..(30 * 3600), z in 0usize..ZONES.len()) {
        let zone = ZONES[z];
        let s = zone.timestamp_opt(ts, 0).unwrap();
        let e = s + Duration::seconds(len);
        let (ls, le) = (s.naive_local(), e.naive_local());
        let hinted = resolve_span(ls, Some(le), Some(zone.name()), chrono_tz::UTC, Some(len));
        prop_assert_eq!(hinted.duration(), Some(Duration::seconds(len)));
        let plain = resolve_span(ls, Some(le), Some(zone.name()), chrono_tz::UTC, None);
        let d = plain.duration().unwrap();
        prop_assert!(d >= Duration::zero());
        prop_assert_eq!(plain.start.naive_local(), ls);
        prop_assert_eq!(plain.end.unwrap().naive_local(), le);
        if plain.warnings.is_empty() {
            prop_assert_eq!(d, Duration::seconds(len));
            prop_assert_eq!(plain.start, s);
        } else {
            let only_ambiguous = plain.warnings.iter().all(|w| matches!(w, ZoneWarning::Ambiguous { .. }));
            prop_assert!(only_ambiguous);
            prop_assert!((d - Duration::seconds(len)).num_seconds().abs() <= 3600);
        }
    }

    /// Any wall-clock time resolves: existing times exactly, times in a gap moved forward by at
    /// most the gap (never backwards), with a warning.
    #[test]
    fn any_local_time_resolves(ts in FROM..TO, z in 0usize..ZONES.len()) {
        let zone = ZONES[z];
        let local = chrono::DateTime::from_timestamp(ts, 0).unwrap().naive_utc();
        let span = resolve_span(local, None, Some(zone.name()), chrono_tz::UTC, None);
        let got = span.start.naive_local();
        let moved = span.warnings.iter().any(|w| matches!(w, ZoneWarning::NonExistent { .. }));
        if moved {
            prop_assert!(got > local && got - local <= Duration::hours(1));
        } else {
            prop_assert_eq!(got, local);
        }
        prop_assert_eq!(span.zone, zone);
    }

    /// Durations across midnight and DST are real elapsed time: adding the duration to the start
    /// instant gives the end instant.
    #[test]
    fn durations_are_instant_differences(ts in FROM..TO, len in 0i64..(72 * 3600), z in 0usize..ZONES.len()) {
        let zone = ZONES[z];
        let s = zone.timestamp_opt(ts, 0).unwrap();
        let e = s + Duration::seconds(len);
        let span = resolve_span(s.naive_local(), Some(e.naive_local()), Some(zone.name()), chrono_tz::UTC, Some(len));
        prop_assert_eq!(span.start + span.duration().unwrap(), span.end.unwrap());
    }

    /// Every accepted spelling of a date-time gives the same value.
    #[test]
    fn datetime_spellings_agree(ts in FROM..TO, micros in 0u32..1_000_000) {
        let t = chrono::DateTime::from_timestamp(ts, 0).unwrap().naive_utc();
        let strict = t.format("%Y-%m-%d %H:%M:%S").to_string();
        prop_assert_eq!(parse_local_datetime(&strict).unwrap(), Some(t));
        prop_assert_eq!(parse_local_datetime(&t.format("%Y-%m-%dT%H:%M:%S").to_string()).unwrap(), Some(t));
        let frac = t + Duration::microseconds(micros as i64);
        prop_assert_eq!(parse_local_datetime(&frac.format("%Y-%m-%d %H:%M:%S%.6f").to_string()).unwrap(), Some(frac));
        prop_assert_eq!(parse_local_datetime(&frac.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()).unwrap().map(|x| x.and_utc().timestamp()), Some(ts));
    }
}

#[test]
fn empty_and_zero_dates_are_none() {
    for s in ["", "  ", "0000-00-00 00:00:00", "0000-00-00"] {
        assert_eq!(parse_local_datetime(s).unwrap(), None, "{s:?}");
    }
    assert!(parse_local_datetime("yesterday").is_err());
    assert!(parse_local_datetime("2025-02-30 08:00:00").is_err());
    assert!(parse_local_datetime("2025-01-01 24:00:00").is_err());
    assert!(parse_local_datetime("2025-01-0x 08:00:00").is_err());
}

/// Any range, any chunk size and concurrency: the same merged `timesheet` as filtering one big
/// answer by day, and the same `extended-sessions` (totals summed over chunks) as one request.
#[test]
fn chunking_never_changes_the_result() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt.block_on(sandbox(TimeClockSimConfig {
        employees: 12,
        ..sim_config()
    }));
    let window_start = today() - Duration::days(59);
    let reference = {
        let mut o = fast_options();
        o.chunk_days = 1000;
        rt.block_on(client_with(&sb, DEMO_API_KEY, o).timesheet(window_start, today()))
            .unwrap()
    };
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(40));
    runner
        .run(
            &(0i64..60, 1i64..45, 1u32..40, 1usize..6),
            |(offset, len, chunk_days, concurrency)| {
                let a = window_start + Duration::days(offset);
                let b = (a + Duration::days(len - 1)).min(today());
                let mut o = fast_options();
                o.chunk_days = chunk_days;
                o.max_concurrency = concurrency;
                let chunked = client_with(&sb, DEMO_API_KEY, o);
                let mut whole = fast_options();
                whole.chunk_days = 1000;
                let whole = client_with(&sb, DEMO_API_KEY, whole);
                let got = rt.block_on(chunked.timesheet(a, b)).unwrap();
                let mut want = reference.clone();
                for e in &mut want {
                    e.sessions
                        .retain(|s| s.start_date.date() >= a && s.start_date.date() <= b);
                }
                prop_assert_eq!(&got, &want);
                let got = rt.block_on(chunked.extended_sessions(a, b)).unwrap();
                let want = rt.block_on(whole.extended_sessions(a, b)).unwrap();
                prop_assert_eq!(got, want);
                Ok(())
            },
        )
        .unwrap();
    rt.block_on(sb.stop());
}
