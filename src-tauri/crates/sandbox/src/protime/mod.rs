//! Simulator of the Protime API (`shared/spec/protime-api.md`, section 5 "Simulator checklist").

use crate::roster::Roster;
use crate::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Token lifetime the real token endpoint documents.
const TOKEN_LIFETIME_SECS: u64 = 1800;

/// Switches for behaviour the contract leaves unconfirmed, and for tests.
#[derive(Debug, Clone)]
pub struct ProtimeSimConfig {
    /// Items per page of every list (the real page size is undocumented).
    pub page_size: usize,
}

impl Default for ProtimeSimConfig {
    fn default() -> Self {
        Self { page_size: 100 }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ProtimeSimArgs {
    /// Items per page of Protime list answers.
    #[arg(long, default_value_t = 100)]
    pub page_size: usize,
}

impl ProtimeSimArgs {
    pub fn to_config(&self) -> Result<ProtimeSimConfig, String> {
        if self.page_size == 0 {
            return Err("--page-size must be at least 1".into());
        }
        Ok(ProtimeSimConfig {
            page_size: self.page_size,
        })
    }
}

/// A person as the simulator stores it (its own type, not the client's).
#[derive(Debug, Clone)]
struct SimPerson {
    id: i64,
    first_name: String,
    last_name: String,
    email: String,
    employee_number: String,
    badge_number: String,
}

impl SimPerson {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "changeVersion": format!("{:020X}", self.id as u64 * 16),
            "firstName": self.first_name,
            "lastName": self.last_name,
            "initials": format!("{}{}", self.first_name.chars().next().unwrap_or('-'), self.last_name.chars().next().unwrap_or('-')),
            "email": self.email,
            "employeeNumber": self.employee_number,
            "badgeNumber": self.badge_number,
            "inServiceDate": "2020-01-01",
            "outOfServiceDate": null,
        })
    }
}

struct IssuedToken {
    expires_at: Instant,
    scopes: Vec<String>,
}

struct SimState {
    config: ProtimeSimConfig,
    people: Vec<SimPerson>,
    tokens: HashMap<String, IssuedToken>,
    token_counter: u64,
}

/// The Protime simulator's shared state; clones share it.
#[derive(Clone)]
pub struct ProtimeSim {
    state: Arc<Mutex<SimState>>,
}

impl ProtimeSim {
    pub fn new(_seed: u64, roster: &Roster, config: ProtimeSimConfig) -> Self {
        let people = roster
            .people
            .iter()
            .take(crate::roster::PROTIME_PEOPLE)
            .map(|p| SimPerson {
                id: 76500 + p.index as i64,
                first_name: p.first_name.clone(),
                last_name: p.last_name.clone(),
                email: p.email.clone(),
                employee_number: p.employee_number.to_string(),
                badge_number: p.badge_number.clone(),
            })
            .collect();
        Self {
            state: Arc::new(Mutex::new(SimState {
                config,
                people,
                tokens: HashMap::new(),
                token_counter: 0,
            })),
        }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/tenants/{tenant}/connect/token", post(token))
            .route("/connector/protimeapi/api/v1/people", get(list_people))
            .with_state(self.clone())
    }

    /// Number of people in the simulated tenant.
    pub fn people_count(&self) -> usize {
        self.state.lock().unwrap().people.len()
    }

    /// Makes every issued token expire now (fault injection: token expiry).
    pub fn expire_all_tokens(&self) {
        let mut s = self.state.lock().unwrap();
        let now = Instant::now();
        for t in s.tokens.values_mut() {
            t.expires_at = now;
        }
    }
}

/// The `reasons` error body of the contract (controller validation).
pub(crate) fn bad_request(reasons: &[&str]) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": {"code": "BadRequest", "message": "The request was invalid", "reasons": reasons}})),
    )
        .into_response()
}

/// The generic error body of the contract.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

async fn token(
    State(sim): State<ProtimeSim>,
    Path(tenant): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    if tenant != DEMO_TENANT {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "invalid_request", "error_description": "unknown tenant"})),
        )
            .into_response();
    }
    if form.grant_type.as_deref() != Some("client_credentials") {
        return oauth_error(
            "unsupported_grant_type",
            "only client_credentials is supported",
        );
    }
    if form.client_id.as_deref() != Some(DEMO_CLIENT_ID)
        || form.client_secret.as_deref() != Some(DEMO_CLIENT_SECRET)
    {
        return oauth_error("invalid_client", "the client id or secret is not valid");
    }
    let requested: Vec<String> = form
        .scope
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if let Some(bad) = requested
        .iter()
        .find(|s| !s.starts_with("connector-protimeapi-"))
    {
        return oauth_error("invalid_scope", &format!("unknown scope {bad}"));
    }
    let mut s = sim.state.lock().unwrap();
    s.token_counter += 1;
    let access_token = format!(
        "sandbox-token-{}-{}",
        s.token_counter,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s.token_counter.to_be_bytes())
    );
    s.tokens.insert(
        access_token.clone(),
        IssuedToken {
            expires_at: Instant::now() + Duration::from_secs(TOKEN_LIFETIME_SECS),
            scopes: requested.clone(),
        },
    );
    Json(json!({
        "access_token": access_token,
        "expires_in": TOKEN_LIFETIME_SECS,
        "token_type": "Bearer",
        "scope": requested.join(" "),
    }))
    .into_response()
}

/// Checks `User-Agent`, the bearer token and the scope; returns the error answer when one fails.
fn authorise(sim: &ProtimeSim, headers: &HeaderMap, scope: &str) -> Result<(), Box<Response>> {
    let ua = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    if ua.is_empty() {
        return Err(Box::new(bad_request(&[
            "The User-Agent header is required",
        ])));
    }
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let s = sim.state.lock().unwrap();
    match s.tokens.get(token) {
        Some(t) if t.expires_at > Instant::now() => {
            if t.scopes.iter().any(|g| g == scope) {
                Ok(())
            } else {
                Err(Box::new(error(
                    StatusCode::FORBIDDEN,
                    "Forbidden",
                    &format!("The access token lacks the scope {scope}"),
                )))
            }
        }
        _ => Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Missing or invalid access token",
        ))),
    }
}

/// Opaque continuation token: base64 of `<collection>:<offset>`.
fn continuation(collection: &str, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{collection}:{offset}"))
}

fn parse_continuation(collection: &str, token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (c, offset) = text.split_once(':')?;
    (c == collection).then(|| offset.parse().ok()).flatten()
}

/// Cuts `items` into the page that starts at the continuation token; 409 for an invalid token.
pub(crate) fn page(
    collection: &str,
    path: &str,
    items: Vec<Value>,
    token: Option<&str>,
    page_size: usize,
) -> Response {
    let offset = match token {
        None => 0,
        Some(t) => match parse_continuation(collection, t) {
            Some(o) if o <= items.len() => o,
            _ => {
                return error(
                    StatusCode::CONFLICT,
                    "Conflict",
                    "Continuation token conflict",
                )
            }
        },
    };
    let end = (offset + page_size).min(items.len());
    let value: Vec<Value> = items[offset..end].to_vec();
    let mut body = json!({"value": value});
    if end < items.len() {
        body["nextLink"] = json!(format!(
            "/connector/protimeapi/api/v1/{path}?continuationToken={}",
            continuation(collection, end)
        ));
    }
    Json(body).into_response()
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(rename = "continuationToken")]
    continuation_token: Option<String>,
}

async fn list_people(
    State(sim): State<ProtimeSim>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Err(r) = authorise(&sim, &headers, "connector-protimeapi-people.read") {
        return *r;
    }
    let (items, size) = {
        let s = sim.state.lock().unwrap();
        (
            s.people.iter().map(SimPerson::to_json).collect::<Vec<_>>(),
            s.config.page_size,
        )
    };
    page(
        "people",
        "people",
        items,
        q.continuation_token.as_deref(),
        size,
    )
}
