use crate::chunks::{chunk_ranges, merge};
use crate::models::{
    EmployeeEntry, EmployeeExtended, EmployeeLunches, EmployeeSessions, EmployeeTimesheet,
};
use crate::rpc::{decode_envelope, rpc_request, ErrorOnly};
use crate::{Error, ErrorKind};
use chrono::NaiveDate;
use chrono_tz::Tz;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use timebridge_secret::Secret;
use timebridge_transport::{Backoff, BodyError, DEFAULT_MAX_BODY_BYTES};
use url::Url;

pub use timebridge_transport::parse_retry_after;

pub const DEFAULT_ENDPOINT: &str = "https://live.timeclock365.com/api/v1/json-rpc";

/// Where and how to reach one TimeClock 365 company.
#[derive(Debug, Clone)]
pub struct TimeClockConfig {
    pub endpoint: Url,
    pub api_key: Secret,
    /// Per HTTP request (a company-wide answer can be large: be generous, e.g. 60 s).
    pub timeout: Duration,
}

impl TimeClockConfig {
    /// The live endpoint with the given key and a 60 s timeout.
    pub fn live(api_key: Secret) -> Self {
        Self {
            endpoint: Url::parse(DEFAULT_ENDPOINT).expect("valid default endpoint"),
            api_key,
            timeout: Duration::from_secs(60),
        }
    }
}

/// How reads are retried.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = never retry).
    pub max_attempts: u32,
    /// First back-off; doubles each time, with jitter (the shared [`Backoff`] schedule).
    pub base_delay: Duration,
    /// Longest computed back-off.
    pub max_delay: Duration,
    /// Longest wait the client accepts from a `Retry-After` header.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Backoff::DEFAULT.base,
            max_delay: Backoff::DEFAULT.max,
            max_retry_after: timebridge_transport::MAX_RETRY_AFTER,
        }
    }
}

impl RetryPolicy {
    /// The backoff schedule of this policy.
    pub fn backoff(&self) -> Backoff {
        Backoff {
            base: self.base_delay,
            max: self.max_delay,
        }
    }
}

/// Tuning beyond the connection itself: chunking, concurrency, retries, default zone.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Days per request when a range is split (inclusive ranges of at most this many days).
    pub chunk_days: u32,
    /// Requests in flight at once for one chunked call.
    pub max_concurrency: usize,
    pub retry: RetryPolicy,
    /// The company's zone, used for records whose `timezone` is missing or unknown.
    pub default_zone: Tz,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            chunk_days: 7,
            max_concurrency: 4,
            retry: RetryPolicy::default(),
            default_zone: chrono_tz::UTC,
        }
    }
}

/// A client for one TimeClock 365 company. Cheap to clone.
#[derive(Clone)]
pub struct TimeClockClient {
    http: reqwest::Client,
    config: Arc<TimeClockConfig>,
    options: Arc<ClientOptions>,
    next_id: Arc<AtomicU64>,
    /// The cap on one response body, in bytes.
    max_body_bytes: usize,
}

impl std::fmt::Debug for TimeClockClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimeClockClient")
            .field("config", &self.config)
            .field("options", &self.options)
            .finish()
    }
}

impl TimeClockClient {
    /// A client with default [`ClientOptions`].
    pub fn new(config: TimeClockConfig) -> Result<Self, Error> {
        Self::with_options(config, ClientOptions::default())
    }

    pub fn with_options(config: TimeClockConfig, options: ClientOptions) -> Result<Self, Error> {
        require_https_unless_loopback(&config.endpoint)?;
        if config.api_key.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "The TimeClock 365 API key is empty",
            ));
        }
        if options.chunk_days == 0
            || options.max_concurrency == 0
            || options.retry.max_attempts == 0
        {
            return Err(Error::new(
                ErrorKind::Config,
                "chunk_days, max_concurrency and retry.max_attempts must be at least 1",
            ));
        }
        // Never follows redirects: the API key stays with the configured endpoint.
        let http = timebridge_transport::http_client(config.timeout, Duration::from_secs(10))
            .map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("cannot build the HTTP client: {e}"),
                )
            })?;
        Ok(Self {
            http,
            config: Arc::new(config),
            options: Arc::new(options),
            next_id: Arc::new(AtomicU64::new(1)),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// Caps every response body this client reads at `limit` bytes; a longer answer fails with
    /// [`ErrorKind::Upstream`] instead of filling memory. The default is
    /// [`DEFAULT_MAX_BODY_BYTES`] (64 MiB).
    pub fn with_max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The current cap on one response body, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    pub fn endpoint(&self) -> &Url {
        &self.config.endpoint
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// `sessions` for an inclusive date range: chunked, merged by employee, zones resolved.
    pub async fn sessions(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<EmployeeSessions>, Error> {
        self.fetch_chunked("sessions", start, end).await
    }

    /// `lunches` for an inclusive date range.
    pub async fn lunches(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<EmployeeLunches>, Error> {
        self.fetch_chunked("lunches", start, end).await
    }

    /// `timesheet`: sessions with their lunches and work logs.
    pub async fn timesheet(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<EmployeeTimesheet>, Error> {
        self.fetch_chunked("timesheet", start, end).await
    }

    /// `extended-sessions`: profile, totals (summed over chunks) and sessions including absences.
    pub async fn extended_sessions(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<EmployeeExtended>, Error> {
        self.fetch_chunked("extended-sessions", start, end).await
    }

    /// Splits the range into chunks, fetches them concurrently (bounded), and merges them in order
    /// by employee, de-duplicating on (employee, startDate, timezone). One failed chunk fails the
    /// whole call, naming the chunk's dates.
    pub async fn fetch_chunked<E>(
        &self,
        method: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<E>, Error>
    where
        E: EmployeeEntry + DeserializeOwned + Send + 'static,
    {
        if end < start {
            return Err(reversed(method, start, end));
        }
        let chunks = chunk_ranges(start, end, self.options.chunk_days);
        let total = chunks.len();
        let mut parts: Vec<Option<Vec<E>>> = (0..total).map(|_| None).collect();
        let mut stream = futures::stream::iter(
            chunks
                .into_iter()
                .enumerate()
                .map(
                    |(i, (s, e))| async move { (i, s, e, self.call::<Vec<E>>(method, s, e).await) },
                ),
        )
        .buffer_unordered(self.options.max_concurrency);
        while let Some((i, s, e, result)) = stream.next().await {
            match result {
                Ok(v) => parts[i] = Some(v),
                Err(mut err) => {
                    if total > 1 {
                        err.message = format!(
                            "{} (part {} of {}: {s} to {e}; nothing was kept from the other parts)",
                            err.message,
                            i + 1,
                            total
                        );
                    }
                    return Err(err);
                }
            }
        }
        Ok(merge(
            parts.into_iter().map(|p| p.unwrap_or_default()),
            self.options.default_zone,
        ))
    }

    /// One JSON-RPC call (retried when transient) with a fresh integer id; checks that the answer
    /// echoes it. No chunking, no zone resolution: the raw decoded `result`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<T, Error> {
        if end < start {
            return Err(reversed(method, start, end));
        }
        let policy = &self.options.retry;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.call_once::<T>(method, start, end).await {
                Ok(v) => return Ok(v),
                Err(mut e) => {
                    e.method = Some(method.to_string());
                    e.range = Some((start, end));
                    e.attempts = attempt;
                    if !e.transient || attempt >= policy.max_attempts {
                        tracing::warn!(
                            method,
                            %start,
                            %end,
                            status = ?e.http_status,
                            rpc_code = ?e.rpc_code,
                            attempt,
                            "TimeClock 365 call failed"
                        );
                        if e.transient && attempt > 1 {
                            e.message = format!("{} (gave up after {attempt} attempts)", e.message);
                        }
                        return Err(e);
                    }
                    let wait = timebridge_transport::retry_wait(
                        e.retry_after,
                        &policy.backoff(),
                        attempt,
                        policy.max_retry_after,
                    );
                    tracing::info!(method, %start, %end, attempt, ?wait, "retrying TimeClock 365 call: {}", e.message);
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn call_once<T: DeserializeOwned>(
        &self,
        method: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<T, Error> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let body = rpc_request(method, start, end, id);
        let resp = self
            .http
            .post(self.config.endpoint.clone())
            .bearer_auth(self.config.api_key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(network)?;
        let what = format!("'{method}' for {start} to {end}");
        if let Err(refused) = timebridge_transport::refuse_redirect(&resp) {
            let mut e = Error::new(
                ErrorKind::Config,
                format!("TimeClock 365 did not answer {what}: {refused}"),
            );
            e.http_status = Some(refused.status);
            return Err(e);
        }
        let status = resp.status().as_u16();
        let retry_after = timebridge_transport::retry_after_header(
            resp.headers(),
            self.options.retry.max_retry_after,
        );
        let raw = timebridge_transport::read_body(resp, self.max_body_bytes)
            .await
            .map_err(|e| match e {
                BodyError::Network(e) => network(e),
                too_large => Error::new(
                    ErrorKind::Upstream,
                    format!("TimeClock 365's answer to {what} was refused: {too_large}"),
                ),
            })?;

        if !(200..300).contains(&status) {
            let rpc = serde_json::from_slice::<ErrorOnly>(&raw)
                .ok()
                .and_then(|b| b.error);
            let detail = rpc
                .as_ref()
                .and_then(|e| e.message.clone())
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            let (kind, text, transient) = match status {
                401 => (ErrorKind::Unauthorized, format!("TimeClock 365 refused the API key (HTTP 401{detail}) for {what}: create a key under Integrations in the TimeClock 365 dashboard and enter it in the profile"), false),
                403 => (ErrorKind::Unauthorized, format!("TimeClock 365 refused access (HTTP 403{detail}) for {what}: the API key lacks access; ask an administrator to check it under Integrations"), false),
                429 => (ErrorKind::RateLimited, format!("TimeClock 365 is limiting requests (HTTP 429) for {what}: try again in a moment"), true),
                404 | 405 => (ErrorKind::Config, format!("TimeClock 365 answered HTTP {status} for {what}: check the endpoint URL ({})", self.config.endpoint), false),
                502..=504 => (ErrorKind::Upstream, format!("TimeClock 365 is unavailable (HTTP {status}{detail}) for {what}: try again later"), true),
                _ => (ErrorKind::Upstream, format!("TimeClock 365 answered HTTP {status}{detail} for {what}"), status >= 500),
            };
            let mut e = Error::new(kind, text);
            e.http_status = Some(status);
            e.retry_after = retry_after;
            if let Some(rpc) = rpc {
                e.rpc_code = rpc.code;
                e.rpc_data = rpc.data;
            }
            e.transient = transient;
            return Err(e);
        }

        decode_envelope(&raw, id, status, retry_after, &what)
    }
}

fn reversed(method: &str, start: NaiveDate, end: NaiveDate) -> Error {
    Error::new(
        ErrorKind::InvalidRequest,
        format!("'{method}': the end date {end} is before the start date {start}"),
    )
}

fn network(e: reqwest::Error) -> Error {
    let what = if e.is_timeout() {
        "TimeClock 365 did not answer in time"
    } else if e.is_connect() {
        "Could not connect to TimeClock 365 (offline, wrong address or TLS failure)"
    } else if e.is_body() || e.is_decode() {
        "The connection to TimeClock 365 broke while reading the answer"
    } else {
        "The connection to TimeClock 365 failed"
    };
    Error::new(ErrorKind::Network, format!("{what}: {e}")).transient()
}

/// The shared https rule (https everywhere but loopback), as this crate's error.
fn require_https_unless_loopback(url: &Url) -> Result<(), Error> {
    timebridge_transport::require_https_unless_loopback(url)
        .map_err(|e| Error::new(ErrorKind::Config, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_refused_for_public_hosts() {
        let cfg = TimeClockConfig {
            endpoint: Url::parse("http://live.timeclock365.com/api/v1/json-rpc").unwrap(),
            api_key: Secret::new("k"),
            timeout: Duration::from_secs(5),
        };
        assert_eq!(
            TimeClockClient::new(cfg).err().unwrap().kind,
            ErrorKind::Config
        );
        assert!(TimeClockClient::new(TimeClockConfig::live(Secret::new("k"))).is_ok());
    }

    #[test]
    fn retry_after_is_the_shared_capped_parser() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        for absurd in ["1e20", "99999999999999999999", "86400"] {
            assert_eq!(
                parse_retry_after(absurd),
                Some(timebridge_transport::MAX_RETRY_AFTER)
            );
        }
        assert_eq!(parse_retry_after("soon"), None);
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(), Backoff::DEFAULT);
    }
}
