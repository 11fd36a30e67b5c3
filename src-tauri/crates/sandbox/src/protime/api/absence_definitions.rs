//! Absence definitions: `GET /absence-definitions/{reference}` (the list is [`super::list`]).

use super::refs::resolve_path_ref;
use super::{not_found, ok};
use crate::protime::SimState;
use axum::response::Response;

pub(super) fn get(s: &SimState, reference: &str, refs: &[(String, String)]) -> Response {
    match resolve_path_ref(s, "absence-definitions", reference, refs, None) {
        Some(id) => ok(s
            .absence_defs
            .iter()
            .find(|a| a.id.to_string() == id)
            .unwrap()
            .to_json()),
        None => not_found("The absence definition"),
    }
}
