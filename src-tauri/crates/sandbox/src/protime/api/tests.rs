use super::parse::Query;
use super::refs::parse_ext_refs;
use super::restrictions::parse_restrictions_body;

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
    let fragment = r#""restrictions": [[{"levelIndex": 2, "activityDefinitions": [{"id": "a"}]}]"#;
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
