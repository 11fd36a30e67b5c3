//! The client against hostile servers on loopback: a redirecting endpoint, absurd `Retry-After`
//! headers and endless bodies. Each test runs a tiny axum server of its own.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use timebridge_timeclock::{
    ClientOptions, ErrorKind, RetryPolicy, Secret, TimeClockClient, TimeClockConfig,
};

const RPC: &str = "/api/v1/json-rpc";

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn client(addr: SocketAddr, max_retry_after: Duration) -> TimeClockClient {
    TimeClockClient::with_options(
        TimeClockConfig {
            endpoint: format!("http://{addr}{RPC}").parse().unwrap(),
            api_key: Secret::new("very-secret-key"),
            timeout: Duration::from_secs(20),
        },
        ClientOptions {
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(50),
                max_retry_after,
            },
            ..Default::default()
        },
    )
    .unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn a_redirect_gets_no_api_key() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let s = seen.clone();
    let other = serve(Router::new().fallback(any(move |headers: HeaderMap| {
        s.lock()
            .unwrap()
            .push(format!("{:?}", headers.get(header::AUTHORIZATION)));
        async { Json(json!({"jsonrpc": "2.0", "id": null, "result": []})) }
    })))
    .await;
    let target = format!("http://127.0.0.1:{}{RPC}", other.port());
    let t = target.clone();
    let addr = serve(Router::new().route(
        RPC,
        post(move || {
            let t = t.clone();
            async move { (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, t)]).into_response() }
        }),
    ))
    .await;
    let e = client(addr, Duration::from_secs(1))
        .sessions(d("2026-11-02"), d("2026-11-03"))
        .await
        .unwrap_err();
    assert_eq!(e.http_status, Some(308), "{e}");
    assert!(e.message.contains(&target), "{e}");
    assert!(e.message.contains("redirects are never followed"), "{e}");
    assert_eq!(e.attempts, 1, "a redirect is not retried");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        seen.lock().unwrap().is_empty(),
        "the other server saw {seen:?}"
    );
}

#[tokio::test]
async fn absurd_retry_after_does_not_panic_and_is_capped() {
    for absurd in [
        "1e20",
        "99999999999999999999",
        "1e400",
        "18446744073709551616.5",
    ] {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let addr = serve(Router::new().route(
            RPC,
            post(move || {
                let first = c.fetch_add(1, Ordering::SeqCst) == 0;
                async move {
                    if first {
                        (
                            StatusCode::TOO_MANY_REQUESTS,
                            [(header::RETRY_AFTER, absurd)],
                        )
                            .into_response()
                    } else {
                        Json(json!({"jsonrpc": "2.0", "id": null, "result": []})).into_response()
                    }
                }
            }),
        ))
        .await;
        let started = Instant::now();
        let out = client(addr, Duration::from_millis(50))
            .sessions(d("2026-11-02"), d("2026-11-03"))
            .await
            .unwrap();
        assert!(out.is_empty());
        assert_eq!(calls.load(Ordering::SeqCst), 2, "{absurd}");
        assert!(started.elapsed() < Duration::from_secs(5), "{absurd}");
    }
}

fn endless() -> Response {
    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
    Body::from_stream(futures::stream::repeat_with(move || {
        Ok::<_, std::io::Error>(chunk.clone())
    }))
    .into_response()
}

#[tokio::test]
async fn an_endless_body_fails_with_a_size_error() {
    for status in [StatusCode::OK, StatusCode::INTERNAL_SERVER_ERROR] {
        let addr = serve(Router::new().route(
            RPC,
            post(move || async move { (status, endless()).into_response() }),
        ))
        .await;
        let c = client(addr, Duration::from_secs(1)).with_max_body_bytes(3 * 1024 * 1024);
        assert_eq!(c.max_body_bytes(), 3 * 1024 * 1024);
        let e = c
            .sessions(d("2026-11-02"), d("2026-11-03"))
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Upstream, "{e}");
        assert!(e.message.contains("larger than the 3 MiB limit"), "{e}");
        assert!(!e.is_transient(), "a body over the cap is not retried");
    }
}
