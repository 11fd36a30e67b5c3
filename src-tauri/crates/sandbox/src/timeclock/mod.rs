//! Simulator of the TimeClock 365 JSON-RPC API (`shared/spec/timeclock365-api.md`, section 10).

use crate::roster::{Rng, Roster, RosterPerson};
use crate::DEMO_API_KEY;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::{json, Value};
use std::sync::Arc;

/// Switches for behaviour the contract leaves unconfirmed, and the data scale.
#[derive(Debug, Clone)]
pub struct TimeClockSimConfig {
    /// Employees in the company (the first 50 are also Protime people).
    pub employees: usize,
    /// Days of history up to and including today.
    pub days: u32,
}

impl Default for TimeClockSimConfig {
    fn default() -> Self {
        Self {
            employees: 60,
            days: 60,
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
        })
    }
}

struct Inner {
    seed: u64,
    config: TimeClockSimConfig,
    employees: Vec<RosterPerson>,
    /// The last day with data (today when the sandbox started).
    today: NaiveDate,
}

/// The TimeClock 365 simulator; clones share it.
#[derive(Clone)]
pub struct TimeClockSim {
    inner: Arc<Inner>,
}

impl TimeClockSim {
    pub fn new(seed: u64, roster: &Roster, config: TimeClockSimConfig) -> Self {
        let employees = roster
            .people
            .iter()
            .take(config.employees)
            .cloned()
            .collect();
        let today = chrono::Local::now().date_naive();
        Self {
            inner: Arc::new(Inner {
                seed,
                config,
                employees,
                today,
            }),
        }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/api/v1/json-rpc", post(rpc))
            .with_state(self.clone())
    }

    fn first_day(&self) -> NaiveDate {
        self.inner.today - Duration::days(self.inner.config.days as i64 - 1)
    }
}

fn rpc_error(status: StatusCode, id: Value, code: i64, message: &str) -> Response {
    (
        status,
        axum::Json(
            json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
        ),
    )
        .into_response()
}

async fn rpc(State(sim): State<TimeClockSim>, headers: HeaderMap, body: String) -> Response {
    let key = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if key != DEMO_API_KEY {
        return rpc_error(
            StatusCode::UNAUTHORIZED,
            Value::Null,
            -32001,
            "Unauthorized",
        );
    }
    let request: Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(_) => return rpc_error(StatusCode::OK, Value::Null, -32700, "Parse error"),
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let method = match (
        request.get("jsonrpc").and_then(Value::as_str),
        request.get("method").and_then(Value::as_str),
    ) {
        (Some("2.0"), Some(m)) => m.to_string(),
        _ => return rpc_error(StatusCode::OK, Value::Null, -32600, "Invalid Request"),
    };
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let date = |name: &str| {
        params
            .get(name)
            .and_then(Value::as_str)
            .filter(|s| s.len() == 10)
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    };
    let known = ["sessions"];
    if !known.contains(&method.as_str()) {
        return rpc_error(StatusCode::OK, id, -32601, "Method not found");
    }
    let (Some(start), Some(end)) = (date("startDate"), date("endDate")) else {
        return rpc_error(
            StatusCode::OK,
            id,
            -32602,
            "Invalid params: startDate and endDate must be YYYY-MM-DD",
        );
    };
    if start > end {
        return rpc_error(
            StatusCode::OK,
            id,
            -32602,
            "Invalid params: startDate is after endDate",
        );
    }
    let result: Vec<Value> = sim
        .inner
        .employees
        .iter()
        .map(|e| {
            let sessions: Vec<Value> = days(start, end)
                .filter(|d| *d >= sim.first_day() && *d <= sim.inner.today)
                .filter_map(|d| work_session(&sim, e, d))
                .collect();
            json!({"employeeNumber": e.employee_number, "email": e.email, "sessions": sessions})
        })
        .collect();
    axum::Json(json!({"jsonrpc": "2.0", "id": id, "result": result})).into_response()
}

fn days(start: NaiveDate, end: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    start.iter_days().take_while(move |d| *d <= end)
}

/// The session an employee worked on a day, if any: a pure function of (seed, employee, date), so any
/// date range yields the same records for the same day.
fn work_session(sim: &TimeClockSim, e: &RosterPerson, day: NaiveDate) -> Option<Value> {
    let israeli = e.timezone == "Asia/Jerusalem";
    let weekend = if israeli {
        matches!(day.weekday(), Weekday::Fri | Weekday::Sat)
    } else {
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    };
    if weekend {
        return None;
    }
    let mut rng = Rng::derive(
        sim.inner.seed,
        &[e.employee_number as u64, day.num_days_from_ce() as u64],
    );
    if rng.chance(0.08) {
        return None;
    }
    let start_min = rng.range(7 * 60 + 30, 9 * 60 + 30);
    let length = rng.range(7 * 60 + 30, 9 * 60 + 30);
    let start = day.and_hms_opt(0, 0, 0)?
        + Duration::minutes(start_min)
        + Duration::seconds(rng.range(0, 59));
    let end = start + Duration::minutes(length);
    let open = day == sim.inner.today;
    Some(json!({
        "startDate": start.format("%Y-%m-%d %H:%M:%S").to_string(),
        "endDate": if open { Value::Null } else { json!(end.format("%Y-%m-%d %H:%M:%S").to_string()) },
        "timezone": e.timezone,
        "locationType": *rng.pick(&["office", "office", "office", "home", "field"]),
        "startSourceType": *rng.pick(&["web", "phone"]),
        "endSourceType": if open { Value::Null } else { json!(*rng.pick(&["web", "phone"])) },
    }))
}
