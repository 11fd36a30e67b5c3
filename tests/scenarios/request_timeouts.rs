//! Timeouts on every request: a server that accepts connections and then never answers must not
//! hang any call of either client. Protime's token endpoint answers (so the calls get as far as
//! the API request) in one run and hangs too in another; TimeClock 365 hangs on every call.
//! Each call must fail as a network error saying the server "did not answer in time", well within
//! a bound that only holds if the configured timeout applies to that request.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};
use timebridge_protime::models::NewClocking;
use timebridge_protime::{
    DateRange, DefinitionRef, Environment, ExternalReferences, LevelPath, ProtimeClient,
    ProtimeConfig,
};
use timebridge_secret::Secret;
use timebridge_timeclock::{TimeClockClient, TimeClockConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TIMEOUT: Duration = Duration::from_millis(200);
/// Reads are retried up to four times with short pauses; anything past this means a request had
/// no timeout.
const BOUND: Duration = Duration::from_secs(8);

/// Accepts connections; answers the OAuth token request when `answer_token`, and holds every
/// other request open without a byte of answer.
async fn silent_server(answer_token: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(serve(socket, answer_token));
        }
    });
    format!("http://{addr}")
}

async fn serve(mut socket: TcpStream, answer_token: bool) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    if answer_token && head.lines().next().unwrap_or("").contains("/connect/token") {
        let body = r#"{"access_token":"t","token_type":"Bearer","expires_in":3600,"scope":"connector-protimeapi-people.read"}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = socket.write_all(answer.as_bytes()).await;
    }
    // Keep the connection open and silent far beyond any timeout.
    tokio::time::sleep(Duration::from_secs(120)).await;
}

fn protime(base: &str) -> ProtimeClient {
    ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: format!("{base}/connector/protimeapi/api/v1/")
                .parse()
                .unwrap(),
            token_url: format!("{base}/tenants/acme/connect/token")
                .parse()
                .unwrap(),
        },
        client_id: "timebridge".into(),
        client_secret: Secret::new("s"),
        scopes: ProtimeConfig::default_scopes(),
        user_agent: ProtimeConfig::user_agent_for("timeout test"),
        timeout: TIMEOUT,
    })
    .unwrap()
}

type Call<'a> = (
    &'static str,
    Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>,
);

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<(), String> {
    r.map(|_| ()).map_err(|e| e.to_string())
}

fn protime_calls(c: &ProtimeClient) -> Vec<Call<'_>> {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let range = move || DateRange::new(day, day).unwrap();
    let none = ExternalReferences::none;
    let at = LevelPath::new("sv-1", 1);
    let def = DefinitionRef::Id("d-1".into());
    let clocking: NewClocking = serde_json::from_value(serde_json::json!({
        "person": {"id": 76500}, "date": "2026-11-02", "timeOfDayInMinutes": 480, "kind": "InOut"
    }))
    .unwrap();
    vec![
        (
            "token",
            Box::pin(async move { ok(c.request_token().await) }),
        ),
        ("people", Box::pin(async move { ok(c.people().await) })),
        (
            "person",
            Box::pin(async move { ok(c.person("1001", Some("@employee-number")).await) }),
        ),
        (
            "clockings",
            Box::pin(async move { ok(c.clockings(range(), None, &none()).await) }),
        ),
        (
            "clocking",
            Box::pin(async move { ok(c.clocking(1, &none()).await) }),
        ),
        (
            "create clocking",
            Box::pin(async move { ok(c.create_clocking(&clocking, &none()).await) }),
        ),
        (
            "access clockings",
            Box::pin(async move { ok(c.access_clockings(range(), None, &none()).await) }),
        ),
        (
            "access clocking",
            Box::pin(async move { ok(c.access_clocking(1234, &none()).await) }),
        ),
        (
            "calculated totals",
            Box::pin(async move { ok(c.calculated_totals(range(), None, &none()).await) }),
        ),
        (
            "delta changes",
            Box::pin(async move {
                ok(c.delta_changes::<serde_json::Value>(
                    "/connector/protimeapi/api/v1/clockings?deltaToken=x",
                )
                .await)
            }),
        ),
        (
            "absence definitions",
            Box::pin(async move { ok(c.absence_definitions().await) }),
        ),
        (
            "terminals",
            Box::pin(async move { ok(c.terminals().await) }),
        ),
        (
            "activity definitions",
            Box::pin({
                let at = at.clone();
                async move { ok(c.activity_definitions(&at).await) }
            }),
        ),
        (
            "usages",
            Box::pin({
                let (at, def) = (at.clone(), def.clone());
                async move { ok(c.usages(&at, &def).await) }
            }),
        ),
        (
            "restrictions",
            Box::pin({
                let (at, def) = (at.clone(), def.clone());
                async move { ok(c.restrictions(&at, &def).await) }
            }),
        ),
        (
            "set restrictions",
            Box::pin(async move { ok(c.set_restrictions(&at, &def, &[]).await) }),
        ),
        (
            "raw write",
            Box::pin(async move {
                ok(
                    c.write_json(reqwest::Method::POST, "clockings", &serde_json::json!({}))
                        .await,
                )
            }),
        ),
    ]
}

/// Runs the calls side by side (each timed on its own) so the whole check takes as long as the
/// slowest call, not the sum of them.
async fn assert_all_time_out(calls: Vec<Call<'_>>, phrase: &str) {
    let timed = calls.into_iter().map(|(name, call)| async move {
        let started = Instant::now();
        let outcome = tokio::time::timeout(BOUND * 2, call).await;
        (name, started.elapsed(), outcome)
    });
    for (name, took, outcome) in futures::future::join_all(timed).await {
        let err = match outcome {
            Err(_) => panic!(
                "{name}: still waiting after {:?}: no timeout on this request",
                BOUND * 2
            ),
            Ok(Ok(())) => panic!("{name}: a silent server cannot have answered"),
            Ok(Err(e)) => e,
        };
        assert!(took < BOUND, "{name}: took {took:?}");
        assert!(
            took >= TIMEOUT,
            "{name}: failed after {took:?}, before the timeout: {err}"
        );
        assert!(err.contains(phrase), "{name}: {err}");
    }
}

#[tokio::test]
async fn every_protime_request_times_out_when_the_api_is_silent() {
    let base = silent_server(true).await;
    let client = protime(&base);
    // The token request is answered here (the next test covers it hanging).
    let calls = protime_calls(&client)
        .into_iter()
        .filter(|(name, _)| *name != "token")
        .collect();
    assert_all_time_out(calls, "Protime did not answer in time").await;
}

#[tokio::test]
async fn the_protime_token_request_times_out_too() {
    let base = silent_server(false).await;
    let client = protime(&base);
    // Callers share one token refresh (they queue behind it), so a few suffice: the token
    // request itself, a read and a write that each need a token first.
    let calls = protime_calls(&client)
        .into_iter()
        .filter(|(name, _)| ["token", "people", "create clocking"].contains(name))
        .collect();
    assert_all_time_out(calls, "Protime did not answer in time").await;
}

#[tokio::test]
async fn every_timeclock_request_times_out_when_the_api_is_silent() {
    let base = silent_server(false).await;
    let client = TimeClockClient::new(TimeClockConfig {
        endpoint: format!("{base}/api/v1/json-rpc").parse().unwrap(),
        api_key: Secret::new("k"),
        timeout: TIMEOUT,
    })
    .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let c = &client;
    let calls: Vec<Call<'_>> = vec![
        (
            "sessions",
            Box::pin(async move { ok(c.sessions(day, day).await) }),
        ),
        (
            "lunches",
            Box::pin(async move { ok(c.lunches(day, day).await) }),
        ),
        (
            "timesheet",
            Box::pin(async move { ok(c.timesheet(day, day).await) }),
        ),
        (
            "extended sessions",
            Box::pin(async move { ok(c.extended_sessions(day, day).await) }),
        ),
    ];
    assert_all_time_out(calls, "TimeClock 365 did not answer in time").await;
}
