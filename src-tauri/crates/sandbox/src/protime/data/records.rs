//! The simulator's records, written from the spec, and their JSON.

use super::cv_text;
use chrono::NaiveDate;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct SimPerson {
    pub id: i64,
    pub index: usize,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub employee_number: String,
    pub badge_number: String,
    /// The calendar is locked up to and including this day.
    pub period_closing_date: Option<NaiveDate>,
    pub cv: u64,
}

impl SimPerson {
    pub fn to_json(&self, older_spelling: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "changeVersion": cv_text(self.cv),
            "firstName": self.first_name,
            "lastName": self.last_name,
            "initials": format!("{}{}", self.first_name.chars().next().unwrap_or('-'), self.last_name.chars().next().unwrap_or('-')),
            "email": self.email,
            "employeeNumber": self.employee_number,
            "badgeNumber": self.badge_number,
            "inServiceDate": "2020-01-01",
            "outOfServiceDate": null,
            "periodClosingDate": self.period_closing_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            "sex": "Unknown",
        });
        let (country, nationality) = if older_spelling {
            ("countryIsoCode", "nationalityIsoCode")
        } else {
            ("countryISOCode", "nationalityISOCode")
        };
        let code = if self.index % 3 == 1 { "IL" } else { "BE" };
        v[country] = json!(code);
        v[nationality] = json!(code);
        v
    }
    /// Custom reference `HRMID` every demo person carries.
    pub fn hrmid(&self) -> String {
        format!("HR{}", self.employee_number)
    }
}

#[derive(Debug, Clone)]
pub struct Terminal {
    pub id: i64,
    pub name: String,
    pub external_code: String,
    /// Custom references, e.g. `SapTerminalCode`.
    pub custom: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct AbsenceDef {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub is_reason_for_clocking: bool,
    pub cv: u64,
}

impl AbsenceDef {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "changeVersion": cv_text(self.cv),
            "name": {"default": self.name, "translations": {}},
            "code": self.code,
            "friendlyName": {"default": self.name, "translations": {}},
            "friendlyCode": {"default": self.code, "translations": {}},
            "allowedDurations": ["FullDay", "HalfDay", "Interval"],
            "isEnabled": true,
            "isReasonForClocking": self.is_reason_for_clocking,
            "absenceGroup": {"id": 1},
        })
    }
}

#[derive(Debug, Clone)]
pub struct Clocking {
    pub id: i64,
    pub person: i64,
    pub date: NaiveDate,
    pub time: i32,
    pub original_time: Option<i32>,
    pub kind: String,
    pub terminal: Option<i64>,
    pub geolocation: Option<(f64, f64)>,
    pub reason: Option<i64>,
    pub is_open: Option<bool>,
    /// (level, activity definition id)
    pub levels: Vec<(i64, String)>,
    pub status: String,
    pub is_generated: bool,
    pub cv: u64,
}

impl Clocking {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "changeVersion": cv_text(self.cv),
            "id": self.id,
            "person": {"id": self.person},
            "date": self.date.to_string(),
            "timeOfDayInMinutes": self.time,
            "calculatedTimeOfDayInMinutes": self.time,
            "isGenerated": self.is_generated,
            "kind": self.kind,
            "status": self.status,
        });
        if let Some(o) = self.original_time {
            v["originalTimeOfDayInMinutes"] = json!(o);
        }
        if let Some(t) = self.terminal {
            v["terminal"] = json!({"id": t});
        }
        if let Some((lon, lat)) = self.geolocation {
            v["geolocation"] = json!({"longitude": lon, "latitude": lat});
        }
        if let Some(r) = self.reason {
            v["reason"] = json!({"id": r});
        }
        if let Some(o) = self.is_open {
            v["isOpen"] = json!(o);
        }
        if !self.levels.is_empty() {
            v["activityLevels"] = Value::Array(
                self.levels
                    .iter()
                    .map(|(l, id)| json!({"level": l, "activityDefinition": {"id": id}}))
                    .collect(),
            );
        }
        v
    }
}

#[derive(Debug, Clone)]
pub struct AccessClocking {
    pub id: i64,
    pub person: Option<i64>,
    pub date: NaiveDate,
    pub time: i32,
    pub terminal: i64,
    /// Stored as `UnknownBadgeNumber`; answered as the switch says (`UnknownBadge` by default, the seed).
    pub status: String,
    pub cv: u64,
}

impl AccessClocking {
    pub fn to_json(&self, unknown_badge: &str) -> Value {
        let status = if self.status == "UnknownBadgeNumber" {
            unknown_badge
        } else {
            self.status.as_str()
        };
        let mut v = json!({
            "changeVersion": cv_text(self.cv),
            "id": self.id,
            "date": self.date.to_string(),
            "timeOfDayInMinutes": self.time,
            "terminal": {"id": self.terminal},
            "status": status,
        });
        if let Some(p) = self.person {
            v["person"] = json!({"id": p});
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    pub id: i64,
    pub person: i64,
    pub date: NaiveDate,
    pub normal: i64,
    pub present: i64,
    pub calculated: i64,
    pub flextime: i64,
    pub balance: i64,
    pub shift: Option<i64>,
    pub cv: u64,
}

impl Totals {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "changeVersion": cv_text(self.cv),
            "id": self.id,
            "person": {"id": self.person},
            "date": self.date.to_string(),
            "normalTimeDurationInMinutes": self.normal,
            "timePresentDurationInMinutes": self.present,
            "calculatedPresenceDurationInMinutes": self.calculated,
            "weeklyHours1DurationInMinutes": self.calculated,
            // The demo tenant does not use weekly hours type 2: Protime sends null for it.
            "weeklyHours2DurationInMinutes": null,
            "weeklyHours3DurationInMinutes": 0,
            "payPeriodHoursDurationInMinutes": self.calculated,
            "flextimeDurationInMinutes": self.flextime,
            "flextimeBalanceInMinutes": self.balance,
        });
        if let Some(s) = self.shift {
            v["shiftDefinition"] = json!({"id": s});
        }
        v
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub kind: String,
    pub reference: i64,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Usage {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "activityUsageKind": self.kind,
            "usageReference": {"id": self.reference},
            "from": self.from.to_string(),
        });
        if let Some(u) = self.until {
            v["until"] = json!(u.to_string());
        }
        v
    }
    pub fn overlaps(&self, other: &Usage) -> bool {
        let end_a = self.until.unwrap_or(NaiveDate::MAX);
        let end_b = other.until.unwrap_or(NaiveDate::MAX);
        self.from <= end_b && other.from <= end_a
    }
}

#[derive(Debug, Clone)]
pub struct ActivityDef {
    pub id: String,
    pub version: String,
    pub level: i64,
    pub name: String,
    pub translations: Map<String, Value>,
    pub parent: Option<String>,
    pub short_code: Option<String>,
    pub data_entry_code: Option<String>,
    pub external_reference: Option<String>,
    pub info: Option<String>,
    pub active_from: Option<NaiveDate>,
    pub active_until: Option<NaiveDate>,
    pub custom: BTreeMap<String, String>,
    pub usages: Vec<Usage>,
    /// Allowed combinations, each a list of (level, definition ids).
    pub restrictions: Vec<RestrictionCombination>,
    pub cv: u64,
}

/// One allowed combination of a definition's restrictions: (level, allowed definition ids) per level.
pub type RestrictionCombination = Vec<(i64, Vec<String>)>;

impl ActivityDef {
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "changeVersion": cv_text(self.cv),
            "structureVersion": self.version,
            "level": self.level,
            "canConfigureRestrictions": true,
            "name": {"default": self.name, "translations": self.translations},
        });
        let opt = |v: &mut Value, k: &str, x: &Option<String>| {
            if let Some(x) = x {
                v[k] = json!(x);
            }
        };
        if let Some(p) = &self.parent {
            v["parent"] = json!({"id": p});
        }
        opt(&mut v, "shortCode", &self.short_code);
        opt(&mut v, "dataEntryCode", &self.data_entry_code);
        opt(&mut v, "externalReference", &self.external_reference);
        opt(&mut v, "info", &self.info);
        opt(
            &mut v,
            "activeFrom",
            &self.active_from.map(|d| d.to_string()),
        );
        opt(
            &mut v,
            "activeUntil",
            &self.active_until.map(|d| d.to_string()),
        );
        v
    }
    pub fn usages_json(&self) -> Value {
        json!({
            "changeVersion": cv_text(self.cv),
            "activityDefinitionId": {"id": self.id},
            "usages": self.usages.iter().map(Usage::to_json).collect::<Vec<_>>(),
        })
    }
    /// `[[{"levelIndex", "activityDefinitions": [{"id"}]}, ...], ...]`, the seed's shape.
    pub fn restrictions_array(&self) -> Value {
        Value::Array(
            self.restrictions
                .iter()
                .map(|combo| {
                    Value::Array(combo
                        .iter()
                        .map(|(l, ids)| {
                            json!({"levelIndex": l, "activityDefinitions": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>()})
                        })
                        .collect())
                })
                .collect(),
        )
    }
    pub fn restrictions_json(&self) -> Value {
        json!({
            "changeVersion": cv_text(self.cv),
            "activityDefinitionId": {"id": self.id},
            "restrictions": self.restrictions_array(),
        })
    }
}
