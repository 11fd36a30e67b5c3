//! Seeded demo data of the TimeClock 365 simulator.
//!
//! Every record is a pure function of (seed, employee, day), so any date range yields the same records
//! for the same day, and data is generated lazily per request (nothing is stored).
//!
//! - day shifts and night shifts that cross midnight, lunches inside sessions, work logs with
//!   external ids (string, number or none), absences (only visible in `extended-sessions`),
//!   occasional "abroad" sessions in a second zone (Europe/London), open sessions today;
//! - fixed fixtures on the DST days of 2025 and 2026 of both zones, whatever the data window:
//!   employee 1002 (Asia/Jerusalem) and 1001 (Europe/Brussels) work 00:30–08:30 across the change;
//!   employee 1005 (Asia/Jerusalem) and 1003 (Europe/Brussels) start inside the gap (spring) or the
//!   repeated hour (autumn, second occurrence — `duration` in `extended-sessions` says so).

use crate::roster::{works_nights, Rng, RosterPerson};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday,
};
use chrono_tz::Tz;

/// DST transition days in the fixtures, per zone.
pub const JERUSALEM_DST_DAYS: [&str; 4] = ["2025-03-28", "2025-10-26", "2026-03-27", "2026-10-25"];
pub const BRUSSELS_DST_DAYS: [&str; 4] = ["2025-03-30", "2025-10-26", "2026-03-29", "2026-10-25"];
/// The second zone used for "abroad" sessions.
pub const ABROAD_ZONE: &str = "Europe/London";

#[derive(Debug, Clone)]
pub struct Interval {
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
    pub src_start: &'static str,
    pub src_end: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub enum ExternalId {
    Text(String),
    Number(u32),
    None,
}

#[derive(Debug, Clone)]
pub struct WorkLogRec {
    pub name: &'static str,
    pub external_id: ExternalId,
    pub at: Interval,
}

#[derive(Debug, Clone)]
pub struct AbsenceRec {
    pub name: &'static str,
    pub note: Option<&'static str>,
    pub approved: Option<NaiveDateTime>,
    pub code_days: &'static str,
    pub code_hours: &'static str,
}

/// One record of one employee on one day.
#[derive(Debug, Clone)]
pub struct DayRecord {
    pub at: Interval,
    pub zone: &'static str,
    pub location: Option<&'static str>,
    pub lunches: Vec<Interval>,
    pub work_logs: Vec<WorkLogRec>,
    pub absence: Option<AbsenceRec>,
    /// Real elapsed seconds (None while open).
    pub duration: Option<i64>,
    pub start_note: Option<&'static str>,
    /// Minutes between the punch-in and the moment it reached the server (`startDateSentAt`): 0
    /// for a live punch, more for one typed in afterwards.
    pub start_sent_after_minutes: i64,
}

/// How long after the fact a forgotten punch-in is typed in (the demo's late entries).
pub const LATE_ENTRY_MINUTES: i64 = 95;

/// Wall-clock time → instant. Gap times use the offset before the gap (moved forward by the gap);
/// repeated times take the first or second occurrence.
pub fn to_instant(zone: Tz, t: NaiveDateTime, second_occurrence: bool) -> DateTime<Tz> {
    match zone.from_local_datetime(&t) {
        LocalResult::Single(x) => x,
        LocalResult::Ambiguous(a, b) => {
            let (first, second) = if a < b { (a, b) } else { (b, a) };
            if second_occurrence {
                second
            } else {
                first
            }
        }
        LocalResult::None => {
            let before = zone
                .offset_from_utc_datetime(&(t - Duration::days(1)))
                .fix();
            zone.from_utc_datetime(&(t - Duration::seconds(before.local_minus_utc() as i64)))
        }
    }
}

fn zone_of(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

fn real_seconds(zone: &str, start: NaiveDateTime, end: NaiveDateTime, second: bool) -> i64 {
    let z = zone_of(zone);
    (to_instant(z, end, false) - to_instant(z, start, second)).num_seconds()
}

fn ymd(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("fixture date")
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).expect("valid time")
}

pub fn is_weekend(zone: &str, day: NaiveDate) -> bool {
    if zone == "Asia/Jerusalem" {
        matches!(day.weekday(), Weekday::Fri | Weekday::Sat)
    } else {
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }
}

/// Whether the zone changes its UTC offset on this day: `Some(true)` when clocks go back (autumn),
/// `Some(false)` when they jump forward, `None` on an ordinary day.
pub fn dst_change(zone: &str, day: NaiveDate) -> Option<bool> {
    let z = zone_of(zone);
    let offset = |d: NaiveDate| {
        to_instant(z, at(d, 0, 0), false)
            .offset()
            .fix()
            .local_minus_utc()
    };
    let (before, after) = (offset(day), offset(day + Duration::days(1)));
    (before != after).then_some(after < before)
}

/// The DST fixture of an employee on a day, if any: on the fixed days of 2025 and 2026 whatever the
/// window, and on any other transition day inside the window.
fn fixture(
    p: &RosterPerson,
    day: NaiveDate,
    window: (NaiveDate, NaiveDate),
) -> Option<Vec<DayRecord>> {
    let (days, across, inside) = match p.timezone {
        "Asia/Jerusalem" => (JERUSALEM_DST_DAYS, 1002, 1005),
        _ => (BRUSSELS_DST_DAYS, 1001, 1003),
    };
    if p.employee_number != across && p.employee_number != inside {
        return None;
    }
    let fixed = days.iter().any(|d| ymd(d) == day);
    let in_window = window.0 <= day && day <= window.1;
    if !fixed && !in_window {
        return None;
    }
    let autumn = dst_change(p.timezone, day)?;
    let (start, end, second) = if p.employee_number == across {
        (at(day, 0, 30), at(day, 8, 30), false)
    } else {
        // Spring: 02:30 does not exist in either zone. Autumn: the repeated hour is 01:xx in
        // Jerusalem and 02:xx in Brussels; the record means the second occurrence.
        let h = if autumn && p.timezone == "Asia/Jerusalem" {
            1
        } else {
            2
        };
        (at(day, h, 30), at(day, 10, 30), autumn)
    };
    let lunch_start = end - Duration::hours(4);
    let lunch = Interval {
        start: lunch_start,
        end: Some(lunch_start + Duration::minutes(30)),
        src_start: "phone",
        src_end: Some("phone"),
    };
    let logs = vec![
        WorkLogRec {
            name: "Night inventory",
            external_id: ExternalId::Text(format!("DST-{}", p.employee_number)),
            at: Interval {
                start: start + Duration::minutes(5),
                end: Some(lunch_start - Duration::minutes(5)),
                src_start: "web",
                src_end: Some("web"),
            },
        },
        WorkLogRec {
            name: "Handover",
            external_id: ExternalId::Number(9000 + day.day()),
            at: Interval {
                start: lunch_start + Duration::minutes(35),
                end: Some(end - Duration::minutes(5)),
                src_start: "web",
                src_end: Some("phone"),
            },
        },
    ];
    Some(vec![DayRecord {
        at: Interval {
            start,
            end: Some(end),
            src_start: "web",
            src_end: Some("phone"),
        },
        zone: p.timezone,
        location: Some("office"),
        lunches: vec![lunch],
        work_logs: logs,
        absence: None,
        duration: Some(real_seconds(p.timezone, start, end, second)),
        start_note: Some("DST fixture"),
        start_sent_after_minutes: 0,
    }])
}

const TASKS: &[(&str, &str)] = &[
    ("Customer support", "DR-4258"),
    ("Payroll run", "PAY-12"),
    ("Onboarding", "HR-7"),
    ("Warehouse", "WH-31"),
    ("Project Atlas", "ATL-2026"),
    ("Training", ""),
];

const ABSENCES: &[(&str, &str, &str)] = &[
    ("Vacation", "101", "201"),
    ("Sick leave", "102", "202"),
    ("Reserve duty", "103", "203"),
    ("Training day", "104", "204"),
];

/// The records of one employee on one day; `window` is the inclusive range of ordinary data.
pub fn day_records(
    seed: u64,
    p: &RosterPerson,
    day: NaiveDate,
    window: (NaiveDate, NaiveDate),
) -> Vec<DayRecord> {
    if let Some(f) = fixture(p, day, window) {
        return f;
    }
    if day < window.0 || day > window.1 || is_weekend(p.timezone, day) {
        return Vec::new();
    }
    let today = day == window.1;
    let mut rng = Rng::derive(
        seed,
        &[
            p.employee_number as u64,
            day.num_days_from_ce() as u64,
            0x7C,
        ],
    );
    if rng.chance(0.08) {
        let (name, cd, ch) = *rng.pick(ABSENCES);
        let start = at(day, 8, 0);
        let end = at(day, 16, 0);
        let approved = rng.chance(0.8);
        return vec![DayRecord {
            at: Interval {
                start,
                end: Some(end),
                src_start: "web",
                src_end: Some("web"),
            },
            zone: p.timezone,
            location: None,
            lunches: Vec::new(),
            work_logs: Vec::new(),
            absence: Some(AbsenceRec {
                name,
                note: if rng.chance(0.3) {
                    Some("Requested in advance")
                } else {
                    None
                },
                approved: approved.then(|| at(day - Duration::days(7), 10, 15)),
                code_days: cd,
                code_hours: ch,
            }),
            duration: Some(real_seconds(p.timezone, start, end, false)),
            start_note: None,
            start_sent_after_minutes: 0,
        }];
    }
    let night = works_nights(p.index);
    let abroad = !night && rng.chance(0.04);
    let zone: &'static str = if abroad { ABROAD_ZONE } else { p.timezone };
    let location = if abroad {
        "abroad"
    } else {
        *rng.pick(&[
            "office", "office", "office", "office", "home", "home", "field",
        ])
    };
    let start_min = if night {
        rng.range(21 * 60 + 30, 22 * 60 + 30)
    } else {
        rng.range(7 * 60 + 30, 9 * 60 + 30)
    };
    let length = if night {
        rng.range(480, 540)
    } else {
        rng.range(450, 570)
    };
    let start = day.and_hms_opt(0, 0, 0).expect("midnight")
        + Duration::minutes(start_min)
        + Duration::seconds(rng.range(0, 59));
    let tz = zone_of(zone);
    let start_at = to_instant(tz, start, false);
    let end_wall = (start_at + Duration::minutes(length)).naive_local();
    let src = |rng: &mut Rng| *rng.pick(&["web", "phone", "web"]);
    let src_start = src(&mut rng);
    let src_end = src(&mut rng);
    // Lunch around the middle; work logs before and after it.
    let lunch_start = start + Duration::minutes(length / 2 + rng.range(-20, 20));
    let lunch_len = rng.range(20, 60);
    let lunch_end = lunch_start + Duration::minutes(lunch_len);
    let lunch = Interval {
        start: lunch_start,
        end: Some(lunch_end),
        src_start: src(&mut rng),
        src_end: Some(src(&mut rng)),
    };
    let mut pieces = vec![(
        start + Duration::minutes(rng.range(1, 5)),
        lunch_start - Duration::minutes(2),
    )];
    let after = lunch_end + Duration::minutes(rng.range(2, 6));
    if rng.chance(0.5) {
        let mid = after + Duration::minutes((end_wall - after).num_minutes().max(2) / 2);
        pieces.push((after, mid));
        pieces.push((mid + Duration::minutes(1), end_wall - Duration::minutes(3)));
    } else {
        pieces.push((after, end_wall - Duration::minutes(3)));
    }
    let n = pieces.len();
    let work_logs = pieces
        .into_iter()
        .enumerate()
        .map(|(i, (s, e))| {
            let (name, code) = *rng.pick(TASKS);
            let external_id = if code.is_empty() {
                ExternalId::None
            } else if rng.chance(0.15) {
                ExternalId::Number(4000 + rng.range(0, 999) as u32)
            } else {
                ExternalId::Text(code.to_string())
            };
            let open = today && i == n - 1;
            WorkLogRec {
                name,
                external_id,
                at: Interval {
                    start: s,
                    end: (!open).then_some(e),
                    src_start: "web",
                    src_end: (!open).then_some("web"),
                },
            }
        })
        .collect();
    // One punch-in in twenty was forgotten and typed in later: its note says so, and it reached the
    // server well after the time it records.
    let late_entry = rng.chance(0.05);
    vec![DayRecord {
        at: Interval {
            start,
            end: (!today).then_some(end_wall),
            src_start,
            src_end: (!today).then_some(src_end),
        },
        zone,
        location: Some(location),
        lunches: vec![lunch],
        work_logs,
        absence: None,
        duration: (!today).then_some(length * 60),
        start_note: late_entry.then_some("Forgot to punch in, added later"),
        start_sent_after_minutes: if late_entry { LATE_ENTRY_MINUTES } else { 0 },
    }]
}

/// Expected contract seconds for a day (8 h on working days inside the window).
pub fn expected_seconds(p: &RosterPerson, day: NaiveDate, window: (NaiveDate, NaiveDate)) -> i64 {
    if day < window.0 || day > window.1 || is_weekend(p.timezone, day) {
        0
    } else {
        8 * 3600
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Roster;

    fn d(s: &str) -> NaiveDate {
        ymd(s)
    }

    #[test]
    fn records_are_a_pure_function_of_seed_employee_and_day() {
        let roster = Roster::generate(1, 20);
        let window = (d("2026-10-01"), d("2026-11-19"));
        for p in &roster.people {
            for day in d("2026-10-01").iter_days().take(50) {
                let a = format!("{:?}", day_records(1, p, day, window));
                let b = format!("{:?}", day_records(1, p, day, window));
                assert_eq!(a, b);
                // The window only decides whether a day has ordinary data, not what it is.
                let wider = format!(
                    "{:?}",
                    day_records(1, p, day, (d("2026-01-01"), d("2026-11-19")))
                );
                assert_eq!(a, wider);
            }
        }
    }

    #[test]
    fn dst_fixtures_exist_outside_the_window() {
        let roster = Roster::generate(1, 10);
        let window = (d("2026-11-01"), d("2026-11-19"));
        for (days, across, inside) in [(JERUSALEM_DST_DAYS, 1, 4), (BRUSSELS_DST_DAYS, 0, 2)] {
            for day in days {
                for idx in [across, inside] {
                    let r = day_records(1, &roster.people[idx], d(day), window);
                    assert_eq!(r.len(), 1, "{day} {idx}");
                    assert_eq!(r[0].at.start.date(), d(day));
                }
            }
        }
    }

    #[test]
    fn transition_days_are_detected_and_get_fixtures_in_the_window() {
        for d0 in JERUSALEM_DST_DAYS {
            assert!(dst_change("Asia/Jerusalem", d(d0)).is_some(), "{d0}");
        }
        for d0 in BRUSSELS_DST_DAYS {
            assert!(dst_change("Europe/Brussels", d(d0)).is_some(), "{d0}");
        }
        assert_eq!(dst_change("Europe/Brussels", d("2027-03-28")), Some(false));
        assert_eq!(dst_change("Europe/Brussels", d("2027-10-31")), Some(true));
        assert_eq!(dst_change("Europe/Brussels", d("2027-10-30")), None);
        let roster = Roster::generate(1, 10);
        let window = (d("2027-09-01"), d("2027-11-19"));
        let r = day_records(1, &roster.people[0], d("2027-10-31"), window);
        assert_eq!(r[0].at.start, at(d("2027-10-31"), 0, 30));
        assert_eq!(r[0].duration, Some(9 * 3600));
    }

    #[test]
    fn gap_times_move_forward_and_repeated_times_pick_an_occurrence() {
        let z: Tz = "Asia/Jerusalem".parse().unwrap();
        let t = at(d("2026-03-27"), 2, 30);
        assert_eq!(
            to_instant(z, t, false).naive_local(),
            at(d("2026-03-27"), 3, 30)
        );
        let r = at(d("2026-10-25"), 1, 30);
        let (a, b) = (to_instant(z, r, false), to_instant(z, r, true));
        assert_eq!(b - a, Duration::hours(1));
    }
}
