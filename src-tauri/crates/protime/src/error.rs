use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// What went wrong, in categories a caller can act on. Stable: the app maps these onto its own codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The configuration is unusable (bad tenant, http on a public host, bad URL).
    Config,
    /// 400: the request was refused as invalid (filter, body, business rule).
    BadRequest,
    /// 401: missing/expired token, or the credentials were refused by the token endpoint.
    Unauthorized,
    /// 403: the token lacks the scope (or the tenant forbids the call).
    Forbidden,
    NotFound,
    /// 409: stale continuation token or concurrency conflict.
    Conflict,
    /// 410: the delta link expired; start over with a new initial load.
    DeltaExpired,
    /// 414: the URI is longer than 4096 characters.
    UriTooLong,
    /// 429 after the retries ran out.
    RateLimited,
    /// 5xx or another unexpected status.
    Upstream,
    /// No connection, connection reset, DNS or TLS failure, timeout.
    Network,
    /// The answer could not be decoded.
    Decode,
}

/// One field-level problem from a model-validation body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The parsed error body, whichever of the three documented shapes it came in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiErrorBody {
    pub code: Option<String>,
    pub message: Option<String>,
    pub reasons: Vec<String>,
    pub field_errors: Vec<FieldError>,
}

impl ApiErrorBody {
    /// Parses leniently: `{"error":{code,message,reasons}}`, `{code,message,validationErrors}` (array of
    /// `{field,message}` or a map field → messages), or OAuth2 `{error, error_description}`.
    pub fn parse(raw: &str) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_str(raw).ok()?;
        let obj = v.as_object()?;
        let inner = match obj.get("error") {
            Some(serde_json::Value::Object(inner)) => inner,
            Some(serde_json::Value::String(oauth)) => {
                return Some(Self {
                    code: Some(oauth.clone()),
                    message: obj
                        .get("error_description")
                        .and_then(|d| d.as_str())
                        .map(str::to_string),
                    ..Self::default()
                })
            }
            _ => obj,
        };
        let text = |key: &str| inner.get(key).and_then(|x| x.as_str()).map(str::to_string);
        let mut body = Self {
            code: text("code"),
            message: text("message").or_else(|| text("title")),
            ..Self::default()
        };
        if let Some(reasons) = inner.get("reasons").and_then(|r| r.as_array()) {
            body.reasons = reasons
                .iter()
                .map(|r| {
                    r.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| r.to_string())
                })
                .collect();
        }
        for key in ["validationErrors", "errors"] {
            match inner.get(key) {
                Some(serde_json::Value::Array(items)) => {
                    for item in items {
                        #[derive(Deserialize)]
                        struct Item {
                            #[serde(default, alias = "propertyName", alias = "name")]
                            field: Option<String>,
                            #[serde(default, alias = "errorMessage")]
                            message: Option<String>,
                        }
                        if let Ok(it) = serde_json::from_value::<Item>(item.clone()) {
                            body.field_errors.push(FieldError {
                                field: it.field.unwrap_or_default(),
                                message: it.message.unwrap_or_else(|| item.to_string()),
                            });
                        } else if let Some(s) = item.as_str() {
                            body.field_errors.push(FieldError {
                                field: String::new(),
                                message: s.into(),
                            });
                        }
                    }
                }
                Some(serde_json::Value::Object(map)) => {
                    for (field, msgs) in map {
                        let list: Vec<String> = match msgs {
                            serde_json::Value::Array(a) => a
                                .iter()
                                .map(|m| {
                                    m.as_str()
                                        .map(str::to_string)
                                        .unwrap_or_else(|| m.to_string())
                                })
                                .collect(),
                            other => vec![other
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| other.to_string())],
                        };
                        for message in list {
                            body.field_errors.push(FieldError {
                                field: field.clone(),
                                message,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        if body.code.is_none()
            && body.message.is_none()
            && body.reasons.is_empty()
            && body.field_errors.is_empty()
        {
            return None;
        }
        Some(body)
    }
}

/// Every failure of this crate: kind, HTTP status if any, a message a person can act on, the parsed
/// body and (when it was not JSON) the raw body.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    pub message: String,
    /// Boxed to keep `Result<_, Error>` small.
    pub body: Option<Box<ApiErrorBody>>,
    pub raw_body: Option<String>,
    pub retry_after: Option<Duration>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            message: message.into(),
            body: None,
            raw_body: None,
            retry_after: None,
        }
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    /// Builds the error for a non-success HTTP answer.
    pub fn from_status(status: u16, raw: String, retry_after: Option<Duration>) -> Self {
        let body = ApiErrorBody::parse(&raw).map(Box::new);
        let kind = match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            410 => ErrorKind::DeltaExpired,
            414 => ErrorKind::UriTooLong,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::Upstream,
        };
        let headline = match kind {
            ErrorKind::BadRequest => "Protime refused the request as invalid",
            ErrorKind::Unauthorized => "Protime did not accept the credentials or token",
            ErrorKind::Forbidden => "Protime refused access: the API client lacks a scope for this",
            ErrorKind::NotFound => "Protime has no such item",
            ErrorKind::Conflict => "Protime reported a conflict (stale page or concurrent change); reload and try again",
            ErrorKind::DeltaExpired => "The Protime change feed expired; a full reload is needed",
            ErrorKind::UriTooLong => "The request address is longer than Protime's 4096-character limit; narrow the filter",
            ErrorKind::RateLimited => "Protime is rate limiting this client; wait a moment and try again",
            _ => "Protime answered with a server error",
        };
        let mut message = format!("{headline} (HTTP {status})");
        if let Some(b) = &body {
            let mut details: Vec<String> = Vec::new();
            if let Some(m) = &b.message {
                details.push(m.clone());
            }
            details.extend(b.reasons.iter().cloned());
            details.extend(b.field_errors.iter().map(|f| {
                if f.field.is_empty() {
                    f.message.clone()
                } else {
                    format!("{}: {}", f.field, f.message)
                }
            }));
            if !details.is_empty() {
                message.push_str(": ");
                message.push_str(&details.join("; "));
            }
        }
        let raw_body = if body.is_none() && !raw.trim().is_empty() {
            Some(raw)
        } else {
            None
        };
        Self {
            kind,
            status: Some(status),
            message,
            body,
            raw_body,
            retry_after,
        }
    }

    pub fn network(err: &reqwest::Error) -> Self {
        let what = if err.is_timeout() {
            "Protime did not answer in time"
        } else if err.is_connect() {
            "Could not connect to Protime (offline, wrong address or TLS failure)"
        } else {
            "The connection to Protime failed"
        };
        // reqwest's Display never includes headers, so no token can leak through it.
        Self::new(ErrorKind::Network, format!("{what}: {err}"))
    }

    /// A body that could not be read: too large for the cap, or the connection broke.
    pub(crate) fn body(err: timebridge_transport::BodyError) -> Self {
        match err {
            timebridge_transport::BodyError::Network(e) => Self::network(&e),
            too_large => Self::new(ErrorKind::Upstream, format!("Protime: {too_large}")),
        }
    }

    /// A 3xx answer, which the client never follows (no credentials go where it points).
    pub(crate) fn redirect(refused: timebridge_transport::RedirectRefused) -> Self {
        let mut e = Self::new(ErrorKind::Upstream, format!("Protime: {refused}"));
        e.status = Some(refused.status);
        e
    }

    /// A server-given link to another origin, which the client never follows.
    pub(crate) fn foreign_link(foreign: timebridge_transport::ForeignLink) -> Self {
        Self::new(
            ErrorKind::Upstream,
            format!(
                "Protime answered a link to another server ({}); it was not followed, so the access token stays with {}",
                foreign.link_origin, foreign.base_origin
            ),
        )
    }

    /// Reasons and field errors as plain lines, for showing next to a form.
    pub fn reasons(&self) -> Vec<String> {
        self.body
            .as_ref()
            .map(|b| {
                b.reasons
                    .iter()
                    .cloned()
                    .chain(
                        b.field_errors
                            .iter()
                            .map(|f| format!("{}: {}", f.field, f.message)),
                    )
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_documented_bodies() {
        let generic =
            ApiErrorBody::parse(r#"{"error":{"code":"NotFound","message":"No such clocking"}}"#)
                .unwrap();
        assert_eq!(generic.code.as_deref(), Some("NotFound"));
        let reasons = ApiErrorBody::parse(
            r#"{"error":{"code":"BadRequest","message":"The request was invalid","reasons":["The provided date range is invalid"]}}"#,
        )
        .unwrap();
        assert_eq!(reasons.reasons, vec!["The provided date range is invalid"]);
        let model = ApiErrorBody::parse(
            r#"{"code":"BadRequest","message":"x","validationErrors":[{"field":"date","message":"required"}]}"#,
        )
        .unwrap();
        assert_eq!(
            model.field_errors,
            vec![FieldError {
                field: "date".into(),
                message: "required".into()
            }]
        );
        let aspnet = ApiErrorBody::parse(
            r#"{"title":"One or more validation errors occurred.","errors":{"kind":["bad"]}}"#,
        )
        .unwrap();
        assert_eq!(aspnet.field_errors[0].field, "kind");
        let oauth = ApiErrorBody::parse(r#"{"error":"invalid_client"}"#).unwrap();
        assert_eq!(oauth.code.as_deref(), Some("invalid_client"));
    }

    #[test]
    fn keeps_raw_body_when_not_json() {
        let e = Error::from_status(502, "<html>Bad gateway</html>".into(), None);
        assert_eq!(e.kind, ErrorKind::Upstream);
        assert_eq!(e.raw_body.as_deref(), Some("<html>Bad gateway</html>"));
        let e = Error::from_status(
            400,
            r#"{"error":{"code":"BadRequest","message":"m","reasons":["r1"]}}"#.into(),
            None,
        );
        assert!(e.message.contains("r1"));
        assert_eq!(e.reasons(), vec!["r1".to_string()]);
    }
}
