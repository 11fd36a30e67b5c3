//! The day table's columns: what each shows for a day, how wide it is, and how it adds up in total
//! rows (in displayed units, so a total equals the sum of the rows printed above it).

use super::*;

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
        !matches!(self.cell, Cell::Text(_))
    }
}

pub(super) fn weekday(r: &DayRow) -> String {
    NaiveDate::parse_from_str(&r.date, "%Y-%m-%d")
        .map(|d| d.format("%a").to_string())
        .unwrap_or_default()
}

/// The day table, left to right. A new report field becomes a new line here: durations and counts
/// get totals in the week, employee and summary rows automatically.
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
        Cell::Duration(f) => {
            let values: Vec<i64> = rows
                .iter()
                .filter_map(|r| f(r))
                .map(|m| unit(m, hours))
                .collect();
            // No rows at all totals to zero; rows that all lack the value (a column the source
            // does not provide) leave the total empty rather than claim zero.
            if values.is_empty() && !rows.is_empty() {
                String::new()
            } else {
                show_units(values.iter().sum(), hours)
            }
        }
        Cell::Flag(f, _) => match rows.iter().filter(|r| f(r)).count() {
            0 => String::new(),
            n => n.to_string(),
        },
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
