use crate::auth::{request_token, Credentials, GrantedToken, TokenCache};
use crate::models::{Page, Person};
use crate::{Error, ErrorKind, ProtimeConfig};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::time::Duration;
use url::Url;

/// Reads are retried this many times in all on 429, 503 and connection failures.
const READ_ATTEMPTS: u32 = 4;
/// A `Retry-After` longer than this is cut down to it, so a call never hangs for minutes.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// A client for one Protime tenant. Cheap to clone; clones share the connection pool and the token.
#[derive(Clone)]
pub struct ProtimeClient {
    pub(crate) inner: std::sync::Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) api_base: Url,
    pub(crate) creds: Credentials,
    pub(crate) tokens: TokenCache,
}

impl ProtimeClient {
    pub fn new(config: ProtimeConfig) -> Result<Self, Error> {
        let (api_base, token_url) = config.environment.urls()?;
        if config.client_id.trim().is_empty() {
            return Err(Error::config("The Protime client id is empty"));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            inner: std::sync::Arc::new(Inner {
                http,
                api_base,
                creds: Credentials {
                    token_url,
                    client_id: config.client_id,
                    secret: config.client_secret,
                    scopes: config.scopes,
                    user_agent: config.user_agent,
                },
                tokens: TokenCache::new(),
            }),
        })
    }

    /// The API base URL, ending in `/connector/protimeapi/api/v1/`.
    pub fn api_base(&self) -> &Url {
        &self.inner.api_base
    }

    /// The OAuth2 token endpoint (`…/tenants/{tenant}/connect/token`).
    pub fn token_url(&self) -> &Url {
        &self.inner.creds.token_url
    }

    /// The tenant this client talks to, for the audit log: the `{tenant}` of the token URL
    /// (`…/tenants/{tenant}/connect/token`, the form every Protime environment uses), or the API's
    /// host for a custom address that does not follow it.
    pub fn tenant(&self) -> String {
        let mut segments = self
            .inner
            .creds
            .token_url
            .path_segments()
            .into_iter()
            .flatten();
        if segments.any(|s| s == "tenants") {
            if let Some(t) = segments.next().filter(|t| !t.is_empty()) {
                return t.to_string();
            }
        }
        self.inner
            .api_base
            .host_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Asks the token endpoint for a fresh token without caching it: used by "test connection" to see
    /// which scopes are granted.
    pub async fn request_token(&self) -> Result<GrantedToken, Error> {
        request_token(&self.inner.http, &self.inner.creds).await
    }

    /// Resolves a path relative to the API base, or a server-relative link (`/connector/...`) as the
    /// API returns in `Location`, `nextLink` and `deltaLink`.
    pub fn url(&self, path_or_link: &str) -> Result<Url, Error> {
        let joined = if path_or_link.starts_with('/') {
            self.inner.api_base.join(path_or_link)
        } else {
            self.inner
                .api_base
                .join(path_or_link.trim_start_matches("./"))
        };
        joined.map_err(|e| Error::config(format!("cannot build a URL from '{path_or_link}': {e}")))
    }

    /// Resolves a `nextLink`/`deltaLink`/`Location`, first re-encoding characters that are not legal in
    /// a URL (the documented links contain raw spaces and quotes).
    pub fn link_url(&self, link: &str) -> Result<Url, Error> {
        self.url(&reencode_link(link))
    }

    /// Sends one request with the bearer token; a 401 refreshes the token once and replays once.
    pub(crate) async fn send_once_authorised(
        &self,
        method: Method,
        url: &Url,
        body: Option<&serde_json::Value>,
    ) -> Result<reqwest::Response, Error> {
        let inner = &self.inner;
        let mut token = inner.tokens.get(&inner.http, &inner.creds, None).await?;
        for replay in [false, true] {
            if url.as_str().len() > 8 * 4096 {
                return Err(Error::new(
                    ErrorKind::UriTooLong,
                    "The request address is far longer than Protime's 4096-character limit; narrow the filter",
                ));
            }
            let mut req = inner
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(token.expose())
                .header(reqwest::header::USER_AGENT, inner.creds.user_agent.as_str())
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(b) = body {
                req = req.json(b);
            }
            let resp = req.send().await.map_err(|e| Error::network(&e))?;
            if resp.status() == StatusCode::UNAUTHORIZED && !replay {
                token = inner
                    .tokens
                    .get(&inner.http, &inner.creds, Some(&token))
                    .await?;
                continue;
            }
            return Ok(resp);
        }
        unreachable!("the loop returns on its second pass")
    }

    /// GET with retries on 429/503/connection failures, honouring `Retry-After`. Safe because reads
    /// have no side effects.
    pub async fn get_json<T: DeserializeOwned>(&self, url: &Url) -> Result<T, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = match self.send_once_authorised(Method::GET, url, None).await {
                Ok(resp) => decode(resp).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(v) => return Ok(v),
                Err(e) if attempt < READ_ATTEMPTS && is_retryable(&e) => {
                    let wait = retry_wait(&e, attempt);
                    tracing::debug!(attempt, ?wait, "retrying Protime read after: {}", e.message);
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Follows `nextLink` to the end (see also [`ProtimeClient::stream`]). Empty pages that still carry a `nextLink` do not stop it.
    pub async fn list_all<T: DeserializeOwned>(&self, first: &str) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        let mut next = Some(self.url(first)?);
        while let Some(url) = next.take() {
            let page: Page<T> = self.get_json(&url).await?;
            out.extend(page.value);
            if let Some(link) = page.next_link {
                next = Some(self.link_url(&link)?);
            }
        }
        Ok(out)
    }

    /// Every person of the tenant.
    pub async fn people(&self) -> Result<Vec<Person>, Error> {
        self.list_all("people").await
    }
}

/// Percent-encodes the characters of a server link that are not legal in a URL; existing `%XX`
/// escapes are kept.
pub fn reencode_link(link: &str) -> String {
    let bytes = link.as_bytes();
    let mut out = String::with_capacity(link.len());
    for (i, ch) in link.char_indices() {
        match ch {
            '%' if bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit) =>
            {
                out.push('%')
            }
            ' ' | '"' | '\'' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^' | '%' | '#' => {
                out.push_str(&format!("%{:02X}", ch as u32))
            }
            c if !c.is_ascii() || c.is_ascii_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query parameter value (spaces as `%20`, not `+`); keeps `(`, `)`, `,` and `@`
/// readable, as in the documented examples.
pub fn encode_query_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'('
            | b')'
            | b','
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn is_retryable(e: &Error) -> bool {
    matches!(e.kind, ErrorKind::Network | ErrorKind::RateLimited)
        || (e.kind == ErrorKind::Upstream && matches!(e.status, Some(502..=504)))
}

/// How long to wait before the next read attempt: `Retry-After` when given, else exponential backoff;
/// never longer than [`MAX_RETRY_AFTER`].
pub(crate) fn retry_wait(e: &Error, attempt: u32) -> Duration {
    e.retry_after
        .unwrap_or_else(|| backoff(attempt))
        .min(MAX_RETRY_AFTER)
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200 * 2u64.pow(attempt.min(6)))
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

pub(crate) async fn decode<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, Error> {
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let raw = resp.text().await.map_err(|e| Error::network(&e))?;
    if !(200..300).contains(&status) {
        return Err(Error::from_status(status, raw, retry_after));
    }
    serde_json::from_str(&raw).map_err(|e| {
        let mut err = Error::new(
            ErrorKind::Decode,
            format!("Protime answered something unexpected: {e}"),
        );
        err.status = Some(status);
        err
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_reencoded() {
        assert_eq!(
            reencode_link("/x?filter=date ge '2024-12-01'&continuationToken=ab%3D"),
            "/x?filter=date%20ge%20%272024-12-01%27&continuationToken=ab%3D"
        );
        assert_eq!(
            encode_query_value("date ge '2024-01-01'"),
            "date%20ge%20%272024-01-01%27"
        );
        assert_eq!(
            encode_query_value("(people,@badge-number)"),
            "(people,@badge-number)"
        );
    }

    #[test]
    fn retry_waits_are_capped() {
        let e = Error::from_status(429, String::new(), Some(Duration::from_secs(3600)));
        assert_eq!(retry_wait(&e, 1), MAX_RETRY_AFTER);
        let e = Error::from_status(503, String::new(), None);
        assert!(retry_wait(&e, 1) < retry_wait(&e, 2));
        assert!(is_retryable(&Error::from_status(429, String::new(), None)));
        assert!(is_retryable(&Error::from_status(503, String::new(), None)));
        assert!(!is_retryable(&Error::from_status(500, String::new(), None)));
        assert!(!is_retryable(&Error::from_status(400, String::new(), None)));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("60"), Some(Duration::from_secs(60)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
