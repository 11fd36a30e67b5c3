//! The API handlers, routed by path segments (after the dispatcher checked auth and scope).
#![allow(clippy::result_large_err)]

use super::data::{self, cv_text, ActivityDef, Usage};
use super::filter::{self, Category, Constant};
use super::{
    bad_request, error, reasons_error, validation, ClockingPostAnswer, DeltaRec, Operation,
    OperationState, SimState, API_PREFIX, DELTA_LIFETIME_HOURS,
};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Map, Value};

/// The decoded query string, in order. A bare `delta` has an empty value.
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: &str) -> Self {
        let pairs = raw
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        Self { pairs }
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == key)
    }
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

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
    let refs = match q.get("externalReferences").map(parse_ext_refs).transpose() {
        Ok(r) => r.unwrap_or_default(),
        Err(e) => return bad_request(&[&e]),
    };
    let get = method == Method::GET;
    match seg {
        ["people"] if get => list(s, "people", q, &refs),
        ["people", r] if get => match resolve_path_ref(s, "people", r, &refs, None) {
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
        },
        ["clockings"] if get => list(s, "clockings", q, &refs),
        ["clockings"] if method == Method::POST => post_clocking(s, q, &refs, body),
        ["status-monitor", "clockings", n] if get => clocking_operation(s, n),
        ["clockings", id] if get => match s.clockings.iter().find(|c| c.id.to_string() == *id) {
            Some(c) => {
                let mut v = c.to_json();
                decorate(s, &mut v, &refs);
                ok(v)
            }
            None => not_found("The clocking"),
        },
        ["access-clockings"] if get => list(s, "access-clockings", q, &refs),
        ["access-clockings", id] if get => {
            match s.access.iter().find(|c| c.id.to_string() == *id) {
                Some(c) => {
                    let mut v = c.to_json(&s.config.unknown_badge_status);
                    decorate(s, &mut v, &refs);
                    ok(v)
                }
                None => not_found("The access clocking"),
            }
        }
        ["calculated-totals"] if get => list(s, "calculated-totals", q, &refs),
        ["absence-definitions"] if get => list(s, "absence-definitions", q, &refs),
        ["absence-definitions", r] if get => {
            match resolve_path_ref(s, "absence-definitions", r, &refs, None) {
                Some(id) => ok(s
                    .absence_defs
                    .iter()
                    .find(|a| a.id.to_string() == id)
                    .unwrap()
                    .to_json()),
                None => not_found("The absence definition"),
            }
        }
        ["terminals"] if get => list(s, "terminals", q, &refs),
        ["activity-structure-versions"] if get => ok(json!({"value": [structure_json()]})),
        ["activity-structure-versions", v] if get => {
            if *v == data::STRUCTURE_VERSION {
                ok(structure_json())
            } else {
                not_found("The activity structure version")
            }
        }
        ["delta", coll] if get => delta_increment(s, coll, q),
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
            activity(s, method, v, level, rest, q, &refs, body)
        }
        _ => not_found("The resource"),
    }
}

fn structure_json() -> Value {
    json!({
        "id": data::STRUCTURE_VERSION,
        "name": "Activities (sandbox)",
        "sandboxOnly": true,
        "levels": data::LEVEL_NAMES.iter().enumerate().map(|(i, n)| json!({"level": i + 1, "name": n})).collect::<Vec<_>>(),
    })
}

// ---------------------------------------------------------------- external references

const COLLECTIONS: &[(&str, &[&str])] = &[
    ("people", &["@badge-number", "@employee-number"]),
    ("terminals", &["@external-code"]),
    (
        "activity-definitions",
        &["@data-entry-code", "@external-reference"],
    ),
    (
        "activity-restrictions",
        &["@data-entry-code", "@external-reference"],
    ),
    ("absence-definitions", &["@absence-code"]),
    ("counter-definitions", &["@counter-code"]),
    ("shift-definitions", &["@shift-code"]),
    ("counter-groups", &[]),
    ("absence-groups", &[]),
    ("circles", &[]),
    ("groups", &[]),
];

/// `(collection,ref)(collection,ref)`.
pub fn parse_ext_refs(spec: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = spec.trim();
    if rest.is_empty() {
        return Err("Invalid external reference format: empty".into());
    }
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('(') else {
            return Err(format!("Invalid external reference format: '{spec}'"));
        };
        let Some(end) = inner.find(')') else {
            return Err(format!("Invalid external reference format: '{spec}'"));
        };
        let Some((c, r)) = inner[..end].split_once(',') else {
            return Err(format!("Invalid external reference format: '{spec}'"));
        };
        let (c, r) = (c.trim(), r.trim());
        let Some((_, predefined)) = COLLECTIONS.iter().find(|(n, _)| *n == c) else {
            return Err(format!(
                "Invalid external reference specification: unknown collection '{c}'"
            ));
        };
        if r.is_empty() || (r.starts_with('@') && !predefined.contains(&r)) {
            return Err(format!("Invalid external reference key '{r}' for {c}"));
        }
        out.push((c.to_string(), r.to_string()));
        rest = inner[end + 1..].trim_start();
    }
    Ok(out)
}

/// The value of reference `name` of item `id` in `collection`.
fn ref_value(s: &SimState, collection: &str, id: &str, name: &str) -> Option<String> {
    match collection {
        "people" => {
            let p = s.people.iter().find(|p| p.id.to_string() == id)?;
            match name {
                "@badge-number" => Some(p.badge_number.clone()),
                "@employee-number" => Some(p.employee_number.clone()),
                "HRMID" => Some(p.hrmid()),
                _ => None,
            }
        }
        "terminals" => {
            let t = s.terminals.iter().find(|t| t.id.to_string() == id)?;
            match name {
                "@external-code" => Some(t.external_code.clone()),
                custom => t.custom.get(custom).cloned(),
            }
        }
        "activity-definitions" | "activity-restrictions" => {
            let d = s.defs.iter().find(|d| d.id == id)?;
            match name {
                "@data-entry-code" => d.data_entry_code.clone(),
                "@external-reference" => d.external_reference.clone(),
                custom => d.custom.get(custom).cloned(),
            }
        }
        "absence-definitions" => {
            let a = s.absence_defs.iter().find(|a| a.id.to_string() == id)?;
            match name {
                "@absence-code" => Some(a.code.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Finds the id of the item whose reference `name` has `value`. `level` narrows activity definitions.
fn find_by_ref(
    s: &SimState,
    collection: &str,
    name: &str,
    value: &str,
    level: Option<i64>,
) -> Option<String> {
    match collection {
        "people" => {
            let alias = match name {
                "@badge-number" if value == data::SEED_BADGE_ALIAS.0 => {
                    Some(data::SEED_BADGE_ALIAS.1)
                }
                "@employee-number" if value == data::SEED_EMPLOYEE_ALIAS.0 => {
                    Some(data::SEED_EMPLOYEE_ALIAS.1)
                }
                _ => None,
            };
            if let Some(i) = alias {
                return s
                    .people
                    .iter()
                    .find(|p| p.index == i)
                    .map(|p| p.id.to_string());
            }
            s.people
                .iter()
                .find(|p| ref_value(s, "people", &p.id.to_string(), name).as_deref() == Some(value))
                .map(|p| p.id.to_string())
        }
        "terminals" => s
            .terminals
            .iter()
            .find(|t| ref_value(s, collection, &t.id.to_string(), name).as_deref() == Some(value))
            .map(|t| t.id.to_string()),
        "activity-definitions" | "activity-restrictions" => s
            .defs
            .iter()
            .filter(|d| level.is_none_or(|l| d.level == l))
            .find(|d| ref_value(s, "activity-definitions", &d.id, name).as_deref() == Some(value))
            .map(|d| d.id.clone()),
        "absence-definitions" => s
            .absence_defs
            .iter()
            .find(|a| ref_value(s, collection, &a.id.to_string(), name).as_deref() == Some(value))
            .map(|a| a.id.to_string()),
        _ => None,
    }
}

fn exists(s: &SimState, collection: &str, id: &str, level: Option<i64>) -> bool {
    match collection {
        "people" => s.people.iter().any(|p| p.id.to_string() == id),
        "terminals" => s.terminals.iter().any(|t| t.id.to_string() == id),
        "activity-definitions" => s
            .defs
            .iter()
            .any(|d| d.id == id && level.is_none_or(|l| d.level == l)),
        "absence-definitions" => s.absence_defs.iter().any(|a| a.id.to_string() == id),
        _ => false,
    }
}

/// A path `{reference}`: the internal id, or (with `?externalReferences=(collection,name)`) a reference value.
fn resolve_path_ref(
    s: &SimState,
    collection: &str,
    value: &str,
    refs: &[(String, String)],
    level: Option<i64>,
) -> Option<String> {
    if let Some((_, name)) = refs.iter().find(|(c, _)| c == collection) {
        return find_by_ref(s, collection, name, value, level);
    }
    exists(s, collection, value, level).then(|| value.to_string())
}

/// A nested reference in a body: `{"id": ...}` or `{"externalReferences": {"<name>": "<value>"}}`.
fn resolve_body_ref(
    s: &SimState,
    v: &Value,
    collection: &str,
    what: &str,
    level: Option<i64>,
) -> Result<String, String> {
    if let Some(id) = v.get("id").filter(|x| !x.is_null()) {
        let id = id
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| id.to_string());
        return if exists(s, collection, &id, level) {
            Ok(id)
        } else {
            Err(format!("The {what} with id {id} does not exist"))
        };
    }
    if let Some(map) = v.get("externalReferences").and_then(Value::as_object) {
        if let Some((name, value)) = map.iter().next() {
            let value = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            if name.starts_with('@') {
                let predefined = COLLECTIONS
                    .iter()
                    .find(|(c, _)| *c == collection)
                    .map(|x| x.1)
                    .unwrap_or(&[]);
                if !predefined.contains(&name.as_str()) {
                    return Err(format!(
                        "Invalid external reference key '{name}' for {collection}"
                    ));
                }
            }
            if let Some(id) = find_by_ref(s, collection, name, &value, level) {
                return Ok(id);
            }
            return Err(format!("No {what} has {name} '{value}'"));
        }
    }
    Err(format!("The {what} needs an id or externalReferences"))
}

fn uses_body_refs(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("externalReferences") || m.values().any(uses_body_refs),
        Value::Array(a) => a.iter().any(uses_body_refs),
        _ => false,
    }
}

/// Adds `externalReferences` maps to nested reference objects of the requested collections.
pub fn decorate(s: &SimState, v: &mut Value, refs: &[(String, String)]) {
    if refs.is_empty() {
        return;
    }
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let collection = match key.as_str() {
                    "person" => Some("people"),
                    "terminal" => Some("terminals"),
                    "reason" | "absenceDefinition" => Some("absence-definitions"),
                    "parent" | "activityDefinition" => Some("activity-definitions"),
                    _ => None,
                };
                if let (Some(c), Some(obj)) = (collection, child.as_object_mut()) {
                    if let Some(id) = obj.get("id").map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| i.to_string())
                    }) {
                        let mut m = Map::new();
                        for (rc, name) in refs.iter().filter(|(rc, _)| rc == c) {
                            if let Some(val) = ref_value(s, rc, &id, name) {
                                m.insert(name.clone(), json!(val));
                            }
                        }
                        if !m.is_empty() {
                            obj.insert("externalReferences".into(), Value::Object(m));
                        }
                    }
                } else {
                    decorate(s, child, refs);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| decorate(s, x, refs)),
        _ => {}
    }
}

// ---------------------------------------------------------------- lists, paging, delta

/// Filter fields per collection; `None` = the collection takes no filter. `dated` = `date` required.
fn filter_fields(collection: &str) -> (Option<&'static [(&'static str, Category)]>, bool) {
    const DATED: &[(&str, Category)] = &[("person", Category::Multiple), ("date", Category::Range)];
    const CLOCKINGS: &[(&str, Category)] = &[
        ("person", Category::Multiple),
        ("date", Category::Range),
        ("kind", Category::Multiple),
    ];
    const PEOPLE: &[(&str, Category)] = &[("person", Category::Multiple)];
    match collection {
        "clockings" => (Some(CLOCKINGS), true),
        "access-clockings" | "calculated-totals" => (Some(DATED), true),
        "people" => (Some(PEOPLE), false),
        _ => (None, false),
    }
}

fn items(
    s: &SimState,
    collection: &str,
    range: (Option<NaiveDate>, Option<NaiveDate>),
) -> Vec<(Value, u64)> {
    let keep = |d: NaiveDate| range.0.is_none_or(|f| d >= f) && range.1.is_none_or(|u| d <= u);
    match collection {
        "clockings" => s
            .clockings
            .iter()
            .filter(|c| keep(c.date))
            .map(|c| (c.to_json(), c.cv))
            .collect(),
        "access-clockings" => s
            .access
            .iter()
            .filter(|c| keep(c.date))
            .map(|c| (c.to_json(&s.config.unknown_badge_status), c.cv))
            .collect(),
        "calculated-totals" => s
            .totals
            .values()
            .filter(|t| keep(t.date))
            .map(|t| (t.to_json(), t.cv))
            .collect(),
        "people" => s
            .people
            .iter()
            .map(|p| (p.to_json(s.config.older_iso_spelling), p.cv))
            .collect(),
        "absence-definitions" => s.absence_defs.iter().map(|a| (a.to_json(), a.cv)).collect(),
        "terminals" => s
            .terminals
            .iter()
            .map(|t| {
                (
                    json!({"id": t.id, "name": t.name, "externalCode": t.external_code}),
                    0,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn lookup(v: &Value, field: &str) -> Option<Constant> {
    let x = match field {
        "person" => v.get("person")?.get("id")?,
        other => v.get(other)?,
    };
    match x {
        Value::Number(n) => n.as_i64().map(Constant::Int),
        Value::String(s) => Some(Constant::Str(s.clone())),
        Value::Bool(b) => Some(Constant::Bool(*b)),
        _ => None,
    }
}

fn one_year_ok(s: &SimState, from: NaiveDate, until: NaiveDate) -> bool {
    let limit = from
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MAX);
    if s.config.year_span_inclusive {
        until <= limit
    } else {
        until < limit
    }
}

fn link(s: &SimState, path_and_query: String) -> String {
    if !s.config.encode_links {
        return path_and_query;
    }
    path_and_query
        .replace('%', "%25")
        .replace(' ', "%20")
        .replace('\'', "%27")
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DeltaToken {
    #[serde(rename = "DeltaId")]
    delta_id: i64,
    #[serde(rename = "StartingCursor")]
    starting_cursor: u64,
    #[serde(rename = "TimeStamp")]
    time_stamp: String,
}

fn delta_token(id: i64, cursor: u64, s: &SimState) -> String {
    let t = DeltaToken {
        delta_id: id,
        starting_cursor: cursor,
        time_stamp: s.now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    };
    base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(&t).unwrap())
}

fn parse_delta_token(t: &str) -> Option<DeltaToken> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(t.trim())
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(t.trim()))
        .ok()?;
    serde_json::from_slice(&raw).ok()
}

fn continuation(collection: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{collection}:{offset}"))
}

fn parse_continuation(collection: &str, token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let mut parts = text.splitn(3, ':');
    let (c, offset) = (parts.next()?, parts.next()?);
    (c == collection).then(|| offset.parse().ok()).flatten()
}

/// A token for the page at `offset` that was preceded by an empty page (`insert_empty_pages`).
fn continuation_marked(collection: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{collection}:{offset}:e"))
}

fn is_marked(token: &str) -> bool {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|r| String::from_utf8(r).ok())
        .is_some_and(|t| t.ends_with(":e"))
}

/// Checks the delta of `collection` is the active one and alive; touches it.
fn touch_delta(s: &mut SimState, collection: &str, id: i64) -> Result<DeltaRec, Response> {
    let now = s.now();
    let gone = || {
        error(
            StatusCode::GONE,
            "Gone",
            "The delta token expired or was replaced; start a new delta",
        )
    };
    let Some(rec) = s.deltas.get_mut(collection) else {
        return Err(gone());
    };
    if rec.id != id {
        return Err(gone());
    }
    if now - rec.last_used > chrono::Duration::hours(DELTA_LIFETIME_HOURS) {
        s.deltas.remove(collection);
        return Err(gone());
    }
    rec.last_used = now;
    Ok(rec.clone())
}

fn list(s: &mut SimState, collection: &str, q: &Query, refs: &[(String, String)]) -> Response {
    let (fields, dated) = filter_fields(collection);
    let delta_start = q.has("delta");
    let delta_cont = q.get("deltaToken");
    let is_delta = delta_start || delta_cont.is_some();
    if is_delta
        && !matches!(
            collection,
            "clockings"
                | "access-clockings"
                | "calculated-totals"
                | "people"
                | "absence-definitions"
        )
    {
        return bad_request(&["This collection has no delta"]);
    }
    let raw_filter = q.get("filter").map(str::to_string);
    let expr = match (&raw_filter, fields) {
        (Some(_), None) => return bad_request(&["This collection takes no filter"]),
        (Some(_), Some(_)) if is_delta && !dated => {
            return bad_request(&["This delta takes no filter"])
        }
        (Some(f), Some(allowed)) => {
            let e = match filter::parse(f) {
                Ok(e) => e,
                Err(msg) => return bad_request(&["The filter is invalid", &msg]),
            };
            if let Err(msg) = filter::check(&e, allowed) {
                return bad_request(&[&msg]);
            }
            Some(e)
        }
        (None, _) if dated => return bad_request(&["The date filter is required"]),
        (None, _) => None,
    };
    let mut range = (None, None);
    if let Some(e) = &expr {
        match filter::date_bounds(e) {
            Ok(b) => range = b,
            Err(msg) => return bad_request(&[&msg]),
        }
        if dated {
            let today = s.now().with_timezone(&chrono::Local).date_naive();
            match (is_delta, range) {
                (_, (None, _)) => {
                    return bad_request(&[
                        "The date filter needs a start (date ge '...')",
                        "The provided date range is invalid",
                    ])
                }
                (false, (Some(_), None)) => {
                    return bad_request(&[
                        "The date filter needs an end (date le '...')",
                        "The provided date range is invalid",
                    ])
                }
                (_, (Some(a), Some(b))) if b < a || !one_year_ok(s, a, b) => {
                    return bad_request(&[
                        "The provided date range is invalid",
                        "The date range may span at most one year",
                    ])
                }
                _ => {}
            }
            if is_delta {
                let mut used = Vec::new();
                filter::fields(e, &mut used);
                if used.iter().any(|f| f == "person") {
                    let status = StatusCode::from_u16(s.config.delta_person_status)
                        .unwrap_or(StatusCode::BAD_REQUEST);
                    return reasons_error(status, &["People cannot be used in the delta"]);
                }
                let start = range.0.unwrap();
                let earliest = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap();
                if s.config.enforce_delta_start_window && (start < earliest || start > today) {
                    return bad_request(&["The provided date range is invalid", "The delta start must be a recent date in the past, not before 1 January of the previous year"]);
                }
            }
        }
    }
    // Delta bookkeeping.
    let mut delta_tok = None;
    if delta_start && delta_cont.is_none() {
        s.next_delta_id += 1;
        let id = s.next_delta_id;
        let now = s.now();
        s.deltas.insert(
            collection.to_string(),
            DeltaRec {
                id,
                from: range.0,
                until: range.1,
                last_used: now,
                ext_refs: q.get("externalReferences").unwrap_or("").to_string(),
            },
        );
        delta_tok = Some(delta_token(id, s.next_cv, s));
    } else if let Some(t) = delta_cont {
        let Some(tok) = parse_delta_token(t) else {
            return error(StatusCode::GONE, "Gone", "The delta token is not valid");
        };
        if let Err(r) = touch_delta(s, collection, tok.delta_id) {
            return r;
        }
        delta_tok = Some(t.to_string());
    }
    // Items.
    let people_index: std::collections::HashMap<i64, usize> =
        s.people.iter().map(|p| (p.id, p.index)).collect();
    let in_group = |g: &str, c: &Constant, actual: &Constant| {
        let (Constant::Int(group), Constant::Int(person)) = (c, actual) else {
            return false;
        };
        let Some(idx) = people_index.get(person) else {
            return false;
        };
        match g {
            "circle" => data::in_circle(*idx, *group),
            "org-group" | "org-tree" => data::in_org_group(*idx, *group),
            _ => false,
        }
    };
    let mut all: Vec<(Value, u64)> = items(s, collection, range)
        .into_iter()
        .filter(|(v, _)| match &expr {
            Some(e) => filter::eval(e, &|f| lookup(v, f), &in_group),
            None => true,
        })
        .collect();
    all.sort_by_key(|(v, _)| v.get("id").and_then(Value::as_i64).unwrap_or(0));
    let offset = match q.get("continuationToken") {
        None => 0,
        Some(t) => match parse_continuation(collection, t) {
            Some(o) if o <= all.len() => o,
            _ => {
                return error(
                    StatusCode::CONFLICT,
                    "Conflict",
                    "Continuation token conflict",
                )
            }
        },
    };
    let mut query = Vec::new();
    if let Some(f) = &raw_filter {
        query.push(format!("filter={f}"));
    }
    if let Some(r) = q.get("externalReferences") {
        query.push(format!("externalReferences={r}"));
    }
    let next_link = |s: &SimState, token: String| {
        let mut q2 = query.clone();
        q2.push(format!("continuationToken={token}"));
        if let Some(t) = &delta_tok {
            q2.push(format!("deltaToken={t}"));
        }
        link(s, format!("{API_PREFIX}{collection}?{}", q2.join("&")))
    };
    let marked = q.get("continuationToken").is_some_and(is_marked);
    if s.config.insert_empty_pages && !marked && offset < all.len() {
        // An empty page that still has a nextLink: allowed by the contract, must not end the listing.
        return ok(
            json!({"value": [], "nextLink": next_link(s, continuation_marked(collection, offset))}),
        );
    }
    let end = (offset + s.config.page_size).min(all.len());
    let mut value: Vec<Value> = all[offset..end].iter().map(|(v, _)| v.clone()).collect();
    for v in value.iter_mut() {
        decorate(s, v, refs);
    }
    let mut body = json!({"value": value});
    if end < all.len() {
        body["nextLink"] = json!(next_link(s, continuation(collection, end)));
    } else if let Some(t) = &delta_tok {
        body["deltaLink"] = json!(link(
            s,
            format!("{API_PREFIX}delta/{collection}?deltaToken={t}")
        ));
    }
    ok(body)
}

fn delta_increment(s: &mut SimState, collection: &str, q: &Query) -> Response {
    let Some(tok) = q.get("deltaToken").and_then(parse_delta_token) else {
        return bad_request(&["A valid deltaToken is required"]);
    };
    let rec = match touch_delta(s, collection, tok.delta_id) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let refs = parse_ext_refs(&rec.ext_refs).unwrap_or_default();
    let in_range = |v: &Value| {
        let Some(d) = v
            .get("date")
            .and_then(Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            return true;
        };
        rec.from.is_none_or(|f| d >= f) && rec.until.is_none_or(|u| d <= u)
    };
    let mut changes: Vec<(u64, Value)> = items(s, collection, (rec.from, rec.until))
        .into_iter()
        .filter(|(v, cv)| *cv > tok.starting_cursor && in_range(v))
        .map(|(mut v, cv)| {
            decorate(s, &mut v, &refs);
            (cv, json!({"changeType": "InsertOrUpdate", "data": v}))
        })
        .collect();
    for (c, id, cv) in &s.tombstones {
        if c == collection && *cv > tok.starting_cursor {
            let id_v: Value = id
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| json!(id));
            changes.push((*cv, json!({"changeType": "Delete", "data": {"id": id_v, "changeVersion": cv_text(*cv)}})));
        }
    }
    changes.sort_by_key(|(cv, _)| *cv);
    let t = delta_token(rec.id, s.next_cv, s);
    ok(json!({
        "value": changes.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "deltaLink": link(s, format!("{API_PREFIX}delta/{collection}?deltaToken={t}")),
    }))
}

// ---------------------------------------------------------------- clockings

fn int_of(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        _ => None,
    }
}

fn num_of(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn date_of(v: Option<&Value>) -> Result<Option<NaiveDate>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("'{s}' is not a date (YYYY-MM-DD)")),
        Some(other) => Err(format!("{other} is not a date")),
    }
}

fn post_clocking(s: &mut SimState, q: &Query, refs: &[(String, String)], body: &str) -> Response {
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

/// An id the simulator stores as a number.
fn numeric_id(id: &str, what: &str) -> Result<i64, String> {
    id.parse::<i64>()
        .map_err(|_| format!("The {what} id {id} is not a number"))
}

/// `GET …/status-monitor/clockings/{n}`: the state of an accepted (`202`) clocking.
///
/// UNCONFIRMED point of the spec: the body is the sandbox's reading (see
/// [`super::AcceptedOutcome`]). A running operation answers `Running` to
/// `accepted_running_polls` polls; the next poll completes it (as does a timer after as many
/// seconds, polled or not).
fn clocking_operation(s: &mut SimState, n: &str) -> Response {
    let Ok(n) = n.parse::<i64>() else {
        return not_found("The operation");
    };
    let limit = s.config.accepted_running_polls;
    let Some(op) = s.operations.get_mut(&n) else {
        return not_found("The operation");
    };
    if matches!(op.state, OperationState::Running(_)) {
        let due = op.running_polls >= limit
            || op.accepted_at.elapsed() >= std::time::Duration::from_secs(u64::from(limit));
        if !due {
            op.running_polls += 1;
            return ok(json!({"id": n, "status": "Running"}));
        }
        s.complete_operation(n);
    }
    match s.operations.get(&n).map(|op| &op.state) {
        Some(OperationState::Succeeded { clocking_id }) => ok(json!({
            "id": n,
            "status": "Succeeded",
            "resourceLocation": format!("{API_PREFIX}clockings/{clocking_id}"),
        })),
        Some(OperationState::Failed { reasons }) => ok(json!({
            "id": n,
            "status": "Failed",
            "error": {"code": "BadRequest", "message": "The request was invalid", "reasons": reasons},
        })),
        // Still running (complete_operation leaves nothing running) or gone: answer as running.
        _ => ok(json!({"id": n, "status": "Running"})),
    }
}

// ---------------------------------------------------------------- activity definitions

#[allow(clippy::too_many_arguments)]
fn activity(
    s: &mut SimState,
    method: &Method,
    version: &str,
    level: i64,
    rest: &[&str],
    q: &Query,
    refs: &[(String, String)],
    body: &str,
) -> Response {
    let get = method == Method::GET;
    match rest {
        [] if get => {
            let mut defs: Vec<Value> = s
                .defs
                .iter()
                .filter(|d| d.version == version && d.level == level)
                .map(ActivityDef::to_json)
                .collect();
            for d in defs.iter_mut() {
                decorate(s, d, refs);
            }
            // Same paging as every list.
            let size = s.config.page_size;
            let offset = match q.get("continuationToken") {
                None => 0,
                Some(t) => match parse_continuation("activity-definitions", t) {
                    Some(o) if o <= defs.len() => o,
                    _ => {
                        return error(
                            StatusCode::CONFLICT,
                            "Conflict",
                            "Continuation token conflict",
                        )
                    }
                },
            };
            let end = (offset + size).min(defs.len());
            let mut out = json!({"value": defs[offset..end].to_vec()});
            if end < defs.len() {
                out["nextLink"] = json!(format!(
                    "{API_PREFIX}activity-structure-versions/{version}/levels/{level}/activity-definitions?continuationToken={}",
                    continuation("activity-definitions", end)
                ));
            }
            ok(out)
        }
        [] if method == Method::POST => upsert(s, version, level, None, None, refs, body),
        [r, tail @ ..] => {
            let found = resolve_path_ref(s, "activity-definitions", r, refs, Some(level))
                .filter(|id| s.defs.iter().any(|d| &d.id == id && d.version == version));
            match (tail, method.clone()) {
                ([], m) if m == Method::PUT => {
                    let by_ref = refs.iter().any(|(c, _)| c == "activity-definitions");
                    match found {
                        Some(id) => upsert(s, version, level, Some(id), None, refs, body),
                        None if by_ref => {
                            let name = refs
                                .iter()
                                .find(|(c, _)| c == "activity-definitions")
                                .unwrap()
                                .1
                                .clone();
                            upsert(
                                s,
                                version,
                                level,
                                None,
                                Some((name, r.to_string())),
                                refs,
                                body,
                            )
                        }
                        None => not_found("The activity definition"),
                    }
                }
                (_, _) if found.is_none() => not_found("The activity definition"),
                ([], m) if m == Method::GET => {
                    let d = s
                        .defs
                        .iter()
                        .find(|d| Some(&d.id) == found.as_ref())
                        .unwrap();
                    let mut v = d.to_json();
                    let expand = q.get("expand").unwrap_or("");
                    if expand
                        .split(',')
                        .any(|e| matches!(e.trim(), "usage" | "usages"))
                    {
                        v["usages"] =
                            json!(d.usages.iter().map(Usage::to_json).collect::<Vec<_>>());
                    }
                    if expand.split(',').any(|e| e.trim() == "restrictions") {
                        v["restrictions"] = d.restrictions_array();
                    }
                    decorate(s, &mut v, refs);
                    ok(v)
                }
                (["usages"], m) => usages(s, &found.unwrap(), &m, body),
                (["restrictions"], m) if m == Method::GET => {
                    let d = s
                        .defs
                        .iter()
                        .find(|d| Some(&d.id) == found.as_ref())
                        .unwrap();
                    let mut v = d.restrictions_json();
                    decorate(s, &mut v, refs);
                    ok(v)
                }
                (["restrictions"], m) if m == Method::PUT => {
                    put_restrictions(s, &found.unwrap(), body)
                }
                _ => not_found("The resource"),
            }
        }
        _ => not_found("The resource"),
    }
}

fn text_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|x| !x.is_empty())
}

/// POST (create) and PUT (update by id / upsert by reference) of an activity definition.
fn upsert(
    s: &mut SimState,
    version: &str,
    level: i64,
    existing: Option<String>,
    create_ref: Option<(String, String)>,
    _refs: &[(String, String)],
    body: &str,
) -> Response {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return validation(&[("body", "The body is not valid JSON".into())]);
    };
    let name = v
        .get("name")
        .and_then(|n| n.get("default"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if name.trim().is_empty() {
        return validation(&[("name.default", "name.default is required".into())]);
    }
    let translations = v
        .get("name")
        .and_then(|n| n.get("translations"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut dec = text_field(&v, "dataEntryCode");
    let mut ext = text_field(&v, "externalReference");
    let mut custom = std::collections::BTreeMap::new();
    if let Some((ref_name, value)) = &create_ref {
        match ref_name.as_str() {
            "@data-entry-code" => {
                dec.get_or_insert(value.clone());
            }
            "@external-reference" => {
                ext.get_or_insert(value.clone());
            }
            custom_name => {
                custom.insert(custom_name.to_string(), value.clone());
            }
        }
    }
    for (field, val) in [("dataEntryCode", &dec), ("externalReference", &ext)] {
        if val.as_ref().is_some_and(|x| x.chars().count() > 16) {
            return bad_request(&[&format!("{field} may be at most 16 characters")]);
        }
    }
    let (from, until) = match (date_of(v.get("activeFrom")), date_of(v.get("activeUntil"))) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return validation(&[("activeFrom/activeUntil", e)]),
    };
    if let (Some(a), Some(b)) = (from, until) {
        if b < a {
            return bad_request(&["activeUntil must be later than activeFrom"]);
        }
    }
    // Parent.
    let parent_given = v.get("parent").filter(|p| !p.is_null());
    let parent = match parent_given {
        Some(p) if level == 1 => {
            let _ = p;
            return bad_request(&["A definition on the first level cannot have a parent"]);
        }
        Some(p) => {
            match resolve_body_ref(s, p, "activity-definitions", "parent", Some(level - 1)) {
                Ok(id) => Some(id),
                Err(e) => return error(StatusCode::NOT_FOUND, "NotFound", &e),
            }
        }
        None => None,
    };
    if let Some(id) = &existing {
        let stored = s.defs.iter().find(|d| &d.id == id).unwrap();
        if let Some(sp) = &stored.parent {
            match &parent {
                None if s.config.put_requires_parent => {
                    return bad_request(&[
                        "This definition has a parent: include the parent in the request",
                    ])
                }
                Some(p) if p != sp => {
                    return bad_request(&["The parent cannot be changed after creation"])
                }
                _ => {}
            }
        } else if parent.is_some() {
            return bad_request(&["The parent cannot be changed after creation"]);
        }
    }
    if dec.is_none() {
        if s.config.data_entry_code_mandatory {
            return validation(&[("dataEntryCode", "dataEntryCode is required".into())]);
        }
        if let Some(id) = &existing {
            // PUT replaces the record; an auto-generated code is kept.
            dec = s
                .defs
                .iter()
                .find(|d| &d.id == id)
                .and_then(|d| d.data_entry_code.clone());
        }
        if dec.is_none() {
            let mut n = 90000 + s.defs.len();
            while s.defs.iter().any(|d| {
                d.version == version
                    && d.level == level
                    && d.data_entry_code.as_deref() == Some(&format!("{n:05}"))
            }) {
                n += 1;
            }
            dec = Some(format!("{n:05}"));
        }
    }
    // Uniqueness within structure version + level.
    for d in s
        .defs
        .iter()
        .filter(|d| d.version == version && d.level == level && Some(&d.id) != existing.as_ref())
    {
        if dec.is_some() && d.data_entry_code == dec {
            return bad_request(&[&format!(
                "dataEntryCode '{}' is already used on this level",
                dec.as_deref().unwrap()
            )]);
        }
        if ext.is_some() && d.external_reference == ext {
            return bad_request(&[&format!(
                "externalReference '{}' is already used on this level",
                ext.as_deref().unwrap()
            )]);
        }
    }
    let cv = s.bump();
    match existing {
        Some(id) => {
            let d = s.defs.iter_mut().find(|d| d.id == id).unwrap();
            d.name = name.to_string();
            d.translations = translations;
            d.short_code = text_field(&v, "shortCode");
            d.data_entry_code = dec;
            d.external_reference = ext;
            d.info = text_field(&v, "info");
            d.active_from = from;
            d.active_until = until;
            d.custom.extend(custom);
            d.cv = cv;
            ok(d.to_json())
        }
        None => {
            let mut rng = crate::roster::Rng::derive(cv, &[0x6E1D]);
            let id = data::guid(&mut rng);
            let d = ActivityDef {
                id: id.clone(),
                version: version.to_string(),
                level,
                name: name.to_string(),
                translations,
                parent,
                short_code: text_field(&v, "shortCode"),
                data_entry_code: dec,
                external_reference: ext,
                info: text_field(&v, "info"),
                active_from: from,
                active_until: until,
                custom,
                usages: Vec::new(),
                restrictions: Vec::new(),
                cv,
            };
            let json_d = d.to_json();
            s.defs.push(d);
            let location = format!("{API_PREFIX}activity-structure-versions/{version}/levels/{level}/activity-definitions/{id}");
            (StatusCode::CREATED, [("location", location)], Json(json_d)).into_response()
        }
    }
}

fn usage_ref(s: &SimState, v: &Value, kind: &str) -> Result<i64, String> {
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

fn usages(s: &mut SimState, def_id: &str, method: &Method, body: &str) -> Response {
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

fn put_restrictions(s: &mut SimState, def_id: &str, body: &str) -> Response {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_reference_specs() {
        assert_eq!(
            parse_ext_refs("(people,@badge-number)(terminals,@external-code)").unwrap(),
            vec![
                ("people".to_string(), "@badge-number".to_string()),
                ("terminals".to_string(), "@external-code".to_string())
            ]
        );
        assert!(parse_ext_refs("(counter-groups,customCounterGroupCode)").is_ok());
        for bad in [
            "",
            "people,@badge-number",
            "(people)",
            "(people,@x)",
            "(nope,x)",
            "(people,@badge-number",
        ] {
            assert!(parse_ext_refs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn restriction_bodies() {
        let arr = r#"[{"level":2,"activityDefinitions":[{"id":"a"}]}]"#;
        let obj = r#"{"restrictions":[{"levelIndex":2,"activityDefinitions":[{"id":"a"}]}]}"#;
        let nested = r#"{"restrictions":[[{"level":2,"activityDefinitions":[{"id":"a"}]}]]}"#;
        let fragment =
            r#""restrictions": [[{"levelIndex": 2, "activityDefinitions": [{"id": "a"}]}]"#;
        for b in [arr, obj, nested, fragment] {
            let r = parse_restrictions_body(b).unwrap_or_else(|e| panic!("{b}: {e}"));
            assert_eq!(r.len(), 1);
            assert_eq!(r[0].0, 2);
        }
        assert!(parse_restrictions_body(r#"[{"activityDefinitions":[]}]"#).is_err());
    }

    #[test]
    fn queries_decode_plus_and_percent() {
        let q = Query::parse("filter=date%20ge%20%272024-01-01%27&delta&x=a+b");
        assert_eq!(q.get("filter"), Some("date ge '2024-01-01'"));
        assert!(q.has("delta"));
        assert_eq!(q.get("x"), Some("a b"));
    }
}
