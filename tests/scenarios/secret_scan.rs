//! Locked down: drives every core function behind the app's commands (success and failure paths) with
//! every log line captured at TRACE level, and checks that no answer, error, log line or file on disk
//! contains a client secret, an API key or a bearer token.

use std::io::Write;
use std::sync::{Arc, Mutex};
use timebridge_clocking::{
    self as clocking, service, ClockingDraft, ClockingKind, Outbox, Reference,
};
use timebridge_core::profiles::{ProfileInput, ProfileStore, ProtimeTarget};
use timebridge_core::secrets::{MemoryStore, SecretKind, SecretStore};
use timebridge_core::workspace::Workspace;
use timebridge_core::{access, audit, connection, people, AppError};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything the scan looks at: answers as JSON, errors as shown, files.
#[derive(Default)]
struct Seen(String);

impl Seen {
    fn answer<T: serde::Serialize>(&mut self, what: &str, r: &Result<T, AppError>) {
        match r {
            Ok(v) => self.0.push_str(&serde_json::to_string(v).unwrap()),
            Err(e) => {
                self.0.push_str(&format!("{e}\n{e:?}\n"));
                self.0.push_str(&serde_json::to_string(e).unwrap());
            }
        }
        self.0.push_str(&format!("\n-- {what}\n"));
    }
    fn text(&mut self, t: &str) {
        self.0.push_str(t);
        self.0.push('\n');
    }
}

const FORBIDDEN: [&str; 5] = [
    timebridge_sandbox::DEMO_CLIENT_SECRET,
    timebridge_sandbox::DEMO_API_KEY,
    "sandbox-token-",
    "scan-secret-7f3a",
    "scan-key-91bd",
];

fn draft(person: i64) -> ClockingDraft {
    ClockingDraft {
        person: Reference::id(person),
        date: chrono::Local::now().date_naive().into(),
        time_of_day_in_minutes: 600,
        kind: ClockingKind::InOut,
        reason: None,
        is_open: None,
        activity_levels: vec![],
        terminal: None,
        latitude: None,
        longitude: None,
    }
}

fn input(name: &str, base: &str, secret: &str, key: &str) -> ProfileInput {
    ProfileInput {
        id: None,
        name: name.into(),
        color: "#7048e8".into(),
        protime: ProtimeTarget::Custom {
            api_base: format!("{base}/connector/protimeapi/api/v1/"),
            token_url: format!("{base}/tenants/sandbox/connect/token"),
        },
        client_id: timebridge_sandbox::DEMO_CLIENT_ID.into(),
        scopes: timebridge_protime::ProtimeConfig::default_scopes(),
        structure_versions: vec![],
        timeclock_endpoint: format!("{base}/api/v1/json-rpc"),
        treat_as_production: false,
        timeclock_default_zone: String::new(),
        client_secret: Some(secret.into()),
        api_key: Some(key.into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_error_log_or_file_contains_a_secret() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut seen = Seen::default();

    // The built-in sandbox: every read and write the app's commands make.
    let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
    let base = ws.sandbox_url().unwrap();
    let outbox = Outbox::open(&dir.path().join("timebridge.sqlite")).unwrap();
    seen.answer("profile", &Ok::<_, AppError>(ws.profile.clone()));
    seen.answer("status", &Ok::<_, AppError>(connection::check(&ws).await));
    let everyone = people::list(&ws).await;
    seen.answer("people", &everyone);
    let person = everyone.unwrap()[0].id;
    seen.answer("reasons", &service::reasons(&ws).await);
    seen.answer(
        "levels",
        &service::activity_levels(&ws, chrono::Local::now().date_naive().into(), None, &[]).await,
    );
    seen.answer(
        "preview",
        &Ok::<_, AppError>(clocking::preview(&draft(person))),
    );
    seen.answer(
        "submit",
        &service::submit(&ws.writer(false).unwrap(), &outbox, &draft(person), false).await,
    );
    seen.answer(
        "submit bad",
        &service::submit(&ws.writer(false).unwrap(), &outbox, &draft(-5), false).await,
    );
    seen.answer(
        "import",
        &service::import_csv(
            &ws.writer(false).unwrap(),
            &outbox,
            &format!("person;date;time;kind\n{person};2025-05-02;07:30;InOut\n"),
        )
        .await,
    );
    seen.answer("recent", &outbox.recent("sandbox", 50));
    seen.answer("counts", &outbox.counts("sandbox"));
    seen.answer("access", &access::lookup(&ws, 1234, true).await);
    seen.answer(
        "access missing",
        &access::lookup(&ws, 99_999_999, true).await,
    );
    let today = chrono::Local::now().date_naive();
    seen.answer(
        "access list",
        &access::list(
            &ws,
            (today - chrono::Duration::days(7)).into(),
            today.into(),
            None,
            true,
        )
        .await,
    );
    seen.answer("audit", &audit::search(&outbox, &Default::default()));
    seen.answer(
        "audit csv",
        &audit::export_csv(&outbox, &Default::default()),
    );

    // Profiles: saved, listed, duplicated, tested (passing and failing), opened, deleted.
    let mut store = ProfileStore::open(&dir.path().join("profiles.json")).unwrap();
    let good = store.save_profile(
        &secrets,
        input(
            "Good",
            &base,
            timebridge_sandbox::DEMO_CLIENT_SECRET,
            timebridge_sandbox::DEMO_API_KEY,
        ),
    );
    seen.answer("save good", &good);
    let good = good.unwrap();
    let bad = store.save_profile(
        &secrets,
        input("Bad", &base, "scan-secret-7f3a", "scan-key-91bd"),
    );
    seen.answer("save bad", &bad);
    let bad = bad.unwrap();
    let mut refused = input(
        "Refused",
        "http://example.com",
        "scan-secret-7f3a",
        "scan-key-91bd",
    );
    refused.name = String::new();
    seen.text(&format!("{refused:?}"));
    seen.answer("save refused", &store.save_profile(&secrets, refused));
    seen.answer("list", &store.list(&secrets));
    seen.answer("duplicate", &store.duplicate(&secrets, &bad.id));
    for p in [&good, &bad] {
        seen.answer(
            "test",
            &Ok::<_, AppError>(connection::test_profile(p, &secrets, Some(&ws)).await),
        );
        match Workspace::open(p, &secrets).await {
            Ok(w) => {
                seen.answer("status", &Ok::<_, AppError>(connection::check(&w).await));
                seen.answer("people", &people::list(&w).await);
                seen.answer(
                    "submit",
                    &service::submit(&w.writer(true).unwrap(), &outbox, &draft(person), false)
                        .await,
                );
                seen.answer("access", &access::lookup(&w, 1234, false).await);
            }
            Err(e) => seen.answer("open", &Err::<(), _>(e)),
        }
    }
    seen.answer(
        "test builtin",
        &Ok::<_, AppError>(
            connection::test_profile(&store.get("sandbox").unwrap(), &secrets, Some(&ws)).await,
        ),
    );
    seen.answer("audit after", &audit::search(&outbox, &Default::default()));
    let csv_path = audit::save_csv(&outbox, &Default::default(), dir.path());
    seen.answer(
        "save csv",
        &csv_path
            .as_ref()
            .map(|p| p.display().to_string())
            .map_err(Clone::clone),
    );
    seen.text(&std::fs::read_to_string(csv_path.unwrap()).unwrap());
    seen.answer("delete", &store.delete(&secrets, &bad.id));
    seen.text(&std::fs::read_to_string(dir.path().join("profiles.json")).unwrap());
    // The secrets were stored (so they existed to leak), and the Debug of a stored one is redacted.
    let kept = secrets
        .get(&good.id, SecretKind::TimeClockApiKey)
        .unwrap()
        .unwrap();
    assert_eq!(kept.expose(), timebridge_sandbox::DEMO_API_KEY);
    seen.text(&format!("{kept:?} {kept}"));
    // The raw outbox database (audit table included).
    let db = std::fs::read(dir.path().join("timebridge.sqlite")).unwrap();
    seen.text(&String::from_utf8_lossy(&db));
    ws.close().await;

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.len() > 1000,
        "the HTTP stack logged at trace level: {} bytes",
        logs.len()
    );
    assert!(seen
        .0
        .contains("Protime refused the client id or client secret"));
    assert!(seen.0.contains("TimeClock 365 refused the API key"));
    for needle in FORBIDDEN {
        assert!(
            !seen.0.contains(needle),
            "an answer or file contains {needle}"
        );
        assert!(!logs.contains(needle), "a log line contains {needle}");
    }
}
