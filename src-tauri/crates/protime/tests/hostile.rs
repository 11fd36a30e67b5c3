//! The client against hostile servers on loopback: redirects, foreign links, absurd `Retry-After`
//! headers and endless bodies. Each test runs a tiny axum server of its own, plus an "other" server
//! that counts every request it sees (it must see none: no secret or token may reach it).

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use timebridge_protime::{Environment, ErrorKind, ProtimeClient, ProtimeConfig, Secret};

const API: &str = "/connector/protimeapi/api/v1/";
const TOKEN: &str = "/tenants/acme/connect/token";

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A server that answers everything with 200 and records what it saw (method, path, headers).
#[derive(Clone, Default)]
struct Other {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Other {
    async fn start() -> (Self, SocketAddr) {
        let o = Other::default();
        let seen = o.seen.clone();
        let addr = serve(Router::new().fallback(any(
            move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push(format!(
                        "{uri} auth={:?} body={}",
                        headers.get(header::AUTHORIZATION),
                        String::from_utf8_lossy(&body)
                    ));
                    Json(json!({"access_token": "stolen", "expires_in": 3600, "value": []}))
                }
            },
        )))
        .await;
        (o, addr)
    }
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

async fn token() -> Json<serde_json::Value> {
    Json(
        json!({"access_token": "tok", "expires_in": 3600, "scope": "connector-protimeapi-people.read"}),
    )
}

fn client(addr: SocketAddr) -> ProtimeClient {
    ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: format!("http://{addr}{API}").parse().unwrap(),
            token_url: format!("http://{addr}{TOKEN}").parse().unwrap(),
        },
        client_id: "client".into(),
        client_secret: Secret::new("very-secret"),
        scopes: vec!["connector-protimeapi-people.read".into()],
        user_agent: ProtimeConfig::user_agent_for("hostile tests"),
        timeout: Duration::from_secs(20),
    })
    .unwrap()
}

fn redirect_to(target: String) -> impl Fn() -> std::future::Ready<Response> + Clone {
    move || {
        std::future::ready(
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, target.clone())],
            )
                .into_response(),
        )
    }
}

#[tokio::test]
async fn a_token_endpoint_redirect_gets_no_secret() {
    let (other, other_addr) = Other::start().await;
    let target = format!("http://127.0.0.1:{}{TOKEN}", other_addr.port());
    let addr = serve(Router::new().route(TOKEN, post(redirect_to(target.clone())))).await;
    let c = client(addr);
    let e = c.request_token().await.unwrap_err();
    assert_eq!(e.status, Some(307), "{e}");
    assert!(e.message.contains(&target), "{e}");
    assert!(e.message.contains("redirect"), "{e}");
    let e = c.people().await.unwrap_err();
    assert!(e.message.contains(&target), "{e}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        other.seen(),
        Vec::<String>::new(),
        "the other server saw a request"
    );
}

#[tokio::test]
async fn an_api_redirect_gets_no_token() {
    let (other, other_addr) = Other::start().await;
    let target = format!("http://127.0.0.1:{}{API}people", other_addr.port());
    let addr = serve(
        Router::new()
            .route(TOKEN, post(token))
            .route(&format!("{API}people"), get(redirect_to(target.clone()))),
    )
    .await;
    let e = client(addr).people().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Upstream, "{e}");
    assert_eq!(e.status, Some(307), "{e}");
    assert!(e.message.contains(&target), "{e}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        other.seen(),
        Vec::<String>::new(),
        "the other server saw a request"
    );
}

#[tokio::test]
async fn foreign_next_and_delta_links_are_refused() {
    let (other, other_addr) = Other::start().await;
    let p = other_addr.port();
    let foreign = [
        format!("http://127.0.0.1:{p}{API}people?page=2"),
        format!("//127.0.0.1:{p}{API}people?page=2"),
        format!("http://localhost:{p}{API}people?page=2"),
    ];
    let link = Arc::new(Mutex::new(String::new()));
    let l = link.clone();
    let addr = serve(Router::new().route(TOKEN, post(token)).route(
        &format!("{API}people"),
        get(move || {
            let l = l.lock().unwrap().clone();
            async move {
                Json(json!({
                    "value": [{"id": 1, "changeVersion": "1"}],
                    "nextLink": l,
                }))
            }
        }),
    ))
    .await;
    let c = client(addr);
    for f in &foreign {
        *link.lock().unwrap() = f.clone();
        let e = c.people().await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::Upstream, "{f}: {e}");
        assert!(e.message.contains("another server"), "{f}: {e}");
        let e = c.delta_changes::<serde_json::Value>(f).await.unwrap_err();
        assert!(e.message.contains("another server"), "{f}: {e}");
        let e = c
            .delta_initial_page::<serde_json::Value>(f)
            .await
            .unwrap_err();
        assert!(e.message.contains("another server"), "{f}: {e}");
        assert!(c.link_url(f).is_err(), "{f}");
    }
    // A same-origin link is followed as before; the same link a second time is a loop and stops
    // the list with an error.
    *link.lock().unwrap() = format!("{API}people?page=2");
    let mut n = 0;
    let mut s = Box::pin(c.stream::<serde_json::Value>(c.url("people").unwrap()));
    while let Some(item) = futures::StreamExt::next(&mut s).await {
        match item {
            Ok(_) => n += 1,
            Err(e) => {
                assert!(e.message.contains("already read"), "{e}");
                break;
            }
        }
    }
    assert_eq!(n, 2);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        other.seen(),
        Vec::<String>::new(),
        "the other server saw a request"
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
        let app = Router::new()
            .route(TOKEN, post(token))
            .route(
                &format!("{API}people/{{id}}"),
                get(move |State(calls): State<Arc<AtomicUsize>>| async move {
                    if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                        (
                            StatusCode::TOO_MANY_REQUESTS,
                            [(header::RETRY_AFTER, absurd)],
                        )
                            .into_response()
                    } else {
                        Json(json!({"id": 7})).into_response()
                    }
                }),
            )
            .with_state(calls.clone());
        let addr = serve(app).await;
        let c = client(addr).with_max_retry_after(Duration::from_millis(50));
        let started = Instant::now();
        let p = c.person("7", None).await.unwrap();
        assert_eq!(p.id, 7);
        assert_eq!(calls.load(Ordering::SeqCst), 3, "{absurd}");
        assert!(started.elapsed() < Duration::from_secs(5), "{absurd}");
    }
}

#[tokio::test]
async fn an_endless_body_fails_with_a_size_error() {
    let addr = serve(
        Router::new()
            .route(TOKEN, post(token))
            .route(
                &format!("{API}people"),
                get(|| async {
                    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
                    let endless = futures::stream::repeat_with(move || {
                        Ok::<_, std::io::Error>(chunk.clone())
                    });
                    Body::from_stream(endless)
                }),
            )
            .route(
                &format!("{API}terminals"),
                get(|| async { Body::from(vec![b' '; 200 * 1024 * 1024]) }),
            ),
    )
    .await;
    let c = client(addr).with_max_body_bytes(4 * 1024 * 1024);
    assert_eq!(c.max_body_bytes(), 4 * 1024 * 1024);
    let started = Instant::now();
    let e = c.people().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Upstream, "{e}");
    assert!(e.message.contains("larger than the 4 MiB limit"), "{e}");
    let e = c.terminals().await.unwrap_err();
    assert!(e.message.contains("larger than the 4 MiB limit"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn an_endless_token_answer_fails_with_a_size_error() {
    let addr = serve(Router::new().route(
        TOKEN,
        post(|| async {
            let chunk = Bytes::from(vec![b' '; 64 * 1024]);
            Body::from_stream(futures::stream::repeat_with(move || {
                Ok::<_, std::io::Error>(chunk.clone())
            }))
        }),
    ))
    .await;
    let c = client(addr).with_max_body_bytes(2 * 1024 * 1024);
    let e = c.request_token().await.unwrap_err();
    assert!(e.message.contains("larger than the 2 MiB limit"), "{e}");
}

/// Ids and references come from users and servers; none may climb out of the path it is put in
/// (`people/..` would be the API root, `activity-definitions/..` the level) or split into segments.
#[tokio::test]
async fn ids_from_data_stay_one_path_segment() {
    let (other, addr) = Other::start().await;
    let c = client(addr);
    for bad in ["..", ".", ""] {
        let e = c.person(bad, None).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest, "{bad:?}: {e}");
        assert!(e.message.contains("person reference"), "{e}");
        let at = timebridge_protime::LevelPath::new(bad, 1);
        let e = c.activity_definitions(&at).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest, "{bad:?}: {e}");
        let at = timebridge_protime::LevelPath::new("v1", 1);
        let def = timebridge_protime::DefinitionRef::Id(bad.into());
        let e = c.activity_definition(&at, &def, false).await.unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadRequest, "{bad:?}: {e}");
    }
    assert_eq!(other.seen(), Vec::<String>::new(), "a request was sent");
    // Slashes, queries and fragments stay inside the one segment, percent-encoded.
    // (The answer is not a person; only the path it was asked at matters here.)
    let _ = c.person("../x/../../admin?all=1#f", None).await;
    let seen = other.seen();
    let asked: Vec<&String> = seen.iter().filter(|s| s.contains("/people")).collect();
    assert_eq!(
        asked,
        vec![&format!(
            "{API}people/..%2Fx%2F..%2F..%2Fadmin%3Fall%3D1%23f auth=Some(\"Bearer stolen\") body="
        )],
        "{seen:?}"
    );
}
