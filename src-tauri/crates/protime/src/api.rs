//! The typed endpoints of the Protime API (spec section 4). Reads retry (see `get_json`); writes are
//! sent exactly once: a write that fails with a network error may or may not have been committed, and
//! the caller (the outbox) must read back before sending again.

use crate::client::{decode, encode_query_value};
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
    fn base(&self) -> String {
        format!(
            "activity-structure-versions/{}/levels/{}/activity-definitions",
            encode_query_value(&self.structure_version),
            self.level
        )
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
struct WriteAnswer {
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

impl ProtimeClient {
    /// Builds `<base><path>?k=v&...` with values percent-encoded; `None` values are bare flags (`delta`).
    fn build(&self, path: &str, params: &[(&str, Option<String>)]) -> Result<Url, Error> {
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

    fn refs_param(refs: &ExternalReferences) -> Option<(&'static str, Option<String>)> {
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

    fn dated_url(
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

    // ------------------------------------------------------------ clockings

    pub fn clockings_stream(
        &self,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<impl Stream<Item = Result<Clocking, Error>> + Send + 'static, Error> {
        Ok(self.stream(self.dated_url("clockings", range, extra, refs)?))
    }
    /// Clockings in `range`, optionally narrowed (`person in (...)`, `kind eq '...'`).
    pub async fn clockings(
        &self,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<Vec<Clocking>, Error> {
        self.clockings_stream(range, extra, refs)?
            .try_collect()
            .await
    }
    pub async fn clocking(&self, id: i64, refs: &ExternalReferences) -> Result<Clocking, Error> {
        let params: Vec<_> = Self::refs_param(refs).into_iter().collect();
        self.get_json(&self.build(&format!("clockings/{id}"), &params)?)
            .await
    }

    /// `POST /clockings`, sent once. Checks the body first (time range, kind-specific fields).
    pub async fn create_clocking(
        &self,
        clocking: &NewClocking,
        refs: &ExternalReferences,
    ) -> Result<Created, Error> {
        clocking
            .validate()
            .map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        let params: Vec<_> = Self::refs_param(refs).into_iter().collect();
        let url = self.build("clockings", &params)?;
        let body = serde_json::to_value(clocking)
            .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        let a = self.write(Method::POST, &url, Some(&body)).await?;
        if a.status == 202 {
            if let Some(op) = a.operation_location {
                return Ok(Created::Accepted {
                    operation_location: op,
                });
            }
        }
        let location = a.location.ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                "Protime created the clocking but sent no Location header",
            )
        })?;
        let id = last_segment(&location).parse::<i64>().map_err(|_| {
            Error::new(
                ErrorKind::Decode,
                format!("Protime answered an unexpected Location: {location}"),
            )
        })?;
        Ok(Created::Created { id, location })
    }

    /// Reads the state of an accepted (`202`) operation from its `Operation-Location` link (as
    /// returned in [`Created::Accepted`]). The link is resolved against the API base and must stay on
    /// its origin (scheme, host and port): the bearer token is never sent anywhere else. A read: it is
    /// retried like every read.
    pub async fn operation_status(
        &self,
        operation_location: &str,
    ) -> Result<OperationStatus, Error> {
        let url = self.link_url(operation_location)?;
        let body: serde_json::Value = self.get_json(&url).await?;
        decode_operation_status(&body)
    }

    // ------------------------------------------------------------ access clockings, totals

    pub fn access_clockings_stream(
        &self,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<impl Stream<Item = Result<AccessClocking, Error>> + Send + 'static, Error> {
        Ok(self.stream(self.dated_url("access-clockings", range, extra, refs)?))
    }
    pub async fn access_clockings(
        &self,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<Vec<AccessClocking>, Error> {
        self.access_clockings_stream(range, extra, refs)?
            .try_collect()
            .await
    }
    pub async fn access_clocking(
        &self,
        id: i64,
        refs: &ExternalReferences,
    ) -> Result<AccessClocking, Error> {
        let params: Vec<_> = Self::refs_param(refs).into_iter().collect();
        self.get_json(&self.build(&format!("access-clockings/{id}"), &params)?)
            .await
    }
    pub fn calculated_totals_stream(
        &self,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<impl Stream<Item = Result<CalculatedTotals, Error>> + Send + 'static, Error> {
        Ok(self.stream(self.dated_url("calculated-totals", range, extra, refs)?))
    }
    pub async fn calculated_totals(
        &self,
        range: DateRange,
        extra: Option<Filter>,
        refs: &ExternalReferences,
    ) -> Result<Vec<CalculatedTotals>, Error> {
        self.calculated_totals_stream(range, extra, refs)?
            .try_collect()
            .await
    }

    // ------------------------------------------------------------ delta

    /// Starts a delta on a dated collection (`clockings`, `access-clockings`, `calculated-totals`):
    /// pages through the initial load and returns the items with the first `deltaLink`. Starting a
    /// delta replaces the collection's previous one.
    pub async fn start_dated_delta<T: DeserializeOwned + Send + 'static>(
        &self,
        collection: &str,
        range: DeltaRange,
        refs: &ExternalReferences,
    ) -> Result<DeltaStart<T>, Error> {
        let f = range.to_filter();
        check_delta_filter(&f)?;
        let mut params = vec![("filter", Some(f.to_string())), ("delta", None)];
        params.extend(Self::refs_param(refs));
        self.start_delta_at(self.build(collection, &params)?).await
    }

    /// The first page of the calculated-totals change feed's initial load, for callers that page
    /// one at a time (and save each page with its cursor). Nothing is requested yet.
    pub fn calculated_totals_delta_start(
        &self,
        range: DeltaRange,
        refs: &ExternalReferences,
    ) -> Result<DeltaCursor, Error> {
        let f = range.to_filter();
        check_delta_filter(&f)?;
        let mut params = vec![("filter", Some(f.to_string())), ("delta", None)];
        params.extend(Self::refs_param(refs));
        Ok(DeltaCursor::Next(
            self.build("calculated-totals", &params)?.to_string(),
        ))
    }

    /// Fetches one page of a delta's initial load: its items and where to continue (the next page,
    /// or the `deltaLink` after the last page). `link` is a `DeltaCursor::Next` value: an absolute
    /// URL from [`Self::calculated_totals_delta_start`] or a server-relative `nextLink`.
    pub async fn delta_initial_page<T: DeserializeOwned>(
        &self,
        link: &str,
    ) -> Result<DeltaInitialPage<T>, Error> {
        let url = if link.starts_with("http://") || link.starts_with("https://") {
            let url = Url::parse(link).map_err(|e| {
                Error::new(
                    ErrorKind::Decode,
                    format!("The saved change feed link is not a URL: {e}"),
                )
            })?;
            self.require_same_origin(&url)?;
            url
        } else {
            self.link_url(link)?
        };
        let page: Page<T> = self.get_json(&url).await?;
        let next = match (page.next_link, page.delta_link) {
            (Some(n), _) => DeltaCursor::Next(n),
            (None, Some(d)) => DeltaCursor::Delta(d),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Decode,
                    "The last page of the change feed's initial load has no deltaLink",
                ))
            }
        };
        Ok(DeltaInitialPage {
            items: page.value,
            next,
        })
    }

    /// Starts the calculated-totals change feed (what the timesheet cache keeps current).
    pub async fn start_calculated_totals_delta(
        &self,
        range: DeltaRange,
        refs: &ExternalReferences,
    ) -> Result<DeltaStart<CalculatedTotals>, Error> {
        self.start_dated_delta("calculated-totals", range, refs)
            .await
    }
    /// Starts the clockings change feed.
    pub async fn start_clockings_delta(
        &self,
        range: DeltaRange,
        refs: &ExternalReferences,
    ) -> Result<DeltaStart<Clocking>, Error> {
        self.start_dated_delta("clockings", range, refs).await
    }
    /// Starts the access-clockings change feed.
    pub async fn start_access_clockings_delta(
        &self,
        range: DeltaRange,
        refs: &ExternalReferences,
    ) -> Result<DeltaStart<AccessClocking>, Error> {
        self.start_dated_delta("access-clockings", range, refs)
            .await
    }

    /// Starts a delta on an undated collection (`people`, `absence-definitions`): no filter.
    pub async fn start_delta<T: DeserializeOwned + Send + 'static>(
        &self,
        collection: &str,
        refs: &ExternalReferences,
    ) -> Result<DeltaStart<T>, Error> {
        let mut params = vec![("delta", None)];
        params.extend(Self::refs_param(refs));
        self.start_delta_at(self.build(collection, &params)?).await
    }

    async fn start_delta_at<T: DeserializeOwned>(
        &self,
        first: Url,
    ) -> Result<DeltaStart<T>, Error> {
        let mut items = Vec::new();
        let mut next = Some(first);
        let mut guard = crate::client::PageGuard::default();
        while let Some(url) = next.take() {
            guard.visit(&url)?;
            let page: Page<T> = self.get_json(&url).await?;
            items.extend(page.value);
            match (page.next_link, page.delta_link) {
                (Some(n), _) => next = Some(self.link_url(&n)?),
                (None, Some(d)) => {
                    return Ok(DeltaStart {
                        items,
                        delta_link: d,
                    })
                }
                (None, None) => {
                    return Err(Error::new(
                        ErrorKind::Decode,
                        "The last page of the change feed's initial load has no deltaLink",
                    ))
                }
            }
        }
        unreachable!("the loop returns")
    }

    /// Follows a `deltaLink`: the changes since the last call and the next link. `410` comes back as
    /// [`ErrorKind::DeltaExpired`]: start over with a new initial load.
    pub async fn delta_changes<T: DeserializeOwned>(
        &self,
        delta_link: &str,
    ) -> Result<DeltaChanges<T>, Error> {
        let url = self.link_url(delta_link)?;
        let page: RawDeltaPage = self.get_json(&url).await?;
        let mut changes = Vec::with_capacity(page.value.len());
        for c in page.value {
            let change_version = c
                .data
                .get("changeVersion")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            match c.change_type {
                ChangeType::Delete => changes.push(Change::Delete {
                    id: c.data.get("id").cloned().unwrap_or_default(),
                    change_version,
                }),
                _ => changes.push(Change::Upsert(serde_json::from_value(c.data).map_err(
                    |e| {
                        Error::new(
                            ErrorKind::Decode,
                            format!("A change in the Protime feed could not be read: {e}"),
                        )
                    },
                )?)),
            }
        }
        let delta_link = page.delta_link.ok_or_else(|| {
            Error::new(ErrorKind::Decode, "The change feed answer has no deltaLink")
        })?;
        Ok(DeltaChanges {
            changes,
            delta_link,
        })
    }

    // ------------------------------------------------------------ people, definitions, terminals

    /// One person by internal id or by an external reference (`Some(("@badge-number", ...))`).
    pub async fn person(&self, reference: &str, by: Option<&str>) -> Result<Person, Error> {
        let params: Vec<_> = by
            .map(|name| ("externalReferences", Some(format!("(people,{name})"))))
            .into_iter()
            .collect();
        self.get_json(&self.build(
            &format!("people/{}", encode_query_value(reference)),
            &params,
        )?)
        .await
    }
    pub async fn absence_definitions(&self) -> Result<Vec<AbsenceDefinition>, Error> {
        self.stream(self.url("absence-definitions")?)
            .try_collect()
            .await
    }
    /// Reasons for `Reason` clockings: absence definitions with `isReasonForClocking`.
    pub async fn reasons(&self) -> Result<Vec<AbsenceDefinition>, Error> {
        Ok(self
            .absence_definitions()
            .await?
            .into_iter()
            .filter(|a| a.is_reason_for_clocking)
            .collect())
    }
    /// Sandbox-only convenience (`GET /terminals` is not documented by Protime).
    pub async fn terminals(&self) -> Result<Vec<Terminal>, Error> {
        self.stream(self.url("terminals")?).try_collect().await
    }
    /// Sandbox-only convenience (`GET /activity-structure-versions` is not documented by Protime).
    pub async fn activity_structure_versions(&self) -> Result<Vec<StructureVersion>, Error> {
        self.stream(self.url("activity-structure-versions")?)
            .try_collect()
            .await
    }

    // ------------------------------------------------------------ activity definitions

    fn def_url(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        tail: &str,
        extra: &[(&str, Option<String>)],
    ) -> Result<Url, Error> {
        let (value, mut params) = match def {
            DefinitionRef::Id(id) => (id.clone(), Vec::new()),
            DefinitionRef::External { name, value } => (
                value.clone(),
                vec![(
                    "externalReferences",
                    Some(format!("(activity-definitions,{name})")),
                )],
            ),
        };
        params.extend(extra.iter().cloned());
        self.build(
            &format!("{}/{}{tail}", at.base(), encode_query_value(&value)),
            &params,
        )
    }

    pub async fn activity_definitions(
        &self,
        at: &LevelPath,
    ) -> Result<Vec<ActivityDefinition>, Error> {
        self.stream(self.url(&at.base())?).try_collect().await
    }
    /// One definition; `expand` adds its usages and restrictions (`?expand=usage,restrictions`).
    pub async fn activity_definition(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        expand: bool,
    ) -> Result<ActivityDefinition, Error> {
        let extra = if expand {
            vec![("expand", Some("usage,restrictions".to_string()))]
        } else {
            vec![]
        };
        self.get_json(&self.def_url(at, def, "", &extra)?).await
    }
    /// `POST`: creates a definition and returns its id (from `Location`).
    pub async fn create_activity_definition(
        &self,
        at: &LevelPath,
        input: &ActivityDefinitionInput,
    ) -> Result<String, Error> {
        input
            .validate()
            .map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        let body = serde_json::to_value(input)
            .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        let a = self
            .write(Method::POST, &self.url(&at.base())?, Some(&body))
            .await?;
        id_from(&a).ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                "Protime created the definition but sent no id",
            )
        })
    }
    /// `PUT` by internal id (update only; `404` when unknown) or by external reference (upsert).
    /// The whole record is replaced: fields absent from `input` end up empty.
    pub async fn put_activity_definition(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        input: &ActivityDefinitionInput,
    ) -> Result<Upserted, Error> {
        input
            .validate()
            .map_err(|m| Error::new(ErrorKind::BadRequest, m))?;
        let body = serde_json::to_value(input)
            .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        let a = self
            .write(Method::PUT, &self.def_url(at, def, "", &[])?, Some(&body))
            .await?;
        Ok(if a.status == 201 {
            Upserted::Created { id: id_from(&a) }
        } else {
            Upserted::Updated
        })
    }
    pub async fn usages(&self, at: &LevelPath, def: &DefinitionRef) -> Result<Usages, Error> {
        self.get_json(&self.def_url(at, def, "/usages", &[])?).await
    }
    pub async fn add_usage(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        usage: &Usage,
    ) -> Result<(), Error> {
        let body = serde_json::to_value(usage)
            .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        self.write(
            Method::POST,
            &self.def_url(at, def, "/usages", &[])?,
            Some(&body),
        )
        .await
        .map(|_| ())
    }
    pub async fn update_usage(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        update: &UsageUpdate,
    ) -> Result<(), Error> {
        let body = serde_json::to_value(update)
            .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        self.write(
            Method::PUT,
            &self.def_url(at, def, "/usages", &[])?,
            Some(&body),
        )
        .await
        .map(|_| ())
    }
    /// `DELETE` with the usage as JSON body.
    pub async fn delete_usage(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        usage: &Usage,
    ) -> Result<(), Error> {
        let body = serde_json::to_value(usage)
            .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        self.write(
            Method::DELETE,
            &self.def_url(at, def, "/usages", &[])?,
            Some(&body),
        )
        .await
        .map(|_| ())
    }
    pub async fn restrictions(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
    ) -> Result<Restrictions, Error> {
        self.get_json(&self.def_url(at, def, "/restrictions", &[])?)
            .await
    }
    /// Replaces the restrictions: `{"restrictions": [[...], ...]}`, a list of combinations as the
    /// seed shows it.
    pub async fn set_restrictions(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        restrictions: &[RestrictionCombination],
    ) -> Result<(), Error> {
        let body = serde_json::to_value(RestrictionsInput {
            restrictions: restrictions.to_vec(),
        })
        .map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        self.write(
            Method::PUT,
            &self.def_url(at, def, "/restrictions", &[])?,
            Some(&body),
        )
        .await
        .map(|_| ())
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
    async fn write(
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
