//! The timesheet report for the app: dates as the UI sends them, files where the user finds them.

use super::sources::{build_report, ProtimeSide, SourceOptions};
use super::ReportSource;
use super::{
    csv_export, pdf_export, timeclock_report, xlsx_export, CsvOptions, PdfOptions, Report,
    ReportOptions, XlsxOptions,
};
use crate::protime_totals::{CacheStatus, Window, DEFAULT_MAX_AGE};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use timebridge_core::dates::Period;
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;

pub async fn report(
    ws: &Workspace,
    period: Period,
    options: ReportOptions,
    source: SourceOptions,
) -> Result<Report, AppError> {
    let (from, to) = (period.first().date(), period.last().date());
    if source.source == ReportSource::TimeClock {
        return timeclock_report(&ws.timeclock, from, to, options).await;
    }
    let cache = crate::protime_totals::workspace_cache(ws)?;
    let scope = crate::protime_totals::scope_of(&ws.profile);
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

/// The part of `from..=to` the cache keeps (the change feed's reach); the rest is read from the
/// list with every report and has nothing to sync.
fn cached_window(period: Period) -> Result<Window, AppError> {
    let wanted = window_of(period);
    let today = chrono::Local::now().date_naive();
    Ok(crate::protime_totals::before_feed::split(wanted, today)
        .1
        .unwrap_or(wanted))
}

fn window_of(period: Period) -> Window {
    Window {
        from: period.first().date(),
        to: period.last().date(),
    }
}

/// When the Protime totals of the period were last synced (nothing is fetched).
pub fn protime_cache_status(ws: &Workspace, period: Period) -> Result<CacheStatus, AppError> {
    let window = cached_window(period)?;
    crate::protime_totals::workspace_cache(ws)?
        .status(&crate::protime_totals::scope_of(&ws.profile), window)
}

/// Syncs the Protime totals of `from..=to` now (`force`) or only when older than five minutes.
pub async fn refresh_protime_cache(
    ws: &Workspace,
    period: Period,
    force: bool,
) -> Result<CacheStatus, AppError> {
    let today = chrono::Local::now().date_naive();
    let wanted = window_of(period);
    let cache = crate::protime_totals::workspace_cache(ws)?;
    let Some(window) = crate::protime_totals::before_feed::split(wanted, today).1 else {
        // Wholly before the feed's reach: read from the list with every report, nothing to sync.
        return cache.status(&crate::protime_totals::scope_of(&ws.profile), wanted);
    };
    let scope = crate::protime_totals::scope_of(&ws.profile);
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize, specta::Type)]
#[serde(tag = "format")]
pub enum ExportFormat {
    Csv(CsvOptions),
    Xlsx(XlsxOptions),
    Pdf(PdfOptions),
}

impl ExportFormat {
    pub fn extension(&self) -> &'static str {
        match self {
            ExportFormat::Csv(_) => "csv",
            ExportFormat::Xlsx(_) => "xlsx",
            ExportFormat::Pdf(_) => "pdf",
        }
    }

    /// The file's bytes for a report.
    pub fn render(&self, report: &Report) -> Result<Vec<u8>, AppError> {
        match self {
            ExportFormat::Csv(o) => csv_export::write(report, o),
            ExportFormat::Xlsx(o) => xlsx_export::write(report, o),
            ExportFormat::Pdf(o) => pdf_export::write(report, o),
        }
        .map_err(AppError::validation)
    }

    /// Fills what a PDF header states and the caller did not: the profile, the time now, and the
    /// names the report's source knows (Protime's, in Protime and merged reports).
    pub fn with_context(mut self, profile_name: &str, report: &Report) -> Self {
        if let ExportFormat::Pdf(o) = &mut self {
            for r in &report.rows {
                if let Some(name) = r.name.as_ref().filter(|n| !n.trim().is_empty()) {
                    o.employee_names
                        .entry(r.employee_number.clone())
                        .or_insert_with(|| name.clone());
                }
            }
            if o.profile_name.is_empty() {
                o.profile_name = profile_name.to_string();
            }
            if o.generated_at.is_empty() {
                o.generated_at = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
            }
        }
        self
    }
}

/// How far an export has come, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
pub enum ExportStage {
    /// Reading sessions, lunches and absences from the source.
    Fetching,
    /// Building the report and writing the file.
    Writing,
}

/// Where an export goes unless the user chooses otherwise: a free name in the Downloads folder (or
/// the home folder when there is none, or it does not exist), `timesheet-<from>-to-<to>.<ext>`.
pub fn suggested_path(period: Period, format: &ExportFormat) -> Result<PathBuf, AppError> {
    let (from, to) = (period.first(), period.last());
    let dir = dirs::download_dir()
        .filter(|d| d.is_dir())
        .or_else(dirs::home_dir)
        .ok_or_else(|| {
            AppError::new(
                timebridge_core::ErrorCode::Storage,
                "Cannot find your Downloads folder: choose where to save the file",
            )
        })?;
    Ok(free_name(
        &dir,
        &format!("timesheet-{from}-to-{to}"),
        format.extension(),
    ))
}

/// Checks the file the user named before any data is fetched: a full path into an existing
/// folder, the format's extension (added when there is none), and no existing file unless the
/// user agreed to replace it (the save dialog asks).
pub fn check_target(path: &str, format: &ExportFormat, replace: bool) -> Result<PathBuf, AppError> {
    let text = path.trim();
    if text.is_empty() {
        return Err(AppError::validation("Say where to save the file"));
    }
    let mut target = PathBuf::from(text);
    if !target.is_absolute() {
        return Err(AppError::validation(format!(
            "'{text}' is not a full path: choose the folder with Choose…"
        )));
    }
    let ext = format.extension();
    match target.extension().and_then(|e| e.to_str()) {
        None => {
            target.set_extension(ext);
        }
        Some(e) if e.eq_ignore_ascii_case(ext) => {}
        Some(e) => {
            return Err(AppError::validation(format!(
                "The file name ends in .{e} but the format is {}: use .{ext}",
                ext.to_uppercase()
            )))
        }
    }
    let dir = target.parent().unwrap_or(Path::new(""));
    if !dir.is_dir() {
        return Err(AppError::validation(format!(
            "The folder {} does not exist",
            dir.display()
        )));
    }
    if target.is_dir() {
        return Err(AppError::validation(format!(
            "{} is a folder: add a file name",
            target.display()
        )));
    }
    if target.exists() && !replace {
        return Err(AppError::new(
            timebridge_core::ErrorCode::Conflict,
            format!(
                "{} already exists: choose another name, or pick it with Choose… to replace it",
                target.display()
            ),
        ));
    }
    Ok(target)
}

/// One export as the screen asks for it.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ExportRequest {
    pub period: Period,
    pub options: ReportOptions,
    pub format: ExportFormat,
    pub source: SourceOptions,
    /// Where to write the file (a full path).
    pub path: String,
    /// The user agreed to replace an existing file (the save dialog asked).
    pub replace: bool,
}

/// Builds the report and writes it to the request's path (checked first, see [`check_target`]),
/// telling `progress` each stage. The file appears whole or not at all. Returns the file's path.
pub async fn export_to_file(
    ws: &Workspace,
    request: ExportRequest,
    progress: &(dyn Fn(ExportStage) + Sync),
) -> Result<String, AppError> {
    let ExportRequest {
        period,
        options,
        format,
        source,
        path,
        replace,
    } = request;
    let target = check_target(&path, &format, replace)?;
    progress(ExportStage::Fetching);
    let report = report(ws, period, options, source).await?;
    progress(ExportStage::Writing);
    let format = format.with_context(&ws.profile.name, &report);
    let bytes = format.render(&report)?;
    write_atomically(&target, &bytes)?;
    Ok(target.display().to_string())
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

/// Temporary file beside the target (created exclusively, never through a planted link), flushed,
/// then renamed: no partial file is ever left where payroll looks, and a target that is a symbolic
/// link is refused rather than replaced or written through.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    timebridge_core::atomic_file::write_atomically(path, bytes, "the export")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timesheet::{CsvOptions, HoursFormat};

    fn csv() -> ExportFormat {
        ExportFormat::Csv(CsvOptions {
            delimiter: ';',
            decimal_comma: true,
            hours: HoursFormat::HoursMinutes,
            extra_columns: Vec::new(),
        })
    }

    #[test]
    fn the_target_is_checked_before_anything_is_fetched() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name).display().to_string();
        assert_eq!(
            check_target(&at("week"), &csv(), false).unwrap(),
            dir.path().join("week.csv"),
            "the extension is added"
        );
        assert!(check_target(&at("week.CSV"), &csv(), false).is_ok());
        let wrong = check_target(&at("week.xlsx"), &csv(), false).unwrap_err();
        assert!(wrong.message.contains(".csv"), "{}", wrong.message);
        assert!(check_target("week.csv", &csv(), false)
            .unwrap_err()
            .message
            .contains("full path"));
        assert!(check_target("  ", &csv(), false).is_err());
        assert!(check_target(&at("missing/week.csv"), &csv(), false)
            .unwrap_err()
            .message
            .contains("does not exist"));
        std::fs::write(dir.path().join("old.csv"), "payroll's file").unwrap();
        let taken = check_target(&at("old.csv"), &csv(), false).unwrap_err();
        assert_eq!(taken.code, timebridge_core::ErrorCode::Conflict);
        assert!(check_target(&at("old.csv"), &csv(), true).is_ok());
        std::fs::create_dir(dir.path().join("folder.csv")).unwrap();
        assert!(check_target(&at("folder.csv"), &csv(), true).is_err());
    }

    #[tokio::test]
    async fn an_export_reports_its_stages_and_a_failed_one_leaves_the_old_file() {
        let ws = Workspace::open_builtin_sandbox(3).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("week.csv").display().to_string();
        let to = chrono::Local::now().date_naive() - chrono::Duration::days(1);
        let period = Period::new((to - chrono::Duration::days(6)).into(), to.into()).unwrap();
        let (from, to) = (period.first(), period.last());
        let request = |replace: bool| ExportRequest {
            period,
            options: ReportOptions::default(),
            format: csv(),
            source: SourceOptions::default(),
            path: path.clone(),
            replace,
        };
        let stages = std::sync::Mutex::new(Vec::new());
        let record = |s: ExportStage| stages.lock().unwrap().push(s);
        let written = export_to_file(&ws, request(false), &record).await.unwrap();
        assert_eq!(written, path);
        assert_eq!(
            *stages.lock().unwrap(),
            vec![ExportStage::Fetching, ExportStage::Writing]
        );
        let first = std::fs::read(&path).unwrap();
        assert!(first.len() > 1000);
        // Not replaced without consent; a reversed period cannot even be asked for.
        assert!(export_to_file(&ws, request(false), &record).await.is_err());
        assert!(Period::new(to, from).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), first);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no partial files");
        let suggested = suggested_path(period, &csv()).unwrap();
        assert!(
            suggested
                .display()
                .to_string()
                .ends_with(&format!("timesheet-{from}-to-{to}.csv"))
                || suggested
                    .display()
                    .to_string()
                    .contains(&format!("timesheet-{from}-to-{to} ("))
        );
        ws.close().await;
    }
}
