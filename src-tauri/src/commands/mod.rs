//! One module per domain; each command takes state, calls one core function and maps the error.

pub mod access;
pub mod activities;
pub mod app;
pub mod audit;
pub mod clockings;
pub mod connection;
pub mod people;
pub mod profiles;
pub mod timesheets;
