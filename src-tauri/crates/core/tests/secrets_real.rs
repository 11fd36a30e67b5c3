//! The OS keychain itself, not the mock: on Linux a real Secret Service (GNOME Keyring started
//! headless in a D-Bus session). Ignored by a plain `cargo test`, which must stay hermetic;
//! `tests/quickstart.sh test` runs them in its "real keychain" stage:
//!
//! ```sh
//! dbus-run-session -- bash -c 'printf pass | gnome-keyring-daemon --unlock --components=secrets --daemonize;
//!   cargo test -p timebridge-core --test secrets_real -- --ignored'
//! ```
//!
//! There they fail loudly when no Secret Service answers: a stage that silently tested nothing
//! would be worse than none. Every run files its entries under a service name of its own, so it
//! never touches a real installation's secrets, and removes them again.

use std::path::Path;
use std::process::Command;
use timebridge_core::profiles::{ProfileInput, ProfileStore, ProtimeTarget};
use timebridge_core::secrets::{KeychainStore, SecretKind, SecretStore};
use timebridge_secret::Secret;

/// Set in the child process: `settings path|service|profile id|expected client secret` (or
/// `gone` as the expected secret).
const CHILD_ENV: &str = "TIMEBRIDGE_REAL_KEYCHAIN_CHILD";

fn service() -> String {
    format!("eu.timebridge.test.{}", std::process::id())
}

/// The keychain, or a panic that says what is missing.
fn keychain(service: &str) -> KeychainStore {
    let store = KeychainStore::new(service);
    if let Err(e) = store.get("probe", SecretKind::TimeClockApiKey) {
        panic!(
            "no Secret Service answers ({}). These tests need one: run them through tests/quickstart.sh, or start `dbus-run-session` with `gnome-keyring-daemon --unlock --components=secrets` inside",
            e.message
        );
    }
    store
}

/// What `secret-tool` (libsecret, not our code) finds for the entry, when it is installed.
fn secret_tool_lookup(service: &str, account: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", account])
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}

#[test]
#[ignore = "needs a real Secret Service: run by tests/quickstart.sh (real keychain stage)"]
fn secrets_real_store_read_and_remove_each_kind() {
    let service = service();
    let store = keychain(&service);
    for (kind, value) in [
        (SecretKind::ProtimeClientSecret, "s3cr3t-ü-€-🔑"),
        (
            SecretKind::TimeClockApiKey,
            "api-key-with spaces and \"quotes\"",
        ),
    ] {
        store.set("acme", kind, &Secret::new(value)).unwrap();
        assert_eq!(store.get("acme", kind).unwrap().unwrap().expose(), value);
        store
            .set("acme", kind, &Secret::new(format!("{value}-2")))
            .unwrap();
        assert_eq!(
            store.get("acme", kind).unwrap().unwrap().expose(),
            format!("{value}-2"),
            "a second save replaces the first"
        );
        assert!(store.get("other", kind).unwrap().is_none(), "per profile");
        store.delete("acme", kind).unwrap();
        assert!(store.get("acme", kind).unwrap().is_none());
        store.delete("acme", kind).unwrap();
    }
    println!("real keychain ({service}): both kinds stored, replaced, read and removed");
}

/// The path the app takes: a profile with its secrets saved through [`ProfileStore`] into the
/// keychain, read back by a new process (as the command line or the next app start does), then
/// deleted, and checked gone from a new process again.
#[test]
#[ignore = "needs a real Secret Service: run by tests/quickstart.sh (real keychain stage)"]
fn secrets_real_profile_round_trip_across_processes() {
    let service = service();
    let secrets = keychain(&service);
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    let mut store = ProfileStore::open(&settings).unwrap();
    let client_secret = format!("client-secret-{}", std::process::id());
    let saved = store
        .save_profile(
            &secrets,
            ProfileInput {
                id: None,
                name: "Acme real keychain".into(),
                color: "#1c7ed6".into(),
                protime: ProtimeTarget::SandboxEnvironment {
                    tenant: "acme".into(),
                },
                client_id: "acme-client".into(),
                scopes: vec!["connector-protimeapi-people.read".into()],
                structure_versions: vec![],
                timeclock_endpoint: "https://live.timeclock365.com/api/v1/json-rpc".into(),
                treat_as_production: false,
                timeclock_default_zone: String::new(),
                client_secret: Some(client_secret.clone()),
                api_key: Some("api-key-real".into()),
            },
        )
        .unwrap();
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(
        !text.contains(&client_secret),
        "the secret stays out of the file"
    );
    if let Some(found) =
        secret_tool_lookup(&service, &format!("{}/protime-client-secret", saved.id))
    {
        assert_eq!(found.trim_end(), client_secret, "libsecret sees the entry");
        println!("secret-tool finds the entry in the Secret Service");
    }

    child(&settings, &service, &saved.id, &client_secret);
    store.delete(&secrets, &saved.id).unwrap();
    child(&settings, &service, &saved.id, "gone");
    println!("real keychain ({service}): profile saved, read back by a new process, deleted, gone");
}

/// Runs [`secrets_real_child`] in a new process of this test binary.
fn child(settings: &Path, service: &str, id: &str, expect: &str) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "secrets_real_child",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(
            CHILD_ENV,
            format!("{}|{service}|{id}|{expect}", settings.display()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("child checked"),
        "the new process failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The second process: reads the profile and its secrets the way the app does. Does nothing
/// unless started by [`child`].
#[test]
#[ignore = "started by secrets_real_profile_round_trip_across_processes"]
fn secrets_real_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let [settings, service, id, expect] = parts[..] else {
        panic!("bad {CHILD_ENV}: {spec}");
    };
    let secrets = keychain(service);
    let store = ProfileStore::open(Path::new(settings)).unwrap();
    let listed = store.list(&secrets).unwrap();
    let mine = listed.iter().find(|p| p.settings.id == id);
    let secret = secrets.get(id, SecretKind::ProtimeClientSecret).unwrap();
    let key = secrets.get(id, SecretKind::TimeClockApiKey).unwrap();
    if expect == "gone" {
        assert!(mine.is_none(), "the profile is still listed");
        assert!(
            secret.is_none() && key.is_none(),
            "a secret is still in the keychain"
        );
    } else {
        let mine = mine.expect("the profile is listed");
        assert!(mine.has_client_secret && mine.has_api_key);
        assert_eq!(secret.unwrap().expose(), expect);
        assert_eq!(key.unwrap().expose(), "api-key-real");
    }
    println!("child checked");
}
