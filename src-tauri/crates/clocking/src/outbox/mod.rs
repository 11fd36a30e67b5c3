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
mod model;
mod rows;

use super::draft::ClockingDraft;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use timebridge_core::audit::AuditDb;
use timebridge_core::blocking::off_runtime;
use timebridge_core::{shared_sqlite, AppError, ErrorCode};

pub use lock::WhenBusy;
pub use model::*;
pub(crate) use rows::canonical_json;
use rows::*;

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

/// A second identical form submission within this time asks the user first.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(60);

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
        let conn = shared_sqlite::open(path, true).map_err(storage)?;
        shared_sqlite::migrate_exclusively(&conn, |conn| {
            migrate_profile_scoped(conn)?;
            conn.execute_batch(SCHEMA)?;
            timebridge_core::audit::ensure_table(conn)
        })
        .map_err(storage)?;
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

    /// Runs one piece of SQLite work on the locked connection, off the async runtime: a statement
    /// may wait on the disk or on another process's lock (up to the busy timeout).
    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, AppError> {
        off_runtime(|| {
            let conn = self
                .conn
                .lock()
                .map_err(|_| AppError::internal("the outbox lock is poisoned"))?;
            f(&conn).map_err(storage)
        })
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
