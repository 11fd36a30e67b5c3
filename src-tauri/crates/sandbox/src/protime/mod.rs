//! Simulator of the Protime API (`shared/spec/protime-api.md`, section 5 "Simulator checklist").
//!
//! One dispatcher serves `/connector/protimeapi/api/v1/...`: it checks the URI length, injects faults,
//! checks `User-Agent`, the bearer token and the collection scope, then routes to the handlers in
//! [`api`]. The simulator has its own records ([`data`]) and its own filter parser ([`filter`]); it
//! never imports the client crate.
//!
//! Faults ([`Fault`], queued with [`ProtimeSim::inject`] or drawn at random with
//! [`ProtimeSimConfig::fault_rate`]) are the ones real servers show: error statuses, 429, latency, a
//! dropped connection before or after a write was committed (the connection really closes, see
//! [`crate::server`]; no panic), and writes committed after the client gave up
//! ([`Fault::LateCommit`], [`ProtimeSimConfig::write_delay`]).
//!
//! With [`ClockingPostAnswer::Accepted`], `POST /clockings` answers `202` + `Operation-Location` and
//! `GET …/status-monitor/clockings/{n}` (scope `connector-protimeapi-clockings.read`) reports the
//! operation; its body is the sandbox's reading of an UNCONFIRMED point of the spec (see
//! [`AcceptedOutcome`]).
//!
//! Sandbox-only conveniences (not in the contract): `GET /terminals`, `GET /activity-structure-versions`
//! and `GET /activity-structure-versions/{id}` under the API prefix, and the unauthenticated test hooks
//! `GET /sandbox/protime/clockings` and `GET /sandbox/protime/requests` (read back what the sandbox
//! holds and received). Tests in Rust can use [`ProtimeSim::clockings`], [`ProtimeSim::received`],
//! [`ProtimeSim::inject`], [`ProtimeSim::advance_clock`] and friends directly.
//!
//! Demo data (seeded, deterministic): the first 50 roster people (ids 76500…, so the documented person
//! 76547 exists; `@badge-number` 1955 and `@employee-number` 01256 of the examples are aliases of demo
//! people), 10 absence definitions from id 6578 (some `isReasonForClocking`), 6 terminals with
//! `@external-code` and the custom reference `SapTerminalCode` (SAPTO1…), one activity structure version
//! (the documented GUID) with Company › Department › Task and 40 definitions (the documented GUIDs
//! included, data entry codes 00011…, 10011…, 20001…) with usages and restrictions, 60 days of clockings
//! up to today (night shifts with times past 1440, activity clockings, reasons, soft deletes, edited
//! clockings), access clockings from id 1001 (1234 exists) and calculated totals computed from the
//! clockings. The in/out clockings of people who also clock in the TimeClock 365 simulator follow their
//! sessions there, apart from about one seeded correction in 30 days ([`data::protime_correction`]), so a
//! merged report of the demo flags exceptions rather than nearly every day.

mod api;
pub mod data;
pub mod filter;

use crate::roster::{works_nights, Rng, Roster, TimeClockCompany};
use crate::server::ConnectionKill;
use crate::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Extension, Form, Json, Router};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Token lifetime the real token endpoint documents.
const TOKEN_LIFETIME_SECS: i64 = 1800;
/// Documented URI limit.
pub const MAX_URI: usize = 4096;
/// A delta expires this long after its last use.
pub const DELTA_LIFETIME_HOURS: i64 = 72;
pub const API_PREFIX: &str = "/connector/protimeapi/api/v1/";

/// How `POST /clockings` answers on success (the body is undocumented; 202 only in older pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockingPostAnswer {
    /// `201` + `Location`, empty body (the spec's assumption).
    #[default]
    CreatedEmpty,
    /// `201` + `Location` with the created clocking as JSON.
    CreatedWithBody,
    /// `202` + `Operation-Location: {API_PREFIX}status-monitor/clockings/{n}` (older docs). The body is
    /// validated at once (4xx as usual), but the clocking is committed only when the operation
    /// completes (see [`ProtimeSimConfig::accepted_running_polls`] and
    /// [`ProtimeSimConfig::accepted_outcome`]); until then `GET …/status-monitor/clockings/{n}` answers
    /// `Running`.
    Accepted,
}

/// How an accepted (`202`) clocking operation ends.
///
/// UNCONFIRMED point of the spec: the status-monitor resource appears only in older documentation
/// and its body is not documented. The sandbox's reading is `{"id": n, "status": "Running"}`, then
/// `{"id": n, "status": "Succeeded", "resourceLocation": "/connector/protimeapi/api/v1/clockings/{id}"}`
/// or `{"id": n, "status": "Failed", "error": {"code", "message", "reasons"}}` (the API's usual error
/// body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AcceptedOutcome {
    /// The clocking is committed and the operation points at it (default).
    #[default]
    Succeeded,
    /// The operation fails with [`ACCEPTED_FAILURE_REASON`]; nothing is committed.
    Failed,
}

/// The reason a failed accepted operation gives (see [`AcceptedOutcome::Failed`]).
pub const ACCEPTED_FAILURE_REASON: &str =
    "The clocking could not be processed: the period is closed for changes";

/// Switches for behaviour the contract leaves unconfirmed, and for tests. Build with
/// `ProtimeSimConfig { page_size: 7, ..Default::default() }`.
#[derive(Debug, Clone)]
pub struct ProtimeSimConfig {
    /// Items per page of every list (the real page size is undocumented). Default 100.
    pub page_size: usize,
    /// Status for a valid token that lacks the scope: 403 (default, general Responses page) or 401.
    pub scope_failure_status: u16,
    /// Scopes the token endpoint silently leaves out of the grant (spec 2: a token may be narrowed
    /// instead of refused; clients compare the granted `scope`). Default none.
    pub withheld_scopes: Vec<String>,
    /// Status when `User-Agent` is missing (undocumented; default 400).
    pub missing_user_agent_status: u16,
    /// Answer of a successful `POST /clockings`.
    pub clocking_post_answer: ClockingPostAnswer,
    /// Status when a usage PUT/DELETE does not match a stored usage (undocumented; default 400; 404 possible).
    pub usage_mismatch_status: u16,
    /// Status of overlapping usages (undocumented; default 400).
    pub usage_overlap_status: u16,
    /// Status when a delta filter uses `person` (undocumented; default 400).
    pub delta_person_status: u16,
    /// Whether a write with body `externalReferences` also needs the `?externalReferences=` query
    /// (undocumented; default false = accept both).
    pub require_ext_ref_query_on_writes: bool,
    /// Whether `Reason` needs `reason.id` and `Activity` needs `activityLevels` (recommended; default true).
    pub require_kind_fields: bool,
    /// Whether `reason`/`activityLevels` on the wrong kind are refused (default false = ignored).
    pub reject_extra_kind_fields: bool,
    /// Whether `dataEntryCode` is mandatory (tenant configuration; default false = auto-generated).
    pub data_entry_code_mandatory: bool,
    /// Whether a PUT updating a definition that has a parent must repeat the parent (seed text; default true).
    pub put_requires_parent: bool,
    /// Status spelling of unknown-badge access clockings: `UnknownBadgeNumber` (newer) or `UnknownBadge`.
    pub unknown_badge_status: String,
    /// People use the older `countryIsoCode`/`nationalityIsoCode` spelling (default false).
    pub older_iso_spelling: bool,
    /// Links (`nextLink`, `deltaLink`) percent-encoded (true) or raw with spaces and quotes like the
    /// documentation examples (false, default).
    pub encode_links: bool,
    /// Requests per minute before 429 + `Retry-After: 60` (None = unlimited).
    pub rate_limit_per_minute: Option<u32>,
    /// Fraction (0..1) of API requests that fail with a random injected fault.
    pub fault_rate: f64,
    /// Whether the span rule accepts exactly one year inclusive (2024-01-01..2025-01-01); default false.
    pub year_span_inclusive: bool,
    /// Whether a delta start before 1 January of the previous year is refused (documented; default
    /// true). Off lets the documentation's dated examples (`date ge '2024-01-01'`) run literally.
    pub enforce_delta_start_window: bool,
    /// Put an empty page (with a `nextLink`) before every page of every list and initial delta load,
    /// as the contract allows (default false).
    pub insert_empty_pages: bool,
    /// How long a [`Fault::LateCommit`] drawn by [`Self::fault_rate`] holds a write before committing
    /// it (default 5 s; `--late-commit-secs`).
    pub late_commit_delay: Duration,
    /// Every write (POST/PUT/PATCH/DELETE) is held this long, then committed and answered; the commit
    /// happens even if the client has given up meanwhile, as on a real server (default 0;
    /// `--write-delay-ms`).
    pub write_delay: Duration,
    /// Every API request waits this long before it is handled (default 0; `--latency-ms`; changed at
    /// run time with [`ProtimeSim::set_latency`]).
    pub latency: Duration,
    /// With [`ClockingPostAnswer::Accepted`]: the status monitor answers `Running` to this many polls;
    /// the poll after them completes the operation. The operation also completes on its own this many
    /// seconds after it was accepted, whether or not anybody polls (whichever comes first). Default 1.
    /// UNCONFIRMED point of the spec (see [`AcceptedOutcome`]).
    pub accepted_running_polls: u32,
    /// With [`ClockingPostAnswer::Accepted`]: whether the operation succeeds (the clocking is committed)
    /// or fails with reasons (nothing is committed). Default [`AcceptedOutcome::Succeeded`].
    pub accepted_outcome: AcceptedOutcome,
}

impl Default for ProtimeSimConfig {
    fn default() -> Self {
        Self {
            page_size: 100,
            scope_failure_status: 403,
            withheld_scopes: Vec::new(),
            missing_user_agent_status: 400,
            clocking_post_answer: ClockingPostAnswer::CreatedEmpty,
            usage_mismatch_status: 400,
            usage_overlap_status: 400,
            delta_person_status: 400,
            require_ext_ref_query_on_writes: false,
            require_kind_fields: true,
            reject_extra_kind_fields: false,
            data_entry_code_mandatory: false,
            put_requires_parent: true,
            unknown_badge_status: "UnknownBadgeNumber".into(),
            older_iso_spelling: false,
            encode_links: false,
            rate_limit_per_minute: None,
            fault_rate: 0.0,
            year_span_inclusive: false,
            enforce_delta_start_window: true,
            insert_empty_pages: false,
            late_commit_delay: Duration::from_secs(5),
            write_delay: Duration::ZERO,
            latency: Duration::ZERO,
            accepted_running_polls: 1,
            accepted_outcome: AcceptedOutcome::Succeeded,
        }
    }
}

/// Upper bound of `--write-delay-ms` and `--latency-ms` (10 minutes).
pub const MAX_DELAY_MS: u64 = 600_000;
/// Upper bound of `--late-commit-secs` (10 minutes).
pub const MAX_LATE_COMMIT_SECS: u64 = 600;

#[derive(Debug, Clone, clap::Args)]
pub struct ProtimeSimArgs {
    /// Items per page of Protime list answers.
    #[arg(long, default_value_t = 100)]
    pub page_size: usize,
    /// Fraction (0..1) of Protime API requests that fail with a random fault (5xx, 429, latency,
    /// connection reset before or after a write was committed, and for writes a late commit: the write
    /// is held `--late-commit-secs`, then committed even if the client gave up).
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Answer a valid token lacking the scope with 401 instead of 403.
    #[arg(long, default_value_t = false)]
    pub scope_failure_401: bool,
    /// Seconds a late-commit fault (drawn by --fault-rate, writes only) holds a write before it is
    /// committed and answered; the commit happens even if the client has timed out. 1 to 600.
    #[arg(long, default_value_t = 5)]
    pub late_commit_secs: u64,
    /// Hold every Protime write (POST/PUT/PATCH/DELETE) this many milliseconds, then commit and answer
    /// it; the commit happens even if the client has given up meanwhile. 0 to 600000.
    #[arg(long, default_value_t = 0)]
    pub write_delay_ms: u64,
    /// Every Protime API request waits this many milliseconds before it is handled. 0 to 600000.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
}

impl ProtimeSimArgs {
    pub fn to_config(&self) -> Result<ProtimeSimConfig, String> {
        if self.page_size == 0 {
            return Err("--page-size must be at least 1".into());
        }
        if !(0.0..=1.0).contains(&self.fault_rate) {
            return Err("--fault-rate must be between 0 and 1".into());
        }
        if !(1..=MAX_LATE_COMMIT_SECS).contains(&self.late_commit_secs) {
            return Err(format!(
                "--late-commit-secs must be between 1 and {MAX_LATE_COMMIT_SECS} (got {})",
                self.late_commit_secs
            ));
        }
        if self.write_delay_ms > MAX_DELAY_MS {
            return Err(format!(
                "--write-delay-ms must be between 0 and {MAX_DELAY_MS} (got {})",
                self.write_delay_ms
            ));
        }
        if self.latency_ms > MAX_DELAY_MS {
            return Err(format!(
                "--latency-ms must be between 0 and {MAX_DELAY_MS} (got {})",
                self.latency_ms
            ));
        }
        Ok(ProtimeSimConfig {
            page_size: self.page_size,
            fault_rate: self.fault_rate,
            scope_failure_status: if self.scope_failure_401 { 401 } else { 403 },
            late_commit_delay: Duration::from_secs(self.late_commit_secs),
            write_delay: Duration::from_millis(self.write_delay_ms),
            latency: Duration::from_millis(self.latency_ms),
            ..Default::default()
        })
    }
}

/// A fault the next API requests suffer (queued with [`ProtimeSim::inject`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer this 5xx status with the generic error body.
    Status(u16),
    /// 429 with `Retry-After: <seconds>`.
    TooManyRequests { retry_after_secs: u64 },
    /// 429 with `Retry-After` as an HTTP date this many seconds ahead.
    TooManyRequestsHttpDate { retry_after_secs: u64 },
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// Drop the connection without an answer, before doing anything.
    ResetBeforeCommit,
    /// Do the work (a write is committed), then drop the connection without an answer.
    ResetAfterCommit,
    /// For writes: hold the request this long, then commit it and answer, as a slow real server does.
    /// The commit happens even if the client has already timed out and closed the connection. On a
    /// read it is plain latency.
    LateCommit(Duration),
}

/// One request the simulator received (for tests that read back what was sent).
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    pub method: String,
    pub path_and_query: String,
    pub body: String,
    pub user_agent: String,
}

struct IssuedToken {
    expires_at: DateTime<Utc>,
    scopes: Vec<String>,
}

/// One active delta (one per collection).
#[derive(Debug, Clone)]
pub(crate) struct DeltaRec {
    pub id: i64,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub last_used: DateTime<Utc>,
    pub ext_refs: String,
}

pub(crate) struct SimState {
    pub config: ProtimeSimConfig,
    pub people: Vec<data::SimPerson>,
    pub terminals: Vec<data::Terminal>,
    pub absence_defs: Vec<data::AbsenceDef>,
    pub defs: Vec<data::ActivityDef>,
    pub clockings: Vec<data::Clocking>,
    pub access: Vec<data::AccessClocking>,
    pub totals: BTreeMap<(i64, NaiveDate), data::Totals>,
    /// Hard deletes: (collection, id, change version) for `Delete` delta items.
    pub tombstones: Vec<(String, String, u64)>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub next_cv: u64,
    pub next_clocking_id: i64,
    pub deltas: HashMap<String, DeltaRec>,
    pub next_delta_id: i64,
    tokens: HashMap<String, IssuedToken>,
    token_counter: u64,
    clock_offset: chrono::Duration,
    faults: Vec<Fault>,
    latency: Duration,
    rng: Rng,
    pub received: Vec<ReceivedRequest>,
    rate_window: (DateTime<Utc>, u32),
    pub next_operation: i64,
    /// Accepted (`202`) clocking operations by number.
    pub(crate) operations: BTreeMap<i64, Operation>,
    /// Operations accepted by the request being handled, whose completion timer is not started yet.
    pub(crate) operations_to_time: Vec<i64>,
}

/// One accepted (`202`) clocking operation of the status monitor.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub accepted_at: std::time::Instant,
    /// Polls answered `Running` so far.
    pub running_polls: u32,
    pub state: OperationState,
}

#[derive(Debug, Clone)]
pub(crate) enum OperationState {
    /// Validated, not committed yet.
    Running(Box<data::Clocking>),
    Succeeded {
        clocking_id: i64,
    },
    Failed {
        reasons: Vec<String>,
    },
}

impl SimState {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_offset
    }

    /// Stores a validated new clocking under a fresh id and change version; returns the id.
    pub(crate) fn commit_clocking(&mut self, mut c: data::Clocking) -> i64 {
        let id = self.next_clocking_id;
        self.next_clocking_id += 1;
        c.id = id;
        c.cv = self.bump();
        let person = c.person;
        self.clockings.push(c);
        self.recompute_totals(person);
        id
    }

    /// Completes a running accepted operation as configured (commits its clocking, or fails it).
    /// Does nothing to an operation that is unknown or already complete.
    pub(crate) fn complete_operation(&mut self, n: i64) {
        let outcome = self.config.accepted_outcome;
        let Some(op) = self.operations.get_mut(&n) else {
            return;
        };
        let OperationState::Running(draft) = &op.state else {
            return;
        };
        let draft = (**draft).clone();
        let state = match outcome {
            AcceptedOutcome::Succeeded => OperationState::Succeeded {
                clocking_id: self.commit_clocking(draft),
            },
            AcceptedOutcome::Failed => OperationState::Failed {
                reasons: vec![ACCEPTED_FAILURE_REASON.to_string()],
            },
        };
        if let Some(op) = self.operations.get_mut(&n) {
            op.state = state;
        }
    }
    pub fn bump(&mut self) -> u64 {
        self.next_cv += 1;
        self.next_cv
    }
    pub fn person_index(&self, id: i64) -> Option<usize> {
        self.people.iter().find(|p| p.id == id).map(|p| p.index)
    }

    /// Recomputes one person's calculated totals; records whose numbers change get a new change version.
    pub fn recompute_totals(&mut self, person: i64) {
        let Some(index) = self.person_index(person) else {
            return;
        };
        let refs: Vec<&data::Clocking> = self
            .clockings
            .iter()
            .filter(|c| c.person == person)
            .collect();
        // The demo window, plus every other date the person has clockings on.
        let mut dates: Vec<NaiveDate> = self
            .first_day
            .iter_days()
            .take_while(|d| *d <= self.last_day)
            .collect();
        dates.extend(refs.iter().map(|c| c.date));
        dates.sort();
        dates.dedup();
        let rows = data::compute_totals(person, &refs, &dates);
        let mut balance = 0i64;
        for (date, normal, present, calculated) in rows {
            let flextime = calculated - normal;
            balance += flextime;
            let mut rec = data::Totals {
                id: 500_000
                    + index as i64 * 100_000
                    + (date - NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()).num_days(),
                person,
                date,
                normal,
                present,
                calculated,
                flextime,
                balance,
                shift: Some(if works_nights(index) { 12 } else { 11 }),
                cv: 0,
            };
            match self.totals.get(&(person, date)) {
                Some(old)
                    if {
                        rec.cv = old.cv;
                        *old == rec
                    } => {}
                _ => {
                    rec.cv = self.bump();
                    self.totals.insert((person, date), rec);
                }
            }
        }
    }
}

/// The Protime simulator's shared state; clones share it.
#[derive(Clone)]
pub struct ProtimeSim {
    state: Arc<Mutex<SimState>>,
}

impl ProtimeSim {
    /// The demo tenant; the people who also clock in `timeclock` get clockings that agree with it.
    pub fn new(
        seed: u64,
        roster: &Roster,
        config: ProtimeSimConfig,
        timeclock: Option<TimeClockCompany>,
    ) -> Self {
        let today = chrono::Local::now().date_naive();
        let demo = data::generate(seed, roster, today, timeclock);
        let next_clocking_id = demo.clockings.iter().map(|c| c.id).max().unwrap_or(100_000) + 1;
        let latency = config.latency;
        let mut st = SimState {
            config,
            people: demo.people,
            terminals: demo.terminals,
            absence_defs: demo.absence_defs,
            defs: demo.defs,
            clockings: demo.clockings,
            access: demo.access,
            totals: BTreeMap::new(),
            tombstones: Vec::new(),
            first_day: today - chrono::Duration::days(59),
            last_day: today,
            next_cv: demo.next_cv,
            next_clocking_id,
            deltas: HashMap::new(),
            next_delta_id: 30080,
            tokens: HashMap::new(),
            token_counter: 0,
            clock_offset: chrono::Duration::zero(),
            faults: Vec::new(),
            latency,
            rng: Rng::derive(seed, &[0xFA17]),
            received: Vec::new(),
            rate_window: (Utc::now(), 0),
            next_operation: 900,
            operations: BTreeMap::new(),
            operations_to_time: Vec::new(),
        };
        let ids: Vec<i64> = st.people.iter().map(|p| p.id).collect();
        for id in ids {
            st.recompute_totals(id);
        }
        Self {
            state: Arc::new(Mutex::new(st)),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/tenants/{tenant}/connect/token", post(token))
            .route("/connector/protimeapi/api/v1/{*rest}", any(dispatch))
            .route(
                "/sandbox/protime/clockings",
                axum::routing::get(readback_clockings),
            )
            .route(
                "/sandbox/protime/requests",
                axum::routing::get(readback_requests),
            )
            .with_state(self.clone())
    }

    /// Number of people in the simulated tenant.
    pub fn people_count(&self) -> usize {
        self.lock().people.len()
    }

    /// Makes every issued token expire now (fault injection: token expiry).
    pub fn expire_all_tokens(&self) {
        let mut s = self.lock();
        let now = s.now();
        for t in s.tokens.values_mut() {
            t.expires_at = now;
        }
    }

    /// Queues faults: each following API request takes the next one.
    pub fn inject(&self, faults: impl IntoIterator<Item = Fault>) {
        self.lock().faults.extend(faults);
    }
    /// Added latency on every API request.
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }
    pub fn set_fault_rate(&self, rate: f64) {
        self.lock().config.fault_rate = rate.clamp(0.0, 1.0);
    }
    /// Changes the switches at run time.
    pub fn configure(&self, f: impl FnOnce(&mut ProtimeSimConfig)) {
        f(&mut self.lock().config);
    }
    /// Moves the simulator's clock forward (delta expiry, token expiry) without waiting.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.lock().clock_offset += by;
    }
    /// The simulator's notion of now.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    /// Every clocking the tenant holds, as the API would show it.
    pub fn clockings(&self) -> Vec<Value> {
        self.lock().clockings.iter().map(|c| c.to_json()).collect()
    }
    pub fn clocking(&self, id: i64) -> Option<Value> {
        self.lock()
            .clockings
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.to_json())
    }
    /// Calculated totals of one person and date.
    pub fn totals(&self, person: i64, date: NaiveDate) -> Option<Value> {
        self.lock().totals.get(&(person, date)).map(|t| t.to_json())
    }
    /// All activity definitions (every version and level).
    pub fn activity_definitions(&self) -> Vec<Value> {
        self.lock().defs.iter().map(|d| d.to_json()).collect()
    }
    /// Every request received on the API so far.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.lock().received.clone()
    }
    /// Person ids of the demo tenant.
    pub fn person_ids(&self) -> Vec<i64> {
        self.lock().people.iter().map(|p| p.id).collect()
    }

    /// Soft-deletes a clocking as a user in myProtime would: status `Deleted`, new change version.
    pub fn soft_delete_clocking(&self, id: i64) -> bool {
        let mut s = self.lock();
        let cv = s.bump();
        let Some(c) = s.clockings.iter_mut().find(|c| c.id == id) else {
            return false;
        };
        c.status = "Deleted".into();
        c.cv = cv;
        let person = c.person;
        s.recompute_totals(person);
        true
    }
    /// Removes an access clocking for good (delivered as `Delete` in delta).
    pub fn hard_delete_access_clocking(&self, id: i64) -> bool {
        let mut s = self.lock();
        let Some(pos) = s.access.iter().position(|a| a.id == id) else {
            return false;
        };
        s.access.remove(pos);
        let cv = s.bump();
        s.tombstones
            .push(("access-clockings".into(), id.to_string(), cv));
        true
    }
}

/// The `reasons` error body of the contract (controller validation).
pub(crate) fn bad_request(reasons: &[&str]) -> Response {
    reasons_error(StatusCode::BAD_REQUEST, reasons)
}

pub(crate) fn reasons_error(status: StatusCode, reasons: &[&str]) -> Response {
    (
        status,
        Json(json!({"error": {"code": "BadRequest", "message": "The request was invalid", "reasons": reasons}})),
    )
        .into_response()
}

/// The model-validation body (no `error` wrapper; shape assumed by the spec).
pub(crate) fn validation(errors: &[(&str, String)]) -> Response {
    let list: Vec<Value> = errors
        .iter()
        .map(|(f, m)| json!({"field": f, "message": m}))
        .collect();
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"code": "BadRequest", "message": "One or more validation errors occurred", "validationErrors": list})),
    )
        .into_response()
}

/// The generic error body of the contract.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": code, "error_description": description})),
    )
        .into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

async fn token(
    State(sim): State<ProtimeSim>,
    Path(tenant): Path<String>,
    Form(form): Form<TokenForm>,
) -> Response {
    if tenant != DEMO_TENANT {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "invalid_request", "error_description": "unknown tenant"})),
        )
            .into_response();
    }
    if form.grant_type.as_deref() != Some("client_credentials") {
        return oauth_error(
            "unsupported_grant_type",
            "only client_credentials is supported",
        );
    }
    if form.client_id.as_deref() != Some(DEMO_CLIENT_ID)
        || form.client_secret.as_deref() != Some(DEMO_CLIENT_SECRET)
    {
        return oauth_error("invalid_client", "the client id or secret is not valid");
    }
    let requested: Vec<String> = form
        .scope
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if let Some(bad) = requested
        .iter()
        .find(|s| !s.starts_with("connector-protimeapi-"))
    {
        return oauth_error("invalid_scope", &format!("unknown scope {bad}"));
    }
    let mut s = sim.lock();
    let granted: Vec<String> = requested
        .iter()
        .filter(|r| !s.config.withheld_scopes.contains(r))
        .cloned()
        .collect();
    s.token_counter += 1;
    let access_token = format!(
        "sandbox-token-{}-{}",
        s.token_counter,
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s.token_counter.to_be_bytes())
    );
    let expires_at = s.now() + chrono::Duration::seconds(TOKEN_LIFETIME_SECS);
    s.tokens.insert(
        access_token.clone(),
        IssuedToken {
            expires_at,
            scopes: granted.clone(),
        },
    );
    Json(json!({
        "access_token": access_token,
        "expires_in": TOKEN_LIFETIME_SECS,
        "token_type": "Bearer",
        "scope": granted.join(" "),
    }))
    .into_response()
}

/// Sandbox-only test hook (no auth, not part of the contract): every clocking the tenant holds.
async fn readback_clockings(State(sim): State<ProtimeSim>) -> Response {
    Json(Value::Array(sim.clockings())).into_response()
}

/// Sandbox-only test hook: method, path and body of every API request received.
async fn readback_requests(State(sim): State<ProtimeSim>) -> Response {
    let list: Vec<Value> = sim
        .received()
        .into_iter()
        .map(|r| json!({"method": r.method, "pathAndQuery": r.path_and_query, "body": r.body, "userAgent": r.user_agent}))
        .collect();
    Json(Value::Array(list)).into_response()
}

/// The scope a request needs: `connector-protimeapi-<collection>.<read|write>`.
fn scope_for(method: &Method, segments: &[&str]) -> String {
    let collection = match segments {
        ["delta", c, ..] => c.to_string(),
        ["activity-structure-versions", _, "levels", _, "activity-definitions", ..] => {
            "activity-definitions".into()
        }
        ["activity-structure-versions", ..] => "activity-definitions".into(),
        ["status-monitor", c, ..] => c.to_string(),
        [c, ..] => c.to_string(),
        [] => String::new(),
    };
    let verb = if method == Method::GET {
        "read"
    } else {
        "write"
    };
    format!("connector-protimeapi-{collection}.{verb}")
}

/// Drops the connection of the request being handled without an answer: the connection's kill
/// switch is fired, the sandbox's accept loop drops the connection future (and this handler with it),
/// and the socket closes. No panic is involved.
///
/// Outside the sandbox's own server (a router served some other way) there is no switch; the
/// request then gets a `502` with `Connection: close`, the nearest thing to a dropped connection.
async fn reset_connection(kill: Option<&ConnectionKill>) -> Response {
    if let Some(kill) = kill {
        kill.fire();
        // The connection future is dropped at its next poll; this handler never answers.
        std::future::pending::<()>().await;
    }
    let mut r = error(
        StatusCode::BAD_GATEWAY,
        "ConnectionReset",
        "Injected connection reset (no connection to drop outside the sandbox server)",
    );
    r.headers_mut().insert(
        axum::http::header::CONNECTION,
        HeaderValue::from_static("close"),
    );
    r
}

fn is_write(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

async fn dispatch(
    State(sim): State<ProtimeSim>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    kill: Option<Extension<ConnectionKill>>,
    body: Bytes,
) -> Response {
    let kill = kill.map(|Extension(k)| k);
    let path_and_query = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    if path_and_query.len() > MAX_URI {
        return error(
            StatusCode::URI_TOO_LONG,
            "UriTooLong",
            "The request URI is longer than 4096 characters",
        );
    }
    let user_agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string();
    let body_text = String::from_utf8_lossy(&body).to_string();
    let write = is_write(&method);
    let (fault, latency, write_delay) = {
        let mut s = sim.lock();
        s.received.push(ReceivedRequest {
            method: method.to_string(),
            path_and_query: path_and_query.clone(),
            body: body_text.clone(),
            user_agent: user_agent.clone(),
        });
        let mut fault = if s.faults.is_empty() {
            None
        } else {
            Some(s.faults.remove(0))
        };
        if fault.is_none() && s.config.fault_rate > 0.0 {
            let rate = s.config.fault_rate;
            if s.rng.chance(rate) {
                let mut all = vec![
                    Fault::Status(500),
                    Fault::Status(503),
                    Fault::TooManyRequests {
                        retry_after_secs: 1,
                    },
                    Fault::Latency(Duration::from_millis(300)),
                    Fault::ResetBeforeCommit,
                    Fault::ResetAfterCommit,
                ];
                // A late commit only means something for a write; reads draw another fault.
                if write {
                    all.push(Fault::LateCommit(s.config.late_commit_delay));
                }
                fault = Some(s.rng.pick(&all).clone());
            }
        }
        if fault.is_none() {
            if let Some(limit) = s.config.rate_limit_per_minute {
                let now = s.now();
                if now - s.rate_window.0 > chrono::Duration::minutes(1) {
                    s.rate_window = (now, 0);
                }
                s.rate_window.1 += 1;
                if s.rate_window.1 > limit {
                    fault = Some(Fault::TooManyRequests {
                        retry_after_secs: 60,
                    });
                }
            }
        }
        (fault, s.latency, s.config.write_delay)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    // How long a write is held before it is committed (in a task of its own, so it is committed even
    // if the client gives up and the connection, with this handler, is dropped).
    let mut hold = if write { write_delay } else { Duration::ZERO };
    let mut reset_after = false;
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return error(status, "ServerError", "Injected server failure");
        }
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests",
            );
            r.headers_mut()
                .insert("retry-after", HeaderValue::from(retry_after_secs));
            return r;
        }
        Some(Fault::TooManyRequestsHttpDate { retry_after_secs }) => {
            // Capped at ten years so the date arithmetic cannot overflow.
            let secs = retry_after_secs.min(315_360_000) as i64;
            let when = Utc::now() + chrono::Duration::seconds(secs + 1);
            let mut r = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests",
            );
            if let Ok(v) =
                HeaderValue::from_str(&when.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            {
                r.headers_mut().insert("retry-after", v);
            }
            return r;
        }
        Some(Fault::Latency(d)) => tokio::time::sleep(d).await,
        Some(Fault::ResetBeforeCommit) => return reset_connection(kill.as_ref()).await,
        Some(Fault::ResetAfterCommit) => reset_after = true,
        Some(Fault::LateCommit(d)) => hold = hold.saturating_add(d),
        None => {}
    }
    let response = if hold.is_zero() {
        handle(
            &sim,
            &method,
            &path_and_query,
            &headers,
            &user_agent,
            &body_text,
        )
    } else {
        let task = tokio::spawn(async move {
            tokio::time::sleep(hold).await;
            handle(
                &sim,
                &method,
                &path_and_query,
                &headers,
                &user_agent,
                &body_text,
            )
        });
        match task.await {
            Ok(r) => r,
            Err(_) => error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "ServerError",
                "The held request was not completed",
            ),
        }
    };
    if reset_after {
        return reset_connection(kill.as_ref()).await;
    }
    response
}

fn handle(
    sim: &ProtimeSim,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    user_agent: &str,
    body: &str,
) -> Response {
    let mut s = sim.lock();
    if user_agent.is_empty() {
        let status = StatusCode::from_u16(s.config.missing_user_agent_status)
            .unwrap_or(StatusCode::BAD_REQUEST);
        return reasons_error(status, &["The User-Agent header is required"]);
    }
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let now = s.now();
    let scopes = match s.tokens.get(token) {
        Some(t) if t.expires_at > now => t.scopes.clone(),
        _ => {
            return error(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Missing or invalid access token",
            )
        }
    };
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let rest = path.strip_prefix(API_PREFIX).unwrap_or("");
    let decoded: Vec<String> = rest
        .split('/')
        .filter(|x| !x.is_empty())
        .map(|x| {
            url::form_urlencoded::parse(format!("x={}", x.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    let segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let scope = scope_for(method, &segments);
    if !scopes.iter().any(|g| g == &scope) {
        let status =
            StatusCode::from_u16(s.config.scope_failure_status).unwrap_or(StatusCode::FORBIDDEN);
        return error(
            status,
            "Forbidden",
            &format!("The access token lacks the scope {scope}"),
        );
    }
    let q = api::Query::parse(query);
    let response = api::route(&mut s, method, &segments, &q, body);
    // Accepted operations complete on their own after `accepted_running_polls` seconds, polled or not.
    let accepted: Vec<i64> = s.operations_to_time.drain(..).collect();
    let after = Duration::from_secs(u64::from(s.config.accepted_running_polls));
    drop(s);
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        for n in accepted {
            let sim = sim.clone();
            rt.spawn(async move {
                tokio::time::sleep(after).await;
                sim.lock().complete_operation(n);
            });
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: crate::SandboxArgs,
    }

    #[test]
    fn sandbox_switches_do_not_collide() {
        Cli::command().debug_assert();
        let cli = Cli::parse_from([
            "x",
            "--fault-rate",
            "0.25",
            "--page-size",
            "7",
            "--scope-failure-401",
        ]);
        let cfg = cli.args.protime.to_config().unwrap();
        assert_eq!(
            (cfg.page_size, cfg.fault_rate, cfg.scope_failure_status),
            (7, 0.25, 401)
        );
    }

    #[test]
    fn delay_switches_have_defaults_and_are_validated() {
        let parse = |extra: &[&str]| {
            let mut argv = vec!["x"];
            argv.extend_from_slice(extra);
            Cli::try_parse_from(argv).map(|c| c.args.protime.to_config())
        };
        let cfg = parse(&[]).unwrap().unwrap();
        assert_eq!(cfg.late_commit_delay, Duration::from_secs(5));
        assert_eq!(cfg.write_delay, Duration::ZERO);
        assert_eq!(cfg.latency, Duration::ZERO);
        assert_eq!(cfg.accepted_running_polls, 1);
        assert_eq!(cfg.accepted_outcome, AcceptedOutcome::Succeeded);
        let cfg = parse(&[
            "--late-commit-secs",
            "2",
            "--write-delay-ms",
            "250",
            "--latency-ms",
            "40",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(
            (cfg.late_commit_delay, cfg.write_delay, cfg.latency),
            (
                Duration::from_secs(2),
                Duration::from_millis(250),
                Duration::from_millis(40)
            )
        );
        for (bad, names) in [
            (&["--late-commit-secs", "0"][..], "--late-commit-secs"),
            (&["--late-commit-secs", "601"][..], "--late-commit-secs"),
            (&["--write-delay-ms", "600001"][..], "--write-delay-ms"),
            (&["--latency-ms", "9999999"][..], "--latency-ms"),
        ] {
            let err = parse(bad).unwrap().unwrap_err();
            assert!(err.contains(names), "{err}");
        }
        // Not numbers, or negative: refused by the parser itself.
        for bad in [
            &["--write-delay-ms", "-5"][..],
            &["--latency-ms", "soon"][..],
            &["--late-commit-secs", "1.5"][..],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        // The simulator starts with the configured latency.
        let roster = Roster::generate(1, 60);
        let sim = ProtimeSim::new(
            1,
            &roster,
            ProtimeSimConfig {
                latency: Duration::from_millis(40),
                ..Default::default()
            },
            None,
        );
        assert_eq!(sim.lock().latency, Duration::from_millis(40));
    }

    #[test]
    fn accepted_operations_commit_only_when_they_complete() {
        let roster = Roster::generate(1, 60);
        let sim = ProtimeSim::new(1, &roster, ProtimeSimConfig::default(), None);
        let mut s = sim.lock();
        let before = s.clockings.len();
        let draft = s.clockings[0].clone();
        s.operations.insert(
            7,
            Operation {
                accepted_at: std::time::Instant::now(),
                running_polls: 0,
                state: OperationState::Running(Box::new(draft)),
            },
        );
        assert_eq!(s.clockings.len(), before);
        s.complete_operation(7);
        assert_eq!(s.clockings.len(), before + 1);
        // Idempotent; unknown operations are ignored.
        s.complete_operation(7);
        s.complete_operation(8);
        assert_eq!(s.clockings.len(), before + 1);
        assert!(matches!(
            s.operations[&7].state,
            OperationState::Succeeded { .. }
        ));
    }

    #[test]
    fn demo_data_is_deterministic_and_consistent() {
        let roster = Roster::generate(3, 60);
        let a = ProtimeSim::new(3, &roster, ProtimeSimConfig::default(), None);
        let b = ProtimeSim::new(3, &roster, ProtimeSimConfig::default(), None);
        assert_eq!(a.clockings(), b.clockings());
        assert_eq!(a.people_count(), 50);
        let defs = a.activity_definitions();
        assert_eq!(defs.len(), 40);
        let s = a.lock();
        // Change versions are unique 20-digit upper-case hex.
        let mut cvs: Vec<u64> = s
            .clockings
            .iter()
            .map(|c| c.cv)
            .chain(s.totals.values().map(|t| t.cv))
            .collect();
        let n = cvs.len();
        cvs.sort();
        cvs.dedup();
        assert_eq!(cvs.len(), n);
        assert!(s.access.iter().any(|x| x.id == 1234));
        assert!(s.clockings.iter().any(|c| c.status == "Deleted"));
        assert!(s.access.iter().all(|x| (0..1440).contains(&x.time)));
    }
}
