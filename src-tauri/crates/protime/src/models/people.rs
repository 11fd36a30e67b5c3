//! People and what hangs on them: calculated totals, absence definitions, terminals.

use super::*;

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
    /// The person's calendar is locked up to and including this date (payroll closed the period):
    /// clockings on or before it cannot be added. Absent or `""` when nothing is closed.
    #[serde(default, deserialize_with = "opt_date")]
    pub period_closing_date: Option<NaiveDate>,
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
