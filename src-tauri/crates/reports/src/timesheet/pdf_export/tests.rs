//! PDF round trips: reports built by the engine from API-shaped fixtures are rendered, read back
//! with poppler's `pdftotext -layout` / `pdffonts`, and compared with the report model.

use super::*;
use crate::timesheet::engine::{build, ReportOptions, Rounding};
use chrono_tz::Tz;
use serde_json::json;
use std::process::Command;
use timebridge_timeclock::models::EmployeeTimesheet;

const HEBREW_NAME: &str = "דנה כהן";
const HEBREW_NOTE: &str = "משמרת לילה 2 (חדר 14)";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn session(day: &str, start: &str, end: &str, logs: serde_json::Value) -> serde_json::Value {
    json!({
        "startDate": format!("{day} {start}:00"),
        "endDate": format!("{day} {end}:00"),
        "timezone": "Asia/Jerusalem",
        "lunches": [{"startDate": format!("{day} 12:00:00"), "endDate": format!("{day} 12:30:00")}],
        "workLogs": logs,
    })
}

/// Three employees in March 2025: 1001 (Hebrew name, Hebrew work-log notes), 1002 with two
/// sessions and a work log every day of the month (several pages), 1003 with one open session.
fn fixture(rounding: Rounding) -> Report {
    let mut dana = Vec::new();
    for day in ["2025-03-03", "2025-03-04", "2025-03-11"] {
        dana.push(session(
            day,
            "08:00",
            "16:45",
            json!([{"name": HEBREW_NOTE, "externalId": 77, "startDate": format!("{day} 08:00:00"), "endDate": format!("{day} 10:10:00")}]),
        ));
    }
    let mut long = Vec::new();
    for n in 1..=31 {
        let day = format!("2025-03-{n:02}");
        long.push(session(
            &day,
            "07:02",
            "11:59",
            json!([{"name": "Assembly line B", "startDate": format!("{day} 07:02:00"), "endDate": format!("{day} 09:00:00")}]),
        ));
        long.push(session(&day, "13:07", "17:31", json!([])));
    }
    let open = json!({"startDate": "2025-03-05 09:00:00", "endDate": null, "timezone": "Asia/Jerusalem", "lunches": [], "workLogs": []});
    let raw = json!([
        {"employeeNumber": 1001, "email": "dana@example.test", "sessions": dana},
        {"employeeNumber": 1002, "email": "long@example.test", "sessions": long},
        {"employeeNumber": 1003, "email": "open@example.test", "sessions": [
            session("2025-03-04", "09:00", "17:20", json!([])), open]},
    ]);
    let decoded: Vec<EmployeeTimesheet> = serde_json::from_value(raw).unwrap();
    let sheet = timebridge_timeclock::merge(vec![decoded], Tz::UTC);
    build(
        d("2025-03-01"),
        d("2025-03-31"),
        &sheet,
        &[],
        ReportOptions {
            rounding,
            ..ReportOptions::default()
        },
    )
}

fn options(hours: HoursFormat) -> PdfOptions {
    let mut o = PdfOptions::new(hours);
    o.profile_name = "Payroll test".into();
    o.generated_at = "2025-04-01 09:30".into();
    o.employee_names.insert("1001".into(), HEBREW_NAME.into());
    o.employee_names.insert("1002".into(), "Long Month".into());
    o
}

/// Runs a poppler tool on the PDF (`args`, the file, then `after`); `None` (with a message) when
/// poppler-utils is not installed.
fn poppler(tool: &str, args: &[&str], after: &[&str], pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timesheet.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = match Command::new(tool)
        .args(args)
        .arg(&path)
        .args(after)
        .output()
    {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: `{tool}` is not installed (apt-get install poppler-utils)");
            return None;
        }
        Err(e) => panic!("{tool}: {e}"),
    };
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

fn pdftotext(pdf: &[u8]) -> Option<Vec<String>> {
    let text = poppler("pdftotext", &["-layout", "-enc", "UTF-8"], &["-"], pdf)?;
    // pdftotext wraps the right-to-left words it puts back into logical order in embedding marks
    // (RLE … PDF); they are invisible and not part of the text.
    let text = text.replace(['\u{202b}', '\u{202c}'], "");
    // pdftotext ends every page with a form feed.
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

/// The one line of `pages` containing `needle`.
fn line_with<'a>(pages: &'a [String], needle: &str) -> &'a str {
    let lines: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| l.contains(needle))
        .collect();
    assert_eq!(lines.len(), 1, "lines with {needle:?}: {lines:?}");
    lines[0]
}

fn hm(minutes: i64) -> String {
    show_units(minutes, HoursFormat::HoursMinutes)
}

#[test]
fn round_trip_totals_pages_and_hebrew() {
    let report = fixture(Rounding::None);
    let pdf = write(&report, &options(HoursFormat::HoursMinutes)).unwrap();
    // To look at the layout: TIMEBRIDGE_PDF_SAMPLE=/tmp/t.pdf, then pdftoppm -png -r 60.
    if let Ok(path) = std::env::var("TIMEBRIDGE_PDF_SAMPLE") {
        std::fs::write(path, &pdf).unwrap();
    }
    let Some(pages) = pdftotext(&pdf) else { return };

    let n = pages.len();
    // 1001 and 1003 fit on one page each, 1002's 31 days with work logs and week totals need
    // more, then the summary.
    assert!(n >= 5, "{n} pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page {} lacks its number:\n{page}",
            i + 1
        );
        assert!(page.contains("Period 2025-03-01 to 2025-03-31"));
        assert!(page.contains("Profile: Payroll test"));
    }

    for t in &report.per_employee {
        let total = line_with(&pages, &format!("Total {}", t.key));
        for minutes in [t.worked_minutes, t.lunch_minutes, t.net_minutes] {
            assert!(
                total.contains(&hm(minutes)),
                "{total:?} lacks {}",
                hm(minutes)
            );
        }
        // The summary row of the employee carries the same figures.
        let summary_row = pages
            .last()
            .unwrap()
            .lines()
            .find(|l| l.trim_start().starts_with(&t.key))
            .unwrap_or_else(|| panic!("no summary row for {}", t.key));
        assert!(summary_row.contains(&hm(t.net_minutes)), "{summary_row}");
    }
    let all = line_with(&pages, "All employees");
    assert!(all.contains(&hm(report.overall.worked_minutes)), "{all}");
    assert!(all.contains(&hm(report.overall.net_minutes)), "{all}");
    assert_eq!(report.overall.open_sessions, 1);

    // Hebrew extracts in logical order, in the header and in the summary.
    assert!(pages[0].contains(HEBREW_NAME), "{}", pages[0]);
    assert!(pages[0].contains("No. 1001"));
    assert!(pages.last().unwrap().contains(HEBREW_NAME));
    // A right-to-left note with digits in a left-to-right table line: pdftotext puts each Hebrew
    // word back into logical order but orders a mixed line's runs by the page's direction (a
    // poppler limitation; the drawn order is checked in `bidi_gives_visual_order…`).
    let notes: Vec<&str> = pages[0]
        .lines()
        .filter(|l| l.contains("work log 77"))
        .collect();
    assert_eq!(notes.len(), 3, "one work log line per day of 1001");
    let note = notes[0];
    for word in ["משמרת", "לילה", "חדר", "14", "2"] {
        assert!(note.contains(word), "{note:?} lacks {word}");
    }

    // The long section continues with its header and the table header repeated.
    let long: Vec<&String> = pages.iter().filter(|p| p.contains("No. 1002")).collect();
    assert!(long.len() >= 2, "1002 spans {} pages", long.len());
    for p in &long[1..] {
        assert!(p.contains("(continued)") && p.contains("First in") && p.contains("Last out"));
    }
    for week in ["2025-W10", "2025-W11", "2025-W14"] {
        assert!(
            pages.iter().any(|p| p.contains(&format!("Week {week}"))),
            "no total for {week}"
        );
    }
    // Every employee section ends with the signature lines.
    let signed = pages
        .iter()
        .filter(|p| p.contains("Manager signature"))
        .count();
    assert_eq!(signed, report.per_employee.len());
    assert!(pages
        .iter()
        .any(|p| p.contains("Worked time no rounding") && p.contains("not counted")));
}

#[test]
fn decimal_totals_add_the_printed_rows() {
    // 4:57 + 4:24 = 9:21 a day: 4.95 + 4.40 = 9.35 decimal per day, summed per printed row.
    let report = fixture(Rounding::Nearest5);
    let pdf = write(&report, &options(HoursFormat::Decimal)).unwrap();
    let Some(pages) = pdftotext(&pdf) else { return };
    let long_rows: Vec<&DayRow> = report
        .rows
        .iter()
        .filter(|r| r.employee_number == "1002")
        .collect();
    let printed: i64 = long_rows
        .iter()
        .map(|r| unit(r.worked_minutes, HoursFormat::Decimal))
        .sum();
    let total = line_with(&pages, "Total 1002");
    assert!(
        total.contains(&show_units(printed, HoursFormat::Decimal)),
        "{total} lacks {printed}"
    );
    assert!(pages
        .iter()
        .any(|p| p.contains("rounded to the nearest 5 minutes, per session")));
    assert!(pages[0].contains("decimal hours"));
}

#[test]
fn a4_landscape_with_embedded_subset_fonts() {
    let report = fixture(Rounding::None);
    let pdf = write(&report, &options(HoursFormat::HoursMinutes)).unwrap();
    let raw = String::from_utf8_lossy(&pdf);
    let boxes = raw.matches("/MediaBox [0 0 842 595]").count();
    assert!(boxes >= 5, "{boxes} A4 landscape pages");
    assert_eq!(raw.matches("/MediaBox").count(), boxes);
    assert_eq!(raw.matches("/FontFile2").count(), 2);
    assert_eq!(raw.matches("/ToUnicode").count(), 2);
    // Subsets, not the 680 KB fonts.
    assert!(pdf.len() < 150_000, "{} bytes", pdf.len());

    let Some(fonts) = poppler("pdffonts", &[], &[], &pdf) else {
        return;
    };
    let listed: Vec<&str> = fonts.lines().filter(|l| l.contains("DejaVu")).collect();
    assert_eq!(listed.len(), 2, "{fonts}");
    for l in listed {
        let cols: Vec<&str> = l.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, object, id
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{l}"
        );
    }
}

#[test]
fn an_empty_period_gives_a_summary_page() {
    let report = build(
        d("2025-03-01"),
        d("2025-03-31"),
        &[],
        &[],
        ReportOptions::default(),
    );
    let pdf = write(&report, &PdfOptions::new(HoursFormat::HoursMinutes)).unwrap();
    let Some(pages) = pdftotext(&pdf) else { return };
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("Page 1 of 1"));
    assert!(line_with(&pages, "All employees").contains("0:00"));
}

/// The narrow notes column says whether an absence was approved, that a punch was sent late and
/// that a zone was assumed; without details it keeps the plain absence names.
#[test]
fn the_notes_column_flags_approval_late_punches_and_assumed_zones() {
    use crate::timesheet::details::{AbsenceDetail, Punch};
    let report = fixture(Rounding::None);
    let notes = day_columns().pop().unwrap();
    let mut r = report.rows[0].clone();
    r.absences = vec!["Sick leave".into()];
    assert_eq!(
        day_cell(&notes, &r, HoursFormat::HoursMinutes),
        "Sick leave"
    );
    r.absence_details = vec![AbsenceDetail {
        name: "Sick leave".into(),
        note: None,
        approved_at: None,
        approved_by: Some("Dana".into()),
        code_days: None,
        code_hours: None,
    }];
    r.punches = vec![Punch {
        start: "2025-03-03 08:00:00".into(),
        end: None,
        location: None,
        start_source: None,
        end_source: None,
        start_sent_at: Some("2025-03-03 09:35:00".into()),
        end_sent_at: None,
        start_note: None,
        end_note: None,
        sent_late: true,
    }];
    r.default_zone_used = true;
    r.zone = "Europe/Brussels".into();
    assert_eq!(
        day_cell(&notes, &r, HoursFormat::HoursMinutes),
        "Sick leave (approved), punch sent late, zone assumed: Europe/Brussels"
    );
}

/// A PDF has no formulas: hostile names, e-mails and work-log text are printed exactly as they
/// are, without the apostrophe the CSV adds.
#[test]
fn hostile_text_is_printed_literally() {
    let day = "2025-03-03";
    let raw = json!([{"employeeNumber": 1001, "email": "=HYPERLINK(1)@x.test", "sessions": [
        session(day, "08:00", "16:00", json!([{"name": "=1+1 @SUM(A1)", "startDate": format!("{day} 08:00:00"), "endDate": format!("{day} 09:00:00")}]))
    ]}]);
    let decoded: Vec<EmployeeTimesheet> = serde_json::from_value(raw).unwrap();
    let sheet = timebridge_timeclock::merge(vec![decoded], Tz::UTC);
    let report = build(
        d("2025-03-01"),
        d("2025-03-07"),
        &sheet,
        &[],
        ReportOptions::default(),
    );
    let mut o = options(HoursFormat::HoursMinutes);
    o.employee_names
        .insert("1001".into(), "-Dana +Cohen".into());
    let pdf = write(&report, &o).unwrap();
    let Some(pages) = pdftotext(&pdf) else { return };
    let text = pages.join("\n");
    for literal in ["=HYPERLINK(1)@x.test", "=1+1 @SUM(A1)", "-Dana +Cohen"] {
        assert!(text.contains(literal), "{literal:?} not printed:\n{text}");
        assert!(
            !text.contains(&format!("'{literal}")),
            "{literal:?} altered"
        );
    }
}

/// Dana's three days (1001) as a Protime report whose days carry Protime's further totals, some
/// of them missing: weekly hours 1, pay-period hours and the shift definition per day.
fn protime_days() -> Report {
    use crate::protime_totals::TotalsExtra;
    use crate::timesheet::engine::{summarize, ProtimeDay, ReportSource};
    let full = fixture(Rounding::None);
    let rows: Vec<DayRow> = full
        .rows
        .into_iter()
        .filter(|r| r.employee_number == "1001")
        .collect();
    let mut report = summarize(
        d("2025-03-01"),
        d("2025-03-31"),
        ReportOptions::default(),
        rows,
        vec![],
    );
    report.source = ReportSource::Protime;
    let extras = [
        (Some(450), Some(9600), Some(12)),
        (None, Some(60), None),
        (Some(15), Some(0), Some(7)),
    ];
    assert_eq!(report.rows.len(), extras.len());
    for (row, (weekly, pay, shift)) in report.rows.iter_mut().zip(extras) {
        row.protime = Some(ProtimeDay {
            extra: TotalsExtra {
                weekly_hours1_minutes: weekly,
                pay_period_minutes: pay,
                shift_definition_id: shift,
                ..TotalsExtra::default()
            },
            ..ProtimeDay::default()
        });
    }
    report
}

fn with_columns(columns: &[OptionalColumn]) -> PdfOptions {
    PdfOptions {
        extra_columns: columns.to_vec(),
        ..PdfOptions::new(HoursFormat::HoursMinutes)
    }
}

/// The words of `line` after the weekday (the date and day columns are the row's key).
fn after_day<'a>(line: &'a str, day: &str) -> Vec<&'a str> {
    let at = line.find(day).expect(day) + day.len();
    line[at..].split_whitespace().collect()
}

#[test]
fn protime_totals_columns_print_per_day_blank_when_missing_and_add_up() {
    let report = protime_days();
    let chosen = [
        OptionalColumn::WeeklyHours1,
        OptionalColumn::PayPeriodHours,
        OptionalColumn::ShiftDefinition,
        // Not printable in a PDF row: left to the CSV/XLSX.
        OptionalColumn::PunchNotes,
    ];
    let printed = columns::printable(optional_columns::chosen(&report, &chosen));
    let titles: Vec<&str> = day_columns_with(&printed).iter().map(|c| c.title).collect();
    assert_eq!(
        titles[titles.len() - 4..],
        ["Wk h. 1", "Pay h.", "Shift", "Absences / work logs"]
    );

    let pdf = write(&report, &with_columns(&chosen)).unwrap();
    let Some(pages) = pdftotext(&pdf) else { return };
    // The titles fit their columns whole (no ellipsis).
    let header = line_with(&pages, "First in");
    assert!(
        header.contains("Pay h.") && header.contains("Shift") && !header.contains('…'),
        "{header}"
    );
    // In, out, sessions, worked, lunch, net, lunch outside; then the chosen columns.
    let day = |date: &str, weekday: &str| after_day(line_with(&pages, date), weekday).to_vec();
    assert_eq!(
        day("2025-03-03", "Mon"),
        ["08:00", "16:45", "1", "8:45", "0:30", "8:15", "0:00", "7:30", "160:00", "12"]
    );
    // No weekly hours and no shift that day: blank, not 0:00.
    assert_eq!(
        day("2025-03-04", "Tue"),
        ["08:00", "16:45", "1", "8:45", "0:30", "8:15", "0:00", "1:00"]
    );
    assert_eq!(
        day("2025-03-11", "Tue"),
        ["08:00", "16:45", "1", "8:45", "0:30", "8:15", "0:00", "0:15", "0:00", "7"]
    );
    // Week and employee totals add the printed durations; a shift id is not added up.
    let week: Vec<&str> = line_with(&pages, "Week 2025-W10")
        .split_whitespace()
        .collect();
    assert_eq!(week[week.len() - 2..], ["7:30", "161:00"], "{week:?}");
    let total: Vec<&str> = line_with(&pages, "Total 1001").split_whitespace().collect();
    assert_eq!(total[total.len() - 2..], ["7:45", "161:00"], "{total:?}");
    // The summary's employee line has them too.
    let summary: Vec<&str> = pages
        .last()
        .unwrap()
        .lines()
        .find(|l| l.trim_start().starts_with("1001"))
        .expect("the summary line of 1001")
        .split_whitespace()
        .collect();
    assert_eq!(
        summary[summary.len() - 2..],
        ["7:45", "161:00"],
        "{summary:?}"
    );
}

#[test]
fn protime_columns_are_left_out_of_reports_without_protime_totals() {
    let mut report = protime_days();
    report.source = crate::timesheet::engine::ReportSource::TimeClock;
    let chosen = [
        OptionalColumn::WeeklyHours1,
        OptionalColumn::ShiftDefinition,
    ];
    let printed = columns::printable(optional_columns::chosen(&report, &chosen));
    assert!(printed.is_empty(), "{printed:?}");
    let pdf = write(&report, &with_columns(&chosen)).unwrap();
    let Some(pages) = pdftotext(&pdf) else { return };
    assert!(pages.iter().all(|p| !p.contains("Wk h. 1")));
    assert_eq!(
        after_day(line_with(&pages, "2025-03-03"), "Mon"),
        ["08:00", "16:45", "1", "8:45", "0:30", "8:15", "0:00"]
    );
}
