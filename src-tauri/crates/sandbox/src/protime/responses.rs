//! The error bodies the API answers with (the contract's three shapes).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// The `reasons` error body of the contract (controller validation).
pub(crate) fn bad_request(reasons: &[&str]) -> Response {
    reasons_error(StatusCode::BAD_REQUEST, reasons)
}

pub(crate) fn reasons_error(status: StatusCode, reasons: &[&str]) -> Response {
    (
        status,
        Json(json!({"error": {"code": "BadRequest", "message": "The request was invalid", "reasons": reasons}})),
    )
        .into_response()
}

/// The model-validation body (no `error` wrapper; shape assumed by the spec).
pub(crate) fn validation(errors: &[(&str, String)]) -> Response {
    let list: Vec<Value> = errors
        .iter()
        .map(|(f, m)| json!({"field": f, "message": m}))
        .collect();
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"code": "BadRequest", "message": "One or more validation errors occurred", "validationErrors": list})),
    )
        .into_response()
}

/// The generic error body of the contract.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}
