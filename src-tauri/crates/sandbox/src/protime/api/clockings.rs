//! Clockings: `GET /clockings/{id}` and `POST /clockings`.
use super::parse::{date_of, int_of, num_of, numeric_id};
use super::refs::{decorate, resolve_body_ref, uses_body_refs};
use super::{not_found, ok, Query};
use crate::protime::data::{self};
use crate::protime::{
    bad_request, validation, ClockingPostAnswer, Operation, OperationState, SimState, API_PREFIX,
};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

pub(super) fn get(s: &SimState, id: &str, refs: &[(String, String)]) -> Response {
    match s.clockings.iter().find(|c| c.id.to_string() == id) {
        Some(c) => {
            let mut v = c.to_json();
            decorate(s, &mut v, refs);
            ok(v)
        }
        None => not_found("The clocking"),
    }
}

/// `POST /clockings`: validates the body, then stores the clocking (or accepts it for later).
pub(super) fn post(s: &mut SimState, q: &Query, refs: &[(String, String)], body: &str) -> Response {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return validation(&[("body", "The body is not valid JSON".into())]);
    };
    let mut errs: Vec<(&str, String)> = Vec::new();
    if !v.get("person").is_some_and(Value::is_object) {
        errs.push(("person", "The person is required".into()));
    }
    let date = match date_of(v.get("date")) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errs.push(("date", "The date is required".into()));
            None
        }
        Err(e) => {
            errs.push(("date", e));
            None
        }
    };
    let time = int_of(v.get("timeOfDayInMinutes"));
    match time {
        None => errs.push((
            "timeOfDayInMinutes",
            "timeOfDayInMinutes is required (an integer)".into(),
        )),
        Some(t) if !(-1440..=2880).contains(&t) => errs.push((
            "timeOfDayInMinutes",
            "timeOfDayInMinutes must be between -1440 and 2880".into(),
        )),
        _ => {}
    }
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
    if !["InOut", "Reason", "Activity", "ActivityEnd"].contains(&kind) {
        errs.push((
            "kind",
            "kind must be InOut, Reason, Activity or ActivityEnd".into(),
        ));
    }
    if !errs.is_empty() {
        return validation(&errs);
    }
    if s.config.require_ext_ref_query_on_writes
        && uses_body_refs(&v)
        && refs.is_empty()
        && !q.has("externalReferences")
    {
        return bad_request(&[
            "Invalid external reference specification: add ?externalReferences=(...)",
        ]);
    }
    let (Some(date), Some(time)) = (date, time) else {
        return validation(&[("body", "date and timeOfDayInMinutes are required".into())]);
    };
    let person = match resolve_body_ref(s, &v["person"], "people", "person", None)
        .and_then(|id| numeric_id(&id, "person"))
    {
        Ok(id) => id,
        Err(e) => return bad_request(&[&e]),
    };
    let terminal = match v.get("terminal").filter(|t| !t.is_null()) {
        Some(t) => match resolve_body_ref(s, t, "terminals", "terminal", None)
            .and_then(|id| numeric_id(&id, "terminal"))
        {
            Ok(id) => Some(id),
            Err(e) => return bad_request(&[&e]),
        },
        None => None,
    };
    let geolocation = match v.get("geolocation").filter(|g| !g.is_null()) {
        Some(g) => {
            let lon = num_of(g.get("longitude"));
            let lat = num_of(g.get("latitude").or_else(|| g.get("lattitude")));
            match (lon, lat) {
                (Some(a), Some(b))
                    if (-180.0..=180.0).contains(&a) && (-90.0..=90.0).contains(&b) =>
                {
                    Some((a, b))
                }
                _ => {
                    return validation(&[(
                        "geolocation",
                        "longitude and latitude must be numbers".into(),
                    )])
                }
            }
        }
        None => None,
    };
    let reason_v = v.get("reason").filter(|r| !r.is_null());
    let levels_v = v
        .get("activityLevels")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    if s.config.reject_extra_kind_fields
        && ((reason_v.is_some() && kind != "Reason") || (levels_v.is_some() && kind != "Activity"))
    {
        return bad_request(&["reason is only allowed for Reason clockings and activityLevels only for Activity clockings"]);
    }
    let mut reason = None;
    let mut is_open = None;
    if kind == "Reason" {
        match reason_v {
            Some(r) => match resolve_body_ref(s, r, "absence-definitions", "reason", None)
                .and_then(|id| numeric_id(&id, "reason"))
            {
                Ok(id) => {
                    if !s
                        .absence_defs
                        .iter()
                        .any(|a| a.id == id && a.is_reason_for_clocking)
                    {
                        return bad_request(&[
                            "The reason is not an absence definition usable as clocking reason",
                        ]);
                    }
                    reason = Some(id);
                    is_open = Some(v.get("isOpen").and_then(Value::as_bool).unwrap_or(false));
                }
                Err(e) => return bad_request(&[&e]),
            },
            None if s.config.require_kind_fields => {
                return bad_request(&["A Reason clocking needs reason.id"])
            }
            None => {}
        }
    }
    let mut levels = Vec::new();
    if kind == "Activity" {
        match levels_v {
            Some(items) => {
                for it in items {
                    let Some(level) = int_of(it.get("level")) else {
                        return validation(&[("activityLevels.level", "level is required".into())]);
                    };
                    let Some(def) = it.get("activityDefinition") else {
                        return validation(&[(
                            "activityLevels.activityDefinition",
                            "activityDefinition is required".into(),
                        )]);
                    };
                    match resolve_body_ref(
                        s,
                        def,
                        "activity-definitions",
                        "activity definition",
                        Some(level),
                    ) {
                        Ok(id) => levels.push((level, id)),
                        Err(e) => return bad_request(&[&e]),
                    }
                }
            }
            None if s.config.require_kind_fields => {
                return bad_request(&["An Activity clocking needs activityLevels"])
            }
            None => {}
        }
    }
    let c = data::Clocking {
        // Both set when the clocking is committed (`SimState::commit_clocking`).
        id: 0,
        person,
        date,
        // Range-checked above (-1440..=2880).
        time: time as i32,
        original_time: None,
        kind: kind.to_string(),
        terminal,
        geolocation,
        reason,
        is_open,
        levels,
        status: "Active".into(),
        is_generated: false,
        cv: 0,
    };
    if s.config.clocking_post_answer == ClockingPostAnswer::Accepted {
        // Validated now, committed when the operation completes (`SimState::complete_operation`).
        s.next_operation += 1;
        let n = s.next_operation;
        s.operations.insert(
            n,
            Operation {
                accepted_at: std::time::Instant::now(),
                running_polls: 0,
                state: OperationState::Running(Box::new(c)),
            },
        );
        s.operations_to_time.push(n);
        let op = format!("{API_PREFIX}status-monitor/clockings/{n}");
        return (StatusCode::ACCEPTED, [("operation-location", op)]).into_response();
    }
    let id = s.commit_clocking(c);
    let location = format!("{API_PREFIX}clockings/{id}");
    match s.config.clocking_post_answer {
        ClockingPostAnswer::CreatedWithBody => {
            let json_c = s
                .clockings
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.to_json())
                .unwrap_or(Value::Null);
            (StatusCode::CREATED, [("location", location)], Json(json_c)).into_response()
        }
        _ => (StatusCode::CREATED, [("location", location)]).into_response(),
    }
}
