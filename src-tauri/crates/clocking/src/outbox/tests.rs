use super::*;
use crate::draft::{ClockingKind, Reference};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};

/// A gateway that stores clockings in memory and plays a script: each step says what the next
/// `create` does. `CommitThenFail` is the dangerous case: stored, but the caller is told the send
/// was uncertain; `CommitLater` stores it only when `commit_late` is called (a server that commits
/// after the client gave up).
#[derive(Clone, Copy)]
enum Step {
    Ok,
    Refuse,
    Offline,
    CommitThenFail,
    FailBeforeCommit,
    CommitLater,
    Accept,
}

struct Scripted {
    script: Mutex<VecDeque<Step>>,
    stored: Mutex<Vec<(i64, ClockingDraft)>>,
    late: Mutex<Vec<ClockingDraft>>,
    operations: Mutex<Vec<OperationState>>,
    creates: AtomicU64,
    reads: AtomicU64,
    reads_fail: std::sync::atomic::AtomicBool,
}

impl Scripted {
    fn new(steps: &[Step]) -> Self {
        Self {
            script: Mutex::new(steps.iter().copied().collect()),
            stored: Mutex::new(Vec::new()),
            late: Mutex::new(Vec::new()),
            operations: Mutex::new(Vec::new()),
            creates: AtomicU64::new(0),
            reads: AtomicU64::new(0),
            reads_fail: Default::default(),
        }
    }
    fn store(&self, d: &ClockingDraft) -> i64 {
        let mut s = self.stored.lock().unwrap();
        let id = 1000 + s.len() as i64;
        s.push((id, d.clone()));
        id
    }
    fn commit_late(&self) {
        let late: Vec<_> = self.late.lock().unwrap().drain(..).collect();
        for d in late {
            self.store(&d);
        }
    }
    fn stored_count(&self) -> usize {
        self.stored.lock().unwrap().len()
    }
}

impl ClockingGateway for Scripted {
    fn tenant(&self) -> String {
        "acme".into()
    }
    async fn create(&self, d: &ClockingDraft) -> Result<SendOutcome, SendFailure> {
        self.creates.fetch_add(1, Ordering::SeqCst);
        let step = self.script.lock().unwrap().pop_front().unwrap_or(Step::Ok);
        match step {
            Step::Ok => Ok(SendOutcome::Created(self.store(d))),
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
            Step::CommitLater => {
                self.late.lock().unwrap().push(d.clone());
                Err(SendFailure::Uncertain("timed out".into()))
            }
            Step::Accept => Ok(SendOutcome::Accepted {
                operation_location: "/status-monitor/clockings/1".into(),
            }),
        }
    }
    async fn find_matches(&self, d: &ClockingDraft) -> Result<Vec<i64>, AppError> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        if self.reads_fail.load(Ordering::SeqCst) {
            return Err(AppError::new(ErrorCode::Network, "offline"));
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
    async fn operation_status(&self, _op: &str) -> Result<OperationState, AppError> {
        let mut ops = self.operations.lock().unwrap();
        Ok(if ops.is_empty() {
            OperationState::Running
        } else {
            ops.remove(0)
        })
    }
}

fn draft(minutes: i32) -> ClockingDraft {
    ClockingDraft {
        person: Reference::id(76500),
        date: "2025-02-14".parse().unwrap(),
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

/// Checks at once and re-checks at once: the quiet period and the spacing are what other tests
/// assert; here they only slow things down.
const IMPATIENT: ReconcilePolicy = ReconcilePolicy {
    quiet: Duration::ZERO,
    recheck_spacing: Duration::ZERO,
};

const T: &str = "tenant-a";

fn open_with(policy: ReconcilePolicy) -> (tempfile::TempDir, Outbox) {
    let dir = tempfile::tempdir().unwrap();
    let ob = Outbox::open(&dir.path().join("outbox.sqlite"))
        .unwrap()
        .with_policy(policy);
    (dir, ob)
}

fn open() -> (tempfile::TempDir, Outbox) {
    open_with(IMPATIENT)
}

async fn drain(ob: &Outbox, gw: &Scripted) -> DrainReport {
    ob.drain(T, "p", gw, WhenBusy::GiveUp).await.unwrap()
}

#[tokio::test]
async fn invalid_drafts_are_refused_and_nothing_is_stored() {
    let (_d, ob) = open();
    let err = ob.enqueue(T, "p", &draft(3000), false).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.reasons[0].starts_with("time:"));
    assert!(ob.recent(T, 10).unwrap().is_empty());
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
        .map(|i| ob.enqueue(T, "p", &draft(480 + i), false).unwrap().id)
        .collect();
    let r = drain(&ob, &gw).await;
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
    assert!(status(ids[0]).sent_at.is_some());
    assert_eq!(status(ids[1]).status, OutboxStatus::Rejected);
    assert_eq!(status(ids[1]).reasons, vec!["Unknown reason".to_string()]);
    assert_eq!(status(ids[2]).status, OutboxStatus::Unknown);
    assert_eq!(status(ids[3]).status, OutboxStatus::Queued);
    assert_eq!(
        status(ids[4]).status,
        OutboxStatus::Pending,
        "draining stops when offline"
    );
    // Every attempt is in the audit log.
    let audit = ob.audit("p", 100).unwrap();
    let outcomes: Vec<&str> = audit.iter().rev().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, vec!["Created", "Refused", "Uncertain", "NotSent"]);
    assert!(audit
        .last()
        .unwrap()
        .request
        .starts_with("POST /clockings {"));
}

#[tokio::test]
async fn an_uncertain_send_is_resent_only_after_two_empty_read_backs() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::FailBeforeCommit]);
    let id = ob.enqueue(T, "p", &draft(500), false).unwrap().id;
    drain(&ob, &gw).await;
    // First read-back: nothing; not sent again yet.
    let r = drain(&ob, &gw).await;
    assert_eq!((r.sent, r.unknown), (0, 1));
    assert_eq!(gw.creates.load(Ordering::SeqCst), 1);
    assert!(ob.get(id).unwrap().unwrap().checking_until.is_some());
    // Second read-back: still nothing, so it is sent once more.
    let r = drain(&ob, &gw).await;
    assert_eq!(r.sent, 1);
    assert_eq!(gw.creates.load(Ordering::SeqCst), 2);
    assert_eq!(gw.stored_count(), 1);
}

#[tokio::test]
async fn committed_but_uncertain_is_reconciled_not_resent() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::CommitThenFail]);
    let id = ob.enqueue(T, "p", &draft(500), false).unwrap().id;
    assert_eq!(drain(&ob, &gw).await.unknown, 1);
    let r = drain(&ob, &gw).await;
    assert_eq!((r.sent, r.reconciled), (1, 1));
    assert_eq!(gw.creates.load(Ordering::SeqCst), 1, "never sent twice");
    assert_eq!(ob.get(id).unwrap().unwrap().remote_id, Some(1000));
}

#[tokio::test]
async fn a_late_commit_inside_the_quiet_period_is_found_not_duplicated() {
    let (_d, ob) = open_with(ReconcilePolicy {
        quiet: Duration::from_millis(400),
        recheck_spacing: Duration::ZERO,
    });
    let gw = Scripted::new(&[Step::CommitLater]);
    ob.enqueue(T, "p", &draft(500), false).unwrap();
    drain(&ob, &gw).await;
    // During the quiet period nothing is read back and nothing is sent.
    let reads = gw.reads.load(Ordering::SeqCst);
    let r = drain(&ob, &gw).await;
    assert_eq!(r.unknown, 1);
    assert_eq!(gw.reads.load(Ordering::SeqCst), reads, "no read-back yet");
    // The server commits after the client gave up, still inside the quiet period.
    gw.commit_late();
    tokio::time::sleep(Duration::from_millis(450)).await;
    let r = drain(&ob, &gw).await;
    assert_eq!((r.sent, r.reconciled), (1, 1));
    assert_eq!(gw.creates.load(Ordering::SeqCst), 1);
    assert_eq!(gw.stored_count(), 1);
}

#[tokio::test]
async fn a_late_commit_between_the_two_read_backs_is_found() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::CommitLater]);
    ob.enqueue(T, "p", &draft(500), false).unwrap();
    drain(&ob, &gw).await;
    drain(&ob, &gw).await; // first read-back: nothing yet
    gw.commit_late();
    let r = drain(&ob, &gw).await;
    assert_eq!((r.sent, r.reconciled), (1, 1));
    assert_eq!(gw.stored_count(), 1);
}

#[tokio::test]
async fn clockings_that_matched_before_the_first_send_are_never_claimed() {
    let (_d, ob) = open();
    // Someone entered the same clocking in Protime before us.
    let gw = Scripted::new(&[Step::FailBeforeCommit]);
    let theirs = gw.store(&draft(500));
    let id = ob.enqueue(T, "p", &draft(500), false).unwrap().id;
    drain(&ob, &gw).await;
    drain(&ob, &gw).await;
    let r = drain(&ob, &gw).await;
    assert_eq!((r.sent, r.reconciled), (1, 0), "sent, not adopted");
    let item = ob.get(id).unwrap().unwrap();
    assert_ne!(item.remote_id, Some(theirs));
    assert_eq!(gw.stored_count(), 2);
}

#[tokio::test]
async fn identical_clockings_each_claim_their_own_remote_id() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::Ok, Step::FailBeforeCommit]);
    ob.enqueue(T, "p", &draft(500), false).unwrap();
    ob.enqueue(T, "p", &draft(500), true).unwrap();
    for _ in 0..3 {
        drain(&ob, &gw).await;
    }
    assert_eq!(gw.stored_count(), 2);
    let ids: Vec<Option<i64>> = ob
        .recent(T, 10)
        .unwrap()
        .iter()
        .map(|i| i.remote_id)
        .collect();
    assert_eq!(ids, vec![Some(1001), Some(1000)]);
}

#[tokio::test]
async fn unknown_waits_while_protime_cannot_be_read_and_stops_checking_for_the_round() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::FailBeforeCommit, Step::FailBeforeCommit]);
    ob.enqueue(T, "p", &draft(500), false).unwrap();
    ob.enqueue(T, "p", &draft(600), false).unwrap();
    drain(&ob, &gw).await;
    gw.reads_fail.store(true, Ordering::SeqCst);
    let reads = gw.reads.load(Ordering::SeqCst);
    let r = drain(&ob, &gw).await;
    assert_eq!((r.sent, r.unknown), (0, 2));
    assert_eq!(
        gw.reads.load(Ordering::SeqCst),
        reads + 1,
        "one failed read-back ends the checks of the round"
    );
    assert_eq!(gw.creates.load(Ordering::SeqCst), 2, "no blind resend");
}

#[tokio::test]
async fn accepted_operations_are_followed_not_resent() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::Accept, Step::Accept]);
    let a = ob.enqueue(T, "p", &draft(500), false).unwrap().id;
    let b = ob.enqueue(T, "p", &draft(600), false).unwrap().id;
    drain(&ob, &gw).await;
    gw.operations.lock().unwrap().extend([
        OperationState::Running,
        OperationState::Failed(AppError::validation("refused later")),
    ]);
    drain(&ob, &gw).await;
    assert_eq!(ob.get(a).unwrap().unwrap().status, OutboxStatus::Unknown);
    assert_eq!(ob.get(b).unwrap().unwrap().status, OutboxStatus::Rejected);
    gw.operations
        .lock()
        .unwrap()
        .push(OperationState::Succeeded(Some(4242)));
    drain(&ob, &gw).await;
    let item = ob.get(a).unwrap().unwrap();
    assert_eq!(
        (item.status, item.remote_id),
        (OutboxStatus::Sent, Some(4242))
    );
    assert_eq!(gw.creates.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_row_left_sending_by_a_dead_process_is_checked_not_resent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    let id = {
        let ob = Outbox::open(&path).unwrap();
        let id = ob.enqueue(T, "p", &draft(500), false).unwrap().id;
        // Claimed after noting that nothing matched yet, then the process died mid-POST.
        ob.with(|c| {
            c.execute(
                "UPDATE outbox SET status = 'Sending', preexisting = '[]' WHERE id = ?1",
                [id],
            )
        })
        .unwrap();
        id
    };
    // Opening does not touch it: another live process may be sending it.
    let ob = Outbox::open(&path).unwrap().with_policy(IMPATIENT);
    assert_eq!(ob.get(id).unwrap().unwrap().status, OutboxStatus::Sending);
    // The next holder of the send lock knows the sender is gone.
    let gw = Scripted::new(&[]);
    gw.store(&draft(500)); // it had been committed
    let r = drain(&ob, &gw).await;
    assert_eq!(
        (r.sent, r.reconciled),
        (1, 1),
        "found by read-back, not sent"
    );
    assert_eq!(gw.creates.load(Ordering::SeqCst), 0);
    assert_eq!(ob.get(id).unwrap().unwrap().remote_id, Some(1000));
}

#[tokio::test]
async fn keys_are_scoped_to_the_tenant() {
    let (_d, ob) = open();
    let a = ob
        .enqueue_keyed("tenant-a", "p", "import:x:1", &draft(500))
        .unwrap();
    let again = ob
        .enqueue_keyed("tenant-a", "p", "import:x:1", &draft(500))
        .unwrap();
    let b = ob
        .enqueue_keyed("tenant-b", "p", "import:x:1", &draft(500))
        .unwrap();
    assert!(!a.existed && again.existed && !b.existed);
    assert_eq!(a.item.id, again.item.id);
    assert_ne!(a.item.id, b.item.id);
    assert_eq!(ob.due_count("tenant-a").unwrap(), 1);
    assert_eq!(ob.due_count("tenant-b").unwrap(), 1);
    // A drain for one tenant never sends the other's items.
    let gw = Scripted::new(&[]);
    ob.drain("tenant-b", "p", &gw, WhenBusy::GiveUp)
        .await
        .unwrap();
    assert_eq!(ob.due_count("tenant-a").unwrap(), 1);
    assert_eq!(ob.due_count("tenant-b").unwrap(), 0);
    // Retry and discard act on the given tenant's items only.
    assert_eq!(
        ob.discard(a.item.id, "tenant-b").unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[tokio::test]
async fn a_second_identical_submission_within_a_minute_asks_first() {
    let (_d, ob) = open();
    ob.enqueue(T, "p", &draft(500), false).unwrap();
    let err = ob.enqueue(T, "p", &draft(500), false).unwrap_err();
    assert_eq!(err.code, ErrorCode::Duplicate);
    ob.enqueue(T, "p", &draft(500), true).unwrap();
    ob.enqueue("tenant-b", "p", &draft(500), false).unwrap();
    assert_eq!(ob.recent(T, 10).unwrap().len(), 2);
}

#[tokio::test]
async fn retry_and_discard_rules() {
    let (_d, ob) = open();
    let gw = Scripted::new(&[Step::Refuse, Step::Ok, Step::FailBeforeCommit]);
    let id = ob.enqueue(T, "p", &draft(500), false).unwrap().id;
    drain(&ob, &gw).await;
    ob.retry(id, T).unwrap();
    drain(&ob, &gw).await;
    assert_eq!(ob.get(id).unwrap().unwrap().status, OutboxStatus::Sent);
    assert!(
        ob.discard(id, T).is_err(),
        "a sent clocking cannot be discarded"
    );
    // Retry on an uncertain item does not send: it says until when it is being checked.
    let unsure = ob.enqueue(T, "p", &draft(700), false).unwrap().id;
    drain(&ob, &gw).await;
    let creates = gw.creates.load(Ordering::SeqCst);
    let item = ob.retry(unsure, T).unwrap();
    assert_eq!(item.status, OutboxStatus::Unknown);
    assert!(item.checking_until.is_some());
    assert_eq!(gw.creates.load(Ordering::SeqCst), creates);
    let other = ob.enqueue(T, "p", &draft(600), false).unwrap().id;
    ob.discard(other, T).unwrap();
    assert_eq!(
        ob.discard(other, T).unwrap_err().code,
        ErrorCode::Conflict,
        "compare-and-set: already discarded"
    );
}

#[tokio::test]
async fn an_outbox_of_timebridge_0_1_is_upgraded_without_sending_its_items_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.sqlite");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL UNIQUE,
               profile_id TEXT NOT NULL, draft TEXT NOT NULL, status TEXT NOT NULL, remote_id INTEGER,
               attempts INTEGER NOT NULL DEFAULT 0, message TEXT, reasons TEXT NOT NULL DEFAULT '[]',
               created_at TEXT NOT NULL, updated_at TEXT NOT NULL);",
        )
        .unwrap();
        c.execute(
            "INSERT INTO outbox (client_id, profile_id, draft, status, created_at, updated_at) VALUES ('k', 'work', ?1, 'Pending', 'x', 'x')",
            [serde_json::to_string(&draft(500)).unwrap()],
        )
        .unwrap();
    }
    let ob = Outbox::open(&path).unwrap();
    let legacy = ob.recent("legacy:work", 10).unwrap();
    assert_eq!(legacy.len(), 1);
    assert_eq!(legacy[0].status, OutboxStatus::Pending);
}

/// Another process holds the database's write lock for 400 ms: the outbox waits for it (SQLite's
/// busy timeout) without stalling the runtime, so a timer task on it still fires meanwhile.
// One worker, and the work runs on it (the test body itself runs on the test's own thread):
// without moving off the runtime, blocking that worker would stall every other task.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn waiting_on_another_process_lock_leaves_the_runtime_responsive() {
    let (dir, ob) = open();
    let other = rusqlite::Connection::open(dir.path().join("outbox.sqlite")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        other.execute_batch("COMMIT").unwrap();
    });
    let on_the_worker = tokio::spawn(async move {
        let ticked = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let t = ticked.clone();
        let timer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            t.store(true, Ordering::SeqCst);
        });
        // Yield once so the timer is registered before this task blocks.
        tokio::task::yield_now().await;
        let item = ob.enqueue(T, "p", &draft(480), false).unwrap();
        let ticked_while_waiting = ticked.load(Ordering::SeqCst);
        timer.await.unwrap();
        (item.status, ticked_while_waiting)
    });
    let (status, ticked_while_waiting) = on_the_worker.await.unwrap();
    holder.join().unwrap();
    drop(dir);
    assert_eq!(status, OutboxStatus::Pending);
    assert!(
        ticked_while_waiting,
        "the runtime stalled while the outbox waited on the lock"
    );
}
