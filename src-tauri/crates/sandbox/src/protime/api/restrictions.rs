//! Restrictions of an activity definition (which combinations are allowed).
use super::ok;
use super::parse::int_of;
use super::refs::resolve_body_ref;
use crate::protime::data::{self};
use crate::protime::{bad_request, validation, SimState};
use axum::response::Response;
use serde_json::Value;

/// Accepts a top-level array, `{"restrictions":[...]}`, one extra level of array nesting, `levelIndex`
/// for `level`, and the documentation's unwrapped fragment `"restrictions": [[ ... ]`.
pub fn parse_restrictions_body(body: &str) -> Result<Vec<(i64, Vec<Value>)>, String> {
    let v: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(_) => {
            let mut t = format!("{{{}", body.trim());
            let opens = t.matches('[').count() as i64 - t.matches(']').count() as i64;
            for _ in 0..opens.max(0) {
                t.push(']');
            }
            t.push('}');
            serde_json::from_str(&t).map_err(|e| format!("The body is not valid JSON: {e}"))?
        }
    };
    let list = match &v {
        Value::Array(a) => a.clone(),
        Value::Object(o) => o
            .get("restrictions")
            .and_then(Value::as_array)
            .cloned()
            .ok_or("restrictions is required")?,
        _ => return Err("restrictions must be an array".into()),
    };
    let mut flat = Vec::new();
    for item in list {
        match item {
            Value::Array(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    flat.into_iter()
        .map(|r| {
            let level = int_of(r.get("level").or_else(|| r.get("levelIndex")))
                .ok_or("restrictions[].level is required")?;
            let defs = r
                .get("activityDefinitions")
                .and_then(Value::as_array)
                .cloned()
                .ok_or("restrictions[].activityDefinitions is required")?;
            Ok((level, defs))
        })
        .collect()
}

pub(super) fn put_restrictions(s: &mut SimState, def_id: &str, body: &str) -> Response {
    let parsed = match parse_restrictions_body(body) {
        Ok(p) => p,
        Err(e) => return validation(&[("restrictions", e)]),
    };
    let (version, own_level) = {
        let d = s.defs.iter().find(|d| d.id == def_id).unwrap();
        (d.version.clone(), d.level)
    };
    let mut out = Vec::new();
    for (level, defs) in parsed {
        if level < 1 || level > data::LEVEL_NAMES.len() as i64 || level == own_level {
            return bad_request(&[&format!("Restrictions cannot be set on level {level}")]);
        }
        let mut ids = Vec::new();
        for d in defs {
            match resolve_body_ref(
                s,
                &d,
                "activity-definitions",
                "activity definition",
                Some(level),
            ) {
                Ok(id) if s.defs.iter().any(|x| x.id == id && x.version == version) => ids.push(id),
                Ok(id) => {
                    return bad_request(&[&format!(
                        "The activity definition {id} is not in this structure version"
                    )])
                }
                Err(e) => return bad_request(&[&e]),
            }
        }
        out.push((level, ids));
    }
    let cv = s.bump();
    let d = s.defs.iter_mut().find(|d| d.id == def_id).unwrap();
    d.restrictions = out;
    d.cv = cv;
    ok(d.restrictions_json())
}
