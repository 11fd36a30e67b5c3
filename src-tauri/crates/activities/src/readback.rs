//! Writes whose answer never came. A POST or PUT that timed out, was reset or got a 5xx may have
//! been committed by Protime, so it is neither "refused" nor safe to send again blindly (DESIGN:
//! "Writes are never retried blindly"). Every activity write goes through [`Admin::send_checked`]:
//!
//! - connect failure or 429: nothing reached Protime; the error is returned as it is (audit `NotSent`);
//! - 4xx: refused (audit `Refused`);
//! - timeout, reset, 5xx or an undecodable answer after the request left: **uncertain** (audit
//!   `Uncertain`). Timebridge then waits a quiet period (at least the request timeout, so a request
//!   still in flight has landed) and reads back; only when two spaced read-backs find nothing is the
//!   write sent once more. When the read-back finds it, it is reported as done and not sent again.

use super::Admin;
use serde::Serialize;
use std::future::Future;
use std::time::Duration;
use timebridge_core::{AppError, ErrorCode};
use timebridge_protime::ErrorKind;

/// The quiet period when none is given: the request timeout of the app's and the CLI's clients.
pub const DEFAULT_QUIET_PERIOD: Duration = timebridge_core::workspace::DEFAULT_TIMEOUT;

/// What a failed write means for what Protime holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Nothing reached Protime (no connection, or 429 before processing).
    NotSent,
    /// The request left and no answer says what happened: it may have been committed.
    Uncertain,
    /// Protime refused it (4xx).
    Refused,
}

/// Sorts a failed write the way the clocking gateway does.
pub fn classify(e: &timebridge_protime::Error) -> Fate {
    match e.kind {
        // reqwest's connect error: the TCP connection was never made.
        ErrorKind::Network if e.message.starts_with("Could not connect") => Fate::NotSent,
        ErrorKind::Network | ErrorKind::Upstream | ErrorKind::Decode => Fate::Uncertain,
        ErrorKind::RateLimited => Fate::NotSent,
        _ => Fate::Refused,
    }
}

/// How a write that returned `Ok` came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum How {
    /// Sent once; Protime confirmed it.
    Sent,
    /// The answer was lost; reading back showed the write in Protime, so it was not sent again.
    FoundAfterUncertain,
    /// The answer was lost; two spaced read-backs found nothing, so it was sent once more and confirmed.
    SentAgain,
    /// Nothing was sent: what the user asked for was already in Protime (an earlier send saved it).
    AlreadyThere,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Written<T> {
    pub value: T,
    pub how: How,
}

/// A write that did not end in `Ok`: the error for the user, and whether it may have been saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailed {
    pub error: AppError,
    pub uncertain: bool,
}

impl From<WriteFailed> for AppError {
    fn from(f: WriteFailed) -> Self {
        f.error
    }
}

impl From<AppError> for WriteFailed {
    fn from(error: AppError) -> Self {
        Self {
            error,
            uncertain: false,
        }
    }
}

/// What one write is, for the audit log.
pub(super) struct WriteSpec<'s> {
    pub action: &'s str,
    /// Method, path and body.
    pub request: String,
    /// The remote id to record when the write's own answer carries none (PUT by id, usages).
    pub remote_id: Option<&'s str>,
    /// What the read-back confirms, in the audit message: e.g. "found in Protime".
    pub found_text: &'s str,
}

enum ReadBack<T> {
    Found(T),
    Absent,
    Failed(AppError),
}

/// `1.5 s`, `300 ms`.
pub fn human(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        let s = d.as_secs_f64();
        if s.fract() == 0.0 {
            format!("{s:.0} s")
        } else {
            format!("{s:.1} s")
        }
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn joined(e: &AppError) -> String {
    let mut m = e.message.clone();
    for r in &e.reasons {
        m.push_str("; ");
        m.push_str(r);
    }
    m
}

impl Admin<'_> {
    pub(super) fn audit_row(
        &self,
        action: &str,
        request: &str,
        outcome: &str,
        remote_id: Option<&str>,
        message: Option<&str>,
    ) {
        let Some(a) = self.audit else { return };
        if let Err(e) = a.log.record_write(
            a.profile_id,
            &self.client.tenant(),
            action,
            request,
            outcome,
            remote_id,
            message,
        ) {
            tracing::warn!("the audit log could not record '{action}': {e}");
        }
    }

    /// Waits the quiet period, reads back; when nothing is seen, waits again and reads back a second
    /// time. Only `Absent` from both read-backs counts as "not there".
    async fn read_back_twice<T, P, PF>(&self, probe: &mut P) -> ReadBack<T>
    where
        P: FnMut() -> PF,
        PF: Future<Output = Result<Option<T>, AppError>>,
    {
        for _ in 0..2 {
            tokio::time::sleep(self.quiet_period).await;
            match probe().await {
                Ok(Some(v)) => return ReadBack::Found(v),
                Ok(None) => {}
                Err(e) => return ReadBack::Failed(e),
            }
        }
        ReadBack::Absent
    }

    fn uncertain_error(
        &self,
        action: &str,
        e: &timebridge_protime::Error,
        readback: Option<&AppError>,
    ) -> WriteFailed {
        let code = match e.kind {
            ErrorKind::Network => ErrorCode::Network,
            _ => ErrorCode::Upstream,
        };
        let checked = match readback {
            Some(r) => format!(
                "Timebridge could not read it back to check ({}). Before writing it again Timebridge reads back first, so it is not saved twice",
                r.message
            ),
            None => format!(
                "Timebridge read it back twice, {} apart, and could not see it yet. Before writing it again Timebridge reads back first, so it is not saved twice",
                human(self.quiet_period)
            ),
        };
        let mut reasons = AppError::from(e.clone()).reasons;
        if let Some(r) = readback {
            reasons.extend(r.reasons.iter().cloned());
        }
        WriteFailed {
            error: AppError {
                code,
                message: format!(
                    "{action}: Protime did not confirm the save ({}). It may have been saved. {checked}; check the list, or try again later.",
                    e.message
                ),
                reasons,
            },
            uncertain: true,
        }
    }

    /// Sends one write; when its outcome is uncertain, reads back before anything else (see the
    /// module text). `send` performs the request; `probe` reads Protime and returns `Some` when the
    /// write is visible there. At most two sends, and the second only after two spaced read-backs
    /// found nothing.
    pub(super) async fn send_checked<T, S, SF, P, PF>(
        &self,
        w: WriteSpec<'_>,
        done_of: impl Fn(&T) -> (&'static str, Option<String>),
        mut send: S,
        mut probe: P,
    ) -> Result<Written<T>, WriteFailed>
    where
        S: FnMut() -> SF,
        SF: Future<Output = Result<T, timebridge_protime::Error>>,
        P: FnMut() -> PF,
        PF: Future<Output = Result<Option<T>, AppError>>,
    {
        // The audit outcome of success (`Created`, `Updated`, `Deleted`) and the remote id.
        let done = |v: &T| {
            let (outcome, id) = done_of(v);
            (outcome, id.or_else(|| w.remote_id.map(str::to_string)))
        };
        for attempt in 1..=2 {
            let e = match send().await {
                Ok(v) => {
                    let message = (attempt > 1).then(|| {
                        format!(
                            "sent again after two read-backs {} apart found nothing",
                            human(self.quiet_period)
                        )
                    });
                    let (outcome, id) = done(&v);
                    self.audit_row(
                        w.action,
                        &w.request,
                        outcome,
                        id.as_deref(),
                        message.as_deref(),
                    );
                    let how = if attempt > 1 {
                        How::SentAgain
                    } else {
                        How::Sent
                    };
                    return Ok(Written { value: v, how });
                }
                Err(e) => e,
            };
            match classify(&e) {
                Fate::Refused => {
                    let err = AppError::from(e);
                    self.audit_row(
                        w.action,
                        &w.request,
                        "Refused",
                        w.remote_id,
                        Some(&joined(&err)),
                    );
                    return Err(err.into());
                }
                Fate::NotSent => {
                    let mut err = AppError::from(e);
                    if attempt > 1 {
                        err.message = format!(
                            "{}: the first send went unanswered and two read-backs found nothing; the second send did not reach Protime ({}). Nothing was saved; try again later.",
                            w.action, err.message
                        );
                    } else {
                        err.message = format!(
                            "{}: {}. Nothing reached Protime, so nothing was saved; try again later.",
                            w.action, err.message
                        );
                    }
                    self.audit_row(
                        w.action,
                        &w.request,
                        "NotSent",
                        w.remote_id,
                        Some(&joined(&err)),
                    );
                    return Err(err.into());
                }
                Fate::Uncertain => {
                    self.audit_row(
                        w.action,
                        &w.request,
                        "Uncertain",
                        w.remote_id,
                        Some(&format!(
                            "{} — Protime may have saved it. Timebridge waits {} and reads back twice before sending again, so it is not saved twice.",
                            e.message,
                            human(self.quiet_period)
                        )),
                    );
                    match self.read_back_twice(&mut probe).await {
                        ReadBack::Found(v) => {
                            let (outcome, id) = done(&v);
                            self.audit_row(
                                w.action,
                                &w.request,
                                outcome,
                                id.as_deref(),
                                Some(&format!(
                                    "{} after an uncertain send; not sent again",
                                    w.found_text
                                )),
                            );
                            return Ok(Written {
                                value: v,
                                how: How::FoundAfterUncertain,
                            });
                        }
                        ReadBack::Failed(r) => {
                            let failed = self.uncertain_error(w.action, &e, Some(&r));
                            self.audit_row(
                                w.action,
                                &w.request,
                                "Uncertain",
                                w.remote_id,
                                Some(&format!(
                                    "could not read back to check ({}); Timebridge reads back before writing it again",
                                    joined(&r)
                                )),
                            );
                            return Err(failed);
                        }
                        ReadBack::Absent if attempt == 1 => continue,
                        ReadBack::Absent => {
                            let failed = self.uncertain_error(w.action, &e, None);
                            self.audit_row(
                                w.action,
                                &w.request,
                                "Uncertain",
                                w.remote_id,
                                Some("the second send was not confirmed either and is not visible yet; Timebridge reads back before writing it again"),
                            );
                            return Err(failed);
                        }
                    }
                }
            }
        }
        // The second pass always returns; this keeps the compiler content without a panic.
        Err(AppError::internal(format!("{}: no outcome", w.action)).into())
    }
}
