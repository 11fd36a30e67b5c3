//! Locked down: the window's CSP allows no remote host and no `eval`, and its capabilities grant
//! only the app's own commands (each declared in build.rs and registered in bindings.rs) plus the core
//! defaults: no shell, no store, no file system, no HTTP from the webview.

use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The quoted names between `commands(&[` and `])` in build.rs.
fn declared_commands() -> BTreeSet<String> {
    let build = read("build.rs");
    let start = build
        .find("commands(&[")
        .expect("commands list in build.rs");
    let end = start + build[start..].find("])").expect("end of the list");
    build[start..end]
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `commands::<module>::<name>,` lines in bindings.rs.
fn registered_commands() -> BTreeSet<String> {
    read("src/bindings.rs")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("commands::"))
        .filter_map(|l| {
            l.trim_end_matches(',')
                .rsplit("::")
                .next()
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn csp_has_no_remote_hosts_and_no_eval() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP string (never null)");
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    for directive in csp.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let mut parts = directive.split_whitespace();
        let name = parts.next().unwrap();
        for source in parts {
            let allowed = source.starts_with('\'')
                || source == "data:"
                || source == "ipc:"
                || source == "http://ipc.localhost";
            assert!(
                allowed,
                "{name} allows {source}: only the app itself and IPC may be sources"
            );
        }
        if name == "script-src" {
            assert!(!directive.contains("unsafe-inline"), "{directive}");
        }
    }
    let security = &conf["app"]["security"];
    assert!(security
        .get("dangerousDisableAssetCspModification")
        .is_none());
    assert!(conf["app"]
        .get("withGlobalTauri")
        .is_none_or(|v| v == false));
}

#[test]
fn capabilities_grant_only_the_app_commands_and_core_defaults() {
    let declared = declared_commands();
    let registered = registered_commands();
    assert_eq!(
        declared, registered,
        "every command in bindings.rs is declared in build.rs and the other way round"
    );
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/default.json")).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("plain permission names").to_string())
        .collect();
    let base: BTreeSet<String> = [
        "core:app:default",
        "core:event:default",
        "core:window:default",
    ]
    .map(str::to_string)
    .into();
    let commands: BTreeSet<String> = declared
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    let expected: BTreeSet<String> = base.union(&commands).cloned().collect();
    assert_eq!(granted, expected);
    for p in &granted {
        for banned in [
            "shell", "fs:", "http:", "opener", "process", "dialog", "log:", "store:",
        ] {
            assert!(!p.starts_with(banned), "{p} is granted");
        }
    }
    // No other capability file widens this one.
    let files: Vec<_> =
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
    assert_eq!(files, vec![std::ffi::OsString::from("default.json")]);
}

/// The release overlay is merged over tauri.conf.json by `tauri build --config`: it may give the
/// release its own identity and bundling, never a looser window (CSP, capabilities, global Tauri)
/// or another build setup than the one the tests ran against.
#[test]
fn release_overlay_changes_identity_and_bundling_only() {
    let overlay: serde_json::Value =
        serde_json::from_str(&read("tauri.release.conf.json")).unwrap();
    let keys: BTreeSet<&str> = overlay
        .as_object()
        .expect("the overlay is a JSON object")
        .keys()
        .map(String::as_str)
        .collect();
    let allowed: BTreeSet<&str> = ["$schema", "identifier", "bundle", "plugins"].into();
    assert!(keys.is_subset(&allowed), "the overlay sets {keys:?}");
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    assert_ne!(overlay["identifier"], conf["identifier"]);
}
