//! The built-in sandbox: simulators of both APIs on one loopback port, with seeded demo data.
//!
//! This crate never imports the client crates or their models: it is a second, independent reading of
//! the contracts in `shared/spec/`, so the tests between client and sandbox can catch a misreading.
//!
//! Routes on one port:
//! - `POST /tenants/{tenant}/connect/token` and `/connector/protimeapi/api/v1/...` — Protime;
//! - `POST /api/v1/json-rpc` — TimeClock 365.
//!
//! Both are served by the sandbox's own accept loop ([`server`]): every connection has a kill switch,
//! so a "connection reset" fault closes the socket without an answer and nothing relies on a panic
//! (release builds abort on panic).

// axum handlers return `Result<_, Response>`; the large error variant is intended (newer clippy).
#![allow(clippy::result_large_err)]

pub mod protime;
pub mod roster;
pub mod server;
pub mod timeclock;

use std::net::SocketAddr;
use tokio::sync::oneshot;

/// The demo tenant, OAuth2 client and TimeClock 365 key the sandbox accepts.
pub const DEMO_TENANT: &str = "sandbox";
pub const DEMO_CLIENT_ID: &str = "timebridge-sandbox";
pub const DEMO_CLIENT_SECRET: &str = "sandbox-secret";
pub const DEMO_API_KEY: &str = "sandbox-key";

/// Everything that shapes a sandbox run.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Same seed, same demo data.
    pub seed: u64,
    pub protime: protime::ProtimeSimConfig,
    pub timeclock: timeclock::TimeClockSimConfig,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            protime: Default::default(),
            timeclock: Default::default(),
        }
    }
}

/// `timebridge sandbox` options. Each simulator contributes its own switches.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 to listen on; 0 picks a free one (the ready line shows it).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Seed of the demo data: the same seed always gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub protime: protime::ProtimeSimArgs,
    #[command(flatten)]
    pub timeclock: timeclock::TimeClockSimArgs,
}

impl SandboxArgs {
    /// Validates the switches and builds the configuration.
    pub fn to_config(&self) -> Result<SandboxConfig, String> {
        Ok(SandboxConfig {
            seed: self.seed,
            protime: self.protime.to_config()?,
            timeclock: self.timeclock.to_config()?,
        })
    }
}

/// A sandbox serving on loopback. Dropping it does not stop it; call [`RunningSandbox::stop`].
pub struct RunningSandbox {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    /// Shared state of the Protime simulator, for tests that inspect or steer it.
    pub protime: protime::ProtimeSim,
    pub timeclock: timeclock::TimeClockSim,
}

/// The sandbox's endpoint layout under its base URL: the one place it is written, for the running
/// server's accessors and for everything that points clients at a sandbox (the app's built-in one or
/// a `timebridge sandbox` process), with the demo credentials above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The Protime API base, ending in `/connector/protimeapi/api/v1/` as on a real tenant.
    pub protime_api_base: String,
    /// The OAuth2 token endpoint of the demo tenant.
    pub protime_token_url: String,
    /// The TimeClock 365 JSON-RPC endpoint.
    pub timeclock_endpoint: String,
}

impl Endpoints {
    /// The endpoints of a sandbox at `base_url` (`http://127.0.0.1:8080`, with or without a final `/`).
    pub fn under(base_url: &str) -> Self {
        let base = base_url.trim().trim_end_matches('/');
        Self {
            protime_api_base: format!("{base}/connector/protimeapi/api/v1/"),
            protime_token_url: format!("{base}/tenants/{DEMO_TENANT}/connect/token"),
            timeclock_endpoint: format!("{base}/api/v1/json-rpc"),
        }
    }
}

impl RunningSandbox {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:<port>`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Where this server answers each API.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::under(&self.base_url())
    }
    pub fn protime_api_base(&self) -> String {
        self.endpoints().protime_api_base
    }
    pub fn protime_token_url(&self) -> String {
        self.endpoints().protime_token_url
    }
    pub fn timeclock_endpoint(&self) -> String {
        self.endpoints().timeclock_endpoint
    }

    /// Stops accepting connections, lets requests in flight finish (at most
    /// [`server::STOP_GRACE`], then their connections are dropped), and waits for the server to end.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Binds `127.0.0.1:<port>` (0 = any free port) and serves both simulators until stopped.
pub async fn start(port: u16, config: SandboxConfig) -> std::io::Result<RunningSandbox> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let roster = roster::Roster::generate(
        config.seed,
        config.timeclock.employees.max(roster::PROTIME_PEOPLE),
    );
    let timeclock = timeclock::TimeClockSim::new(config.seed, &roster, config.timeclock.clone());
    // Protime's clockings of the people who clock in both systems follow their TimeClock 365 sessions.
    let protime = protime::ProtimeSim::new(
        config.seed,
        &roster,
        config.protime.clone(),
        Some(timeclock.company()),
    );
    let app = axum::Router::new()
        .merge(protime.router())
        .merge(timeclock.router());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(server::serve(listener, app, rx));
    Ok(RunningSandbox {
        addr,
        shutdown: Some(tx),
        task,
        protime,
        timeclock,
    })
}
