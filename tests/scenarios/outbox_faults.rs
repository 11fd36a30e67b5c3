//! The fault suite of the clocking outbox: 1,000 clockings against the sandbox while a quarter of all
//! Protime requests fail (5xx, 429 with Retry-After, latency beyond the client's timeout, connection
//! reset before and after the write was committed, commits that land after the client gave up) and
//! every token expires now and then. Afterwards
//! the sandbox must hold exactly 1,000 clockings: none lost, none twice.

use std::collections::HashMap;
use std::time::{Duration, Instant};
use timebridge_clocking::protime_gateway::ProtimeGateway;
use timebridge_clocking::{
    ClockingDraft, ClockingKind, Outbox, ReconcilePolicy, Reference, WhenBusy,
};
use timebridge_protime::{Environment, ProtimeClient, ProtimeConfig};
use timebridge_sandbox::{SandboxConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use timebridge_secret::Secret;

const CLOCKINGS: usize = 1000;
const DATE: &str = "2025-04-07";

fn draft(i: usize) -> ClockingDraft {
    ClockingDraft {
        person: Reference::id(76500 + (i % 50)),
        date: DATE.parse().unwrap(),
        // Unique per person: 20 clockings a person, a minute apart, some on the next day.
        time_of_day_in_minutes: (6 * 60 + (i / 50) * 97) as i32,
        kind: if i.is_multiple_of(7) {
            ClockingKind::ActivityEnd
        } else {
            ClockingKind::InOut
        },
        reason: None,
        is_open: None,
        activity_levels: vec![],
        terminal: None,
        latitude: None,
        longitude: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_clockings_through_faults_arrive_exactly_once() {
    // Late commits land 1 s after the request arrived, long after the client's 250 ms timeout.
    let mut config = SandboxConfig::default();
    config.protime.late_commit_delay = Duration::from_secs(1);
    let sandbox = timebridge_sandbox::start(0, config).await.unwrap();
    let client = ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: sandbox.protime_api_base().parse().unwrap(),
            token_url: sandbox.protime_token_url().parse().unwrap(),
        },
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
        scopes: ProtimeConfig::default_scopes(),
        user_agent: ProtimeConfig::user_agent_for("Timebridge fault suite"),
        // The sandbox's injected latency is 300 ms: those requests time out.
        timeout: Duration::from_millis(250),
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The quiet period is the timeout plus a margin longer than the server goes on committing
    // (1 s here, where the app's default margin is 30 s); the two read-backs are spaced apart.
    let outbox = Outbox::open(&dir.path().join("outbox.sqlite"))
        .unwrap()
        .with_policy(ReconcilePolicy {
            quiet: Duration::from_millis(250 + 1500),
            recheck_spacing: Duration::from_millis(300),
        });
    for i in 0..CLOCKINGS {
        outbox
            .enqueue("fault-suite", "suite", &draft(i), false)
            .unwrap();
    }
    sandbox.protime.set_fault_rate(0.25);
    let gateway = ProtimeGateway { client: &client };
    let started = Instant::now();
    let mut rounds = 0u32;
    let (mut reconciled, mut uncertain, mut queued) = (0, 0, 0);
    while outbox.due_count("fault-suite").unwrap() > 0 {
        rounds += 1;
        assert!(rounds < 2000, "the outbox did not drain");
        if rounds.is_multiple_of(3) {
            sandbox.protime.expire_all_tokens();
        }
        let r = outbox
            .drain("fault-suite", "suite", &gateway, WhenBusy::GiveUp)
            .await
            .unwrap();
        if r.sent + r.rejected + r.queued == 0 {
            // Only uncertain items are left, inside their quiet period.
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        reconciled += r.reconciled;
        uncertain += r.unknown;
        queued += r.queued;
        assert_eq!(r.rejected, 0, "a valid clocking was refused");
    }
    let faults = sandbox
        .protime
        .received()
        .iter()
        .filter(|r| {
            r.path_and_query
                .starts_with("/connector/protimeapi/api/v1/clockings")
        })
        .count();

    let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
    for c in sandbox.protime.clockings() {
        if c["date"] == DATE && c["status"] != "Deleted" {
            let key = (
                c["person"]["id"].as_i64().unwrap(),
                c["timeOfDayInMinutes"].as_i64().unwrap(),
            );
            *seen.entry(key).or_default() += 1;
        }
    }
    let duplicates: usize = seen.values().map(|n| n.saturating_sub(1)).sum();
    let lost = CLOCKINGS - seen.len();
    println!(
        "fault suite: {CLOCKINGS} clockings, {} in the sandbox, {duplicates} duplicates, {lost} lost; \
         {rounds} drain rounds, {uncertain} uncertain sends, {reconciled} found by read-back, {queued} queued (429/offline), \
         {faults} clocking requests in all, {:.1}s",
        seen.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(duplicates, 0);
    assert_eq!(lost, 0);
    assert_eq!(seen.len(), CLOCKINGS);
    assert!(
        uncertain > 0 && reconciled > 0,
        "the faults never produced an uncertain, committed send"
    );
    sandbox.stop().await;
}
