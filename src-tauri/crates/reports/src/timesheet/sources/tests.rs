use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn tc_row(number: &str, email: &str, date: &str, worked: i64) -> DayRow {
    DayRow {
        email: Some(email.into()),
        sessions: 1,
        worked_minutes: worked,
        net_minutes: worked,
        ..empty_row(number, d(date))
    }
}

fn person(id: i64, name: &str, number: &str, email: &str) -> ProtimePerson {
    ProtimePerson {
        id,
        name: name.into(),
        employee_number: Some(number.into()),
        email: Some(email.into()),
    }
}

/// A day Protime counted `present` minutes between in and out, 30 of them a deducted break.
fn total(person_id: i64, date: &str, present: i64) -> CachedTotal {
    let calculated = present - 30;
    CachedTotal {
        id: person_id * 1000 + d(date).ordinal() as i64,
        person_id,
        date: d(date),
        change_version: "00000000000000000001".into(),
        normal_minutes: 480,
        present_minutes: present,
        calculated_minutes: calculated,
        flextime_minutes: calculated - 480,
        flextime_balance_minutes: 0,
        extra: Default::default(),
    }
}

/// 1001 matches; 1002 has another e-mail in Protime; 1003 is twice in Protime; 1004 only in
/// TimeClock; 2005 only in Protime.
fn fixture() -> (Report, Vec<ProtimePerson>, Vec<CachedTotal>) {
    let tc = summarize(
        d("2026-03-02"),
        d("2026-03-03"),
        ReportOptions::default(),
        vec![
            tc_row("1001", "ann@x.test", "2026-03-02", 483),
            tc_row("1001", "ann@x.test", "2026-03-03", 470),
            tc_row("1002", "bob@x.test", "2026-03-02", 480),
            tc_row("1003", "cy@x.test", "2026-03-02", 480),
            tc_row("1004", "dee@x.test", "2026-03-02", 300),
        ],
        vec![],
    );
    let people = vec![
        person(1, "Ann Peeters", "1001", "ANN@x.test"),
        person(2, "Bob Maes", "1002", "robert@elsewhere.test"),
        person(3, "Cy Claes", "1003", "cy@x.test"),
        person(4, "Cyril Claes", "1003", "cyril@x.test"),
        person(5, "Eve Lambert", "2005", "eve@x.test"),
    ];
    let totals = vec![
        total(1, "2026-03-02", 480),
        total(1, "2026-03-03", 480),
        total(1, "2026-03-04", 480), // outside the period
        total(2, "2026-03-02", 480),
        total(3, "2026-03-02", 480),
        total(5, "2026-03-02", 450),
    ];
    (tc, people, totals)
}

#[test]
fn people_are_matched_by_employee_number() {
    let (tc, people, _) = fixture();
    let m = match_people(&tc, &people);
    assert_eq!(
        (m.matched, m.conflicts, m.only_timeclock, m.only_protime),
        (1, 2, 1, 1)
    );
    let find = |n: &str| m.people.iter().find(|p| p.employee_number == n).unwrap();
    assert_eq!(
        find("1001").status,
        MatchStatus::Matched,
        "e-mail case ignored"
    );
    assert_eq!(find("1002").status, MatchStatus::Conflict);
    assert!(find("1002")
        .note
        .as_ref()
        .unwrap()
        .contains("robert@elsewhere.test"));
    assert_eq!(find("1003").status, MatchStatus::Conflict);
    assert_eq!(find("1003").protime_ids, vec![3, 4]);
    assert_eq!(find("1004").status, MatchStatus::OnlyTimeClock);
    assert_eq!(find("2005").status, MatchStatus::OnlyProtime);
    assert_eq!(m.people[0].status, MatchStatus::Conflict, "conflicts first");
    assert_eq!(m.people.last().unwrap().status, MatchStatus::Matched);
}

#[test]
fn merged_rows_compare_matched_people_within_tolerance() {
    let (tc, people, totals) = fixture();
    let r = merged_report(tc, &people, &totals, 5);
    let row = |n: &str, date: &str| {
        r.rows
            .iter()
            .find(|x| x.employee_number == n && x.date == date)
            .unwrap_or_else(|| panic!("{n} {date}"))
    };
    let a = row("1001", "2026-03-02");
    assert_eq!(a.difference_minutes, Some(3));
    assert!(!a.outside_tolerance, "3 minutes is within 5");
    assert_eq!(a.name.as_deref(), Some("Ann Peeters"));
    let b = row("1001", "2026-03-03");
    assert_eq!(b.difference_minutes, Some(-10));
    assert!(b.outside_tolerance);
    // Conflicts are never compared, one-sided people keep their own side.
    assert_eq!(row("1002", "2026-03-02").protime, None);
    assert_eq!(row("1002", "2026-03-02").difference_minutes, None);
    assert_eq!(row("1003", "2026-03-02").difference_minutes, None);
    assert_eq!(row("1004", "2026-03-02").protime, None);
    let eve = row("2005", "2026-03-02");
    assert_eq!(eve.worked_minutes, 0);
    assert_eq!(eve.protime.unwrap().present_minutes, 450);
    assert_eq!(eve.protime.unwrap().calculated_minutes, 420);
    assert_eq!(eve.difference_minutes, None);
    assert!(!r.rows.iter().any(|x| x.date == "2026-03-04"));
    // Every total is the sum of its rows.
    assert_eq!(r.overall.difference_minutes, -7);
    assert_eq!(r.overall.outside_tolerance, 1);
    assert_eq!(
        r.overall.calculated_minutes,
        r.rows
            .iter()
            .map(|x| x.protime.map_or(0, |p| p.calculated_minutes))
            .sum::<i64>()
    );
    assert_eq!(r.overall.calculated_minutes, 450 + 450 + 420);
    let ann = r.per_employee.iter().find(|t| t.key == "1001").unwrap();
    assert_eq!((ann.worked_minutes, ann.calculated_minutes), (953, 900));
    // A wider tolerance flags nothing.
    let (tc, people, totals) = fixture();
    let wide = merged_report(tc, &people, &totals, 15);
    assert_eq!(wide.overall.outside_tolerance, 0);
    assert_eq!(wide.matching.unwrap().matched, 1);
}

#[test]
fn protime_report_skips_blank_days_and_names_people() {
    let (_, people, mut totals) = fixture();
    totals.push(CachedTotal {
        normal_minutes: 0,
        present_minutes: 0,
        calculated_minutes: 0,
        flextime_minutes: 0,
        ..total(1, "2026-03-01", 0)
    });
    totals.push(total(99, "2026-03-02", 60)); // a person Protime no longer lists
    let r = protime_report(
        d("2026-03-01"),
        d("2026-03-03"),
        ReportOptions::default(),
        &people,
        &totals,
    );
    assert_eq!(r.source, ReportSource::Protime);
    assert_eq!(r.rows.len(), 6, "blank Sunday and 4 March left out");
    assert_eq!(r.rows[0].employee_number, "1001");
    assert_eq!(r.rows[0].name.as_deref(), Some("Ann Peeters"));
    assert!(r.rows.iter().any(|x| x.employee_number == "#99"));
    assert_eq!(
        r.overall.present_minutes,
        r.rows
            .iter()
            .map(|x| x.protime.unwrap().present_minutes)
            .sum::<i64>()
    );
    assert_eq!(r.overall.worked_minutes, 0);
}

use chrono::Datelike;

#[tokio::test]
async fn merged_week_from_the_sandbox() {
    let ws = timebridge_core::workspace::Workspace::open_builtin_sandbox(1)
        .await
        .unwrap();
    let to = chrono::Local::now().date_naive();
    let from = to - chrono::Duration::days(6);
    let period = timebridge_core::dates::Period::new(from.into(), to.into()).unwrap();
    let merged = super::super::service::report(
        &ws,
        period,
        ReportOptions::default(),
        SourceOptions {
            source: ReportSource::Merged,
            tolerance_minutes: 5,
        },
    )
    .await
    .unwrap();
    let m = merged.matching.as_ref().unwrap();
    assert_eq!(m.conflicts, 2, "{:?}", m.people);
    assert_eq!(m.only_protime, 1);
    assert!(m.only_timeclock >= 2, "{}", m.only_timeclock);
    assert!(m.matched >= 40, "most people match: {}", m.matched);
    // The sandbox's Protime clockings follow TimeClock 365's sessions for the people in both, apart
    // from about one seeded correction in 30 days: the highlight marks exceptions, not the norm.
    let compared = merged
        .rows
        .iter()
        .filter(|r| r.difference_minutes.is_some())
        .count();
    let flagged = merged.rows.iter().filter(|r| r.outside_tolerance).count();
    eprintln!("merged {from}..{to}: {flagged} of {compared} compared days beyond tolerance");
    assert!(compared > 200, "{compared}");
    assert!(
        flagged >= 1 && flagged * 10 <= compared,
        "{flagged} of {compared} flagged"
    );
    assert_eq!(
        merged.overall.difference_minutes,
        merged
            .rows
            .iter()
            .filter_map(|r| r.difference_minutes)
            .sum::<i64>()
    );
    // The cache was loaded once; the Protime report reads it without another load.
    let status = super::super::service::protime_cache_status(&ws, period).unwrap();
    assert!(status.last_synced.is_some() && status.rows > 0);
    let protime = super::super::service::report(
        &ws,
        period,
        ReportOptions::default(),
        SourceOptions {
            source: ReportSource::Protime,
            tolerance_minutes: 5,
        },
    )
    .await
    .unwrap();
    assert!(protime.rows.iter().all(|r| r.protime.is_some()));
    // For matched people, the merged report carries exactly Protime's minutes.
    let matched: std::collections::HashSet<&str> = m
        .people
        .iter()
        .filter(|p| p.status == MatchStatus::Matched)
        .map(|p| p.employee_number.as_str())
        .collect();
    let calculated = |r: &Report| {
        r.rows
            .iter()
            .filter(|x| matched.contains(x.employee_number.as_str()))
            .map(|x| x.protime.map_or(0, |p| p.calculated_minutes))
            .sum::<i64>()
    };
    assert!(calculated(&protime) > 0);
    assert_eq!(calculated(&protime), calculated(&merged));
    ws.close().await;
}

#[test]
fn exports_carry_the_protime_columns_and_their_totals() {
    use crate::timesheet::{csv_export, xlsx_export, CsvOptions, HoursFormat, XlsxOptions};
    use calamine::{Data, Reader};
    let (tc, people, totals) = fixture();
    let r = merged_report(tc, &people, &totals, 5);
    let csv = String::from_utf8(csv_export::write(&r, &CsvOptions::default()).unwrap()).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].ends_with(
        ";time_zone;name;normal_time;time_present;calculated_presence;flextime;flextime_balance;difference;outside_tolerance"
    ));
    let ann = lines
        .iter()
        .find(|l| l.starts_with("1001;") && l.contains("2026-03-03"))
        .unwrap();
    assert!(
        ann.ends_with(";Ann Peeters;8:00;8:00;7:30;-0:30;0:00;-0:10;yes"),
        "{ann}"
    );
    let all = lines.iter().find(|l| l.starts_with("All;")).unwrap();
    // normal 3 × 8:00, present 8:00 + 8:00 + 7:30, calculated 7:30 + 7:30 + 7:00, flextime
    // -0:30 - 0:30 - 1:00, no balance total, difference 3 - 10 = -0:07, one day outside tolerance.
    assert!(all.ends_with(";;24:00;23:30;22:00;-2:00;;-0:07;1"), "{all}");
    assert!(lines.last().unwrap().contains("tolerance 5 min"));

    let bytes = xlsx_export::write(
        &r,
        &XlsxOptions {
            hours: HoursFormat::Decimal,
            sheet_per_employee: false,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Timesheet").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header.len(), 22);
    assert_eq!(header[20], "Difference");
    let total_1001 = sheet
        .rows()
        .find(|row| row[0] == Data::String("Total".into()) && row[1] == Data::String("1001".into()))
        .unwrap();
    let number = |d: &Data| match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("{other:?}"),
    };
    assert!(
        (number(&total_1001[17]) - 15.0).abs() < 1e-9,
        "calculated 7.50 + 7.50"
    );
    assert!(
        (number(&total_1001[20]) - (0.05 - 0.17)).abs() < 1e-9,
        "difference 0.05 - 0.17"
    );
}

/// Protime's numbers zero-padded as text, TimeClock's plain: the same people match and every day
/// is compared, exactly as with identical numbers.
#[test]
fn zero_padded_protime_numbers_match_and_compare_every_day() {
    let (tc, people, totals) = fixture();
    let plain = merged_report(tc.clone(), &people, &totals, 5);
    let padded_people: Vec<ProtimePerson> = people
        .iter()
        .map(|p| ProtimePerson {
            employee_number: p.employee_number.as_ref().map(|n| format!(" 00{n}")),
            ..p.clone()
        })
        .collect();
    let padded = merged_report(tc.clone(), &padded_people, &totals, 5);
    let m = padded.matching.as_ref().unwrap();
    assert_eq!(
        (m.matched, m.conflicts, m.only_timeclock, m.only_protime),
        (1, 2, 1, 1)
    );
    let ann = m
        .people
        .iter()
        .find(|p| p.employee_number == "1001")
        .unwrap();
    assert_eq!(ann.status, MatchStatus::Matched);
    assert_eq!(ann.timeclock_number.as_deref(), Some("1001"));
    assert_eq!(ann.protime_numbers, vec![" 001001".to_string()]);
    assert!(m.rule.contains("leading zeros"));
    // Same rows, same comparisons: rows of matched people carry TimeClock's spelling.
    let compared = |r: &Report| {
        r.rows
            .iter()
            .filter(|x| x.difference_minutes.is_some())
            .map(|x| {
                (
                    x.employee_number.clone(),
                    x.date.clone(),
                    x.difference_minutes,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(compared(&padded), compared(&plain));
    assert_eq!(compared(&padded).len(), 2);
    assert_eq!(padded.overall, plain.overall);
    // A TimeClock number with padding matches a plain Protime one just as well.
    let padded_tc = summarize(
        d("2026-03-02"),
        d("2026-03-03"),
        ReportOptions::default(),
        tc.rows
            .iter()
            .map(|r| DayRow {
                employee_number: format!("0{}", r.employee_number),
                ..r.clone()
            })
            .collect(),
        vec![],
    );
    let m2 = match_people(&padded_tc, &people);
    assert_eq!(m2.matched, 1);
    // Non-numeric numbers are not stripped: "A01" and "A1" stay apart.
    let lettered = summarize(
        d("2026-03-02"),
        d("2026-03-03"),
        ReportOptions::default(),
        vec![tc_row("A01", "ann@x.test", "2026-03-02", 480)],
        vec![],
    );
    let m3 = match_people(&lettered, &[person(1, "Ann Peeters", "A1", "ann@x.test")]);
    assert_eq!((m3.matched, m3.only_timeclock, m3.only_protime), (0, 1, 1));
}

/// The merged report over the sandbox, once with Protime's numbers as TimeClock 365 writes them and
/// once zero-padded (`--protime-zero-padded-numbers`): the same people match and the very same days
/// are compared, with the same differences.
#[tokio::test]
async fn merged_report_over_zero_padded_sandbox_numbers_compares_every_day() {
    async fn merged(padded: bool) -> Report {
        let mut config = timebridge_sandbox::SandboxConfig {
            seed: 1,
            ..Default::default()
        };
        config.protime.zero_padded_numbers = padded;
        let sandbox = timebridge_sandbox::start(0, config).await.unwrap();
        let (protime, timeclock) =
            timebridge_core::workspace::clients_for_sandbox_url(&sandbox.base_url()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cache = crate::protime_totals::TotalsCache::open(&dir.path().join("t.db")).unwrap();
        // Up to yesterday: today's sessions are still being clocked and may differ between runs.
        let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
        let from = to - chrono::Duration::days(13);
        let side = ProtimeSide {
            client: &protime,
            cache: &cache,
            scope: "sandbox",
        };
        let r = build_report(
            SourceOptions {
                source: ReportSource::Merged,
                tolerance_minutes: 5,
            },
            Some(&timeclock),
            &side,
            from,
            to,
            ReportOptions::default(),
            std::time::Duration::ZERO,
        )
        .await
        .unwrap();
        sandbox.stop().await;
        r
    }
    let plain = merged(false).await;
    let padded = merged(true).await;
    let pm = padded.matching.as_ref().unwrap();
    assert!(
        pm.people
            .iter()
            .flat_map(|p| &p.protime_numbers)
            .all(|n| n.len() == 6 && n.starts_with('0')),
        "the switch pads every Protime number"
    );
    let pl = plain.matching.as_ref().unwrap();
    assert_eq!(
        (pm.matched, pm.conflicts, pm.only_timeclock, pm.only_protime),
        (pl.matched, pl.conflicts, pl.only_timeclock, pl.only_protime)
    );
    let compared = |r: &Report| {
        r.rows
            .iter()
            .filter(|x| x.difference_minutes.is_some())
            .map(|x| {
                (
                    x.employee_number.clone(),
                    x.date.clone(),
                    x.difference_minutes,
                )
            })
            .collect::<Vec<_>>()
    };
    assert!(compared(&plain).len() > 300, "{}", compared(&plain).len());
    assert_eq!(compared(&padded), compared(&plain));
    assert_eq!(padded.overall, plain.overall);
}

/// A Protime report over a period that starts before the change feed's reach: the early days come
/// from the filtered list (queries of at most a year), the rest from the feed, and both show up.
#[tokio::test]
async fn protime_totals_before_the_change_feed_come_from_the_list() {
    use timebridge_protime::models::{NewClocking, Ref};
    use timebridge_protime::ExternalReferences;
    let ws = timebridge_core::workspace::Workspace::open_builtin_sandbox(1)
        .await
        .unwrap();
    let today = chrono::Local::now().date_naive();
    let reach = crate::protime_totals::before_feed::feed_reaches_from(today);
    let (old, recent) = (
        reach - chrono::Duration::days(2),
        reach + chrono::Duration::days(1),
    );
    let person = 76505;
    for day in [old, recent] {
        for minutes in [480, 1020] {
            ws.protime
                .create_clocking(
                    &NewClocking::in_out(Ref::id(person), day, minutes),
                    &ExternalReferences::none(),
                )
                .await
                .unwrap();
        }
    }
    let (from, to) = (
        reach - chrono::Duration::days(5),
        reach + chrono::Duration::days(3),
    );
    let r = super::super::service::report(
        &ws,
        timebridge_core::dates::Period::new(from.into(), to.into()).unwrap(),
        ReportOptions::default(),
        SourceOptions {
            source: ReportSource::Protime,
            tolerance_minutes: 5,
        },
    )
    .await
    .unwrap();
    let present = |day: NaiveDate| {
        r.rows
            .iter()
            .find(|x| {
                x.date == day.to_string() && x.protime.is_some_and(|p| p.present_minutes == 540)
            })
            .is_some()
    };
    assert!(
        present(old),
        "the day before the feed's reach: {:?}",
        r.rows
    );
    assert!(present(recent), "the day within the feed's reach");
    assert!(
        r.warnings.iter().any(|w| w.contains("list")),
        "{:?}",
        r.warnings
    );
    let asked = ws.sandbox_handle().unwrap().protime.received();
    let list_queries: Vec<&String> = asked
        .iter()
        .map(|q| &q.path_and_query)
        .filter(|p| p.contains("/calculated-totals?") && !p.contains("delta"))
        .collect();
    assert!(
        list_queries
            .iter()
            .any(|p| p.contains(&old.to_string()) || p.contains(&from.to_string())),
        "{list_queries:?}"
    );
    ws.close().await;
}
