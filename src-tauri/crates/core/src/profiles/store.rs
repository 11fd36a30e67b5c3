//! The profile store: listing, saving, duplicating and deleting profiles, their secrets in the
//! [`SecretStore`], and the reference names remembered per profile.

use super::*;

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

    /// The settings file the profiles live in, for other per-profile settings kept beside them
    /// (the saved reports).
    pub fn settings(&self) -> &dyn SettingsStore {
        &*self.settings
    }

    pub fn settings_mut(&mut self) -> &mut dyn SettingsStore {
        &mut *self.settings
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
