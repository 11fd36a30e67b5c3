//! `timebridge clockings import FILE`: every row checked first, then sent through the durable outbox;
//! waits until each row is sent or refused (reconciling uncertain ones).

use crate::connection::ConnectionArgs;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use timebridge_clocking::csv_import;
use timebridge_clocking::protime_gateway::ProtimeGateway;
use timebridge_clocking::{Outbox, OutboxStatus, ReconcilePolicy, WhenBusy};
use timebridge_core::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// CSV file: header row with person,date,time[,day],kind[,reason,activities,terminal,latitude,longitude].
    pub file: PathBuf,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The outbox database (default: timebridge/cli-outbox.sqlite in your data folder). Rows are keyed
    /// on what they are and on the tenant: running the same file (or an edited copy) again with the
    /// same outbox sends only the rows not sent yet.
    #[arg(long, value_name = "PATH")]
    pub outbox: Option<PathBuf>,
    /// Give up waiting for uncertain or queued rows after this many seconds (run the import again
    /// later to resume).
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub max_wait: u64,
    /// After an uncertain send (timeout, reset, 5xx), wait this many seconds before reading Protime
    /// back: a server may still commit a request after the client gave up on it. Default: --timeout
    /// plus 30.
    #[arg(long, value_name = "SECS")]
    pub quiet_period: Option<u64>,
    /// The least number of seconds between the two read-backs that must both find nothing before an
    /// uncertain row is sent again.
    #[arg(long, value_name = "SECS", default_value_t = 15)]
    pub recheck_spacing: u64,
}

pub fn default_outbox_path() -> Result<PathBuf, String> {
    let base = dirs::data_dir().ok_or("cannot find your data folder: pass --outbox PATH")?;
    Ok(base.join("timebridge").join("cli-outbox.sqlite"))
}

/// Runs the import; `Ok(true)` when every row was sent (now or by an earlier run).
pub async fn import(args: ImportArgs) -> Result<bool, String> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "{} is not UTF-8 text: save it as CSV UTF-8",
            args.file.display()
        )
    })?;
    let plan = csv_import::parse(&text);
    if !plan.errors.is_empty() {
        eprintln!(
            "{} has {} problem(s); nothing was sent:",
            args.file.display(),
            plan.errors.len()
        );
        for e in &plan.errors {
            eprintln!("  {e}");
        }
        return Err("fix the file and run the import again".into());
    }
    let conn = args.connection.connect()?;
    let path = match args.outbox {
        Some(p) => p,
        None => default_outbox_path()?,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut policy = ReconcilePolicy::for_timeout(conn.timeout);
    if let Some(q) = args.quiet_period {
        policy.quiet = Duration::from_secs(q);
    }
    policy.recheck_spacing = Duration::from_secs(args.recheck_spacing);
    let outbox = Outbox::open(&path)
        .map_err(|e| e.message)?
        .with_policy(policy);
    let rows =
        csv_import::enqueue_plan(&outbox, &conn.target, "cli", &plan).map_err(|e| e.to_string())?;
    let already: Vec<_> = rows
        .iter()
        .filter(|r| r.already_sent_at.is_some())
        .collect();
    println!(
        "{}: {} row(s), {} to send, {} already sent to this tenant",
        args.file.display(),
        rows.len(),
        rows.len() - already.len(),
        already.len()
    );

    let gateway = ProtimeGateway {
        client: &conn.protime,
    };
    let deadline = Instant::now() + Duration::from_secs(args.max_wait);
    let mut pause = Duration::from_millis(200);
    let mut told_busy = false;
    loop {
        // Another process sending from the same outbox: say who, once, then wait for its rounds.
        let when_busy = if told_busy {
            WhenBusy::Wait(deadline.saturating_duration_since(Instant::now()))
        } else {
            WhenBusy::GiveUp
        };
        let report = match outbox.drain(&conn.target, "cli", &gateway, when_busy).await {
            Ok(r) => r,
            Err(e) if e.code == ErrorCode::Conflict && !told_busy => {
                told_busy = true;
                eprintln!("{}; waiting for it", e.message);
                continue;
            }
            Err(e) => return Err(e.to_string()),
        };
        let open = rows
            .iter()
            .filter_map(|r| outbox.get(r.id).ok().flatten())
            .filter(|i| {
                matches!(
                    i.status,
                    OutboxStatus::Pending
                        | OutboxStatus::Queued
                        | OutboxStatus::Unknown
                        | OutboxStatus::Sending
                )
            })
            .count();
        if report.sent + report.rejected > 0 {
            pause = Duration::from_millis(200);
        }
        if open == 0 || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(pause.min(deadline.saturating_duration_since(Instant::now()))).await;
        pause = (pause * 2).min(Duration::from_secs(2));
    }

    let (mut sent, mut reconciled, mut refused, mut waiting) = (0, 0, Vec::new(), Vec::new());
    for row in rows.iter().filter(|r| r.already_sent_at.is_none()) {
        let Some(item) = outbox.get(row.id).map_err(|e| e.to_string())? else {
            continue;
        };
        match item.status {
            OutboxStatus::Sent => {
                sent += 1;
                if item
                    .message
                    .as_deref()
                    .is_some_and(|m| m.starts_with("Found in Protime"))
                {
                    reconciled += 1;
                }
            }
            OutboxStatus::Rejected | OutboxStatus::Discarded => refused.push((row.line, item)),
            _ => waiting.push((row.line, item)),
        }
    }
    println!("sent: {sent} (of which {reconciled} found in Protime after an uncertain send, not sent again)");
    println!("already sent: {}", already.len());
    for row in &already {
        println!(
            "  line {}: already in Protime, sent on {}",
            row.line,
            row.already_sent_at.as_deref().unwrap_or_default()
        );
    }
    println!("refused: {}", refused.len());
    for (line, item) in &refused {
        println!(
            "  line {line}: {}",
            item.message.clone().unwrap_or_default()
        );
        for r in &item.reasons {
            println!("    - {r}");
        }
    }
    if !waiting.is_empty() {
        println!(
            "not confirmed yet: {} (run the same import again to resume)",
            waiting.len()
        );
        for (line, item) in &waiting {
            println!(
                "  line {line}: {:?}: {}",
                item.status,
                item.message.clone().unwrap_or_default()
            );
        }
    }
    Ok(refused.is_empty() && waiting.is_empty())
}
