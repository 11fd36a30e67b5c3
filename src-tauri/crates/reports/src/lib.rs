//! Timebridge's timesheet reports: the report engine (day rows in whole minutes), its sources
//! (TimeClock 365, the Protime calculated-totals cache fed by the change feed, the two merged with
//! people matching) and the CSV, XLSX and PDF exports. Depends on `timebridge-core` for the
//! workspace and errors; never on Tauri.

pub mod protime_totals;
pub mod timesheet;
pub mod typeset;
