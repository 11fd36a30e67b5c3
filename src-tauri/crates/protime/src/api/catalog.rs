//! People, absence definitions (reasons), terminals and activity structure versions.

use super::*;

impl ProtimeClient {
    /// One person by internal id or by an external reference (`Some(("@badge-number", ...))`).
    pub async fn person(&self, reference: &str, by: Option<&str>) -> Result<Person, Error> {
        let params: Vec<_> = by
            .map(|name| ("externalReferences", Some(format!("(people,{name})"))))
            .into_iter()
            .collect();
        self.get_json(&self.build(
            &format!(
                "people/{}",
                encode_path_segment("a person reference", reference)?
            ),
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
}
