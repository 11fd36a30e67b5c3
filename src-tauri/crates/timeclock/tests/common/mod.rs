#![allow(dead_code)]

use chrono::NaiveDate;
use std::time::Duration;
use timebridge_sandbox::timeclock::TimeClockSimConfig;
use timebridge_sandbox::{RunningSandbox, SandboxConfig, DEMO_API_KEY};
use timebridge_timeclock::{ClientOptions, RetryPolicy, Secret, TimeClockClient, TimeClockConfig};

/// A Thursday: a working day in both zones; the default window (60 days) holds 2026-10-25.
pub fn today() -> NaiveDate {
    d("2026-11-19")
}

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn sim_config() -> TimeClockSimConfig {
    TimeClockSimConfig {
        today: Some(today()),
        ..Default::default()
    }
}

pub async fn sandbox(timeclock: TimeClockSimConfig) -> RunningSandbox {
    timebridge_sandbox::start(
        0,
        SandboxConfig {
            timeclock,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

pub fn fast_options() -> ClientOptions {
    ClientOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(3),
        },
        default_zone: chrono_tz::Europe::Brussels,
        ..Default::default()
    }
}

pub fn client_with(sb: &RunningSandbox, key: &str, options: ClientOptions) -> TimeClockClient {
    TimeClockClient::with_options(
        TimeClockConfig {
            endpoint: sb.timeclock_endpoint().parse().unwrap(),
            api_key: Secret::new(key),
            timeout: Duration::from_secs(20),
        },
        options,
    )
    .unwrap()
}

pub fn client(sb: &RunningSandbox) -> TimeClockClient {
    client_with(sb, DEMO_API_KEY, fast_options())
}

/// A raw POST; returns (status, body text).
pub async fn post_raw(sb: &RunningSandbox, key: Option<&str>, body: &str) -> (u16, String) {
    let mut req = reqwest::Client::new()
        .post(sb.timeclock_endpoint())
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

pub async fn post_json(sb: &RunningSandbox, body: &str) -> (u16, serde_json::Value) {
    let (status, text) = post_raw(sb, Some(DEMO_API_KEY), body).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}
