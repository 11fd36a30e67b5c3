//! Every JSON example of the four Protime seed documents (`tests/seeds/protime-*.txt`, the user's
//! documents copied byte for byte), taken from the seed text at test time: request examples go
//! through the client's request types and must come out as the seed wrote them (names, nesting,
//! values; nothing added, nothing lost); the response tables (the seeds print no response JSON)
//! decode into the client's models with every listed property kept.

mod common;
#[path = "../../../../tests/seeds/extract.rs"]
mod extract;

use common::*;
use extract::{examples, lost, seed_text, Example};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use timebridge_protime::models::*;

/// Parsed into `T` and serialised again, the example is the seed's, both ways.
fn round_trip<T: DeserializeOwned + Serialize>(e: &Example) -> Vec<String> {
    let typed: T = serde_json::from_value(e.value.clone())
        .unwrap_or_else(|err| panic!("'{}' does not parse: {err}\n{}", e.label, e.text));
    let ours = serde_json::to_value(&typed).unwrap();
    let mut problems = Vec::new();
    lost(&e.value, &ours, "", &mut problems);
    let mut added = Vec::new();
    lost(&ours, &e.value, "", &mut added);
    problems.extend(
        added
            .into_iter()
            .map(|p| format!("sent but not in the seed: {p}")),
    );
    problems
}

fn check_all(seed: &str, expected: usize, route: impl Fn(&Example) -> Vec<String>) {
    let found = examples(&seed_text(seed));
    assert_eq!(
        found.len(),
        expected,
        "{seed}: {:?}",
        found.iter().map(|e| &e.label).collect::<Vec<_>>()
    );
    let mut all = Vec::new();
    for e in &found {
        for p in route(e) {
            all.push(format!("{seed} '{}': {p}", e.label));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

#[test]
fn create_clocking_examples_are_sent_as_written() {
    check_all("protime-create-clocking.txt", 4, |e| {
        assert!(e.label.starts_with("Example for"), "{}", e.label);
        let c: NewClocking = serde_json::from_value(e.value.clone()).unwrap();
        assert!(c.validate().is_ok(), "{}: {:?}", e.label, c.validate());
        // `isOpen` is not in any seed example: never sent unless set.
        assert!(serde_json::to_value(&c).unwrap().get("isOpen").is_none());
        round_trip::<NewClocking>(e)
    });
}

#[test]
fn activity_definition_examples_are_sent_as_written() {
    let seed = "protime-activity-definitions.txt";
    check_all(seed, 7, |e| {
        let l = e.label.to_lowercase();
        if l.contains("restrictions") {
            round_trip::<RestrictionsInput>(e)
        } else if l.contains("updating a usage") {
            round_trip::<UsageUpdate>(e)
        } else if l.contains("usage") {
            round_trip::<Usage>(e)
        } else if l.contains("activity definition") || l.contains("hierarchy") {
            round_trip::<ActivityDefinitionInput>(e)
        } else {
            vec![format!("no request type for this example")]
        }
    });
    // The seed prints two examples cut short; they are the only ones closed by the extractor.
    let repaired: Vec<String> = examples(&seed_text(seed))
        .into_iter()
        .filter(|e| e.repaired)
        .map(|e| e.label)
        .collect();
    assert_eq!(
        repaired,
        [
            "Example for adding a hierarchy:",
            "Example for updating restrictions:"
        ]
    );
    // The restrictions example is combinations of level restrictions, kept as such.
    let r = examples(&seed_text(seed)).pop().unwrap();
    let typed: RestrictionsInput = serde_json::from_value(r.value).unwrap();
    assert_eq!(typed.restrictions.len(), 1);
    assert_eq!(
        typed.restrictions[0]
            .iter()
            .map(|l| l.level_index)
            .collect::<Vec<_>>(),
        [1, 3]
    );
}

/// The rows of a property table: `name type description`, one per line (totals) or
/// `name |` then `type | description |` (access clockings).
fn table(text: &str, after: &str, until: &str) -> Vec<(String, String)> {
    let start = text.find(after).unwrap_or_else(|| panic!("no '{after}'"));
    let rest = &text[start + after.len()..];
    let body = &rest[..rest.find(until).unwrap_or_else(|| panic!("no '{until}'"))];
    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with('|') {
            i += 1;
            continue;
        }
        if let Some(name) = l.strip_suffix(" |").filter(|n| !n.contains(' ')) {
            let ty = lines
                .get(i + 1)
                .and_then(|n| n.split(' ').next())
                .unwrap_or("");
            out.push((name.to_string(), ty.to_string()));
            i += 2;
        } else {
            let mut parts = l.split_whitespace();
            if let (Some(n), Some(t)) = (parts.next(), parts.next()) {
                out.push((n.to_string(), t.to_string()));
            }
            i += 1;
        }
    }
    out
}

/// An answer with every property of the table, dotted names nested, sample values by type.
fn answer_of(rows: &[(String, String)], sample: impl Fn(&str, &str) -> Value) -> Value {
    let mut root = Map::new();
    for (name, ty) in rows {
        let mut parts: Vec<&str> = name.split('.').collect();
        let leaf = parts.pop().unwrap();
        let mut obj = &mut root;
        for p in parts {
            obj = obj
                .entry(p.to_string())
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .unwrap();
        }
        obj.insert(leaf.to_string(), sample(name, ty));
    }
    Value::Object(root)
}

fn sample(name: &str, ty: &str) -> Value {
    match (name, ty) {
        ("date", _) => json!("2024-01-05"),
        ("status", _) => json!("AccessOk"),
        (_, "integer") => json!(17),
        (_, "string") => json!("AAAAAAAAB9A="),
        other => panic!("no sample for {other:?}"),
    }
}

fn decodes_without_loss<T: DeserializeOwned + Serialize>(answer: &Value) -> Vec<String> {
    let typed: T = serde_json::from_value(answer.clone())
        .unwrap_or_else(|e| panic!("does not decode: {e}\n{answer}"));
    let mut problems = Vec::new();
    lost(
        answer,
        &serde_json::to_value(&typed).unwrap(),
        "",
        &mut problems,
    );
    problems
}

#[test]
fn calculated_totals_keep_every_property_of_the_seed() {
    let text = seed_text("protime-calculated-totals-delta.txt");
    assert!(examples(&text).is_empty(), "the seed prints no JSON");
    let rows = table(&text, "Property Type Description", "Filters");
    assert_eq!(rows.len(), 14, "{rows:?}");
    let answer = answer_of(&rows, sample);
    assert!(answer["shiftDefinition"]["id"].is_number());
    let lost = decodes_without_loss::<CalculatedTotals>(&answer);
    assert!(lost.is_empty(), "{lost:?}");
}

#[test]
fn access_clockings_keep_every_property_and_know_every_status() {
    let text = seed_text("protime-access-clocking.txt");
    assert!(examples(&text).is_empty(), "the seed prints no JSON");
    let rows = table(
        &text,
        "| Property | Type | Description |\n|---|---|---|",
        "External references",
    );
    assert_eq!(rows.len(), 7, "{rows:?}");
    let lost = decodes_without_loss::<AccessClocking>(&answer_of(&rows, sample));
    assert!(lost.is_empty(), "{lost:?}");
    let statuses: Vec<String> = table(&text, "| Value | Description |\n|---|---|", "Examples")
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(statuses.len(), 7, "{statuses:?}");
    assert!(statuses.contains(&"UnknownBadge".to_string()));
    for s in statuses {
        let parsed: AccessStatus = serde_json::from_value(json!(s)).unwrap();
        assert!(
            !matches!(parsed, AccessStatus::Other(_)),
            "{s} is not a known status"
        );
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(s));
    }
}

#[test]
fn the_comparison_sees_lost_renamed_and_changed_fields() {
    let seed = json!({"a": {"levelIndex": 1, "x": null}, "n": "51.1", "t": "2024-10-09 08:12:34"});
    let same = json!({"a": {"levelIndex": 1, "x": null}, "n": 51.1, "t": "2024-10-09T08:12:34"});
    let mut out = Vec::new();
    lost(&seed, &same, "", &mut out);
    assert!(out.is_empty(), "{out:?}");
    let renamed = json!({"a": {"level": 1, "x": null}, "n": 51.2, "t": "2024-10-09 08:12:35"});
    lost(&seed, &renamed, "", &mut out);
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(out[0].starts_with(".a.levelIndex: missing"));
}

#[tokio::test]
async fn the_strict_sandbox_takes_every_seed_clocking_and_refuses_other_fields() {
    let (sb, c) = setup().await;
    let path = format!("{API}clockings");
    for e in examples(&seed_text("protime-create-clocking.txt")) {
        let (status, answer, _) = raw(&sb, &c, Method::POST, &path, Some(&e.text)).await;
        assert_eq!(status, 201, "'{}' → {answer}", e.label);
    }
    // Fields no seed shows are refused by default, each named; the switch ignores them.
    let body = r#"{"person":{"id":76547},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"InOut",
        "status":"Active","isOpen":true,"geolocation":{"longitude":4.3,"lattitude":51.1}}"#;
    let (status, answer, _) = raw(&sb, &c, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 400, "{answer}");
    let fields: Vec<&str> = answer["validationErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["geolocation.lattitude", "isOpen"], "{answer}");
    let other_status = body.replace(
        "\"status\":\"Active\",\"isOpen\":true,",
        "\"status\":\"Deleted\",",
    );
    let (status, answer, _) = raw(&sb, &c, Method::POST, &path, Some(&other_status)).await;
    assert_eq!(status, 400, "{answer}");
    sb.protime.configure(|c| c.lenient_body_fields = true);
    let (status, answer, _) = raw(&sb, &c, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 201, "{answer}");
    sb.stop().await;
}
