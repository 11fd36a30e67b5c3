//! The change feeds (`?delta`): starting one, its initial pages and its changes.

use super::*;

impl ProtimeClient {
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

    pub(super) async fn start_delta_at<T: DeserializeOwned>(
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
}
