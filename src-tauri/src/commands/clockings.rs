use crate::state::AppState;
use timebridge_clocking::cascade::LevelOptions;
use timebridge_clocking::csv_import::{self, ImportPlan};
use timebridge_clocking::day::PersonDay;
use timebridge_clocking::service::{self, ActivityChoice, ImportedRow, ReasonOption};
use timebridge_clocking::unpaired::{self, UnpairedDay};
use timebridge_clocking::{
    self as clocking, ClockingEntry, ClockingPreview, OutboxCounts, OutboxItem,
};
use timebridge_core::dates::{Day, Period};
use timebridge_core::AppError;

// Writes carry `confirmed`: `Workspace::writer` refuses them on a production profile unless the user
// confirmed them, and the write services accept nothing else.

/// How many recent submissions the Clockings screen lists.
const RECENT: u32 = 50;

#[tauri::command]
#[specta::specta]
pub fn clocking_preview(entry: ClockingEntry) -> ClockingPreview {
    clocking::preview_entry(entry)
}

/// What Protime holds for the entry's person on its date: that day's clockings, those identical to
/// the entry, and the date up to which the person's calendar is closed. `None` without a person.
#[tauri::command]
#[specta::specta]
pub async fn clocking_day(
    state: tauri::State<'_, AppState>,
    entry: ClockingEntry,
) -> Result<Option<PersonDay>, AppError> {
    timebridge_clocking::day::person_day(&*state.workspace().await?, entry).await
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_recent(state: tauri::State<'_, AppState>) -> Result<Vec<OutboxItem>, AppError> {
    let tenant = state.workspace().await?.tenant_key();
    state.outbox().await?.recent(&tenant, RECENT)
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_counts(state: tauri::State<'_, AppState>) -> Result<OutboxCounts, AppError> {
    let tenant = state.workspace().await?.tenant_key();
    state.outbox().await?.counts(&tenant)
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_discard(state: tauri::State<'_, AppState>, id: i32) -> Result<(), AppError> {
    let tenant = state.workspace().await?.tenant_key();
    state.outbox().await?.discard(id.into(), &tenant)
}

#[tauri::command]
#[specta::specta]
pub async fn submit_clocking(
    state: tauri::State<'_, AppState>,
    entry: ClockingEntry,
    confirmed: bool,
    send_again: bool,
) -> Result<OutboxItem, AppError> {
    let draft = entry.into_draft().map_err(clocking::draft::refused)?;
    let ws = state.workspace().await?;
    service::submit(
        &ws.writer(confirmed)?,
        &*state.outbox().await?,
        &draft,
        send_again,
    )
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn outbox_retry(
    state: tauri::State<'_, AppState>,
    id: i32,
    confirmed: bool,
) -> Result<OutboxItem, AppError> {
    let ws = state.workspace().await?;
    service::retry(&ws.writer(confirmed)?, &*state.outbox().await?, id.into()).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_reasons(
    state: tauri::State<'_, AppState>,
) -> Result<Vec<ReasonOption>, AppError> {
    service::reasons(&*state.workspace().await?).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_levels(
    state: tauri::State<'_, AppState>,
    date: Day,
    person_id: Option<String>,
    choices: Vec<ActivityChoice>,
) -> Result<Vec<LevelOptions>, AppError> {
    service::activity_levels(
        &*state.workspace().await?,
        date,
        person_id.as_deref(),
        &choices,
    )
    .await
}

/// Checks a CSV file's text without sending anything: valid rows and every problem by line.
#[tauri::command]
#[specta::specta]
pub fn clockings_import_check(text: String) -> ImportPlan {
    csv_import::parse(&text)
}

#[tauri::command]
#[specta::specta]
pub async fn clockings_import_send(
    state: tauri::State<'_, AppState>,
    text: String,
    confirmed: bool,
) -> Result<Vec<ImportedRow>, AppError> {
    let ws = state.workspace().await?;
    service::import_csv(&ws.writer(confirmed)?, &*state.outbox().await?, &text).await
}

/// The days of `period` on which a person's In/Out clockings in Protime do not pair up (a missing
/// in- or out-punch), for the report's "needs attention" list.
#[tauri::command]
#[specta::specta]
pub async fn unpaired_clocking_days(
    state: tauri::State<'_, AppState>,
    period: Period,
) -> Result<Vec<UnpairedDay>, AppError> {
    unpaired::unpaired_days(&*state.workspace().await?, period).await
}
