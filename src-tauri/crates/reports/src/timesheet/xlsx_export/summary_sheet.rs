//! The Summary sheet: the period and the rules, then worked, lunch and net per employee, per ISO
//! week and overall. Those three are sums of the rows' displayed units (so a decimal total equals
//! the rows), gathered in one pass over the rows: looking each key's rows up by scanning all rows
//! made a month of thousands of employees quadratic.

use super::*;
use std::collections::HashMap;

/// Worked, lunch and net of a group of rows, in displayed units ([`units`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shown {
    pub(super) worked: i64,
    pub(super) lunch: i64,
    pub(super) net: i64,
}

impl Shown {
    fn add(&mut self, r: &DayRow, hours: HoursFormat) {
        self.worked += units(r.worked_minutes, hours);
        self.lunch += units(r.lunch_minutes, hours);
        self.net += units(r.net_minutes, hours);
    }
}

/// The sums per employee number, per ISO week and over all rows, in one pass.
pub(super) struct Sums<'a> {
    pub(super) per_employee: HashMap<&'a str, Shown>,
    pub(super) per_week: HashMap<&'a str, Shown>,
    pub(super) all: Shown,
}

pub(super) fn sums(rows: &[DayRow], hours: HoursFormat) -> Sums<'_> {
    let mut s = Sums {
        per_employee: HashMap::new(),
        per_week: HashMap::new(),
        all: Shown::default(),
    };
    for r in rows {
        s.per_employee
            .entry(r.employee_number.as_str())
            .or_default()
            .add(r, hours);
        s.per_week
            .entry(r.iso_week.as_str())
            .or_default()
            .add(r, hours);
        s.all.add(r, hours);
    }
    s
}

fn rules(report: &Report) -> (String, String) {
    let rounding = match (
        report.options.rounding.describe(),
        report.options.rounding_scope,
    ) {
        ("no rounding", _) => "no rounding".to_string(),
        (r, RoundingScope::PerSession) => format!("{r}, per session"),
        (r, RoundingScope::PerDay) => format!("{r}, per day"),
    };
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
    (
        format!("Rounding: {rounding}"),
        format!("{night}; open sessions are not counted{source}"),
    )
}

/// Writes the Summary sheet of `report` into `ws`.
pub(super) fn write_summary(
    ws: &mut Worksheet,
    report: &Report,
    fm: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    ws.set_column_width(0, 16.0)?;
    ws.write_string_with_format(0, 0, "Timesheet report", &fm.bold)?;
    ws.write_string(1, 0, format!("Period {} to {}", report.from, report.to))?;
    let (rounding, rules) = rules(report);
    ws.write_string(2, 0, rounding)?;
    ws.write_string(3, 0, rules)?;
    let sums = sums(&report.rows, fm.hours);
    let none = Shown::default();
    let per_employee: Vec<(&Totals, Shown)> = report
        .per_employee
        .iter()
        .map(|t| (t, *sums.per_employee.get(t.key.as_str()).unwrap_or(&none)))
        .collect();
    let mut at = summary_table(ws, 5, "Per employee", &per_employee, fm)?;
    let per_week: Vec<(&Totals, Shown)> = report
        .per_week
        .iter()
        .map(|t| (t, *sums.per_week.get(t.key.as_str()).unwrap_or(&none)))
        .collect();
    at = summary_table(ws, at, "Per ISO week", &per_week, fm)?;
    summary_table(ws, at, "Overall", &[(&report.overall, sums.all)], fm)?;
    Ok(())
}

fn summary_table(
    ws: &mut Worksheet,
    at: u32,
    title: &str,
    lines: &[(&Totals, Shown)],
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
    for (t, shown) in lines {
        ws.write_string(r, 0, &t.key)?;
        ws.write_number(r, 1, t.days)?;
        ws.write_number(r, 2, t.sessions)?;
        ws.write_number_with_format(r, 3, cell_value(shown.worked, fm.hours), &fm.duration)?;
        ws.write_number_with_format(r, 4, cell_value(shown.lunch, fm.hours), &fm.duration)?;
        ws.write_number_with_format(r, 5, cell_value(shown.net, fm.hours), &fm.duration)?;
        ws.write_number(r, 6, t.open_sessions)?;
        r += 1;
    }
    Ok(r + 1)
}
