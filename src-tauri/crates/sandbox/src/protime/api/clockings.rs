//! Clockings: `GET /clockings/{id}` and `POST /clockings`.
use super::parse::{date_of, int_of, num_of, numeric_id};
use super::refs::{decorate, resolve_body_ref, uses_body_refs};
use super::shape::{refuse_unknown, CLOCKING};
use super::{not_found, ok, Query};
use crate::protime::data::{self};
use crate::protime::{
    bad_request, validation, ClockingPostAnswer, Operation, OperationState, SimState, API_PREFIX,
};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
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

/// `POST /clockings`: parses and validates the body, then stores the clocking (or accepts it for
/// later).
pub(super) fn post(s: &mut SimState, q: &Query, refs: &[(String, String)], body: &str) -> Response {
    match validate(s, q, refs, body) {
        Ok(c) => apply(s, c),
        Err(answer) => answer,
    }
}

/// Parse → validate: the body as a clocking ready to store (id and change version still 0), or the
/// error answer. The checks run in the order the answers are specified: shape, then references,
/// then kind-specific fields.
fn validate(
    s: &SimState,
    q: &Query,
    refs: &[(String, String)],
    body: &str,
) -> Result<data::Clocking, Response> {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return Err(validation(&[("body", "The body is not valid JSON".into())]));
    };
    if let Some(refused) = refuse_unknown(s, &v, &CLOCKING) {
        return Err(refused);
    }
    let (date, time, kind) = required_fields(&v)?;
    if let Some(status) = v.get("status").filter(|x| !x.is_null()) {
        if status != "Active" {
            return Err(validation(&[(
                "status",
                format!("status must be Active (the only value the seed lists), not {status}"),
            )]));
        }
    }
    if s.config.require_ext_ref_query_on_writes
        && uses_body_refs(&v)
        && refs.is_empty()
        && !q.has("externalReferences")
    {
        return Err(bad_request(&[
            "Invalid external reference specification: add ?externalReferences=(...)",
        ]));
    }
    let person = body_id(s, &v["person"], "people", "person")?;
    if let Some(closed) = s
        .people
        .iter()
        .find(|p| p.id == person)
        .and_then(|p| p.period_closing_date)
        .filter(|closed| date <= *closed)
    {
        return Err(validation(&[(
            "date",
            format!("The person's period is closed up to {closed} (periodClosingDate): no clockings on or before it"),
        )]));
    }
    let terminal = match v.get("terminal").filter(|t| !t.is_null()) {
        Some(t) => Some(body_id(s, t, "terminals", "terminal")?),
        None => None,
    };
    let geolocation = geolocation(v.get("geolocation").filter(|g| !g.is_null()))?;
    let reason_v = v.get("reason").filter(|r| !r.is_null());
    let levels_v = v
        .get("activityLevels")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    if s.config.reject_extra_kind_fields
        && ((reason_v.is_some() && kind != "Reason") || (levels_v.is_some() && kind != "Activity"))
    {
        return Err(bad_request(&["reason is only allowed for Reason clockings and activityLevels only for Activity clockings"]));
    }
    let (reason, is_open) = if kind == "Reason" {
        reason(s, &v, reason_v)?
    } else {
        (None, None)
    };
    let levels = if kind == "Activity" {
        activity_levels(s, levels_v, date)?
    } else {
        Vec::new()
    };
    Ok(data::Clocking {
        // Both set when the clocking is committed (`SimState::commit_clocking`).
        id: 0,
        person,
        date,
        // Range-checked in `required_fields` (-1440..=2880).
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
    })
}

/// The fields every clocking needs (`person` object, `date`, `timeOfDayInMinutes`, `kind`): all
/// problems at once, as one model-validation answer.
fn required_fields(v: &Value) -> Result<(NaiveDate, i64, &str), Response> {
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
    match (date, time) {
        (Some(date), Some(time)) if errs.is_empty() => Ok((date, time, kind)),
        _ if !errs.is_empty() => Err(validation(&errs)),
        _ => Err(validation(&[(
            "body",
            "date and timeOfDayInMinutes are required".into(),
        )])),
    }
}

/// A nested reference (`{"id"}` or `{"externalReferences"}`) to an item stored under a numeric id.
fn body_id(s: &SimState, v: &Value, collection: &str, what: &str) -> Result<i64, Response> {
    resolve_body_ref(s, v, collection, what, None)
        .and_then(|id| numeric_id(&id, what))
        .map_err(|e| bad_request(&[&e]))
}

/// `geolocation`: longitude and latitude (or the documented `lattitude`) in range.
fn geolocation(g: Option<&Value>) -> Result<Option<(f64, f64)>, Response> {
    let Some(g) = g else {
        return Ok(None);
    };
    let lon = num_of(g.get("longitude"));
    let lat = num_of(g.get("latitude").or_else(|| g.get("lattitude")));
    match (lon, lat) {
        (Some(a), Some(b)) if (-180.0..=180.0).contains(&a) && (-90.0..=90.0).contains(&b) => {
            Ok(Some((a, b)))
        }
        _ => Err(validation(&[(
            "geolocation",
            "longitude and latitude must be numbers".into(),
        )])),
    }
}

/// A `Reason` clocking's reason (an absence definition usable as clocking reason) and `isOpen`.
fn reason(
    s: &SimState,
    v: &Value,
    reason_v: Option<&Value>,
) -> Result<(Option<i64>, Option<bool>), Response> {
    match reason_v {
        Some(r) => {
            let id = body_id(s, r, "absence-definitions", "reason")?;
            if !s
                .absence_defs
                .iter()
                .any(|a| a.id == id && a.is_reason_for_clocking)
            {
                return Err(bad_request(&[
                    "The reason is not an absence definition usable as clocking reason",
                ]));
            }
            let is_open = v.get("isOpen").and_then(Value::as_bool).unwrap_or(false);
            Ok((Some(id), Some(is_open)))
        }
        None if s.config.require_kind_fields => {
            Err(bad_request(&["A Reason clocking needs reason.id"]))
        }
        None => Ok((None, None)),
    }
}

/// An `Activity` clocking's `activityLevels`: each level's definition resolved on that level and
/// active on the clocking's date (the seed: `activeFrom`/`activeUntil` control when a definition is
/// available for registrations).
fn activity_levels(
    s: &SimState,
    items: Option<&Vec<Value>>,
    date: NaiveDate,
) -> Result<Vec<(i64, String)>, Response> {
    let Some(items) = items else {
        if s.config.require_kind_fields {
            return Err(bad_request(&["An Activity clocking needs activityLevels"]));
        }
        return Ok(Vec::new());
    };
    let mut levels = Vec::new();
    for it in items {
        let Some(level) = int_of(it.get("level")) else {
            return Err(validation(&[(
                "activityLevels.level",
                "level is required".into(),
            )]));
        };
        let Some(def) = it.get("activityDefinition") else {
            return Err(validation(&[(
                "activityLevels.activityDefinition",
                "activityDefinition is required".into(),
            )]));
        };
        let id = resolve_body_ref(
            s,
            def,
            "activity-definitions",
            "activity definition",
            Some(level),
        )
        .map_err(|e| bad_request(&[&e]))?;
        if let Some(d) = s.defs.iter().find(|d| d.id == id) {
            let active =
                d.active_from.is_none_or(|f| f <= date) && d.active_until.is_none_or(|u| date <= u);
            if !active {
                return Err(bad_request(&[&format!(
                    "The activity definition {id} of level {level} is not active on {date} (active {} to {})",
                    d.active_from.map_or("always".into(), |f| f.to_string()),
                    d.active_until.map_or("open-ended".into(), |u| u.to_string()),
                )]));
            }
        }
        levels.push((level, id));
    }
    Ok(levels)
}

/// Apply: stores a validated clocking and answers `201` (with or without a body), or accepts it as
/// a running operation and answers `202` with its `Operation-Location`.
fn apply(s: &mut SimState, c: data::Clocking) -> Response {
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
