//! `timebridge activities import FILE --structure-version ID --level N`: a CSV bulk upsert of activity
//! definitions by external reference. Every row is checked first (in the file, then against the level
//! and the level above); the rows that pass are sent once each. Prints created/updated/refused counts
//! with the reasons and exits non-zero if any row was refused. Every write lands in the audit log.

use crate::clockings::default_outbox_path;
use crate::connection::ConnectionArgs;
use std::path::PathBuf;
use timebridge_core::activity_admin::csv::{parse, upsert_all};
use timebridge_core::activity_admin::{Admin, Audit};
use timebridge_core::clocking::Outbox;
use timebridge_protime::LevelPath;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// CSV file: header row with externalReference,name[,name_<lang>…,shortCode,dataEntryCode,info,
    /// activeFrom,activeUntil,parent].
    pub file: PathBuf,
    /// The activity structure version id (a GUID from the myProtime configuration).
    #[arg(long, value_name = "ID")]
    pub structure_version: String,
    /// The level of the definitions in the file (1 is the top level).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub level: u32,
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The database whose audit log records every write (default: the CLI outbox in your data folder).
    #[arg(long, value_name = "PATH")]
    pub outbox: Option<PathBuf>,
}

/// Runs the import; `Ok(true)` when no row was refused.
pub async fn import(args: ImportArgs) -> Result<bool, String> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| {
        format!(
            "cannot read {} as UTF-8 text: {e} (save it as CSV UTF-8)",
            args.file.display()
        )
    })?;
    let plan = parse(&text);
    if !plan.errors.is_empty() {
        eprintln!(
            "{} has {} problem(s); those rows will not be sent:",
            args.file.display(),
            plan.errors.len()
        );
        for e in &plan.errors {
            eprintln!("  {e}");
        }
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
    let outbox = Outbox::open(&path).map_err(|e| e.to_string())?;
    let admin = Admin::new(
        &conn.protime,
        Some(Audit {
            outbox: &outbox,
            profile_id: &conn.target,
        }),
    );
    let at = LevelPath::new(&args.structure_version, args.level);
    let report = upsert_all(&admin, &at, &plan)
        .await
        .map_err(|e| e.to_string())?;
    for r in report.rows.iter().filter(|r| r.outcome == "Refused") {
        let key = if r.external_reference.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.external_reference)
        };
        println!("line {}{key}: refused: {}", r.line, r.reasons.join("; "));
    }
    println!(
        "created {}, updated {}, refused {}",
        report.created, report.updated, report.refused
    );
    Ok(report.refused == 0)
}
