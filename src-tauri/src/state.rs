//! Managed state: the profiles (settings store in the app-data folder + secret store), the active workspace,
//! opened lazily on first use (the built-in sandbox on first launch) so the window appears at once,
//! and the outbox in the app-data folder. Switching profiles swaps the workspace.

use std::path::PathBuf;
use std::sync::Arc;
use timebridge_clocking::Outbox;
use timebridge_core::blocking::off_runtime;
use timebridge_core::profiles::{ProfileStore, SettingsStore};
use timebridge_core::secrets::SecretStore;
use timebridge_core::workspace::Workspace;
use timebridge_core::AppError;
use tokio::sync::{Mutex, OnceCell, RwLock};

/// Opens the settings store the profiles live in (tauri-plugin-store in the app).
pub type OpenSettings = Box<dyn Fn() -> Result<Box<dyn SettingsStore>, AppError> + Send + Sync>;

pub struct AppState {
    data_dir: PathBuf,
    secrets: Arc<dyn SecretStore>,
    open_settings: OpenSettings,
    profiles: Mutex<Option<ProfileStore>>,
    /// The active workspace; `None` until first used or while a switch failed.
    workspace: RwLock<Option<Arc<Workspace>>>,
    /// The built-in sandbox is started once and kept, so switching back to it is instant and its
    /// server never leaks.
    builtin: OnceCell<Arc<Workspace>>,
    outbox: OnceCell<Arc<Outbox>>,
}

impl AppState {
    pub fn new(
        data_dir: PathBuf,
        secrets: Arc<dyn SecretStore>,
        open_settings: OpenSettings,
    ) -> Self {
        Self {
            data_dir,
            secrets,
            open_settings,
            profiles: Mutex::new(None),
            workspace: RwLock::new(None),
            builtin: OnceCell::new(),
            outbox: OnceCell::new(),
        }
    }

    pub fn secrets(&self) -> &dyn SecretStore {
        &*self.secrets
    }

    /// Runs `f` on the profile store (opened on first use from the settings store, after moving
    /// the profiles of an older Timebridge into it).
    pub async fn with_profiles<T>(
        &self,
        f: impl FnOnce(&mut ProfileStore, &dyn SecretStore) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut slot = self.profiles.lock().await;
        // Settings files and the keychain block (a disk write, a D-Bus round trip that may wait on
        // an unlock prompt): off the async runtime.
        off_runtime(|| {
            if slot.is_none() {
                let mut settings = (self.open_settings)()?;
                if ProfileStore::migrate_legacy(&mut *settings, &self.data_dir)? {
                    log::info!(
                        "moved the profiles from profiles.json into {}",
                        settings.describe()
                    );
                }
                *slot = Some(ProfileStore::open_in(settings)?);
            }
            let store = slot.as_mut().expect("opened above");
            f(store, &*self.secrets)
        })
    }

    async fn open_workspace(&self, id: &str) -> Result<Arc<Workspace>, AppError> {
        let settings = self.with_profiles(|p, _| p.get(id)).await?;
        if settings.is_builtin() {
            return self
                .builtin
                .get_or_try_init(|| async {
                    Workspace::open_builtin_sandbox(1).await.map(Arc::new)
                })
                .await
                .cloned();
        }
        Ok(Arc::new(Workspace::open(&settings, &*self.secrets).await?))
    }

    /// The active profile's workspace.
    pub async fn workspace(&self) -> Result<Arc<Workspace>, AppError> {
        if let Some(ws) = self.workspace.read().await.as_ref() {
            return Ok(ws.clone());
        }
        let mut slot = self.workspace.write().await;
        if let Some(ws) = slot.as_ref() {
            return Ok(ws.clone());
        }
        let active = self.with_profiles(|p, _| Ok(p.active_id())).await?;
        let ws = self.open_workspace(&active).await?;
        *slot = Some(ws.clone());
        Ok(ws)
    }

    /// Makes `id` the active profile: builds its workspace first, so a profile that cannot open
    /// (a secret missing) leaves the current one active.
    pub async fn switch_profile(&self, id: &str) -> Result<Arc<Workspace>, AppError> {
        let mut slot = self.workspace.write().await;
        let ws = self.open_workspace(id).await?;
        self.with_profiles(|p, _| p.set_active(id)).await?;
        *slot = Some(ws.clone());
        Ok(ws)
    }

    /// Drops the active workspace when the profile `id` changed or was deleted, so the next use
    /// reopens it with the new settings.
    pub async fn forget_workspace_of(&self, id: &str) {
        let mut slot = self.workspace.write().await;
        if slot.as_ref().is_some_and(|ws| ws.profile.id == id) {
            *slot = None;
        }
    }

    /// The active workspace if one is open (never opens one).
    pub async fn current_workspace(&self) -> Option<Arc<Workspace>> {
        self.workspace.read().await.clone()
    }

    /// The outbox database, `timebridge.sqlite` in the app-data folder.
    pub async fn outbox(&self) -> Result<Arc<Outbox>, AppError> {
        self.outbox
            .get_or_try_init(|| async {
                // Creating the folder and opening (and migrating) the database block on the disk.
                off_runtime(|| {
                    std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                        AppError::new(
                            timebridge_core::ErrorCode::Storage,
                            format!(
                                "Cannot create the data folder {}: {e}",
                                self.data_dir.display()
                            ),
                        )
                    })?;
                    Outbox::open(&self.data_dir.join("timebridge.sqlite")).map(Arc::new)
                })
            })
            .await
            .cloned()
    }
}

/// How often queued and uncertain clockings are retried in the background.
const DRAIN_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

/// Sends queued clockings once the connection is back, without the user having to ask. Never on a
/// production profile: writes there are only sent when the user confirms them.
pub fn spawn_outbox_drainer(app: tauri::AppHandle) {
    use tauri::Manager;
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(DRAIN_EVERY).await;
            let state = app.state::<AppState>();
            let (Ok(ws), Ok(outbox)) = (state.workspace().await, state.outbox().await) else {
                continue;
            };
            if ws.profile.is_production {
                continue;
            }
            match timebridge_clocking::service::drain_if_due(&ws, &outbox).await {
                Ok(Some(report)) => tracing::info!(?report, "background outbox drain"),
                Ok(None) => {}
                Err(e) => tracing::warn!("background outbox drain failed: {}", e.message),
            }
        }
    });
}
