//! Timebridge's workspace: what every job shares. Profiles and secrets (OS keychain), the active
//! workspace (both clients, the in-process sandbox, per-workspace extensions the domain crates keep
//! their caches in), connection tests, people, access clockings, the audit log and `AppError`. The
//! domain crates (`timebridge-clocking`, `timebridge-reports`, `timebridge-activities`) build on it;
//! it depends on none of them. This crate never compiles Tauri.

pub mod access;
pub mod atomic_file;
pub mod audit;
pub mod blocking;
pub mod clients;
pub mod connection;
pub mod csv_rows;
pub mod dates;
pub mod error;
pub mod people;
pub mod profiles;
pub mod secrets;
pub mod shared_sqlite;
pub mod spreadsheet_text;
pub mod workspace;

pub use error::{AppError, ErrorCode};

/// TimeClock 365's endpoint as the guide names it: the one constant the UI (exported into the
/// bindings as `DEFAULT_TIMECLOCK_ENDPOINT`), the core and the command line use.
pub const DEFAULT_TIMECLOCK_ENDPOINT: &str = timebridge_timeclock::DEFAULT_ENDPOINT;
