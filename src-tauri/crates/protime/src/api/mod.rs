//! The typed endpoints of the Protime API (spec section 4). Reads retry (see `get_json`); writes are
//! sent exactly once: a write that fails with a network error may or may not have been committed, and
//! the caller (the outbox) must read back before sending again.

use crate::client::{decode, encode_path_segment, encode_query_value};
use crate::delta::{check_delta_filter, DateRange, DeltaRange};
use crate::filter::{ExternalReferences, Filter};
use crate::models::*;
use crate::{ApiErrorBody, Error, ErrorKind, ProtimeClient};
use futures::{Stream, TryStreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::VecDeque;
use url::Url;

/// What a successful `POST /clockings` gave back.
#[derive(Debug, Clone, PartialEq)]
pub enum Created {
    /// `201 Created`: the id from the last segment of `Location`.
    Created { id: i64, location: String },
    /// `202 Accepted` (older documentation): processing continues at `Operation-Location`.
    Accepted { operation_location: String },
}

/// The state of an accepted (`202`) operation, read from its `Operation-Location`
/// ([`ProtimeClient::operation_status`]).
///
/// The status-monitor resource appears only in older documentation and its body is undocumented
/// (spec 3.2): this is a lenient reading of `{"status": ..., "resourceLocation": ..., "error": ...}`.
#[derive(Debug, Clone)]
pub enum OperationStatus {
    /// `NotStarted`, `Running` or `InProgress`: poll again later.
    Running,
    /// `Succeeded` or `Completed`. `id` is the created item's id, from the last segment of
    /// `resourceLocation`, else a `resourceId` or `id` field, when the server gives one.
    Succeeded { id: Option<i64> },
    /// `Failed`, `Canceled` or `Cancelled`: nothing was committed. The error carries the server's
    /// message and reasons.
    Failed(Error),
}

/// What a PUT by reference did.
#[derive(Debug, Clone, PartialEq)]
pub enum Upserted {
    /// `200`: an existing definition was updated.
    Updated,
    /// `201`: a new definition was created; its id (from `Location` or the body) when known.
    Created { id: Option<String> },
}

/// How an activity definition is addressed in a path.
#[derive(Debug, Clone, PartialEq)]
pub enum DefinitionRef {
    /// The internal GUID.
    Id(String),
    /// A reference value and its name: `@data-entry-code`, `@external-reference` or a custom name.
    External { name: String, value: String },
}

/// Where the activity definitions of one structure version and level live.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelPath {
    pub structure_version: String,
    pub level: u32,
}

impl LevelPath {
    pub fn new(structure_version: &str, level: u32) -> Self {
        Self {
            structure_version: structure_version.to_string(),
            level,
        }
    }
    fn base(&self) -> Result<String, Error> {
        Ok(format!(
            "activity-structure-versions/{}/levels/{}/activity-definitions",
            encode_path_segment("a structure version id", &self.structure_version)?,
            self.level
        ))
    }
}

/// The initial load of a delta: every item, and the link for the first increment.
#[derive(Debug, Clone)]
pub struct DeltaStart<T> {
    pub items: Vec<T>,
    pub delta_link: String,
}

/// Where a change feed continues: another page of the initial load, or the `deltaLink` of the
/// increments once the initial load is complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeltaCursor {
    Next(String),
    Delta(String),
}

/// One page of a delta's initial load.
#[derive(Debug, Clone)]
pub struct DeltaInitialPage<T> {
    pub items: Vec<T>,
    pub next: DeltaCursor,
}

/// One increment of a delta.
#[derive(Debug, Clone)]
pub struct DeltaChanges<T> {
    pub changes: Vec<Change<T>>,
    pub delta_link: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawChange {
    change_type: ChangeType,
    #[serde(default)]
    data: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDeltaPage {
    #[serde(default)]
    value: Vec<RawChange>,
    #[serde(default)]
    delta_link: Option<String>,
}

/// A write's answer, before interpretation.
pub(crate) struct WriteAnswer {
    status: u16,
    location: Option<String>,
    operation_location: Option<String>,
    body: String,
}

fn last_segment(location: &str) -> &str {
    location
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
}

mod activities;
mod catalog;
mod clockings;
mod feeds;

impl ProtimeClient {
    /// Builds `<base><path>?k=v&...` with values percent-encoded; `None` values are bare flags (`delta`).
    pub(super) fn build(
        &self,
        path: &str,
        params: &[(&str, Option<String>)],
    ) -> Result<Url, Error> {
        let mut q = Vec::new();
        for (k, v) in params {
            match v {
                Some(v) => q.push(format!("{k}={}", encode_query_value(v))),
                None => q.push(k.to_string()),
            }
        }
        let joined = if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", q.join("&"))
        };
        self.url(&joined)
    }

    pub(super) fn refs_param(refs: &ExternalReferences) -> Option<(&'static str, Option<String>)> {
        (!refs.is_empty()).then(|| ("externalReferences", Some(refs.to_query_value())))
    }

    /// Streams the items of a list, following `nextLink` (empty pages with a `nextLink` continue).
    pub fn stream<T: DeserializeOwned + Send + 'static>(
        &self,
        first: Url,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        let client = self.clone();
        futures::stream::try_unfold(
            (
                client,
                Some(first),
                VecDeque::<T>::new(),
                crate::client::PageGuard::default(),
            ),
            |(client, mut next, mut buf, mut guard)| async move {
                loop {
                    if let Some(item) = buf.pop_front() {
                        return Ok(Some((item, (client, next, buf, guard))));
                    }
                    let Some(url) = next.take() else {
                        return Ok(None);
                    };
                    guard.visit(&url)?;
                    let page: Page<T> = client.get_json(&url).await?;
                    buf.extend(page.value);
                    next = page.next_link.map(|l| client.link_url(&l)).transpose()?;
                }
            },
        )
    }

    pub(super) fn dated_url(
        &self,
        collection: &str,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<Url, Error> {
        let mut f = range.to_filter();
        if let Some(x) = extra {
            f = f.and(x);
        }
        let mut params = vec![("filter", Some(f.to_string()))];
        params.extend(Self::refs_param(refs));
        self.build(collection, &params)
    }

    /// Sends a raw JSON write once (for bodies taken as-is, e.g. from the documentation).
    pub async fn write_json(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(u16, Option<String>), Error> {
        let a = self.write(method, &self.url(path)?, Some(body)).await?;
        Ok((a.status, a.location))
    }

    /// One write, never retried (a 401 refreshes the token and replays once: the server refused it
    /// before doing anything).
    pub(super) async fn write(
        &self,
        method: Method,
        url: &Url,
        body: Option<&serde_json::Value>,
    ) -> Result<WriteAnswer, Error> {
        let resp = self.send_once_authorised(method, url, body).await?;
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let operation_location = header("operation-location");
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(decode::<serde_json::Value>(
                resp,
                self.max_body_bytes(),
                self.max_retry_after(),
            )
            .await
            .unwrap_err());
        }
        let body = timebridge_transport::read_text(resp, self.max_body_bytes())
            .await
            .map_err(Error::body)?;
        Ok(WriteAnswer {
            status,
            location,
            operation_location,
            body,
        })
    }
}

/// Decodes a status-monitor body leniently (see [`OperationStatus`]).
pub(crate) fn decode_operation_status(body: &serde_json::Value) -> Result<OperationStatus, Error> {
    let obj = body.as_object();
    let field = |name: &str| {
        obj.and_then(|o| {
            o.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    };
    let status: String = field("status")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match status.as_str() {
        "notstarted" | "running" | "inprogress" => Ok(OperationStatus::Running),
        "succeeded" | "completed" => {
            let number = |v: &serde_json::Value| {
                v.as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            };
            let id = field("resourceLocation")
                .and_then(serde_json::Value::as_str)
                .and_then(|l| last_segment(l).parse::<i64>().ok())
                .or_else(|| field("resourceId").and_then(number))
                .or_else(|| field("id").and_then(number));
            Ok(OperationStatus::Succeeded { id })
        }
        "failed" | "canceled" | "cancelled" => {
            let parsed = ApiErrorBody::parse(&body.to_string());
            let headline = if status == "failed" {
                "Protime could not complete the accepted operation"
            } else {
                "Protime cancelled the accepted operation"
            };
            let mut message = headline.to_string();
            if let Some(b) = &parsed {
                let details: Vec<String> = b
                    .message
                    .iter()
                    .cloned()
                    .chain(b.reasons.iter().cloned())
                    .chain(b.field_errors.iter().map(|f| {
                        if f.field.is_empty() {
                            f.message.clone()
                        } else {
                            format!("{}: {}", f.field, f.message)
                        }
                    }))
                    .collect();
                if !details.is_empty() {
                    message = format!("{message}: {}", details.join("; "));
                }
            }
            let kind = if status == "failed" {
                ErrorKind::BadRequest
            } else {
                ErrorKind::Upstream
            };
            let mut err = Error::new(kind, message);
            err.body = parsed.map(Box::new);
            if err.body.is_none() {
                err.raw_body = Some(body.to_string());
            }
            Ok(OperationStatus::Failed(err))
        }
        _ => Err(Error::new(
            ErrorKind::Decode,
            format!("Protime answered an operation status that is not understood: {body}"),
        )),
    }
}

fn id_from(a: &WriteAnswer) -> Option<String> {
    a.location
        .as_deref()
        .map(|l| last_segment(l).to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            serde_json::from_str::<serde_json::Value>(&a.body)
                .ok()?
                .get("id")?
                .as_str()
                .map(str::to_string)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_status_is_decoded_leniently() {
        let d = |v: serde_json::Value| decode_operation_status(&v).unwrap();
        for s in ["NotStarted", "running", "InProgress", "in_progress"] {
            assert!(
                matches!(
                    d(serde_json::json!({"status": s})),
                    OperationStatus::Running
                ),
                "{s}"
            );
        }
        assert!(matches!(
            d(
                serde_json::json!({"id": 901, "status": "Succeeded", "resourceLocation": "/connector/protimeapi/api/v1/clockings/19250"})
            ),
            OperationStatus::Succeeded { id: Some(19250) }
        ));
        assert!(matches!(
            d(serde_json::json!({"Status": "COMPLETED", "resourceId": "77"})),
            OperationStatus::Succeeded { id: Some(77) }
        ));
        assert!(matches!(
            d(serde_json::json!({"status": "Completed"})),
            OperationStatus::Succeeded { id: None }
        ));
        match d(
            serde_json::json!({"status": "Failed", "error": {"code": "BadRequest", "message": "m", "reasons": ["closed period"]}}),
        ) {
            OperationStatus::Failed(e) => {
                assert_eq!(e.kind, ErrorKind::BadRequest);
                assert_eq!(e.reasons(), vec!["closed period".to_string()]);
                assert!(e.message.contains("closed period"));
            }
            other => panic!("{other:?}"),
        }
        match d(serde_json::json!({"status": "Cancelled"})) {
            OperationStatus::Failed(e) => assert_eq!(e.kind, ErrorKind::Upstream),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            decode_operation_status(&serde_json::json!({"status": "Exploded"}))
                .unwrap_err()
                .kind,
            ErrorKind::Decode
        );
        assert!(decode_operation_status(&serde_json::json!([1])).is_err());
    }

    #[test]
    fn id_is_the_last_location_segment() {
        assert_eq!(
            last_segment("/connector/protimeapi/api/v1/clockings/76547"),
            "76547"
        );
        assert_eq!(last_segment("/x/clockings/19250/"), "19250");
        assert_eq!(last_segment("/x/a/abc-def?y=1"), "abc-def");
    }
}
