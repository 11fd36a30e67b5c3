//! The durable outbox. Every clocking is written here first (SQLite, WAL, `synchronous=FULL`) and only
//! then sent, once. The Protime API has no idempotency key and a POST that timed out may have been
//! committed — even seconds after the client gave up — so an item whose fate is unknown is reconciled
//! by reading the person's clockings back, after a quiet period, before it is ever sent again.
//!
//! The rules this file keeps:
//! - an item belongs to a **tenant** (the Protime API it is for), never to a profile name; keys are
//!   unique per tenant, so one file imported to two tenants is two sets of items;
//! - one process sends at a time (an OS lock, [`lock`]), and every state change is a compare-and-set
//!   on the row's current state, so a second process or a stale button can never move an item twice;
//! - an uncertain send is checked only after [`ReconcilePolicy::quiet`], and sent again only after two
//!   read-backs, [`ReconcilePolicy::recheck_spacing`] apart, both found nothing;
//! - clockings that matched before the first send are never claimed as ours.
//!
//! States: `Pending` → `Sending` → `Sent` | `Rejected` | `Queued` (never left: offline) | `Unknown`
//! (may have been committed; being checked). A process that dies while `Sending` leaves the row as it
//! is; the next holder of the send lock turns it into `Unknown`.

mod drain;
pub mod lock;

use super::draft::ClockingDraft;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use timebridge_core::audit::AuditDb;
use timebridge_core::{AppError, ErrorCode};

pub use lock::WhenBusy;

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
    /// Random for a form submission; `import:<content>:<occurrence>` for a CSV row.
    pub client_id: String,
    /// The Protime tenant the item is for ([`crate::clocking::tenant_key`]).
    pub tenant: String,
    /// The profile that queued it (for display; the tenant decides where it goes).
    pub profile_id: String,
    pub draft: ClockingDraft,
    /// The draft's time as the screen shows it (`22:00 (−1)`, `24:00 (+1)`), written by
    /// [`crate::minutes::short_clock_text`] so the UI does no minute arithmetic.
    pub time_text: String,
    pub status: OutboxStatus,
    /// The clocking id Protime gave (from `Location`, the operation monitor, or found when reconciling).
    #[specta(type = Option<i32>)]
    pub remote_id: Option<i64>,
    pub attempts: u32,
    pub message: Option<String>,
    pub reasons: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// When it became `Sent` (RFC 3339, UTC).
    pub sent_at: Option<String>,
    /// For an `Unknown` item: Protime is checked again at this time (RFC 3339, UTC); it is sent again
    /// only when two checks found nothing.
    pub checking_until: Option<String>,
}

/// What a send produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// `201 Created`: the clocking's id.
    Created(i64),
    /// `202 Accepted`: processing goes on at the operation monitor.
    Accepted { operation_location: String },
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

/// An accepted (202) operation as its monitor reports it.
#[derive(Debug, Clone)]
pub enum OperationState {
    Running,
    Succeeded(Option<i64>),
    Failed(AppError),
}

/// What the outbox needs from the Protime API.
pub trait ClockingGateway: Sync {
    /// The tenant the clockings go to, as the audit log names it.
    fn tenant(&self) -> String;
    /// `POST /clockings`, never retried.
    fn create(
        &self,
        draft: &ClockingDraft,
    ) -> impl Future<Output = Result<SendOutcome, SendFailure>> + Send;
    /// Ids of existing clockings identical to the draft in every field it sends, read back from the
    /// API.
    fn find_matches(
        &self,
        draft: &ClockingDraft,
    ) -> impl Future<Output = Result<Vec<i64>, AppError>> + Send;
    /// Polls a `202 Accepted` operation.
    fn operation_status(
        &self,
        operation_location: &str,
    ) -> impl Future<Output = Result<OperationState, AppError>> + Send;
}

/// When an uncertain send may be checked and when it may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconcilePolicy {
    /// How long after an uncertain send Protime is first read back. A server may commit a request
    /// after the client gave up on it, so this is the request timeout plus [`QUIET_MARGIN`].
    pub quiet: Duration,
    /// The least time between the two read-backs that must both find nothing before a resend.
    pub recheck_spacing: Duration,
}

/// Added to the request timeout to make the quiet period: covers a server (or a proxy in front of
/// it) that goes on processing a request for a while after the client gave up.
pub const QUIET_MARGIN: Duration = Duration::from_secs(30);
/// Default spacing of the two read-backs.
pub const RECHECK_SPACING: Duration = Duration::from_secs(15);

impl ReconcilePolicy {
    /// The rule for a client whose requests time out after `timeout`.
    pub fn for_timeout(timeout: Duration) -> Self {
        Self {
            quiet: timeout + QUIET_MARGIN,
            recheck_spacing: RECHECK_SPACING,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct DrainReport {
    pub sent: u32,
    /// Of `sent`: found already present when reconciling (or reported by the operation monitor), so
    /// not sent again.
    pub reconciled: u32,
    pub rejected: u32,
    pub queued: u32,
    /// Uncertain items still being checked.
    pub unknown: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct OutboxCounts {
    pub pending: u32,
    pub sent: u32,
    pub rejected: u32,
    pub queued: u32,
    pub unknown: u32,
}

/// How a keyed enqueue found its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Enqueued {
    pub item: OutboxItem,
    /// The key was already in the outbox before this call (a re-run of the same import).
    pub existed: bool,
}

pub struct Outbox {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// One drain at a time inside this process; [`lock`] does the same across processes.
    drain_lock: tokio::sync::Mutex<()>,
    policy: ReconcilePolicy,
}

pub(crate) fn storage(e: rusqlite::Error) -> AppError {
    AppError::new(
        ErrorCode::Storage,
        format!("The local outbox database failed: {e}"),
    )
}

fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.prepare(&format!(
        "SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"
    ))?
    .exists(params![column])
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn rfc3339_of_ms(ms: i64) -> Option<String> {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
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

/// The draft as stored and compared: serde's field order, activity levels sorted by level.
pub(crate) fn canonical_json(draft: &ClockingDraft) -> Result<String, AppError> {
    let mut d = draft.clone();
    d.activity_levels.sort_by_key(|l| l.level);
    serde_json::to_string(&d).map_err(|e| AppError::internal(e.to_string()))
}

/// A second identical form submission within this time asks the user first.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(60);

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS outbox (
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
/// and can discard them.
fn migrate_profile_scoped(conn: &Connection) -> rusqlite::Result<()> {
    let exists = conn
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'")?
        .exists([])?;
    if !exists || has_column(conn, "outbox", "tenant")? {
        return Ok(());
    }
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         ALTER TABLE outbox RENAME TO outbox_v1;
         DROP INDEX IF EXISTS outbox_status;",
    )?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(
        "INSERT INTO outbox (id, tenant, client_id, profile_id, draft, status, remote_id, attempts, message, reasons, created_at, updated_at, check_after_ms)
         SELECT id, 'legacy:' || profile_id, client_id, profile_id, draft,
                CASE status WHEN 'Sending' THEN 'Unknown' ELSE status END,
                remote_id, attempts, message, reasons, created_at, updated_at, 0
         FROM outbox_v1;
         DROP TABLE outbox_v1;
         COMMIT;",
    )
}

const ITEM_COLUMNS: &str = "id, client_id, tenant, profile_id, draft, status, remote_id, attempts, message, reasons, created_at, updated_at, sent_at, check_after_ms";

fn read_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxItem> {
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

/// Statuses an item may be discarded from: never sent, refused, or waiting for the connection.
/// An `Unknown` item may already be in Protime; it can be discarded too (the user stops tracking it),
/// but never while it is being sent.
const DISCARDABLE: &str = "('Pending','Queued','Rejected','Unknown')";
/// Statuses that still need sending or checking.
const OPEN: &str = "('Pending','Sending','Queued','Unknown')";

impl Outbox {
    /// Opens (creating or upgrading if needed) the outbox at `path`, reconciling by the rule for the
    /// default request timeout. Opening never changes an item: another process may be sending it.
    pub fn open(path: &Path) -> Result<Self, AppError> {
        let conn = Connection::open(path).map_err(storage)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(storage)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(storage)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(storage)?;
        migrate_profile_scoped(&conn).map_err(storage)?;
        conn.execute_batch(SCHEMA).map_err(storage)?;
        timebridge_core::audit::ensure_table(&conn).map_err(storage)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            drain_lock: tokio::sync::Mutex::new(()),
            policy: ReconcilePolicy::for_timeout(timebridge_core::workspace::DEFAULT_TIMEOUT),
        })
    }

    /// The same outbox with another reconcile rule (the command line's `--timeout`, tests).
    pub fn with_policy(mut self, policy: ReconcilePolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn policy(&self) -> ReconcilePolicy {
        self.policy
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, AppError> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| AppError::internal("the outbox lock is poisoned"))?;
        f(&conn).map_err(storage)
    }

    /// A form submission: validated and stored as `Pending`; nothing is sent here. The same clocking
    /// submitted for the same tenant less than [`DUPLICATE_WINDOW`] ago is refused with
    /// [`ErrorCode::Duplicate`] unless `send_again` says the user meant it.
    pub fn enqueue(
        &self,
        tenant: &str,
        profile_id: &str,
        draft: &ClockingDraft,
        send_again: bool,
    ) -> Result<OutboxItem, AppError> {
        validate(draft)?;
        if !send_again {
            let json = canonical_json(draft)?;
            let since = (chrono::Utc::now()
                - chrono::Duration::from_std(DUPLICATE_WINDOW).unwrap_or_default())
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let earlier: Option<(i64, String)> = self.with(|c| {
                c.query_row(
                    "SELECT id, created_at FROM outbox WHERE tenant = ?1 AND draft = ?2 AND created_at >= ?3
                       AND status NOT IN ('Discarded','Rejected') ORDER BY id DESC LIMIT 1",
                    params![tenant, json, since],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
            })?;
            if let Some((id, at)) = earlier {
                let mut e = AppError::new(
                    ErrorCode::Duplicate,
                    "The same clocking was submitted less than a minute ago. Send it again?",
                );
                e.reasons = vec![format!("outbox item {id}, submitted at {at}")];
                return Err(e);
            }
        }
        Ok(self
            .enqueue_keyed(tenant, profile_id, &new_client_id(), draft)?
            .item)
    }

    /// Stores a draft under a caller-chosen key, unique per tenant: enqueuing the same key for the
    /// same tenant again returns the stored item instead of adding a second one. A refused or
    /// discarded item is put back in line (the user asked for it again); a sent one stays sent.
    pub fn enqueue_keyed(
        &self,
        tenant: &str,
        profile_id: &str,
        client_id: &str,
        draft: &ClockingDraft,
    ) -> Result<Enqueued, AppError> {
        validate(draft)?;
        let json = canonical_json(draft)?;
        let ts = now();
        let (id, inserted) = self.with(|c| {
            let inserted = c.execute(
                "INSERT OR IGNORE INTO outbox (tenant, client_id, profile_id, draft, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'Pending', ?5, ?5)",
                params![tenant, client_id, profile_id, json, ts],
            )? == 1;
            let id: i64 = c.query_row(
                "SELECT id FROM outbox WHERE tenant = ?1 AND client_id = ?2",
                params![tenant, client_id],
                |r| r.get(0),
            )?;
            if !inserted {
                c.execute(
                    "UPDATE outbox SET status = 'Pending', message = 'Imported again', reasons = '[]', updated_at = ?2
                     WHERE id = ?1 AND status IN ('Rejected','Discarded')",
                    params![id, ts],
                )?;
            }
            Ok((id, inserted))
        })?;
        let item = self
            .get(id)?
            .ok_or_else(|| AppError::internal("the outbox lost a row it just wrote"))?;
        Ok(Enqueued {
            item,
            existed: !inserted,
        })
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

    /// The tenant's newest items first.
    pub fn recent(&self, tenant: &str, limit: u32) -> Result<Vec<OutboxItem>, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE tenant = ?1 ORDER BY id DESC LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![tenant, limit], read_item)?;
            rows.collect()
        })
    }

    pub fn counts(&self, tenant: &str) -> Result<OutboxCounts, AppError> {
        self.with(|c| {
            let mut stmt =
                c.prepare("SELECT status, COUNT(*) FROM outbox WHERE tenant = ?1 GROUP BY status")?;
            let mut counts = OutboxCounts::default();
            let rows = stmt.query_map(params![tenant], |r| {
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

    /// Items of the tenant that still need sending or checking (pending, sending, queued, unknown).
    pub fn due_count(&self, tenant: &str) -> Result<u32, AppError> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT COUNT(*) FROM outbox WHERE tenant = ?1 AND status IN {OPEN}"),
                params![tenant],
                |r| r.get(0),
            )
        })
    }

    /// Puts a `Rejected` or `Queued` item of the tenant back in line. An `Unknown` one is not sent:
    /// it stays being checked, and the item says until when.
    pub fn retry(&self, id: i64, tenant: &str) -> Result<OutboxItem, AppError> {
        let item = self.get_of(id, tenant)?;
        match item.status {
            OutboxStatus::Rejected | OutboxStatus::Queued => {
                let moved = self.with(|c| {
                    c.execute(
                        "UPDATE outbox SET status = 'Pending', message = 'Waiting to be sent again', reasons = '[]', updated_at = ?3
                         WHERE id = ?1 AND tenant = ?2 AND status IN ('Rejected','Queued')",
                        params![id, tenant, now()],
                    )
                })?;
                if moved != 1 {
                    return Err(changed_meanwhile());
                }
            }
            OutboxStatus::Unknown => {}
            other => {
                return Err(AppError::validation(format!(
                    "An item that is {other:?} cannot be retried"
                )));
            }
        }
        self.get_of(id, tenant)
    }

    /// Gives up on an item of the tenant that was not sent (after the user confirmed).
    pub fn discard(&self, id: i64, tenant: &str) -> Result<(), AppError> {
        let item = self.get_of(id, tenant)?;
        if item.status == OutboxStatus::Sent {
            return Err(AppError::validation(
                "This clocking was sent to Protime; it cannot be discarded here",
            ));
        }
        let moved = self.with(|c| {
            c.execute(
                &format!(
                    "UPDATE outbox SET status = 'Discarded', message = 'Discarded by the user', updated_at = ?3
                     WHERE id = ?1 AND tenant = ?2 AND status IN {DISCARDABLE}"
                ),
                params![id, tenant, now()],
            )
        })?;
        if moved == 1 {
            Ok(())
        } else {
            Err(changed_meanwhile())
        }
    }

    /// Discards every unsent item of the tenant (the user chose so before changing or deleting the
    /// profile). Returns how many.
    pub fn discard_unsent(&self, tenant: &str) -> Result<u32, AppError> {
        self.with(|c| {
            c.execute(
                &format!(
                    "UPDATE outbox SET status = 'Discarded', message = 'Discarded by the user with its profile''s old tenant', updated_at = ?2
                     WHERE tenant = ?1 AND status IN {DISCARDABLE} AND status != 'Rejected'"
                ),
                params![tenant, now()],
            )
            .map(|n| n as u32)
        })
    }

    /// The item, if it belongs to the tenant.
    fn get_of(&self, id: i64, tenant: &str) -> Result<OutboxItem, AppError> {
        self.get(id)?.filter(|i| i.tenant == tenant).ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                "No such clocking in the outbox of the active profile",
            )
        })
    }

    /// Writes one audit row for a send attempt: what was sent (never a secret: the clocking body),
    /// and what came of it.
    fn record_attempt(
        &self,
        profile_id: &str,
        tenant: &str,
        item: &OutboxItem,
        result: &Result<SendOutcome, SendFailure>,
    ) -> Result<(), AppError> {
        let (outcome, remote_id, message) = match result {
            Ok(SendOutcome::Created(id)) => ("Created", Some(id.to_string()), None),
            Ok(SendOutcome::Accepted { operation_location }) => (
                "Accepted",
                None,
                Some(format!("Processing at {operation_location}")),
            ),
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
        let body = item
            .draft
            .to_new_clocking()
            .ok()
            .and_then(|c| serde_json::to_string(&c).ok())
            .unwrap_or_else(|| "(not sendable)".into());
        let request = format!("POST /clockings {body}");
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
}

/// The audit table lives in the outbox database: a send attempt and its row share one connection.
impl AuditDb for Outbox {
    fn audit_connection(&self) -> Result<std::sync::MutexGuard<'_, Connection>, AppError> {
        self.conn
            .lock()
            .map_err(|_| AppError::internal("the outbox lock is poisoned"))
    }
}

fn validate(draft: &ClockingDraft) -> Result<(), AppError> {
    draft.validate().map_err(crate::draft::refused)
}

fn changed_meanwhile() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "This clocking changed in the meantime (it is being sent or was already handled); look at its status again",
    )
}

#[cfg(test)]
mod tests;
