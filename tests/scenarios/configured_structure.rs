//! A profile that names its activity structure version (as a real tenant must, since Protime has no
//! endpoint listing them): the Activities screen and the clocking form use the profile's id and level
//! names, not the sandbox's convenience list, and the clocking form reads the version in force on the
//! clocking's date.

use std::collections::BTreeMap;
use timebridge_activities::service;
use timebridge_clocking::cascade::options_for_levels;
use timebridge_core::profiles::{
    ProfileInput, ProfileStore, ProtimeTarget, StructureVersionConfig,
};
use timebridge_core::secrets::MemoryStore;
use timebridge_core::workspace::Workspace;

const NEXT_VERSION: &str = "7d3c1f9e-2a45-4b8e-9c61-0f2e8a5b4d10";

#[tokio::test]
async fn the_profile_names_the_structure_and_its_levels() {
    let sandbox = timebridge_sandbox::start(0, Default::default())
        .await
        .unwrap();
    let base = sandbox.base_url();
    // The id comes from the sandbox (as the user would copy it from myProtime); the names are ours.
    let sandbox_ws = Workspace::open_builtin_sandbox(1).await.unwrap();
    let id = service::structures(&sandbox_ws).await.unwrap()[0]
        .id
        .clone();
    sandbox_ws.close().await;

    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::new();
    let mut store = ProfileStore::open(&dir.path().join("profiles.json")).unwrap();
    let profile = store
        .save_profile(
            &secrets,
            ProfileInput {
                id: None,
                name: "Configured".into(),
                color: "#1c7ed6".into(),
                protime: ProtimeTarget::Custom {
                    api_base: format!("{base}/connector/protimeapi/api/v1/"),
                    token_url: format!("{base}/tenants/sandbox/connect/token"),
                },
                client_id: timebridge_sandbox::DEMO_CLIENT_ID.into(),
                scopes: timebridge_protime::ProtimeConfig::default_scopes(),
                structure_versions: vec![
                    StructureVersionConfig {
                        id: id.clone(),
                        name: "Kostenplaatsen".into(),
                        level_names: vec!["Firma".into(), "Afdeling".into(), "Taak".into()],
                        valid_from: None,
                    },
                    // A structure the tenant will replace its current one with (the sandbox does
                    // not know it, so reading it is refused: that shows which one was asked for).
                    StructureVersionConfig {
                        id: NEXT_VERSION.into(),
                        name: "2030".into(),
                        level_names: vec!["Programma".into()],
                        valid_from: Some("2030-01-01".parse().unwrap()),
                    },
                ],
                timeclock_endpoint: format!("{base}/api/v1/json-rpc"),
                treat_as_production: false,
                timeclock_default_zone: String::new(),
                client_secret: Some(timebridge_sandbox::DEMO_CLIENT_SECRET.into()),
                api_key: Some(timebridge_sandbox::DEMO_API_KEY.into()),
            },
        )
        .unwrap();
    let ws = Workspace::open(&profile, &secrets).await.unwrap();

    let structures = service::structures(&ws).await.unwrap();
    assert_eq!(structures.len(), 2);
    assert_eq!(structures[0].name, "Kostenplaatsen");
    assert_eq!(
        structures[0]
            .levels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Firma", "Afdeling", "Taak"]
    );

    let today = chrono::Local::now().date_naive();
    let catalog = timebridge_clocking::activities::catalog(&ws, today.into())
        .await
        .unwrap();
    assert_eq!(catalog.structure_version, id);
    assert_eq!(catalog.levels[0], (1, "Firma".to_string()));
    assert!(
        catalog.nodes.len() > 10,
        "definitions of every level are loaded"
    );
    let levels = options_for_levels(
        &catalog.levels,
        &catalog.nodes,
        today,
        None,
        &BTreeMap::new(),
    );
    assert_eq!(levels[0].name, "Firma");
    assert!(!levels[0].options.is_empty());

    // A clocking on a day the next version is in force is read against that version's id.
    let later = timebridge_clocking::activities::catalog(&ws, "2030-01-02".parse().unwrap())
        .await
        .expect_err("the sandbox knows no such structure version");
    assert_eq!(
        later.code,
        timebridge_core::ErrorCode::NotFound,
        "{later:?}"
    );
    let before = timebridge_clocking::activities::catalog(&ws, "2029-12-31".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(before.structure_version, id);
    assert_eq!(
        ProfileStore::open(&dir.path().join("profiles.json"))
            .unwrap()
            .get(&profile.id)
            .unwrap()
            .structure_versions[1]
            .valid_from
            .map(|d| d.to_string())
            .as_deref(),
        Some("2030-01-01"),
        "the start date is kept in the settings file"
    );
    sandbox.stop().await;
}
