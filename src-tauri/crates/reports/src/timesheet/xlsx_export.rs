//! XLSX for payroll: real numeric cells (durations as Excel time with `[h]:mm`, or decimal hours with
//! `0.00`), a frozen header row, an autofilter, a total row after each employee, a Summary sheet
//! (per employee, per ISO week, overall, with the period and rounding stated) and optionally one
//! sheet per employee. Totals are written as values computed from the rows' displayed units, so they
//! equal the sum of the rows exactly, also for decimal hours. The optional columns the user chose
//! ([`super::optional_columns`]) come last.

use super::csv_export::HoursFormat;
use super::engine::{DayRow, NightShifts, ProtimeDay, Report, ReportSource, RoundingScope, Totals};
use super::optional_columns::{self, Cell, OptionalColumn};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct XlsxOptions {
    pub hours: HoursFormat,
    pub sheet_per_employee: bool,
    /// Optional columns to add ([`optional_columns::ALL`] gives their order).
    #[serde(default)]
    pub extra_columns: Vec<OptionalColumn>,
}

const HEADERS: [&str; 14] = [
    "Employee",
    "Email",
    "Date",
    "ISO week",
    "First in",
    "Last out",
    "Sessions",
    "Worked",
    "Lunch",
    "Net",
    "Lunch outside sessions",
    "Absences",
    "Open session",
    "Time zone",
];

/// The cell value of a duration: a fraction of a day (`[h]:mm`) or hundredths-rounded hours.
fn value(minutes: i64, hours: HoursFormat) -> f64 {
    match hours {
        HoursFormat::HoursMinutes => minutes as f64 / 1440.0,
        HoursFormat::Decimal => centihours(minutes) as f64 / 100.0,
    }
}

fn centihours(minutes: i64) -> i64 {
    let scaled = minutes * 100;
    if scaled >= 0 {
        (scaled + 30) / 60
    } else {
        -((-scaled + 30) / 60)
    }
}

/// Sum of the displayed units of the rows, as a cell value.
fn total_value(rows: &[&DayRow], f: impl Fn(&DayRow) -> i64, hours: HoursFormat) -> f64 {
    match hours {
        HoursFormat::HoursMinutes => rows.iter().map(|r| f(r)).sum::<i64>() as f64 / 1440.0,
        HoursFormat::Decimal => rows.iter().map(|r| centihours(f(r))).sum::<i64>() as f64 / 100.0,
    }
}

/// Protime and merged reports add these after "Time zone" (merged: all eight, Protime: six).
const EXTRA_HEADERS: [&str; 8] = [
    "Name",
    "Normal time",
    "Time present",
    "Calculated presence",
    "Flextime",
    "Flextime balance",
    "Difference",
    "Outside tolerance",
];

/// The Protime durations of a row that totals add up (the balance is a running figure, not added).
const PROTIME_SUMMED: [fn(&ProtimeDay) -> i64; 4] = [
    |p| p.normal_minutes,
    |p| p.present_minutes,
    |p| p.calculated_minutes,
    |p| p.flextime_minutes,
];

struct Formats {
    hours: HoursFormat,
    /// How many of [`EXTRA_HEADERS`] the report has.
    extra: usize,
    /// The optional columns written after them.
    optional: Vec<OptionalColumn>,
    header: Format,
    duration: Format,
    bold: Format,
    bold_duration: Format,
}

fn formats(hours: HoursFormat, source: ReportSource, optional: Vec<OptionalColumn>) -> Formats {
    let num = match hours {
        HoursFormat::HoursMinutes => "[h]:mm",
        HoursFormat::Decimal => "0.00",
    };
    Formats {
        hours,
        extra: match source {
            ReportSource::TimeClock => 0,
            ReportSource::Protime => 6,
            ReportSource::Merged => 8,
        },
        optional,
        header: Format::new().set_bold(),
        duration: Format::new().set_num_format(num),
        bold: Format::new().set_bold(),
        bold_duration: Format::new().set_bold().set_num_format(num),
    }
}

fn write_rows(ws: &mut Worksheet, rows: &[&DayRow], fm: &Formats) -> Result<u32, XlsxError> {
    let headers: Vec<&str> = HEADERS
        .iter()
        .chain(EXTRA_HEADERS[..fm.extra].iter())
        .copied()
        .chain(fm.optional.iter().map(|c| c.title()))
        .collect();
    let first_optional = (14 + fm.extra) as u16;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &fm.header)?;
    }
    for c in 14..headers.len() {
        ws.set_column_width(c as u16, if c == 14 { 22.0 } else { 12.0 })?;
    }
    let widths = [
        11.0, 28.0, 11.0, 10.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 12.0, 24.0, 12.0, 16.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut r: u32 = 1;
    let mut start = 0;
    for (i, row) in rows.iter().enumerate() {
        ws.write_string(r, 0, &row.employee_number)?;
        ws.write_string(r, 1, row.email.as_deref().unwrap_or(""))?;
        ws.write_string(r, 2, &row.date)?;
        ws.write_string(r, 3, &row.iso_week)?;
        ws.write_string(r, 4, row.first_in.as_deref().unwrap_or(""))?;
        ws.write_string(r, 5, row.last_out.as_deref().unwrap_or(""))?;
        ws.write_number(r, 6, row.sessions)?;
        ws.write_number_with_format(r, 7, value(row.worked_minutes, fm.hours), &fm.duration)?;
        ws.write_number_with_format(r, 8, value(row.lunch_minutes, fm.hours), &fm.duration)?;
        ws.write_number_with_format(r, 9, value(row.net_minutes, fm.hours), &fm.duration)?;
        ws.write_number_with_format(
            r,
            10,
            value(row.lunch_outside_minutes, fm.hours),
            &fm.duration,
        )?;
        ws.write_string(r, 11, row.absences.join(" | "))?;
        ws.write_string(r, 12, if row.open_session { "yes" } else { "no" })?;
        ws.write_string(r, 13, &row.zone)?;
        if fm.extra > 0 {
            ws.write_string(r, 14, row.name.as_deref().unwrap_or(""))?;
            if let Some(p) = &row.protime {
                for (k, f) in PROTIME_SUMMED.iter().enumerate() {
                    ws.write_number_with_format(
                        r,
                        15 + k as u16,
                        value(f(p), fm.hours),
                        &fm.duration,
                    )?;
                }
                ws.write_number_with_format(
                    r,
                    19,
                    value(p.flextime_balance_minutes, fm.hours),
                    &fm.duration,
                )?;
            }
        }
        if fm.extra > 6 {
            if let Some(d) = row.difference_minutes {
                ws.write_number_with_format(r, 20, value(d, fm.hours), &fm.duration)?;
            }
            ws.write_string(r, 21, if row.outside_tolerance { "yes" } else { "no" })?;
        }
        for (k, c) in fm.optional.iter().enumerate() {
            let col = first_optional + k as u16;
            match c.cell(row) {
                Cell::Minutes(Some(m)) => {
                    ws.write_number_with_format(r, col, value(m, fm.hours), &fm.duration)?;
                }
                Cell::Minutes(None) => {}
                Cell::Text(t) => {
                    ws.write_string(r, col, t)?;
                }
            }
        }
        r += 1;
        let last = rows
            .get(i + 1)
            .is_none_or(|n| n.employee_number != row.employee_number);
        if last {
            let group = &rows[start..=i];
            ws.write_string_with_format(r, 0, "Total", &fm.bold)?;
            ws.write_string_with_format(r, 1, &row.employee_number, &fm.bold)?;
            ws.write_number_with_format(
                r,
                6,
                group.iter().map(|x| x.sessions).sum::<u32>(),
                &fm.bold,
            )?;
            ws.write_number_with_format(
                r,
                7,
                total_value(group, |x| x.worked_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            ws.write_number_with_format(
                r,
                8,
                total_value(group, |x| x.lunch_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            ws.write_number_with_format(
                r,
                9,
                total_value(group, |x| x.net_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            ws.write_number_with_format(
                r,
                10,
                total_value(group, |x| x.lunch_outside_minutes, fm.hours),
                &fm.bold_duration,
            )?;
            if fm.extra > 0 {
                for (k, f) in PROTIME_SUMMED.iter().enumerate() {
                    ws.write_number_with_format(
                        r,
                        15 + k as u16,
                        total_value(group, |x| x.protime.as_ref().map_or(0, f), fm.hours),
                        &fm.bold_duration,
                    )?;
                }
            }
            if fm.extra > 6 {
                ws.write_number_with_format(
                    r,
                    20,
                    total_value(group, |x| x.difference_minutes.unwrap_or(0), fm.hours),
                    &fm.bold_duration,
                )?;
                ws.write_number_with_format(
                    r,
                    21,
                    group.iter().filter(|x| x.outside_tolerance).count() as u32,
                    &fm.bold,
                )?;
            }
            for (k, c) in fm.optional.iter().enumerate() {
                if c.is_duration() {
                    let minutes = |x: &DayRow| match c.cell(x) {
                        Cell::Minutes(m) => m.unwrap_or(0),
                        Cell::Text(_) => 0,
                    };
                    ws.write_number_with_format(
                        r,
                        first_optional + k as u16,
                        total_value(group, minutes, fm.hours),
                        &fm.bold_duration,
                    )?;
                }
            }
            r += 1;
            start = i + 1;
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), (headers.len() - 1) as u16)?;
    Ok(r)
}

fn summary_table(
    ws: &mut Worksheet,
    at: u32,
    title: &str,
    totals: &[&Totals],
    rows: &[&DayRow],
    key_of: impl Fn(&DayRow) -> &str,
    fm: &Formats,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(at, 0, title, &fm.bold)?;
    for (c, h) in [
        "",
        "Days",
        "Sessions",
        "Worked",
        "Lunch",
        "Net",
        "Open sessions",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(at + 1, c as u16, *h, &fm.header)?;
    }
    let mut r = at + 2;
    for t in totals {
        let group: Vec<&DayRow> = rows
            .iter()
            .copied()
            .filter(|x| t.key == "All" || key_of(x) == t.key)
            .collect();
        ws.write_string(r, 0, &t.key)?;
        ws.write_number(r, 1, t.days)?;
        ws.write_number(r, 2, t.sessions)?;
        ws.write_number_with_format(
            r,
            3,
            total_value(&group, |x| x.worked_minutes, fm.hours),
            &fm.duration,
        )?;
        ws.write_number_with_format(
            r,
            4,
            total_value(&group, |x| x.lunch_minutes, fm.hours),
            &fm.duration,
        )?;
        ws.write_number_with_format(
            r,
            5,
            total_value(&group, |x| x.net_minutes, fm.hours),
            &fm.duration,
        )?;
        ws.write_number(r, 6, t.open_sessions)?;
        r += 1;
    }
    Ok(r + 1)
}

/// Excel's limit on a sheet name's length, in characters.
const SHEET_NAME_MAX: usize = 31;

/// One sheet name per key, in order, that Excel accepts: at most 31 characters, none of
/// `[]:*?/\` or control characters, no apostrophe at either end, not `History` (reserved by
/// Excel), and unique ignoring case, also against `taken` (the workbook's other sheets). Keys that
/// collide after cleaning get ` (2)`, ` (3)`, … within the 31 characters.
fn sheet_names(keys: &[&str], taken: &[&str]) -> Vec<String> {
    let mut used: std::collections::HashSet<String> =
        taken.iter().map(|t| t.to_lowercase()).collect();
    used.insert("history".into());
    keys.iter()
        .map(|key| {
            let cleaned: String = key
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control())
                .collect();
            let cleaned = cleaned.trim().trim_matches('\'').trim();
            let base = if cleaned.is_empty() {
                "Employee"
            } else {
                cleaned
            };
            let cut = |s: &str, n: usize| -> String { s.chars().take(n).collect() };
            let mut name = cut(base, SHEET_NAME_MAX);
            let mut n = 2;
            while used.contains(&name.to_lowercase()) {
                let suffix = format!(" ({n})");
                let room = SHEET_NAME_MAX - suffix.chars().count();
                name = format!("{}{suffix}", cut(base, room).trim_end_matches('\''));
                n += 1;
            }
            used.insert(name.to_lowercase());
            name
        })
        .collect()
}

/// The workbook as bytes.
pub fn write(report: &Report, o: &XlsxOptions) -> Result<Vec<u8>, String> {
    let fm = formats(
        o.hours,
        report.source,
        optional_columns::chosen(report, &o.extra_columns),
    );
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let rows: Vec<&DayRow> = report.rows.iter().collect();
        {
            let summary = wb.add_worksheet();
            summary.set_name("Summary")?;
            summary.set_column_width(0, 16.0)?;
            summary.write_string_with_format(0, 0, "Timesheet report", &fm.bold)?;
            summary.write_string(1, 0, format!("Period {} to {}", report.from, report.to))?;
            let rounding = match (
                report.options.rounding.describe(),
                report.options.rounding_scope,
            ) {
                ("no rounding", _) => "no rounding".to_string(),
                (r, RoundingScope::PerSession) => format!("{r}, per session"),
                (r, RoundingScope::PerDay) => format!("{r}, per day"),
            };
            summary.write_string(2, 0, format!("Rounding: {rounding}"))?;
            let night = match report.options.night_shifts {
                NightShifts::StartDay => "Night shifts count on the day they start",
                NightShifts::SplitAtMidnight => "Night shifts are split at midnight",
            };
            let source = match report.source {
                ReportSource::TimeClock => String::new(),
                ReportSource::Protime => "; source: Protime calculated totals".into(),
                ReportSource::Merged => format!(
                    "; source: TimeClock 365 and Protime merged by employee number, difference = worked - time present, tolerance {} min",
                    report.tolerance_minutes
                ),
            };
            summary.write_string(
                3,
                0,
                format!("{night}; open sessions are not counted{source}"),
            )?;
            let per_employee: Vec<&Totals> = report.per_employee.iter().collect();
            let mut at = summary_table(
                summary,
                5,
                "Per employee",
                &per_employee,
                &rows,
                |x| &x.employee_number,
                &fm,
            )?;
            let per_week: Vec<&Totals> = report.per_week.iter().collect();
            at = summary_table(
                summary,
                at,
                "Per ISO week",
                &per_week,
                &rows,
                |x| &x.iso_week,
                &fm,
            )?;
            summary_table(
                summary,
                at,
                "Overall",
                &[&report.overall],
                &rows,
                |_| "All",
                &fm,
            )?;
        }
        {
            let sheet = wb.add_worksheet();
            sheet.set_name("Timesheet")?;
            write_rows(sheet, &rows, &fm)?;
        }
        if o.sheet_per_employee {
            let keys: Vec<&str> = report.per_employee.iter().map(|t| t.key.as_str()).collect();
            let names = sheet_names(&keys, &["Summary", "Timesheet"]);
            for (t, name) in report.per_employee.iter().zip(names) {
                let mine: Vec<&DayRow> = rows
                    .iter()
                    .copied()
                    .filter(|r| r.employee_number == t.key)
                    .collect();
                let sheet = wb.add_worksheet();
                sheet.set_name(name)?;
                write_rows(sheet, &mine, &fm)?;
            }
        }
        wb.save_to_buffer()
    };
    build().map_err(|e| format!("cannot write the XLSX: {e}"))
}

#[cfg(test)]
mod tests {
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
        let lower: std::collections::HashSet<String> =
            names.iter().map(|n| n.to_lowercase()).collect();
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
}
