//! The non-secret settings (profiles) in tauri-plugin-store's `settings.json` in the app-data
//! folder. Secrets never go here: they are in the OS keychain.

use std::sync::Arc;
use tauri_plugin_store::{Store, StoreBuilder};
use timebridge_core::profiles::SettingsStore;
use timebridge_core::{AppError, ErrorCode};

pub struct PluginSettings {
    store: Arc<Store<tauri::Wry>>,
    path: String,
}

impl PluginSettings {
    /// Loads (or starts) the app's settings file. Saving is explicit, after each change, so a
    /// profile the user saved is on disk before the command answers.
    pub fn open(app: &tauri::AppHandle) -> Result<Self, AppError> {
        let path =
            tauri_plugin_store::resolve_store_path(app, timebridge_core::profiles::SETTINGS_FILE)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| timebridge_core::profiles::SETTINGS_FILE.into());
        let store = StoreBuilder::new(app, timebridge_core::profiles::SETTINGS_FILE)
            .disable_auto_save()
            .build()
            .map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!(
                        "The settings file {path} cannot be read ({e}); rename it to start over"
                    ),
                )
            })?;
        Ok(Self { store, path })
    }
}

impl SettingsStore for PluginSettings {
    fn read(&self, key: &str) -> Result<Option<serde_json::Value>, AppError> {
        Ok(self.store.get(key))
    }

    fn write(&mut self, key: &str, value: serde_json::Value) -> Result<(), AppError> {
        self.store.set(key, value);
        self.store.save().map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("Cannot write the settings file {}: {e}", self.path),
            )
        })
    }

    fn describe(&self) -> String {
        self.path.clone()
    }
}
