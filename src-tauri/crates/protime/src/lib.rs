//! Client for the Protime API ("protimeapi" connector of myProtime).
//!
//! The contract is `shared/spec/protime-api.md`. This crate knows nothing about Tauri or the app:
//! it turns typed calls into HTTP requests and typed answers (or typed errors) back.
//!
//! - reads ([`ProtimeClient::get_json`] and every list/stream) retry on 429/503/connection failures
//!   with backoff and honour `Retry-After`;
//! - writes (`create_clocking`, activity definitions, usages, restrictions) are sent exactly once;
//! - a 401 refreshes the shared token once and replays the request once.

#![allow(clippy::result_large_err)] // `Error` is deliberately rich (parsed body, raw body, Retry-After).

mod api;
mod auth;
mod client;
mod config;
pub mod delta;
mod error;
pub mod filter;
pub mod models;

pub use api::{
    Created, DefinitionRef, DeltaChanges, DeltaCursor, DeltaInitialPage, DeltaStart, LevelPath,
    OperationStatus, Upserted,
};
pub use auth::GrantedToken;
pub use client::{encode_query_value, reencode_link, ProtimeClient, MAX_PAGES};
pub use config::{Environment, ProtimeConfig, TenantName};
pub use delta::{compare_change_versions, DateRange, DeltaRange, LatestById};
pub use error::{ApiErrorBody, Error, ErrorKind, FieldError};
pub use filter::{ExternalReferences, Filter};
pub use timebridge_secret::Secret;
