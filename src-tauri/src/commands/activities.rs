//! Activity definition admin: browse, create, edit, upsert, deactivate, move, usages, restrictions,
//! CSV upsert. Each command calls one function of `timebridge_activities::service`; a definition is
//! named by one `DefinitionAt` (structure version, level, id), a level by one `LevelAt`.

use crate::state::AppState;
use timebridge_activities::csv::{CsvPlan, UpsertReport};
use timebridge_activities::{
    service, DefinitionAt, DefinitionDetail, DefinitionForm, DefinitionRow, FieldChange, LevelAt,
    MoveOutcome, ReferenceKey, RestrictionChange, RestrictionRow, StructureInfo, TreeRow,
    UpsertOutcome, UsageForm, UsageRow,
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
    at: LevelAt,
    date: Day,
) -> Result<Vec<DefinitionRow>, AppError> {
    service::list(&*state.workspace().await?, &at.path(), date).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_detail(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    date: Day,
) -> Result<DefinitionDetail, AppError> {
    let ws = state.workspace().await?;
    service::detail(&ws, &definition.path(), &definition.id, date).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_create(
    state: tauri::State<'_, AppState>,
    at: LevelAt,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<String, AppError> {
    // One workspace for the check and the write: a profile switch in between cannot redirect it.
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    service::create(&ws.writer(confirmed)?, &*log, &at.path(), &form).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_edit_preview(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    form: DefinitionForm,
) -> Result<Vec<FieldChange>, AppError> {
    let ws = state.workspace().await?;
    service::edit_preview(&ws, &definition.path(), &definition.id, &form).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_edit(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<Vec<FieldChange>, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::edit(&ws.writer(confirmed)?, &*log, &at, id, &form).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_upsert(
    state: tauri::State<'_, AppState>,
    at: LevelAt,
    reference: ReferenceKey,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<UpsertOutcome, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (name, value) = (&reference.name, &reference.value);
    service::upsert(
        &ws.writer(confirmed)?,
        &*log,
        &at.path(),
        name,
        value,
        &form,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_deactivate(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    until: Day,
    confirmed: bool,
) -> Result<Vec<FieldChange>, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::deactivate(&ws.writer(confirmed)?, &*log, &at, id, until).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_move(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    end_old_on: Day,
    form: DefinitionForm,
    confirmed: bool,
) -> Result<MoveOutcome, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::move_definition(&ws.writer(confirmed)?, &*log, &at, id, end_old_on, &form).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_usage_add(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    form: UsageForm,
    confirmed: bool,
) -> Result<Vec<UsageRow>, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::add_usage(&ws.writer(confirmed)?, &*log, &at, id, &form).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_usage_update(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    original: UsageRow,
    form: UsageForm,
    confirmed: bool,
) -> Result<Vec<UsageRow>, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::update_usage(&ws.writer(confirmed)?, &*log, &at, id, &original, &form).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_usage_delete(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    original: UsageRow,
    confirmed: bool,
) -> Result<Vec<UsageRow>, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::delete_usage(&ws.writer(confirmed)?, &*log, &at, id, &original).await
}

/// `levels` are the structure's level numbers; `proposed` the combinations as the editor holds them.
#[tauri::command]
#[specta::specta]
pub async fn activity_restrictions_preview(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    levels: Vec<u32>,
    proposed: Vec<Vec<RestrictionRow>>,
) -> Result<Vec<RestrictionChange>, AppError> {
    let ws = state.workspace().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::restrictions_preview(&ws, &at, id, &levels, &proposed).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_restrictions_save(
    state: tauri::State<'_, AppState>,
    definition: DefinitionAt,
    levels: Vec<u32>,
    proposed: Vec<Vec<RestrictionRow>>,
    confirmed: bool,
) -> Result<Vec<RestrictionChange>, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    let (at, id) = (definition.path(), &definition.id);
    service::set_restrictions(&ws.writer(confirmed)?, &*log, &at, id, &levels, &proposed).await
}

#[tauri::command]
#[specta::specta]
pub async fn activities_import_send(
    state: tauri::State<'_, AppState>,
    at: LevelAt,
    text: String,
    confirmed: bool,
) -> Result<UpsertReport, AppError> {
    let ws = state.workspace().await?;
    let log = state.outbox().await?;
    service::import_send(&ws.writer(confirmed)?, &*log, &at.path(), &text).await
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
