//! Calculated totals from clockings.

use super::Clocking;
use chrono::{Datelike, NaiveDate, Weekday};

/// The demo tenant's daily maximum of counted presence, in minutes.
pub const MAX_COUNTED_PRESENCE: i64 = 600;

/// Calculated totals of one person for `dates`, from the active in/out clockings (pairs in time order).
pub fn compute_totals(
    person: i64,
    clockings: &[&Clocking],
    dates: &[NaiveDate],
) -> Vec<(NaiveDate, i64, i64, i64)> {
    let mut out = Vec::new();
    for &day in dates {
        let mut times: Vec<i32> = clockings
            .iter()
            .filter(|c| {
                c.person == person && c.date == day && c.kind == "InOut" && c.status == "Active"
            })
            .map(|c| c.time)
            .collect();
        times.sort();
        let present: i64 = times
            .chunks(2)
            .filter(|p| p.len() == 2)
            .map(|p| (p[1] - p[0]) as i64)
            .sum();
        let normal = if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            0
        } else {
            480
        };
        // The demo tenant pays breaks (TimeClock 365's worked time counts lunch too, so the two
        // compare), and presence beyond its ten-hour daily maximum does not count.
        let calculated = present.min(MAX_COUNTED_PRESENCE);
        out.push((day, normal, present, calculated));
    }
    out
}
