//! Activity structure versions (sandbox-only convenience).
use super::{not_found, ok};
use crate::protime::data::{self};
use axum::response::Response;
use serde_json::{json, Value};

fn structure_json() -> Value {
    json!({
        "id": data::STRUCTURE_VERSION,
        "name": "Activities (sandbox)",
        "sandboxOnly": true,
        "levels": data::LEVEL_NAMES.iter().enumerate().map(|(i, n)| json!({"level": i + 1, "name": n})).collect::<Vec<_>>(),
    })
}

/// `GET /activity-structure-versions`.
pub(super) fn list() -> Response {
    ok(json!({"value": [structure_json()]}))
}

/// `GET /activity-structure-versions/{id}`.
pub(super) fn get(version: &str) -> Response {
    if version == data::STRUCTURE_VERSION {
        ok(structure_json())
    } else {
        not_found("The activity structure version")
    }
}
