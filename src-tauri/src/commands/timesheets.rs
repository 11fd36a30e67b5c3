use crate::state::AppState;
use timebridge_core::timesheet::{self, CsvOptions, Report, ReportOptions};
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

/// Writes the CSV to the user's Downloads folder and returns its path.
#[tauri::command]
#[specta::specta]
pub async fn timesheet_export_csv(
    state: tauri::State<'_, AppState>,
    from: String,
    to: String,
    options: ReportOptions,
    csv: CsvOptions,
) -> Result<String, AppError> {
    timesheet::service::export_csv_to_downloads(
        &*state.workspace().await?,
        &from,
        &to,
        options,
        csv,
    )
    .await
}
