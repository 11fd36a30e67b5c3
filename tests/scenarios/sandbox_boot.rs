//! The sandbox boot path, driven through the real client crates over loopback HTTP.

use std::time::Duration;
use timebridge_protime::{Environment, ErrorKind, ProtimeClient, ProtimeConfig};
use timebridge_sandbox::{SandboxConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use timebridge_secret::Secret;
use timebridge_timeclock::{TimeClockClient, TimeClockConfig};

fn protime(sb: &timebridge_sandbox::RunningSandbox, secret: &str) -> ProtimeClient {
    ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: sb.protime_api_base().parse().unwrap(),
            token_url: sb.protime_token_url().parse().unwrap(),
        },
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(secret),
        scopes: ProtimeConfig::default_scopes(),
        user_agent: ProtimeConfig::user_agent_for("Timebridge tests"),
        timeout: Duration::from_secs(10),
    })
    .unwrap()
}

#[tokio::test]
async fn token_endpoint_grants_and_refuses() {
    let sb = timebridge_sandbox::start(0, SandboxConfig::default())
        .await
        .unwrap();
    let granted = protime(&sb, DEMO_CLIENT_SECRET)
        .request_token()
        .await
        .unwrap();
    assert_eq!(granted.expires_in, Duration::from_secs(1800));
    assert!(granted.scope.contains("connector-protimeapi-people.read"));

    let refused = protime(&sb, "wrong").request_token().await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Unauthorized);
    assert_eq!(
        refused.status,
        Some(400),
        "OAuth2 errors are 400 with an error body"
    );
    assert!(
        refused.message.contains("invalid_client"),
        "{}",
        refused.message
    );
    sb.stop().await;
}

#[tokio::test]
async fn people_are_paged_and_need_a_token_and_a_user_agent() {
    let cfg = SandboxConfig {
        protime: timebridge_sandbox::protime::ProtimeSimConfig {
            page_size: 7,
            ..Default::default()
        },
        ..Default::default()
    };
    let sb = timebridge_sandbox::start(0, cfg).await.unwrap();

    // Through the client: 50 people across 8 pages, all distinct.
    let people = protime(&sb, DEMO_CLIENT_SECRET).people().await.unwrap();
    assert_eq!(people.len(), 50);
    let mut ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    assert!(people
        .iter()
        .all(|p| p.employee_number.is_some() && p.badge_number.is_some()));

    // Raw HTTP: no token → 401; no User-Agent → 400 with the reasons body.
    let http = reqwest::Client::builder().user_agent("").build().unwrap();
    let url = format!("{}people", sb.protime_api_base());
    let no_token = reqwest::Client::new()
        .get(&url)
        .header("User-Agent", "Tests/1 (Timebridge)")
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 401);
    let token = protime(&sb, DEMO_CLIENT_SECRET)
        .request_token()
        .await
        .unwrap()
        .access_token;
    let no_agent = http
        .get(&url)
        .bearer_auth(token.expose())
        .send()
        .await
        .unwrap();
    assert_eq!(no_agent.status(), 400);
    let body: serde_json::Value = no_agent.json().await.unwrap();
    assert_eq!(body["error"]["code"], "BadRequest");
    let ok = reqwest::Client::new()
        .get(&url)
        .bearer_auth(token.expose())
        .header("User-Agent", "Tests/1 (Timebridge)")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let page: serde_json::Value = ok.json().await.unwrap();
    assert_eq!(page["value"].as_array().unwrap().len(), 7);
    assert!(page["nextLink"]
        .as_str()
        .unwrap()
        .starts_with("/connector/protimeapi/api/v1/people?"));
    sb.stop().await;
}

#[tokio::test]
async fn sessions_through_the_timeclock_client() {
    let sb = timebridge_sandbox::start(0, SandboxConfig::default())
        .await
        .unwrap();
    let client = |key: &str| {
        TimeClockClient::new(TimeClockConfig {
            endpoint: sb.timeclock_endpoint().parse().unwrap(),
            api_key: Secret::new(key),
            timeout: Duration::from_secs(10),
        })
        .unwrap()
    };
    let today = chrono::Local::now().date_naive();
    let week = client("sandbox-key")
        .sessions(today - chrono::Duration::days(6), today)
        .await
        .unwrap();
    assert_eq!(week.len(), 60);
    let sessions: usize = week.iter().map(|e| e.sessions.len()).sum();
    assert!(
        sessions > 100,
        "a week of 60 people has plenty of sessions, got {sessions}"
    );
    // The same range twice gives the same data (deterministic seed).
    let again = client("sandbox-key")
        .sessions(today - chrono::Duration::days(6), today)
        .await
        .unwrap();
    assert_eq!(week, again);

    let refused = client("wrong").sessions(today, today).await.unwrap_err();
    assert_eq!(refused.kind, timebridge_timeclock::ErrorKind::Unauthorized);
    assert_eq!(refused.http_status, Some(401));

    let unknown: Result<Vec<serde_json::Value>, _> =
        client("sandbox-key").call("employees", today, today).await;
    assert_eq!(unknown.unwrap_err().rpc_code, Some(-32601));
    sb.stop().await;
}
