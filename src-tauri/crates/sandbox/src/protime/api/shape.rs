//! The request bodies as the seeds show them: which fields exist, nested how. The sandbox refuses a
//! body with a field the seed does not show (a 400 model-validation answer naming each field),
//! unless the lenient switch `lenient_body_fields` is on, when such fields are ignored as before.
use crate::protime::{validation, SimState};
use axum::response::Response;
use serde_json::Value;

/// A body's shape: a value, an object with known fields, an object with free keys (the
/// `externalReferences` and `translations` maps), or an array of one shape.
pub(super) enum Shape {
    Value,
    Object(&'static [(&'static str, Shape)]),
    FreeKeys,
    ArrayOf(&'static Shape),
}

/// `{"id"}` or `{"externalReferences": {name: value}}` (every reference in the seeds).
const REFERENCE: Shape = Shape::Object(&[
    ("id", Shape::Value),
    ("externalReferences", Shape::FreeKeys),
]);

/// `POST /clockings` (protime-create-clocking.txt: body properties and the four examples).
pub(super) const CLOCKING: Shape = Shape::Object(&[
    ("person", REFERENCE),
    ("date", Shape::Value),
    ("timeOfDayInMinutes", Shape::Value),
    ("terminal", REFERENCE),
    (
        "geolocation",
        Shape::Object(&[("longitude", Shape::Value), ("latitude", Shape::Value)]),
    ),
    ("kind", Shape::Value),
    ("reason", REFERENCE),
    (
        "activityLevels",
        Shape::ArrayOf(&Shape::Object(&[
            ("level", Shape::Value),
            ("activityDefinition", REFERENCE),
        ])),
    ),
    ("status", Shape::Value),
]);

/// POST/PUT of an activity definition (protime-activity-definitions.txt: properties you can send).
pub(super) const DEFINITION: Shape = Shape::Object(&[
    (
        "name",
        Shape::Object(&[("default", Shape::Value), ("translations", Shape::FreeKeys)]),
    ),
    ("parent", REFERENCE),
    ("shortCode", Shape::Value),
    ("dataEntryCode", Shape::Value),
    ("externalReference", Shape::Value),
    ("info", Shape::Value),
    ("activeFrom", Shape::Value),
    ("activeUntil", Shape::Value),
]);

/// POST and DELETE of a usage.
pub(super) const USAGE: Shape = Shape::Object(&[
    ("activityUsageKind", Shape::Value),
    ("usageReference", REFERENCE),
    ("from", Shape::Value),
    ("until", Shape::Value),
]);

/// PUT of a usage.
pub(super) const USAGE_UPDATE: Shape = Shape::Object(&[
    ("activityUsageKind", Shape::Value),
    ("usageReference", REFERENCE),
    ("originalFrom", Shape::Value),
    ("originalUntil", Shape::Value),
    ("updatedFrom", Shape::Value),
    ("updatedUntil", Shape::Value),
]);

/// The dotted paths of the fields in `v` that `shape` does not have.
pub(super) fn unknown_fields(v: &Value, shape: &Shape, path: &str, out: &mut Vec<String>) {
    match (shape, v) {
        (Shape::Object(fields), Value::Object(o)) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match fields.iter().find(|(name, _)| name == k) {
                    Some((_, inner)) => unknown_fields(x, inner, &p, out),
                    None => out.push(p),
                }
            }
        }
        (Shape::ArrayOf(inner), Value::Array(items)) => {
            for (i, x) in items.iter().enumerate() {
                unknown_fields(x, inner, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The refusal for fields the seed does not show, or `None` when the body fits (or the switch
/// `lenient_body_fields` is on).
pub(super) fn refuse_unknown(s: &SimState, v: &Value, shape: &Shape) -> Option<Response> {
    if s.config.lenient_body_fields {
        return None;
    }
    let mut unknown = Vec::new();
    unknown_fields(v, shape, "", &mut unknown);
    (!unknown.is_empty()).then(|| {
        let errors: Vec<(&str, String)> = unknown
            .iter()
            .map(|f| {
                (
                    f.as_str(),
                    format!(
                        "'{f}' is not a field of this request (the sandbox switch lenient_body_fields ignores it)"
                    ),
                )
            })
            .collect();
        validation(&errors)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_are_named_by_path() {
        let mut out = Vec::new();
        let body = json!({
            "person": {"externalReferences": {"@badge-number": "1955", "Custom": "x"}, "badge": 1},
            "date": "2024-12-17", "timeOfDayInMinutes": 500, "kind": "InOut", "status": "Active",
            "isOpen": false,
            "geolocation": {"longitude": 1, "lattitude": 2},
            "activityLevels": [{"level": 1, "activityDefinition": {"id": "a"}, "structureVersion": "s"}]
        });
        unknown_fields(&body, &CLOCKING, "", &mut out);
        out.sort();
        assert_eq!(
            out,
            [
                "activityLevels[0].structureVersion",
                "geolocation.lattitude",
                "isOpen",
                "person.badge"
            ]
        );
        let mut none = Vec::new();
        unknown_fields(
            &json!({"name": {"default": "x", "translations": {"nl": "y"}}, "parent": {"id": "p"}}),
            &DEFINITION,
            "",
            &mut none,
        );
        assert!(none.is_empty(), "{none:?}");
    }
}
