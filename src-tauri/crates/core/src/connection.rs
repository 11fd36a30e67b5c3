//! Live connection status of both systems, obtained through the real clients over HTTP.

use crate::profiles::ProfileSettings;
use crate::secrets::SecretStore;
use crate::workspace::Workspace;
use crate::AppError;
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SystemStatus {
    pub ok: bool,
    /// One line in English, e.g. "50 people" (the command line's words; the window translates
    /// `figures`).
    pub summary: String,
    /// What the check counted, for the window to say in the user's language.
    pub figures: Option<StatusFigures>,
    pub error: Option<AppError>,
    pub latency_ms: u32,
}

/// The counts a connection check saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind")]
pub enum StatusFigures {
    /// Protime: the people the client may read.
    Protime { people: u32 },
    /// TimeClock 365: employees with a session today, and their sessions.
    TimeClock { employees: u32, sessions_today: u32 },
}

impl StatusFigures {
    fn summary(self) -> String {
        match self {
            StatusFigures::Protime { people } => format!("{people} people"),
            StatusFigures::TimeClock {
                employees,
                sessions_today,
            } => format!("{employees} employees, {sessions_today} sessions today"),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionStatus {
    pub protime: SystemStatus,
    pub timeclock: SystemStatus,
    /// RFC 3339 time of the check.
    pub checked_at: String,
}

impl SystemStatus {
    fn from_result(result: Result<StatusFigures, AppError>, started: Instant) -> Self {
        let latency_ms = started.elapsed().as_millis().min(u32::MAX as u128) as u32;
        match result {
            Ok(figures) => Self {
                ok: true,
                summary: figures.summary(),
                figures: Some(figures),
                error: None,
                latency_ms,
            },
            Err(e) => Self {
                ok: false,
                summary: e.message.clone(),
                figures: None,
                error: Some(e),
                latency_ms,
            },
        }
    }
}

/// Checks both systems at once: Protime token + `GET /people`; TimeClock 365 `sessions` for today.
pub async fn check(ws: &Workspace) -> ConnectionStatus {
    let protime = async {
        let started = Instant::now();
        let r = async {
            let people = ws.protime.people().await?;
            Ok::<_, AppError>(StatusFigures::Protime {
                people: count(people.len()),
            })
        }
        .await;
        SystemStatus::from_result(r, started)
    };
    let timeclock = async {
        let started = Instant::now();
        let today = chrono::Local::now().date_naive();
        let r = async {
            let employees = ws.timeclock.sessions(today, today).await?;
            let sessions: usize = employees.iter().map(|e| e.sessions.len()).sum();
            Ok::<_, AppError>(StatusFigures::TimeClock {
                employees: count(employees.len()),
                sessions_today: count(sessions),
            })
        }
        .await;
        SystemStatus::from_result(r, started)
    };
    let (protime, timeclock) = tokio::join!(protime, timeclock);
    ConnectionStatus {
        protime,
        timeclock,
        checked_at: chrono::Utc::now().to_rfc3339(),
    }
}

/// Why a connection test failed, for the UI to branch on (and translate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind")]
pub enum ConnectionProblem {
    /// The token endpoint answered 404: no such tenant.
    UnknownTenant,
    /// The token endpoint refused the client id or secret (`invalid_client`).
    WrongSecret,
    /// The token lacks scopes that were requested: refused (`invalid_scope`, 403) or silently narrowed.
    MissingScope {
        requested: Vec<String>,
        granted: Vec<String>,
        missing: Vec<String>,
    },
    /// TimeClock 365 refused the API key.
    KeyRefused,
    /// The host cannot be reached (offline, wrong address, firewall) or did not answer in time.
    Offline,
    /// The host answers but no secure (TLS) connection could be set up.
    TlsFailure,
    /// The profile is incomplete (a secret missing, an address invalid).
    NotConfigured,
    /// Anything else; the message says what.
    Other,
}

/// The result of testing one system.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SystemTest {
    pub ok: bool,
    /// On success a short summary ("50 people"); on failure what happened and what to do.
    pub message: String,
    pub problem: Option<ConnectionProblem>,
    pub latency_ms: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConnectionTest {
    pub profile_id: String,
    pub protime: SystemTest,
    pub timeclock: SystemTest,
    pub checked_at: String,
}

fn elapsed_ms(started: Instant) -> u32 {
    started.elapsed().as_millis().min(u32::MAX as u128) as u32
}

fn failed(problem: ConnectionProblem, message: String, started: Instant) -> SystemTest {
    SystemTest {
        ok: false,
        message,
        problem: Some(problem),
        latency_ms: elapsed_ms(started),
    }
}

/// Tells "cannot reach the host" from "reached it, but TLS failed" after a network error: resolves
/// and connects to `url`'s host with a short timeout.
pub async fn diagnose_network(
    system: &str,
    url: &url::Url,
    error: &str,
) -> (ConnectionProblem, String) {
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let probe = async {
        let addrs: Vec<_> = tokio::net::lookup_host((host.as_str(), port))
            .await
            .ok()?
            .collect();
        for addr in addrs {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                return Some(());
            }
        }
        None
    };
    let reachable = tokio::time::timeout(std::time::Duration::from_secs(5), probe)
        .await
        .ok()
        .flatten()
        .is_some();
    if !reachable {
        return (
            ConnectionProblem::Offline,
            format!(
                "{system} cannot be reached at {host}:{port}: this computer is offline, the address is wrong, or a firewall blocks it. Check the network and the address in the profile."
            ),
        );
    }
    if url.scheme() == "https" && !error.contains("did not answer in time") {
        return (
            ConnectionProblem::TlsFailure,
            format!(
                "{host}:{port} answers, but no secure (TLS) connection to {system} could be set up: the server does not speak https there or its certificate is not trusted. Check the address; a proxy that inspects traffic can also cause this."
            ),
        );
    }
    (
        ConnectionProblem::Offline,
        format!("{system} at {host}:{port} did not answer properly: {error}"),
    )
}

async fn protime_failure(
    e: timebridge_protime::Error,
    granted: Option<Vec<String>>,
    requested: &[String],
    token_url: &url::Url,
    started: Instant,
) -> SystemTest {
    use timebridge_protime::ErrorKind as K;
    let (problem, message) = match e.kind {
        K::NotFound if granted.is_none() => (
            ConnectionProblem::UnknownTenant,
            "Protime does not know this tenant (the token endpoint answered 404). Check the tenant name: it is the first part of your myProtime address.".to_string(),
        ),
        K::Unauthorized if granted.is_none() => (
            ConnectionProblem::WrongSecret,
            "Protime refused the client id or client secret (invalid_client). Enter them again exactly as Protime supplied them.".to_string(),
        ),
        K::Forbidden => {
            let granted = granted.unwrap_or_default();
            let missing: Vec<String> = requested
                .iter()
                .filter(|r| !granted.contains(r))
                .cloned()
                .collect();
            let message = format!(
                "Protime refused a requested scope: {}. Ask Protime to grant it to this API client, or remove it from the profile.",
                if missing.is_empty() {
                    e.message.clone()
                } else {
                    missing.join(", ")
                }
            );
            (
                ConnectionProblem::MissingScope {
                    requested: requested.to_vec(),
                    granted,
                    missing,
                },
                message,
            )
        }
        K::Network => diagnose_network("Protime", token_url, &e.message).await,
        K::Config => (ConnectionProblem::NotConfigured, e.message.clone()),
        _ => (ConnectionProblem::Other, e.message.clone()),
    };
    failed(problem, message, started)
}

/// Tests Protime: a token (its granted scopes compared with the requested ones), then `GET /people`.
pub async fn test_protime(
    client: &timebridge_protime::ProtimeClient,
    requested: &[String],
    token_url: &url::Url,
) -> SystemTest {
    let started = Instant::now();
    let token = match client.request_token().await {
        Ok(t) => t,
        Err(e) => return protime_failure(e, None, requested, token_url, started).await,
    };
    let granted: Vec<String> = token.scope.split_whitespace().map(str::to_string).collect();
    let missing: Vec<String> = token
        .missing_scopes(requested)
        .into_iter()
        .map(str::to_string)
        .collect();
    if !missing.is_empty() {
        let message = format!(
            "Protime granted fewer scopes than requested. Missing: {}. Granted: {}. Ask Protime to grant the missing scopes to this API client, or remove them from the profile.",
            missing.join(", "),
            if granted.is_empty() {
                "none".to_string()
            } else {
                granted.join(", ")
            }
        );
        return failed(
            ConnectionProblem::MissingScope {
                requested: requested.to_vec(),
                granted,
                missing,
            },
            message,
            started,
        );
    }
    match client.people().await {
        Ok(people) => SystemTest {
            ok: true,
            message: format!("{} people", people.len()),
            problem: None,
            latency_ms: elapsed_ms(started),
        },
        Err(e) => protime_failure(e, Some(granted), requested, token_url, started).await,
    }
}

/// Tests TimeClock 365: today's sessions.
pub async fn test_timeclock(client: &timebridge_timeclock::TimeClockClient) -> SystemTest {
    use timebridge_timeclock::ErrorKind as K;
    let started = Instant::now();
    let today = chrono::Local::now().date_naive();
    match client.sessions(today, today).await {
        Ok(employees) => SystemTest {
            ok: true,
            message: format!("{} employees", employees.len()),
            problem: None,
            latency_ms: elapsed_ms(started),
        },
        Err(e) => {
            let (problem, message) = match e.kind {
                K::Unauthorized => (
                    ConnectionProblem::KeyRefused,
                    "TimeClock 365 refused the API key. Create a new key in TimeClock 365 and enter it in the profile.".to_string(),
                ),
                K::Network => {
                    diagnose_network("TimeClock 365", client.endpoint(), &e.message).await
                }
                K::Config => (ConnectionProblem::NotConfigured, e.message.clone()),
                _ => (ConnectionProblem::Other, e.message.clone()),
            };
            failed(problem, message, started)
        }
    }
}

/// Tests both systems of a profile with its stored secrets. The built-in Sandbox profile is tested
/// through `active` when that is its running workspace, else through a fresh one.
pub async fn test_profile(
    settings: &ProfileSettings,
    secrets: &dyn SecretStore,
    active: Option<&Workspace>,
) -> ConnectionTest {
    let started = Instant::now();
    let not_configured = |e: AppError| {
        let t = failed(ConnectionProblem::NotConfigured, e.message.clone(), started);
        ConnectionTest {
            profile_id: settings.id.clone(),
            protime: t.clone(),
            timeclock: t,
            checked_at: chrono::Utc::now().to_rfc3339(),
        }
    };
    let mut owned: Option<Workspace> = None;
    let (protime, timeclock, token_url) = if settings.is_builtin() {
        let ws = match active.filter(|w| w.profile.id == settings.id) {
            Some(ws) => ws,
            None => match Workspace::open(settings, secrets).await {
                Ok(ws) => owned.insert(ws),
                Err(e) => return not_configured(e),
            },
        };
        let token_url = ws.protime.token_url().clone();
        (ws.protime.clone(), ws.timeclock.clone(), token_url)
    } else {
        let clients = crate::secrets::off_runtime(|| {
            crate::workspace::clients_for_profile(settings, secrets)
        });
        let urls = settings.protime.environment().and_then(|e| Ok(e.urls()?));
        match (clients, urls) {
            (Ok((p, t)), Ok((_, token))) => (p, t, token),
            (Err(e), _) | (_, Err(e)) => return not_configured(e),
        }
    };
    let (protime, timeclock) = tokio::join!(
        test_protime(&protime, &settings.scopes, &token_url),
        test_timeclock(&timeclock)
    );
    if let Some(ws) = owned {
        ws.close().await;
    }
    ConnectionTest {
        profile_id: settings.id.clone(),
        protime,
        timeclock,
        checked_at: chrono::Utc::now().to_rfc3339(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn builtin_sandbox_reports_both_systems_green() {
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let status = check(&ws).await;
        assert!(status.protime.ok, "{:?}", status.protime);
        assert_eq!(status.protime.summary, "50 people");
        assert_eq!(
            status.protime.figures,
            Some(StatusFigures::Protime { people: 50 })
        );
        assert!(matches!(
            status.timeclock.figures,
            Some(StatusFigures::TimeClock { employees: 60, .. })
        ));
        assert!(status.timeclock.ok, "{:?}", status.timeclock);
        assert!(status.timeclock.summary.starts_with("60 employees"));
        ws.close().await;
    }

    use crate::profiles::{ProfileSettings, ProtimeTarget};
    use crate::secrets::{MemoryStore, SecretKind, SecretStore};
    use timebridge_secret::Secret;

    fn profile_for(base: &str, tenant: &str) -> ProfileSettings {
        ProfileSettings {
            id: "custom".into(),
            name: "Custom".into(),
            color: "#1c7ed6".into(),
            protime: ProtimeTarget::Custom {
                api_base: timebridge_sandbox::Endpoints::under(base).protime_api_base,
                // Another tenant than the sandbox's demo one, for the refused-token cases.
                token_url: format!("{base}/tenants/{tenant}/connect/token"),
            },
            client_id: timebridge_sandbox::DEMO_CLIENT_ID.into(),
            scopes: timebridge_protime::ProtimeConfig::default_scopes(),
            structure_versions: vec![],
            timeclock_endpoint: timebridge_sandbox::Endpoints::under(base).timeclock_endpoint,
            treat_as_production: false,
            timeclock_default_zone: String::new(),
        }
    }

    fn secrets(client_secret: &str, api_key: &str) -> MemoryStore {
        let s = MemoryStore::new();
        s.set(
            "custom",
            SecretKind::ProtimeClientSecret,
            &Secret::new(client_secret),
        )
        .unwrap();
        s.set("custom", SecretKind::TimeClockApiKey, &Secret::new(api_key))
            .unwrap();
        s
    }

    fn demo() -> MemoryStore {
        secrets(
            timebridge_sandbox::DEMO_CLIENT_SECRET,
            timebridge_sandbox::DEMO_API_KEY,
        )
    }

    async fn sandbox() -> timebridge_sandbox::RunningSandbox {
        timebridge_sandbox::start(0, Default::default())
            .await
            .unwrap()
    }

    fn problem(t: &SystemTest) -> ConnectionProblem {
        assert!(!t.ok, "{t:?}");
        t.problem.clone().unwrap()
    }

    #[tokio::test]
    async fn a_custom_profile_on_the_sandbox_passes() {
        let sb = sandbox().await;
        let t = test_profile(&profile_for(&sb.base_url(), "sandbox"), &demo(), None).await;
        assert!(t.protime.ok, "{:?}", t.protime);
        assert_eq!(t.protime.message, "50 people");
        assert!(t.timeclock.ok, "{:?}", t.timeclock);
        assert_eq!(t.timeclock.message, "60 employees");
        sb.stop().await;
    }

    #[tokio::test]
    async fn the_builtin_profile_passes_active_or_not() {
        let store = MemoryStore::new();
        let builtin = ProfileSettings::builtin_sandbox();
        let t = test_profile(&builtin, &store, None).await;
        assert!(t.protime.ok && t.timeclock.ok, "{t:?}");
        let ws = Workspace::open_builtin_sandbox(1).await.unwrap();
        let t = test_profile(&builtin, &store, Some(&ws)).await;
        assert!(t.protime.ok && t.timeclock.ok, "{t:?}");
        ws.close().await;
    }

    #[tokio::test]
    async fn unknown_tenant() {
        let sb = sandbox().await;
        let t = test_profile(&profile_for(&sb.base_url(), "nope"), &demo(), None).await;
        assert_eq!(problem(&t.protime), ConnectionProblem::UnknownTenant);
        assert!(t.protime.message.contains("does not know this tenant"));
        assert!(t.protime.message.contains("Check the tenant name"));
        assert!(t.timeclock.ok);
        sb.stop().await;
    }

    #[tokio::test]
    async fn wrong_secret() {
        let sb = sandbox().await;
        let store = secrets("not-the-secret", timebridge_sandbox::DEMO_API_KEY);
        let t = test_profile(&profile_for(&sb.base_url(), "sandbox"), &store, None).await;
        assert_eq!(problem(&t.protime), ConnectionProblem::WrongSecret);
        assert!(t
            .protime
            .message
            .contains("refused the client id or client secret"));
        assert!(!t.protime.message.contains("not-the-secret"));
        sb.stop().await;
    }

    #[tokio::test]
    async fn missing_scope_compares_granted_with_requested() {
        let sb = sandbox().await;
        sb.protime.configure(|c| {
            c.withheld_scopes = vec!["connector-protimeapi-access-clockings.read".into()]
        });
        let settings = profile_for(&sb.base_url(), "sandbox");
        let t = test_profile(&settings, &demo(), None).await;
        match problem(&t.protime) {
            ConnectionProblem::MissingScope {
                requested,
                granted,
                missing,
            } => {
                assert_eq!(requested, settings.scopes);
                assert_eq!(missing, vec!["connector-protimeapi-access-clockings.read"]);
                assert_eq!(granted.len(), settings.scopes.len() - 1);
            }
            other => panic!("{other:?}"),
        }
        assert!(t
            .protime
            .message
            .contains("Missing: connector-protimeapi-access-clockings.read"));
        assert!(t
            .protime
            .message
            .contains("Granted: connector-protimeapi-people.read"));
        sb.stop().await;
    }

    #[tokio::test]
    async fn key_refused_whatever_status_the_server_uses() {
        for status in [401u16, 403, 200] {
            let mut config = timebridge_sandbox::SandboxConfig::default();
            config.timeclock.auth_status = status;
            let sb = timebridge_sandbox::start(0, config).await.unwrap();
            let store = secrets(timebridge_sandbox::DEMO_CLIENT_SECRET, "wrong-key");
            let t = test_profile(&profile_for(&sb.base_url(), "sandbox"), &store, None).await;
            assert_eq!(
                problem(&t.timeclock),
                ConnectionProblem::KeyRefused,
                "{status}"
            );
            assert!(t.timeclock.message.contains("refused the API key"));
            assert!(!t.timeclock.message.contains("wrong-key"));
            assert!(t.protime.ok);
            sb.stop().await;
        }
    }

    #[tokio::test]
    async fn offline() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let t = test_profile(&profile_for(&base, "sandbox"), &demo(), None).await;
        for s in [&t.protime, &t.timeclock] {
            assert_eq!(problem(s), ConnectionProblem::Offline);
            assert!(s.message.contains("cannot be reached"), "{}", s.message);
            assert!(s.message.contains("offline"), "{}", s.message);
        }
    }

    #[tokio::test]
    async fn tls_failure() {
        // The sandbox speaks plain http: an https client reaches the port but the handshake fails.
        let sb = sandbox().await;
        let https = sb.base_url().replace("http://", "https://");
        let t = test_profile(&profile_for(&https, "sandbox"), &demo(), None).await;
        for s in [&t.protime, &t.timeclock] {
            assert_eq!(problem(s), ConnectionProblem::TlsFailure);
            assert!(
                s.message.contains("no secure (TLS) connection"),
                "{}",
                s.message
            );
        }
        sb.stop().await;
    }

    #[tokio::test]
    async fn missing_secrets_are_reported_as_not_configured() {
        let sb = sandbox().await;
        let t = test_profile(
            &profile_for(&sb.base_url(), "sandbox"),
            &MemoryStore::new(),
            None,
        )
        .await;
        assert_eq!(problem(&t.protime), ConnectionProblem::NotConfigured);
        assert!(t.protime.message.contains("no Protime client secret"));
        sb.stop().await;
    }
}
