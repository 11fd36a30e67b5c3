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
use std::collections::HashMap;

mod day_sheet;
mod sheet_names;
mod summary_sheet;
#[cfg(test)]
mod tests;

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

/// A duration in the unit the sheet shows: minutes for `[h]:mm`, hundredths of an hour for decimal.
fn units(minutes: i64, hours: HoursFormat) -> i64 {
    match hours {
        HoursFormat::HoursMinutes => minutes,
        HoursFormat::Decimal => centihours(minutes),
    }
}

/// The cell value of a sum of displayed units.
fn cell_value(units: i64, hours: HoursFormat) -> f64 {
    match hours {
        HoursFormat::HoursMinutes => units as f64 / 1440.0,
        HoursFormat::Decimal => units as f64 / 100.0,
    }
}

/// Sum of the displayed units of the rows, as a cell value.
fn total_value(rows: &[&DayRow], f: impl Fn(&DayRow) -> i64, hours: HoursFormat) -> f64 {
    cell_value(rows.iter().map(|r| units(f(r), hours)).sum(), hours)
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

/// The workbook as bytes.
pub fn write(report: &Report, o: &XlsxOptions) -> Result<Vec<u8>, String> {
    let fm = formats(
        o.hours,
        report.source,
        optional_columns::chosen(report, &o.extra_columns),
    );
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        // Both sheets are written row by row, so "low memory" mode can flush each row to a
        // temporary file as the next begins; it keeps the shared string table, so the sheets'
        // XML is the same as in standard mode (strings are numbered in the order written, and
        // the Summary comes first either way).
        summary_sheet::write_summary(wb.add_worksheet_with_low_memory()?, report, &fm)?;
        let rows: Vec<&DayRow> = report.rows.iter().collect();
        {
            let sheet = wb.add_worksheet_with_low_memory()?;
            sheet.set_name("Timesheet")?;
            day_sheet::write_rows(sheet, &rows, &fm)?;
        }
        if o.sheet_per_employee {
            // Grouped once: filtering all rows per employee was quadratic.
            let mut by_employee: HashMap<&str, Vec<&DayRow>> = HashMap::new();
            for r in &rows {
                by_employee.entry(&r.employee_number).or_default().push(r);
            }
            let keys: Vec<&str> = report.per_employee.iter().map(|t| t.key.as_str()).collect();
            let names = sheet_names::sheet_names(&keys, &["Summary", "Timesheet"]);
            for (key, name) in keys.into_iter().zip(names) {
                let mine = by_employee.remove(key).unwrap_or_default();
                let sheet = wb.add_worksheet();
                sheet.set_name(name)?;
                day_sheet::write_rows(sheet, &mine, &fm)?;
            }
        }
        wb.save_to_buffer()
    };
    build().map_err(|e| format!("cannot write the XLSX: {e}"))
}
