//! Restrictions of an activity definition: a list of combinations, each a list of level
//! restrictions (`{"levelIndex", "activityDefinitions": [{"id"}]}`), as the seed shows them.
use super::ok;
use super::parse::int_of;
use super::refs::resolve_body_ref;
use crate::protime::data::{self, RestrictionCombination};
use crate::protime::{bad_request, validation, SimState};
use axum::response::Response;
use serde_json::{Map, Value};

/// One level restriction as parsed from a body: (level, definition references).
type LevelRefs = (i64, Vec<Value>);

/// Parses the PUT body. Strict (default): `{"restrictions": [[{"levelIndex", "activityDefinitions"}]]}`
/// and the seed's own printed fragment `"restrictions": [[ ... ]` (unwrapped and unclosed, which the
/// seed README says must be accepted as printed). With `lenient` (switch
/// `lenient_restriction_shapes`), also the older shapes: a top-level array, a flat list of level
/// restrictions (read as one combination) and `level` for `levelIndex`.
pub fn parse_restrictions_body(body: &str, lenient: bool) -> Result<Vec<Vec<LevelRefs>>, String> {
    let v: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(_) => seed_fragment(body)?,
    };
    let list =
        match &v {
            Value::Array(a) if lenient => a.clone(),
            Value::Array(_) => return Err(
                "send an object {\"restrictions\": [[...]]}, not a bare array (the older shape; \
                 the sandbox switch lenient_restriction_shapes accepts it)"
                    .into(),
            ),
            Value::Object(o) => {
                if let Some(k) = o.keys().find(|k| *k != "restrictions") {
                    return Err(format!("unknown field '{k}'"));
                }
                o.get("restrictions")
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or("restrictions is required and must be an array of combinations")?
            }
            _ => return Err("restrictions must be an array of combinations".into()),
        };
    let mut combos = Vec::new();
    let mut flat = Vec::new();
    for (i, item) in list.into_iter().enumerate() {
        match item {
            Value::Array(inner) => combos.push(
                inner
                    .iter()
                    .enumerate()
                    .map(|(j, r)| level_restriction(r, &format!("[{i}][{j}]"), lenient))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Value::Object(_) if lenient => {
                flat.push(level_restriction(&item, &format!("[{i}]"), lenient)?)
            }
            _ => {
                return Err(format!(
                    "restrictions[{i}] must be a combination: an array of level restrictions \
                     (a flat list is the older shape; the switch lenient_restriction_shapes accepts it)"
                ))
            }
        }
    }
    if !flat.is_empty() {
        combos.push(flat);
    }
    Ok(combos)
}

/// The seed prints the body as `"restrictions": [[ ... ]` without braces and the last bracket.
fn seed_fragment(body: &str) -> Result<Value, String> {
    let t = body.trim();
    if !t.starts_with("\"restrictions\"") {
        return Err("The body is not valid JSON".into());
    }
    let mut t = format!("{{{t}");
    let opens = t.matches('[').count() as i64 - t.matches(']').count() as i64;
    for _ in 0..opens.max(0) {
        t.push(']');
    }
    t.push('}');
    serde_json::from_str(&t).map_err(|e| format!("The body is not valid JSON: {e}"))
}

fn level_restriction(r: &Value, at: &str, lenient: bool) -> Result<LevelRefs, String> {
    let o: &Map<String, Value> = r
        .as_object()
        .ok_or(format!("restrictions{at} must be an object"))?;
    let allowed: &[&str] = if lenient {
        &["levelIndex", "level", "activityDefinitions"]
    } else {
        &["levelIndex", "activityDefinitions"]
    };
    if let Some(k) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
        let hint = if k == "level" {
            " (the seed names it levelIndex; the switch lenient_restriction_shapes accepts level)"
        } else {
            ""
        };
        return Err(format!("restrictions{at}: unknown field '{k}'{hint}"));
    }
    let level = int_of(o.get("levelIndex").or_else(|| o.get("level")))
        .ok_or(format!("restrictions{at}.levelIndex is required"))?;
    let defs = o
        .get("activityDefinitions")
        .and_then(Value::as_array)
        .cloned()
        .ok_or(format!(
            "restrictions{at}.activityDefinitions is required (an array of {{\"id\"}})"
        ))?;
    Ok((level, defs))
}

pub(super) fn put_restrictions(s: &mut SimState, def_id: &str, body: &str) -> Response {
    let parsed = match parse_restrictions_body(body, s.config.lenient_restriction_shapes) {
        Ok(p) => p,
        Err(e) => return validation(&[("restrictions", e)]),
    };
    let (version, own_level) = {
        let d = s.defs.iter().find(|d| d.id == def_id).unwrap();
        (d.version.clone(), d.level)
    };
    let mut out: Vec<RestrictionCombination> = Vec::new();
    for combo in parsed {
        let mut levels = Vec::new();
        for (level, defs) in combo {
            if level < 1 || level > data::LEVEL_NAMES.len() as i64 || level == own_level {
                return bad_request(&[&format!("Restrictions cannot be set on level {level}")]);
            }
            if levels.iter().any(|(l, _): &(i64, Vec<String>)| *l == level) {
                return bad_request(&[&format!("Level {level} appears twice in one combination")]);
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
                    Ok(id) if s.defs.iter().any(|x| x.id == id && x.version == version) => {
                        ids.push(id)
                    }
                    Ok(id) => {
                        return bad_request(&[&format!(
                            "The activity definition {id} is not in this structure version"
                        )])
                    }
                    Err(e) => return bad_request(&[&e]),
                }
            }
            levels.push((level, ids));
        }
        out.push(levels);
    }
    let cv = s.bump();
    let d = s.defs.iter_mut().find(|d| d.id == def_id).unwrap();
    d.restrictions = out;
    d.cv = cv;
    ok(d.restrictions_json())
}
