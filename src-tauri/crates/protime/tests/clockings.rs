//! Clockings, access clockings and calculated totals: the client against the sandbox over HTTP.

mod common;
use common::*;
use futures::StreamExt;
use reqwest::Method;
use timebridge_protime::models::*;
use timebridge_protime::{Created, DateRange, ErrorKind, ExternalReferences, Filter};
use timebridge_sandbox::protime::{ClockingPostAnswer, ProtimeSimConfig};

fn none() -> ExternalReferences {
    ExternalReferences::none()
}

#[tokio::test]
async fn clockings_are_listed_across_pages_and_filtered() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        page_size: 40,
        ..Default::default()
    })
    .await;
    let range = DateRange::new(days_ago(6), today()).unwrap();
    // Stream: items arrive page by page.
    let mut stream = Box::pin(c.clockings_stream(range, None, &none()).unwrap());
    let mut n = 0;
    while let Some(item) = stream.next().await {
        let item = item.unwrap();
        assert!(item.date >= range.from && item.date <= range.until);
        n += 1;
    }
    assert!(n > 200, "a week of 50 people has many clockings, got {n}");
    let all = c.clockings(range, None, &none()).await.unwrap();
    assert_eq!(all.len(), n);
    // Soft-deleted clockings are part of the lists.
    sb.protime.configure(|c| c.page_size = 2000);
    let wide = DateRange::new(days_ago(59), today()).unwrap();
    let everything = c.clockings(wide, None, &none()).await.unwrap();
    assert!(everything
        .iter()
        .any(|c| c.status == Some(ClockingStatus::Deleted)));
    assert!(everything
        .iter()
        .any(|c| c.kind == ClockingKind::Activity && c.activity_levels.len() == 3));
    assert!(
        everything.iter().any(|c| c.time_of_day_in_minutes > 1440),
        "night shifts"
    );
    // person in (...) and kind filter with or.
    let ids = sb.protime.person_ids();
    let f = Filter::is_in("person", [ids[0], ids[1]])
        .and(Filter::eq("kind", "InOut").or(Filter::eq("kind", "Reason")));
    let some = c.clockings(range, Some(f), &none()).await.unwrap();
    assert!(!some.is_empty());
    assert!(some.iter().all(
        |x| (x.person.id == Some(ids[0]) || x.person.id == Some(ids[1]))
            && matches!(x.kind, ClockingKind::InOut | ClockingKind::Reason)
    ));
    // person in circle(...)
    let circle = c
        .clockings(
            range,
            Some(Filter::in_group("person", "circle", [1i64])),
            &none(),
        )
        .await
        .unwrap();
    assert!(!circle.is_empty());
    // Single clocking by id, with external references.
    let one = c
        .clocking(
            all[0].id,
            &ExternalReferences::none().with("people", "@badge-number"),
        )
        .await
        .unwrap();
    assert_eq!(one.id, all[0].id);
    assert!(one.person.external_reference("@badge-number").is_some());
    let missing = c.clocking(1, &none()).await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    sb.stop().await;
}

#[tokio::test]
async fn every_documented_post_example_is_accepted_as_is() {
    let (sb, c) = setup().await;
    let examples = [
        r#"{"person":{"externalReferences":{"@badge-number":"1955"}},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"InOut","status":"Active"}"#,
        r#"{"person":{"id":76547},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"Reason","reason":{"id":6578},"status":"Active"}"#,
        r#"{"person":{"externalReferences":{"@employee-number":"01256"}},"date":"2024-01-05","timeOfDayInMinutes":480,
           "terminal":{"externalReferences":{"SapTerminalCode":"SAPTO1"}},"geolocation":{"longitude":"51.144127","latitude":"4.392225"},
           "kind":"Activity","activityLevels":[{"level":1,"activityDefinition":{"externalReferences":{"@data-entry-code":"00014"}}},
           {"level":2,"activityDefinition":{"externalReferences":{"@data-entry-code":"10019"}}}],"status":"Active"}"#,
        r#"{"person":{"id":76547},"date":"2024-12-17","timeOfDayInMinutes":480,"kind":"ActivityEnd","status":"Active"}"#,
        r#"{"person":{"id":76501},"date":"2026-01-15","timeOfDayInMinutes":510,"kind":"InOut"}"#,
    ];
    for (i, body) in examples.iter().enumerate() {
        // As-is over raw HTTP.
        let (status, _, headers) = raw(
            &sb,
            &c,
            Method::POST,
            &format!("{API}clockings"),
            Some(body),
        )
        .await;
        assert_eq!(status, 201, "example {i}");
        let loc = headers["location"].to_str().unwrap();
        assert!(loc.starts_with("/connector/protimeapi/api/v1/clockings/"));
        // And through the typed client (deserialised from the documentation text).
        let typed: NewClocking = serde_json::from_str(body).unwrap();
        let refs = ExternalReferences::none()
            .with("people", "@badge-number")
            .with("people", "@employee-number")
            .with("terminals", "SapTerminalCode")
            .with("activity-definitions", "@data-entry-code");
        let created = c.create_clocking(&typed, &refs).await.unwrap();
        let Created::Created { id, .. } = created else {
            panic!("201 expected")
        };
        let stored = sb.protime.clocking(id).unwrap();
        assert_eq!(stored["status"], "Active");
        assert_eq!(stored["isGenerated"], false);
        assert_eq!(stored["kind"], typed.kind.as_str());
    }
    // The activity example resolved every reference.
    let all = sb.protime.clockings();
    let act = all
        .iter()
        .rev()
        .find(|c| c["kind"] == "Activity" && c["date"] == "2024-01-05")
        .unwrap();
    assert_eq!(act["activityLevels"].as_array().unwrap().len(), 2);
    assert_eq!(act["geolocation"]["longitude"], 51.144127);
    assert!(act["terminal"]["id"].is_i64());
    let got = c
        .clocking(
            act["id"].as_i64().unwrap(),
            &ExternalReferences::none().with("terminals", "SapTerminalCode"),
        )
        .await
        .unwrap();
    assert_eq!(
        got.terminal.unwrap().external_reference("SapTerminalCode"),
        Some("SAPTO1")
    );
    sb.stop().await;
}

#[tokio::test]
async fn clocking_validation_client_side_and_server_side() {
    let (sb, c) = setup().await;
    let d = today();
    // Client side: out of range, missing reason, missing levels.
    for bad in [
        NewClocking::in_out(Ref::id(76501), d, 2881),
        NewClocking::in_out(Ref::id(76501), d, -1441),
        NewClocking {
            reason: None,
            ..NewClocking::reason(Ref::id(76501), d, 600, Ref::id(6578))
        },
        NewClocking::activity(Ref::id(76501), d, 600, vec![]),
    ] {
        let e = c
            .create_clocking(&bad, &ExternalReferences::none())
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest);
        assert_eq!(e.status, None, "refused before sending: {}", e.message);
    }
    // Extremes are accepted.
    for t in [-1440, 2880] {
        c.create_clocking(
            &NewClocking::in_out(Ref::id(76501), d, t),
            &ExternalReferences::none(),
        )
        .await
        .unwrap();
    }
    // Server side: model validation (validationErrors body) and business rules (reasons body).
    let cases = [
        (
            r#"{"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"InOut"}"#,
            "person",
        ),
        (
            r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":3000,"kind":"InOut"}"#,
            "timeOfDayInMinutes",
        ),
        (
            r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"Lunch"}"#,
            "kind",
        ),
        (
            r#"{"person":{"id":76501},"timeOfDayInMinutes":30,"kind":"InOut"}"#,
            "date",
        ),
    ];
    for (body, field) in cases {
        let (status, json, _) = raw(
            &sb,
            &c,
            Method::POST,
            &format!("{API}clockings"),
            Some(body),
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(json["validationErrors"][0]["field"], field, "{json}");
        let e = c
            .write_json(
                Method::POST,
                "clockings",
                &serde_json::from_str(body).unwrap(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest);
        assert_eq!(e.body.as_ref().unwrap().field_errors[0].field, field);
    }
    for body in [
        r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"Reason"}"#,
        r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"Activity"}"#,
        r#"{"person":{"id":1},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"InOut"}"#,
        r#"{"person":{"externalReferences":{"@badge-number":"nope"}},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"InOut"}"#,
        r#"{"person":{"externalReferences":{"@nonsense":"1"}},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"InOut"}"#,
        r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":30,"kind":"Reason","reason":{"id":6582}}"#,
    ] {
        let e = c
            .write_json(
                Method::POST,
                "clockings",
                &serde_json::from_str(body).unwrap(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest, "{body}");
        assert!(!e.body.unwrap().reasons.is_empty());
    }
    sb.stop().await;
}

#[tokio::test]
async fn post_answers_with_body_or_202_are_tolerated() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        clocking_post_answer: ClockingPostAnswer::CreatedWithBody,
        ..Default::default()
    })
    .await;
    let n = NewClocking::in_out(Ref::id(76502), today(), 480);
    assert!(matches!(
        c.create_clocking(&n, &ExternalReferences::none())
            .await
            .unwrap(),
        Created::Created { .. }
    ));
    sb.protime
        .configure(|c| c.clocking_post_answer = ClockingPostAnswer::Accepted);
    match c
        .create_clocking(&n, &ExternalReferences::none())
        .await
        .unwrap()
    {
        Created::Accepted { operation_location } => {
            assert!(operation_location.contains("/status-monitor/clockings/"))
        }
        other => panic!("{other:?}"),
    }
    sb.stop().await;
}

#[tokio::test]
async fn access_clockings_by_id_list_and_statuses() {
    let (sb, c) = setup().await;
    // The documented example: id 1234 with the employee number.
    let a = c
        .access_clocking(
            1234,
            &ExternalReferences::none().with("people", "@employee-number"),
        )
        .await
        .unwrap();
    assert!((0..1440).contains(&a.time_of_day_in_minutes));
    assert!(a
        .person
        .unwrap()
        .external_reference("@employee-number")
        .is_some());
    let range = DateRange::new(days_ago(59), today()).unwrap();
    let all = c
        .access_clockings(range, None, &ExternalReferences::none())
        .await
        .unwrap();
    assert!(all
        .iter()
        .all(|a| (0..=1439).contains(&a.time_of_day_in_minutes)));
    assert!(all.iter().any(|a| a.status == AccessStatus::AccessOk));
    assert!(all
        .iter()
        .any(|a| a.status == AccessStatus::UnknownBadge && a.person.is_none()));
    assert!(all.iter().any(|a| !matches!(
        a.status,
        AccessStatus::AccessOk | AccessStatus::UnknownBadge
    )));
    // The other spelling (a newer reference page), behind the switch.
    sb.protime
        .configure(|c| c.unknown_badge_status = "UnknownBadgeNumber".into());
    let again = c
        .access_clockings(range, None, &ExternalReferences::none())
        .await
        .unwrap();
    assert!(again
        .iter()
        .any(|a| a.status == AccessStatus::UnknownBadgeNumber && a.status.is_unknown_badge()));
    assert_eq!(
        c.access_clocking(1, &ExternalReferences::none())
            .await
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    sb.stop().await;
}

#[tokio::test]
async fn calculated_totals_follow_the_clockings() {
    let (sb, c) = setup().await;
    let day = days_ago(200);
    let person = 76505;
    let range = DateRange::new(day, day).unwrap();
    let f = || Some(Filter::is_in("person", [person]));
    let before = c
        .calculated_totals(range, f(), &ExternalReferences::none())
        .await
        .unwrap();
    assert!(before.is_empty() || before[0].time_present_duration_in_minutes.unwrap_or(0) == 0);
    for t in [480, 1020] {
        c.create_clocking(
            &NewClocking::in_out(Ref::id(person), day, t),
            &ExternalReferences::none(),
        )
        .await
        .unwrap();
    }
    let after = c
        .calculated_totals(range, f(), &ExternalReferences::none())
        .await
        .unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].time_present_duration_in_minutes, Some(540));
    // The demo tenant pays breaks and counts presence up to 10 h a day: nine hours all count.
    assert_eq!(after[0].calculated_presence_duration_in_minutes, Some(540));
    // Demo totals match demo clockings: present time of every recent record equals the in/out pairs.
    let recent = DateRange::new(days_ago(10), today()).unwrap();
    let totals = c
        .calculated_totals(recent, f(), &ExternalReferences::none())
        .await
        .unwrap();
    let clockings = c
        .clockings(recent, f(), &ExternalReferences::none())
        .await
        .unwrap();
    for t in &totals {
        let mut times: Vec<i32> = clockings
            .iter()
            .filter(|x| {
                x.date == t.date
                    && x.kind == ClockingKind::InOut
                    && x.status == Some(ClockingStatus::Active)
            })
            .map(|x| x.time_of_day_in_minutes)
            .collect();
        times.sort();
        let present: i64 = times
            .chunks(2)
            .filter(|p| p.len() == 2)
            .map(|p| (p[1] - p[0]) as i64)
            .sum();
        assert_eq!(
            t.time_present_duration_in_minutes,
            Some(present),
            "{}",
            t.date
        );
    }
    sb.stop().await;
}
