//! Activity definitions at a level of a structure version, their usages and restrictions.

use super::*;

impl ProtimeClient {
    pub(super) fn def_url(
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
            &format!(
                "{}/{}{tail}",
                at.base()?,
                encode_path_segment("an activity definition reference", &value)?
            ),
            &params,
        )
    }

    pub async fn activity_definitions(
        &self,
        at: &LevelPath,
    ) -> Result<Vec<ActivityDefinition>, Error> {
        self.stream(self.url(&at.base()?)?).try_collect().await
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
            .write(Method::POST, &self.url(&at.base()?)?, Some(&body))
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
        self.send_to(Method::POST, at, def, "/usages", usage).await
    }
    pub async fn update_usage(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        update: &UsageUpdate,
    ) -> Result<(), Error> {
        self.send_to(Method::PUT, at, def, "/usages", update).await
    }
    /// `DELETE` with the usage as JSON body.
    pub async fn delete_usage(
        &self,
        at: &LevelPath,
        def: &DefinitionRef,
        usage: &Usage,
    ) -> Result<(), Error> {
        self.send_to(Method::DELETE, at, def, "/usages", usage)
            .await
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
        let body = RestrictionsInput {
            restrictions: restrictions.to_vec(),
        };
        self.send_to(Method::PUT, at, def, "/restrictions", &body)
            .await
    }

    /// Sends `body` as JSON to one of a definition's sub-resources (`/usages`, `/restrictions`);
    /// the answer carries nothing the caller needs.
    async fn send_to(
        &self,
        method: Method,
        at: &LevelPath,
        def: &DefinitionRef,
        sub_resource: &str,
        body: &impl serde::Serialize,
    ) -> Result<(), Error> {
        let body =
            serde_json::to_value(body).map_err(|e| Error::new(ErrorKind::Decode, e.to_string()))?;
        self.write(
            method,
            &self.def_url(at, def, sub_resource, &[])?,
            Some(&body),
        )
        .await
        .map(|_| ())
    }
}
