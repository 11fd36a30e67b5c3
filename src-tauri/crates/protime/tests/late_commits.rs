//! Faults a real server produces around writes, over real HTTP: dropped connections (before and after
//! the commit), writes committed after the client gave up (late commits, slow writes), `202 Accepted`
//! polled at its status monitor, and a server under a 100 % fault rate that stays up.

mod common;
use common::*;
use reqwest::Method;
use std::time::{Duration, Instant};
use timebridge_protime::models::*;
use timebridge_protime::{
    Created, Environment, ErrorKind, ExternalReferences, OperationStatus, ProtimeClient,
    ProtimeConfig, Secret,
};
use timebridge_sandbox::protime::{
    AcceptedOutcome, ClockingPostAnswer, Fault, ProtimeSimConfig, ACCEPTED_FAILURE_REASON,
};
use timebridge_sandbox::{RunningSandbox, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

fn none() -> ExternalReferences {
    ExternalReferences::none()
}

/// A client that gives up after `timeout`.
fn impatient_client(sb: &RunningSandbox, timeout: Duration) -> ProtimeClient {
    ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: sb.protime_api_base().parse().unwrap(),
            token_url: sb.protime_token_url().parse().unwrap(),
        },
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
        scopes: all_scopes(),
        user_agent: ProtimeConfig::user_agent_for("Timebridge fault tests"),
        timeout,
    })
    .unwrap()
}

/// How many clockings of `person` at `minutes` today the sandbox holds.
fn stored(sb: &RunningSandbox, person: i64, minutes: i32) -> usize {
    let date = today().to_string();
    sb.protime
        .clockings()
        .iter()
        .filter(|c| {
            c["person"]["id"] == person
                && c["date"] == date.as_str()
                && c["timeOfDayInMinutes"] == minutes
        })
        .count()
}

#[tokio::test]
async fn resets_drop_the_connection_and_the_server_carries_on() {
    let (sb, c) = setup().await;
    c.people().await.unwrap();
    let n = NewClocking::in_out(Ref::id(76505), today(), 611);
    // Dropped before anything was done: a network error, nothing stored.
    sb.protime.inject([Fault::ResetBeforeCommit]);
    let e = c.create_clocking(&n, &none()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert_eq!(stored(&sb, 76505, 611), 0);
    // Dropped after the commit: a network error, and the clocking exists.
    sb.protime.inject([Fault::ResetAfterCommit]);
    let e = c.create_clocking(&n, &none()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert_eq!(
        stored(&sb, 76505, 611),
        1,
        "committed although no answer came"
    );
    // The server is still there and answers normally.
    assert_eq!(c.people().await.unwrap().len(), 50);
    sb.stop().await;
}

#[tokio::test]
async fn late_commit_lands_after_the_client_timed_out() {
    let sb = sandbox(ProtimeSimConfig::default()).await;
    let c = impatient_client(&sb, Duration::from_secs(1));
    c.people().await.unwrap();
    let n = NewClocking::in_out(Ref::id(76506), today(), 612);
    sb.protime
        .inject([Fault::LateCommit(Duration::from_secs(2))]);
    let t0 = Instant::now();
    let e = c.create_clocking(&n, &none()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert!(
        t0.elapsed() < Duration::from_millis(1900),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(stored(&sb, 76506, 612), 0, "not committed yet");
    tokio::time::sleep(Duration::from_millis(2500).saturating_sub(t0.elapsed())).await;
    assert_eq!(
        stored(&sb, 76506, 612),
        1,
        "committed once, after the client left"
    );
    sb.stop().await;
}

#[tokio::test]
async fn write_delay_commits_every_write_even_when_the_client_left() {
    let sb = sandbox(ProtimeSimConfig {
        write_delay: Duration::from_millis(1500),
        ..Default::default()
    })
    .await;
    let c = impatient_client(&sb, Duration::from_millis(700));
    // Reads are not held.
    c.people().await.unwrap();
    let n = NewClocking::in_out(Ref::id(76507), today(), 613);
    let t0 = Instant::now();
    let e = c.create_clocking(&n, &none()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
    assert_eq!(stored(&sb, 76507, 613), 0);
    tokio::time::sleep(Duration::from_millis(2000).saturating_sub(t0.elapsed())).await;
    assert_eq!(stored(&sb, 76507, 613), 1);
    // A patient client gets its answer after the delay.
    let patient = client(&sb);
    let t0 = Instant::now();
    let n = NewClocking::in_out(Ref::id(76507), today(), 614);
    assert!(matches!(
        patient.create_clocking(&n, &none()).await.unwrap(),
        Created::Created { .. }
    ));
    assert!(t0.elapsed() >= Duration::from_millis(1400));
    assert_eq!(stored(&sb, 76507, 614), 1);
    sb.stop().await;
}

#[tokio::test]
async fn accepted_clocking_is_committed_when_its_operation_succeeds() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        clocking_post_answer: ClockingPostAnswer::Accepted,
        accepted_running_polls: 3,
        ..Default::default()
    })
    .await;
    let n = NewClocking::in_out(Ref::id(76508), today(), 615);
    let Created::Accepted { operation_location } = c.create_clocking(&n, &none()).await.unwrap()
    else {
        panic!("expected 202");
    };
    assert!(operation_location.contains("/status-monitor/clockings/"));
    assert!(matches!(
        c.operation_status(&operation_location).await.unwrap(),
        OperationStatus::Running
    ));
    assert_eq!(stored(&sb, 76508, 615), 0, "not committed while running");
    let mut id = None;
    for _ in 0..5 {
        match c.operation_status(&operation_location).await.unwrap() {
            OperationStatus::Running => assert_eq!(stored(&sb, 76508, 615), 0),
            OperationStatus::Succeeded { id: got } => {
                id = got;
                break;
            }
            OperationStatus::Failed(e) => panic!("{e}"),
        }
    }
    let id = id.expect("the operation succeeded with the clocking's id");
    assert_eq!(stored(&sb, 76508, 615), 1);
    assert_eq!(sb.protime.clocking(id).unwrap()["timeOfDayInMinutes"], 615);
    assert_eq!(c.clocking(id, &none()).await.unwrap().id, id);
    // Polling a finished operation again gives the same answer; an unknown one is 404.
    assert!(matches!(
        c.operation_status(&operation_location).await.unwrap(),
        OperationStatus::Succeeded { id: Some(x) } if x == id
    ));
    let e = c
        .operation_status("/connector/protimeapi/api/v1/status-monitor/clockings/1")
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    // Invalid bodies are still refused at once.
    let bad = NewClocking::in_out(Ref::id(1), today(), 615);
    assert_eq!(
        c.create_clocking(&bad, &none()).await.unwrap_err().kind,
        ErrorKind::BadRequest
    );
    sb.stop().await;
}

#[tokio::test]
async fn accepted_operation_completes_when_nobody_polls() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        clocking_post_answer: ClockingPostAnswer::Accepted,
        accepted_running_polls: 1,
        ..Default::default()
    })
    .await;
    let n = NewClocking::in_out(Ref::id(76509), today(), 616);
    assert!(matches!(
        c.create_clocking(&n, &none()).await.unwrap(),
        Created::Accepted { .. }
    ));
    assert_eq!(stored(&sb, 76509, 616), 0);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        stored(&sb, 76509, 616),
        1,
        "committed one second after acceptance"
    );
    sb.stop().await;
}

#[tokio::test]
async fn failed_operation_gives_reasons_and_commits_nothing() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        clocking_post_answer: ClockingPostAnswer::Accepted,
        accepted_running_polls: 0,
        accepted_outcome: AcceptedOutcome::Failed,
        ..Default::default()
    })
    .await;
    let n = NewClocking::in_out(Ref::id(76510), today(), 617);
    let Created::Accepted { operation_location } = c.create_clocking(&n, &none()).await.unwrap()
    else {
        panic!("expected 202");
    };
    match c.operation_status(&operation_location).await.unwrap() {
        OperationStatus::Failed(e) => {
            assert_eq!(e.kind, ErrorKind::BadRequest);
            assert_eq!(e.reasons(), vec![ACCEPTED_FAILURE_REASON.to_string()]);
            assert!(e.message.contains(ACCEPTED_FAILURE_REASON), "{e}");
        }
        other => panic!("{other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(stored(&sb, 76510, 617), 0);
    sb.stop().await;
}

#[tokio::test]
async fn foreign_operation_location_is_refused() {
    let (sb, c) = setup().await;
    let port = sb.addr().port();
    let other_port = if port == 1 { 2 } else { port - 1 };
    for link in [
        "https://evil.example/connector/protimeapi/api/v1/status-monitor/clockings/901".to_string(),
        format!("http://localhost:{port}/connector/protimeapi/api/v1/status-monitor/clockings/901"),
        format!("http://127.0.0.1:{other_port}/connector/protimeapi/api/v1/status-monitor/clockings/901"),
        format!("https://127.0.0.1:{port}/connector/protimeapi/api/v1/status-monitor/clockings/901"),
        "//evil.example/connector/protimeapi/api/v1/status-monitor/clockings/901".to_string(),
    ] {
        let e = c.operation_status(&link).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Upstream, "{link}: {e}");
        assert!(e.message.contains("another server"), "{e}");
    }
    assert!(
        sb.protime.received().is_empty(),
        "no request was sent anywhere"
    );
    sb.stop().await;
}

#[tokio::test]
async fn full_fault_rate_does_not_crash_or_hang_the_server() {
    let (sb, c) = setup_with(ProtimeSimConfig {
        fault_rate: 1.0,
        late_commit_delay: Duration::from_millis(300),
        ..Default::default()
    })
    .await;
    let token = c.request_token().await.unwrap().access_token;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let base = sb.base_url();
    let t0 = Instant::now();
    for batch in 0..6 {
        let calls = (0..10).map(|i| {
            let k = batch * 10 + i;
            let (method, path, body) = match k % 4 {
                0 => (Method::GET, format!("{API}people"), None),
                1 => (
                    Method::POST,
                    format!("{API}clockings"),
                    Some(format!(
                        r#"{{"person":{{"id":76511}},"date":"{}","timeOfDayInMinutes":{},"kind":"InOut"}}"#,
                        today(),
                        700 + k
                    )),
                ),
                2 => (Method::GET, format!("{API}clockings/999999999"), None),
                _ => (Method::POST, format!("{API}clockings"), Some("{not json".to_string())),
            };
            let mut req = http
                .request(method, format!("{base}{path}"))
                .bearer_auth(token.expose())
                .header("User-Agent", "FaultStorm/1 (Timebridge)");
            if let Some(b) = body {
                req = req.header("Content-Type", "application/json").body(b);
            }
            async move { req.send().await.map(|r| r.status().as_u16()) }
        });
        let outcomes = futures::future::join_all(calls).await;
        assert_eq!(outcomes.len(), 10);
    }
    assert!(t0.elapsed() < Duration::from_secs(30), "{:?}", t0.elapsed());
    let received = sb.protime.received().len();
    assert!(
        received >= 60,
        "every request reached the sandbox: {received}"
    );
    // Faults off again: the same server answers normally.
    sb.protime.set_fault_rate(0.0);
    assert_eq!(c.people().await.unwrap().len(), 50);
    let n = NewClocking::in_out(Ref::id(76511), today(), 699);
    assert!(matches!(
        c.create_clocking(&n, &none()).await.unwrap(),
        Created::Created { .. }
    ));
    sb.stop().await;
}

#[tokio::test]
async fn stop_is_bounded_with_a_write_held() {
    let sb = sandbox(ProtimeSimConfig::default()).await;
    let c = client(&sb);
    c.people().await.unwrap();
    sb.protime
        .inject([Fault::LateCommit(Duration::from_secs(30))]);
    let n = NewClocking::in_out(Ref::id(76512), today(), 618);
    let pending = tokio::spawn(async move { c.create_clocking(&n, &none()).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let t0 = Instant::now();
    sb.stop().await;
    assert!(t0.elapsed() < Duration::from_secs(4), "{:?}", t0.elapsed());
    let e = pending.await.unwrap().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{e}");
}
