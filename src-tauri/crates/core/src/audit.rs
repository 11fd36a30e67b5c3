//! The audit log of every write: the `audit` table (kept in the outbox database, so a send attempt
//! and its audit row share one connection), writing rows, and browsing them with a filter or
//! exporting them as CSV for auditors. Rows hold what was sent (bodies, never a secret or token).
//!
//! The table lives in whichever database implements [`AuditDb`]: the clocking outbox in the app and
//! the command line, an [`AuditLog`] of its own where no outbox is at hand.

use crate::dates::Day;
use crate::{AppError, ErrorCode};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// At most this many rows are shown or exported at once.
pub const MAX_ROWS: u32 = 5000;

/// One write as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AuditEntry {
    #[specta(type = i32)]
    pub id: i64,
    pub at: String,
    pub profile_id: String,
    /// The Protime tenant written to (empty in rows written before tenants were recorded).
    pub tenant: String,
    pub action: String,
    /// Method, path and body as sent.
    pub request: String,
    /// `Created`, `Refused`, `Uncertain` or `NotSent`.
    pub outcome: String,
    pub remote_id: Option<String>,
    pub message: Option<String>,
}

fn read_audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        profile_id: r.get(2)?,
        tenant: r.get(3)?,
        action: r.get(4)?,
        request: r.get(5)?,
        outcome: r.get(6)?,
        remote_id: r.get(7)?,
        message: r.get(8)?,
    })
}

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        action TEXT NOT NULL,
        request TEXT NOT NULL,
        outcome TEXT NOT NULL,
        remote_id TEXT,
        message TEXT
    );";

/// Creates the `audit` table if needed, and upgrades one made by an older Timebridge. Call it inside
/// [`crate::shared_sqlite::migrate_exclusively`]: another process may be upgrading the same file.
pub fn ensure_table(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    // SQLite has no `ADD COLUMN IF NOT EXISTS`.
    let has_tenant = conn
        .prepare("SELECT 1 FROM pragma_table_info('audit') WHERE name = ?1")?
        .exists(params!["tenant"])?;
    if !has_tenant {
        conn.execute_batch("ALTER TABLE audit ADD COLUMN tenant TEXT NOT NULL DEFAULT ''")?;
    }
    Ok(())
}

/// The error of a failed statement on the database that holds the audit table.
pub fn storage(e: rusqlite::Error) -> AppError {
    AppError::new(
        ErrorCode::Storage,
        format!("The local outbox database failed: {e}"),
    )
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A database that holds the `audit` table ([`ensure_table`]).
pub trait AuditDb: Sync {
    /// The connection, locked for one statement.
    fn audit_connection(&self) -> Result<MutexGuard<'_, Connection>, AppError>;

    /// Writes one audit row for a write: the action, the request as sent, its outcome (`Created`,
    /// `Updated`, `Deleted`, `Refused`, …), the remote id when one is known and the server's message.
    #[allow(clippy::too_many_arguments)]
    fn record_write(
        &self,
        profile_id: &str,
        tenant: &str,
        action: &str,
        request: &str,
        outcome: &str,
        remote_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<(), AppError> {
        // Writers call this from async code; the insert may wait on the disk or another process.
        crate::blocking::off_runtime(|| {
            self.audit_connection()?
                .execute(
                    "INSERT INTO audit (at, profile_id, tenant, action, request, outcome, remote_id, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![now(), profile_id, tenant, action, request, outcome, remote_id, message],
                )
                .map(|_| ())
                .map_err(storage)
        })
    }

    /// The newest audit rows of a profile.
    fn audit(&self, profile_id: &str, limit: u32) -> Result<Vec<AuditEntry>, AppError> {
        let filter = AuditFilter {
            profile_id: Some(profile_id.to_string()),
            ..Default::default()
        };
        self.audit_search(&filter, limit)
    }

    /// Audit rows matching `filter`, newest first, at most `limit`.
    fn audit_search(&self, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditEntry>, AppError> {
        let blank = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let text = blank(&filter.text).map(|t| format!("%{t}%"));
        let c = self.audit_connection()?;
        let rows = (|| {
            let mut stmt = c.prepare(
                "SELECT id, at, profile_id, tenant, action, request, outcome, remote_id, message FROM audit
                 WHERE (?1 IS NULL OR profile_id = ?1)
                   AND (?2 IS NULL OR substr(at, 1, 10) >= ?2)
                   AND (?3 IS NULL OR substr(at, 1, 10) <= ?3)
                   AND (?4 IS NULL OR outcome = ?4)
                   AND (?5 IS NULL OR request LIKE ?5 OR action LIKE ?5 OR tenant LIKE ?5 OR ifnull(message, '') LIKE ?5 OR ifnull(remote_id, '') LIKE ?5)
                 ORDER BY id DESC LIMIT ?6",
            )?;
            let rows = stmt.query_map(
                params![
                    blank(&filter.profile_id),
                    filter.from.map(|d| d.to_string()),
                    filter.until.map(|d| d.to_string()),
                    blank(&filter.outcome),
                    text,
                    limit
                ],
                read_audit_row,
            )?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })();
        rows.map_err(storage)
    }
}

/// An audit log in a database of its own, for writers that keep no outbox.
pub struct AuditLog {
    conn: Mutex<Connection>,
}

impl AuditLog {
    /// Opens (creating or upgrading if needed) the audit log at `path`.
    pub fn open(path: &Path) -> Result<Self, AppError> {
        let conn = crate::shared_sqlite::open(path, false).map_err(storage)?;
        crate::shared_sqlite::migrate_exclusively(&conn, ensure_table).map_err(storage)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }
}

impl AuditDb for AuditLog {
    fn audit_connection(&self) -> Result<MutexGuard<'_, Connection>, AppError> {
        self.conn
            .lock()
            .map_err(|_| AppError::internal("the audit log lock is poisoned"))
    }
}

/// What the audit screen filters on; every field is optional (`None` or blank = any).
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
pub struct AuditFilter {
    pub profile_id: Option<String>,
    /// First day (UTC), inclusive. A date that is not a day is refused while decoding the filter.
    pub from: Option<Day>,
    /// Last day (UTC), inclusive.
    pub until: Option<Day>,
    /// `Created`, `Refused`, `Uncertain` or `NotSent`.
    pub outcome: Option<String>,
    /// Free text searched in the action, the request, the message and the created id.
    pub text: Option<String>,
}

/// Audit rows matching the filter, newest first.
pub fn search(db: &dyn AuditDb, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    db.audit_search(filter, MAX_ROWS)
}

/// The audit database as the async callers hold it.
pub type SharedAuditDb = std::sync::Arc<dyn AuditDb + Send>;

/// Runs `f` on the audit database on tokio's blocking threads: SQLite calls wait on the disk and
/// on other processes' locks (up to the busy timeout), which must not stall the async runtime.
async fn on_blocking_thread<T: Send + 'static>(
    db: SharedAuditDb,
    f: impl FnOnce(&dyn AuditDb) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(move || f(&*db))
        .await
        .map_err(|e| AppError::internal(format!("the audit log task failed: {e}")))?
}

/// [`search`] for async callers, on a blocking thread.
pub async fn search_async(
    db: SharedAuditDb,
    filter: AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    on_blocking_thread(db, move |db| search(db, &filter)).await
}

/// [`export_csv`] for async callers, on a blocking thread.
pub async fn export_csv_async(db: SharedAuditDb, filter: AuditFilter) -> Result<String, AppError> {
    on_blocking_thread(db, move |db| export_csv(db, &filter)).await
}

/// [`save_csv`] for async callers, on a blocking thread.
pub async fn save_csv_async(
    db: SharedAuditDb,
    filter: AuditFilter,
    dir: PathBuf,
) -> Result<PathBuf, AppError> {
    on_blocking_thread(db, move |db| save_csv(db, &filter, &dir)).await
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
    // Every column but the id is text, some of it a server's words (messages, created ids): none
    // may run as a formula when an auditor opens the file.
    use crate::spreadsheet_text::text_cell;
    for e in entries.iter().rev() {
        w.write_record([
            e.id.to_string().as_str(),
            &text_cell(&e.at),
            &text_cell(&e.profile_id),
            &text_cell(&e.tenant),
            &text_cell(&e.action),
            &text_cell(&e.request),
            &text_cell(&e.outcome),
            &text_cell(e.remote_id.as_deref().unwrap_or("")),
            &text_cell(e.message.as_deref().unwrap_or("")),
        ])
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::internal(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal(format!("CSV is not UTF-8: {e}")))
}

/// The filtered rows as CSV text.
pub fn export_csv(db: &dyn AuditDb, filter: &AuditFilter) -> Result<String, AppError> {
    to_csv(&search(db, filter)?)
}

/// Writes the filtered rows as `timebridge-audit-<UTC time>.csv` into `dir` (the Downloads folder)
/// and returns the file's path.
pub fn save_csv(db: &dyn AuditDb, filter: &AuditFilter, dir: &Path) -> Result<PathBuf, AppError> {
    let text = export_csv(db, filter)?;
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

    #[tokio::test]
    async fn the_async_audit_calls_run_and_answer_like_the_blocking_ones() {
        let dir = tempfile::tempdir().unwrap();
        let log = std::sync::Arc::new(AuditLog::open(&dir.path().join("a.sqlite")).unwrap());
        log.record_write(
            "p",
            "acme",
            "Create clocking",
            "POST /x {}",
            "Created",
            None,
            None,
        )
        .unwrap();
        let rows = search_async(log.clone(), AuditFilter::default())
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        let csv = export_csv_async(log.clone(), AuditFilter::default())
            .await
            .unwrap();
        assert!(csv.contains("Create clocking"));
        let bad = serde_json::from_value::<AuditFilter>(serde_json::json!({"from": "not a date"}));
        assert!(bad.unwrap_err().to_string().contains("YYYY-MM-DD"));
        let path = save_csv_async(log, AuditFilter::default(), dir.path().join("out"))
            .await
            .unwrap();
        assert!(std::fs::read_to_string(path)
            .unwrap()
            .starts_with('\u{feff}'));
    }

    #[test]
    fn the_audit_csv_holds_no_live_formula() {
        let entry = AuditEntry {
            id: 7,
            at: "2026-01-05T08:00:00.000Z".into(),
            profile_id: "=1+1".into(),
            tenant: "+acme".into(),
            action: "Create clocking".into(),
            request: "POST /clockings {}".into(),
            outcome: "Refused".into(),
            remote_id: Some("@7".into()),
            message: Some("-HYPERLINK(\"http://evil.test\")".into()),
        };
        let text = to_csv(&[entry]).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let cells: Vec<String> = r
            .records()
            .flat_map(|rec| rec.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .collect();
        assert_eq!(cells[0], "7");
        assert_eq!(cells[2], "'=1+1");
        assert_eq!(cells[8], "'-HYPERLINK(\"http://evil.test\")");
        assert!(
            cells
                .iter()
                .all(|c| !crate::spreadsheet_text::is_formula_like(c)),
            "{cells:?}"
        );
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
        let log = AuditLog::open(&path).unwrap();
        log.record_write(
            "p",
            "acme",
            "Create activity definition",
            "POST /x {}",
            "Created",
            Some("7"),
            None,
        )
        .unwrap();
        let rows = search(&log, &AuditFilter::default()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].tenant, "acme");
        assert_eq!(rows[1].tenant, "", "the old row is kept, with no tenant");
        let by_tenant = AuditFilter {
            text: Some("acme".into()),
            ..Default::default()
        };
        assert_eq!(search(&log, &by_tenant).unwrap().len(), 1);
        drop(log);
        // Opening again does not try to add the column twice.
        assert_eq!(
            search(&AuditLog::open(&path).unwrap(), &AuditFilter::default())
                .unwrap()
                .len(),
            2
        );
    }
}
