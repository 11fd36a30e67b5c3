use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad endpoint URL or empty key.
    Config,
    /// The API key was refused (HTTP 401/403 or a JSON-RPC auth error).
    Unauthorized,
    /// JSON-RPC -32602 and friends: the request was refused as invalid.
    InvalidRequest,
    /// JSON-RPC -32601.
    MethodNotFound,
    /// 429 (or the rate-limit code) after the retries ran out.
    RateLimited,
    /// 5xx, -32603 or another server-side failure.
    Upstream,
    /// No connection, reset, DNS/TLS failure, timeout.
    Network,
    /// The answer was not the JSON-RPC we expected.
    Decode,
}

/// Every failure of this crate, with a message a person can act on.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub http_status: Option<u16>,
    /// The JSON-RPC error code, when the server sent an error object.
    pub rpc_code: Option<i64>,
    pub message: String,
    pub retry_after: Option<Duration>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            http_status: None,
            rpc_code: None,
            message: message.into(),
            retry_after: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
