use crate::state::AppState;
use timebridge_core::timesheet::service::ExportFormat;
use timebridge_core::timesheet::{self, Report, ReportOptions};
use timebridge_core::AppError;

#[tauri::command]
#[specta::specta]
pub async fn timesheet_report(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    options: ReportOptions,
) -> Result<Report, AppError> {
    timesheet::service::report(&*state.workspace().await?, &from, &to, options).await
}

/// Writes the export (CSV, XLSX or PDF) to the user's Downloads folder and returns its path.
#[tauri::command]
#[specta::specta]
pub async fn timesheet_export(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    options: ReportOptions,
    format: ExportFormat,
) -> Result<String, AppError> {
    timesheet::service::export_to_downloads(&*state.workspace().await?, &from, &to, options, format)
        .await
}
