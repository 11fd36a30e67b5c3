//! Injected faults: retries with back-off and `Retry-After`, what is never retried, and chunked calls
//! that fail as a whole.

mod common;

use common::*;
use std::time::{Duration, Instant};
use timebridge_sandbox::timeclock::{Fault, FaultRule, FaultWhen, TimeClockSimConfig};
use timebridge_sandbox::DEMO_API_KEY;
use timebridge_timeclock::{ClientOptions, ErrorKind, RetryPolicy};

fn once(fault: Fault) -> FaultRule {
    FaultRule::new(FaultWhen::Always, fault).times(1)
}

#[tokio::test]
async fn transient_failures_are_retried_until_they_pass() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    let want = c.sessions(today(), today()).await.unwrap();
    for fault in [
        Fault::InternalError,
        Fault::RpcRateLimited,
        Fault::TooManyRequests { retry_after: None },
        Fault::Unavailable {
            retry_after: Some("0".into()),
        },
        Fault::Status(502),
        Fault::Truncated,
        Fault::Reset,
    ] {
        sb.timeclock.clear_faults();
        sb.timeclock.inject(once(fault.clone()));
        let before = sb.timeclock.request_count();
        let got = c.sessions(today(), today()).await.unwrap();
        assert_eq!(got, want, "{fault:?}");
        assert_eq!(
            sb.timeclock.request_count() - before,
            2,
            "{fault:?}: one retry"
        );
    }
    sb.stop().await;
}

#[tokio::test]
async fn persistent_failures_give_up_with_a_typed_error() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    let cases = [
        (
            Fault::InternalError,
            ErrorKind::Upstream,
            Some(200),
            Some(-32603),
            3,
        ),
        (
            Fault::RpcRateLimited,
            ErrorKind::RateLimited,
            Some(200),
            Some(-32029),
            3,
        ),
        (
            Fault::TooManyRequests {
                retry_after: Some("0".into()),
            },
            ErrorKind::RateLimited,
            Some(429),
            None,
            3,
        ),
        (
            Fault::Unavailable { retry_after: None },
            ErrorKind::Upstream,
            Some(503),
            None,
            3,
        ),
        (Fault::Truncated, ErrorKind::Decode, Some(200), None, 3),
        (Fault::Reset, ErrorKind::Network, None, None, 3),
        (Fault::NotJson, ErrorKind::Decode, Some(200), None, 1),
        (Fault::WrongId, ErrorKind::Decode, Some(200), None, 1),
        (Fault::Status(404), ErrorKind::Config, Some(404), None, 1),
        (Fault::Status(500), ErrorKind::Upstream, Some(500), None, 3),
    ];
    for (fault, kind, status, code, attempts) in cases {
        sb.timeclock.clear_faults();
        sb.timeclock.inject(FaultRule::new(
            FaultWhen::Method("sessions".into()),
            fault.clone(),
        ));
        let e = c.sessions(today(), today()).await.unwrap_err();
        assert_eq!(e.kind, kind, "{fault:?}: {}", e.message);
        assert_eq!(e.http_status, status, "{fault:?}");
        assert_eq!(e.rpc_code, code, "{fault:?}");
        assert_eq!(e.attempts, attempts, "{fault:?}");
        assert_eq!(e.method.as_deref(), Some("sessions"));
        assert_eq!(e.range, Some((today(), today())));
        assert!(!e.message.is_empty());
    }
    // Other methods are unaffected by a method-bound fault.
    assert!(c.lunches(today(), today()).await.is_ok());
    sb.stop().await;
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let sb = sandbox(sim_config()).await;
    let c = client(&sb);
    sb.timeclock.inject(once(Fault::TooManyRequests {
        retry_after: Some("1".into()),
    }));
    let started = Instant::now();
    c.sessions(today(), today()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    sb.stop().await;
}

#[tokio::test]
async fn retry_after_http_date_is_honoured_and_capped() {
    let sb = sandbox(sim_config()).await;
    // An HTTP date two seconds ahead: waits until then (whole seconds, so 1-2 s).
    let when = chrono::Utc::now() + chrono::Duration::seconds(2);
    let date = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    sb.timeclock.inject(once(Fault::Unavailable {
        retry_after: Some(date),
    }));
    let started = Instant::now();
    client(&sb).sessions(today(), today()).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );

    // An hour is capped by the policy.
    let mut opts = fast_options();
    opts.retry.max_retry_after = Duration::from_millis(100);
    sb.timeclock.inject(once(Fault::TooManyRequests {
        retry_after: Some("3600".into()),
    }));
    let started = Instant::now();
    client_with(&sb, DEMO_API_KEY, opts)
        .sessions(today(), today())
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    sb.stop().await;
}

#[tokio::test]
async fn slow_answers_time_out_and_are_retried() {
    let sb = sandbox(sim_config()).await;
    let cfg_client = |attempts| {
        timebridge_timeclock::TimeClockClient::with_options(
            timebridge_timeclock::TimeClockConfig {
                endpoint: sb.timeclock_endpoint().parse().unwrap(),
                api_key: timebridge_timeclock::Secret::new(DEMO_API_KEY),
                timeout: Duration::from_millis(300),
            },
            ClientOptions {
                retry: RetryPolicy {
                    max_attempts: attempts,
                    base_delay: Duration::from_millis(5),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .unwrap()
    };
    sb.timeclock.inject(FaultRule::new(
        FaultWhen::Always,
        Fault::Slow(Duration::from_millis(800)),
    ));
    let e = cfg_client(1).sessions(today(), today()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network, "{}", e.message);
    assert!(
        e.message.contains("did not answer in time"),
        "{}",
        e.message
    );
    sb.timeclock.clear_faults();
    sb.timeclock
        .inject(once(Fault::Slow(Duration::from_millis(800))));
    assert!(cfg_client(2).sessions(today(), today()).await.is_ok());
    sb.stop().await;
}

#[tokio::test]
async fn nth_request_faults_and_config_faults() {
    let sb = sandbox(TimeClockSimConfig {
        faults: vec![FaultRule::new(
            FaultWhen::NthRequest(2),
            Fault::InternalError,
        )],
        ..sim_config()
    })
    .await;
    let c = client(&sb);
    c.sessions(today(), today()).await.unwrap();
    c.sessions(today(), today()).await.unwrap();
    let seen = sb.timeclock.requests();
    assert_eq!(
        seen.len(),
        3,
        "request 2 failed and was retried as request 3"
    );
    assert_eq!(seen[1].number, 2);
    sb.stop().await;
}

#[tokio::test]
async fn long_ranges_are_chunked_and_merged() {
    let sb = sandbox(sim_config()).await;
    let (a, b) = (d("2026-10-01"), d("2026-10-31"));
    let whole = {
        let mut o = fast_options();
        o.chunk_days = 400;
        client_with(&sb, DEMO_API_KEY, o)
            .timesheet(a, b)
            .await
            .unwrap()
    };
    let before = sb.timeclock.requests().len();
    let mut o = fast_options();
    o.chunk_days = 7;
    o.max_concurrency = 2;
    let chunked = client_with(&sb, DEMO_API_KEY, o)
        .timesheet(a, b)
        .await
        .unwrap();
    assert_eq!(chunked, whole);
    let mut ranges: Vec<_> = sb.timeclock.requests()[before..]
        .iter()
        .map(|r| (r.start, r.end))
        .collect();
    ranges.sort();
    assert_eq!(
        ranges,
        vec![
            (d("2026-10-01"), d("2026-10-07")),
            (d("2026-10-08"), d("2026-10-14")),
            (d("2026-10-15"), d("2026-10-21")),
            (d("2026-10-22"), d("2026-10-28")),
            (d("2026-10-29"), d("2026-10-31")),
        ]
    );
    sb.stop().await;
}

#[tokio::test]
async fn a_failing_chunk_fails_the_whole_call() {
    let sb = sandbox(sim_config()).await;
    sb.timeclock.inject(FaultRule::new(
        FaultWhen::RangeContains(d("2026-10-17")),
        Fault::InternalError,
    ));
    let mut o = fast_options();
    o.chunk_days = 7;
    let c = client_with(&sb, DEMO_API_KEY, o);
    for method in ["sessions", "lunches", "timesheet", "extended-sessions"] {
        let r = match method {
            "sessions" => c
                .sessions(d("2026-10-01"), d("2026-10-31"))
                .await
                .map(|v| v.len()),
            "lunches" => c
                .lunches(d("2026-10-01"), d("2026-10-31"))
                .await
                .map(|v| v.len()),
            "timesheet" => c
                .timesheet(d("2026-10-01"), d("2026-10-31"))
                .await
                .map(|v| v.len()),
            _ => c
                .extended_sessions(d("2026-10-01"), d("2026-10-31"))
                .await
                .map(|v| v.len()),
        };
        let e = r.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Upstream, "{method}");
        assert_eq!(e.rpc_code, Some(-32603));
        assert_eq!(e.range, Some((d("2026-10-15"), d("2026-10-21"))));
        assert!(
            e.message.contains("2026-10-15 to 2026-10-21"),
            "{}",
            e.message
        );
        assert!(e.message.contains("part 3 of 5"), "{}", e.message);
    }
    // Ranges that avoid the day still work.
    assert!(c.sessions(d("2026-10-01"), d("2026-10-14")).await.is_ok());
    sb.stop().await;
}
