//! Manual clockings: the draft a user enters, minute arithmetic, and the durable outbox through which
//! every clocking is sent exactly once; CSV import, the Protime gateway, and the activity structure
//! the form's cascading pickers offer ([`activities`], [`cascade`]). Depends on `timebridge-core`
//! for the workspace, the audit log and errors; never on Tauri.

pub mod activities;
pub mod cascade;
pub mod csv_import;
pub mod day;
pub mod draft;
pub mod minutes;
pub mod outbox;
pub mod preview;
pub mod protime_gateway;
pub mod service;
pub mod tenant_change;
pub mod unpaired;

#[cfg(test)]
mod audit_log_tests;

pub use draft::{
    ActivityLevelDraft, ClockingDraft, ClockingEntry, ClockingKind, FieldIssue, Reference,
};
pub use minutes::DayOffset;
pub use outbox::{
    ClockingGateway, DrainReport, Enqueued, OperationState, Outbox, OutboxCounts, OutboxItem,
    OutboxStatus, ReconcilePolicy, SendFailure, SendOutcome, WhenBusy,
};
pub use preview::{preview, preview_entry, ClockingPreview};
pub use protime_gateway::tenant_key;
