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

mod activities;
mod clockings;
mod people;
#[cfg(test)]
mod tests;

pub use activities::*;
pub use clockings::*;
pub use people::*;
