//! The activity structure: versions, levels, definitions, usages and restriction combinations.

use super::*;

/// An activity structure version, from the sandbox-only `GET /activity-structure-versions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StructureVersion {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub levels: Vec<StructureLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StructureLevel {
    pub level: u32,
    #[serde(default)]
    pub name: Option<String>,
}

/// An activity definition (spec 4.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDefinition {
    pub id: String,
    #[serde(default)]
    pub change_version: Option<String>,
    #[serde(default)]
    pub structure_version: Option<String>,
    #[serde(default)]
    pub level: Option<u32>,
    #[serde(default)]
    pub can_configure_restrictions: Option<bool>,
    #[serde(default)]
    pub name: LocalizedText,
    #[serde(default)]
    pub parent: Option<Ref<String>>,
    #[serde(default)]
    pub short_code: Option<String>,
    #[serde(default)]
    pub data_entry_code: Option<String>,
    #[serde(default)]
    pub external_reference: Option<String>,
    #[serde(default)]
    pub info: Option<String>,
    #[serde(default, deserialize_with = "opt_date")]
    pub active_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub active_until: Option<NaiveDate>,
    /// Present with `?expand=usage,...`.
    #[serde(default, alias = "usage")]
    pub usages: Option<Vec<Usage>>,
    /// Present with `?expand=...,restrictions`: combinations, as in the restrictions GET.
    #[serde(default, deserialize_with = "opt_combinations_de")]
    pub restrictions: Option<Vec<RestrictionCombination>>,
}

/// Body of POST/PUT of an activity definition. PUT replaces the record: absent fields are cleared.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDefinitionInput {
    pub name: LocalizedText,
    /// Only used when the call creates the definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Ref<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_code: Option<String>,
    /// At most 16 characters, unique in structure version + level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_entry_code: Option<String>,
    /// At most 16 characters, unique in structure version + level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_until: Option<NaiveDate>,
}

impl ActivityDefinitionInput {
    pub fn validate(&self) -> Result<(), String> {
        if self.name.default.trim().is_empty() {
            return Err("The name is required".into());
        }
        for (what, v) in [
            ("data entry code", &self.data_entry_code),
            ("external reference", &self.external_reference),
        ] {
            if v.as_ref().is_some_and(|x| x.chars().count() > 16) {
                return Err(format!("The {what} may be at most 16 characters"));
            }
        }
        if let (Some(a), Some(b)) = (self.active_from, self.active_until) {
            if b < a {
                return Err("'Active until' must be later than 'active from'".into());
            }
        }
        Ok(())
    }
}

/// Who may book on an activity definition and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub activity_usage_kind: UsageKind,
    pub usage_reference: Ref<i64>,
    pub from: NaiveDate,
    /// Open-ended when absent (sent by omitting it).
    #[serde(
        default,
        deserialize_with = "opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub until: Option<NaiveDate>,
}

/// Body of the usage PUT: the stored period and the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageUpdate {
    pub activity_usage_kind: UsageKind,
    pub usage_reference: Ref<i64>,
    pub original_from: NaiveDate,
    #[serde(
        default,
        deserialize_with = "opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub original_until: Option<NaiveDate>,
    pub updated_from: NaiveDate,
    #[serde(
        default,
        deserialize_with = "opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_until: Option<NaiveDate>,
}

/// `GET .../usages`: `activityDefinitionId` (newer) or `activityDefinition` (older pages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usages {
    #[serde(default)]
    pub change_version: Option<String>,
    #[serde(default, alias = "activityDefinition")]
    pub activity_definition_id: Option<Ref<String>>,
    #[serde(default)]
    pub usages: Vec<Usage>,
}

/// Which definitions of one other level may be combined with this one, as part of a combination.
/// The seed names the level `levelIndex`; older pages said `level`, still read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Restriction {
    #[serde(alias = "level")]
    pub level_index: u32,
    pub activity_definitions: Vec<Ref<String>>,
}

/// One allowed combination: every level restriction in it holds at the same time. A definition's
/// restrictions are a list of such combinations; a clocking is allowed when one of them matches.
pub type RestrictionCombination = Vec<Restriction>;

/// Reads `restrictions` as combinations (`[[{...}, ...], ...]`, the seed's shape). A flat list of
/// level restrictions (older pages) is read as a single combination, so nothing is dropped.
pub fn combinations_de<'de, D>(d: D) -> Result<Vec<RestrictionCombination>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Combination(Vec<Restriction>),
        Level(Restriction),
    }
    let items: Option<Vec<Item>> = Option::deserialize(d)?;
    let mut combos = Vec::new();
    let mut flat = Vec::new();
    for item in items.unwrap_or_default() {
        match item {
            Item::Combination(c) => combos.push(c),
            Item::Level(r) => flat.push(r),
        }
    }
    if !flat.is_empty() {
        combos.push(flat);
    }
    Ok(combos)
}

fn opt_combinations_de<'de, D>(d: D) -> Result<Option<Vec<RestrictionCombination>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    combinations_de(d).map(Some)
}

/// Body of `PUT …/restrictions`, as the seed shows it: `{"restrictions": [[...], ...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestrictionsInput {
    pub restrictions: Vec<RestrictionCombination>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Restrictions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_version: Option<String>,
    #[serde(
        default,
        alias = "activityDefinition",
        skip_serializing_if = "Option::is_none"
    )]
    pub activity_definition_id: Option<Ref<String>>,
    #[serde(default, deserialize_with = "combinations_de")]
    pub restrictions: Vec<RestrictionCombination>,
}
