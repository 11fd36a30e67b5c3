//! Usages of an activity definition (who may book it).
use super::parse::{date_of, int_of};
use super::refs::find_by_ref;
use super::shape::{refuse_unknown, USAGE, USAGE_UPDATE};
use super::{not_found, ok};
use crate::protime::data::{ActivityDef, Usage};
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

/// `GET`, `POST` (add), `PUT` (change the period) and `DELETE` of one definition's usages.
pub(super) fn usages(s: &mut SimState, def_id: &str, method: &Method, body: &str) -> Response {
    if method == Method::GET {
        return ok(s
            .defs
            .iter()
            .find(|d| d.id == def_id)
            .unwrap()
            .usages_json());
    }
    let (v, kind, reference) = match parse_usage(s, body) {
        Ok(parsed) => parsed,
        Err(answer) => return answer,
    };
    let shape = if method == Method::PUT {
        &USAGE_UPDATE
    } else {
        &USAGE
    };
    if let Some(refused) = refuse_unknown(s, &v, shape) {
        return refused;
    }
    // Every write that got this far draws a change version, whatever happens next.
    let cv = s.bump();
    let target = Target {
        kind,
        reference,
        overlap_status: StatusCode::from_u16(s.config.usage_overlap_status)
            .unwrap_or(StatusCode::BAD_REQUEST),
        mismatch_status: StatusCode::from_u16(s.config.usage_mismatch_status)
            .unwrap_or(StatusCode::BAD_REQUEST),
    };
    let d = s.defs.iter_mut().find(|d| d.id == def_id).unwrap();
    let answer = match *method {
        Method::POST => add(d, &v, target),
        Method::PUT => update(d, &v, target),
        Method::DELETE => remove(d, &v, target),
        _ => return not_found("The resource"),
    };
    match answer {
        Ok(answer) => {
            d.cv = cv;
            answer
        }
        Err(answer) => answer,
    }
}

/// Parse: the body, its `activityUsageKind` and the reference it names (which must exist).
fn parse_usage(s: &SimState, body: &str) -> Result<(Value, String, i64), Response> {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return Err(validation(&[("body", "The body is not valid JSON".into())]));
    };
    let kind = v
        .get("activityUsageKind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !["Person", "Group", "Circle"].contains(&kind.as_str()) {
        return Err(validation(&[(
            "activityUsageKind",
            "activityUsageKind must be Person, Group or Circle".into(),
        )]));
    }
    let reference = usage_ref(s, &v, &kind).map_err(|e| bad_request(&[&e]))?;
    Ok((v, kind, reference))
}

/// Who a usage write is about, and how its conflicts are answered.
struct Target {
    kind: String,
    reference: i64,
    overlap_status: StatusCode,
    mismatch_status: StatusCode,
}

impl Target {
    fn same(&self, u: &Usage) -> bool {
        u.kind == self.kind && u.reference == self.reference
    }
    fn usage(&self, from: NaiveDate, until: Option<NaiveDate>) -> Usage {
        Usage {
            kind: self.kind.clone(),
            reference: self.reference,
            from,
            until,
        }
    }
    fn overlap(&self) -> Response {
        reasons_error(
            self.overlap_status,
            &["The usage overlaps an existing usage for the same reference"],
        )
    }
}

/// Validate a period: the start field is required, the end is optional and not before the start.
fn period(v: &Value, a: &str, b: &str) -> Result<(NaiveDate, Option<NaiveDate>), Response> {
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
}

/// `POST`: a new usage that overlaps none of the same reference.
fn add(d: &mut ActivityDef, v: &Value, t: Target) -> Result<Response, Response> {
    let (from, until) = period(v, "from", "until")?;
    let new = t.usage(from, until);
    if d.usages.iter().any(|u| t.same(u) && u.overlaps(&new)) {
        return Err(t.overlap());
    }
    d.usages.push(new);
    Ok(ok(d.usages_json()))
}

/// `PUT`: the stored usage with the original period gets the updated one.
fn update(d: &mut ActivityDef, v: &Value, t: Target) -> Result<Response, Response> {
    let (of, ou) = period(v, "originalFrom", "originalUntil")?;
    let (nf, nu) = period(v, "updatedFrom", "updatedUntil")?;
    let Some(pos) = d
        .usages
        .iter()
        .position(|u| t.same(u) && u.from == of && u.until == ou)
    else {
        return Err(reasons_error(
            t.mismatch_status,
            &["originalFrom/originalUntil do not match a stored usage"],
        ));
    };
    let new = t.usage(nf, nu);
    if d.usages
        .iter()
        .enumerate()
        .any(|(i, u)| i != pos && t.same(u) && u.overlaps(&new))
    {
        return Err(t.overlap());
    }
    d.usages[pos] = new;
    Ok(ok(d.usages_json()))
}

/// `DELETE`: the usage with exactly this period.
fn remove(d: &mut ActivityDef, v: &Value, t: Target) -> Result<Response, Response> {
    let (from, until) = period(v, "from", "until")?;
    let Some(pos) = d
        .usages
        .iter()
        .position(|u| t.same(u) && u.from == from && u.until == until)
    else {
        return Err(error(StatusCode::NOT_FOUND, "NotFound", "No such usage"));
    };
    d.usages.remove(pos);
    Ok(StatusCode::NO_CONTENT.into_response())
}
