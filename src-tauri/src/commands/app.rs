use crate::state::AppState;
use serde::Serialize;
use timebridge_core::profiles::ProfileSummary;
use timebridge_core::AppError;

#[derive(Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    /// Loopback URL of the built-in sandbox while the Sandbox profile is active.
    pub sandbox_url: Option<String>,
    /// Where secrets are kept ("OS keychain" or the test mock).
    pub secret_store: String,
    /// The folder the log files are written to.
    pub log_dir: String,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(
    app: tauri::AppHandle,
    state: tauri::State<'_, AppState>,
) -> Result<AppInfo, AppError> {
    use tauri::Manager;
    let ws = state.workspace().await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        sandbox_url: ws.sandbox_url(),
        secret_store: state.secrets().describe().into(),
        log_dir: app
            .path()
            .app_log_dir()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn active_profile(state: tauri::State<'_, AppState>) -> Result<ProfileSummary, AppError> {
    Ok(state.workspace().await?.profile.clone())
}

/// Opens the log folder in the system's file manager and returns its path. The webview gets no
/// shell or file-system permission for this: the one folder is opened from Rust.
#[tauri::command]
#[specta::specta]
pub fn open_log_folder(app: tauri::AppHandle) -> Result<String, AppError> {
    use tauri::Manager;
    let storage = |m: String| AppError::new(timebridge_core::ErrorCode::Storage, m);
    let dir = app
        .path()
        .app_log_dir()
        .map_err(|e| storage(format!("Cannot find the log folder: {e}")))?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| storage(format!("Cannot create {}: {e}", dir.display())))?;
    crate::desktop::show_in_file_manager(&dir)?;
    Ok(dir.display().to_string())
}
