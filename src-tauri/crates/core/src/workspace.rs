//! The active profile and its two live clients. For the built-in Sandbox profile the workspace also
//! owns the in-process sandbox server the clients talk to over loopback HTTP.
//!
//! The workspace knows no domain: caches a domain keeps per workspace (the clocking form's activity
//! structure, the Protime totals cache) hang on it as [`Workspace::extension`]s of the domain's own
//! types, and local files it needs come from [`Workspace::local_file`].

use crate::profiles::{ProfileSettings, ProfileSummary};
use crate::secrets::SecretStore;
use crate::AppError;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use timebridge_protime::ProtimeClient;
use timebridge_sandbox::RunningSandbox;
use timebridge_timeclock::TimeClockClient;

pub use crate::clients::{
    clients_for_profile, clients_for_profile_with_timeout, clients_for_sandbox_url,
    clients_for_sandbox_url_with_timeout, DEFAULT_TIMEOUT,
};

/// The outbox tenant of the built-in Sandbox profile.
pub const BUILTIN_SANDBOX_TENANT: &str = "built-in sandbox";

pub struct Workspace {
    pub profile: ProfileSummary,
    pub protime: ProtimeClient,
    pub timeclock: TimeClockClient,
    sandbox: Option<RunningSandbox>,
    /// Activity structure versions the profile names (Protime has no endpoint to list them).
    pub structure_versions: Vec<crate::profiles::StructureVersionConfig>,
    /// Per-workspace state of the domains, one value per type.
    extensions: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    /// Bumped by every write to the activity structure, so caches of it read it again.
    activity_structure_version: AtomicU64,
    /// Where [`Self::local_file`]s live.
    files: LocalFiles,
}

/// Where a workspace keeps its local files.
enum LocalFiles {
    /// The data folder, shared by the profiles (each domain keeps their rows apart).
    DataFolder,
    /// The built-in sandbox starts with fresh data every time: its files have a private prefix in
    /// the temp folder and are removed when the workspace closes, so no run (or parallel test) sees
    /// another's rows.
    Private {
        prefix: String,
        used: Mutex<Vec<PathBuf>>,
    },
}

impl LocalFiles {
    fn private() -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        LocalFiles::Private {
            prefix: format!(
                "timebridge-sandbox-{}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ),
            used: Mutex::new(Vec::new()),
        }
    }
}

impl Workspace {
    /// Starts the built-in sandbox on a random loopback port and points both clients at it.
    pub async fn open_builtin_sandbox(seed: u64) -> Result<Self, AppError> {
        Self::open_sandbox_with(timebridge_sandbox::SandboxConfig {
            seed,
            ..Default::default()
        })
        .await
    }

    /// The built-in sandbox profile on a sandbox configured as given (tests that need its data
    /// switches, e.g. a closed period).
    pub async fn open_sandbox_with(
        config: timebridge_sandbox::SandboxConfig,
    ) -> Result<Self, AppError> {
        let sandbox = timebridge_sandbox::start(0, config).await.map_err(|e| {
            AppError::internal(format!("The built-in sandbox could not start: {e}"))
        })?;
        let (protime, timeclock) = clients_for_sandbox_url(&sandbox.base_url())?;
        Ok(Self {
            profile: ProfileSummary::builtin_sandbox(),
            protime,
            timeclock,
            sandbox: Some(sandbox),
            structure_versions: Vec::new(),
            extensions: Default::default(),
            activity_structure_version: AtomicU64::new(0),
            files: LocalFiles::private(),
        })
    }

    /// Opens a workspace for a profile: the built-in sandbox, or both clients pointed at the profile's
    /// tenant with the secrets from `secrets`.
    pub async fn open(
        settings: &ProfileSettings,
        secrets: &dyn SecretStore,
    ) -> Result<Self, AppError> {
        if settings.is_builtin() {
            return Self::open_builtin_sandbox(1).await;
        }
        // Reading the two secrets is a blocking keychain call.
        let (protime, timeclock) =
            crate::secrets::off_runtime(|| clients_for_profile(settings, secrets))?;
        Ok(Self {
            profile: settings.summary(),
            protime,
            timeclock,
            sandbox: None,
            structure_versions: settings.structure_versions.clone(),
            extensions: Default::default(),
            activity_structure_version: AtomicU64::new(0),
            files: LocalFiles::DataFolder,
        })
    }

    /// This workspace's value of type `T` (created with `T::default()` on first use): where a domain
    /// keeps what it caches per workspace.
    pub fn extension<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut map = self
            .extensions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let value = map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()))
            .clone();
        drop(map);
        value
            .downcast::<T>()
            .expect("an extension is stored under its own type id")
    }

    /// Notes a write to the activity structure, so the next read of a cached structure sees it.
    pub fn activity_structure_changed(&self) {
        self.activity_structure_version
            .fetch_add(1, Ordering::SeqCst);
    }

    /// How many writes to the activity structure this workspace has seen
    /// ([`Self::activity_structure_changed`]); a cache of the structure read at another version is
    /// stale.
    pub fn activity_structure_version(&self) -> u64 {
        self.activity_structure_version.load(Ordering::SeqCst)
    }

    /// The path of a local file named `name` (e.g. `protime-totals.sqlite`): in the data folder,
    /// or for the built-in sandbox a private file removed when the workspace closes.
    pub fn local_file(&self, name: &str) -> PathBuf {
        match &self.files {
            LocalFiles::DataFolder => dirs::data_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("timebridge")
                .join(name),
            LocalFiles::Private { prefix, used } => {
                let path = std::env::temp_dir().join(format!("{prefix}-{name}"));
                let mut used = used
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if !used.contains(&path) {
                    used.push(path.clone());
                }
                path
            }
        }
    }

    /// The Protime tenant this workspace writes to, as the outbox scopes items. The built-in sandbox
    /// is one tenant to the user whatever port it happens to listen on in this run.
    pub fn tenant_key(&self) -> String {
        if self.sandbox.is_some() {
            BUILTIN_SANDBOX_TENANT.to_string()
        } else {
            tenant_key(&self.protime)
        }
    }

    /// The loopback URL of the in-process sandbox, when this workspace runs one.
    pub fn sandbox_url(&self) -> Option<String> {
        self.sandbox.as_ref().map(|s| s.base_url())
    }

    /// The in-process sandbox, for tests that steer it.
    pub fn sandbox_handle(&self) -> Option<&RunningSandbox> {
        self.sandbox.as_ref()
    }

    /// Stops the in-process sandbox, if any (and removes its private local files, after dropping
    /// the extensions that may hold them open).
    pub async fn close(mut self) {
        if let Some(s) = self.sandbox.take() {
            s.stop().await;
            self.extensions.lock().map(|mut e| e.clear()).ok();
            if let LocalFiles::Private { used, .. } = &self.files {
                let used = used.lock().map(|u| u.clone()).unwrap_or_default();
                for path in used {
                    for suffix in ["", "-wal", "-shm"] {
                        let mut p = path.clone().into_os_string();
                        p.push(suffix);
                        let _ = std::fs::remove_file(p);
                    }
                }
            }
        }
    }
}

/// The identity of the Protime tenant a client writes to: its API base and the tenant of its token
/// URL. Outbox items and import keys are scoped to it, so nothing meant for one tenant is ever taken
/// as sent (or sent) to another.
pub fn tenant_key(client: &ProtimeClient) -> String {
    tenant_key_of_urls(client.api_base(), client.token_url())
}

/// [`tenant_key`] from the two addresses a profile or the command line names.
pub fn tenant_key_of_urls(api_base: &url::Url, token_url: &url::Url) -> String {
    format!("{api_base} via {token_url}")
}

/// Proof that a command may write to the workspace's tenant: the production check was made on this
/// very workspace. Every write service takes one instead of a bare [`Workspace`], so no write can be
/// reached without the check, and a profile switched between the check and the write cannot receive
/// it (the write goes where the check was made). Take it once per command with [`Workspace::writer`].
pub struct WriteAccess<'a> {
    workspace: &'a Workspace,
}

impl Workspace {
    /// Write access to this workspace: refused with `ConfirmationRequired` on a production profile
    /// unless the user confirmed this write.
    pub fn writer(&self, confirmed: bool) -> Result<WriteAccess<'_>, AppError> {
        crate::profiles::ensure_write_allowed(&self.profile, confirmed)?;
        Ok(WriteAccess { workspace: self })
    }
}

impl std::ops::Deref for WriteAccess<'_> {
    type Target = Workspace;
    fn deref(&self) -> &Workspace {
        self.workspace
    }
}
