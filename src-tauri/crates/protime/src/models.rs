//! Typed models of the Protime API resources Timebridge reads. Unknown fields are ignored; every
//! field the spec does not mark as always present is optional.

use serde::{Deserialize, Serialize};

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
