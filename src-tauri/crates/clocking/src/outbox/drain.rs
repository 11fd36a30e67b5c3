//! Sending and reconciling: one round over a tenant's due items, under the send lock.

use super::lock::{self, WhenBusy};
use super::{
    now, now_ms, read_item, ClockingGateway, DrainReport, OperationState, Outbox, OutboxItem,
    SendFailure, SendOutcome, ITEM_COLUMNS,
};
use rusqlite::params;
use std::collections::HashSet;
use timebridge_core::{AppError, ErrorCode};

/// What reconciling an uncertain item concluded this round.
enum Checked {
    /// It is in Protime (found by read-back, or reported by the operation monitor).
    Found,
    /// The operation monitor reported that Protime refused it.
    Refused,
    /// Not decided yet: quiet period, first empty read-back, or Protime could not be read.
    StillChecking,
    /// Two spaced read-backs found nothing: it may be sent again.
    Absent,
}

/// What one send attempt did.
enum Attempt {
    Created,
    Refused,
    Uncertain,
    /// Never left (offline, 429): the round stops here.
    NotSent,
    /// Someone else moved the item first (discarded meanwhile): left alone.
    Skipped,
}

fn clock_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%H:%M:%S UTC").to_string())
        .unwrap_or_default()
}

fn millis(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Outbox {
    /// Sends every due item of `tenant` once, in order, after reconciling the uncertain ones. Takes
    /// the send lock of the outbox file first (see [`lock`]); `when_busy` says whether to wait for
    /// another process's round. Stops at the first "not sent" (the connection is down; the rest waits
    /// as it is) and stops checking uncertain items for the round when a read-back fails.
    pub async fn drain<G: ClockingGateway>(
        &self,
        tenant: &str,
        profile_id: &str,
        gateway: &G,
        when_busy: WhenBusy,
    ) -> Result<DrainReport, AppError> {
        let _in_process = self.drain_lock.lock().await;
        let _across_processes = lock::acquire(&self.path, when_busy).await?;
        self.recover_orphans()?;
        let mut report = DrainReport::default();
        let mut checks_blocked = false;
        for item in self.due(tenant)? {
            if item.status == super::OutboxStatus::Unknown {
                match self.check(&item, gateway, &mut checks_blocked).await? {
                    Checked::Found => {
                        report.sent += 1;
                        report.reconciled += 1;
                        continue;
                    }
                    Checked::Refused => {
                        report.rejected += 1;
                        continue;
                    }
                    Checked::StillChecking => {
                        report.unknown += 1;
                        continue;
                    }
                    Checked::Absent => {}
                }
            }
            match self.attempt(&item, profile_id, gateway).await? {
                Attempt::Created => report.sent += 1,
                Attempt::Refused => report.rejected += 1,
                Attempt::Uncertain => report.unknown += 1,
                Attempt::Skipped => {}
                Attempt::NotSent => {
                    report.queued += 1;
                    break;
                }
            }
        }
        Ok(report)
    }

    /// Rows left `Sending` by a process that died mid-send. Only the holder of the send lock sends,
    /// and this one holds it now, so whoever left them is gone: they may have been committed.
    fn recover_orphans(&self) -> Result<(), AppError> {
        let after = now_ms() + millis(self.policy.quiet);
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET status = 'Unknown', empty_readbacks = 0, check_after_ms = ?1, updated_at = ?2,
                   message = 'Timebridge stopped while sending it; Protime is checked before any resend'
                 WHERE status = 'Sending'",
                params![after, now()],
            )
            .map(|_| ())
        })
    }

    fn due(&self, tenant: &str) -> Result<Vec<OutboxItem>, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE tenant = ?1 AND status IN ('Pending','Queued','Unknown') ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![tenant], read_item)?;
            rows.collect()
        })
    }

    /// Remote ids some item of the tenant already owns, and the ids that matched this item before
    /// its first send: none of them can be this item's clocking.
    fn not_ours(&self, item: &OutboxItem) -> Result<HashSet<i64>, AppError> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT remote_id FROM outbox WHERE tenant = ?1 AND remote_id IS NOT NULL",
            )?;
            let mut ids: HashSet<i64> = stmt
                .query_map(params![item.tenant], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<_>>()?;
            let before: Option<String> = c.query_row(
                "SELECT preexisting FROM outbox WHERE id = ?1",
                params![item.id],
                |r| r.get(0),
            )?;
            ids.extend(
                before
                    .and_then(|b| serde_json::from_str::<Vec<i64>>(&b).ok())
                    .unwrap_or_default(),
            );
            Ok(ids)
        })
    }

    fn operation_of(&self, id: i64) -> Result<Option<String>, AppError> {
        self.with(|c| {
            c.query_row(
                "SELECT operation_location FROM outbox WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
        })
    }

    /// Compare-and-set from `Unknown`: true when this call moved the row.
    fn settle_unknown(
        &self,
        id: i64,
        status: &str,
        remote_id: Option<i64>,
        message: &str,
        reasons: &[String],
    ) -> Result<bool, AppError> {
        let reasons = serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into());
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET status = ?2, remote_id = COALESCE(?3, remote_id), message = ?4, reasons = ?5,
                   updated_at = ?6, sent_at = CASE WHEN ?2 = 'Sent' THEN ?6 ELSE sent_at END, operation_location = NULL
                 WHERE id = ?1 AND status = 'Unknown'",
                params![id, status, remote_id, message, reasons, now()],
            )
            .map(|n| n == 1)
        })
    }

    /// Leaves an `Unknown` item uncertain with a note, to be checked again at `check_after_ms`.
    fn keep_checking(
        &self,
        id: i64,
        message: &str,
        check_after_ms: Option<i64>,
    ) -> Result<(), AppError> {
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET message = ?2, check_after_ms = COALESCE(?3, check_after_ms), updated_at = ?4
                 WHERE id = ?1 AND status = 'Unknown'",
                params![id, message, check_after_ms, now()],
            )
            .map(|_| ())
        })
    }

    /// Decides an uncertain item if it can be decided now.
    async fn check<G: ClockingGateway>(
        &self,
        item: &OutboxItem,
        gateway: &G,
        checks_blocked: &mut bool,
    ) -> Result<Checked, AppError> {
        if *checks_blocked {
            return Ok(Checked::StillChecking);
        }
        if let Some(operation) = self.operation_of(item.id)? {
            match gateway.operation_status(&operation).await {
                Ok(OperationState::Running) => {
                    self.keep_checking(item.id, "Protime is still processing it", None)?;
                    return Ok(Checked::StillChecking);
                }
                Ok(OperationState::Succeeded(Some(id))) => {
                    let moved = self.settle_unknown(
                        item.id,
                        "Sent",
                        Some(id),
                        "Protime finished processing it",
                        &[],
                    )?;
                    return Ok(if moved {
                        Checked::Found
                    } else {
                        Checked::StillChecking
                    });
                }
                Ok(OperationState::Failed(e)) => {
                    self.settle_unknown(item.id, "Rejected", None, &e.message, &e.reasons)?;
                    return Ok(Checked::Refused);
                }
                // Finished without naming the clocking, or the monitor is gone: read back instead.
                Ok(OperationState::Succeeded(None)) => self.forget_operation(item.id)?,
                Err(e) if e.code == ErrorCode::NotFound => self.forget_operation(item.id)?,
                Err(e) => {
                    *checks_blocked = true;
                    self.keep_checking(
                        item.id,
                        &format!("Could not ask Protime how processing went: {}", e.message),
                        None,
                    )?;
                    return Ok(Checked::StillChecking);
                }
            }
        }
        let (check_after, empty_readbacks): (Option<i64>, u32) = self.with(|c| {
            c.query_row(
                "SELECT check_after_ms, empty_readbacks FROM outbox WHERE id = ?1",
                params![item.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })?;
        if check_after.is_some_and(|t| now_ms() < t) {
            return Ok(Checked::StillChecking);
        }
        let matches = match gateway.find_matches(&item.draft).await {
            Ok(m) => m,
            Err(e) => {
                // Cannot tell whether it exists: sending could duplicate it, so wait, and read
                // nothing more this round.
                *checks_blocked = true;
                let next = now_ms() + millis(self.policy.recheck_spacing);
                self.keep_checking(
                    item.id,
                    &format!(
                        "Could not check Protime yet ({}); checking again after {}",
                        e.message,
                        clock_time(next)
                    ),
                    Some(next),
                )?;
                return Ok(Checked::StillChecking);
            }
        };
        let not_ours = self.not_ours(item)?;
        if let Some(found) = matches.into_iter().find(|id| !not_ours.contains(id)) {
            let moved = self.settle_unknown(
                item.id,
                "Sent",
                Some(found),
                "Found in Protime after an uncertain send; not sent again",
                &[],
            )?;
            return Ok(if moved {
                Checked::Found
            } else {
                Checked::StillChecking
            });
        }
        if empty_readbacks + 1 >= 2 {
            return Ok(Checked::Absent);
        }
        let next = now_ms() + millis(self.policy.recheck_spacing);
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET empty_readbacks = empty_readbacks + 1, check_after_ms = ?2, updated_at = ?3,
                   message = ?4
                 WHERE id = ?1 AND status = 'Unknown'",
                params![
                    item.id,
                    next,
                    now(),
                    format!(
                        "Not in Protime yet; checked once more after {} before it is sent again",
                        clock_time(next)
                    )
                ],
            )
            .map(|_| ())
        })?;
        Ok(Checked::StillChecking)
    }

    fn forget_operation(&self, id: i64) -> Result<(), AppError> {
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET operation_location = NULL, check_after_ms = 0 WHERE id = ?1",
                params![id],
            )
            .map(|_| ())
        })
    }

    /// Reads and keeps, once, the ids of clockings that already match the item before it is first
    /// sent. `Ok(false)` when Protime could not be read (the item waits as `Queued`).
    async fn note_preexisting<G: ClockingGateway>(
        &self,
        item: &OutboxItem,
        gateway: &G,
    ) -> Result<bool, AppError> {
        let known: Option<String> = self.with(|c| {
            c.query_row(
                "SELECT preexisting FROM outbox WHERE id = ?1",
                params![item.id],
                |r| r.get(0),
            )
        })?;
        if known.is_some() {
            return Ok(true);
        }
        let ids = match gateway.find_matches(&item.draft).await {
            Ok(ids) => ids,
            // The person or a reference does not resolve: Protime will refuse the POST with its own
            // reasons, and nothing can match.
            Err(e) if matches!(e.code, ErrorCode::NotFound | ErrorCode::Validation) => Vec::new(),
            Err(e) => {
                self.with(|c| {
                    c.execute(
                        "UPDATE outbox SET status = 'Queued', message = ?2, updated_at = ?3
                         WHERE id = ?1 AND status IN ('Pending','Queued')",
                        params![
                            item.id,
                            format!("Could not read Protime before sending: {}", e.message),
                            now()
                        ],
                    )
                    .map(|_| ())
                })?;
                return Ok(false);
            }
        };
        let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET preexisting = ?2 WHERE id = ?1",
                params![item.id, json],
            )
            .map(|_| ())
        })?;
        Ok(true)
    }

    /// One send of one item: note what already exists, claim it (compare-and-set), POST once, and
    /// record what came of it.
    async fn attempt<G: ClockingGateway>(
        &self,
        item: &OutboxItem,
        profile_id: &str,
        gateway: &G,
    ) -> Result<Attempt, AppError> {
        if !self.note_preexisting(item, gateway).await? {
            return Ok(Attempt::NotSent);
        }
        let claimed = self.with(|c| {
            c.execute(
                "UPDATE outbox SET status = 'Sending', attempts = attempts + 1, message = 'Sending', reasons = '[]',
                   empty_readbacks = 0, updated_at = ?2
                 WHERE id = ?1 AND status IN ('Pending','Queued','Unknown')",
                params![item.id, now()],
            )
        })?;
        if claimed != 1 {
            return Ok(Attempt::Skipped);
        }
        let result = gateway.create(&item.draft).await;
        self.record_attempt(profile_id, &gateway.tenant(), item, &result)?;
        let (status, remote_id, message, reasons, check_after, operation, attempt) = match result {
            Ok(SendOutcome::Created(id)) => (
                "Sent",
                Some(id),
                None,
                Vec::new(),
                None,
                None,
                Attempt::Created,
            ),
            Ok(SendOutcome::Accepted { operation_location }) => (
                "Unknown",
                None,
                Some("Protime accepted it for processing; following its progress".to_string()),
                Vec::new(),
                Some(0),
                Some(operation_location),
                Attempt::Uncertain,
            ),
            Err(SendFailure::Rejected(e)) => (
                "Rejected",
                None,
                Some(e.message),
                e.reasons,
                None,
                None,
                Attempt::Refused,
            ),
            Err(SendFailure::Uncertain(m)) => {
                let next = now_ms() + millis(self.policy.quiet);
                (
                    "Unknown",
                    None,
                    Some(format!(
                        "{m}. It may have reached Protime: checked after {} before any resend",
                        clock_time(next)
                    )),
                    Vec::new(),
                    Some(next),
                    None,
                    Attempt::Uncertain,
                )
            }
            Err(SendFailure::NotSent(m)) => (
                "Queued",
                None,
                Some(m),
                Vec::new(),
                None,
                None,
                Attempt::NotSent,
            ),
        };
        let reasons = serde_json::to_string(&reasons).unwrap_or_else(|_| "[]".into());
        self.with(|c| {
            c.execute(
                "UPDATE outbox SET status = ?2, remote_id = COALESCE(?3, remote_id), message = ?4, reasons = ?5,
                   check_after_ms = ?6, operation_location = ?7, updated_at = ?8,
                   sent_at = CASE WHEN ?2 = 'Sent' THEN ?8 ELSE sent_at END
                 WHERE id = ?1 AND status = 'Sending'",
                params![item.id, status, remote_id, message, reasons, check_after, operation, now()],
            )
            .map(|_| ())
        })?;
        Ok(attempt)
    }
}
