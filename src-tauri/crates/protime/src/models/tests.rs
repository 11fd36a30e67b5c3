//! Decoding and encoding of the Protime models.

use super::*;

#[test]
fn unknown_enum_values_are_kept() {
    let s: AccessStatus = serde_json::from_str("\"UnknownBadge\"").unwrap();
    assert!(s.is_unknown_badge());
    let s: AccessStatus = serde_json::from_str("\"SomethingNew\"").unwrap();
    assert_eq!(s, AccessStatus::Other("SomethingNew".into()));
    assert_eq!(serde_json::to_string(&s).unwrap(), "\"SomethingNew\"");
}

#[test]
fn both_iso_spellings() {
    let a: Person = serde_json::from_str(r#"{"id":1,"countryISOCode":"BE"}"#).unwrap();
    let b: Person = serde_json::from_str(r#"{"id":1,"countryIsoCode":"BE"}"#).unwrap();
    assert_eq!(a.country_iso_code, b.country_iso_code);
}

#[test]
fn seed_clocking_bodies_deserialise() {
    let body = r#"{"person":{"externalReferences":{"@employee-number":"01256"}},"date":"2024-01-05","timeOfDayInMinutes":480,
        "terminal":{"externalReferences":{"SapTerminalCode":"SAPTO1"}},"geolocation":{"longitude":"51.144127","latitude":"4.392225"},
        "kind":"Activity","activityLevels":[{"level":1,"activityDefinition":{"externalReferences":{"@data-entry-code":"00014"}}}],"status":"Active"}"#;
    let c: NewClocking = serde_json::from_str(body).unwrap();
    assert_eq!(c.geolocation.unwrap().longitude, 51.144127);
    assert!(c.validate().is_ok());
}

#[test]
fn restrictions_read_as_combinations() {
    let r: Restrictions = serde_json::from_str(
        r#"{"restrictions":[[{"levelIndex":3,"activityDefinitions":[{"id":"x"}]}],[{"levelIndex":1,"activityDefinitions":[{"id":"y"}]},{"levelIndex":3,"activityDefinitions":[{"id":"z"}]}]]}"#,
    )
    .unwrap();
    assert_eq!(r.restrictions.len(), 2);
    assert_eq!(r.restrictions[1][1].level_index, 3);
    // The older flat list with `level` is one combination.
    let old: Restrictions = serde_json::from_str(
        r#"{"restrictions":[{"level":1,"activityDefinitions":[{"id":"a"}]},{"level":2,"activityDefinitions":[]}]}"#,
    )
    .unwrap();
    assert_eq!(old.restrictions.len(), 1);
    assert_eq!(old.restrictions[0].len(), 2);
    // Sent with the seed's names.
    let body = serde_json::to_value(RestrictionsInput {
        restrictions: r.restrictions,
    })
    .unwrap();
    assert_eq!(body["restrictions"][0][0]["levelIndex"], 3);
    assert!(body["restrictions"][0][0].get("level").is_none());
}
