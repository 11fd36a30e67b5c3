#![allow(dead_code)]

use std::time::Duration;
use timebridge_protime::{Environment, ProtimeClient, ProtimeConfig, Secret};
use timebridge_sandbox::protime::ProtimeSimConfig;
use timebridge_sandbox::{RunningSandbox, SandboxConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};

pub fn all_scopes() -> Vec<String> {
    let mut s = ProtimeConfig::default_scopes();
    s.push("connector-protimeapi-terminals.read".into());
    s
}

pub async fn sandbox(cfg: ProtimeSimConfig) -> RunningSandbox {
    timebridge_sandbox::start(
        0,
        SandboxConfig {
            protime: cfg,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

pub fn client_with(sb: &RunningSandbox, scopes: Vec<String>) -> ProtimeClient {
    ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: sb.protime_api_base().parse().unwrap(),
            token_url: sb.protime_token_url().parse().unwrap(),
        },
        client_id: DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(DEMO_CLIENT_SECRET),
        scopes,
        user_agent: ProtimeConfig::user_agent_for("Timebridge contract tests"),
        timeout: Duration::from_secs(20),
    })
    .unwrap()
}

pub fn client(sb: &RunningSandbox) -> ProtimeClient {
    client_with(sb, all_scopes())
}

pub async fn setup() -> (RunningSandbox, ProtimeClient) {
    setup_with(ProtimeSimConfig::default()).await
}

pub async fn setup_with(cfg: ProtimeSimConfig) -> (RunningSandbox, ProtimeClient) {
    let sb = sandbox(cfg).await;
    let c = client(&sb);
    (sb, c)
}

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn days_ago(n: i64) -> chrono::NaiveDate {
    today() - chrono::Duration::days(n)
}

/// A raw request with a valid token and User-Agent (for bodies and URLs the typed client would refuse).
pub async fn raw(
    sb: &RunningSandbox,
    c: &ProtimeClient,
    method: reqwest::Method,
    path_and_query: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value, reqwest::header::HeaderMap) {
    let token = c.request_token().await.unwrap().access_token;
    let url = format!("{}{}", sb.base_url(), path_and_query);
    let mut req = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token.expose())
        .header("User-Agent", "ContractTests/1 (Timebridge)");
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        headers,
    )
}

pub const API: &str = "/connector/protimeapi/api/v1/";
pub const SV: &str = "b2347a7a-d60d-446f-b03b-7es2cc8c3281";
