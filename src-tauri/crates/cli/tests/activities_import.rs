//! `timebridge activities import` as a user runs it: a real process against a sandbox over HTTP.

use std::process::Command;
use timebridge_sandbox::SandboxConfig;

const V: &str = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";

fn run(dir: &std::path::Path, url: &str, file: &str, level: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args(["activities", "import"])
        .arg(dir.join(file))
        .args([
            "--structure-version",
            V,
            "--level",
            level,
            "--sandbox-url",
            url,
        ])
        .arg("--outbox")
        .arg(dir.join("audit.sqlite"))
        .output()
        .unwrap()
}

#[test]
fn csv_upsert_prints_counts_and_exit_code() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let url = sandbox.base_url();
    let dir = tempfile::tempdir().unwrap();
    let parent = sandbox
        .protime
        .activity_definitions()
        .into_iter()
        .find(|d| d["level"] == 1)
        .unwrap();
    let parent_ref = parent["externalReference"].as_str().unwrap().to_string();
    std::fs::write(
        dir.path().join("good.csv"),
        format!(
            "externalReference;name;name_nl;shortCode;activeFrom;parent\n\
             CLI-1;Cli one;Cli een;C1;2025-01-01;{parent_ref}\n\
             CLI-2;Cli two;;C2;;{parent_ref}\n"
        ),
    )
    .unwrap();
    let out = run(dir.path(), &url, "good.csv", "2");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("created 2, updated 0, refused 0"),
        "{stdout}"
    );
    let stored: Vec<_> = sandbox
        .protime
        .activity_definitions()
        .into_iter()
        .filter(|d| {
            d["externalReference"]
                .as_str()
                .is_some_and(|r| r.starts_with("CLI-"))
        })
        .collect();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|d| d["parent"]["id"] == parent["id"]));

    // Again with one update and two refused rows: exit code 1 and the reasons.
    std::fs::write(
        dir.path().join("mixed.csv"),
        "externalReference,name,activeFrom,activeUntil,parent\n\
         CLI-1,Cli one renamed,,,\n\
         CLI-3,Cli three,2025-02-01,2025-01-01,\n\
         CLI-4,Cli four,,,UNKNOWN\n",
    )
    .unwrap();
    let out = run(dir.path(), &url, "mixed.csv", "2");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("created 0, updated 1, refused 2"),
        "{stdout}"
    );
    assert!(stderr.contains("line 3, column activeUntil"), "{stderr}");
    assert!(
        stdout.contains("line 4 (CLI-4): refused: parent: no definition"),
        "{stdout}"
    );
    assert!(sandbox
        .protime
        .activity_definitions()
        .iter()
        .any(|d| d["name"]["default"] == "Cli one renamed"));

    // Bad arguments are refused before anything is sent.
    let out = run(dir.path(), &url, "good.csv", "0");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--level"));
    runtime.block_on(sandbox.stop());
}
