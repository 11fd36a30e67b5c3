//! The active profile and its two live clients. For the built-in Sandbox profile the workspace also
//! owns the in-process sandbox server the clients talk to over loopback HTTP.

use crate::activities::{load_catalog, ActivityCatalog};
use crate::profiles::{ProfileSettings, ProfileSummary};
use crate::protime_totals::TotalsCache;
use crate::secrets::{SecretKind, SecretStore};
use crate::{AppError, ErrorCode};
use std::sync::Arc;
use std::time::Duration;
use timebridge_protime::{Environment, ProtimeClient, ProtimeConfig};
use timebridge_sandbox::RunningSandbox;
use timebridge_secret::Secret;
use timebridge_timeclock::{TimeClockClient, TimeClockConfig};

/// Request timeout for both clients unless a profile says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The outbox tenant of the built-in Sandbox profile.
pub const BUILTIN_SANDBOX_TENANT: &str = "built-in sandbox";

/// How long the activity structure is reused before it is read again.
const CATALOG_TTL: Duration = Duration::from_secs(300);

pub struct Workspace {
    pub profile: ProfileSummary,
    pub protime: ProtimeClient,
    pub timeclock: TimeClockClient,
    sandbox: Option<RunningSandbox>,
    /// Activity structure versions the profile names (Protime has no endpoint to list them).
    pub structure_versions: Vec<crate::profiles::StructureVersionConfig>,
    catalog: tokio::sync::Mutex<Option<(std::time::Instant, Arc<ActivityCatalog>)>>,
    /// Where the Protime totals cache lives, and the cache once opened.
    totals_cache_path: std::path::PathBuf,
    totals_cache: std::sync::Mutex<Option<Arc<TotalsCache>>>,
}

/// The profiles' Protime totals cache: one file in the data folder, rows kept apart per profile.
fn default_totals_cache_path() -> std::path::PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("timebridge")
        .join("protime-totals.sqlite")
}

/// The built-in sandbox starts with fresh data every time: its cache is a file of its own, removed
/// when the workspace closes, so no run (or parallel test) sees another's rows.
fn sandbox_totals_cache_path() -> std::path::PathBuf {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    std::env::temp_dir().join(format!(
        "timebridge-sandbox-totals-{}-{}.sqlite",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ))
}

impl Workspace {
    /// Starts the built-in sandbox on a random loopback port and points both clients at it.
    pub async fn open_builtin_sandbox(seed: u64) -> Result<Self, AppError> {
        let config = timebridge_sandbox::SandboxConfig {
            seed,
            ..Default::default()
        };
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
            catalog: Default::default(),
            totals_cache_path: sandbox_totals_cache_path(),
            totals_cache: Default::default(),
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
        let (protime, timeclock) = clients_for_profile(settings, secrets)?;
        Ok(Self {
            profile: settings.summary(),
            protime,
            timeclock,
            sandbox: None,
            structure_versions: settings.structure_versions.clone(),
            catalog: Default::default(),
            totals_cache_path: default_totals_cache_path(),
            totals_cache: Default::default(),
        })
    }

    /// The activity structure, read at most every five minutes (one request per definition).
    pub async fn activity_catalog(&self) -> Result<Arc<ActivityCatalog>, AppError> {
        let mut slot = self.catalog.lock().await;
        if let Some((at, c)) = slot.as_ref() {
            if at.elapsed() < CATALOG_TTL {
                return Ok(c.clone());
            }
        }
        let fresh = Arc::new(load_catalog(&self.protime, &self.structure_versions).await?);
        *slot = Some((std::time::Instant::now(), fresh.clone()));
        Ok(fresh)
    }

    /// Forgets the cached activity structure, so the next read sees writes just made.
    pub async fn invalidate_activity_catalog(&self) {
        *self.catalog.lock().await = None;
    }

    /// The Protime tenant this workspace writes to, as the outbox scopes items. The built-in sandbox
    /// is one tenant to the user whatever port it happens to listen on in this run.
    pub fn tenant_key(&self) -> String {
        if self.sandbox.is_some() {
            BUILTIN_SANDBOX_TENANT.to_string()
        } else {
            crate::clocking::tenant_key(&self.protime)
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

    /// The Protime calculated-totals cache, opened on first use.
    pub fn totals_cache(&self) -> Result<Arc<TotalsCache>, AppError> {
        let mut slot = self
            .totals_cache
            .lock()
            .map_err(|_| AppError::internal("the totals cache slot is poisoned"))?;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let cache = Arc::new(TotalsCache::open(&self.totals_cache_path)?);
        *slot = Some(cache.clone());
        Ok(cache)
    }

    /// The cache key of this workspace's rows: profile and tenant.
    pub fn totals_scope(&self) -> String {
        crate::protime_totals::scope_of(&self.profile)
    }

    /// Stops the in-process sandbox, if any (and removes its private totals cache).
    pub async fn close(mut self) {
        if let Some(s) = self.sandbox.take() {
            s.stop().await;
            self.totals_cache.lock().map(|mut c| c.take()).ok();
            for suffix in ["", "-wal", "-shm"] {
                let mut p = self.totals_cache_path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// Both clients configured for a sandbox (built-in or a `timebridge sandbox` process) at `base_url`,
/// with the sandbox's demo credentials and the default request timeout.
pub fn clients_for_sandbox_url(
    base_url: &str,
) -> Result<(ProtimeClient, TimeClockClient), AppError> {
    clients_for_sandbox_url_with_timeout(base_url, DEFAULT_TIMEOUT)
}

/// [`clients_for_sandbox_url`] with every request timing out after `timeout`.
pub fn clients_for_sandbox_url_with_timeout(
    base_url: &str,
    timeout: Duration,
) -> Result<(ProtimeClient, TimeClockClient), AppError> {
    let base = url::Url::parse(base_url).map_err(|e| {
        AppError::validation(format!("'{base_url}' is not a valid sandbox URL: {e}"))
    })?;
    let join = |p: &str| {
        base.join(p)
            .map_err(|e| AppError::validation(format!("cannot build a URL from '{base_url}': {e}")))
    };
    let protime = ProtimeClient::new(ProtimeConfig {
        environment: Environment::Custom {
            api_base: join("/connector/protimeapi/api/v1/")?,
            token_url: join(&format!(
                "/tenants/{}/connect/token",
                timebridge_sandbox::DEMO_TENANT
            ))?,
        },
        client_id: timebridge_sandbox::DEMO_CLIENT_ID.into(),
        client_secret: Secret::new(timebridge_sandbox::DEMO_CLIENT_SECRET),
        scopes: ProtimeConfig::default_scopes(),
        user_agent: ProtimeConfig::user_agent_for("Timebridge sandbox"),
        timeout,
    })?;
    let timeclock = TimeClockClient::new(TimeClockConfig {
        endpoint: join("/api/v1/json-rpc")?,
        api_key: Secret::new(timebridge_sandbox::DEMO_API_KEY),
        timeout,
    })?;
    Ok((protime, timeclock))
}

/// Both clients for a (non built-in) profile. Every request has a timeout ([`DEFAULT_TIMEOUT`]).
pub fn clients_for_profile(
    settings: &ProfileSettings,
    secrets: &dyn SecretStore,
) -> Result<(ProtimeClient, TimeClockClient), AppError> {
    clients_for_profile_with_timeout(settings, secrets, DEFAULT_TIMEOUT)
}

/// [`clients_for_profile`] with every request timing out after `timeout`.
pub fn clients_for_profile_with_timeout(
    settings: &ProfileSettings,
    secrets: &dyn SecretStore,
    timeout: Duration,
) -> Result<(ProtimeClient, TimeClockClient), AppError> {
    settings.validate()?;
    let missing = |what: &str| {
        AppError::new(
            ErrorCode::Config,
            format!(
                "The profile '{}' has no {what} in the keychain: edit the profile and enter it",
                settings.name
            ),
        )
    };
    let client_secret = secrets
        .get(&settings.id, SecretKind::ProtimeClientSecret)?
        .ok_or_else(|| missing("Protime client secret"))?;
    let api_key = secrets
        .get(&settings.id, SecretKind::TimeClockApiKey)?
        .ok_or_else(|| missing("TimeClock 365 API key"))?;
    let protime = ProtimeClient::new(ProtimeConfig {
        environment: settings.protime.environment()?,
        client_id: settings.client_id.clone(),
        client_secret,
        scopes: settings.scopes.clone(),
        user_agent: ProtimeConfig::user_agent_for(&settings.name),
        timeout,
    })?;
    let timeclock = TimeClockClient::new(TimeClockConfig {
        endpoint: settings.timeclock_url()?,
        api_key,
        timeout,
    })?;
    Ok((protime, timeclock))
}
