//! People: `GET /people/{reference}` (the list is [`super::list`]).

use super::refs::resolve_path_ref;
use super::{not_found, ok};
use crate::protime::SimState;
use axum::response::Response;

/// One person by internal id or (with `?externalReferences=(people,name)`) by a reference value.
pub(super) fn get(s: &SimState, reference: &str, refs: &[(String, String)]) -> Response {
    match resolve_path_ref(s, "people", reference, refs, None) {
        Some(id) => {
            let older = s.config.older_iso_spelling;
            let p = s
                .people
                .iter()
                .find(|p| p.id.to_string() == id)
                .unwrap()
                .to_json(older);
            ok(p)
        }
        None => not_found("The person"),
    }
}
