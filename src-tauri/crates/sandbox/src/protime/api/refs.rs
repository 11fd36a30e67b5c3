//! External references: `?externalReferences=(collection,name)`, references in paths and bodies,
//! and the `externalReferences` maps added to answers.
use crate::protime::data::{self};
use crate::protime::SimState;
use serde_json::{json, Map, Value};

pub(super) const COLLECTIONS: &[(&str, &[&str])] = &[
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
pub(super) fn ref_value(s: &SimState, collection: &str, id: &str, name: &str) -> Option<String> {
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
pub(super) fn find_by_ref(
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

pub(super) fn exists(s: &SimState, collection: &str, id: &str, level: Option<i64>) -> bool {
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
pub(super) fn resolve_path_ref(
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
pub(super) fn resolve_body_ref(
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

pub(super) fn uses_body_refs(v: &Value) -> bool {
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
