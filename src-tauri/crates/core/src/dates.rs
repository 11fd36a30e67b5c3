//! Dates as users type them. One rule for every date the app and the command line accept: exactly
//! `YYYY-MM-DD`, a real day of the calendar, a year from 1900 to 2199. Anything else is an error that
//! names the format; nothing is ever "corrected" into another day (`29/11/2026` is not year 29,
//! `2026-11-31` is not 1 December).

use chrono::NaiveDate;

/// The one date format the forms, the importer and the services accept: exactly `YYYY-MM-DD`
/// (four-digit year 1900..=2199, two-digit month and day) naming a real calendar day. Anything else
/// is an error that names the format; nothing is corrected into another date.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "'{s}' is not a date in the format YYYY-MM-DD (for example 2026-11-30)"
        ));
    }
    // Only ASCII digits and hyphens from here, so the slices are on character boundaries.
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    if !(1900..=2199).contains(&y) {
        return Err(format!(
            "'{s}' has the year {y}; give a year from 1900 to 2199 in the format YYYY-MM-DD"
        ));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        format!("'{s}' is not a day of the calendar (format YYYY-MM-DD: month 01-12, a day that month has)")
    })
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn only_exact_calendar_days_pass() {
        for good in ["2026-11-29", "2028-02-29", "1900-01-01", "2199-12-31"] {
            assert!(parse_day(good).is_ok(), "{good}");
        }
        for bad in [
            "29/11/2026",
            "30-11-2026",
            "2026-11-31",
            "2026-02-29",
            "2026-1-5",
            "0029-01-01",
            "2026-11-29 ",
            "+2026-11-29",
            "2026\u{2013}11\u{2013}29",
            "",
        ] {
            let e = parse_day(bad).unwrap_err();
            assert!(e.contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }
}
