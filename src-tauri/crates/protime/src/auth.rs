use crate::{Error, ErrorKind};
use serde::Deserialize;
use std::time::{Duration, Instant};
use timebridge_secret::Secret;
use tokio::sync::Mutex;
use url::Url;

/// How long before `expires_in` runs out a token is considered stale and replaced.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// What the token endpoint granted.
#[derive(Debug, Clone)]
pub struct GrantedToken {
    pub access_token: Secret,
    pub expires_in: Duration,
    /// Space-separated scopes actually granted; compare with what was requested.
    pub scope: String,
}

impl GrantedToken {
    /// Requested scopes the token endpoint did not grant (it may narrow silently).
    pub fn missing_scopes<'a>(&self, requested: &'a [String]) -> Vec<&'a str> {
        let granted: Vec<&str> = self.scope.split_whitespace().collect();
        requested
            .iter()
            .map(String::as_str)
            .filter(|s| !granted.contains(s))
            .collect()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    scope: Option<String>,
}

/// What the token endpoint needs.
pub(crate) struct Credentials {
    pub token_url: Url,
    pub client_id: String,
    pub secret: Secret,
    pub scopes: Vec<String>,
    pub user_agent: String,
}

struct Cached {
    token: GrantedToken,
    fetched_at: Instant,
}

/// Caches one token per client. The mutex is held across the refresh, so concurrent callers that all
/// find the token stale wait for one refresh instead of each asking for a token.
pub(crate) struct TokenCache {
    slot: Mutex<Option<Cached>>,
}

impl TokenCache {
    pub fn new() -> Self {
        Self {
            slot: Mutex::new(None),
        }
    }

    /// A valid token; fetches one when none is cached, it is about to expire, or `stale` is the token
    /// that the server just refused (so only the first of several refused callers refreshes).
    pub async fn get(
        &self,
        http: &reqwest::Client,
        creds: &Credentials,
        stale: Option<&Secret>,
        max_body_bytes: usize,
    ) -> Result<Secret, Error> {
        let mut slot = self.slot.lock().await;
        if let Some(c) = slot.as_ref() {
            let fresh = c.fetched_at.elapsed() + REFRESH_MARGIN < c.token.expires_in;
            let refused = stale.is_some_and(|s| s == &c.token.access_token);
            if fresh && !refused {
                return Ok(c.token.access_token.clone());
            }
        }
        let token = request_token(http, creds, max_body_bytes).await?;
        let access = token.access_token.clone();
        *slot = Some(Cached {
            token,
            fetched_at: Instant::now(),
        });
        Ok(access)
    }
}

/// One call to the token endpoint (client credentials grant, form body). `http` follows no
/// redirects: a 3xx is an error naming where it pointed, and the secret goes nowhere else.
pub(crate) async fn request_token(
    http: &reqwest::Client,
    creds: &Credentials,
    max_body_bytes: usize,
) -> Result<GrantedToken, Error> {
    let scope = creds.scopes.join(" ");
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", creds.client_id.as_str()),
        ("client_secret", creds.secret.expose()),
        ("scope", scope.as_str()),
    ];
    let resp = http
        .post(creds.token_url.clone())
        .header(reqwest::header::USER_AGENT, creds.user_agent.as_str())
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| Error::network(&e))?;
    timebridge_transport::refuse_redirect(&resp).map_err(|r| {
        let mut e = Error::redirect(r);
        e.kind = ErrorKind::Config;
        e.message = format!("Getting a Protime token failed: {}", e.message);
        e
    })?;
    let status = resp.status().as_u16();
    let raw = timebridge_transport::read_text(resp, max_body_bytes)
        .await
        .map_err(Error::body)?;
    if status != 200 {
        let mut err = Error::from_status(status, raw, None);
        let oauth_code = err
            .body
            .as_ref()
            .and_then(|b| b.code.clone())
            .unwrap_or_default();
        (err.kind, err.message) = match (status, oauth_code.as_str()) {
            (_, "invalid_client") | (401, _) => (
                ErrorKind::Unauthorized,
                "Protime refused the client id or client secret (invalid_client): check both in the profile".to_string(),
            ),
            (_, "invalid_scope") => (
                ErrorKind::Forbidden,
                format!("Protime refused one of the requested scopes (invalid_scope): {scope}"),
            ),
            (404, _) => (
                ErrorKind::NotFound,
                "Protime does not know this tenant (the token endpoint answered 404): check the tenant name".to_string(),
            ),
            _ => (err.kind, format!("Getting a Protime token failed: {}", err.message)),
        };
        return Err(err);
    }
    let parsed: TokenResponse = serde_json::from_str(&raw).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("The token endpoint answered something unexpected: {e}"),
        )
    })?;
    Ok(GrantedToken {
        access_token: Secret::new(parsed.access_token),
        expires_in: Duration::from_secs(parsed.expires_in.unwrap_or(1800)),
        scope: parsed.scope.unwrap_or_default(),
    })
}
