use crate::state::AppState;
use timebridge_core::access::{self, AccessClockingView};
use timebridge_core::dates::Day;
use timebridge_core::AppError;

/// `GET /access-clockings/{id}`, optionally with the person's employee number.
#[tauri::command]
#[specta::specta]
pub async fn access_clocking(
    state: tauri::State<'_, AppState>,
    id: i32,
    with_employee_number: bool,
) -> Result<AccessClockingView, AppError> {
    access::lookup(&*state.workspace().await?, id.into(), with_employee_number).await
}

/// Access clockings in a date range, optionally of one person.
#[tauri::command]
#[specta::specta]
pub async fn access_clockings(
    state: tauri::State<'_, AppState>,
    from: Day,
    until: Day,
    person_id: Option<i32>,
    with_employee_number: bool,
) -> Result<Vec<AccessClockingView>, AppError> {
    access::list(
        &*state.workspace().await?,
        from,
        until,
        person_id.map(i64::from),
        with_employee_number,
    )
    .await
}
