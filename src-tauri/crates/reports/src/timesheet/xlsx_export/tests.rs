use super::sheet_names::{sheet_names, SHEET_NAME_MAX};
use super::*;
use crate::timesheet::engine::ReportOptions;
use calamine::{Data, Reader, Xlsx};

fn row(n: &str, date: &str, worked: i64) -> DayRow {
    DayRow {
        employee_number: n.into(),
        email: None,
        date: date.into(),
        iso_week: "2025-W07".into(),
        first_in: Some("08:00".into()),
        last_out: Some("16:00".into()),
        sessions: 1,
        worked_minutes: worked,
        lunch_minutes: 0,
        net_minutes: worked,
        lunch_outside_minutes: 0,
        absences: vec![],
        open_session: false,
        zone: "Asia/Jerusalem".into(),
        work_logs: vec![],
        name: None,
        groups: vec![],
        protime: None,
        difference_minutes: None,
        outside_tolerance: false,
        punches: vec![],
        absence_details: vec![],
        default_zone_used: false,
    }
}

fn report() -> Report {
    let rows = vec![
        row("1001", "2025-02-10", 481),
        row("1001", "2025-02-11", 1),
        row("1002", "2025-02-10", 1),
    ];
    let mut per_employee = vec![
        Totals {
            key: "1001".into(),
            days: 2,
            sessions: 2,
            worked_minutes: 482,
            lunch_minutes: 0,
            net_minutes: 482,
            open_sessions: 0,
            ..Default::default()
        },
        Totals {
            key: "1002".into(),
            days: 1,
            sessions: 1,
            worked_minutes: 1,
            lunch_minutes: 0,
            net_minutes: 1,
            open_sessions: 0,
            ..Default::default()
        },
    ];
    let overall = Totals {
        key: "All".into(),
        days: 3,
        sessions: 3,
        worked_minutes: 483,
        lunch_minutes: 0,
        net_minutes: 483,
        open_sessions: 0,
        ..Default::default()
    };
    let per_week = vec![Totals {
        key: "2025-W07".into(),
        ..overall.clone()
    }];
    per_employee.sort_by(|a, b| a.key.cmp(&b.key));
    Report {
        from: "2025-02-10".parse().unwrap(),
        to: "2025-02-16".parse().unwrap(),
        options: ReportOptions::default(),
        rows,
        per_employee,
        per_week,
        overall,
        warnings: vec![],
        source: Default::default(),
        tolerance_minutes: 0,
        matching: None,
        expected: vec![],
    }
}

fn read(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap()
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        // `[h]:mm` cells come back as Excel durations: what payroll's spreadsheet sees.
        Data::DateTime(d) => {
            assert!(d.is_duration(), "{d:?}");
            d.as_f64()
        }
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn round_trip_with_time_cells_and_totals() {
    let bytes = write(
        &report(),
        &XlsxOptions {
            hours: HoursFormat::HoursMinutes,
            sheet_per_employee: true,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    let mut wb = read(bytes);
    assert_eq!(
        wb.sheet_names(),
        vec!["Summary", "Timesheet", "1001", "1002"]
    );
    let sheet = wb.worksheet_range("Timesheet").unwrap();
    assert_eq!(sheet.get((0, 7)), Some(&Data::String("Worked".into())));
    // Rows, then the 1001 total, then 1002 and its total.
    let minutes = |r: usize| (number(sheet.get((r, 7)).unwrap()) * 1440.0).round() as i64;
    assert_eq!((minutes(1), minutes(2), minutes(3)), (481, 1, 482));
    assert_eq!(sheet.get((3, 0)), Some(&Data::String("Total".into())));
    assert_eq!(minutes(5), 1);
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(
        summary.get((1, 0)),
        Some(&Data::String("Period 2025-02-10 to 2025-02-16".into()))
    );
}

#[test]
fn sheet_names_never_collide_after_cleaning_and_truncation() {
    let long_a = "Maria-Theresia Vandenbroucke-Janssens A";
    let long_b = "Maria-Theresia Vandenbroucke-Janssens B";
    let names = sheet_names(
        &[
            long_a, long_b, "summary", "a[b]", "A:B", "'quoted'", "??", "HISTORY",
        ],
        &["Summary", "Timesheet"],
    );
    assert_eq!(names[0], "Maria-Theresia Vandenbroucke-Ja");
    assert_eq!(names[1], "Maria-Theresia Vandenbrouck (2)");
    assert_eq!(
        names[2], "summary (2)",
        "unique ignoring case, also against Summary"
    );
    assert_eq!(names[3], "ab");
    assert_eq!(names[4], "AB (2)");
    assert_eq!(names[5], "quoted");
    assert_eq!(names[6], "Employee");
    assert_eq!(names[7], "HISTORY (2)", "History is reserved by Excel");
    let lower: std::collections::HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(lower.len(), names.len());
    assert!(names.iter().all(|n| n.chars().count() <= SHEET_NAME_MAX));

    // And a workbook with two such people opens with both sheets.
    let mut r = report();
    r.rows[0].employee_number = long_a.into();
    r.rows[1].employee_number = long_a.into();
    r.rows[2].employee_number = long_b.into();
    r.per_employee[0].key = long_a.into();
    r.per_employee[1].key = long_b.into();
    let bytes = write(
        &r,
        &XlsxOptions {
            hours: HoursFormat::HoursMinutes,
            sheet_per_employee: true,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(read(bytes).sheet_names().len(), 4);
}

#[test]
fn hostile_text_is_written_as_text_cells_not_formulas() {
    let mut r = report();
    r.rows[0].employee_number = "=1+1".into();
    r.rows[0].email = Some("=HYPERLINK(\"http://evil.test\",\"x\")".into());
    r.rows[0].absences = vec!["@SUM(A1:A2)".into()];
    r.rows[1].name = Some("-2+3".into());
    r.source = ReportSource::Merged;
    let bytes = write(
        &r,
        &XlsxOptions {
            hours: HoursFormat::HoursMinutes,
            sheet_per_employee: false,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    let mut wb = read(bytes);
    let sheet = wb.worksheet_range("Timesheet").unwrap();
    assert_eq!(sheet.get((1, 0)), Some(&Data::String("=1+1".into())));
    assert_eq!(
        sheet.get((1, 1)),
        Some(&Data::String(
            "=HYPERLINK(\"http://evil.test\",\"x\")".into()
        ))
    );
    assert_eq!(
        sheet.get((1, 11)),
        Some(&Data::String("@SUM(A1:A2)".into()))
    );
    let formulas = wb.worksheet_formula("Timesheet").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell holds a formula"
    );
}

#[test]
fn decimal_totals_are_the_sum_of_displayed_rows() {
    let bytes = write(
        &report(),
        &XlsxOptions {
            hours: HoursFormat::Decimal,
            sheet_per_employee: false,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    let mut wb = read(bytes);
    let sheet = wb.worksheet_range("Timesheet").unwrap();
    let v = |r: usize| number(sheet.get((r, 7)).unwrap());
    // 481 min = 8.02 h, 1 min = 0.02 h: the total shows 8.04 (the sum of what is shown), not 8.03.
    assert_eq!((v(1), v(2), v(3)), (8.02, 0.02, 8.04));
    assert_eq!(wb.sheet_names(), vec!["Summary", "Timesheet"]);
}

/// The Summary sheet's worked figures are the sums of the rows' displayed units per employee, per
/// ISO week and overall (gathered in one pass); an employee numbered "All" gets their own rows,
/// not everyone's.
#[test]
fn summary_sums_per_employee_week_and_overall_in_displayed_units() {
    let mut r = report();
    r.rows[2].employee_number = "All".into();
    r.rows[1].iso_week = "2025-W08".into();
    r.per_employee[1].key = "All".into();
    r.per_week = vec![
        Totals {
            key: "2025-W07".into(),
            ..Default::default()
        },
        Totals {
            key: "2025-W08".into(),
            ..Default::default()
        },
    ];
    let bytes = write(
        &r,
        &XlsxOptions {
            hours: HoursFormat::Decimal,
            sheet_per_employee: false,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    let mut wb = read(bytes);
    let summary = wb.worksheet_range("Summary").unwrap();
    let worked_of = |key: &str, after: usize| -> f64 {
        let row = (after..summary.height())
            .find(|&i| summary.get((i, 0)) == Some(&Data::String(key.into())))
            .unwrap_or_else(|| panic!("no summary line {key}"));
        number(summary.get((row, 3)).unwrap())
    };
    let title = |t: &str| {
        (0..summary.height())
            .find(|&i| summary.get((i, 0)) == Some(&Data::String(t.into())))
            .unwrap()
    };
    let (employees, weeks, overall) = (
        title("Per employee"),
        title("Per ISO week"),
        title("Overall"),
    );
    // 481 min = 8.02 h and 1 min = 0.02 h as displayed: 8.04, not 8.03 (482 min).
    assert_eq!(worked_of("1001", employees), 8.04);
    assert_eq!(
        worked_of("All", employees),
        0.02,
        "only the rows of employee All"
    );
    assert_eq!(
        worked_of("2025-W07", weeks),
        8.04,
        "1001's first day and All's"
    );
    assert_eq!(worked_of("2025-W08", weeks), 0.02);
    assert_eq!(worked_of("All", overall), 8.06);
}
