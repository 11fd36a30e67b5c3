//! Connection options shared by every command that talks to Protime or TimeClock 365.

use std::path::PathBuf;
use std::time::Duration;
use timebridge_core::clients::{
    clients_for_profile_with_timeout, clients_for_sandbox_url_with_timeout, protime_client,
    timeclock_client,
};
use timebridge_core::profiles::{ProfileSettings, ProfileStore};
use timebridge_core::secrets::RELEASE_IDENTIFIER;
use timebridge_protime::{Environment, ProtimeClient, ProtimeConfig, TenantName};
use timebridge_secret::Secret;
use timebridge_timeclock::TimeClockClient;

pub const PROTIME_SECRET_ENV: &str = "TIMEBRIDGE_PROTIME_CLIENT_SECRET";
pub const TIMECLOCK_KEY_ENV: &str = "TIMEBRIDGE_TIMECLOCK_API_KEY";

#[derive(Debug, Clone, clap::Args)]
pub struct ConnectionArgs {
    /// A profile saved in the Timebridge app (its name or id): its tenant and endpoint from the
    /// app's settings, its secrets from the OS keychain.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["sandbox_url", "protime_tenant", "protime_api", "timeclock_endpoint"])]
    pub profile: Option<String>,
    /// With --profile: the app's settings file (default: settings.json in the installed app's
    /// data folder).
    #[arg(long, value_name = "FILE", requires = "profile")]
    pub settings: Option<std::path::PathBuf>,
    /// A running `timebridge sandbox` (e.g. http://127.0.0.1:8080): both systems with its demo credentials.
    #[arg(long, value_name = "URL", conflicts_with_all = ["protime_tenant", "protime_api"])]
    pub sandbox_url: Option<String>,
    /// Protime tenant name (the sub-domain of your myProtime address).
    #[arg(long, value_name = "TENANT")]
    pub protime_tenant: Option<String>,
    /// With --protime-tenant: `production` or `sandbox-environment`.
    #[arg(long, value_name = "ENV", default_value = "production")]
    pub protime_environment: String,
    /// Explicit Protime API base URL (…/connector/protimeapi/api/v1/); needs --protime-token-url.
    #[arg(long, value_name = "URL", requires = "protime_token_url")]
    pub protime_api: Option<String>,
    #[arg(long, value_name = "URL")]
    pub protime_token_url: Option<String>,
    /// OAuth2 client id; the secret is read from TIMEBRIDGE_PROTIME_CLIENT_SECRET.
    #[arg(long, value_name = "ID")]
    pub protime_client_id: Option<String>,
    /// TimeClock 365 JSON-RPC endpoint (default: the live one); the key is read from
    /// TIMEBRIDGE_TIMECLOCK_API_KEY.
    #[arg(long, value_name = "URL")]
    pub timeclock_endpoint: Option<String>,
    /// Seconds to wait for one HTTP answer.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
}

pub struct Connection {
    pub protime: ProtimeClient,
    /// The Protime tenant (API base and tenant name): outbox items and caches are scoped to it, so
    /// nothing meant for one tenant is ever sent to, or taken as sent by, another.
    pub target: String,
    /// `--timeout`: how long one HTTP answer may take.
    pub timeout: Duration,
}

impl ConnectionArgs {
    fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.timeout.max(1))
    }

    pub fn connect(&self) -> Result<Connection, String> {
        if self.timeout == 0 {
            return Err("--timeout must be at least 1 second".into());
        }
        let timeout = self.request_timeout();
        let connection = |protime: ProtimeClient| Connection {
            target: timebridge_clocking::tenant_key(&protime),
            protime,
            timeout,
        };
        if self.profile.is_some() {
            let (_, protime, _) = self.profile_clients()?;
            return Ok(connection(protime));
        }
        if let Some(url) = &self.sandbox_url {
            let (protime, _timeclock) =
                clients_for_sandbox_url_with_timeout(url, timeout).map_err(|e| e.to_string())?;
            return Ok(connection(protime));
        }
        let environment = match (&self.protime_tenant, &self.protime_api, &self.protime_token_url) {
            (Some(t), None, _) => {
                let tenant = TenantName::parse(t).map_err(|e| e.message)?;
                match self.protime_environment.as_str() {
                    "production" => Environment::Production(tenant),
                    "sandbox-environment" => Environment::SandboxEnvironment(tenant),
                    other => {
                        return Err(format!(
                            "--protime-environment '{other}' is not known: use production or sandbox-environment"
                        ))
                    }
                }
            }
            (None, Some(api), Some(token)) => Environment::Custom {
                api_base: api.parse().map_err(|e| format!("--protime-api '{api}' is not a URL: {e}"))?,
                token_url: token.parse().map_err(|e| format!("--protime-token-url '{token}' is not a URL: {e}"))?,
            },
            (Some(_), Some(_), _) => return Err("give either --protime-tenant or --protime-api, not both".into()),
            _ => {
                return Err(
                    "say where Protime is: --sandbox-url URL, --protime-tenant NAME, or --protime-api URL with --protime-token-url URL"
                        .into(),
                )
            }
        };
        let client_id = self
            .protime_client_id
            .clone()
            .ok_or("--protime-client-id is required (the secret comes from TIMEBRIDGE_PROTIME_CLIENT_SECRET)")?;
        let secret = std::env::var(PROTIME_SECRET_ENV)
            .map_err(|_| format!("set {PROTIME_SECRET_ENV} to the Protime client secret"))?;
        let protime = protime_client(
            environment,
            &client_id,
            Secret::new(secret),
            ProtimeConfig::default_scopes(),
            "Timebridge CLI",
            timeout,
        )
        .map_err(|e| e.message)?;
        Ok(connection(protime))
    }
}

impl ConnectionArgs {
    /// The TimeClock 365 client: the sandbox's, or the endpoint (default: live) with the key from
    /// the environment.
    pub fn timeclock(&self) -> Result<timebridge_timeclock::TimeClockClient, String> {
        if self.profile.is_some() {
            return self.profile_clients().map(|(_, _, timeclock)| timeclock);
        }
        if let Some(url) = &self.sandbox_url {
            let (_, timeclock) = clients_for_sandbox_url_with_timeout(url, self.request_timeout())
                .map_err(|e| e.to_string())?;
            return Ok(timeclock);
        }
        let endpoint = self
            .timeclock_endpoint
            .as_deref()
            .unwrap_or(timebridge_timeclock::DEFAULT_ENDPOINT);
        let key = std::env::var(TIMECLOCK_KEY_ENV).map_err(|_| {
            format!("say where TimeClock 365 is: --sandbox-url URL, or set {TIMECLOCK_KEY_ENV} to the API key")
        })?;
        timeclock_client(
            endpoint
                .parse()
                .map_err(|e| format!("--timeclock-endpoint '{endpoint}' is not a URL: {e}"))?,
            Secret::new(key),
            self.request_timeout(),
            "",
        )
        .map_err(|e| e.message)
    }
}

/// Where the installed app keeps its settings: `settings.json` in the data folder named after the
/// release identifier (what Tauri's app-data folder is on each platform).
pub fn default_settings_path() -> Result<PathBuf, String> {
    let base = dirs::data_dir().ok_or("cannot find your data folder: pass --settings FILE")?;
    Ok(base
        .join(RELEASE_IDENTIFIER)
        .join(timebridge_core::profiles::SETTINGS_FILE))
}

impl ConnectionArgs {
    /// The profile's id and both clients, from the app's settings and the keychain (a blocking
    /// D-Bus round trip: off the async runtime).
    fn profile_clients(&self) -> Result<(String, ProtimeClient, TimeClockClient), String> {
        timebridge_core::blocking::off_runtime(|| self.read_profile_clients())
    }

    /// The saved report (preset) called `name` of the --profile, from the app's settings file.
    pub fn saved_report(
        &self,
        name: &str,
    ) -> Result<timebridge_reports::timesheet::presets::ReportPreset, String> {
        timebridge_core::blocking::off_runtime(|| {
            let (store, found) = self.find_profile()?;
            timebridge_reports::timesheet::presets::find(store.settings(), &found.id, name)
                .map_err(|e| e.message)
        })
    }

    /// The --profile in the app's settings file, by id or by name (case-insensitively).
    fn find_profile(&self) -> Result<(ProfileStore, ProfileSettings), String> {
        let wanted = self.profile.as_deref().unwrap_or_default().trim();
        let path = match &self.settings {
            Some(p) => p.clone(),
            None => default_settings_path()?,
        };
        if !path.exists() {
            return Err(format!(
                "no Timebridge settings at {}: save a profile in the app first, or pass --settings FILE",
                path.display()
            ));
        }
        let store = ProfileStore::open(&path).map_err(|e| e.message)?;
        // The installed app files its secrets under its identifier, as it names its data folder.
        let secrets = timebridge_core::secrets::store_from_env(RELEASE_IDENTIFIER);
        let profiles = store.list(&*secrets).map_err(|e| e.message)?;
        let found = profiles
            .iter()
            .find(|p| {
                p.settings.id == wanted || p.settings.name.trim().eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| {
                let names: Vec<&str> = profiles.iter().map(|p| p.settings.name.as_str()).collect();
                format!(
                    "there is no profile '{wanted}' in {}; the profiles are: {}",
                    path.display(),
                    names.join(", ")
                )
            })?;
        if found.is_builtin {
            return Err(
                "the built-in Sandbox profile runs inside the app: start `timebridge sandbox --port P` and pass --sandbox-url http://127.0.0.1:P instead"
                    .into(),
            );
        }
        let settings = found.settings.clone();
        Ok((store, settings))
    }

    fn read_profile_clients(&self) -> Result<(String, ProtimeClient, TimeClockClient), String> {
        let (_, found) = self.find_profile()?;
        let secrets = timebridge_core::secrets::store_from_env(RELEASE_IDENTIFIER);
        let (protime, timeclock) =
            clients_for_profile_with_timeout(&found, &*secrets, self.request_timeout())
                .map_err(|e| e.message)?;
        Ok((found.id.clone(), protime, timeclock))
    }
}
