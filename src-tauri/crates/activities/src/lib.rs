//! Maintaining Protime activity definitions (spec 4.5): browse a level or the whole tree, create, edit
//! (full-record PUT with a diff preview), upsert by external reference, deactivate, move under another
//! parent, and edit usages and restrictions.
//!
//! Every request the API would refuse is refused here first, with the reasons: 16-character limits,
//! uniqueness of data entry code and external reference within structure version and level (against
//! the loaded list), `activeUntil` not before `activeFrom`, a parent for levels below the first, the
//! parent only at creation, overlapping usages. Every write is recorded in the audit log when an
//! [`Audit`] is given.
//!
//! A write whose answer is lost (timeout, reset, 5xx) is recorded as `Uncertain`, never `Refused`,
//! and is read back before anything is sent again ([`readback`]). A create first reads the level
//! back and does not send a definition that is already there. Dates are exactly `YYYY-MM-DD`
//! ([`strict_date`]); nothing is corrected into another date.

pub mod csv;
pub mod readback;
pub mod service;

use chrono::{Days, NaiveDate};
use readback::WriteSpec;
pub use readback::{How, WriteFailed, Written, DEFAULT_QUIET_PERIOD};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use timebridge_core::audit::AuditDb;
use timebridge_core::{AppError, ErrorCode};
use timebridge_protime::models::{
    ActivityDefinition, ActivityDefinitionInput, LocalizedText, Ref, Restriction, Usage, UsageKind,
    UsageUpdate,
};
pub use timebridge_protime::LevelPath;
use timebridge_protime::{DefinitionRef, ProtimeClient, Upserted};

/// The longest data entry code or external reference Protime accepts.
pub const MAX_CODE: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LevelInfo {
    pub level: u32,
    pub name: String,
}

/// A structure version and its level names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StructureInfo {
    pub id: String,
    pub name: String,
    pub levels: Vec<LevelInfo>,
}

/// One definition as the screens show it; dates are `YYYY-MM-DD`, `active` is relative to the date
/// the list was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DefinitionRow {
    pub id: String,
    pub level: u32,
    pub name: String,
    pub translations: BTreeMap<String, String>,
    pub parent_id: Option<String>,
    pub short_code: Option<String>,
    pub data_entry_code: Option<String>,
    pub external_reference: Option<String>,
    pub info: Option<String>,
    pub active_from: Option<String>,
    pub active_until: Option<String>,
    pub active: bool,
}

/// A row of the tree: depth 0 is the first level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TreeRow {
    pub depth: u32,
    pub row: DefinitionRow,
}

/// A usage as the table shows it: `reference` is the person/group/circle id, or the value of the
/// custom external reference `reference_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsageRow {
    pub kind: String,
    pub reference: String,
    pub reference_name: Option<String>,
    pub from: String,
    pub until: Option<String>,
}

/// A usage as typed in the form; empty `until` is open-ended, empty `reference_name` means an id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct UsageForm {
    pub kind: String,
    pub reference: String,
    pub reference_name: String,
    pub from: String,
    pub until: String,
}

/// The definitions of one other level this definition may be combined with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct RestrictionRow {
    pub level: u32,
    pub ids: Vec<String>,
}

/// What saving a restriction set changes on one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RestrictionChange {
    pub level: u32,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// A definition with its usages and restrictions (`?expand=usage,restrictions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DefinitionDetail {
    pub row: DefinitionRow,
    pub can_configure_restrictions: Option<bool>,
    pub usages: Vec<UsageRow>,
    pub restrictions: Vec<RestrictionRow>,
}

/// The create/edit form. Empty strings are "not set"; dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DefinitionForm {
    pub name: String,
    pub translations: BTreeMap<String, String>,
    pub short_code: String,
    pub data_entry_code: String,
    pub external_reference: String,
    pub info: String,
    pub active_from: String,
    pub active_until: String,
    /// The parent at the level above; only used when creating.
    pub parent_id: String,
}

/// One field that an edit changes (`before`/`after` empty when not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct UpsertOutcome {
    pub created: bool,
    pub id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct MoveOutcome {
    pub new_id: String,
    pub ended_on: String,
}

/// Where writes are recorded.
#[derive(Clone, Copy)]
pub struct Audit<'a> {
    pub log: &'a dyn AuditDb,
    pub profile_id: &'a str,
}

fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The one date format the forms, the importer and the services accept: exactly `YYYY-MM-DD`
/// (four-digit year 1900..=2199, two-digit month and day) naming a real calendar day. Anything else
/// is an error that names the format; nothing is corrected into another date.
pub fn strict_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "'{s}' is not a date in the format YYYY-MM-DD (for example 2026-11-30)"
        ));
    }
    // Only ASCII digits and hyphens from here, so the slices are on character boundaries.
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    if !(1900..=2199).contains(&y) {
        return Err(format!(
            "'{s}' has the year {y}; give a year from 1900 to 2199 in the format YYYY-MM-DD"
        ));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| {
        format!("'{s}' is not a day of the calendar (format YYYY-MM-DD: month 01-12, a day that month has)")
    })
}

fn parse_date(field: &str, s: &str) -> Result<Option<NaiveDate>, String> {
    match non_empty(s) {
        None => Ok(None),
        Some(t) => strict_date(&t)
            .map(Some)
            .map_err(|e| format!("{field}: {e}")),
    }
}

/// Whether a definition is active on `on` (`activeFrom` ≤ on ≤ `activeUntil`, open ends allowed).
pub fn is_active(from: Option<NaiveDate>, until: Option<NaiveDate>, on: NaiveDate) -> bool {
    from.is_none_or(|f| f <= on) && until.is_none_or(|u| on <= u)
}

pub fn to_row(d: &ActivityDefinition, level: u32, on: NaiveDate) -> DefinitionRow {
    DefinitionRow {
        id: d.id.clone(),
        level: d.level.unwrap_or(level),
        name: d.name.default.clone(),
        translations: d.name.translations.clone(),
        parent_id: d.parent.as_ref().and_then(|p| p.id.clone()),
        short_code: d.short_code.clone(),
        data_entry_code: d.data_entry_code.clone(),
        external_reference: d.external_reference.clone(),
        info: d.info.clone(),
        active_from: date_text(d.active_from),
        active_until: date_text(d.active_until),
        active: is_active(d.active_from, d.active_until, on),
    }
}

/// The form prefilled from a stored definition.
pub fn form_of(d: &ActivityDefinition) -> DefinitionForm {
    DefinitionForm {
        name: d.name.default.clone(),
        translations: d.name.translations.clone(),
        short_code: d.short_code.clone().unwrap_or_default(),
        data_entry_code: d.data_entry_code.clone().unwrap_or_default(),
        external_reference: d.external_reference.clone().unwrap_or_default(),
        info: d.info.clone().unwrap_or_default(),
        active_from: date_text(d.active_from).unwrap_or_default(),
        active_until: date_text(d.active_until).unwrap_or_default(),
        parent_id: d
            .parent
            .as_ref()
            .and_then(|p| p.id.clone())
            .unwrap_or_default(),
    }
}

fn usage_row(u: &Usage) -> UsageRow {
    let (reference, reference_name) = match (
        &u.usage_reference.id,
        &u.usage_reference.external_references,
    ) {
        (Some(id), _) => (id.to_string(), None),
        (None, Some(m)) => m
            .iter()
            .next()
            .map(|(k, v)| (v.clone(), Some(k.clone())))
            .unwrap_or_default(),
        (None, None) => (String::new(), None),
    };
    UsageRow {
        kind: u.activity_usage_kind.as_str().to_string(),
        reference,
        reference_name,
        from: u.from.format("%Y-%m-%d").to_string(),
        until: date_text(u.until),
    }
}

fn restriction_row(r: &Restriction) -> RestrictionRow {
    RestrictionRow {
        level: r.level,
        ids: r
            .activity_definitions
            .iter()
            .filter_map(|d| d.id.clone())
            .collect(),
    }
}

fn refused(message: &str, reasons: Vec<String>) -> AppError {
    AppError {
        code: ErrorCode::Validation,
        message: message.to_string(),
        reasons,
    }
}

/// What a definition is checked against before a write.
pub struct CheckContext<'a> {
    pub level: u32,
    /// The definitions already on this structure version and level.
    pub siblings: &'a [ActivityDefinition],
    /// The definition being edited (excluded from the uniqueness check).
    pub editing: Option<&'a str>,
    /// Creating: a parent is required below the first level.
    pub creating: bool,
}

/// Checks a form and turns it into the body Protime expects, or lists every reason it would be refused.
pub fn check_form(
    form: &DefinitionForm,
    ctx: &CheckContext,
) -> Result<ActivityDefinitionInput, AppError> {
    let mut reasons = Vec::new();
    let name = form.name.trim();
    if name.is_empty() {
        reasons.push("The name is required".to_string());
    }
    let dec = non_empty(&form.data_entry_code);
    let ext = non_empty(&form.external_reference);
    for (what, v) in [("data entry code", &dec), ("external reference", &ext)] {
        if let Some(v) = v {
            let n = v.chars().count();
            if n > MAX_CODE {
                reasons.push(format!(
                    "The {what} '{v}' has {n} characters; at most {MAX_CODE} are allowed"
                ));
            }
        }
    }
    let from = parse_date("Active from", &form.active_from).map_err(|e| reasons.push(e));
    let until = parse_date("Active until", &form.active_until).map_err(|e| reasons.push(e));
    if let (Ok(Some(a)), Ok(Some(b))) = (&from, &until) {
        if b < a {
            reasons.push(format!(
                "'Active until' ({b}) is before 'active from' ({a}); it must be the same day or later"
            ));
        }
    }
    for d in ctx
        .siblings
        .iter()
        .filter(|d| Some(d.id.as_str()) != ctx.editing)
    {
        if dec.is_some() && d.data_entry_code == dec {
            reasons.push(format!(
                "The data entry code '{}' is already used by '{}' on this level",
                dec.as_deref().unwrap_or_default(),
                d.name.default
            ));
        }
        if ext.is_some() && d.external_reference == ext {
            reasons.push(format!(
                "The external reference '{}' is already used by '{}' on this level",
                ext.as_deref().unwrap_or_default(),
                d.name.default
            ));
        }
    }
    let parent = non_empty(&form.parent_id);
    if ctx.creating {
        if ctx.level > 1 && parent.is_none() {
            reasons.push(format!(
                "A definition on level {} needs a parent from level {}",
                ctx.level,
                ctx.level - 1
            ));
        }
        if ctx.level <= 1 && parent.is_some() {
            reasons.push("A definition on the first level cannot have a parent".to_string());
        }
    }
    if !reasons.is_empty() {
        return Err(refused(
            "The definition cannot be saved; Protime would refuse it",
            reasons,
        ));
    }
    let translations = form
        .translations
        .iter()
        .filter_map(|(k, v)| Some((k.trim().to_string(), non_empty(v)?)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    Ok(ActivityDefinitionInput {
        name: LocalizedText {
            default: name.to_string(),
            translations,
        },
        parent: parent.map(Ref::id),
        short_code: non_empty(&form.short_code),
        data_entry_code: dec,
        external_reference: ext,
        info: non_empty(&form.info),
        active_from: from.ok().flatten(),
        active_until: until.ok().flatten(),
    })
}

/// The fields an edit changes, in form order.
pub fn diff(before: &DefinitionForm, after: &DefinitionForm) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, a: &str, b: &str| {
        if a.trim() != b.trim() {
            out.push(FieldChange {
                field: field.to_string(),
                before: a.trim().to_string(),
                after: b.trim().to_string(),
            });
        }
    };
    push("name", &before.name, &after.name);
    let langs: BTreeSet<&String> = before
        .translations
        .keys()
        .chain(after.translations.keys())
        .collect();
    for l in langs {
        push(
            &format!("name_{l}"),
            before.translations.get(l).map(String::as_str).unwrap_or(""),
            after.translations.get(l).map(String::as_str).unwrap_or(""),
        );
    }
    push("shortCode", &before.short_code, &after.short_code);
    push(
        "dataEntryCode",
        &before.data_entry_code,
        &after.data_entry_code,
    );
    push(
        "externalReference",
        &before.external_reference,
        &after.external_reference,
    );
    push("info", &before.info, &after.info);
    push("activeFrom", &before.active_from, &after.active_from);
    push("activeUntil", &before.active_until, &after.active_until);
    out
}

/// What saving `proposed` changes compared with `current`, per level (levels without change left out).
pub fn restriction_changes(
    current: &[RestrictionRow],
    proposed: &[RestrictionRow],
) -> Vec<RestrictionChange> {
    let set = |rows: &[RestrictionRow], level: u32| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r.level == level)
            .flat_map(|r| r.ids.iter().cloned())
            .collect()
    };
    let levels: BTreeSet<u32> = current.iter().chain(proposed).map(|r| r.level).collect();
    levels
        .into_iter()
        .filter_map(|level| {
            let (a, b) = (set(current, level), set(proposed, level));
            let added: Vec<String> = b.difference(&a).cloned().collect();
            let removed: Vec<String> = a.difference(&b).cloned().collect();
            (!added.is_empty() || !removed.is_empty()).then_some(RestrictionChange {
                level,
                added,
                removed,
            })
        })
        .collect()
}

fn usage_kind(s: &str) -> Result<UsageKind, String> {
    match s.trim() {
        "Person" => Ok(UsageKind::Person),
        "Group" => Ok(UsageKind::Group),
        "Circle" => Ok(UsageKind::Circle),
        other => Err(format!(
            "The kind '{other}' must be Person, Group or Circle"
        )),
    }
}

fn usage_reference(reference: &str, reference_name: Option<&str>) -> Result<Ref<i64>, String> {
    let value = reference.trim();
    if value.is_empty() {
        return Err("The reference (who the usage is for) is required".into());
    }
    match reference_name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => Ok(Ref::external(name, value)),
        None => value.parse::<i64>().map(Ref::id).map_err(|_| {
            format!("'{value}' is not an id; give the name of the external reference it is")
        }),
    }
}

/// Turns the form into a usage, or lists why not.
pub fn usage_of(form: &UsageForm) -> Result<Usage, AppError> {
    let mut reasons = Vec::new();
    let kind = usage_kind(&form.kind).map_err(|e| reasons.push(e));
    let reference =
        usage_reference(&form.reference, Some(&form.reference_name)).map_err(|e| reasons.push(e));
    let from = match parse_date("From", &form.from) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            reasons.push("From is required".into());
            None
        }
        Err(e) => {
            reasons.push(e);
            None
        }
    };
    let until = parse_date("Until", &form.until).map_err(|e| reasons.push(e));
    if let (Some(a), Ok(Some(b))) = (from, &until) {
        if *b < a {
            reasons.push(format!("Until ({b}) is before from ({a})"));
        }
    }
    match (kind, reference, from, until) {
        (Ok(kind), Ok(reference), Some(from), Ok(until)) if reasons.is_empty() => Ok(Usage {
            activity_usage_kind: kind,
            usage_reference: reference,
            from,
            until,
        }),
        _ => Err(refused("The usage cannot be saved", reasons)),
    }
}

/// The stored usage a table row stands for.
pub fn usage_of_row(row: &UsageRow) -> Result<Usage, AppError> {
    usage_of(&UsageForm {
        kind: row.kind.clone(),
        reference: row.reference.clone(),
        reference_name: row.reference_name.clone().unwrap_or_default(),
        from: row.from.clone(),
        until: row.until.clone().unwrap_or_default(),
    })
}

/// Two usages for the same kind and reference whose periods share at least one day.
pub fn overlaps(a: &Usage, b: &Usage) -> bool {
    a.activity_usage_kind == b.activity_usage_kind
        && a.usage_reference == b.usage_reference
        && a.until.is_none_or(|au| b.from <= au)
        && b.until.is_none_or(|bu| a.from <= bu)
}

fn overlap_error(new: &Usage, with: &Usage) -> AppError {
    let r = usage_row(with);
    refused(
        "The usage overlaps an existing one; adjust or delete the existing usage first",
        vec![format!(
            "{} {} already has a usage from {} until {} which covers part of {} – {}",
            r.kind,
            r.reference,
            r.from,
            r.until.unwrap_or_else(|| "open end".into()),
            new.from,
            date_text(new.until).unwrap_or_else(|| "open end".into()),
        )],
    )
}

/// The definition maintenance service on one Protime client.
pub struct Admin<'a> {
    pub client: &'a ProtimeClient,
    pub audit: Option<Audit<'a>>,
    /// How long to wait after an uncertain write before a read-back is trusted, and between the two
    /// read-backs: at least the client's request timeout (see [`readback`]).
    pub quiet_period: std::time::Duration,
}

fn path_of(at: &LevelPath, def: Option<&DefinitionRef>, tail: &str) -> String {
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

fn body_text<T: Serialize>(b: &T) -> String {
    serde_json::to_string(b).unwrap_or_default()
}

fn opt(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parent_of(d: &ActivityDefinition) -> Option<&str> {
    d.parent.as_ref().and_then(|p| p.id.as_deref())
}

/// A definition a create just sent: the same external reference; without one the same data entry
/// code (both are unique on the level); without either the same name, parent and short code.
fn same_created(d: &ActivityDefinition, input: &ActivityDefinitionInput) -> bool {
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
fn shows(d: &ActivityDefinition, input: &ActivityDefinitionInput) -> bool {
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
                .map(restriction_row)
                .collect(),
        })
    }

    async fn stored(&self, at: &LevelPath, id: &str) -> Result<ActivityDefinition, AppError> {
        Ok(self
            .client
            .activity_definition(at, &DefinitionRef::Id(id.to_string()), false)
            .await?)
    }

    /// `POST`: checks the form against the level and creates the definition; returns its id (also
    /// when the definition was found already saved by an earlier, unanswered send).
    pub async fn create(&self, at: &LevelPath, form: &DefinitionForm) -> Result<String, AppError> {
        Ok(self.create_outcome(at, form).await?.value)
    }

    /// [`Admin::create`], saying how the definition got there: sent, found after an uncertain send,
    /// sent again after two read-backs found nothing, or already there (nothing sent).
    pub async fn create_outcome(
        &self,
        at: &LevelPath,
        form: &DefinitionForm,
    ) -> Result<Written<String>, WriteFailed> {
        let siblings = self.raw_list(at).await?;
        if let Some(found) = self.already_there(at, form, &siblings) {
            return Ok(found);
        }
        let input = check_form(
            form,
            &CheckContext {
                level: at.level,
                siblings: &siblings,
                editing: None,
                creating: true,
            },
        )?;
        self.post("Create activity definition", at, &input, &siblings)
            .await
    }

    /// Read back before any create: when the level already holds the definition the user means (same
    /// name and parent, and the same external reference; without one the same data entry code;
    /// without either the same short code), an earlier send that went unanswered saved it. Nothing
    /// is sent; the audit log says so. Without any of the three codes nothing identifies it, and the
    /// create goes ahead.
    fn already_there(
        &self,
        at: &LevelPath,
        form: &DefinitionForm,
        siblings: &[ActivityDefinition],
    ) -> Option<Written<String>> {
        let name = form.name.trim();
        let parent = non_empty(&form.parent_id);
        let ext = non_empty(&form.external_reference);
        let dec = non_empty(&form.data_entry_code);
        let short = non_empty(&form.short_code);
        if name.is_empty() || (ext.is_none() && dec.is_none() && short.is_none()) {
            return None;
        }
        let found = siblings.iter().find(|d| {
            d.name.default.trim() == name
                && parent_of(d) == parent.as_deref()
                && match (&ext, &dec) {
                    (Some(e), _) => opt(&d.external_reference) == Some(e.as_str()),
                    (None, Some(c)) => {
                        opt(&d.external_reference).is_none()
                            && opt(&d.data_entry_code) == Some(c.as_str())
                    }
                    (None, None) => {
                        opt(&d.external_reference).is_none()
                            && opt(&d.short_code) == short.as_deref()
                    }
                }
        })?;
        self.audit_row(
            "Create activity definition",
            &format!("POST {} {} (not sent)", path_of(at, None, ""), body_text(form)),
            "Created",
            Some(&found.id),
            Some("already in Protime with the same name, parent and external reference (or data entry code, or short code), saved by an earlier send; not sent again"),
        );
        Some(Written {
            value: found.id.clone(),
            how: How::AlreadyThere,
        })
    }

    async fn post(
        &self,
        action: &str,
        at: &LevelPath,
        input: &ActivityDefinitionInput,
        siblings: &[ActivityDefinition],
    ) -> Result<Written<String>, WriteFailed> {
        let before: BTreeSet<String> = siblings.iter().map(|d| d.id.clone()).collect();
        let (this, before) = (self, &before);
        self.send_checked(
            WriteSpec {
                action,
                request: format!("POST {} {}", path_of(at, None, ""), body_text(input)),
                remote_id: None,
                found_text: "found in Protime",
            },
            |id: &String| ("Created", Some(id.clone())),
            move || this.client.create_activity_definition(at, input),
            // Ours: on the level now, not before the send, and the same definition.
            move || async move {
                Ok::<_, AppError>(
                    this.raw_list(at)
                        .await?
                        .into_iter()
                        .find(|d| !before.contains(&d.id) && same_created(d, input))
                        .map(|d| d.id),
                )
            },
        )
        .await
    }

    /// `PUT` by id or reference. `existing` is the stored definition when there is one (then the PUT
    /// updates; otherwise a PUT by reference creates). After an uncertain send the definition is read
    /// back and the write counts as done when it shows what was sent.
    pub(crate) async fn put(
        &self,
        action: &str,
        at: &LevelPath,
        def: &DefinitionRef,
        input: &ActivityDefinitionInput,
        existing: Option<&ActivityDefinition>,
    ) -> Result<Written<Upserted>, WriteFailed> {
        let remote_id = match def {
            DefinitionRef::Id(id) => Some(id.clone()),
            DefinitionRef::External { .. } => existing.map(|d| d.id.clone()),
        };
        let (this, was_there) = (self, existing.is_some());
        self.send_checked(
            WriteSpec {
                action,
                request: format!("PUT {} {}", path_of(at, Some(def), ""), body_text(input)),
                remote_id: remote_id.as_deref(),
                found_text: if was_there {
                    "the change is visible in Protime"
                } else {
                    "found in Protime"
                },
            },
            |u: &Upserted| match u {
                Upserted::Created { id } => ("Created", id.clone()),
                Upserted::Updated => ("Updated", None),
            },
            move || this.client.put_activity_definition(at, def, input),
            move || async move {
                match this.client.activity_definition(at, def, false).await {
                    Ok(d) if shows(&d, input) => Ok(Some(if was_there {
                        Upserted::Updated
                    } else {
                        Upserted::Created { id: Some(d.id) }
                    })),
                    Ok(_) => Ok(None),
                    Err(e) if e.kind == timebridge_protime::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(AppError::from(e)),
                }
            },
        )
        .await
    }

    /// Checks an edit and returns what it changes, without saving.
    pub async fn edit_preview(
        &self,
        at: &LevelPath,
        id: &str,
        form: &DefinitionForm,
    ) -> Result<Vec<FieldChange>, AppError> {
        let stored = self.stored(at, id).await?;
        let siblings = self.raw_list(at).await?;
        check_edit(&stored, form, at.level, &siblings)?;
        Ok(diff(&form_of(&stored), form))
    }

    /// `PUT` by internal id with the full record (fields left out would be cleared); the stored parent
    /// is sent unchanged. Returns the changes made.
    pub async fn edit(
        &self,
        at: &LevelPath,
        id: &str,
        form: &DefinitionForm,
    ) -> Result<Vec<FieldChange>, AppError> {
        let stored = self.stored(at, id).await?;
        let siblings = self.raw_list(at).await?;
        let input = check_edit(&stored, form, at.level, &siblings)?;
        let changes = diff(&form_of(&stored), form);
        self.put(
            "Edit activity definition",
            at,
            &DefinitionRef::Id(id.to_string()),
            &input,
            Some(&stored),
        )
        .await?;
        Ok(changes)
    }

    /// `PUT` by external reference (`@external-reference`, `@data-entry-code` or a custom name):
    /// updates the definition that has it, or creates one (with the form's parent).
    pub async fn upsert(
        &self,
        at: &LevelPath,
        reference_name: &str,
        reference_value: &str,
        form: &DefinitionForm,
    ) -> Result<UpsertOutcome, AppError> {
        let (name, value) = (reference_name.trim(), reference_value.trim());
        if name.is_empty() || value.is_empty() {
            return Err(AppError::validation(
                "An upsert needs the reference name and its value",
            ));
        }
        let def = DefinitionRef::External {
            name: name.to_string(),
            value: value.to_string(),
        };
        let existing = match self.client.activity_definition(at, &def, false).await {
            Ok(d) => Some(d),
            Err(e) if e.kind == timebridge_protime::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let mut form = form.clone();
        match name {
            "@external-reference" if form.external_reference.trim().is_empty() => {
                form.external_reference = value.to_string()
            }
            "@data-entry-code" if form.data_entry_code.trim().is_empty() => {
                form.data_entry_code = value.to_string()
            }
            _ => {}
        }
        let siblings = self.raw_list(at).await?;
        let input = match &existing {
            Some(stored) => check_edit(stored, &form, at.level, &siblings)?,
            None => check_form(
                &form,
                &CheckContext {
                    level: at.level,
                    siblings: &siblings,
                    editing: None,
                    creating: true,
                },
            )?,
        };
        let done = self
            .put(
                "Upsert activity definition",
                at,
                &def,
                &input,
                existing.as_ref(),
            )
            .await?;
        Ok(match done.value {
            Upserted::Created { id } => UpsertOutcome { created: true, id },
            Upserted::Updated => UpsertOutcome {
                created: false,
                id: existing.map(|d| d.id),
            },
        })
    }

    /// Ends a definition on `until` (the API has no delete): the full record is sent with
    /// `activeUntil` set, so nothing else changes.
    pub async fn deactivate(
        &self,
        at: &LevelPath,
        id: &str,
        until: &str,
    ) -> Result<Vec<FieldChange>, AppError> {
        let stored = self.stored(at, id).await?;
        if non_empty(until).is_none() {
            return Err(AppError::validation(
                "Give the last day the definition may be used",
            ));
        }
        let mut form = form_of(&stored);
        form.active_until = until.trim().to_string();
        let siblings = self.raw_list(at).await?;
        let input = check_edit(&stored, &form, at.level, &siblings)?;
        let changes = diff(&form_of(&stored), &form);
        self.put(
            "Deactivate activity definition",
            at,
            &DefinitionRef::Id(id.to_string()),
            &input,
            Some(&stored),
        )
        .await?;
        Ok(changes)
    }

    /// The guided "move": the parent can only be set at creation, so a new definition is created
    /// under `form.parent_id` (active from the day after `end_old_on` unless the form says otherwise),
    /// then the old one is ended on `end_old_on`. The new definition needs codes of its own: the old
    /// one keeps its data entry code and external reference.
    pub async fn move_definition(
        &self,
        at: &LevelPath,
        id: &str,
        end_old_on: &str,
        form: &DefinitionForm,
    ) -> Result<MoveOutcome, AppError> {
        let stored = self.stored(at, id).await?;
        let end = match parse_date("End of the old definition", end_old_on) {
            Ok(Some(d)) => d,
            Ok(None) => {
                return Err(AppError::validation(
                    "Give the last day of the old definition",
                ))
            }
            Err(e) => return Err(refused("The move cannot start", vec![e])),
        };
        let old_parent = stored.parent.as_ref().and_then(|p| p.id.clone());
        if non_empty(&form.parent_id).is_none() || non_empty(&form.parent_id) == old_parent {
            return Err(refused(
                "The move cannot start",
                vec!["Choose a different parent for the new definition".into()],
            ));
        }
        let mut ended = form_of(&stored);
        ended.active_until = end.format("%Y-%m-%d").to_string();
        let siblings = self.raw_list(at).await?;
        let end_input = check_edit(&stored, &ended, at.level, &siblings)?;
        let mut new_form = form.clone();
        if new_form.active_from.trim().is_empty() {
            let next = end.checked_add_days(Days::new(1)).ok_or_else(|| {
                refused(
                    "The move cannot start",
                    vec![format!(
                        "{end} has no following day; give the new definition's 'active from'"
                    )],
                )
            })?;
            new_form.active_from = next.format("%Y-%m-%d").to_string();
        }
        // A move tried before whose create went unanswered may have created the new definition.
        let new_id = match self.already_there(at, &new_form, &siblings) {
            Some(found) => found.value,
            None => {
                let new_input = check_form(
                    &new_form,
                    &CheckContext {
                        level: at.level,
                        siblings: &siblings,
                        editing: None,
                        creating: true,
                    },
                )
                .map_err(|mut e| {
                    e.message = "The new definition cannot be created; the old one keeps its data entry code and external reference, so give the new one codes of its own".into();
                    e
                })?;
                self.post("Create activity definition", at, &new_input, &siblings)
                    .await?
                    .value
            }
        };
        self.put(
            "Move activity definition (end the old one)",
            at,
            &DefinitionRef::Id(id.to_string()),
            &end_input,
            Some(&stored),
        )
        .await
        .map_err(|f| {
            let mut e = f.error;
            let what = if f.uncertain {
                "ending the old one was not confirmed"
            } else {
                "the old one could not be ended"
            };
            e.message = format!(
                "The new definition {new_id} was created, but {what}: {}",
                e.message
            );
            e
        })?;
        Ok(MoveOutcome {
            new_id,
            ended_on: ended.active_until,
        })
    }

    // ------------------------------------------------------------------ usages

    pub async fn usages(&self, at: &LevelPath, id: &str) -> Result<Vec<UsageRow>, AppError> {
        Ok(self
            .client
            .usages(at, &DefinitionRef::Id(id.to_string()))
            .await?
            .usages
            .iter()
            .map(usage_row)
            .collect())
    }

    async fn stored_usages(&self, at: &LevelPath, id: &str) -> Result<Vec<Usage>, AppError> {
        Ok(self
            .client
            .usages(at, &DefinitionRef::Id(id.to_string()))
            .await?
            .usages)
    }

    /// `POST` a usage after checking it overlaps no usage of the same kind and reference.
    pub async fn add_usage(
        &self,
        at: &LevelPath,
        id: &str,
        form: &UsageForm,
    ) -> Result<Vec<UsageRow>, AppError> {
        let new = usage_of(form)?;
        let current = self.stored_usages(at, id).await?;
        let def = DefinitionRef::Id(id.to_string());
        let request = format!(
            "POST {} {}",
            path_of(at, Some(&def), "/usages"),
            body_text(&new)
        );
        // Read back before posting: a POST adds a usage each time it lands.
        if current.contains(&new) {
            self.audit_row(
                "Add activity usage",
                &format!("{request} (not sent)"),
                "Created",
                Some(id),
                Some("this usage is already stored in Protime, saved by an earlier send; not sent again"),
            );
            return self.usages(at, id).await;
        }
        if let Some(c) = current.iter().find(|c| overlaps(c, &new)) {
            return Err(overlap_error(&new, c));
        }
        let (this, def, new) = (self, &def, &new);
        self.send_checked(
            WriteSpec {
                action: "Add activity usage",
                request,
                remote_id: Some(id),
                found_text: "found in Protime",
            },
            |_: &()| ("Created", None),
            move || this.client.add_usage(at, def, new),
            move || async move {
                Ok::<_, AppError>(
                    this.stored_usages(at, id)
                        .await?
                        .contains(new)
                        .then_some(()),
                )
            },
        )
        .await?;
        self.usages(at, id).await
    }

    /// `PUT` a usage: `originalFrom`/`originalUntil` from the stored row, `updatedFrom`/`updatedUntil`
    /// from the form (kind and reference cannot change; delete and add instead).
    pub async fn update_usage(
        &self,
        at: &LevelPath,
        id: &str,
        original: &UsageRow,
        form: &UsageForm,
    ) -> Result<Vec<UsageRow>, AppError> {
        let old = usage_of_row(original)?;
        let new = usage_of(form)?;
        if new.activity_usage_kind != old.activity_usage_kind
            || new.usage_reference != old.usage_reference
        {
            return Err(refused(
                "The usage cannot be changed this way",
                vec![
                    "Kind and reference of a usage cannot change; delete it and add a new one"
                        .into(),
                ],
            ));
        }
        let current = self.stored_usages(at, id).await?;
        if !current.contains(&old) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "This usage is no longer stored as shown; reload the usages",
            ));
        }
        if let Some(c) = current.iter().find(|c| **c != old && overlaps(c, &new)) {
            return Err(overlap_error(&new, c));
        }
        let update = UsageUpdate {
            activity_usage_kind: old.activity_usage_kind.clone(),
            usage_reference: old.usage_reference.clone(),
            original_from: old.from,
            original_until: old.until,
            updated_from: new.from,
            updated_until: new.until,
        };
        let def = DefinitionRef::Id(id.to_string());
        let (this, def_ref, update_ref, old_ref, new_ref) = (self, &def, &update, &old, &new);
        self.send_checked(
            WriteSpec {
                action: "Edit activity usage",
                request: format!(
                    "PUT {} {}",
                    path_of(at, Some(&def), "/usages"),
                    body_text(&update)
                ),
                remote_id: Some(id),
                found_text: "the change is visible in Protime",
            },
            |_: &()| ("Updated", None),
            move || this.client.update_usage(at, def_ref, update_ref),
            move || async move {
                let now = this.stored_usages(at, id).await?;
                Ok::<_, AppError>(
                    (now.contains(new_ref) && (old_ref == new_ref || !now.contains(old_ref)))
                        .then_some(()),
                )
            },
        )
        .await?;
        self.usages(at, id).await
    }

    /// `DELETE` a usage (the usage as JSON body).
    pub async fn delete_usage(
        &self,
        at: &LevelPath,
        id: &str,
        original: &UsageRow,
    ) -> Result<Vec<UsageRow>, AppError> {
        let old = usage_of_row(original)?;
        let def = DefinitionRef::Id(id.to_string());
        let (this, def_ref, old_ref) = (self, &def, &old);
        self.send_checked(
            WriteSpec {
                action: "Delete activity usage",
                request: format!(
                    "DELETE {} {}",
                    path_of(at, Some(&def), "/usages"),
                    body_text(&old)
                ),
                remote_id: Some(id),
                found_text: "the usage is gone from Protime",
            },
            |_: &()| ("Deleted", None),
            move || this.client.delete_usage(at, def_ref, old_ref),
            move || async move {
                Ok::<_, AppError>(
                    (!this.stored_usages(at, id).await?.contains(old_ref)).then_some(()),
                )
            },
        )
        .await?;
        self.usages(at, id).await
    }

    // ------------------------------------------------------------ restrictions

    pub async fn restrictions(
        &self,
        at: &LevelPath,
        id: &str,
    ) -> Result<Vec<RestrictionRow>, AppError> {
        Ok(self
            .client
            .restrictions(at, &DefinitionRef::Id(id.to_string()))
            .await?
            .restrictions
            .iter()
            .map(restriction_row)
            .collect())
    }

    async fn check_restrictions(
        &self,
        at: &LevelPath,
        levels: &[u32],
        proposed: &[RestrictionRow],
    ) -> Result<(), AppError> {
        let mut reasons = Vec::new();
        for r in proposed {
            if r.level == at.level {
                reasons.push(format!(
                    "Restrictions are set on other levels, not on the definition's own level {}",
                    r.level
                ));
                continue;
            }
            if !levels.contains(&r.level) {
                reasons.push(format!("Level {} is not part of this structure", r.level));
                continue;
            }
            let known: BTreeSet<String> = self
                .raw_list(&LevelPath::new(&at.structure_version, r.level))
                .await?
                .into_iter()
                .map(|d| d.id)
                .collect();
            for id in &r.ids {
                if !known.contains(id) {
                    reasons.push(format!("No definition {id} on level {}", r.level));
                }
            }
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(refused("The restrictions cannot be saved", reasons))
        }
    }

    /// Checks a restriction set and says what saving it would change, without saving.
    pub async fn restrictions_preview(
        &self,
        at: &LevelPath,
        id: &str,
        levels: &[u32],
        proposed: &[RestrictionRow],
    ) -> Result<Vec<RestrictionChange>, AppError> {
        self.check_restrictions(at, levels, proposed).await?;
        let current = self.restrictions(at, id).await?;
        Ok(restriction_changes(&current, proposed))
    }

    /// `PUT` of the full restriction set (levels with no definitions are left out). Returns what changed.
    pub async fn set_restrictions(
        &self,
        at: &LevelPath,
        id: &str,
        levels: &[u32],
        proposed: &[RestrictionRow],
    ) -> Result<Vec<RestrictionChange>, AppError> {
        self.check_restrictions(at, levels, proposed).await?;
        let current = self.restrictions(at, id).await?;
        let body: Vec<Restriction> = proposed
            .iter()
            .filter(|r| !r.ids.is_empty())
            .map(|r| Restriction {
                level: r.level,
                activity_definitions: r.ids.iter().cloned().map(Ref::id).collect(),
            })
            .collect();
        let def = DefinitionRef::Id(id.to_string());
        let (this, def_ref, body_ref) = (self, &def, &body);
        self.send_checked(
            WriteSpec {
                action: "Set activity restrictions",
                request: format!(
                    "PUT {} {}",
                    path_of(at, Some(&def), "/restrictions"),
                    body_text(&body)
                ),
                remote_id: Some(id),
                found_text: "the restrictions are visible in Protime",
            },
            |_: &()| ("Updated", None),
            move || this.client.set_restrictions(at, def_ref, body_ref),
            move || async move {
                let now = this.restrictions(at, id).await?;
                Ok::<_, AppError>(restriction_changes(&now, proposed).is_empty().then_some(()))
            },
        )
        .await?;
        Ok(restriction_changes(&current, proposed))
    }
}

/// Checks an edit of `stored`: the full form, and the parent unchanged (it can only be set at creation).
/// The stored parent is sent along (Protime may require it on PUT).
pub fn check_edit(
    stored: &ActivityDefinition,
    form: &DefinitionForm,
    level: u32,
    siblings: &[ActivityDefinition],
) -> Result<ActivityDefinitionInput, AppError> {
    let stored_parent = stored.parent.as_ref().and_then(|p| p.id.clone());
    let given = non_empty(&form.parent_id);
    if given.is_some() && given != stored_parent {
        return Err(refused(
            "The parent cannot be changed",
            vec!["The parent can only be set when a definition is created; use Move to end this definition and create one under the new parent".into()],
        ));
    }
    let mut input = check_form(
        form,
        &CheckContext {
            level,
            siblings,
            editing: Some(&stored.id),
            creating: false,
        },
    )?;
    input.parent = stored_parent.map(Ref::id);
    Ok(input)
}

/// Orders per-level rows (top level first) as a depth-first tree.
pub fn build_tree(per_level: &[Vec<DefinitionRow>]) -> Vec<TreeRow> {
    fn walk(
        per_level: &[Vec<DefinitionRow>],
        depth: usize,
        parent: Option<&str>,
        out: &mut Vec<TreeRow>,
        placed: &mut BTreeSet<String>,
    ) {
        let Some(rows) = per_level.get(depth) else {
            return;
        };
        for r in rows
            .iter()
            .filter(|r| parent.is_none() || r.parent_id.as_deref() == parent)
        {
            if !placed.insert(r.id.clone()) {
                continue;
            }
            out.push(TreeRow {
                depth: depth as u32,
                row: r.clone(),
            });
            walk(per_level, depth + 1, Some(&r.id), out, placed);
        }
    }
    let mut out = Vec::new();
    let mut placed = BTreeSet::new();
    walk(per_level, 0, None, &mut out, &mut placed);
    for (depth, rows) in per_level.iter().enumerate() {
        for r in rows {
            if !placed.contains(&r.id) {
                placed.insert(r.id.clone());
                out.push(TreeRow {
                    depth: depth as u32,
                    row: r.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
