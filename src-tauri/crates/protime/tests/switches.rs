//! The sandbox switches for unconfirmed behaviour, and that the client copes with each variant.

mod common;
use common::*;
use reqwest::Method;
use std::time::{Duration, Instant};
use timebridge_protime::models::*;
use timebridge_protime::{DefinitionRef, ErrorKind, ExternalReferences, LevelPath, Upserted};
use timebridge_sandbox::protime::ProtimeSimConfig;

#[tokio::test]
async fn unconfirmed_points_follow_their_switches() {
    let (sb, c) = setup().await;
    let post = |body: &'static str| {
        let sb = &sb;
        let c = &c;
        async move {
            raw(sb, c, Method::POST, &format!("{API}clockings"), Some(body))
                .await
                .0
        }
    };
    let ext_body = r#"{"person":{"externalReferences":{"@badge-number":"1955"}},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"InOut"}"#;
    // Body references without the query parameter: accepted by default, refused when switched.
    assert_eq!(post(ext_body).await, 201);
    sb.protime
        .configure(|c| c.require_ext_ref_query_on_writes = true);
    assert_eq!(post(ext_body).await, 400);
    let (status, _, _) = raw(
        &sb,
        &c,
        Method::POST,
        &format!("{API}clockings?externalReferences=(people,@badge-number)"),
        Some(ext_body),
    )
    .await;
    assert_eq!(status, 201);
    // The typed client always sends both, so it works under the strict switch.
    let n = NewClocking::in_out(Ref::external("@badge-number", "1955"), today(), 500);
    c.create_clocking(
        &n,
        &ExternalReferences::none().with("people", "@badge-number"),
    )
    .await
    .unwrap();
    // Extra kind fields: ignored by default, refused when switched.
    let extra = r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"InOut","reason":{"id":6578}}"#;
    assert_eq!(post(extra).await, 201);
    sb.protime.configure(|c| c.reject_extra_kind_fields = true);
    assert_eq!(post(extra).await, 400);
    // Kind fields not required when switched off.
    sb.protime.configure(|c| c.require_kind_fields = false);
    assert_eq!(post(r#"{"person":{"id":76501},"date":"2024-12-17","timeOfDayInMinutes":500,"kind":"Reason"}"#).await, 201);
    // Mandatory data entry code.
    let lp = LevelPath::new(SV, 1);
    let input = ActivityDefinitionInput {
        name: LocalizedText::new("No code"),
        ..Default::default()
    };
    c.create_activity_definition(&lp, &input).await.unwrap();
    sb.protime.configure(|c| c.data_entry_code_mandatory = true);
    assert_eq!(
        c.create_activity_definition(&lp, &input)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    // PUT without the parent of a child definition: allowed when switched off.
    let l2 = LevelPath::new(SV, 2);
    let child = c.activity_definitions(&l2).await.unwrap().remove(0);
    let update = ActivityDefinitionInput {
        name: LocalizedText::new("Renamed"),
        data_entry_code: child.data_entry_code.clone(),
        ..Default::default()
    };
    assert_eq!(
        c.put_activity_definition(&l2, &DefinitionRef::Id(child.id.clone()), &update)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::BadRequest
    );
    sb.protime.configure(|c| c.put_requires_parent = false);
    assert_eq!(
        c.put_activity_definition(&l2, &DefinitionRef::Id(child.id.clone()), &update)
            .await
            .unwrap(),
        Upserted::Updated
    );
    // Usage mismatch status.
    sb.protime.configure(|c| c.usage_mismatch_status = 404);
    let upd = UsageUpdate {
        activity_usage_kind: UsageKind::Circle,
        usage_reference: Ref::id(99),
        original_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        original_until: None,
        updated_from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        updated_until: None,
    };
    assert_eq!(
        c.update_usage(&l2, &DefinitionRef::Id(child.id), &upd)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
    // Person in a delta filter: configurable status.
    sb.protime.configure(|c| c.delta_person_status = 403);
    let f = timebridge_protime::encode_query_value(&format!(
        "date ge '{}' and person in (76501)",
        days_ago(2)
    ));
    assert_eq!(
        raw(
            &sb,
            &c,
            Method::GET,
            &format!("{API}clockings?delta&filter={f}"),
            None
        )
        .await
        .0,
        403
    );
    // One calendar year inclusive.
    let y = chrono::Datelike::year(&today());
    let f = timebridge_protime::encode_query_value(&format!(
        "date ge '{}-01-01' and date le '{}-01-01'",
        y - 1,
        y
    ));
    assert_eq!(
        raw(
            &sb,
            &c,
            Method::GET,
            &format!("{API}clockings?filter={f}"),
            None
        )
        .await
        .0,
        400
    );
    sb.protime.configure(|c| c.year_span_inclusive = true);
    assert_eq!(
        raw(
            &sb,
            &c,
            Method::GET,
            &format!("{API}clockings?filter={f}"),
            None
        )
        .await
        .0,
        200
    );
    // Missing User-Agent status.
    sb.protime.configure(|c| c.missing_user_agent_status = 403);
    let token = c.request_token().await.unwrap().access_token;
    let r = reqwest::Client::new()
        .get(format!("{}{API}people", sb.base_url()))
        .bearer_auth(token.expose())
        .header("User-Agent", "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    sb.stop().await;
}

#[tokio::test]
async fn latency_is_injected() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        page_size: 25,
        ..Default::default()
    })
    .await;
    sb.protime.set_latency(Duration::from_millis(100));
    let t0 = Instant::now();
    assert_eq!(c.people().await.unwrap().len(), 50);
    assert!(
        t0.elapsed() >= Duration::from_millis(200),
        "two pages, each delayed"
    );
    sb.stop().await;
}

#[tokio::test]
async fn http_readback_of_what_the_sandbox_holds() {
    let (sb, c) = setup().await;
    let n = NewClocking::in_out(Ref::id(76501), today(), 555);
    let timebridge_protime::Created::Created { id, .. } = c
        .create_clocking(&n, &ExternalReferences::none())
        .await
        .unwrap()
    else {
        panic!()
    };
    let all: Vec<serde_json::Value> =
        reqwest::get(format!("{}/sandbox/protime/clockings", sb.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert!(all
        .iter()
        .any(|x| x["id"] == id && x["timeOfDayInMinutes"] == 555));
    let reqs: Vec<serde_json::Value> =
        reqwest::get(format!("{}/sandbox/protime/requests", sb.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert!(reqs
        .iter()
        .any(|r| r["method"] == "POST" && r["body"].as_str().unwrap().contains("555")));
    sb.stop().await;
}

#[tokio::test]
async fn empty_pages_with_a_next_link_do_not_end_a_listing() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        page_size: 20,
        insert_empty_pages: true,
        ..Default::default()
    })
    .await;
    assert_eq!(c.people().await.unwrap().len(), 50);
    let range = timebridge_protime::DateRange::new(days_ago(3), today()).unwrap();
    let listed = c
        .clockings(range, None, &ExternalReferences::none())
        .await
        .unwrap();
    sb.protime.configure(|c| c.insert_empty_pages = false);
    assert_eq!(
        listed,
        c.clockings(range, None, &ExternalReferences::none())
            .await
            .unwrap()
    );
    sb.protime.configure(|c| c.insert_empty_pages = true);
    let start = c
        .start_clockings_delta(
            timebridge_protime::DeltaRange::new(days_ago(3), None, today()).unwrap(),
            &ExternalReferences::none(),
        )
        .await
        .unwrap();
    assert_eq!(start.items.len(), listed.len());
    let pages = sb
        .protime
        .received()
        .iter()
        .filter(|r| {
            r.path_and_query.contains("clockings?") && r.path_and_query.contains("deltaToken")
        })
        .count();
    assert!(
        pages >= 2 * listed.len() / 20,
        "empty pages were served ({pages})"
    );
    sb.stop().await;
}
