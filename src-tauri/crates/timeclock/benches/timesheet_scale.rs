//! `timesheet` at report scale: the sandbox with 1,000 employees × 31 days on loopback, fetched and
//! decoded through the chunked client. Prints wall time, records per second and peak memory.
//!
//! Run: `cargo bench -p timebridge-timeclock --bench timesheet_scale`
//! (the sandbox runs in the same process, so peak memory covers both sides).

use std::time::{Duration, Instant};
use timebridge_sandbox::timeclock::TimeClockSimConfig;
use timebridge_sandbox::{SandboxConfig, DEMO_API_KEY};
use timebridge_timeclock::{ClientOptions, Secret, TimeClockClient, TimeClockConfig};

const EMPLOYEES: usize = 1_000;
const DAYS: u32 = 31;

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "n/a (no /proc/self/status)".into())
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sb = timebridge_sandbox::start(
            0,
            SandboxConfig {
                timeclock: TimeClockSimConfig {
                    employees: EMPLOYEES,
                    days: DAYS,
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .expect("sandbox");
        let today = sb.timeclock.today();
        let first = sb.timeclock.first_day();
        println!(
            "timesheet_scale: {EMPLOYEES} employees x {DAYS} days ({first} to {today}), sandbox in-process on loopback"
        );
        for (chunk_days, concurrency) in [(7u32, 4usize), (31, 1), (1, 8)] {
            let client = TimeClockClient::with_options(
                TimeClockConfig {
                    endpoint: sb.timeclock_endpoint().parse().expect("url"),
                    api_key: Secret::new(DEMO_API_KEY),
                    timeout: Duration::from_secs(120),
                },
                ClientOptions {
                    chunk_days,
                    max_concurrency: concurrency,
                    ..Default::default()
                },
            )
            .expect("client");
            for run in 1..=2 {
                let started = Instant::now();
                let employees = client.timesheet(first, today).await.expect("timesheet");
                let wall = started.elapsed();
                let sessions: usize = employees.iter().map(|e| e.sessions.len()).sum();
                let nested: usize = employees
                    .iter()
                    .flat_map(|e| &e.sessions)
                    .map(|s| s.lunches.len() + s.work_logs.len())
                    .sum();
                let records = sessions + nested;
                println!(
                    "  chunk {chunk_days:>2} d, concurrency {concurrency}, run {run}: {:>8.1} ms wall, {} employees, {sessions} sessions, {records} records (sessions+lunches+work logs), {:.0} records/s, peak RSS (VmHWM) {}",
                    wall.as_secs_f64() * 1000.0,
                    employees.len(),
                    records as f64 / wall.as_secs_f64(),
                    peak_memory()
                );
            }
        }
        // The two halves on their own: the simulator writing the whole month, the client decoding it.
        let started = Instant::now();
        let body = sb.timeclock.render_result("timesheet", first, today);
        let render = started.elapsed();
        let mut envelope = br#"{"jsonrpc":"2.0","id":1,"result":"#.to_vec();
        envelope.extend_from_slice(&body);
        envelope.push(b'}');
        drop(body);
        let started = Instant::now();
        let decoded: Vec<timebridge_timeclock::EmployeeTimesheet> =
            timebridge_timeclock::decode_response(&envelope, 1).expect("decode");
        let decode = started.elapsed();
        let started = Instant::now();
        let merged = timebridge_timeclock::merge(vec![decoded], chrono_tz::UTC);
        let resolve = started.elapsed();
        println!(
            "  one request's body: {:.1} MB; sandbox render {:.1} ms, client decode {:.1} ms, merge + zone resolution {:.1} ms ({} employees), peak RSS (VmHWM) {}",
            envelope.len() as f64 / 1_048_576.0,
            render.as_secs_f64() * 1000.0,
            decode.as_secs_f64() * 1000.0,
            resolve.as_secs_f64() * 1000.0,
            merged.len(),
            peak_memory()
        );
        drop((merged, envelope));
        sb.stop().await;
    });
}
