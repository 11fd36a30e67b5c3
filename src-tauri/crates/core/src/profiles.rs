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

/// https is required for every host except this computer's loopback address.
pub fn require_https_unless_loopback(url: &url::Url) -> Result<(), AppError> {
    if url.scheme() == "https" {
        return Ok(());
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if url.scheme() == "http" && loopback {
        Ok(())
    } else {
        Err(AppError::validation(format!(
            "{url} must use https (plain http is only allowed on this computer's loopback address)"
        )))
    }
}

/// A known activity structure version and the names of its levels (level 1 first). Protime has no
/// endpoint that lists them, so the user types them in from the myProtime configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct StructureVersionConfig {
    pub id: String,
    pub name: String,
    pub level_names: Vec<String>,
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
        for v in &self.structure_versions {
            if v.id.trim().is_empty() {
                problems.push("Every activity structure version needs its id.".into());
            }
            if v.level_names.iter().any(|l| l.trim().is_empty()) {
                problems.push(format!(
                    "Activity structure version '{}' has an empty level name.",
                    v.name
                ));
            }
        }
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

#[derive(Debug, Default, Serialize, Deserialize)]
struct ProfilesFile {
    active: Option<String>,
    profiles: Vec<ProfileSettings>,
    /// Per profile id (the built-in Sandbox included): the tenant's custom external reference names
    /// used so far (e.g. `CustomActivityReference`), offered again wherever a reference is typed.
    #[serde(default)]
    reference_names: BTreeMap<String, Vec<String>>,
}

/// Checks an external reference name as it goes into `?externalReferences=(collection,NAME)`:
/// predefined names start with `@`, custom ones are the tenant's own; letters, digits, `-`, `_`
/// and `.` only, at most 64 characters. Returns it trimmed.
pub fn check_reference_name(name: &str) -> Result<&str, AppError> {
    let n = name.trim();
    let body = n.strip_prefix('@').unwrap_or(n);
    if body.is_empty() {
        return Err(AppError::validation(
            "Type the external reference name (e.g. CustomActivityReference)",
        ));
    }
    if n.chars().count() > 64 {
        return Err(AppError::validation(format!(
            "The external reference name '{n}' is longer than 64 characters"
        )));
    }
    if let Some(c) = body
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(AppError::validation(format!(
            "The external reference name '{n}' contains '{c}': use letters, digits, '-', '_' or '.'"
        )));
    }
    Ok(n)
}

/// The key under which the profiles live in the settings store.
pub const PROFILES_KEY: &str = "profiles";
/// The settings file's name in the app-data folder (the app's tauri-plugin-store file).
pub const SETTINGS_FILE: &str = "settings.json";
/// Where Timebridge before 0.2 kept the profiles, on its own.
const LEGACY_PROFILES_FILE: &str = "profiles.json";

/// Where the non-secret settings persist: a JSON object of keys and values. The app backs it with
/// tauri-plugin-store; the command line and the tests use [`JsonSettingsFile`] on the same file
/// format, so `timebridge --profile NAME` reads what the app saved.
pub trait SettingsStore: Send {
    fn read(&self, key: &str) -> Result<Option<serde_json::Value>, AppError>;
    /// Sets the key and writes the store to disk before returning.
    fn write(&mut self, key: &str, value: serde_json::Value) -> Result<(), AppError>;
    /// Where the settings live, for error messages.
    fn describe(&self) -> String;
}

/// A settings file read and written directly, in tauri-plugin-store's format (a JSON object). The
/// app and the command line both use it. Writes go to a temporary file that is flushed and renamed
/// over the old one ([`crate::atomic_file`]), so a crash never leaves half a file; a damaged file is
/// moved aside, never replaced.
pub struct JsonSettingsFile {
    path: PathBuf,
}

impl JsonSettingsFile {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
        }
    }

    fn load(&self) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(all) => Ok(all),
                Err(e) => Err(self.move_aside(&e.to_string())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Default::default()),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                Err(self.move_aside("it is not UTF-8 text"))
            }
            Err(e) => Err(AppError::new(
                ErrorCode::Storage,
                format!("Cannot read the settings file {}: {e}", self.path.display()),
            )),
        }
    }

    /// A damaged settings file is renamed to `<name>.corrupt-<UTC time>` beside it, never
    /// overwritten: the user's profiles may still be recovered from it by hand. The error tells
    /// the user what happened; the next start finds no file and begins with no saved profiles.
    fn move_aside(&self, why: &str) -> AppError {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let mut aside = self.path.as_os_str().to_owned();
        aside.push(format!(".corrupt-{stamp}"));
        let aside = PathBuf::from(aside);
        let message = match std::fs::rename(&self.path, &aside) {
            Ok(()) => format!(
                "The settings file {} was damaged ({why}). It has been kept as {} and Timebridge starts over with no saved profiles: add your profiles again (their secrets are still in the OS keychain)",
                self.path.display(),
                aside.display()
            ),
            Err(e) => format!(
                "The settings file {} is damaged ({why}) and could not be moved aside ({e}); rename it to start over",
                self.path.display()
            ),
        };
        AppError::new(ErrorCode::Storage, message)
    }
}

impl SettingsStore for JsonSettingsFile {
    fn read(&self, key: &str) -> Result<Option<serde_json::Value>, AppError> {
        Ok(self.load()?.remove(key))
    }

    fn write(&mut self, key: &str, value: serde_json::Value) -> Result<(), AppError> {
        let mut all = self.load()?;
        all.insert(key.to_string(), value);
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!("Cannot create the folder {}: {e}", dir.display()),
                )
            })?;
        }
        let text = serde_json::to_string_pretty(&all)
            .map_err(|e| AppError::internal(format!("cannot encode the settings: {e}")))?;
        crate::atomic_file::write_atomically(&self.path, text.as_bytes(), "the settings file")
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }
}

/// The profiles (in the settings store) plus the secret store. Not thread-safe on its own: the app
/// keeps it behind a lock.
pub struct ProfileStore {
    settings: Box<dyn SettingsStore>,
    file: ProfilesFile,
}

impl ProfileStore {
    /// Opens the settings file at `path` directly (the command line and tests).
    pub fn open(path: &Path) -> Result<Self, AppError> {
        Self::open_in(Box::new(JsonSettingsFile::new(path)))
    }

    /// Reads the profiles from `settings`. None saved means only the built-in Sandbox exists.
    pub fn open_in(settings: Box<dyn SettingsStore>) -> Result<Self, AppError> {
        let file = match settings.read(PROFILES_KEY)? {
            Some(value) => serde_json::from_value(value).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!(
                        "The profiles in {} are damaged ({e}); rename the file to start over",
                        settings.describe()
                    ),
                )
            })?,
            None => ProfilesFile::default(),
        };
        Ok(Self { settings, file })
    }

    /// Moves the profiles of an older Timebridge (`profiles.json` beside the settings) into
    /// `settings` when it has none yet; the old file is kept as `profiles.json.migrated`.
    pub fn migrate_legacy(
        settings: &mut dyn SettingsStore,
        data_dir: &Path,
    ) -> Result<bool, AppError> {
        let legacy = data_dir.join(LEGACY_PROFILES_FILE);
        if settings.read(PROFILES_KEY)?.is_some() || !legacy.exists() {
            return Ok(false);
        }
        let text = std::fs::read_to_string(&legacy).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!(
                    "Cannot read the old profiles file {}: {e}",
                    legacy.display()
                ),
            )
        })?;
        let old: ProfilesFile = serde_json::from_str(&text).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!(
                    "The old profiles file {} is damaged ({e}); rename it to start over",
                    legacy.display()
                ),
            )
        })?;
        let value = serde_json::to_value(&old)
            .map_err(|e| AppError::internal(format!("cannot encode the profiles: {e}")))?;
        settings.write(PROFILES_KEY, value)?;
        std::fs::rename(&legacy, legacy.with_extension("json.migrated")).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!(
                    "Cannot rename the old profiles file {}: {e}",
                    legacy.display()
                ),
            )
        })?;
        Ok(true)
    }

    fn save(&mut self) -> Result<(), AppError> {
        let value = serde_json::to_value(&self.file)
            .map_err(|e| AppError::internal(format!("cannot encode the profiles: {e}")))?;
        self.settings.write(PROFILES_KEY, value)
    }

    /// The id of the active profile (the Sandbox when none was chosen or the chosen one is gone).
    pub fn active_id(&self) -> String {
        match &self.file.active {
            Some(id) if self.get(id).is_ok() => id.clone(),
            _ => SANDBOX_PROFILE_ID.into(),
        }
    }

    pub fn get(&self, id: &str) -> Result<ProfileSettings, AppError> {
        if id == SANDBOX_PROFILE_ID {
            return Ok(ProfileSettings::builtin_sandbox());
        }
        self.file
            .profiles
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| {
                AppError::new(ErrorCode::NotFound, format!("There is no profile '{id}'"))
            })
    }

    /// Every profile, the built-in Sandbox first.
    pub fn list(&self, secrets: &dyn SecretStore) -> Result<Vec<ProfileView>, AppError> {
        let active = self.active_id();
        std::iter::once(ProfileSettings::builtin_sandbox())
            .chain(self.file.profiles.iter().cloned())
            .map(|settings| {
                let builtin = settings.is_builtin();
                let has = |kind| -> Result<bool, AppError> {
                    Ok(builtin || secrets.get(&settings.id, kind)?.is_some())
                };
                Ok(ProfileView {
                    is_builtin: builtin,
                    is_production: settings.is_production(),
                    is_active: settings.id == active,
                    has_client_secret: has(SecretKind::ProtimeClientSecret)?,
                    has_api_key: has(SecretKind::TimeClockApiKey)?,
                    settings,
                })
            })
            .collect()
    }

    /// Adds (no id) or updates a profile; secrets given are written to the secret store first.
    pub fn save_profile(
        &mut self,
        secrets: &dyn SecretStore,
        input: ProfileInput,
    ) -> Result<ProfileSettings, AppError> {
        if input.id.as_deref() == Some(SANDBOX_PROFILE_ID) {
            return Err(AppError::validation(
                "The built-in Sandbox profile cannot be changed; duplicate it or add a new profile",
            ));
        }
        let id = match &input.id {
            Some(id) => {
                self.get(id)?;
                id.clone()
            }
            None => self.new_id(&input.name),
        };
        let settings = ProfileSettings {
            id: id.clone(),
            name: input.name.trim().to_string(),
            color: input.color.trim().to_lowercase(),
            protime: match input.protime {
                ProtimeTarget::Production { tenant } => ProtimeTarget::Production {
                    tenant: tenant.trim().to_string(),
                },
                ProtimeTarget::SandboxEnvironment { tenant } => ProtimeTarget::SandboxEnvironment {
                    tenant: tenant.trim().to_string(),
                },
                ProtimeTarget::Custom {
                    api_base,
                    token_url,
                } => ProtimeTarget::Custom {
                    api_base: api_base.trim().to_string(),
                    token_url: token_url.trim().to_string(),
                },
                ProtimeTarget::BuiltinSandbox => {
                    return Err(AppError::validation(
                        "Only the built-in Sandbox profile uses the built-in sandbox; choose custom URLs to point at a running sandbox",
                    ))
                }
            },
            client_id: input.client_id.trim().to_string(),
            scopes: input
                .scopes
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            structure_versions: input.structure_versions,
            timeclock_endpoint: input.timeclock_endpoint.trim().to_string(),
            treat_as_production: input.treat_as_production,
            timeclock_default_zone: input.timeclock_default_zone.trim().to_string(),
        };
        settings.validate()?;
        // The API key travels in a request header, the client secret in a form body: a control
        // character in either would break the request (or smuggle a header) on every call.
        for (what, value) in [
            ("Protime client secret", &input.client_secret),
            ("TimeClock 365 API key", &input.api_key),
        ] {
            if let Some(problem) = value.as_deref().and_then(|v| control_characters(what, v)) {
                return Err(AppError::validation(problem));
            }
        }
        let client_secret = input
            .client_secret
            .filter(|s| !s.is_empty())
            .map(Secret::new);
        let api_key = input.api_key.filter(|s| !s.is_empty()).map(Secret::new);
        if let Some(s) = &client_secret {
            secrets.set(&id, SecretKind::ProtimeClientSecret, s)?;
        }
        if let Some(k) = &api_key {
            secrets.set(&id, SecretKind::TimeClockApiKey, k)?;
        }
        match self.file.profiles.iter_mut().find(|p| p.id == id) {
            Some(slot) => *slot = settings.clone(),
            None => self.file.profiles.push(settings.clone()),
        }
        self.save()?;
        Ok(settings)
    }

    /// A copy named "<name> (copy)" with the same secrets. The built-in Sandbox cannot be copied: its
    /// address changes at every start.
    pub fn duplicate(
        &mut self,
        secrets: &dyn SecretStore,
        id: &str,
    ) -> Result<ProfileSettings, AppError> {
        if id == SANDBOX_PROFILE_ID {
            return Err(AppError::validation(
                "The built-in Sandbox cannot be duplicated: its address changes at every start. Add a profile with custom URLs instead",
            ));
        }
        let original = self.get(id)?;
        let copy_name = format!("{} (copy)", original.name);
        let new_id = self.new_id(&copy_name);
        for kind in [SecretKind::ProtimeClientSecret, SecretKind::TimeClockApiKey] {
            if let Some(s) = secrets.get(id, kind)? {
                secrets.set(&new_id, kind, &s)?;
            }
        }
        let copy = ProfileSettings {
            id: new_id,
            name: copy_name,
            ..original
        };
        self.file.profiles.push(copy.clone());
        self.save()?;
        Ok(copy)
    }

    /// Deletes a profile and its secrets. The built-in Sandbox cannot be deleted; deleting the active
    /// profile makes the Sandbox active.
    pub fn delete(&mut self, secrets: &dyn SecretStore, id: &str) -> Result<(), AppError> {
        if id == SANDBOX_PROFILE_ID {
            return Err(AppError::validation(
                "The built-in Sandbox profile cannot be deleted",
            ));
        }
        self.get(id)?;
        for kind in [SecretKind::ProtimeClientSecret, SecretKind::TimeClockApiKey] {
            secrets.delete(id, kind)?;
        }
        self.file.profiles.retain(|p| p.id != id);
        self.file.reference_names.remove(id);
        if self.file.active.as_deref() == Some(id) {
            self.file.active = None;
        }
        self.save()
    }

    /// The custom external reference names remembered for a profile, in the order first used.
    pub fn reference_names(&self, id: &str) -> Vec<String> {
        self.file
            .reference_names
            .get(id)
            .cloned()
            .unwrap_or_default()
    }

    /// Remembers a custom external reference name for a profile (predefined `@…` names are built
    /// in and not stored). Returns the names now remembered.
    pub fn remember_reference_name(
        &mut self,
        id: &str,
        name: &str,
    ) -> Result<Vec<String>, AppError> {
        self.get(id)?;
        let name = check_reference_name(name)?;
        if name.starts_with('@') {
            return Ok(self.reference_names(id));
        }
        let names = self.file.reference_names.entry(id.to_string()).or_default();
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
            self.save()?;
        }
        Ok(self.reference_names(id))
    }

    /// Remembers the active profile.
    pub fn set_active(&mut self, id: &str) -> Result<(), AppError> {
        self.get(id)?;
        self.file.active = Some(id.to_string());
        self.save()
    }

    fn new_id(&self, name: &str) -> String {
        let mut slug: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        slug = slug
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if slug.is_empty() || slug == SANDBOX_PROFILE_ID {
            slug = "profile".into();
        }
        let mut id = slug.clone();
        let mut n = 2;
        while id == SANDBOX_PROFILE_ID || self.file.profiles.iter().any(|p| p.id == id) {
            id = format!("{slug}-{n}");
            n += 1;
        }
        id
    }
}

/// Refuses a write on a production profile unless the user confirmed it for this write.
pub(crate) fn ensure_write_allowed(
    profile: &ProfileSummary,
    confirmed: bool,
) -> Result<(), AppError> {
    if profile.is_production && !confirmed {
        return Err(AppError::new(
            ErrorCode::ConfirmationRequired,
            format!(
                "'{}' is a production profile: confirm that you want to write to it",
                profile.name
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    pub(crate) fn input(name: &str) -> ProfileInput {
        ProfileInput {
            id: None,
            name: name.into(),
            color: "#1C7ED6".into(),
            protime: ProtimeTarget::SandboxEnvironment {
                tenant: "acme".into(),
            },
            client_id: "acme-client".into(),
            scopes: vec![
                "connector-protimeapi-people.read".into(),
                "connector-protimeapi-access-clockings.read".into(),
            ],
            structure_versions: vec![StructureVersionConfig {
                id: "b2347a7a-d60d-446f-b03b-7e52cc8c3281".into(),
                name: "2025".into(),
                level_names: vec!["Company".into(), "Project".into(), "Task".into()],
            }],
            timeclock_endpoint: crate::DEFAULT_TIMECLOCK_ENDPOINT.into(),
            treat_as_production: false,
            timeclock_default_zone: String::new(),
            client_secret: Some("acme-secret-123".into()),
            api_key: Some("acme-key-456".into()),
        }
    }

    #[test]
    fn reference_names_are_checked_and_remembered_per_profile() {
        assert_eq!(
            check_reference_name(" CustomActivityReference ").unwrap(),
            "CustomActivityReference"
        );
        assert!(check_reference_name("@data-entry-code").is_ok());
        for bad in ["", "  ", "@", "a,b", "a b", "x)"] {
            assert!(check_reference_name(bad).is_err(), "{bad:?}");
        }
        let dir = tempfile::tempdir().unwrap();
        let mut store = ProfileStore::open(&dir.path().join(SETTINGS_FILE)).unwrap();
        assert!(store.reference_names(SANDBOX_PROFILE_ID).is_empty());
        store
            .remember_reference_name(SANDBOX_PROFILE_ID, "CustomActivityReference")
            .unwrap();
        store
            .remember_reference_name(SANDBOX_PROFILE_ID, "@external-reference")
            .unwrap();
        let names = store
            .remember_reference_name(SANDBOX_PROFILE_ID, " CustomActivityReference")
            .unwrap();
        assert_eq!(
            names,
            ["CustomActivityReference"],
            "stored once, predefined names not stored"
        );
        assert!(store.remember_reference_name("nobody", "X").is_err());
        // Kept across a restart.
        let again = ProfileStore::open(&dir.path().join(SETTINGS_FILE)).unwrap();
        assert_eq!(
            again.reference_names(SANDBOX_PROFILE_ID),
            ["CustomActivityReference"]
        );
    }

    #[test]
    fn profiles_round_trip_through_the_file_and_the_mock_keychain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&path).unwrap();
        let saved = store.save_profile(&secrets, input("Acme test")).unwrap();
        assert_eq!(saved.id, "acme-test");
        assert_eq!(saved.color, "#1c7ed6");
        store.set_active(&saved.id).unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("acme-client"));
        assert!(!text.contains("acme-secret-123") && !text.contains("acme-key-456"));

        let reopened = ProfileStore::open(&path).unwrap();
        assert_eq!(reopened.active_id(), "acme-test");
        assert_eq!(reopened.get("acme-test").unwrap(), saved);
        let views = reopened.list(&secrets).unwrap();
        assert_eq!(views.len(), 2);
        assert!(views[0].is_builtin && !views[0].is_active);
        assert!(views[1].is_active && views[1].has_client_secret && views[1].has_api_key);
        assert_eq!(
            secrets
                .get("acme-test", SecretKind::TimeClockApiKey)
                .unwrap()
                .unwrap()
                .expose(),
            "acme-key-456"
        );
        let json = serde_json::to_string(&views).unwrap();
        assert!(!json.contains("acme-secret-123") && !json.contains("acme-key-456"));
    }

    #[test]
    fn the_settings_file_keeps_other_keys_and_migrates_the_old_profiles_file() {
        let dir = tempfile::tempdir().unwrap();
        let settings_path = dir.path().join(SETTINGS_FILE);
        // Another key in the same store (the app's window state, say) survives profile writes.
        std::fs::write(&settings_path, r#"{"theme": "dark"}"#).unwrap();
        // A profiles file as Timebridge 0.1 wrote it.
        let scratch = dir.path().join("scratch.json");
        let mut made = ProfileStore::open(&scratch).unwrap();
        let saved = made
            .save_profile(&MemoryStore::new(), input("Acme test"))
            .unwrap();
        made.set_active(&saved.id).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&scratch).unwrap()).unwrap();
        let legacy = dir.path().join(LEGACY_PROFILES_FILE);
        std::fs::write(&legacy, written[PROFILES_KEY].to_string()).unwrap();

        let mut settings = JsonSettingsFile::new(&settings_path);
        assert!(ProfileStore::migrate_legacy(&mut settings, dir.path()).unwrap());
        assert!(!legacy.exists() && legacy.with_extension("json.migrated").exists());
        // Only once: the settings now hold profiles.
        assert!(!ProfileStore::migrate_legacy(&mut settings, dir.path()).unwrap());

        let mut store = ProfileStore::open_in(Box::new(settings)).unwrap();
        assert_eq!(store.active_id(), "acme-test");
        store.set_active(SANDBOX_PROFILE_ID).unwrap();
        let all: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&settings_path).unwrap()).unwrap();
        assert_eq!(all["theme"], "dark");
        assert_eq!(all[PROFILES_KEY]["active"], "sandbox");
        assert_eq!(all[PROFILES_KEY]["profiles"][0]["id"], "acme-test");
    }

    #[test]
    fn a_damaged_settings_file_is_moved_aside_with_a_message_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, "{ not json").unwrap();
        let err = ProfileStore::open(&path).err().unwrap();
        assert_eq!(err.code, ErrorCode::Storage);
        assert!(err.message.contains("damaged"), "{}", err.message);
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        let aside = &kept[0];
        let aside_name = aside.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            aside_name.starts_with("settings.json.corrupt-"),
            "{aside_name}"
        );
        assert!(err.message.contains(&aside_name), "{}", err.message);
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json");
        // The next start begins with no saved profiles and saves a fresh file beside the old one.
        let mut store = ProfileStore::open(&path).unwrap();
        store
            .save_profile(&MemoryStore::new(), input("Acme"))
            .unwrap();
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json");
        assert!(ProfileStore::open(&path).is_ok());
        std::fs::write(&path, r#"{"profiles": {"active": 3}}"#).unwrap();
        let err = ProfileStore::open(&path).err().unwrap();
        assert!(err.message.contains("profiles in"), "{}", err.message);
    }

    #[test]
    fn control_characters_in_typed_text_are_refused_with_the_field_named() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
        let mut bad = input("Acme\r\nX-Injected: 1");
        let e = store.save_profile(&secrets, bad.clone()).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains("profile name"), "{}", e.message);
        assert!(e.message.contains("U+000D"), "{}", e.message);
        bad.name = "Acme".into();
        bad.client_id = "id\u{0}".into();
        let e = store.save_profile(&secrets, bad.clone()).unwrap_err();
        assert!(e.message.contains("client id"), "{}", e.message);
        bad.client_id = "id".into();
        bad.api_key = Some("key\nX-Other: 2".into());
        let e = store.save_profile(&secrets, bad.clone()).unwrap_err();
        assert!(e.message.contains("API key"), "{}", e.message);
        assert!(secrets.is_empty(), "nothing was stored");
        bad.api_key = Some("key".into());
        assert!(store.save_profile(&secrets, bad).is_ok());
    }

    #[test]
    fn edit_keeps_secrets_unless_new_ones_are_given() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
        let saved = store.save_profile(&secrets, input("Acme")).unwrap();
        let mut edit = input("Acme renamed");
        edit.id = Some(saved.id.clone());
        edit.client_secret = None;
        edit.api_key = Some("new-key".into());
        let edited = store.save_profile(&secrets, edit).unwrap();
        assert_eq!(edited.id, saved.id);
        assert_eq!(edited.name, "Acme renamed");
        let get = |k| {
            secrets
                .get(&saved.id, k)
                .unwrap()
                .unwrap()
                .expose()
                .to_string()
        };
        assert_eq!(get(SecretKind::ProtimeClientSecret), "acme-secret-123");
        assert_eq!(get(SecretKind::TimeClockApiKey), "new-key");
    }

    #[test]
    fn duplicate_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
        let a = store.save_profile(&secrets, input("Acme")).unwrap();
        let copy = store.duplicate(&secrets, &a.id).unwrap();
        assert_eq!(copy.name, "Acme (copy)");
        assert_ne!(copy.id, a.id);
        assert!(secrets
            .get(&copy.id, SecretKind::ProtimeClientSecret)
            .unwrap()
            .is_some());
        store.set_active(&copy.id).unwrap();
        store.delete(&secrets, &copy.id).unwrap();
        assert_eq!(store.active_id(), SANDBOX_PROFILE_ID);
        assert!(secrets
            .get(&copy.id, SecretKind::ProtimeClientSecret)
            .unwrap()
            .is_none());
        assert_eq!(store.get(&copy.id).unwrap_err().code, ErrorCode::NotFound);
        assert_eq!(secrets.len(), 2);
    }

    #[test]
    fn the_builtin_sandbox_cannot_be_deleted_changed_or_copied() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
        assert_eq!(
            store.delete(&secrets, SANDBOX_PROFILE_ID).unwrap_err().code,
            ErrorCode::Validation
        );
        let mut edit = input("Sandbox");
        edit.id = Some(SANDBOX_PROFILE_ID.into());
        assert!(store.save_profile(&secrets, edit).is_err());
        assert!(store.duplicate(&secrets, SANDBOX_PROFILE_ID).is_err());
        assert_eq!(store.list(&secrets).unwrap().len(), 1);
        // A new profile named like the sandbox gets another id.
        let p = store.save_profile(&secrets, input("Sandbox")).unwrap();
        assert_ne!(p.id, SANDBOX_PROFILE_ID);
    }

    #[test]
    fn invalid_input_is_refused_with_every_reason() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
        let mut bad = input("");
        bad.color = "green".into();
        bad.protime = ProtimeTarget::Production {
            tenant: "Acme.eu".into(),
        };
        bad.timeclock_endpoint = "http://timeclock.example.com/api".into();
        bad.scopes = vec!["people.read".into()];
        bad.timeclock_default_zone = "Brussels".into();
        let e = store.save_profile(&secrets, bad).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        let all = e.reasons.join("\n");
        assert!(all.contains("name"), "{all}");
        assert!(all.contains("#rrggbb"), "{all}");
        assert!(all.contains("tenant name"), "{all}");
        assert!(all.contains("must use https"), "{all}");
        assert!(all.contains("not a Protime API scope"), "{all}");
        assert!(all.contains("'Brussels' is not a time zone name"), "{all}");
        assert!(
            secrets.is_empty(),
            "nothing is stored for a refused profile"
        );
        // Plain http on a public host is refused for custom Protime URLs too; loopback is fine.
        let mut custom = input("Local");
        custom.protime = ProtimeTarget::Custom {
            api_base: "http://127.0.0.1:9/connector/protimeapi/api/v1/".into(),
            token_url: "http://127.0.0.1:9/tenants/sandbox/connect/token".into(),
        };
        custom.timeclock_endpoint = "http://127.0.0.1:9/api/v1/json-rpc".into();
        custom.timeclock_default_zone = " Asia/Jerusalem ".into();
        let saved = store.save_profile(&secrets, custom.clone()).unwrap();
        assert_eq!(
            store.get(&saved.id).unwrap().timeclock_default_zone,
            "Asia/Jerusalem"
        );
        custom.protime = ProtimeTarget::Custom {
            api_base: "http://protime.example.com/connector/protimeapi/api/v1/".into(),
            token_url: "https://protime.example.com/t".into(),
        };
        assert!(store.save_profile(&secrets, custom).is_err());
    }

    #[test]
    fn production_writes_need_confirmation() {
        let mut p = input("Live");
        p.protime = ProtimeTarget::Production {
            tenant: "acme".into(),
        };
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::new();
        let mut store = ProfileStore::open(&dir.path().join("p.json")).unwrap();
        let live = store.save_profile(&secrets, p).unwrap().summary();
        assert!(live.is_production);
        assert_eq!(
            ensure_write_allowed(&live, false).unwrap_err().code,
            ErrorCode::ConfirmationRequired
        );
        ensure_write_allowed(&live, true).unwrap();
        ensure_write_allowed(&ProfileSummary::builtin_sandbox(), false).unwrap();
    }
}
