use crate::state::AppState;
use timebridge_core::connection::{self, ConnectionStatus};
use timebridge_core::AppError;

#[tauri::command]
#[specta::specta]
pub async fn connection_status(
    state: tauri::State<'_, AppState>,
) -> Result<ConnectionStatus, AppError> {
    let ws = state.workspace().await?;
    Ok(connection::check(&ws).await)
}
