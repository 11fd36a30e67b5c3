//! The four example responses of the official guide (`shared/seeds/timeclock365-api-he.txt`),
//! copied byte for byte into `tests/fixtures/`, decode exactly through the client's envelope decoder.

use chrono::{Duration, NaiveDateTime};
use timebridge_timeclock::models::Record;
use timebridge_timeclock::{
    decode_response, merge, EmployeeExtended, EmployeeLunches, EmployeeSessions, EmployeeTimesheet,
    LocationType, SourceType,
};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

const BRU: chrono_tz::Tz = chrono_tz::Europe::Brussels;

#[test]
fn sessions_example() {
    let raw = include_bytes!("fixtures/seed_sessions.json");
    let v: Vec<EmployeeSessions> = decode_response(raw, 121).unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].employee_number.as_deref(), Some("1265"));
    assert_eq!(v[0].email.as_deref(), Some("email@mail.com"));
    assert_eq!(v[1].employee_number.as_deref(), Some("1267"));
    assert_eq!(v[1].email.as_deref(), Some("example@mail.com"));
    for e in &v {
        assert_eq!(e.sessions.len(), 2);
        let s = &e.sessions[0];
        assert_eq!(s.start_date, t("2024-10-09 08:12:34"));
        assert_eq!(s.end_date, Some(t("2024-10-09 17:18:34")));
        assert_eq!(s.timezone.as_deref(), Some("Asia/Jerusalem"));
        assert_eq!(s.location_type, Some(LocationType::Office));
        assert_eq!(s.start_source_type, Some(SourceType::Web));
        assert_eq!(s.end_source_type, Some(SourceType::Phone));
        assert_eq!(e.sessions[1].start_date, t("2024-10-10 08:12:34"));
    }
    // Merged and resolved: 9 h 6 min in Jerusalem, UTC+3 in October 2024.
    let merged = merge(vec![v], BRU);
    let span = merged[0].sessions[0].span.as_ref().unwrap();
    assert_eq!(span.duration(), Some(Duration::seconds(9 * 3600 + 6 * 60)));
    assert_eq!(span.start.to_rfc3339(), "2024-10-09T08:12:34+03:00");
    assert!(span.warnings.is_empty());
}

#[test]
fn lunches_example() {
    let raw = include_bytes!("fixtures/seed_lunches.json");
    let v: Vec<EmployeeLunches> = decode_response(raw, 122).unwrap();
    assert_eq!(v.len(), 2);
    let l = &v[0].sessions[0];
    assert_eq!(l.start_date, t("2024-10-09 12:12:34"));
    assert_eq!(l.end_date, Some(t("2024-10-09 12:48:34")));
    assert_eq!(l.timezone.as_deref(), Some("Asia/Jerusalem"));
    assert_eq!(v[0].sessions[1].end_date, Some(t("2024-10-10 12:51:34")));
    assert_eq!(v[1].sessions[0].end_date, Some(t("2024-10-09 13:10:34")));
    assert_eq!(v[1].sessions[1].end_date, Some(t("2024-10-10 12:28:34")));
    let mut l = l.clone();
    l.resolve(BRU);
    assert_eq!(
        l.span.unwrap().duration(),
        Some(Duration::minutes(36)),
        "lunch in its own zone"
    );
}

#[test]
fn timesheet_example() {
    let raw = include_bytes!("fixtures/seed_timesheet.json");
    let v: Vec<EmployeeTimesheet> = decode_response(raw, 123).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].employee_number.as_deref(), Some("1265"));
    let s = &v[0].sessions[0];
    assert_eq!(s.location_type, Some(LocationType::Office));
    assert_eq!(s.lunches.len(), 1);
    assert_eq!(s.lunches[0].start_date, t("2024-10-09 12:12:34"));
    assert_eq!(
        s.lunches[0].timezone, None,
        "nested lunches carry no zone in the guide"
    );
    assert_eq!(s.work_logs.len(), 2);
    assert_eq!(s.work_logs[0].name.as_deref(), Some("task"));
    assert_eq!(s.work_logs[0].external_id.as_deref(), Some("DR-4258"));
    assert_eq!(s.work_logs[1].name.as_deref(), Some("task 1"));
    assert_eq!(s.work_logs[1].external_id.as_deref(), Some("DR-4259"));
    assert_eq!(s.work_logs[1].start_date, t("2024-10-09 12:55:34"));
    assert_eq!(s.work_logs[1].end_date, Some(t("2024-10-09 17:10:34")));
    // Nested records take the parent session's zone, not the default (Brussels is UTC+2 here).
    let merged = merge(vec![v], BRU);
    let s = &merged[0].sessions[0];
    let w = s.work_logs[0].span.as_ref().unwrap();
    assert_eq!(w.zone, chrono_tz::Asia::Jerusalem);
    assert_eq!(w.start.to_rfc3339(), "2024-10-09T08:15:34+03:00");
    assert!(w.warnings.is_empty());
    assert_eq!(
        s.lunches[0].span.as_ref().unwrap().zone,
        chrono_tz::Asia::Jerusalem
    );
}

#[test]
fn extended_sessions_example() {
    // `result` comes before `id` here, and the zone is written `Asia\/Jerusalem`.
    let raw = include_bytes!("fixtures/seed_extended_sessions.json");
    assert!(std::str::from_utf8(raw)
        .unwrap()
        .contains(r"Asia\/Jerusalem"));
    let v: Vec<EmployeeExtended> = decode_response(raw, 124).unwrap();
    assert_eq!(v.len(), 1);
    let e = &v[0];
    assert_eq!(e.id.as_deref(), Some("21814"));
    assert_eq!(e.employee_number.as_deref(), Some("31394"));
    assert_eq!(e.email.as_deref(), Some("s7654321@mail.ru"));
    assert_eq!(e.passport.as_deref(), Some("Elena21814"));
    assert_eq!(e.groups, Some(serde_json::json!([])));
    assert_eq!(e.work_started_at.as_deref(), Some("2010-01-03"));
    assert_eq!(e.work_ended_at, None);
    assert_eq!(e.birthday.as_deref(), Some("1990-12-13"));
    assert_eq!(e.gender.as_deref(), Some("female"));
    assert_eq!(e.total_worked_seconds, Some(10956));
    assert_eq!(e.total_leave_seconds, Some(0));
    assert_eq!(e.expected_seconds, Some(0));
    let s = &e.sessions[0];
    assert_eq!(s.start_date, t("2025-01-24 12:35:50"));
    assert_eq!(s.start_date_sent_at, Some(t("2025-01-24 12:35:50")));
    assert_eq!(s.start_note, None);
    assert_eq!(s.end_date, Some(t("2025-01-24 15:38:12")));
    assert_eq!(s.end_date_sent_at, Some(t("2025-01-24 15:38:12")));
    assert_eq!(s.duration, Some(10942));
    assert_eq!(s.timezone.as_deref(), Some("Asia/Jerusalem"));
    assert_eq!(s.location_type, Some(LocationType::Office));
    assert_eq!(s.end_source_type, Some(SourceType::Web));
    assert_eq!(s.is_absence, Some(false));
    assert_eq!(s.absence_name, None);
    assert_eq!(s.absence_code_days, None);
    assert_eq!(s.absence_code_hours, None);
    let mut s = s.clone();
    s.resolve(BRU);
    assert_eq!(
        s.span.unwrap().duration(),
        Some(Duration::seconds(10942)),
        "duration matches the API's"
    );
    // Personal data never prints.
    let dbg = format!("{e:?}");
    assert!(!dbg.contains("Elena21814") && !dbg.contains("1990-12-13") && !dbg.contains("mail.ru"));
}

#[test]
fn drift_is_tolerated() {
    let raw = br#"{"jsonrpc":"2.0","id":5,"result":[
      {"employeeNumber":"01267","sessions":[
        {"startDate":"2024-10-10T08:00:00","endDate":null,"timezone":"","locationType":"HOME","startSourceType":"kiosk"},
        {"startDate":"2024-10-11 08:00:00.250","endDate":"","locationType":null},
        {"startDate":"2024-10-12 08:00:00","endDate":"0000-00-00 00:00:00","extra":{"x":1}},
        {"startDate":"2024-10-13 08:00:00"}]},
      {"employeeNumber":1265,"email":null,"sessions":null},
      {"employeeNumber":1266}],"extraTop":true}"#;
    let v: Vec<EmployeeSessions> = decode_response(raw, 5).unwrap();
    assert_eq!(v[0].employee_number.as_deref(), Some("01267"));
    assert!(v[0].sessions.iter().all(|s| s.is_open()));
    assert_eq!(v[0].sessions[0].location_type, Some(LocationType::Home));
    assert_eq!(
        v[0].sessions[0].start_source_type,
        Some(SourceType::Other("kiosk".into()))
    );
    assert_eq!(
        v[0].sessions[1].start_date,
        t("2024-10-11 08:00:00") + Duration::milliseconds(250)
    );
    assert!(v[1].sessions.is_empty() && v[2].sessions.is_empty());
    // An empty zone falls back to the company default, with a warning; employees sort numerically.
    let merged = merge(vec![v], chrono_tz::Asia::Jerusalem);
    let numbers: Vec<_> = merged
        .iter()
        .map(|e| e.employee_number.clone().unwrap())
        .collect();
    assert_eq!(numbers, ["1265", "1266", "01267"]);
    let span = merged[2].sessions[0].span.as_ref().unwrap();
    assert_eq!(span.zone, chrono_tz::Asia::Jerusalem);
    assert!(matches!(
        span.warnings[0],
        timebridge_timeclock::ZoneWarning::DefaultZone { .. }
    ));

    let raw = br#"{"jsonrpc":"2.0","id":6,"result":[{"id":"7","employeeNumber":42,"groups":[{"id":1,"name":"A"},"B"],
      "totalWorkedSeconds":"3600","sessions":[{"startDate":"2025-01-24 08:00:00","endDate":"2025-01-24 09:00:00",
      "duration":"3600","isAbsence":1,"absenceName":"Vacation","absenceCodeHours":201,"absenceCodeDays":"101",
      "absenceApprovedManager":17,"timezone":"Europe\/Brussels"}]}]}"#;
    let v: Vec<EmployeeExtended> = decode_response(raw, 6).unwrap();
    let s = &v[0].sessions[0];
    assert_eq!(v[0].employee_number.as_deref(), Some("42"));
    assert_eq!(v[0].total_worked_seconds, Some(3600));
    assert_eq!(s.duration, Some(3600));
    assert!(s.is_absence());
    assert_eq!(s.absence_code_hours.as_deref(), Some("201"));
    assert_eq!(s.absence_code_days.as_deref(), Some("101"));
    assert_eq!(s.absence_approved_manager.as_deref(), Some("17"));
    assert_eq!(s.timezone.as_deref(), Some("Europe/Brussels"));
}

#[test]
fn envelope_errors() {
    use timebridge_timeclock::ErrorKind;
    let e = decode_response::<Vec<EmployeeSessions>>(br#"{"jsonrpc":"2.0","id":9,"result":[]}"#, 8)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(e.message.contains("another request"), "{}", e.message);
    let e = decode_response::<Vec<EmployeeSessions>>(
        br#"{"jsonrpc":"2.0","id":8,"error":{"code":-32001,"message":"Unauthorized","data":{"why":"expired"}}}"#,
        8,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(e.rpc_data, Some(serde_json::json!({"why":"expired"})));
    let e = decode_response::<Vec<EmployeeSessions>>(b"<html>oops</html>", 8).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Decode);
    assert!(!e.is_transient());
    let e =
        decode_response::<Vec<EmployeeSessions>>(br#"{"jsonrpc":"2.0","id":8,"result":[{"emp"#, 8)
            .unwrap_err();
    assert!(e.is_transient(), "a cut-off body is worth a retry");
    let e = decode_response::<Vec<EmployeeSessions>>(
        br#"{"jsonrpc":"2.0","id":8,"result":[{"sessions":[{"endDate":"x"}]}]}"#,
        8,
    )
    .unwrap_err();
    assert!(e.message.contains("unexpected shape"), "{}", e.message);
    let ok: Vec<EmployeeSessions> =
        decode_response(br#"{"jsonrpc":"2.0","id":8,"result":null}"#, 8).unwrap();
    assert!(ok.is_empty());
}
