//! What Protime already holds for one person on one day, for the clocking form: the clockings of
//! that day (so an HR user sees what is there before adding to it), which of them are identical to
//! the clocking being entered, and the date up to which the person's calendar is closed.

use super::draft::{ClockingDraft, ClockingEntry, Reference};
use super::minutes::short_clock_text;
use super::outbox::ClockingGateway;
use super::protime_gateway::ProtimeGateway;
use chrono::NaiveDate;
use serde::Serialize;
use timebridge_core::dates::Day;
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;
use timebridge_protime::models::{Clocking, ClockingStatus, Person};
use timebridge_protime::{DateRange, ExternalReferences, Filter};

/// One clocking Protime holds on the day.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ExistingClocking {
    #[specta(type = f64)]
    pub id: i64,
    /// `HH:MM`, with `(−1)`/`(+1)` when it counts on the previous or next day.
    pub time_text: String,
    pub kind: String,
    /// The reason's id for `Reason` clockings.
    #[specta(type = Option<f64>)]
    pub reason_id: Option<i64>,
    /// Made by Protime (e.g. an automatic end), not by a person.
    pub generated: bool,
}

/// The person's day as Protime has it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PersonDay {
    /// Clockings on the day (deleted ones left out), by time.
    pub clockings: Vec<ExistingClocking>,
    /// Ids among `clockings` identical to the entry in every field it sends; empty when the entry
    /// is not complete yet.
    #[specta(type = Vec<f64>)]
    pub identical: Vec<i64>,
    /// The person's calendar is closed up to and including this day.
    pub period_closing_date: Option<Day>,
}

/// Refuses a clocking on or before the person's period closing date, naming the date: Protime
/// locks the calendar up to it, so such a clocking would only come back refused.
pub fn check_period_open(person: &Person, date: NaiveDate) -> Result<(), AppError> {
    match person.period_closing_date {
        Some(closed) if date <= closed => Err(AppError::validation(format!(
            "The calendar of {} is closed up to {} (Protime's period closing date): a clocking on {} \
             cannot be added. Ask payroll to reopen the period, or choose a later date.",
            person.display_name(),
            closed.format("%Y-%m-%d"),
            date.format("%Y-%m-%d")
        ))),
        _ => Ok(()),
    }
}

/// [`check_period_open`] before a clocking is queued. When Protime cannot say in a few seconds
/// (offline, slow, the person not found) the outbox takes the clocking and Protime decides: this
/// check only spares the user a refusal it knows is coming.
pub async fn refuse_closed_period(ws: &Workspace, draft: &ClockingDraft) -> Result<(), AppError> {
    let lookup = async {
        match &draft.person {
            Reference::Id { id } => ws.protime.person(id, None).await,
            Reference::External { name, value } => ws.protime.person(value, Some(name)).await,
        }
    };
    match tokio::time::timeout(std::time::Duration::from_secs(5), lookup).await {
        Ok(Ok(person)) => check_period_open(&person, draft.date.date()),
        _ => Ok(()),
    }
}

fn existing(c: &Clocking) -> ExistingClocking {
    ExistingClocking {
        id: c.id,
        time_text: short_clock_text(c.time_of_day_in_minutes),
        kind: c.kind.as_str().to_string(),
        reason_id: c.reason.as_ref().and_then(|r| r.id),
        generated: c.is_generated == Some(true),
    }
}

/// The day of the entry's person and date. `None` when the entry names no person yet.
pub async fn person_day(
    ws: &Workspace,
    entry: ClockingEntry,
) -> Result<Option<PersonDay>, AppError> {
    let Some(reference) = entry.person.clone() else {
        return Ok(None);
    };
    let client = &ws.protime;
    let person = match &reference {
        Reference::Id { id } => {
            let id = id
                .parse::<i64>()
                .map_err(|_| AppError::validation(format!("'{id}' is not a person id")))?;
            client.person(&id.to_string(), None).await?
        }
        Reference::External { name, value } => client.person(value, Some(name)).await?,
    };
    let date = entry.date.date();
    let mut clockings: Vec<Clocking> = client
        .clockings(
            DateRange::new(date, date)?,
            Some(Filter::is_in("person", [person.id])),
            &ExternalReferences::none(),
        )
        .await?
        .into_iter()
        .filter(|c| c.date == date && c.status != Some(ClockingStatus::Deleted))
        .collect();
    clockings.sort_by_key(|c| (c.time_of_day_in_minutes, c.id));
    // The outbox's own read-back decides what "identical" means, so the warning and the
    // reconciliation never disagree.
    let identical = match entry.into_draft() {
        Ok(draft) => ProtimeGateway { client }.find_matches(&draft).await?,
        Err(_) => Vec::new(),
    };
    Ok(Some(PersonDay {
        clockings: clockings.iter().map(existing).collect(),
        identical,
        period_closing_date: person.period_closing_date.map(Day::from),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(closed: Option<&str>) -> Person {
        serde_json::from_value(serde_json::json!({
            "id": 76549, "firstName": "Eitan", "lastName": "Levi",
            "periodClosingDate": closed.unwrap_or("")
        }))
        .unwrap()
    }

    #[test]
    fn a_closed_period_refuses_its_last_day_and_names_it() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let closed = person(Some("2026-10-31"));
        let e = check_period_open(&closed, d("2026-10-31")).unwrap_err();
        assert!(
            e.message.contains("Eitan Levi is closed up to 2026-10-31"),
            "{}",
            e.message
        );
        assert!(check_period_open(&closed, d("2026-11-01")).is_ok());
        assert!(check_period_open(&person(None), d("2020-01-01")).is_ok());
    }

    fn entry(person: i64, date: NaiveDate, time: &str) -> ClockingEntry {
        ClockingEntry::in_out(person, date.into(), time)
    }

    /// Against the sandbox over HTTP, with person 76544's calendar closed up to ten days ago.
    #[tokio::test]
    async fn the_day_lists_what_protime_holds_and_a_closed_period_is_refused_before_queueing() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = crate::Outbox::open(&dir.path().join("t.sqlite")).unwrap();
        let today = chrono::Local::now().date_naive();
        let mut config = timebridge_sandbox::SandboxConfig::default();
        config.protime.closed_period_until = Some(today - chrono::Duration::days(10));
        let ws = Workspace::open_sandbox_with(config).await.unwrap();

        // An open day: the clocking is sent, then listed, and the same entry is flagged identical.
        let sent = crate::service::submit(
            &ws.writer(false).unwrap(),
            &outbox,
            &entry(76503, today, "07:41").into_draft().unwrap(),
            false,
        )
        .await
        .unwrap();
        let remote = sent.remote_id.expect("sent at once to the sandbox");
        let day = person_day(&ws, entry(76503, today, "07:41"))
            .await
            .unwrap()
            .unwrap();
        let listed = day
            .clockings
            .iter()
            .find(|c| c.id == remote)
            .expect("listed");
        assert_eq!(
            (listed.time_text.as_str(), listed.kind.as_str()),
            ("07:41", "InOut")
        );
        assert_eq!(day.identical, vec![remote]);
        assert_eq!(day.period_closing_date, None);
        let other_time = person_day(&ws, entry(76503, today, "07:42"))
            .await
            .unwrap()
            .unwrap();
        assert!(other_time.identical.is_empty());

        // A closed period: the day says up to when, and submitting on that day is refused, unsent.
        let closed = person_day(&ws, entry(76544, today, "08:00"))
            .await
            .unwrap()
            .unwrap();
        let last_closed = closed
            .period_closing_date
            .expect("76544 has a closed period")
            .date();
        let e = crate::service::submit(
            &ws.writer(false).unwrap(),
            &outbox,
            &entry(76544, last_closed, "08:00").into_draft().unwrap(),
            false,
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, timebridge_core::ErrorCode::Validation);
        assert!(
            e.message
                .contains(&last_closed.format("is closed up to %Y-%m-%d").to_string()),
            "{}",
            e.message
        );
        assert!(outbox
            .recent(&ws.tenant_key(), 10)
            .unwrap()
            .iter()
            .all(|i| i.draft.person != Reference::id(76544)));
        // The sandbox holds the lock on its own, as Protime does, for writers that skip the check.
        let direct = entry(76544, last_closed, "08:00")
            .into_draft()
            .unwrap()
            .to_new_clocking()
            .unwrap();
        let refused = ws
            .protime
            .create_clocking(&direct, &ExternalReferences::none())
            .await
            .unwrap_err();
        assert!(refused.message.contains("closed"), "{}", refused.message);
        // The day after is open.
        let next = last_closed.succ_opt().unwrap();
        crate::service::submit(
            &ws.writer(false).unwrap(),
            &outbox,
            &entry(76544, next, "08:00").into_draft().unwrap(),
            false,
        )
        .await
        .unwrap();
        ws.close().await;
    }
}
