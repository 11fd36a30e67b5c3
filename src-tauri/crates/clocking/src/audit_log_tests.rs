//! The audit log as the clocking service writes it: every send attempt is a row.

use crate::{service, ClockingDraft, Outbox};
use timebridge_core::audit::{export_csv, save_csv, search, AuditFilter};
use timebridge_core::workspace::Workspace;

fn draft(person: i64, minutes: i32) -> ClockingDraft {
    ClockingDraft {
        person: crate::Reference::id(person),
        date: chrono::Local::now().date_naive().into(),
        time_of_day_in_minutes: minutes,
        kind: crate::ClockingKind::InOut,
        reason: None,
        is_open: None,
        activity_levels: vec![],
        terminal: None,
        latitude: None,
        longitude: None,
    }
}

#[tokio::test]
async fn writes_appear_in_the_audit_log_filtered_and_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("t.sqlite")).unwrap();
    let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
    let people = timebridge_core::people::list(&ws).await.unwrap();
    let a = service::submit(
        &ws.writer(false).unwrap(),
        &outbox,
        &draft(people[0].id, 480),
        false,
    )
    .await
    .unwrap();
    service::submit(
        &ws.writer(false).unwrap(),
        &outbox,
        &draft(people[1].id, 555),
        false,
    )
    .await
    .unwrap();

    let all = search(&outbox, &AuditFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all
        .iter()
        .all(|e| e.outcome == "Created" && e.remote_id.is_some()));
    // The tenant comes from the client's token URL (`/tenants/sandbox/connect/token`).
    assert!(all
        .iter()
        .all(|e| e.tenant == timebridge_sandbox::DEMO_TENANT));
    assert!(all[0].id > all[1].id, "newest first");
    let created = a.remote_id.unwrap().to_string();
    let by_text = search(
        &outbox,
        &AuditFilter {
            text: Some(created.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(by_text
        .iter()
        .any(|e| e.remote_id.as_deref() == Some(created.as_str())));
    let today = timebridge_core::dates::Day::from(chrono::Utc::now().date_naive());
    let none = AuditFilter {
        profile_id: Some("other".into()),
        ..Default::default()
    };
    assert!(search(&outbox, &none).unwrap().is_empty());
    let dated = AuditFilter {
        profile_id: Some("sandbox".into()),
        from: Some(today),
        until: Some(today),
        outcome: Some("Created".into()),
        text: Some(" ".into()),
    };
    assert_eq!(search(&outbox, &dated).unwrap().len(), 2);
    // A date that is not a day never reaches the search: decoding the filter refuses it.
    let bad = serde_json::from_value::<AuditFilter>(serde_json::json!({"from": "01/02/2025"}));
    assert!(bad.unwrap_err().to_string().contains("YYYY-MM-DD"));

    let csv = export_csv(&outbox, &AuditFilter::default()).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("id,at (UTC),profile,tenant,action,request"));
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains("POST /clockings"));
    assert!(!csv.contains(timebridge_sandbox::DEMO_CLIENT_SECRET));

    let saved = save_csv(
        &outbox,
        &AuditFilter::default(),
        &dir.path().join("Downloads"),
    )
    .unwrap();
    let file = std::fs::read_to_string(&saved).unwrap();
    assert_eq!(
        file.strip_prefix('\u{feff}'),
        Some(csv.as_str()),
        "BOM, then the CSV"
    );
    assert!(csv.contains("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    let again = save_csv(
        &outbox,
        &AuditFilter::default(),
        &dir.path().join("Downloads"),
    )
    .unwrap();
    assert_ne!(saved, again);
    ws.close().await;
}
