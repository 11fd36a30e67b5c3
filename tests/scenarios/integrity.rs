//! The integrity suite: the **release** `timebridge` binary, as users run it, against the release
//! `timebridge sandbox` in its own process, in the situations that broke the outbox's promise:
//! a server that commits after the client gave up, one file sent to two tenants through one outbox,
//! an edited file imported again, two and three processes sharing one outbox, a crash between claim
//! and send, and a 30 % fault mix. Each scenario prints rows, arrived, duplicates and lost, and must
//! end with 0 duplicates and 0 lost.
//!
//! Not part of `cargo test --workspace` (it needs the release build):
//! `cargo build --release -p timebridge-cli && cargo test -p timebridge-tests --test integrity -- --nocapture`
//! (`TIMEBRIDGE_RELEASE_CLI` names another binary).

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use timebridge_tests::{release_cli, ReleaseSandbox};

/// The release sandbox, with what these scenarios read back from it.
struct Sandbox(ReleaseSandbox);

impl std::ops::Deref for Sandbox {
    type Target = ReleaseSandbox;
    fn deref(&self) -> &ReleaseSandbox {
        &self.0
    }
}

impl Sandbox {
    fn start(switches: &[&str]) -> Self {
        Sandbox(ReleaseSandbox::start(switches))
    }

    /// (person, date, minutes) → how many live clockings the sandbox holds.
    fn clockings(&self) -> HashMap<(i64, String, i64), usize> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let list: serde_json::Value = runtime.block_on(async {
            reqwest::get(format!("{}/sandbox/protime/clockings", self.url))
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        });
        let mut out = HashMap::new();
        for c in list.as_array().unwrap() {
            if c["status"] == "Deleted" {
                continue;
            }
            let key = (
                c["person"]["id"].as_i64().unwrap(),
                c["date"].as_str().unwrap().to_string(),
                c["timeOfDayInMinutes"].as_i64().unwrap(),
            );
            *out.entry(key).or_default() += 1;
        }
        out
    }
}

/// One CSV row: person, date, minutes after midnight (same day).
type Row = (i64, &'static str, i64);

fn csv(rows: &[Row]) -> String {
    let mut out = String::from("person;date;time;kind\n");
    for (person, date, minutes) in rows {
        out.push_str(&format!(
            "{person};{date};{:02}:{:02};InOut\n",
            minutes / 60,
            minutes % 60
        ));
    }
    out
}

fn rows(date: &'static str, n: usize, first_minute: i64) -> Vec<Row> {
    (0..n)
        .map(|i| (76500 + (i % 40) as i64, date, first_minute + i as i64))
        .collect()
}

fn import(file: &Path, outbox: &Path, url: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(release_cli());
    cmd.args(["clockings", "import"])
        .arg(file)
        .args(["--sandbox-url", url, "--outbox"])
        .arg(outbox)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(mut cmd: Command) -> Output {
    cmd.output().expect("run the release CLI")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Compares what should be in Protime with what is, prints the scenario's line and asserts
/// 0 duplicates and 0 lost.
fn tally(scenario: &str, sandbox: &Sandbox, expected: &[Row]) {
    let mut want: HashMap<(i64, String, i64), usize> = HashMap::new();
    for (p, d, m) in expected {
        *want.entry((*p, d.to_string(), *m)).or_default() += 1;
    }
    let dates: Vec<&str> = expected.iter().map(|r| r.1).collect();
    let have: HashMap<_, _> = sandbox
        .clockings()
        .into_iter()
        .filter(|((_, d, _), _)| dates.contains(&d.as_str()))
        .collect();
    let arrived: usize = have.values().sum();
    let duplicates: usize = have
        .iter()
        .map(|(k, n)| n.saturating_sub(*want.get(k).unwrap_or(&0)))
        .sum();
    let lost: usize = want
        .iter()
        .map(|(k, n)| n.saturating_sub(*have.get(k).unwrap_or(&0)))
        .sum();
    println!(
        "integrity {scenario}: rows {}, arrived {arrived}, duplicates {duplicates}, lost {lost}",
        expected.len()
    );
    assert_eq!((duplicates, lost), (0, 0), "{scenario}");
}

#[test]
fn late_commits_are_waited_for_not_duplicated() {
    // Every write is committed 3 s after it arrived; the client gives up after 1 s. Default quiet
    // period: the timeout plus 30 s.
    let sandbox = Sandbox::start(&["--write-delay-ms", "3000"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("late.csv");
    let rows = rows("2026-03-02", 12, 8 * 60);
    std::fs::write(&file, csv(&rows)).unwrap();
    let out = run(import(
        &file,
        &dir.path().join("outbox.sqlite"),
        &sandbox.url,
        &["--timeout", "1"],
    ));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("found in Protime"), "{}", text(&out));
    tally("late commits", &sandbox, &rows);
}

#[test]
fn one_file_to_two_tenants_through_one_outbox() {
    let a = Sandbox::start(&[]);
    let b = Sandbox::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("same.csv");
    let outbox = dir.path().join("outbox.sqlite");
    let rows = rows("2026-03-03", 20, 9 * 60);
    std::fs::write(&file, csv(&rows)).unwrap();
    for sandbox in [&a, &b] {
        let out = run(import(&file, &outbox, &sandbox.url, &[]));
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("sent: 20"), "{}", text(&out));
    }
    tally("two tenants, tenant A", &a, &rows);
    tally("two tenants, tenant B", &b, &rows);
}

#[test]
fn an_edited_file_imported_again_sends_only_what_is_new() {
    let sandbox = Sandbox::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.sqlite");
    let file = dir.path().join("week.csv");
    let mut first = rows("2026-03-04", 20, 7 * 60);
    // Two identical rows on purpose: both must arrive.
    first.push(first[0]);
    std::fs::write(&file, csv(&first)).unwrap();
    let out = run(import(&file, &outbox, &sandbox.url, &[]));
    assert!(out.status.success(), "{}", text(&out));
    // Edited: three rows changed, two added, and a third copy of the duplicated row.
    let mut edited = first.clone();
    for row in edited.iter_mut().skip(5).take(3) {
        row.2 += 600;
    }
    edited.push((76545, "2026-03-04", 1000));
    edited.push((76546, "2026-03-04", 1001));
    edited.push(first[0]);
    std::fs::write(&file, csv(&edited)).unwrap();
    let out = run(import(&file, &outbox, &sandbox.url, &[]));
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("sent: 6 "),
        "3 changed + 2 new + 1 more copy:\n{said}"
    );
    assert!(said.contains("already sent: 18"), "{said}");
    assert!(said.contains("already in Protime, sent on"), "{said}");
    // What Protime holds: every row of the first file, plus the new ones of the second.
    let mut expected = first.clone();
    expected.extend(edited.iter().skip(5).take(3));
    expected.extend(&edited[first.len()..]);
    tally("edited file", &sandbox, &expected);
}

#[test]
fn two_and_three_processes_share_one_outbox() {
    // Each request takes 300 ms, so the runs overlap for their whole length.
    let sandbox = Sandbox::start(&["--latency-ms", "300"]);
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.sqlite");
    let f1 = dir.path().join("one.csv");
    let f2 = dir.path().join("two.csv");
    let rows1 = rows("2026-03-05", 40, 6 * 60);
    let rows2 = rows("2026-03-06", 40, 6 * 60);
    std::fs::write(&f1, csv(&rows1)).unwrap();
    std::fs::write(&f2, csv(&rows2)).unwrap();
    let children: Vec<Child> = [&f1, &f1, &f2]
        .iter()
        .map(|f| {
            import(f, &outbox, &sandbox.url, &["--max-wait", "600"])
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    let mut expected = rows1.clone();
    expected.extend(&rows2);
    tally("three processes, one outbox", &sandbox, &expected);
}

#[test]
fn a_crash_between_claim_and_send_loses_and_duplicates_nothing() {
    // Writes commit 2 s after they arrive: a kill lands while a row is claimed and its POST is in
    // flight, and that POST still commits after the process died.
    let sandbox = Sandbox::start(&["--write-delay-ms", "2000"]);
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox.sqlite");
    let file = dir.path().join("crash.csv");
    let rows = rows("2026-03-09", 8, 10 * 60);
    std::fs::write(&file, csv(&rows)).unwrap();
    let args = ["--timeout", "5"];
    for kill_after in [700u64, 1500, 2600, 900] {
        let mut child = import(&file, &outbox, &sandbox.url, &args).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(kill_after));
        child.kill().unwrap(); // SIGKILL: no clean-up runs
        child.wait().unwrap();
    }
    let started = Instant::now();
    let out = run(import(&file, &outbox, &sandbox.url, &args));
    assert!(out.status.success(), "{}", text(&out));
    println!(
        "integrity crash: final run took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    tally("crash between claim and send", &sandbox, &rows);
}

#[test]
fn a_thirty_percent_fault_mix() {
    // 5xx, 429 with Retry-After, latency, resets before and after commit, and commits 5 s late,
    // in 30 % of all Protime requests; the client times out after 2 s.
    let sandbox = Sandbox::start(&["--fault-rate", "0.3", "--late-commit-secs", "5"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("faults.csv");
    let rows = rows("2026-03-10", 60, 5 * 60);
    std::fs::write(&file, csv(&rows)).unwrap();
    let out = run(import(
        &file,
        &dir.path().join("outbox.sqlite"),
        &sandbox.url,
        &["--timeout", "2", "--max-wait", "900"],
    ));
    assert!(out.status.success(), "{}", text(&out));
    tally("30% fault mix", &sandbox, &rows);
}
