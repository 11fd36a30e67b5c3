use crate::state::AppState;
use crate::tasks::Tasks;
use std::path::PathBuf;
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use timebridge_core::dates::Period;
use timebridge_core::AppError;
use timebridge_reports::protime_totals::CacheStatus;
use timebridge_reports::timesheet::presets::{self, ReportPreset};
use timebridge_reports::timesheet::service::{self, ExportFormat, ExportRequest, ExportStage};
use timebridge_reports::timesheet::{Report, ReportOptions, SourceOptions};

/// The report, as task `task_id` (cancellable with `cancel_task`).
#[tauri::command]
#[specta::specta]
pub async fn timesheet_report(
    state: State<'_, AppState>,
    tasks: State<'_, Tasks>,
    task_id: String,
    period: Period,
    options: ReportOptions,
    source: SourceOptions,
) -> Result<Report, AppError> {
    let ws = state.workspace().await?;
    tasks
        .run(&task_id, service::report(&ws, period, options, source))
        .await
}

/// Where the export goes unless the user chooses: a free name in Downloads.
#[tauri::command]
#[specta::specta]
pub fn timesheet_suggest_path(period: Period, format: ExportFormat) -> Result<String, AppError> {
    service::suggested_path(period, &format).map(|p| p.display().to_string())
}

/// The native save dialog, starting at `suggested`; `None` when the user cancels it.
#[tauri::command]
#[specta::specta]
pub async fn timesheet_choose_path(
    app: tauri::AppHandle,
    suggested: String,
    format: ExportFormat,
) -> Result<Option<String>, AppError> {
    let suggested = PathBuf::from(suggested);
    let ext = format.extension();
    let mut dialog = app
        .dialog()
        .file()
        .set_title("Save the timesheet export")
        .add_filter(ext.to_uppercase(), &[ext]);
    if let Some(dir) = suggested.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    if let Some(name) = suggested.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |chosen| {
        let _ = tx.send(chosen);
    });
    Ok(rx
        .await
        .ok()
        .flatten()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Builds the report and writes it (CSV, XLSX or PDF) where the request says, as task `task_id`.
/// Returns the file's path.
#[tauri::command]
#[specta::specta]
pub async fn timesheet_export(
    state: State<'_, AppState>,
    tasks: State<'_, Tasks>,
    task_id: String,
    request: ExportRequest,
) -> Result<String, AppError> {
    let ws = state.workspace().await?;
    let progress = |stage| tasks.set_stage(&task_id, stage);
    let written = tasks
        .run(&task_id, service::export_to_file(&ws, request, &progress))
        .await?;
    tasks.remember_export(&PathBuf::from(&written));
    Ok(written)
}

/// The stage a running task reported, for its progress bar.
#[tauri::command]
#[specta::specta]
pub fn task_stage(tasks: State<'_, Tasks>, task_id: String) -> Option<ExportStage> {
    tasks.stage(&task_id)
}

/// Cancels a running task; `false` when it already ended.
#[tauri::command]
#[specta::specta]
pub fn cancel_task(tasks: State<'_, Tasks>, task_id: String) -> bool {
    tasks.cancel(&task_id)
}

/// Shows an exported file in the file manager (only files exported in this session).
#[tauri::command]
#[specta::specta]
pub fn show_export(tasks: State<'_, Tasks>, path: String) -> Result<(), AppError> {
    let path = PathBuf::from(path);
    if !tasks.was_exported(&path) {
        return Err(AppError::validation(
            "Only files Timebridge exported in this session can be shown",
        ));
    }
    crate::desktop::show_in_file_manager(&path)
}

/// When the Protime totals of the period were last synced (nothing is fetched).
#[tauri::command]
#[specta::specta]
pub async fn protime_totals_status(
    state: State<'_, AppState>,
    period: Period,
) -> Result<CacheStatus, AppError> {
    service::protime_cache_status(&*state.workspace().await?, period)
}

/// Syncs the Protime totals of the period: always with `force`, else only when older than 5 minutes.
#[tauri::command]
#[specta::specta]
pub async fn protime_totals_refresh(
    state: State<'_, AppState>,
    period: Period,
    force: bool,
) -> Result<CacheStatus, AppError> {
    service::refresh_protime_cache(&*state.workspace().await?, period, force).await
}

/// The active profile's saved reports, by name.
#[tauri::command]
#[specta::specta]
pub async fn report_presets(state: State<'_, AppState>) -> Result<Vec<ReportPreset>, AppError> {
    state
        .with_profiles(|p, _| presets::list(p.settings(), &p.active_id()))
        .await
}

/// Saves a report preset for the active profile (one of the same name is replaced).
#[tauri::command]
#[specta::specta]
pub async fn report_preset_save(
    state: State<'_, AppState>,
    preset: ReportPreset,
) -> Result<Vec<ReportPreset>, AppError> {
    state
        .with_profiles(|p, _| {
            let profile = p.active_id();
            presets::save(p.settings_mut(), &profile, preset)
        })
        .await
}

/// Deletes the active profile's report preset called `name`.
#[tauri::command]
#[specta::specta]
pub async fn report_preset_delete(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<ReportPreset>, AppError> {
    state
        .with_profiles(|p, _| {
            let profile = p.active_id();
            presets::delete(p.settings_mut(), &profile, &name)
        })
        .await
}
