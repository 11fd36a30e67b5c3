//! `timebridge activities import FILE --structure-version ID --level N`: a CSV bulk upsert of activity
//! definitions by external reference. Every row is checked first (in the file, then against the level
//! and the level above); the rows that pass are sent one at a time. A row whose answer is lost
//! (timeout, reset, 5xx) may have been saved: it is read back (after a quiet period of at least the
//! request timeout, twice) before anything is sent again, so a row is never created twice, and running
//! the same file again updates what an earlier run saved. Prints created / updated /
//! found-after-uncertain / refused / still-uncertain counts with the reasons, and exits non-zero if
//! any row was refused or is still uncertain. Every write lands in the audit log.

use crate::clockings::default_outbox_path;
use crate::connection::ConnectionArgs;
use std::path::PathBuf;
use std::time::Duration;
use timebridge_activities::csv::{
    parse, upsert_all, CREATED, FOUND_AFTER_UNCERTAIN, REFUSED, UNCERTAIN, UPDATED,
};
use timebridge_activities::{Admin, Audit};
use timebridge_clocking::Outbox;
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
    /// Seconds to wait after a write whose answer was lost before reading back (and between the two
    /// read-backs); default: the --timeout. Shorter only when you know Protime's own timeout is.
    #[arg(long, value_name = "SECS", value_parser = quiet_secs)]
    pub quiet_period: Option<Duration>,
}

fn quiet_secs(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds (e.g. 60 or 0.5)"))?;
    if !(0.0..=3600.0).contains(&secs) {
        return Err(format!("'{s}': give 0 to 3600 seconds"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Runs the import; `Ok(true)` when no row was refused and none is still uncertain.
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
    let quiet = args
        .quiet_period
        .unwrap_or(Duration::from_secs(args.connection.timeout));
    let admin = Admin::new(
        &conn.protime,
        Some(Audit {
            log: &outbox,
            profile_id: &conn.target,
        }),
    )
    .with_quiet_period(quiet);
    let at = LevelPath::new(&args.structure_version, args.level);
    let report = upsert_all(&admin, &at, &plan)
        .await
        .map_err(|e| e.to_string())?;
    for r in &report.rows {
        let what = match r.outcome.as_str() {
            REFUSED => "refused",
            UNCERTAIN => "still uncertain (it may have been saved; run the file again to check and update it)",
            FOUND_AFTER_UNCERTAIN => "found in Protime after an uncertain send; not sent again",
            _ if r.reasons.is_empty() => continue,
            CREATED => "created",
            _ => "updated",
        };
        let key = if r.external_reference.is_empty() {
            String::new()
        } else {
            format!(" ({})", r.external_reference)
        };
        if r.reasons.is_empty() {
            println!("line {}{key}: {what}", r.line);
        } else {
            println!("line {}{key}: {what}: {}", r.line, r.reasons.join("; "));
        }
    }
    let (refused, uncertain) = (report.count(REFUSED), report.count(UNCERTAIN));
    println!(
        "created {}, updated {}, found after an uncertain send {}, refused {refused}, still uncertain {uncertain}",
        report.count(CREATED),
        report.count(UPDATED),
        report.count(FOUND_AFTER_UNCERTAIN),
    );
    Ok(refused == 0 && uncertain == 0)
}
