//! The API dispatcher: URI length, fault injection, `User-Agent`, bearer token and scope checks, then
//! the handlers in [`super::api`]; and the faults it injects.

use super::api;
use super::responses::{error, reasons_error};
use super::state::ReceivedRequest;
use super::{ProtimeSim, API_PREFIX, MAX_URI};
use crate::server::ConnectionKill;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Extension;
use chrono::Utc;
use std::time::Duration;

/// A fault the next API requests suffer (queued with [`ProtimeSim::inject`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer this 5xx status with the generic error body.
    Status(u16),
    /// 429 with `Retry-After: <seconds>`.
    TooManyRequests { retry_after_secs: u64 },
    /// 429 with `Retry-After` as an HTTP date this many seconds ahead.
    TooManyRequestsHttpDate { retry_after_secs: u64 },
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// Drop the connection without an answer, before doing anything.
    ResetBeforeCommit,
    /// Do the work (a write is committed), then drop the connection without an answer.
    ResetAfterCommit,
    /// For writes: hold the request this long, then commit it and answer, as a slow real server does.
    /// The commit happens even if the client has already timed out and closed the connection. On a
    /// read it is plain latency.
    LateCommit(Duration),
}

/// The scope a request needs: `connector-protimeapi-<collection>.<read|write>`.
pub(crate) fn scope_for(method: &Method, segments: &[&str]) -> String {
    let collection = match segments {
        ["delta", c, ..] => c.to_string(),
        ["activity-structure-versions", _, "levels", _, "activity-definitions", ..] => {
            "activity-definitions".into()
        }
        ["activity-structure-versions", ..] => "activity-definitions".into(),
        ["status-monitor", c, ..] => c.to_string(),
        [c, ..] => c.to_string(),
        [] => String::new(),
    };
    let verb = if method == Method::GET {
        "read"
    } else {
        "write"
    };
    format!("connector-protimeapi-{collection}.{verb}")
}

/// Drops the connection of the request being handled without an answer: the connection's kill
/// switch is fired, the sandbox's accept loop drops the connection future (and this handler with it),
/// and the socket closes. No panic is involved.
///
/// Outside the sandbox's own server (a router served some other way) there is no switch; the
/// request then gets a `502` with `Connection: close`, the nearest thing to a dropped connection.
pub(crate) async fn reset_connection(kill: Option<&ConnectionKill>) -> Response {
    if let Some(kill) = kill {
        kill.fire();
        // The connection future is dropped at its next poll; this handler never answers.
        std::future::pending::<()>().await;
    }
    let mut r = error(
        StatusCode::BAD_GATEWAY,
        "ConnectionReset",
        "Injected connection reset (no connection to drop outside the sandbox server)",
    );
    r.headers_mut().insert(
        axum::http::header::CONNECTION,
        HeaderValue::from_static("close"),
    );
    r
}

pub(crate) fn is_write(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

pub(crate) async fn dispatch(
    State(sim): State<ProtimeSim>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    kill: Option<Extension<ConnectionKill>>,
    body: Bytes,
) -> Response {
    let kill = kill.map(|Extension(k)| k);
    let path_and_query = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    if path_and_query.len() > MAX_URI {
        return error(
            StatusCode::URI_TOO_LONG,
            "UriTooLong",
            "The request URI is longer than 4096 characters",
        );
    }
    let user_agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string();
    let body_text = String::from_utf8_lossy(&body).to_string();
    let write = is_write(&method);
    let (fault, latency, write_delay) = {
        let mut s = sim.lock();
        s.received.push(ReceivedRequest {
            method: method.to_string(),
            path_and_query: path_and_query.clone(),
            body: body_text.clone(),
            user_agent: user_agent.clone(),
        });
        let mut fault = if s.faults.is_empty() {
            None
        } else {
            Some(s.faults.remove(0))
        };
        if fault.is_none() && s.config.fault_rate > 0.0 {
            let rate = s.config.fault_rate;
            if s.rng.chance(rate) {
                let mut all = vec![
                    Fault::Status(500),
                    Fault::Status(503),
                    Fault::TooManyRequests {
                        retry_after_secs: 1,
                    },
                    Fault::Latency(Duration::from_millis(300)),
                    Fault::ResetBeforeCommit,
                    Fault::ResetAfterCommit,
                ];
                // A late commit only means something for a write; reads draw another fault.
                if write {
                    all.push(Fault::LateCommit(s.config.late_commit_delay));
                }
                fault = Some(s.rng.pick(&all).clone());
            }
        }
        if fault.is_none() {
            if let Some(limit) = s.config.rate_limit_per_minute {
                let now = s.now();
                if now - s.rate_window.0 > chrono::Duration::minutes(1) {
                    s.rate_window = (now, 0);
                }
                s.rate_window.1 += 1;
                if s.rate_window.1 > limit {
                    fault = Some(Fault::TooManyRequests {
                        retry_after_secs: 60,
                    });
                }
            }
        }
        (fault, s.latency, s.config.write_delay)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    // How long a write is held before it is committed (in a task of its own, so it is committed even
    // if the client gives up and the connection, with this handler, is dropped).
    let mut hold = if write { write_delay } else { Duration::ZERO };
    let mut reset_after = false;
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(status, "ServerError", "Injected server failure");
        }
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests",
            );
            r.headers_mut()
                .insert("retry-after", HeaderValue::from(retry_after_secs));
            return r;
        }
        Some(Fault::TooManyRequestsHttpDate { retry_after_secs }) => {
            // Capped at ten years so the date arithmetic cannot overflow.
            let secs = retry_after_secs.min(315_360_000) as i64;
            let when = Utc::now() + chrono::Duration::seconds(secs + 1);
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests",
            );
            if let Ok(v) =
                HeaderValue::from_str(&when.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            {
                r.headers_mut().insert("retry-after", v);
            }
            return r;
        }
        Some(Fault::Latency(d)) => tokio::time::sleep(d).await,
        Some(Fault::ResetBeforeCommit) => return reset_connection(kill.as_ref()).await,
        Some(Fault::ResetAfterCommit) => reset_after = true,
        Some(Fault::LateCommit(d)) => hold = hold.saturating_add(d),
        None => {}
    }
    let response = if hold.is_zero() {
        handle(
            &sim,
            &method,
            &path_and_query,
            &headers,
            &user_agent,
            &body_text,
        )
    } else {
        let task = tokio::spawn(async move {
            tokio::time::sleep(hold).await;
            handle(
                &sim,
                &method,
                &path_and_query,
                &headers,
                &user_agent,
                &body_text,
            )
        });
        match task.await {
            Ok(r) => r,
            Err(_) => error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ServerError",
                "The held request was not completed",
            ),
        }
    };
    if reset_after {
        return reset_connection(kill.as_ref()).await;
    }
    response
}

pub(crate) fn handle(
    sim: &ProtimeSim,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    user_agent: &str,
    body: &str,
) -> Response {
    let mut s = sim.lock();
    if user_agent.is_empty() {
        let status = StatusCode::from_u16(s.config.missing_user_agent_status)
            .unwrap_or(StatusCode::BAD_REQUEST);
        return reasons_error(status, &["The User-Agent header is required"]);
    }
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let now = s.now();
    let scopes = match s.tokens.get(token) {
        Some(t) if t.expires_at > now => t.scopes.clone(),
        _ => {
            return error(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Missing or invalid access token",
            )
        }
    };
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let rest = path.strip_prefix(API_PREFIX).unwrap_or("");
    let decoded: Vec<String> = rest
        .split('/')
        .filter(|x| !x.is_empty())
        .map(|x| {
            url::form_urlencoded::parse(format!("x={}", x.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let scope = scope_for(method, &segments);
    if !scopes.iter().any(|g| g == &scope) {
        let status =
            StatusCode::from_u16(s.config.scope_failure_status).unwrap_or(StatusCode::FORBIDDEN);
        return error(
            status,
            "Forbidden",
            &format!("The access token lacks the scope {scope}"),
        );
    }
    let q = api::Query::parse(query);
    let response = api::route(&mut s, method, &segments, &q, body);
    // Accepted operations complete on their own after `accepted_running_polls` seconds, polled or not.
    let accepted: Vec<i64> = s.operations_to_time.drain(..).collect();
    let after = Duration::from_secs(u64::from(s.config.accepted_running_polls));
    drop(s);
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        for n in accepted {
            let sim = sim.clone();
            rt.spawn(async move {
                tokio::time::sleep(after).await;
                sim.lock().complete_operation(n);
            });
        }
    }
    response
}
