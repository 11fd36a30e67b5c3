//! `202 Accepted` through the outbox against the sandbox: the outbox follows the operation monitor
//! (never resends while it runs), takes the id it reports, and records a refusal it reports.

use std::time::Duration;
use timebridge_clocking::protime_gateway::ProtimeGateway;
use timebridge_clocking::{
    ClockingDraft, ClockingKind, Outbox, OutboxStatus, ReconcilePolicy, Reference, WhenBusy,
};
use timebridge_sandbox::protime::{AcceptedOutcome, ClockingPostAnswer};
use timebridge_sandbox::SandboxConfig;

fn draft(i: i32) -> ClockingDraft {
    ClockingDraft {
        person: Reference::id(76501),
        date: "2025-05-12".parse().unwrap(),
        time_of_day_in_minutes: 400 + i,
        kind: ClockingKind::InOut,
        reason: None,
        is_open: None,
        activity_levels: vec![],
        terminal: None,
        latitude: None,
        longitude: None,
    }
}

async fn run(outcome: AcceptedOutcome) -> (Vec<(OutboxStatus, Option<i64>)>, usize, usize) {
    let mut config = SandboxConfig::default();
    config.protime.clocking_post_answer = ClockingPostAnswer::Accepted;
    config.protime.accepted_running_polls = 2;
    config.protime.accepted_outcome = outcome;
    let sandbox = timebridge_sandbox::start(0, config).await.unwrap();
    let (client, _) =
        timebridge_core::workspace::clients_for_sandbox_url(&sandbox.base_url()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("o.sqlite"))
        .unwrap()
        .with_policy(ReconcilePolicy {
            quiet: Duration::ZERO,
            recheck_spacing: Duration::ZERO,
        });
    let ids: Vec<i64> = (0..3)
        .map(|i| outbox.enqueue("t", "p", &draft(i), false).unwrap().id)
        .collect();
    let before = sandbox.protime.clockings().len();
    let gateway = ProtimeGateway { client: &client };
    for _ in 0..10 {
        outbox
            .drain("t", "p", &gateway, WhenBusy::GiveUp)
            .await
            .unwrap();
        if outbox.due_count("t").unwrap() == 0 {
            break;
        }
    }
    let items = ids
        .iter()
        .map(|id| {
            let i = outbox.get(*id).unwrap().unwrap();
            (i.status, i.remote_id)
        })
        .collect();
    let posts = sandbox
        .protime
        .received()
        .iter()
        .filter(|r| r.method == "POST" && r.path_and_query.contains("/clockings"))
        .count();
    let added = sandbox.protime.clockings().len() - before;
    sandbox.stop().await;
    (items, posts, added)
}

#[tokio::test]
async fn accepted_clockings_are_followed_to_their_id_and_never_resent() {
    let (items, posts, added) = run(AcceptedOutcome::Succeeded).await;
    assert_eq!(posts, 3, "one POST per clocking");
    assert_eq!(added, 3);
    for (status, id) in items {
        assert_eq!(status, OutboxStatus::Sent);
        assert!(id.is_some(), "the id the monitor reported");
    }
}

#[tokio::test]
async fn an_operation_that_fails_is_refused_not_resent() {
    let (items, posts, added) = run(AcceptedOutcome::Failed).await;
    assert_eq!((posts, added), (3, 0));
    assert!(items.iter().all(|(s, _)| *s == OutboxStatus::Rejected));
}
