//! The activity structure as the clocking form needs it: levels with names and every definition with
//! its parent, active dates, usages and restrictions.

use crate::cascade::{ActivityNode, RestrictionRule, UsageKind, UsageRule};
use futures::{StreamExt, TryStreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use timebridge_core::dates::Day;
use timebridge_core::profiles::{structure_version_on, StructureVersionConfig};
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;
use timebridge_protime::models::{ActivityDefinition, Ref};
use timebridge_protime::{DefinitionRef, LevelPath, ProtimeClient};

#[derive(Debug, Clone)]
pub struct ActivityCatalog {
    pub structure_version: String,
    /// (level, name), top level first.
    pub levels: Vec<(u32, String)>,
    pub nodes: Vec<ActivityNode>,
}

/// How long the activity structure is reused before it is read again.
const CATALOG_TTL: Duration = Duration::from_secs(300);

/// A workspace's cached activity structures, one per structure version (`None`: the version the
/// sandbox lists when the profile names none): when each was read, at which
/// [`Workspace::activity_structure_version`], and what it was.
#[derive(Default)]
struct CachedCatalogs(tokio::sync::Mutex<HashMap<Option<String>, CachedCatalog>>);

/// When a catalog was read, at which structure-change count, and what it was.
type CachedCatalog = (Instant, u64, Arc<ActivityCatalog>);

/// The activity structure in force on `date` (the profile's version with the latest start on or
/// before it), read at most every five minutes (one request per definition) and again after every
/// write to it.
pub async fn catalog(ws: &Workspace, date: Day) -> Result<Arc<ActivityCatalog>, AppError> {
    let configured = structure_version_on(&ws.structure_versions, date)?;
    let key = configured.map(|v| v.id.clone());
    let cached = ws.extension::<CachedCatalogs>();
    let mut slots = cached.0.lock().await;
    let version = ws.activity_structure_version();
    if let Some((at, v, c)) = slots.get(&key) {
        if *v == version && at.elapsed() < CATALOG_TTL {
            return Ok(c.clone());
        }
    }
    let fresh = Arc::new(load_catalog(&ws.protime, configured).await?);
    slots.insert(key, (Instant::now(), version, fresh.clone()));
    Ok(fresh)
}

fn reference_text<I: ToString>(r: &Ref<I>) -> String {
    r.id.as_ref().map(|i| i.to_string()).unwrap_or_else(|| {
        r.external_references
            .as_ref()
            .and_then(|m| m.values().next().cloned())
            .unwrap_or_default()
    })
}

fn to_node(level: u32, d: ActivityDefinition) -> ActivityNode {
    ActivityNode {
        level,
        name: d.name.default.clone(),
        parent_id: d.parent.as_ref().and_then(|p| p.id.clone()),
        data_entry_code: d.data_entry_code.clone(),
        active_from: d.active_from,
        active_until: d.active_until,
        usages: d
            .usages
            .unwrap_or_default()
            .iter()
            .map(|u| UsageRule {
                kind: match u.activity_usage_kind.as_str() {
                    "Person" => UsageKind::Person,
                    "Circle" => UsageKind::Circle,
                    _ => UsageKind::Group,
                },
                reference: reference_text(&u.usage_reference),
                from: u.from,
                until: u.until,
            })
            .collect(),
        restrictions: d
            .restrictions
            .unwrap_or_default()
            .iter()
            .map(|combo| {
                combo
                    .iter()
                    .map(|r| RestrictionRule {
                        level: r.level_index,
                        allowed: r
                            .activity_definitions
                            .iter()
                            .filter_map(|a| a.id.clone())
                            .collect(),
                    })
                    .collect()
            })
            .collect(),
        id: d.id,
    }
}

/// Loads the structure and every definition with its usages and restrictions (`expand`), eight
/// requests at a time.
///
/// The structure version and its level names come from the profile (`configured`: the version in
/// force on the clocking's date); only when the profile names none is the sandbox's convenience
/// endpoint asked, which Protime itself does not offer (a clear error says to configure them).
pub async fn load_catalog(
    client: &ProtimeClient,
    configured: Option<&StructureVersionConfig>,
) -> Result<ActivityCatalog, AppError> {
    if let Some(v) = configured {
        let levels = v
            .level_names
            .iter()
            .enumerate()
            .map(|(i, name)| (i as u32 + 1, name.clone()))
            .collect();
        return load_definitions(client, v.id.clone(), levels).await;
    }
    let versions = client.activity_structure_versions().await.map_err(|e| {
        let mut err = AppError::from(e);
        err.message = format!(
            "The activity structure is unknown: Protime offers no way to list structure versions, so add the structure version id and its level names to this profile in Settings. ({})",
            err.message
        );
        err
    })?;
    let version = versions.into_iter().next().ok_or_else(|| {
        AppError::new(
            timebridge_core::ErrorCode::NotFound,
            "This tenant has no activity structure",
        )
    })?;
    let mut levels: Vec<(u32, String)> = version
        .levels
        .iter()
        .map(|l| {
            (
                l.level,
                l.name
                    .clone()
                    .unwrap_or_else(|| format!("Level {}", l.level)),
            )
        })
        .collect();
    levels.sort_by_key(|l| l.0);
    load_definitions(client, version.id, levels).await
}

/// Every definition of every level, with usages and restrictions (`expand`), eight requests at a time.
async fn load_definitions(
    client: &ProtimeClient,
    structure_version: String,
    levels: Vec<(u32, String)>,
) -> Result<ActivityCatalog, AppError> {
    let mut nodes = Vec::new();
    for (level, _) in &levels {
        let at = LevelPath::new(&structure_version, *level);
        let defs = client.activity_definitions(&at).await?;
        let expanded: Vec<ActivityDefinition> = futures::stream::iter(defs)
            .map(|d| {
                let at = at.clone();
                async move {
                    client
                        .activity_definition(&at, &DefinitionRef::Id(d.id.clone()), true)
                        .await
                }
            })
            .buffered(8)
            .try_collect()
            .await?;
        nodes.extend(expanded.into_iter().map(|d| to_node(*level, d)));
    }
    Ok(ActivityCatalog {
        structure_version,
        levels,
        nodes,
    })
}
