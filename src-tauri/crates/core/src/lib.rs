//! Timebridge's domain services. Everything the app and the command line do lives here, behind plain
//! async functions; the Tauri crate only adapts them to commands. This crate never compiles Tauri.

pub mod access;
pub mod audit;
pub mod connection;
pub mod csv_rows;
pub mod error;
pub mod people;
pub mod profiles;
pub mod secrets;
pub mod workspace;

pub use error::{AppError, ErrorCode};
