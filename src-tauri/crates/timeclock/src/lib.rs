//! Client for the TimeClock 365 JSON-RPC API (contract: `shared/spec/timeclock365-api.md`).
//!
//! Read-only methods over one POST endpoint: `sessions`, `lunches`, `timesheet` and
//! `extended-sessions`. Long ranges are split into chunks fetched concurrently and merged by
//! employee; transient failures are retried with back-off honouring `Retry-After`. Decoding is
//! lenient where the API is known to drift, and every record is resolved to real instants in its
//! own IANA zone ([`zone`]).

// `Error` carries its context as public fields (core reads them); it is only built on failure.
#![allow(clippy::result_large_err)]

mod chunks;
mod client;
mod error;
mod lenient;
pub mod models;
mod rpc;
pub mod zone;

pub use chunks::{chunk_ranges, merge};
pub use client::{
    parse_retry_after, ClientOptions, RetryPolicy, TimeClockClient, TimeClockConfig,
    DEFAULT_ENDPOINT,
};
pub use error::{Error, ErrorKind};
pub use models::{
    EmployeeExtended, EmployeeLunches, EmployeeRecords, EmployeeSessions, EmployeeTimesheet,
    ExtSession, LocationType, Lunch, Session, SourceType, TimesheetSession, WorkLog,
};
pub use rpc::{decode_response, rpc_request};
pub use timebridge_secret::Secret;
pub use zone::{Span, ZoneWarning};
