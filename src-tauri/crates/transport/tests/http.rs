//! The helpers against real HTTP servers on loopback.

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use timebridge_transport::{
    http_client, read_body, read_text, refuse_redirect, retry_after_header, BodyError,
    MAX_RETRY_AFTER,
};

async fn serve(app: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn client() -> reqwest::Client {
    http_client(Duration::from_secs(20), Duration::from_secs(5)).unwrap()
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let other = serve(Router::new().fallback(any(move || {
        h.fetch_add(1, Ordering::SeqCst);
        async { "secret received" }
    })))
    .await;
    let target = format!("http://127.0.0.1:{}/token", other.port());
    let t = target.clone();
    let first = serve(Router::new().fallback(any(move || {
        let t = t.clone();
        async move { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, t)]).into_response() }
    })))
    .await;
    let resp = client()
        .post(format!("http://{first}/token"))
        .body("client_secret=s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 307);
    let e = refuse_redirect(&resp).unwrap_err();
    assert_eq!(e.status, 307);
    assert_eq!(e.location.as_deref(), Some(target.as_str()));
    assert!(e.to_string().contains(&target), "{e}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the other server saw a request"
    );
}

fn endless() -> Response {
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let stream = futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
    Body::from_stream(stream).into_response()
}

/// Resident memory in bytes (Linux), to show reading an endless body stays bounded.
fn rss() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_cap() {
    let addr = serve(
        Router::new()
            .route("/endless", any(|| async { endless() }))
            .route(
                "/declared",
                // A body with a Content-Length over the cap: refused from the header alone.
                any(|| async { Body::from(vec![b'x'; 5 * 1024 * 1024]) }),
            )
            .route("/small", any(|| async { "hello" })),
    )
    .await;
    let c = client();
    let before = rss();
    let limit = 4 * 1024 * 1024;
    for _ in 0..5 {
        let resp = c
            .get(format!("http://{addr}/endless"))
            .send()
            .await
            .unwrap();
        match read_body(resp, limit).await {
            Err(BodyError::TooLarge {
                limit: l,
                declared: None,
            }) => assert_eq!(l, limit),
            other => panic!("{other:?}"),
        }
    }
    if let (Some(b), Some(a)) = (before, rss()) {
        assert!(
            a.saturating_sub(b) < 64 * 1024 * 1024,
            "memory grew by {}",
            a - b
        );
    }
    let resp = c
        .get(format!("http://{addr}/declared"))
        .send()
        .await
        .unwrap();
    let e = read_body(resp, limit).await.unwrap_err();
    assert!(
        matches!(
            e,
            BodyError::TooLarge {
                declared: Some(5_242_880),
                ..
            }
        ),
        "{e:?}"
    );
    let resp = c.get(format!("http://{addr}/small")).send().await.unwrap();
    assert_eq!(read_text(resp, 5).await.unwrap(), "hello");
    let resp = c.get(format!("http://{addr}/small")).send().await.unwrap();
    assert!(matches!(
        read_text(resp, 4).await,
        Err(BodyError::TooLarge { .. })
    ));
}

#[tokio::test]
async fn absurd_retry_after_headers_are_capped() {
    let addr = serve(Router::new().route(
        "/{v}",
        any(
            |axum::extract::Path(v): axum::extract::Path<String>| async move {
                (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, v)]).into_response()
            },
        ),
    ))
    .await;
    let c = client();
    for v in ["1e20", "99999999999999999999", "3600"] {
        let resp = c.get(format!("http://{addr}/{v}")).send().await.unwrap();
        assert_eq!(
            retry_after_header(resp.headers(), MAX_RETRY_AFTER),
            Some(MAX_RETRY_AFTER),
            "{v}"
        );
    }
}
