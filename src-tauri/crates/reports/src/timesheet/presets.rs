//! Saved reports: named presets of the report viewer, kept per connection profile in the settings
//! file beside the profiles. A preset holds what a payroll run repeats (source and tolerance,
//! rounding and night shifts, hours format, optional columns, the export format with its
//! delimiter); the period is left out on purpose, because "last month" is chosen each time.

use super::service::ExportFormat;
use super::sources::SourceOptions;
use super::ReportOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use timebridge_core::profiles::SettingsStore;
use timebridge_core::{AppError, ErrorCode};

/// The settings file's key: profile id → that profile's presets.
pub const SETTINGS_KEY: &str = "report_presets";
/// Long enough for "Payroll export, Brussels office, decimal"; short enough for a menu.
pub const MAX_NAME_CHARS: usize = 60;
/// More than a profile's menu can usefully show.
pub const MAX_PRESETS: usize = 50;
/// The widest tolerance the viewer offers, in minutes.
pub const MAX_TOLERANCE_MINUTES: u32 = 240;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ReportPreset {
    pub name: String,
    pub source: SourceOptions,
    pub options: ReportOptions,
    /// The export's format and its options; its hours format and optional columns are also what
    /// the screen shows.
    pub format: ExportFormat,
}

type Presets = BTreeMap<String, Vec<ReportPreset>>;

fn load(settings: &dyn SettingsStore) -> Result<Presets, AppError> {
    let Some(value) = settings.read(SETTINGS_KEY)? else {
        return Ok(Presets::new());
    };
    // A damaged entry is reported, never overwritten: saving over it would lose every profile's presets.
    serde_json::from_value(value).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!(
                "The saved reports in {} cannot be read ({e}). Fix or remove the \"{SETTINGS_KEY}\" entry there; nothing was changed.",
                settings.describe()
            ),
        )
    })
}

fn store(settings: &mut dyn SettingsStore, all: &Presets) -> Result<(), AppError> {
    let value = serde_json::to_value(all).map_err(|e| AppError::internal(e.to_string()))?;
    settings.write(SETTINGS_KEY, value)
}

/// The profile's presets, by name.
pub fn list(settings: &dyn SettingsStore, profile_id: &str) -> Result<Vec<ReportPreset>, AppError> {
    Ok(load(settings)?.remove(profile_id).unwrap_or_default())
}

/// Checks a preset as the user entered it; the name is compared and stored trimmed.
pub fn validate(preset: &ReportPreset) -> Result<(), AppError> {
    let name = preset.name.trim();
    if name.is_empty() {
        return Err(AppError::validation("Give the saved report a name."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::validation(format!(
            "The name is {} characters long; use at most {MAX_NAME_CHARS}.",
            name.chars().count()
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "The name contains a line break or another control character; use plain text.",
        ));
    }
    if preset.source.tolerance_minutes > MAX_TOLERANCE_MINUTES {
        return Err(AppError::validation(format!(
            "The tolerance is {} minutes; use 0 to {MAX_TOLERANCE_MINUTES}.",
            preset.source.tolerance_minutes
        )));
    }
    if let ExportFormat::Csv(csv) = &preset.format {
        if csv.delimiter != ';' && csv.delimiter != ',' {
            return Err(AppError::validation(format!(
                "'{}' is not a supported CSV delimiter: use ';' or ','.",
                csv.delimiter
            )));
        }
    }
    Ok(())
}

/// Saves `preset` for the profile, replacing one of the same name (case and surrounding spaces
/// ignored, as a user reads names). Returns the profile's presets as now saved.
pub fn save(
    settings: &mut dyn SettingsStore,
    profile_id: &str,
    preset: ReportPreset,
) -> Result<Vec<ReportPreset>, AppError> {
    validate(&preset)?;
    let preset = ReportPreset {
        name: preset.name.trim().to_string(),
        ..preset
    };
    let mut all = load(settings)?;
    let mine = all.entry(profile_id.to_string()).or_default();
    if let Some(existing) = mine.iter_mut().find(|p| same_name(&p.name, &preset.name)) {
        *existing = preset;
    } else if mine.len() >= MAX_PRESETS {
        return Err(AppError::validation(format!(
            "This profile already has {MAX_PRESETS} saved reports; delete one first."
        )));
    } else {
        mine.push(preset);
    }
    mine.sort_by_key(|p| p.name.to_lowercase());
    let saved = mine.clone();
    store(settings, &all)?;
    Ok(saved)
}

/// Deletes the profile's preset called `name`; a name that is not there is an error, so a stale
/// menu is noticed. Returns the profile's presets as now saved.
pub fn delete(
    settings: &mut dyn SettingsStore,
    profile_id: &str,
    name: &str,
) -> Result<Vec<ReportPreset>, AppError> {
    let mut all = load(settings)?;
    let mine = all.entry(profile_id.to_string()).or_default();
    let before = mine.len();
    mine.retain(|p| !same_name(&p.name, name));
    if mine.len() == before {
        return Err(AppError::new(
            ErrorCode::NotFound,
            format!(
                "There is no saved report called \"{}\" for this profile.",
                name.trim()
            ),
        ));
    }
    let saved = mine.clone();
    if mine.is_empty() {
        all.remove(profile_id);
    }
    store(settings, &all)?;
    Ok(saved)
}

/// The preset named `name` (as [`save`] compares names), for the command line's `--preset`.
pub fn find(
    settings: &dyn SettingsStore,
    profile_id: &str,
    name: &str,
) -> Result<ReportPreset, AppError> {
    let mine = list(settings, profile_id)?;
    let names: Vec<&str> = mine.iter().map(|p| p.name.as_str()).collect();
    mine.iter()
        .find(|p| same_name(&p.name, name))
        .cloned()
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                if names.is_empty() {
                    format!("There is no saved report called \"{}\": this profile has none. Save one in the window's Timesheets screen.", name.trim())
                } else {
                    format!(
                        "There is no saved report called \"{}\". This profile has: {}.",
                        name.trim(),
                        names.join(", ")
                    )
                },
            )
        })
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

#[cfg(test)]
mod tests;
