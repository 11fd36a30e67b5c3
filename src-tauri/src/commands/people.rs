use crate::state::AppState;
use timebridge_core::people::{self, PersonSummary};
use timebridge_core::AppError;

#[tauri::command]
#[specta::specta]
pub async fn list_people(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<PersonSummary>, AppError> {
    people::list(&*state.workspace().await?).await
}
