//! `timebridge activities import` as a user runs it: a real process against a sandbox over HTTP.

use std::process::Command;
use timebridge_core::audit::AuditDb;
use timebridge_sandbox::protime::Fault;
use timebridge_sandbox::SandboxConfig;

const V: &str = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";

fn run(dir: &std::path::Path, url: &str, file: &str, level: &str) -> std::process::Output {
    run_with(dir, url, file, level, &[])
}

fn run_with(
    dir: &std::path::Path,
    url: &str,
    file: &str,
    level: &str,
    extra: &[&str],
) -> std::process::Output {
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
        .args(extra)
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
        stdout.contains(
            "created 2, updated 0, found after an uncertain send 0, refused 0, still uncertain 0"
        ),
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
        stdout.contains(
            "created 0, updated 1, found after an uncertain send 0, refused 2, still uncertain 0"
        ),
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

/// The first run loses the answer to a committed create and cannot read it back: the row is
/// reported as still uncertain (exit 1), never as refused. The second run updates it: one definition.
/// A lost answer that the read-back resolves is reported as found, and nothing is sent twice.
#[test]
fn a_lost_answer_is_uncertain_then_found_or_updated_never_duplicated() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let url = sandbox.base_url();
    let dir = tempfile::tempdir().unwrap();
    let count = |ext: &str| {
        sandbox
            .protime
            .activity_definitions()
            .iter()
            .filter(|d| d["externalReference"] == ext)
            .count()
    };
    let quiet = ["--quiet-period", "0.2"];
    std::fs::write(
        dir.path().join("one.csv"),
        "externalReference,name,shortCode,activeFrom\nCLI-U1,Cli uncertain,CU1,2026-01-01\n",
    )
    .unwrap();
    // The run: GET level 1, then the row's PUT (committed, connection dropped), then the read-back
    // gets a 500.
    sandbox.protime.inject([
        Fault::Latency(std::time::Duration::ZERO),
        Fault::ResetAfterCommit,
        Fault::Status(500),
    ]);
    let out = run_with(dir.path(), &url, "one.csv", "1", &quiet);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "created 0, updated 0, found after an uncertain send 0, refused 0, still uncertain 1"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 2 (CLI-U1): still uncertain"),
        "{stdout}"
    );
    assert!(stdout.contains("may have been saved"), "{stdout}");
    assert_eq!(count("CLI-U1"), 1);

    // The same file again: it was saved, so it is updated, not created again.
    let out = run_with(dir.path(), &url, "one.csv", "1", &quiet);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "created 0, updated 1, found after an uncertain send 0, refused 0, still uncertain 0"
        ),
        "{stdout}"
    );
    assert_eq!(count("CLI-U1"), 1);

    // A lost answer the read-back resolves in the same run: found, not sent again.
    std::fs::write(
        dir.path().join("two.csv"),
        "externalReference,name\nCLI-U2,Cli found\nCLI-U3,Cli plain\n",
    )
    .unwrap();
    sandbox.protime.inject([
        Fault::Latency(std::time::Duration::ZERO),
        Fault::ResetAfterCommit,
    ]);
    let out = run_with(dir.path(), &url, "two.csv", "1", &quiet);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(
            "created 1, updated 0, found after an uncertain send 1, refused 0, still uncertain 0"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 2 (CLI-U2): found in Protime after an uncertain send"),
        "{stdout}"
    );
    let out = run_with(dir.path(), &url, "two.csv", "1", &quiet);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "created 0, updated 2, found after an uncertain send 0, refused 0, still uncertain 0"
        ),
        "{stdout}"
    );
    for ext in ["CLI-U1", "CLI-U2", "CLI-U3"] {
        assert_eq!(count(ext), 1, "{ext}");
    }
    let puts = sandbox
        .protime
        .received()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    // One PUT per row and run: nothing was ever sent twice.
    assert_eq!(puts, 2 + 2 + 2);

    // The audit log says Uncertain, not Refused.
    let outbox = timebridge_clocking::Outbox::open(&dir.path().join("audit.sqlite")).unwrap();
    // The CLI files its rows under the tenant it wrote to.
    let (client, _) = timebridge_core::workspace::clients_for_sandbox_url(&url).unwrap();
    let audit = outbox
        .audit(&timebridge_clocking::tenant_key(&client), 50)
        .unwrap();
    assert!(audit.iter().any(|a| a.outcome == "Uncertain"));
    assert!(audit.iter().all(|a| a.outcome != "Refused"), "{audit:?}");
    runtime.block_on(sandbox.stop());
}

/// Dates that are not exactly YYYY-MM-DD are refused with line, column and the format.
#[test]
fn dates_are_never_rewritten() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let url = sandbox.base_url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("dates.csv"),
        "externalReference,name,activeFrom,activeUntil\n\
         CLI-D1,Slashes,29/11/2026,\n\
         CLI-D2,No such day,2026-11-31,\n\
         CLI-D3,Short,,2026-1-5\n\
         CLI-D4,Year,0029-01-01,\n",
    )
    .unwrap();
    let out = run(dir.path(), &url, "dates.csv", "1");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    for (line, column, value) in [
        (2, "activeFrom", "29/11/2026"),
        (3, "activeFrom", "2026-11-31"),
        (4, "activeUntil", "2026-1-5"),
        (5, "activeFrom", "0029-01-01"),
    ] {
        let expected = format!("line {line}, column {column}: '{value}'");
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    assert_eq!(stderr.matches("YYYY-MM-DD").count(), 4, "{stderr}");
    assert!(stdout.contains("refused 4"), "{stdout}");
    assert!(!sandbox
        .protime
        .received()
        .iter()
        .any(|r| r.method == "PUT" || r.method == "POST"));
    runtime.block_on(sandbox.stop());
}
