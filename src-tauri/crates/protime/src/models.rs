//! Typed models of the Protime API resources. Unknown fields are ignored; every field the spec does not
//! mark as always present is optional; enumerations keep values they do not know as `Other(String)`.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// One page of a list answer: `{"value":[...],"nextLink":...}` (plus `deltaLink` on delta feeds).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default)]
    pub next_link: Option<String>,
    #[serde(default)]
    pub delta_link: Option<String>,
}

/// A string enumeration that keeps unknown values.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)*
            /// A value this version does not know.
            Other(String),
        }
        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                    $name::Other(s) => s.as_str(),
                }
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $(stringify!($variant) => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
    };
}

string_enum!(
    /// Kind of a clocking.
    ClockingKind { InOut, Reason, Activity, ActivityEnd }
);
string_enum!(
    /// Status of a clocking; soft-deleted clockings stay with `Deleted`.
    ClockingStatus { Unknown, Active, Deleted }
);
string_enum!(
    /// Result of an access attempt. `UnknownBadge` is the older spelling of `UnknownBadgeNumber`.
    AccessStatus { AccessOk, AccessRefused, WrongPinCode, AlarmCode, AntiPassbackError, OutZone, UnknownBadgeNumber, UnknownBadge }
);
string_enum!(
    /// Who an activity usage applies to.
    UsageKind { Person, Group, Circle }
);
string_enum!(
    /// Kind of a delta change.
    ChangeType { InsertOrUpdate, Delete }
);

impl AccessStatus {
    /// Either spelling of "badge unknown at the time of clocking".
    pub fn is_unknown_badge(&self) -> bool {
        matches!(
            self,
            AccessStatus::UnknownBadgeNumber | AccessStatus::UnknownBadge
        )
    }
}

/// A reference to another resource: the internal `id`, and/or external references
/// (`{"@badge-number":"1955"}`). In requests give one of them; responses carry the id and, when
/// requested with `?externalReferences=`, the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ref<I> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<I>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_references: Option<BTreeMap<String, String>>,
}

impl<I> Ref<I> {
    pub fn id(id: I) -> Self {
        Self {
            id: Some(id),
            external_references: None,
        }
    }
    /// By one external reference, e.g. `Ref::external("@badge-number", "1955")`.
    pub fn external(name: &str, value: &str) -> Self {
        let mut m = BTreeMap::new();
        m.insert(name.to_string(), value.to_string());
        Self {
            id: None,
            external_references: Some(m),
        }
    }
    /// The value of one external reference in a response.
    pub fn external_reference(&self, name: &str) -> Option<&str> {
        self.external_references
            .as_ref()
            .and_then(|m| m.get(name))
            .map(String::as_str)
    }
}

/// Numbers that some documented examples send as strings (`"longitude": "51.144127"`).
fn number_or_string<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N {
        F(f64),
        S(String),
    }
    match N::deserialize(d)? {
        N::F(f) => Ok(f),
        N::S(s) => s.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// Dates that may come as `""` (no date).
fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Geolocation {
    #[serde(deserialize_with = "number_or_string")]
    pub longitude: f64,
    #[serde(deserialize_with = "number_or_string", alias = "lattitude")]
    pub latitude: f64,
}

/// `{"level": 1, "activityDefinition": {"id": "<guid>"}}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityLevel {
    pub level: u32,
    pub activity_definition: Ref<String>,
}

/// A clocking (`clockings` collection, spec 4.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Clocking {
    pub id: i64,
    #[serde(default)]
    pub change_version: Option<String>,
    pub person: Ref<i64>,
    pub date: NaiveDate,
    pub time_of_day_in_minutes: i32,
    #[serde(default)]
    pub original_time_of_day_in_minutes: Option<i32>,
    #[serde(default)]
    pub calculated_time_of_day_in_minutes: Option<i32>,
    #[serde(default)]
    pub is_generated: Option<bool>,
    #[serde(default)]
    pub terminal: Option<Ref<i64>>,
    #[serde(default)]
    pub geolocation: Option<Geolocation>,
    pub kind: ClockingKind,
    #[serde(default)]
    pub reason: Option<Ref<i64>>,
    #[serde(default)]
    pub is_open: Option<bool>,
    #[serde(default)]
    pub activity_levels: Vec<ActivityLevel>,
    #[serde(default)]
    pub status: Option<ClockingStatus>,
}

/// The lowest `timeOfDayInMinutes` Protime accepts: midnight at the start of the previous day.
pub const MIN_TIME_OF_DAY_IN_MINUTES: i32 = -1440;
/// The highest: midnight at the end of the next day (24:00 on the next day).
pub const MAX_TIME_OF_DAY_IN_MINUTES: i32 = 2880;

/// Body of `POST /clockings`. Build with [`NewClocking::in_out`] and friends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewClocking {
    pub person: Ref<i64>,
    pub date: NaiveDate,
    /// -1440 … 2880 (previous day … next day).
    pub time_of_day_in_minutes: i32,
    pub kind: ClockingKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<Ref<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geolocation: Option<Geolocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Ref<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_open: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity_levels: Vec<ActivityLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ClockingStatus>,
}

impl NewClocking {
    fn base(person: Ref<i64>, date: NaiveDate, minutes: i32, kind: ClockingKind) -> Self {
        Self {
            person,
            date,
            time_of_day_in_minutes: minutes,
            kind,
            terminal: None,
            geolocation: None,
            reason: None,
            is_open: None,
            activity_levels: Vec::new(),
            status: None,
        }
    }
    pub fn in_out(person: Ref<i64>, date: NaiveDate, minutes: i32) -> Self {
        Self::base(person, date, minutes, ClockingKind::InOut)
    }
    pub fn reason(person: Ref<i64>, date: NaiveDate, minutes: i32, reason: Ref<i64>) -> Self {
        Self {
            reason: Some(reason),
            ..Self::base(person, date, minutes, ClockingKind::Reason)
        }
    }
    pub fn activity(
        person: Ref<i64>,
        date: NaiveDate,
        minutes: i32,
        levels: Vec<ActivityLevel>,
    ) -> Self {
        Self {
            activity_levels: levels,
            ..Self::base(person, date, minutes, ClockingKind::Activity)
        }
    }
    pub fn activity_end(person: Ref<i64>, date: NaiveDate, minutes: i32) -> Self {
        Self::base(person, date, minutes, ClockingKind::ActivityEnd)
    }

    /// Client-side checks before sending; the messages say what to fix.
    pub fn validate(&self) -> Result<(), String> {
        if !(MIN_TIME_OF_DAY_IN_MINUTES..=MAX_TIME_OF_DAY_IN_MINUTES)
            .contains(&self.time_of_day_in_minutes)
        {
            return Err(format!(
                "The time {} is out of range: use minutes from -1440 (previous day) to 2880 (next day)",
                self.time_of_day_in_minutes
            ));
        }
        if self.person.id.is_none()
            && self
                .person
                .external_references
                .as_ref()
                .is_none_or(|m| m.is_empty())
        {
            return Err(
                "Choose a person (by id or by an external reference such as the badge number)"
                    .into(),
            );
        }
        match self.kind {
            ClockingKind::Reason if self.reason.is_none() => {
                Err("A Reason clocking needs a reason".into())
            }
            ClockingKind::Activity if self.activity_levels.is_empty() => {
                Err("An Activity clocking needs at least one activity level".into())
            }
            _ => Ok(()),
        }
    }
}

/// An access clocking (spec 4.2): time 0…1439 on the real date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessClocking {
    pub id: i64,
    #[serde(default)]
    pub change_version: Option<String>,
    /// Absent for an unknown badge.
    #[serde(default)]
    pub person: Option<Ref<i64>>,
    pub date: NaiveDate,
    pub time_of_day_in_minutes: i32,
    #[serde(default)]
    pub terminal: Option<Ref<i64>>,
    pub status: AccessStatus,
}

/// Calculated totals of one person and date (spec 4.3; every field of the calculated-totals seed).
///
/// Every duration may be `null` or missing: tenants that do not use weekly hours types, pay
/// periods or shifts send `null` for them, and one such value must not fail a whole page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalculatedTotals {
    pub id: i64,
    #[serde(default)]
    pub change_version: Option<String>,
    pub person: Ref<i64>,
    pub date: NaiveDate,
    #[serde(default)]
    pub normal_time_duration_in_minutes: Option<i64>,
    #[serde(default)]
    pub time_present_duration_in_minutes: Option<i64>,
    #[serde(default)]
    pub calculated_presence_duration_in_minutes: Option<i64>,
    /// Weekly hours of type 1, 2 and 3: what each type means is configured in myProtime.
    #[serde(default, rename = "weeklyHours1DurationInMinutes")]
    pub weekly_hours1_duration_in_minutes: Option<i64>,
    #[serde(default, rename = "weeklyHours2DurationInMinutes")]
    pub weekly_hours2_duration_in_minutes: Option<i64>,
    #[serde(default, rename = "weeklyHours3DurationInMinutes")]
    pub weekly_hours3_duration_in_minutes: Option<i64>,
    #[serde(default)]
    pub pay_period_hours_duration_in_minutes: Option<i64>,
    #[serde(default)]
    pub flextime_duration_in_minutes: Option<i64>,
    #[serde(default)]
    pub flextime_balance_in_minutes: Option<i64>,
    /// The shift of the day after the schedule and the rules (the seed's "priority waterfall").
    #[serde(default)]
    pub shift_definition: Option<Ref<i64>>,
}

/// A person (`people` collection), with the fields useful for picking and matching people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub id: i64,
    #[serde(default)]
    pub change_version: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub initials: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub employee_number: Option<String>,
    #[serde(default)]
    pub badge_number: Option<String>,
    #[serde(default)]
    pub in_service_date: Option<String>,
    #[serde(default)]
    pub out_of_service_date: Option<String>,
    /// `countryISOCode` (newer pages) or `countryIsoCode` (older pages).
    #[serde(default, rename = "countryISOCode", alias = "countryIsoCode")]
    pub country_iso_code: Option<String>,
    #[serde(default, rename = "nationalityISOCode", alias = "nationalityIsoCode")]
    pub nationality_iso_code: Option<String>,
}

impl Person {
    /// "First Last", falling back to whatever name parts exist, then the id.
    pub fn display_name(&self) -> String {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            format!("#{}", self.id)
        } else {
            parts.join(" ")
        }
    }
}

/// `{"default": "...", "translations": {"nl": "..."}}`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LocalizedText {
    #[serde(default)]
    pub default: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

impl LocalizedText {
    pub fn new(default: &str) -> Self {
        Self {
            default: default.to_string(),
            translations: BTreeMap::new(),
        }
    }
}

/// An absence definition; those with `isReasonForClocking` are the reasons of `Reason` clockings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AbsenceDefinition {
    pub id: i64,
    #[serde(default)]
    pub change_version: Option<String>,
    #[serde(default)]
    pub name: LocalizedText,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub is_enabled: Option<bool>,
    #[serde(default)]
    pub is_reason_for_clocking: bool,
}

/// A terminal, from the sandbox-only `GET /terminals` (no such collection is documented).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Terminal {
    pub id: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub external_code: Option<String>,
}

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

/// One entry of an incremental delta page.
#[derive(Debug, Clone, PartialEq)]
pub enum Change<T> {
    /// Inserted or updated (soft-deleted clockings come this way with status `Deleted`).
    Upsert(T),
    /// Removed: only the id and change version are known.
    Delete {
        id: serde_json::Value,
        change_version: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_are_kept() {
        let s: AccessStatus = serde_json::from_str("\"UnknownBadge\"").unwrap();
        assert!(s.is_unknown_badge());
        let s: AccessStatus = serde_json::from_str("\"SomethingNew\"").unwrap();
        assert_eq!(s, AccessStatus::Other("SomethingNew".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"SomethingNew\"");
    }

    #[test]
    fn both_iso_spellings() {
        let a: Person = serde_json::from_str(r#"{"id":1,"countryISOCode":"BE"}"#).unwrap();
        let b: Person = serde_json::from_str(r#"{"id":1,"countryIsoCode":"BE"}"#).unwrap();
        assert_eq!(a.country_iso_code, b.country_iso_code);
    }

    #[test]
    fn seed_clocking_bodies_deserialise() {
        let body = r#"{"person":{"externalReferences":{"@employee-number":"01256"}},"date":"2024-01-05","timeOfDayInMinutes":480,
            "terminal":{"externalReferences":{"SapTerminalCode":"SAPTO1"}},"geolocation":{"longitude":"51.144127","latitude":"4.392225"},
            "kind":"Activity","activityLevels":[{"level":1,"activityDefinition":{"externalReferences":{"@data-entry-code":"00014"}}}],"status":"Active"}"#;
        let c: NewClocking = serde_json::from_str(body).unwrap();
        assert_eq!(c.geolocation.unwrap().longitude, 51.144127);
        assert!(c.validate().is_ok());
    }

    #[test]
    fn restrictions_read_as_combinations() {
        let r: Restrictions = serde_json::from_str(
            r#"{"restrictions":[[{"levelIndex":3,"activityDefinitions":[{"id":"x"}]}],[{"levelIndex":1,"activityDefinitions":[{"id":"y"}]},{"levelIndex":3,"activityDefinitions":[{"id":"z"}]}]]}"#,
        )
        .unwrap();
        assert_eq!(r.restrictions.len(), 2);
        assert_eq!(r.restrictions[1][1].level_index, 3);
        // The older flat list with `level` is one combination.
        let old: Restrictions = serde_json::from_str(
            r#"{"restrictions":[{"level":1,"activityDefinitions":[{"id":"a"}]},{"level":2,"activityDefinitions":[]}]}"#,
        )
        .unwrap();
        assert_eq!(old.restrictions.len(), 1);
        assert_eq!(old.restrictions[0].len(), 2);
        // Sent with the seed's names.
        let body = serde_json::to_value(RestrictionsInput {
            restrictions: r.restrictions,
        })
        .unwrap();
        assert_eq!(body["restrictions"][0][0]["levelIndex"], 3);
        assert!(body["restrictions"][0][0].get("level").is_none());
    }
}
