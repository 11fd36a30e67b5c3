//! Usages of an activity definition (who may book it).
use super::parse::{date_of, int_of};
use super::refs::find_by_ref;
use super::{not_found, ok};
use crate::protime::data::Usage;
use crate::protime::{bad_request, error, reasons_error, validation, SimState};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::Value;

pub(super) fn usage_ref(s: &SimState, v: &Value, kind: &str) -> Result<i64, String> {
    let r = v
        .get("usageReference")
        .ok_or("usageReference is required")?;
    if let Some(id) = int_of(r.get("id")) {
        return Ok(id);
    }
    if let Some(map) = r.get("externalReferences").and_then(Value::as_object) {
        if let Some((name, value)) = map.iter().next() {
            let value = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            if kind == "Person" {
                return find_by_ref(s, "people", name, &value, None)
                    .and_then(|x| x.parse().ok())
                    .ok_or(format!("No person has {name} '{value}'"));
            }
            // Custom references of groups and circles: `<name>` = "G<id>" / "C<id>" in the sandbox.
            return value
                .trim_start_matches(['G', 'C'])
                .parse()
                .map_err(|_| format!("No {kind} has {name} '{value}'"));
        }
    }
    Err("usageReference needs an id or externalReferences".into())
}

pub(super) fn usages(s: &mut SimState, def_id: &str, method: &Method, body: &str) -> Response {
    if method == Method::GET {
        return ok(s
            .defs
            .iter()
            .find(|d| d.id == def_id)
            .unwrap()
            .usages_json());
    }
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return validation(&[("body", "The body is not valid JSON".into())]);
    };
    let kind = v
        .get("activityUsageKind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !["Person", "Group", "Circle"].contains(&kind.as_str()) {
        return validation(&[(
            "activityUsageKind",
            "activityUsageKind must be Person, Group or Circle".into(),
        )]);
    }
    let reference = match usage_ref(s, &v, &kind) {
        Ok(r) => r,
        Err(e) => return bad_request(&[&e]),
    };
    let dates = |a: &str, b: &str| -> Result<(NaiveDate, Option<NaiveDate>), Response> {
        let from = match date_of(v.get(a)) {
            Ok(Some(d)) => d,
            Ok(None) => return Err(validation(&[(a, format!("{a} is required"))])),
            Err(e) => return Err(validation(&[(a, e)])),
        };
        let until = date_of(v.get(b)).map_err(|e| validation(&[(b, e)]))?;
        if until.is_some_and(|u| u < from) {
            return Err(bad_request(&[
                "The end date must not be before the start date",
            ]));
        }
        Ok((from, until))
    };
    let overlap_status =
        StatusCode::from_u16(s.config.usage_overlap_status).unwrap_or(StatusCode::BAD_REQUEST);
    let mismatch_status =
        StatusCode::from_u16(s.config.usage_mismatch_status).unwrap_or(StatusCode::BAD_REQUEST);
    let cv = s.bump();
    let d = s.defs.iter_mut().find(|d| d.id == def_id).unwrap();
    let same = |u: &Usage| u.kind == kind && u.reference == reference;
    match *method {
        Method::POST => {
            let (from, until) = match dates("from", "until") {
                Ok(x) => x,
                Err(r) => return r,
            };
            let new = Usage {
                kind: kind.clone(),
                reference,
                from,
                until,
            };
            if d.usages.iter().any(|u| same(u) && u.overlaps(&new)) {
                return reasons_error(
                    overlap_status,
                    &["The usage overlaps an existing usage for the same reference"],
                );
            }
            d.usages.push(new);
            d.cv = cv;
            ok(d.usages_json())
        }
        Method::PUT => {
            let (of, ou) = match dates("originalFrom", "originalUntil") {
                Ok(x) => x,
                Err(r) => return r,
            };
            let (nf, nu) = match dates("updatedFrom", "updatedUntil") {
                Ok(x) => x,
                Err(r) => return r,
            };
            let Some(pos) = d
                .usages
                .iter()
                .position(|u| same(u) && u.from == of && u.until == ou)
            else {
                return reasons_error(
                    mismatch_status,
                    &["originalFrom/originalUntil do not match a stored usage"],
                );
            };
            let new = Usage {
                kind: kind.clone(),
                reference,
                from: nf,
                until: nu,
            };
            if d.usages
                .iter()
                .enumerate()
                .any(|(i, u)| i != pos && same(u) && u.overlaps(&new))
            {
                return reasons_error(
                    overlap_status,
                    &["The usage overlaps an existing usage for the same reference"],
                );
            }
            d.usages[pos] = new;
            d.cv = cv;
            ok(d.usages_json())
        }
        Method::DELETE => {
            let (from, until) = match dates("from", "until") {
                Ok(x) => x,
                Err(r) => return r,
            };
            let Some(pos) = d
                .usages
                .iter()
                .position(|u| same(u) && u.from == from && u.until == until)
            else {
                return error(StatusCode::NOT_FOUND, "NotFound", "No such usage");
            };
            d.usages.remove(pos);
            d.cv = cv;
            StatusCode::NO_CONTENT.into_response()
        }
        _ => not_found("The resource"),
    }
}
