//! The README's "Architecture" section against the workspace: every crate it names is a workspace
//! member, every member is named there, and the dependency rules it states hold in the Cargo.toml files
//! (domain crates use `core`, never each other; `core` uses no domain crate).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const DOMAIN_CRATES: &[&str] = &[
    "timebridge-clocking",
    "timebridge-reports",
    "timebridge-activities",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository root")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The text of the README's `## Architecture` section, up to the next `## ` heading.
fn architecture_section() -> String {
    let readme = read(&root().join("README.md"));
    let start = readme
        .find("\n## Architecture\n")
        .expect("the README has an Architecture section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// Every `timebridge-<name>` the text mentions.
fn crate_names_in(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("timebridge-") {
        let tail = &rest[i..];
        let len = tail
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .map_or(tail.len(), |(j, _)| j);
        names.insert(tail[..len].trim_end_matches('-').to_string());
        rest = &tail[len..];
    }
    names
}

/// The `members` of the root Cargo.toml's `[workspace]`.
fn member_paths() -> Vec<String> {
    let manifest = read(&root().join("Cargo.toml"));
    let start = manifest
        .find("members = [")
        .expect("the workspace lists its members");
    let list = &manifest[start + "members = [".len()..];
    let list = &list[..list.find(']').expect("the member list is closed")];
    list.split(',')
        .map(|m| m.trim().trim_matches('"').to_string())
        .filter(|m| !m.is_empty())
        .collect()
}

/// The package name in a member's Cargo.toml.
fn package_name(member: &str) -> String {
    let manifest = read(&root().join(member).join("Cargo.toml"));
    manifest
        .lines()
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "name").then(|| value.trim().trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("{member}/Cargo.toml names no package"))
}

/// The crates a member uses in its `[dependencies]` (every target's), not its dev- or
/// build-dependencies.
fn normal_dependencies(member: &str) -> BTreeSet<String> {
    let manifest = read(&root().join(member).join("Cargo.toml"));
    let mut section = String::new();
    let mut deps = BTreeSet::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let normal = section == "[dependencies]"
            || (section.starts_with("[target.") && section.ends_with(".dependencies]"));
        if let (true, Some((key, _))) = (normal, line.split_once('=')) {
            if !key.trim().starts_with('#') {
                deps.insert(key.trim().split('.').next().unwrap_or_default().to_string());
            }
        }
    }
    deps
}

#[test]
fn every_crate_named_in_the_architecture_section_is_a_member_and_every_member_is_named() {
    let named = crate_names_in(&architecture_section());
    let members: BTreeSet<String> = member_paths().iter().map(|m| package_name(m)).collect();
    let not_members: Vec<_> = named.difference(&members).collect();
    let not_named: Vec<_> = members.difference(&named).collect();
    assert!(
        not_members.is_empty(),
        "the README's Architecture section names crates that are not workspace members: {not_members:?}"
    );
    assert!(
        not_named.is_empty(),
        "workspace members missing from the README's Architecture section: {not_named:?}"
    );
}

#[test]
fn domain_crates_use_core_and_never_each_other_and_core_uses_none_of_them() {
    let members = member_paths();
    let path_of = |name: &str| {
        members
            .iter()
            .find(|m| package_name(m) == name)
            .unwrap_or_else(|| panic!("{name} is not a workspace member"))
            .clone()
    };
    let core = normal_dependencies(&path_of("timebridge-core"));
    for domain in DOMAIN_CRATES {
        assert!(
            !core.contains(*domain),
            "timebridge-core depends on {domain}"
        );
        let deps = normal_dependencies(&path_of(domain));
        assert!(
            deps.contains("timebridge-core"),
            "{domain} does not use timebridge-core"
        );
        for other in DOMAIN_CRATES.iter().filter(|o| *o != domain) {
            assert!(!deps.contains(*other), "{domain} depends on {other}");
        }
        assert!(!deps.contains("tauri"), "{domain} depends on Tauri");
    }
    assert!(!core.contains("tauri"), "timebridge-core depends on Tauri");
}

#[test]
fn the_section_reader_finds_crate_names() {
    let names = crate_names_in("a `timebridge-core` b timebridge-cli, c timebridge-app)");
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["timebridge-app", "timebridge-cli", "timebridge-core"]
    );
}

/// Every `.rs` file under `dir`, tests folders and `tests.rs` files apart (tests may build clients
/// against their own fake servers).
fn production_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return; // a member without this folder (the tests crate has `scenarios/`)
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "tests" && name != "target" {
                production_sources(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_clients_are_built_in_one_place_for_the_app_and_the_command_line() {
    let mut files = Vec::new();
    production_sources(&root().join("src-tauri/src"), &mut files);
    for member in member_paths() {
        // The client crates construct themselves; everyone else goes through core::clients.
        if member.ends_with("/protime") || member.ends_with("/timeclock") {
            continue;
        }
        production_sources(&root().join(&member).join("src"), &mut files);
    }
    assert!(files.len() > 20, "the scan found the sources");
    let composition_root = root().join("src-tauri/crates/core/src/clients.rs");
    let mut builders = Vec::new();
    for file in &files {
        let text = read(file);
        // Only code before a unit-test module counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        if [
            "ProtimeClient::new(",
            "TimeClockClient::new(",
            "TimeClockClient::with_options(",
        ]
        .iter()
        .any(|builder| code.contains(builder))
            && *file != composition_root
        {
            builders.push(file.display().to_string());
        }
    }
    assert!(
        read(&composition_root).contains("ProtimeClient::new("),
        "core::clients builds the clients"
    );
    assert_eq!(
        builders,
        Vec::<String>::new(),
        "clients built outside core::clients"
    );
}
