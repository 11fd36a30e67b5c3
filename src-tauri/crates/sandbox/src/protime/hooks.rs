//! The sandbox's own test hooks (no auth, not part of the contract).

use super::ProtimeSim;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// Sandbox-only test hook (no auth, not part of the contract): every clocking the tenant holds.
pub(crate) async fn readback_clockings(State(sim): State<ProtimeSim>) -> Response {
    Json(Value::Array(sim.clockings())).into_response()
}

/// Sandbox-only test hook: method, path and body of every API request received.
pub(crate) async fn readback_requests(State(sim): State<ProtimeSim>) -> Response {
    let list: Vec<Value> = sim
        .received()
        .into_iter()
        .map(|r| json!({"method": r.method, "pathAndQuery": r.path_and_query, "body": r.body, "userAgent": r.user_agent}))
        .collect();
    Json(Value::Array(list)).into_response()
}
