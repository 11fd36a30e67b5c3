//! The days of a period on which a person's In/Out clockings in Protime do not pair up: an odd
//! count means an in- or out-punch is missing, which the report's "needs attention" list offers to
//! fix. Read with one clockings list over the whole period (paged), not one request per person.

use serde::Serialize;
use std::collections::BTreeMap;
use timebridge_core::dates::{Day, Period};
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;
use timebridge_protime::models::{Clocking, ClockingKind, ClockingStatus};
use timebridge_protime::{DateRange, ExternalReferences};

/// One person's day with an odd number of In/Out clockings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct UnpairedDay {
    /// Protime's person id (well inside JavaScript's safe range, as for `PersonSummary`).
    #[specta(type = i32)]
    pub person_id: i64,
    pub date: Day,
    pub in_out_count: u32,
}

/// The days among `clockings` whose In/Out clockings (deleted ones left out) are odd in number, by
/// date, then person.
pub fn unpaired<'a>(clockings: impl IntoIterator<Item = &'a Clocking>) -> Vec<UnpairedDay> {
    let mut counts: BTreeMap<(chrono::NaiveDate, i64), u32> = BTreeMap::new();
    for c in clockings {
        let Some(person) = c.person.id else { continue };
        if c.kind != ClockingKind::InOut || c.status == Some(ClockingStatus::Deleted) {
            continue;
        }
        *counts.entry((c.date, person)).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| n % 2 == 1)
        .map(|((date, person_id), in_out_count)| UnpairedDay {
            person_id,
            date: date.into(),
            in_out_count,
        })
        .collect()
}

/// The unpaired days of `period` as Protime holds them now (at most a year, Protime's limit).
pub async fn unpaired_days(ws: &Workspace, period: Period) -> Result<Vec<UnpairedDay>, AppError> {
    let range = DateRange::new(period.first().date(), period.last().date())?;
    let clockings = ws
        .protime
        .clockings(range, None, &ExternalReferences::none())
        .await?;
    Ok(unpaired(&clockings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::ClockingEntry;

    fn clocking(id: i64, person: i64, date: &str, kind: &str, status: &str) -> Clocking {
        serde_json::from_value(serde_json::json!({
            "id": id, "person": {"id": person}, "date": date, "timeOfDayInMinutes": 480,
            "kind": kind, "status": status
        }))
        .unwrap()
    }

    #[test]
    fn only_odd_in_out_counts_are_unpaired() {
        let day = |s: &str| -> Day { s.parse().unwrap() };
        let list = [
            clocking(1, 7, "2026-11-02", "InOut", "Active"),
            clocking(2, 7, "2026-11-02", "InOut", "Active"),
            clocking(3, 7, "2026-11-03", "InOut", "Active"),
            // A reason or activity clocking is not half of an in/out pair.
            clocking(4, 7, "2026-11-03", "Reason", "Active"),
            clocking(5, 8, "2026-11-03", "InOut", "Active"),
            clocking(6, 8, "2026-11-03", "InOut", "Active"),
            // A deleted clocking no longer counts: this day pairs up again.
            clocking(7, 8, "2026-11-03", "InOut", "Deleted"),
            clocking(8, 9, "2026-11-01", "InOut", "Active"),
            clocking(9, 9, "2026-11-01", "InOut", "Active"),
            clocking(10, 9, "2026-11-01", "InOut", "Active"),
        ];
        assert_eq!(
            unpaired(&list),
            vec![
                UnpairedDay {
                    person_id: 9,
                    date: day("2026-11-01"),
                    in_out_count: 3
                },
                UnpairedDay {
                    person_id: 7,
                    date: day("2026-11-03"),
                    in_out_count: 1
                },
            ]
        );
    }

    /// Against the sandbox over HTTP: one in-punch makes a day unpaired, the out-punch pairs it.
    #[tokio::test]
    async fn a_missing_out_punch_is_listed_until_it_is_added() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let outbox = crate::Outbox::open(&dir.path().join("t.sqlite")).unwrap();
        // A day well after the sandbox's data, so only this test's clockings are on it.
        let day: Day = (chrono::Local::now().date_naive() + chrono::Duration::days(200)).into();
        let period = Period::new(day, day).unwrap();
        assert_eq!(unpaired_days(&ws, period).await.unwrap(), vec![]);
        let send = |time: &'static str| {
            let draft = ClockingEntry::in_out(76503, day, time)
                .into_draft()
                .unwrap();
            let (ws, outbox) = (&ws, &outbox);
            async move {
                crate::service::submit(&ws.writer(false).unwrap(), outbox, &draft, false)
                    .await
                    .unwrap()
            }
        };
        send("08:00").await;
        assert_eq!(
            unpaired_days(&ws, period).await.unwrap(),
            vec![UnpairedDay {
                person_id: 76503,
                date: day,
                in_out_count: 1
            }]
        );
        send("16:30").await;
        assert_eq!(unpaired_days(&ws, period).await.unwrap(), vec![]);
        ws.close().await;
    }
}
