use chrono::NaiveDate;
use std::fmt;
use std::time::Duration;

/// What went wrong, as a stable code (core maps it to its IPC error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad endpoint URL, empty key, wrong options.
    Config,
    /// The API key was refused (HTTP 401/403 with or without a JSON body, or JSON-RPC -32001).
    Unauthorized,
    /// JSON-RPC -32700/-32600/-32602: the request was refused as invalid.
    InvalidRequest,
    /// JSON-RPC -32601.
    MethodNotFound,
    /// HTTP 429 (or the rate-limit code -32029) after the retries ran out.
    RateLimited,
    /// 5xx, -32603 or another server-side failure.
    Upstream,
    /// No connection, reset, DNS/TLS failure, timeout.
    Network,
    /// The answer was not the JSON-RPC we expected (not JSON, wrong shape, wrong id).
    Decode,
}

/// Every failure of this crate, with a message a person can act on.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub http_status: Option<u16>,
    /// The JSON-RPC error code, when the server sent an error object.
    pub rpc_code: Option<i64>,
    /// The JSON-RPC error object's raw `data`, when present.
    pub rpc_data: Option<serde_json::Value>,
    pub message: String,
    /// The server's `Retry-After`, capped by the retry policy.
    pub retry_after: Option<Duration>,
    /// The JSON-RPC method that failed.
    pub method: Option<String>,
    /// The date range (inclusive) of the request that failed; for a chunked call, the chunk.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// How many attempts were made before giving up.
    pub attempts: u32,
    pub(crate) transient: bool,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            http_status: None,
            rpc_code: None,
            rpc_data: None,
            message: message.into(),
            retry_after: None,
            method: None,
            range: None,
            attempts: 0,
            transient: false,
        }
    }

    pub(crate) fn transient(mut self) -> Self {
        self.transient = true;
        self
    }

    /// Whether a read that failed like this may succeed when tried again (429, 503, resets,
    /// -32603, truncated bodies).
    pub fn is_transient(&self) -> bool {
        self.transient
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
