//! The day table's columns: what each shows for a day, how wide it is, and how it adds up in total
//! rows (in displayed units, so a total equals the sum of the rows printed above it).

use super::*;
use crate::timesheet::optional_columns::{Cell as OptionalCell, OptionalColumn};

/// What a column shows for a day and whether (and how) it adds up in total rows.
#[derive(Clone, Copy)]
pub(super) enum Cell {
    /// Shown as is; not totalled.
    Text(fn(&DayRow) -> String),
    /// A count, totalled. `None` leaves the cell empty (for fields a source may not have).
    Count(fn(&DayRow) -> Option<i64>),
    /// Minutes, shown in the chosen hours format and totalled in displayed units. `None` leaves
    /// the cell empty (optional fields, e.g. totals only one source provides).
    Duration(fn(&DayRow) -> Option<i64>),
    /// A yes/no marker; the total counts the days it is set.
    Flag(fn(&DayRow) -> bool, &'static str),
    /// An optional column the user chose: its durations are totalled like [`Cell::Duration`] (a
    /// day without a value stays blank), its text is shown as is.
    Optional(OptionalColumn),
}

#[derive(Clone, Copy)]
pub(super) struct Column {
    pub(super) title: &'static str,
    /// Points; `0.0` for the one column that takes the width left over.
    pub(super) width: f32,
    pub(super) align: Align,
    pub(super) cell: Cell,
}

impl Column {
    pub(super) fn totalled(&self) -> bool {
        match self.cell {
            Cell::Text(_) => false,
            Cell::Optional(c) => c.is_duration(),
            _ => true,
        }
    }
}

pub(super) fn weekday(r: &DayRow) -> String {
    NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
        .map(|d| d.format("%a").to_string())
        .unwrap_or_default()
}

/// The optional columns the PDF prints: Protime's further totals (weekly hours types, pay-period
/// hours, shift definition). The punch and absence details have their short form in the notes
/// column; in full they would not fit an A4 row, so they stay in the CSV and XLSX.
pub(super) fn printable(chosen: Vec<OptionalColumn>) -> Vec<OptionalColumn> {
    chosen.into_iter().filter(|c| c.needs_protime()).collect()
}

/// A title short enough for the narrow column ([`OptionalColumn::title`] is the long form).
fn short_title(c: OptionalColumn) -> &'static str {
    match c {
        OptionalColumn::WeeklyHours1 => "Wk h. 1",
        OptionalColumn::WeeklyHours2 => "Wk h. 2",
        OptionalColumn::WeeklyHours3 => "Wk h. 3",
        OptionalColumn::PayPeriodHours => "Pay h.",
        OptionalColumn::ShiftDefinition => "Shift",
        other => other.title(),
    }
}

/// The day table with the `optional` columns ([`printable`]) before the notes.
pub(super) fn day_columns_with(optional: &[OptionalColumn]) -> Vec<Column> {
    let mut columns = day_columns();
    let notes = columns.pop().expect("the notes column");
    columns.extend(optional.iter().map(|&c| Column {
        title: short_title(c),
        width: if c.is_duration() { 46.0 } else { 38.0 },
        align: Align::Right,
        cell: Cell::Optional(c),
    }));
    columns.push(notes);
    columns
}

/// The day table, left to right. A new report field becomes a new line here: durations and counts
/// get totals in the week, employee and summary rows automatically. The notes column comes last.
pub(super) fn day_columns() -> Vec<Column> {
    vec![
        Column {
            title: "Date",
            width: 60.0,
            align: Align::Left,
            cell: Cell::Text(|r| r.date.clone()),
        },
        Column {
            title: "Day",
            width: 28.0,
            align: Align::Left,
            cell: Cell::Text(weekday),
        },
        Column {
            title: "First in",
            width: 44.0,
            align: Align::Center,
            cell: Cell::Text(|r| r.first_in.clone().unwrap_or_default()),
        },
        Column {
            title: "Last out",
            width: 44.0,
            align: Align::Center,
            cell: Cell::Text(|r| r.last_out.clone().unwrap_or_default()),
        },
        Column {
            title: "Sessions",
            width: 42.0,
            align: Align::Right,
            cell: Cell::Count(|r| Some(i64::from(r.sessions))),
        },
        Column {
            title: "Worked",
            width: 48.0,
            align: Align::Right,
            cell: Cell::Duration(|r| Some(r.worked_minutes)),
        },
        Column {
            title: "Lunch",
            width: 44.0,
            align: Align::Right,
            cell: Cell::Duration(|r| Some(r.lunch_minutes)),
        },
        Column {
            title: "Net",
            width: 48.0,
            align: Align::Right,
            cell: Cell::Duration(|r| Some(r.net_minutes)),
        },
        Column {
            title: "Lunch outside",
            width: 68.0,
            align: Align::Right,
            cell: Cell::Duration(|r| Some(r.lunch_outside_minutes)),
        },
        Column {
            title: "Open session",
            width: 62.0,
            align: Align::Center,
            cell: Cell::Flag(|r| r.open_session, "open"),
        },
        Column {
            title: "Absences / work logs",
            width: 0.0,
            align: Align::Natural,
            cell: Cell::Text(day_notes),
        },
    ]
}

/// Column widths filling the content width (the flexible column gets the rest, at least 60 pt).
pub(super) fn widths(columns: &[Column], total: f32) -> Vec<f32> {
    let fixed: f32 = columns.iter().map(|c| c.width).sum();
    let flexible = columns.iter().filter(|c| c.width == 0.0).count().max(1) as f32;
    let rest = ((total - fixed) / flexible).max(60.0);
    columns
        .iter()
        .map(|c| if c.width == 0.0 { rest } else { c.width })
        .collect()
}

pub(super) fn show_units(units: i64, hours: HoursFormat) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let a = units.abs();
    match hours {
        HoursFormat::HoursMinutes => format!("{sign}{}:{:02}", a / 60, a % 60),
        HoursFormat::Decimal => format!("{sign}{}.{:02}", a / 100, a % 100),
    }
}

pub(super) fn day_cell(col: &Column, r: &DayRow, hours: HoursFormat) -> String {
    match col.cell {
        Cell::Text(f) => f(r),
        Cell::Count(f) => f(r).map(|n| n.to_string()).unwrap_or_default(),
        Cell::Duration(f) => f(r)
            .map(|m| show_units(unit(m, hours), hours))
            .unwrap_or_default(),
        Cell::Flag(f, mark) => if f(r) { mark } else { "" }.to_string(),
        Cell::Optional(c) => match c.cell(r) {
            OptionalCell::Minutes(m) => m
                .map(|m| show_units(unit(m, hours), hours))
                .unwrap_or_default(),
            OptionalCell::Text(t) => t,
        },
    }
}

/// Minutes of an optional duration column; `None` for a blank day or a text column.
fn optional_minutes(c: OptionalColumn, r: &DayRow) -> Option<i64> {
    match c.cell(r) {
        OptionalCell::Minutes(m) => m,
        OptionalCell::Text(_) => None,
    }
}

/// The total of a totalled column over `rows`, in displayed units; empty when no row has a value.
pub(super) fn total_cell(col: &Column, rows: &[&DayRow], hours: HoursFormat) -> String {
    match col.cell {
        Cell::Text(_) => String::new(),
        Cell::Count(f) => {
            let values: Vec<i64> = rows.iter().filter_map(|r| f(r)).collect();
            if values.is_empty() && !rows.is_empty() {
                String::new()
            } else {
                values.iter().sum::<i64>().to_string()
            }
        }
        Cell::Duration(f) => duration_total(rows.iter().map(|r| f(r)), hours),
        Cell::Optional(c) if c.is_duration() => {
            duration_total(rows.iter().map(|r| optional_minutes(c, r)), hours)
        }
        Cell::Optional(_) => String::new(),
        Cell::Flag(f, _) => match rows.iter().filter(|r| f(r)).count() {
            0 => String::new(),
            n => n.to_string(),
        },
    }
}

/// The total of the days' minutes in displayed units. No days at all total to zero; days that all
/// lack the value (a column the source does not provide) leave the total empty rather than claim
/// zero.
fn duration_total(minutes: impl Iterator<Item = Option<i64>>, hours: HoursFormat) -> String {
    let mut days = 0;
    let mut values = 0;
    let mut sum = 0;
    for m in minutes {
        days += 1;
        if let Some(m) = m {
            values += 1;
            sum += unit(m, hours);
        }
    }
    if values == 0 && days > 0 {
        String::new()
    } else {
        show_units(sum, hours)
    }
}

/// The day's notes: absences with whether they were approved, a punch sent late, and a zone that
/// had to be assumed; short, since the column is narrow (the CSV/XLSX columns have the details).
fn day_notes(r: &DayRow) -> String {
    let mut parts: Vec<String> = if r.absence_details.is_empty() {
        r.absences.clone()
    } else {
        r.absence_details
            .iter()
            .map(|a| {
                let approved = a.approved_at.is_some() || a.approved_by.is_some();
                format!(
                    "{} ({})",
                    a.name,
                    if approved { "approved" } else { "not approved" }
                )
            })
            .collect()
    };
    if r.punches.iter().any(|p| p.sent_late) {
        parts.push("punch sent late".into());
    }
    if r.default_zone_used {
        parts.push(format!("zone assumed: {}", r.zone));
    }
    parts.join(", ")
}
