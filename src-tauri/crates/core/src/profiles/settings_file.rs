//! The settings file the profiles live in: the app's tauri-plugin-store file, read and written from Rust
//! (the CLI reads the same file), written atomically and kept aside when it is damaged.

use super::*;

/// The key under which the profiles live in the settings store.
pub const PROFILES_KEY: &str = "profiles";
/// The settings file's name in the app-data folder (the app's tauri-plugin-store file).
pub const SETTINGS_FILE: &str = "settings.json";
/// Where Timebridge before 0.2 kept the profiles, on its own.
pub(super) const LEGACY_PROFILES_FILE: &str = "profiles.json";

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
