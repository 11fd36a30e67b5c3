//! Fault injection for tests: which requests fail, and how.

use chrono::NaiveDate;
use std::time::Duration;

/// What goes wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// HTTP 200 with JSON-RPC `-32603 Internal error`.
    InternalError,
    /// HTTP 200 with JSON-RPC `-32029` (our invented rate-limit code, spec §5).
    RpcRateLimited,
    /// HTTP 429, with an optional `Retry-After` value (seconds or an HTTP date, sent verbatim).
    TooManyRequests { retry_after: Option<String> },
    /// HTTP 503, with an optional `Retry-After`.
    Unavailable { retry_after: Option<String> },
    /// Any other HTTP status with a plain-text body.
    Status(u16),
    /// Answer normally, after a delay.
    Slow(Duration),
    /// Answer normally, but cut the body in half (the `Content-Length` matches the cut body).
    Truncated,
    /// Start the answer, then break the connection half-way (a reset mid-body).
    Reset,
    /// Answer with an `id` that is not the request's.
    WrongId,
    /// HTTP 200 with a body that is not JSON.
    NotJson,
}

/// Which requests a fault hits.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultWhen {
    Always,
    /// The N-th request the simulator receives (1-based, counting every POST).
    NthRequest(u64),
    /// Requests whose `startDate..=endDate` contains this day.
    RangeContains(NaiveDate),
    /// Requests for this method.
    Method(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub when: FaultWhen,
    pub fault: Fault,
    /// How many times the rule fires; `None` = every time it matches.
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn new(when: FaultWhen, fault: Fault) -> Self {
        Self {
            when,
            fault,
            times: None,
        }
    }
    /// Fire at most `n` times.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    pub(crate) fn matches(&self, n: u64, method: &str, start: NaiveDate, end: NaiveDate) -> bool {
        match &self.when {
            FaultWhen::Always => true,
            FaultWhen::NthRequest(k) => *k == n,
            FaultWhen::RangeContains(d) => start <= *d && *d <= end,
            FaultWhen::Method(m) => m == method,
        }
    }
}
