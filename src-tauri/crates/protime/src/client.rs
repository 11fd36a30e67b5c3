use crate::auth::{request_token, Credentials, GrantedToken, TokenCache};
use crate::models::{Page, Person};
use crate::{Error, ErrorKind, ProtimeConfig};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use timebridge_transport::{Backoff, DEFAULT_MAX_BODY_BYTES, MAX_RETRY_AFTER};
use url::Url;

/// Reads are retried this many times in all on 429, 503 and connection failures.
const READ_ATTEMPTS: u32 = 4;

/// The most pages one list may have. Protime pages hold hundreds of items, so this is millions of
/// rows (far beyond any tenant); a server that keeps handing out new links is stopped here.
pub const MAX_PAGES: u32 = 10_000;

/// Guards one walk through a paged list: no link twice (a loop) and at most [`MAX_PAGES`] pages.
#[derive(Default)]
pub(crate) struct PageGuard {
    seen: std::collections::HashSet<String>,
}

impl PageGuard {
    /// Call before requesting each page, the first included.
    pub(crate) fn visit(&mut self, url: &Url) -> Result<(), Error> {
        if self.seen.len() >= MAX_PAGES as usize {
            return Err(Error::new(
                ErrorKind::Upstream,
                format!(
                    "Protime kept sending further pages: stopped after {MAX_PAGES} pages of one list. Narrow the period or ask the Protime administrator"
                ),
            ));
        }
        if !self.seen.insert(url.as_str().to_string()) {
            return Err(Error::new(
                ErrorKind::Upstream,
                format!(
                    "Protime sent a page link that was already read ({} pages in): the list would never end, so it was stopped",
                    self.seen.len()
                ),
            ));
        }
        Ok(())
    }
}

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
    /// The cap on every response body this client reads (token answers included).
    pub(crate) max_body_bytes: AtomicUsize,
    /// The longest `Retry-After` a read honours, in milliseconds.
    pub(crate) max_retry_after_ms: AtomicU64,
}

impl ProtimeClient {
    pub fn new(config: ProtimeConfig) -> Result<Self, Error> {
        let (api_base, token_url) = config.environment.urls()?;
        if config.client_id.trim().is_empty() {
            return Err(Error::config("The Protime client id is empty"));
        }
        // Never follows redirects: the client secret and the token stay with the configured server.
        let http = timebridge_transport::http_client(config.timeout, Duration::from_secs(10))
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
                max_body_bytes: AtomicUsize::new(DEFAULT_MAX_BODY_BYTES),
                max_retry_after_ms: AtomicU64::new(MAX_RETRY_AFTER.as_millis() as u64),
            }),
        })
    }

    /// Caps every response body this client (and its clones) reads at `limit` bytes; a longer answer
    /// fails with [`ErrorKind::Upstream`] instead of filling memory. The default is
    /// [`DEFAULT_MAX_BODY_BYTES`] (64 MiB).
    pub fn with_max_body_bytes(self, limit: usize) -> Self {
        self.inner.max_body_bytes.store(limit, Ordering::Relaxed);
        self
    }

    /// The current cap on one response body, in bytes.
    pub fn max_body_bytes(&self) -> usize {
        self.inner.max_body_bytes.load(Ordering::Relaxed)
    }

    /// Caps the wait a server's `Retry-After` can impose on a read (this client and its clones);
    /// the default is [`MAX_RETRY_AFTER`] (30 s). Absurd values (`1e20`) are cut to it.
    pub fn with_max_retry_after(self, cap: Duration) -> Self {
        let ms = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        self.inner.max_retry_after_ms.store(ms, Ordering::Relaxed);
        self
    }

    /// The longest wait a `Retry-After` may impose on a read.
    pub fn max_retry_after(&self) -> Duration {
        Duration::from_millis(self.inner.max_retry_after_ms.load(Ordering::Relaxed))
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
        request_token(&self.inner.http, &self.inner.creds, self.max_body_bytes()).await
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

    /// Resolves a `nextLink`/`deltaLink`/`Location`/`Operation-Location`, first re-encoding
    /// characters that are not legal in a URL (the documented links contain raw spaces and quotes),
    /// and refuses it unless it stays on the API's origin (scheme, host and port): the bearer token is
    /// never sent anywhere else.
    pub fn link_url(&self, link: &str) -> Result<Url, Error> {
        let url = self.url(&reencode_link(link))?;
        self.require_same_origin(&url)?;
        Ok(url)
    }

    /// Refuses a URL that is not on the API's origin.
    pub(crate) fn require_same_origin(&self, url: &Url) -> Result<(), Error> {
        timebridge_transport::require_same_origin(&self.inner.api_base, url)
            .map_err(Error::foreign_link)
    }

    /// Sends one request with the bearer token; a 401 refreshes the token once and replays once.
    pub(crate) async fn send_once_authorised(
        &self,
        method: Method,
        url: &Url,
        body: Option<&serde_json::Value>,
    ) -> Result<reqwest::Response, Error> {
        let inner = &self.inner;
        let limit = self.max_body_bytes();
        let mut token = inner
            .tokens
            .get(&inner.http, &inner.creds, None, limit)
            .await?;
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
            timebridge_transport::refuse_redirect(&resp).map_err(Error::redirect)?;
            if resp.status() == StatusCode::UNAUTHORIZED && !replay {
                token = inner
                    .tokens
                    .get(&inner.http, &inner.creds, Some(&token), limit)
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
                Ok(resp) => decode(resp, self.max_body_bytes(), self.max_retry_after()).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(v) => return Ok(v),
                Err(e) if attempt < READ_ATTEMPTS && is_retryable(&e) => {
                    let wait = retry_wait(&e, attempt, self.max_retry_after());
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
        let mut guard = PageGuard::default();
        while let Some(url) = next.take() {
            guard.visit(&url)?;
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

/// One path segment from user or server data (an id, an external reference, a structure version):
/// percent-encoded like a query value, so `/`, `?` and `#` stay inside the segment. A segment that
/// is only `.` or `..` would climb the path when the URL is resolved (URL parsers treat `%2E%2E`
/// the same way, so encoding cannot help): it is refused, as is an empty one.
pub fn encode_path_segment(what: &str, v: &str) -> Result<String, Error> {
    if v.is_empty() || v == "." || v == ".." {
        return Err(Error::new(
            ErrorKind::BadRequest,
            format!("'{v}' cannot be used as {what}: it would not name one item in Protime's API"),
        ));
    }
    Ok(encode_query_value(v))
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

/// How long to wait before the next read attempt: `Retry-After` when given, else the shared backoff;
/// never longer than `cap` (see [`ProtimeClient::with_max_retry_after`]).
pub(crate) fn retry_wait(e: &Error, attempt: u32, cap: Duration) -> Duration {
    timebridge_transport::retry_wait(e.retry_after, &Backoff::DEFAULT, attempt, cap)
}

/// Reads a response (at most `limit` bytes of body) and decodes a success, or builds the error of a
/// failure (with its `Retry-After`, capped at `max_retry_after`).
pub(crate) async fn decode<T: DeserializeOwned>(
    resp: reqwest::Response,
    limit: usize,
    max_retry_after: Duration,
) -> Result<T, Error> {
    let status = resp.status().as_u16();
    let retry_after = timebridge_transport::retry_after_header(resp.headers(), max_retry_after);
    let raw = timebridge_transport::read_text(resp, limit)
        .await
        .map_err(Error::body)?;
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
    fn a_page_walk_stops_on_a_repeated_link_and_after_max_pages() {
        let url = |n: u32| Url::parse(&format!("https://x.test/api/people?page={n}")).unwrap();
        let mut g = PageGuard::default();
        g.visit(&url(1)).unwrap();
        g.visit(&url(2)).unwrap();
        let e = g.visit(&url(1)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Upstream);
        assert!(e.message.contains("already read"), "{}", e.message);
        let mut g = PageGuard::default();
        for n in 0..MAX_PAGES {
            g.visit(&url(n)).unwrap();
        }
        let e = g.visit(&url(MAX_PAGES)).unwrap_err();
        assert!(e.message.contains("10000 pages"), "{}", e.message);
    }

    #[test]
    fn retry_waits_are_capped() {
        let e = Error::from_status(429, String::new(), Some(Duration::from_secs(3600)));
        assert_eq!(retry_wait(&e, 1, MAX_RETRY_AFTER), MAX_RETRY_AFTER);
        let e = Error::from_status(503, String::new(), None);
        assert!(retry_wait(&e, 1, MAX_RETRY_AFTER) < retry_wait(&e, 2, MAX_RETRY_AFTER));
        assert!(is_retryable(&Error::from_status(429, String::new(), None)));
        assert!(is_retryable(&Error::from_status(503, String::new(), None)));
        assert!(!is_retryable(&Error::from_status(500, String::new(), None)));
        assert!(!is_retryable(&Error::from_status(400, String::new(), None)));
    }
}
