//! Timesheet reports: one row per employee and day from TimeClock 365 sessions, lunches and work
//! logs; totals per employee, ISO week and overall; exports.
//!
//! The unit of every row is a whole minute, fixed per session (or per day, with per-day rounding)
//! before anything is added up, so every total is exactly the sum of its rows in every display
//! format and rounding mode.

pub mod csv_export;
pub mod engine;

pub use csv_export::{CsvOptions, HoursFormat};
pub use engine::{
    build, DayRow, NightShifts, Report, ReportOptions, Rounding, RoundingScope, Totals, WorkLogRow,
};
