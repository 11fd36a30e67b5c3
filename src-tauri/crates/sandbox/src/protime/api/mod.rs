//! The API handlers, routed by path segments (after the dispatcher checked auth and scope): one file
//! per resource, the shared list/paging/delta machinery, external references and parsing helpers.
#![allow(clippy::result_large_err)]

mod absence_definitions;
mod access_clockings;
mod activity_definitions;
mod clockings;
mod delta;
mod list;
mod paging;
mod parse;
mod people;
mod query_rules;
mod refs;
mod restrictions;
mod shape;
mod status_monitor;
mod structure_versions;
mod usages;

#[cfg(test)]
mod strict_tests;
#[cfg(test)]
mod tests;

pub use parse::Query;

use super::data;
use super::{bad_request, error, SimState};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

fn not_found(what: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("{what} was not found"),
    )
}

fn ok(v: Value) -> Response {
    Json(v).into_response()
}

pub fn route(s: &mut SimState, method: &Method, seg: &[&str], q: &Query, body: &str) -> Response {
    if let Err(reason) = query_rules::check(method, seg, q, s.config.lenient_query) {
        return bad_request(&[&reason]);
    }
    let refs = match q
        .get("externalReferences")
        .map(refs::parse_ext_refs)
        .transpose()
    {
        Ok(r) => r.unwrap_or_default(),
        Err(e) => return bad_request(&[&e]),
    };
    let get = method == Method::GET;
    match seg {
        ["people"] if get => list::list(s, "people", q, &refs),
        ["people", r] if get => people::get(s, r, &refs),
        ["clockings"] if get => list::list(s, "clockings", q, &refs),
        ["clockings"] if method == Method::POST => clockings::post(s, q, &refs, body),
        ["status-monitor", "clockings", n] if get => status_monitor::clocking_operation(s, n),
        ["clockings", id] if get => clockings::get(s, id, &refs),
        ["access-clockings"] if get => list::list(s, "access-clockings", q, &refs),
        ["access-clockings", id] if get => access_clockings::get(s, id, &refs),
        ["calculated-totals"] if get => list::list(s, "calculated-totals", q, &refs),
        ["absence-definitions"] if get => list::list(s, "absence-definitions", q, &refs),
        ["absence-definitions", r] if get => absence_definitions::get(s, r, &refs),
        ["terminals"] if get => list::list(s, "terminals", q, &refs),
        ["activity-structure-versions"] if get => structure_versions::list(),
        ["activity-structure-versions", v] if get => structure_versions::get(v),
        ["delta", coll] if get => delta::delta_increment(s, coll, q),
        ["activity-structure-versions", v, "levels", l, "activity-definitions", rest @ ..] => {
            let Some(level) = l
                .parse::<i64>()
                .ok()
                .filter(|l| (1..=data::LEVEL_NAMES.len() as i64).contains(l))
            else {
                return not_found("The level");
            };
            if *v != data::STRUCTURE_VERSION {
                return not_found("The activity structure version");
            }
            activity_definitions::activity(s, method, v, level, rest, q, &refs, body)
        }
        _ => not_found("The resource"),
    }
}
