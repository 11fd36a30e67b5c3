//! Date-range rules of list and delta calls, and the change-version ordering of delta feeds.

use crate::filter::Filter;
use crate::{Error, ErrorKind};
use chrono::{Datelike, Months, NaiveDate};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;

/// The date range of a list call on dated data: both bounds, at most one year
/// (`until` earlier than `from` + 12 months, so 2024-01-01..2024-12-31 is the longest from 1 January).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::BadRequest, msg)
}

fn one_year_after(d: NaiveDate) -> NaiveDate {
    d.checked_add_months(Months::new(12))
        .unwrap_or(NaiveDate::MAX)
}

impl DateRange {
    pub fn new(from: NaiveDate, until: NaiveDate) -> Result<Self, Error> {
        if until < from {
            return Err(invalid(format!(
                "The end date {until} is before the start date {from}"
            )));
        }
        if until >= one_year_after(from) {
            return Err(invalid(format!(
                "The period {from} to {until} is longer than Protime allows: choose at most one year (until {})",
                one_year_after(from).pred_opt().unwrap_or(from)
            )));
        }
        Ok(Self { from, until })
    }
    pub fn to_filter(self) -> Filter {
        Filter::date_range(self.from, self.until)
    }
}

/// The date filter of a delta start: the start is a recent past date, not before 1 January of the
/// previous year; the end is optional and at most one year after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeltaRange {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl DeltaRange {
    /// Checks the rules against `today`.
    pub fn new(from: NaiveDate, until: Option<NaiveDate>, today: NaiveDate) -> Result<Self, Error> {
        let earliest = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).expect("valid date");
        if from < earliest {
            return Err(invalid(format!(
                "A change feed cannot start on {from}: the earliest start Protime allows is {earliest} (1 January of last year)"
            )));
        }
        if from > today {
            return Err(invalid(format!(
                "A change feed must start in the past, not on {from}"
            )));
        }
        if let Some(u) = until {
            DateRange::new(from, u)?;
        }
        Ok(Self { from, until })
    }
    pub fn to_filter(self) -> Filter {
        match self.until {
            Some(u) => Filter::date_range(self.from, u),
            None => Filter::ge("date", self.from),
        }
    }
}

/// Delta filters may not use `person`.
pub fn check_delta_filter(filter: &Filter) -> Result<(), Error> {
    if filter.uses_field("person") {
        return Err(invalid(
            "People cannot be used in a change feed filter: filter on dates only and pick people afterwards".into(),
        ));
    }
    Ok(())
}

/// Ordinal (byte-wise) comparison of change versions, as the documentation prescribes.
pub fn compare_change_versions(a: &str, b: &str) -> Ordering {
    a.as_bytes().cmp(b.as_bytes())
}

/// Keeps the newest version of each item: a received version lower than the one held is ignored.
#[derive(Debug, Clone)]
pub struct LatestById<K: Eq + Hash, T> {
    items: HashMap<K, (String, T)>,
}

impl<K: Eq + Hash, T> Default for LatestById<K, T> {
    fn default() -> Self {
        Self {
            items: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash, T> LatestById<K, T> {
    pub fn new() -> Self {
        Self::default()
    }
    /// Stores `item` unless an equal or newer version of `id` is held; returns whether it was stored.
    pub fn apply(&mut self, id: K, change_version: &str, item: T) -> bool {
        if let Some((held, _)) = self.items.get(&id) {
            if compare_change_versions(change_version, held) != Ordering::Greater {
                return false;
            }
        }
        self.items.insert(id, (change_version.to_string(), item));
        true
    }
    /// Removes `id` unless a newer version is held.
    pub fn remove(&mut self, id: &K, change_version: &str) -> bool {
        match self.items.get(id) {
            Some((held, _)) if compare_change_versions(change_version, held) == Ordering::Less => {
                false
            }
            Some(_) => {
                self.items.remove(id);
                true
            }
            None => false,
        }
    }
    pub fn get(&self, id: &K) -> Option<&T> {
        self.items.get(id).map(|(_, t)| t)
    }
    pub fn version(&self, id: &K) -> Option<&str> {
        self.items.get(id).map(|(v, _)| v.as_str())
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.items.values().map(|(_, t)| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn list_ranges() {
        assert!(DateRange::new(d("2024-01-01"), d("2024-12-31")).is_ok());
        assert!(DateRange::new(d("2024-01-01"), d("2025-01-01")).is_err());
        assert!(DateRange::new(d("2024-02-01"), d("2024-01-01")).is_err());
    }

    #[test]
    fn delta_ranges() {
        let today = d("2026-11-22");
        assert!(DeltaRange::new(d("2025-01-01"), None, today).is_ok());
        let e = DeltaRange::new(d("2024-12-31"), None, today).unwrap_err();
        assert!(e.message.contains("2025-01-01"), "{}", e.message);
        assert!(DeltaRange::new(d("2026-11-23"), None, today).is_err());
        assert!(DeltaRange::new(d("2025-06-01"), Some(d("2026-06-01")), today).is_err());
        assert!(check_delta_filter(&Filter::is_in("person", [1i64])).is_err());
    }

    proptest! {
        #[test]
        fn change_versions_compare_like_their_numbers(a in 0u64..u64::MAX / 2, b in 0u64..u64::MAX / 2) {
            let (x, y) = (format!("{a:020X}"), format!("{b:020X}"));
            prop_assert_eq!(compare_change_versions(&x, &y), a.cmp(&b));
        }

        #[test]
        fn latest_wins_whatever_the_arrival_order(mut versions in proptest::collection::vec(0u64..1000, 1..20)) {
            let mut cache = LatestById::new();
            for v in &versions {
                cache.apply(1, &format!("{v:020X}"), *v);
            }
            versions.sort();
            prop_assert_eq!(cache.get(&1), versions.last());
        }
    }
}
