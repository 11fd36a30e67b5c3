use crate::state::AppState;
use timebridge_core::protime_totals::CacheStatus;
use timebridge_core::timesheet::service::ExportFormat;
use timebridge_core::timesheet::{self, Report, ReportOptions, SourceOptions};
use timebridge_core::AppError;

#[tauri::command]
#[specta::specta]
pub async fn timesheet_report(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    options: ReportOptions,
    source: SourceOptions,
) -> Result<Report, AppError> {
    timesheet::service::report(&*state.workspace().await?, &from, &to, options, source).await
}

/// Writes the export (CSV or XLSX) to the user's Downloads folder and returns its path.
#[tauri::command]
#[specta::specta]
pub async fn timesheet_export(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    options: ReportOptions,
    format: ExportFormat,
    source: SourceOptions,
) -> Result<String, AppError> {
    timesheet::service::export_to_downloads(
        &*state.workspace().await?,
        &from,
        &to,
        options,
        format,
        source,
    )
    .await
}

/// When the Protime totals of the period were last synced (nothing is fetched).
#[tauri::command]
#[specta::specta]
pub async fn protime_totals_status(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
) -> Result<CacheStatus, AppError> {
    timesheet::service::protime_cache_status(&*state.workspace().await?, &from, &to)
}

/// Syncs the Protime totals of the period: always with `force`, else only when older than 5 minutes.
#[tauri::command]
#[specta::specta]
pub async fn protime_totals_refresh(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    force: bool,
) -> Result<CacheStatus, AppError> {
    timesheet::service::refresh_protime_cache(&*state.workspace().await?, &from, &to, force).await
}
