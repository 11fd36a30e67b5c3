//! The outbox's SQLite table: its schema and migrations, how a row becomes an [`OutboxItem`], and the
//! time stamps and keys rows carry.

use super::{OutboxItem, OutboxStatus};
use crate::draft::ClockingDraft;
use rusqlite::{params, Connection};
use std::sync::atomic::{AtomicU64, Ordering};
use timebridge_core::AppError;

pub(super) fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.prepare(&format!(
        "SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"
    ))?
    .exists(params![column])
}

pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(super) fn rfc3339_of_ms(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A client id unique across processes and restarts: time, process and a counter.
pub(super) fn new_client_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!(
        "tb-{nanos:x}-{:x}-{:x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The draft as stored and compared: serde's field order, activity levels sorted by level.
pub(crate) fn canonical_json(draft: &ClockingDraft) -> Result<String, AppError> {
    let mut d = draft.clone();
    d.activity_levels.sort_by_key(|l| l.level);
    serde_json::to_string(&d).map_err(|e| AppError::internal(e.to_string()))
}

pub(super) const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL,
        client_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        draft TEXT NOT NULL,
        status TEXT NOT NULL,
        remote_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        message TEXT,
        reasons TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        -- Unknown items: the earliest time (ms since the epoch) Protime is read back again, and how
        -- many read-backs since the last uncertain send found nothing.
        check_after_ms INTEGER,
        empty_readbacks INTEGER NOT NULL DEFAULT 0,
        -- JSON array of matching clocking ids that existed before the first send; NULL = not read yet.
        preexisting TEXT,
        -- 202 Accepted: the operation monitor to poll.
        operation_location TEXT,
        UNIQUE (tenant, client_id)
    );
    CREATE INDEX IF NOT EXISTS outbox_tenant_status ON outbox(tenant, status);";

/// Outboxes of Timebridge 0.1 keyed items on the profile alone, with a globally unique client id.
/// Their rows move into the tenant-scoped table under `legacy:<profile>`: no tenant ever matches
/// that, so nothing queued before is sent to a tenant it was not meant for; the user sees the items
/// and can discard them. Runs inside the caller's schema transaction.
pub(super) fn migrate_profile_scoped(conn: &Connection) -> rusqlite::Result<()> {
    let exists = conn
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'")?
        .exists([])?;
    if !exists || has_column(conn, "outbox", "tenant")? {
        return Ok(());
    }
    conn.execute_batch(
        "ALTER TABLE outbox RENAME TO outbox_v1;
         DROP INDEX IF EXISTS outbox_status;",
    )?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(
        "INSERT INTO outbox (id, tenant, client_id, profile_id, draft, status, remote_id, attempts, message, reasons, created_at, updated_at, check_after_ms)
         SELECT id, 'legacy:' || profile_id, client_id, profile_id, draft,
                CASE status WHEN 'Sending' THEN 'Unknown' ELSE status END,
                remote_id, attempts, message, reasons, created_at, updated_at, 0
         FROM outbox_v1;
         DROP TABLE outbox_v1;",
    )
}

pub(super) const ITEM_COLUMNS: &str = "id, client_id, tenant, profile_id, draft, status, remote_id, attempts, message, reasons, created_at, updated_at, sent_at, check_after_ms";

pub(super) fn read_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
    let draft_json: String = row.get(4)?;
    let reasons_json: String = row.get(9)?;
    let status = OutboxStatus::parse(&row.get::<_, String>(5)?);
    let check_after: Option<i64> = row.get(13)?;
    let draft: ClockingDraft = serde_json::from_str(&draft_json).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(OutboxItem {
        id: row.get(0)?,
        client_id: row.get(1)?,
        tenant: row.get(2)?,
        profile_id: row.get(3)?,
        time_text: crate::minutes::short_clock_text(draft.time_of_day_in_minutes),
        draft,
        status,
        remote_id: row.get(6)?,
        attempts: row.get(7)?,
        message: row.get(8)?,
        reasons: serde_json::from_str(&reasons_json).unwrap_or_default(),
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        sent_at: row.get(12)?,
        checking_until: check_after
            .filter(|_| status == OutboxStatus::Unknown)
            .and_then(rfc3339_of_ms),
    })
}
