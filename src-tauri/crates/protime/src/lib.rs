//! Client for the Protime API ("protimeapi" connector of myProtime).
//!
//! The contract is `shared/spec/protime-api.md`. This crate knows nothing about Tauri or the app:
//! it turns typed calls into HTTP requests and typed answers (or typed errors) back.

mod auth;
mod client;
mod config;
mod error;
pub mod models;

pub use client::ProtimeClient;
pub use config::{Environment, ProtimeConfig, TenantName};
pub use error::{ApiErrorBody, Error, ErrorKind};
pub use timebridge_secret::Secret;
