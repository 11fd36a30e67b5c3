//! Activity definitions, usages and restrictions: the documented examples and the rules.

mod common;
use chrono::NaiveDate;
use common::*;
use reqwest::Method;
use timebridge_protime::models::*;
use timebridge_protime::{DefinitionRef, ErrorKind, LevelPath, Upserted};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn level(l: u32) -> LevelPath {
    LevelPath::new(SV, l)
}

#[tokio::test]
async fn structure_lists_and_expanded_get() {
    let (sb, c) = setup().await;
    let versions = c.activity_structure_versions().await.unwrap();
    assert_eq!(versions[0].id, SV);
    assert_eq!(versions[0].levels.len(), 3);
    let l1 = c.activity_definitions(&level(1)).await.unwrap();
    let l2 = c.activity_definitions(&level(2)).await.unwrap();
    let l3 = c.activity_definitions(&level(3)).await.unwrap();
    assert_eq!(l1.len() + l2.len() + l3.len(), 40);
    assert!(l2.iter().all(|x| l1
        .iter()
        .any(|p| Some(&p.id) == x.parent.as_ref().and_then(|r| r.id.as_ref()))));
    // The documented GET with expand.
    let (status, body, _) = raw(
        &sb,
        &c,
        Method::GET,
        &format!("{API}activity-structure-versions/{SV}/levels/3/activity-definitions/38fc2206-b51f-434a-9c36-9e0esfc5e70e?expand=usage,restrictions"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let one = c
        .activity_definition(
            &level(3),
            &DefinitionRef::Id("b2593723-9574-4659-8367-706645454367".into()),
            true,
        )
        .await
        .unwrap();
    assert!(one.usages.is_some() && one.restrictions.is_some());
    assert!(!one.usages.unwrap().is_empty());
    // By external reference.
    let by_code = c
        .activity_definition(
            &level(1),
            &DefinitionRef::External {
                name: "@data-entry-code".into(),
                value: "00014".into(),
            },
            false,
        )
        .await
        .unwrap();
    assert_eq!(by_code.data_entry_code.as_deref(), Some("00014"));
    let missing = c
        .activity_definition(&level(1), &DefinitionRef::Id("nope".into()), false)
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    sb.stop().await;
}

#[tokio::test]
async fn documented_post_and_put_examples() {
    let (sb, c) = setup().await;
    let create = r#"{"name":{"default":"Cleaning","translations":{"nl":"Schoonmaken","fr":"Nettoyer"}},"shortCode":"CL_002","dataEntryCode":"00026","externalReference":"Cleaning","info":"Cleaning the main building","activeFrom":"2024-07-01","activeUntil":"2024-12-31"}"#;
    let base = format!("{API}activity-structure-versions/{SV}/levels/1/activity-definitions");
    let (status, _, headers) = raw(&sb, &c, Method::POST, &base, Some(create)).await;
    assert_eq!(status, 201);
    let id = headers["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    // The hierarchy example (its parent is a documented GUID), on level 2.
    let child = r#"{"name":{"default":"Cleaning","translations":{"nl":"Schoonmaken","fr":"Nettoyer"}},"parent":{"id":"0b3642ae-16c9-4914-b099-2ba4b99d5ee9"}}"#;
    let input: ActivityDefinitionInput = serde_json::from_str(child).unwrap();
    let child_id = c
        .create_activity_definition(&level(2), &input)
        .await
        .unwrap();
    let got = c
        .activity_definition(&level(2), &DefinitionRef::Id(child_id.clone()), false)
        .await
        .unwrap();
    assert_eq!(
        got.parent.unwrap().id.as_deref(),
        Some("0b3642ae-16c9-4914-b099-2ba4b99d5ee9")
    );
    assert!(
        got.data_entry_code.is_some(),
        "auto-generated data entry code"
    );
    // The PUT example by data entry code: first creates (201), then updates (200).
    let put = r#"{"name":{"default":"Cleaning"},"shortCode":"A003","dataEntryCode":"20003","externalReference":"CL01","info":"Updating Activity Definition","activeFrom":"2024-09-01","activeUntil":"2024-09-30"}"#;
    let input: ActivityDefinitionInput = serde_json::from_str(put).unwrap();
    let by_code = DefinitionRef::External {
        name: "@data-entry-code".into(),
        value: "20003".into(),
    };
    assert!(matches!(
        c.put_activity_definition(&level(1), &by_code, &input)
            .await
            .unwrap(),
        Upserted::Created { id: Some(_) }
    ));
    assert_eq!(
        c.put_activity_definition(&level(1), &by_code, &input)
            .await
            .unwrap(),
        Upserted::Updated
    );
    // With a custom reference.
    let custom = DefinitionRef::External {
        name: "CustomActivityReference".into(),
        value: "122456".into(),
    };
    let mut other = input.clone();
    other.data_entry_code = Some("20004".into());
    other.external_reference = Some("CL02".into());
    assert!(matches!(
        c.put_activity_definition(&level(1), &custom, &other)
            .await
            .unwrap(),
        Upserted::Created { .. }
    ));
    assert_eq!(
        c.put_activity_definition(&level(1), &custom, &other)
            .await
            .unwrap(),
        Upserted::Updated
    );
    // PUT by internal id updates; fields left out are cleared.
    let minimal = ActivityDefinitionInput {
        name: LocalizedText::new("Cleaning v2"),
        data_entry_code: Some("00026".into()),
        ..Default::default()
    };
    assert_eq!(
        c.put_activity_definition(&level(1), &DefinitionRef::Id(id.clone()), &minimal)
            .await
            .unwrap(),
        Upserted::Updated
    );
    let after = c
        .activity_definition(&level(1), &DefinitionRef::Id(id), false)
        .await
        .unwrap();
    assert_eq!(after.name.default, "Cleaning v2");
    assert_eq!(after.info, None);
    assert_eq!(after.external_reference, None);
    // Unknown internal id: 404.
    let e = c
        .put_activity_definition(&level(1), &DefinitionRef::Id("0000".into()), &minimal)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    sb.stop().await;
}

#[tokio::test]
async fn definition_rules() {
    let (sb, c) = setup().await;
    let mk = |dec: &str, ext: &str| ActivityDefinitionInput {
        name: LocalizedText::new("X"),
        data_entry_code: Some(dec.into()),
        external_reference: Some(ext.into()),
        ..Default::default()
    };
    // 16 characters: client refuses before sending; the sandbox refuses too.
    let long = mk("12345678901234567", "a");
    assert_eq!(
        c.create_activity_definition(&level(1), &long)
            .await
            .unwrap_err()
            .status,
        None
    );
    let (status, _, _) = raw(
        &sb,
        &c,
        Method::POST,
        &format!("{API}activity-structure-versions/{SV}/levels/1/activity-definitions"),
        Some(r#"{"name":{"default":"X"},"externalReference":"12345678901234567"}"#),
    )
    .await;
    assert_eq!(status, 400);
    // Unique per structure + level, but the same code is fine on another level.
    c.create_activity_definition(&level(1), &mk("77777", "U1"))
        .await
        .unwrap();
    let dup = c
        .create_activity_definition(&level(1), &mk("77777", "U2"))
        .await
        .unwrap_err();
    assert_eq!(dup.kind, ErrorKind::BadRequest);
    let dup = c
        .create_activity_definition(&level(1), &mk("77778", "U1"))
        .await
        .unwrap_err();
    assert_eq!(dup.kind, ErrorKind::BadRequest);
    c.create_activity_definition(&level(2), &mk("77777", "U1"))
        .await
        .unwrap();
    // Parent: immutable, must be repeated on update, must exist.
    let parent_a = "a7d853ea-89eb-4735-83d1-b891c6fde398";
    let parent_b = "22d320ed-f6ed-44bd-b7b1-fe58f518960c";
    let mut child = mk("88888", "CH1");
    child.parent = Some(Ref::id(parent_a.to_string()));
    let id = c
        .create_activity_definition(&level(2), &child)
        .await
        .unwrap();
    let mut no_parent = child.clone();
    no_parent.parent = None;
    assert_eq!(
        c.put_activity_definition(&level(2), &DefinitionRef::Id(id.clone()), &no_parent)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    let mut moved = child.clone();
    moved.parent = Some(Ref::id(parent_b.to_string()));
    assert_eq!(
        c.put_activity_definition(&level(2), &DefinitionRef::Id(id.clone()), &moved)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    assert_eq!(
        c.put_activity_definition(&level(2), &DefinitionRef::Id(id), &child)
            .await
            .unwrap(),
        Upserted::Updated
    );
    let mut orphan = mk("99999", "OR1");
    orphan.parent = Some(Ref::id("does-not-exist".into()));
    assert_eq!(
        c.create_activity_definition(&level(2), &orphan)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    // Parent by external reference.
    let mut by_ref = mk("99998", "OR2");
    by_ref.parent = Some(Ref::external("@data-entry-code", "00011"));
    c.create_activity_definition(&level(2), &by_ref)
        .await
        .unwrap();
    // Missing name: model validation.
    let (status, body, _) = raw(
        &sb,
        &c,
        Method::POST,
        &format!("{API}activity-structure-versions/{SV}/levels/1/activity-definitions"),
        Some(r#"{"shortCode":"x"}"#),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["validationErrors"][0]["field"], "name.default");
    sb.stop().await;
}

#[tokio::test]
async fn usages_documented_examples_and_rules() {
    let (sb, c) = setup().await;
    let def = DefinitionRef::Id("22d320ed-f6ed-44bd-b7b1-fe58f518960c".into());
    let path = format!("{API}activity-structure-versions/{SV}/levels/1/activity-definitions/22d320ed-f6ed-44bd-b7b1-fe58f518960c/usages");
    let post = r#"{"activityUsageKind":"Circle","usageReference":{"id":13},"from":"2024-08-01","until":"2024-08-31"}"#;
    let (status, _, _) = raw(&sb, &c, Method::POST, &path, Some(post)).await;
    assert_eq!(status, 200);
    // Overlap with the same reference → 400.
    let overlapping = Usage {
        activity_usage_kind: UsageKind::Circle,
        usage_reference: Ref::id(13),
        from: d("2024-08-20"),
        until: None,
    };
    assert_eq!(
        c.add_usage(&level(1), &def, &overlapping)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    // Another reference may overlap.
    let other = Usage {
        usage_reference: Ref::id(14),
        ..overlapping.clone()
    };
    c.add_usage(&level(1), &def, &other).await.unwrap();
    // The PUT example.
    let put = r#"{"activityUsageKind":"Circle","usageReference":{"id":13},"originalFrom":"2024-08-01","originalUntil":"2024-08-31","updatedFrom":"2024-08-15","updatedUntil":"2024-08-31"}"#;
    let (status, body, _) = raw(&sb, &c, Method::PUT, &path, Some(put)).await;
    assert_eq!(status, 200, "{body}");
    // originalFrom must match what is stored.
    let stale: UsageUpdate = serde_json::from_str(put).unwrap();
    assert_eq!(
        c.update_usage(&level(1), &def, &stale)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    let usages = c.usages(&level(1), &def).await.unwrap();
    assert!(usages
        .usages
        .iter()
        .any(|u| u.from == d("2024-08-15") && u.until == Some(d("2024-08-31"))));
    assert_eq!(
        usages.activity_definition_id.unwrap().id.as_deref(),
        Some("22d320ed-f6ed-44bd-b7b1-fe58f518960c")
    );
    // The DELETE example (JSON body) after moving the usage back to its documented period.
    let back = UsageUpdate {
        original_from: d("2024-08-15"),
        updated_from: d("2024-08-01"),
        ..stale
    };
    c.update_usage(&level(1), &def, &back).await.unwrap();
    let (status, _, _) = raw(&sb, &c, Method::DELETE, &path, Some(post)).await;
    assert_eq!(status, 204);
    let gone: Usage = serde_json::from_str(post).unwrap();
    assert_eq!(
        c.delete_usage(&level(1), &def, &gone)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    // Open-ended usage sent with "until": "" is accepted.
    let open = r#"{"activityUsageKind":"Person","usageReference":{"id":76501},"from":"2025-01-01","until":""}"#;
    let (status, _, _) = raw(&sb, &c, Method::POST, &path, Some(open)).await;
    assert_eq!(status, 200);
    let usages = c.usages(&level(1), &def).await.unwrap();
    assert!(usages
        .usages
        .iter()
        .any(|u| u.activity_usage_kind == UsageKind::Person && u.until.is_none()));
    sb.stop().await;
}

#[tokio::test]
async fn restrictions_are_combinations_and_strict_by_default() {
    let (sb, c) = setup().await;
    let l2 = c.activity_definitions(&level(2)).await.unwrap();
    let target = DefinitionRef::Id(l2[0].id.clone());
    let path = format!(
        "{API}activity-structure-versions/{SV}/levels/2/activity-definitions/{}/restrictions",
        l2[0].id
    );
    // The documentation's text, exactly as printed (an unwrapped, unclosed fragment): one combination.
    let seed = r#""restrictions": [
[
  {
    "levelIndex": 1,
    "activityDefinitions": [
      {
        "id": "a7d853ea-89eb-4735-83d1-b891c6fde398"
      },
      {
        "id": "22d320ed-f6ed-44bd-b7b1-fe58f518960c"
      }
    ]
  },
  {
    "levelIndex": 3,
    "activityDefinitions": [
      {
        "id": "b2593723-9574-4659-8367-706645454367"
      }
    ]
  }
]"#;
    let (status, body, _) = raw(&sb, &c, Method::PUT, &path, Some(seed)).await;
    assert_eq!(status, 200, "{body}");
    let got = c.restrictions(&level(2), &target).await.unwrap();
    assert_eq!(got.restrictions.len(), 1);
    assert_eq!(got.restrictions[0].len(), 2);
    assert_eq!(got.restrictions[0][0].activity_definitions.len(), 2);
    // The older shapes are refused by default, naming what is wrong.
    let flat = r#"{"restrictions":[{"level":1,"activityDefinitions":[{"id":"a7d853ea-89eb-4735-83d1-b891c6fde398"}]}]}"#;
    let bare = r#"[[{"levelIndex":1,"activityDefinitions":[{"id":"a7d853ea-89eb-4735-83d1-b891c6fde398"}]}]]"#;
    let renamed = r#"{"restrictions":[[{"level":1,"activityDefinitions":[{"id":"a7d853ea-89eb-4735-83d1-b891c6fde398"}]}]]}"#;
    let extra = r#"{"restrictions":[[{"levelIndex":1,"activityDefinitions":[],"note":"x"}]]}"#;
    for body in [flat, bare, renamed, extra] {
        let (status, answer, _) = raw(&sb, &c, Method::PUT, &path, Some(body)).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(
            answer["validationErrors"][0]["field"], "restrictions",
            "{answer}"
        );
    }
    assert!(raw(&sb, &c, Method::PUT, &path, Some(renamed))
        .await
        .1
        .to_string()
        .contains("levelIndex"));
    // Typed client: the seed's object with two combinations; replaces the whole set, read back as two.
    let set = vec![
        vec![Restriction {
            level_index: 3,
            activity_definitions: vec![Ref::id("b2593723-9574-4659-8367-706645454367".into())],
        }],
        vec![
            Restriction {
                level_index: 1,
                activity_definitions: vec![Ref::id("a7d853ea-89eb-4735-83d1-b891c6fde398".into())],
            },
            Restriction {
                level_index: 3,
                activity_definitions: vec![],
            },
        ],
    ];
    c.set_restrictions(&level(2), &target, &set).await.unwrap();
    let got = c.restrictions(&level(2), &target).await.unwrap();
    assert_eq!(got.restrictions, set);
    let expanded = c
        .activity_definition(&level(2), &target, true)
        .await
        .unwrap();
    assert_eq!(expanded.restrictions, Some(set));
    // Unknown ids → 400.
    let bad = vec![vec![Restriction {
        level_index: 1,
        activity_definitions: vec![Ref::id("nope".into())],
    }]];
    assert_eq!(
        c.set_restrictions(&level(2), &target, &bad)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    // By external reference.
    let by_ref = vec![vec![Restriction {
        level_index: 1,
        activity_definitions: vec![Ref::external("@data-entry-code", "00012")],
    }]];
    c.set_restrictions(&level(2), &target, &by_ref)
        .await
        .unwrap();
    // The switch accepts the older shapes; a flat list becomes one combination.
    sb.protime
        .configure(|c| c.lenient_restriction_shapes = true);
    for body in [flat, bare, renamed] {
        let (status, answer, _) = raw(&sb, &c, Method::PUT, &path, Some(body)).await;
        assert_eq!(status, 200, "{body} → {answer}");
    }
    let (status, _, _) = raw(&sb, &c, Method::PUT, &path, Some(flat)).await;
    assert_eq!(status, 200);
    let got = c.restrictions(&level(2), &target).await.unwrap();
    assert_eq!(got.restrictions.len(), 1);
    assert_eq!(got.restrictions[0][0].level_index, 1);
    sb.stop().await;
}
