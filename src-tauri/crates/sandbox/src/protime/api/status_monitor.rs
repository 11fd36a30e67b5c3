//! The status monitor of accepted (`202`) clockings.
use super::{not_found, ok};
use crate::protime::{OperationState, SimState, API_PREFIX};
use axum::response::Response;
use serde_json::json;

/// `GET …/status-monitor/clockings/{n}`: the state of an accepted (`202`) clocking.
///
/// UNCONFIRMED point of the spec: the body is the sandbox's reading (see
/// [`super::AcceptedOutcome`]). A running operation answers `Running` to
/// `accepted_running_polls` polls; the next poll completes it (as does a timer after as many
/// seconds, polled or not).
pub(super) fn clocking_operation(s: &mut SimState, n: &str) -> Response {
    let Ok(n) = n.parse::<i64>() else {
        return not_found("The operation");
    };
    let limit = s.config.accepted_running_polls;
    let Some(op) = s.operations.get_mut(&n) else {
        return not_found("The operation");
    };
    if matches!(op.state, OperationState::Running(_)) {
        let due = op.running_polls >= limit
            || op.accepted_at.elapsed() >= std::time::Duration::from_secs(u64::from(limit));
        if !due {
            op.running_polls += 1;
            return ok(json!({"id": n, "status": "Running"}));
        }
        s.complete_operation(n);
    }
    match s.operations.get(&n).map(|op| &op.state) {
        Some(OperationState::Succeeded { clocking_id }) => ok(json!({
            "id": n,
            "status": "Succeeded",
            "resourceLocation": format!("{API_PREFIX}clockings/{clocking_id}"),
        })),
        Some(OperationState::Failed { reasons }) => ok(json!({
            "id": n,
            "status": "Failed",
            "error": {"code": "BadRequest", "message": "The request was invalid", "reasons": reasons},
        })),
        // Still running (complete_operation leaves nothing running) or gone: answer as running.
        _ => ok(json!({"id": n, "status": "Running"})),
    }
}
