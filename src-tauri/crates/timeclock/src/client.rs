use crate::models::EmployeeSessions;
use crate::{Error, ErrorKind};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use timebridge_secret::Secret;
use url::Url;

pub const DEFAULT_ENDPOINT: &str = "https://live.timeclock365.com/api/v1/json-rpc";

#[derive(Debug, Clone)]
pub struct TimeClockConfig {
    pub endpoint: Url,
    pub api_key: Secret,
    pub timeout: Duration,
}

/// A client for one TimeClock 365 company. Cheap to clone.
#[derive(Clone)]
pub struct TimeClockClient {
    http: reqwest::Client,
    config: std::sync::Arc<TimeClockConfig>,
    next_id: std::sync::Arc<AtomicU64>,
}

impl TimeClockClient {
    pub fn new(config: TimeClockConfig) -> Result<Self, Error> {
        require_https_unless_loopback(&config.endpoint)?;
        if config.api_key.is_empty() {
            return Err(Error::new(
                ErrorKind::Config,
                "The TimeClock 365 API key is empty",
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Config,
                    format!("cannot build the HTTP client: {e}"),
                )
            })?;
        Ok(Self {
            http,
            config: std::sync::Arc::new(config),
            next_id: std::sync::Arc::new(AtomicU64::new(1)),
        })
    }

    pub fn endpoint(&self) -> &Url {
        &self.config.endpoint
    }

    /// `sessions` for an inclusive date range.
    pub async fn sessions(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<EmployeeSessions>, Error> {
        self.call("sessions", start, end).await
    }

    /// One JSON-RPC call with a fresh integer id; checks that the answer echoes it.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<T, Error> {
        if end < start {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("The end date {end} is before the start date {start}"),
            ));
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "method": method,
            "params": {"startDate": start.format("%Y-%m-%d").to_string(), "endDate": end.format("%Y-%m-%d").to_string()},
            "id": id,
        });
        let resp = self
            .http
            .post(self.config.endpoint.clone())
            .bearer_auth(self.config.api_key.expose())
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(network)?;
        let status = resp.status().as_u16();
        let raw = resp.text().await.map_err(network)?;
        let envelope: Option<serde_json::Value> = serde_json::from_str(&raw).ok();
        let rpc_error = envelope
            .as_ref()
            .and_then(|v| v.get("error"))
            .filter(|e| !e.is_null());
        if status == 401 || status == 403 {
            let mut e = Error::new(
                ErrorKind::Unauthorized,
                "TimeClock 365 refused the API key: create a key under Integrations in the TimeClock 365 dashboard and enter it in the profile",
            );
            e.http_status = Some(status);
            e.rpc_code = rpc_error
                .and_then(|e| e.get("code"))
                .and_then(|c| c.as_i64());
            return Err(e);
        }
        if let Some(err) = rpc_error {
            let code = err.get("code").and_then(|c| c.as_i64());
            let msg = err
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("no message");
            let kind = match code {
                Some(-32601) => ErrorKind::MethodNotFound,
                Some(-32602) | Some(-32600) | Some(-32700) => ErrorKind::InvalidRequest,
                Some(-32001) => ErrorKind::Unauthorized,
                Some(-32029) => ErrorKind::RateLimited,
                _ => ErrorKind::Upstream,
            };
            let mut e = Error::new(
                kind,
                format!(
                    "TimeClock 365 refused '{method}': {msg} (code {})",
                    code.unwrap_or(0)
                ),
            );
            e.http_status = Some(status);
            e.rpc_code = code;
            return Err(e);
        }
        if !(200..300).contains(&status) {
            let mut e = Error::new(
                if status == 429 {
                    ErrorKind::RateLimited
                } else {
                    ErrorKind::Upstream
                },
                format!("TimeClock 365 answered HTTP {status} to '{method}'"),
            );
            e.http_status = Some(status);
            return Err(e);
        }
        let envelope = envelope.ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                format!("TimeClock 365 answered '{method}' with something that is not JSON"),
            )
        })?;
        if let Some(echo) = envelope.get("id").and_then(|v| v.as_u64()) {
            if echo != id {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!("TimeClock 365 answered request {id} with id {echo}"),
                ));
            }
        }
        let result = envelope
            .get("result")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let result = if result.is_null() {
            serde_json::Value::Array(vec![])
        } else {
            result
        };
        serde_json::from_value(result).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("TimeClock 365 answered '{method}' in an unexpected shape: {e}"),
            )
        })
    }
}

fn network(e: reqwest::Error) -> Error {
    let what = if e.is_timeout() {
        "TimeClock 365 did not answer in time"
    } else if e.is_connect() {
        "Could not connect to TimeClock 365 (offline, wrong address or TLS failure)"
    } else {
        "The connection to TimeClock 365 failed"
    };
    Error::new(ErrorKind::Network, format!("{what}: {e}"))
}

fn require_https_unless_loopback(url: &Url) -> Result<(), Error> {
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if url.scheme() == "https" || (url.scheme() == "http" && loopback) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Config,
            format!("{url} must use https (plain http is only allowed on this computer's loopback address)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_sessions_example_decodes() {
        let raw = r#"[{"employeeNumber":1265,"email":"email@mail.com","sessions":[{"startDate":"2024-10-09 08:12:34","endDate":"2024-10-09 17:18:34","timezone":"Asia/Jerusalem","locationType":"office","startSourceType":"web","endSourceType":"phone"}]},
            {"employeeNumber":"01267","sessions":[{"startDate":"2024-10-10 08:00:00","endDate":null},{"startDate":"2024-10-11 08:00:00","endDate":""},{"startDate":"2024-10-12 08:00:00"}]}]"#;
        let v: Vec<EmployeeSessions> = serde_json::from_str(raw).unwrap();
        assert_eq!(v[0].employee_number.as_deref(), Some("1265"));
        assert_eq!(v[1].employee_number.as_deref(), Some("01267"));
        assert!(v[1].sessions.iter().all(|s| s.is_open()));
    }

    #[test]
    fn http_refused_for_public_hosts() {
        let cfg = TimeClockConfig {
            endpoint: Url::parse("http://live.timeclock365.com/api/v1/json-rpc").unwrap(),
            api_key: Secret::new("k"),
            timeout: Duration::from_secs(5),
        };
        assert_eq!(
            TimeClockClient::new(cfg).err().unwrap().kind,
            ErrorKind::Config
        );
    }
}
