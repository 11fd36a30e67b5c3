//! Text cells that are safe to open in a spreadsheet. Excel and LibreOffice Calc read a CSV cell
//! that begins with `=`, `+`, `-` or `@` as a formula (and a leading tab or carriage return can hide
//! such a sign from a reader's eye while the program still evaluates it), so a name or e-mail that
//! a server or a user chose could run as a formula on the payroll clerk's machine. The one defence
//! both programs honour is a leading apostrophe: the cell is then read as text. Only text cells go
//! through here; numbers and durations the exporters write stay numbers.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula (or hide one).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `cell` would be read as a formula when opened from a CSV file.
pub fn is_formula_like(cell: &str) -> bool {
    cell.starts_with(TRIGGERS)
}

/// `cell` as a text cell that cannot run as a formula: unchanged unless it begins with one of
/// `= + - @`, a tab or a carriage return, in which case it gets a leading `'`. The CSV writers
/// then quote the cell if it holds a delimiter, a quote or a line break, so the apostrophe stays
/// the first character of the cell.
pub fn text_cell(cell: &str) -> Cow<'_, str> {
    if is_formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_signs_get_an_apostrophe() {
        for hostile in [
            "=HYPERLINK(\"http://x.test\",\"y\")",
            "+1+1",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1+1",
            "\r=1+1",
            "=cmd|' /C calc'!A0",
        ] {
            let safe = text_cell(hostile);
            assert_eq!(safe, format!("'{hostile}"), "{hostile:?}");
            assert!(!is_formula_like(&safe));
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for plain in [
            "",
            "ann@example.test",
            "Anne-Marie",
            "1001",
            "a=b",
            " =not at the start",
            "'already quoted",
        ] {
            assert!(matches!(text_cell(plain), Cow::Borrowed(_)), "{plain:?}");
            assert_eq!(text_cell(plain), plain);
        }
    }
}
