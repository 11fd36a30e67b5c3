//! `timebridge clockings import FILE`: every row checked first, then sent through the durable outbox;
//! waits until each row is sent or refused (reconciling uncertain ones).

use crate::connection::ConnectionArgs;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use timebridge_core::clocking::csv_import;
use timebridge_core::clocking::protime_gateway::ProtimeGateway;
use timebridge_core::clocking::{Outbox, OutboxStatus};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// CSV file: header row with person,date,time[,day],kind[,reason,activities,terminal,latitude,longitude].
    pub file: PathBuf,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The outbox database (default: timebridge/cli-outbox.sqlite in your data folder). Running the same
    /// file again with the same outbox resumes it instead of sending rows twice.
    #[arg(long, value_name = "PATH")]
    pub outbox: Option<PathBuf>,
    /// Give up waiting for uncertain or queued rows after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub max_wait: u64,
}

pub fn default_outbox_path() -> Result<PathBuf, String> {
    let base = dirs::data_dir().ok_or("cannot find your data folder: pass --outbox PATH")?;
    Ok(base.join("timebridge").join("cli-outbox.sqlite"))
}

/// Runs the import; `Ok(true)` when every row was sent.
pub async fn import(args: ImportArgs) -> Result<bool, String> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
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
    let outbox = Outbox::open(&path).map_err(|e| e.message)?;
    let items = csv_import::enqueue_plan(&outbox, &conn.target, &bytes, &plan)
        .map_err(|e| e.to_string())?;
    println!("{}: {} row(s) to send", args.file.display(), items.len());

    let gateway = ProtimeGateway {
        client: &conn.protime,
    };
    let deadline = Instant::now() + Duration::from_secs(args.max_wait);
    let mut pause = Duration::from_millis(200);
    loop {
        let report = outbox
            .drain(&conn.target, &gateway)
            .await
            .map_err(|e| e.to_string())?;
        let open = items
            .iter()
            .filter_map(|(_, id)| outbox.get(*id).ok().flatten())
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
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }

    let (mut sent, mut reconciled, mut refused, mut waiting) = (0, 0, Vec::new(), Vec::new());
    for (line, id) in &items {
        let Some(item) = outbox.get(*id).map_err(|e| e.to_string())? else {
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
            OutboxStatus::Rejected | OutboxStatus::Discarded => refused.push((line, item)),
            _ => waiting.push((line, item)),
        }
    }
    println!("sent: {sent} (of which {reconciled} found in Protime after an uncertain send, not sent again)");
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
