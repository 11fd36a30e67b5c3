//! The durable outbox. Every clocking is written here first (SQLite, WAL, `synchronous=FULL`) and only
//! then sent, once. The Protime API has no idempotency key and a POST that timed out may have been
//! committed, so an item whose fate is unknown is reconciled by reading the person's clockings back
//! before it is ever sent again.
//!
//! States: `Pending` → `Sending` → `Sent` | `Rejected` | `Queued` (never left: offline) | `Unknown`
//! (may have been committed). A crash while `Sending` is read back as `Unknown` on the next start.

use super::draft::ClockingDraft;
use crate::AppError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashSet;
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
pub enum OutboxStatus {
    Pending,
    Sending,
    Sent,
    Rejected,
    Queued,
    Unknown,
    Discarded,
}

impl OutboxStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Sending => "Sending",
            Self::Sent => "Sent",
            Self::Rejected => "Rejected",
            Self::Queued => "Queued",
            Self::Unknown => "Unknown",
            Self::Discarded => "Discarded",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "Pending" => Self::Pending,
            "Sending" => Self::Sending,
            "Sent" => Self::Sent,
            "Rejected" => Self::Rejected,
            "Queued" => Self::Queued,
            "Discarded" => Self::Discarded,
            _ => Self::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OutboxItem {
    #[specta(type = i32)]
    pub id: i64,
    pub client_id: String,
    pub profile_id: String,
    pub draft: ClockingDraft,
    pub status: OutboxStatus,
    /// The clocking id Protime gave (from `Location`, or found when reconciling).
    #[specta(type = Option<i32>)]
    pub remote_id: Option<i64>,
    pub attempts: u32,
    pub message: Option<String>,
    pub reasons: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Why a send did not produce an id.
#[derive(Debug, Clone)]
pub enum SendFailure {
    /// The request never reached the server (no connection, 429): safe to send again later.
    NotSent(String),
    /// The server refused it (4xx): sending again would fail the same way.
    Rejected(AppError),
    /// It may have been committed (timeout, reset, 5xx after the request left).
    Uncertain(String),
}

/// What the outbox needs from the Protime API.
pub trait ClockingGateway: Sync {
    /// The tenant the clockings go to, as the audit log names it.
    fn tenant(&self) -> String;
    /// `POST /clockings`, never retried; the id comes from `Location`.
    fn create(
        &self,
        draft: &ClockingDraft,
    ) -> impl Future<Output = Result<i64, SendFailure>> + Send;
    /// Ids of existing clockings identical to the draft (person, date and time, kind, reason,
    /// activities), read back from the API.
    fn find_matches(
        &self,
        draft: &ClockingDraft,
    ) -> impl Future<Output = Result<Vec<i64>, AppError>> + Send;
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct DrainReport {
    pub sent: u32,
    /// Of `sent`: found already present when reconciling, so not sent again.
    pub reconciled: u32,
    pub rejected: u32,
    pub queued: u32,
    pub unknown: u32,
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct OutboxCounts {
    pub pending: u32,
    pub sent: u32,
    pub rejected: u32,
    pub queued: u32,
    pub unknown: u32,
}

pub struct Outbox {
    conn: Mutex<Connection>,
    /// One drain at a time, so no item is ever in flight twice.
    drain_lock: tokio::sync::Mutex<()>,
}

fn storage(e: rusqlite::Error) -> AppError {
    AppError::new(
        crate::ErrorCode::Storage,
        format!("The local outbox database failed: {e}"),
    )
}

/// Adds a column to a table made by an older Timebridge (SQLite has no `ADD COLUMN IF NOT EXISTS`).
fn add_column_if_missing(
    conn: &Connection,
    table: &str,
    column: &str,
    definition: &str,
) -> rusqlite::Result<()> {
    let present = conn
        .prepare(&format!(
            "SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"
        ))?
        .exists(params![column])?;
    if !present {
        conn.execute_batch(&format!(
            "ALTER TABLE {table} ADD COLUMN {column} {definition}"
        ))?;
    }
    Ok(())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A client id unique across processes and restarts: time, process and a counter.
fn new_client_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!(
        "tb-{nanos:x}-{:x}-{:x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

const ITEM_COLUMNS: &str =
    "id, client_id, profile_id, draft, status, remote_id, attempts, message, reasons, created_at, updated_at";

fn read_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    let draft_json: String = row.get(3)?;
    let reasons_json: String = row.get(8)?;
    let status: String = row.get(4)?;
    Ok(OutboxItem {
        id: row.get(0)?,
        client_id: row.get(1)?,
        profile_id: row.get(2)?,
        draft: serde_json::from_str(&draft_json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?,
        status: OutboxStatus::parse(&status),
        remote_id: row.get(5)?,
        attempts: row.get(6)?,
        message: row.get(7)?,
        reasons: serde_json::from_str(&reasons_json).unwrap_or_default(),
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
    })
}

impl Outbox {
    /// Opens (creating if needed) the outbox at `path`. Items left `Sending` by a crash become `Unknown`.
    pub fn open(path: &Path) -> Result<Self, AppError> {
        let conn = Connection::open(path).map_err(storage)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(storage)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(storage)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(storage)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                client_id TEXT NOT NULL UNIQUE,
                profile_id TEXT NOT NULL,
                draft TEXT NOT NULL,
                status TEXT NOT NULL,
                remote_id INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                message TEXT,
                reasons TEXT NOT NULL DEFAULT '[]',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS outbox_status ON outbox(profile_id, status);
            CREATE TABLE IF NOT EXISTS audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                profile_id TEXT NOT NULL,
                action TEXT NOT NULL,
                request TEXT NOT NULL,
                outcome TEXT NOT NULL,
                remote_id TEXT,
                message TEXT
            );",
        )
        .map_err(storage)?;
        add_column_if_missing(&conn, "audit", "tenant", "TEXT NOT NULL DEFAULT ''")
            .map_err(storage)?;
        conn.execute(
            "UPDATE outbox SET status = 'Unknown', message = 'Timebridge stopped while sending; checking Protime before any resend', updated_at = ?1 WHERE status = 'Sending'",
            params![now()],
        )
        .map_err(storage)?;
        Ok(Self {
            conn: Mutex::new(conn),
            drain_lock: tokio::sync::Mutex::new(()),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, AppError> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| AppError::internal("the outbox lock is poisoned"))?;
        f(&conn).map_err(storage)
    }

    /// Validates and stores a draft as `Pending`. Nothing is sent here.
    pub fn enqueue(&self, profile_id: &str, draft: &ClockingDraft) -> Result<OutboxItem, AppError> {
        self.enqueue_keyed(profile_id, &new_client_id(), draft)
    }

    /// Like [`Outbox::enqueue`], with a caller-chosen client id: enqueuing the same key again returns
    /// the stored item instead of adding a second one. An import keyed on (file, line) can therefore
    /// be run again after a crash without sending any row twice.
    pub fn enqueue_keyed(
        &self,
        profile_id: &str,
        client_id: &str,
        draft: &ClockingDraft,
    ) -> Result<OutboxItem, AppError> {
        if let Err(issues) = draft.validate() {
            let mut e = AppError::validation("The clocking is not valid; nothing was sent");
            e.reasons = issues
                .into_iter()
                .map(|i| format!("{}: {}", i.field, i.message))
                .collect();
            return Err(e);
        }
        let json = serde_json::to_string(draft).map_err(|e| AppError::internal(e.to_string()))?;
        let ts = now();
        let id = self.with(|c| {
            c.execute(
                "INSERT OR IGNORE INTO outbox (client_id, profile_id, draft, status, created_at, updated_at) VALUES (?1, ?2, ?3, 'Pending', ?4, ?4)",
                params![client_id, profile_id, json, ts],
            )?;
            c.query_row("SELECT id FROM outbox WHERE client_id = ?1", params![client_id], |r| r.get(0))
        })?;
        self.get(id)?
            .ok_or_else(|| AppError::internal("the outbox lost a row it just wrote"))
    }

    pub fn get(&self, id: i64) -> Result<Option<OutboxItem>, AppError> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {ITEM_COLUMNS} FROM outbox WHERE id = ?1"),
                params![id],
                read_item,
            )
            .optional()
        })
    }

    /// The newest items first.
    pub fn recent(&self, profile_id: &str, limit: u32) -> Result<Vec<OutboxItem>, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE profile_id = ?1 ORDER BY id DESC LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![profile_id, limit], read_item)?;
            rows.collect()
        })
    }

    pub fn counts(&self, profile_id: &str) -> Result<OutboxCounts, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT status, COUNT(*) FROM outbox WHERE profile_id = ?1 GROUP BY status",
            )?;
            let mut counts = OutboxCounts::default();
            let rows = stmt.query_map(params![profile_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
            })?;
            for row in rows {
                let (status, n) = row?;
                match OutboxStatus::parse(&status) {
                    OutboxStatus::Pending | OutboxStatus::Sending => counts.pending += n,
                    OutboxStatus::Sent => counts.sent += n,
                    OutboxStatus::Rejected => counts.rejected += n,
                    OutboxStatus::Queued => counts.queued += n,
                    OutboxStatus::Unknown => counts.unknown += n,
                    OutboxStatus::Discarded => {}
                }
            }
            Ok(counts)
        })
    }

    fn set_status(
        &self,
        id: i64,
        status: OutboxStatus,
        remote_id: Option<i64>,
        message: Option<&str>,
        reasons: &[String],
    ) -> Result<(), AppError> {
        let reasons = serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into());
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET status = ?2, remote_id = COALESCE(?3, remote_id), message = ?4, reasons = ?5, updated_at = ?6,
                 attempts = attempts + CASE WHEN ?2 = 'Sending' THEN 1 ELSE 0 END WHERE id = ?1",
                params![id, status.as_str(), remote_id, message, reasons, now()],
            )
            .map(|_| ())
        })
    }

    /// Puts a `Rejected` or `Unknown` item back in line (the user chose "retry"). An `Unknown` one is
    /// still reconciled before it is sent.
    pub fn retry(&self, id: i64) -> Result<(), AppError> {
        let item = self
            .get(id)?
            .ok_or_else(|| AppError::new(crate::ErrorCode::NotFound, "No such outbox item"))?;
        let next = match item.status {
            OutboxStatus::Rejected | OutboxStatus::Queued => OutboxStatus::Pending,
            OutboxStatus::Unknown => OutboxStatus::Unknown,
            other => {
                return Err(AppError::validation(format!(
                    "An item that is {other:?} cannot be retried"
                )));
            }
        };
        self.set_status(id, next, None, Some("Waiting to be sent again"), &[])
    }

    /// Gives up on an item that was not sent (after the user confirmed).
    pub fn discard(&self, id: i64) -> Result<(), AppError> {
        let item = self
            .get(id)?
            .ok_or_else(|| AppError::new(crate::ErrorCode::NotFound, "No such outbox item"))?;
        if item.status == OutboxStatus::Sent {
            return Err(AppError::validation(
                "This clocking was sent to Protime; it cannot be discarded here",
            ));
        }
        self.set_status(
            id,
            OutboxStatus::Discarded,
            None,
            Some("Discarded by the user"),
            &[],
        )
    }

    /// Writes one audit row for a send attempt: what was sent (never a secret: the clocking body),
    /// and what came of it.
    fn record_attempt(
        &self,
        profile_id: &str,
        tenant: &str,
        item: &OutboxItem,
        result: &Result<i64, SendFailure>,
    ) -> Result<(), AppError> {
        let (outcome, remote_id, message) = match result {
            Ok(id) => ("Created", Some(id.to_string()), None),
            Err(SendFailure::Rejected(e)) => {
                let mut m = e.message.clone();
                for r in &e.reasons {
                    m.push_str("; ");
                    m.push_str(r);
                }
                ("Refused", None, Some(m))
            }
            Err(SendFailure::Uncertain(m)) => ("Uncertain", None, Some(m.clone())),
            Err(SendFailure::NotSent(m)) => ("NotSent", None, Some(m.clone())),
        };
        let request = format!("POST /clockings {}", item.draft.to_body());
        self.record_write(
            profile_id,
            tenant,
            "Create clocking",
            &request,
            outcome,
            remote_id.as_deref(),
            message.as_deref(),
        )
    }

    /// Writes one audit row for any write that does not go through the outbox (activity definitions,
    /// usages, restrictions): the action, the request as sent, its outcome (`Created`, `Updated`,
    /// `Deleted`, `Refused`, …), the remote id when one is known and the server's message.
    #[allow(clippy::too_many_arguments)]
    pub fn record_write(
        &self,
        profile_id: &str,
        tenant: &str,
        action: &str,
        request: &str,
        outcome: &str,
        remote_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<(), AppError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit (at, profile_id, tenant, action, request, outcome, remote_id, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![now(), profile_id, tenant, action, request, outcome, remote_id, message],
            )
            .map(|_| ())
        })
    }

    /// The newest audit rows of a profile.
    pub fn audit(&self, profile_id: &str, limit: u32) -> Result<Vec<AuditEntry>, AppError> {
        let filter = crate::audit::AuditFilter {
            profile_id: Some(profile_id.to_string()),
            ..Default::default()
        };
        self.audit_search(&filter, limit)
    }

    /// Audit rows matching `filter`, newest first, at most `limit`.
    pub fn audit_search(
        &self,
        filter: &crate::audit::AuditFilter,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, AppError> {
        let blank = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let text = blank(&filter.text).map(|t| format!("%{t}%"));
        self.with(|c| {
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
                    blank(&filter.from),
                    blank(&filter.until),
                    blank(&filter.outcome),
                    text,
                    limit
                ],
                read_audit_row,
            )?;
            rows.collect()
        })
    }

    /// Items of the profile that still need sending or checking (pending, queued or unknown).
    pub fn due_count(&self, profile_id: &str) -> Result<u32, AppError> {
        self.with(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM outbox WHERE profile_id = ?1 AND status IN ('Pending','Sending','Queued','Unknown')",
                params![profile_id],
                |r| r.get(0),
            )
        })
    }

    fn claimed_remote_ids(&self, profile_id: &str) -> Result<HashSet<i64>, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT remote_id FROM outbox WHERE profile_id = ?1 AND remote_id IS NOT NULL",
            )?;
            let rows = stmt.query_map(params![profile_id], |r| r.get::<_, i64>(0))?;
            rows.collect()
        })
    }

    fn due(&self, profile_id: &str) -> Result<Vec<OutboxItem>, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE profile_id = ?1 AND status IN ('Pending','Queued','Unknown') ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![profile_id], read_item)?;
            rows.collect()
        })
    }

    /// Sends every due item once, in order. `Unknown` items are reconciled first: a matching clocking
    /// that no other item has claimed means it was committed, so it is not sent again. Stops at the
    /// first "not sent" (the connection is down; the rest waits as it is).
    pub async fn drain<G: ClockingGateway>(
        &self,
        profile_id: &str,
        gateway: &G,
    ) -> Result<DrainReport, AppError> {
        let _one_at_a_time = self.drain_lock.lock().await;
        let mut report = DrainReport::default();
        for item in self.due(profile_id)? {
            if item.status == OutboxStatus::Unknown {
                match gateway.find_matches(&item.draft).await {
                    Ok(matches) => {
                        let claimed = self.claimed_remote_ids(profile_id)?;
                        if let Some(found) = matches.into_iter().find(|id| !claimed.contains(id)) {
                            self.set_status(
                                item.id,
                                OutboxStatus::Sent,
                                Some(found),
                                Some("Found in Protime after an uncertain send; not sent again"),
                                &[],
                            )?;
                            report.sent += 1;
                            report.reconciled += 1;
                            continue;
                        }
                    }
                    Err(e) => {
                        // Cannot tell whether it exists: sending could duplicate it, so wait.
                        self.set_status(
                            item.id,
                            OutboxStatus::Unknown,
                            None,
                            Some(&format!("Could not check Protime yet: {}", e.message)),
                            &[],
                        )?;
                        report.unknown += 1;
                        continue;
                    }
                }
            }
            self.set_status(item.id, OutboxStatus::Sending, None, Some("Sending"), &[])?;
            let result = gateway.create(&item.draft).await;
            self.record_attempt(profile_id, &gateway.tenant(), &item, &result)?;
            match result {
                Ok(remote_id) => {
                    self.set_status(item.id, OutboxStatus::Sent, Some(remote_id), None, &[])?;
                    report.sent += 1;
                }
                Err(SendFailure::Rejected(e)) => {
                    self.set_status(
                        item.id,
                        OutboxStatus::Rejected,
                        None,
                        Some(&e.message),
                        &e.reasons,
                    )?;
                    report.rejected += 1;
                }
                Err(SendFailure::Uncertain(msg)) => {
                    self.set_status(item.id, OutboxStatus::Unknown, None, Some(&msg), &[])?;
                    report.unknown += 1;
                }
                Err(SendFailure::NotSent(msg)) => {
                    self.set_status(item.id, OutboxStatus::Queued, None, Some(&msg), &[])?;
                    report.queued += 1;
                    break;
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clocking::draft::{ClockingKind, Reference};
    use std::collections::VecDeque;

    /// A gateway that stores clockings in memory and plays a script of failures: each scripted step
    /// says what the next `create` does. `CommitThenFail` is the dangerous case: stored, but the
    /// caller is told the send was uncertain.
    #[derive(Clone, Copy)]
    enum Step {
        Ok,
        Refuse,
        Offline,
        CommitThenFail,
        FailBeforeCommit,
    }

    struct Scripted {
        script: Mutex<VecDeque<Step>>,
        stored: Mutex<Vec<(i64, ClockingDraft)>>,
        creates: AtomicU64,
        reads_fail: bool,
    }

    impl Scripted {
        fn new(steps: &[Step]) -> Self {
            Self {
                script: Mutex::new(steps.iter().copied().collect()),
                stored: Mutex::new(Vec::new()),
                creates: AtomicU64::new(0),
                reads_fail: false,
            }
        }
        fn store(&self, d: &ClockingDraft) -> i64 {
            let mut s = self.stored.lock().unwrap();
            let id = 1000 + s.len() as i64;
            s.push((id, d.clone()));
            id
        }
    }

    impl ClockingGateway for Scripted {
        fn tenant(&self) -> String {
            "acme".into()
        }
        async fn create(&self, d: &ClockingDraft) -> Result<i64, SendFailure> {
            self.creates.fetch_add(1, Ordering::SeqCst);
            let step = self.script.lock().unwrap().pop_front().unwrap_or(Step::Ok);
            match step {
                Step::Ok => Ok(self.store(d)),
                Step::Refuse => {
                    let mut e =
                        AppError::validation("Protime refused the request as invalid (HTTP 400)");
                    e.reasons = vec!["Unknown reason".into()];
                    Err(SendFailure::Rejected(e))
                }
                Step::Offline => Err(SendFailure::NotSent("offline".into())),
                Step::CommitThenFail => {
                    self.store(d);
                    Err(SendFailure::Uncertain("connection reset".into()))
                }
                Step::FailBeforeCommit => Err(SendFailure::Uncertain("HTTP 503".into())),
            }
        }
        async fn find_matches(&self, d: &ClockingDraft) -> Result<Vec<i64>, AppError> {
            if self.reads_fail {
                return Err(AppError::new(crate::ErrorCode::Network, "offline"));
            }
            Ok(self
                .stored
                .lock()
                .unwrap()
                .iter()
                .filter(|(_, s)| s == d)
                .map(|(id, _)| *id)
                .collect())
        }
    }

    fn draft(minutes: i32) -> ClockingDraft {
        ClockingDraft {
            person: Reference::id(76500),
            date: "2025-02-14".into(),
            time_of_day_in_minutes: minutes,
            kind: ClockingKind::InOut,
            reason: None,
            is_open: None,
            activity_levels: vec![],
            terminal: None,
            latitude: None,
            longitude: None,
        }
    }

    fn open() -> (tempfile::TempDir, Outbox) {
        let dir = tempfile::tempdir().unwrap();
        let ob = Outbox::open(&dir.path().join("outbox.sqlite")).unwrap();
        (dir, ob)
    }

    #[tokio::test]
    async fn invalid_drafts_are_refused_and_nothing_is_stored() {
        let (_d, ob) = open();
        let err = ob.enqueue("p", &draft(3000)).unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::Validation);
        assert!(err.reasons[0].starts_with("time:"));
        assert!(ob.recent("p", 10).unwrap().is_empty());
    }

    #[tokio::test]
    async fn outcomes_follow_the_answer() {
        let (_d, ob) = open();
        let gw = Scripted::new(&[
            Step::Ok,
            Step::Refuse,
            Step::FailBeforeCommit,
            Step::Offline,
        ]);
        let ids: Vec<i64> = (0..5)
            .map(|i| ob.enqueue("p", &draft(480 + i)).unwrap().id)
            .collect();
        let r = ob.drain("p", &gw).await.unwrap();
        assert_eq!(
            r,
            DrainReport {
                sent: 1,
                reconciled: 0,
                rejected: 1,
                queued: 1,
                unknown: 1
            }
        );
        let status = |id| ob.get(id).unwrap().unwrap();
        assert_eq!(status(ids[0]).status, OutboxStatus::Sent);
        assert_eq!(status(ids[0]).remote_id, Some(1000));
        assert_eq!(status(ids[1]).status, OutboxStatus::Rejected);
        assert_eq!(status(ids[1]).reasons, vec!["Unknown reason".to_string()]);
        assert_eq!(status(ids[2]).status, OutboxStatus::Unknown);
        assert_eq!(status(ids[3]).status, OutboxStatus::Queued);
        assert_eq!(
            status(ids[4]).status,
            OutboxStatus::Pending,
            "draining stops when offline"
        );

        // Next drain: the uncertain one (never committed) is checked, not found, and sent once.
        let r = ob.drain("p", &gw).await.unwrap();
        assert_eq!(r.sent, 3);
        assert_eq!(r.reconciled, 0);
        assert_eq!(
            gw.stored.lock().unwrap().len(),
            4,
            "one per accepted draft, none twice"
        );
        let counts = ob.counts("p").unwrap();
        assert_eq!((counts.sent, counts.rejected, counts.pending), (4, 1, 0));
        // Every attempt is in the audit log, newest first.
        let audit = ob.audit("p", 100).unwrap();
        let outcomes: Vec<&str> = audit.iter().rev().map(|a| a.outcome.as_str()).collect();
        assert_eq!(
            outcomes,
            vec![
                "Created",
                "Refused",
                "Uncertain",
                "NotSent",
                "Created",
                "Created",
                "Created"
            ]
        );
        assert!(audit
            .last()
            .unwrap()
            .request
            .starts_with("POST /clockings {"));
        assert_eq!(audit.last().unwrap().remote_id.as_deref(), Some("1000"));
    }

    #[tokio::test]
    async fn committed_but_uncertain_is_reconciled_not_resent() {
        let (_d, ob) = open();
        let gw = Scripted::new(&[Step::CommitThenFail]);
        let id = ob.enqueue("p", &draft(500)).unwrap().id;
        assert_eq!(ob.drain("p", &gw).await.unwrap().unknown, 1);
        let r = ob.drain("p", &gw).await.unwrap();
        assert_eq!((r.sent, r.reconciled), (1, 1));
        assert_eq!(gw.creates.load(Ordering::SeqCst), 1, "never sent twice");
        assert_eq!(ob.get(id).unwrap().unwrap().remote_id, Some(1000));
    }

    #[tokio::test]
    async fn identical_clockings_each_claim_their_own_remote_id() {
        let (_d, ob) = open();
        // Two identical corrections on purpose: the second's uncertain send must not adopt the
        // first's clocking.
        let gw = Scripted::new(&[Step::Ok, Step::FailBeforeCommit]);
        ob.enqueue("p", &draft(500)).unwrap();
        ob.enqueue("p", &draft(500)).unwrap();
        ob.drain("p", &gw).await.unwrap();
        let r = ob.drain("p", &gw).await.unwrap();
        assert_eq!((r.sent, r.reconciled), (1, 0));
        assert_eq!(gw.stored.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn unknown_waits_while_protime_cannot_be_read() {
        let (_d, ob) = open();
        let mut gw = Scripted::new(&[Step::FailBeforeCommit]);
        ob.enqueue("p", &draft(500)).unwrap();
        ob.drain("p", &gw).await.unwrap();
        gw.reads_fail = true;
        let r = ob.drain("p", &gw).await.unwrap();
        assert_eq!((r.sent, r.unknown), (0, 1));
        assert_eq!(gw.creates.load(Ordering::SeqCst), 1, "no blind resend");
    }

    #[tokio::test]
    async fn a_crash_while_sending_reads_back_as_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.sqlite");
        let id = {
            let ob = Outbox::open(&path).unwrap();
            let id = ob.enqueue("p", &draft(500)).unwrap().id;
            ob.set_status(id, OutboxStatus::Sending, None, None, &[])
                .unwrap();
            id
        };
        let ob = Outbox::open(&path).unwrap();
        let item = ob.get(id).unwrap().unwrap();
        assert_eq!(item.status, OutboxStatus::Unknown);
        assert_eq!(item.attempts, 1);
    }

    #[tokio::test]
    async fn keyed_enqueue_is_idempotent() {
        let (_d, ob) = open();
        let a = ob.enqueue_keyed("p", "file:1", &draft(500)).unwrap();
        let b = ob.enqueue_keyed("p", "file:1", &draft(500)).unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(ob.due_count("p").unwrap(), 1);
    }

    #[tokio::test]
    async fn retry_and_discard_rules() {
        let (_d, ob) = open();
        let gw = Scripted::new(&[Step::Refuse, Step::Ok]);
        let id = ob.enqueue("p", &draft(500)).unwrap().id;
        ob.drain("p", &gw).await.unwrap();
        ob.retry(id).unwrap();
        ob.drain("p", &gw).await.unwrap();
        assert_eq!(ob.get(id).unwrap().unwrap().status, OutboxStatus::Sent);
        assert!(
            ob.discard(id).is_err(),
            "a sent clocking cannot be discarded"
        );
        let other = ob.enqueue("p", &draft(600)).unwrap().id;
        ob.discard(other).unwrap();
        assert_eq!(ob.drain("p", &gw).await.unwrap(), DrainReport::default());
    }
}
