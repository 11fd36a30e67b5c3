//! The audit log of every write (kept in the outbox database's `audit` table): browse with a
//! filter, export as CSV for auditors. Rows hold what was sent (bodies, never a secret or token).

use crate::clocking::outbox::AuditEntry;
use crate::clocking::Outbox;
use crate::{AppError, ErrorCode};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// At most this many rows are shown or exported at once.
pub const MAX_ROWS: u32 = 5000;

/// What the audit screen filters on; every field is optional (`None` or blank = any).
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
pub struct AuditFilter {
    pub profile_id: Option<String>,
    /// First day (UTC, `YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Last day (UTC, `YYYY-MM-DD`), inclusive.
    pub until: Option<String>,
    /// `Created`, `Refused`, `Uncertain` or `NotSent`.
    pub outcome: Option<String>,
    /// Free text searched in the action, the request, the message and the created id.
    pub text: Option<String>,
}

impl AuditFilter {
    fn validate(&self) -> Result<(), AppError> {
        for (what, d) in [("start date", &self.from), ("end date", &self.until)] {
            if let Some(d) = d.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                crate::dates::parse_day(d)
                    .map_err(|e| AppError::validation(format!("The {what}: {e}")))?;
            }
        }
        Ok(())
    }
}

/// Audit rows matching the filter, newest first.
pub fn search(outbox: &Outbox, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    filter.validate()?;
    outbox.audit_search(filter, MAX_ROWS)
}

/// CSV (comma separated, header row, RFC 4180 quoting, CRLF line ends as Excel expects) of the
/// rows, oldest first.
pub fn to_csv(entries: &[AuditEntry]) -> Result<String, AppError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::internal(format!("cannot write the CSV: {e}"));
    w.write_record([
        "id",
        "at (UTC)",
        "profile",
        "tenant",
        "action",
        "request",
        "outcome",
        "created id",
        "message",
    ])
    .map_err(fail)?;
    for e in entries.iter().rev() {
        w.write_record([
            e.id.to_string().as_str(),
            &e.at,
            &e.profile_id,
            &e.tenant,
            &e.action,
            &e.request,
            &e.outcome,
            e.remote_id.as_deref().unwrap_or(""),
            e.message.as_deref().unwrap_or(""),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal(format!("CSV is not UTF-8: {e}")))
}

/// The filtered rows as CSV text.
pub fn export_csv(outbox: &Outbox, filter: &AuditFilter) -> Result<String, AppError> {
    to_csv(&search(outbox, filter)?)
}

/// Writes the filtered rows as `timebridge-audit-<UTC time>.csv` into `dir` (the Downloads folder)
/// and returns the file's path.
pub fn save_csv(outbox: &Outbox, filter: &AuditFilter, dir: &Path) -> Result<PathBuf, AppError> {
    let text = export_csv(outbox, filter)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!("Cannot create the folder {}: {e}", dir.display()),
        )
    })?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("timebridge-audit-{stamp}.csv"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("timebridge-audit-{stamp}-{n}.csv"));
        n += 1;
    }
    // A byte-order mark, so Excel on Windows and Numbers on macOS read the file as UTF-8.
    std::fs::write(&path, format!("\u{feff}{text}")).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!("Cannot write {}: {e}", path.display()),
        )
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clocking::{service, ClockingDraft};
    use crate::workspace::Workspace;

    fn draft(person: i64, minutes: i32) -> ClockingDraft {
        ClockingDraft {
            person: crate::clocking::Reference::id(person),
            date: chrono::Local::now().date_naive().to_string(),
            time_of_day_in_minutes: minutes,
            kind: crate::clocking::ClockingKind::InOut,
            reason: None,
            is_open: None,
            activity_levels: vec![],
            terminal: None,
            latitude: None,
            longitude: None,
        }
    }

    #[tokio::test]
    async fn writes_appear_in_the_audit_log_filtered_and_as_csv() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(&dir.path().join("t.sqlite")).unwrap();
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let people = crate::people::list(&ws).await.unwrap();
        let a = service::submit(&ws, &outbox, &draft(people[0].id, 480), false)
            .await
            .unwrap();
        service::submit(&ws, &outbox, &draft(people[1].id, 555), false)
            .await
            .unwrap();

        let all = search(&outbox, &AuditFilter::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all
            .iter()
            .all(|e| e.outcome == "Created" && e.remote_id.is_some()));
        // The tenant comes from the client's token URL (`/tenants/sandbox/connect/token`).
        assert!(all
            .iter()
            .all(|e| e.tenant == timebridge_sandbox::DEMO_TENANT));
        assert!(all[0].id > all[1].id, "newest first");
        let created = a.remote_id.unwrap().to_string();
        let by_text = search(
            &outbox,
            &AuditFilter {
                text: Some(created.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(by_text
            .iter()
            .any(|e| e.remote_id.as_deref() == Some(created.as_str())));
        let today = chrono::Utc::now().date_naive().to_string();
        let none = AuditFilter {
            profile_id: Some("other".into()),
            ..Default::default()
        };
        assert!(search(&outbox, &none).unwrap().is_empty());
        let dated = AuditFilter {
            profile_id: Some("sandbox".into()),
            from: Some(today.clone()),
            until: Some(today),
            outcome: Some("Created".into()),
            text: Some(" ".into()),
        };
        assert_eq!(search(&outbox, &dated).unwrap().len(), 2);
        let bad = AuditFilter {
            from: Some("01/02/2025".into()),
            ..Default::default()
        };
        assert_eq!(
            search(&outbox, &bad).unwrap_err().code,
            ErrorCode::Validation
        );

        let csv = export_csv(&outbox, &AuditFilter::default()).unwrap();
        let mut lines = csv.lines();
        assert!(lines
            .next()
            .unwrap()
            .starts_with("id,at (UTC),profile,tenant,action,request"));
        assert_eq!(csv.lines().count(), 3);
        assert!(csv.contains("POST /clockings"));
        assert!(!csv.contains(timebridge_sandbox::DEMO_CLIENT_SECRET));

        let saved = save_csv(
            &outbox,
            &AuditFilter::default(),
            &dir.path().join("Downloads"),
        )
        .unwrap();
        let file = std::fs::read_to_string(&saved).unwrap();
        assert_eq!(
            file.strip_prefix('\u{feff}'),
            Some(csv.as_str()),
            "BOM, then the CSV"
        );
        assert!(csv.contains("\r\n") && !csv.replace("\r\n", "").contains('\n'));
        let again = save_csv(
            &outbox,
            &AuditFilter::default(),
            &dir.path().join("Downloads"),
        )
        .unwrap();
        assert_ne!(saved, again);
        ws.close().await;
    }

    #[test]
    fn an_audit_table_from_before_tenants_gains_the_column_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
                   profile_id TEXT NOT NULL, action TEXT NOT NULL, request TEXT NOT NULL,
                   outcome TEXT NOT NULL, remote_id TEXT, message TEXT);
                 INSERT INTO audit (at, profile_id, action, request, outcome)
                   VALUES ('2026-01-05T08:00:00.000Z', 'p', 'Create clocking', 'POST /clockings {}', 'Created');",
            )
            .unwrap();
        }
        let outbox = Outbox::open(&path).unwrap();
        outbox
            .record_write(
                "p",
                "acme",
                "Create activity definition",
                "POST /x {}",
                "Created",
                Some("7"),
                None,
            )
            .unwrap();
        let rows = search(&outbox, &AuditFilter::default()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].tenant, "acme");
        assert_eq!(rows[1].tenant, "", "the old row is kept, with no tenant");
        let by_tenant = AuditFilter {
            text: Some("acme".into()),
            ..Default::default()
        };
        assert_eq!(search(&outbox, &by_tenant).unwrap().len(), 1);
        drop(outbox);
        // Opening again does not try to add the column twice.
        assert_eq!(
            search(&Outbox::open(&path).unwrap(), &AuditFilter::default())
                .unwrap()
                .len(),
            2
        );
    }
}
