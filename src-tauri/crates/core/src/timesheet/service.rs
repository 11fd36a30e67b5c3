//! The timesheet report for the app: dates as the UI sends them, files where the user finds them.

use super::sources::{build_report, ProtimeSide, SourceOptions};
use super::ReportSource;
use super::{
    csv_export, timeclock_report, xlsx_export, CsvOptions, Report, ReportOptions, XlsxOptions,
};
use crate::protime_totals::{CacheStatus, Window, DEFAULT_MAX_AGE};
use crate::workspace::Workspace;
use crate::AppError;
use chrono::NaiveDate;
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};

fn date(text: &str, what: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        AppError::validation(format!(
            "The {what} date '{text}' is not a date: use YYYY-MM-DD"
        ))
    })
}

pub async fn report(
    ws: &Workspace,
    from: &str,
    to: &str,
    options: ReportOptions,
    source: SourceOptions,
) -> Result<Report, AppError> {
    let (from, to) = (date(from, "start")?, date(to, "end")?);
    if source.source == ReportSource::TimeClock {
        return timeclock_report(&ws.timeclock, from, to, options).await;
    }
    let cache = ws.totals_cache()?;
    let scope = ws.totals_scope();
    let protime = ProtimeSide {
        client: &ws.protime,
        cache: &cache,
        scope: &scope,
    };
    build_report(
        source,
        Some(&ws.timeclock),
        &protime,
        from,
        to,
        options,
        DEFAULT_MAX_AGE,
    )
    .await
}

/// When the Protime totals of `from..=to` were last synced (nothing is fetched).
pub fn protime_cache_status(ws: &Workspace, from: &str, to: &str) -> Result<CacheStatus, AppError> {
    let window = Window {
        from: date(from, "start")?,
        to: date(to, "end")?,
    };
    ws.totals_cache()?.status(&ws.totals_scope(), window)
}

/// Syncs the Protime totals of `from..=to` now (`force`) or only when older than five minutes.
pub async fn refresh_protime_cache(
    ws: &Workspace,
    from: &str,
    to: &str,
    force: bool,
) -> Result<CacheStatus, AppError> {
    let window = Window {
        from: date(from, "start")?,
        to: date(to, "end")?,
    };
    let today = chrono::Local::now().date_naive();
    let cache = ws.totals_cache()?;
    let scope = ws.totals_scope();
    let max_age = if force {
        std::time::Duration::ZERO
    } else {
        DEFAULT_MAX_AGE
    };
    cache
        .ensure_fresh(&ws.protime, &scope, window, today, max_age)
        .await
}

/// The file format of an export and its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(tag = "format")]
pub enum ExportFormat {
    Csv(CsvOptions),
    Xlsx(XlsxOptions),
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv(_) => "csv",
            ExportFormat::Xlsx(_) => "xlsx",
        }
    }

    /// The file's bytes for a report.
    pub fn render(self, report: &Report) -> Result<Vec<u8>, AppError> {
        match self {
            ExportFormat::Csv(o) => csv_export::write(report, &o),
            ExportFormat::Xlsx(o) => xlsx_export::write(report, &o),
        }
        .map_err(AppError::validation)
    }
}

/// Builds the report and writes it into the Downloads folder (or the home folder when there is
/// none), never overwriting an existing file. Returns the file's path.
pub async fn export_to_downloads(
    ws: &Workspace,
    from: &str,
    to: &str,
    options: ReportOptions,
    format: ExportFormat,
    source: SourceOptions,
) -> Result<String, AppError> {
    let report = report(ws, from, to, options, source).await?;
    let bytes = format.render(&report)?;
    let dir = dirs::download_dir()
        .or_else(dirs::home_dir)
        .ok_or_else(|| {
            AppError::new(
                crate::ErrorCode::Storage,
                "Cannot find your Downloads folder",
            )
        })?;
    let path = free_name(
        &dir,
        &format!("timesheet-{from}-to-{to}"),
        format.extension(),
    );
    write_atomically(&path, &bytes)?;
    Ok(path.display().to_string())
}

fn free_name(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}).{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Temporary file beside the target, then rename: no partial file is ever left where payroll looks.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.partial-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        AppError::new(
            crate::ErrorCode::Storage,
            format!("Cannot write {}: {e}", path.display()),
        )
    })
}
