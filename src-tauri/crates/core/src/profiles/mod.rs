//! Connection profiles. The built-in Sandbox profile is always there and cannot be edited or deleted.
//!
//! The non-secret part of every other profile is kept in `profiles.json` in the app-data folder (the
//! app gives the path); the Protime client secret and the TimeClock 365 API key live in a
//! [`SecretStore`] (the OS keychain). Nothing this module serialises ever holds a secret.

use crate::secrets::{SecretKind, SecretStore};
use crate::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use timebridge_protime::{Environment, ProtimeConfig, TenantName};
use timebridge_secret::Secret;

pub const SANDBOX_PROFILE_ID: &str = "sandbox";

/// Where a profile's Protime tenant lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind")]
pub enum ProtimeTarget {
    /// The simulator built into Timebridge, started on a random loopback port.
    BuiltinSandbox,
    Production {
        tenant: String,
    },
    SandboxEnvironment {
        tenant: String,
    },
    Custom {
        api_base: String,
        token_url: String,
    },
}

impl ProtimeTarget {
    /// The client's environment, with the tenant and URLs validated (https unless loopback).
    pub fn environment(&self) -> Result<Environment, AppError> {
        let env = match self {
            ProtimeTarget::BuiltinSandbox => {
                return Err(AppError::new(
                    ErrorCode::Config,
                    "The built-in sandbox has no fixed address",
                ))
            }
            ProtimeTarget::Production { tenant } => {
                Environment::Production(TenantName::parse(tenant.trim())?)
            }
            ProtimeTarget::SandboxEnvironment { tenant } => {
                Environment::SandboxEnvironment(TenantName::parse(tenant.trim())?)
            }
            ProtimeTarget::Custom {
                api_base,
                token_url,
            } => Environment::Custom {
                api_base: parse_url("Protime API address", api_base)?,
                token_url: parse_url("Protime token address", token_url)?,
            },
        };
        env.urls()?;
        Ok(env)
    }
}

fn parse_url(what: &str, value: &str) -> Result<url::Url, AppError> {
    let url = url::Url::parse(value.trim()).map_err(|e| {
        AppError::validation(format!("The {what} '{value}' is not a valid URL: {e}"))
    })?;
    require_https_unless_loopback(&url)?;
    Ok(url)
}

/// https is required for every host except this computer's loopback address: the transport crate's
/// rule, the one both clients apply, as an error for the profile form.
pub fn require_https_unless_loopback(url: &url::Url) -> Result<(), AppError> {
    timebridge_transport::require_https_unless_loopback(url)
        .map_err(|insecure| AppError::validation(insecure.to_string()))
}

/// What the UI shows about a profile. Secrets are never part of it: they live in the OS keychain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProfileSummary {
    pub id: String,
    pub name: String,
    /// CSS colour the window shows while the profile is active.
    pub color: String,
    pub is_builtin: bool,
    pub is_production: bool,
    pub protime: ProtimeTarget,
    /// TimeClock 365 JSON-RPC endpoint; `None` for the built-in sandbox (its URL is only known at start).
    pub timeclock_endpoint: Option<String>,
}

impl ProfileSummary {
    pub fn builtin_sandbox() -> Self {
        ProfileSettings::builtin_sandbox().summary()
    }
}

/// Everything about a profile except its secrets: what `profiles.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ProfileSettings {
    pub id: String,
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    pub protime: ProtimeTarget,
    pub client_id: String,
    /// Scopes to request from the token endpoint.
    pub scopes: Vec<String>,
    pub structure_versions: Vec<StructureVersionConfig>,
    /// TimeClock 365 JSON-RPC endpoint (empty only for the built-in sandbox).
    pub timeclock_endpoint: String,
    /// Writes need explicit confirmation. Always true for the Protime production environment; can be
    /// set for custom URLs that point at a live tenant.
    pub treat_as_production: bool,
    /// The IANA zone (e.g. `Europe/Brussels`) of TimeClock 365 sessions that come without a usable
    /// `timezone`; empty reads them in UTC. Reports flag every row that needed it.
    #[serde(default)]
    pub timeclock_default_zone: String,
}

impl ProfileSettings {
    pub fn builtin_sandbox() -> Self {
        Self {
            id: SANDBOX_PROFILE_ID.into(),
            name: "Sandbox".into(),
            color: "#2f9e44".into(),
            protime: ProtimeTarget::BuiltinSandbox,
            client_id: timebridge_sandbox::DEMO_CLIENT_ID.into(),
            scopes: ProtimeConfig::default_scopes(),
            structure_versions: Vec::new(),
            timeclock_endpoint: String::new(),
            treat_as_production: false,
            timeclock_default_zone: String::new(),
        }
    }
    pub fn is_builtin(&self) -> bool {
        self.id == SANDBOX_PROFILE_ID
    }
    pub fn is_production(&self) -> bool {
        self.treat_as_production || matches!(self.protime, ProtimeTarget::Production { .. })
    }
    pub fn summary(&self) -> ProfileSummary {
        ProfileSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            color: self.color.clone(),
            is_builtin: self.is_builtin(),
            is_production: self.is_production(),
            protime: self.protime.clone(),
            timeclock_endpoint: (!self.timeclock_endpoint.is_empty())
                .then(|| self.timeclock_endpoint.clone()),
        }
    }
    /// The TimeClock 365 endpoint, validated.
    pub fn timeclock_url(&self) -> Result<url::Url, AppError> {
        parse_url("TimeClock 365 endpoint", &self.timeclock_endpoint)
    }

    /// Checks every field a person typed; the first problem is the error, all of them the reasons.
    pub fn validate(&self) -> Result<(), AppError> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("Give the profile a name.".to_string());
        }
        if !is_hex_colour(&self.color) {
            problems.push(format!(
                "The colour '{}' is not a #rrggbb colour.",
                self.color
            ));
        }
        if let Err(e) = self.protime.environment() {
            problems.push(e.message);
        }
        if self.client_id.trim().is_empty() {
            problems.push("Enter the Protime client id.".into());
        }
        if self.scopes.is_empty() {
            problems.push("Request at least one Protime scope.".into());
        }
        for s in &self.scopes {
            if !s.starts_with("connector-protimeapi-") || s.contains(char::is_whitespace) {
                problems.push(format!(
                    "'{s}' is not a Protime API scope (they look like connector-protimeapi-people.read)."
                ));
            }
        }
        problems.extend(structure_version_problems(&self.structure_versions));
        if let Err(e) = self.timeclock_url() {
            problems.push(e.message);
        }
        let zone = self.timeclock_default_zone.trim();
        if !zone.is_empty() && timebridge_timeclock::zone::parse_zone(zone).is_none() {
            problems.push(format!(
                "'{zone}' is not a time zone name: use one like Europe/Brussels or Asia/Jerusalem, or leave it empty for UTC."
            ));
        }
        // These end up in HTTP headers, form bodies and log lines; a control character (a line
        // break above all) would break the request or forge a header, so it is refused, not stripped.
        let mut typed = vec![
            ("profile name", self.name.as_str()),
            ("Protime client id", self.client_id.as_str()),
            ("TimeClock 365 endpoint", self.timeclock_endpoint.as_str()),
            (
                "TimeClock 365 default time zone",
                self.timeclock_default_zone.as_str(),
            ),
        ];
        match &self.protime {
            ProtimeTarget::Production { tenant } | ProtimeTarget::SandboxEnvironment { tenant } => {
                typed.push(("Protime tenant", tenant))
            }
            ProtimeTarget::Custom {
                api_base,
                token_url,
            } => typed.extend([
                ("Protime API address", api_base.as_str()),
                ("Protime token address", token_url.as_str()),
            ]),
            ProtimeTarget::BuiltinSandbox => {}
        }
        typed.extend(self.scopes.iter().map(|s| ("Protime scope", s.as_str())));
        for v in &self.structure_versions {
            typed.push(("activity structure version id", v.id.as_str()));
            typed.push(("activity structure version name", v.name.as_str()));
            typed.extend(
                v.level_names
                    .iter()
                    .map(|l| ("activity structure level name", l.as_str())),
            );
        }
        problems.extend(
            typed
                .into_iter()
                .filter_map(|(what, v)| control_characters(what, v)),
        );
        if problems.is_empty() {
            return Ok(());
        }
        let mut e = AppError::validation(problems[0].clone());
        e.reasons = problems;
        Err(e)
    }
}

/// The problem with `value` if it holds a control character (tab, line break, NUL, …), naming the
/// field and what to do; `None` when it has none.
pub fn control_characters(what: &str, value: &str) -> Option<String> {
    let bad = value.chars().find(|c| c.is_control())?;
    Some(format!(
        "The {what} contains a control character (U+{:04X}); remove it (line breaks and tabs cannot be part of it).",
        bad as u32
    ))
}

fn is_hex_colour(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// A profile as the Settings screen lists it: the settings plus whether each secret is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ProfileView {
    pub settings: ProfileSettings,
    pub is_builtin: bool,
    pub is_production: bool,
    pub is_active: bool,
    pub has_client_secret: bool,
    pub has_api_key: bool,
}

/// What the Settings form sends. The two secrets are only ever received, never sent back; `None`
/// keeps what the keychain holds.
#[derive(Clone, Deserialize, specta::Type)]
pub struct ProfileInput {
    /// `None` creates a new profile.
    pub id: Option<String>,
    pub name: String,
    pub color: String,
    pub protime: ProtimeTarget,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub structure_versions: Vec<StructureVersionConfig>,
    pub timeclock_endpoint: String,
    pub treat_as_production: bool,
    /// See [`ProfileSettings::timeclock_default_zone`].
    #[serde(default)]
    pub timeclock_default_zone: String,
    pub client_secret: Option<String>,
    pub api_key: Option<String>,
}

/// Debug never shows the two secrets.
impl std::fmt::Debug for ProfileInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileInput")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("protime", &self.protime)
            .field("client_id", &self.client_id)
            .field("timeclock_endpoint", &self.timeclock_endpoint)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

mod settings_file;
mod store;
mod structure_versions;
use settings_file::LEGACY_PROFILES_FILE;
pub use settings_file::*;
pub use store::*;
pub use structure_versions::*;

#[cfg(test)]
mod tests;
