//! Maintaining Protime activity definitions (spec 4.5): browse a level or the whole tree, create, edit
//! (full-record PUT with a diff preview), upsert by external reference, deactivate, move under another
//! parent, and edit usages and restrictions.
//!
//! Every request the API would refuse is refused here first, with the reasons: 16-character limits,
//! uniqueness of data entry code and external reference within structure version and level (against
//! the loaded list), `activeUntil` not before `activeFrom`, a parent for levels below the first, the
//! parent only at creation, overlapping usages. Every write is recorded in the audit log when an
//! [`Audit`] is given.
//!
//! A write whose answer is lost (timeout, reset, 5xx) is recorded as `Uncertain`, never `Refused`,
//! and is read back before anything is sent again ([`readback`]). A create first reads the level
//! back and does not send a definition that is already there. Dates are exactly `YYYY-MM-DD`
//! ([`strict_date`]); nothing is corrected into another date.

mod admin;
pub mod csv;
mod diff;
pub mod readback;
mod rows;
pub mod service;
mod tree;
mod types;
mod usage_rules;
mod validation;

pub use admin::*;
pub use diff::*;
pub use rows::*;
pub use tree::*;
pub use types::*;
pub use usage_rules::*;
pub use validation::*;

use chrono::{Days, NaiveDate};
use readback::WriteSpec;
pub use readback::{How, WriteFailed, Written, DEFAULT_QUIET_PERIOD};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use timebridge_core::audit::AuditDb;
use timebridge_core::{AppError, ErrorCode};
use timebridge_protime::models::{
    ActivityDefinition, ActivityDefinitionInput, LocalizedText, Ref, Restriction, Usage, UsageKind,
    UsageUpdate,
};
pub use timebridge_protime::LevelPath;
use timebridge_protime::{DefinitionRef, ProtimeClient, Upserted};

/// The longest data entry code or external reference Protime accepts.
pub const MAX_CODE: usize = 16;

#[cfg(test)]
mod tests;
