//! Typed, lenient models of the four methods' answers.

use serde::{Deserialize, Deserializer, Serialize};

/// Accepts a JSON string or number and keeps it as a string (`employeeNumber`, `externalId`, codes).
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

/// Datetimes arrive as `YYYY-MM-DD HH:MM:SS`; an empty string means "none" (open session).
pub(crate) fn optional_datetime<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let v = Option::<String>::deserialize(d)?;
    Ok(v.filter(|s| !s.trim().is_empty() && !s.starts_with("0000-00-00")))
}

/// One employee's work sessions (`sessions` method).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmployeeSessions {
    #[serde(default, deserialize_with = "string_or_number")]
    pub employee_number: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub sessions: Vec<Session>,
}

/// A punch-in/punch-out record in local wall-clock time of `timezone`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub start_date: String,
    #[serde(default, deserialize_with = "optional_datetime")]
    pub end_date: Option<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub location_type: Option<String>,
    #[serde(default)]
    pub start_source_type: Option<String>,
    #[serde(default)]
    pub end_source_type: Option<String>,
}

impl Session {
    pub fn is_open(&self) -> bool {
        self.end_date.is_none()
    }
}
