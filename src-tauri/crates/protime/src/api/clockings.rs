//! Clockings (create, read, the operation monitor), access clockings and calculated totals.

use super::*;

impl ProtimeClient {
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
}
