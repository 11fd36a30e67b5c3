//! Access clockings: `GET /access-clockings/{id}` (the list is [`super::list`]).

use super::refs::decorate;
use super::{not_found, ok};
use crate::protime::SimState;
use axum::response::Response;

pub(super) fn get(s: &SimState, id: &str, refs: &[(String, String)]) -> Response {
    match s.access.iter().find(|c| c.id.to_string() == id) {
        Some(c) => {
            let mut v = c.to_json(&s.config.unknown_badge_status);
            decorate(s, &mut v, refs);
            ok(v)
        }
        None => not_found("The access clocking"),
    }
}
