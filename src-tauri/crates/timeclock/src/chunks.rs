//! Long periods are fetched in chunks of days: the ranges to ask for, and the answers merged back
//! into one list (employees in number order, records de-duplicated across chunk edges).

use crate::models::{EmployeeEntry, Record};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// Inclusive ranges of at most `chunk_days` days covering `start..=end`, in order.
pub fn chunk_ranges(
    start: NaiveDate,
    end: NaiveDate,
    chunk_days: u32,
) -> Vec<(NaiveDate, NaiveDate)> {
    let step = chunk_days.max(1) as i64;
    let mut out = Vec::new();
    let mut s = start;
    while s <= end {
        let e = (s + chrono::Duration::days(step - 1)).min(end);
        out.push((s, e));
        s = e + chrono::Duration::days(1);
    }
    out
}

/// Merges chunk answers: employees in order of their number (numeric when numeric), records
/// de-duplicated on (startDate, timezone) and sorted, each resolved to real instants.
///
/// Each employee's list grows by exactly what each chunk adds, and duplicates are dropped after a
/// stable sort (the first seen of equal keys stays, as with a set of keys seen): growing by
/// doubling and a set of keys per employee held a third more than the records themselves.
pub fn merge<E, I>(parts: I, default_zone: Tz) -> Vec<E>
where
    E: EmployeeEntry,
    I: IntoIterator<Item = Vec<E>>,
{
    let mut out: Vec<E> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for part in parts {
        for mut emp in part {
            let known = match emp.employee_key().map(str::to_string) {
                Some(k) => match index.entry(k) {
                    Entry::Occupied(at) => Some(*at.get()),
                    Entry::Vacant(slot) => {
                        slot.insert(out.len());
                        None
                    }
                },
                None => None,
            };
            match known {
                Some(i) => {
                    let records = std::mem::take(emp.records_mut());
                    out[i].absorb(&emp);
                    let target = out[i].records_mut();
                    target.reserve_exact(records.len());
                    target.extend(records);
                }
                None => out.push(emp),
            }
        }
    }
    for emp in &mut out {
        let recs = emp.records_mut();
        recs.sort_by(|a, b| a.key().cmp(&b.key()));
        recs.dedup_by(|later, kept| later.key() == kept.key());
        recs.shrink_to_fit();
        for r in recs.iter_mut() {
            r.resolve(default_zone);
        }
    }
    out.sort_by_cached_key(|e| employee_order(e.employee_key()));
    out
}

fn employee_order(key: Option<&str>) -> (u8, u128, String) {
    match key {
        Some(k) => match k.trim().parse::<u128>() {
            Ok(n) => (0, n, k.to_string()),
            Err(_) => (1, 0, k.to_string()),
        },
        None => (2, 0, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_range() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let c = chunk_ranges(d("2025-01-01"), d("2025-01-31"), 7);
        assert_eq!(c.len(), 5);
        assert_eq!(c[0], (d("2025-01-01"), d("2025-01-07")));
        assert_eq!(c[4], (d("2025-01-29"), d("2025-01-31")));
        assert_eq!(chunk_ranges(d("2025-01-01"), d("2025-01-01"), 30).len(), 1);
    }
}
