//! Activity definition admin: browse, create, edit, upsert, deactivate, move, usages, restrictions,
//! CSV upsert. Each command calls one function of `timebridge_activities::service`.

use crate::state::AppState;
use timebridge_activities::csv::{CsvPlan, UpsertReport};
use timebridge_activities::LevelPath;
use timebridge_activities::{
    service, DefinitionDetail, DefinitionForm, DefinitionRow, FieldChange, MoveOutcome,
    RestrictionChange, RestrictionRow, StructureInfo, TreeRow, UpsertOutcome, UsageForm, UsageRow,
};
use timebridge_core::dates::Day;
use timebridge_core::AppError;

/// Checks a CSV file's text without sending anything.
#[tauri::command]
#[specta::specta]
pub fn activities_import_check(text: String) -> CsvPlan {
    service::import_check(&text)
}

#[tauri::command]
#[specta::specta]
pub async fn activity_structures(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<StructureInfo>, AppError> {
    service::structures(&*state.workspace().await?).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_tree(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    levels: Vec<u32>,
    date: Day,
) -> Result<Vec<TreeRow>, AppError> {
    service::tree(
        &*state.workspace().await?,
        &structure_version,
        &levels,
        date,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_list(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    date: Day,
) -> Result<Vec<DefinitionRow>, AppError> {
    service::list(
        &*state.workspace().await?,
        &LevelPath::new(&structure_version, level),
        date,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_detail(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    date: Day,
) -> Result<DefinitionDetail, AppError> {
    service::detail(
        &*state.workspace().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        date,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_create(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<String, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::create(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_edit_preview(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    form: DefinitionForm,
) -> Result<Vec<FieldChange>, AppError> {
    service::edit_preview(
        &*state.workspace().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_edit(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<Vec<FieldChange>, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::edit(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_upsert(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    reference_name: String,
    reference_value: String,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<UpsertOutcome, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::upsert(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &reference_name,
        &reference_value,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_deactivate(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    until: Day,
    confirmed: bool,
) -> Result<Vec<FieldChange>, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::deactivate(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        until,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_move(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    end_old_on: Day,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<MoveOutcome, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::move_definition(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        end_old_on,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_usage_add(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    form: UsageForm,
    confirmed: bool,
) -> Result<Vec<UsageRow>, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::add_usage(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_usage_update(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    original: UsageRow,
    form: UsageForm,
    confirmed: bool,
) -> Result<Vec<UsageRow>, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::update_usage(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &original,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_usage_delete(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    original: UsageRow,
    confirmed: bool,
) -> Result<Vec<UsageRow>, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::delete_usage(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &original,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_restrictions_preview(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    levels: Vec<u32>,
    proposed: Vec<Vec<RestrictionRow>>,
) -> Result<Vec<RestrictionChange>, AppError> {
    service::restrictions_preview(
        &*state.workspace().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &levels,
        &proposed,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_restrictions_save(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    id: String,
    levels: Vec<u32>,
    proposed: Vec<Vec<RestrictionRow>>,
    confirmed: bool,
) -> Result<Vec<RestrictionChange>, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::set_restrictions(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &id,
        &levels,
        &proposed,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activities_import_send(
    state: tauri::State<'_, AppState>,
    structure_version: String,
    level: u32,
    text: String,
    confirmed: bool,
) -> Result<UpsertReport, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    service::import_send(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &LevelPath::new(&structure_version, level),
        &text,
    )
    .await
}

/// The custom external reference names remembered for the active profile (e.g.
/// `CustomActivityReference`): offered wherever a reference name is typed (upsert panel, usages,
/// and the clocking form's person/terminal/activity references).
#[tauri::command]
#[specta::specta]
pub async fn reference_names(state: tauri::State<'_, AppState>) -> Result<Vec<String>, AppError> {
    state
        .with_profiles(|p, _| Ok(p.reference_names(&p.active_id())))
        .await
}

/// Remembers a custom external reference name for the active profile (checked; predefined `@…`
/// names are not stored). Returns the names now remembered.
#[tauri::command]
#[specta::specta]
pub async fn reference_name_remember(
    state: tauri::State<'_, AppState>,
    name: String,
) -> Result<Vec<String>, AppError> {
    state
        .with_profiles(|p, _| {
            let id = p.active_id();
            p.remember_reference_name(&id, &name)
        })
        .await
}
