//! What every CSV import shares (clockings, activity definitions): the error of one row, reading
//! the data lines after the header, and the delimiter guess.

use serde::Serialize;

/// One problem in the file: 1-based line number (the header is line 1), the column, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RowError {
    pub line: u32,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

/// The data lines after the header, as (line number, record). Lines that cannot be read as CSV and
/// lines with more values than the header has columns are reported in `errors`; blank lines are
/// skipped. Shared by every CSV import.
pub fn data_records<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    columns: usize,
    errors: &mut Vec<RowError>,
) -> Vec<(u32, csv::StringRecord)> {
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                errors.push(err(
                    line,
                    "",
                    format!("This line cannot be read as CSV: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        if record.len() > columns {
            errors.push(err(
                line,
                "",
                format!(
                    "This line has {} values but the header has {columns} columns",
                    record.len()
                ),
            ));
            continue;
        }
        out.push((line, record));
    }
    out
}

/// `;` when the header has more semicolons than commas, else `,`.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// A [`RowError`].
pub fn err(line: u32, column: &str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        column: column.into(),
        message: message.into(),
    }
}
