//! Totals for days the change feed cannot reach. Protime's calculated-totals feed starts no earlier
//! than 1 January of last year and spans at most one year; for anything before that the plain
//! filtered list (`GET /calculated-totals?filter=date ge … and date le …`, at most one year per
//! query, paged through `nextLink`) is the way in. Those days are read when the report asks for
//! them and not kept in the cache: the cache's feed could never bring them up to date.

use super::{CachedTotal, Window};
use chrono::{Datelike, Duration, Months, NaiveDate};
use timebridge_core::AppError;
use timebridge_protime::{DateRange, ExternalReferences, ProtimeClient};

/// The first day a change feed started on `today` may cover.
pub fn feed_reaches_from(today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).expect("1 January exists")
}

/// The last day of a query starting on `from` that stays within Protime's one-year span.
fn year_end(from: NaiveDate) -> NaiveDate {
    from.checked_add_months(Months::new(12))
        .map_or(NaiveDate::MAX, |d| d - Duration::days(1))
}

/// The window split into the part only the list can serve and the part the change feed serves:
/// the feed takes the most recent days it can reach, at most one year ending on `to`.
pub fn split(w: Window, today: NaiveDate) -> (Option<Window>, Option<Window>) {
    // The feed's window must start within a year of its end: keep the year up to `to`.
    let within_a_year = to_start_of_last_year(w.to);
    let feed_from = w.from.max(feed_reaches_from(today)).max(within_a_year);
    if feed_from > w.to {
        return (Some(w), None);
    }
    let before = (w.from < feed_from).then(|| Window {
        from: w.from,
        to: feed_from - Duration::days(1),
    });
    (
        before,
        Some(Window {
            from: feed_from,
            to: w.to,
        }),
    )
}

/// The earliest start whose one-year span still reaches `to`.
fn to_start_of_last_year(to: NaiveDate) -> NaiveDate {
    to.checked_sub_months(Months::new(12))
        .map_or(NaiveDate::MIN, |d| d + Duration::days(1))
}

/// The queries that cover `w`, each at most a year long, in date order.
pub fn year_chunks(w: Window) -> Vec<Window> {
    let mut out = Vec::new();
    let mut start = w.from;
    while start <= w.to {
        let end = year_end(start).min(w.to);
        out.push(Window {
            from: start,
            to: end,
        });
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// Reads `w` with the filtered list, one query per year (each paged by the client), by person and
/// date.
pub async fn list_totals(client: &ProtimeClient, w: Window) -> Result<Vec<CachedTotal>, AppError> {
    let mut rows = Vec::new();
    for chunk in year_chunks(w) {
        let range = DateRange::new(chunk.from, chunk.to).map_err(AppError::from)?;
        let page = client
            .calculated_totals(range, None, &ExternalReferences::none())
            .await
            .map_err(AppError::from)?;
        rows.extend(page.iter().filter_map(CachedTotal::from_api));
    }
    rows.sort_by_key(|r| (r.person_id, r.date, r.id));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn w(from: &str, to: &str) -> Window {
        Window {
            from: d(from),
            to: d(to),
        }
    }

    #[test]
    fn the_feed_takes_what_it_reaches_and_the_list_the_rest() {
        let today = d("2026-12-01");
        assert_eq!(feed_reaches_from(today), d("2025-01-01"));
        // Entirely within the feed's reach.
        assert_eq!(
            split(w("2026-11-01", "2026-11-30"), today),
            (None, Some(w("2026-11-01", "2026-11-30")))
        );
        // Straddling 1 January of last year.
        assert_eq!(
            split(w("2024-12-01", "2025-01-31"), today),
            (
                Some(w("2024-12-01", "2024-12-31")),
                Some(w("2025-01-01", "2025-01-31"))
            )
        );
        // Entirely before it.
        assert_eq!(
            split(w("2023-03-01", "2023-03-31"), today),
            (Some(w("2023-03-01", "2023-03-31")), None)
        );
        // Longer than a year inside the reach: the feed keeps the last year, the list the rest.
        assert_eq!(
            split(w("2025-01-01", "2026-11-30"), today),
            (
                Some(w("2025-01-01", "2025-11-30")),
                Some(w("2025-12-01", "2026-11-30"))
            )
        );
    }

    #[test]
    fn list_queries_span_at_most_a_year_each() {
        let chunks = year_chunks(w("2022-03-15", "2024-06-30"));
        assert_eq!(
            chunks,
            vec![
                w("2022-03-15", "2023-03-14"),
                w("2023-03-15", "2024-03-14"),
                w("2024-03-15", "2024-06-30")
            ]
        );
        for c in &chunks {
            assert!(DateRange::new(c.from, c.to).is_ok(), "{c:?}");
        }
        assert_eq!(year_chunks(w("2024-02-29", "2024-02-29")).len(), 1);
    }
}
