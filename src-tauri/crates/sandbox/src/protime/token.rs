//! The OAuth2 token endpoint (client credentials).

use super::state::IssuedToken;
use super::ProtimeSim;
use crate::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

/// Token lifetime the real token endpoint documents.
const TOKEN_LIFETIME_SECS: i64 = 1800;

pub(crate) fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

#[derive(Deserialize)]
pub(crate) struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

pub(crate) async fn token(
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
    let mut s = sim.lock();
    let granted: Vec<String> = requested
        .iter()
        .filter(|r| !s.config.withheld_scopes.contains(r))
        .cloned()
        .collect();
    s.token_counter += 1;
    let access_token = format!(
        "sandbox-token-{}-{}",
        s.token_counter,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s.token_counter.to_be_bytes())
    );
    let expires_at = s.now() + chrono::Duration::seconds(TOKEN_LIFETIME_SECS);
    s.tokens.insert(
        access_token.clone(),
        IssuedToken {
            expires_at,
            scopes: granted.clone(),
        },
    );
    Json(json!({
        "access_token": access_token,
        "expires_in": TOKEN_LIFETIME_SECS,
        "token_type": "Bearer",
        "scope": granted.join(" "),
    }))
    .into_response()
}
