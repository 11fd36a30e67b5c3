//! The non-secret settings (profiles) in `settings.json` in the app-data folder, at the path
//! tauri-plugin-store resolves and in its format (a JSON object), so files saved by earlier
//! versions are read as they are. The file is read and written through the core's
//! [`JsonSettingsFile`], the same code the command line uses: writes are atomic (temporary file,
//! flush, rename) and a damaged file is moved aside with a message instead of being replaced, which
//! the plugin's own `save` (a plain overwrite) does not guarantee. Secrets never go here: they are
//! in the OS keychain.

use timebridge_core::profiles::{JsonSettingsFile, SettingsStore};
use timebridge_core::{AppError, ErrorCode};

pub struct PluginSettings {
    file: JsonSettingsFile,
}

impl PluginSettings {
    /// The app's settings file. Every change is on disk before the command answers.
    pub fn open(app: &tauri::AppHandle) -> Result<Self, AppError> {
        let path =
            tauri_plugin_store::resolve_store_path(app, timebridge_core::profiles::SETTINGS_FILE)
                .map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!("Cannot find the app-data folder for the settings file: {e}"),
                )
            })?;
        Ok(Self {
            file: JsonSettingsFile::new(&path),
        })
    }
}

impl SettingsStore for PluginSettings {
    fn read(&self, key: &str) -> Result<Option<serde_json::Value>, AppError> {
        self.file.read(key)
    }

    fn write(&mut self, key: &str, value: serde_json::Value) -> Result<(), AppError> {
        self.file.write(key, value)
    }

    fn describe(&self) -> String {
        self.file.describe()
    }
}
