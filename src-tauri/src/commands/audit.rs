use crate::state::AppState;
use tauri::Manager;
use timebridge_core::audit::AuditEntry;
use timebridge_core::audit::{self, AuditFilter};
use timebridge_core::AppError;

#[tauri::command]
#[specta::specta]
pub async fn audit_log(
    state: tauri::State<'_, AppState>,
    filter: AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    // SQLite work goes to a blocking thread, off the async runtime.
    audit::search_async(state.outbox().await?, filter).await
}

/// The filtered audit rows as CSV text (for copying).
#[tauri::command]
#[specta::specta]
pub async fn audit_csv(
    state: tauri::State<'_, AppState>,
    filter: AuditFilter,
) -> Result<String, AppError> {
    audit::export_csv_async(state.outbox().await?, filter).await
}

/// Saves the filtered audit rows as a CSV file in the user's Downloads folder; returns its path.
#[tauri::command]
#[specta::specta]
pub async fn audit_save_csv(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
    filter: AuditFilter,
) -> Result<String, AppError> {
    // Without an XDG Downloads entry (a fresh account), fall back to ~/Downloads.
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir().map(|h| h.join("Downloads")))
        .map_err(|e| {
            AppError::new(
                timebridge_core::ErrorCode::Storage,
                format!("Cannot find the Downloads folder: {e}"),
            )
        })?;
    let path = audit::save_csv_async(state.outbox().await?, filter, dir).await?;
    Ok(path.display().to_string())
}
