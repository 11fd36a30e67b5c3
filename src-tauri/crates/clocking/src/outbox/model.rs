//! What the outbox holds and promises: an item and its states, what a send produced, the gateway a
//! drain sends through, and the reconcile policy.

use super::super::draft::ClockingDraft;
use serde::Serialize;
use std::future::Future;
use std::time::Duration;
use timebridge_core::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
pub enum OutboxStatus {
    Pending,
    Sending,
    Sent,
    Rejected,
    Queued,
    Unknown,
    Discarded,
}

impl OutboxStatus {
    pub(super) fn parse(s: &str) -> Self {
        match s {
            "Pending" => Self::Pending,
            "Sending" => Self::Sending,
            "Sent" => Self::Sent,
            "Rejected" => Self::Rejected,
            "Queued" => Self::Queued,
            "Discarded" => Self::Discarded,
            _ => Self::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OutboxItem {
    #[specta(type = i32)]
    pub id: i64,
    /// Random for a form submission; `import:<content>:<occurrence>` for a CSV row.
    pub client_id: String,
    /// The Protime tenant the item is for ([`crate::clocking::tenant_key`]).
    pub tenant: String,
    /// The profile that queued it (for display; the tenant decides where it goes).
    pub profile_id: String,
    pub draft: ClockingDraft,
    /// The draft's time as the screen shows it (`22:00 (−1)`, `24:00 (+1)`), written by
    /// [`crate::minutes::short_clock_text`] so the UI does no minute arithmetic.
    pub time_text: String,
    pub status: OutboxStatus,
    /// The clocking id Protime gave (from `Location`, the operation monitor, or found when reconciling).
    #[specta(type = Option<i32>)]
    pub remote_id: Option<i64>,
    pub attempts: u32,
    pub message: Option<String>,
    pub reasons: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// When it became `Sent` (RFC 3339, UTC).
    pub sent_at: Option<String>,
    /// For an `Unknown` item: Protime is checked again at this time (RFC 3339, UTC); it is sent again
    /// only when two checks found nothing.
    pub checking_until: Option<String>,
}

/// What a send produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// `201 Created`: the clocking's id.
    Created(i64),
    /// `202 Accepted`: processing goes on at the operation monitor.
    Accepted { operation_location: String },
}

/// Why a send did not produce an id.
#[derive(Debug, Clone)]
pub enum SendFailure {
    /// The request never reached the server (no connection, 429): safe to send again later.
    NotSent(String),
    /// The server refused it (4xx): sending again would fail the same way.
    Rejected(AppError),
    /// It may have been committed (timeout, reset, 5xx after the request left).
    Uncertain(String),
}

/// An accepted (202) operation as its monitor reports it.
#[derive(Debug, Clone)]
pub enum OperationState {
    Running,
    Succeeded(Option<i64>),
    Failed(AppError),
}

/// What the outbox needs from the Protime API.
pub trait ClockingGateway: Sync {
    /// The tenant the clockings go to, as the audit log names it.
    fn tenant(&self) -> String;
    /// `POST /clockings`, never retried.
    fn create(
        &self,
        draft: &ClockingDraft,
    ) -> impl Future<Output = Result<SendOutcome, SendFailure>> + Send;
    /// Ids of existing clockings identical to the draft in every field it sends, read back from the
    /// API.
    fn find_matches(
        &self,
        draft: &ClockingDraft,
    ) -> impl Future<Output = Result<Vec<i64>, AppError>> + Send;
    /// Polls a `202 Accepted` operation.
    fn operation_status(
        &self,
        operation_location: &str,
    ) -> impl Future<Output = Result<OperationState, AppError>> + Send;
}

/// When an uncertain send may be checked and when it may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconcilePolicy {
    /// How long after an uncertain send Protime is first read back. A server may commit a request
    /// after the client gave up on it, so this is the request timeout plus [`QUIET_MARGIN`].
    pub quiet: Duration,
    /// The least time between the two read-backs that must both find nothing before a resend.
    pub recheck_spacing: Duration,
}

/// Added to the request timeout to make the quiet period: covers a server (or a proxy in front of
/// it) that goes on processing a request for a while after the client gave up.
pub const QUIET_MARGIN: Duration = Duration::from_secs(30);
/// Default spacing of the two read-backs.
pub const RECHECK_SPACING: Duration = Duration::from_secs(15);

impl ReconcilePolicy {
    /// The rule for a client whose requests time out after `timeout`.
    pub fn for_timeout(timeout: Duration) -> Self {
        Self {
            quiet: timeout + QUIET_MARGIN,
            recheck_spacing: RECHECK_SPACING,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct DrainReport {
    pub sent: u32,
    /// Of `sent`: found already present when reconciling (or reported by the operation monitor), so
    /// not sent again.
    pub reconciled: u32,
    pub rejected: u32,
    pub queued: u32,
    /// Uncertain items still being checked.
    pub unknown: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct OutboxCounts {
    pub pending: u32,
    pub sent: u32,
    pub rejected: u32,
    pub queued: u32,
    pub unknown: u32,
}

/// How a keyed enqueue found its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Enqueued {
    pub item: OutboxItem,
    /// The key was already in the outbox before this call (a re-run of the same import).
    pub existed: bool,
}
