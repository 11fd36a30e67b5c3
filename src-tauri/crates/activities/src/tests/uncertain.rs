//! Writes whose answer is lost, against the sandbox over HTTP with the real client: a reset after
//! the commit, a reset before it, and an answer slower than the client's timeout. Nothing may be
//! created twice, and an uncertain write is never recorded as refused.

use super::super::csv::{parse, upsert_all, CREATED, FOUND_AFTER_UNCERTAIN, UNCERTAIN, UPDATED};
use super::super::*;
use super::{at, form};
use std::time::Duration;
use timebridge_protime::{Environment, ProtimeConfig, Secret};
use timebridge_sandbox::protime::Fault;
use timebridge_sandbox::{RunningSandbox, SandboxConfig};

/// The client's request timeout in the latency cases; the sandbox answers later than this.
const TIMEOUT: Duration = Duration::from_millis(400);
/// Longer than [`TIMEOUT`]: the request lands after the client gave up.
const LATE: Duration = Duration::from_millis(700);
/// The quiet period: one client timeout's worth.
const QUIET: Duration = TIMEOUT;

struct Env {
    sandbox: RunningSandbox,
    client: ProtimeClient,
    log: timebridge_core::audit::AuditLog,
    _dir: tempfile::TempDir,
}

fn client_with_timeout(url: &str, timeout: Duration) -> ProtimeClient {
    let base = url::Url::parse(url).unwrap();
    ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: base.join("/connector/protimeapi/api/v1/").unwrap(),
            token_url: base
                .join(&format!(
                    "/tenants/{}/connect/token",
                    timebridge_sandbox::DEMO_TENANT
                ))
                .unwrap(),
        },
        client_id: timebridge_sandbox::DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(timebridge_sandbox::DEMO_CLIENT_SECRET),
        scopes: ProtimeConfig::default_scopes(),
        user_agent: ProtimeConfig::user_agent_for("Timebridge tests"),
        timeout,
    })
    .unwrap()
}

impl Env {
    async fn new() -> Self {
        let sandbox = timebridge_sandbox::start(
            0,
            SandboxConfig {
                seed: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let client = client_with_timeout(&sandbox.base_url(), TIMEOUT);
        let dir = tempfile::tempdir().unwrap();
        let log = timebridge_core::audit::AuditLog::open(&dir.path().join("audit.sqlite")).unwrap();
        Self {
            sandbox,
            client,
            log,
            _dir: dir,
        }
    }
    fn admin(&self) -> Admin<'_> {
        Admin::new(
            &self.client,
            Some(Audit {
                log: &self.log,
                profile_id: "sandbox",
            }),
        )
        .with_quiet_period(QUIET)
    }
    /// `fault` hits the API request after the next `skip` ones (which pass untouched).
    fn fault_after(&self, skip: usize, fault: Fault) {
        let mut queue = vec![Fault::Latency(Duration::ZERO); skip];
        queue.push(fault);
        self.sandbox.protime.inject(queue);
    }
    fn count_ext(&self, ext: &str) -> usize {
        self.sandbox
            .protime
            .activity_definitions()
            .iter()
            .filter(|d| d["externalReference"] == ext)
            .count()
    }
    fn count_named(&self, name: &str) -> usize {
        self.sandbox
            .protime
            .activity_definitions()
            .iter()
            .filter(|d| d["name"]["default"] == name)
            .count()
    }
    fn posts(&self) -> usize {
        self.sandbox
            .protime
            .received()
            .iter()
            .filter(|r| r.method == "POST")
            .count()
    }
    /// Audit rows oldest first.
    fn audit(&self) -> Vec<timebridge_core::audit::AuditEntry> {
        let mut a = self.log.audit("sandbox", 100).unwrap();
        a.reverse();
        a
    }
    /// Outcomes of `action`, oldest first.
    fn outcomes(&self, action: &str) -> Vec<String> {
        self.audit()
            .into_iter()
            .filter(|a| a.action == action)
            .map(|a| a.outcome)
            .collect()
    }
}

#[tokio::test]
async fn create_reset_after_commit_is_uncertain_then_found_and_never_created_twice() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Committed, no answer");
    f.external_reference = "UNC-1".into();
    // create = GET the level, then POST.
    env.fault_after(1, Fault::ResetAfterCommit);
    let w = admin.create_outcome(&at(1), &f).await.unwrap();
    assert_eq!(w.how, How::FoundAfterUncertain);
    assert_eq!(env.count_ext("UNC-1"), 1);
    assert_eq!(
        env.outcomes("Create activity definition"),
        ["Uncertain", "Created"]
    );
    let audit = env.audit();
    assert!(
        audit[0]
            .message
            .as_deref()
            .unwrap()
            .contains("may have saved it"),
        "{:?}",
        audit[0]
    );
    assert_eq!(
        audit[1].message.as_deref(),
        Some("found in Protime after an uncertain send; not sent again")
    );
    assert_eq!(audit[1].remote_id.as_deref(), Some(w.value.as_str()));
    assert!(audit.iter().all(|a| a.outcome != "Refused"));

    // The user tries again: read back first, nothing sent, the same id.
    let posts = env.posts();
    let again = admin.create_outcome(&at(1), &f).await.unwrap();
    assert_eq!(again.how, How::AlreadyThere);
    assert_eq!(again.value, w.value);
    assert_eq!(env.posts(), posts);
    assert_eq!(env.count_ext("UNC-1"), 1);

    // Same external reference but another name: still refused as taken.
    let mut other = f.clone();
    other.name = "Someone else".into();
    let e = admin.create(&at(1), &other).await.unwrap_err();
    assert!(e
        .reasons
        .iter()
        .any(|r| r.contains("'UNC-1' is already used")));
}

#[tokio::test]
async fn create_with_only_a_data_entry_code_is_found_by_it() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Coded only");
    f.data_entry_code = "77001".into();
    env.fault_after(1, Fault::ResetAfterCommit);
    let w = admin.create_outcome(&at(1), &f).await.unwrap();
    assert_eq!(w.how, How::FoundAfterUncertain);
    let again = admin.create_outcome(&at(1), &f).await.unwrap();
    assert_eq!((again.how, &again.value), (How::AlreadyThere, &w.value));
    assert_eq!(env.count_named("Coded only"), 1);
}

#[tokio::test]
async fn create_answered_after_the_client_timeout_is_not_created_twice() {
    let env = Env::new().await;
    let admin = env.admin();
    // No external reference: the short code, name and parent say which definition it is.
    let mut f = form("Slow create");
    f.short_code = "SLOW".into();
    f.parent_id = super::ACME_BE.into();
    env.fault_after(1, Fault::Latency(LATE));
    let w = admin.create_outcome(&at(2), &f).await.unwrap();
    assert!(
        matches!(w.how, How::FoundAfterUncertain | How::SentAgain),
        "{w:?}"
    );
    // Wait until the late request has surely landed, then count.
    tokio::time::sleep(LATE).await;
    assert_eq!(env.count_named("Slow create"), 1);
    let outcomes = env.outcomes("Create activity definition");
    assert_eq!(outcomes[0], "Uncertain");
    assert_eq!(outcomes.last().unwrap(), "Created");
    assert!(!outcomes.iter().any(|o| o == "Refused"));
    // Again: found on the level, nothing sent.
    let again = admin.create_outcome(&at(2), &f).await.unwrap();
    assert_eq!(again.how, How::AlreadyThere);
    assert_eq!(env.count_named("Slow create"), 1);
}

#[tokio::test]
async fn create_reset_before_commit_is_sent_once_more_after_two_empty_read_backs() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Never arrived");
    f.external_reference = "UNC-2".into();
    let posts = env.posts();
    env.fault_after(1, Fault::ResetBeforeCommit);
    let w = admin.create_outcome(&at(1), &f).await.unwrap();
    assert_eq!(w.how, How::SentAgain);
    assert_eq!(env.count_ext("UNC-2"), 1);
    assert_eq!(env.posts(), posts + 2);
    // Between the two POSTs: two GETs of the level (the spaced read-backs).
    let received = env.sandbox.protime.received();
    let methods: Vec<&str> = received
        .iter()
        .rev()
        .take(4)
        .map(|r| r.method.as_str())
        .collect();
    assert_eq!(methods, ["POST", "GET", "GET", "POST"]);
    assert_eq!(
        env.outcomes("Create activity definition"),
        ["Uncertain", "Created"]
    );
    assert!(env.audit()[1]
        .message
        .as_deref()
        .unwrap()
        .contains("sent again after two read-backs"));
}

#[tokio::test]
async fn create_stays_uncertain_when_the_read_back_fails_and_the_retry_does_not_duplicate() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Cannot check");
    f.external_reference = "UNC-3".into();
    // POST committed without answer, then the read-back gets a 500 (reads do not retry a 500).
    env.fault_after(1, Fault::ResetAfterCommit);
    env.sandbox.protime.inject([Fault::Status(500)]);
    let e = admin.create(&at(1), &f).await.unwrap_err();
    assert!(matches!(e.code, ErrorCode::Network | ErrorCode::Upstream));
    assert!(e.message.contains("may have been saved"), "{}", e.message);
    assert!(e.message.contains("reads back first"), "{}", e.message);
    assert_eq!(
        env.outcomes("Create activity definition"),
        ["Uncertain", "Uncertain"]
    );
    // The retry reads back and reports it found.
    let w = admin.create_outcome(&at(1), &f).await.unwrap();
    assert_eq!(w.how, How::AlreadyThere);
    assert_eq!(env.count_ext("UNC-3"), 1);
}

#[tokio::test]
async fn usage_add_after_lost_answers_is_never_added_twice() {
    let env = Env::new().await;
    let admin = env.admin();
    let mut f = form("Usage host");
    f.external_reference = "UNC-U".into();
    let id = admin.create(&at(1), &f).await.unwrap();
    let u = UsageForm {
        kind: "Person".into(),
        reference: "76547".into(),
        reference_name: String::new(),
        from: "2025-01-01".into(),
        until: "2025-03-31".into(),
    };
    // add = GET usages, then POST.
    env.fault_after(1, Fault::ResetAfterCommit);
    let rows = admin.add_usage(&at(1), &id, &u).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(env.outcomes("Add activity usage"), ["Uncertain", "Created"]);
    // Again (the user did not trust it): read back, nothing posted.
    let posts = env.posts();
    let rows = admin.add_usage(&at(1), &id, &u).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(env.posts(), posts);

    // Slower than the client's timeout.
    let later = UsageForm {
        from: "2025-05-01".into(),
        until: String::new(),
        ..u.clone()
    };
    env.fault_after(1, Fault::Latency(LATE));
    let rows = admin.add_usage(&at(1), &id, &later).await.unwrap();
    tokio::time::sleep(LATE).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(admin.usages(&at(1), &id).await.unwrap().len(), 2);
    let outcomes = env.outcomes("Add activity usage");
    assert_eq!(outcomes[3], "Uncertain", "{outcomes:?}");
    assert!(!outcomes.iter().any(|o| o == "Refused"));

    // Nothing saved: created exactly once after two empty read-backs.
    let third = UsageForm {
        from: "2026-01-01".into(),
        until: "2026-01-31".into(),
        reference: "76548".into(),
        ..u.clone()
    };
    env.fault_after(1, Fault::ResetBeforeCommit);
    let rows = admin.add_usage(&at(1), &id, &third).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows.iter().filter(|r| r.reference == "76548").count(), 1);
}

#[tokio::test]
async fn restriction_save_after_lost_answers_is_uncertain_then_visible() {
    let env = Env::new().await;
    let admin = env.admin();
    let l2 = admin.list(&at(2), super::day("2025-01-01")).await.unwrap();
    let l3 = admin.list(&at(3), super::day("2025-01-01")).await.unwrap();
    let first = &l2[0].id;
    let set = vec![vec![RestrictionRow {
        level: 3,
        ids: vec![l3[0].id.clone()],
    }]];
    let levels = [1, 2, 3];
    // save = GET level 3 (check), GET restrictions, then PUT.
    env.fault_after(2, Fault::ResetAfterCommit);
    admin
        .set_restrictions(&at(2), first, &levels, &set)
        .await
        .unwrap();
    assert_eq!(
        env.outcomes("Set activity restrictions"),
        ["Uncertain", "Updated"]
    );
    assert!(env
        .audit()
        .last()
        .unwrap()
        .message
        .as_deref()
        .unwrap()
        .contains("visible in Protime"));

    let bigger = vec![vec![RestrictionRow {
        level: 3,
        ids: vec![l3[0].id.clone(), l3[1].id.clone()],
    }]];
    env.fault_after(2, Fault::Latency(LATE));
    admin
        .set_restrictions(&at(2), first, &levels, &bigger)
        .await
        .unwrap();
    tokio::time::sleep(LATE).await;
    let now = admin.restrictions(&at(2), first).await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0][0].ids.len(), 2);
    let outcomes = env.outcomes("Set activity restrictions");
    assert_eq!(outcomes[2], "Uncertain", "{outcomes:?}");
    assert!(!outcomes.iter().any(|o| o == "Refused"));
}

#[tokio::test]
async fn csv_upsert_after_a_lost_answer_finds_then_updates_never_duplicates() {
    let env = Env::new().await;
    let admin = env.admin();
    let text = "externalReference,name,shortCode\nCSV-U1,Csv uncertain,CU1\nCSV-U2,Csv plain,CU2\n";
    // upsert_all = GET the level, then one PUT per row.
    env.fault_after(1, Fault::ResetAfterCommit);
    let report = upsert_all(&admin, &at(1), &parse(text)).await.unwrap();
    let outcomes: Vec<&str> = report.rows.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(outcomes, [FOUND_AFTER_UNCERTAIN, CREATED], "{report:?}");
    assert_eq!(report.refused, 0);
    assert_eq!(env.count_ext("CSV-U1"), 1);

    // The read-back fails too: the row stays uncertain (not refused).
    let text3 = "externalReference,name\nCSV-U3,Csv unresolved\n";
    env.fault_after(1, Fault::ResetAfterCommit);
    env.sandbox.protime.inject([Fault::Status(500)]);
    let report = upsert_all(&admin, &at(1), &parse(text3)).await.unwrap();
    assert_eq!(report.rows[0].outcome, UNCERTAIN, "{report:?}");
    assert_eq!(report.refused, 0);
    assert!(report.rows[0].reasons[0].contains("may have been saved"));

    // Run the files again: updates, never a second definition.
    let report = upsert_all(&admin, &at(1), &parse(text)).await.unwrap();
    assert!(
        report.rows.iter().all(|r| r.outcome == UPDATED),
        "{report:?}"
    );
    let report = upsert_all(&admin, &at(1), &parse(text3)).await.unwrap();
    assert_eq!(report.rows[0].outcome, UPDATED, "{report:?}");
    for ext in ["CSV-U1", "CSV-U2", "CSV-U3"] {
        assert_eq!(env.count_ext(ext), 1, "{ext}");
    }
}
