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

/// Line numbers of the file as an editor shows them. The csv reader's own line counter skips
/// blank lines, so a problem after a blank line would be reported one line too early; counting the
/// newlines before each record's byte offset gives the line the user sees.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u32,
}

impl LineCounter<'_> {
    /// The line of the record that starts at `byte`; records come in order, so only the newlines
    /// since the last call are counted. The reader gives a record the offset where it started
    /// reading it, before any blank lines it skipped, so those are stepped over first.
    fn line_at(&mut self, byte: u64) -> u32 {
        let mut to = (byte as usize).clamp(self.byte, self.text.len());
        while to < self.text.len() && matches!(self.text[to], b'\n' | b'\r') {
            to += 1;
        }
        self.line += self.text[self.byte..to]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u32;
        self.byte = to;
        self.line
    }
}

/// The data lines after the header, as (line number, record). Lines that cannot be read as CSV and
/// lines with more values than the header has columns are reported in `errors`; blank lines are
/// skipped.
fn data_records<R: std::io::Read>(
    text: &str,
    reader: &mut csv::Reader<R>,
    columns: usize,
    errors: &mut Vec<RowError>,
) -> Vec<(u32, csv::StringRecord)> {
    let mut lines = LineCounter {
        text: text.as_bytes(),
        byte: 0,
        line: 1,
    };
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
                errors.push(err(
                    line,
                    "",
                    format!("This line cannot be read as CSV: {e}"),
                ));
                continue;
            }
        };
        let line = record
            .position()
            .map(|p| lines.line_at(p.byte()))
            .unwrap_or(0);
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

/// What an import knows about its columns: how a header cell names one, which are required, and
/// the list of known columns an unknown header is answered with.
pub struct Columns<'a> {
    /// What the file holds, for the "file is empty" message (e.g. "clocking").
    pub item: &'a str,
    /// The column a header cell names, or `None` for a column the import does not know.
    pub canonical: &'a dyn Fn(&str) -> Option<String>,
    /// Shown after "Known columns: " when a header is unknown.
    pub known: &'a str,
    pub required: &'a [&'a str],
}

/// A CSV file read up to its rows: the header checked (every column known, the required ones
/// present) and the data lines kept with their line numbers. The BOM, the delimiter and blank
/// lines are handled the same way for every import.
pub struct CsvTable {
    columns: Vec<String>,
    records: Vec<(u32, csv::StringRecord)>,
}

impl CsvTable {
    /// Reads `text`; every problem with the file as a whole or with a line's shape goes into
    /// `errors`. `None` when the header itself is unusable (nothing after it can be read).
    pub fn read(text: &str, spec: &Columns<'_>, errors: &mut Vec<RowError>) -> Option<CsvTable> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            errors.push(err(
                1,
                "",
                format!(
                    "The file is empty: it needs a header row and at least one {}",
                    spec.item
                ),
            ));
            return None;
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(detect_delimiter(text))
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(str::to_string).collect(),
            Err(e) => {
                errors.push(err(1, "", format!("The header row cannot be read: {e}")));
                return None;
            }
        };
        let before = errors.len();
        let columns: Vec<String> = headers
            .iter()
            .map(|h| {
                (spec.canonical)(h).unwrap_or_else(|| {
                    errors.push(err(
                        1,
                        h,
                        format!("Unknown column '{h}'. Known columns: {}", spec.known),
                    ));
                    String::new()
                })
            })
            .collect();
        for required in spec.required {
            if !columns.iter().any(|c| c == required) {
                errors.push(err(
                    1,
                    required,
                    format!("The header row has no '{required}' column; it is required"),
                ));
            }
        }
        if errors.len() > before {
            return None;
        }
        let records = data_records(text, &mut reader, columns.len(), errors);
        Some(CsvTable { columns, records })
    }

    /// The columns in header order, as `canonical` named them.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The data lines: (line number, the line's values).
    pub fn rows(&self) -> impl Iterator<Item = (u32, CsvRowValues<'_>)> {
        self.records.iter().map(|(line, record)| {
            (
                *line,
                CsvRowValues {
                    columns: &self.columns,
                    record,
                },
            )
        })
    }
}

/// One data line of a [`CsvTable`], read by column name.
pub struct CsvRowValues<'a> {
    columns: &'a [String],
    record: &'a csv::StringRecord,
}

impl CsvRowValues<'_> {
    /// The trimmed value of `column`; empty when the file has no such column or the line is short.
    pub fn get(&self, column: &str) -> String {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// Every (column, value) of the line, in header order.
    pub fn cells(&self) -> impl Iterator<Item = (&str, &str)> {
        self.columns
            .iter()
            .map(String::as_str)
            .zip(self.record.iter())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with<'a>(canonical: &'a dyn Fn(&str) -> Option<String>) -> Columns<'a> {
        Columns {
            item: "row",
            canonical,
            known: "a, b",
            required: &["a"],
        }
    }

    #[test]
    fn a_table_reads_by_column_name_after_the_bom_and_skips_blank_lines() {
        let canonical = |h: &str| ["a", "b"].contains(&h).then(|| h.to_string());
        let mut errors = Vec::new();
        let table = CsvTable::read(
            "\u{feff}b;a\n2; 1\n\n4\n",
            &spec_with(&canonical),
            &mut errors,
        )
        .expect("a readable table");
        assert!(errors.is_empty(), "{errors:?}");
        let rows: Vec<(u32, String, String)> = table
            .rows()
            .map(|(line, v)| (line, v.get("a"), v.get("b")))
            .collect();
        assert_eq!(
            rows,
            vec![(2, "1".into(), "2".into()), (4, String::new(), "4".into())]
        );
    }

    #[test]
    fn line_numbers_count_blank_lines() {
        for (text, want) in [
            ("a\n1\n\n4\n", 4),
            ("a\r\n1\r\n\r\n4\r\n", 4),
            ("a\n\n\n4\n", 4),
        ] {
            let mut errors = Vec::new();
            let canonical = |h: &str| Some(h.to_string());
            let spec = Columns {
                item: "row",
                canonical: &canonical,
                known: "",
                required: &[],
            };
            let table = CsvTable::read(text, &spec, &mut errors).unwrap();
            let lines: Vec<u32> = table.rows().map(|(l, _)| l).collect();
            assert_eq!(*lines.last().unwrap(), want, "{text:?}: {lines:?}");
        }
    }

    #[test]
    fn an_unknown_or_missing_column_stops_before_the_rows() {
        let canonical = |h: &str| ["a", "b"].contains(&h).then(|| h.to_string());
        let mut errors = Vec::new();
        assert!(CsvTable::read("b,c\n1,2\n", &spec_with(&canonical), &mut errors).is_none());
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "Unknown column 'c'. Known columns: a, b",
                "The header row has no 'a' column; it is required"
            ]
        );
        let mut errors = Vec::new();
        assert!(CsvTable::read(" \n", &spec_with(&canonical), &mut errors).is_none());
        assert!(errors[0].message.contains("at least one row"));
    }
}
