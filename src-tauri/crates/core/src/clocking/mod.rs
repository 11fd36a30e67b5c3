//! Manual clockings: the draft a user enters, minute arithmetic, and the durable outbox through which
//! every clocking is sent exactly once.

pub mod csv_import;
pub mod draft;
pub mod minutes;
pub mod outbox;

pub use draft::{ActivityLevelDraft, ClockingDraft, ClockingKind, FieldIssue, Reference};
pub use minutes::DayOffset;
pub use outbox::{ClockingGateway, DrainReport, Outbox, OutboxItem, OutboxStatus, SendFailure};
