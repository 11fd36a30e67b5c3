use super::*;
use crate::secrets::MemoryStore;

pub(crate) fn input(name: &str) -> ProfileInput {
    ProfileInput {
        id: None,
        name: name.into(),
        color: "#1C7ED6".into(),
        protime: ProtimeTarget::SandboxEnvironment {
            tenant: "acme".into(),
        },
        client_id: "acme-client".into(),
        scopes: vec![
            "connector-protimeapi-people.read".into(),
            "connector-protimeapi-access-clockings.read".into(),
        ],
        structure_versions: vec![StructureVersionConfig {
            id: "b2347a7a-d60d-446f-b03b-7e52cc8c3281".into(),
            name: "2025".into(),
            level_names: vec!["Company".into(), "Project".into(), "Task".into()],
            valid_from: None,
        }],
        timeclock_endpoint: crate::DEFAULT_TIMECLOCK_ENDPOINT.into(),
        treat_as_production: false,
        timeclock_default_zone: String::new(),
        client_secret: Some("acme-secret-123".into()),
        api_key: Some("acme-key-456".into()),
    }
}

#[test]
fn reference_names_are_checked_and_remembered_per_profile() {
    assert_eq!(
        check_reference_name(" CustomActivityReference ").unwrap(),
        "CustomActivityReference"
    );
    assert!(check_reference_name("@data-entry-code").is_ok());
    for bad in ["", "  ", "@", "a,b", "a b", "x)"] {
        assert!(check_reference_name(bad).is_err(), "{bad:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = ProfileStore::open(&dir.path().join(SETTINGS_FILE)).unwrap();
    assert!(store.reference_names(SANDBOX_PROFILE_ID).is_empty());
    store
        .remember_reference_name(SANDBOX_PROFILE_ID, "CustomActivityReference")
        .unwrap();
    store
        .remember_reference_name(SANDBOX_PROFILE_ID, "@external-reference")
        .unwrap();
    let names = store
        .remember_reference_name(SANDBOX_PROFILE_ID, " CustomActivityReference")
        .unwrap();
    assert_eq!(
        names,
        ["CustomActivityReference"],
        "stored once, predefined names not stored"
    );
    assert!(store.remember_reference_name("nobody", "X").is_err());
    // Kept across a restart.
    let again = ProfileStore::open(&dir.path().join(SETTINGS_FILE)).unwrap();
    assert_eq!(
        again.reference_names(SANDBOX_PROFILE_ID),
        ["CustomActivityReference"]
    );
}

#[test]
fn profiles_round_trip_through_the_file_and_the_mock_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profiles.json");
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&path).unwrap();
    let saved = store.save_profile(&secrets, input("Acme test")).unwrap();
    assert_eq!(saved.id, "acme-test");
    assert_eq!(saved.color, "#1c7ed6");
    store.set_active(&saved.id).unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("acme-client"));
    assert!(!text.contains("acme-secret-123") && !text.contains("acme-key-456"));

    let reopened = ProfileStore::open(&path).unwrap();
    assert_eq!(reopened.active_id(), "acme-test");
    assert_eq!(reopened.get("acme-test").unwrap(), saved);
    let views = reopened.list(&secrets).unwrap();
    assert_eq!(views.len(), 2);
    assert!(views[0].is_builtin && !views[0].is_active);
    assert!(views[1].is_active && views[1].has_client_secret && views[1].has_api_key);
    assert_eq!(
        secrets
            .get("acme-test", SecretKind::TimeClockApiKey)
            .unwrap()
            .unwrap()
            .expose(),
        "acme-key-456"
    );
    let json = serde_json::to_string(&views).unwrap();
    assert!(!json.contains("acme-secret-123") && !json.contains("acme-key-456"));
}

#[test]
fn the_settings_file_keeps_other_keys_and_migrates_the_old_profiles_file() {
    let dir = tempfile::tempdir().unwrap();
    let settings_path = dir.path().join(SETTINGS_FILE);
    // Another key in the same store (the app's window state, say) survives profile writes.
    std::fs::write(&settings_path, r#"{"theme": "dark"}"#).unwrap();
    // A profiles file as Timebridge 0.1 wrote it.
    let scratch = dir.path().join("scratch.json");
    let mut made = ProfileStore::open(&scratch).unwrap();
    let saved = made
        .save_profile(&MemoryStore::new(), input("Acme test"))
        .unwrap();
    made.set_active(&saved.id).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&scratch).unwrap()).unwrap();
    let legacy = dir.path().join(LEGACY_PROFILES_FILE);
    std::fs::write(&legacy, written[PROFILES_KEY].to_string()).unwrap();

    let mut settings = JsonSettingsFile::new(&settings_path);
    assert!(ProfileStore::migrate_legacy(&mut settings, dir.path()).unwrap());
    assert!(!legacy.exists() && legacy.with_extension("json.migrated").exists());
    // Only once: the settings now hold profiles.
    assert!(!ProfileStore::migrate_legacy(&mut settings, dir.path()).unwrap());

    let mut store = ProfileStore::open_in(Box::new(settings)).unwrap();
    assert_eq!(store.active_id(), "acme-test");
    store.set_active(SANDBOX_PROFILE_ID).unwrap();
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings_path).unwrap()).unwrap();
    assert_eq!(all["theme"], "dark");
    assert_eq!(all[PROFILES_KEY]["active"], "sandbox");
    assert_eq!(all[PROFILES_KEY]["profiles"][0]["id"], "acme-test");
}

#[test]
fn a_damaged_settings_file_is_moved_aside_with_a_message_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SETTINGS_FILE);
    std::fs::write(&path, "{ not json").unwrap();
    let err = ProfileStore::open(&path).err().unwrap();
    assert_eq!(err.code, ErrorCode::Storage);
    assert!(err.message.contains("damaged"), "{}", err.message);
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let aside = &kept[0];
    let aside_name = aside.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        aside_name.starts_with("settings.json.corrupt-"),
        "{aside_name}"
    );
    assert!(err.message.contains(&aside_name), "{}", err.message);
    assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json");
    // The next start begins with no saved profiles and saves a fresh file beside the old one.
    let mut store = ProfileStore::open(&path).unwrap();
    store
        .save_profile(&MemoryStore::new(), input("Acme"))
        .unwrap();
    assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json");
    assert!(ProfileStore::open(&path).is_ok());
    std::fs::write(&path, r#"{"profiles": {"active": 3}}"#).unwrap();
    let err = ProfileStore::open(&path).err().unwrap();
    assert!(err.message.contains("profiles in"), "{}", err.message);
}

#[test]
fn control_characters_in_typed_text_are_refused_with_the_field_named() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
    let mut bad = input("Acme\r\nX-Injected: 1");
    let e = store.save_profile(&secrets, bad.clone()).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.message.contains("profile name"), "{}", e.message);
    assert!(e.message.contains("U+000D"), "{}", e.message);
    bad.name = "Acme".into();
    bad.client_id = "id\u{0}".into();
    let e = store.save_profile(&secrets, bad.clone()).unwrap_err();
    assert!(e.message.contains("client id"), "{}", e.message);
    bad.client_id = "id".into();
    bad.api_key = Some("key\nX-Other: 2".into());
    let e = store.save_profile(&secrets, bad.clone()).unwrap_err();
    assert!(e.message.contains("API key"), "{}", e.message);
    assert!(secrets.is_empty(), "nothing was stored");
    bad.api_key = Some("key".into());
    assert!(store.save_profile(&secrets, bad).is_ok());
}

#[test]
fn edit_keeps_secrets_unless_new_ones_are_given() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
    let saved = store.save_profile(&secrets, input("Acme")).unwrap();
    let mut edit = input("Acme renamed");
    edit.id = Some(saved.id.clone());
    edit.client_secret = None;
    edit.api_key = Some("new-key".into());
    let edited = store.save_profile(&secrets, edit).unwrap();
    assert_eq!(edited.id, saved.id);
    assert_eq!(edited.name, "Acme renamed");
    let get = |k| {
        secrets
            .get(&saved.id, k)
            .unwrap()
            .unwrap()
            .expose()
            .to_string()
    };
    assert_eq!(get(SecretKind::ProtimeClientSecret), "acme-secret-123");
    assert_eq!(get(SecretKind::TimeClockApiKey), "new-key");
}

#[test]
fn duplicate_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
    let a = store.save_profile(&secrets, input("Acme")).unwrap();
    let copy = store.duplicate(&secrets, &a.id).unwrap();
    assert_eq!(copy.name, "Acme (copy)");
    assert_ne!(copy.id, a.id);
    assert!(secrets
        .get(&copy.id, SecretKind::ProtimeClientSecret)
        .unwrap()
        .is_some());
    store.set_active(&copy.id).unwrap();
    store.delete(&secrets, &copy.id).unwrap();
    assert_eq!(store.active_id(), SANDBOX_PROFILE_ID);
    assert!(secrets
        .get(&copy.id, SecretKind::ProtimeClientSecret)
        .unwrap()
        .is_none());
    assert_eq!(store.get(&copy.id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(secrets.len(), 2);
}

#[test]
fn the_builtin_sandbox_cannot_be_deleted_changed_or_copied() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
    assert_eq!(
        store.delete(&secrets, SANDBOX_PROFILE_ID).unwrap_err().code,
        ErrorCode::Validation
    );
    let mut edit = input("Sandbox");
    edit.id = Some(SANDBOX_PROFILE_ID.into());
    assert!(store.save_profile(&secrets, edit).is_err());
    assert!(store.duplicate(&secrets, SANDBOX_PROFILE_ID).is_err());
    assert_eq!(store.list(&secrets).unwrap().len(), 1);
    // A new profile named like the sandbox gets another id.
    let p = store.save_profile(&secrets, input("Sandbox")).unwrap();
    assert_ne!(p.id, SANDBOX_PROFILE_ID);
}

#[test]
fn invalid_input_is_refused_with_every_reason() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
    let mut bad = input("");
    bad.color = "green".into();
    bad.protime = ProtimeTarget::Production {
        tenant: "Acme.eu".into(),
    };
    bad.timeclock_endpoint = "http://timeclock.example.com/api".into();
    bad.scopes = vec!["people.read".into()];
    bad.timeclock_default_zone = "Brussels".into();
    let e = store.save_profile(&secrets, bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    let all = e.reasons.join("\n");
    assert!(all.contains("name"), "{all}");
    assert!(all.contains("#rrggbb"), "{all}");
    assert!(all.contains("tenant name"), "{all}");
    assert!(all.contains("must use https"), "{all}");
    assert!(all.contains("not a Protime API scope"), "{all}");
    assert!(all.contains("'Brussels' is not a time zone name"), "{all}");
    assert!(
        secrets.is_empty(),
        "nothing is stored for a refused profile"
    );
    // Plain http on a public host is refused for custom Protime URLs too; loopback is fine.
    let mut custom = input("Local");
    custom.protime = ProtimeTarget::Custom {
        api_base: "http://127.0.0.1:9/connector/protimeapi/api/v1/".into(),
        token_url: "http://127.0.0.1:9/tenants/sandbox/connect/token".into(),
    };
    custom.timeclock_endpoint = "http://127.0.0.1:9/api/v1/json-rpc".into();
    custom.timeclock_default_zone = " Asia/Jerusalem ".into();
    let saved = store.save_profile(&secrets, custom.clone()).unwrap();
    assert_eq!(
        store.get(&saved.id).unwrap().timeclock_default_zone,
        "Asia/Jerusalem"
    );
    custom.protime = ProtimeTarget::Custom {
        api_base: "http://protime.example.com/connector/protimeapi/api/v1/".into(),
        token_url: "https://protime.example.com/t".into(),
    };
    assert!(store.save_profile(&secrets, custom).is_err());
}

#[test]
fn production_writes_need_confirmation() {
    let mut p = input("Live");
    p.protime = ProtimeTarget::Production {
        tenant: "acme".into(),
    };
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
    let live = store.save_profile(&secrets, p).unwrap().summary();
    assert!(live.is_production);
    assert_eq!(
        ensure_write_allowed(&live, false).unwrap_err().code,
        ErrorCode::ConfirmationRequired
    );
    ensure_write_allowed(&live, true).unwrap();
    ensure_write_allowed(&ProfileSummary::builtin_sandbox(), false).unwrap();
}
