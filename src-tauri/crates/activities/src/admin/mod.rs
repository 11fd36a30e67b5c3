//! The definition maintenance service on one Protime client: reading a level, a definition and the
//! structure; writes are in [`definitions`] and [`usages`].

mod definitions;
mod usages;

use crate::*;

/// The definition maintenance service on one Protime client.
pub struct Admin<'a> {
    pub client: &'a ProtimeClient,
    pub audit: Option<Audit<'a>>,
    /// How long to wait after an uncertain write before a read-back is trusted, and between the two
    /// read-backs: at least the client's request timeout (see [`readback`]).
    pub quiet_period: std::time::Duration,
}

pub(crate) fn path_of(at: &LevelPath, def: Option<&DefinitionRef>, tail: &str) -> String {
    let base = format!(
        "/activity-structure-versions/{}/levels/{}/activity-definitions",
        at.structure_version, at.level
    );
    match def {
        None => base,
        Some(DefinitionRef::Id(id)) => format!("{base}/{id}{tail}"),
        Some(DefinitionRef::External { name, value }) => {
            format!("{base}/{value}{tail}?externalReferences=(activity-definitions,{name})")
        }
    }
}

pub(crate) fn body_text<T: Serialize>(b: &T) -> String {
    serde_json::to_string(b).unwrap_or_default()
}

pub(crate) fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn parent_of(d: &ActivityDefinition) -> Option<&str> {
    d.parent.as_ref().and_then(|p| p.id.as_deref())
}

/// A definition a create just sent: the same external reference; without one the same data entry
/// code (both are unique on the level); without either the same name, parent and short code.
pub(crate) fn same_created(d: &ActivityDefinition, input: &ActivityDefinitionInput) -> bool {
    match (opt(&input.external_reference), opt(&input.data_entry_code)) {
        (Some(ext), _) => opt(&d.external_reference) == Some(ext),
        (None, Some(dec)) => opt(&d.data_entry_code) == Some(dec),
        (None, None) => {
            d.name.default.trim() == input.name.default.trim()
                && parent_of(d) == input.parent.as_ref().and_then(|p| p.id.as_deref())
                && opt(&d.short_code) == opt(&input.short_code)
        }
    }
}

/// Whether a stored definition shows what a PUT sent (codes left empty may have been generated).
pub(crate) fn shows(d: &ActivityDefinition, input: &ActivityDefinitionInput) -> bool {
    d.name.default.trim() == input.name.default.trim()
        && opt(&d.short_code) == opt(&input.short_code)
        && opt(&d.info) == opt(&input.info)
        && d.active_from == input.active_from
        && d.active_until == input.active_until
        && (opt(&input.external_reference).is_none()
            || opt(&d.external_reference) == opt(&input.external_reference))
        && (opt(&input.data_entry_code).is_none()
            || opt(&d.data_entry_code) == opt(&input.data_entry_code))
}

impl<'a> Admin<'a> {
    /// A service whose quiet period after an uncertain write is [`DEFAULT_QUIET_PERIOD`] (the
    /// request timeout of the app's and the CLI's clients).
    pub fn new(client: &'a ProtimeClient, audit: Option<Audit<'a>>) -> Self {
        Self {
            client,
            audit,
            quiet_period: DEFAULT_QUIET_PERIOD,
        }
    }

    /// The wait after an uncertain write before a read-back is trusted; give at least the client's
    /// request timeout.
    pub fn with_quiet_period(mut self, quiet_period: std::time::Duration) -> Self {
        self.quiet_period = quiet_period;
        self
    }

    /// Structure versions and level names. Protime documents no such endpoint (the sandbox has one),
    /// so on a real tenant the error tells the user to name them in the profile.
    pub async fn structures(&self) -> Result<Vec<StructureInfo>, AppError> {
        let versions = self.client.activity_structure_versions().await.map_err(|e| {
            let mut err = AppError::from(e);
            err.message = format!(
                "Protime offers no way to list activity structure versions; enter the structure version id and its level names in the profile. ({})",
                err.message
            );
            err
        })?;
        Ok(versions
            .into_iter()
            .map(|v| {
                let mut levels: Vec<LevelInfo> = v
                    .levels
                    .iter()
                    .map(|l| LevelInfo {
                        level: l.level,
                        name: l
                            .name
                            .clone()
                            .unwrap_or_else(|| format!("Level {}", l.level)),
                    })
                    .collect();
                levels.sort_by_key(|l| l.level);
                StructureInfo {
                    name: v.name.clone().unwrap_or_else(|| v.id.clone()),
                    id: v.id,
                    levels,
                }
            })
            .collect())
    }

    pub async fn raw_list(&self, at: &LevelPath) -> Result<Vec<ActivityDefinition>, AppError> {
        Ok(self.client.activity_definitions(at).await?)
    }

    /// A level's definitions sorted by name, active state relative to `on`.
    pub async fn list(
        &self,
        at: &LevelPath,
        on: NaiveDate,
    ) -> Result<Vec<DefinitionRow>, AppError> {
        let mut rows: Vec<DefinitionRow> = self
            .raw_list(at)
            .await?
            .iter()
            .map(|d| to_row(d, at.level, on))
            .collect();
        rows.sort_by_key(|r| r.name.to_lowercase());
        Ok(rows)
    }

    /// Every level of the structure as a tree, depth first, children sorted by name. Definitions
    /// whose parent is missing come last at their own depth.
    pub async fn tree(
        &self,
        structure_version: &str,
        levels: &[u32],
        on: NaiveDate,
    ) -> Result<Vec<TreeRow>, AppError> {
        let mut per_level = Vec::new();
        for l in levels {
            per_level.push(
                self.list(&LevelPath::new(structure_version, *l), on)
                    .await?,
            );
        }
        Ok(build_tree(&per_level))
    }

    pub async fn detail(
        &self,
        at: &LevelPath,
        id: &str,
        on: NaiveDate,
    ) -> Result<DefinitionDetail, AppError> {
        let d = self
            .client
            .activity_definition(at, &DefinitionRef::Id(id.to_string()), true)
            .await?;
        Ok(DefinitionDetail {
            row: to_row(&d, at.level, on),
            can_configure_restrictions: d.can_configure_restrictions,
            usages: d.usages.iter().flatten().map(usage_row).collect(),
            restrictions: d
                .restrictions
                .iter()
                .flatten()
                .map(|c| restriction_combination(c))
                .collect(),
        })
    }

    pub(crate) async fn stored(
        &self,
        at: &LevelPath,
        id: &str,
    ) -> Result<ActivityDefinition, AppError> {
        Ok(self
            .client
            .activity_definition(at, &DefinitionRef::Id(id.to_string()), false)
            .await?)
    }
}
