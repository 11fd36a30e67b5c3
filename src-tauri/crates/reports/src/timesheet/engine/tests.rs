//! Report maths against hand-checked fixtures (both DST changes in both zones, night shifts, open
//! sessions, lunches inside and outside sessions, absences, rounding) and the totals property.

use super::*;
use chrono_tz::Tz;
use proptest::prelude::*;
use serde_json::json;
use timebridge_timeclock::models::{EmployeeExtended, EmployeeTimesheet};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Decodes records the way the API sends them and resolves their zones like the client does.
fn timesheet(v: serde_json::Value) -> Vec<EmployeeTimesheet> {
    let decoded: Vec<EmployeeTimesheet> = serde_json::from_value(v).unwrap();
    timebridge_timeclock::merge(vec![decoded], Tz::UTC)
}

fn session(start: &str, end: Option<&str>, zone: &str) -> serde_json::Value {
    json!({"startDate": start, "endDate": end, "timezone": zone, "lunches": [], "workLogs": []})
}

fn one(number: i64, sessions: Vec<serde_json::Value>) -> Vec<EmployeeTimesheet> {
    timesheet(json!([{"employeeNumber": number, "email": "e@x.test", "sessions": sessions}]))
}

fn row<'a>(r: &'a Report, date: &str) -> &'a DayRow {
    r.rows
        .iter()
        .find(|x| x.date == date)
        .unwrap_or_else(|| panic!("no row for {date}: {:?}", r.rows))
}

#[test]
fn ordinary_day_with_lunch_and_work_logs() {
    let mut s = session(
        "2025-02-12 08:00:00",
        Some("2025-02-12 17:00:00"),
        "Europe/Brussels",
    );
    s["lunches"] = json!([{"startDate": "2025-02-12 12:00:00", "endDate": "2025-02-12 12:30:00"}]);
    s["workLogs"] = json!([{"name": "task", "externalId": 4258, "startDate": "2025-02-12 08:15:00", "endDate": "2025-02-12 12:00:00"}]);
    let r = build(
        d("2025-02-01"),
        d("2025-02-28"),
        &one(1001, vec![s]),
        &[],
        ReportOptions::default(),
    );
    let day = row(&r, "2025-02-12");
    assert_eq!(
        (day.worked_minutes, day.lunch_minutes, day.net_minutes),
        (540, 30, 510)
    );
    assert_eq!(
        (day.first_in.as_deref(), day.last_out.as_deref()),
        (Some("08:00"), Some("17:00"))
    );
    assert_eq!(day.work_logs[0].minutes, 225);
    assert_eq!(day.work_logs[0].external_id.as_deref(), Some("4258"));
    assert_eq!(day.iso_week, "2025-W07");
}

#[test]
fn dst_days_count_real_elapsed_time() {
    // 00:30–08:30 on the spring-forward day is 7 hours; on the fall-back day 9 hours.
    let cases = [
        ("Europe/Brussels", "2025-03-30", 420),
        ("Europe/Brussels", "2025-10-26", 540),
        ("Asia/Jerusalem", "2025-03-28", 420),
        ("Asia/Jerusalem", "2025-10-26", 540),
        ("Europe/Brussels", "2026-03-29", 420),
        ("Asia/Jerusalem", "2026-10-25", 540),
    ];
    for (zone, date, minutes) in cases {
        let s = session(
            &format!("{date} 00:30:00"),
            Some(&format!("{date} 08:30:00")),
            zone,
        );
        let r = build(
            d(date),
            d(date),
            &one(1002, vec![s]),
            &[],
            ReportOptions::default(),
        );
        assert_eq!(row(&r, date).worked_minutes, minutes, "{zone} {date}");
    }
}

#[test]
fn night_shift_on_the_start_day_or_split_at_midnight() {
    let s = session(
        "2025-02-13 22:00:00",
        Some("2025-02-14 06:00:00"),
        "Europe/Brussels",
    );
    let emp = one(1003, vec![s]);
    let whole = build(
        d("2025-02-13"),
        d("2025-02-14"),
        &emp,
        &[],
        ReportOptions::default(),
    );
    assert_eq!(row(&whole, "2025-02-13").worked_minutes, 480);
    assert!(whole.rows.iter().all(|r| r.date != "2025-02-14"));
    let split = build(
        d("2025-02-13"),
        d("2025-02-14"),
        &emp,
        &[],
        ReportOptions {
            night_shifts: NightShifts::SplitAtMidnight,
            ..Default::default()
        },
    );
    assert_eq!(row(&split, "2025-02-13").worked_minutes, 120);
    assert_eq!(row(&split, "2025-02-14").worked_minutes, 360);
    assert_eq!(split.overall.worked_minutes, 480);
}

#[test]
fn night_shift_across_a_dst_change_split_at_midnight() {
    // Brussels 2025-10-25 22:00 → 10-26 06:00: 2 h before midnight, 5 h after (the clock goes back).
    let s = session(
        "2025-10-25 22:00:00",
        Some("2025-10-26 06:00:00"),
        "Europe/Brussels",
    );
    let split = build(
        d("2025-10-25"),
        d("2025-10-26"),
        &one(1004, vec![s]),
        &[],
        ReportOptions {
            night_shifts: NightShifts::SplitAtMidnight,
            ..Default::default()
        },
    );
    assert_eq!(row(&split, "2025-10-25").worked_minutes, 120);
    assert_eq!(row(&split, "2025-10-26").worked_minutes, 420);
}

#[test]
fn open_sessions_are_flagged_never_counted() {
    let sessions = vec![
        session(
            "2025-02-12 08:00:00",
            Some("2025-02-12 12:00:00"),
            "Asia/Jerusalem",
        ),
        session("2025-02-12 13:00:00", None, "Asia/Jerusalem"),
    ];
    let r = build(
        d("2025-02-12"),
        d("2025-02-12"),
        &one(1005, sessions),
        &[],
        ReportOptions::default(),
    );
    let day = row(&r, "2025-02-12");
    assert!(day.open_session);
    assert_eq!((day.sessions, day.worked_minutes), (2, 240));
    assert_eq!(r.overall.open_sessions, 1);
}

#[test]
fn lunch_outside_a_session_is_reported_not_subtracted() {
    let mut s = session(
        "2025-02-12 08:00:00",
        Some("2025-02-12 17:00:00"),
        "Europe/Brussels",
    );
    s["lunches"] = json!([
        {"startDate": "2025-02-12 16:45:00", "endDate": "2025-02-12 17:15:00"},
    ]);
    let r = build(
        d("2025-02-12"),
        d("2025-02-12"),
        &one(1006, vec![s]),
        &[],
        ReportOptions::default(),
    );
    let day = row(&r, "2025-02-12");
    assert_eq!(
        (
            day.lunch_minutes,
            day.lunch_outside_minutes,
            day.net_minutes
        ),
        (15, 15, 525)
    );
}

#[test]
fn rounding_per_session_and_per_day() {
    let sessions = vec![
        session(
            "2025-02-12 08:07:00",
            Some("2025-02-12 12:00:00"),
            "Europe/Brussels",
        ), // 233
        session(
            "2025-02-12 12:31:00",
            Some("2025-02-12 17:03:00"),
            "Europe/Brussels",
        ), // 272
    ];
    let emp = one(1007, sessions);
    let opts = |rounding, rounding_scope| ReportOptions {
        rounding,
        rounding_scope,
        night_shifts: NightShifts::StartDay,
    };
    let worked = |o| {
        row(
            &build(d("2025-02-12"), d("2025-02-12"), &emp, &[], o),
            "2025-02-12",
        )
        .worked_minutes
    };
    assert_eq!(worked(opts(Rounding::None, RoundingScope::PerSession)), 505);
    assert_eq!(
        worked(opts(Rounding::Nearest5, RoundingScope::PerSession)),
        235 + 270
    );
    assert_eq!(
        worked(opts(Rounding::Nearest15, RoundingScope::PerSession)),
        240 + 270
    );
    assert_eq!(
        worked(opts(Rounding::Nearest15, RoundingScope::PerDay)),
        510
    );
    assert_eq!(worked(opts(Rounding::Nearest5, RoundingScope::PerDay)), 505);
}

#[test]
fn absences_come_from_extended_sessions() {
    let extended: Vec<EmployeeExtended> = serde_json::from_value(json!([{
        "id": 21814, "employeeNumber": "1008", "sessions": [
            {"startDate": "2025-02-13 00:00:00", "endDate": "2025-02-13 23:59:59", "timezone": "Asia\\/Jerusalem",
             "isAbsence": 1, "absenceName": "חופשה", "absenceCodeHors": "V1"}
        ]
    }]))
    .unwrap();
    let r = build(
        d("2025-02-13"),
        d("2025-02-13"),
        &[],
        &extended,
        ReportOptions::default(),
    );
    let day = row(&r, "2025-02-13");
    assert_eq!(day.absences, vec!["חופשה".to_string()]);
    assert_eq!(day.worked_minutes, 0);
}

fn arb_session() -> impl Strategy<Value = (u32, u32, u32, u32, bool)> {
    // (employee, day offset, start minute, length in minutes, open)
    (
        0u32..4,
        0u32..20,
        0u32..1440,
        0u32..900,
        proptest::bool::weighted(0.1),
    )
}

proptest! {
    #[test]
    fn every_total_is_the_sum_of_its_rows(
        sessions in proptest::collection::vec(arb_session(), 0..60),
        rounding in prop_oneof![Just(Rounding::None), Just(Rounding::Nearest5), Just(Rounding::Nearest15)],
        per_day in any::<bool>(),
        split in any::<bool>(),
    ) {
        let base = d("2025-03-20");
        let mut by_emp: BTreeMap<u32, Vec<serde_json::Value>> = BTreeMap::new();
        for (e, day, start, len, open) in sessions {
            let s = base.and_hms_opt(0, 0, 0).unwrap() + Duration::days(day as i64) + Duration::minutes(start as i64);
            let end = s + Duration::minutes(len as i64);
            let zone = if e % 2 == 0 { "Europe/Brussels" } else { "Asia/Jerusalem" };
            let end_text = end.format("%Y-%m-%d %H:%M:%S").to_string();
            by_emp.entry(e).or_default().push(session(&s.format("%Y-%m-%d %H:%M:%S").to_string(), (!open).then_some(end_text.as_str()), zone));
        }
        let emps: Vec<serde_json::Value> = by_emp.into_iter().map(|(e, s)| json!({"employeeNumber": 1000 + e, "sessions": s})).collect();
        let opts = ReportOptions {
            rounding,
            rounding_scope: if per_day { RoundingScope::PerDay } else { RoundingScope::PerSession },
            night_shifts: if split { NightShifts::SplitAtMidnight } else { NightShifts::StartDay },
        };
        let r = build(base - Duration::days(1), base + Duration::days(25), &timesheet(json!(emps)), &[], opts);
        let sum_rows: i64 = r.rows.iter().map(|x| x.worked_minutes).sum();
        prop_assert_eq!(r.overall.worked_minutes, sum_rows);
        prop_assert_eq!(r.per_employee.iter().map(|t| t.worked_minutes).sum::<i64>(), sum_rows);
        prop_assert_eq!(r.per_week.iter().map(|t| t.worked_minutes).sum::<i64>(), sum_rows);
        prop_assert_eq!(r.overall.net_minutes, r.rows.iter().map(|x| x.net_minutes).sum::<i64>());
        for row in &r.rows {
            prop_assert!(row.worked_minutes >= 0);
            prop_assert_eq!(row.worked_minutes % opts.rounding.step(), 0);
        }
    }
}

#[test]
fn group_names_accept_every_shape_the_api_may_send() {
    assert_eq!(
        group_names(&json!(["Israel", " Support ", "Israel"])),
        vec!["Israel", "Support"]
    );
    assert_eq!(
        group_names(&json!([{"id": 4, "name": "Night shift"}, {"id": 7}, {"title": "Sales"}, 12])),
        vec!["Night shift", "7", "Sales", "12"]
    );
    assert_eq!(group_names(&json!("Belgium")), vec!["Belgium"]);
    assert!(group_names(&json!(null)).is_empty());
    assert!(group_names(&json!([null, {}, ""])).is_empty());
}

/// A session without a zone is read in the profile's default zone (given to the client), and its
/// day is flagged; other days are not.
#[test]
fn sessions_without_a_zone_use_the_default_zone_and_are_flagged() {
    let decoded: Vec<EmployeeTimesheet> = serde_json::from_value(json!([{
        "employeeNumber": 1001,
        "sessions": [
            {"startDate": "2025-07-01 08:00:00", "endDate": "2025-07-01 16:00:00", "timezone": null},
            {"startDate": "2025-07-02 08:00:00", "endDate": "2025-07-02 16:00:00", "timezone": "Asia/Jerusalem"}
        ]
    }]))
    .unwrap();
    let sheet = timebridge_timeclock::merge(vec![decoded], chrono_tz::Europe::Brussels);
    let r = build(
        d("2025-07-01"),
        d("2025-07-02"),
        &sheet,
        &[],
        ReportOptions::default(),
    );
    let first = row(&r, "2025-07-01");
    assert!(first.default_zone_used);
    assert_eq!(first.zone, "Europe/Brussels");
    assert!(!row(&r, "2025-07-02").default_zone_used);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("1001") && w.contains("default zone Europe/Brussels")),
        "{:?}",
        r.warnings
    );
}

/// Sent-at times and notes from extended-sessions join the timesheet punch with the same start;
/// absences keep approval and payroll codes.
#[test]
fn punch_details_and_absence_details_reach_the_day_row() {
    let mut s = session(
        "2025-01-24 08:00:00",
        Some("2025-01-24 16:00:00"),
        "Asia/Jerusalem",
    );
    s["locationType"] = json!("home");
    s["startSourceType"] = json!("phone");
    s["endSourceType"] = json!("web");
    let ext: Vec<EmployeeExtended> = serde_json::from_value(json!([{
        "employeeNumber": "1001",
        "sessions": [
            {"startDate": "2025-01-24 08:00:00", "startDateSentAt": "2025-01-24 08:00:03",
             "startNote": "from the car", "endDate": "2025-01-24 16:00:00",
             "endDateSentAt": "2025-01-24 16:00:01", "endNote": null, "isAbsence": false},
            {"startDate": "2025-01-25 00:00:00", "isAbsence": true, "absenceName": "Vacation",
             "absenceNote": "family", "absenceApprovedDate": "2025-01-20 09:00:00",
             "absenceApprovedManager": "Dana", "absenceCodeDays": "V1", "absenceCodeHors": null}
        ]
    }]))
    .unwrap();
    let r = build(
        d("2025-01-24"),
        d("2025-01-25"),
        &one(1001, vec![s]),
        &ext,
        ReportOptions::default(),
    );
    let day = row(&r, "2025-01-24");
    assert_eq!(day.punches.len(), 1);
    let p = &day.punches[0];
    assert_eq!(p.location.as_deref(), Some("home"));
    assert_eq!(p.sources().as_deref(), Some("phone → web"));
    assert_eq!(p.start_sent_at.as_deref(), Some("2025-01-24 08:00:03"));
    assert_eq!(p.start_note.as_deref(), Some("from the car"));
    assert!(!p.sent_late);
    let off = row(&r, "2025-01-25");
    assert_eq!(off.absences, vec!["Vacation".to_string()]);
    assert_eq!(
        off.absence_details[0].approval(),
        "approved 2025-01-20 09:00:00 by Dana"
    );
    assert_eq!(off.absence_details[0].codes().as_deref(), Some("days V1"));
}

/// The consuming build (what the fetch uses, to keep the peak down) gives the very report the
/// borrowing one does: rows with punch details, absences, groups and expected time.
#[test]
fn consuming_build_equals_borrowing_build() {
    let mut s = session(
        "2025-01-24 08:00:00",
        Some("2025-01-24 16:00:00"),
        "Asia/Jerusalem",
    );
    s["lunches"] = json!([{"startDate": "2025-01-24 12:00:00", "endDate": "2025-01-24 12:40:00"}]);
    s["workLogs"] = json!([{"name": "task", "startDate": "2025-01-24 08:10:00", "endDate": "2025-01-24 09:00:00"}]);
    let mut sheet = one(1001, vec![s.clone()]);
    sheet.extend(one(
        17,
        vec![s, session("2025-01-25 22:00:00", None, "UTC")],
    ));
    let ext: Vec<EmployeeExtended> = serde_json::from_value(json!([
        {"employeeNumber": "1001", "expectedSeconds": 28800, "groups": ["Night"], "sessions": [
            {"startDate": "2025-01-24 08:00:00", "startNote": "from the car", "isAbsence": false},
            {"startDate": "2025-01-25 00:00:00", "isAbsence": true, "absenceName": "Vacation"}]},
        {"employeeNumber": "17", "expectedSeconds": 3600, "sessions": []}
    ]))
    .unwrap();
    let (from, to) = (d("2025-01-24"), d("2025-01-25"));
    let borrowed = build(from, to, &sheet, &ext, ReportOptions::default());
    let consumed = build_consuming(from, to, sheet, ext, ReportOptions::default());
    assert_eq!(consumed, borrowed);
    assert_eq!(borrowed.rows.len(), 4, "{:?}", borrowed.rows);
    assert_eq!(borrowed.expected.len(), 2);
    assert_eq!(
        borrowed.expected[0].employee_number, "17",
        "sorted numerically"
    );
}
