//! Report at scale: 1,000 employees × 31 days from the sandbox — fetch + decode (`timesheet` and
//! `extended-sessions`), build the report, write the XLSX — with wall times and peak memory, next to
//! the Python peer in tests/peer/timesheet_peer.py doing the same job on the same data. The PDF of the
//! same report is timed on its own line (the peer writes no PDF, so it stays out of the ratio).
//!
//! `cargo bench -p timebridge-reports --bench report_scale` (the peer runs when python3 with openpyxl
//! is available: `pip install openpyxl`). The CLI at 1,000 / 4,000 / 10,000 employees against the
//! transfer floor: tests/bench/scale.sh.

use std::time::{Duration, Instant};
use timebridge_reports::timesheet::{self, HoursFormat, PdfOptions, ReportOptions, XlsxOptions};
use timebridge_sandbox::timeclock::TimeClockSimConfig;
use timebridge_sandbox::{SandboxConfig, DEMO_API_KEY};
use timebridge_secret::Secret;
use timebridge_timeclock::{TimeClockClient, TimeClockConfig};

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig {
        timeclock: TimeClockSimConfig {
            employees: 1000,
            days: 31,
            ..Default::default()
        },
        ..Default::default()
    };
    let sandbox = runtime
        .block_on(timebridge_sandbox::start(0, config))
        .unwrap();
    let to = chrono::Local::now().date_naive();
    let from = to - chrono::Duration::days(30);
    let client = TimeClockClient::new(TimeClockConfig {
        endpoint: sandbox.timeclock_endpoint().parse().unwrap(),
        api_key: Secret::new(DEMO_API_KEY),
        timeout: Duration::from_secs(120),
    })
    .unwrap();

    let started = Instant::now();
    let report = runtime
        .block_on(timesheet::timeclock_report(
            &client,
            from,
            to,
            ReportOptions::default(),
        ))
        .unwrap();
    let fetched_and_built = started.elapsed();
    let xlsx_started = Instant::now();
    let bytes = timesheet::xlsx_export::write(
        &report,
        &XlsxOptions {
            hours: HoursFormat::HoursMinutes,
            sheet_per_employee: false,
            extra_columns: Vec::new(),
        },
    )
    .unwrap();
    let xlsx = xlsx_started.elapsed();
    let total = started.elapsed();
    println!(
        "timebridge: {} rows ({} employees × 31 days): fetch + decode + build {:.3}s, XLSX {:.3}s ({:.1} MB), total {:.3}s, peak memory {:.0} MB",
        report.rows.len(),
        report.per_employee.len(),
        fetched_and_built.as_secs_f64(),
        xlsx.as_secs_f64(),
        bytes.len() as f64 / 1e6,
        total.as_secs_f64(),
        peak_memory_mb().unwrap_or(f64::NAN)
    );

    let pdf_started = Instant::now();
    let pdf =
        timesheet::pdf_export::write(&report, &PdfOptions::new(HoursFormat::HoursMinutes)).unwrap();
    let pdf_time = pdf_started.elapsed();
    let pages = pdf.windows(9).filter(|w| w == b"/MediaBox").count();
    println!(
        "timebridge PDF: {pages} pages ({:.1} MB) written in {:.3}s, peak memory {:.0} MB",
        pdf.len() as f64 / 1e6,
        pdf_time.as_secs_f64(),
        peak_memory_mb().unwrap_or(f64::NAN)
    );
    drop(pdf);

    let peer = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../tests/peer/timesheet_peer.py"
    );
    let out = std::env::temp_dir().join(format!("timebridge-peer-{}.xlsx", std::process::id()));
    let peer_started = Instant::now();
    let result = std::process::Command::new("python3")
        .arg(peer)
        .arg(sandbox.timeclock_endpoint())
        .arg(DEMO_API_KEY)
        .arg(from.to_string())
        .arg(to.to_string())
        .arg(&out)
        .output();
    match result {
        Ok(o) if o.status.success() => {
            let peer_time = peer_started.elapsed();
            println!(
                "peer (python, one call, openpyxl write-only): {}",
                String::from_utf8_lossy(&o.stdout).trim()
            );
            println!(
                "ratio: timebridge is {:.1}x faster than the peer ({:.3}s vs {:.3}s)",
                peer_time.as_secs_f64() / total.as_secs_f64(),
                total.as_secs_f64(),
                peer_time.as_secs_f64()
            );
        }
        Ok(o) => println!(
            "peer did not run: {}",
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ),
        Err(e) => println!("peer did not run: {e}"),
    }
    let _ = std::fs::remove_file(&out);
    runtime.block_on(sandbox.stop());
}
