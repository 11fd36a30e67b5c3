//! Client for the TimeClock 365 JSON-RPC API (contract: `shared/spec/timeclock365-api.md`).
//!
//! Read-only methods over one POST endpoint. Decoding is lenient where the API is known to drift
//! (integer-or-string employee numbers, open sessions, escaped slashes, unknown enum values).

mod client;
mod error;
pub mod models;

pub use client::{TimeClockClient, TimeClockConfig, DEFAULT_ENDPOINT};
pub use error::{Error, ErrorKind};
pub use timebridge_secret::Secret;
