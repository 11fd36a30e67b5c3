//! The outbox's view of the Protime API: one `POST /clockings` per attempt, and a read-back of the
//! person's clockings to reconcile an uncertain send.

use super::draft::{ClockingDraft, Reference};
use super::outbox::{ClockingGateway, SendFailure};
use crate::AppError;
use chrono::{Duration, NaiveDate};
use timebridge_protime::models::{Clocking, ClockingStatus, NewClocking};
use timebridge_protime::{
    Created, DateRange, ErrorKind, ExternalReferences, Filter, ProtimeClient,
};

pub struct ProtimeGateway<'a> {
    pub client: &'a ProtimeClient,
}

fn refs_for(draft: &ClockingDraft) -> ExternalReferences {
    draft
        .external_reference_spec()
        .into_iter()
        .fold(ExternalReferences::none(), |refs, (collection, name)| {
            refs.with(collection, &name)
        })
}

/// Sorts a failed write into "never left", "refused" and "may have been committed".
fn classify(e: timebridge_protime::Error) -> SendFailure {
    match e.kind {
        // The TCP connection was never made (reqwest's connect error): nothing reached Protime.
        ErrorKind::Network if e.message.starts_with("Could not connect") => {
            SendFailure::NotSent(e.message)
        }
        // A timeout or reset after the request left may have been committed.
        ErrorKind::Network | ErrorKind::Upstream | ErrorKind::Decode => {
            SendFailure::Uncertain(e.message)
        }
        // 429: refused before processing, safe to send again later.
        ErrorKind::RateLimited => SendFailure::NotSent(e.message),
        _ => SendFailure::Rejected(AppError::from(e)),
    }
}

impl ClockingGateway for ProtimeGateway<'_> {
    fn tenant(&self) -> String {
        self.client.tenant()
    }

    async fn create(&self, draft: &ClockingDraft) -> Result<i64, SendFailure> {
        let clocking: NewClocking = serde_json::from_value(draft.to_body()).map_err(|e| {
            SendFailure::Rejected(AppError::validation(format!(
                "The clocking cannot be encoded: {e}"
            )))
        })?;
        match self.client.create_clocking(&clocking, &refs_for(draft)).await {
            Ok(Created::Created { id, .. }) => Ok(id),
            Ok(Created::Accepted { operation_location }) => Err(SendFailure::Uncertain(format!(
                "Protime accepted the clocking for later processing ({operation_location}); checking before any resend"
            ))),
            Err(e) => Err(classify(e)),
        }
    }

    async fn find_matches(&self, draft: &ClockingDraft) -> Result<Vec<i64>, AppError> {
        let person_id = match &draft.person {
            Reference::Id { id } => id
                .parse::<i64>()
                .map_err(|_| AppError::validation(format!("'{id}' is not a person id")))?,
            Reference::External { name, value } => self.client.person(value, Some(name)).await?.id,
        };
        let date = NaiveDate::parse_from_str(&draft.date, "%Y-%m-%d")
            .map_err(|_| AppError::validation(format!("'{}' is not a date", draft.date)))?;
        // ±1 day: a clocking at −120 on the 14th may be stored as 1320 on the 13th.
        let range = DateRange::new(date - Duration::days(1), date + Duration::days(1))?;
        let found = self
            .client
            .clockings(
                range,
                Some(Filter::is_in("person", [person_id])),
                &ExternalReferences::none(),
            )
            .await?;
        Ok(found
            .into_iter()
            .filter(|c| same_clocking(draft, date, c))
            .map(|c| c.id)
            .collect())
    }
}

/// Same moment, kind, reason and activities. Moments compare as absolute minutes, so the two
/// spellings of a night-shift time match. References given by external reference cannot be compared
/// by id and are not compared (the person and the moment already narrow it to one clocking).
pub fn same_clocking(draft: &ClockingDraft, date: NaiveDate, c: &Clocking) -> bool {
    let absolute =
        |d: NaiveDate, m: i32| d.signed_duration_since(NaiveDate::MIN).num_days() * 1440 + m as i64;
    if matches!(c.status, Some(ClockingStatus::Deleted)) {
        return false;
    }
    if absolute(c.date, c.time_of_day_in_minutes) != absolute(date, draft.time_of_day_in_minutes) {
        return false;
    }
    if c.kind.as_str() != draft.kind.as_str() {
        return false;
    }
    if let (Some(Reference::Id { id }), Some(remote)) = (&draft.reason, &c.reason) {
        if remote.id.map(|r| r.to_string()).as_deref() != Some(id.as_str()) {
            return false;
        }
    }
    let mut levels: Vec<u32> = draft.activity_levels.iter().map(|l| l.level).collect();
    let mut remote_levels: Vec<u32> = c.activity_levels.iter().map(|l| l.level).collect();
    levels.sort_unstable();
    remote_levels.sort_unstable();
    if levels != remote_levels {
        return false;
    }
    draft.activity_levels.iter().all(|l| match &l.activity {
        Reference::Id { id } => c.activity_levels.iter().any(|r| {
            r.level == l.level && r.activity_definition.id.as_deref() == Some(id.as_str())
        }),
        Reference::External { .. } => true,
    })
}
