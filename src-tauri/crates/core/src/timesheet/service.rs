//! The timesheet report for the app: dates as the UI sends them, files where the user finds them.

use super::{
    csv_export, pdf_export, timeclock_report, xlsx_export, CsvOptions, PdfOptions, Report,
    ReportOptions, XlsxOptions,
};
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
) -> Result<Report, AppError> {
    timeclock_report(
        &ws.timeclock,
        date(from, "start")?,
        date(to, "end")?,
        options,
    )
    .await
}

/// The file format of an export and its options.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
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

    /// Fills what a PDF header states and the caller did not: the profile and the time now.
    pub fn with_context(mut self, profile_name: &str) -> Self {
        if let ExportFormat::Pdf(o) = &mut self {
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

/// Builds the report and writes it into the Downloads folder (or the home folder when there is
/// none), never overwriting an existing file. Returns the file's path.
pub async fn export_to_downloads(
    ws: &Workspace,
    from: &str,
    to: &str,
    options: ReportOptions,
    format: ExportFormat,
) -> Result<String, AppError> {
    let report = report(ws, from, to, options).await?;
    let format = format.with_context(&ws.profile.name);
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
