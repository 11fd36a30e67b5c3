use crate::state::AppState;
use timebridge_clocking::tenant_change::{settle_unsent, UnsentChoice};
use timebridge_core::connection::{self, ConnectionTest};
use timebridge_core::profiles::{ProfileInput, ProfileSettings, ProfileSummary, ProfileView};
use timebridge_core::AppError;

#[tauri::command]
#[specta::specta]
pub async fn list_profiles(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<ProfileView>, AppError> {
    state.with_profiles(|p, s| p.list(s)).await
}

/// Adds or updates a profile; the secrets in `input` go to the keychain, never to the file.
#[tauri::command]
#[specta::specta]
pub async fn save_profile(
    state: tauri::State<'_, AppState>,
    input: ProfileInput,
    unsent: Option<UnsentChoice>,
) -> Result<ProfileSettings, AppError> {
    if let Some(id) = &input.id {
        let old = state.with_profiles(|p, _| p.get(id)).await?;
        let outbox = state.outbox().await?;
        settle_unsent(&outbox, state.secrets(), &old, Some(&input.protime), unsent).await?;
    }
    let saved = state.with_profiles(|p, s| p.save_profile(s, input)).await?;
    state.forget_workspace_of(&saved.id).await;
    Ok(saved)
}

#[tauri::command]
#[specta::specta]
pub async fn duplicate_profile(
    state: tauri::State<'_, AppState>,
    id: String,
) -> Result<ProfileSettings, AppError> {
    state.with_profiles(|p, s| p.duplicate(s, &id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_profile(
    state: tauri::State<'_, AppState>,
    id: String,
    unsent: Option<UnsentChoice>,
) -> Result<(), AppError> {
    let old = state.with_profiles(|p, _| p.get(&id)).await?;
    let outbox = state.outbox().await?;
    settle_unsent(&outbox, state.secrets(), &old, None, unsent).await?;
    state.with_profiles(|p, s| p.delete(s, &id)).await?;
    state.forget_workspace_of(&id).await;
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn switch_profile(
    state: tauri::State<'_, AppState>,
    id: String,
) -> Result<ProfileSummary, AppError> {
    Ok(state.switch_profile(&id).await?.profile.clone())
}

/// Tests both systems of a saved profile with its stored secrets.
#[tauri::command]
#[specta::specta]
pub async fn test_connection(
    state: tauri::State<'_, AppState>,
    id: String,
) -> Result<ConnectionTest, AppError> {
    let settings = state.with_profiles(|p, _| p.get(&id)).await?;
    let active = state.current_workspace().await;
    Ok(connection::test_profile(&settings, state.secrets(), active.as_deref()).await)
}
