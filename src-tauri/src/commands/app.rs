use crate::state::AppState;
use serde::Serialize;
use timebridge_core::profiles::ProfileSummary;
use timebridge_core::AppError;

#[derive(Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    /// Loopback URL of the built-in sandbox while the Sandbox profile is active.
    pub sandbox_url: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: tauri::State<'_, AppState>) -> Result<AppInfo, AppError> {
    let ws = state.workspace().await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        sandbox_url: ws.sandbox_url(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn active_profile(state: tauri::State<'_, AppState>) -> Result<ProfileSummary, AppError> {
    Ok(state.workspace().await?.profile.clone())
}
