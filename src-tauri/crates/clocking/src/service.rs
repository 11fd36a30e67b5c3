//! What the app and the command line do with clockings, on the active workspace.

use super::cascade::{options_for_levels, LevelOptions};
use super::draft::ClockingDraft;
use super::outbox::{DrainReport, Outbox, OutboxItem, OutboxStatus, WhenBusy};
use super::protime_gateway::ProtimeGateway;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;
use timebridge_core::dates::Day;
use timebridge_core::workspace::{Workspace, WriteAccess};
use timebridge_core::AppError;

/// Stores the draft in the outbox for the workspace's tenant, sends what is due, and returns the
/// draft's item as it now stands. The same clocking submitted less than a minute ago is refused with
/// `Duplicate` unless `send_again`.
pub async fn submit(
    ws: &WriteAccess<'_>,
    outbox: &Outbox,
    draft: &ClockingDraft,
    send_again: bool,
) -> Result<OutboxItem, AppError> {
    super::day::refuse_closed_period(ws, draft).await?;
    let item = outbox.enqueue(&ws.tenant_key(), &ws.profile.id, draft, send_again)?;
    drain(ws, outbox).await?;
    outbox
        .get(item.id)?
        .ok_or_else(|| AppError::internal("the outbox lost an item"))
}

/// Sends (or reconciles) every due item of the workspace's tenant. When another process is sending
/// from the same outbox, waits a few seconds for it, then says who it is.
pub async fn drain(ws: &Workspace, outbox: &Outbox) -> Result<DrainReport, AppError> {
    outbox
        .drain(
            &ws.tenant_key(),
            &ws.profile.id,
            &ProtimeGateway {
                client: &ws.protime,
            },
            WhenBusy::Wait(Duration::from_secs(5)),
        )
        .await
}

/// "Retry": a refused or queued item goes back in line and is sent; an uncertain one is never sent
/// from here, it goes on being checked (the item says until when).
pub async fn retry(ws: &WriteAccess<'_>, outbox: &Outbox, id: i64) -> Result<OutboxItem, AppError> {
    let tenant = ws.tenant_key();
    let item = outbox.retry(id, &tenant)?;
    if item.status != OutboxStatus::Unknown {
        drain(ws, outbox).await?;
    }
    outbox
        .get(id)?
        .ok_or_else(|| AppError::new(timebridge_core::ErrorCode::NotFound, "No such outbox item"))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ReasonOption {
    #[specta(type = i32)]
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
}

/// Absence definitions that are reasons for clocking, enabled ones only, sorted by name.
pub async fn reasons(ws: &Workspace) -> Result<Vec<ReasonOption>, AppError> {
    let mut out: Vec<ReasonOption> = ws
        .protime
        .reasons()
        .await?
        .into_iter()
        .filter(|r| r.is_enabled != Some(false))
        .map(|r| ReasonOption {
            id: r.id,
            name: r.name.default,
            code: r.code,
        })
        .collect();
    out.sort_by_key(|r| r.name.to_lowercase());
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
pub struct ActivityChoice {
    pub level: u32,
    pub id: String,
}

/// The activity pickers: per level, what the person may book on `date` under the choices made.
pub async fn activity_levels(
    ws: &Workspace,
    date: Day,
    person_id: Option<&str>,
    choices: &[ActivityChoice],
) -> Result<Vec<LevelOptions>, AppError> {
    let catalog = crate::activities::catalog(ws, date).await?;
    let date = date.date();
    let chosen: BTreeMap<u32, String> = choices.iter().map(|c| (c.level, c.id.clone())).collect();
    Ok(options_for_levels(
        &catalog.levels,
        &catalog.nodes,
        date,
        person_id,
        &chosen,
    ))
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportedRow {
    pub line: u32,
    pub item: OutboxItem,
    /// The row was sent by an earlier import to the same tenant, at this time: not sent again.
    pub already_sent_at: Option<String>,
}

/// Imports a CSV text: nothing is sent unless every row is valid; then each row goes through the
/// outbox once (keyed on its content and occurrence, for this tenant) and the rows come back with
/// their outcome; rows an earlier import already sent say when.
pub async fn import_csv(
    ws: &WriteAccess<'_>,
    outbox: &Outbox,
    text: &str,
) -> Result<Vec<ImportedRow>, AppError> {
    let plan = super::csv_import::parse(text);
    if !plan.errors.is_empty() {
        let mut e = AppError::validation(format!(
            "The file has {} problem(s); nothing was sent",
            plan.errors.len()
        ));
        e.reasons = plan.errors.iter().map(|r| r.to_string()).collect();
        return Err(e);
    }
    let rows = super::csv_import::enqueue_plan(outbox, &ws.tenant_key(), &ws.profile.id, &plan)?;
    drain(ws, outbox).await?;
    rows.into_iter()
        .map(|row| {
            let item = outbox
                .get(row.id)?
                .ok_or_else(|| AppError::internal("the outbox lost an item"))?;
            Ok(ImportedRow {
                line: row.line,
                item,
                already_sent_at: row.already_sent_at,
            })
        })
        .collect()
}

/// Called on a timer by the app: sends queued and pending items, and reconciles uncertain ones, once
/// the connection is back. Quiet when there is nothing to do.
pub async fn drain_if_due(
    ws: &Workspace,
    outbox: &Outbox,
) -> Result<Option<DrainReport>, AppError> {
    if outbox.due_count(&ws.tenant_key())? == 0 {
        return Ok(None);
    }
    // In the background, never wait for another process: its round covers the same items.
    outbox
        .drain(
            &ws.tenant_key(),
            &ws.profile.id,
            &ProtimeGateway {
                client: &ws.protime,
            },
            WhenBusy::GiveUp,
        )
        .await
        .map(Some)
}
