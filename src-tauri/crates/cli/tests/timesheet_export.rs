//! `timebridge timesheet export` as a scheduled job would run it.

use std::process::Command;
use timebridge_sandbox::SandboxConfig;

fn minutes(hmm: &str) -> i64 {
    let (h, m) = hmm.split_once(':').unwrap();
    h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()
}

#[test]
fn exports_a_csv_whose_totals_are_the_sums_of_its_rows() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week.csv");
    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(6);
    let status = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args([
            "timesheet",
            "export",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--out",
        ])
        .arg(&out)
        .args(["--sandbox-url", &sandbox.base_url()])
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let mut rows: std::collections::HashMap<String, i64> = Default::default();
    let mut all_rows = 0;
    let mut checked = 0;
    for line in text.trim_start_matches('\u{feff}').lines().skip(1) {
        let cells: Vec<&str> = line.split(';').collect();
        match cells[0] {
            "Total" => {
                assert_eq!(minutes(cells[7]), rows[cells[1]], "employee {}", cells[1]);
                checked += 1;
            }
            "All" => assert_eq!(minutes(cells[7]), all_rows),
            "Week" | "Report" => {}
            number => {
                *rows.entry(number.to_string()).or_default() += minutes(cells[7]);
                all_rows += minutes(cells[7]);
            }
        }
    }
    assert_eq!(checked, 60, "one total per employee");
    assert!(
        all_rows > 60 * 4 * 420,
        "a week of work, got {all_rows} minutes"
    );
    runtime.block_on(sandbox.stop());
}

#[test]
fn exports_a_pdf_whose_overall_total_matches_the_report() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("week.pdf");
    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(6);
    let result = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args([
            "timesheet",
            "export",
            "--format",
            "pdf",
            "--pdf-header",
            "Night desk",
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
            "--out",
        ])
        .arg(&out)
        .args(["--sandbox-url", &sandbox.base_url()])
        .output()
        .unwrap();
    runtime.block_on(sandbox.stop());
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    // "…: N rows, 60 employees, M worked minutes in all"
    let worked: i64 = stdout
        .split(", ")
        .find_map(|p| p.strip_suffix(" worked minutes in all\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no total in {stdout:?}"));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = match Command::new("pdftotext")
        .arg("-layout")
        .arg(&out)
        .arg("-")
        .output()
    {
        Ok(o) => String::from_utf8(o.stdout).unwrap(),
        Err(_) => {
            eprintln!("SKIPPED the text check: pdftotext is not installed (poppler-utils)");
            return;
        }
    };
    let all = text
        .lines()
        .find(|l| l.contains("All employees"))
        .expect("an overall total row");
    let shown = format!("{}:{:02}", worked / 60, worked % 60);
    assert!(all.contains(&shown), "{all:?} lacks {shown}");
    assert!(text.contains("Night desk") && text.contains("60 employees"));
}

#[test]
fn a_failed_export_leaves_no_file_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.csv");
    let result = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args([
            "timesheet",
            "export",
            "--from",
            "2025-02-10",
            "--to",
            "2025-02-01",
            "--out",
        ])
        .arg(&out)
        .args(["--sandbox-url", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stderr).contains("before it starts"));
    assert!(!out.exists());
    let offline = Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args([
            "timesheet",
            "export",
            "--from",
            "2025-02-01",
            "--to",
            "2025-02-10",
            "--out",
        ])
        .arg(&out)
        .args(["--sandbox-url", "http://127.0.0.1:9", "--timeout", "2"])
        .output()
        .unwrap();
    assert!(!offline.status.success());
    assert!(
        String::from_utf8_lossy(&offline.stderr).contains("TimeClock 365"),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial file either"
    );
}

fn export(
    sandbox_url: &str,
    source: &str,
    cache: &std::path::Path,
    out: &std::path::Path,
    from: &str,
    to: &str,
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_timebridge"))
        .args([
            "timesheet",
            "export",
            "--from",
            from,
            "--to",
            to,
            "--source",
            source,
            "--out",
        ])
        .arg(out)
        .arg("--cache")
        .arg(cache)
        .args(["--sandbox-url", sandbox_url])
        .output()
        .unwrap()
}

#[test]
fn protime_and_merged_sources_export_their_columns() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, SandboxConfig::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("totals.sqlite");
    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(6);
    let (f, t) = (from.to_string(), to.to_string());

    let out = dir.path().join("protime.csv");
    let r = export(&sandbox.base_url(), "protime", &cache, &out, &f, &t);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    let header: Vec<&str> = lines[0].split(';').collect();
    let calc = header
        .iter()
        .position(|h| *h == "calculated_presence")
        .unwrap();
    assert!(
        !header.contains(&"difference"),
        "differences are for merged reports"
    );
    let mut sum = 0;
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(';').collect();
        match cells[0] {
            "Total" | "Week" | "Report" => {}
            "All" => assert_eq!(minutes(cells[calc]), sum),
            _ => sum += minutes(cells[calc]),
        }
    }
    assert!(sum > 0);
    assert!(cache.exists());

    let out = dir.path().join("merged.csv");
    let r = export(&sandbox.base_url(), "merged", &cache, &out, &f, &t);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    let header: Vec<&str> = lines[0].split(';').collect();
    let diff = header.iter().position(|h| *h == "difference").unwrap();
    let flag = header
        .iter()
        .position(|h| *h == "outside_tolerance")
        .unwrap();
    let (mut sum, mut flagged) = (0, 0);
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(';').collect();
        match cells[0] {
            "Total" | "Week" | "Report" => {}
            "All" => {
                assert_eq!(
                    minutes(cells[diff].trim_start_matches('-'))
                        * if cells[diff].starts_with('-') { -1 } else { 1 },
                    sum
                );
                assert_eq!(cells[flag].parse::<i64>().unwrap(), flagged);
            }
            _ => {
                if !cells[diff].is_empty() {
                    let m = minutes(cells[diff].trim_start_matches('-'));
                    sum += if cells[diff].starts_with('-') { -m } else { m };
                }
                flagged += (cells[flag] == "yes") as i64;
            }
        }
    }
    assert!(lines.last().unwrap().contains("tolerance 5 min"));

    // Before the change feed's reach, Protime's filtered list serves the period.
    let out = dir.path().join("old.csv");
    let r = export(
        &sandbox.base_url(),
        "protime",
        &cache,
        &out,
        "2001-01-01",
        "2001-01-31",
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(out.exists());
    // A period that has not started yet is refused with a clear error, and no file appears.
    let out = dir.path().join("future.csv");
    let later = chrono::Local::now().date_naive() + chrono::Duration::days(10);
    let r = export(
        &sandbox.base_url(),
        "protime",
        &cache,
        &out,
        &later.to_string(),
        &(later + chrono::Duration::days(5)).to_string(),
    );
    assert!(!r.status.success());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("must start in the past"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(!out.exists());
    runtime.block_on(sandbox.stop());
}

/// A merged export against a sandbox whose Protime numbers are zero-padded, with optional columns:
/// people still match (days are compared), the chosen columns come last, and an unknown column
/// name is refused with the names that exist.
#[test]
fn merged_export_over_zero_padded_numbers_with_optional_columns() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut config = SandboxConfig::default();
    config.protime.zero_padded_numbers = true;
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, config))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merged.csv");
    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(6);
    let run = |columns: &str| {
        Command::new(env!("CARGO_BIN_EXE_timebridge"))
            .args([
                "timesheet",
                "export",
                "--source",
                "merged",
                "--from",
                &from.to_string(),
                "--to",
                &to.to_string(),
                "--columns",
                columns,
                "--cache",
            ])
            .arg(dir.path().join("cache.sqlite"))
            .arg("--out")
            .arg(&out)
            .args(["--sandbox-url", &sandbox.base_url()])
            .output()
            .unwrap()
    };
    let status = run("weekly_hours_1,work_logs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].ends_with(";difference;outside_tolerance;weekly_hours_1;work_logs"),
        "{}",
        lines[0]
    );
    let compared = lines[1..]
        .iter()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter(|l| {
            let cells: Vec<&str> = l.split(';').collect();
            !cells[cells.len() - 4].is_empty()
        })
        .count();
    assert!(compared > 100, "matched days are compared: {compared}");
    let refused = run("weekly_hours_1,worklogs");
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("'worklogs' is not an optional column"),
        "{err}"
    );
    runtime.block_on(sandbox.stop());
}
