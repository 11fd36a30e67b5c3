//! The one error type that crosses the IPC boundary and the command line: a stable code the UI can
//! branch on, and a message a person can act on. Never a bare string.

use serde::Serialize;
use std::fmt;

/// Stable error codes. The UI matches on these, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum ErrorCode {
    Validation,
    NotFound,
    Unauthorized,
    Forbidden,
    Conflict,
    RateLimited,
    Upstream,
    Network,
    DeltaExpired,
    Config,
    Storage,
    /// A write on a production profile was not confirmed by the user.
    ConfirmationRequired,
    /// The user cancelled a long task; nothing was written.
    Cancelled,
    /// The same write was just made; it is only repeated when the user says so.
    Duplicate,
    /// Clockings of a profile's tenant are unsent; the user chooses what happens to them first.
    UnsentClockings,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppError {
    pub code: ErrorCode,
    /// What happened and what to do next, in words an HR user understands.
    pub message: String,
    /// Server reasons or field errors, one per line, when there are any.
    pub reasons: Vec<String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            reasons: Vec::new(),
        }
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for r in &self.reasons {
            write!(f, "\n  - {r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<timebridge_protime::Error> for AppError {
    fn from(e: timebridge_protime::Error) -> Self {
        use timebridge_protime::ErrorKind as K;
        let code = match e.kind {
            K::Config => ErrorCode::Config,
            K::BadRequest | K::UriTooLong => ErrorCode::Validation,
            K::Unauthorized => ErrorCode::Unauthorized,
            K::Forbidden => ErrorCode::Forbidden,
            K::NotFound => ErrorCode::NotFound,
            K::Conflict => ErrorCode::Conflict,
            K::DeltaExpired => ErrorCode::DeltaExpired,
            K::RateLimited => ErrorCode::RateLimited,
            K::Upstream | K::Decode => ErrorCode::Upstream,
            K::Network => ErrorCode::Network,
        };
        let reasons = e.reasons();
        Self {
            code,
            message: e.message,
            reasons,
        }
    }
}

impl From<timebridge_timeclock::Error> for AppError {
    fn from(e: timebridge_timeclock::Error) -> Self {
        use timebridge_timeclock::ErrorKind as K;
        let code = match e.kind {
            K::Config => ErrorCode::Config,
            K::InvalidRequest | K::MethodNotFound => ErrorCode::Validation,
            K::Unauthorized => ErrorCode::Unauthorized,
            K::RateLimited => ErrorCode::RateLimited,
            K::Upstream | K::Decode => ErrorCode::Upstream,
            K::Network => ErrorCode::Network,
        };
        Self::new(code, e.message)
    }
}
