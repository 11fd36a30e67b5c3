//! `timebridge clockings import` killed with SIGKILL at random points while its outbox drains, then
//! started again, 25 times over; afterwards every row exists exactly once in Protime.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use timebridge_sandbox::roster::Rng;
use timebridge_sandbox::SandboxConfig;

const ROWS: usize = 300;
const DATE: &str = "2025-03-10";

fn csv() -> String {
    let mut out = String::from("person;date;time;kind\n");
    for i in 0..ROWS {
        let minutes = 8 * 60 + i;
        out.push_str(&format!(
            "{};{DATE};{:02}:{:02};InOut\n",
            76500 + (i % 50),
            minutes / 60,
            minutes % 60
        ));
    }
    out
}

fn import(dir: &std::path::Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_timebridge"));
    cmd.args(["clockings", "import"])
        .arg(dir.join("rows.csv"))
        .args(["--sandbox-url", url, "--outbox"])
        .arg(dir.join("outbox.sqlite"))
        .args(["--max-wait", "120"])
        // The fault mix holds some writes 5 s before committing them, also after the process was
        // killed: the quiet period must outlast that. A short one keeps the test quick.
        .args(["--quiet-period", "8", "--recheck-spacing", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn killed_imports_resume_and_send_every_row_exactly_once() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    // Slow enough that a kill lands mid-drain; some faults so uncertain sends happen too.
    sandbox.protime.set_latency(Duration::from_millis(30));
    sandbox.protime.set_fault_rate(0.1);
    let url = sandbox.base_url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rows.csv"), csv()).unwrap();

    let mut rng = Rng::new(20251110);
    let mut kills = 0;
    while kills < 25 {
        let mut child = import(dir.path(), &url).spawn().unwrap();
        let wait = Duration::from_millis(rng.range(30, 400) as u64);
        let started = Instant::now();
        let mut finished = false;
        while started.elapsed() < wait {
            if child.try_wait().unwrap().is_some() {
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if finished {
            break;
        }
        child.kill().unwrap(); // SIGKILL on Unix: no clean-up runs.
        child.wait().unwrap();
        kills += 1;
    }

    sandbox.protime.set_fault_rate(0.0);
    let out = import(dir.path(), &url).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "final import failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
    for c in sandbox.protime.clockings() {
        if c["date"] == DATE && c["status"] != "Deleted" {
            let key = (
                c["person"]["id"].as_i64().unwrap(),
                c["timeOfDayInMinutes"].as_i64().unwrap(),
            );
            *seen.entry(key).or_default() += 1;
        }
    }
    let duplicates = seen.values().filter(|n| **n > 1).count();
    println!(
        "kills: {kills}, rows: {ROWS}, distinct clockings: {}, duplicated: {duplicates}",
        seen.len()
    );
    assert!(
        kills >= 20,
        "only {kills} kills landed before the import finished"
    );
    assert_eq!(duplicates, 0, "a row was sent twice");
    assert_eq!(seen.len(), ROWS, "a row was lost");
    runtime.block_on(sandbox.stop());
}

#[test]
fn a_file_with_errors_sends_nothing_and_says_where() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rows.csv"),
        "person,date,time,kind\n76500,2025-03-10,08:00,InOut\n76500,2025-03-10,8h,InOut\n",
    )
    .unwrap();
    let before = sandbox.protime.clockings().len();
    let out = import(dir.path(), &sandbox.base_url()).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3, column time"), "{err}");
    assert!(err.contains("nothing was sent"), "{err}");
    assert_eq!(sandbox.protime.clockings().len(), before);
    runtime.block_on(sandbox.stop());
}
