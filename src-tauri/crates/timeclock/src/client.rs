use crate::models::{
    EmployeeEntry, EmployeeExtended, EmployeeLunches, EmployeeSessions, EmployeeTimesheet, Record,
};
use crate::{Error, ErrorKind};
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use timebridge_secret::Secret;
use url::Url;

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
    /// First back-off; doubles each time, with jitter.
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
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
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
}

impl std::fmt::Debug for TimeClockClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimeClockClient")
            .field("config", &self.config)
            .field("options", &self.options)
            .finish()
    }
}

#[derive(Deserialize)]
struct RpcErrorObject {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    data: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default = "none", bound(deserialize = "T: Deserialize<'de>"))]
    result: Option<T>,
    #[serde(default)]
    error: Option<RpcErrorObject>,
}

fn none<T>() -> Option<T> {
    None
}

/// An error-only view of a body, for non-2xx answers.
#[derive(Deserialize)]
struct ErrorOnly {
    #[serde(default)]
    error: Option<RpcErrorObject>,
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
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()
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
        })
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
                    let wait = e
                        .retry_after
                        .map(|r| r.min(policy.max_retry_after))
                        .unwrap_or_else(|| backoff(policy, attempt));
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
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "method": method,
            "params": {"startDate": start.format("%Y-%m-%d").to_string(), "endDate": end.format("%Y-%m-%d").to_string()},
            "id": id,
        });
        let resp = self
            .http
            .post(self.config.endpoint.clone())
            .bearer_auth(self.config.api_key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(network)?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after)
            .map(|d| d.min(self.options.retry.max_retry_after));
        let raw = resp.bytes().await.map_err(network)?;
        let what = format!("'{method}' for {start} to {end}");

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

/// Decodes a 2xx JSON-RPC answer to request `id`: the `result`, or the typed error for an `error`
/// object, a body that is not JSON (or was cut off), or an id that is not `id`'s.
pub fn decode_response<T: DeserializeOwned>(raw: &[u8], id: u64) -> Result<T, Error> {
    decode_envelope(raw, id, 200, None, "the request")
}

fn decode_envelope<T: DeserializeOwned>(
    raw: &[u8],
    id: u64,
    status: u16,
    retry_after: Option<Duration>,
    what: &str,
) -> Result<T, Error> {
    let envelope: Envelope<T> = match serde_json::from_slice(raw) {
        Ok(v) => v,
        Err(err) => {
            let looks_json = serde_json::from_slice::<serde::de::IgnoredAny>(raw).is_ok();
            let mut e = if looks_json {
                Error::new(
                    ErrorKind::Decode,
                    format!("TimeClock 365 answered {what} in an unexpected shape: {err}"),
                )
            } else if err.is_eof() && !raw.is_empty() {
                Error::new(
                    ErrorKind::Decode,
                    format!(
                        "TimeClock 365's answer to {what} was cut off ({} bytes)",
                        raw.len()
                    ),
                )
                .transient()
            } else {
                let preview: String = String::from_utf8_lossy(raw).chars().take(80).collect();
                Error::new(
                        ErrorKind::Decode,
                        format!("TimeClock 365 answered {what} with something that is not JSON-RPC (HTTP {status}): {preview:?}"),
                    )
            };
            e.http_status = Some(status);
            return Err(e);
        }
    };
    if let Some(err) = envelope.error {
        let code = err.code;
        let msg = err.message.unwrap_or_else(|| "no message".into());
        let (kind, transient, hint) = match code {
            Some(-32001) => (
                ErrorKind::Unauthorized,
                false,
                ": check the API key under Integrations in the TimeClock 365 dashboard",
            ),
            Some(-32601) => (
                ErrorKind::MethodNotFound,
                false,
                ": this server does not offer that method",
            ),
            Some(-32602) => (ErrorKind::InvalidRequest, false, ": the dates were refused"),
            Some(-32600) | Some(-32700) => (ErrorKind::InvalidRequest, false, ""),
            Some(-32029) => (ErrorKind::RateLimited, true, ": try again in a moment"),
            Some(-32603) => (
                ErrorKind::Upstream,
                true,
                ": a server fault; try again later",
            ),
            _ => (ErrorKind::Upstream, false, ""),
        };
        let code_text = code.map_or("no code".to_string(), |c| format!("code {c}"));
        let mut e = Error::new(
            kind,
            format!("TimeClock 365 refused {what}: {msg} ({code_text}){hint}"),
        );
        e.http_status = Some(status);
        e.rpc_code = code;
        e.rpc_data = err.data;
        e.retry_after = retry_after;
        e.transient = transient;
        return Err(e);
    }
    let echoed = match &envelope.id {
        serde_json::Value::Null => true,
        serde_json::Value::Number(n) => n.as_u64() == Some(id),
        serde_json::Value::String(s) => s == &id.to_string(),
        _ => false,
    };
    if !echoed {
        let mut e = Error::new(
                ErrorKind::Decode,
                format!(
                    "TimeClock 365 answered request {id} ({what}) with id {}: the answer belongs to another request",
                    envelope.id
                ),
            );
        e.http_status = Some(status);
        return Err(e);
    }
    match envelope.result {
        Some(v) => Ok(v),
        // `result: null` or absent: "no records".
        None => serde_json::from_str("[]").map_err(|_| {
            Error::new(
                ErrorKind::Decode,
                format!("TimeClock 365 answered {what} without a result"),
            )
        }),
    }
}

fn reversed(method: &str, start: NaiveDate, end: NaiveDate) -> Error {
    Error::new(
        ErrorKind::InvalidRequest,
        format!("'{method}': the end date {end} is before the start date {start}"),
    )
}

/// Inclusive ranges of at most `chunk_days` days covering `start..=end`, in order.
pub fn chunk_ranges(
    start: NaiveDate,
    end: NaiveDate,
    chunk_days: u32,
) -> Vec<(NaiveDate, NaiveDate)> {
    let step = chunk_days.max(1) as i64;
    let mut out = Vec::new();
    let mut s = start;
    while s <= end {
        let e = (s + chrono::Duration::days(step - 1)).min(end);
        out.push((s, e));
        s = e + chrono::Duration::days(1);
    }
    out
}

/// Merges chunk answers: employees in order of their number (numeric when numeric), records
/// de-duplicated on (startDate, timezone) and sorted, each resolved to real instants.
pub fn merge<E, I>(parts: I, default_zone: Tz) -> Vec<E>
where
    E: EmployeeEntry,
    I: IntoIterator<Item = Vec<E>>,
{
    let mut out: Vec<E> = Vec::new();
    let mut seen: Vec<HashSet<(NaiveDateTime, Option<String>)>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for part in parts {
        for mut emp in part {
            let records = std::mem::take(emp.records_mut());
            let slot = match emp.employee_key().map(str::to_string) {
                Some(k) => match index.get(&k) {
                    Some(&i) => {
                        out[i].absorb(&emp);
                        i
                    }
                    None => {
                        index.insert(k, out.len());
                        out.push(emp);
                        seen.push(HashSet::new());
                        out.len() - 1
                    }
                },
                None => {
                    out.push(emp);
                    seen.push(HashSet::new());
                    out.len() - 1
                }
            };
            let set = &mut seen[slot];
            let target = out[slot].records_mut();
            for r in records {
                let (t, z) = r.key();
                if set.insert((t, z.map(str::to_string))) {
                    target.push(r);
                }
            }
        }
    }
    for emp in &mut out {
        let recs = emp.records_mut();
        recs.sort_by(|a, b| a.key().cmp(&b.key()));
        for r in recs.iter_mut() {
            r.resolve(default_zone);
        }
    }
    out.sort_by_cached_key(|e| employee_order(e.employee_key()));
    out
}

fn employee_order(key: Option<&str>) -> (u8, u128, String) {
    match key {
        Some(k) => match k.trim().parse::<u128>() {
            Ok(n) => (0, n, k.to_string()),
            Err(_) => (1, 0, k.to_string()),
        },
        None => (2, 0, String::new()),
    }
}

/// `Retry-After`: delay-seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = v.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Some(Duration::from_secs_f64(secs));
        }
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let exp = policy
        .base_delay
        .saturating_mul(1u32 << (attempt - 1).min(16))
        .min(policy.max_delay);
    // Jitter in [50%, 100%] so parallel chunks do not retry in lockstep.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let frac = 0.5 + (nanos % 1000) as f64 / 2000.0;
    exp.mul_f64(frac)
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

fn require_https_unless_loopback(url: &Url) -> Result<(), Error> {
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if url.scheme() == "https" || (url.scheme() == "http" && loopback) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Config,
            format!("{url} must use https (plain http is only allowed on this computer's loopback address)"),
        ))
    }
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
    fn chunks_cover_the_range() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let c = chunk_ranges(d("2025-01-01"), d("2025-01-31"), 7);
        assert_eq!(c.len(), 5);
        assert_eq!(c[0], (d("2025-01-01"), d("2025-01-07")));
        assert_eq!(c[4], (d("2025-01-29"), d("2025-01-31")));
        assert_eq!(chunk_ranges(d("2025-01-01"), d("2025-01-01"), 30).len(), 1);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        let later = chrono::Utc::now() + chrono::Duration::seconds(120);
        let d = parse_retry_after(&later.to_rfc2822().replace("+0000", "GMT")).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(121),
            "{d:?}"
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
