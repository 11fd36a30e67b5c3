//! The activity admin on the active workspace: each function is one app command. Writes are recorded
//! in the audit log (the outbox database's, in the app) and mark the activity structure changed, so
//! the clocking form sees them at once.

use super::csv::{self as csv_upsert, CsvPlan, UpsertReport};
use super::*;
use timebridge_core::dates::Day;
use timebridge_core::workspace::{Workspace, WriteAccess};

fn reader(ws: &Workspace) -> Admin<'_> {
    Admin::new(&ws.protime, None)
}

fn writer<'a>(ws: &'a Workspace, log: &'a dyn AuditDb) -> Admin<'a> {
    Admin::new(
        &ws.protime,
        Some(Audit {
            log,
            profile_id: &ws.profile.id,
        }),
    )
}

async fn after_write<T>(ws: &Workspace, r: Result<T, AppError>) -> Result<T, AppError> {
    ws.activity_structure_changed();
    r
}

/// The profile's structure versions when it names any; otherwise what the sandbox lists (Protime
/// itself offers no list).
pub async fn structures(ws: &Workspace) -> Result<Vec<StructureInfo>, AppError> {
    if !ws.structure_versions.is_empty() {
        return Ok(ws
            .structure_versions
            .iter()
            .map(|v| StructureInfo {
                id: v.id.clone(),
                name: v.name.clone(),
                levels: v
                    .level_names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| super::LevelInfo {
                        level: i as u32 + 1,
                        name: name.clone(),
                    })
                    .collect(),
            })
            .collect());
    }
    reader(ws).structures().await
}

pub async fn tree(
    ws: &Workspace,
    structure_version: &str,
    levels: &[u32],
    date: Day,
) -> Result<Vec<TreeRow>, AppError> {
    reader(ws)
        .tree(structure_version, levels, date.date())
        .await
}

pub async fn list(
    ws: &Workspace,
    at: &LevelPath,
    date: Day,
) -> Result<Vec<DefinitionRow>, AppError> {
    reader(ws).list(at, date.date()).await
}

pub async fn detail(
    ws: &Workspace,
    at: &LevelPath,
    id: &str,
    date: Day,
) -> Result<DefinitionDetail, AppError> {
    reader(ws).detail(at, id, date.date()).await
}

pub async fn create(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    form: &DefinitionForm,
) -> Result<String, AppError> {
    after_write(ws, writer(ws, log).create(at, form).await).await
}

/// [`create`], saying how the definition got there (sent, found after an uncertain send, sent
/// again, or already there so nothing was sent), for a screen that says which.
pub async fn create_outcome(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    form: &DefinitionForm,
) -> Result<Written<String>, AppError> {
    let r = writer(ws, log)
        .create_outcome(at, form)
        .await
        .map_err(AppError::from);
    after_write(ws, r).await
}

pub async fn edit_preview(
    ws: &Workspace,
    at: &LevelPath,
    id: &str,
    form: &DefinitionForm,
) -> Result<Vec<FieldChange>, AppError> {
    reader(ws).edit_preview(at, id, form).await
}

pub async fn edit(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    form: &DefinitionForm,
) -> Result<Vec<FieldChange>, AppError> {
    after_write(ws, writer(ws, log).edit(at, id, form).await).await
}

pub async fn upsert(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    reference_name: &str,
    reference_value: &str,
    form: &DefinitionForm,
) -> Result<UpsertOutcome, AppError> {
    let r = writer(ws, log)
        .upsert(at, reference_name, reference_value, form)
        .await;
    after_write(ws, r).await
}

pub async fn deactivate(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    until: Day,
) -> Result<Vec<FieldChange>, AppError> {
    let r = writer(ws, log).deactivate(at, id, until.date()).await;
    after_write(ws, r).await
}

pub async fn move_definition(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    end_old_on: Day,
    form: &DefinitionForm,
) -> Result<MoveOutcome, AppError> {
    let r = writer(ws, log)
        .move_definition(at, id, end_old_on.date(), form)
        .await;
    after_write(ws, r).await
}

pub async fn add_usage(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    form: &UsageForm,
) -> Result<Vec<UsageRow>, AppError> {
    after_write(ws, writer(ws, log).add_usage(at, id, form).await).await
}

pub async fn update_usage(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    original: &UsageRow,
    form: &UsageForm,
) -> Result<Vec<UsageRow>, AppError> {
    let r = writer(ws, log).update_usage(at, id, original, form).await;
    after_write(ws, r).await
}

pub async fn delete_usage(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    original: &UsageRow,
) -> Result<Vec<UsageRow>, AppError> {
    after_write(ws, writer(ws, log).delete_usage(at, id, original).await).await
}

pub async fn restrictions_preview(
    ws: &Workspace,
    at: &LevelPath,
    id: &str,
    levels: &[u32],
    proposed: &[Vec<RestrictionRow>],
) -> Result<Vec<RestrictionChange>, AppError> {
    reader(ws)
        .restrictions_preview(at, id, levels, proposed)
        .await
}

pub async fn set_restrictions(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    id: &str,
    levels: &[u32],
    proposed: &[Vec<RestrictionRow>],
) -> Result<Vec<RestrictionChange>, AppError> {
    let r = writer(ws, log)
        .set_restrictions(at, id, levels, proposed)
        .await;
    after_write(ws, r).await
}

/// Checks a CSV file's text on its own, without any request.
pub fn import_check(text: &str) -> CsvPlan {
    csv_upsert::parse(text)
}

/// Checks the file, then sends the rows that pass.
pub async fn import_send(
    ws: &WriteAccess<'_>,
    log: &dyn AuditDb,
    at: &LevelPath,
    text: &str,
) -> Result<UpsertReport, AppError> {
    let plan = csv_upsert::parse(text);
    let r = csv_upsert::upsert_all(&writer(ws, log), at, &plan).await;
    after_write(ws, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_through_the_workspace_are_audited_and_refresh_the_catalog() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let log = timebridge_core::audit::AuditLog::open(&dir.path().join("o.sqlite")).unwrap();
        let s = structures(&ws).await.unwrap();
        let at = LevelPath::new(&s[0].id, 1);
        let before = timebridge_clocking::activities::catalog(&ws, "2025-01-01".parse().unwrap())
            .await
            .unwrap()
            .nodes
            .len();
        let form = DefinitionForm {
            name: "Via workspace".into(),
            external_reference: "WS-1".into(),
            ..Default::default()
        };
        let id = create(&ws.writer(false).unwrap(), &log, &at, &form)
            .await
            .unwrap();
        let catalog = timebridge_clocking::activities::catalog(&ws, "2025-01-01".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(catalog.nodes.len(), before + 1);
        assert!(catalog.nodes.iter().any(|n| n.id == id));
        let audit = log.audit(&ws.profile.id, 10).unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].remote_id.as_deref(), Some(id.as_str()));
        let rows = list(&ws, &at, "2025-01-01".parse().unwrap()).await.unwrap();
        assert!(rows.iter().any(|r| r.id == id && r.active));
        let plan = import_check("externalReference,name\nWS-1,Renamed\n");
        assert!(plan.errors.is_empty());
        let report = import_send(
            &ws.writer(false).unwrap(),
            &log,
            &at,
            "externalReference,name\nWS-1,Renamed\n",
        )
        .await
        .unwrap();
        assert_eq!(report.updated, 1);
        assert_eq!(log.audit(&ws.profile.id, 10).unwrap().len(), 2);
        // The same definition again: read back, found, nothing sent.
        let form = DefinitionForm {
            name: "Renamed".into(),
            ..form
        };
        let again = create_outcome(&ws.writer(false).unwrap(), &log, &at, &form)
            .await
            .unwrap();
        assert_eq!(
            (again.value.as_str(), again.how),
            (id.as_str(), How::AlreadyThere)
        );
        ws.close().await;
    }
}
