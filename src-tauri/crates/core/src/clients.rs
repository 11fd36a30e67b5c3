//! The composition root: the one place the Protime and TimeClock 365 clients are built, for the app's
//! workspace (built-in sandbox or a saved profile) and for the command line (a profile, a
//! `timebridge sandbox` address, or addresses and secrets given as flags). Whatever the caller, the
//! clients get the same credentials handling, user agent and timeouts.

use crate::profiles::ProfileSettings;
use crate::secrets::{SecretKind, SecretStore};
use crate::{AppError, ErrorCode};
use std::time::Duration;
use timebridge_protime::{Environment, ProtimeClient, ProtimeConfig};
use timebridge_secret::Secret;
use timebridge_timeclock::{TimeClockClient, TimeClockConfig};

/// Request timeout for both clients unless a profile says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A Protime client for one tenant; `agent_name` names the caller in the User-Agent.
pub fn protime_client(
    environment: Environment,
    client_id: &str,
    client_secret: Secret,
    scopes: Vec<String>,
    agent_name: &str,
    timeout: Duration,
) -> Result<ProtimeClient, AppError> {
    Ok(ProtimeClient::new(ProtimeConfig {
        environment,
        client_id: client_id.to_string(),
        client_secret,
        scopes,
        user_agent: ProtimeConfig::user_agent_for(agent_name),
        timeout,
    })?)
}

/// A TimeClock 365 client for one JSON-RPC endpoint. Sessions without a usable time zone are read in
/// `default_zone` (an IANA name; empty or unknown means UTC); the report flags every row that needed it.
pub fn timeclock_client(
    endpoint: url::Url,
    api_key: Secret,
    timeout: Duration,
    default_zone: &str,
) -> Result<TimeClockClient, AppError> {
    let mut options = timebridge_timeclock::ClientOptions::default();
    if let Some(zone) = timebridge_timeclock::zone::parse_zone(default_zone) {
        options.default_zone = zone;
    }
    Ok(TimeClockClient::with_options(
        TimeClockConfig {
            endpoint,
            api_key,
            timeout,
        },
        options,
    )?)
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
    if base.path() != "/" || base.query().is_some() {
        return Err(AppError::validation(format!(
            "'{base_url}' is not a sandbox address: give only its scheme, host and port, e.g. http://127.0.0.1:8080"
        )));
    }
    let endpoints = timebridge_sandbox::Endpoints::under(base.as_str());
    let url = |text: &str| {
        text.parse::<url::Url>()
            .map_err(|e| AppError::validation(format!("cannot build a URL from '{base_url}': {e}")))
    };
    let protime = protime_client(
        Environment::Custom {
            api_base: url(&endpoints.protime_api_base)?,
            token_url: url(&endpoints.protime_token_url)?,
        },
        timebridge_sandbox::DEMO_CLIENT_ID,
        Secret::new(timebridge_sandbox::DEMO_CLIENT_SECRET),
        ProtimeConfig::default_scopes(),
        "Timebridge sandbox",
        timeout,
    )?;
    let timeclock = timeclock_client(
        url(&endpoints.timeclock_endpoint)?,
        Secret::new(timebridge_sandbox::DEMO_API_KEY),
        timeout,
        "",
    )?;
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
    let protime = protime_client(
        settings.protime.environment()?,
        &settings.client_id,
        client_secret,
        settings.scopes.clone(),
        &settings.name,
        timeout,
    )?;
    let timeclock = timeclock_client(
        settings.timeclock_url()?,
        api_key,
        timeout,
        &settings.timeclock_default_zone,
    )?;
    Ok((protime, timeclock))
}
