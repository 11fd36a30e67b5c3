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
