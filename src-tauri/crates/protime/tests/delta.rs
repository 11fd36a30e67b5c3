//! The delta protocol against the sandbox: initial paged load, increments, expiry, rules.

mod common;
use common::*;
use reqwest::Method;
use timebridge_protime::models::*;
use timebridge_protime::{DeltaRange, ErrorKind, ExternalReferences, LatestById};
use timebridge_sandbox::protime::ProtimeSimConfig;

#[tokio::test]
async fn calculated_totals_delta_initial_load_increments_and_expiry() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        page_size: 50,
        ..Default::default()
    })
    .await;
    let range = DeltaRange::new(days_ago(20), None, today()).unwrap();
    let start = c
        .start_dated_delta::<CalculatedTotals>(
            "calculated-totals",
            range,
            &ExternalReferences::none(),
        )
        .await
        .unwrap();
    assert_eq!(start.items.len(), 50 * 21, "one record per person and day");
    assert!(start
        .delta_link
        .starts_with("/connector/protimeapi/api/v1/delta/calculated-totals?deltaToken="));
    let mut cache = LatestById::new();
    for t in &start.items {
        cache.apply(t.id, t.change_version.as_deref().unwrap(), t.clone());
        let cv = t.change_version.as_deref().unwrap();
        assert_eq!(cv.len(), 20);
        assert!(cv
            .chars()
            .all(|ch| ch.is_ascii_hexdigit() && !ch.is_ascii_lowercase()));
    }
    // No change: an empty page with a fresh link.
    let empty = c
        .delta_changes::<CalculatedTotals>(&start.delta_link)
        .await
        .unwrap();
    assert!(empty.changes.is_empty());
    // A new in/out pair changes one record.
    let day = days_ago(3);
    for t in [420, 1000] {
        c.create_clocking(
            &NewClocking::in_out(Ref::id(76510), day, t),
            &ExternalReferences::none(),
        )
        .await
        .unwrap();
    }
    let inc = c
        .delta_changes::<CalculatedTotals>(&empty.delta_link)
        .await
        .unwrap();
    assert!(!inc.changes.is_empty());
    assert!(inc
        .changes
        .iter()
        .any(|ch| matches!(ch, Change::Upsert(t) if t.date == day)));
    let mut newest = String::new();
    for ch in &inc.changes {
        let Change::Upsert(t) = ch else {
            panic!("totals are never deleted here")
        };
        // The day itself, and later days whose flextime balance moved.
        assert_eq!(t.person.id, Some(76510));
        assert!(t.date >= day);
        let cv = t.change_version.clone().unwrap();
        assert!(cv > newest, "change versions increase");
        newest = cv.clone();
        assert!(
            cache.apply(t.id, &cv, t.clone()),
            "newer version replaces the held one"
        );
        // An older version of the same id is ignored.
        let old = start.items.iter().find(|x| x.id == t.id).unwrap();
        assert!(!cache.apply(t.id, old.change_version.as_deref().unwrap(), old.clone()));
    }
    // 72 hours without use: 410, surfaced as DeltaExpired.
    sb.protime.advance_clock(chrono::Duration::hours(71));
    let kept = c
        .delta_changes::<CalculatedTotals>(&inc.delta_link)
        .await
        .unwrap();
    sb.protime.advance_clock(chrono::Duration::hours(73));
    let gone = c
        .delta_changes::<CalculatedTotals>(&kept.delta_link)
        .await
        .unwrap_err();
    assert_eq!(gone.kind, ErrorKind::DeltaExpired);
    assert_eq!(gone.status, Some(410));
    sb.stop().await;
}

#[tokio::test]
async fn clockings_delta_soft_deletes_and_one_delta_per_collection() {
    let (sb, c) = setup().await;
    let range = DeltaRange::new(days_ago(5), Some(today()), today()).unwrap();
    let first = c
        .start_dated_delta::<Clocking>(
            "clockings",
            range,
            &ExternalReferences::none().with("people", "@badge-number"),
        )
        .await
        .unwrap();
    assert!(first
        .items
        .iter()
        .all(|x| x.person.external_reference("@badge-number").is_some()));
    let victim = first
        .items
        .iter()
        .find(|x| x.status == Some(ClockingStatus::Active))
        .unwrap()
        .id;
    assert!(sb.protime.soft_delete_clocking(victim));
    let inc = c
        .delta_changes::<Clocking>(&first.delta_link)
        .await
        .unwrap();
    let got = inc
        .changes
        .iter()
        .find_map(|ch| match ch {
            Change::Upsert(x) if x.id == victim => Some(x.clone()),
            _ => None,
        })
        .expect("the soft delete comes as InsertOrUpdate");
    assert_eq!(got.status, Some(ClockingStatus::Deleted));
    assert!(
        got.person.external_reference("@badge-number").is_some(),
        "refs kept in increments"
    );
    // A second start replaces the first delta: its link is gone.
    let second = c
        .start_dated_delta::<Clocking>("clockings", range, &ExternalReferences::none())
        .await
        .unwrap();
    assert_eq!(
        c.delta_changes::<Clocking>(&inc.delta_link)
            .await
            .unwrap_err()
            .kind,
        ErrorKind::DeltaExpired
    );
    c.delta_changes::<Clocking>(&second.delta_link)
        .await
        .unwrap();
    sb.stop().await;
}

#[tokio::test]
async fn access_clockings_delta_delivers_hard_deletes() {
    let (sb, c) = setup().await;
    let range = DeltaRange::new(days_ago(2), None, today()).unwrap();
    let start = c
        .start_dated_delta::<AccessClocking>("access-clockings", range, &ExternalReferences::none())
        .await
        .unwrap();
    let id = start.items[0].id;
    assert!(sb.protime.hard_delete_access_clocking(id));
    let inc = c
        .delta_changes::<AccessClocking>(&start.delta_link)
        .await
        .unwrap();
    assert!(inc.changes.iter().any(|ch| matches!(ch, Change::Delete { id: v, change_version: Some(_) } if v.as_i64() == Some(id))));
    sb.stop().await;
}

#[tokio::test]
async fn undated_deltas_people_and_absence_definitions() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        page_size: 7,
        ..Default::default()
    })
    .await;
    let people = c
        .start_delta::<Person>("people", &ExternalReferences::none())
        .await
        .unwrap();
    assert_eq!(people.items.len(), 50);
    let defs = c
        .start_delta::<AbsenceDefinition>("absence-definitions", &ExternalReferences::none())
        .await
        .unwrap();
    assert!(defs.items.len() >= 10);
    assert!(c
        .delta_changes::<Person>(&people.delta_link)
        .await
        .unwrap()
        .changes
        .is_empty());
    sb.stop().await;
}

#[tokio::test]
async fn delta_date_rules_client_and_server() {
    let (sb, c) = setup().await;
    let t = today();
    let too_early =
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&t) - 2, 12, 31).unwrap();
    let e = DeltaRange::new(too_early, None, t).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadRequest);
    assert!(e.message.contains("1 January"), "{}", e.message);
    assert!(DeltaRange::new(
        days_ago(10),
        Some(days_ago(10) + chrono::Duration::days(400)),
        t
    )
    .is_err());
    // The sandbox enforces the same rules on raw requests.
    let enc = timebridge_protime::encode_query_value;
    for filter in [
        format!("date ge '{too_early}'"),
        format!("date ge '{}'", t + chrono::Duration::days(2)),
        format!("date ge '{}' and person in (76501)", days_ago(3)),
        format!(
            "date ge '{}' and date le '{}'",
            days_ago(300),
            t + chrono::Duration::days(200)
        ),
        "kind eq 'InOut'".to_string(),
    ] {
        let (status, body, _) = raw(
            &sb,
            &c,
            Method::GET,
            &format!("{API}clockings?filter={}&delta", enc(&filter)),
            None,
        )
        .await;
        assert_eq!(status, 400, "{filter}");
        assert_eq!(body["error"]["code"], "BadRequest");
        assert!(!body["error"]["reasons"].as_array().unwrap().is_empty());
    }
    // The documented examples start fine (the dates moved into the allowed window).
    let start = format!("{}-01-01", chrono::Datelike::year(&t));
    for q in [
        format!(
            "calculated-totals?delta&filter={}",
            enc(&format!("date ge '{start}'"))
        ),
        format!(
            "calculated-totals?delta&filter={}",
            enc(&format!(
                "date ge '{start}' and date le '{}-12-31'",
                chrono::Datelike::year(&t)
            ))
        ),
    ] {
        let (status, body, _) = raw(&sb, &c, Method::GET, &format!("{API}{q}"), None).await;
        assert_eq!(status, 200, "{q}: {body}");
    }
    // Bad delta token.
    let e = c.delta_changes::<Clocking>("/connector/protimeapi/api/v1/delta/clockings?deltaToken=eyJEZWx0YUlkIjozMDA4MCwiU3RhcnRpbmdDdXJzb3IiOjQ1NTIyLCJUaW1lU3RhbXAiOiIyMDI1LTAxLTEwVDEzOjMxOjE0LjE2Njk3NjhaIn0=").await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::DeltaExpired);
    sb.stop().await;
}

#[tokio::test]
async fn documented_delta_urls_literally() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        enforce_delta_start_window: false,
        page_size: 1000,
        ..Default::default()
    })
    .await;
    // Exactly as printed in the calculated-totals delta page (raw spaces and quotes).
    for q in [
        "calculated-totals?delta&filter=date ge '2024-01-01'",
        "calculated-totals?delta&filter=date ge '2024-01-01' and date le '2024-12-31'",
    ] {
        let link = format!("{API}{q}");
        let url = c.link_url(&link).unwrap();
        let page: serde_json::Value = c.get_json(&url).await.unwrap();
        assert!(
            page.get("deltaLink").is_some() || page.get("nextLink").is_some(),
            "{q}"
        );
    }
    sb.stop().await;
}
