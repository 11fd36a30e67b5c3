//! Activity definitions of one structure level: list, get, create, update and upsert.
use super::paging::{continuation, parse_continuation};
use super::parse::{date_of, text_field};
use super::refs::{decorate, resolve_body_ref, resolve_path_ref};
use super::restrictions::put_restrictions;
use super::shape::{refuse_unknown, DEFINITION};
use super::usages::usages;
use super::{not_found, ok, Query};
use crate::protime::data::{self, ActivityDef, Usage};
use crate::protime::{bad_request, error, validation, SimState, API_PREFIX};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};

/// Routes `…/levels/{level}/activity-definitions/…`: the level's list, one definition (GET, PUT by id
/// or upsert by reference), its usages and its restrictions.
#[allow(clippy::too_many_arguments)]
pub(super) fn activity(
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
        [] if get => list_level(s, version, level, q, refs),
        [] if method == Method::POST => upsert(s, version, level, None, None, refs, body),
        [r, tail @ ..] => {
            let found = resolve_path_ref(s, "activity-definitions", r, refs, Some(level))
                .filter(|id| s.defs.iter().any(|d| &d.id == id && d.version == version));
            match (tail, method.clone()) {
                ([], m) if m == Method::PUT => match found {
                    Some(id) => upsert(s, version, level, Some(id), None, refs, body),
                    None => put_by_reference(s, version, level, r, refs, body),
                },
                (_, _) if found.is_none() => not_found("The activity definition"),
                ([], m) if m == Method::GET => get_one(s, &found.unwrap(), q, refs),
                (["usages"], m) => usages(s, &found.unwrap(), &m, body),
                (["restrictions"], m) if m == Method::GET => {
                    get_restrictions(s, &found.unwrap(), refs)
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

/// `GET` of a level's definitions, paged like every list.
fn list_level(
    s: &SimState,
    version: &str,
    level: i64,
    q: &Query,
    refs: &[(String, String)],
) -> Response {
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

/// `PUT …/{reference}?externalReferences=(activity-definitions,name)` of a definition that does not
/// exist yet: creates it with that reference (an upsert). Without a reference it is not found.
fn put_by_reference(
    s: &mut SimState,
    version: &str,
    level: i64,
    reference: &str,
    refs: &[(String, String)],
    body: &str,
) -> Response {
    match refs.iter().find(|(c, _)| c == "activity-definitions") {
        Some((_, name)) => upsert(
            s,
            version,
            level,
            None,
            Some((name.clone(), reference.to_string())),
            refs,
            body,
        ),
        None => not_found("The activity definition"),
    }
}

/// `GET` of one definition; `?expand=usages,restrictions` adds those.
fn get_one(s: &SimState, id: &str, q: &Query, refs: &[(String, String)]) -> Response {
    let d = s.defs.iter().find(|d| d.id == id).unwrap();
    let mut v = d.to_json();
    let expand = q.get("expand").unwrap_or("");
    if expand
        .split(',')
        .any(|e| matches!(e.trim(), "usage" | "usages"))
    {
        v["usages"] = json!(d.usages.iter().map(Usage::to_json).collect::<Vec<_>>());
    }
    if expand.split(',').any(|e| e.trim() == "restrictions") {
        v["restrictions"] = d.restrictions_array();
    }
    decorate(s, &mut v, refs);
    ok(v)
}

/// `GET …/restrictions` of one definition.
fn get_restrictions(s: &SimState, id: &str, refs: &[(String, String)]) -> Response {
    let d = s.defs.iter().find(|d| d.id == id).unwrap();
    let mut v = d.restrictions_json();
    decorate(s, &mut v, refs);
    ok(v)
}

/// POST (create) and PUT (update by id / upsert by reference) of an activity definition: parse the
/// body, validate the parent and the codes against the level, then store it.
pub(super) fn upsert(
    s: &mut SimState,
    version: &str,
    level: i64,
    existing: Option<String>,
    create_ref: Option<(String, String)>,
    _refs: &[(String, String)],
    body: &str,
) -> Response {
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        if let Some(refused) = refuse_unknown(s, &v, &DEFINITION) {
            return refused;
        }
    }
    let validated = parse_definition(body, create_ref.as_ref()).and_then(|mut def| {
        def.parent = validate_parent(s, &def.body, level, existing.as_deref())?;
        complete_data_entry_code(
            s,
            version,
            level,
            existing.as_deref(),
            &mut def.data_entry_code,
        )?;
        check_unique(s, version, level, existing.as_deref(), &def)?;
        Ok(def)
    });
    match validated {
        Ok(def) => apply(s, version, level, existing, def),
        Err(answer) => answer,
    }
}

/// A definition body, parsed.
struct DefinitionBody {
    body: Value,
    name: String,
    translations: Map<String, Value>,
    data_entry_code: Option<String>,
    external_reference: Option<String>,
    custom: std::collections::BTreeMap<String, String>,
    active_from: Option<NaiveDate>,
    active_until: Option<NaiveDate>,
    parent: Option<String>,
}

/// Parse: name, codes (a PUT by reference supplies the reference's value when the body lacks it),
/// their lengths and the active period.
fn parse_definition(
    body: &str,
    create_ref: Option<&(String, String)>,
) -> Result<DefinitionBody, Response> {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return Err(validation(&[("body", "The body is not valid JSON".into())]));
    };
    let name = v
        .get("name")
        .and_then(|n| n.get("default"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if name.trim().is_empty() {
        return Err(validation(&[(
            "name.default",
            "name.default is required".into(),
        )]));
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
    if let Some((ref_name, value)) = create_ref {
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
            return Err(bad_request(&[&format!(
                "{field} may be at most 16 characters"
            )]));
        }
    }
    let (from, until) = match (date_of(v.get("activeFrom")), date_of(v.get("activeUntil"))) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Err(validation(&[("activeFrom/activeUntil", e)])),
    };
    if let (Some(a), Some(b)) = (from, until) {
        if b < a {
            return Err(bad_request(&["activeUntil must be later than activeFrom"]));
        }
    }
    Ok(DefinitionBody {
        body: v,
        name,
        translations,
        data_entry_code: dec,
        external_reference: ext,
        custom,
        active_from: from,
        active_until: until,
        parent: None,
    })
}

/// Validate the parent: none on level 1; on deeper levels it must exist one level up, and a PUT
/// cannot change (or, when configured, omit) a stored parent.
fn validate_parent(
    s: &SimState,
    v: &Value,
    level: i64,
    existing: Option<&str>,
) -> Result<Option<String>, Response> {
    let parent = match v.get("parent").filter(|p| !p.is_null()) {
        Some(_) if level == 1 => {
            return Err(bad_request(&[
                "A definition on the first level cannot have a parent",
            ]));
        }
        Some(p) => Some(
            resolve_body_ref(s, p, "activity-definitions", "parent", Some(level - 1))
                .map_err(|e| error(StatusCode::NOT_FOUND, "NotFound", &e))?,
        ),
        None => None,
    };
    if let Some(id) = existing {
        let stored = s.defs.iter().find(|d| d.id == id).unwrap();
        if let Some(sp) = &stored.parent {
            match &parent {
                None if s.config.put_requires_parent => {
                    return Err(bad_request(&[
                        "This definition has a parent: include the parent in the request",
                    ]))
                }
                Some(p) if p != sp => {
                    return Err(bad_request(&[
                        "The parent cannot be changed after creation",
                    ]))
                }
                _ => {}
            }
        } else if parent.is_some() {
            return Err(bad_request(&[
                "The parent cannot be changed after creation",
            ]));
        }
    }
    Ok(parent)
}

/// A missing data entry code: refused when mandatory, else the stored one (PUT) or a generated one.
fn complete_data_entry_code(
    s: &SimState,
    version: &str,
    level: i64,
    existing: Option<&str>,
    dec: &mut Option<String>,
) -> Result<(), Response> {
    if dec.is_some() {
        return Ok(());
    }
    if s.config.data_entry_code_mandatory {
        return Err(validation(&[(
            "dataEntryCode",
            "dataEntryCode is required".into(),
        )]));
    }
    if let Some(id) = existing {
        // PUT replaces the record; an auto-generated code is kept.
        *dec = s
            .defs
            .iter()
            .find(|d| d.id == id)
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
        *dec = Some(format!("{n:05}"));
    }
    Ok(())
}

/// Codes are unique within a structure version and level.
fn check_unique(
    s: &SimState,
    version: &str,
    level: i64,
    existing: Option<&str>,
    def: &DefinitionBody,
) -> Result<(), Response> {
    let (dec, ext) = (&def.data_entry_code, &def.external_reference);
    for d in s
        .defs
        .iter()
        .filter(|d| d.version == version && d.level == level && Some(d.id.as_str()) != existing)
    {
        if dec.is_some() && d.data_entry_code == *dec {
            return Err(bad_request(&[&format!(
                "dataEntryCode '{}' is already used on this level",
                dec.as_deref().unwrap()
            )]));
        }
        if ext.is_some() && d.external_reference == *ext {
            return Err(bad_request(&[&format!(
                "externalReference '{}' is already used on this level",
                ext.as_deref().unwrap()
            )]));
        }
    }
    Ok(())
}

/// Apply: replaces the stored definition (`200`) or stores a new one (`201` + `Location`).
fn apply(
    s: &mut SimState,
    version: &str,
    level: i64,
    existing: Option<String>,
    def: DefinitionBody,
) -> Response {
    let cv = s.bump();
    let v = &def.body;
    match existing {
        Some(id) => {
            let d = s.defs.iter_mut().find(|d| d.id == id).unwrap();
            d.name = def.name;
            d.translations = def.translations;
            d.short_code = text_field(v, "shortCode");
            d.data_entry_code = def.data_entry_code;
            d.external_reference = def.external_reference;
            d.info = text_field(v, "info");
            d.active_from = def.active_from;
            d.active_until = def.active_until;
            d.custom.extend(def.custom);
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
                name: def.name,
                translations: def.translations,
                parent: def.parent,
                short_code: text_field(v, "shortCode"),
                data_entry_code: def.data_entry_code,
                external_reference: def.external_reference,
                info: text_field(v, "info"),
                active_from: def.active_from,
                active_until: def.active_until,
                custom: def.custom,
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
