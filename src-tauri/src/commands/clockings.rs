use crate::state::AppState;
use timebridge_core::clocking::{self, ClockingDraft, ClockingPreview, OutboxCounts, OutboxItem};
use timebridge_core::AppError;

/// How many recent submissions the Clockings screen lists.
const RECENT: u32 = 50;

#[tauri::command]
#[specta::specta]
pub fn clocking_preview(draft: ClockingDraft) -> ClockingPreview {
    clocking::preview(&draft)
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_recent(state: tauri::State<'_, AppState>) -> Result<Vec<OutboxItem>, AppError> {
    let profile = state.workspace().await?.profile.id.clone();
    state.outbox().await?.recent(&profile, RECENT)
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_counts(state: tauri::State<'_, AppState>) -> Result<OutboxCounts, AppError> {
    let profile = state.workspace().await?.profile.id.clone();
    state.outbox().await?.counts(&profile)
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_discard(state: tauri::State<'_, AppState>, id: i32) -> Result<(), AppError> {
    state.outbox().await?.discard(id.into())
}
