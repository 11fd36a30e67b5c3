//! The merged report over zero-padded Protime employee numbers, end to end as users run it: the
//! **release** `timebridge sandbox --protime-zero-padded-numbers` (Protime's "001001" for TimeClock
//! 365's 1001) and the release `timebridge timesheet export --source merged` against it. The same
//! people must match and the same days be compared as against the plain sandbox: before the
//! employee-number normal form, padding cut 310 compared days to 111.
//!
//! Not part of `cargo test --workspace` (it needs the release build):
//! `cargo build --release -p timebridge-cli && cargo test -p timebridge-tests --test zero_padded_merge -- --nocapture`
//! (`TIMEBRIDGE_RELEASE_CLI` names another binary).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use timebridge_tests::{release_cli, ReleaseSandbox};

/// One compared day of the merged CSV: employee number (as the report spells it), date and the
/// difference (TimeClock worked minus Protime time present).
type Compared = (String, String, String);

/// What a merged export says: every day row's employee, and the days compared across both systems.
struct Merged {
    employees: BTreeSet<String>,
    compared: Vec<Compared>,
    /// Day rows with a Protime side (a `name` from Protime).
    with_protime: usize,
}

/// Exports the merged report of the four weeks up to yesterday from the sandbox at `url`.
fn export_merged(url: &str, dir: &Path) -> Merged {
    let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
    let from = to - chrono::Duration::days(27);
    let out = dir.join("merged.csv");
    let run = Command::new(release_cli())
        .args([
            "timesheet",
            "export",
            "--source",
            "merged",
            "--sandbox-url",
            url,
        ])
        .args(["--from", &from.to_string(), "--to", &to.to_string()])
        .args(["--timeout", "30", "--out"])
        .arg(&out)
        .arg("--cache")
        .arg(dir.join("totals.sqlite"))
        .output()
        .expect("run the release CLI");
    assert!(
        run.status.success(),
        "export failed: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    read_merged(text.trim_start_matches('\u{feff}'))
}

fn read_merged(csv_text: &str) -> Merged {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (number, date, name, difference) = (
        col("employee_number"),
        col("date"),
        col("name"),
        col("difference"),
    );
    let mut merged = Merged {
        employees: BTreeSet::new(),
        compared: Vec::new(),
        with_protime: 0,
    };
    for rec in reader.records() {
        let rec = rec.unwrap();
        // Total, Week, All and the closing Report line are not days.
        if ["Total", "Week", "All", "Report"].contains(&&rec[0]) {
            continue;
        }
        merged.employees.insert(rec[number].to_string());
        if !rec[name].is_empty() {
            merged.with_protime += 1;
        }
        if !rec[difference].is_empty() {
            merged.compared.push((
                rec[number].to_string(),
                rec[date].to_string(),
                rec[difference].to_string(),
            ));
        }
    }
    merged
}

#[test]
fn zero_padded_protime_numbers_compare_the_same_days_as_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let plain_dir = dir.path().join("plain");
    let padded_dir = dir.path().join("padded");
    std::fs::create_dir_all(&plain_dir).unwrap();
    std::fs::create_dir_all(&padded_dir).unwrap();
    let plain = {
        let sandbox = ReleaseSandbox::start(&[]);
        export_merged(&sandbox.url, &plain_dir)
    };
    let padded = {
        let sandbox = ReleaseSandbox::start(&["--protime-zero-padded-numbers"]);
        export_merged(&sandbox.url, &padded_dir)
    };
    println!(
        "  merged, 4 weeks: {} compared days plain, {} with Protime's numbers zero-padded; {} / {} employees",
        plain.compared.len(),
        padded.compared.len(),
        plain.employees.len(),
        padded.employees.len()
    );
    // The sandbox's people who clock in both systems compare most of their days.
    assert!(plain.compared.len() > 200, "{}", plain.compared.len());
    assert_eq!(padded.compared.len(), plain.compared.len());
    // The same days with the same differences: padding changes nothing the report compares.
    assert_eq!(padded.compared, plain.compared);
    assert_eq!(padded.with_protime, plain.with_protime);
    // No person split in two (a padded Protime row beside a plain TimeClock one): the same people,
    // in the same normal form. Only people found in Protime alone keep Protime's padded spelling.
    let normal = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter().map(|n| without_leading_zeros(n)).collect()
    };
    assert_eq!(padded.employees.len(), plain.employees.len());
    assert_eq!(normal(&padded.employees), normal(&plain.employees));
    let padded_only: Vec<&String> = padded.employees.difference(&plain.employees).collect();
    println!("  spelled as Protime pads them (in Protime only): {padded_only:?}");
    assert!(padded_only.len() <= 2, "{padded_only:?}");
}

/// An all-digit number without its leading zeros ("009050" → "9050"); anything else as written.
fn without_leading_zeros(n: &str) -> String {
    if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
        let t = n.trim_start_matches('0');
        if t.is_empty() { "0" } else { t }.to_string()
    } else {
        n.to_string()
    }
}
