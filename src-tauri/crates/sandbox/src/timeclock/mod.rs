//! Simulator of the TimeClock 365 JSON-RPC API (`shared/spec/timeclock365-api.md`, section 10).
//!
//! Its own reading of the spec: it shares no types with the client crate. Every behaviour the spec
//! marks UNCONFIRMED is a switch in [`TimeClockSimConfig`]; faults for tests are injected with
//! [`TimeClockSim::inject`] or [`TimeClockSimConfig::faults`].

pub mod data;
pub mod faults;
pub mod params;
mod render;

use crate::roster::{Roster, RosterPerson};
use crate::DEMO_API_KEY;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use chrono::{Duration, NaiveDate};
pub use faults::{Fault, FaultRule, FaultWhen};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The methods the guide documents. Anything else (including `employees` and `activities`,
/// listed only by an aggregator) is `-32601`.
pub const METHODS: [&str; 4] = ["sessions", "lunches", "timesheet", "extended-sessions"];

/// How a refused API key is answered (spec §3: unconfirmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthBody {
    /// `{"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Unauthorized"}}` (default).
    JsonRpc,
    /// `Unauthorized` as plain text.
    PlainText,
    /// No body at all.
    Empty,
}

/// How an open session's `endDate` looks (spec §8.4: unconfirmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenEnd {
    /// `"endDate": null` (default).
    Null,
    /// No `endDate` member.
    Absent,
    /// `"endDate": ""`.
    Empty,
    /// `"endDate": "0000-00-00 00:00:00"`.
    Zero,
}

/// How date-times are written (spec §6.2 documents the first; the others are drift to tolerate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTimeStyle {
    /// `2024-10-09 08:12:34` (default, as documented).
    Space,
    /// `2024-10-09T08:12:34`.
    IsoT,
    /// `2024-10-09 08:12:34.000000`.
    Fractional,
}

/// Switches for behaviour the contract leaves unconfirmed, the data scale, and injected faults.
#[derive(Debug, Clone)]
pub struct TimeClockSimConfig {
    /// Employees in the company (the first 50 are also Protime people).
    pub employees: usize,
    /// Days of history up to and including today.
    pub days: u32,
    /// "Today" (the last day of history, with open sessions); `None` = the local date at start.
    pub today: Option<NaiveDate>,
    /// HTTP status for a missing or wrong key (default 401; 403 and 200 are the alternatives).
    pub auth_status: u16,
    /// Body for a missing or wrong key.
    pub auth_body: AuthBody,
    /// Accept JSON-RPC batches (arrays of requests) per the JSON-RPC spec (default off: `-32600`).
    pub batch: bool,
    /// Write `/` as `\/` like PHP's `json_encode` (default off).
    pub escape_slashes: bool,
    pub open_end: OpenEnd,
    pub datetime_style: DateTimeStyle,
    /// Leave out employees without records in the range (default: list them with `sessions: []`).
    pub omit_idle_employees: bool,
    /// Send `duration` and totals as strings, `isAbsence` as 0/1 and `employeeNumber` as a string
    /// everywhere (type drift the client must tolerate; default off).
    pub loose_scalars: bool,
    /// Faults active from the start (more can be added with [`TimeClockSim::inject`]).
    pub faults: Vec<FaultRule>,
    /// Lenient switch (default off = strict): `params` members other than the seed's `startDate`
    /// and `endDate` are ignored instead of refused with -32602. `--lenient-rpc-params`.
    pub lenient_rpc_params: bool,
}

impl Default for TimeClockSimConfig {
    fn default() -> Self {
        Self {
            employees: 60,
            days: 60,
            today: None,
            auth_status: 401,
            auth_body: AuthBody::JsonRpc,
            batch: false,
            escape_slashes: false,
            open_end: OpenEnd::Null,
            datetime_style: DateTimeStyle::Space,
            omit_idle_employees: false,
            loose_scalars: false,
            faults: Vec::new(),
            lenient_rpc_params: false,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct TimeClockSimArgs {
    /// Employees in the simulated TimeClock 365 company.
    #[arg(long, default_value_t = 60)]
    pub employees: usize,
    /// Days of demo history up to today.
    #[arg(long, default_value_t = 60)]
    pub days: u32,
    /// Lenient switch: ignore TimeClock 365 `params` members other than startDate and endDate
    /// instead of answering -32602 Invalid params.
    #[arg(long, default_value_t = false)]
    pub lenient_rpc_params: bool,
}

impl TimeClockSimArgs {
    pub fn to_config(&self) -> Result<TimeClockSimConfig, String> {
        if self.employees == 0 || self.employees > 100_000 {
            return Err("--employees must be between 1 and 100000".into());
        }
        if self.days == 0 || self.days > 3660 {
            return Err("--days must be between 1 and 3660".into());
        }
        Ok(TimeClockSimConfig {
            employees: self.employees,
            days: self.days,
            lenient_rpc_params: self.lenient_rpc_params,
            ..Default::default()
        })
    }
}

/// A request the simulator answered (or refused after parsing), for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    pub number: u64,
    pub method: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

pub(crate) struct Inner {
    pub(crate) seed: u64,
    pub(crate) config: TimeClockSimConfig,
    pub(crate) employees: Vec<RosterPerson>,
    /// The last day with data.
    pub(crate) today: NaiveDate,
    counter: AtomicU64,
    faults: Mutex<Vec<(FaultRule, u32)>>,
    seen: Mutex<Vec<SeenRequest>>,
}

/// The TimeClock 365 simulator; clones share it.
#[derive(Clone)]
pub struct TimeClockSim {
    pub(crate) inner: Arc<Inner>,
}

impl TimeClockSim {
    pub fn new(seed: u64, roster: &Roster, config: TimeClockSimConfig) -> Self {
        let employees = roster
            .people
            .iter()
            .take(config.employees)
            .cloned()
            .collect();
        let today = config
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let faults = config.faults.iter().cloned().map(|f| (f, 0)).collect();
        Self {
            inner: Arc::new(Inner {
                seed,
                config,
                employees,
                today,
                counter: AtomicU64::new(0),
                faults: Mutex::new(faults),
                seen: Mutex::new(Vec::new()),
            }),
        }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/api/v1/json-rpc", post(rpc))
            .with_state(self.clone())
    }

    /// The last day of history (open sessions happen here).
    pub fn today(&self) -> NaiveDate {
        self.inner.today
    }

    /// The first day of ordinary history.
    pub fn first_day(&self) -> NaiveDate {
        self.inner.today - Duration::days(self.inner.config.days as i64 - 1)
    }

    /// Who clocks here and when, for the Protime simulator's matching demo data.
    pub fn company(&self) -> crate::roster::TimeClockCompany {
        crate::roster::TimeClockCompany {
            employees: self.inner.employees.len(),
            window: (self.first_day(), self.today()),
        }
    }

    /// The serialised `result` array the simulator would send for a valid request (for benchmarks
    /// and tests; no HTTP, no faults, no slash escaping).
    pub fn render_result(&self, method: &str, start: NaiveDate, end: NaiveDate) -> Vec<u8> {
        render::result(self, method, start, end)
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: FaultRule) {
        self.inner.faults.lock().expect("faults").push((rule, 0));
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.inner.faults.lock().expect("faults").clear();
    }

    /// POSTs received so far.
    pub fn request_count(&self) -> u64 {
        self.inner.counter.load(Ordering::SeqCst)
    }

    /// Well-formed requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.inner.seen.lock().expect("seen").clone()
    }

    fn take_fault(&self, n: u64, method: &str, start: NaiveDate, end: NaiveDate) -> Option<Fault> {
        let mut faults = self.inner.faults.lock().expect("faults");
        for (rule, fired) in faults.iter_mut() {
            if rule.times.is_some_and(|t| *fired >= t) {
                continue;
            }
            if rule.matches(n, method, start, end) {
                *fired += 1;
                return Some(rule.fault.clone());
            }
        }
        None
    }
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn error_object(id: &Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn error_response(status: StatusCode, id: &Value, code: i64, message: &str) -> Response {
    json_response(
        status,
        serde_json::to_vec(&error_object(id, code, message)).expect("json"),
    )
}

fn unauthorized(sim: &TimeClockSim) -> Response {
    let status =
        StatusCode::from_u16(sim.inner.config.auth_status).unwrap_or(StatusCode::UNAUTHORIZED);
    match sim.inner.config.auth_body {
        AuthBody::JsonRpc => error_response(status, &Value::Null, -32001, "Unauthorized"),
        AuthBody::PlainText => (status, "Unauthorized").into_response(),
        AuthBody::Empty => status.into_response(),
    }
}

/// A validated single request.
#[derive(Debug)]
struct Call {
    id: Option<Value>,
    method: String,
    start: NaiveDate,
    end: NaiveDate,
}

/// Validates one request object: `Ok(call)` or the error object to send back.
fn validate(request: &Value, lenient_params: bool) -> Result<Call, Value> {
    let Some(obj) = request.as_object() else {
        return Err(error_object(&Value::Null, -32600, "Invalid Request"));
    };
    let id = obj.get("id").cloned();
    let id_ok = matches!(
        id,
        None | Some(Value::Null) | Some(Value::Number(_)) | Some(Value::String(_))
    );
    let reply_id = if id_ok {
        id.clone().unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let method = match (
        obj.get("jsonrpc").and_then(Value::as_str),
        obj.get("method").and_then(Value::as_str),
    ) {
        (Some("2.0"), Some(m)) if id_ok => m.to_string(),
        _ => return Err(error_object(&reply_id, -32600, "Invalid Request")),
    };
    if !METHODS.contains(&method.as_str()) {
        // Names the method and the documented ones, so a typo is obvious.
        return Err(error_object(
            &reply_id,
            -32601,
            &format!(
                "Method not found: '{method}' (the methods are {})",
                METHODS.join(", ")
            ),
        ));
    }
    let (start, end) = params::check(&method, obj.get("params"), lenient_params)
        .map_err(|message| error_object(&reply_id, -32602, &message))?;
    Ok(Call {
        id,
        method,
        start,
        end,
    })
}

fn finish(sim: &TimeClockSim, mut body: Vec<u8>) -> Vec<u8> {
    if sim.inner.config.escape_slashes && body.contains(&b'/') {
        // `/` only ever occurs inside JSON strings, where `\/` is a legal escape.
        let mut out = Vec::with_capacity(body.len() + body.len() / 32);
        for b in body {
            if b == b'/' {
                out.push(b'\\');
            }
            out.push(b);
        }
        body = out;
    }
    body
}

async fn answer(sim: &TimeClockSim, call: Call) -> Vec<u8> {
    let s = sim.clone();
    let (method, start, end) = (call.method.clone(), call.start, call.end);
    let rendered =
        tokio::task::spawn_blocking(move || render::result(&s, &method, start, end)).await;
    let id_value = call.id.unwrap_or(Value::Null);
    let Ok(result) = rendered else {
        // The render task failed (it never should): an internal error, not a crashed sandbox.
        return serde_json::to_vec(&error_object(&id_value, -32603, "Internal error"))
            .unwrap_or_default();
    };
    let id = serde_json::to_vec(&id_value).unwrap_or_else(|_| b"null".to_vec());
    let mut out = Vec::with_capacity(result.len() + 48);
    out.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":");
    out.extend_from_slice(&id);
    out.extend_from_slice(b",\"result\":");
    out.extend_from_slice(&result);
    out.push(b'}');
    out
}

async fn rpc(State(sim): State<TimeClockSim>, headers: HeaderMap, body: String) -> Response {
    let n = sim.inner.counter.fetch_add(1, Ordering::SeqCst) + 1;
    let key = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if key != DEMO_API_KEY {
        return unauthorized(&sim);
    }
    let request: Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(_) => return error_response(StatusCode::OK, &Value::Null, -32700, "Parse error"),
    };
    if let Value::Array(items) = &request {
        if !sim.inner.config.batch {
            return error_response(StatusCode::OK, &Value::Null, -32600, "Invalid Request");
        }
        if items.is_empty() {
            return error_response(StatusCode::OK, &Value::Null, -32600, "Invalid Request");
        }
        let mut replies: Vec<Vec<u8>> = Vec::new();
        for item in items {
            match validate(item, sim.inner.config.lenient_rpc_params) {
                Err(e) => replies.push(serde_json::to_vec(&e).expect("json")),
                Ok(call) if call.id.is_none() => {}
                Ok(call) => replies.push(answer(&sim, call).await),
            }
        }
        if replies.is_empty() {
            return StatusCode::NO_CONTENT.into_response();
        }
        let mut out = b"[".to_vec();
        for (i, r) in replies.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&r);
        }
        out.push(b']');
        return json_response(StatusCode::OK, finish(&sim, out));
    }
    let call = match validate(&request, sim.inner.config.lenient_rpc_params) {
        Ok(c) => c,
        Err(e) => return json_response(StatusCode::OK, serde_json::to_vec(&e).expect("json")),
    };
    sim.inner.seen.lock().expect("seen").push(SeenRequest {
        number: n,
        method: call.method.clone(),
        start: call.start,
        end: call.end,
    });
    let fault = sim.take_fault(n, &call.method, call.start, call.end);
    let id = call.id.clone().unwrap_or(Value::Null);
    let with_retry_after = |status: StatusCode, ra: &Option<String>| {
        let mut r = (status, "Too busy, try again later").into_response();
        if let Some(v) = ra.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    };
    match &fault {
        Some(Fault::InternalError) => {
            return error_response(StatusCode::OK, &id, -32603, "Internal error")
        }
        Some(Fault::RpcRateLimited) => {
            return error_response(StatusCode::OK, &id, -32029, "Too many requests")
        }
        Some(Fault::TooManyRequests { retry_after }) => {
            return with_retry_after(StatusCode::TOO_MANY_REQUESTS, retry_after)
        }
        Some(Fault::Unavailable { retry_after }) => {
            return with_retry_after(StatusCode::SERVICE_UNAVAILABLE, retry_after)
        }
        Some(Fault::Status(s)) => {
            let status = StatusCode::from_u16(*s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, "Something went wrong").into_response();
        }
        Some(Fault::NotJson) => {
            return (StatusCode::OK, "<html><body>Maintenance</body></html>").into_response()
        }
        Some(Fault::Slow(d)) => tokio::time::sleep(*d).await,
        _ => {}
    }
    if call.id.is_none() {
        // A notification: processed, nothing to answer.
        return StatusCode::NO_CONTENT.into_response();
    }
    let mut call = call;
    if fault == Some(Fault::WrongId) {
        call.id = Some(json!("not-your-id"));
    }
    let mut out = finish(&sim, answer(&sim, call).await);
    if fault == Some(Fault::Reset) {
        let half = out.split_off(out.len() / 2);
        drop(half);
        let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![
            Ok(out),
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected reset",
            )),
        ];
        let mut r = axum::body::Body::from_stream(futures::stream::iter(parts)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return r;
    }
    if fault == Some(Fault::Truncated) {
        out.truncate(out.len() / 2);
    }
    json_response(StatusCode::OK, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_defaults_and_flag_errors() {
        let cfg = TimeClockSimConfig::default();
        assert_eq!((cfg.employees, cfg.days), (60, 60));
        assert_eq!((cfg.auth_status, cfg.auth_body), (401, AuthBody::JsonRpc));
        assert!(!cfg.batch && !cfg.escape_slashes && cfg.open_end == OpenEnd::Null);
        let ok = TimeClockSimArgs {
            employees: 1000,
            days: 31,
            lenient_rpc_params: true,
        }
        .to_config()
        .unwrap();
        assert_eq!((ok.employees, ok.days), (1000, 31));
        assert!(ok.lenient_rpc_params && !cfg.lenient_rpc_params);
        let e = TimeClockSimArgs {
            employees: 0,
            days: 31,
            lenient_rpc_params: false,
        }
        .to_config()
        .unwrap_err();
        assert!(e.contains("--employees"));
        let e = TimeClockSimArgs {
            employees: 5,
            days: 0,
            lenient_rpc_params: false,
        }
        .to_config()
        .unwrap_err();
        assert!(e.contains("--days"));
    }

    #[test]
    fn requests_are_checked_per_method_and_field() {
        let req = |method: &str, params: Value| json!({"jsonrpc": "2.0", "id": 3, "method": method, "params": params});
        let seed = json!({"startDate": "2025-10-08", "endDate": "2025-10-15"});
        for m in METHODS {
            let call = validate(&req(m, seed.clone()), false).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                (call.method.as_str(), call.end - call.start),
                (m, Duration::days(7))
            );
        }
        let e = validate(&req("employees", seed.clone()), false).unwrap_err();
        assert_eq!(e["error"]["code"], -32601);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("'employees'"),
            "{e}"
        );
        assert_eq!(e["id"], 3);
        let extra = json!({"startDate": "2025-10-08", "endDate": "2025-10-15", "page": 2});
        let e = validate(&req("sessions", extra.clone()), false).unwrap_err();
        assert_eq!(e["error"]["code"], -32602);
        assert!(
            e["error"]["message"].as_str().unwrap().contains("'page'"),
            "{e}"
        );
        assert!(validate(&req("sessions", extra), true).is_ok());
        let e = validate(&req("lunches", json!({"startDate": "2025-10-08"})), true).unwrap_err();
        assert_eq!(e["error"]["code"], -32602);
        assert!(
            e["error"]["message"].as_str().unwrap().contains("endDate"),
            "{e}"
        );
    }

    #[test]
    fn rendering_a_month_for_a_thousand_employees_is_quick() {
        let roster = Roster::generate(1, 1000);
        let sim = TimeClockSim::new(
            1,
            &roster,
            TimeClockSimConfig {
                employees: 1000,
                days: 31,
                today: NaiveDate::from_ymd_opt(2026, 11, 19),
                ..Default::default()
            },
        );
        let started = std::time::Instant::now();
        let body = render::result(&sim, "timesheet", sim.first_day(), sim.today());
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v.as_array().unwrap().len(), 1000);
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }
}
