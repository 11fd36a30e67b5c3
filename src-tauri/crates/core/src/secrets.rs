//! Where client secrets and API keys live: the OS keychain (Windows Credential Manager, macOS
//! Keychain, Secret Service on Linux, chosen at compile time by the `keyring` crate), or an in-memory
//! mock in tests and when `TIMEBRIDGE_SECRET_STORE=mock` is set in a development build (the
//! end-to-end suite runs under Xvfb, where no keyring daemon runs). Release builds refuse the mock
//! switch. The real keychain is tested by `tests/secrets_real.rs` (ignored unless a Secret Service
//! runs; `tests/quickstart.sh` starts one). Values are [`Secret`]s: they never print and never serialise, and no
//! error message of this module contains one.

use crate::{AppError, ErrorCode};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use timebridge_secret::Secret;

/// The identifier of an installed release (`src-tauri/tauri.release.conf.json`). The app files its
/// secrets under the identifier it runs as, so a development build (`eu.timebridge.app.dev`) never
/// reads or overwrites an installed release's keychain entries; tools that need the release's
/// entries use this.
pub const RELEASE_IDENTIFIER: &str = "eu.timebridge.desktop";

/// Environment variable that selects the in-memory store instead of the OS keychain.
pub const SECRET_STORE_ENV: &str = "TIMEBRIDGE_SECRET_STORE";

pub use crate::blocking::off_runtime;

/// Which of a profile's secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// The Protime OAuth2 client secret.
    ProtimeClientSecret,
    /// The TimeClock 365 API key.
    TimeClockApiKey,
}

impl SecretKind {
    fn account(self, profile_id: &str) -> String {
        match self {
            SecretKind::ProtimeClientSecret => format!("{profile_id}/protime-client-secret"),
            SecretKind::TimeClockApiKey => format!("{profile_id}/timeclock-api-key"),
        }
    }
    fn label(self) -> &'static str {
        match self {
            SecretKind::ProtimeClientSecret => "Protime client secret",
            SecretKind::TimeClockApiKey => "TimeClock 365 API key",
        }
    }
}

/// A place that keeps secrets by profile and kind.
pub trait SecretStore: Send + Sync {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, AppError>;
    fn set(&self, profile_id: &str, kind: SecretKind, value: &Secret) -> Result<(), AppError>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), AppError>;
    /// A short name for the settings screen ("OS keychain", "in-memory mock").
    fn describe(&self) -> &'static str;
}

/// The OS keychain through the `keyring` crate.
pub struct KeychainStore {
    service: String,
}

impl KeychainStore {
    /// `service` is the app's identifier: every entry of this app is filed under it.
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }
    pub fn service(&self) -> &str {
        &self.service
    }
    fn entry(&self, profile_id: &str, kind: SecretKind) -> Result<keyring::Entry, AppError> {
        keyring::Entry::new(&self.service, &kind.account(profile_id))
            .map_err(|e| keychain_error(kind, "open", &e))
    }
}

/// The keyring error's text describes the platform failure; it never contains the stored value.
fn keychain_error(kind: SecretKind, what: &str, e: &keyring::Error) -> AppError {
    let detail = match e {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            "the OS keychain is not available (on Linux a Secret Service such as GNOME Keyring must run)"
                .to_string()
        }
        other => other.to_string(),
    };
    AppError::new(
        ErrorCode::Storage,
        format!(
            "Cannot {what} the {} in the OS keychain: {detail}",
            kind.label()
        ),
    )
}

impl SecretStore for KeychainStore {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, AppError> {
        match self.entry(profile_id, kind)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(kind, "read", &e)),
        }
    }
    fn set(&self, profile_id: &str, kind: SecretKind, value: &Secret) -> Result<(), AppError> {
        self.entry(profile_id, kind)?
            .set_password(value.expose())
            .map_err(|e| keychain_error(kind, "store", &e))
    }
    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), AppError> {
        match self.entry(profile_id, kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(kind, "remove", &e)),
        }
    }
    fn describe(&self) -> &'static str {
        "OS keychain"
    }
}

/// Secrets in memory only, for tests and `TIMEBRIDGE_SECRET_STORE=mock`. Lost when the app quits.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<(String, SecretKind), Secret>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, SecretKind), Secret>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// How many secrets are stored (for tests).
    pub fn len(&self) -> usize {
        self.lock().len()
    }
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, AppError> {
        Ok(self.lock().get(&(profile_id.to_string(), kind)).cloned())
    }
    fn set(&self, profile_id: &str, kind: SecretKind, value: &Secret) -> Result<(), AppError> {
        self.lock()
            .insert((profile_id.to_string(), kind), value.clone());
        Ok(())
    }
    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), AppError> {
        self.lock().remove(&(profile_id.to_string(), kind));
        Ok(())
    }
    fn describe(&self) -> &'static str {
        "in-memory mock (TIMEBRIDGE_SECRET_STORE=mock)"
    }
}

/// A mock keychain kept in a JSON file, for tests that span processes or restarts (the app and the
/// command line reading the same profile): `TIMEBRIDGE_SECRET_STORE=mock-file:/path/to/file.json`.
/// It holds secrets in plain text, so nothing but a test may use it; the file is created readable by
/// its owner only.
pub struct MockFileStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl MockFileStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    fn load(&self) -> Result<HashMap<String, String>, AppError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!("The mock keychain {} is damaged: {e}", self.path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
            Err(e) => Err(AppError::new(
                ErrorCode::Storage,
                format!("Cannot read the mock keychain {}: {e}", self.path.display()),
            )),
        }
    }

    fn change(&self, f: impl FnOnce(&mut HashMap<String, String>)) -> Result<(), AppError> {
        let _one_writer = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut all = self.load()?;
        f(&mut all);
        let text = serde_json::to_string(&all)
            .map_err(|e| AppError::internal(format!("cannot encode the mock keychain: {e}")))?;
        // Written atomically, through a temporary file readable by its owner only.
        crate::atomic_file::write_atomically(&self.path, text.as_bytes(), "the mock keychain")
    }
}

impl SecretStore for MockFileStore {
    fn get(&self, profile_id: &str, kind: SecretKind) -> Result<Option<Secret>, AppError> {
        Ok(self
            .load()?
            .remove(&kind.account(profile_id))
            .map(Secret::new))
    }
    fn set(&self, profile_id: &str, kind: SecretKind, value: &Secret) -> Result<(), AppError> {
        let value = value.expose().to_string();
        self.change(|all| {
            all.insert(kind.account(profile_id), value);
        })
    }
    fn delete(&self, profile_id: &str, kind: SecretKind) -> Result<(), AppError> {
        self.change(|all| {
            all.remove(&kind.account(profile_id));
        })
    }
    fn describe(&self) -> &'static str {
        "mock keychain file (tests only: TIMEBRIDGE_SECRET_STORE=mock-file:…)"
    }
}

/// Every secret operation fails with this when a release build was started with a mock store
/// selected: the switch is for tests only and must not quietly keep secrets in memory (or in a
/// plain-text file) on a payroll clerk's machine.
pub struct RefusedStore {
    choice: String,
}

impl RefusedStore {
    fn error(&self) -> AppError {
        AppError::new(
            ErrorCode::Config,
            format!(
                "{SECRET_STORE_ENV}={} is a switch for tests and release builds refuse it: unset {SECRET_STORE_ENV} so Timebridge uses the OS keychain",
                self.choice
            ),
        )
    }
}

impl SecretStore for RefusedStore {
    fn get(&self, _: &str, _: SecretKind) -> Result<Option<Secret>, AppError> {
        Err(self.error())
    }
    fn set(&self, _: &str, _: SecretKind, _: &Secret) -> Result<(), AppError> {
        Err(self.error())
    }
    fn delete(&self, _: &str, _: SecretKind) -> Result<(), AppError> {
        Err(self.error())
    }
    fn describe(&self) -> &'static str {
        "nothing: the test switch TIMEBRIDGE_SECRET_STORE=mock… is refused by release builds"
    }
}

/// Whether this build honours the mock stores: development and test builds only.
pub const MOCKS_ALLOWED: bool = cfg!(debug_assertions);

/// The store the app uses: the in-memory mock when `TIMEBRIDGE_SECRET_STORE=mock`, a mock file
/// with `mock-file:PATH` (both in development and test builds only; a release build refuses them,
/// see [`RefusedStore`]), otherwise the OS keychain with entries filed under `app_identifier` (the
/// identifier the running build was configured with).
pub fn store_from_env(app_identifier: &str) -> Arc<dyn SecretStore> {
    let choice = std::env::var(SECRET_STORE_ENV).unwrap_or_default();
    choose_store(&choice, app_identifier, MOCKS_ALLOWED)
}

fn choose_store(choice: &str, app_identifier: &str, mocks_allowed: bool) -> Arc<dyn SecretStore> {
    let mock_file = choice.strip_prefix("mock-file:").filter(|p| !p.is_empty());
    let wants_mock = choice == "mock" || mock_file.is_some();
    if wants_mock && !mocks_allowed {
        return Arc::new(RefusedStore {
            choice: choice.to_string(),
        });
    }
    if let Some(path) = mock_file {
        return Arc::new(MockFileStore::new(path));
    }
    match choice {
        "mock" => Arc::new(MemoryStore::new()),
        _ => Arc::new(KeychainStore::new(app_identifier)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mock_file_keeps_secrets_across_instances_and_only_for_its_owner() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keychain.json");
        let a = MockFileStore::new(&path);
        a.set("p1", SecretKind::ProtimeClientSecret, &Secret::new("s1"))
            .unwrap();
        a.set("p1", SecretKind::TimeClockApiKey, &Secret::new("k1"))
            .unwrap();
        let b = MockFileStore::new(&path);
        assert_eq!(
            b.get("p1", SecretKind::ProtimeClientSecret)
                .unwrap()
                .unwrap()
                .expose(),
            "s1"
        );
        b.delete("p1", SecretKind::ProtimeClientSecret).unwrap();
        assert!(a
            .get("p1", SecretKind::ProtimeClientSecret)
            .unwrap()
            .is_none());
        assert!(a.get("p1", SecretKind::TimeClockApiKey).unwrap().is_some());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
        }
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(
            a.get("p1", SecretKind::TimeClockApiKey).unwrap_err().code,
            ErrorCode::Storage
        );
    }

    #[test]
    fn memory_store_round_trip() {
        let s = MemoryStore::new();
        assert!(s.get("p1", SecretKind::TimeClockApiKey).unwrap().is_none());
        s.set("p1", SecretKind::TimeClockApiKey, &Secret::new("k1"))
            .unwrap();
        s.set("p1", SecretKind::ProtimeClientSecret, &Secret::new("s1"))
            .unwrap();
        s.set("p2", SecretKind::TimeClockApiKey, &Secret::new("k2"))
            .unwrap();
        assert_eq!(
            s.get("p1", SecretKind::TimeClockApiKey)
                .unwrap()
                .unwrap()
                .expose(),
            "k1"
        );
        assert_eq!(
            s.get("p2", SecretKind::TimeClockApiKey)
                .unwrap()
                .unwrap()
                .expose(),
            "k2"
        );
        s.delete("p1", SecretKind::TimeClockApiKey).unwrap();
        s.delete("p1", SecretKind::TimeClockApiKey).unwrap();
        assert!(s.get("p1", SecretKind::TimeClockApiKey).unwrap().is_none());
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn keychain_accounts_are_per_profile_and_kind() {
        assert_eq!(
            SecretKind::ProtimeClientSecret.account("acme"),
            "acme/protime-client-secret"
        );
        assert_eq!(
            SecretKind::TimeClockApiKey.account("acme"),
            "acme/timeclock-api-key"
        );
    }

    /// A keychain failure names the secret kind and what to do, never a value. (The real keychain is
    /// not touched by tests: they stay hermetic.)
    #[test]
    fn keychain_errors_name_the_kind_and_the_fix() {
        let e = keychain_error(
            SecretKind::TimeClockApiKey,
            "store",
            &keyring::Error::PlatformFailure("no dbus session".into()),
        );
        assert_eq!(e.code, ErrorCode::Storage);
        assert!(e.message.contains("TimeClock 365 API key"), "{}", e.message);
        assert!(e.message.contains("Secret Service"), "{}", e.message);
    }

    #[test]
    fn a_release_build_refuses_the_mock_switches() {
        for choice in ["mock", "mock-file:/tmp/keychain.json"] {
            let s = choose_store(choice, RELEASE_IDENTIFIER, false);
            assert!(s.describe().contains("refused"), "{}", s.describe());
            let e = s.get("p1", SecretKind::TimeClockApiKey).unwrap_err();
            assert_eq!(e.code, ErrorCode::Config);
            assert!(e.message.contains(choice), "{}", e.message);
            assert!(e.message.contains("unset"), "{}", e.message);
            assert!(s
                .set("p1", SecretKind::TimeClockApiKey, &Secret::new("k"))
                .is_err());
            assert!(choose_store(choice, RELEASE_IDENTIFIER, true)
                .describe()
                .contains("mock"));
        }
        assert_eq!(
            choose_store("", RELEASE_IDENTIFIER, false).describe(),
            "OS keychain"
        );
        // Tests run as a debug build: the switch works there.
        const { assert!(MOCKS_ALLOWED) };
    }

    #[test]
    fn mock_store_is_chosen_by_the_environment_variable() {
        // Only the mock branch is exercised: building the keychain store opens nothing until used.
        std::env::set_var(SECRET_STORE_ENV, "mock");
        let s = store_from_env(RELEASE_IDENTIFIER);
        assert!(s.describe().contains("mock"));
    }

    /// The identifier a build runs as: the base Tauri config, with the release overlay's
    /// `identifier` on top when `release` (that is what `tauri build --config` merges).
    fn configured_identifier(release: bool) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let read = |name: &str| -> serde_json::Value {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        let mut id = read("tauri.conf.json")["identifier"].clone();
        if release {
            let overlay = read("tauri.release.conf.json");
            if let Some(own) = overlay.get("identifier") {
                id = own.clone();
            }
        }
        id.as_str().expect("identifier is a string").to_string()
    }

    /// A development build and an installed release must never share keychain entries: the
    /// service names the two builds file secrets under differ, and the release one is the
    /// constant other tools rely on.
    #[test]
    fn dev_and_release_builds_file_secrets_under_different_services() {
        let dev = KeychainStore::new(configured_identifier(false));
        let release = KeychainStore::new(configured_identifier(true));
        assert_eq!(dev.service(), "eu.timebridge.app.dev");
        assert_eq!(release.service(), RELEASE_IDENTIFIER);
        assert_ne!(dev.service(), release.service());
        // The Tauri CLI refuses to bundle a macOS app whose identifier ends in `.app`.
        assert!(!release.service().ends_with(".app"));
    }
}
