//! Clockings as Protime reads and writes them (spec 4.1), and access clockings (spec 4.2).

use super::*;

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
