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
fn restriction_bodies_strict_by_default() {
    let arr = r#"[{"level":2,"activityDefinitions":[{"id":"a"}]}]"#;
    let flat = r#"{"restrictions":[{"levelIndex":2,"activityDefinitions":[{"id":"a"}]}]}"#;
    let level_name = r#"{"restrictions":[[{"level":2,"activityDefinitions":[{"id":"a"}]}]]}"#;
    let seed = r#"{"restrictions":[[{"levelIndex":2,"activityDefinitions":[{"id":"a"}]}]]}"#;
    let fragment = r#""restrictions": [[{"levelIndex": 2, "activityDefinitions": [{"id": "a"}]}]"#;
    let two = r#"{"restrictions":[[{"levelIndex":2,"activityDefinitions":[{"id":"a"}]}],[{"levelIndex":1,"activityDefinitions":[]},{"levelIndex":3,"activityDefinitions":[{"id":"b"}]}]]}"#;
    // The seed's shapes, strict and lenient alike.
    for lenient in [false, true] {
        for b in [seed, fragment] {
            let r = parse_restrictions_body(b, lenient).unwrap_or_else(|e| panic!("{b}: {e}"));
            assert_eq!(r.len(), 1);
            assert_eq!(r[0][0].0, 2);
        }
        let r = parse_restrictions_body(two, lenient).unwrap();
        assert_eq!(r.len(), 2, "two combinations stay two");
        assert_eq!(r[1].iter().map(|l| l.0).collect::<Vec<_>>(), [1, 3]);
    }
    // The older shapes only with the switch; the message names what is wrong.
    for (b, says) in [
        (arr, "bare array"),
        (flat, "flat list"),
        (level_name, "levelIndex"),
    ] {
        let e = parse_restrictions_body(b, false).unwrap_err();
        assert!(e.contains(says), "{b}: {e}");
        let r = parse_restrictions_body(b, true).unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!((r.len(), r[0][0].0), (1, 2), "{b}");
    }
    for lenient in [false, true] {
        assert!(parse_restrictions_body(r#"[{"activityDefinitions":[]}]"#, lenient).is_err());
        let e = parse_restrictions_body(
            r#"{"restrictions":[[{"levelIndex":2,"activityDefinitions":[],"x":1}]]}"#,
            lenient,
        )
        .unwrap_err();
        assert!(e.contains("unknown field 'x'"), "{e}");
        assert!(parse_restrictions_body(r#"{"restrictions":[],"extra":true}"#, lenient).is_err());
    }
}

#[test]
fn queries_decode_plus_and_percent() {
    let q = Query::parse("filter=date%20ge%20%272024-01-01%27&delta&x=a+b");
    assert_eq!(q.get("filter"), Some("date ge '2024-01-01'"));
    assert!(q.has("delta"));
    assert_eq!(q.get("x"), Some("a b"));
}
