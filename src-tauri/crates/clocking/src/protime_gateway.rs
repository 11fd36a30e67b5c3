//! The outbox's view of the Protime API: one `POST /clockings` per attempt, a read-back of the
//! person's clockings to reconcile an uncertain send, and the monitor of a `202 Accepted` operation.

use super::draft::{ClockingDraft, Reference};
use super::outbox::{ClockingGateway, OperationState, SendFailure, SendOutcome};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;
use timebridge_core::AppError;
use timebridge_protime::models::{Clocking, ClockingStatus, Ref};
use timebridge_protime::{
    Created, DateRange, ErrorKind, ExternalReferences, Filter, OperationStatus, ProtimeClient,
};

pub struct ProtimeGateway<'a> {
    pub client: &'a ProtimeClient,
}

/// The tenant identity lives with the workspace, which scopes everything by it.
pub use timebridge_core::workspace::{tenant_key, tenant_key_of_urls};

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

    async fn create(&self, draft: &ClockingDraft) -> Result<SendOutcome, SendFailure> {
        let clocking = draft
            .to_new_clocking()
            .map_err(|issues| SendFailure::Rejected(crate::draft::refused(issues)))?;
        match self
            .client
            .create_clocking(&clocking, &refs_for(draft))
            .await
        {
            Ok(Created::Created { id, .. }) => Ok(SendOutcome::Created(id)),
            Ok(Created::Accepted { operation_location }) => {
                Ok(SendOutcome::Accepted { operation_location })
            }
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
        let date = draft.date.date();
        // ±1 day: a clocking at −120 on the 14th may be stored as 1320 on the 13th.
        let range = DateRange::new(date - Duration::days(1), date + Duration::days(1))?;
        // The same external references as the POST, so references compare as sent.
        let found = self
            .client
            .clockings(
                range,
                Some(Filter::is_in("person", [person_id])),
                &refs_for(draft),
            )
            .await?;
        Ok(found
            .into_iter()
            .filter(|c| same_clocking(draft, date, c))
            .map(|c| c.id)
            .collect())
    }

    async fn operation_status(&self, operation_location: &str) -> Result<OperationState, AppError> {
        // The client refuses a monitor on another origin before any token is sent to it.
        Ok(
            match self.client.operation_status(operation_location).await? {
                OperationStatus::Running => OperationState::Running,
                OperationStatus::Succeeded { id } => OperationState::Succeeded(id),
                OperationStatus::Failed(e) => OperationState::Failed(AppError::from(e)),
            },
        )
    }
}

/// Whether a remote reference is the one the draft sent: by id, or by the external reference's value
/// (the read-back asks for the same references the POST used).
fn same_reference<I: ToString>(sent: &Reference, remote: &Ref<I>) -> bool {
    match sent {
        Reference::Id { id } => remote.id.as_ref().map(|r| r.to_string()).as_deref() == Some(id),
        Reference::External { name, value } => remote
            .external_references
            .as_ref()
            .and_then(|m: &BTreeMap<String, String>| m.get(name))
            .is_some_and(|v| v == value),
    }
}

/// The same clocking in every field the draft sends: moment, kind, reason, open flag, activities,
/// terminal and geolocation. Moments compare as absolute minutes, so the two spellings of a
/// night-shift time match. A field the draft leaves out is not compared (Protime may fill it in).
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
    let optional = |sent: &Option<Reference>, remote: &Option<Ref<i64>>| match (sent, remote) {
        (None, _) => true,
        (Some(s), Some(r)) => same_reference(s, r),
        (Some(_), None) => false,
    };
    if !optional(&draft.reason, &c.reason) || !optional(&draft.terminal, &c.terminal) {
        return false;
    }
    if draft.is_open.is_some() && c.is_open.is_some() && draft.is_open != c.is_open {
        return false;
    }
    if let (Some(lat), Some(lon)) = (draft.latitude, draft.longitude) {
        let Some(g) = &c.geolocation else {
            return false;
        };
        if (g.latitude - lat).abs() > 1e-6 || (g.longitude - lon).abs() > 1e-6 {
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
    draft.activity_levels.iter().all(|l| {
        c.activity_levels
            .iter()
            .any(|r| r.level == l.level && same_reference(&l.activity, &r.activity_definition))
    })
}
